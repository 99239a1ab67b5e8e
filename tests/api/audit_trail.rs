//! The audit trail: every change recorded with before and after, a hash chain that
//! names the first tampered event, one chain under concurrent writers, and the viewer.

use axum::http::StatusCode;
use magistrat::db::audit::{self, Actor, Change, Problem, Verdict};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    changes_are_recorded_with_before_and_after,
    verify_names_the_first_tampered_event,
    concurrent_writers_keep_one_chain,
    viewer_filters_by_actor_entity_and_date,
    the_trail_and_the_accounts_export_as_csv,
);

async fn changes_are_recorded_with_before_and_after(app: TestApp) {
    app.login("admin").await;
    let created = app
        .post_form(
            "/staff/users",
            &[
                ("login", "m.nowicka"),
                ("display_name", "Maria Nowicka"),
                ("email", "m.nowicka@borowiec.example.pl"),
                ("password", "Nowe-Haslo-Urzedu-77"),
                ("role", "case_official"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let after: String = match &app.db.pool {
        magistrat::db::Pool::Sqlite(p) => sqlx::query_scalar("SELECT after_json FROM audit_event WHERE action = 'user.create' ORDER BY seq DESC LIMIT 1").fetch_one(p).await.unwrap(),
        magistrat::db::Pool::Postgres(p) => sqlx::query_scalar("SELECT after_json FROM audit_event WHERE action = 'user.create' ORDER BY seq DESC LIMIT 1").fetch_one(p).await.unwrap(),
    };
    assert!(
        after.contains("m.nowicka") && after.contains("case_official"),
        "{after}"
    );
    assert!(
        !after.contains("argon2") && !after.contains("Nowe-Haslo"),
        "no secrets in the trail: {after}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user.create' AND actor_login = 'admin'").await,
        1
    );
    // A role change keeps what it was before.
    let id = app
        .count("SELECT id FROM app_user WHERE login = 'm.nowicka'")
        .await;
    let changed = app
        .post_form(&format!("/staff/users/{id}"), &[("role", "manager")])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user_roles.update' AND before_json LIKE '%case_official%' AND after_json LIKE '%manager%'").await,
        1
    );
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

async fn verify_names_the_first_tampered_event(app: TestApp) {
    let Verdict::Intact { events, .. } = audit::verify(&app.db).await.unwrap() else {
        panic!("the demo trail must verify");
    };
    assert!(events > 20);

    // Edited content.
    app.exec("UPDATE audit_event SET after_json = '{\"name\":\"forged\"}' WHERE seq = 5")
        .await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Broken {
            seq: 5,
            problem: Problem::ContentChanged
        }
    );
    app.exec("UPDATE audit_event SET after_json = NULL, hash = 'x' WHERE seq = 5")
        .await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Broken {
            seq: 5,
            problem: Problem::ContentChanged
        }
    );
}

backend_tests!(deletion_and_reordering_are_detected);

async fn deletion_and_reordering_are_detected(app: TestApp) {
    // A deleted event in the middle.
    app.exec("DELETE FROM audit_event WHERE seq = 7").await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Broken {
            seq: 7,
            problem: Problem::Missing
        }
    );

    // Renumbering the next event to hide the gap is caught too: the number is hashed.
    app.exec("UPDATE audit_event SET seq = 7 WHERE seq = 8")
        .await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Broken {
            seq: 7,
            problem: Problem::ContentChanged
        }
    );
}

backend_tests!(truncation_is_detected, swapped_events_are_detected);

async fn truncation_is_detected(app: TestApp) {
    let last = app.count("SELECT MAX(seq) FROM audit_event").await;
    app.exec(&format!("DELETE FROM audit_event WHERE seq = {last}"))
        .await;
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Broken {
            seq: last,
            problem: Problem::Truncated
        }
    );
}

async fn swapped_events_are_detected(app: TestApp) {
    // Swap the content of events 3 and 4, each keeping a hash valid for its content:
    // the order change shows as a broken link.
    app.exec("UPDATE audit_event SET seq = -3 WHERE seq = 3")
        .await;
    app.exec("UPDATE audit_event SET seq = 3 WHERE seq = 4")
        .await;
    app.exec("UPDATE audit_event SET seq = 4 WHERE seq = -3")
        .await;
    let verdict = audit::verify(&app.db).await.unwrap();
    assert!(
        matches!(verdict, Verdict::Broken { seq: 3, .. }),
        "{verdict:?}"
    );
}

async fn concurrent_writers_keep_one_chain(app: TestApp) {
    let before = app.count("SELECT COUNT(*) FROM audit_event").await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("test");
            audit::record_alone(&db, &actor, Change::action("ping", "test", i)).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event").await,
        before + 24
    );
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT prev_hash) FROM audit_event")
            .await,
        before + 24
    );
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

