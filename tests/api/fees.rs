//! The opłata skarbowa through the real router, on both backends (decision 0050): the
//! card's fee with its tariff position and exemptions, edited and shown; a case's fee
//! paid with its proof or exempt with its basis; the summons to pay of KPA art. 261 § 1
//! (its letter, its last day) and the return of the request of § 2 only after the term;
//! the residents' status page; who may do it; the metryka and the audit trail.

use axum::http::StatusCode;
use magistrat::cases::store::{self, Channel, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;
use crate::service_cards::card_form;

backend_tests!(
    spawn = super::spawn_in_march_2026;
    a_card_fee_with_its_tariff_and_exemptions_is_edited_and_shown,
    a_case_fee_is_paid_with_its_proof,
    an_exemption_needs_its_legal_basis,
    the_summons_to_pay_and_the_return_after_its_term,
    only_the_cases_official_records_a_fee,
);

/// The office's clock on Friday 20 March 2026.
async fn spawn_in_march_2026(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-03-20T09:00:00Z").await
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
}

/// A certificate requested on Monday 2 March 2026 in `symbol`, handled by `official`.
async fn case_in(app: &TestApp, symbol: &str, official: &str) -> (i64, String) {
    let unit_id = unit(app, symbol).await;
    let official = app
        .count(&format!(
            "SELECT id FROM app_user WHERE login = '{official}'"
        ))
        .await;
    let new = NewCase {
        unit_id,
        jrwa_symbol: "5340".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zaświadczenie o zameldowaniu".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on: jiff::civil::date(2026, 3, 2),
        channel: Channel::Counter,
        correspondence_id: None,
        official_id: Some(official),
    };
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &actor, new).await.unwrap();
    store::apply_step(&mut tx, &actor, case.id, Step::Start)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (case.id, case.tracking_code)
}

