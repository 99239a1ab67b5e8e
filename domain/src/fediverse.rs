//! The office on the Fediverse (ActivityPub): the pure rules of HTTP Signatures as
//! Mastodon uses them and of WebFinger, and the schedule of delivery retries.
//!
//! - HTTP Signatures: draft-cavage-http-signatures-12 (the version Mastodon, Pleroma,
//!   GoToSocial and others implement): the `Signature` header's parameters
//!   ([`SignatureHeader::parse`]), the signing string over the listed headers
//!   ([`signing_string`]), what an inbox requires ([`check_covered`]: `(request-target)`,
//!   `host`, `date`, `digest`), the `Digest` header of RFC 3230 with `SHA-256`
//!   ([`digest_value`]) and the window around the `Date` header ([`date_in_window`]).
//! - WebFinger: RFC 7033; the resource `acct:user@host` of RFC 7565 ([`parse_acct`]).
//! - Delivery: the pause before attempt n ([`retry_after_minutes`]).
//!
//! The cryptography (RSA PKCS#1 v1.5 with SHA-256) is done by the application around
//! these rules; nothing here reads a clock or the network.

use jiff::{SignedDuration, Timestamp};

/// How far the `Date` of a signed request may lie from the receiver's clock, either
/// way (Mastodon allows one hour of skew; a replayed request is refused after it).
pub const DATE_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// The headers an inbox requires in a POST's signature.
pub const REQUIRED_POST_HEADERS: [&str; 4] = ["(request-target)", "host", "date", "digest"];

/// The longest `Signature` header accepted (a real one is under 1 KB).
pub const SIGNATURE_HEADER_MAX: usize = 4096;

/// Why a signature header (or the request it signs) is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is missing, too long or not a list of `name="value"` pairs.
    #[error("the Signature header is malformed")]
    Malformed,
    /// `keyId` or `signature` is missing.
    #[error("the Signature header lacks keyId or signature")]
    Incomplete,
    /// An algorithm other than rsa-sha256 (or hs2019, which names none).
    #[error("the signature algorithm is not supported")]
    Algorithm,
    /// A header the inbox requires is not signed.
    #[error("the header `{0}` is not covered by the signature")]
    NotCovered(String),
    /// A signed header is absent from the request.
    #[error("the signed header `{0}` is missing")]
    MissingHeader(String),
    /// The `Date` header cannot be read.
    #[error("the Date header is malformed")]
    BadDate,
    /// The `Date` lies outside the window.
    #[error("the Date header is too far from now")]
    Expired,
    /// The `Digest` does not match the body (or names no SHA-256).
    #[error("the Digest header does not match the body")]
    Digest,
}

impl SignatureError {
    /// A stable code for logs and the error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "signature.malformed",
            Self::Incomplete => "signature.incomplete",
            Self::Algorithm => "signature.algorithm",
            Self::NotCovered(_) => "signature.not-covered",
            Self::MissingHeader(_) => "signature.missing-header",
            Self::BadDate => "signature.date",
            Self::Expired => "signature.expired",
            Self::Digest => "signature.digest",
        }
    }
}

/// The parameters of a `Signature` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    /// The key's id: an actor's `publicKey.id`, e.g. `https://host/users/a#main-key`.
    pub key_id: String,
    /// The algorithm named (`rsa-sha256`, or `hs2019`), lowercased.
    pub algorithm: Option<String>,
    /// The signed headers in order, lowercased; `["date"]` when the header names none
    /// (the draft's default).
    pub headers: Vec<String>,
    /// The signature, base64 as sent.
    pub signature: String,
}

