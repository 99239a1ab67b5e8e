//! The access matrix: every route, walked by every role and by an anonymous visitor.
//! The table below is the specification; add each new route to it.
//!
//! Allowed means the route answers (200, or a redirect/422 of its own for a form);
//! denied means 403 for a signed-in user and a redirect to the login page for an
//! anonymous visitor. Posts carry a valid CSRF token and harmless or invalid data, so
//! what is tested is the permission, not the form.

use axum::http::StatusCode;

use crate::backend_tests;
use crate::helpers::TestApp;

const ADMIN: &str = "administrator";
const MANAGER: &str = "manager";
const CASE: &str = "case_official";
const DESK: &str = "front_desk_official";
const BIP: &str = "bip_editor";
const QUALITY: &str = "quality_officer";
const SECURITY: &str = "security_officer";
const HR: &str = "hr";
const STAFF: &[&str] = &[ADMIN, MANAGER, CASE, DESK, BIP, QUALITY, SECURITY, HR];
/// Who keeps the correspondence register.
const CORR: &[&str] = &[MANAGER, CASE, DESK];

/// Who may use the route; `None` means everyone, anonymous visitors included.
struct Route {
    method: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    allowed: Option<&'static [&'static str]>,
}

const fn get(path: &'static str, allowed: Option<&'static [&'static str]>) -> Route {
    Route {
        method: "GET",
        path,
        form: &[],
        allowed,
    }
}

const fn post(
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    allowed: &'static [&'static str],
) -> Route {
    Route {
        method: "POST",
        path,
        form,
        allowed: Some(allowed),
    }
}

/// The demo accounts holding each role.
const ACCOUNTS: &[(&str, &str)] = &[
    (ADMIN, "admin"),
    (MANAGER, "kierownik"),
    (CASE, "urzednik"),
    (DESK, "obsluga"),
    (BIP, "redaktor"),
    (QUALITY, "jakosc"),
    (SECURITY, "bezpieczenstwo"),
    (HR, "kadry"),
];

fn routes() -> Vec<Route> {
    vec![
        get("/", None),
        get("/login", None),
        get("/health/live", None),
        get("/health/ready", None),
        get("/metrics", None),
        get("/static/app.css", None),
        get("/lang/en?next=/", None),
        get("/staff", Some(STAFF)),
        get("/staff/users", Some(&[ADMIN])),
        get("/staff/users/new", Some(&[ADMIN])),
        get("/staff/users/2", Some(&[ADMIN])),
        // Invalid data: the administrator gets the form back (422), others 403.
        post("/staff/users", &[("login", "")], &[ADMIN]),
        post("/staff/users/2", &[("password", "x")], &[ADMIN]),
        // Enabling an enabled account changes nothing visible.
        post("/staff/users/2/active", &[("active", "true")], &[ADMIN]),
        get("/staff/audit", Some(&[ADMIN, SECURITY])),
        // The audit chain's signed checkpoints are public (decision 0024).
        get("/audit/checkpoints", None),
        get("/audit/checkpoints.json", None),
        get("/audit/checkpoints.txt", None),
        // Org structure: reading needs ViewOrg; the office, units and locations
        // ManageOrg; employees ManageEmployees. Posts carry invalid data (422).
        get("/staff/org", Some(&[ADMIN, MANAGER, QUALITY, HR])),
        get("/staff/org/office", Some(&[ADMIN])),
        post("/staff/org/office", &[("name", "")], &[ADMIN]),
        get("/staff/org/units/new", Some(&[ADMIN])),
        post("/staff/org/units/new", &[("symbol", "")], &[ADMIN]),
        get("/staff/org/units/1", Some(&[ADMIN])),
        post("/staff/org/units/1", &[("symbol", "")], &[ADMIN]),
        get("/staff/employees", Some(&[ADMIN, MANAGER, QUALITY, HR])),
        get("/staff/employees/new", Some(&[ADMIN, HR])),
        post("/staff/employees/new", &[("first_name", "")], &[ADMIN, HR]),
        get("/staff/employees/1", Some(&[ADMIN, HR])),
        post("/staff/employees/1", &[("first_name", "")], &[ADMIN, HR]),
        get("/staff/locations", Some(&[ADMIN, MANAGER, QUALITY, HR])),
        get("/staff/locations/new", Some(&[ADMIN])),
        post("/staff/locations/new", &[("name", "")], &[ADMIN]),
        get("/staff/locations/1", Some(&[ADMIN])),
        post("/staff/locations/1", &[("name", "")], &[ADMIN]),
        post(
            "/staff/locations/1/closures",
            &[("closure_day", "")],
            &[ADMIN],
        ),
        // A closing day that does not exist: 404 for the administrator.
        post("/staff/locations/1/closures/999999/delete", &[], &[ADMIN]),
        // Cases: ViewCases for lists and registers; RegisterCases to register (invalid
        // data: 422); case 1 is SA's (the demo's first case), within the scope of the
        // head of SA and its official; the step is refused by the workflow (422).
        get("/staff/cases", Some(&[MANAGER, CASE])),
        get("/staff/cases/new", Some(&[MANAGER, CASE])),
        post("/staff/cases/new", &[("title", "")], &[MANAGER, CASE]),
        get("/staff/cases/1", Some(&[MANAGER, CASE])),
        post("/staff/cases/1/actions/close", &[], &[MANAGER, CASE]),
        get("/staff/cases/register", Some(&[MANAGER, CASE])),
        get("/staff/cases/complaints", Some(&[MANAGER, CASE])),
        get("/staff/cases/public-information", Some(&[MANAGER, CASE])),
        get("/staff/cases/workload", Some(&[MANAGER, QUALITY])),
        get("/staff/jrwa", Some(STAFF)),
        post("/staff/jrwa", &[("year", "")], &[ADMIN]),
        get("/staff/deadline", Some(STAFF)),
        get("/staff/deadline?from=2026-01-02&term=14d", Some(STAFF)),
        get("/petitions", None),
        get("/petitions/summary/2026", None),
        get("/case-status", None),
        // A resident's own cases: the sign-in form for everyone not signed in as one.
        get("/my-cases", None),
        // Correspondence: ViewCorrespondence to read, RegisterCorrespondence to write
        // (item 1 of each register is the demo's SA item, which the SA-scoped manager
        // and case official reach). Posts are not multipart: 400 for the permitted.
        get("/staff/correspondence", Some(CORR)),
        get("/staff/correspondence/new", Some(CORR)),
        post("/staff/correspondence/new", &[("subject", "")], CORR),
        get("/staff/correspondence/1", Some(CORR)),
        get("/staff/correspondence/1/attachments/1", Some(CORR)),
        get("/staff/correspondence/outgoing", Some(CORR)),
        get("/staff/correspondence/outgoing/new", Some(CORR)),
        post(
            "/staff/correspondence/outgoing/new",
            &[("subject", "")],
            CORR,
        ),
        get("/staff/correspondence/outgoing/1", Some(CORR)),
        post(
            "/staff/correspondence/outgoing/1/delivery",
            &[("delivered_on", "")],
            CORR,
        ),
        // A file that is not the item's: 404 for the permitted.
        get("/staff/correspondence/outgoing/1/attachments/1", Some(CORR)),
        // Service cards: public pages and the API for everyone; editing needs
        // ManageServiceCards (the manager's scope SA covers SA-2). Posts carry invalid
        // data (422) or change nothing.
        get("/services", None),
        get("/services?q=zaswiadczenie", None),
        get("/services/SA-2", None),
        // E-service applications: the form is open to everyone (filing is tested in
        // applications.rs: a confirmation needs a filed application's code).
        get("/services/SA-2/apply", None),
        get("/services/SA-2/files/1/wzor.pdf", None),
        get("/api/v1/service-cards", None),
        get("/api/v1/service-cards/SA-2", None),
        get("/api/v1/openapi.json", None),
        get("/api/v1/docs", None),
        get("/staff/service-cards", Some(&[ADMIN, MANAGER])),
        get("/staff/service-cards/new", Some(&[ADMIN, MANAGER])),
        post(
            "/staff/service-cards/new",
            &[("code", "")],
            &[ADMIN, MANAGER],
        ),
        get("/staff/service-cards/SA-2", Some(&[ADMIN, MANAGER])),
        post(
            "/staff/service-cards/SA-2",
            &[("code", "")],
            &[ADMIN, MANAGER],
        ),
        post(
            "/staff/service-cards/SA-2/publish",
            &[("published", "true")],
            &[ADMIN, MANAGER],
        ),
        get("/staff/service-cards/SA-2/history", Some(&[ADMIN, MANAGER])),
        // Not multipart: 400 for those allowed.
        post(
            "/staff/service-cards/SA-2/files",
            &[("title", "")],
            &[ADMIN, MANAGER],
        ),
        post(
            "/staff/service-cards/SA-2/files/999999/delete",
            &[],
            &[ADMIN, MANAGER],
        ),
    ]
}

