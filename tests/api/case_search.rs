//! The case search through the trigram indexes and the workload from the open-case
//! tally (migration 0008, docs/decisions/0014-case-search-index.md): same meaning as a
//! substring search, never wider than the user's scope, kept up to date by triggers.

use axum::http::StatusCode;
use magistrat::cases::store::{self, Channel, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat::with_db;
use magistrat_domain::deadline::CaseKind;

use crate::helpers::TestApp;

crate::backend_tests!(
    case_search_finds_znak_title_and_party_in_scope,
    case_search_short_text_and_wildcards_stay_literal,
    case_search_finds_what_the_migration_backfilled,
    case_search_for_common_text_walks_the_scope,
    workload_tally_matches_a_count_of_the_cases,
);

fn today() -> jiff::civil::Date {
    magistrat::platform::Clock::system().today()
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
}

async fn register(app: &TestApp, unit_id: i64, title: &str, party: &str) -> store::RegisteredCase {
    let new = NewCase {
        unit_id,
        jrwa_symbol: "5310".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: title.to_owned(),
        party_name: party.to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on: today(),
        channel: Channel::Post,
        correspondence_id: None,
        official_id: None,
    };
    let mut tx = app.db.begin().await.unwrap();
    let r = store::register_case(&mut tx, &Actor::system("test"), new)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    r
}

async fn step(app: &TestApp, case_id: i64, step: Step) {
    let mut tx = app.db.begin().await.unwrap();
    store::apply_step(&mut tx, &Actor::system("test"), case_id, step)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The znaks on a case list page for the search `q` (all statuses).
async fn search(app: &TestApp, view: &str, q: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let page = app
        .get(&format!("/staff/cases?view={view}&status=all&q={q}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

async fn case_search_finds_znak_title_and_party_in_scope(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let gn = unit(&app, "GN").await;
    let ours = register(
        &app,
        sa,
        "Wycinka drzew przy ul. Źródlanej",
        "Łucja Żółkiewska-Ćwik",
    )
    .await;
    // The same party and title in another unit: never shown to SA's head.
    let theirs = register(
        &app,
        gn,
        "Wycinka drzew przy ul. Źródlanej",
        "Łucja Żółkiewska-Ćwik",
    )
    .await;
    app.login("kierownik").await;
    for q in [
        "żółkiewska",
        "ŻÓŁKIEWSKA",
        "Zolkiewska",
        "łucja żół",
        "ŹRÓDLANEJ",
        "zrodlanej",
        "wycinka drzew",
        ours.znak.as_str(),
        &ours.znak.to_lowercase(),
    ] {
        let body = search(&app, "unit", q).await;
        assert!(body.contains(&ours.znak), "{q}: {} not found", ours.znak);
        assert!(
            !body.contains(&theirs.znak),
            "{q}: {} out of scope",
            theirs.znak
        );
    }
    // The other unit's znak typed whole finds nothing here.
    let body = search(&app, "unit", &theirs.znak).await;
    assert!(body.contains("Brak spraw"), "{}", theirs.znak);
    // Text that is in no case.
    assert!(
        search(&app, "unit", "żółkiewskaa")
            .await
            .contains("Brak spraw")
    );
    // A case registered now is found at once (the index follows the insert), and a
    // case moved on keeps being found.
    let later = register(&app, sa, "Dowód osobisty", "Grzegorz Brzęczyszczykiewicz").await;
    let body = search(&app, "unit", "brzeczyszczykiewicz").await;
    assert!(body.contains(&later.znak));
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    step(
        &app,
        later.id,
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    assert!(
        search(&app, "unit", "BRZĘCZYSZCZYKIEWICZ")
            .await
            .contains(&later.znak)
    );
    // The official's own list: the search stays within their cases.
    app.clear_cookies();
    app.login("urzednik").await;
    let mine = search(&app, "mine", "brzęczyszczykiewicz").await;
    assert!(mine.contains(&later.znak));
    let mine = search(&app, "mine", "żółkiewska").await;
    assert!(!mine.contains(&ours.znak), "not assigned to urzednik");
    assert!(!mine.contains(&theirs.znak));
}

async fn case_search_short_text_and_wildcards_stay_literal(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let gn = unit(&app, "GN").await;
    let ours = register(&app, sa, "Opłata 100% za „Ćmę”", "Anna Ćwik_Nowak").await;
    let theirs = register(&app, gn, "Opłata 100% za „Ćmę”", "Anna Ćwik_Nowak").await;
    app.login("kierownik").await;
    // Under three characters there is no trigram: the scoped LIKE, same folding.
    for q in ["Ćw", "cw", "ĆMĘ", "0%", "k_"] {
        let body = search(&app, "unit", q).await;
        assert!(body.contains(&ours.znak), "{q}");
        assert!(!body.contains(&theirs.znak), "{q}");
    }
    // Wildcards and quotes are text, not syntax, on either path.
    for q in ["100%", "ćwik_nowak", "„ćmę”"] {
        assert!(search(&app, "unit", q).await.contains(&ours.znak), "{q}");
    }
    for q in [
        "%x",
        "x_",
        "1%0",
        "ćwik%nowak",
        "\"",
        "\"ćwik\" OR \"x\"",
        "ćwik*",
        "a\\b",
    ] {
        let body = search(&app, "unit", q).await;
        assert!(!body.contains(&ours.znak), "{q} matched literally");
    }
}

async fn case_search_finds_what_the_migration_backfilled(app: TestApp) {
    // The demo's cases were registered through register_case; the migration's own
    // folding (in SQL, for rows from before 0008) must agree with the application's.
    // Recomputing it here on every row and comparing proves the two foldings match.
    let sa = unit(&app, "SA").await;
    register(&app, sa, "Zażółć gęślą jaźń ÀÉÎÕÜ", "ŁUKASZ ŚWIĘTOSŁAW").await;
    let stored = app
        .scalar_text("SELECT search_text FROM case_file WHERE party_name = 'ŁUKASZ ŚWIĘTOSŁAW'")
        .await;
    assert!(
        stored.ends_with("zazolc gesla jazn aeiou lukasz swietoslaw"),
        "{stored}"
    );
    let folded_in_sql = match app.db.backend() {
        magistrat::db::Backend::Sqlite => {
            let sql = std::fs::read_to_string("migrations/sqlite/0008_case_search.sql").unwrap();
            backfill_expression(&sql)
        }
        magistrat::db::Backend::Postgres => {
            let sql = std::fs::read_to_string("migrations/postgres/0008_case_search.sql").unwrap();
            backfill_expression(&sql)
        }
    };
    let differing = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_file WHERE search_text <> ({folded_in_sql})"
        ))
        .await;
    assert_eq!(differing, 0);
}

async fn case_search_for_common_text_walks_the_scope(app: TestApp) {
    // More matches than the index path takes (2,000): the list walks its scope in
    // order and checks the text on each row; same meaning, same scope.
    magistrat::cases::bench_seed::seed_bulk(&app.db, "SA", 2_100)
        .await
        .unwrap();
    let gn = unit(&app, "GN").await;
    let theirs = register(
        &app,
        gn,
        "Zameldowanie na pobyt stały nr 7",
        "Mieszkaniec 7",
    )
    .await;
    app.login("kierownik").await;
    let body = search(&app, "unit", "ZAMELDOWANIE NA POBYT STAŁY").await;
    assert!(
        body.matches("Mieszkaniec ").count() > 40,
        "a page of the seeded cases"
    );
    assert!(body.contains("rel=\"next\""));
    assert!(!body.contains(&theirs.znak));
    assert!(!body.contains("GN."), "only SA's cases");
    // Rare text in the same register still comes through the index.
    let body = search(&app, "unit", "mieszkaniec 2099").await;
    assert!(body.contains("Mieszkaniec 2099<") || body.contains("Mieszkaniec 2099 "));
    assert!(!body.contains("Mieszkaniec 2098"));
}

/// The expression after `UPDATE case_file SET search_text =` in a migration.
fn backfill_expression(sql: &str) -> String {
    let start = sql.find("UPDATE case_file SET search_text =").unwrap()
        + "UPDATE case_file SET search_text =".len();
    let end = start + sql[start..].find(";\n").unwrap();
    sql[start..end].to_owned()
}

async fn workload_tally_matches_a_count_of_the_cases(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let gn = unit(&app, "GN").await;
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let r = register(&app, if i % 3 == 0 { gn } else { sa }, "Sprawa", "Strona").await;
        ids.push(r.id);
    }
    // Assigned, suspended (a period that moves the due date), settled and closed.
    step(
        &app,
        ids[1],
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    step(
        &app,
        ids[2],
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    step(
        &app,
        ids[4],
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    app.exec(&format!(
        "UPDATE case_file SET status = 'suspended' WHERE id = {}",
        ids[2]
    ))
    .await;
    app.exec(&format!(
        "UPDATE case_file SET due_on = received_on WHERE id = {}",
        ids[4]
    ))
    .await;
    app.exec(&format!(
        "UPDATE case_file SET status = 'settled' WHERE id = {}",
        ids[5]
    ))
    .await;
    app.exec(&format!(
        "DELETE FROM case_event WHERE case_id = {}",
        ids[3]
    ))
    .await;
    // Its parties go with it (migration 0044: every case has its party rows).
    app.exec(&format!(
        "DELETE FROM case_party WHERE case_id = {}",
        ids[3]
    ))
    .await;
    app.exec(&format!("DELETE FROM case_file WHERE id = {}", ids[3]))
        .await;
    for days in [-40, -7, 0, 1, 25, 40] {
        let day = today().checked_add(jiff::Span::new().days(days)).unwrap();
        for units in [None, Some(vec![sa]), Some(vec![sa, gn]), Some(vec![])] {
            let got = store::workload(&app.db, units.as_deref(), day)
                .await
                .unwrap();
            let got: Vec<(Option<i64>, i64, i64, i64)> = got
                .into_iter()
                .map(|w| (w.official_id, w.open, w.due_soon, w.overdue))
                .collect();
            let want = counted(&app, units.as_deref(), day).await;
            assert_eq!(sorted(got), sorted(want), "{day} {units:?}");
        }
    }
}

fn sorted(mut v: Vec<(Option<i64>, i64, i64, i64)>) -> Vec<(Option<i64>, i64, i64, i64)> {
    v.sort();
    v
}

/// The workload as the register counted it before the tally: every open case grouped.
async fn counted(
    app: &TestApp,
    units: Option<&[i64]>,
    today: jiff::civil::Date,
) -> Vec<(Option<i64>, i64, i64, i64)> {
    let scope = match units {
        None => String::new(),
        Some([]) => "AND 1 = 0".to_owned(),
        Some(u) => format!(
            "AND unit_id IN ({})",
            u.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        ),
    };
    let sql = format!(
        "SELECT official_id, COUNT(*), \
         CAST(SUM(CASE WHEN status <> 'suspended' AND due_on >= $1 AND due_on <= $2 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status <> 'suspended' AND due_on < $1 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM case_file WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended') \
         {scope} GROUP BY official_id"
    );
    let soon = today.checked_add(jiff::Span::new().days(7)).unwrap();
    with_db!(&app.db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(jiff_sqlx::Date::from(today))
            .bind(jiff_sqlx::Date::from(soon))
            .fetch_all(c)
            .await
    })
    .unwrap()
}
