//! Appeals and ponaglenia through the real router and store, on both backends, with the
//! office's clock on Wednesday 4 November 2026 so the terms can be counted by hand: the
//! demo decision (case "ul. Leśna 9") delivered that day; an appeal received the same
//! day is in the party's term (KPA art. 129 § 2) and must be forwarded by Thursday
//! 12 November (art. 133: 7 days, 11 November a holiday, art. 57 § 4); a posting date
//! at a Polish post office decides the party's term (art. 57 § 5 pkt 2); the organ's
//! self-review (art. 132) only within those 7 days; a ponaglenie forwarded only with the
//! organ's answer (art. 37 § 4). Every act in the metryka and the audit trail; every
//! refusal with nothing written.

use axum::http::StatusCode;
use jiff::SignedDuration;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

backend_tests!(
    spawn = super::spawn_on_4_november_2026;
    an_appeal_is_lodged_and_forwarded_in_time,
    bad_appeal_input_is_refused_and_writes_nothing,
    self_review_only_within_seven_days_then_a_late_forwarding,
    a_ponaglenie_goes_with_the_organs_answer,
    a_posting_date_keeps_the_partys_term,
    periods_not_counted_move_the_due_date_and_may_not_overlap,
    a_udip_extension_comes_within_fourteen_days,
    a_kpa_request_by_email_is_flagged,
);

async fn spawn_on_4_november_2026(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-11-04T09:00:00Z").await
}

const SKO: &str = "Samorządowe Kolegium Odwoławcze w Kaliszu";

async fn appealed_case(app: &TestApp) -> (i64, i64) {
    let case = app
        .count(
            "SELECT id FROM case_file WHERE title = 'Wymeldowanie z pobytu stałego, ul. Leśna 9'",
        )
        .await;
    let decision = app
        .count(&format!(
            "SELECT id FROM case_letter WHERE case_id = {case} AND kind = 'decision' AND state = 'delivered'"
        ))
        .await;
    (case, decision)
}

fn appeal_id(location: &str) -> i64 {
    location
        .trim_start_matches("/staff/appeals/")
        .parse()
        .unwrap_or_else(|_| panic!("an appeal's page, got {location}"))
}

async fn lodge(app: &TestApp, case: i64, fields: &[(&str, &str)]) -> crate::helpers::TestResponse {
    app.post_form(&format!("/staff/cases/{case}/appeals"), fields)
        .await
}

/// An official's answer to an appeal or ponaglenie on its page (`action`, `on` and the rest).
async fn dispose(app: &TestApp, id: i64, fields: &[(&str, &str)]) -> crate::helpers::TestResponse {
    app.post_form(&format!("/staff/appeals/{id}"), fields).await
}

async fn appeals_of(app: &TestApp, case: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM case_appeal WHERE case_id = {case}"
    ))
    .await
}

async fn an_appeal_is_lodged_and_forwarded_in_time(app: TestApp) {
    let (case, decision) = appealed_case(&app).await;
    app.login("urzednik").await;
    let page = app.get(&format!("/staff/cases/{case}/appeals")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Rejestracja odwołania lub ponaglenia"));
    let audit_before = app.count("SELECT COUNT(*) FROM audit_event").await;

    let r = lodge(
        &app,
        case,
        &[
            ("kind", "appeal"),
            ("letter_id", &decision.to_string()),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", "2026-11-04"),
            ("higher_body", SKO),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = appeal_id(r.location());
    // Art. 129 § 2: in term; art. 133: 7 days from 4 Nov is 11 Nov, Independence Day,
    // so the organ's last day is Thursday 12 Nov (art. 57 § 4).
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT kind || '|' || disposition || '|' || CAST(forward_by AS TEXT) FROM case_appeal WHERE id = {id}"
        ))
        .await,
        "appeal|pending|2026-11-12"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_appeal WHERE id = {id} AND in_term AND letter_id = {decision}"
        ))
        .await,
        1
    );
    // In the official's deadline list, with its last day.
    let list = app.get("/staff/appeals?view=mine").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("12 listopada 2026"), "{}", list.body);
    assert!(list.body.contains(&format!("/staff/appeals/{id}")));
    // In the metryka and the audit trail.
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(metryka.body.contains("Wpływ odwołania"), "{}", metryka.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_appeal' AND entity_id = '{id}'"
        ))
        .await,
        1
    );
    assert!(app.count("SELECT COUNT(*) FROM audit_event").await > audit_before);

    // Forwarded with the case file on 4 Nov: in time.
    let r = dispose(
        &app,
        id,
        &[
            ("action", "forward"),
            ("on", "2026-11-04"),
            ("position", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT disposition || '|' || CAST(disposed_on AS TEXT) FROM case_appeal WHERE id = {id}"
        ))
        .await,
        "forwarded|2026-11-04"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_appeal WHERE id = {id} AND NOT disposed_late"
        ))
        .await,
        1
    );
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Przekazanie odwołania z aktami sprawy organowi odwoławczemu"),
        "{}",
        metryka.body
    );
    // Once: a second forwarding is a conflict, nothing changes.
    let r = dispose(&app, id, &[("action", "forward"), ("on", "2026-11-04")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_appeal' AND entity_id = '{id}'"
        ))
        .await,
        2
    );
    // Out of the list of those to forward.
    let list = app.get("/staff/appeals?view=mine").await;
    assert!(!list.body.contains(&format!("/staff/appeals/{id}\"")));
}

