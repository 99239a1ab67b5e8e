//! The intake of a case through the real router, on both backends: a case started ex
//! officio (KPA art. 61 § 1), several parties with a pełnomocnik who then receives the
//! letters (art. 32–33, art. 40 § 2), the summons to remove formal defects and what
//! follows it (art. 64 § 2), the posting date of incoming paper items (art. 57 § 5
//! pkt 2) and the numer nadania of registered mail.

use axum::http::StatusCode;
use magistrat::cases::store::{self, Channel, NewCase, Step};
use magistrat::db::audit::Actor;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    spawn = super::spawn_in_march_2026;
    a_case_started_ex_officio_counts_from_its_first_act,
    parties_and_their_pelnomocnik_on_the_case_page,
    formal_defects_removed_in_term_restart_the_term,
    a_request_left_without_examination_is_settled_of_its_own_kind,
);

backend_tests!(posting_date_and_numer_nadania_in_the_registers,);

/// The office's clock on Friday 20 March 2026.
async fn spawn_in_march_2026(backend: crate::helpers::Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-03-20T09:00:00Z").await
}

fn d(m: i8, day: i8) -> jiff::civil::Date {
    jiff::civil::date(2026, m, day)
}

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
}

/// A request received on Monday 2 March 2026 (one month: Thursday 2 April), assigned
/// to the official "urzednik" and being worked on.
async fn case_in_progress(app: &TestApp) -> i64 {
    let sa = unit(app, "SA").await;
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let new = NewCase {
        unit_id: sa,
        jrwa_symbol: "5340".to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: "Zameldowanie na pobyt stały".to_owned(),
        party_name: "Jan Testowy".to_owned(),
        party_address: "ul. Polna 1, 62-300 Borowiec".to_owned(),
        party_email: String::new(),
        publish_consent: false,
        received_on: d(3, 2),
        channel: Channel::Post,
        correspondence_id: None,
        official_id: Some(urzednik),
    };
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &actor, new).await.unwrap();
    store::apply_step(&mut tx, &actor, case.id, Step::Start)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(case.due_date, d(4, 2));
    case.id
}

async fn a_case_started_ex_officio_counts_from_its_first_act(app: TestApp) {
    app.login("urzednik").await;
    let sa = unit(&app, "SA").await.to_string();
    let form = |kind: &'static str| {
        vec![
            ("unit_id", sa.clone()),
            ("jrwa_symbol", "5340".to_owned()),
            ("kind", kind.to_owned()),
            ("title", "Wymeldowanie z urzędu".to_owned()),
            ("party_name", "Adam Nieobecny".to_owned()),
            ("party_address", "ul. Lipowa 3, 62-300 Borowiec".to_owned()),
            ("party_email", String::new()),
            ("ex_officio", "on".to_owned()),
            ("received_on", "2026-03-16".to_owned()),
            ("channel", "post".to_owned()),
            ("assign_to_me", "on".to_owned()),
        ]
    };
    let pairs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let before = app.count("SELECT COUNT(*) FROM case_file").await;
    // A certificate is issued on request only (art. 217 § 1): refused at the box.
    let cert = pairs(&form("certificate"));
    let refs: Vec<(&str, &str)> = cert.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form("/staff/cases/new", &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Z urzędu można wszcząć tylko postępowanie"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"#f-ex_officio\""), "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, before);
    let ok = pairs(&form("administrative_simple"));
    let refs: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form("/staff/cases/new", &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .location()
        .trim_start_matches("/staff/cases/")
        .parse()
        .unwrap();
    let case = store::case_by_id(&app.db, id).await.unwrap().unwrap();
    assert!(case.ex_officio);
    // Art. 35 § 3 from the first act on Monday 16 March: Thursday 16 April.
    assert_eq!(case.due(), d(4, 16));
    let page = app.get(&format!("/staff/cases/{id}")).await;
    assert!(
        page.body.contains("z urzędu (art. 61 § 1 KPA)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Data wszczęcia (pierwsza czynność organu)")
    );
    // No request, so no summons to remove its defects; the parties can be changed.
    assert!(!page.body.contains("Zapisz wezwanie do usunięcia braków"));
    assert!(page.body.contains("Dodaj stronę"));
    // The first party is on the case; the metryka names the act.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_party WHERE case_id = {id} AND position = 1 AND name = 'Adam Nieobecny'"
        ))
        .await,
        1
    );
    let metryka = app.get(&format!("/staff/cases/{id}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Wszczęcie postępowania z urzędu (art. 61 § 1 KPA)"),
        "{}",
        metryka.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' AND entity_id = '{id}' \
             AND after_json LIKE '%\"ex_officio\":true%'"
        ))
        .await,
        1
    );
}

