//! The unit scope (`auth::scope::UnitScope`, resolved once per request): a grant limited
//! to a unit reaches that unit and the units below it, never a sibling or a parent — on
//! the case pages, the case lists and the correspondence register alike.
//!
//! The demo office: SA (Wydział Spraw Obywatelskich) with USC below it; FN elsewhere.
//! `kierownik` heads SA (a manager's grant on SA), `urzednik` is a case official whose
//! grant the tests move to USC.

use axum::http::StatusCode;
use magistrat::cases::store::{self, Channel, NewCase, RegisteredCase};
use magistrat::db::audit::Actor;
use magistrat_domain::deadline::CaseKind;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    head_of_a_parent_unit_sees_the_subtree,
    official_of_a_unit_sees_neither_parent_nor_sibling,
    correspondence_scope_follows_the_tree,
    a_changed_tree_is_the_scope_on_the_next_request,
);

async fn unit(app: &TestApp, symbol: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM org_unit WHERE symbol = '{symbol}'"
    ))
    .await
}

/// Registers a case in `symbol`'s unit with a title that names the unit, so a list
/// shows whose case it is.
async fn case_in(app: &TestApp, symbol: &str, class: &str) -> RegisteredCase {
    let new = NewCase {
        unit_id: unit(app, symbol).await,
        jrwa_symbol: class.to_owned(),
        kind: CaseKind::AdministrativeSimple,
        title: format!("Sprawa komórki {symbol}"),
        party_name: "Jan Testowy".to_owned(),
        party_address: String::new(),
        party_email: String::new(),
        publish_consent: false,
        received_on: app.clock().today(),
        channel: Channel::Post,
        correspondence_id: None,
        official_id: None,
    };
    let mut tx = app.db.begin().await.unwrap();
    let case = store::register_case(&mut tx, &Actor::system("test"), new)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    case
}

/// Moves `login`'s grants to `symbol`'s unit (what an administrator's edit would do).
async fn move_grants(app: &TestApp, login: &str, symbol: &str) {
    let unit = unit(app, symbol).await;
    app.exec(&format!(
        "UPDATE user_role SET org_unit_id = {unit} \
         WHERE user_id = (SELECT id FROM app_user WHERE login = '{login}')"
    ))
    .await;
}

async fn status_of(app: &TestApp, path: &str) -> StatusCode {
    app.get(path).await.status
}

async fn head_of_a_parent_unit_sees_the_subtree(app: TestApp) {
    let sa = case_in(&app, "SA", "5340").await;
    let usc = case_in(&app, "USC", "5340").await;
    let fin = case_in(&app, "FN", "3120").await;
    app.login("kierownik").await;
    for case in [&sa, &usc] {
        let path = format!("/staff/cases/{}", case.id);
        assert_eq!(
            status_of(&app, &path).await,
            StatusCode::OK,
            "{}",
            case.znak
        );
    }
    let path = format!("/staff/cases/{}", fin.id);
    assert_eq!(status_of(&app, &path).await, StatusCode::FORBIDDEN);
    // The head manages the subtree: a USC case can be assigned, with USC's staff offered.
    let page = app.get(&format!("/staff/cases/{}", usc.id)).await;
    assert!(
        page.body.contains("action=\"/staff/cases/"),
        "{}",
        page.body
    );
    let list = app.get("/staff/cases?view=unit&status=all").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&sa.znak), "SA case missing");
    assert!(list.body.contains(&usc.znak), "USC case missing");
    assert!(!list.body.contains(&fin.znak), "FN case leaked");
    // The registers follow the same scope.
    let r = app.get("/staff/cases/register").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(&fin.znak));
    let fn_unit = unit(&app, "FN").await;
    let path = format!("/staff/cases/register?unit={fn_unit}");
    assert_eq!(status_of(&app, &path).await, StatusCode::FORBIDDEN);
}

