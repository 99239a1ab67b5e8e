//! The reading of `multipart/form-data` uploads — the CSRF token in one
//! (`web::csrf::multipart_token`) and the form itself (`attachments::read_multipart`) —
//! as a property through the whole router: arbitrary and malformed bodies, boundaries,
//! token fields and sizes, sent to the e-service form (an anonymous visitor, the token
//! of their CSRF cookie) and to the letter registration form (staff, the session's
//! token).
//!
//! For every body: never a 5xx (a panic would be one: the router catches it as 500);
//! over the body limit 413; without a token, or when the first `_csrf` field is wrong,
//! 403 whatever else the body holds; a well-formed body whose first `_csrf` is the
//! right one passes the check (not 403) wherever the token stands among the other parts.
//!
//! A property test, not a fuzz target: the readers sit on axum's extractor inside the
//! app crate, which the fuzz workspace does not build (it depends on the domain crate
//! only, so that `fuzz/run-short` stays short); through the router the property also
//! proves the layers around the readers (body limit, permission, CSRF, input boundary).
//! Failing inputs are shrunk (proptest's value trees, driven here because the checks
//! are async) and printed.

use std::fmt::Debug;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

backend_tests!(
    spawn = super::spawn_with_small_limit;
    anonymous_uploads_are_checked_whatever_their_body,
    staff_uploads_are_checked_whatever_their_body,
);

/// The site's body limit in these tests: small, so that a generated body crosses it.
const LIMIT: usize = 48 * 1024;
/// Bodies generated per backend and route.
const CASES: u32 = 64;

async fn spawn_with_small_limit(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |config| {
        config.max_body_bytes = LIMIT;
        // Every post comes from one address; filings made are not the point here.
        config.web_filings_per_day = 10_000;
    })
    .await
}

async fn anonymous_uploads_are_checked_whatever_their_body(app: TestApp) {
    let token = app.csrf_token().await;
    assert!(!token.is_empty());
    checked_uploads(&app, "/services/SA-2/apply", &token).await;
}

async fn staff_uploads_are_checked_whatever_their_body(app: TestApp) {
    app.login("obsluga").await;
    let token = app.csrf_token().await;
    checked_uploads(&app, "/staff/correspondence/new", &token).await;
    // The session is still there: the garbage signed nobody out.
    assert_eq!(app.get("/staff").await.status, StatusCode::OK);
}

/// The property on `path`, and proof that the bodies reached both sides of the check:
/// enough of them passed it, enough were refused for their token.
async fn checked_uploads(app: &TestApp, path: &str, token: &str) {
    let tally = Tally::default();
    for_all(path, upload(), CASES, async |u: &Upload| {
        check(app, path, token, u, &tally).await
    })
    .await;
    let (passed, refused) = (tally.passed.get(), tally.refused.get());
    eprintln!("{path}: {passed} passed the token check, {refused} refused for it");
    assert!(
        passed >= CASES / 8 && refused >= CASES / 8,
        "{path}: {passed} bodies passed the token check, {refused} were refused for it"
    );
}

/// How many generated bodies passed the token check (well-formed, the first token
/// right), and how many were refused for their token.
#[derive(Default)]
struct Tally {
    passed: std::cell::Cell<u32>,
    refused: std::cell::Cell<u32>,
}

/// One part of a generated body.
#[derive(Clone, Debug)]
struct Part {
    name: String,
    /// (file name, content type) of a file part.
    file: Option<(String, String)>,
    body: Vec<u8>,
}

#[derive(Clone, Debug)]
enum Token {
    Right,
    Wrong(String),
}

/// How `Content-Type` names the boundary.
#[derive(Clone, Debug)]
enum Header {
    Plain,
    Quoted,
    Missing,
    Other(String),
}

/// What is done to the body after it is written.
#[derive(Clone, Debug)]
enum Mangle {
    None,
    Truncate(prop::sample::Index),
    Flip(prop::sample::Index, u8),
    NoClosing,
    LfOnly,
    Garbage(Vec<u8>),
}

#[derive(Clone, Debug)]
struct Upload {
    boundary: String,
    header: Header,
    parts: Vec<Part>,
    /// `_csrf` fields, each put before the part at its index (or last).
    tokens: Vec<(prop::sample::Index, Token)>,
    mangle: Mangle,
}

