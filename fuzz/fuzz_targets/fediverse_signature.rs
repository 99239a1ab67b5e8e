//! The Fediverse inbox's outside input: a `Signature` header, an `acct:` resource and an
//! HTTP date never panic; a header that parses names a key and a signature, and its
//! signing string is built from the headers it lists or refused for a missing one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magistrat_domain::fediverse::{SignatureHeader, parse_acct, parse_http_date, signing_string};

fuzz_target!(|text: &str| {
    let _ = parse_acct(text);
    let _ = parse_http_date(text);
    if let Ok(header) = SignatureHeader::parse(text) {
        assert!(!header.key_id.is_empty());
        assert!(!header.signature.is_empty());
        assert!(!header.headers.is_empty());
        let built = signing_string(&header.headers, "POST", "/fediverse/inbox", |_| Some("x"));
        assert!(built.is_ok());
    }
});
