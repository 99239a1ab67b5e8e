//! The benchmark seeds (`magistrat bench-seed`), on both backends: what they add is
//! read by the application as its own data — Open311 lists and shows the reports, the
//! BIP shows and finds the publications, the results count the ratings, a seeded visit
//! is rated once by its token — and the application's next insert after rows seeded
//! with explicit ids gets a free id (PostgreSQL's identity sequences moved on).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use magistrat::api_keys::service::{self as keys, KeySecret};
use magistrat::db::audit::Actor;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

/// Friday 4 December 2026, 10:00 in Warsaw.
async fn friday(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-04T09:00:00Z").await
}

backend_tests!(
    spawn = super::friday;
    seeded_data_is_read_as_the_applications_own,
);

async fn seeded_data_is_read_as_the_applications_own(app: TestApp) {
    // Reports: more than one statement's batch (500 rows).
    let reports = app.count("SELECT COUNT(*) FROM problem_report").await;
    let n = magistrat::problem_reports::bench_seed::seed_bulk(&app.db, 1_200)
        .await
        .unwrap();
    assert_eq!(n, 1_200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM problem_report").await,
        reports + 1_200
    );
    let last = app.count("SELECT MAX(id) FROM problem_report").await;
    let r = app.get(&format!("/open311/v2/requests/{last}.json")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Uszkodzona nawierzchnia"), "{}", r.body);
    let r = app.get("/open311/v2/requests.json").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Uszkodzona nawierzchnia"), "{}", r.body);
    // The next report filed through Open311 gets the next id.
    let key = keys::create(
        &app.db,
        &KeySecret::default(),
        &Actor::system("test"),
        "Bench",
        "reports:create",
    )
    .await
    .unwrap()
    .1;
    let r = app
        .post_raw(
            "/open311/v2/requests.json",
            &[
                ("api_key", &key),
                ("service_code", "SMIECI"),
                ("lat", "52.14"),
                ("long", "21.22"),
                ("description", "Przepełniony kosz przy przystanku"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(&format!("\"{}\"", last + 1)), "{}", r.body);

    // Publications: shown, listed in the change register's count, found.
    let publications = app
        .count("SELECT COUNT(*) FROM bip_publication WHERE status = 'published'")
        .await;
    let newest_before = app.count("SELECT MAX(id) FROM bip_publication").await;
    magistrat::bip::bench_seed::seed_bulk(&app.db, 1_200)
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM bip_publication WHERE status = 'published'")
            .await,
        publications + 1_200
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM bip_change WHERE publication_id > {}",
            newest_before
        ))
        .await
            == 1_200
    );
    let newest = app.count("SELECT MAX(id) FROM bip_publication").await;
    let r = app.get(&format!("/bip/publikacje/{newest}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Zarządzenie nr 1200/2026"), "{}", r.body);
    let r = app.get("/bip/szukaj?q=nr+1199%2F2026").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The match is highlighted inside the title (`<mark>`), so the link is what is sought.
    // Seeded in order: number 1199 is the one before the newest (number 1200).
    let second_newest = newest - 1;
    assert!(
        r.body
            .contains(&format!("href=\"/bip/publikacje/{second_newest}\"")),
        "{}",
        r.body
    );
    let r = app.get("/feed.atom").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Zarządzenie nr"), "{}", r.body);

    // Ratings: the results count them.
    let before = app.get("/api/v1/satisfaction/results?by=channel").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let total = |v: &serde_json::Value| -> u64 {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["n"].as_u64().unwrap())
            .sum()
    };
    let n_before = total(&before.json());
    magistrat::satisfaction::bench_seed::seed_bulk(&app.db, 1_000)
        .await
        .unwrap();
    let after = app.get("/api/v1/satisfaction/results?by=channel").await;
    assert_eq!(total(&after.json()), n_before + 1_000, "{}", after.body);

    // Visits: each token rated once.
    magistrat::service_point::bench_seed::seed_bulk(&app.db, 3)
        .await
        .unwrap();
    assert_eq!(
        magistrat::service_point::bench_seed::visit_token(2),
        "bench-visit-0000002"
    );
    let rate = |token: &'static str| {
        Request::post(format!("/api/v1/tickets/{token}/rating"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"service":5,"official":4,"nps":9}"#))
            .unwrap()
    };
    let r = app.send(rate("bench-visit-0000002")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.send(rate("bench-visit-0000002")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = app.send(rate("bench-visit-0000003")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}