fn part() -> impl Strategy<Value = Part> {
    let small = prop::collection::vec(any::<u8>(), 0..200);
    // Now and then a large part, so that some bodies cross the limit.
    let body = prop_oneof![8 => small, 1 => (1usize..64 * 1024).prop_map(|n| vec![b'a'; n])];
    let file = prop::option::of((
        "[a-z0-9 ._-]{0,20}",
        "(application|text|image)/[a-z+.-]{1,12}",
    ));
    (
        "[a-z_]{1,12}".prop_filter("not the token", |n| n != "_csrf"),
        file,
        body,
    )
        .prop_map(|(name, file, body)| Part { name, file, body })
}

fn upload() -> impl Strategy<Value = Upload> {
    let boundary = prop_oneof![
        // An HTTP token (may stand unquoted), RFC 2046's characters, anything.
        6 => "[A-Za-z0-9'+_.-]{1,70}",
        2 => "[A-Za-z0-9'()+_,./:=?-]{1,70}",
        1 => "[^\r\n\"]{0,80}",
    ];
    let header = prop_oneof![
        4 => Just(Header::Plain),
        2 => Just(Header::Quoted),
        1 => Just(Header::Missing),
        1 => "[A-Za-z0-9-]{1,20}".prop_map(Header::Other),
    ];
    let token = prop_oneof![
        3 => Just(Token::Right),
        1 => "[A-Za-z0-9_-]{0,64}".prop_map(Token::Wrong),
    ];
    let mangle = prop_oneof![
        20 => Just(Mangle::None),
        1 => any::<prop::sample::Index>().prop_map(Mangle::Truncate),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mangle::Flip(i, b)),
        1 => Just(Mangle::NoClosing),
        1 => Just(Mangle::LfOnly),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Mangle::Garbage),
    ];
    (
        boundary,
        header,
        prop::collection::vec(part(), 0..6),
        prop::collection::vec((any::<prop::sample::Index>(), token), 0..4),
        mangle,
    )
        .prop_map(|(boundary, header, parts, tokens, mangle)| Upload {
            boundary,
            header,
            parts,
            tokens,
            mangle,
        })
}

/// A part as written: its name, its file (name, content type) if any, its bytes.
type Written = (String, Option<(String, String)>, Vec<u8>);

impl Upload {
    /// The parts in the order written, the `_csrf` fields put among them, and whether
    /// the first `_csrf` is the visitor's token `right` (`None`: there is none).
    fn parts(&self, right: &str) -> (Vec<Written>, Option<bool>) {
        let (parts, is_right) = self.tokens_among_parts(right);
        (parts, is_right.into_iter().flatten().next())
    }

    /// Whether any `_csrf` field carries the visitor's token.
    fn any_right(&self, right: &str) -> bool {
        self.tokens_among_parts(right)
            .1
            .into_iter()
            .flatten()
            .any(|r| r)
    }

    /// The parts with the `_csrf` fields put among them, and for each whether it is a
    /// token field carrying the visitor's token.
    fn tokens_among_parts(&self, right: &str) -> (Vec<Written>, Vec<Option<bool>>) {
        let mut parts: Vec<Written> = self
            .parts
            .iter()
            .map(|p| (p.name.clone(), p.file.clone(), p.body.clone()))
            .collect();
        let mut is_right: Vec<Option<bool>> = vec![None; parts.len()];
        for (at, token) in &self.tokens {
            let value = match token {
                Token::Right => right.to_owned(),
                Token::Wrong(v) => v.clone(),
            };
            let at = at.index(parts.len() + 1);
            is_right.insert(at, Some(value == right));
            parts.insert(at, ("_csrf".to_owned(), None, value.into_bytes()));
        }
        (parts, is_right)
    }