async fn bad_appeal_input_is_refused_and_writes_nothing(app: TestApp) {
    let (case, decision) = appealed_case(&app).await;
    let decision = decision.to_string();
    app.login("urzednik").await;
    let acts = format!("SELECT COUNT(*) FROM case_act WHERE case_id = {case}");
    let acts_before = app.count(&acts).await;
    let base = |received: &'static str, posted: &'static str| {
        vec![
            ("kind", "appeal"),
            ("letter_id", decision.as_str()),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", received),
            ("posted_on", posted),
            ("higher_body", SKO),
        ]
    };
    let table: [(Vec<(&str, &str)>, &str); 5] = [
        // Before the decision's delivery (art. 129 § 2: the term runs from delivery).
        (
            base("2026-11-03", ""),
            "wcześniejsza niż doręczenie decyzji",
        ),
        // After today.
        (base("2026-11-05", ""), "nie może być późniejsza niż dziś"),
        // Posted after it arrived.
        (
            base("2026-11-04", "2026-11-05"),
            "Data nadania nie może być późniejsza niż data wpływu",
        ),
        // Not a date.
        (base("4 listopada", ""), "Podaj datę w formacie RRRR-MM-DD"),
        // No decision named.
        (
            vec![
                ("kind", "appeal"),
                ("letter_id", ""),
                ("lodged_by", "Zbigniew Adamczyk"),
                ("received_on", "2026-11-04"),
                ("higher_body", SKO),
            ],
            "To pole jest wymagane",
        ),
    ];
    for (fields, message) in table {
        let r = lodge(&app, case, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
    }
    // A letter of another case (or not a delivered decision) is not a choice.
    let other = app
        .count("SELECT id FROM case_letter WHERE kind <> 'decision' ORDER BY id LIMIT 1")
        .await
        .to_string();
    let r = lodge(
        &app,
        case,
        &[
            ("kind", "appeal"),
            ("letter_id", &other),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", "2026-11-04"),
            ("higher_body", SKO),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(appeals_of(&app, case).await, 0);
    assert_eq!(app.count(&acts).await, acts_before);

    // Someone outside the case: the front desk may not register it.
    app.logout().await;
    app.login("obsluga").await;
    let r = lodge(&app, case, &base("2026-11-04", "")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(appeals_of(&app, case).await, 0);
}

async fn self_review_only_within_seven_days_then_a_late_forwarding(app: TestApp) {
    let (case, decision) = appealed_case(&app).await;
    app.login("kierownik").await;
    let r = lodge(
        &app,
        case,
        &[
            ("kind", "appeal"),
            ("letter_id", &decision.to_string()),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", "2026-11-04"),
            ("higher_body", SKO),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = appeal_id(r.location());
    // Friday 13 November: the 7 days of art. 133 ran out on the 12th (signed in again:
    // the session does not outlive the days).
    app.clock().advance(SignedDuration::from_hours(24 * 9));
    app.logout().await;
    app.login("kierownik").await;
    let list = app.get("/staff/appeals?view=unit").await;
    assert!(list.body.contains("po terminie"), "{}", list.body);
    let r = dispose(&app, id, &[("action", "self_review"), ("on", "2026-11-13")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("art. 132 KPA można wydać tylko"),
        "{}",
        r.body
    );
    // A date before the receipt is refused at its field.
    let r = dispose(&app, id, &[("action", "forward"), ("on", "2026-11-03")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT disposition FROM case_appeal WHERE id = {id}"
        ))
        .await,
        "pending"
    );
    // Forwarding is still required, and recorded as late.
    let r = dispose(&app, id, &[("action", "forward"), ("on", "2026-11-13")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_appeal WHERE id = {id} AND disposed_late AND disposition = 'forwarded'"
        ))
        .await,
        1
    );
}

async fn a_ponaglenie_goes_with_the_organs_answer(app: TestApp) {
    // The demo's ponaglenie in the suspended case, received today.
    let id = app
        .count("SELECT id FROM case_appeal WHERE kind = 'ponaglenie' ORDER BY id LIMIT 1")
        .await;
    let case = app
        .count(&format!("SELECT case_id FROM case_appeal WHERE id = {id}"))
        .await;
    app.login("urzednik").await;
    let page = app.get(&format!("/staff/appeals/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("art. 37 § 4"), "{}", page.body);
    // No art. 132 for a ponaglenie.
    let r = dispose(&app, id, &[("action", "self_review"), ("on", "2026-11-04")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("samokontroli"), "{}", r.body);
    // Art. 37 § 4: not without the organ's answer.
    let r = dispose(
        &app,
        id,
        &[
            ("action", "forward"),
            ("on", "2026-11-04"),
            ("position", " "),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Podaj odpowiedź na ponaglenie"),
        "{}",
        r.body
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT disposition FROM case_appeal WHERE id = {id}"
        ))
        .await,
        "pending"
    );
    let answer = "Postępowanie zawieszono do czasu rozstrzygnięcia sprawy o zasiedzenie; zwłoka nie wynika z winy organu.";
    let r = dispose(
        &app,
        id,
        &[
            ("action", "forward"),
            ("on", "2026-11-04"),
            ("position", answer),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT disposition || '|' || position FROM case_appeal WHERE id = {id}"
        ))
        .await,
        format!("forwarded|{answer}")
    );
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(metryka.body.contains("Wpływ ponaglenia"));
    assert!(
        metryka
            .body
            .contains("Przekazanie ponaglenia z odpowiedzią i aktami sprawy")
    );
}

async fn a_posting_date_keeps_the_partys_term(app: TestApp) {
    let (case, decision) = appealed_case(&app).await;
    let decision = decision.to_string();
    // Delivered 4 Nov: the party's last day is Wednesday 18 Nov (art. 129 § 2).
    app.clock().advance(SignedDuration::from_hours(24 * 16));
    app.login("urzednik").await;
    // Received 20 Nov, posted 18 Nov at a Polish post office: in term (art. 57 § 5).
    let r = lodge(
        &app,
        case,
        &[
            ("kind", "appeal"),
            ("letter_id", &decision),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", "2026-11-20"),
            ("posted_on", "2026-11-18"),
            ("higher_body", SKO),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let in_term = appeal_id(r.location());
    // Received 20 Nov without a posting date: late, and still registered to forward.
    let r = lodge(
        &app,
        case,
        &[
            ("kind", "appeal"),
            ("letter_id", &decision),
            ("lodged_by", "Zbigniew Adamczyk"),
            ("received_on", "2026-11-20"),
            ("higher_body", SKO),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let late = appeal_id(r.location());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_appeal WHERE id = {in_term} AND in_term"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_appeal WHERE id = {late} AND NOT in_term"
        ))
        .await,
        1
    );
    // Both: 7 days from Friday 20 Nov → Friday 27 Nov.
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT CAST(forward_by AS TEXT) FROM case_appeal WHERE id = {late}"
        ))
        .await,
        "2026-11-27"
    );
    let page = app.get(&format!("/staff/appeals/{late}")).await;
    assert!(page.body.contains("wniesione po terminie"));
    assert!(page.body.contains("art. 134"));
}

async fn case_titled(app: &TestApp, title: &str) -> i64 {
    app.count(&format!("SELECT id FROM case_file WHERE title = '{title}'"))
        .await
}

async fn due_on(app: &TestApp, case: i64) -> String {
    app.scalar_text(&format!(
        "SELECT CAST(due_on AS TEXT) FROM case_file WHERE id = {case}"
    ))
    .await
}

/// Art. 35 § 5 through the case page: received Sunday 1 Nov 2026, one month (art. 35
/// § 3) → Tuesday 1 Dec; mediation 2–6 Nov (5 days) → Sunday 6 Dec → Monday 7 Dec
/// (art. 57 § 4). A delay outside the organ on 4–7 Nov shares 4–6 Nov: refused, nothing
/// written; on 9–10 Nov it is added: 1 Dec + 5 + 2 running days → Tuesday 8 Dec (the
/// days are added to the nominal end before the weekend rule).
async fn periods_not_counted_move_the_due_date_and_may_not_overlap(app: TestApp) {
    let case = case_titled(&app, "Zameldowanie na pobyt stały, ul. Lipowa 4").await;
    assert_eq!(due_on(&app, case).await, "2026-12-01");
    app.login("urzednik").await;
    let path = format!("/staff/cases/{case}/actions/excluded_period");
    let r = app
        .post_form(
            &path,
            &[
                ("kind", "mediation"),
                ("from", "2026-11-02"),
                ("to", "2026-11-06"),
                (
                    "reason",
                    "Mediacja między współwłaścicielami lokalu (art. 96a KPA)",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(due_on(&app, case).await, "2026-12-07");
    let periods = format!("SELECT COUNT(*) FROM case_period WHERE case_id = {case}");
    assert_eq!(app.count(&periods).await, 1);
    let r = app
        .post_form(
            &path,
            &[
                ("kind", "outside_organ"),
                ("from", "2026-11-04"),
                ("to", "2026-11-07"),
                ("reason", "Awaria systemu rejestrów państwowych"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("pokrywa się z okresem już zapisanym"),
        "{}",
        r.body
    );
    assert_eq!(app.count(&periods).await, 1);
    assert_eq!(due_on(&app, case).await, "2026-12-07");
    app.clock().advance(SignedDuration::from_hours(24 * 7));
    app.logout().await;
    app.login("urzednik").await;
    let r = app
        .post_form(
            &path,
            &[
                ("kind", "outside_organ"),
                ("from", "2026-11-09"),
                ("to", "2026-11-10"),
                ("reason", "Awaria systemu rejestrów państwowych"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(due_on(&app, case).await, "2026-12-08");
    // The case page lists them by kind; the metryka has the acts.
    let page = app.get(&format!("/staff/cases/{case}")).await;
    assert!(page.body.contains("Mediacja"));
    assert!(
        page.body
            .contains("Opóźnienie z przyczyn niezależnych od organu")
    );
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Okres niewliczany do terminu (art. 35 § 5 KPA)")
    );
}

/// UDIP art. 13 ust. 2: a request received Friday 30 Oct 2026; its 14 days end Friday
/// 13 Nov. On Monday 16 Nov an extension notice is too late (refused at its date);
/// issued on 13 Nov it is recorded.
async fn a_udip_extension_comes_within_fourteen_days(app: TestApp) {
    let case = case_titled(&app, "Informacja o liczbie zameldowań w 2025 r.").await;
    assert_eq!(due_on(&app, case).await, "2026-11-13");
    app.clock().advance(SignedDuration::from_hours(24 * 12));
    app.login("urzednik").await;
    let path = format!("/staff/cases/{case}/actions/delay_notice");
    let notices = format!("SELECT COUNT(*) FROM case_delay_notice WHERE case_id = {case}");
    let r = app
        .post_form(
            &path,
            &[
                ("issued_on", "2026-11-16"),
                ("new_due", "2026-12-15"),
                ("reason", "Dane trzeba zestawić z archiwum"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("w ciągu 14 dni od złożenia wniosku"),
        "{}",
        r.body
    );
    assert_eq!(app.count(&notices).await, 0);
    let r = app
        .post_form(
            &path,
            &[
                ("issued_on", "2026-11-13"),
                ("new_due", "2026-12-15"),
                ("reason", "Dane trzeba zestawić z archiwum"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.count(&notices).await, 1);
    assert_eq!(due_on(&app, case).await, "2026-12-15");
}

/// KPA art. 63 § 1: a KPA request registered from a plain e-mail is registered, with a
/// warning on the case page; a petition by e-mail is not flagged.
async fn a_kpa_request_by_email_is_flagged(app: TestApp) {
    app.login("kierownik").await;
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let mut ids = Vec::new();
    for (kind, jrwa, title) in [
        (
            "administrative_simple",
            "5310",
            "Wymeldowanie — wniosek e-mailem",
        ),
        ("petition", "1520", "Petycja w sprawie oświetlenia ulicy"),
    ] {
        let r = app
            .post_form(
                "/staff/cases/new",
                &[
                    ("unit_id", &sa),
                    ("jrwa_symbol", jrwa),
                    ("kind", kind),
                    ("title", title),
                    ("party_name", "Anna Lewandowska"),
                    ("party_email", "anna.lewandowska@example.pl"),
                    ("received_on", "2026-11-04"),
                    ("channel", "email"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
        ids.push(r.location().to_owned());
    }
    let kpa = app.get(&ids[0]).await;
    assert!(kpa.body.contains("art. 63 § 1 KPA"), "{}", kpa.body);
    let petition = app.get(&ids[1]).await;
    assert!(!petition.body.contains("art. 63 § 1 KPA"));
}