async fn viewer_filters_by_actor_entity_and_date(app: TestApp) {
    for i in 0..10 {
        audit::record_alone(
            &app.db,
            &Actor::system("test"),
            Change::action("ping", "test", i),
        )
        .await
        .unwrap();
    }
    app.login("bezpieczenstwo").await;
    let all = app.get("/staff/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    // In words: who, what and on what (issue 15), not the stored codes.
    assert!(all.body.contains("system (demo)"), "{}", all.body);
    assert!(!all.body.contains("system:demo"));

    let mine = app.get("/staff/audit?actor=bezpieczenstwo").await;
    assert!(
        mine.body.contains("konto użytkownika — logowanie"),
        "{}",
        mine.body
    );
    assert!(!mine.body.contains("user.login"));
    assert!(!mine.body.contains("system (demo)"));

    let units = app.get("/staff/audit?entity_type=org_unit").await;
    assert!(units.body.contains("komórka organizacyjna — utworzenie"));
    assert!(!units.body.contains("konto użytkownika — utworzenie"));
    // The kind of object is chosen from a list, in words, the chosen one selected.
    assert!(
        units
            .body
            .contains("<option value=\"org_unit\" selected>komórka organizacyjna</option>"),
        "{}",
        units.body
    );
    // A case's events link to the case.
    let cases = app.get("/staff/audit?entity_type=case_file").await;
    assert!(
        cases.body.contains("<a href=\"/staff/cases/"),
        "{}",
        cases.body
    );

    let today = jiff::Zoned::now().in_tz("Europe/Warsaw").unwrap().date();
    // With the entity filter: the demo seeds more than a page of events (service cards).
    let in_range = app
        // Narrowed to units: the demo's cases put many newer events on the first page.
        .get(&format!(
            "/staff/audit?from={today}&to={today}&entity_type=org_unit"
        ))
        .await;
    assert!(in_range.body.contains("komórka organizacyjna — utworzenie"));
    let past = app.get("/staff/audit?from=2020-01-01&to=2020-12-31").await;
    assert!(past.body.contains("Brak zdarzeń"));

    let bad = app.get("/staff/audit?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(
        bad.body.contains("Podaj datę w formacie RRRR-MM-DD"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("aria-invalid=\"true\""));

    // Paging: 50 a page, then a link to older events.
    assert!(all.body.contains("Starsze zdarzenia"));
    // Follow the links to the oldest page (the demo's cases make several pages).
    let mut page = all;
    for _ in 0..100 {
        let Some(older) = page
            .body
            .split("/staff/audit?")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .filter(|link| link.contains("before="))
            .map(|link| link.replace("&#38;", "&"))
        else {
            break;
        };
        page = app.get(&format!("/staff/audit?{older}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    assert!(
        page.body.contains("<td class=\"num\">1</td>"),
        "the oldest event is on the last page:\n{}",
        page.body
    );
}

backend_tests!(verify_holds_while_events_are_written);

/// `magistrat audit verify` runs on a live office: events committed during the walk
/// must not make an intact chain look truncated (found by the crash test, whose
/// restarted server writes while the verifier reads).
async fn verify_holds_while_events_are_written(app: TestApp) {
    let db = app.db.clone();
    let writer = tokio::spawn(async move {
        for i in 0..150 {
            let actor = Actor::system("test");
            audit::record_alone(&db, &actor, Change::action("tick", "test", i))
                .await
                .unwrap();
        }
    });
    let mut walks = 0;
    while !writer.is_finished() {
        let verdict = audit::verify(&app.db).await.unwrap();
        assert!(matches!(verdict, Verdict::Intact { .. }), "{verdict:?}");
        walks += 1;
        tokio::task::yield_now().await;
    }
    writer.await.unwrap();
    assert!(
        walks > 1,
        "the verifier ran while events were written ({walks})"
    );
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

/// The trail exports with the viewer's filters (words and the stored codes side by
/// side, office time), a wrong filter is a 400 and never the whole trail; the accounts
/// list exports too; neither is open to a role that may not read the page.
async fn the_trail_and_the_accounts_export_as_csv(app: TestApp) {
    app.login("bezpieczenstwo").await;
    let units = app.get("/staff/audit?entity_type=org_unit").await;
    assert!(
        units
            .body
            .contains("href=\"/staff/audit/export?actor=&#38;entity_type=org_unit"),
        "{}",
        units.body
    );
    let csv = app
        .get("/staff/audit/export?actor=&entity_type=org_unit&entity_id=&from=&to=")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
    assert!(
        lines[0].contains("Czynność;Obiekt;Zapis w dzienniku (kody)"),
        "{}",
        lines[0]
    );
    let units_n = app
        .count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'org_unit'")
        .await;
    assert_eq!(lines.len() as i64 - 1, units_n, "{}", csv.body);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(";komórka organizacyjna — ") && l.contains(";org_unit."))
    );
    // Office time with its offset: +01:00 in winter, +02:00 in summer.
    assert!(
        lines[1].contains("+01:00;") || lines[1].contains("+02:00;"),
        "{}",
        lines[1]
    );
    let bad = app.get("/staff/audit/export?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(!bad.body.contains("org_unit"));
    // The security officer reads the trail but does not manage accounts.
    assert_eq!(
        app.get("/staff/users/export").await.status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;
    app.login("admin").await;
    let accounts = app.get("/staff/users/export").await;
    assert_eq!(accounts.status, StatusCode::OK);
    let rows: Vec<&str> = accounts.body.trim_end().split("\r\n").collect();
    assert_eq!(
        rows[0],
        "\u{feff}Login;Imię i nazwisko;Adres e-mail;Role;Stan"
    );
    let n = app.count("SELECT COUNT(*) FROM app_user").await;
    assert_eq!(rows.len() as i64 - 1, n);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("kierownik;") && r.ends_with(";Aktywne")),
        "{}",
        accounts.body
    );
    // Sorted by name the other way round: the page says so, and its export link gives
    // the same order, in Polish alphabetical order.
    let page = app.get("/staff/users?sort=name&dir=desc").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aria-sort=\"descending\""));
    assert!(
        page.body
            .contains("/staff/users/export?sort=name&#38;dir=desc"),
        "{}",
        page.body
    );
    let sorted = app.get("/staff/users/export?sort=name&dir=desc").await;
    let names: Vec<&str> = sorted
        .body
        .trim_end()
        .split("\r\n")
        .skip(1)
        .map(|r| r.split(';').nth(1).unwrap())
        .collect();
    assert_eq!(names.len() as i64, n);
    assert!(
        names
            .windows(2)
            .all(|w| magistrat_domain::collation::compare(w[0], w[1]).is_ge()),
        "{names:?}"
    );
}
