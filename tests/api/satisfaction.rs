//! Residents' ratings end to end, on both backends: a visit served at a desk and a
//! settled case rated once through the API and the form (refused before, twice, out of
//! range, for unknown tokens and codes), nothing stored that says who rated, comments
//! moderated before staff read them, the published results with their intervals and a
//! suppressed unit, who sees which figures, and a flood refused with 429.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use magistrat::cases::store::{self, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat::platform::channel::Channel;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, TestResponse};

/// Tuesday 8 December 2026, 10:30 in Warsaw: the town hall's point is open.
async fn tuesday_morning(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T09:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_morning;
    a_finished_visit_is_rated_once_and_names_nobody,
    a_settled_case_is_rated_once_and_its_comment_moderated,
    results_have_intervals_and_small_groups_no_figures,
    staff_see_their_own_figures_and_heads_their_units,
    a_flood_of_ratings_is_refused,
);

const TOWN_HALL: i64 = 1;

async fn post_json(app: &TestApp, path: &str, json: &str) -> TestResponse {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap(),
    )
    .await
}

const GOOD: &str = r#"{"service":5,"official":4,"nps":9}"#;

/// A ticket taken and served to the end at desk 1 by `obsluga`; its token.
async fn finished_visit(app: &TestApp) -> String {
    let r = post_json(
        app,
        &format!("/api/v1/service-points/{TOWN_HALL}/tickets"),
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    // Not yet: the visit has not ended.
    let early = post_json(app, &format!("/api/v1/tickets/{token}/rating"), GOOD).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(early.json()["error"]["code"], "visit-not-ended");
    app.login("obsluga").await;
    let desk = app
        .count(&format!(
            "SELECT id FROM sp_desk WHERE location_id = {TOWN_HALL} AND name = 'Stanowisko 1'"
        ))
        .await;
    for act in ["open", "call", "start", "finish"] {
        let r = app
            .post_form(&format!("/staff/desks/{desk}/{act}"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{act}");
    }
    app.logout().await;
    token
}

async fn ratings(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM sat_rating").await
}

async fn a_finished_visit_is_rated_once_and_names_nobody(app: TestApp) {
    let before = ratings(&app).await;
    let token = finished_visit(&app).await;
    // The e-ticket offers the rating now.
    let ticket = app.get(&format!("/tickets/{token}")).await;
    assert!(ticket.body.contains(&format!("/tickets/{token}/rating")));

    app.set_peer("203.0.113.21");
    let unknown = post_json(&app, "/api/v1/tickets/00ff/rating", GOOD).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = post_json(
        &app,
        &format!("/api/v1/tickets/{token}/rating"),
        r#"{"service":6,"official":0,"nps":11}"#,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields = &bad.json()["error"]["fields"];
    assert!(fields["service"].is_string() && fields["official"].is_string());
    assert!(fields["nps"].is_string());
    assert_eq!(ratings(&app).await, before, "nothing stored for bad input");

    let ok = post_json(&app, &format!("/api/v1/tickets/{token}/rating"), GOOD).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["comment"], "none");
    let again = post_json(
        &app,
        &format!("/api/v1/tickets/{token}/rating"),
        r#"{"service":1,"official":1,"nps":0}"#,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "already-rated");
    assert_eq!(ratings(&app).await, before + 1);

    // Stored against the location, category, unit (BOM) and official, nobody's name.
    let obsluga = app
        .count("SELECT id FROM app_user WHERE login = 'obsluga'")
        .await;
    let bom = app
        .count("SELECT id FROM org_unit WHERE symbol = 'BOM'")
        .await;
    let id = app.count("SELECT MAX(id) FROM sat_rating").await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sat_rating WHERE id = {id} AND subject = 'visit' \
             AND channel = 'service_point' AND location_id = {TOWN_HALL} AND unit_id = {bom} \
             AND official_id = {obsluga} AND service_score = 5 AND official_score = 4 \
             AND nps = 9 AND service_on = '2026-12-08' AND category <> ''"
        ))
        .await,
        1
    );
    let ticket_id = app
        .count(&format!("SELECT id FROM sp_ticket WHERE token = '{token}'"))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sat_rated WHERE subject_key = 'visit:{ticket_id}'"
        ))
        .await,
        1
    );
    // Audited, but as "resident" without an address.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sat_rating' \
             AND entity_id = '{id}' AND actor_login = 'resident' AND ip IS NULL"
        ))
        .await,
        1
    );
    // The form says so too, with 409 on a second post.
    let page = app.get(&format!("/tickets/{token}/rating")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("sat-closed"), "{}", page.body);
    let form = app
        .post_form(
            &format!("/tickets/{token}/rating"),
            &[("service", "3"), ("official", "3"), ("nps", "5")],
        )
        .await;
    assert_eq!(form.status, StatusCode::CONFLICT);
    assert_eq!(ratings(&app).await, before + 1);
}

