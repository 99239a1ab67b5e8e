//! The form kit end to end: a duplicate that only the database's unique constraint
//! catches is told at its field, with the page kept and 422 — on SQLite, which names
//! the columns, and on PostgreSQL, which names the constraint.

use axum::http::StatusCode;
use magistrat::auth::users::LOGIN_UNIQUE;
use magistrat::db::Pool;
use magistrat::org::rules::{ClosureForm, EmployeeForm, UnitForm};
use magistrat::platform::form::{Unique, on_unique};
use magistrat::service_cards::staff::CODE_UNIQUE;

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestApp};

backend_tests!(
    a_login_taken_is_told_at_the_login_field,
    a_card_code_taken_is_told_at_the_code_field,
    every_unique_rule_names_its_constraint,
    the_card_editor_answers_422_with_every_problem_summarised,
    the_eservice_form_answers_422_with_every_problem_summarised,
    the_resident_link_form_answers_422_with_its_problem_summarised,
);

/// The error of a statement that must fail.
async fn failure(app: &TestApp, sql: &str) -> sqlx::Error {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match &app.db.pool {
        Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.unwrap_err(),
        Pool::Postgres(p) => sqlx::query(sql).execute(p).await.unwrap_err(),
    }
}

/// The page shows `message` at `field` as the field macro and the summary render it.
fn assert_field_error(body: &str, field: &str, message: &str) {
    assert!(
        body.contains(&format!(
            "<p class=\"field-error\" id=\"f-{field}-error\">{message}</p>"
        )),
        "no error at {field}: {body}"
    );
    assert!(body.contains(&format!("f-{field}-error\" aria-invalid=\"true\"")));
    assert!(
        body.contains(&format!("<a href=\"#f-{field}\">")),
        "not in the summary"
    );
}

/// The error summary's items: (anchor, text), in the order of the page.
pub fn summary(body: &str) -> Vec<(String, String)> {
    let Some(start) = body.find("<div class=\"error-summary\"") else {
        return Vec::new();
    };
    let block = &body[start..];
    let block = &block[..block.find("</div>").unwrap_or(block.len())];
    block
        .split("<li><a href=\"#")
        .skip(1)
        .filter_map(|item| {
            let (anchor, rest) = item.split_once("\">")?;
            let (text, _) = rest.split_once("</a>")?;
            Some((anchor.to_owned(), text.to_owned()))
        })
        .collect()
}

