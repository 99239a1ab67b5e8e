//! The org structure administration through the real router: office details, units,
//! employees (scoped by the unit tree), locations with hours and closing days — each
//! change audited with before and after, each bad input answered at its field.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestApp};

backend_tests!(
    admin_edits_the_office_and_the_header_follows,
    office_identifiers_are_checked_at_the_field,
    units_are_created_and_checked,
    hr_creates_an_employee_linked_to_an_account,
    unit_scoped_manager_sees_only_their_subtree,
    unit_scoped_hr_edits_only_their_units,
    location_hours_are_validated_and_audited,
    closing_days_are_added_and_removed,
    pages_render_in_english,
);

const OFFICE: &[(&str, &str)] = &[
    ("name", "Urząd Miasta i Gminy Borowiec"),
    ("short_name", "UMiG Borowiec"),
    ("street", "Rynek 1"),
    ("postal_code", "62-300"),
    ("city", "Borowiec"),
    ("nip", "775-001-23-47"),
    ("regon", "651234716"),
    ("bip_url", "https://bip.borowiec.example.pl"),
    ("email", "urzad@borowiec.example.pl"),
    ("phone", "+48 61 555 01 00"),
    ("epuap", "/umborowiec/SkrytkaESP"),
];

fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = base.to_vec();
    for (k, v) in changes {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(pair) => pair.1 = v,
            None => form.push((k, v)),
        }
    }
    form
}

async fn admin_edits_the_office_and_the_header_follows(app: TestApp) {
    app.login("admin").await;
    let page = app.get("/staff/org/office").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"Urząd Miejski w Borowcu\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<legend>Numery identyfikacyjne</legend>")
    );

    let saved = app.post_form("/staff/org/office", OFFICE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/staff/org");
    let org = app.get("/staff/org").await;
    assert!(org.body.contains("Zapisano dane urzędu."), "{}", org.body);
    assert!(
        org.body
            .contains("<span>Urząd Miasta i Gminy Borowiec</span>"),
        "the header shows the new name at once"
    );
    assert!(
        app.get("/")
            .await
            .body
            .contains("<h1>Urząd Miasta i Gminy Borowiec</h1>")
    );
    // NIP stored as digits only.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM office WHERE nip = '7750012347' AND short_name = 'UMiG Borowiec'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'office.update' AND actor_login = 'admin' \
             AND before_json LIKE '%Urząd Miejski w Borowcu%' \
             AND after_json LIKE '%Urząd Miasta i Gminy Borowiec%'"
        )
        .await,
        1
    );
    // Saving the same values again writes nothing.
    app.post_form("/staff/org/office", OFFICE).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'office.update'")
            .await,
        1
    );
}

async fn office_identifiers_are_checked_at_the_field(app: TestApp) {
    app.login("admin").await;
    let wrong = app
        .post_form(
            "/staff/org/office",
            &with(
                OFFICE,
                &[
                    ("nip", "7750012348"),
                    ("regon", "65123471"),
                    ("postal_code", "62300"),
                    ("bip_url", "javascript:alert(1)"),
                ],
            ),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &wrong.body;
    assert!(body.contains("Formularz zawiera błędy"), "{body}");
    for (field, message) in [
        ("nip", "Ten NIP ma błędną cyfrę kontrolną"),
        ("regon", "REGON musi mieć 9 albo 14 cyfr"),
        ("postal_code", "Wpisz kod pocztowy w postaci NN-NNN"),
        (
            "bip_url",
            "Wpisz pełny adres strony zaczynający się od https://",
        ),
    ] {
        assert!(
            body.contains(&format!("href=\"#f-{field}\"")),
            "summary links {field}"
        );
        assert!(
            body.contains(&format!("id=\"f-{field}-error\">{message}")),
            "{field}: {body}"
        );
    }
    assert!(body.contains("aria-invalid=\"true\""));
    // What was typed stays in the form.
    assert!(body.contains("value=\"7750012348\""));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'office.update'")
            .await,
        0
    );
}

/// (path, form, field, message)
type UnitCase<'a> = (String, Vec<(&'a str, &'a str)>, &'a str, &'a str);

fn unit_form<'a>(symbol: &'a str, parent: &'a str, from: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("symbol", symbol),
        ("name", "Biuro Promocji i Współpracy"),
        ("parent_id", parent),
        ("valid_from_year", from),
        ("valid_to_year", ""),
    ]
}

