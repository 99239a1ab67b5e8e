//! PESEL, NIP, REGON, postal code: no parser panics; a parsed value displays in a form
//! that parses back to the same value; every error has a code of its kind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::identifiers::{IdError, Nip, Pesel, PostalCode, Regon};

fn check_code(r: &Result<impl Sized, IdError>, prefix: &str) {
    if let Err(e) = r {
        assert!(e.code().starts_with(prefix), "{} for {prefix}", e.code());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };

    let pesel = Pesel::parse(s);
    check_code(&pesel, "pesel.");
    if let Ok(p) = pesel {
        let shown = p.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(Pesel::parse(&shown), Ok(p));
        let year = p.birth_date().year();
        assert!((1800..2300).contains(&year));
    }

    let nip = Nip::parse(s);
    check_code(&nip, "nip.");
    if let Ok(n) = nip {
        assert_eq!(Nip::parse(&n.to_string()), Ok(n));
        assert_eq!(Nip::parse(&n.formatted()), Ok(n));
    }

    let regon = Regon::parse(s);
    check_code(&regon, "regon.");
    if let Ok(r) = regon {
        assert_eq!(Regon::parse(&r.to_string()).as_ref(), Ok(&r));
        if let Some(parent) = r.parent() {
            assert_eq!(Regon::parse(&parent.to_string()), Ok(parent));
        }
    }

    let postal = PostalCode::parse(s);
    check_code(&postal, "postal_code.");
    if let Ok(p) = postal {
        assert_eq!(p.to_string(), s.trim());
    }
});
