//! Attachment checks: `check` never panics on any name, declared type, bytes and limits;
//! whatever it accepts has a safe name (no path, no control characters, bounded length),
//! fits the limit, and is a kind whose rule accepts the same bytes again.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use magistrat_domain::attachment::{Limits, MAX_NAME_CHARS, check, check_item, sanitise_name};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    name: &'a str,
    declared: Option<&'a str>,
    max_file: u16,
    sizes: Vec<usize>,
    bytes: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let limits = Limits {
        max_file_bytes: usize::from(input.max_file),
        max_item_bytes: usize::from(input.max_file) * 2,
        max_files: 5,
    };
    let _ = check_item(&input.sizes, &limits);
    if let Some(clean) = sanitise_name(input.name) {
        assert_eq!(sanitise_name(&clean).as_deref(), Some(clean.as_str()));
    }
    if let Ok(file) = check(input.name, input.declared, input.bytes, &limits) {
        assert!(file.size() <= limits.max_file_bytes);
        assert!(!file.file_name.is_empty());
        assert!(file.file_name.chars().count() <= MAX_NAME_CHARS);
        assert!(!file.file_name.contains(['/', '\\']));
        assert!(!file.file_name.chars().any(char::is_control));
        let again = check(&file.file_name, None, &file.bytes, &limits).map(|f| f.kind);
        assert_eq!(again, Ok(file.kind));
    }
});