async fn units_are_created_and_checked(app: TestApp) {
    app.login("admin").await;
    let um = app
        .count("SELECT id FROM org_unit WHERE symbol = 'UM'")
        .await
        .to_string();
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    assert_eq!(app.get("/staff/org/units/new").await.status, StatusCode::OK);
    let created = app
        .post_form("/staff/org/units/new", &unit_form("PR", &um, "2026"))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let tree = app.get("/staff/org").await;
    assert!(tree.body.contains("Dodano komórkę organizacyjną."));
    assert!(
        tree.body
            .contains("<strong>PR</strong> — Biuro Promocji i Współpracy"),
        "{}",
        tree.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'org_unit.create' AND actor_login = 'admin' AND after_json LIKE '%Biuro Promocji%'")
            .await,
        1
    );

    // A wrong symbol, a symbol another unit holds in the same years, a loop.
    let cases: Vec<UnitCase> = vec![
        (
            "/staff/org/units/new".into(),
            unit_form("pr-2", &um, "2026"),
            "symbol",
            "Symbol może zawierać tylko wielkie litery i cyfry",
        ),
        (
            "/staff/org/units/new".into(),
            unit_form("SA", &um, "2026"),
            "symbol",
            "Ten symbol ma już inna komórka w tych samych latach",
        ),
        (
            format!("/staff/org/units/{um}"),
            vec![
                ("symbol", "UM"),
                ("name", "Urząd Miejski w Borowcu"),
                ("parent_id", &sa),
                ("valid_from_year", "2024"),
            ],
            "parent_id",
            "Komórka nie może podlegać sobie samej ani żadnej ze swoich komórek podległych",
        ),
        (
            "/staff/org/units/new".into(),
            with(&unit_form("KS", &um, "2026"), &[("valid_to_year", "2025")]),
            "valid_to_year",
            "Rok końcowy nie może być wcześniejszy niż rok początkowy",
        ),
    ];
    for (path, form, field, message) in cases {
        let response = app.post_form(&path, &form).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {form:?}"
        );
        assert!(
            response
                .body
                .contains(&format!("id=\"f-{field}-error\">{message}")),
            "{path} {form:?}: {}",
            response.body
        );
        assert!(response.body.contains(&format!("href=\"#f-{field}\"")));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM org_unit WHERE parent_id = (SELECT id FROM org_unit WHERE symbol = 'SA') AND symbol = 'UM'")
            .await,
        0
    );
    // The same symbol in later years is another unit, and fine.
    let sa_until = app
        .post_form(
            &format!("/staff/org/units/{sa}"),
            &[
                ("symbol", "SA"),
                ("name", "Wydział Spraw Obywatelskich"),
                ("parent_id", &um),
                ("valid_from_year", "2024"),
                ("valid_to_year", "2026"),
            ],
        )
        .await;
    assert_eq!(sa_until.status, StatusCode::SEE_OTHER, "{}", sa_until.body);
    let successor = app
        .post_form("/staff/org/units/new", &unit_form("SA", &um, "2027"))
        .await;
    assert_eq!(
        successor.status,
        StatusCode::SEE_OTHER,
        "{}",
        successor.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'org_unit.update' AND before_json LIKE '%\"valid_to_year\":null%' AND after_json LIKE '%\"valid_to_year\":2026%'")
            .await,
        1
    );
    assert_eq!(
        app.get("/staff/org/units/99999").await.status,
        StatusCode::NOT_FOUND
    );
}

fn employee_form<'a>(user_id: &'a str, unit: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", "Maria"),
        ("last_name", "Nowicka"),
        ("position", "Podinspektor"),
        ("initials", "MN"),
        ("org_unit_id", unit),
        ("email", "m.nowicka@borowiec.example.pl"),
        ("phone", ""),
        ("active", "true"),
        ("user_id", user_id),
    ]
}

