//! The public JSON API: paging, search, one card, JSON errors, the OpenAPI document and
//! its reference page.

use axum::http::{StatusCode, header};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    list_pages_and_filters,
    one_card_in_full_and_json_404,
    openapi_document_and_reference_page,
);

async fn list_pages_and_filters(app: TestApp) {
    let published = app
        .count("SELECT COUNT(*) FROM service_card WHERE published = TRUE")
        .await;
    assert!(published >= 20);
    let first = app.get("/api/v1/service-cards?per_page=5").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let json = first.json();
    assert_eq!(json["total"], published);
    assert_eq!(json["page"], 1);
    assert_eq!(json["items"].as_array().unwrap().len(), 5);
    let last_page = (published + 4) / 5;
    let last = app
        .get(&format!(
            "/api/v1/service-cards?per_page=5&page={last_page}"
        ))
        .await
        .json();
    let expected = published - (last_page - 1) * 5;
    assert_eq!(last["items"].as_array().unwrap().len() as i64, expected);
    let beyond = app
        .get("/api/v1/service-cards?per_page=5&page=999")
        .await
        .json();
    assert!(beyond["items"].as_array().unwrap().is_empty());
    // Search ignores diacritics; the unit filter takes a symbol.
    let found = app
        .get("/api/v1/service-cards?q=zaswiadczenie")
        .await
        .json();
    let codes: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"SA-2") && codes.contains(&"FN-I-1"),
        "{codes:?}"
    );
    let usc = app.get("/api/v1/service-cards?unit=USC").await.json();
    assert!(
        usc["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["unit"]["symbol"] == "USC")
    );
    assert_eq!(usc["total"], 3);
    assert_eq!(
        app.get("/api/v1/service-cards?unit=NOPE").await.json()["total"],
        0
    );
    // A bad parameter is a JSON 400.
    let bad = app.get("/api/v1/service-cards?page=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "bad-request");
}

async fn one_card_in_full_and_json_404(app: TestApp) {
    let card = app.get("/api/v1/service-cards/SA-2").await;
    assert_eq!(card.status, StatusCode::OK);
    let json = card.json();
    assert_eq!(json["code"], "SA-2");
    assert_eq!(json["unit"]["symbol"], "SA");
    assert_eq!(json["fees"][0]["amount_grosze"], 1700);
    assert_eq!(
        json["fees"][0]["account_iban"],
        "PL10102040270000190212345678"
    );
    assert_eq!(json["deadline"]["case_kind"], "certificate");
    assert_eq!(json["deadline"]["statutory_term"], "7d");
    assert_eq!(json["channels"]["eservice"], true);
    let fields = json["form"]["fields"].as_array().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f["name"] == "pesel" && f["type"] == "pesel" && f["required"] == true)
    );
    assert!(
        fields
            .iter()
            .any(|f| f["type"] == "select" && !f["options"].as_array().unwrap().is_empty())
    );
    let no_form = app.get("/api/v1/service-cards/SA-1").await.json();
    assert!(no_form["form"].is_null());
    for missing in ["/api/v1/service-cards/XX-1", "/api/v1/service-cards/FN-I-3"] {
        let response = app.get(missing).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(response.json()["error"]["code"], "not-found", "{missing}");
        assert!(response.json()["error"]["message"].is_string());
    }
}

async fn openapi_document_and_reference_page(app: TestApp) {
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&doc.body).expect("valid JSON");
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1."));
    assert!(json["paths"]["/api/v1/service-cards"]["get"].is_object());
    assert!(json["paths"]["/api/v1/service-cards/{code}"]["get"].is_object());
    assert!(json["components"]["schemas"]["CardDetail"].is_object());
    let page = app.get("/api/v1/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "GET /api/v1/service-cards/{code}",
        "per_page",
        "CardDetail",
        "ErrorBody",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    // No cookies or tokens needed, and no CSRF: the API is outside the form layer.
    app.clear_cookies();
    assert_eq!(
        app.get("/api/v1/service-cards").await.status,
        StatusCode::OK
    );
}
