//! The e-mail parser: `is_email_address` never panics, and whatever it accepts has one
//! `@` between a non-empty local part and a dotted domain, fits RFC 5321's length, and
//! holds no white space or control character (no CR/LF to split a header or a log line).
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::email::{MAX_LENGTH, is_email_address};

fuzz_target!(|s: &str| {
    let accepted = is_email_address(s);
    assert_eq!(accepted, is_email_address(s), "deterministic");
    if !accepted {
        return;
    }
    assert!(s.len() <= MAX_LENGTH);
    assert!(
        s.chars().all(|c| !c.is_whitespace() && !c.is_control()),
        "{s:?}"
    );
    let (local, domain) = s.rsplit_once('@').expect("an accepted address has an @");
    assert!(!local.is_empty() && !local.contains('@'), "{s:?}");
    assert!(
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'),
        "{s:?}"
    );
});
