//! The residents' app API (`/api/v1/resident/…`, src/api/resident.rs): signing in by
//! the e-mailed link (a real SMTP conversation, tests/api/smtp_sink.rs), the bearer
//! token, the resident's own cases and problem reports — and everything that must not
//! work: another resident's ids, no token, a revoked or expired one, floods.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};
use crate::smtp_sink::SmtpSink;

backend_tests!(
    an_app_signs_in_by_the_mailed_link_and_sees_only_its_residents_cases,
    reports_are_filed_followed_and_seen_only_by_their_resident,
    bad_reports_and_bad_requests_get_the_apis_errors,
    signing_out_revokes_the_token_and_tokens_expire,
    links_codes_and_tokens_are_rationed,
);

async fn spawn(app: &TestApp, sink: &SmtpSink) -> TestApp {
    let url = sink.url.clone();
    TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.public_url = Some("https://urzad.borowiec.example.pl".to_owned());
    })
    .await
    .unwrap()
}

async fn post_json(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> TestResponse {
    let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn get_as(app: &TestApp, path: &str, token: &str, etag: Option<&str>) -> TestResponse {
    let mut request = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// Files a public-information request (card OR-1) as `email`; returns its znak.
async fn file_as(app: &TestApp, email: &str, name: &str) -> String {
    let body = json!({
        "service_card": "OR-1",
        "fields": {
            "name": name,
            "email": email,
            "request": "Proszę o informację o wydatkach na drogi gminne w 2025 r.",
            "delivery": "email",
        },
    });
    let response = post_json(app, "/api/v1/applications", None, &body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["znak"].as_str().unwrap().to_owned()
}

/// The link of the newest sign-in letter to `email`.
fn last_link(sink: &SmtpSink, email: &str) -> String {
    let letter = sink
        .messages()
        .into_iter()
        .rfind(|m| m.body().contains("/my-cases/link/") && m.to == vec![format!("<{email}>")])
        .expect("a sign-in letter");
    let body = letter.body();
    let start = body
        .find("https://urzad.borowiec.example.pl/my-cases/link/")
        .expect("the letter carries the link");
    body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect()
}

/// Signs `email` in as an app: asks for the link, exchanges it; returns the token.
async fn sign_in(app: &TestApp, sink: &SmtpSink, email: &str) -> String {
    let asked = post_json(
        app,
        "/api/v1/resident/sign-in",
        None,
        &json!({ "email": email }),
    )
    .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.body);
    let link = last_link(sink, email);
    let issued = post_json(
        app,
        "/api/v1/resident/token",
        None,
        &json!({ "code": link }),
    )
    .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let v = issued.json();
    assert_eq!(v["token_type"], "Bearer");
    v["access_token"].as_str().unwrap().to_owned()
}

fn etag(response: &TestResponse) -> String {
    response.headers[header::ETAG].to_str().unwrap().to_owned()
}

async fn an_app_signs_in_by_the_mailed_link_and_sees_only_its_residents_cases(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let mine = file_as(&app, "Ewa.Nowak@Example.PL", "Ewa Nowak").await;
    let also_mine = file_as(&app, "ewa.nowak@example.pl", "Ewa Nowak").await;
    let theirs = file_as(&app, "jan.kowalski@example.pl", "Jan Kowalski").await;

    // The same letter as /my-cases; the code is the link's token (the whole link also
    // works, see sign_in), once.
    let asked = post_json(
        &app,
        "/api/v1/resident/sign-in",
        None,
        &json!({ "email": " EWA.NOWAK@example.pl " }),
    )
    .await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", asked.body);
    assert_eq!(asked.json()["expires_in_minutes"], 20);
    let link = last_link(&sink, "ewa.nowak@example.pl");
    let code = link.rsplit('/').next().unwrap().to_owned();
    let issued = post_json(
        &app,
        "/api/v1/resident/token",
        None,
        &json!({ "code": code }),
    )
    .await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    assert_eq!(issued.headers[header::CACHE_CONTROL], "no-store");
    let token = issued.json()["access_token"].as_str().unwrap().to_owned();
    // Only the token's hash is stored.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM resident_app_token WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM resident_app_token").await,
        1
    );
    let again = post_json(
        &app,
        "/api/v1/resident/token",
        None,
        &json!({ "code": code }),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["error"]["code"], "invalid-code");
    assert!(again.json()["error"]["fields"]["code"].is_string());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'resident.app_sign_in' \
             AND actor_login = 'resident:ewa.nowak@example.pl'"
        )
        .await,
        1
    );

    // The list: her two cases, newest first; Jan's not.
    let list = get_as(&app, "/api/v1/resident/cases", &token, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let v = list.json();
    assert_eq!(v["total"], 2);
    let znaki: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["znak"].as_str().unwrap())
        .collect();
    assert_eq!(znaki, vec![also_mine.as_str(), mine.as_str()]);
    assert!(!list.body.contains(&theirs));
    // A read with its ETag: the same answer again is a 304 without a body.
    let tag = etag(&list);
    let same = get_as(&app, "/api/v1/resident/cases", &token, Some(&tag)).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert!(same.body.is_empty());
    assert_eq!(etag(&same), tag);
    // Pagination like the other lists.
    let page = get_as(
        &app,
        "/api/v1/resident/cases?page=2&per_page=1",
        &token,
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["items"][0]["znak"], mine.as_str());
    assert_eq!(page.json()["total"], 2);
    let wrong = get_as(&app, "/api/v1/resident/cases?per_page=101", &token, None).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.json()["error"]["fields"]["per_page"].is_string());

    // One case by tracking code (any spelling), with its history.
    let code_of = |znak: &str| format!("SELECT tracking_code FROM case_file WHERE znak = '{znak}'");
    let my_code = app.scalar_text(&code_of(&mine)).await;
    let one = get_as(
        &app,
        &format!("/api/v1/resident/cases/{}", my_code.to_lowercase()),
        &token,
        None,
    )
    .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.json()["znak"], mine.as_str());
    assert_eq!(one.json()["history"][0]["status"], "registered");
    // Jan's case, whose code opens its public status page, is not hers here.
    let their_code = app.scalar_text(&code_of(&theirs)).await;
    let refused = get_as(
        &app,
        &format!("/api/v1/resident/cases/{their_code}"),
        &token,
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.json()["error"]["code"], "not-found");
    let public = app.get(&format!("/api/v1/cases/{their_code}")).await;
    assert_eq!(public.status, StatusCode::OK);

    // Without a token, or with a wrong one: 401 with the challenge.
    let anonymous = app.get("/api/v1/resident/cases").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json()["error"]["code"], "invalid-token");
    assert!(
        anonymous.headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let forged = get_as(&app, "/api/v1/resident/cases", &"0".repeat(64), None).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let garbage = get_as(&app, "/api/v1/resident/cases", "not a token", None).await;
    assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
    // The /my-cases cookie is not a bearer token and the other way round.
    let cookie = app
        .send(
            Request::get("/api/v1/resident/cases")
                .header(header::COOKIE, format!("magistrat_resident={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(cookie.status, StatusCode::UNAUTHORIZED);
}

fn pothole(description: &str) -> Value {
    json!({
        "service_code": "DZIURA",
        "lat": 52.1401,
        "long": 21.2202,
        "address_string": "ul. Lipowa 3",
        "description": description,
        "attributes": { "ROZMIAR": "duza", "GLEBOKOSC": "12" },
    })
}

async fn reports_are_filed_followed_and_seen_only_by_their_resident(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let ewa = sign_in(&app, &sink, "ewa.nowak@example.pl").await;
    let jan = sign_in(&app, &sink, "jan.kowalski@example.pl").await;

    let filed = post_json(
        &app,
        "/api/v1/resident/reports",
        Some(&ewa),
        &pothole("Głęboka dziura przy przejściu"),
    )
    .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let mine = filed.json();
    let id = mine["id"].as_i64().unwrap();
    assert_eq!(
        filed.headers[header::LOCATION],
        format!("/api/v1/resident/reports/{id}").as_str()
    );
    assert_eq!(mine["status"], "open");
    assert_eq!(mine["attributes"]["ROZMIAR"], "duza");
    assert_eq!(mine["history"].as_array().unwrap().len(), 1);
    // Filed as the resident, in the audit trail; the office has her address.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'problem_report.create' \
             AND entity_type = 'problem_report' AND entity_id = '{id}' \
             AND actor_login = 'resident:ewa.nowak@example.pl'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT email FROM problem_report WHERE id = {id}"))
            .await,
        "ewa.nowak@example.pl"
    );
    // Open311 shows it like any other report.
    let open311 = app.get(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(open311.status, StatusCode::OK);

    let theirs = post_json(
        &app,
        "/api/v1/resident/reports",
        Some(&jan),
        &json!({
            "service_code": "SMIECI",
            "address_string": "ul. Leśna, przy zagajniku",
            "description": "Worki ze śmieciami",
        }),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.body);
    let their_id = theirs.json()["id"].as_i64().unwrap();

    // Her list: only hers (the demo's hundreds of reports are nobody's here).
    let list = get_as(&app, "/api/v1/resident/reports", &ewa, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["total"], 1);
    assert_eq!(list.json()["items"][0]["id"], id);
    let tag = etag(&list);
    // Jan's report by id, and a demo report nobody filed through the app: 404.
    for other in [their_id, 1] {
        let refused = get_as(
            &app,
            &format!("/api/v1/resident/reports/{other}"),
            &ewa,
            None,
        )
        .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "report {other}");
    }
    let one = get_as(&app, &format!("/api/v1/resident/reports/{id}"), &ewa, None).await;
    assert_eq!(one.status, StatusCode::OK);
    let one_tag = etag(&one);
    assert_eq!(
        get_as(
            &app,
            &format!("/api/v1/resident/reports/{id}"),
            &ewa,
            Some(&one_tag)
        )
        .await
        .status,
        StatusCode::NOT_MODIFIED
    );

    // The office closes it with a public note: the ETags no longer match, and she
    // follows the history.
    app.login("urzednik").await;
    let closed = app
        .post_form(
            &format!("/staff/reports/{id}/close"),
            &[("note", "Ubytek załatany.")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    app.clear_cookies();
    let followed = get_as(
        &app,
        &format!("/api/v1/resident/reports/{id}"),
        &ewa,
        Some(&one_tag),
    )
    .await;
    assert_eq!(followed.status, StatusCode::OK, "{}", followed.body);
    let v = followed.json();
    assert_eq!(v["status"], "closed");
    assert_eq!(v["status_notes"], "Ubytek załatany.");
    let history = v["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["status"], "closed");
    assert_eq!(history.last().unwrap()["note"], "Ubytek załatany.");
    let relisted = get_as(&app, "/api/v1/resident/reports", &ewa, Some(&tag)).await;
    assert_eq!(relisted.status, StatusCode::OK);
    assert_ne!(etag(&relisted), tag);
}

async fn bad_reports_and_bad_requests_get_the_apis_errors(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let ewa = sign_in(&app, &sink, "ewa.nowak@example.pl").await;
    let before = app.count("SELECT COUNT(*) FROM problem_report").await;
    let file = |body: Value| {
        let app = &app;
        let ewa = ewa.clone();
        async move { post_json(app, "/api/v1/resident/reports", Some(&ewa), &body).await }
    };

    // Nowhere, an unknown size, an over-long description.
    let r = file(json!({
        "service_code": "DZIURA",
        "description": "x".repeat(4001),
        "attributes": { "ROZMIAR": "ogromna" },
    }))
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error"]["code"], "invalid-report");
    let fields = v["error"]["fields"].as_object().unwrap();
    for field in ["address_string", "description", "attributes.ROZMIAR"] {
        assert!(fields.contains_key(field), "{field}: {fields:?}");
    }
    // Outside the office's area; an unknown category.
    let mut far = pothole("Dziura");
    far["lat"] = json!(50.0);
    let r = file(far).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["lat"].is_string(), "{}", r.body);
    let r = file(json!({"service_code": "NIEMA", "address_string": "Rynek 1", "description": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["service_code"].is_string());
    // Not of the documented shape: 400; a control character: 422 by field.
    let r = file(json!({"service_code": "DZIURA", "description": 5})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "invalid-json");
    let r = file(json!({"service_code": "DZIURA", "description": "a", "extra": 1})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r =
        file(json!({"service_code": "DZIURA", "address_string": "a\u{0}b", "description": "a"}))
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "control-characters");
    // A bad address, in the language asked for.
    let english = post_json(
        &app,
        "/api/v1/resident/sign-in",
        None,
        &json!({"email": "nobody", "lang": "en"}),
    )
    .await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &english.json()["error"];
    assert_eq!(error["code"], "invalid-email");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("The e-mail address"),
        "{error}"
    );
    assert!(error["fields"]["email"].is_string());
    // Nothing half-written.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM problem_report").await,
        before
    );
    let r = get_as(&app, "/api/v1/resident/reports/abc", &ewa, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad-request");
    let r = get_as(&app, "/api/v1/resident/reports?page=0", &ewa, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn signing_out_revokes_the_token_and_tokens_expire(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let token = sign_in(&app, &sink, "ewa.nowak@example.pl").await;
    let other = sign_in(&app, &sink, "ewa.nowak@example.pl").await;
    assert_eq!(
        get_as(&app, "/api/v1/resident/cases", &token, None)
            .await
            .status,
        StatusCode::OK
    );
    let out = post_json(&app, "/api/v1/resident/sign-out", Some(&token), &json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'resident.app_sign_out' \
             AND actor_login = 'resident:ewa.nowak@example.pl'"
        )
        .await,
        1
    );
    // Refused at once; signing out again is refused too. The other app's token
    // (her phone and her tablet) still works.
    assert_eq!(
        get_as(&app, "/api/v1/resident/cases", &token, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let again = post_json(&app, "/api/v1/resident/sign-out", Some(&token), &json!({})).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get_as(&app, "/api/v1/resident/cases", &other, None)
            .await
            .status,
        StatusCode::OK
    );
    // Thirty days on, the other token has expired (and its row is gone).
    app.clock()
        .advance(jiff::SignedDuration::from_hours(24 * 30 + 1));
    assert_eq!(
        get_as(&app, "/api/v1/resident/cases", &other, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM resident_app_token").await,
        0
    );
}

async fn links_codes_and_tokens_are_rationed(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    // Links: the /my-cases throttle, shared with the web form (three free per
    // recipient and client, then a wait).
    for _ in 0..2 {
        let r = post_json(
            &app,
            "/api/v1/resident/sign-in",
            None,
            &json!({"email": "ewa.nowak@example.pl"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    let web = app
        .post_form("/my-cases/link", &[("email", "ewa.nowak@example.pl")])
        .await;
    assert_eq!(web.status, StatusCode::OK);
    let slowed = post_json(
        &app,
        "/api/v1/resident/sign-in",
        None,
        &json!({"email": "ewa.nowak@example.pl"}),
    )
    .await;
    assert_eq!(
        slowed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        slowed.body
    );
    assert_eq!(slowed.json()["error"]["code"], "too-many-requests");
    let wait: i64 = slowed.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    app.clock().advance(jiff::SignedDuration::from_secs(wait));
    let token = sign_in(&app, &sink, "ewa.nowak@example.pl").await;

    // Codes: ten failures free, then the client waits.
    let wrong = json!({"code": "ab".repeat(32)});
    for _ in 0..10 {
        let r = post_json(&app, "/api/v1/resident/token", None, &wrong).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = post_json(&app, "/api/v1/resident/token", None, &wrong).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));

    // Requests: 120 a minute per token, then 429 until the minute ends.
    let mut used = 0;
    loop {
        let r = get_as(&app, "/api/v1/resident/reports", &token, None).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            let seconds: i64 = r.headers[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&seconds));
            app.clock()
                .advance(jiff::SignedDuration::from_secs(seconds));
            break;
        }
        assert_eq!(r.status, StatusCode::OK);
        used += 1;
        assert!(used <= 240, "no limit");
    }
    // At most 120 a minute (the minute may have turned once while counting).
    assert!(used >= 1);
    assert_eq!(
        get_as(&app, "/api/v1/resident/reports", &token, None)
            .await
            .status,
        StatusCode::OK
    );
}
