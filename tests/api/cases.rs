//! Cases through the real router and store: registering (znak, counters under
//! concurrency), the workflow with its forbidden steps and history, record-level scope
//! (403 outside the unit), transfers, the registers, the public petition and status
//! pages, the deadline calculator and the JRWA import.

use axum::http::StatusCode;
use magistrat::cases::Status;
use magistrat::cases::store::{self, Channel, NewCase, Step, StepOutcome};
use magistrat::db::audit::Actor;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    official_registers_a_case_with_a_znak,
    bad_registration_is_refused_at_the_fields,
    concurrent_registrations_never_repeat_or_skip,
    workflow_steps_and_forbidden_transitions,
    scope_is_checked_on_every_case,
    transfer_registers_anew_and_links,
    registers_list_their_cases,
    petitions_are_public_without_personal_data,
    public_status_shows_no_internal_data,
    calculator_explains_the_due_date,
    jrwa_import_is_all_or_nothing,
    lists_filter_and_page_in_sql,
    unknown_stored_values_are_errors_not_defaults,
);

backend_tests!(
    spawn = super::spawn_in_march_2026;
    deadlines_move_with_suspension_and_notices,
    suspending_and_resuming_through_the_form_moves_the_due_date,
    a_rolled_back_registration_gives_its_number_back,
    a_bad_step_form_answers_422_at_its_fields,
    kind_registers_sort_keep_their_numbers_and_export,
);

