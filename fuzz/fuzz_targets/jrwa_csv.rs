//! The JRWA import file as anyone could upload it: parsing never panics; what it
//! accepts is a well-formed wykaz (every symbol 1–5 digits and unique, categories on
//! leaves only and on every leaf, every class's parent in the file); what it refuses
//! names lines of the file (or line 0, the whole file, when it holds no class).
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use magistrat_domain::jrwa_csv::{is_symbol, parse_csv};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_csv(text) {
        Ok(entries) => {
            let symbols: HashSet<&str> = entries.iter().map(|e| e.symbol.as_str()).collect();
            assert_eq!(symbols.len(), entries.len(), "a symbol twice");
            for e in &entries {
                assert!(is_symbol(&e.symbol), "{e:?}");
                assert_eq!(e.is_leaf(), e.category.is_some(), "{e:?}");
                if let Some(parent) = e.parent() {
                    assert!(symbols.contains(parent), "orphan {e:?}");
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines = text.lines().count();
            for e in &errors {
                // Line 0 is the file as a whole: only a file with no class at all.
                let whole_file = e.line == 0 && e.key == "jrwa-error-empty";
                assert!(
                    whole_file || (1..=lines).contains(&e.line),
                    "{e:?} of {lines} lines"
                );
            }
        }
    }
});