impl SignatureHeader {
    /// Reads `keyId="…",algorithm="…",headers="…",signature="…"` (parameters in any
    /// order, separated by commas and optional spaces; unknown ones ignored; a repeated
    /// one refused).
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        if header.len() > SIGNATURE_HEADER_MAX || header.trim().is_empty() {
            return Err(SignatureError::Malformed);
        }
        let mut key_id = None;
        let mut algorithm = None;
        let mut headers = None;
        let mut signature = None;
        let mut rest = header.trim();
        while !rest.is_empty() {
            let (name, after) = rest.split_once('=').ok_or(SignatureError::Malformed)?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(SignatureError::Malformed);
            }
            let after = after
                .trim_start()
                .strip_prefix('"')
                .ok_or(SignatureError::Malformed)?;
            let end = after.find('"').ok_or(SignatureError::Malformed)?;
            let value = &after[..end];
            if value.chars().any(char::is_control) {
                return Err(SignatureError::Malformed);
            }
            let slot = match name {
                "keyId" => Some(&mut key_id),
                "algorithm" => Some(&mut algorithm),
                "headers" => Some(&mut headers),
                "signature" => Some(&mut signature),
                _ => None,
            };
            if let Some(slot) = slot {
                if slot.is_some() {
                    return Err(SignatureError::Malformed);
                }
                *slot = Some(value.to_owned());
            }
            rest = after[end + 1..].trim_start();
            if let Some(next) = rest.strip_prefix(',') {
                rest = next.trim_start();
                if rest.is_empty() {
                    return Err(SignatureError::Malformed);
                }
            } else if !rest.is_empty() {
                return Err(SignatureError::Malformed);
            }
        }
        let key_id = key_id
            .filter(|k| !k.is_empty())
            .ok_or(SignatureError::Incomplete)?;
        let signature = signature
            .filter(|s| !s.is_empty())
            .ok_or(SignatureError::Incomplete)?;
        let algorithm = algorithm.map(|a| a.to_ascii_lowercase());
        if let Some(a) = &algorithm
            && a != "rsa-sha256"
            && a != "hs2019"
        {
            return Err(SignatureError::Algorithm);
        }
        let headers: Vec<String> = match headers {
            Some(h) => h
                .split_ascii_whitespace()
                .map(str::to_ascii_lowercase)
                .collect(),
            None => vec!["date".to_owned()],
        };
        if headers.is_empty() {
            return Err(SignatureError::Malformed);
        }
        Ok(Self {
            key_id,
            algorithm,
            headers,
            signature,
        })
    }

    /// The header as a signer writes it.
    pub fn render(key_id: &str, headers: &[&str], signature: &str) -> String {
        format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature}\"",
            headers.join(" ")
        )
    }
}

/// Refuses a signature that does not cover every header in `required`.
pub fn check_covered(signed: &SignatureHeader, required: &[&str]) -> Result<(), SignatureError> {
    match required
        .iter()
        .find(|r| !signed.headers.iter().any(|h| h == *r))
    {
        Some(missing) => Err(SignatureError::NotCovered((*missing).to_owned())),
        None => Ok(()),
    }
}

/// The signing string: one line `name: value` per signed header, in the signed order,
/// joined by `\n`; `(request-target)` is the method lowercased and the path with its
/// query. `header` gives a request header's value by lowercased name (several values of
/// one header joined by `, `, as the draft says, is the caller's part).
pub fn signing_string<'a>(
    signed_headers: &[String],
    method: &str,
    path_and_query: &str,
    header: impl Fn(&str) -> Option<&'a str>,
) -> Result<String, SignatureError> {
    let mut lines = Vec::with_capacity(signed_headers.len());
    for name in signed_headers {
        let line = if name == "(request-target)" {
            format!(
                "(request-target): {} {path_and_query}",
                method.to_ascii_lowercase()
            )
        } else {
            let value = header(name).ok_or_else(|| SignatureError::MissingHeader(name.clone()))?;
            format!("{name}: {}", value.trim())
        };
        lines.push(line);
    }
    Ok(lines.join("\n"))
}

/// The `Digest` header's value for a body whose SHA-256 is `sha256_base64`.
pub fn digest_value(sha256_base64: &str) -> String {
    format!("SHA-256={sha256_base64}")
}

/// Whether a `Digest` header (`SHA-256=…`, possibly among other algorithms, separated
/// by commas; the algorithm's name case-insensitive) carries the body's SHA-256.
pub fn digest_matches(header: &str, sha256_base64: &str) -> Result<(), SignatureError> {
    let found = header.split(',').any(|part| {
        part.trim().split_once('=').is_some_and(|(alg, value)| {
            alg.eq_ignore_ascii_case("sha-256") && value == sha256_base64
        })
    });
    if found {
        Ok(())
    } else {
        Err(SignatureError::Digest)
    }
}

/// The HTTP date (RFC 9110 IMF-fixdate) of a moment: `Fri, 04 Dec 2026 15:00:00 GMT`.
pub fn http_date(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Reads an IMF-fixdate (`Fri, 04 Dec 2026 15:00:00 GMT`).
pub fn parse_http_date(text: &str) -> Result<Timestamp, SignatureError> {
    let text = text.trim();
    let without_zone = text.strip_suffix(" GMT").ok_or(SignatureError::BadDate)?;
    jiff::civil::DateTime::strptime("%a, %d %b %Y %H:%M:%S", without_zone)
        .ok()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or(SignatureError::BadDate)
}

/// Whether a request dated `date` may still be taken at `now`.
pub fn date_in_window(date: Timestamp, now: Timestamp) -> Result<(), SignatureError> {
    let skew = now.duration_since(date).abs();
    if skew <= DATE_WINDOW {
        Ok(())
    } else {
        Err(SignatureError::Expired)
    }
}

/// Why a WebFinger resource is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebfingerError {
    /// Not `acct:user@host` (RFC 7565), or empty, or too long: 400.
    #[error("the resource is not an acct: URI")]
    Malformed,
}

