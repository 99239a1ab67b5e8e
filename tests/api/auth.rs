//! Sign-in, sessions and CSRF, through the real router (the throttle of failed
//! sign-ins: `throttling.rs`).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestApp};

backend_tests!(
    login_and_logout,
    failed_logins_get_one_generic_message,
    login_rotates_the_session,
    idle_and_absolute_timeouts_end_sessions,
    csrf_protects_every_form_post,
    disabled_accounts_cannot_sign_in,
    staff_pages_need_sign_in,
);

async fn login_and_logout(app: TestApp) {
    app.login("admin").await;
    let staff = app.get("/staff").await;
    assert_eq!(staff.status, StatusCode::OK);
    assert!(staff.body.contains("Tomasz Wieczorek"), "{}", staff.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 1);

    app.logout().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 0);
    assert!(app.cookie("magistrat_session").is_none());
    let after = app.get("/staff").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.location(), "/login?next=%2Fstaff");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action IN ('user.login', 'user.logout')")
            .await,
        2
    );
}

async fn failed_logins_get_one_generic_message(app: TestApp) {
    let wrong = app.login_with("admin", "not-the-password").await;
    let unknown = app.login_with("nobody", PASSWORD).await;
    for response in [&wrong, &unknown] {
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response.body.contains("Nieprawidłowy login lub hasło"),
            "{}",
            response.body
        );
        assert!(!response.body.contains("nie istnieje"));
    }
    // The typed login stays in the form, the password does not.
    assert!(wrong.body.contains("value=\"admin\""));
    assert!(!wrong.body.contains("not-the-password"));
    // The real reasons are in the audit trail.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND after_json LIKE '%wrong_password%'").await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND after_json LIKE '%unknown_login%'").await,
        1
    );
}

async fn login_rotates_the_session(app: TestApp) {
    // A token planted before login (session fixation) is replaced, not adopted.
    app.set_cookie("magistrat_session", "attacker-chosen-token");
    app.login("admin").await;
    let first = app.cookie("magistrat_session").unwrap_or_default();
    assert_ne!(first, "attacker-chosen-token");
    assert_eq!(first.len(), 64);
    // Signing in again, even as someone else, ends the previous session.
    app.login("kierownik").await;
    let second = app.cookie("magistrat_session").unwrap_or_default();
    assert_ne!(first, second);
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 1);
    // The stored value is a hash, not the token itself.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM session WHERE token_hash = '{second}'"
        ))
        .await,
        0
    );
}

async fn idle_and_absolute_timeouts_end_sessions(app: TestApp) {
    app.login("admin").await;
    app.exec(&format!(
        "UPDATE session SET last_seen_at = '{}'",
        app.long_ago()
    ))
    .await;
    let idle = app.get("/staff/users").await;
    assert_eq!(idle.status, StatusCode::SEE_OTHER);
    assert_eq!(idle.location(), "/login?next=%2Fstaff%2Fusers&expired=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 0);
    let notice = app.get(idle.location()).await;
    assert!(notice.body.contains("Sesja wygasła"), "{}", notice.body);

    app.login("admin").await;
    app.exec(&format!(
        "UPDATE session SET expires_at = '{}'",
        app.long_ago()
    ))
    .await;
    assert_eq!(app.get("/staff").await.status, StatusCode::SEE_OTHER);

    // A form posted with an ended session goes to the login page, not to a CSRF error.
    app.login("admin").await;
    let token = app.csrf_token().await;
    app.exec(&format!(
        "UPDATE session SET last_seen_at = '{}'",
        app.long_ago()
    ))
    .await;
    let post = app
        .post_raw(
            "/staff/users/2/active",
            &[("_csrf", &token), ("active", "false")],
        )
        .await;
    assert_eq!(post.status, StatusCode::SEE_OTHER);
    assert!(
        post.location().starts_with("/login?"),
        "{}",
        post.location()
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user WHERE active = FALSE")
            .await,
        0
    );
}

async fn csrf_protects_every_form_post(app: TestApp) {
    app.login("admin").await;
    let token = app.csrf_token().await;
    let target = "/staff/users/2/active";
    let missing = app.post_raw(target, &[("active", "false")]).await;
    let forged = app
        .post_raw(target, &[("_csrf", "0000"), ("active", "false")])
        .await;
    for response in [&missing, &forged] {
        assert_eq!(response.status, StatusCode::FORBIDDEN);
        assert!(
            response.body.contains("Formularz wygasł"),
            "{}",
            response.body
        );
    }
    // The right token from another site is refused by the browser's Fetch Metadata.
    let cross_site = Request::post(target)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("_csrf={token}&active=false")))
        .unwrap();
    assert_eq!(app.send(cross_site).await.status, StatusCode::FORBIDDEN);
    let other_origin = Request::post(target)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "urzad.example.pl")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!("_csrf={token}&active=false")))
        .unwrap();
    assert_eq!(app.send(other_origin).await.status, StatusCode::FORBIDDEN);
    // Nothing was changed, and the refusals are on record.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user WHERE active = FALSE")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied'")
            .await,
        4
    );
    // The login form is protected too, before anyone is signed in.
    app.logout().await;
    let anonymous = app
        .post_raw("/login", &[("login", "admin"), ("password", PASSWORD)])
        .await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    // The same post with the token works.
    app.login("admin").await;
    let ok = app.post_form(target, &[("active", "false")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

async fn disabled_accounts_cannot_sign_in(app: TestApp) {
    app.login("urzednik").await;
    let official = app.cookie("magistrat_session").unwrap_or_default();
    app.clear_cookies();
    app.login("admin").await;
    let id = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let response = app
        .post_form(&format!("/staff/users/{id}/active"), &[("active", "false")])
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    // Their session ended at once…
    app.clear_cookies();
    app.set_cookie("magistrat_session", &official);
    let page = app.get("/staff").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // …and they cannot sign in again.
    app.clear_cookies();
    assert_eq!(
        app.login_with("urzednik", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user.login_failed' AND after_json LIKE '%disabled%'").await,
        1
    );
}

async fn staff_pages_need_sign_in(app: TestApp) {
    for path in ["/staff", "/staff/users", "/staff/audit", "/staff/users/1"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert!(response.location().starts_with("/login?next="), "{path}");
    }
    // After login the visitor comes back where they were going, never off-site.
    let page = app.get("/login?next=%2Fstaff%2Faudit").await;
    let token = page.csrf_field().unwrap();
    let login = app
        .post_raw(
            "/login",
            &[
                ("_csrf", &token),
                ("login", "admin"),
                ("password", PASSWORD),
                ("next", "/staff/audit"),
            ],
        )
        .await;
    assert_eq!(login.location(), "/staff/audit");
    app.logout().await;
    let page = app.get("/login").await;
    let token = page.csrf_field().unwrap();
    let login = app
        .post_raw(
            "/login",
            &[
                ("_csrf", &token),
                ("login", "admin"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(login.location(), "/staff");
}
