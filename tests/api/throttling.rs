//! Throttling without lockout (docs/decisions/0023-throttling-without-lockout.md),
//! through the real router with real client addresses (`ConnectInfo`, as `serve` gives
//! it): a password guesser slows himself, not the account's owner; behind a trusted
//! proxy each client has its own throttle and an untrusted peer's forwarding headers are
//! ignored; anonymous filings are rationed (API per minute, web form per day); refused
//! floods show on /metrics and in the audit trail; /metrics is the office's only.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::SignedDuration;
use magistrat::web::refusals;
use serde_json::json;

use crate::applications::{pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, TestResponse};

backend_tests!(
    the_owner_signs_in_from_elsewhere_while_an_attacker_hammers,
    an_untrusted_peers_forwarded_for_is_ignored,
    api_filings_are_rationed_per_client_address,
    metrics_are_for_the_office_only,
);
backend_tests!(spawn = super::behind_a_proxy; behind_a_trusted_proxy_each_client_has_its_own_throttle);
backend_tests!(spawn = super::small_web_quota; the_web_form_has_a_daily_quota_per_address);

const ATTACKER: &str = "203.0.113.66";
const OWNER: &str = "192.0.2.10";
const WRONG: &str = "wrong-password-123";

fn retry_after(response: &TestResponse) -> i64 {
    response
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After on {}: {}", response.status, response.body))
}

/// A login from the current peer, with `forwarded_for` as `X-Forwarded-For` if given.
async fn login_via(
    app: &TestApp,
    login: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> TestResponse {
    let token = app.csrf_token().await;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", token.as_str()),
            ("login", login),
            ("password", password),
        ])
        .finish();
    let mut request =
        Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(xff) = forwarded_for {
        request = request.header("x-forwarded-for", xff);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// Makes `failures` wrong-password attempts count, waiting out (on the office's clock)
/// each delay the throttle imposes on the way, as a patient attacker would.
async fn hammer(app: &TestApp, login: &str, failures: usize, forwarded_for: Option<&str>) {
    for _ in 0..failures {
        loop {
            let response = login_via(app, login, WRONG, forwarded_for).await;
            if response.status == StatusCode::TOO_MANY_REQUESTS {
                app.clock()
                    .advance(SignedDuration::from_secs(retry_after(&response)));
                continue;
            }
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                response.body
            );
            break;
        }
    }
}

async fn the_owner_signs_in_from_elsewhere_while_an_attacker_hammers(app: TestApp) {
    app.set_peer(ATTACKER);
    // Five free failures, then 1, 2, 4, 8, 16, 32, 64 s: twelve failures in all.
    hammer(&app, "jakosc", 12, None).await;
    // The attacker's next try, even with the right password, must wait 2^(12-5) s.
    let slowed = app.login_with("jakosc", PASSWORD).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&slowed);
    assert!((120..=128).contains(&wait), "Retry-After {wait}");
    assert!(
        slowed.body.contains("Spróbuj ponownie za"),
        "{}",
        slowed.body
    );
    assert!(app.cookie("magistrat_session").is_none());
    // Meanwhile the owner, at the office, signs in at once: no lockout.
    app.set_peer(OWNER);
    app.login("jakosc").await;
    app.logout().await;
    // Every wrong password is on record with the attacker's address; the refused try
    // during the wait is counted, written once the minute is over.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND ip = '{ATTACKER}'"
        ))
        .await,
        12
    );
    app.clock().advance(SignedDuration::from_secs(wait));
    // One event per minute that had refusals (the waits above fell in several).
    let counted = audited_refusals(&app, "login-throttled", ATTACKER).await;
    assert!(counted >= 1, "{counted} events of throttled sign-ins");
    // When the wait is over (the clock moved on), the attacker may try again: the
    // delays slow, they never lock.
    app.set_peer(ATTACKER);
    app.login("jakosc").await;
}

async fn behind_a_proxy(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await
}

async fn behind_a_trusted_proxy_each_client_has_its_own_throttle(app: TestApp) {
    // Every request comes from the proxy; the client is what it forwarded for.
    app.set_peer("10.0.0.2");
    let guesser = Some("6.6.6.6, 198.51.100.1");
    hammer(&app, "jakosc", 10, guesser).await;
    let slowed = login_via(&app, "jakosc", PASSWORD, guesser).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client through the same proxy is not slowed.
    let other = login_via(&app, "jakosc", PASSWORD, Some("198.51.100.2")).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    // The audit trail names the clients, not the proxy (nor the forged left entry).
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND ip = '198.51.100.1'"
        )
        .await,
        10
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'user.login' AND ip = '198.51.100.2'"
        )
        .await,
        1
    );
}

async fn an_untrusted_peers_forwarded_for_is_ignored(app: TestApp) {
    // No trusted proxies (the default): a header naming a fresh address on every try
    // buys the guesser nothing.
    app.set_peer(ATTACKER);
    for i in 0..8 {
        let xff = format!("198.51.100.{i}");
        loop {
            let response = login_via(&app, "jakosc", WRONG, Some(&xff)).await;
            if response.status == StatusCode::TOO_MANY_REQUESTS {
                app.clock()
                    .advance(SignedDuration::from_secs(retry_after(&response)));
                continue;
            }
            break;
        }
    }
    let slowed = login_via(&app, "jakosc", PASSWORD, Some("198.51.100.200")).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND ip = '{ATTACKER}'"
        ))
        .await,
        8
    );
}