/// A 422 page shows `message` beside the control `f-{field}` (its error paragraph, the
/// control marked invalid) and in the summary, linked to the control.
pub fn assert_problem(body: &str, field: &str, message: &str) {
    assert!(
        body.contains(&format!("id=\"f-{field}-error\">{message}</p>")),
        "no error „{message}” at {field}: {body}"
    );
    let control = format!("id=\"f-{field}\"");
    let tag_start = body
        .find(&control)
        .unwrap_or_else(|| panic!("no control f-{field}"));
    let tag = &body[tag_start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    assert!(
        tag.contains("aria-invalid=\"true\""),
        "f-{field} not invalid: {tag}"
    );
    assert!(
        tag.contains(&format!("f-{field}-error")),
        "f-{field} not described by its error: {tag}"
    );
    assert!(
        summary(body)
            .iter()
            .any(|(anchor, text)| *anchor == format!("f-{field}") && text.ends_with(message)),
        "„{message}” at {field} not in the summary {:?}",
        summary(body)
    );
}

async fn a_login_taken_is_told_at_the_login_field(app: TestApp) {
    app.login("admin").await;
    let account = [
        ("login", "k.wisniewska"),
        ("display_name", "Katarzyna Wiśniewska"),
        ("email", "k.wisniewska@borowiec.example.pl"),
        ("password", PASSWORD),
        ("role", "case_official"),
    ];
    let first = app.post_form("/staff/users", &account).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let again = app.post_form("/staff/users", &account).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_field_error(&again.body, "login", "Ten login jest już zajęty.");
    // The typed values are kept.
    assert!(again.body.contains("value=\"Katarzyna Wiśniewska\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM app_user WHERE login_lower = 'k.wisniewska'")
            .await,
        1
    );
}

async fn a_card_code_taken_is_told_at_the_code_field(app: TestApp) {
    app.login("admin").await;
    let (code, unit) = (
        app.scalar_text("SELECT code FROM service_card ORDER BY id LIMIT 1")
            .await,
        app.count("SELECT org_unit_id FROM service_card ORDER BY id LIMIT 1")
            .await
            .to_string(),
    );
    let cards = app.count("SELECT COUNT(*) FROM service_card").await;
    let card = [
        ("code", code.as_str()),
        ("org_unit_id", unit.as_str()),
        ("name", "Zaświadczenie o wymeldowaniu"),
        ("description", "Zaświadczenie dla osoby wymeldowanej."),
        ("deadline", "Do 7 dni"),
        ("case_kind", "certificate"),
        ("channel_counter", "on"),
        (
            "legal_basis",
            "Ustawa z dnia 24 września 2010 r. o ewidencji ludności",
        ),
        ("doc_name", "Dowód osobisty"),
        ("doc_kind", "to_show"),
    ];
    let page = app.post_form("/staff/service-cards/new", &card).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert_field_error(&page.body, "code", "Karta o tym symbolu już istnieje.");
    assert!(page.body.contains("value=\"Zaświadczenie o wymeldowaniu\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM service_card").await, cards);
}

async fn every_unique_rule_names_its_constraint(app: TestApp) {
    app.exec(
        "INSERT INTO location_closure (location_id, day, reason) \
         VALUES ((SELECT MIN(id) FROM location), '2031-01-02', 'Inwentaryzacja')",
    )
    .await;
    let rules: [(&Unique, &str); 5] = [
        (
            &LOGIN_UNIQUE,
            "UPDATE app_user SET login_lower = (SELECT MIN(login_lower) FROM app_user) \
             WHERE login_lower <> (SELECT MIN(login_lower) FROM app_user)",
        ),
        (
            &UnitForm::UNIQUE[0],
            "UPDATE org_unit SET symbol = (SELECT symbol FROM org_unit WHERE id = \
             (SELECT MIN(id) FROM org_unit)), valid_from_year = (SELECT valid_from_year \
             FROM org_unit WHERE id = (SELECT MIN(id) FROM org_unit)) \
             WHERE id = (SELECT MAX(id) FROM org_unit)",
        ),
        (
            &EmployeeForm::UNIQUE[0],
            "UPDATE employee SET user_id = (SELECT MIN(user_id) FROM employee) \
             WHERE id = (SELECT MAX(id) FROM employee WHERE user_id IS NULL \
             OR user_id <> (SELECT MIN(user_id) FROM employee))",
        ),
        (
            &ClosureForm::UNIQUE[0],
            "INSERT INTO location_closure (location_id, day, reason) \
             VALUES ((SELECT MIN(id) FROM location), '2031-01-02', 'Inwentaryzacja')",
        ),
        (
            &CODE_UNIQUE[0],
            "UPDATE service_card SET code = (SELECT MIN(code) FROM service_card) \
             WHERE code <> (SELECT MIN(code) FROM service_card)",
        ),
    ];
    for (rule, sql) in rules {
        let error = failure(&app, sql).await;
        // Its own rule only: the others name other constraints.
        for (other, _) in &rules {
            assert_eq!(
                other.violated_by(&error),
                std::ptr::eq(*other, rule),
                "{} against {error}",
                other.constraint
            );
        }
        let errors = on_unique(error, &[*rule]).unwrap();
        assert_eq!(errors.get(rule.field), Some(rule.message));
    }
    // Anything else is not a field error.
    let not_null = failure(&app, "UPDATE org_unit SET name = NULL").await;
    assert!(on_unique(not_null, &[LOGIN_UNIQUE]).is_err());
}

async fn the_card_editor_answers_422_with_every_problem_summarised(app: TestApp) {
    app.login("admin").await;
    let unit = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let cards = app.count("SELECT COUNT(*) FROM service_card").await;
    let card = [
        ("code", "SA-020"),
        ("org_unit_id", unit.as_str()),
        ("name", " "),
        ("description", "Zaświadczenie dla osoby wymeldowanej."),
        ("email", "urzad"),
        ("deadline", "Do 7 dni"),
        ("case_kind", "certificate"),
        ("legal_basis", "Ustawa o ewidencji ludności"),
        ("doc_name", "Dowód osobisty"),
        ("doc_kind", "scan"),
        ("fee_description", "Opłata skarbowa"),
        ("fee_amount", "17,00"),
        ("fee_account", "10 1020 4027 0000 1902 1234 5679"),
        ("form_definition", "{\n\"fields\": nope\n}"),
    ];
    let page = app.post_form("/staff/service-cards/new", &card).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = [
        (
            "code",
            "Symbol musi składać się z symbolu wybranej komórki, łącznika i numeru od 1 do 999, np. SA-14.",
        ),
        ("name", "To pole jest wymagane."),
        ("email", "Podaj adres e-mail w formacie nazwa@domena.pl."),
        ("doc_kind-0", "Wybierz formę dokumentu z listy."),
        (
            "fee_account-0",
            "Ten numer rachunku ma błędne cyfry kontrolne. Sprawdź, czy nie ma literówki.",
        ),
        (
            "channel_counter",
            "Zaznacz co najmniej jeden sposób złożenia wniosku.",
        ),
    ];
    for (field, message) in problems {
        assert_problem(&page.body, field, message);
    }
    // The pasted definition's problem names its line, beside the box and in the summary.
    let items = summary(&page.body);
    let definition = items
        .iter()
        .find(|(anchor, _)| anchor == "f-form_definition")
        .expect("the definition in the summary");
    assert!(definition.1.contains("Wiersz 2"), "{definition:?}");
    // In the order of the page: the card's fields, the rows, the channels, the definition.
    let anchors: Vec<&str> = items.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        anchors,
        [
            "f-code",
            "f-name",
            "f-email",
            "f-doc_kind-0",
            "f-fee_account-0",
            "f-channel_counter",
            "f-form_definition"
        ]
    );
    // A row's problem is listed under its row: „Forma dokumentu, wiersz 1: …”.
    assert!(
        items[3].1.starts_with("Forma dokumentu, wiersz"),
        "{:?}",
        items[3]
    );
    // The values are kept and nothing is saved.
    assert!(page.body.contains("value=\"Opłata skarbowa\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM service_card").await, cards);
}

