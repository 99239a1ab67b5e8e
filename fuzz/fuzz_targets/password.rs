//! Password policy: never panics, deterministic, every problem has a code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::password::PasswordPolicy;

fuzz_target!(|input: (&str, Vec<&str>)| {
    let (password, context) = input;
    let policy = PasswordPolicy::default();
    let first = policy.check(password, &context);
    assert_eq!(first, policy.check(password, &context));
    if let Err(problems) = first {
        assert!(!problems.is_empty());
        assert!(problems.iter().all(|p| p.code().starts_with("password.")));
    }
});
