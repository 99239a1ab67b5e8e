//! Znak sprawy: parsing never panics, and whatever parses is canonical — it displays
//! as exactly the (trimmed) input and parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::case_number::{CaseNumber, Initials, JrwaClass, UnitSymbol};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match CaseNumber::parse(s) {
        Ok(cn) => {
            let shown = cn.to_string();
            assert_eq!(shown, s.trim(), "not canonical");
            assert_eq!(CaseNumber::parse(&shown).as_ref(), Ok(&cn), "no round trip");
            assert!(cn.number() > 0);
            assert!((1000..=9999).contains(&cn.year()));
        }
        Err(e) => assert!(e.code().starts_with("case_number.")),
    }
    if let Ok(u) = UnitSymbol::parse(s) {
        assert_eq!(u.to_string(), s);
    }
    if let Ok(c) = JrwaClass::parse(s) {
        assert_eq!(c.to_string(), s);
    }
    if let Ok(i) = Initials::parse(s) {
        assert_eq!(i.to_string(), s);
    }
});
