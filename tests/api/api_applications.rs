//! The JSON API for e-service applications: `POST /api/v1/applications` and
//! `GET /api/v1/cases/{tracking_code}`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::json;

use crate::applications::{PESEL, pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};

async fn post_json(app: &TestApp, body: &serde_json::Value, key: Option<&str>) -> TestResponse {
    let mut request =
        Request::post("/api/v1/applications").header(header::CONTENT_TYPE, "application/json");
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

/// A whole, valid API filing of card SA-2 for the applicant with this PESEL.
pub(crate) fn application(pesel: &str) -> serde_json::Value {
    let mut fields: serde_json::Map<String, serde_json::Value> = residence_certificate()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    fields.insert("pesel".into(), json!(pesel));
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

async fn an_integrator_files_and_follows_a_case(app: TestApp) {
    let cases_before = app.count("SELECT COUNT(*) FROM case_file").await;
    let filed = post_json(&app, &application(PESEL), Some("integrator-retry-0001")).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let body = filed.json();
    let znak = body["znak"].as_str().unwrap();
    assert!(znak.starts_with("SA.5311."), "{znak}");
    let code = body["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(body["document_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(body["repeated"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM application WHERE via = 'api'")
            .await,
        1
    );
    // A retry with the same key: the first filing, 200, nothing new.
    let retry = post_json(&app, &application(PESEL), Some("integrator-retry-0001")).await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.json()["tracking_code"], code.as_str());
    assert_eq!(retry.json()["repeated"], true);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM case_file").await,
        cases_before + 1
    );

    // The status, by the code; lower case and without hyphens works too.
    let status = app.get(&format!("/api/v1/cases/{code}")).await;
    assert_eq!(status.status, StatusCode::OK);
    let status = status.json();
    assert_eq!(status["znak"], znak);
    assert_eq!(status["status"], "registered");
    assert_eq!(status["status_label"], "Zarejestrowana");
    assert!(!status["history"].as_array().unwrap().is_empty());
    assert!(!status.to_string().contains("Wiśniewska"));
    let loose = code.replace('-', "").to_lowercase();
    assert_eq!(
        app.get(&format!("/api/v1/cases/{loose}")).await.status,
        StatusCode::OK
    );
    // The confirmation link it gave works for people.
    let page = app
        .get(body["links"]["confirmation"].as_str().unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
}

async fn bad_api_input_gets_codes_and_messages(app: TestApp) {
    let before = app.count("SELECT COUNT(*) FROM case_file").await;
    // A wrong PESEL: 422 with the field.
    let invalid = post_json(&app, &application("44051401358"), None).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = invalid.json();
    assert_eq!(body["error"]["code"], "invalid-submission");
    assert_eq!(
        body["error"]["fields"]["pesel"],
        "Ten PESEL ma błędną cyfrę kontrolną."
    );
    // In English on request.
    let mut english = application("44051401358");
    english["lang"] = json!("en");
    let english = post_json(&app, &english, None).await.json();
    assert!(
        english["error"]["fields"]["pesel"]
            .as_str()
            .unwrap()
            .contains("check digit"),
        "{english}"
    );
    // A disallowed file, declared as a PDF.
    let mut exe = application(PESEL);
    exe["files"][0]["content_base64"] =
        json!(base64::engine::general_purpose::STANDARD.encode(b"MZ\x90\x00 not a pdf"));
    let refused = post_json(&app, &exe, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["error"]["fields"]["fee_proof"].is_string());
    // Broken base64, unknown card, card without an e-service, bad key, malformed JSON.
    let mut broken = application(PESEL);
    broken["files"][0]["content_base64"] = json!("***");
    let broken = post_json(&app, &broken, None).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.json()["error"]["code"], "bad-base64");
    let mut unknown = application(PESEL);
    unknown["service_card"] = json!("XX-1");
    assert_eq!(
        post_json(&app, &unknown, None).await.status,
        StatusCode::NOT_FOUND
    );
    unknown["service_card"] = json!("SA-1");
    let no_eservice = post_json(&app, &unknown, None).await;
    assert_eq!(no_eservice.status, StatusCode::NOT_FOUND);
    assert_eq!(no_eservice.json()["error"]["code"], "not-found");
    let bad_key = post_json(&app, &application(PESEL), Some("short")).await;
    assert_eq!(bad_key.status, StatusCode::BAD_REQUEST);
    let malformed = app
        .send(
            Request::post("/api/v1/applications")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"service_card\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.json()["error"]["code"].is_string());
    // Unknown tracking code.
    let missing = app.get("/api/v1/cases/AAAA-BBBB-CCCC").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not-found");
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, before);
}

async fn the_openapi_document_lists_the_application_endpoints(app: TestApp) {
    let doc = app.get("/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/applications"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/cases/{tracking_code}"]["get"].is_object());
    assert!(doc["components"]["schemas"]["ApplicationRequest"].is_object());
    let page = app.get("/api/v1/docs").await;
    assert!(page.body.contains("/api/v1/applications"));
}

/// The API takes what the web form takes (`api_max_body_bytes`, by default the web's
/// `max_body_bytes`): a 4 MB PDF that card SA-2 allows, as base64 (5.3 MB of JSON).
async fn the_api_files_what_the_form_files(app: TestApp) {
    // Padded before its end-of-file marker, which a PDF keeps in its last KiB.
    let mut big = pdf();
    let end = big.split_off(big.len() - b"%%EOF\n".len());
    big.resize(4_000_000 - end.len(), b' ');
    big.extend_from_slice(&end);
    let mut request = application(PESEL);
    request["files"][0]["content_base64"] =
        json!(base64::engine::general_purpose::STANDARD.encode(&big));
    let filed = post_json(&app, &request, None).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attachment WHERE size_bytes = 4000000")
            .await,
        1
    );
}

/// Too large, the wrong type and malformed JSON answer in the API's error format;
/// only values that break rules are 422, in the validation shape.
async fn api_errors_have_one_format(app: TestApp) {
    let error_of = |r: &TestResponse| {
        assert_eq!(
            r.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "{}",
            r.body
        );
        let body = r.json();
        let message = body["error"]["message"].as_str().unwrap().to_owned();
        // A translated message, never a bare message id.
        assert!(
            !message.starts_with("error-") && !message.is_empty(),
            "{message}"
        );
        body["error"]["code"].as_str().unwrap().to_owned()
    };
    let raw = |content_type: &'static str, body: Vec<u8>| {
        Request::post("/api/v1/applications")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let before = app.count("SELECT COUNT(*) FROM case_file").await;
    // Over the limit (12 MiB by default).
    let huge = app
        .send(raw("application/json", vec![b' '; 13 * 1024 * 1024]))
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_of(&huge), "payload-too-large");
    // Not JSON by its type.
    let form = app
        .send(raw("application/x-www-form-urlencoded", b"a=b".to_vec()))
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_of(&form), "unsupported-media-type");
    // Not JSON, and JSON not of the documented shape: 400, not 422.
    let broken = app
        .send(raw("application/json", b"{\"service_card\": ".to_vec()))
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&broken), "invalid-json");
    let shape = app
        .send(raw(
            "application/json",
            br#"{"service_card": 5, "fields": {}}"#.to_vec(),
        ))
        .await;
    assert_eq!(shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&shape), "invalid-json");
    // The key of a message that lives in a capability's file is found too.
    let bad_key = post_json(&app, &application(PESEL), Some("short")).await;
    assert_eq!(error_of(&bad_key), "idempotency-key");
    // A method the path does not take: 405, `Allow` kept, in the same format.
    let get = app.get("/api/v1/applications").await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get.headers.get(header::ALLOW).unwrap(), "POST");
    assert_eq!(error_of(&get), "method-not-allowed");
    // `per_page` over the documented maximum: 422 naming the parameter.
    for query in ["per_page=101", "per_page=0", "page=0", "page=100001"] {
        let r = app.get(&format!("/api/v1/service-cards?{query}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(error_of(&r), "invalid-parameters");
        let name = query.split('=').next().unwrap();
        assert!(r.json()["error"]["fields"][name].is_string(), "{}", r.body);
    }
    // A card code with a NUL character (found by schemathesis: PostgreSQL refused it
    // with a 500) is refused at the input boundary, by field (decision 0022); in a path
    // it names no card.
    let mut nul = application(PESEL);
    nul["service_card"] = json!("SA-2\u{0}");
    let nul = post_json(&app, &nul, None).await;
    assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nul.body);
    assert_eq!(error_of(&nul), "control-characters");
    assert!(nul.json()["error"]["fields"]["service_card"].is_string());
    assert_eq!(
        app.get("/api/v1/service-cards/SA-2%00").await.status,
        StatusCode::NOT_FOUND
    );
    let search = app.get("/api/v1/service-cards?q=zameld%00owanie").await;
    assert_eq!(search.status, StatusCode::BAD_REQUEST, "{}", search.body);
    assert_eq!(error_of(&search), "control-characters");
    let most = app.get("/api/v1/service-cards?per_page=100").await;
    assert_eq!(most.status, StatusCode::OK);
    let words = app.get("/api/v1/service-cards?per_page=ten").await;
    assert_eq!(words.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&words), "bad-request");
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, before);
}

/// The document lists every status each operation answers, and the maximum of
/// `per_page` that the code enforces.
async fn the_document_lists_every_status(app: TestApp) {
    let doc = app.get("/api/v1/openapi.json").await.json();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        let mut s: Vec<String> = doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        s.sort();
        s
    };
    assert_eq!(
        statuses("/api/v1/applications", "post"),
        [
            "200", "201", "400", "404", "409", "413", "415", "422", "429"
        ]
    );
    assert_eq!(
        statuses("/api/v1/service-cards", "get"),
        ["200", "400", "422"]
    );
    let per_page = doc["paths"]["/api/v1/service-cards"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "per_page")
        .unwrap()
        .clone();
    assert_eq!(per_page["schema"]["maximum"], 100);
    let validation = &doc["components"]["schemas"]["ValidationError"]["required"];
    assert!(validation.as_array().unwrap().contains(&json!("fields")));
}

backend_tests!(
    an_integrator_files_and_follows_a_case,
    bad_api_input_gets_codes_and_messages,
    the_openapi_document_lists_the_application_endpoints,
    the_api_files_what_the_form_files,
    api_errors_have_one_format,
    the_document_lists_every_status,
);