async fn the_eservice_form_answers_422_with_every_problem_summarised(app: TestApp) {
    let applications = app.count("SELECT COUNT(*) FROM application").await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".repeat(10);
    let mut fields = crate::applications::residence_certificate();
    fields.retain(|(k, _)| *k != "first_name" && *k != "pesel");
    fields.push(("pesel", "44051401358"));
    let page = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &exe)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("first_name", "To pole jest wymagane."),
        ("pesel", "Ten PESEL ma błędną cyfrę kontrolną."),
        (
            "fee_proof",
            "Zawartość pliku nie odpowiada jego rozszerzeniu (np. zmieniono nazwę pliku albo plik jest uszkodzony).",
        ),
    ] {
        assert_problem(&page.body, field, message);
    }
    // Listed under the field's label from the card's definition, in the form's order.
    let items = summary(&page.body);
    let anchors: Vec<&str> = items.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(anchors, ["f-first_name", "f-pesel", "f-fee_proof"]);
    assert_eq!(items[0].1, "Imię: To pole jest wymagane.");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM application").await,
        applications
    );
}

async fn the_resident_link_form_answers_422_with_its_problem_summarised(app: TestApp) {
    for (typed, message) in [
        ("", "Podaj adres e-mail."),
        (
            "anna.wisniewska",
            "Podaj poprawny adres e-mail, na przykład jan.kowalski@example.pl.",
        ),
    ] {
        let page = app.post_form("/my-cases/link", &[("email", typed)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed:?}");
        assert_problem(&page.body, "email", message);
        assert_eq!(summary(&page.body).len(), 1);
        assert!(page.body.contains(&format!("value=\"{typed}\"")));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_link").await, 0);
}
