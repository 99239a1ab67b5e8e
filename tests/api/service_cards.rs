//! Service cards: the public catalogue and card pages, the staff editor with its field
//! errors and scope, publishing, the history, and downloadable forms.

use axum::http::{StatusCode, header};

use crate::backend_tests;
use crate::helpers::TestApp;

const ACCOUNT: &str = "10 1020 4027 0000 1902 1234 5678";

backend_tests!(
    catalogue_search_ignores_case_and_diacritics,
    card_page_shows_the_card_and_drafts_stay_hidden,
    staff_create_with_field_errors_then_publish,
    manager_edits_only_cards_of_their_units,
    edits_are_in_the_history_with_what_changed,
    forms_upload_checked_and_download_safely,
);

pub(crate) async fn unit_id(app: &TestApp, symbol: &str) -> String {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
    .to_string()
}

/// A complete card form; `extra` replaces or adds fields.
pub(crate) fn card_form<'a>(
    unit: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("code", "SA-20"),
        ("org_unit_id", unit),
        ("name", "Zaświadczenie o wymeldowaniu"),
        ("description", "Zaświadczenie dla osoby wymeldowanej."),
        ("deadline", "Do 7 dni"),
        ("case_kind", "certificate"),
        ("channel_counter", "on"),
        (
            "legal_basis",
            "Ustawa z dnia 24 września 2010 r. o ewidencji ludności",
        ),
        ("legal_basis", ""),
        ("doc_name", "Dowód osobisty"),
        ("doc_kind", "to_show"),
        ("doc_name", ""),
        ("doc_kind", "original"),
        ("fee_description", "Opłata skarbowa"),
        ("fee_amount", "17,00"),
        ("fee_account", ACCOUNT),
        ("fee_description", ""),
        ("fee_amount", ""),
        ("fee_account", ""),
    ];
    for (k, v) in extra {
        if let Some(slot) = fields.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        } else {
            fields.push((k, v));
        }
    }
    fields
}

async fn catalogue_search_ignores_case_and_diacritics(app: TestApp) {
    let home = app.get("/").await;
    assert!(home.body.contains("action=\"/services\""));
    let all = app.get("/services").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("SA-2"));
    for q in ["zaswiadczenie", "ZAŚWIADCZENIE", "Zaświadczenie"] {
        let page = app.get(&format!("/services?q={}", urlencode(q))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Zaświadczenie o zameldowaniu"), "{q}");
        assert!(page.body.contains("FN-I-1"), "{q}");
        assert!(!page.body.contains("Karta Dużej Rodziny"), "{q}");
    }
    // By code, and by unit.
    assert!(
        app.get("/services?q=usc-1")
            .await
            .body
            .contains("odpisu aktu stanu cywilnego")
    );
    let usc = app.get("/services?unit=USC").await;
    assert!(usc.body.contains("USC-1") && !usc.body.contains("SA-2<"));
    // A draft is not in the catalogue; LIKE wildcards are plain characters.
    assert!(!app.get("/services?q=ulga").await.body.contains("FN-I-3"));
    assert!(
        app.get("/services?q=%25")
            .await
            .body
            .contains("Nie znaleziono")
    );
}

pub(crate) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn card_page_shows_the_card_and_drafts_stay_hidden(app: TestApp) {
    let page = app.get("/services/SA-2").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Zaświadczenie o zameldowaniu",
        "17,00 zł",
        ACCOUNT,
        "o ewidencji ludności",
        "KPA art. 217",
        "do wglądu",
        "Numer PESEL",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    assert_eq!(
        app.get("/services/FN-I-3").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/services/XX-1").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn staff_create_with_field_errors_then_publish(app: TestApp) {
    app.login("admin").await;
    let sa = unit_id(&app, "SA").await;
    let bad = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(
                &sa,
                &[
                    ("code", "SA-020"),
                    ("name", ""),
                    ("fee_account", "10 1020 4027 0000 1902 1234 5679"),
                    ("channel_eservice", "on"),
                    ("jrwa_symbol", "53"),
                ],
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Symbol musi składać się z symbolu wybranej komórki",
        "To pole jest wymagane",
        "błędne cyfry kontrolne",
        "E-usługa wymaga definicji formularza",
        "Wybierz klasę końcową z tegorocznego wykazu akt",
    ] {
        assert!(bad.body.contains(message), "{message} missing");
    }
    assert!(
        bad.body
            .contains("aria-describedby=\"f-fee_account-0-error\"")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM service_card WHERE code = 'SA-20'")
            .await,
        0
    );
    // A broken definition is reported with its line.
    let bad_def = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(&sa, &[("form_definition", "{\n\"fields\": [\n{\"name\": \"x\", \"type\": \"colour\", \"label\": {\"pl\": \"X\"}}\n]}")]),
        )
        .await;
    assert_eq!(bad_def.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_def.body.contains("Wiersz 3: Nieznany typ pola."),
        "{}",
        bad_def.body
    );

    let definition = r#"{"fields": [{"name": "pesel", "type": "pesel", "label": {"pl": "PESEL"}, "required": true}]}"#;
    let ok = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(
                &sa,
                &[("form_definition", definition), ("channel_eservice", "on")],
            ),
        )
        .await;
    // Filed applications become cases at once: the e-service needs their JRWA class.
    assert_eq!(ok.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        ok.body
            .contains("E-usługa wymaga klasy JRWA: pod nią rejestrowane są złożone wnioski.")
    );
    let ok = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(
                &sa,
                &[
                    ("form_definition", definition),
                    ("channel_eservice", "on"),
                    ("jrwa_symbol", "5311"),
                ],
            ),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/staff/service-cards/SA-20");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'service_card' AND action = 'service_card.create' AND actor_login = 'admin'").await,
        1
    );
    let edit = app.get("/staff/service-cards/SA-20").await;
    assert!(edit.body.contains("Podgląd formularza e-usługi"));
    assert!(edit.body.contains("pattern=\"[0-9]{11}\""));
    // A draft until published.
    assert_eq!(
        app.get("/services/SA-20").await.status,
        StatusCode::NOT_FOUND
    );
    let published = app
        .post_form(
            "/staff/service-cards/SA-20/publish",
            &[("published", "true")],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/services/SA-20").await.status, StatusCode::OK);
    // The class chosen in the editor is the one the e-service registers under.
    assert!(edit.body.contains("<option value=\"5311\" selected>"));
    assert_eq!(
        app.scalar_text("SELECT jrwa_symbol FROM service_card WHERE code = 'SA-20'")
            .await,
        "5311"
    );
    assert_eq!(
        app.get("/services/SA-20/apply").await.status,
        StatusCode::OK
    );
    // The same code twice is refused at the field.
    let twice = app
        .post_form("/staff/service-cards/new", &card_form(&sa, &[]))
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("Karta o tym symbolu już istnieje"));
}