/// The office's clock on Friday 20 March 2026, so that due dates can be worked out by
/// hand.
async fn spawn_in_march_2026(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-03-20T09:00:00Z").await
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

fn today() -> jiff::civil::Date {
    magistrat::platform::Clock::system().today()
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    id_of(
        app,
        &format!("SELECT id FROM org_unit WHERE symbol = '{symbol}'"),
    )
    .await
}

fn new_case(unit_id: i64, class: &str) -> NewCase {
    NewCase {
        unit_id,
        jrwa_symbol: class.to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zameldowanie na pobyt stały".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: "jan@example.pl".to_owned(),
        publish_consent: false,
        received_on: today(),
        channel: Channel::Post,
        correspondence_id: None,
        official_id: None,
    }
}

async fn register(app: &TestApp, new: NewCase) -> store::RegisteredCase {
    let mut tx = app.db.begin().await.unwrap();
    let r = store::register_case(&mut tx, &Actor::system("test"), new)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    r
}

async fn step(app: &TestApp, case_id: i64, step: Step) -> StepOutcome {
    let mut tx = app.db.begin().await.unwrap();
    let out = store::apply_step(&mut tx, &Actor::system("test"), case_id, step)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    out
}

async fn official_registers_a_case_with_a_znak(app: TestApp) {
    app.login("urzednik").await;
    assert_eq!(app.get("/staff/cases/new").await.status, StatusCode::OK);
    let sa = unit(&app, "SA").await.to_string();
    let year = today().year();
    let before = app
        .count(&format!(
            "SELECT CAST(COALESCE(MAX(last_number), 0) AS BIGINT) FROM case_counter WHERE jrwa_symbol = '5340' AND year = {year}"
        ))
        .await;
    let date = today().to_string();
    let response = app
        .post_form(
            "/staff/cases/new",
            &[
                ("unit_id", sa.as_str()),
                ("jrwa_symbol", "5340"),
                ("kind", "certificate"),
                ("title", "Wydanie dowodu osobistego"),
                ("party_name", "Ewa Testowa"),
                ("party_address", ""),
                ("party_email", ""),
                ("received_on", date.as_str()),
                ("channel", "counter"),
                ("assign_to_me", "on"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let page = app.get(response.location()).await;
    let znak = format!("SA.5340.{}.{year}.JK", before + 1);
    assert!(page.body.contains(&znak), "{znak} not in {}", page.body);
    assert!(page.body.contains("Jan Kowalski"));
    // 7 days for a certificate (KPA art. 217 § 3), the history has the registration.
    assert!(page.body.contains("Rejestracja"));
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' AND action = 'case_file.create' AND after_json LIKE '%{znak}%'"
        ))
        .await;
    assert_eq!(audited, 1);
    // It is on the official's list.
    let list = app.get("/staff/cases?view=mine").await;
    assert!(list.body.contains(&znak));
}

async fn bad_registration_is_refused_at_the_fields(app: TestApp) {
    app.login("urzednik").await;
    let before = app.count("SELECT COUNT(*) FROM case_file").await;
    let gn = unit(&app, "GN").await.to_string();
    let response = app
        .post_form(
            "/staff/cases/new",
            &[
                // A unit outside the official's scope, a group class, no title.
                ("unit_id", gn.as_str()),
                ("jrwa_symbol", "531"),
                ("kind", "nonsense"),
                ("title", ""),
                ("party_name", "X"),
                ("party_email", "not-an-address"),
                ("received_on", "2026-02-30"),
                ("channel", "pigeon"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Wybierz komórkę z listy.",
        "Wybierz klasę końcową wykazu akt z listy.",
        "Wybierz rodzaj sprawy.",
        "To pole jest wymagane.",
        "Podaj adres e-mail w postaci nazwa@domena.pl.",
        "Podaj datę w postaci RRRR-MM-DD.",
        "Wybierz sposób wpływu.",
    ] {
        assert!(response.body.contains(message), "{message}");
    }
    assert!(response.body.contains("aria-describedby=\"f-title-error\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, before);
    // Front desk staff may not register cases.
    app.clear_cookies();
    app.login("obsluga").await;
    assert_eq!(
        app.get("/staff/cases/new").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn concurrent_registrations_never_repeat_or_skip(app: TestApp) {
    let gk = unit(&app, "GK").await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let db = app.db.clone();
        let new = new_case(gk, "6233");
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let r = store::register_case(&mut tx, &Actor::system("test"), new)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            r.znak
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        let znak = t.await.unwrap();
        let parts: Vec<&str> = znak.split('.').collect();
        assert_eq!(parts[0], "GK");
        numbers.push(parts[2].parse::<u32>().unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=40).collect::<Vec<_>>());
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(last_number AS BIGINT) FROM case_counter WHERE unit_id = {gk} AND jrwa_symbol = '6233'"
        ))
        .await,
        40
    );
}

async fn workflow_steps_and_forbidden_transitions(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let case = register(&app, new_case(sa, "5311")).await;
    let urzednik = id_of(&app, "SELECT id FROM app_user WHERE login = 'urzednik'").await;
    let path = format!("/staff/cases/{}", case.id);

    // The official may not act on a case not assigned to them.
    app.login("urzednik").await;
    let start = format!("{path}/actions/start");
    assert_eq!(
        app.post_form(&start, &[]).await.status,
        StatusCode::FORBIDDEN
    );

    // The head of unit assigns it.
    app.clear_cookies();
    app.login("kierownik").await;
    let page = app.get(&path).await;
    assert!(page.body.contains("Przydziel"), "{}", page.body);
    let official = urzednik.to_string();
    let r = app
        .post_form(
            &format!("{path}/actions/assign"),
            &[("official_id", official.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The official works on it.
    app.clear_cookies();
    app.login("urzednik").await;
    // Closing before settling is not a step of the workflow.
    let r = app.post_form(&format!("{path}/actions/close"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tej czynności nie można wykonać"));
    // Assigning is for heads only.
    let r = app
        .post_form(
            &format!("{path}/actions/assign"),
            &[("official_id", official.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let date = today().to_string();
    for (action, fields) in [
        ("start", vec![]),
        (
            "suspend",
            vec![("on", date.as_str()), ("reason", "Zagadnienie wstępne")],
        ),
        ("resume", vec![("on", date.as_str())]),
        (
            "settle",
            vec![("on", date.as_str()), ("outcome", "Wydano decyzję")],
        ),
        ("close", vec![]),
    ] {
        let r = app
            .post_form(&format!("{path}/actions/{action}"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    // A suspension without a reason is refused at once.
    let status = app
        .count(&format!("SELECT COUNT(*) FROM case_file WHERE id = {} AND status = 'closed' AND closed_at IS NOT NULL", case.id))
        .await;
    assert_eq!(status, 1);
    let page = app.get(&path).await;
    for what in [
        "Przydzielenie",
        "Rozpoczęcie prowadzenia",
        "Zawieszenie",
        "Podjęcie",
        "Załatwienie",
        "Zakończenie",
    ] {
        assert!(page.body.contains(what), "history lacks {what}");
    }
    assert!(page.body.contains("Zagadnienie wstępne"));
    // Nothing more can be done with a closed case.
    assert!(!page.body.contains("/actions/"));
    let events = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_event WHERE case_id = {}",
            case.id
        ))
        .await;
    assert_eq!(events, 7);
    let audited = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' AND entity_id = '{}'",
            case.id
        ))
        .await;
    assert_eq!(audited, 7);
    // A step with bad data changes nothing.
    let other = register(&app, new_case(sa, "5311")).await;
    step(
        &app,
        other.id,
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    step(&app, other.id, Step::Start).await;
    let r = app
        .post_form(
            &format!("/staff/cases/{}/actions/suspend", other.id),
            &[("on", date.as_str()), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Podaj przyczynę."));
    let r = app
        .post_form(&format!("/staff/cases/{}/actions/fly", other.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn scope_is_checked_on_every_case(app: TestApp) {
    let gn = unit(&app, "GN").await;
    let case = register(&app, new_case(gn, "6840")).await;
    let denied = || app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied'");
    let before = denied().await;
    for login in ["kierownik", "urzednik"] {
        app.clear_cookies();
        app.login(login).await;
        let r = app.get(&format!("/staff/cases/{}", case.id)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
        let r = app
            .post_form(&format!("/staff/cases/{}/actions/start", case.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
    }
    assert_eq!(denied().await, before + 4);
    // The unit's cases do not leak into lists or registers either.
    let list = app.get("/staff/cases?view=unit&status=all").await;
    assert!(!list.body.contains(&case.znak));
    let r = app.get(&format!("/staff/cases/register?unit={gn}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Unknown cases: 404 for those who may view cases.
    assert_eq!(
        app.get("/staff/cases/999999").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn transfer_registers_anew_and_links(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let usc = unit(&app, "USC").await;
    let case = register(&app, new_case(sa, "5361")).await;
    app.login("kierownik").await;
    let unit_id = usc.to_string();
    let r = app
        .post_form(
            &format!("/staff/cases/{}/actions/transfer", case.id),
            &[("unit_id", unit_id.as_str()), ("note", "Właściwy USC")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let new_id = id_of(
        &app,
        &format!(
            "SELECT transferred_to_id FROM case_file WHERE id = {}",
            case.id
        ),
    )
    .await;
    let new = store::case_by_id(&app.db, new_id).await.unwrap().unwrap();
    assert!(new.znak.starts_with("USC.5361."), "{}", new.znak);
    assert_eq!(new.transferred_from_id, Some(case.id));
    assert_eq!(new.received(), today());
    let old = app.get(&format!("/staff/cases/{}", case.id)).await;
    assert!(old.body.contains(&new.znak));
    assert!(old.body.contains("Przekazana do innej komórki"));
    // The old znak stays where it was.
    assert_eq!(
        store::znak_of(&app.db, case.id).await.unwrap(),
        Some(case.znak)
    );
}

async fn deadlines_move_with_suspension_and_notices(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let mut new = new_case(sa, "1431");
    new.kind = CaseKind::PublicInformation;
    // Received on Monday 19 January 2026: 14 days (UDIP art. 13 ust. 1), the day of
    // receipt not counted (KPA art. 57 § 1), end on Monday 2 February.
    let start = jiff::civil::date(2026, 1, 19);
    new.received_on = start;
    let case = register(&app, new).await;
    let expected = jiff::civil::date(2026, 2, 2);
    assert_eq!(case.due_date, expected);
    assign_to_urzednik_and_start(&app, case.id).await;
    // A party delay of 5 days moves the date by 5 days (then off weekends).
    let from = start.checked_add(jiff::Span::new().days(2)).unwrap();
    let to = start.checked_add(jiff::Span::new().days(6)).unwrap();
    step(
        &app,
        case.id,
        Step::PartyDelay {
            from,
            to,
            reason: "Braki formalne".into(),
        },
    )
    .await;
    // 21–25 January, 5 days of the party's delay, are not counted (KPA art. 35 § 5):
    // 2 February + 5 = Saturday 7 February, so the next working day, Monday 9
    // February (KPA art. 57 § 4).
    let moved = jiff::civil::date(2026, 2, 9);
    let c = store::case_by_id(&app.db, case.id).await.unwrap().unwrap();
    assert_eq!(c.due(), moved);
    assert!(moved > expected);
    // UDIP art. 13 ust. 2: extension to at most 2 months; beyond that refused.
    app.login("urzednik").await;
    let issued = start
        .checked_add(jiff::Span::new().days(7))
        .unwrap()
        .to_string();
    let too_late = start
        .checked_add(jiff::Span::new().months(3))
        .unwrap()
        .to_string();
    let r = app
        .post_form(
            &format!("/staff/cases/{}/actions/delay_notice", case.id),
            &[
                ("issued_on", issued.as_str()),
                ("new_due", too_late.as_str()),
                ("reason", "Duży wolumen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("przekracza najdłuższy termin"));
    let ok = start
        .checked_add(jiff::Span::new().days(40))
        .unwrap()
        .to_string();
    let r = app
        .post_form(
            &format!("/staff/cases/{}/actions/delay_notice", case.id),
            &[
                ("issued_on", issued.as_str()),
                ("new_due", ok.as_str()),
                ("reason", "Duży wolumen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = store::case_by_id(&app.db, case.id).await.unwrap().unwrap();
    assert_eq!(c.due().to_string(), ok);
    let page = app.get(&format!("/staff/cases/{}", case.id)).await;
    assert!(page.body.contains("Duży wolumen") && page.body.contains("Braki formalne"));
}

async fn registers_list_their_cases(app: TestApp) {
    let year = today().year();
    let sa = unit(&app, "SA").await;
    app.login("kierownik").await;
    let page = app
        .get(&format!(
            "/staff/cases/register?unit={sa}&class=5310&year={year}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Zameldowanie na pobyt stały, ul. Lipowa 4"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Data ostatecznego załatwienia"));
    // The demo complaints and requests are in their registers (office units in scope
    // for the administrator only: kierownik sees SA's requests).
    let pi = app.get("/staff/cases/public-information").await;
    assert!(
        pi.body
            .contains("Kopie umów na obsługę systemu meldunkowego")
    );
    assert!(!pi.body.contains("Wydatki na promocję miasta"));
    app.clear_cookies();
    app.login("admin").await;
    // The administrator has no case permissions.
    assert_eq!(
        app.get("/staff/cases/complaints").await.status,
        StatusCode::FORBIDDEN
    );
    app.clear_cookies();
    app.login("jakosc").await;
    let w = app.get("/staff/cases/workload").await;
    assert_eq!(w.status, StatusCode::OK);
    assert!(w.body.contains("Jan Kowalski"));
    assert!(w.body.contains("Nieprzydzielone"));
}

async fn petitions_are_public_without_personal_data(app: TestApp) {
    let year = today().year();
    let page = app.get("/petitions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Budowa ścieżki rowerowej"));
    // With consent the petitioner is named, without it not.
    assert!(page.body.contains("Borowiecka Masa Krytyczna"));
    assert!(!page.body.contains("Mieszkańcy ul. Leśnej"));
    let summary = app.get(&format!("/petitions/summary/{year}")).await;
    assert_eq!(summary.status, StatusCode::OK);
    assert!(summary.body.contains("Liczba petycji"));
    assert_eq!(
        app.get("/petitions/summary/1900").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn public_status_shows_no_internal_data(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let case = register(&app, new_case(sa, "5310")).await;
    assign_to_urzednik_and_start(&app, case.id).await;
    let status = store::public_status(&app.db, &case.tracking_code.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.znak, case.znak);
    assert_eq!(status.status, Status::InProgress);
    assert_eq!(status.due_date, case.due_date);
    let history: Vec<&str> = status.history.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(history, ["registered", "assigned", "in_progress"]);
    assert!(
        store::public_status(&app.db, "0000-0000-0000")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store::public_status(&app.db, "nonsense")
            .await
            .unwrap()
            .is_none()
    );
    let page = app
        .get(&format!("/case-status?code={}", case.tracking_code))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&case.znak));
    assert!(!page.body.contains("Jan Testowy"));
    assert!(!page.body.contains("Jan Kowalski"));
    let page = app.get("/case-status?code=AAAA-BBBB-CCCC").await;
    assert!(page.body.contains("Nie znaleziono sprawy"));
}

async fn calculator_explains_the_due_date(app: TestApp) {
    app.login("redaktor").await;
    let page = app.get("/staff/deadline").await;
    assert_eq!(page.status, StatusCode::OK);
    // 23 Dec 2025 + 1 day: Wigilia, Christmas, Saturday, Sunday → 29 December.
    let page = app
        .get("/staff/deadline?from=2025-12-23&term=1d&kind=")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Termin upływa: 2025-12-29"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Wigilia"));
    let page = app
        .get("/staff/deadline?from=2026-01-31&term=&kind=administrative_simple")
        .await;
    assert!(page.body.contains("2026-02-28"));
    let page = app
        .get("/staff/deadline?from=2026-01-31&term=14x&kind=")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("14d, 2w albo 1m"));
}

async fn jrwa_import_is_all_or_nothing(app: TestApp) {
    let year = today().year();
    let sql = format!("SELECT COUNT(*) FROM jrwa_class WHERE year = {year}");
    let classes = || app.count(&sql);
    let before = classes().await;
    assert!(before > 40);
    app.login("admin").await;
    let page = app.get("/staff/jrwa").await;
    assert!(page.body.contains("Udostępnianie informacji publicznej"));
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let bad = "1;Grupa;\n14;Podgrupa;\n1431;Bez kategorii;\n";
    let y = year.to_string();
    let r = app
        .post_multipart(
            "/staff/jrwa",
            &[("year", y.as_str())],
            &[("file", "jrwa.csv", "text/csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Wiersz 3"), "{}", r.body);
    assert_eq!(classes().await, before);
    // Classes holding cases must stay.
    let ok_but_smaller =
        "1;Grupa;\n14;Podgrupa;\n143;Informacja;\n1431;Udostępnianie informacji publicznej;A\n";
    let r = app
        .post_multipart(
            "/staff/jrwa",
            &[("year", y.as_str()), ("text", ok_but_smaller)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("5310"));
    // A new year imports.
    let next = (year + 1).to_string();
    let r = app
        .post_multipart(
            "/staff/jrwa",
            &[("year", next.as_str()), ("text", ok_but_smaller)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM jrwa_class WHERE year = {}",
            year + 1
        ))
        .await,
        4
    );
    // Without the token, or for others, refused.
    let r = app
        .post_multipart_raw("/staff/jrwa", &[("year", next.as_str())], &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.clear_cookies();
    app.login("kierownik").await;
    let r = app
        .post_multipart("/staff/jrwa", &[("year", next.as_str())], &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn lists_filter_and_page_in_sql(app: TestApp) {
    let sa = unit(&app, "SA").await;
    for _ in 0..55 {
        register(&app, new_case(sa, "5341")).await;
    }
    app.login("kierownik").await;
    let first = app
        .get("/staff/cases?view=unit&status=open&q=jan+testowy")
        .await;
    assert_eq!(first.body.matches("Jan Testowy").count(), 50);
    assert!(first.body.contains("rel=\"next\""));
    let second = app
        .get("/staff/cases?view=unit&status=open&q=jan+testowy&page=2")
        .await;
    assert_eq!(second.body.matches("Jan Testowy").count(), 5);
    assert!(!second.body.contains("rel=\"next\""));
    let none = app
        .get("/staff/cases?view=unit&status=closed&q=jan+testowy")
        .await;
    assert!(none.body.contains("Brak spraw"));
    let kind = app
        .get("/staff/cases?view=unit&status=all&kind=petition")
        .await;
    assert!(kind.body.contains("Brak spraw"));
    // A search for a wildcard matches only literally.
    let pct = app.get("/staff/cases?view=unit&status=all&q=%25").await;
    assert!(pct.body.contains("Brak spraw"));
}

/// A kind, status or channel the code does not know (a bad import, a hand edit, a newer
/// version's value) makes reading the case fail loudly: read as some default it would
/// show a wrong deadline or allow the wrong steps.
async fn unknown_stored_values_are_errors_not_defaults(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let case = register(&app, new_case(sa, "5311")).await;
    assert!(store::case_by_id(&app.db, case.id).await.unwrap().is_some());
    let page = format!("/staff/cases/{}", case.id);
    app.login("kierownik").await;
    assert_eq!(app.get(&page).await.status, StatusCode::OK);
    for (column, stored) in [
        ("kind", "administrative_simplex"),
        ("status", "archived"),
        ("channel", "paper"),
    ] {
        let original = app
            .scalar_text(&format!(
                "SELECT {column} FROM case_file WHERE id = {}",
                case.id
            ))
            .await;
        app.exec(&format!(
            "UPDATE case_file SET {column} = '{stored}' WHERE id = {}",
            case.id
        ))
        .await;
        let error = store::case_by_id(&app.db, case.id).await.unwrap_err();
        assert!(
            matches!(&error, sqlx::Error::ColumnDecode { index, .. } if index == column),
            "{column}: {error}"
        );
        let response = app.get(&page).await;
        assert_eq!(
            response.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{column}"
        );
        assert!(
            !response.body.contains(stored),
            "{column}: the page leaks the row"
        );
        app.exec(&format!(
            "UPDATE case_file SET {column} = '{original}' WHERE id = {}",
            case.id
        ))
        .await;
    }
    // The public view refuses an unknown status in the history too.
    app.exec(&format!(
        "UPDATE case_event SET status = 'archived' WHERE case_id = {}",
        case.id
    ))
    .await;
    // An unknown stored status is an error of the stored row (db/row.rs), not a guess.
    let error = store::public_status(&app.db, &case.tracking_code)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            store::CaseStoreError::Db(sqlx::Error::ColumnDecode { .. })
        ),
        "{error}"
    );
    assert_eq!(
        app.get(&page).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// Suspending and resuming a case at its page (the official's own forms, over HTTP)
/// moves its due date by the days it was suspended.
async fn suspending_and_resuming_through_the_form_moves_the_due_date(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let mut new = new_case(sa, "1431");
    new.kind = CaseKind::PublicInformation;
    // Received on Monday 2 March 2026: 14 days end on Monday 16 March.
    new.received_on = jiff::civil::date(2026, 3, 2);
    let case = register(&app, new).await;
    assert_eq!(case.due_date, jiff::civil::date(2026, 3, 16));
    assign_to_urzednik_and_start(&app, case.id).await;
    app.login("urzednik").await;
    let suspend = format!("/staff/cases/{}/actions/suspend", case.id);
    let r = app
        .post_form(
            &suspend,
            &[("on", "2026-03-04"), ("reason", "Zagadnienie wstępne")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Suspending a suspended case is refused, and changes nothing.
    let again = app
        .post_form(&suspend, &[("on", "2026-03-05"), ("reason", "Drugi raz")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &format!("/staff/cases/{}/actions/resume", case.id),
            &[("on", "2026-03-09")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Suspended 4–8 March (until the day before the resumption): 5 days. 16 March + 5
    // = Saturday 21 March, so Monday 23 March (KPA art. 57 § 4).
    let c = store::case_by_id(&app.db, case.id).await.unwrap().unwrap();
    assert_eq!(c.due(), jiff::civil::date(2026, 3, 23));
    let page = app.get(&format!("/staff/cases/{}", case.id)).await;
    assert!(page.body.contains("Zagadnienie wstępne"), "{}", page.body);
}

/// The register's number is taken inside the registration's transaction: a
/// registration rolled back (or cut off by a crash) gives its number back, so the next
/// case takes it and the register keeps no gap.
async fn a_rolled_back_registration_gives_its_number_back(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let first = register(&app, new_case(sa, "5340")).await;
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let abandoned = store::register_case(&mut tx, &actor, new_case(sa, "5340"))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let dropped = store::register_case(&mut tx, &actor, new_case(sa, "5340"))
        .await
        .unwrap();
    // Dropped without a commit: rolled back as well.
    drop(tx);
    let next = register(&app, new_case(sa, "5340")).await;
    assert_eq!(next.znak, abandoned.znak);
    assert_eq!(next.znak, dropped.znak);
    // The number after the first: SA.5340.<n>.2026 then SA.5340.<n+1>.2026.
    let number = |znak: &str| -> u32 { znak.split('.').nth(2).unwrap().parse().unwrap() };
    assert_eq!(number(&next.znak), number(&first.znak) + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_file WHERE znak = '{}'",
            next.znak
        ))
        .await,
        1
    );
}

/// Each step form of the case page is read by the form kit: a bad one answers 422 with
/// every problem at its own field (the control `f-{step}-{input}`, since the forms of
/// the page share input names) and in the summary, the values kept, nothing done.
async fn a_bad_step_form_answers_422_at_its_fields(app: TestApp) {
    let sa = unit(&app, "SA").await;
    let mut new = new_case(sa, "5311");
    // Received on Monday 16 March 2026; today (the office's clock) is 20 March.
    new.received_on = jiff::civil::date(2026, 3, 16);
    let case = register(&app, new).await;
    assign_to_urzednik_and_start(&app, case.id).await;
    let path = format!("/staff/cases/{}", case.id);
    let events_sql = format!(
        "SELECT COUNT(*) FROM case_event WHERE case_id = {}",
        case.id
    );
    let events = || app.count(&events_sql);
    let before = events().await;
    let long = "x".repeat(301);
    // (step, the form sent, the problems at its inputs)
    type Pairs<'a> = Vec<(&'a str, &'a str)>;
    let cases: [(&str, Pairs, Pairs); 5] = [
        (
            "suspend",
            vec![("on", "2026-03-21"), ("reason", " ")],
            vec![
                ("on", "Data nie może być późniejsza niż dziś."),
                ("reason", "Podaj przyczynę."),
            ],
        ),
        (
            "settle",
            vec![("on", "2026-03-13"), ("outcome", "")],
            vec![
                ("on", "Data nie może być wcześniejsza niż data wpływu."),
                ("outcome", "To pole jest wymagane."),
            ],
        ),
        (
            "party_delay",
            vec![
                ("from", "2026-03-18"),
                ("to", "2026-03-17"),
                ("reason", "Braki"),
            ],
            vec![(
                "to",
                "Koniec okresu nie może być wcześniejszy niż początek.",
            )],
        ),
        (
            "delay_notice",
            vec![
                ("issued_on", "2026-02-30"),
                ("new_due", "2026-03-17"),
                ("reason", "Duży wolumen"),
            ],
            vec![
                ("issued_on", "Podaj datę w postaci RRRR-MM-DD."),
                ("new_due", "Nowy termin musi być późniejszy niż obecny."),
            ],
        ),
        (
            "forward",
            vec![("body", long.as_str())],
            vec![("body", "Tekst jest za długi.")],
        ),
    ];
    app.login("urzednik").await;
    for (step, sent, problems) in cases {
        let r = app
            .post_form(&format!("{path}/actions/{step}"), &sent)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{step}: {}",
            r.body
        );
        for (input, message) in &problems {
            crate::forms::assert_problem(&r.body, &format!("{step}-{input}"), message);
        }
        // The summary lists the sent form's problems alone, in the order of its fields.
        let anchors: Vec<String> = crate::forms::summary(&r.body)
            .into_iter()
            .map(|(anchor, _)| anchor)
            .collect();
        let expected: Vec<String> = problems
            .iter()
            .map(|(input, _)| format!("f-{step}-{input}"))
            .collect();
        assert_eq!(anchors, expected, "{step}");
        // The values are kept in the form sent.
        let (input, typed) = sent[0];
        if typed.len() < 50 {
            assert!(
                r.body.contains(&format!(
                    "id=\"f-{step}-{input}\" name=\"{input}\" type=\"date\" value=\"{typed}\""
                )),
                "{step}: {input} not kept"
            );
        }
    }
    // A step the case's state does not allow is refused as a whole, before its form.
    let r = app
        .post_form(&format!("{path}/actions/resume"), &[("on", "2026-03-20")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Tej czynności nie można wykonać"),
        "{}",
        r.body
    );
    assert!(crate::forms::summary(&r.body).is_empty());
    // The head of unit assigns only to an official offered.
    app.clear_cookies();
    app.login("kierownik").await;
    let r = app
        .post_form(
            &format!("{path}/actions/assign"),
            &[("official_id", "999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    crate::forms::assert_problem(
        &r.body,
        "assign-official_id",
        "Wybierz prowadzącego z listy.",
    );
    assert_eq!(events().await, before, "a refused step changes nothing");
    let c = store::case_by_id(&app.db, case.id).await.unwrap().unwrap();
    assert_eq!(c.status, Status::InProgress);
}

/// The demo official `urzednik` takes the case and starts work on it.
async fn assign_to_urzednik_and_start(app: &TestApp, case_id: i64) {
    let urzednik = id_of(app, "SELECT id FROM app_user WHERE login = 'urzednik'").await;
    step(
        app,
        case_id,
        Step::Assign {
            official_id: urzednik,
        },
    )
    .await;
    step(app, case_id, Step::Start).await;
}

/// The register's number of the entry titled `title` on a register page (the number
/// cell is the row's header, before its title).
fn register_number(body: &str, title: &str) -> u32 {
    let at = body
        .find(title)
        .unwrap_or_else(|| panic!("{title} not in {body}"));
    let marker = "<th scope=\"row\" class=\"num\">";
    let cell = body[..at].rfind(marker).expect("a numbered row") + marker.len();
    body[cell..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The requests for public information of SA (demo, received 30, 12 and 5 days before
/// 20 March 2026) sort by subject in Polish order both ways, each keeping its number in
/// the register (the order of receipt); the CSV has the page's order and columns; the
/// sorted header says so to a screen reader.
async fn kind_registers_sort_keep_their_numbers_and_export(app: TestApp) {
    app.login("kierownik").await;
    let titles = [
        "Informacja o liczbie zameldowań w 2025 r.",
        "Kopie umów na obsługę systemu meldunkowego",
        "Liczba wydanych dowodów osobistych",
    ];
    let by_receipt = app.get("/staff/cases/public-information?year=2026").await;
    assert_eq!(by_receipt.status, StatusCode::OK);
    let numbers: Vec<u32> = titles
        .iter()
        .map(|t| register_number(&by_receipt.body, t))
        .collect();
    assert_eq!(numbers, [3, 2, 1], "numbered in the order of receipt");
    for (dir, order) in [("asc", [0, 1, 2]), ("desc", [2, 1, 0])] {
        let page = app
            .get(&format!(
                "/staff/cases/public-information?year=2026&sort=subject&dir={dir}"
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let at: Vec<usize> = order
            .iter()
            .map(|&i| page.body.find(titles[i]).unwrap())
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{dir}: {at:?}");
        for (i, title) in titles.iter().enumerate() {
            assert_eq!(register_number(&page.body, title), numbers[i]);
        }
        let sorted = if dir == "asc" {
            "ascending"
        } else {
            "descending"
        };
        assert!(page.body.contains(&format!("aria-sort=\"{sorted}\"")));
    }
    // An unknown column is the register's own order, not an error.
    let odd = app
        .get("/staff/cases/public-information?year=2026&sort=drop&dir=desc")
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    let csv = app
        .get("/staff/cases/public-information.csv?year=2026&sort=subject&dir=desc")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("rejestr-wnioskow-o-informacje-publiczna-2026.csv")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].contains("Znak sprawy"), "{}", lines[0]);
    let first = lines.iter().position(|l| l.contains(titles[2])).unwrap();
    let last = lines.iter().position(|l| l.contains(titles[0])).unwrap();
    assert!(first < last, "{}", csv.body);
    assert!(lines[first].starts_with("1;"), "{}", lines[first]);
    // The register of complaints is exported the same way; the administrator (no case
    // permission) gets neither.
    let complaints = app.get("/staff/cases/complaints.csv?year=2026").await;
    assert_eq!(complaints.status, StatusCode::OK);
    app.clear_cookies();
    app.login("admin").await;
    assert_eq!(
        app.get("/staff/cases/complaints.csv").await.status,
        StatusCode::FORBIDDEN
    );
}
