//! A tracking code as a person types it: normalising never panics, and whatever it
//! accepts is a stored-form code (`XXXX-XXXX-XXXX` of the alphabet) that normalises to
//! itself; accepted input has exactly 12 code characters besides spaces and hyphens.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::tracking_code::{ALPHABET, normalize};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let Some(code) = normalize(s) else {
        return;
    };
    assert_eq!(code.len(), 14, "{code}");
    for (i, c) in code.bytes().enumerate() {
        if i == 4 || i == 9 {
            assert_eq!(c, b'-', "{code}");
        } else {
            assert!(ALPHABET.contains(&c), "{code}");
        }
    }
    assert_eq!(
        normalize(&code).as_deref(),
        Some(code.as_str()),
        "not idempotent"
    );
    let typed = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .count();
    assert_eq!(typed, 12, "{s:?} accepted as {code}");
});