async fn manager_edits_only_cards_of_their_units(app: TestApp) {
    app.login("kierownik").await;
    let list = app.get("/staff/service-cards").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("SA-2") && list.body.contains("USC-1"));
    assert!(!list.body.contains("FN-I-1"));
    // Sorted by code unless asked otherwise; by name the other way round when asked,
    // in Polish order; the export keeps the order and the scope.
    let at = |body: &str, code: &str| body.find(&format!(">{code}</a></th>")).unwrap();
    assert!(at(&list.body, "SA-1") < at(&list.body, "USC-1"));
    assert!(list.body.contains("aria-sort=\"ascending\""));
    let by_name = app.get("/staff/service-cards?sort=name&dir=desc").await;
    assert_eq!(by_name.status, StatusCode::OK);
    assert!(by_name.body.contains("aria-sort=\"descending\""));
    let names: Vec<String> = by_name
        .body
        .split("</a></th><td>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().trim().to_owned())
        .collect();
    assert!(names.len() > 3, "{}", by_name.body);
    let mut expected = names.clone();
    expected.sort_by(|a, b| magistrat_domain::collation::compare(b, a));
    assert_eq!(names, expected, "the names, descending in Polish order");
    let csv = app
        .get("/staff/service-cards/export?sort=name&dir=desc")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("SA-2;") && !csv.body.contains("FN-I-1"));
    assert!(csv.body.lines().next().unwrap().contains("Symbol karty"));
    assert_eq!(
        app.get("/staff/service-cards/SA-2").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/staff/service-cards/USC-1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/staff/service-cards/FN-I-1").await.status,
        StatusCode::FORBIDDEN
    );
    let fn_i = unit_id(&app, "FN-I").await;
    let refused = app
        .post_form(
            "/staff/service-cards/FN-I-1",
            &card_form(&fn_i, &[("code", "FN-I-1")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/staff/service-cards/FN-I-1/history").await.status,
        StatusCode::FORBIDDEN
    );
    // Nor can a card be given to a unit outside the scope.
    let moved = app
        .post_form(
            "/staff/service-cards/new",
            &card_form(&fn_i, &[("code", "FN-I-9")]),
        )
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        moved
            .body
            .contains("Wybierz komórkę, której karty możesz edytować")
    );
    // Staff without the permission are refused altogether.
    app.clear_cookies();
    app.login("urzednik").await;
    assert_eq!(
        app.get("/staff/service-cards").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/staff/service-cards/export").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn edits_are_in_the_history_with_what_changed(app: TestApp) {
    app.login("admin").await;
    let sa = unit_id(&app, "SA").await;
    let saved = app
        .post_form(
            "/staff/service-cards/SA-2",
            &card_form(
                &sa,
                &[
                    ("code", "SA-2"),
                    ("name", "Zaświadczenie o zameldowaniu lub jego braku"),
                    (
                        "legal_basis",
                        "Kodeks postępowania administracyjnego, art. 217",
                    ),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let unpublished = app
        .post_form(
            "/staff/service-cards/SA-2/publish",
            &[("published", "false")],
        )
        .await;
    assert_eq!(unpublished.status, StatusCode::SEE_OTHER);
    let history = app.get("/staff/service-cards/SA-2/history").await;
    assert_eq!(history.status, StatusCode::OK);
    for text in [
        "zmiana karty",
        "wycofanie z publikacji",
        "utworzenie karty",
        "Zaświadczenie o zameldowaniu lub jego braku",
        "<th scope=\"row\">name</th><td>Zaświadczenie o zameldowaniu</td>",
        "<th scope=\"row\">published</th><td>true</td><td>false</td>",
    ] {
        assert!(history.body.contains(text), "{text} missing");
    }
    // Blank list rows were dropped; the new legal basis row was kept.
    let card = app.get("/staff/service-cards/SA-2").await;
    assert!(
        card.body
            .contains("value=\"Kodeks postępowania administracyjnego, art. 217\"")
    );
    assert_eq!(
        app.get("/services/SA-2").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn forms_upload_checked_and_download_safely(app: TestApp) {
    app.login("admin").await;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    let added = app
        .post_multipart(
            "/staff/service-cards/SA-2/files",
            &[("title", "Wniosek o zaświadczenie")],
            &[("file", "wniosek zameldowanie.pdf", "application/pdf", pdf)],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let id = app.count("SELECT MAX(id) FROM service_card_file").await;
    // The card lists it; anyone downloads it with safe headers.
    app.clear_cookies();
    let card = app.get("/services/SA-2").await;
    let href = format!("/services/SA-2/files/{id}/wniosek_zameldowanie.pdf");
    assert!(card.body.contains(&href), "{}", card.body);
    let file = app.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"wniosek_zameldowanie.pdf\""));
    assert_eq!(file.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(file.body.as_bytes(), pdf);
    assert_eq!(
        app.get(&format!("/services/SA-2/files/{id}/other.pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    app.login("admin").await;
    // An executable renamed to .pdf, and a file over 5 MB, are refused.
    let exe = app
        .post_multipart(
            "/staff/service-cards/SA-2/files",
            &[("title", "Wniosek")],
            &[("file", "wniosek.pdf", "application/pdf", b"MZ\x90\x00\x03")],
        )
        .await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", exe.body);
    assert!(exe.body.contains("nie jest dokumentem PDF"));
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1 - 6, b'x');
    big.extend_from_slice(b"%%EOF\n");
    let large = app
        .post_multipart(
            "/staff/service-cards/SA-2/files",
            &[("title", "Wniosek")],
            &[("file", "duzy.pdf", "application/pdf", &big)],
        )
        .await;
    assert_eq!(large.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(large.body.contains("Plik jest za duży"));
    assert_eq!(app.count("SELECT COUNT(*) FROM service_card_file").await, 1);
    // Removing it is audited.
    let removed = app
        .post_form(&format!("/staff/service-cards/SA-2/files/{id}/delete"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM service_card_file").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action IN ('service_card.file_add', 'service_card.file_remove')").await,
        2
    );
}

backend_tests!(structured_editor_builds_the_definition);

/// The e-service form edited as rows of inputs, without JavaScript.
async fn structured_editor_builds_the_definition(app: TestApp) {
    app.login("admin").await;
    let sa = unit_id(&app, "SA").await;
    // The edit page shows an existing definition as rows (SA-2 has a PESEL field).
    let edit = app.get("/staff/service-cards/SA-2").await;
    assert!(
        edit.body
            .contains("name=\"fd_name\" type=\"text\" value=\"pesel\"")
    );
    // Every label points at one element: no id twice on the editor or the card page.
    for page in [&edit.body, &app.get("/services/SA-2").await.body] {
        let mut ids: Vec<&str> = page
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "an id is used twice");
    }
    let row = |name: &'static str, kind: &'static str, label: &'static str| {
        [
            ("fd_name", name),
            ("fd_type", kind),
            ("fd_label_pl", label),
            ("fd_label_en", ""),
            ("fd_help_pl", ""),
            ("fd_help_en", ""),
            ("fd_required", "yes"),
            ("fd_max_length", ""),
            ("fd_options", ""),
        ]
    };
    let mut bad = card_form(&sa, &[("channel_eservice", "on")]);
    bad.extend(row("pesel", "pesel", "PESEL"));
    bad.extend(row("pesel", "text", "Drugie"));
    let refused = app.post_form("/staff/service-cards/new", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Dwa pola mają tę samą nazwę."));
    assert!(refused.body.contains("href=\"#f-fd_name-1\""));
    let mut good = card_form(&sa, &[("channel_eservice", "on"), ("jrwa_symbol", "5311")]);
    good.extend(row("pesel", "pesel", "PESEL"));
    good.extend(row("", "text", ""));
    let mut purpose = row("purpose", "select", "Cel");
    purpose[8].1 = "work | praca | work";
    good.extend(purpose);
    let saved = app.post_form("/staff/service-cards/new", &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    app.post_form(
        "/staff/service-cards/SA-20/publish",
        &[("published", "true")],
    )
    .await;
    let json = app.get("/api/v1/service-cards/SA-20").await.json();
    let fields = json["form"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[1]["options"][0]["label"]["pl"], "praca");
}
