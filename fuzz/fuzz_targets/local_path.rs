//! The redirect check: `local_path` never panics, and whatever it lets through is a path
//! on this site that a browser cannot read as another host — one leading slash, visible
//! ASCII only, no backslash, and still so once percent-decoded (issue 16).
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::local_path::local_path;

fuzz_target!(|raw: &str| {
    let Some(path) = local_path(raw) else {
        return;
    };
    assert_eq!(path, raw, "a local path is passed on unchanged");
    assert!(path.starts_with('/') && !path.starts_with("//"), "{path:?}");
    assert!(
        path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'),
        "{path:?}"
    );
    let lower = path.to_ascii_lowercase();
    for encoded in ["%5c", "%00", "%09", "%0a", "%0d"] {
        assert!(
            !lower
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .contains(encoded),
            "{path:?}"
        );
    }
    assert!(
        !lower.starts_with("/%2f") && !lower.starts_with("/%5c"),
        "{path:?}"
    );
});
