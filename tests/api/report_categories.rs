//! Report categories edited in the staff area (src/problem_reports/categories.rs):
//! created and changed through the form, checked with translated messages, audited,
//! scoped to the editor's units — and Open311's `services` showing each change at once
//! (it reads the table on every request, so every app server does).

use axum::http::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    an_administrator_creates_and_edits_a_category_and_open311_shows_it_at_once,
    a_bad_category_form_is_shown_back_with_its_errors_and_nothing_is_written,
    a_head_of_unit_edits_only_the_categories_of_their_units,
);

async fn services(app: &TestApp) -> Vec<Value> {
    let r = app.get("/open311/v2/services.json").await;
    assert_eq!(r.status, StatusCode::OK);
    r.json().as_array().unwrap().clone()
}

fn category_form<'a>(code: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("code", code),
        ("name", name),
        ("description", "Przewrócone lub uszkodzone znaki drogowe."),
        ("org_unit_id", ""),
        ("term_days", "10"),
        ("keywords", "znak, drogowy"),
        ("group_name", "Drogi"),
        ("active", "on"),
        ("attr_code", "RODZAJ"),
        ("attr_datatype", "singlevaluelist"),
        ("attr_required", "yes"),
        ("attr_description", "Jaki to znak?"),
        (
            "attr_values",
            "stop = znak STOP\nustap = ustąp pierwszeństwa",
        ),
        ("attr_code", "UWAGI"),
        ("attr_datatype", "text"),
        ("attr_required", "no"),
        ("attr_description", "Uwagi"),
        ("attr_values", ""),
        // The page's spare row, left blank.
        ("attr_code", ""),
        ("attr_datatype", "string"),
        ("attr_required", "no"),
        ("attr_description", ""),
        ("attr_values", ""),
    ]
}

async fn an_administrator_creates_and_edits_a_category_and_open311_shows_it_at_once(app: TestApp) {
    app.login("admin").await;
    let list = app.get("/staff/report-categories").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("DZIURA"), "{}", list.body);
    let form = app.get("/staff/report-categories/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"attr_code\""));

    let saved = app
        .post_form(
            "/staff/report-categories/new",
            &category_form(" znak-1 ", "Uszkodzony znak"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/staff/report-categories");
    let id = app
        .count("SELECT id FROM report_category WHERE code = 'ZNAK-1'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'report_category.create' \
             AND entity_id = '{id}' AND actor_login = 'admin'"
        ))
        .await,
        1
    );
    // Open311 knows it at once, with its attribute definitions.
    let listed = services(&app).await;
    let sign = listed
        .iter()
        .find(|s| s["service_code"] == "ZNAK-1")
        .expect("the new category is a service");
    assert_eq!(sign["service_name"], "Uszkodzony znak");
    assert_eq!(sign["metadata"], true);
    assert_eq!(sign["group"], "Drogi");
    let def = app.get("/open311/v2/services/ZNAK-1.json").await;
    assert_eq!(def.status, StatusCode::OK, "{}", def.body);
    let attributes = def.json()["attributes"].as_array().unwrap().clone();
    assert_eq!(attributes.len(), 2);
    assert_eq!(attributes[0]["code"], "RODZAJ");
    assert_eq!(attributes[0]["datatype"], "singlevaluelist");
    assert_eq!(attributes[0]["required"], true);
    assert_eq!(attributes[0]["order"], 1);
    assert_eq!(attributes[0]["values"][1]["key"], "ustap");
    assert_eq!(attributes[0]["values"][1]["name"], "ustąp pierwszeństwa");
    assert_eq!(attributes[1]["datatype"], "text");

    // The edit page shows it as stored; the code is not editable.
    let edit = app.get(&format!("/staff/report-categories/{id}")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("stop = znak STOP"), "{}", edit.body);
    assert!(!edit.body.contains("name=\"code\""));

    // Edited: a new name and term, the first attribute removed, switched off.
    let mut changed: Vec<(&str, &str)> = category_form("IGNORED", "Znak drogowy")
        .into_iter()
        .filter(|(k, _)| *k != "active")
        .collect();
    for (k, v) in changed.iter_mut() {
        match *k {
            "term_days" => *v = "7",
            _ if *v == "RODZAJ" || *v == "Jaki to znak?" => *v = "",
            "attr_values" if v.starts_with("stop") => *v = "",
            _ => {}
        }
    }
    let saved = app
        .post_form(&format!("/staff/report-categories/{id}"), &changed)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT code || '|' || name || '|' || term_days FROM report_category WHERE id = {id}"
        ))
        .await,
        "ZNAK-1|Znak drogowy|7"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'report_category.update' \
             AND entity_id = '{id}' AND before_json LIKE '%Uszkodzony znak%' \
             AND after_json LIKE '%Znak drogowy%'"
        ))
        .await,
        1
    );
    // Switched off: no longer a service, at once.
    assert!(
        !services(&app)
            .await
            .iter()
            .any(|s| s["service_code"] == "ZNAK-1")
    );
    // Switched on again, with one attribute left.
    let mut on = changed.clone();
    on.push(("active", "on"));
    let saved = app
        .post_form(&format!("/staff/report-categories/{id}"), &on)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let def = app.get("/open311/v2/services/ZNAK-1.json").await;
    let attributes = def.json()["attributes"].as_array().unwrap().clone();
    assert_eq!(attributes.len(), 1);
    assert_eq!(attributes[0]["code"], "UWAGI");
    assert_eq!(attributes[0]["order"], 1);
}