/// The official adds a 17 zł fee on the request (część II); its id.
async fn fee_due(app: &TestApp, case: i64) -> String {
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/actions/fee_add"),
            &[
                ("kind", "request"),
                ("description", "Opłata skarbowa za wydanie zaświadczenia"),
                ("tariff", "część II ust. 21"),
                ("amount", "17,00"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.count(&format!(
        "SELECT MAX(id) FROM case_fee WHERE case_id = {case}"
    ))
    .await
    .to_string()
}

async fn a_card_fee_with_its_tariff_and_exemptions_is_edited_and_shown(app: TestApp) {
    app.login("admin").await;
    let sa = unit(&app, "SA").await.to_string();
    let exemptions =
        "Zwolnione są sprawy pomocy społecznej (art. 2 ust. 1 pkt 1 ustawy o opłacie skarbowej).";
    // A tariff position longer than a line is refused at its row, nothing written.
    let long = "x".repeat(400);
    let r = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(&sa, &[("fee_tariff", &long)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#f-fee_tariff-0\""), "{}", r.body);
    let r = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(
                &sa,
                &[
                    ("fee_tariff", "część II ust. 21"),
                    ("fee_exemptions", exemptions),
                ],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text("SELECT fee_exemptions FROM service_card WHERE code = 'SA-20'")
            .await,
        exemptions
    );
    let edit = app.get("/staff/service-cards/SA-20").await;
    assert!(
        edit.body.contains("value=\"część II ust. 21\""),
        "{}",
        edit.body
    );
    let r = app
        .post_form(
            "/staff/service-cards/SA-20/publish",
            &[("published", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The public card: how much, the tariff, the account, the title, the exemptions.
    let card = app.get("/services/SA-20").await;
    assert_eq!(card.status, StatusCode::OK);
    for text in [
        "17,00 zł",
        "część II ust. 21",
        "Opłata skarbowa – Zaświadczenie o wymeldowaniu",
        "Zwolnienia z opłaty skarbowej",
        exemptions,
    ] {
        assert!(card.body.contains(text), "{text}: {}", card.body);
    }
    // The card's creation in the audit trail carries the fee and the exemptions.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'service_card' \
             AND action = 'service_card.create' AND after_json LIKE '%część II ust. 21%' \
             AND after_json LIKE '%fee_exemptions%'"
        )
        .await,
        1
    );
    // A card without fees says so.
    let cards = app
        .texts("SELECT code FROM service_card WHERE published AND fees = '[]' ORDER BY code")
        .await;
    let free = app.get(&format!("/services/{}", cards[0])).await;
    assert!(
        free.body.contains("Sprawa jest wolna od opłat."),
        "{}",
        free.body
    );
}

async fn a_case_fee_is_paid_with_its_proof(app: TestApp) {
    let (case, code) = case_in(&app, "SA", "urzednik").await;
    app.login("urzednik").await;
    // Nothing due yet: the page says none is recorded.
    let page = app.get(&format!("/staff/cases/{case}")).await;
    assert!(
        page.body
            .contains("W sprawie nie odnotowano opłaty skarbowej.")
    );
    let fee = fee_due(&app, case).await;
    let page = app.get(&format!("/staff/cases/{case}")).await;
    assert!(page.body.contains("<details class=\"step\""));
    assert!(
        page.body.contains("Odnotuj zapłatę opłaty"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Opłata skarbowa – "), "{}", page.body);
    assert!(page.body.contains("10 1020 4027 0000 1902 1234 5678"));
    // The residents' status page: the amount to pay, nothing personal.
    let public = app.get(&format!("/case-status?code={code}")).await;
    assert!(
        public.body.contains("Opłata skarbowa: do zapłaty 17,00 zł"),
        "{}",
        public.body
    );
    assert!(!public.body.contains("Jan Testowy"));
    // A payment without its proof, or of no amount: refused at each field.
    let paid = format!("/staff/cases/{case}/actions/fee_paid");
    let r = app
        .post_form(
            &paid,
            &[
                ("fee_id", &fee),
                ("paid_on", "2026-03-18"),
                ("amount", "0"),
                ("method", "transfer"),
                ("proof", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Podaj dowód zapłaty."), "{}", r.body);
    assert!(r.body.contains("Podaj kwotę większą od zera"), "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!("SELECT state FROM case_fee WHERE id = {fee}"))
            .await,
        "due"
    );
    let r = app
        .post_form(
            &paid,
            &[
                ("fee_id", &fee),
                ("paid_on", "2026-03-18"),
                ("amount", "17"),
                ("method", "transfer"),
                ("proof", "Przelew z 18.03.2026, tytuł „Opłata skarbowa”"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT state || ' ' || paid_grosze || ' ' || method FROM case_fee WHERE id = {fee}"
        ))
        .await,
        "paid 1700 transfer"
    );
    let public = app.get(&format!("/case-status?code={code}")).await;
    assert!(!public.body.contains("do zapłaty"));
    let page = app.get(&format!("/staff/cases/{case}")).await;
    assert!(page.body.contains("Zapłacona"), "{}", page.body);
    // A fee already paid is not paid twice.
    let r = app
        .post_form(
            &paid,
            &[
                ("fee_id", &fee),
                ("paid_on", "2026-03-18"),
                ("amount", "17"),
                ("method", "cash_desk"),
                ("proof", "KP 1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A power of attorney filed carries its own 17 zł (część IV).
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/actions/fee_add"),
            &[
                ("kind", "power_of_attorney"),
                ("description", "Opłata skarbowa od złożenia pełnomocnictwa"),
                ("tariff", "część IV"),
                ("amount", "17"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The metryka and the audit trail name each act.
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(
        metryka.body.contains("Uiszczenie opłaty skarbowej"),
        "{}",
        metryka.body
    );
    assert!(metryka.body.contains("Ustalenie należnej opłaty skarbowej"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
             AND entity_id = '{case}' AND action LIKE '%fee_paid' AND actor_login = 'urzednik'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
             AND entity_id = '{case}' AND action LIKE '%fee_add'"
        ))
        .await,
        2
    );
}

async fn an_exemption_needs_its_legal_basis(app: TestApp) {
    let (case, _) = case_in(&app, "SA", "urzednik").await;
    app.login("urzednik").await;
    let fee = fee_due(&app, case).await;
    let exempt = format!("/staff/cases/{case}/actions/fee_exempt");
    let r = app
        .post_form(&exempt, &[("fee_id", &fee), ("basis", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Podaj podstawę prawną zwolnienia."),
        "{}",
        r.body
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT state FROM case_fee WHERE id = {fee}"))
            .await,
        "due"
    );
    // Another case's fee is not this case's.
    let r = app
        .post_form(&exempt, &[("fee_id", "999999"), ("basis", "art. 7 pkt 1")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let basis = "art. 2 ust. 1 pkt 1 ustawy o opłacie skarbowej — sprawa pomocy społecznej";
    let r = app
        .post_form(&exempt, &[("fee_id", &fee), ("basis", basis)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT state || ': ' || exempt_basis FROM case_fee WHERE id = {fee}"
        ))
        .await,
        format!("exempt: {basis}")
    );
    // The amount may be changed only while it is due.
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/actions/fee_amount"),
            &[("fee_id", &fee), ("amount", "10"), ("reason", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_summons_to_pay_and_the_return_after_its_term(app: TestApp) {
    let (case, code) = case_in(&app, "SA", "urzednik").await;
    app.login("urzednik").await;
    let fee = fee_due(&app, case).await;
    // The letter from the template: the amount, the account, art. 261.
    let template = app
        .count("SELECT id FROM letter_template WHERE kind = 'fee_summons' ORDER BY id LIMIT 1")
        .await;
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/letters/new"),
            &[("template_id", &template.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let letter = app.get(r.location()).await;
    for text in [
        "WEZWANIE DO UISZCZENIA OPŁATY SKARBOWEJ",
        "17,00 zł",
        "10 1020 4027 0000 1902 1234 5678",
        "art. 261 § 2 KPA",
    ] {
        assert!(letter.body.contains(text), "{text}: {}", letter.body);
    }
    let summons = format!("/staff/cases/{case}/actions/fee_summons");
    // A term outside 7–14 days is refused (art. 261 § 1).
    let r = app
        .post_form(
            &summons,
            &[
                ("fee_id", &fee),
                ("delivered_on", "2026-03-12"),
                ("days", "15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("od 7 do 14 dni"), "{}", r.body);
    // Delivered Thursday 12 March: 7 days, to Thursday 19 March.
    let r = app
        .post_form(
            &summons,
            &[
                ("fee_id", &fee),
                ("delivered_on", "2026-03-12"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT CAST(pay_by AS TEXT) FROM case_fee WHERE id = {fee}"
        ))
        .await,
        "2026-03-19"
    );
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Wezwanie do uiszczenia opłaty (art. 261 § 1 KPA)")
    );
    // Not on the last day: the term still runs.
    let back = format!("/staff/cases/{case}/actions/fee_return");
    let r = app
        .post_form(
            &back,
            &[
                ("fee_id", &fee),
                ("on", "2026-03-19"),
                ("reason", "Brak wpłaty"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Termin na zapłatę jeszcze nie upłynął."),
        "{}",
        r.body
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT status FROM case_file WHERE id = {case}"))
            .await,
        "in_progress"
    );
    // The day after: the request is returned, the case settled not on the merits.
    let r = app
        .post_form(
            &back,
            &[
                ("fee_id", &fee),
                ("on", "2026-03-20"),
                (
                    "reason",
                    "Opłaty nie uiszczono w terminie; postanowienie o zwrocie podania wydano.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT status || ' ' || closing_kind FROM case_file WHERE id = {case}"
        ))
        .await,
        "settled left_unexamined"
    );
    assert!(
        app.scalar_text(&format!("SELECT outcome FROM case_file WHERE id = {case}"))
            .await
            .starts_with("Zwrot podania (art. 261 § 2 KPA)")
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT state FROM case_fee WHERE id = {fee}"))
            .await,
        "returned"
    );
    // Returned, nothing left to pay on the status page.
    let public = app.get(&format!("/case-status?code={code}")).await;
    assert!(!public.body.contains("do zapłaty"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
             AND entity_id = '{case}' AND action LIKE '%fee_return'"
        ))
        .await,
        1
    );
}

async fn only_the_cases_official_records_a_fee(app: TestApp) {
    let (case, _) = case_in(&app, "SA", "urzednik").await;
    app.login("urzednik").await;
    let fee = fee_due(&app, case).await;
    app.logout().await;
    let pay = format!("/staff/cases/{case}/actions/fee_paid");
    let form = [
        ("fee_id", fee.as_str()),
        ("paid_on", "2026-03-18"),
        ("amount", "17"),
        ("method", "cash_desk"),
        ("proof", "KP 7"),
    ];
    // Not signed in (a resident has no staff session): nothing recorded.
    let r = app.post_form(&pay, &form).await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.location().starts_with(&format!("/staff/cases/{case}")));
    // The front desk does not handle cases.
    app.login("obsluga").await;
    let r = app.post_form(&pay, &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.logout().await;
    // An official of SA outside another unit's case: 403 before anything is read.
    let (other, _) = case_in(&app, "USC", "kierownik").await;
    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{other}/actions/fee_add"),
            &[
                ("kind", "request"),
                ("description", "Opłata"),
                ("amount", "17"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_fee WHERE case_id = {other}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.scalar_text(&format!("SELECT state FROM case_fee WHERE id = {fee}"))
            .await,
        "due"
    );
}
