//! Optional resident accounts: a sign-in link by e-mail (through a real SMTP
//! conversation, tests/api/smtp_sink.rs), the list of one's own cases, and everything
//! that must not work — someone else's cases, a used or expired link, a flood of links.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::smtp_sink::SmtpSink;

backend_tests!(
    a_resident_signs_in_by_mail_and_sees_only_their_own_cases,
    a_link_works_once_and_not_after_it_expires,
    the_link_form_tells_nothing_and_checks_its_input,
    links_are_slowed_per_recipient_and_client_never_locked,
    signing_out_ends_the_session_and_idle_sessions_end,
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

/// Files a public-information request (card OR-1) through the API as `email`; returns
/// its znak sprawy.
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
    let response = app
        .send(
            Request::post("/api/v1/applications")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    response.json()["znak"].as_str().unwrap().to_owned()
}

/// The sign-in letters the sink received: a filing's confirmation is mailed too
/// (issue 15), on its own time, and is not counted here.
fn sign_in_letters(sink: &SmtpSink) -> Vec<crate::smtp_sink::Received> {
    sink.messages()
        .into_iter()
        .filter(|m| m.body().contains("/my-cases/link/"))
        .collect()
}

/// Asks for a link for `email` and returns the link's path from the letter.
async fn request_link(app: &TestApp, sink: &SmtpSink, email: &str) -> String {
    let before = sign_in_letters(sink).len();
    let page = app.post_form("/my-cases/link", &[("email", email)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"link-sent\""), "{}", page.body);
    let messages = sign_in_letters(sink);
    assert_eq!(messages.len(), before + 1, "one letter per request");
    let letter = messages.last().unwrap();
    let body = letter.body();
    let start = body
        .find("https://urzad.borowiec.example.pl/my-cases/link/")
        .expect("the letter carries a link on the public address");
    let link: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.trim_start_matches("https://urzad.borowiec.example.pl")
        .to_owned()
}

/// Opens the link and presses its button; returns the response to the press.
async fn use_link(app: &TestApp, path: &str) -> crate::helpers::TestResponse {
    let opened = app.get(path).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    app.post_form(path, &[]).await
}

async fn a_resident_signs_in_by_mail_and_sees_only_their_own_cases(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let mine = file_as(&app, "Ewa.Nowak@Example.PL", "Ewa Nowak").await;
    let also_mine = file_as(&app, "ewa.nowak@example.pl", "Ewa Nowak").await;
    let theirs = file_as(&app, "jan.kowalski@example.pl", "Jan Kowalski").await;

    // Not signed in: the page offers the form, no case.
    let form = app.get("/my-cases").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("action=\"/my-cases/link\""));
    assert!(!form.body.contains(&mine));

    let path = request_link(&app, &sink, " EWA.NOWAK@example.pl ").await;
    let letter = sign_in_letters(&sink).pop().unwrap();
    assert_eq!(letter.to, vec!["<ewa.nowak@example.pl>".to_owned()]);
    assert!(
        letter.subject().contains("Link do logowania"),
        "{}",
        letter.subject()
    );
    // Opening the link alone (a mail scanner) signs nobody in.
    let opened = app.get(&path).await;
    assert!(opened.body.contains("ewa.nowak@example.pl"));
    assert!(app.cookie("magistrat_resident").is_none());

    let signed_in = app.post_form(&path, &[]).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    assert_eq!(signed_in.location(), "/my-cases");
    assert!(app.cookie("magistrat_resident").is_some());
    let list = app.get("/my-cases").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&mine), "{}", list.body);
    assert!(list.body.contains(&also_mine));
    assert!(
        !list.body.contains(&theirs),
        "another resident's case is shown"
    );
    assert!(!list.body.contains("Jan Kowalski"));
    // Each case links to its status page by tracking code.
    let code = app
        .scalar_text(&format!(
            "SELECT tracking_code FROM case_file WHERE znak = '{mine}'"
        ))
        .await;
    assert!(list.body.contains(&format!("/case-status?code={code}")));

    // One account per address, audited; the session is stored as a hash only.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM resident WHERE email = 'ewa.nowak@example.pl'")
            .await,
        1
    );
    let cookie = app.cookie("magistrat_resident").unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM resident_session WHERE token_hash = '{cookie}'"
        ))
        .await,
        0
    );
    for action in [
        "resident.link_requested",
        "resident.create",
        "resident.sign_in",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE action = '{action}'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    // Their e-service forms come with their address filled in.
    let apply = app.get("/services/OR-1/apply").await;
    assert!(
        apply.body.contains("value=\"ewa.nowak@example.pl\""),
        "{}",
        apply.body
    );
    // A resident is no staff member.
    let staff = app.get("/staff/cases").await;
    assert_eq!(staff.status, StatusCode::SEE_OTHER);

    // A second sign-in later: the same account, still only the own cases.
    app.clear_cookies();
    let again = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    assert_eq!(use_link(&app, &again).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM resident").await, 1);
    let list = app.get("/my-cases").await;
    assert!(list.body.contains(&mine) && !list.body.contains(&theirs));
}

async fn a_link_works_once_and_not_after_it_expires(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    file_as(&app, "ewa.nowak@example.pl", "Ewa Nowak").await;
    let path = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    assert_eq!(use_link(&app, &path).await.status, StatusCode::SEE_OTHER);

    // Used: gone, for the page and for the button.
    app.clear_cookies();
    assert_eq!(app.get(&path).await.status, StatusCode::GONE);
    let reused = app.post_form(&path, &[]).await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert!(app.cookie("magistrat_resident").is_none());

    // Expired: gone.
    let late = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    app.exec(&format!(
        "UPDATE resident_link SET expires_at = '{}' WHERE used_at IS NULL",
        app.long_ago()
    ))
    .await;
    assert_eq!(app.get(&late).await.status, StatusCode::GONE);
    assert_eq!(app.post_form(&late, &[]).await.status, StatusCode::GONE);

    // Made up or mangled: gone, nothing looked up wrongly.
    for bad in [
        "/my-cases/link/0000000000000000000000000000000000000000000000000000000000000000",
        "/my-cases/link/abc",
        "/my-cases/link/%27%20OR%201%3D1",
    ] {
        assert_eq!(app.get(bad).await.status, StatusCode::GONE, "{bad}");
        assert_eq!(
            app.post_form(bad, &[]).await.status,
            StatusCode::GONE,
            "{bad}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_session").await, 1);

    // Two presses of one link at once: one session.
    let path = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    let token = app.csrf_token().await;
    let press = || {
        let request = Request::post(path.as_str())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("magistrat_csrf={token}"))
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!("_csrf={token}")))
            .unwrap();
        app.send(request)
    };
    let (a, b) = tokio::join!(press(), press());
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::GONE]);
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_session").await, 2);
}