async fn file_by_api(app: &TestApp) -> TestResponse {
    let body = json!({
        "service_card": "OR-1",
        "fields": {
            "name": "Jan Nowak",
            "email": "jan.nowak@example.pl",
            "request": "Proszę o informację o wydatkach na drogi gminne w 2025 r.",
            "delivery": "email",
        },
    });
    app.send(
        Request::post("/api/v1/applications")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn api_filings_are_rationed_per_client_address(app: TestApp) {
    let limit = app.state.config.api_filings_per_minute;
    assert_eq!(limit, 10, "the documented default");
    // At the start of a minute, so that the ration cannot renew mid-test.
    let now = app.clock().timestamp();
    app.clock().advance(SignedDuration::from_secs(
        60 - now.as_second().rem_euclid(60),
    ));
    app.set_peer(ATTACKER);
    for _ in 0..limit {
        assert_eq!(file_by_api(&app).await.status, StatusCode::CREATED);
    }
    let cases = app.count("SELECT COUNT(*) FROM case_file").await;
    let refused = file_by_api(&app).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["error"]["code"], "too-many-requests");
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Spróbuj ponownie za"),
        "{}",
        refused.body
    );
    let wait = retry_after(&refused);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, cases);
    // Another client files meanwhile.
    app.set_peer(OWNER);
    assert_eq!(file_by_api(&app).await.status, StatusCode::CREATED);
    // The flood shows on /metrics (read from the loopback) by reason.
    app.set_peer("127.0.0.1");
    let metrics = app.get("/metrics").await;
    assert!(
        metrics
            .body
            .contains("magistrat_refused_requests_total{reason=\"api-filing-rate\"}"),
        "{}",
        metrics.body
    );
    // And in the audit trail, counted per minute; the next minute the client files again.
    app.clock().advance(SignedDuration::from_secs(wait));
    assert_eq!(audited_refusals(&app, "api-filing-rate", ATTACKER).await, 1);
    app.set_peer(ATTACKER);
    assert_eq!(file_by_api(&app).await.status, StatusCode::CREATED);
}

/// Writes the refusals counted so far into the audit trail (as the minute's job does)
/// and counts the events of `reason` from `ip`.
async fn audited_refusals(app: &TestApp, reason: &str, ip: &str) -> i64 {
    refusals::flush_due(&app.db, &app.state.refusals, app.clock())
        .await
        .unwrap();
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' \
         AND after_json LIKE '%{reason}%' AND ip = '{ip}'"
    ))
    .await
}

async fn small_web_quota(backend: Backend) -> Option<TestApp> {
    // 10:00 in Warsaw (UTC+1 in December).
    let moment: jiff::Timestamp = "2026-12-03T09:00:00Z".parse().unwrap();
    TestApp::spawn_with(backend, |c| {
        c.web_filings_per_day = 2;
        c.clock = Some(moment);
    })
    .await
}

async fn file_by_web(app: &TestApp) -> TestResponse {
    let scan = pdf();
    let files = [(
        "fee_proof",
        "oplata.pdf",
        "application/pdf",
        scan.as_slice(),
    )];
    app.post_multipart("/services/SA-2/apply", &residence_certificate(), &files)
        .await
}

async fn the_web_form_has_a_daily_quota_per_address(app: TestApp) {
    app.set_peer(ATTACKER);
    // A form sent back for correction does not use the quota.
    let incomplete = app
        .post_multipart("/services/SA-2/apply", &[("first_name", "Anna")], &[])
        .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    for _ in 0..2 {
        let filed = file_by_web(&app).await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    }
    let cases = app.count("SELECT COUNT(*) FROM case_file").await;
    let refused = file_by_web(&app).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("Spróbuj ponownie za"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("<main"), "a page of the site");
    // Until midnight in Warsaw: 14 hours after 10:00, less the seconds the test ran.
    let wait = retry_after(&refused);
    assert!(
        (14 * 3600 - 120..=14 * 3600).contains(&wait),
        "Retry-After {wait}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, cases);
    // Another address still files; the next day, so does this one.
    app.set_peer(OWNER);
    let other = file_by_web(&app).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    app.set_peer(ATTACKER);
    app.clock().advance(SignedDuration::from_secs(wait));
    assert_eq!(file_by_web(&app).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        audited_refusals(&app, "web-filing-quota", ATTACKER).await,
        1
    );
}

async fn metrics_are_for_the_office_only(app: TestApp) {
    app.set_peer("127.0.0.1");
    app.get("/").await;
    let local = app.get("/metrics").await;
    assert_eq!(local.status, StatusCode::OK);
    assert!(local.body.contains("http_requests_total"), "{}", local.body);
    app.set_peer("::1");
    assert_eq!(app.get("/metrics").await.status, StatusCode::OK);
    // From outside: as if there were no such page.
    app.set_peer(ATTACKER);
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
    // Through a proxy the configuration does not trust, the loopback peer proves
    // nothing about the client.
    app.set_peer("127.0.0.1");
    let proxied = app
        .send(
            Request::get("/metrics")
                .header("x-forwarded-for", ATTACKER)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(proxied.status, StatusCode::NOT_FOUND);

    // With a token, from anywhere; a wrong token opens nothing.
    let token = "a-token-of-the-monitoring-0123456789";
    let app = TestApp::spawn_with(app.backend, |c| c.metrics_token = Some(token.to_owned()))
        .await
        .unwrap();
    app.set_peer(ATTACKER);
    let with = |t: &str| {
        Request::get("/metrics")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(with(token)).await.status, StatusCode::OK);
    assert_eq!(
        app.send(with("a-token-of-the-monitoring-0123456780"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
}
