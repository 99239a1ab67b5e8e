//! What every request gets: health and metrics, error pages in both languages, security
//! headers, body limits, bad input, static files and the language switch.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    health_and_metrics,
    error_pages_in_both_languages,
    security_headers_on_every_response,
    oversized_and_malformed_bodies_get_clear_answers,
    multipart_forms_are_csrf_checked,
    language_switch_stays_on_site,
    public_home_shows_office_and_opening_hours,
);

async fn health_and_metrics(app: TestApp) {
    assert_eq!(app.get("/health/live").await.body, "ok");
    assert_eq!(app.get("/health/ready").await.status, StatusCode::OK);
    app.get("/").await;
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.body.contains("http_requests_total"),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("route=\"/\""));
    // Readiness follows the database.
    app.db.close().await;
    assert_eq!(
        app.get("/health/ready").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

async fn error_pages_in_both_languages(app: TestApp) {
    let pl = app.get("/no-such-page").await;
    assert_eq!(pl.status, StatusCode::NOT_FOUND);
    assert!(pl.body.contains("<html lang=\"pl\">"));
    assert!(pl.body.contains("Nie znaleziono strony"));
    app.get("/lang/en?next=/").await;
    let en = app.get("/no-such-page").await;
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Page not found"));
    let method = app.post_form("/", &[]).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(method.body.contains("Method not allowed"));
    // 403 in English for a signed-in user without the permission.
    app.login("urzednik").await;
    let forbidden = app.get("/staff/users").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.body.contains("Access denied"));
    // API paths answer in JSON with a machine-readable code.
    let api = app.get("/api/v1/nothing-here").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not-found");
    assert_eq!(
        api.json()["error"]["message"]
            .as_str()
            .map(|s| s.is_empty()),
        Some(false)
    );
}

async fn security_headers_on_every_response(app: TestApp) {
    for path in ["/", "/login", "/no-such-page", "/static/app.css"] {
        let response = app.get(path).await;
        let csp = response
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            response
                .headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .unwrap(),
            "nosniff"
        );
        assert!(response.headers.contains_key(header::REFERRER_POLICY));
        assert!(response.headers.contains_key("x-request-id"));
    }
    // Session cookies are HttpOnly and SameSite; no Secure without TLS (it would never
    // come back over plain HTTP).
    let page = app.get("/login").await;
    let token = page.csrf_field().unwrap();
    let login = app
        .post_raw(
            "/login",
            &[
                ("_csrf", &token),
                ("login", "admin"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    let cookie = login
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

backend_tests!(secure_cookies_and_hsts_behind_tls);

async fn secure_cookies_and_hsts_behind_tls(app: TestApp) {
    let tls = TestApp::spawn_with(app.backend, |c| {
        c.public_url = Some("https://urzad.example.pl".into())
    })
    .await
    .unwrap();
    let page = tls.get("/login").await;
    assert!(page.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    let cookie = page
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cookie.contains("Secure"), "{cookie}");
}

async fn oversized_and_malformed_bodies_get_clear_answers(app: TestApp) {
    let big = "x".repeat(13 * 1024 * 1024);
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("login={big}")))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        response.body.contains("Za duże dane"),
        "{}",
        &response.body[..response.body.len().min(500)]
    );

    // A form without its fields, junk that is no form, and JSON where a form belongs:
    // each carries a valid token (the header a script would send), so the handler's
    // own extractor answers, not the CSRF check.
    let token = app.csrf_token().await;
    let missing = app.post_raw("/login", &[("_csrf", &token)]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("<html lang=\"pl\">"));
    let junk = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-csrf-token", &token)
        // Not UTF-8 (a NUL would be refused earlier, at the input boundary: 400).
        .body(Body::from(vec![0xff, 0xfe, b'=', b'1']))
        .unwrap();
    let junk = app.send(junk).await;
    assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(junk.body.contains("<html lang=\"pl\">"));
    let json = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-csrf-token", &token)
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        app.send(json).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    // Without the token, the same junk never reaches the handler.
    let forged = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(vec![0xff, 0xfe, b'=', 0x00]))
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::FORBIDDEN);
    // Nothing was written by any of it.
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 0);
}

/// File uploads carry the `_csrf` field like any form; the middleware checks it.
async fn multipart_forms_are_csrf_checked(app: TestApp) {
    app.login("admin").await;
    let file = ("file", "a.txt", "text/plain", b"hello".as_slice());
    let forged = app
        .post_multipart_raw("/logout", &[("_csrf", "forged")], &[file])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let missing = app.post_multipart_raw("/logout", &[], &[file]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/staff").await.status, StatusCode::OK);
    // With the token (first, as forms send it) the post goes through: signed out.
    let ok = app.post_multipart("/logout", &[], &[file]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_ne!(app.get("/staff").await.status, StatusCode::OK);
}

async fn language_switch_stays_on_site(app: TestApp) {
    let switch = app.get("/lang/en?next=/login").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.location(), "/login");
    assert_eq!(app.cookie("magistrat_lang").as_deref(), Some("en"));
    assert!(app.get("/login").await.body.contains("Staff sign-in"));
    assert_eq!(
        app.get("/lang/pl?next=//evil.example").await.location(),
        "/"
    );
    assert_eq!(app.get("/lang/de").await.status, StatusCode::NOT_FOUND);
}

async fn public_home_shows_office_and_opening_hours(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for text in [
        "Urząd Miejski w Borowcu",
        "Punkt Obsługi Mieszkańców w Galerii Borowiec",
        "10:00–14:00",
        "08:00–17:00",
        "NIP 7750012347",
    ] {
        assert!(home.body.contains(text), "missing {text}");
    }
    let css = app.get("/static/app.css").await;
    assert_eq!(
        css.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        app.get("/static/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}