/// An `acct:` resource's user and host, lowercased (`acct:Urzad@Borowiec.pl` names the
/// same account as `acct:urzad@borowiec.pl`). A leading `@` on the user, as people
/// type handles, is accepted.
pub fn parse_acct(resource: &str) -> Result<(String, String), WebfingerError> {
    if resource.len() > 512 {
        return Err(WebfingerError::Malformed);
    }
    let rest = resource
        .strip_prefix("acct:")
        .ok_or(WebfingerError::Malformed)?;
    let rest = rest.strip_prefix('@').unwrap_or(rest);
    let (user, host) = rest.rsplit_once('@').ok_or(WebfingerError::Malformed)?;
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if user_ok && host_ok {
        Ok((user.to_ascii_lowercase(), host.to_ascii_lowercase()))
    } else {
        Err(WebfingerError::Malformed)
    }
}

/// Whether an account name may be configured: what `parse_acct` accepts as a user, at
/// most 30 characters (Mastodon's limit on usernames).
pub fn valid_account(name: &str) -> bool {
    (1..=30).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Minutes to wait after failed attempt `attempts` (1-based) before the next: 1, 2, 4,
/// 8, … doubling, at most a day.
pub fn retry_after_minutes(attempts: u32) -> i64 {
    let exponent = attempts.saturating_sub(1).min(11);
    (1_i64 << exponent).min(24 * 60)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MASTODON: &str = "keyId=\"https://mastodon.example/users/ala#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest content-type\",signature=\"c2lnbmF0dXJl\"";

    #[test]
    fn parses_the_header_mastodon_sends() {
        let h = SignatureHeader::parse(MASTODON).unwrap();
        assert_eq!(h.key_id, "https://mastodon.example/users/ala#main-key");
        assert_eq!(h.algorithm.as_deref(), Some("rsa-sha256"));
        assert_eq!(
            h.headers,
            ["(request-target)", "host", "date", "digest", "content-type"]
        );
        assert_eq!(h.signature, "c2lnbmF0dXJl");
        check_covered(&h, &REQUIRED_POST_HEADERS).unwrap();
    }

    #[test]
    fn header_table() {
        let cases: &[(&str, Result<(), SignatureError>)] = &[
            ("", Err(SignatureError::Malformed)),
            ("keyId", Err(SignatureError::Malformed)),
            ("keyId=abc", Err(SignatureError::Malformed)),
            ("keyId=\"a\"", Err(SignatureError::Incomplete)),
            ("signature=\"s\"", Err(SignatureError::Incomplete)),
            ("keyId=\"a\",signature=\"s\"", Ok(())),
            ("keyId=\"a\", signature=\"s\"", Ok(())),
            (
                "keyId=\"a\",signature=\"s\",",
                Err(SignatureError::Malformed),
            ),
            (
                "keyId=\"a\",keyId=\"b\",signature=\"s\"",
                Err(SignatureError::Malformed),
            ),
            (
                "keyId=\"a\",algorithm=\"hmac-sha256\",signature=\"s\"",
                Err(SignatureError::Algorithm),
            ),
            ("keyId=\"a\",algorithm=\"hs2019\",signature=\"s\"", Ok(())),
            (
                "keyId=\"a\",algorithm=\"RSA-SHA256\",signature=\"s\"",
                Ok(()),
            ),
            ("keyId=\"a\",created=\"1\",signature=\"s\"", Ok(())),
            (
                "keyId=\"a\",headers=\" \",signature=\"s\"",
                Err(SignatureError::Malformed),
            ),
            (
                "keyId=\"a\" signature=\"s\"",
                Err(SignatureError::Malformed),
            ),
            (
                "keyId=\"a\nb\",signature=\"s\"",
                Err(SignatureError::Malformed),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                SignatureHeader::parse(text).map(|_| ()),
                *expected,
                "{text:?}"
            );
        }
        let default = SignatureHeader::parse("keyId=\"a\",signature=\"s\"").unwrap();
        assert_eq!(default.headers, ["date"]);
        assert_eq!(
            check_covered(&default, &REQUIRED_POST_HEADERS),
            Err(SignatureError::NotCovered("(request-target)".into()))
        );
    }

    #[test]
    fn signing_string_follows_the_draft() {
        // draft-cavage-http-signatures-12, appendix C.3 (the request of C.1).
        let h = SignatureHeader::parse(
            "keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date content-type digest content-length\",signature=\"x\"",
        )
        .unwrap();
        let headers = [
            ("host", "example.com"),
            ("date", "Sun, 05 Jan 2014 21:31:40 GMT"),
            ("content-type", "application/json"),
            (
                "digest",
                "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
            ),
            ("content-length", "18"),
        ];
        let s = signing_string(&h.headers, "POST", "/foo?param=value&pet=dog", |n| {
            headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
        })
        .unwrap();
        assert_eq!(
            s,
            "(request-target): post /foo?param=value&pet=dog\nhost: example.com\n\
             date: Sun, 05 Jan 2014 21:31:40 GMT\ncontent-type: application/json\n\
             digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\ncontent-length: 18"
        );
        let missing = signing_string(&h.headers, "POST", "/", |_| None);
        assert_eq!(missing, Err(SignatureError::MissingHeader("host".into())));
    }

    #[test]
    fn digest_and_dates() {
        let body = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";
        digest_matches(&digest_value(body), body).unwrap();
        digest_matches(&format!("md5=abc, sha-256={body}"), body).unwrap();
        assert_eq!(
            digest_matches("SHA-256=other", body),
            Err(SignatureError::Digest)
        );
        assert_eq!(digest_matches("", body), Err(SignatureError::Digest));

        let at: Timestamp = "2026-12-04T15:00:00Z".parse().unwrap();
        assert_eq!(http_date(at), "Fri, 04 Dec 2026 15:00:00 GMT");
        assert_eq!(
            parse_http_date("Fri, 04 Dec 2026 15:00:00 GMT").unwrap(),
            at
        );
        assert_eq!(
            parse_http_date("2026-12-04T15:00:00Z"),
            Err(SignatureError::BadDate)
        );
        assert_eq!(
            parse_http_date("Fri, 04 Dec 2026 15:00:00"),
            Err(SignatureError::BadDate)
        );
        let table = [
            ("14:00:00", true),
            ("16:00:00", true),
            ("13:59:59", false),
            ("16:00:01", false),
        ];
        for (time, ok) in table {
            let date: Timestamp = format!("2026-12-04T{time}Z").parse().unwrap();
            assert_eq!(date_in_window(date, at).is_ok(), ok, "{time}");
        }
    }

    #[test]
    fn webfinger_resources() {
        assert_eq!(
            parse_acct("acct:Urzad@Borowiec.PL").unwrap(),
            ("urzad".into(), "borowiec.pl".into())
        );
        assert_eq!(
            parse_acct("acct:@urzad@borowiec.pl:8443").unwrap(),
            ("urzad".into(), "borowiec.pl:8443".into())
        );
        for bad in [
            "",
            "urzad@borowiec.pl",
            "acct:",
            "acct:urzad",
            "acct:@borowiec.pl",
            "acct:urzad@",
            "acct:u rzad@h",
            "acct:<s>@h",
            "https://borowiec.pl/fediverse",
        ] {
            assert_eq!(parse_acct(bad), Err(WebfingerError::Malformed), "{bad}");
        }
        assert!(valid_account("urzad"));
        assert!(valid_account("um_borowiec2"));
        assert!(!valid_account("Urzad"));
        assert!(!valid_account(""));
        assert!(!valid_account("urząd"));
    }

    #[test]
    fn retries_double_up_to_a_day() {
        let table = [
            (0, 1),
            (1, 1),
            (2, 2),
            (3, 4),
            (6, 32),
            (11, 1024),
            (12, 1440),
            (40, 1440),
        ];
        for (attempts, minutes) in table {
            assert_eq!(retry_after_minutes(attempts), minutes, "{attempts}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,300}") {
            let _ = SignatureHeader::parse(&text);
            let _ = parse_acct(&text);
            let _ = parse_http_date(&text);
        }

        #[test]
        fn a_rendered_header_reads_back(
            key in "https://[a-z]{1,12}\\.example/users/[a-z0-9]{1,12}#main-key",
            sig in "[A-Za-z0-9+/]{8,64}={0,2}",
        ) {
            let rendered = SignatureHeader::render(&key, &REQUIRED_POST_HEADERS, &sig);
            let parsed = SignatureHeader::parse(&rendered).unwrap();
            prop_assert!(check_covered(&parsed, &REQUIRED_POST_HEADERS).is_ok());
            prop_assert_eq!(parsed.key_id, key);
            prop_assert_eq!(parsed.signature, sig);
        }

        #[test]
        fn http_dates_read_back(seconds in 0_i64..4_000_000_000) {
            let at = Timestamp::from_second(seconds).unwrap();
            prop_assert_eq!(parse_http_date(&http_date(at)).unwrap(), at);
        }

        #[test]
        fn retry_pause_never_shrinks(n in 0_u32..1000) {
            prop_assert!(retry_after_minutes(n + 1) >= retry_after_minutes(n));
            prop_assert!(retry_after_minutes(n) <= 24 * 60);
        }
    }
}