async fn hr_creates_an_employee_linked_to_an_account(app: TestApp) {
    // An account without an employee yet.
    app.login("admin").await;
    let account = app
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
    assert_eq!(account.status, StatusCode::SEE_OTHER, "{}", account.body);
    app.logout().await;

    app.login("kadry").await;
    let form = app.get("/staff/employees/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("m.nowicka — Maria Nowicka"),
        "{}",
        form.body
    );
    assert!(
        !form.body.contains("admin — Tomasz Wieczorek"),
        "an account linked to another employee is not offered"
    );
    let user_id = app
        .count("SELECT id FROM app_user WHERE login = 'm.nowicka'")
        .await
        .to_string();
    let admin_id = app
        .count("SELECT id FROM app_user WHERE login = 'admin'")
        .await
        .to_string();
    let usc = app
        .count("SELECT id FROM org_unit WHERE symbol = 'USC'")
        .await
        .to_string();
    // Someone else's account: refused at the field.
    let taken = app
        .post_form("/staff/employees/new", &employee_form(&admin_id, &usc))
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .body
            .contains("jest już powiązane z innym pracownikiem")
    );
    let bad_initials = app
        .post_form(
            "/staff/employees/new",
            &with(&employee_form("", &usc), &[("initials", "m.n.")]),
        )
        .await;
    assert_eq!(bad_initials.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_initials
            .body
            .contains("id=\"f-initials-error\">Inicjały to od 2 do 4 wielkich liter")
    );

    let created = app
        .post_form("/staff/employees/new", &employee_form(&user_id, &usc))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location(), "/staff/employees");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM employee WHERE user_id = {user_id} AND initials = 'MN' AND org_unit_id = {usc}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'employee.create' AND actor_login = 'kadry' AND after_json LIKE '%Nowicka%'")
            .await,
        1
    );
    let list = app.get("/staff/employees").await;
    assert!(list.body.contains("Dodano pracownika."));
    assert!(list.body.contains("Nowicka Maria</a>"), "{}", list.body);
    assert!(list.body.contains("m.nowicka"));

    // Editing: deactivate; the change is audited with before and after.
    let id = app
        .count("SELECT id FROM employee WHERE last_name = 'Nowicka'")
        .await;
    let mut edit = employee_form(&user_id, &usc);
    edit.retain(|(k, _)| *k != "active");
    let saved = app
        .post_form(&format!("/staff/employees/{id}"), &edit)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'employee.update' AND before_json LIKE '%\"active\":true%' AND after_json LIKE '%\"active\":false%'")
            .await,
        1
    );
}

