//! RODO (issue 10): the office's information clause (RODO art. 13) edited by the data
//! protection officer and shown on `/rodo`, the service card, the e-service form, its
//! confirmation and a case's first letter (KPA art. 61 § 5); the register of processing
//! activities (art. 30) with its CSV and who may keep it; the retention job removing
//! exactly what is past its period and nothing of a case's akta.

use axum::http::StatusCode;

use crate::applications::{pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    the_clause_is_edited_and_given_on_the_card_the_form_the_confirmation_and_the_first_letter,
    the_register_of_processing_activities_is_kept_by_the_officer_alone,
);

/// The office's clock on the morning of 4 December 2026, the day of the job's run.
async fn on_the_day(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-04T09:00:00Z").await
}

backend_tests!(spawn = super::on_the_day; the_retention_job_removes_exactly_what_is_past_its_period);

const MARKER: &str = "Administratorem jest Burmistrz Borowca (klauzula testowa)";

fn clause_form(controller: &str, rights: &str) -> Vec<(&'static str, String)> {
    vec![
        ("controller", controller.to_owned()),
        ("dpo_contact", "iod@borowiec.example.pl".to_owned()),
        (
            "purposes",
            "Załatwienie sprawy: art. 6 ust. 1 lit. c i e RODO.".to_owned(),
        ),
        ("recipients", "Organy uprawnione z mocy prawa.".to_owned()),
        ("transfers", String::new()),
        ("retention", "Według kategorii archiwalnej JRWA.".to_owned()),
        ("rights", rights.to_owned()),
        (
            "complaint",
            "Skarga do Prezesa Urzędu Ochrony Danych Osobowych.".to_owned(),
        ),
        (
            "requirement",
            "Wymóg ustawowy (art. 63 § 2 KPA).".to_owned(),
        ),
        ("automated", String::new()),
    ]
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    fields: &[(&'static str, String)],
) -> crate::helpers::TestResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &fields).await
}

async fn audit_count(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_event WHERE entity_type = '{kind}'"
    ))
    .await
}

async fn the_clause_is_edited_and_given_on_the_card_the_form_the_confirmation_and_the_first_letter(
    app: TestApp,
) {
    // The demo's clause is public, and the footer leads to it.
    let public = app.get("/rodo").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("ul. Stawki 2"), "{}", public.body);
    assert_eq!(public.body.matches("<h1").count(), 1);
    assert!(app.get("/").await.body.contains("href=\"/rodo\""));

    app.login("bezpieczenstwo").await;
    let form = app.get("/staff/rodo/clause").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("art. 13 ust. 2 lit. d RODO"));
    let audited = audit_count(&app, "rodo_clause").await;

    // A missing part (art. 13 ust. 2 lit. b: the rights) is refused on its field, and
    // nothing is written.
    let refused = post_owned(&app, "/staff/rodo/clause", &clause_form(MARKER, "  ")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#f-rights\""),
        "{}",
        refused.body
    );
    assert!(!app.get("/rodo").await.body.contains(MARKER));
    assert_eq!(audit_count(&app, "rodo_clause").await, audited);

    let saved = post_owned(
        &app,
        "/staff/rodo/clause",
        &clause_form(MARKER, "Dostęp, sprostowanie, ograniczenie, sprzeciw."),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/staff/rodo");
    assert_eq!(audit_count(&app, "rodo_clause").await, audited + 1);
    let before = app
        .scalar_text(
            "SELECT CAST(before_json AS TEXT) FROM audit_event WHERE entity_type = 'rodo_clause' \
             ORDER BY seq DESC LIMIT 1",
        )
        .await;
    assert!(
        before.contains("Stawki 2"),
        "the old text is kept: {before}"
    );
    app.logout().await;

    // Given where the data are collected: the card, the form (by the submit button,
    // collapsed), and the confirmation.
    assert!(app.get("/rodo").await.body.contains(MARKER));
    let card = app.get("/services/SA-2").await;
    assert!(card.body.contains(MARKER), "{}", card.body);
    let apply = app.get("/services/SA-2/apply").await;
    assert!(apply.body.contains("<details class=\"rodo-details\">"));
    let details = apply.body.find("rodo-details").unwrap();
    let submit = apply.body.find("type=\"submit\"").unwrap();
    assert!(
        details < submit,
        "the clause comes before the submit button"
    );
    assert!(apply.body.contains(MARKER));
    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-rodo-000000000001"));
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let confirmation = app.get(filed.location()).await;
    assert_eq!(confirmation.status, StatusCode::OK);
    assert!(confirmation.body.contains(MARKER));
    // The PDF of the confirmation carries it too (its text is compressed: it renders).
    let pdf = app
        .get(&format!("{}/confirmation.pdf", filed.location()))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));

    // The first letter of a case carries the clause (KPA art. 61 § 5); the next does not.
    // The case just filed has none yet; the head of its unit drafts.
    let case = app
        .count("SELECT case_id FROM application ORDER BY id DESC LIMIT 1")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_letter WHERE case_id = {case}"
        ))
        .await,
        0
    );
    let notice = app
        .count(
            "SELECT id FROM letter_template WHERE kind = 'initiation_notice' ORDER BY id LIMIT 1",
        )
        .await;
    app.login("kierownik").await;
    let mut letters = Vec::new();
    for _ in 0..2 {
        let r = app
            .post_form(
                &format!("/staff/cases/{case}/letters/new"),
                &[("template_id", &notice.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        letters.push(
            r.location()
                .trim_start_matches("/staff/letters/")
                .parse::<i64>()
                .unwrap(),
        );
    }
    let sections = |id: i64| format!("SELECT sections FROM case_letter WHERE id = {id}");
    let first = app.scalar_text(&sections(letters[0])).await;
    assert!(first.contains(MARKER), "{first}");
    assert!(first.contains("art. 61 § 5 KPA"), "{first}");
    let second = app.scalar_text(&sections(letters[1])).await;
    assert!(!second.contains(MARKER), "{second}");
    let page = app.get(&format!("/staff/letters/{}", letters[0])).await;
    assert!(page.body.contains(MARKER));
}

fn activity(name: &str, subjects: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_owned()),
        (
            "purposes",
            "Wydawanie zezwoleń na sprzedaż alkoholu.".to_owned(),
        ),
        ("data_subjects", subjects.to_owned()),
        (
            "data_categories",
            "Imię, nazwisko, adres, PESEL.".to_owned(),
        ),
        (
            "recipients",
            "Gminna komisja rozwiązywania problemów alkoholowych.".to_owned(),
        ),
        ("transfers", String::new()),
        ("erasure", "10 lat (kategoria B10).".to_owned()),
        (
            "security",
            "Uprawnienia w systemie, szafa zamykana na klucz.".to_owned(),
        ),
    ]
}