async fn official_of_a_unit_sees_neither_parent_nor_sibling(app: TestApp) {
    let sa = case_in(&app, "SA", "5340").await;
    let usc = case_in(&app, "USC", "5340").await;
    let fin = case_in(&app, "FN", "3120").await;
    move_grants(&app, "urzednik", "USC").await;
    app.login("urzednik").await;
    let path = format!("/staff/cases/{}", usc.id);
    assert_eq!(status_of(&app, &path).await, StatusCode::OK);
    for case in [&sa, &fin] {
        let path = format!("/staff/cases/{}", case.id);
        assert_eq!(
            status_of(&app, &path).await,
            StatusCode::FORBIDDEN,
            "{}",
            case.znak
        );
        let r = app
            .post_form(&format!("/staff/cases/{}/actions/start", case.id), &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", case.znak);
    }
    let list = app.get("/staff/cases?view=unit&status=all").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&usc.znak));
    assert!(!list.body.contains(&sa.znak), "parent unit's case leaked");
    assert!(!list.body.contains(&fin.znak), "sibling's case leaked");
    // The register form offers only USC.
    let form = app.get("/staff/cases/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("USC — "), "{}", form.body);
    assert!(!form.body.contains("SA — Wydział"), "parent offered");
    // A registration for the parent unit is refused at the field.
    let sa_unit = unit(&app, "SA").await.to_string();
    let today = app.clock().today().to_string();
    let r = app
        .post_form(
            "/staff/cases/new",
            &[
                ("unit_id", sa_unit.as_str()),
                ("jrwa_symbol", "5340"),
                ("kind", "certificate"),
                ("title", "Poza zakresem"),
                ("party_name", "Ewa Testowa"),
                ("party_address", ""),
                ("party_email", ""),
                ("received_on", today.as_str()),
                ("channel", "counter"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn correspondence_scope_follows_the_tree(app: TestApp) {
    let item = |symbol: &'static str| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT i.id FROM incoming_item i JOIN org_unit u ON u.id = i.org_unit_id \
                 WHERE u.symbol = '{symbol}' ORDER BY i.id LIMIT 1"
            ))
            .await
        }
    };
    let (sa, usc, fin) = (item("SA").await, item("USC").await, item("FN").await);
    // The head of SA: SA and USC below it, not FN.
    app.login("kierownik").await;
    for (id, expected) in [
        (sa, StatusCode::OK),
        (usc, StatusCode::OK),
        (fin, StatusCode::FORBIDDEN),
    ] {
        let path = format!("/staff/correspondence/{id}");
        assert_eq!(status_of(&app, &path).await, expected, "item {id}");
    }
    // An official of USC: USC only, not its parent SA.
    app.clear_cookies();
    move_grants(&app, "urzednik", "USC").await;
    app.login("urzednik").await;
    for (id, expected) in [
        (sa, StatusCode::FORBIDDEN),
        (usc, StatusCode::OK),
        (fin, StatusCode::FORBIDDEN),
    ] {
        let path = format!("/staff/correspondence/{id}");
        assert_eq!(status_of(&app, &path).await, expected, "item {id}");
    }
    let list = app.get("/staff/correspondence").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains(&format!("/staff/correspondence/{usc}\""))
    );
    assert!(!list.body.contains(&format!("/staff/correspondence/{sa}\"")));
    assert!(
        !list
            .body
            .contains(&format!("/staff/correspondence/{fin}\""))
    );
}

/// The unit tree is kept between requests (`auth::scope::UnitTreeCache`) at the version
/// the database's triggers bump with every change to `org_unit`: a unit moved by
/// anyone — here by SQL, as another app server or a CLI command would — moves the
/// scope on the very next request, and back.
async fn a_changed_tree_is_the_scope_on_the_next_request(app: TestApp) {
    let fin = case_in(&app, "FN", "3120").await;
    let path = format!("/staff/cases/{}", fin.id);
    app.login("kierownik").await;
    assert_eq!(status_of(&app, &path).await, StatusCode::FORBIDDEN);
    let sa = unit(&app, "SA").await;
    let old_parent: Option<i64> = {
        let parent = app
            .count("SELECT COALESCE(parent_id, 0) FROM org_unit WHERE symbol = 'FN'")
            .await;
        (parent != 0).then_some(parent)
    };
    app.exec(&format!(
        "UPDATE org_unit SET parent_id = {sa} WHERE symbol = 'FN'"
    ))
    .await;
    assert_eq!(status_of(&app, &path).await, StatusCode::OK);
    let back = old_parent.map_or("NULL".to_owned(), |p| p.to_string());
    app.exec(&format!(
        "UPDATE org_unit SET parent_id = {back} WHERE symbol = 'FN'"
    ))
    .await;
    assert_eq!(status_of(&app, &path).await, StatusCode::FORBIDDEN);
}