    /// The body sent, and whether it is a well-formed multipart body that the
    /// `Content-Type` names the boundary of.
    fn body(&self, parts: &[Written]) -> (Vec<u8>, bool) {
        let b = &self.boundary;
        let delimiter = format!("--{b}");
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            body.extend_from_slice(format!("{delimiter}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
            if let Some((file_name, content_type)) = file {
                disposition.push_str(&format!(
                    "; filename=\"{file_name}\"\r\nContent-Type: {content_type}"
                ));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("{delimiter}--\r\n").as_bytes());
        // A boundary of RFC 2046's characters; unquoted, only those of an HTTP token.
        let token_chars = |c: char| c.is_ascii_alphanumeric() || "'+_.-".contains(c);
        let bchars = |c: char| token_chars(c) || "(),/:=?".contains(c);
        let boundary_ok = (1..=70).contains(&b.len())
            && match self.header {
                Header::Plain => b.chars().all(token_chars),
                Header::Quoted => b.chars().all(bchars),
                Header::Missing | Header::Other(_) => false,
            };
        let no_delimiter_inside = parts.iter().all(|(_, _, bytes)| {
            !bytes
                .windows(delimiter.len())
                .any(|w| w == delimiter.as_bytes())
        });
        let mangled = self.mangle(&mut body, &delimiter);
        (body, boundary_ok && no_delimiter_inside && !mangled)
    }

    /// Applies the mangling; whether it changed the body.
    fn mangle(&self, body: &mut Vec<u8>, delimiter: &str) -> bool {
        match &self.mangle {
            Mangle::None => return false,
            Mangle::Truncate(at) => body.truncate(at.index(body.len() + 1)),
            Mangle::Flip(at, byte) => {
                let at = at.index(body.len());
                body[at] ^= byte | 1;
            }
            Mangle::NoClosing => body.truncate(body.len() - delimiter.len() - 4),
            Mangle::LfOnly => {
                *body = String::from_utf8_lossy(body)
                    .replace("\r\n", "\n")
                    .into_bytes();
            }
            Mangle::Garbage(bytes) => {
                let mut garbage = bytes.clone();
                garbage.append(body);
                *body = garbage;
            }
        }
        true
    }

    fn content_type(&self) -> String {
        match &self.header {
            Header::Plain => format!("multipart/form-data; boundary={}", self.boundary),
            Header::Quoted => format!("multipart/form-data; boundary=\"{}\"", self.boundary),
            Header::Missing => "multipart/form-data".to_owned(),
            Header::Other(other) => format!("multipart/form-data; boundary={other}"),
        }
    }
}

/// Sends `u` to `path` and checks the answer against the property.
async fn check(
    app: &TestApp,
    path: &str,
    right: &str,
    u: &Upload,
    tally: &Tally,
) -> Result<(), String> {
    let (parts, first) = u.parts(right);
    let (body, well_formed) = u.body(&parts);
    let size = body.len();
    let Ok(request) = Request::post(path)
        .header(header::CONTENT_TYPE, u.content_type())
        .body(Body::from(body))
    else {
        // A header value no client can send (a control character in the boundary).
        return Ok(());
    };
    let status = app.send(request).await.status;
    // A mangled body may hide its first `_csrf` field (a flipped byte in its name), so
    // that a later one is read first: refused for certain when no field is right, or,
    // intact, when the first is wrong.
    let intact = matches!(u.mangle, Mangle::None);
    let expected = if size > LIMIT {
        Some(StatusCode::PAYLOAD_TOO_LARGE)
    } else if !u.any_right(right) || (intact && first != Some(true)) {
        Some(StatusCode::FORBIDDEN)
    } else {
        None
    };
    if status.is_server_error() {
        return Err(format!("{status} for a body of {size} bytes"));
    }
    if expected == Some(StatusCode::FORBIDDEN) {
        tally.refused.set(tally.refused.get() + 1);
    } else if expected.is_none() && well_formed && status != StatusCode::FORBIDDEN {
        tally.passed.set(tally.passed.get() + 1);
    }
    match expected {
        Some(expected) if status != expected => Err(format!(
            "{status}, expected {expected} (size {size}, first token right: {first:?})"
        )),
        None if well_formed && status == StatusCode::FORBIDDEN => Err(format!(
            "403 for a well-formed body whose first token is right (size {size})"
        )),
        _ => Ok(()),
    }
}

/// Checks `property` on `cases` values of `strategy`; a failing value is shrunk
/// (proptest's value tree, driven here as the check is async) and the smallest one
/// found is reported.
async fn for_all<S>(
    name: &str,
    strategy: S,
    cases: u32,
    property: impl AsyncFn(&S::Value) -> Result<(), String>,
) where
    S: Strategy,
    S::Value: Debug,
{
    // A fixed seed, as for schemathesis and the fuzz corpus: the same bodies on every
    // run and both backends, so a failure can be reproduced and the tally below (how
    // many bodies reached each side of the check) is the same number every time.
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(Config::with_cases(cases), rng);
    for _ in 0..cases {
        let mut tree = strategy.new_tree(&mut runner).unwrap();
        let Err(first) = property(&tree.current()).await else {
            continue;
        };
        let mut smallest = (tree.current(), first);
        for _ in 0..256 {
            if !tree.simplify() {
                break;
            }
            match property(&tree.current()).await {
                Err(e) => smallest = (tree.current(), e),
                Ok(()) => {
                    if !tree.complicate() {
                        break;
                    }
                }
            }
        }
        panic!(
            "{name}: {}\nsmallest input found: {:#?}",
            smallest.1, smallest.0
        );
    }
}