async fn the_register_of_processing_activities_is_kept_by_the_officer_alone(app: TestApp) {
    // Nobody outside the staff, and no ordinary official.
    let anonymous = app.get("/staff/rodo").await;
    assert_ne!(anonymous.status, StatusCode::OK);
    assert_ne!(
        app.get("/staff/rodo/register.csv").await.status,
        StatusCode::OK
    );
    app.login("urzednik").await;
    assert_eq!(app.get("/staff/rodo").await.status, StatusCode::FORBIDDEN);
    let refused = post_owned(
        &app,
        "/staff/rodo/activities/new",
        &activity("Zezwolenia alkoholowe", "Przedsiębiorcy."),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/staff/rodo/register.csv").await.status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;

    app.login("bezpieczenstwo").await;
    let index = app.get("/staff/rodo").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index.body.contains("Konta mieszkańców"),
        "the demo's entries"
    );
    assert!(index.body.contains("href=\"/staff/rodo\""), "in the menu");
    let entries = app.count("SELECT COUNT(*) FROM rodo_activity").await;
    let audited = audit_count(&app, "rodo_activity").await;

    // Art. 30 ust. 1 lit. c: the categories of data subjects are required.
    let bad = post_owned(
        &app,
        "/staff/rodo/activities/new",
        &activity("Zezwolenia alkoholowe", ""),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("href=\"#f-data_subjects\""),
        "{}",
        bad.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rodo_activity").await,
        entries
    );

    let created = post_owned(
        &app,
        "/staff/rodo/activities/new",
        &activity("Zezwolenia alkoholowe", "Przedsiębiorcy."),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = app
        .count("SELECT id FROM rodo_activity WHERE name = 'Zezwolenia alkoholowe'")
        .await;
    let saved = post_owned(
        &app,
        &format!("/staff/rodo/activities/{id}"),
        &activity(
            "Zezwolenia na sprzedaż alkoholu",
            "Przedsiębiorcy i ich pełnomocnicy.",
        ),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&format!("/staff/rodo/activities/{id}")).await;
    assert!(page.body.contains("Przedsiębiorcy i ich pełnomocnicy."));

    let csv = app.get("/staff/rodo/register.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "the BOM for Excel");
    assert!(csv.body.contains("Zezwolenia na sprzedaż alkoholu;"));
    assert!(csv.body.contains("Kategorie osób"), "the header row");
    assert!(csv.body.contains("iod@"), "the officer's contact (lit. a)");

    let deleted = app
        .post_form(&format!("/staff/rodo/activities/{id}/delete"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM rodo_activity").await,
        entries
    );
    assert!(
        !app.get("/staff/rodo/register.csv")
            .await
            .body
            .contains("Zezwolenia na sprzedaż alkoholu")
    );
    assert_eq!(audit_count(&app, "rodo_activity").await, audited + 3);
    let actions = app
        .texts(&format!(
            "SELECT action FROM audit_event WHERE entity_type = 'rodo_activity' \
             AND entity_id = '{id}' ORDER BY seq"
        ))
        .await;
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(actions[2].ends_with("delete"), "{actions:?}");
    // The administrator keeps it too.
    app.logout().await;
    app.login("admin").await;
    assert_eq!(app.get("/staff/rodo").await.status, StatusCode::OK);
}

/// The counts of the akta, which the job must never touch.
async fn akta(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "case_file",
        "case_party",
        "application",
        "incoming_item",
        "outgoing_item",
        "attachment",
        "case_letter",
    ] {
        counts.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts
}

async fn the_retention_job_removes_exactly_what_is_past_its_period(app: TestApp) {
    // The day of the run: 4 December 2026. Resident accounts 730 days after the last
    // sign-in (the first day kept is 4 December 2024, from 00:00 in Warsaw = 23:00 UTC
    // the day before); expired links and sessions 30 days (from 4 November 2026);
    // bookings 30 days after the visit's day; closed reports' contacts 365 days
    // (from 4 December 2025).
    // An application filed through the e-service: its case is akta.
    let scan = pdf();
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-rodo-000000000002"));
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let applicant = app
        .scalar_text("SELECT applicant_email FROM application ORDER BY id LIMIT 1")
        .await;
    // What the demo already holds past its periods, counted by the same boundaries.
    let demo_accounts = app
        .count(
            "SELECT COUNT(*) FROM resident WHERE last_sign_in_at < '2024-12-03T23:00:00.000000Z'",
        )
        .await;
    let demo_bookings = app
        .count("SELECT COUNT(*) FROM sp_booking WHERE day < '2026-11-04' AND anonymised_at IS NULL")
        .await;
    let demo_reports = app
        .count(
            "SELECT COUNT(*) FROM problem_report WHERE status = 'closed' \
             AND updated_at < '2025-12-03T23:00:00.000000Z' AND anonymised_at IS NULL",
        )
        .await;
    let demo_links = app
        .count(
            "SELECT COUNT(*) FROM resident_link WHERE expires_at < '2026-11-03T23:00:00.000000Z'",
        )
        .await;
    let demo_sessions = app
        .count("SELECT COUNT(*) FROM session WHERE expires_at < '2026-11-03T23:00:00.000000Z'")
        .await;

    // An account last used at 23:30 on 3 December 2024 (Warsaw) goes — with the e-mail
    // of an application, which stays; one used half an hour past midnight stays.
    app.exec(&format!(
        "INSERT INTO resident (email, created_at, last_sign_in_at) VALUES \
         ('{}', '2024-01-01T10:00:00.000000Z', '2024-12-03T22:30:00.000000Z')",
        applicant.to_lowercase()
    ))
    .await;
    app.exec(
        "INSERT INTO resident (email, created_at, last_sign_in_at) VALUES \
         ('edge@example.pl', '2024-01-01T10:00:00.000000Z', '2024-12-03T23:30:00.000000Z')",
    )
    .await;
    let old = app
        .count(&format!(
            "SELECT id FROM resident WHERE email = '{}'",
            applicant.to_lowercase()
        ))
        .await;
    let edge = app
        .count("SELECT id FROM resident WHERE email = 'edge@example.pl'")
        .await;
    for (resident, token) in [(old, "s-old"), (edge, "s-edge")] {
        app.exec(&format!(
            "INSERT INTO resident_session (token_hash, resident_id, created_at, last_seen_at, \
             expires_at) VALUES ('{token}', {resident}, '2026-12-04T08:00:00.000000Z', \
             '2026-12-04T08:00:00.000000Z', '2026-12-05T08:00:00.000000Z')"
        ))
        .await;
        app.exec(&format!(
            "INSERT INTO resident_app_token (token_hash, resident_id, created_at, expires_at) \
             VALUES ('a-{token}', {resident}, '2026-12-04T08:00:00.000000Z', \
             '2027-01-04T08:00:00.000000Z')"
        ))
        .await;
    }
    // A report filed by the old account keeps its text, not its author.
    let report = app.count("SELECT MIN(id) FROM problem_report").await;
    app.exec(&format!(
        "UPDATE problem_report SET resident_id = {old}, status = 'open' WHERE id = {report}"
    ))
    .await;
    // Sign-in links and a staff session expired on 2 November (past) and 20 November.
    let admin = app
        .count("SELECT id FROM app_user WHERE login = 'admin'")
        .await;
    for (token, expires) in [
        ("l-past", "2026-11-02T12:00:00.000000Z"),
        ("l-kept", "2026-11-20T12:00:00.000000Z"),
    ] {
        app.exec(&format!(
            "INSERT INTO resident_link (token_hash, email, created_at, expires_at) VALUES \
             ('{token}', 'x@example.pl', '{expires}', '{expires}')"
        ))
        .await;
        app.exec(&format!(
            "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, \
             expires_at) VALUES ('{token}', {admin}, 'c', '{expires}', '{expires}', '{expires}')"
        ))
        .await;
    }
    // A visit on 3 November 2026 is past its 30 days; one on the 4th is not.
    let (first_booking, last_booking) = (
        app.count("SELECT MIN(id) FROM sp_booking").await,
        app.count("SELECT MAX(id) FROM sp_booking").await,
    );
    assert_ne!(first_booking, last_booking);
    app.exec(&format!(
        "UPDATE sp_booking SET day = '2026-11-03', anonymised_at = NULL WHERE id = {first_booking}"
    ))
    .await;
    app.exec(&format!(
        "UPDATE sp_booking SET day = '2026-11-04', anonymised_at = NULL WHERE id = {last_booking}"
    ))
    .await;
    // Reports closed on 3 December 2025 (past) and 4 December 2025 (kept).
    let (report_past, report_kept) = (
        app.count("SELECT MAX(id) FROM problem_report").await,
        app.count(&format!(
            "SELECT MAX(id) FROM problem_report WHERE id < (SELECT MAX(id) FROM problem_report) \
             AND id <> {report}"
        ))
        .await,
    );
    app.exec(&format!(
        "UPDATE problem_report SET status = 'closed', email = 'zgl@example.pl', phone = '600100200', \
         updated_at = '2025-12-03T12:00:00.000000Z' WHERE id = {report_past}"
    ))
    .await;
    app.exec(&format!(
        "UPDATE problem_report SET status = 'closed', email = 'zgl@example.pl', phone = '600100200', \
         updated_at = '2025-12-04T12:00:00.000000Z' WHERE id = {report_kept}"
    ))
    .await;
    let akta_before = akta(&app).await;

    let job = magistrat::rodo::service::job(&app.state.config);
    let period = magistrat::platform::jobs::Period {
        key: "2026-12-04".to_owned(),
        starts: "2026-12-04T03:00:00+01:00[Europe/Warsaw]".parse().unwrap(),
    };
    assert!(job.run_period(&app.db, &period).await.unwrap());

    // Exactly what was past.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM resident WHERE id = {old}"))
            .await,
        0
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM resident WHERE id = {edge}"))
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM resident_session WHERE token_hash IN ('s-old', 's-edge')")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM resident_app_token WHERE token_hash = 'a-s-edge'")
            .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM problem_report WHERE id = {report} AND resident_id IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.texts("SELECT token_hash FROM resident_link WHERE token_hash LIKE 'l-%'")
            .await,
        ["l-kept"]
    );
    assert_eq!(
        app.texts("SELECT token_hash FROM session WHERE token_hash LIKE 'l-%'")
            .await,
        ["l-kept"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_booking WHERE id = {first_booking} AND name = '' \
             AND email = '' AND phone IS NULL AND pesel IS NULL AND anonymised_at IS NOT NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_booking WHERE id = {last_booking} AND anonymised_at IS NULL \
             AND name <> ''"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM problem_report WHERE id = {report_past} AND email IS NULL \
             AND phone IS NULL AND anonymised_at IS NOT NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM problem_report WHERE id = {report_kept} \
             AND email = 'zgl@example.pl'"
        ))
        .await,
        1
    );
    // Nothing of the akta: the application with the removed account's address stays.
    assert_eq!(akta(&app).await, akta_before);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM application WHERE applicant_email = '{applicant}'"
        ))
        .await,
        1
    );

    // The run is audited with its counts.
    let after = app
        .scalar_text(
            "SELECT CAST(after_json AS TEXT) FROM audit_event WHERE entity_type = 'rodo_retention' \
             AND entity_id = '2026-12-04'",
        )
        .await;
    let counts: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(counts["resident_accounts"], demo_accounts + 1, "{after}");
    assert_eq!(counts["bookings_anonymised"], demo_bookings + 1, "{after}");
    assert_eq!(counts["reports_anonymised"], demo_reports + 1, "{after}");
    assert_eq!(counts["sign_in_links"], demo_links + 1, "{after}");
    assert_eq!(counts["staff_sessions"], demo_sessions + 1, "{after}");
    assert!(
        counts["resident_sessions"].as_i64().unwrap() >= 2,
        "{after}"
    );
    // The same day again runs nowhere.
    assert!(!job.run_period(&app.db, &period).await.unwrap());

    // The officer sees the run.
    app.login("bezpieczenstwo").await;
    let index = app.get("/staff/rodo").await;
    assert!(
        index.body.contains("Usunięte konta mieszkańców"),
        "{}",
        index.body
    );
    assert!(index.body.contains("730"));
}