async fn a_bad_category_form_is_shown_back_with_its_errors_and_nothing_is_written(app: TestApp) {
    app.login("admin").await;
    let before = app.count("SELECT COUNT(*) FROM report_category").await;
    let events = app.count("SELECT COUNT(*) FROM audit_event").await;
    let mut bad = category_form("ZŁY KOD", "");
    for (k, v) in bad.iter_mut() {
        match *k {
            "term_days" => *v = "400",
            "attr_datatype" if *v == "text" => *v = "multivaluelist",
            _ => {}
        }
    }
    let r = app.post_form("/staff/report-categories/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("class=\"error-summary\""));
    for message in [
        "Kod może zawierać tylko litery",
        "Lista potrzebuje co najmniej jednej wartości",
        "href=\"#f-term_days\"",
        "href=\"#f-name\"",
        "href=\"#f-attr_values-1\"",
    ] {
        assert!(r.body.contains(message), "{message}: {}", r.body);
    }
    // The typed values are kept.
    assert!(r.body.contains("value=\"ZŁY KOD\""));
    // A code already taken (the demo's pothole), told at the field.
    let taken = app
        .post_form(
            "/staff/report-categories/new",
            &category_form("dziura", "Druga dziura"),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("Kategoria o tym kodzie już istnieje"),
        "{}",
        taken.body
    );
    // In English, English messages.
    app.get("/lang/en?next=/staff").await;
    let english = app.post_form("/staff/report-categories/new", &bad).await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(english.body.contains("A list needs at least one value"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM report_category").await,
        before
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event").await, events);
    // Editing an unknown category: 404.
    let missing = app
        .post_form("/staff/report-categories/999999", &category_form("X", "Y"))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn a_head_of_unit_edits_only_the_categories_of_their_units(app: TestApp) {
    // The demo's head of unit holds SA; the demo's categories are GK's.
    app.login("kierownik").await;
    let list = app.get("/staff/report-categories").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("DZIURA"), "{}", list.body);
    let pothole = app
        .count("SELECT id FROM report_category WHERE code = 'DZIURA'")
        .await;
    let gk = app
        .count("SELECT id FROM org_unit WHERE symbol = 'GK'")
        .await
        .to_string();
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    assert_eq!(
        app.get(&format!("/staff/report-categories/{pothole}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut form = category_form("SA-1", "Sprawa SA");
    let edit = app
        .post_form(&format!("/staff/report-categories/{pothole}"), &form)
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    // No category of the whole office, none of GK; one of SA.
    for (unit, status) in [
        ("", StatusCode::UNPROCESSABLE_ENTITY),
        (gk.as_str(), StatusCode::UNPROCESSABLE_ENTITY),
        (sa.as_str(), StatusCode::SEE_OTHER),
    ] {
        for (k, v) in form.iter_mut() {
            if *k == "org_unit_id" {
                *v = unit;
            }
        }
        let r = app.post_form("/staff/report-categories/new", &form).await;
        assert_eq!(r.status, status, "unit {unit:?}: {}", r.body);
    }
    let list = app.get("/staff/report-categories").await;
    assert!(list.body.contains("SA-1"));
    // Officials who do not edit the catalogue are refused.
    app.clear_cookies();
    app.login("urzednik").await;
    assert_eq!(
        app.get("/staff/report-categories").await.status,
        StatusCode::FORBIDDEN
    );
}