async fn parties_and_their_pelnomocnik_on_the_case_page(app: TestApp) {
    let id = case_in_progress(&app).await;
    app.login("urzednik").await;
    let add = format!("/staff/cases/{id}/actions/party_add");
    // A pełnomocnik without capacity confirmed, a power on file or a scope: refused at
    // each field, nothing written.
    let r = app
        .post_form(
            &add,
            &[
                ("kind", "organisation"),
                ("name", "Spółdzielnia Mieszkaniowa Zgoda"),
                ("address", "ul. Polna 2, 62-300 Borowiec"),
                ("rep_name", "Anna Lis"),
                ("rep_address", "ul. Długa 5, 62-300 Borowiec"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Potwierdź, że pełnomocnik jest osobą fizyczną"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Wpisz, jakie pełnomocnictwo złożono do akt")
    );
    assert_eq!(parties(&app, id).await, 1);
    let r = app
        .post_form(
            &add,
            &[
                ("kind", "organisation"),
                ("name", "Spółdzielnia Mieszkaniowa Zgoda"),
                ("address", "ul. Polna 2, 62-300 Borowiec"),
                ("rep_name", "Anna Lis"),
                ("rep_address", "ul. Długa 5, 62-300 Borowiec"),
                ("rep_scope", "special"),
                ("rep_capacity", "yes"),
                (
                    "rep_document",
                    "Pełnomocnictwo z 2 marca 2026 r., oryginał w aktach",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(parties(&app, id).await, 2);
    let page = app.get(&format!("/staff/cases/{id}")).await;
    assert!(
        page.body
            .contains("pełnomocnik: Anna Lis (art. 40 § 2 KPA)"),
        "{}",
        page.body
    );
    let second = app
        .count(&format!(
            "SELECT id FROM case_party WHERE case_id = {id} AND position = 2"
        ))
        .await;
    let applicant = app
        .count(&format!(
            "SELECT id FROM case_party WHERE case_id = {id} AND position = 1"
        ))
        .await;
    // The edit form is drawn with the party's data.
    let edit = app.get(&format!("/staff/cases/{id}?party={second}")).await;
    assert!(edit.body.contains("Zapisz zmiany strony"));
    assert!(edit.body.contains("value=\"Anna Lis\""), "{}", edit.body);
    // The applicant's new address, mirrored on the case.
    let r = app
        .post_form(
            &format!("/staff/cases/{id}/actions/party_edit"),
            &[
                ("party_id", &applicant.to_string()),
                ("kind", "person"),
                ("name", "Jan Testowy"),
                ("address", "ul. Nowa 9, 62-300 Borowiec"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = store::case_by_id(&app.db, id).await.unwrap().unwrap();
    assert_eq!(case.party_address, "ul. Nowa 9, 62-300 Borowiec");
    // A letter drafted now addresses both parties, the second through its pełnomocnik.
    let decision = app
        .count("SELECT id FROM letter_template WHERE kind = 'decision' ORDER BY id LIMIT 1")
        .await;
    let r = app
        .post_form(
            &format!("/staff/cases/{id}/letters/new"),
            &[("template_id", &decision.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_letter WHERE case_id = {id} AND sections LIKE '%Jan Testowy, ul. Nowa 9%' \
             AND sections LIKE '%Zgoda — pełnomocnik: Anna Lis, ul. Długa 5%'"
        ))
        .await,
        1
    );
    // The applicant stays; a party of another case is not a choice.
    let remove = format!("/staff/cases/{id}/actions/party_remove");
    let r = app
        .post_form(&remove, &[("party_id", &applicant.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Wnioskodawcy nie można usunąć"),
        "{}",
        r.body
    );
    let r = app.post_form(&remove, &[("party_id", "999999")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(parties(&app, id).await, 2);
    let r = app
        .post_form(&remove, &[("party_id", &second.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(parties(&app, id).await, 1);
    // Each change audited and in the metryka.
    for action in ["party_add", "party_edit", "party_remove"] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'case_file' \
                 AND entity_id = '{id}' AND action LIKE '%{action}%'"
            ))
            .await,
            1,
            "{action}"
        );
    }
    let metryka = app.get(&format!("/staff/cases/{id}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Dopuszczenie strony lub pełnomocnika")
    );
    assert!(metryka.body.contains("Usunięcie strony z postępowania"));
    // Someone who does not handle the case may not change its parties.
    app.login("obsluga").await;
    let r = app
        .post_form(&add, &[("kind", "person"), ("name", "Ktoś")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn formal_defects_removed_in_term_restart_the_term(app: TestApp) {
    let id = case_in_progress(&app).await;
    app.login("urzednik").await;
    let summons = format!("/staff/cases/{id}/actions/defect_summons");
    let r = app
        .post_form(
            &summons,
            &[
                ("delivered_on", "2026-03-10"),
                ("defects", "Brak podpisu wnioskodawcy"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Delivered Tuesday 10 March: 7 days to Tuesday 17 March (art. 64 § 2, art. 57 § 1).
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT CAST(remove_by AS TEXT) FROM case_defect WHERE case_id = {id}"
        ))
        .await,
        "2026-03-17"
    );
    let page = app.get(&format!("/staff/cases/{id}")).await;
    assert!(page.body.contains("17 marca 2026"), "{}", page.body);
    // A second summons while one waits is not offered (422).
    let again = app
        .post_form(
            &summons,
            &[("delivered_on", "2026-03-11"), ("defects", "x")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Posted at the post office on the last day, received on the 19th: in term, and
    // the term of art. 35 counts from the removal — 19 April 2026 is a Sunday, so
    // Monday 20 April (art. 57 § 4).
    let removed = format!("/staff/cases/{id}/actions/defects_removed");
    let bad = app
        .post_form(
            &removed,
            &[("on", "2026-03-19"), ("posted_on", "2026-03-20")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Data nadania nie może być późniejsza niż data wpływu")
    );
    let r = app
        .post_form(
            &removed,
            &[("on", "2026-03-19"), ("posted_on", "2026-03-17")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = store::case_by_id(&app.db, id).await.unwrap().unwrap();
    assert_eq!(case.term_start(), d(3, 19));
    assert_eq!(case.due(), d(4, 20));
    let page = app.get(&format!("/staff/cases/{id}")).await;
    assert!(page.body.contains("w terminie"), "{}", page.body);
    let metryka = app.get(&format!("/staff/cases/{id}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Wezwanie do usunięcia braków formalnych podania")
    );
    assert!(metryka.body.contains("Usunięcie braków formalnych podania"));
}

async fn a_request_left_without_examination_is_settled_of_its_own_kind(app: TestApp) {
    let id = case_in_progress(&app).await;
    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{id}/actions/defect_summons"),
            &[
                ("delivered_on", "2026-03-10"),
                ("defects", "Brak pełnomocnictwa"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let leave = format!("/staff/cases/{id}/actions/leave_unexamined");
    // On the last day (17 March) the party's term still runs.
    let early = app
        .post_form(
            &leave,
            &[("on", "2026-03-17"), ("reason", "Nie usunięto braków")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .body
            .contains("Termin 7 dni na usunięcie braków jeszcze biegnie")
    );
    let r = app
        .post_form(
            &leave,
            &[("on", "2026-03-18"), ("reason", "Nie usunięto braków")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = store::case_by_id(&app.db, id).await.unwrap().unwrap();
    assert_eq!(case.status, magistrat::cases::Status::Settled);
    assert!(case.left_unexamined());
    assert_eq!(case.settled_on.map(|s| s.to_jiff()), Some(d(3, 18)));
    let page = app.get(&format!("/staff/cases/{id}")).await;
    assert!(
        page.body
            .contains("Podanie pozostawione bez rozpoznania (art. 64 § 2 KPA)"),
        "{}",
        page.body
    );
    let metryka = app.get(&format!("/staff/cases/{id}/metryka")).await;
    assert!(
        metryka
            .body
            .contains("Pozostawienie podania bez rozpoznania")
    );
    // Nothing more to remove: the removal is not offered now.
    let late = app
        .post_form(
            &format!("/staff/cases/{id}/actions/defects_removed"),
            &[("on", "2026-03-19")],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn parties(app: &TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM case_party WHERE case_id = {id}"
    ))
    .await
}

fn today() -> String {
    magistrat::platform::Clock::system()
        .now()
        .in_warsaw()
        .date()
        .to_string()
}

async fn posting_date_and_numer_nadania_in_the_registers(app: TestApp) {
    app.login("kierownik").await;
    let sa = unit(&app, "SA").await.to_string();
    let today = today();
    let tomorrow = jiff::civil::Date::strptime("%Y-%m-%d", &today)
        .unwrap()
        .tomorrow()
        .unwrap()
        .to_string();
    let incoming = |channel: &'static str, posted: &str| {
        vec![
            ("channel", channel.to_owned()),
            ("received_on", today.clone()),
            ("received_time", "00:00".to_owned()),
            ("org_unit_id", sa.clone()),
            ("sender_name", "Zofia Adamska".to_owned()),
            (
                "sender_address",
                "ul. Klonowa 7\n62-300 Borowiec".to_owned(),
            ),
            ("sender_epuap", "/zadamska/skrytka".to_owned()),
            ("subject", "Odwołanie od decyzji".to_owned()),
            ("posted_on", posted.to_owned()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_multipart("/staff/correspondence/new", &refs, &[])
                .await
        }
    };
    let before = app.count("SELECT COUNT(*) FROM incoming_item").await;
    let r = send(incoming("post", &tomorrow)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Data nadania nie może być późniejsza niż data wpływu")
    );
    let r = send(incoming("epuap", &today)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("tylko dla przesyłki, która przyszła pocztą")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        before
    );
    let r = send(incoming("post", &today)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let item = app.get(r.location()).await;
    assert!(
        item.body
            .contains("Data nadania w polskiej placówce pocztowej")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM incoming_item WHERE posted_on IS NOT NULL AND id = {}",
            before + 1
        ))
        .await,
        1
    );

    let outgoing = |letter: &'static str, number: &'static str| {
        vec![
            ("channel", "post".to_owned()),
            ("letter_type", letter.to_owned()),
            ("tracking_number", number.to_owned()),
            ("sent_on", today.clone()),
            ("org_unit_id", sa.clone()),
            ("recipient_name", "Zofia Adamska".to_owned()),
            (
                "recipient_address",
                "ul. Klonowa 7, 62-300 Borowiec".to_owned(),
            ),
            ("subject", "Decyzja".to_owned()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_multipart("/staff/correspondence/outgoing/new", &refs, &[])
                .await
        }
    };
    let before = app.count("SELECT COUNT(*) FROM outgoing_item").await;
    let r = send(outgoing("registered_receipt", "00659007734210841439")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Cyfra kontrolna numeru nadania się nie zgadza")
    );
    let r = send(outgoing("ordinary", "00659007734210841438")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("tylko dla przesyłki poleconej"));
    let r = send(outgoing("registered", "12345")).await;
    assert!(r.body.contains("Numer nadania to 20 cyfr"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outgoing_item").await,
        before
    );
    let r = send(outgoing("registered_receipt", "00659 00773 42108 41438")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/staff/correspondence/outgoing").await;
    assert!(
        list.body.contains("nr nadania 00659007734210841438"),
        "{}",
        list.body
    );
}
