//! What an attacker tried (issue 16), each reproduced: an Idempotency-Key or a form's
//! submission key reused to read another applicant's filing, open redirects, NUL bytes
//! and control characters, e-mail addresses with line breaks, LIKE wildcards, a delay
//! notice without bounds, correspondence for a case that does not exist, a web page
//! passed off as a PDF, and an unbounded X-Request-Id.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::json;

use crate::applications::{PESEL, pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};

/// An API call from a client at `address`.
async fn api_from(
    app: &TestApp,
    address: &str,
    body: &serde_json::Value,
    key: &str,
) -> TestResponse {
    let mut request = Request::post("/api/v1/applications")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .unwrap();
    let address: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    app.send(request).await
}

fn application(first_name: &str) -> serde_json::Value {
    let mut fields: serde_json::Map<String, serde_json::Value> = residence_certificate()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    fields.insert("first_name".into(), json!(first_name));
    fields.insert("pesel".into(), json!(PESEL));
    json!({
        "service_card": "SA-2",
        "fields": fields,
        "files": [{
            "field": "fee_proof",
            "file_name": "oplata.pdf",
            "content_type": "application/pdf",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(pdf()),
        }],
    })
}

/// Finding 1: a guessed Idempotency-Key must not return the victim's filing.
async fn an_idempotency_key_is_bound_to_its_client_and_request(app: TestApp) {
    const KEY: &str = "integrator-000001";
    let victim = api_from(&app, "192.0.2.10", &application("Anna"), KEY).await;
    assert_eq!(victim.status, StatusCode::CREATED, "{}", victim.body);
    let code = victim.json()["tracking_code"].as_str().unwrap().to_owned();

    // The integrator's own retry: the first answer again, nothing new.
    let retry = api_from(&app, "192.0.2.10", &application("Anna"), KEY).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.body);
    assert_eq!(retry.json()["tracking_code"], code.as_str());
    assert_eq!(retry.json()["repeated"], true);

    // The same key with another body from the same address (say, behind the same
    // proxy): 422 in the validation format, and not a word of the first filing.
    let other = api_from(&app, "192.0.2.10", &application("Mallory"), KEY).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other.body
    );
    let body = other.json();
    assert_eq!(body["error"]["code"], "idempotency-key-reused");
    assert!(
        body["error"]["fields"]["Idempotency-Key"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key"),
        "{body}"
    );
    assert!(!other.body.contains(&code), "{}", other.body);

    // The same key from another client is that client's own key: its own filing.
    let stranger = api_from(&app, "198.51.100.7", &application("Mallory"), KEY).await;
    assert_eq!(stranger.status, StatusCode::CREATED, "{}", stranger.body);
    assert_ne!(stranger.json()["tracking_code"], code.as_str());
    assert!(!stranger.body.contains(&code));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM application WHERE via = 'api'")
            .await,
        2
    );
}

/// Finding 1, the web form: another browser reusing a form's submission key files its
/// own application; the same browser sending other answers under it is told so.
async fn a_forms_submission_key_is_bound_to_its_browser_and_answers(app: TestApp) {
    let scan = pdf();
    let files = [(
        "fee_proof",
        "oplata.pdf",
        "application/pdf",
        scan.as_slice(),
    )];
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-shared-00000000001"));
    let first = app
        .post_multipart("/services/SA-2/apply", &fields, &files)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let victim = first.location().to_owned();

    // The same browser, back button, other answers: not filed, nothing shown.
    let mut changed = fields.clone();
    changed[0] = ("first_name", "Anne");
    let again = app
        .post_multipart("/services/SA-2/apply", &changed, &files)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("został już wysłany"), "{}", again.body);
    assert!(
        !again
            .body
            .contains(victim.trim_start_matches("/applications/"))
    );

    // Another browser with the key: its own filing.
    app.clear_cookies();
    let mut mallory = fields.clone();
    mallory[0] = ("first_name", "Mallory");
    let other = app
        .post_multipart("/services/SA-2/apply", &mallory, &files)
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    assert_ne!(other.location(), victim);
}

backend_tests!(
    an_idempotency_key_is_bound_to_its_client_and_request,
    a_forms_submission_key_is_bound_to_its_browser_and_answers,
);