async fn settled_case(app: &TestApp, settle: bool) -> (i64, String) {
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await;
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let today = app.db.clock().today();
    let new = NewCase {
        unit_id: sa,
        jrwa_symbol: "5340".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zameldowanie na pobyt stały".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: "jan@example.pl".to_owned(),
        publish_consent: false,
        received_on: today,
        channel: Channel::Eservice,
        correspondence_id: None,
        official_id: None,
    };
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &actor, new).await.unwrap();
    tx.commit().await.unwrap();
    let mut steps = vec![
        Step::Assign {
            official_id: urzednik,
        },
        Step::Start,
    ];
    if settle {
        steps.push(Step::Settle {
            on: today,
            outcome: "Zameldowano".to_owned(),
        });
    }
    for step in steps {
        let mut tx = app.db.begin().await.unwrap();
        store::apply_step(&mut tx, &actor, case.id, step)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    (case.id, case.tracking_code)
}

async fn a_settled_case_is_rated_once_and_its_comment_moderated(app: TestApp) {
    let (_, open_code) = settled_case(&app, false).await;
    let early = post_json(&app, &format!("/api/v1/cases/{open_code}/rating"), GOOD).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.json()["error"]["code"], "case-not-settled");
    let unknown = post_json(&app, "/api/v1/cases/XXXX-XXXX-XXXX/rating", GOOD).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let (case_id, code) = settled_case(&app, true).await;
    // The status page links to the rating.
    let status = app.get(&format!("/case-status?code={code}")).await;
    assert!(status.body.contains("/rating"), "{}", status.body);
    let page = app.get(&format!("/case-status/{code}/rating")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"name="nps""#));
    // A question left out: the form again, 422, the error at its field.
    let before = ratings(&app).await;
    let missing = app
        .post_form(
            &format!("/case-status/{code}/rating"),
            &[("service", "4"), ("official", "5")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("error-summary"));
    assert!(
        missing.body.contains(r##"href="#f-nps""##),
        "{}",
        missing.body
    );
    let comment = "Sprawa załatwiona szybko, test-komentarz-42";
    let sent = app
        .post_form(
            &format!("/case-status/{code}/rating"),
            &[
                ("service", "4"),
                ("official", "5"),
                ("nps", "10"),
                ("comment", comment),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(ratings(&app).await, before + 1);
    let again = post_json(&app, &format!("/api/v1/cases/{code}/rating"), GOOD).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sat_rated WHERE subject_key = 'case:{case_id}'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT channel FROM sat_rating WHERE comment = '{comment}'"
        ))
        .await,
        "eservice"
    );

    // The official does not read the comment until a moderator approves it.
    app.login("urzednik").await;
    assert!(!app.get("/staff/satisfaction").await.body.contains(comment));
    assert_eq!(
        app.get("/staff/satisfaction/comments").await.status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;
    app.login("jakosc").await;
    let queue = app.get("/staff/satisfaction/comments").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(comment));
    let id = app
        .count(&format!(
            "SELECT id FROM sat_rating WHERE comment = '{comment}'"
        ))
        .await;
    let r = app
        .post_form(&format!("/staff/satisfaction/comments/{id}/approve"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let twice = app
        .post_form(&format!("/staff/satisfaction/comments/{id}/reject"), &[])
        .await;
    assert_eq!(twice.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT comment_state FROM sat_rating WHERE id = {id}"
        ))
        .await,
        "approved",
        "a decided comment stays decided"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'sat_rating.comment_approve' \
             AND entity_id = '{id}'"
        ))
        .await,
        1
    );
    app.logout().await;
    app.login("urzednik").await;
    assert!(app.get("/staff/satisfaction").await.body.contains(comment));

    // A rejected comment is erased.
    let pending = app
        .count("SELECT MIN(id) FROM sat_rating WHERE comment_state = 'pending'")
        .await;
    app.logout().await;
    app.login("jakosc").await;
    app.post_form(
        &format!("/staff/satisfaction/comments/{pending}/reject"),
        &[],
    )
    .await;
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT comment_state || ':' || comment FROM sat_rating WHERE id = {pending}"
        ))
        .await,
        "rejected:"
    );
}

