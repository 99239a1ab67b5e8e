//! The service point's statistics and the desk's rating tablet (issue 11, decision
//! 0041), on both backends: a morning played at the town hall's desks through the desk
//! console — a visit served after a transfer, a no-show — shows in the statistics and
//! their CSV with the waits and service times it had; the demo's past days fill the
//! default range; who may read them. The tablet at a desk offers the visit the desk
//! finished just now and nothing else, once, through the ratings' own store.

use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

/// Tuesday 8 December 2026, 10:30 in Warsaw; the demo's past days end on Monday the 7th.
async fn tuesday_morning(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T09:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_morning;
    a_played_morning_shows_in_the_statistics_and_the_csv,
    the_demo_days_fill_the_default_range_and_only_heads_read_them,
    the_tablet_rates_the_visit_just_finished_once,
);

const TOWN_HALL: i64 = 1;

async fn desk_id(app: &TestApp, name: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM sp_desk WHERE location_id = {TOWN_HALL} AND name = '{name}'"
    ))
    .await
}

async fn take(app: &TestApp, category: &str) -> String {
    let r = app
        .post_form(
            &format!("/service-points/{TOWN_HALL}/kiosk"),
            &[("category", category)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().trim_start_matches("/tickets/").to_owned()
}

async fn act(app: &TestApp, desk: i64, act: &str, fields: &[(&str, &str)]) {
    let r = app
        .post_form(&format!("/staff/desks/{desk}/{act}"), fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{act}");
}

fn minutes(app: &TestApp, n: i64) {
    app.clock().advance(jiff::SignedDuration::from_mins(n));
}

async fn a_played_morning_shows_in_the_statistics_and_the_csv(app: TestApp) {
    // 10:30: two A tickets; the official opens desk 1.
    let first = take(&app, "A").await;
    take(&app, "A").await;
    app.login("obsluga").await;
    let desk1 = desk_id(&app, "Stanowisko 1").await;
    let desk2 = desk_id(&app, "Stanowisko 2").await;
    let p = app
        .count(&format!(
            "SELECT id FROM sp_category WHERE location_id = {TOWN_HALL} AND code = 'P'"
        ))
        .await
        .to_string();
    act(&app, desk1, "open", &[]).await;
    // 10:35 A001 called (waited 5 min), 10:36 served, 10:44 sent on to taxes (P).
    minutes(&app, 5);
    act(&app, desk1, "call", &[]).await;
    minutes(&app, 1);
    act(&app, desk1, "start", &[]).await;
    minutes(&app, 8);
    act(&app, desk1, "transfer", &[("category", &p)]).await;
    // 10:44 A002 called (waited 14 min); 10:46 not there.
    act(&app, desk1, "call", &[]).await;
    minutes(&app, 2);
    act(&app, desk1, "no-show", &[]).await;
    // 10:50 desk 2 calls A001 in P (waited 6 min since the transfer), serves 10:51–11:01.
    act(&app, desk2, "open", &[]).await;
    minutes(&app, 4);
    act(&app, desk2, "call", &[]).await;
    minutes(&app, 1);
    act(&app, desk2, "start", &[]).await;
    minutes(&app, 10);
    act(&app, desk2, "finish", &[]).await;
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT state FROM sp_ticket WHERE token = '{first}'"
        ))
        .await,
        "done"
    );
    app.logout().await;

    // The head of unit reads today's statistics.
    app.login("kierownik").await;
    let today = "from=2026-12-08&to=2026-12-08";
    let page = app
        .get(&format!(
            "/staff/service-points/{TOWN_HALL}/statistics?{today}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for expected in [
        "<title id=\"sp-chart-category-title\">",
        "role=\"img\"",
        "Anna Nowak",
        "Stanowisko 2",
        "10:00–11:00",
        "8 grudnia 2026",
        "mediana",
    ] {
        assert!(page.body.contains(expected), "{expected}: {}", page.body);
    }

    let csv = app
        .get(&format!(
            "/staff/service-points/{TOWN_HALL}/statistics.csv?{today}"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.starts_with('\u{feff}'), "the BOM for Excel");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Zestawienie;Grupa;Obsłużeni;Nieobecni po wywołaniu;Przekazania;Liczba oczekiwań;\
         Oczekiwanie, mediana (min);Oczekiwanie, średnia (min);Liczba obsług;\
         Obsługa, mediana (min);Obsługa, średnia (min)"
    );
    // Waits 5, 14 and 6 minutes; services 8 and 10 — decimal commas for Polish Excel.
    assert!(
        lines[1].starts_with("Razem;") && lines[1].ends_with(";1;1;1;3;6,0;8,3;2;9,0;9,0"),
        "{}",
        lines[1]
    );
    // (grouping, group, the rest of the row)
    let rows = [
        (
            "Według kategorii",
            "A — Dowody osobiste i meldunki",
            "0;1;1;2;9,5;9,5;1;8,0;8,0",
        ),
        (
            "Według kategorii",
            "P — Podatki i opłaty lokalne",
            "1;0;0;1;6,0;6,0;1;10,0;10,0",
        ),
        (
            "Według stanowisk",
            "Stanowisko 1",
            "0;1;1;2;9,5;9,5;1;8,0;8,0",
        ),
        (
            "Według stanowisk",
            "Stanowisko 2",
            "1;0;0;1;6,0;6,0;1;10,0;10,0",
        ),
        (
            "Według pracowników",
            "Anna Nowak",
            "1;1;1;3;6,0;8,3;2;9,0;9,0",
        ),
        ("Według godzin", "10:00–11:00", "1;1;1;3;6,0;8,3;2;9,0;9,0"),
        ("Według dni", "8 grudnia 2026", "1;1;1;3;6,0;8,3;2;9,0;9,0"),
    ];
    for (grouping, group, rest) in rows {
        let line = format!("{grouping};{group};{rest}");
        assert!(lines.contains(&line.as_str()), "{line}\n{}", csv.body);
    }
    assert_eq!(lines.len(), 1 + 1 + rows.len(), "{}", csv.body);
}

async fn the_demo_days_fill_the_default_range_and_only_heads_read_them(app: TestApp) {
    // Ten working days before today were played at each point.
    assert_eq!(
        app.count(
            "SELECT COUNT(DISTINCT day) FROM sp_ticket WHERE location_id = 1 AND day < '2026-12-08'"
        )
        .await,
        10
    );
    assert!(
        app.count("SELECT COUNT(*) FROM sp_visit_period p JOIN sp_ticket t ON t.id = p.ticket_id WHERE t.location_id = 1 AND p.state = 'waiting' AND t.state = 'done' AND t.category_id <> t.issued_category_id")
            .await
            > 0,
        "some demo visits were transferred"
    );
    app.login("kierownik").await;
    let page = app
        .get(&format!("/staff/service-points/{TOWN_HALL}/statistics"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // The last 30 days by default, with the demo's visits.
    assert!(
        page.body.contains("9 listopada 2026 – 8 grudnia 2026"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"2026-11-09\""));
    assert!(page.body.contains("30 listopada 2026"), "a demo day");
    for by in ["category", "desk", "official", "hour", "day"] {
        assert!(
            page.body.contains(&format!("id=\"sp-chart-{by}-title\"")),
            "{by}"
        );
    }
    // The overview links to them.
    let overview = app.get("/staff/service-points").await;
    assert!(overview.body.contains("/staff/service-points/1/statistics"));

    // A range that is not one: the form back with its problem, nothing computed.
    let bad = app
        .get(&format!(
            "/staff/service-points/{TOWN_HALL}/statistics?from=2026-12-08&to=2026-12-01"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("error-summary"));
    assert!(bad.body.contains("Data końcowa nie może być wcześniejsza"));
    assert!(!bad.body.contains("sp-chart-category"));
    let bad = app
        .get(&format!(
            "/staff/service-points/{TOWN_HALL}/statistics.csv?from=2024-01-01&to=2026-12-01"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("najwyżej 366 dni"));
    let bad = app
        .get(&format!(
            "/staff/service-points/{TOWN_HALL}/statistics?from=2026-02-30"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A location that is no service point.
    assert_eq!(
        app.get("/staff/service-points/999/statistics").await.status,
        StatusCode::NOT_FOUND
    );
    app.logout().await;

    // The desk official serves, the quality officer reads; the figures per official are
    // not the desks' to read.
    app.login("obsluga").await;
    assert_eq!(
        app.get(&format!("/staff/service-points/{TOWN_HALL}/statistics"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;
    app.login("jakosc").await;
    assert_eq!(
        app.get(&format!("/staff/service-points/{TOWN_HALL}/statistics.csv"))
            .await
            .status,
        StatusCode::OK
    );
    app.logout().await;
    // A resident (signed out) goes to the login page.
    let r = app
        .get(&format!("/staff/service-points/{TOWN_HALL}/statistics"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

/// The point's event stream, read until an event of `kind` arrives.
fn follow(app: &TestApp, kind: &'static str) -> tokio::task::JoinHandle<String> {
    let mut request = Request::get(format!("/service-points/{TOWN_HALL}/events"))
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40_002,
        ))));
    let router = app.router.clone();
    tokio::spawn(async move {
        let response = router.oneshot(request).await.unwrap();
        let mut body = response.into_body();
        let mut seen = String::new();
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen.push_str(&String::from_utf8_lossy(data));
                if seen.contains(&format!("\"kind\":\"{kind}\"")) {
                    return seen;
                }
            }
        }
        seen
    })
}

fn hidden_ticket(body: &str) -> Option<String> {
    let marker = "name=\"ticket\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned())
}

const ANSWERS: &[(&str, &str)] = &[("service", "5"), ("official", "4"), ("nps", "9")];

async fn the_tablet_rates_the_visit_just_finished_once(app: TestApp) {
    let first = take(&app, "A").await;
    take(&app, "A").await;
    app.login("obsluga").await;
    let desk = desk_id(&app, "Stanowisko 1").await;
    let tablet = format!("/service-points/{TOWN_HALL}/desks/{desk}/tablet");
    // Before any visit ends the tablet waits, following the point's events.
    let page = app.get(&tablet).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-sp-live=\"tablet\""));
    assert!(page.body.contains(&format!("data-desk=\"{desk}\"")));
    assert!(hidden_ticket(&page.body).is_none());
    // A desk of another point: no such tablet.
    assert_eq!(
        app.get(&format!("/service-points/2/desks/{desk}/tablet"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let stored = || app.count("SELECT COUNT(*) FROM sat_rated WHERE subject_key LIKE 'visit:%'");
    let before = stored().await;

    // The desk serves A001; the `done` event names the desk the tablet waits for.
    act(&app, desk, "open", &[]).await;
    act(&app, desk, "call", &[]).await;
    act(&app, desk, "start", &[]).await;
    minutes(&app, 6);
    let stream = follow(&app, "done");
    tokio::time::sleep(Duration::from_millis(200)).await;
    act(&app, desk, "finish", &[]).await;
    let seen = tokio::time::timeout(Duration::from_secs(10), stream)
        .await
        .expect("the end of the visit reaches the tablet")
        .unwrap();
    assert!(seen.contains(&format!("\"desk_id\":{desk}")), "{seen}");

    let first_id = app
        .count(&format!("SELECT id FROM sp_ticket WHERE token = '{first}'"))
        .await
        .to_string();
    let page = app.get(&tablet).await;
    assert!(page.body.contains("A001"), "{}", page.body);
    assert_eq!(
        hidden_ticket(&page.body).as_deref(),
        Some(first_id.as_str())
    );

    // Another visit than the one just finished: refused, nothing stored.
    let other = app
        .count("SELECT id FROM sp_ticket WHERE state = 'done' AND day = '2026-12-07' ORDER BY id LIMIT 1")
        .await
        .to_string();
    let mut fields = ANSWERS.to_vec();
    fields.push(("ticket", &other));
    let r = app.post_form(&tablet, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("nie można już ocenić"));
    assert_eq!(stored().await, before);
    // Missing answers: the form back with its problems.
    let r = app
        .post_form(&tablet, &[("ticket", &first_id), ("service", "5")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("error-summary"));
    assert_eq!(stored().await, before);

    // The resident rates it: stored once, as the e-ticket's rating would be.
    let mut fields = ANSWERS.to_vec();
    fields.push(("ticket", &first_id));
    let r = app.post_form(&tablet, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), tablet);
    assert_eq!(stored().await, before + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sat_rated WHERE subject_key = 'visit:{first_id}'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sat_rating WHERE channel = 'service_point' \
             AND service_on = '2026-12-08' AND service_score = 5 AND nps = 9"
        )
        .await,
        1
    );
    // Once: the tablet waits again, a second post is refused.
    let page = app.get(&tablet).await;
    assert!(hidden_ticket(&page.body).is_none());
    let r = app.post_form(&tablet, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The e-ticket says so too.
    let r = app
        .post_form(&format!("/tickets/{first}/rating"), ANSWERS)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(stored().await, before + 1);

    // The next visit ends; eleven minutes later the tablet no longer offers it.
    act(&app, desk, "call", &[]).await;
    act(&app, desk, "start", &[]).await;
    act(&app, desk, "finish", &[]).await;
    let page = app.get(&tablet).await;
    let second_id = hidden_ticket(&page.body).expect("the next visit offered");
    assert_ne!(second_id, first_id);
    minutes(&app, 11);
    let page = app.get(&tablet).await;
    assert!(hidden_ticket(&page.body).is_none());
    let mut fields = ANSWERS.to_vec();
    fields.push(("ticket", &second_id));
    let r = app.post_form(&tablet, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(stored().await, before + 1);
    app.logout().await;

    // The tablet sits on the desk: a case official's session may not open it.
    app.login("urzednik").await;
    assert_eq!(app.get(&tablet).await.status, StatusCode::FORBIDDEN);
}