async fn unit_scoped_manager_sees_only_their_subtree(app: TestApp) {
    app.login("kierownik").await;
    let list = app.get("/staff/employees").await;
    assert_eq!(list.status, StatusCode::OK);
    for inside in ["Zielińska", "Kowalski", "Dąbrowska"] {
        assert!(list.body.contains(inside), "{inside} works in SA or below");
    }
    for outside in ["Wieczorek", "Jankowski", "Mazur", "Szymańska", "Nowak"] {
        assert!(!list.body.contains(outside), "{outside} works elsewhere");
    }
    assert!(list.body.contains("Pracownicy komórek w Twoim zakresie"));
    assert!(
        !list.body.contains("/staff/employees/new"),
        "a manager does not add staff"
    );
    // The whole tree, with their part marked in words.
    let tree = app.get("/staff/org").await;
    assert_eq!(tree.status, StatusCode::OK);
    assert!(
        tree.body.contains("<strong>FN</strong>"),
        "the whole tree is shown"
    );
    assert_eq!(
        tree.body.matches("(w Twoim zakresie)").count(),
        2,
        "SA and USC"
    );
    assert!(!tree.body.contains("/staff/org/units/new"));
    // Editing is not theirs.
    let id = app
        .count("SELECT id FROM employee WHERE last_name = 'Kowalski'")
        .await;
    assert_eq!(
        app.get(&format!("/staff/employees/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn unit_scoped_hr_edits_only_their_units(app: TestApp) {
    app.login("admin").await;
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let fn_unit = app
        .count("SELECT id FROM org_unit WHERE symbol = 'FN'")
        .await
        .to_string();
    let created = app
        .post_form(
            "/staff/users",
            &[
                ("login", "kadry.sa"),
                ("display_name", "Olga Sadowska"),
                ("password", PASSWORD),
                ("role", "hr"),
                ("unit_hr", &sa),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    app.logout().await;
    app.login("kadry.sa").await;

    let list = app.get("/staff/employees").await;
    assert!(list.body.contains("Kowalski") && !list.body.contains("Jankowski"));
    let outside = app
        .count("SELECT id FROM employee WHERE last_name = 'Jankowski'")
        .await;
    let inside = app
        .count("SELECT id FROM employee WHERE last_name = 'Kowalski'")
        .await;
    assert_eq!(
        app.get(&format!("/staff/employees/{outside}")).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = app
        .post_form(
            &format!("/staff/employees/{outside}"),
            &[("first_name", "Marek")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' AND actor_login = 'kadry.sa'")
            .await,
        2
    );
    // Their own employee opens; moving them out of scope is refused at the field.
    let page = app.get(&format!("/staff/employees/{inside}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("FN — Wydział Finansowy"),
        "only units in scope are offered"
    );
    let moved = app
        .post_form(
            &format!("/staff/employees/{inside}"),
            &[
                ("first_name", "Jan"),
                ("last_name", "Kowalski"),
                ("position", "Inspektor"),
                ("initials", "JK"),
                ("org_unit_id", &fn_unit),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moved.body.contains("tylko do komórki w Twoim zakresie"));
}

/// The town hall's form as stored in the demo, with `changes`.
fn town_hall<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let base: &[(&str, &str)] = &[
        ("kind", "building"),
        ("name", "Ratusz"),
        ("street", "Rynek 1"),
        ("postal_code", "62-300"),
        ("city", "Borowiec"),
        (
            "directions",
            "Wejście główne od Rynku; Biuro Obsługi Mieszkańców na parterze, pokoje 1–6.",
        ),
        (
            "accessibility",
            "Wejście bez progów od ul. Kościelnej, winda, toaleta dla osób z niepełnosprawnościami, pętla indukcyjna w BOM.",
        ),
        ("active", "true"),
        ("opens_1", "08:00"),
        ("closes_1", "17:00"),
        ("opens_2", "07:30"),
        ("closes_2", "15:30"),
        ("opens_3", "07:30"),
        ("closes_3", "15:30"),
        ("opens_4", "07:30"),
        ("closes_4", "15:30"),
        ("opens_5", "07:30"),
        ("closes_5", "14:30"),
        ("opens_6", ""),
        ("closes_6", ""),
        ("opens_7", ""),
        ("closes_7", ""),
    ];
    with(base, changes)
}

async fn location_hours_are_validated_and_audited(app: TestApp) {
    app.login("admin").await;
    let id = app
        .count("SELECT id FROM location WHERE name = 'Ratusz'")
        .await;
    let path = format!("/staff/locations/{id}");
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<legend>Poniedziałek</legend>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("type=\"time\" value=\"08:00\""));

    let cases = [
        (
            town_hall(&[("opens_2", "25:00")]),
            "opens_2",
            "Wpisz godzinę w postaci GG:MM",
        ),
        (
            town_hall(&[("opens_3", "16:00"), ("closes_3", "08:00")]),
            "closes_3",
            "Godzina zamknięcia musi być późniejsza niż godzina otwarcia",
        ),
        (
            town_hall(&[("opens_6", "09:00")]),
            "closes_6",
            "Podaj też godzinę zamknięcia",
        ),
    ];
    for (form, field, message) in cases {
        let response = app.post_form(&path, &form).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            response
                .body
                .contains(&format!("id=\"f-{field}-error\">{message}")),
            "{field}: {}",
            response.body
        );
        assert!(response.body.contains(&format!("href=\"#f-{field}\"")));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'location_hours.update' AND actor_login = 'admin'")
            .await,
        0,
        "nothing half-written"
    );

    // Longer on Monday, open on Saturday morning, Friday closed.
    let saved = app
        .post_form(
            &path,
            &town_hall(&[
                ("closes_1", "18:00"),
                ("opens_5", ""),
                ("closes_5", ""),
                ("opens_6", "9:00"),
                ("closes_6", "12:00"),
            ]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM location_hours WHERE location_id = {id}"
        ))
        .await,
        5
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM location_hours WHERE location_id = {id} AND weekday = 6 AND opens = '09:00'"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'location_hours.update' AND actor_login = 'admin' AND before_json LIKE '%17:00%' AND after_json LIKE '%18:00%'")
            .await,
        1
    );
    // Only the hours changed: the details are not rewritten.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'location.update'")
            .await,
        0
    );
    let home = app.get("/").await;
    assert!(home.body.contains("08:00–18:00"), "{}", home.body);

    // A new service point with its week, straight to its page for closing days.
    let created = app
        .post_form(
            "/staff/locations/new",
            &with(
                &town_hall(&[]),
                &[
                    ("kind", "service_point"),
                    ("name", "Punkt Obsługi Mieszkańców na Osiedlu Słonecznym"),
                    ("street", "ul. Słoneczna 3"),
                ],
            ),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let new_id = app
        .count("SELECT id FROM location WHERE street = 'ul. Słoneczna 3'")
        .await;
    assert_eq!(created.location(), format!("/staff/locations/{new_id}"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM location_hours WHERE location_id = {new_id}"
        ))
        .await,
        5
    );
    assert!(app.get("/").await.body.contains("Osiedlu Słonecznym"));
}

async fn closing_days_are_added_and_removed(app: TestApp) {
    app.login("admin").await;
    let id = app
        .count("SELECT id FROM location WHERE name = 'Ratusz'")
        .await;
    let add = format!("/staff/locations/{id}/closures");
    let before = app
        .count(&format!(
            "SELECT COUNT(*) FROM location_closure WHERE location_id = {id}"
        ))
        .await;

    let added = app
        .post_form(
            &add,
            &[
                ("closure_day", "2026-12-24"),
                (
                    "closure_reason",
                    "Dzień wolny za święto 26 grudnia przypadające w sobotę",
                ),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = app.get(&format!("/staff/locations/{id}")).await;
    assert!(page.body.contains("Dodano dzień zamknięcia."));
    assert!(
        page.body
            .contains("<time datetime=\"2026-12-24\">24 grudnia 2026</time>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Usuń dzień zamknięcia 24 grudnia 2026"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'location_closure.create' AND actor_login = 'admin' AND after_json LIKE '%2026-12-24%'")
            .await,
        1
    );

    for (day, reason, message) in [
        ("2026-12-24", "Drugi raz", "Ten dzień jest już na liście"),
        (
            "2026-02-30",
            "Nie ma takiego dnia",
            "Podaj datę w formacie RRRR-MM-DD",
        ),
        ("", "Bez daty", "To pole jest wymagane"),
    ] {
        let refused = app
            .post_form(&add, &[("closure_day", day), ("closure_reason", reason)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        assert!(
            refused
                .body
                .contains(&format!("id=\"f-closure_day-error\">{message}")),
            "{day}: {}",
            refused.body
        );
        assert!(refused.body.contains("href=\"#f-closure_day\""));
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM location_closure WHERE location_id = {id}"
        ))
        .await,
        before + 1
    );

    let closure = app
        .count(&format!(
            "SELECT id FROM location_closure WHERE location_id = {id} AND reason LIKE 'Dzień wolny za święto 26%'"
        ))
        .await;
    // Another location's path does not reach it.
    let other = app
        .count("SELECT id FROM location WHERE name <> 'Ratusz'")
        .await;
    assert_eq!(
        app.post_form(
            &format!("/staff/locations/{other}/closures/{closure}/delete"),
            &[]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let removed = app
        .post_form(
            &format!("/staff/locations/{id}/closures/{closure}/delete"),
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(
        app.get(&format!("/staff/locations/{id}"))
            .await
            .body
            .contains("Usunięto dzień zamknięcia.")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM location_closure WHERE location_id = {id}"
        ))
        .await,
        before
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'location_closure.delete' AND entity_id = '{closure}' \
             AND before_json LIKE '%2026-12-24%' AND before_json LIKE '%26 grudnia%' AND after_json IS NULL"
        ))
        .await,
        1
    );
    assert!(matches!(
        magistrat::db::audit::verify(&app.db).await.unwrap(),
        magistrat::db::audit::Verdict::Intact { .. }
    ));
}

async fn pages_render_in_english(app: TestApp) {
    app.get("/lang/en?next=/").await;
    app.login("admin").await;
    let page = app.get("/staff/org/office").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(
        page.body.contains("<h1>Office details</h1>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<legend>Identification numbers</legend>")
    );
    let wrong = app
        .post_form("/staff/org/office", &with(OFFICE, &[("nip", "7750012348")]))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("There is a problem with the form"),
        "{}",
        wrong.body
    );
    assert!(
        wrong
            .body
            .contains("NIP (tax number): This NIP has a wrong check digit")
    );
    let tree = app.get("/staff/org").await;
    assert!(
        tree.body
            .contains("<h2 id=\"units-heading\">Org units</h2>")
    );
    assert!(tree.body.contains("from 2024"));
    let locations = app.get("/staff/locations").await;
    assert!(
        locations.body.contains("<th scope=\"col\">Kind</th>"),
        "{}",
        locations.body
    );
    assert!(locations.body.contains("Residents"));
}