async fn results_have_intervals_and_small_groups_no_figures(app: TestApp) {
    let r = app.get("/api/v1/satisfaction/results?by=unit").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.json()["items"].as_array().unwrap().clone();
    let by_label = |prefix: &str| {
        items
            .iter()
            .find(|i| i["label"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix} in {items:?}"))
            .clone()
    };
    // The demo's small unit: counted, but no figures.
    let small = by_label("WO-II ");
    assert_eq!(small["suppressed"], true);
    assert!(small["n"].as_u64().unwrap() < 10);
    assert!(small.get("csat").is_none() && small.get("nps_ci").is_none());
    // A large one: the figures agree with the rows, the intervals hold the estimates.
    let sa = by_label("SA ");
    let sa_id = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await;
    let n = app
        .count(&format!(
            "SELECT COUNT(*) FROM sat_rating WHERE unit_id = {sa_id}"
        ))
        .await;
    let satisfied = app
        .count(&format!(
            "SELECT COUNT(*) FROM sat_rating WHERE unit_id = {sa_id} AND service_score >= 4"
        ))
        .await;
    let promoters = app
        .count(&format!(
            "SELECT COUNT(*) FROM sat_rating WHERE unit_id = {sa_id} AND nps >= 9"
        ))
        .await;
    let detractors = app
        .count(&format!(
            "SELECT COUNT(*) FROM sat_rating WHERE unit_id = {sa_id} AND nps <= 6"
        ))
        .await;
    assert_eq!(sa["n"].as_i64().unwrap(), n);
    assert_eq!(sa["suppressed"], false);
    #[allow(clippy::cast_precision_loss)]
    let (csat, nps) = (
        satisfied as f64 / n as f64,
        100.0 * (promoters - detractors) as f64 / n as f64,
    );
    assert!((sa["csat"].as_f64().unwrap() - csat).abs() < 1e-3);
    assert!((sa["nps"].as_f64().unwrap() - nps).abs() < 0.1);
    let ci = |k: &str| {
        let a = sa[k].as_array().unwrap();
        (a[0].as_f64().unwrap(), a[1].as_f64().unwrap())
    };
    let (low, high) = ci("csat_ci");
    assert!(0.0 <= low && low <= csat && csat <= high && high <= 1.0);
    let (low, high) = ci("nps_ci");
    assert!(-100.0 <= low && low < nps && nps < high && high <= 100.0);

    // Channels and locations; a period.
    let channels = app
        .get("/api/v1/satisfaction/results?by=channel")
        .await
        .json();
    assert!(
        channels["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["key"] == "service_point")
    );
    let locations = app
        .get("/api/v1/satisfaction/results?by=location")
        .await
        .json();
    assert_eq!(locations["items"].as_array().unwrap().len(), 2);
    let empty = app
        .get("/api/v1/satisfaction/results?by=unit&from=2030-01-01")
        .await
        .json();
    assert!(empty["items"].as_array().unwrap().is_empty());
    for bad in ["by=official", "by=unit&from=2026-13-01", "to=yesterday"] {
        let r = app
            .get(&format!("/api/v1/satisfaction/results?{bad}"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(r.json()["error"]["code"], "invalid-parameters");
    }

    // The public page and the CSV, no person named.
    let page = app.get("/satisfaction").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("<caption"));
    assert!(page.body.contains("Za mało ocen do publikacji"));
    assert!(!page.body.contains("Kowalski") && !page.body.contains("Nowak"));
    let csv = app.get("/satisfaction/results.csv?by=unit").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.lines().next().unwrap().contains(';'));
    assert!(csv.body.contains("WO-II"));
}

async fn staff_see_their_own_figures_and_heads_their_units(app: TestApp) {
    // An official: their own figures, no one else's.
    app.login("urzednik").await;
    let own = app.get("/staff/satisfaction").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("sat-own"));
    assert!(!own.body.contains("sat-h-official"), "no per-person table");
    assert_eq!(
        app.get("/staff/satisfaction/officials.csv").await.status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;

    // The head of SA: per official of SA, not of other units.
    app.login("kierownik").await;
    let head = app.get("/staff/satisfaction").await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.contains("sat-h-official"));
    assert!(head.body.contains("Kowalski"), "SA's official");
    assert!(
        !head.body.contains("Anna Nowak"),
        "BOM is not the head's unit"
    );
    let csv = app.get("/staff/satisfaction/officials.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(!csv.body.contains("Nowak"));
    app.logout().await;

    // The quality officer: the whole office.
    app.login("jakosc").await;
    let all = app.get("/staff/satisfaction").await;
    assert!(all.body.contains("Anna Nowak") && all.body.contains("Kowalski"));
    assert!(all.body.contains("/staff/satisfaction/comments"));
}

async fn a_flood_of_ratings_is_refused(app: TestApp) {
    let mut codes = Vec::new();
    for _ in 0..=magistrat::satisfaction::RATINGS_PER_MINUTE + 1 {
        codes.push(settled_case(&app, true).await.1);
    }
    app.set_peer("198.51.100.7");
    // Refused posts cost nothing: only ratings stored are counted.
    for _ in 0..10 {
        let r = post_json(&app, "/api/v1/tickets/abc/rating", GOOD).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let before = ratings(&app).await;
    let n = magistrat::satisfaction::RATINGS_PER_MINUTE as usize;
    for code in &codes[..n] {
        let r = post_json(&app, &format!("/api/v1/cases/{code}/rating"), GOOD).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let refused = post_json(&app, &format!("/api/v1/cases/{}/rating", codes[n]), GOOD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(refused.json()["error"]["code"], "too-many-requests");
    // The form too, and nothing counted.
    let form = app
        .post_form(
            &format!("/case-status/{}/rating", codes[n]),
            &[("service", "5"), ("official", "5"), ("nps", "10")],
        )
        .await;
    assert_eq!(form.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(ratings(&app).await, before + i64::try_from(n).unwrap());
    // Another address is not affected.
    app.set_peer("198.51.100.8");
    let other = post_json(&app, &format!("/api/v1/cases/{}/rating", codes[n]), GOOD).await;
    assert_eq!(other.status, StatusCode::CREATED);
}