async fn the_link_form_tells_nothing_and_checks_its_input(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    file_as(&app, "ewa.nowak@example.pl", "Ewa Nowak").await;
    // An address with cases and one without: the same page.
    let with_cases = app
        .post_form("/my-cases/link", &[("email", "ewa.nowak@example.pl")])
        .await;
    let without = app
        .post_form("/my-cases/link", &[("email", "nikt@example.pl")])
        .await;
    assert_eq!(with_cases.status, without.status);
    assert_eq!(
        with_cases.body.replace("ewa.nowak@example.pl", "X"),
        without.body.replace("nikt@example.pl", "X")
    );
    assert_eq!(sign_in_letters(&sink).len(), 2);

    // Bad addresses: a field-level message, 422, no letter, no link stored.
    let links = app.count("SELECT COUNT(*) FROM resident_link").await;
    for (typed, message) in [
        ("", "Podaj adres e-mail."),
        ("ewa.nowak", "Podaj poprawny adres e-mail"),
        ("ewa@nowak", "Podaj poprawny adres e-mail"),
    ] {
        let page = app.post_form("/my-cases/link", &[("email", typed)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(page.body.contains(message), "{typed}: {}", page.body);
        assert!(page.body.contains("aria-invalid=\"true\""));
    }
    assert_eq!(sign_in_letters(&sink).len(), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_link").await, links);

    // Without the form token: refused.
    let forged = app
        .post_raw("/my-cases/link", &[("email", "ewa.nowak@example.pl")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // In English, the letter is English too.
    app.get("/lang/en?next=/my-cases").await;
    request_link(&app, &sink, "ewa.nowak@example.pl").await;
    let letter = sign_in_letters(&sink).pop().unwrap();
    assert!(
        letter.subject().starts_with("Sign-in link"),
        "{}",
        letter.subject()
    );
    assert!(
        letter.body().contains("within 20 minutes"),
        "{}",
        letter.body()
    );
}

/// Asks for a link from the current client address, waiting out (on the office's
/// clock) any delay on the way; returns how long it had to wait in all.
async fn request_link_patiently(app: &TestApp, email: &str) -> i64 {
    let mut waited = 0;
    loop {
        let page = app.post_form("/my-cases/link", &[("email", email)]).await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            let seconds: i64 = page.headers[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            waited += seconds;
            app.clock()
                .advance(jiff::SignedDuration::from_secs(seconds));
            continue;
        }
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("id=\"link-sent\""), "{}", page.body);
        return waited;
    }
}

async fn links_are_slowed_per_recipient_and_client_never_locked(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    // Someone at another address asks for the victim's links again and again: the
    // first three go at once, then each waits longer (1 s, 2 s, 4 s).
    app.set_peer("203.0.113.66");
    let mut waited = 0;
    for _ in 0..6 {
        waited += request_link_patiently(&app, "ofiara@example.pl").await;
    }
    // 1 + 2 + 4 s, less what the requests themselves took if one took a second.
    assert!((4..=7).contains(&waited), "waited {waited} s");
    let letters = sign_in_letters(&sink).len();
    assert_eq!(letters, 6);
    let refused = app
        .post_form("/my-cases/link", &[("email", "ofiara@example.pl")])
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("Spróbuj ponownie za"),
        "{}",
        refused.body
    );
    let wait: i64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((6..=8).contains(&wait), "Retry-After {wait}");
    assert_eq!(
        sign_in_letters(&sink).len(),
        letters,
        "no letter while waiting"
    );
    // The owner of the address, at home, gets a link at once: no lockout.
    app.set_peer("192.0.2.10");
    request_link(&app, &sink, "ofiara@example.pl").await;
    // Another resident at the first computer still gets one too.
    app.set_peer("203.0.113.66");
    request_link(&app, &sink, "sasiad@example.pl").await;
}

async fn signing_out_ends_the_session_and_idle_sessions_end(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = spawn(&app, &sink).await;
    let znak = file_as(&app, "ewa.nowak@example.pl", "Ewa Nowak").await;
    let path = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    use_link(&app, &path).await;
    assert!(app.get("/my-cases").await.body.contains(&znak));

    let out = app.post_form("/my-cases/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(app.cookie("magistrat_resident").is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_session").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'resident.sign_out'")
            .await,
        1
    );
    assert!(!app.get("/my-cases").await.body.contains(&znak));

    // An old cookie after sign-out opens nothing.
    let path = request_link(&app, &sink, "ewa.nowak@example.pl").await;
    use_link(&app, &path).await;
    let cookie = app.cookie("magistrat_resident").unwrap();
    app.exec(&format!(
        "UPDATE resident_session SET last_seen_at = '{}'",
        app.long_ago()
    ))
    .await;
    let idle = app.get("/my-cases").await;
    assert!(!idle.body.contains(&znak), "an idle session has ended");
    assert!(
        app.cookie("magistrat_resident").is_none(),
        "and its cookie goes"
    );
    app.set_cookie("magistrat_resident", &cookie);
    assert!(!app.get("/my-cases").await.body.contains(&znak));
}
