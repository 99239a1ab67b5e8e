//! The one decision of what a redirect may point at: a path on this site.
//!
//! A `next` parameter (after signing in, after switching the language) comes from the
//! visitor, so it is parsed, not pattern-matched: it must be an RFC 3986
//! `path-absolute` with an optional query and fragment, made only of visible ASCII
//! characters. Browsers read `/\host`, `/<TAB>/host` and `//host` as another site
//! (the WHATWG URL parser treats `\` as `/` and drops tabs and newlines), and a CR or LF
//! cannot go into a `Location` header at all, so each of those is refused; so is a
//! path that becomes one of them when percent-decoded once (`/%2F/host`,
//! `/%5Chost`), in case anything on the way decodes it (issue 16).

/// `raw` when it is a path on this site to redirect to, else `None`.
pub fn local_path(raw: &str) -> Option<&str> {
    let (path, rest) = match raw.find(['?', '#']) {
        Some(at) => raw.split_at(at),
        None => (raw, ""),
    };
    let path_ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(is_path_byte)
        && percent_encodings_ok(path);
    let rest_ok =
        rest.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') && percent_encodings_ok(rest);
    (path_ok && rest_ok && decoded_path_ok(path)).then_some(raw)
}

/// RFC 3986 `pchar` (unreserved, sub-delims, `:`, `@`, `%`) and the segment separator.
fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%/".contains(&b)
}

/// Every `%` starts a `%XX` with two hex digits.
fn percent_encodings_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The path decoded once is still a path on this site: no `//` at its start, no
/// backslash, no control character.
fn decoded_path_ok(path: &str) -> bool {
    let decoded = percent_decode(path);
    !decoded.starts_with(b"//")
        && !decoded.starts_with(b"/\\")
        && !decoded
            .iter()
            .any(|&b| b == b'\\' || b.is_ascii_control() || b == 0xff)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths_on_this_site_pass_unchanged() {
        for good in [
            "/",
            "/staff",
            "/staff/cases?q=a%20b&page=2",
            "/services/SA-2/apply",
            "/staff/org#unit-3",
            "/a/b/../c",
            "/search?q=%C5%BC%C3%B3%C5%82w",
            "/x?next=/y",
            "/%7Euser",
        ] {
            assert_eq!(local_path(good), Some(good), "{good}");
        }
    }

    #[test]
    fn anything_a_browser_could_take_elsewhere_is_refused() {
        for bad in [
            "",
            "staff",
            "//evil.example",
            "///evil.example",
            "/\\127.0.0.1:18799/",
            "\\\\evil.example",
            "/\t/host",
            "/\n",
            "/\r\nSet-Cookie: a=b",
            "/\u{0}",
            "/\u{7f}",
            "https://evil.example",
            "javascript:alert(1)",
            " /staff",
            "/staff page",
            "/żółw",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5C127.0.0.1",
            "/%0a",
            "/%09/host",
            "/%",
            "/%zz",
            "/a%2",
            "/x?y=\\z",
            "/x?y=a b",
            "/x#\n",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    proptest! {
        /// Whatever passes starts with one slash and holds only visible ASCII without a
        /// backslash: nothing a browser resolves to another host.
        #[test]
        fn what_passes_is_a_local_path(raw in "\\PC{0,40}") {
            if let Some(path) = local_path(&raw) {
                prop_assert!(path.starts_with('/') && !path.starts_with("//"));
                prop_assert!(path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'));
            }
        }
    }
}
