//! The case's documents through the real router and store, on both backends: the akta
//! list, a decision drafted from a template, refused while it lacks an element of KPA
//! art. 107 § 1, accepted by the head, signed with an uploaded file whose SHA-256 is
//! kept, sent as an outgoing item and delivered; signing without acceptance, sending
//! without a signature and a delivery before the dispatch refused with nothing
//! written; the register of authorisations (art. 268a) deciding who may sign; the
//! templates editor; the dekretacja; the metryka (art. 66a) as a page and a PDF.

use axum::http::StatusCode;
use sha2::{Digest, Sha256};

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    a_decision_goes_from_draft_to_delivery,
    steps_out_of_order_are_refused_and_write_nothing,
    authorisations_decide_who_signs,
    templates_are_edited_and_checked,
    dekretacja_is_recorded_in_the_metryka,
    the_demo_case_has_its_akta_and_metryka,
);

async fn case_id(app: &TestApp, title: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM case_file WHERE title = '{title}' ORDER BY id LIMIT 1"
    ))
    .await
}

async fn template_id(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM letter_template WHERE kind = '{kind}' ORDER BY id LIMIT 1"
    ))
    .await
}

async fn state(app: &TestApp, letter: i64) -> String {
    app.scalar_text(&format!(
        "SELECT state FROM case_letter WHERE id = {letter}"
    ))
    .await
}

fn letter_id(location: &str) -> i64 {
    location
        .trim_start_matches("/staff/letters/")
        .parse()
        .unwrap_or_else(|_| panic!("a letter's page, got {location}"))
}

fn pdf_bytes() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n% podpisano kwalifikowanym podpisem elektronicznym\n".to_vec();
    b.extend_from_slice(b"1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    b
}