backend_tests!(every_route_checks_permission_for_every_role);

async fn every_route_checks_permission_for_every_role(app: TestApp) {
    add_demo_file(&app).await;
    let routes = routes();
    let mut failures = Vec::new();
    // Anonymous first.
    for route in &routes {
        let response = call(&app, route).await;
        let open = route.allowed.is_none();
        let ok = if open {
            response.status.is_success() || response.status.is_redirection()
        } else {
            response.status == StatusCode::SEE_OTHER && response.location().starts_with("/login")
        };
        if !ok {
            failures.push(format!(
                "anonymous {} {} → {}",
                route.method, route.path, response.status
            ));
        }
    }
    for (role, login) in ACCOUNTS {
        app.clear_cookies();
        app.login(login).await;
        for route in &routes {
            let response = call(&app, route).await;
            let allowed = route.allowed.is_none_or(|roles| roles.contains(role));
            let ok = if allowed {
                response.status != StatusCode::FORBIDDEN
                    && !response.location().starts_with("/login")
                    && !response.status.is_server_error()
            } else {
                response.status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{role} {} {} → {} (expected {})",
                    route.method,
                    route.path,
                    response.status,
                    if allowed { "allowed" } else { "403" }
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
    // Every refusal to a signed-in user is on record.
    let denied = app
        .count("SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied'")
        .await;
    let expected: usize = ACCOUNTS
        .iter()
        .map(|(role, _)| {
            routes
                .iter()
                .filter(|r| r.allowed.is_some_and(|a| !a.contains(role)))
                .count()
        })
        .sum();
    assert_eq!(denied, expected as i64);
}

async fn call(app: &TestApp, route: &Route) -> crate::helpers::TestResponse {
    match route.method {
        "GET" => app.get(route.path).await,
        _ => app.post_form(route.path, route.form).await,
    }
}

/// A downloadable form on SA-2 (id 1), for the download route.
async fn add_demo_file(app: &TestApp) {
    use magistrat::db::audit::Actor;
    use magistrat::service_cards::store;
    let card = store::card_by_code(&app.db, "SA-2").await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let file = store::NewFile {
        title: "Wzór wniosku",
        file_name: "wzor.pdf",
        content_type: "application/pdf",
        bytes: b"%PDF-1.7\n%%EOF\n",
    };
    let id = store::add_file(&mut tx, &Actor::system("test"), card.id, &file)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(id, 1);
}