async fn a_decision_goes_from_draft_to_delivery(app: TestApp) {
    let case = case_id(&app, "Wymeldowanie z pobytu stałego, ul. Polna 12").await;
    let decision = template_id(&app, "decision").await;
    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/letters/new"),
            &[("template_id", &decision.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let letter = letter_id(r.location());
    let identifier = app
        .scalar_text(&format!(
            "SELECT identifier FROM case_letter WHERE id = {letter}"
        ))
        .await;
    let znak = app
        .scalar_text(&format!("SELECT znak FROM case_file WHERE id = {case}"))
        .await;
    assert!(identifier.starts_with(&format!("{znak}/")), "{identifier}");
    // Filled from the case: the znak and the party's name are in the draft.
    let page = app.get(&format!("/staff/letters/{letter}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&znak));
    assert!(page.body.contains("Roman Sikora"));
    // The case has no service card: the legal basis is left to fill in, and the page
    // says so before anyone tries to accept.
    assert!(
        page.body.contains("Przed akceptacją trzeba uzupełnić"),
        "{}",
        page.body
    );

    // The official is not authorised for class 5310: no acceptance.
    let r = app
        .post_form(&format!("/staff/letters/{letter}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The head may accept, but not a decision without its legal basis (art. 107 § 1
    // pkt 4): the page comes back with the element named, nothing written.
    app.logout().await;
    app.login("kierownik").await;
    let acts_before = app
        .count(&format!(
            "SELECT COUNT(*) FROM case_act WHERE case_id = {case}"
        ))
        .await;
    let r = app
        .post_form(&format!("/staff/letters/{letter}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Podstawa prawna"), "{}", r.body);
    assert_eq!(state(&app, letter).await, "draft");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_act WHERE case_id = {case}"
        ))
        .await,
        acts_before
    );

    // The official fills in the legal basis and the ruling.
    app.logout().await;
    app.login("urzednik").await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, text) in [
        ("title", "Decyzja o wymeldowaniu"),
        ("organ", "Burmistrz Borowca"),
        ("issue_place", "Borowiec"),
        ("parties", "Roman Sikora, ul. Polna 12, 62-300 Borowiec"),
        (
            "legal_basis",
            "art. 35 ustawy o ewidencji ludności, art. 104 KPA",
        ),
        (
            "ruling",
            "Orzekam wymeldować Romana Sikorę z pobytu stałego.",
        ),
        (
            "justification",
            "Strona nie przebywa pod adresem od 2024 r.",
        ),
        (
            "appeal_instruction",
            "Odwołanie do SKO w terminie 14 dni od doręczenia.",
        ),
    ] {
        fields.push((name.to_owned(), text.to_owned()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .post_form(&format!("/staff/letters/{letter}"), &refs)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    app.logout().await;
    app.login("kierownik").await;
    // Signing before acceptance is refused.
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/sign"),
            &[("method", "handwritten")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(state(&app, letter).await, "draft");

    let r = app
        .post_form(&format!("/staff/letters/{letter}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app, letter).await, "accepted");

    // An electronic signature needs the signed file.
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/sign"),
            &[("method", "electronic")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(state(&app, letter).await, "accepted");
    let signed = pdf_bytes();
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/sign"),
            &[("method", "electronic")],
            &[("signed_file", "decyzja.pdf", "application/pdf", &signed)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app, letter).await, "signed");
    let expected = hex::encode(Sha256::digest(&signed));
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT signed_sha256 || '|' || signer_name || '|' || signer_position FROM case_letter WHERE id = {letter}"
        ))
        .await,
        format!("{expected}|Barbara Zielińska|Naczelnik Wydziału")
    );
    let file = app.get(&format!("/staff/letters/{letter}/signed")).await;
    assert_eq!(file.status, StatusCode::OK);

    // Sent by registered post with a return receipt: an outgoing item of the case.
    let today = app.state.clock.today().to_string();
    let r = app
        .post_form(
            &format!("/staff/letters/{letter}/dispatch"),
            &[
                ("channel", "post"),
                ("letter_type", "registered_receipt"),
                ("recipient_name", "Roman Sikora"),
                ("recipient_address", "ul. Polna 12, 62-300 Borowiec"),
                ("sent_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app, letter).await, "dispatched");
    let outgoing = app
        .count(&format!(
            "SELECT outgoing_id FROM case_letter WHERE id = {letter}"
        ))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outgoing_item WHERE id = {outgoing} AND case_id = {case} \
             AND channel = 'post' AND letter_type = 'registered_receipt'"
        ))
        .await,
        1
    );
    // The signed file travels with the item.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outgoing_attachment WHERE item_id = {outgoing}"
        ))
        .await,
        1
    );

    // A delivery before the dispatch is refused at its field.
    let yesterday = app.state.clock.today().yesterday().unwrap().to_string();
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/delivery"),
            &[("delivered_on", &yesterday)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("wcześniejsza niż data wysłania"));
    assert_eq!(state(&app, letter).await, "dispatched");
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/delivery"),
            &[("delivered_on", &today), ("delivery_note", "ZPO podpisane")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(state(&app, letter).await, "delivered");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM outgoing_item WHERE id = {outgoing} AND delivered_on IS NOT NULL"
        ))
        .await,
        1
    );

    // Delivered, the decision shows the party's appeal term and its finality date.
    let page = app.get(&format!("/staff/letters/{letter}")).await;
    assert!(
        page.body.contains("Odwołanie można wnieść do"),
        "{}",
        page.body
    );
    assert!(page.body.contains("KPA art. 129 § 2"));
    assert!(page.body.contains("stanie się ostateczna"));

    // Every act is in the audit trail and in the metryka, with name and position.
    for act in [
        "document_accepted",
        "document_signed",
        "document_sent",
        "document_delivered",
    ] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE action = 'case_letter.{act}' \
                 AND entity_id = '{letter}'"
            ))
            .await,
            1,
            "{act}"
        );
    }
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert_eq!(metryka.status, StatusCode::OK);
    for text in [
        "Sporządzenie projektu pisma",
        "Akceptacja pisma",
        "Podpisanie pisma",
        "Wysłanie pisma",
        "Doręczenie pisma",
        "Zielińska Barbara, Naczelnik Wydziału",
        "Kowalski Jan, Inspektor",
        identifier.as_str(),
    ] {
        assert!(metryka.body.contains(text), "{text}");
    }
    let pdf = app.get(&format!("/staff/cases/{case}/metryka.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    let pdf = app.get(&format!("/staff/letters/{letter}/pdf")).await;
    assert!(pdf.body.starts_with("%PDF-"));
    // The akta list the letter among the case's documents.
    let akta = app.get(&format!("/staff/cases/{case}/documents")).await;
    assert!(akta.body.contains(&identifier));
    assert!(akta.body.contains("Doręczone"));
}

async fn steps_out_of_order_are_refused_and_write_nothing(app: TestApp) {
    // The demo's summons to remove defects is accepted, not signed.
    let letter = app
        .count("SELECT id FROM case_letter WHERE kind = 'defect_summons' AND state = 'accepted'")
        .await;
    app.login("kierownik").await;
    let outgoing = app.count("SELECT COUNT(*) FROM outgoing_item").await;
    let audit = app.count("SELECT COUNT(*) FROM audit_event").await;
    let today = app.state.clock.today().to_string();
    let r = app
        .post_form(
            &format!("/staff/letters/{letter}/dispatch"),
            &[
                ("channel", "post"),
                ("recipient_name", "Roman Sikora"),
                ("recipient_address", "ul. Polna 12"),
                ("sent_on", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("nie zostało podpisane"), "{}", r.body);
    // Recording a delivery of a letter not sent.
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/delivery"),
            &[("delivered_on", &today)],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Editing an accepted letter.
    let r = app
        .post_form(&format!("/staff/letters/{letter}"), &[("title", "Zmiana")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outgoing_item").await,
        outgoing
    );
    // Only the refusals' own records (none for 409s) — no state was written.
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, audit);
    assert_eq!(state(&app, letter).await, "accepted");
    // Returned to the draft, it can be edited again.
    let r = app
        .post_form(
            &format!("/staff/letters/{letter}/return"),
            &[("reason", "Proszę dopisać termin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(state(&app, letter).await, "draft");
}

async fn authorisations_decide_who_signs(app: TestApp) {
    // Certificates (5340) of SA: the demo authorises Jan Kowalski for them.
    let case = case_id(&app, "Zaświadczenie o utracie dowodu osobistego").await;
    let notice = template_id(&app, "initiation_notice").await;
    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/letters/new"),
            &[("template_id", &notice.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let letter = letter_id(r.location());
    let r = app
        .post_form(&format!("/staff/letters/{letter}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_multipart(
            &format!("/staff/letters/{letter}/sign"),
            &[("method", "handwritten")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT signer_name || ', ' || signer_position FROM case_letter WHERE id = {letter}"
        ))
        .await,
        "Jan Kowalski, Inspektor"
    );
    app.logout().await;

    // Revoked, the authorisation no longer lets him accept.
    app.login("kadry").await;
    let auth = app
        .count("SELECT id FROM signing_authorisation WHERE revoked_at IS NULL ORDER BY id LIMIT 1")
        .await;
    let r = app
        .post_form(&format!("/staff/authorisations/{auth}/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Revoking twice is refused.
    let r = app
        .post_form(&format!("/staff/authorisations/{auth}/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // A period ending before it starts is refused at its field.
    let user = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await
        .to_string();
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let r = app
        .post_form(
            "/staff/authorisations",
            &[
                ("user_id", &user),
                ("org_unit_id", &sa),
                ("reference", "OR.0052.9.2026"),
                ("valid_from", "2026-06-01"),
                ("valid_to", "2026-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"f-valid_to-error\""), "{}", r.body);
    app.logout().await;

    app.login("urzednik").await;
    let r = app
        .post_form(
            &format!("/staff/cases/{case}/letters/new"),
            &[("template_id", &notice.to_string())],
        )
        .await;
    let second = letter_id(r.location());
    let r = app
        .post_form(&format!("/staff/letters/{second}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(state(&app, second).await, "draft");
}

async fn templates_are_edited_and_checked(app: TestApp) {
    app.login("admin").await;
    let page = app.get("/staff/letter-templates").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Decyzja administracyjna"));
    let r = app
        .post_form(
            "/staff/letter-templates/new",
            &[
                ("kind", "summons"),
                ("name", "Wezwanie do złożenia wyjaśnień"),
                ("content", "Wzywam {strona} w sprawie {znak} — {nieznane}"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nieznane pole"), "{}", r.body);
    let r = app
        .post_form(
            "/staff/letter-templates/new",
            &[
                ("kind", "summons"),
                ("name", "Wezwanie do złożenia wyjaśnień"),
                ("content", "Wzywam {strona} w sprawie {znak}."),
                ("term_days", "14"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The same name twice is refused at the name.
    let r = app
        .post_form(
            "/staff/letter-templates/new",
            &[
                ("kind", "summons"),
                ("name", "Wezwanie do złożenia wyjaśnień"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'letter_template.create'")
            .await,
        // The demo's eight (one a kind, the summons to pay of art. 261 among them) and
        // the one created here.
        9
    );
}

async fn dekretacja_is_recorded_in_the_metryka(app: TestApp) {
    // An incoming item of SA linked to a case.
    let case = case_id(&app, "Wymeldowanie decyzją, ul. Kościelna 3/5").await;
    let item = app
        .count(
            "SELECT i.id FROM incoming_item i JOIN org_unit u ON u.id = i.org_unit_id \
             WHERE u.symbol = 'SA' ORDER BY i.id LIMIT 1",
        )
        .await;
    app.exec(&format!(
        "UPDATE incoming_item SET case_id = {case} WHERE id = {item}"
    ))
    .await;
    let official = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await
        .to_string();
    app.login("urzednik").await;
    // The official is not the head: no dekretacja.
    let r = app
        .post_form(
            &format!("/staff/dekretacja/{item}"),
            &[("to_user_id", &official)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    app.logout().await;
    app.login("kierownik").await;
    let r = app
        .post_form(&format!("/staff/dekretacja/{item}"), &[("to_user_id", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &format!("/staff/dekretacja/{item}"),
            &[
                ("to_user_id", &official),
                ("instruction", "Proszę o przygotowanie odpowiedzi"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/staff/dekretacja/{item}")).await;
    assert!(page.body.contains("Proszę o przygotowanie odpowiedzi"));
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert!(
        metryka.body.contains("Dekretacja pisma"),
        "{}",
        metryka.body
    );
}

async fn the_demo_case_has_its_akta_and_metryka(app: TestApp) {
    let case = case_id(&app, "Wymeldowanie decyzją, ul. Kościelna 3/5").await;
    app.login("urzednik").await;
    let akta = app.get(&format!("/staff/cases/{case}/documents")).await;
    assert_eq!(akta.status, StatusCode::OK);
    for text in [
        "Zawiadomienie o wszczęciu postępowania",
        "Doręczone",
        "Wysłane",
        "Projekt",
    ] {
        assert!(akta.body.contains(text), "{text}");
    }
    let metryka = app.get(&format!("/staff/cases/{case}/metryka")).await;
    for text in ["Rejestracja sprawy", "Podpisanie pisma", "Doręczenie pisma"] {
        assert!(metryka.body.contains(text), "{text}");
    }
    // The case page links its documents and metryka.
    let detail = app.get(&format!("/staff/cases/{case}")).await;
    assert!(
        detail
            .body
            .contains(&format!("/staff/cases/{case}/metryka"))
    );
    // Another unit's official does not see them.
    app.logout().await;
    app.login("obsluga").await;
    let r = app.get(&format!("/staff/cases/{case}/metryka")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
