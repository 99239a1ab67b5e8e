//! The access matrix: every route the router serves, walked by every role and by an
//! anonymous visitor, with the exact answer each one gets.
//!
//! The list of routes comes from the router itself (`magistrat::app::route_table`, the
//! same declarations that build it): a route served without an entry in the table below
//! fails the test, and so does an entry for a route that is not served. The table is the
//! specification, written by hand: who may use each route and what they get — the page
//! (200), a redirect (303), the form back with its errors (422), a 404 for a record
//! that does not exist. Everyone else gets 403 (a signed-in staff member, recorded as
//! `access.denied`) or the login page (an anonymous visitor).
//!
//! Posts carry a valid CSRF token and invalid or harmless data, so nothing changes and
//! what is tested is the permission. A second walk posts a malformed body to every
//! staff-only POST route as each role that may not post there: the refusal (403 and its
//! audit event) comes before anything reads the body.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use magistrat::web::routes::Access;

use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};

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
/// Who works on cases (the demo's case 1 is in SA, within both their scopes).
const CASES: &[&str] = &[MANAGER, CASE];
const ORG_READERS: &[&str] = &[ADMIN, MANAGER, QUALITY, HR];
const CARD_EDITORS: &[&str] = &[ADMIN, MANAGER];
/// Who works at a service point's desk.
const DESKS: &[&str] = &[MANAGER, DESK];
/// Who sees the staff overview of the service points (desks, setup or statistics).
const SP_STAFF: &[&str] = &[ADMIN, MANAGER, DESK, QUALITY];
/// Who reads a service point's statistics.
const SP_STATS: &[&str] = &[ADMIN, MANAGER, QUALITY];
/// Who edits the BIP, and who sets it up.
const BIP_EDITORS: &[&str] = &[BIP];
const BIP_SETUP: &[&str] = &[ADMIN];

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

#[derive(Clone, Copy)]
enum Payload {
    None,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
}

/// One request of the walk: the route it exercises (method and template, as the
/// router declares it), the concrete path, who may use it and what they then get.
struct Probe {
    method: &'static str,
    template: &'static str,
    path: &'static str,
    payload: Payload,
    /// `None`: everyone, anonymous visitors included.
    allowed: Option<&'static [&'static str]>,
    /// The status those allowed get.
    answer: u16,
    /// What a signed-in staff member gets instead, where it differs.
    staff_answer: Option<u16>,
}

const fn get(
    template: &'static str,
    path: &'static str,
    allowed: Option<&'static [&'static str]>,
    answer: u16,
) -> Probe {
    Probe {
        method: "GET",
        template,
        path,
        payload: Payload::None,
        allowed,
        answer,
        staff_answer: None,
    }
}

const fn post(
    template: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    allowed: Option<&'static [&'static str]>,
    answer: u16,
) -> Probe {
    Probe {
        method: "POST",
        template,
        path,
        payload: Payload::Form(form),
        allowed,
        answer,
        staff_answer: None,
    }
}

/// A page at a path with no parameters, answering 200.
const fn page(path: &'static str, allowed: Option<&'static [&'static str]>) -> Probe {
    get(path, path, allowed, 200)
}

const ALL: Option<&[&str]> = None;

fn probes() -> Vec<Probe> {
    let mut probes = vec![
        page("/", ALL),
        // The login form; someone signed in already goes to the staff area.
        Probe {
            staff_answer: Some(303),
            ..page("/login", ALL)
        },
        // Signing in with nothing filled in: the form back with its errors.
        post("/login", "/login", &[("login", "")], ALL, 422),
        page("/health/live", ALL),
        page("/health/ready", ALL),
        page("/metrics", ALL),
        get("/static/{name}", "/static/app.css", ALL, 200),
        get("/static/{name}", "/static/no-such-file.css", ALL, 404),
        get("/lang/{code}", "/lang/en?next=/", ALL, 303),
        page("/staff", Some(STAFF)),
        page("/staff/users", Some(&[ADMIN])),
        page("/staff/users/new", Some(&[ADMIN])),
        page("/staff/users/export", Some(&[ADMIN])),
        get("/staff/users/{id}", "/staff/users/2", Some(&[ADMIN]), 200),
        get(
            "/staff/users/{id}",
            "/staff/users/999999",
            Some(&[ADMIN]),
            404,
        ),
        post(
            "/staff/users",
            "/staff/users",
            &[("login", "")],
            Some(&[ADMIN]),
            422,
        ),
        post(
            "/staff/users/{id}",
            "/staff/users/2",
            &[("password", "x")],
            Some(&[ADMIN]),
            422,
        ),
        // Enabling an enabled account changes nothing visible.
        post(
            "/staff/users/{id}/active",
            "/staff/users/2/active",
            &[("active", "true")],
            Some(&[ADMIN]),
            303,
        ),
        page("/staff/audit", Some(&[ADMIN, SECURITY])),
        page("/staff/audit/export", Some(&[ADMIN, SECURITY])),
        // The audit chain's signed checkpoints are public (decision 0024).
        page("/audit/checkpoints", ALL),
        page("/audit/checkpoints.json", ALL),
        page("/audit/checkpoints.txt", ALL),
        // Org structure: reading needs ViewOrg; the office, units and locations
        // ManageOrg; employees ManageEmployees. Posts carry invalid data (422).
        page("/staff/org", Some(ORG_READERS)),
        page("/staff/org/office", Some(&[ADMIN])),
        post(
            "/staff/org/office",
            "/staff/org/office",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        page("/staff/org/units/new", Some(&[ADMIN])),
        post(
            "/staff/org/units/new",
            "/staff/org/units/new",
            &[("symbol", "")],
            Some(&[ADMIN]),
            422,
        ),
        get(
            "/staff/org/units/{id}",
            "/staff/org/units/1",
            Some(&[ADMIN]),
            200,
        ),
        get(
            "/staff/org/units/{id}",
            "/staff/org/units/999999",
            Some(&[ADMIN]),
            404,
        ),
        post(
            "/staff/org/units/{id}",
            "/staff/org/units/1",
            &[("symbol", "")],
            Some(&[ADMIN]),
            422,
        ),
        page("/staff/employees", Some(ORG_READERS)),
        page("/staff/employees/new", Some(&[ADMIN, HR])),
        post(
            "/staff/employees/new",
            "/staff/employees/new",
            &[("first_name", "")],
            Some(&[ADMIN, HR]),
            422,
        ),
        get(
            "/staff/employees/{id}",
            "/staff/employees/1",
            Some(&[ADMIN, HR]),
            200,
        ),
        get(
            "/staff/employees/{id}",
            "/staff/employees/999999",
            Some(&[ADMIN, HR]),
            404,
        ),
        post(
            "/staff/employees/{id}",
            "/staff/employees/1",
            &[("first_name", "")],
            Some(&[ADMIN, HR]),
            422,
        ),
        page("/staff/locations", Some(ORG_READERS)),
        page("/staff/locations/new", Some(&[ADMIN])),
        post(
            "/staff/locations/new",
            "/staff/locations/new",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        get(
            "/staff/locations/{id}",
            "/staff/locations/1",
            Some(&[ADMIN]),
            200,
        ),
        get(
            "/staff/locations/{id}",
            "/staff/locations/999999",
            Some(&[ADMIN]),
            404,
        ),
        post(
            "/staff/locations/{id}",
            "/staff/locations/1",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        post(
            "/staff/locations/{id}/closures",
            "/staff/locations/1/closures",
            &[("closure_day", "")],
            Some(&[ADMIN]),
            422,
        ),
        // A closing day that does not exist.
        post(
            "/staff/locations/{id}/closures/{closure_id}/delete",
            "/staff/locations/1/closures/999999/delete",
            &[],
            Some(&[ADMIN]),
            404,
        ),
        // Cases: ViewCases for lists and registers, RegisterCases to register.
        page("/staff/cases", Some(CASES)),
        page("/staff/cases/new", Some(CASES)),
        post(
            "/staff/cases/new",
            "/staff/cases/new",
            &[("title", "")],
            Some(CASES),
            422,
        ),
        get("/staff/cases/{id}", "/staff/cases/1", Some(CASES), 200),
        get("/staff/cases/{id}", "/staff/cases/999999", Some(CASES), 404),
        page("/staff/cases/register", Some(CASES)),
        page("/staff/cases/complaints", Some(CASES)),
        page("/staff/cases/public-information", Some(CASES)),
        page("/staff/cases/complaints.csv", Some(CASES)),
        page("/staff/cases/public-information.csv", Some(CASES)),
        page("/staff/cases/workload", Some(&[MANAGER, QUALITY])),
        page("/staff/jrwa", Some(STAFF)),
        post(
            "/staff/jrwa",
            "/staff/jrwa",
            &[("year", "")],
            Some(&[ADMIN]),
            400,
        ),
        page("/staff/deadline", Some(STAFF)),
        get(
            "/staff/deadline",
            "/staff/deadline?from=2026-01-02&term=14d",
            Some(STAFF),
            200,
        ),
        page("/petitions", ALL),
        get(
            "/petitions/summary/{year}",
            "/petitions/summary/2026",
            ALL,
            200,
        ),
        page("/case-status", ALL),
        // The residents' service point: public pages, the kiosk (an unknown category is
        // the form back), the stream of a point that does not exist (a real one never
        // ends), the desk console and the setup.
        page("/service-points", ALL),
        get("/service-points/{id}", "/service-points/1", ALL, 200),
        get(
            "/service-points/{id}/kiosk",
            "/service-points/1/kiosk",
            ALL,
            200,
        ),
        post(
            "/service-points/{id}/kiosk",
            "/service-points/1/kiosk",
            &[("category", "Q")],
            ALL,
            422,
        ),
        get(
            "/service-points/{id}/board",
            "/service-points/1/board",
            ALL,
            200,
        ),
        get(
            "/service-points/{id}/events",
            "/service-points/999/events",
            ALL,
            404,
        ),
        get("/tickets/{token}", "/tickets/nosuchticket", ALL, 404),
        page("/staff/service-points", Some(SP_STAFF)),
        get("/staff/desks/{id}", "/staff/desks/1", Some(DESKS), 200),
        // An act that does not exist changes nothing.
        post(
            "/staff/desks/{id}/{act}",
            "/staff/desks/1/dance",
            &[],
            Some(DESKS),
            404,
        ),
        get(
            "/staff/service-points/{id}/setup",
            "/staff/service-points/1/setup",
            Some(&[ADMIN]),
            200,
        ),
        get(
            "/staff/service-points/{id}/categories/new",
            "/staff/service-points/1/categories/new",
            Some(&[ADMIN]),
            200,
        ),
        post(
            "/staff/service-points/{id}/categories/new",
            "/staff/service-points/1/categories/new",
            &[("code", "")],
            Some(&[ADMIN]),
            422,
        ),
        get(
            "/staff/service-points/{id}/categories/{category}",
            "/staff/service-points/1/categories/1",
            Some(&[ADMIN]),
            200,
        ),
        post(
            "/staff/service-points/{id}/categories/{category}",
            "/staff/service-points/1/categories/1",
            &[("code", "")],
            Some(&[ADMIN]),
            422,
        ),
        get(
            "/staff/service-points/{id}/desks/new",
            "/staff/service-points/1/desks/new",
            Some(&[ADMIN]),
            200,
        ),
        post(
            "/staff/service-points/{id}/desks/new",
            "/staff/service-points/1/desks/new",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        get(
            "/staff/service-points/{id}/desks/{desk}",
            "/staff/service-points/1/desks/1",
            Some(&[ADMIN]),
            200,
        ),
        post(
            "/staff/service-points/{id}/desks/{desk}",
            "/staff/service-points/1/desks/1",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        // The statistics (decision 0041): a point that is none, 404; a range that is
        // none, the form back (422).
        get(
            "/staff/service-points/{id}/statistics",
            "/staff/service-points/1/statistics",
            Some(SP_STATS),
            200,
        ),
        get(
            "/staff/service-points/{id}/statistics",
            "/staff/service-points/999/statistics",
            Some(SP_STATS),
            404,
        ),
        get(
            "/staff/service-points/{id}/statistics",
            "/staff/service-points/1/statistics?from=2026-12-08&to=2026-01-01",
            Some(SP_STATS),
            422,
        ),
        get(
            "/staff/service-points/{id}/statistics.csv",
            "/staff/service-points/2/statistics.csv",
            Some(SP_STATS),
            200,
        ),
        // The desk's rating tablet: a front-desk session; nothing finished at the desk
        // yet, so a post names no visit to rate (409); a desk of another point, 404.
        get(
            "/service-points/{id}/desks/{desk}/tablet",
            "/service-points/1/desks/1/tablet",
            Some(DESKS),
            200,
        ),
        get(
            "/service-points/{id}/desks/{desk}/tablet",
            "/service-points/2/desks/1/tablet",
            Some(DESKS),
            404,
        ),
        post(
            "/service-points/{id}/desks/{desk}/tablet",
            "/service-points/1/desks/1/tablet",
            &[("ticket", "")],
            Some(DESKS),
            409,
        ),
        page("/api/v1/service-points", ALL),
        // Without the category: not of the documented shape.
        Probe {
            method: "POST",
            template: "/api/v1/service-points/{id}/tickets",
            path: "/api/v1/service-points/1/tickets",
            payload: Payload::Json("{}"),
            allowed: ALL,
            answer: 400,
            staff_answer: None,
        },
        get(
            "/api/v1/tickets/{token}",
            "/api/v1/tickets/nosuchticket",
            ALL,
            404,
        ),
        // Visit booking (decision 0033): the form, a post without data (the form back),
        // check-in with a key that is none of code, PESEL or phone (the kiosk back), a
        // booking that does not exist, and the API's slots and bookings.
        get(
            "/service-points/{id}/book",
            "/service-points/1/book",
            ALL,
            200,
        ),
        post(
            "/service-points/{id}/book",
            "/service-points/1/book",
            &[("name", "")],
            ALL,
            422,
        ),
        post(
            "/service-points/{id}/kiosk/check-in",
            "/service-points/1/kiosk/check-in",
            &[("key", "x")],
            ALL,
            422,
        ),
        get("/bookings/{token}", "/bookings/nosuchbooking", ALL, 404),
        post(
            "/bookings/{token}/cancel",
            "/bookings/nosuchbooking/cancel",
            &[],
            ALL,
            404,
        ),
        get(
            "/api/v1/service-points/{id}/slots",
            "/api/v1/service-points/1/slots?category=U&date=2026-13-01",
            ALL,
            422,
        ),
        Probe {
            method: "POST",
            template: "/api/v1/bookings",
            path: "/api/v1/bookings",
            payload: Payload::Json("{}"),
            allowed: ALL,
            answer: 400,
            staff_answer: None,
        },
        // A resident's own cases: the sign-in form for everyone not signed in as one.
        page("/my-cases", ALL),
        post(
            "/my-cases/link",
            "/my-cases/link",
            &[("email", "")],
            ALL,
            422,
        ),
        // A sign-in link never issued (or used, or expired) is gone.
        get(
            "/my-cases/link/{token}",
            "/my-cases/link/no-such-token",
            ALL,
            410,
        ),
        post(
            "/my-cases/link/{token}",
            "/my-cases/link/no-such-token",
            &[],
            ALL,
            410,
        ),
        post("/my-cases/sign-out", "/my-cases/sign-out", &[], ALL, 303),
        // Correspondence: ViewCorrespondence to read, RegisterCorrespondence to write
        // (item 1 of each register is the demo's SA item). Registering and recording a
        // delivery take a multipart form: a URL-encoded one is a bad request.
        page("/staff/correspondence", Some(CORR)),
        page("/staff/correspondence/new", Some(CORR)),
        post(
            "/staff/correspondence/new",
            "/staff/correspondence/new",
            &[("subject", "")],
            Some(CORR),
            400,
        ),
        get(
            "/staff/correspondence/{id}",
            "/staff/correspondence/1",
            Some(CORR),
            200,
        ),
        get(
            "/staff/correspondence/{id}",
            "/staff/correspondence/999999",
            Some(CORR),
            404,
        ),
        get(
            "/staff/correspondence/{id}/attachments/{file_id}",
            "/staff/correspondence/1/attachments/1",
            Some(CORR),
            200,
        ),
        page("/staff/correspondence/outgoing", Some(CORR)),
        page("/staff/correspondence/outgoing/new", Some(CORR)),
        post(
            "/staff/correspondence/outgoing/new",
            "/staff/correspondence/outgoing/new",
            &[("subject", "")],
            Some(CORR),
            400,
        ),
        get(
            "/staff/correspondence/outgoing/{id}",
            "/staff/correspondence/outgoing/1",
            Some(CORR),
            200,
        ),
        post(
            "/staff/correspondence/outgoing/{id}/delivery",
            "/staff/correspondence/outgoing/1/delivery",
            &[("delivered_on", "")],
            Some(CORR),
            400,
        ),
        // A file that is not the item's.
        get(
            "/staff/correspondence/outgoing/{id}/attachments/{file_id}",
            "/staff/correspondence/outgoing/1/attachments/1",
            Some(CORR),
            404,
        ),
        // Service cards: public pages and the API for everyone; editing needs
        // ManageServiceCards (the manager's scope SA covers SA-2).
        page("/services", ALL),
        get("/services", "/services?q=zaswiadczenie", ALL, 200),
        get("/services/{code}", "/services/SA-2", ALL, 200),
        get("/services/{code}", "/services/XX-99", ALL, 404),
        get(
            "/services/{code}/files/{id}/{file_name}",
            "/services/SA-2/files/1/wzor.pdf",
            ALL,
            200,
        ),
        // E-service applications: the form for everyone; the filing is a multipart
        // form (a URL-encoded one is a bad request), and so is a JSON filing missing
        // its fields; a confirmation of a code never issued is a 404.
        get("/services/{code}/apply", "/services/SA-2/apply", ALL, 200),
        post(
            "/services/{code}/apply",
            "/services/SA-2/apply",
            &[("first_name", "")],
            ALL,
            400,
        ),
        get(
            "/applications/{code}",
            "/applications/ABCD-EFGH-JKMN",
            ALL,
            404,
        ),
        get(
            "/applications/{code}/confirmation.pdf",
            "/applications/ABCD-EFGH-JKMN/confirmation.pdf",
            ALL,
            404,
        ),
        page("/api/v1/service-cards", ALL),
        get(
            "/api/v1/service-cards/{code}",
            "/api/v1/service-cards/SA-2",
            ALL,
            200,
        ),
        Probe {
            method: "POST",
            template: "/api/v1/applications",
            path: "/api/v1/applications",
            payload: Payload::Json("{}"),
            allowed: ALL,
            answer: 400,
            staff_answer: None,
        },
        get(
            "/api/v1/cases/{tracking_code}",
            "/api/v1/cases/ABCD-EFGH-JKMN",
            ALL,
            404,
        ),
        get(
            "/api/v1/cases/{tracking_code}/events",
            "/api/v1/cases/ABCD-EFGH-JKMN/events",
            ALL,
            404,
        ),
        // Residents' ratings (src/satisfaction): unknown ticket and case, 404.
        Probe {
            method: "POST",
            template: "/api/v1/tickets/{token}/rating",
            path: "/api/v1/tickets/nosuchticket/rating",
            payload: Payload::Json(r#"{"service":5,"official":5,"nps":10}"#),
            allowed: ALL,
            answer: 404,
            staff_answer: None,
        },
        Probe {
            method: "POST",
            template: "/api/v1/cases/{tracking_code}/rating",
            path: "/api/v1/cases/ABCD-EFGH-JKMN/rating",
            payload: Payload::Json(r#"{"service":5,"official":5,"nps":10}"#),
            allowed: ALL,
            answer: 404,
            staff_answer: None,
        },
        page("/api/v1/satisfaction/results", ALL),
        page("/api/v1/satisfaction/trends", ALL),
        get(
            "/tickets/{token}/rating",
            "/tickets/nosuchticket/rating",
            ALL,
            404,
        ),
        post(
            "/tickets/{token}/rating",
            "/tickets/nosuchticket/rating",
            &[("service", "5")],
            ALL,
            404,
        ),
        get(
            "/case-status/{code}/rating",
            "/case-status/ABCD-EFGH-JKMN/rating",
            ALL,
            404,
        ),
        post(
            "/case-status/{code}/rating",
            "/case-status/ABCD-EFGH-JKMN/rating",
            &[("service", "5")],
            ALL,
            404,
        ),
        page("/satisfaction", ALL),
        page("/satisfaction/results.csv", ALL),
        page("/satisfaction/trends.csv", ALL),
        page("/staff/satisfaction", Some(STAFF)),
        page(
            "/staff/satisfaction/officials.csv",
            Some(&[MANAGER, QUALITY]),
        ),
        page("/staff/satisfaction/trends.csv", Some(&[MANAGER, QUALITY])),
        page("/staff/satisfaction/report.pdf", Some(&[MANAGER, QUALITY])),
        page("/staff/satisfaction/comments", Some(&[QUALITY])),
        // A rating without a pending comment: decided already, back to the list.
        post(
            "/staff/satisfaction/comments/{id}/{verdict}",
            "/staff/satisfaction/comments/1/approve",
            &[],
            Some(&[QUALITY]),
            303,
        ),
        page("/api/v1/openapi.json", ALL),
        page("/api/v1/docs", ALL),
        // BIP (src/bip): public pages; publication 1 is a demo publication.
        page("/bip", ALL),
        get("/bip/dzial/{slug}", "/bip/dzial/zarzadzenia", ALL, 200),
        get("/bip/dzial/{slug}", "/bip/dzial/nie-ma", ALL, 404),
        get(
            "/bip/dzial/{slug}/feed.atom",
            "/bip/dzial/zamowienia/feed.atom",
            ALL,
            200,
        ),
        get("/bip/publikacje/{id}", "/bip/publikacje/1", ALL, 200),
        get("/bip/publikacje/{id}", "/bip/publikacje/999999", ALL, 404),
        get(
            "/bip/publikacje/{id}/wersje/{number}",
            "/bip/publikacje/1/wersje/1",
            ALL,
            200,
        ),
        get(
            "/bip/publikacje/{id}/druk",
            "/bip/publikacje/1/druk",
            ALL,
            200,
        ),
        get(
            "/bip/publikacje/{id}/xml",
            "/bip/publikacje/1/xml",
            ALL,
            200,
        ),
        page("/bip/rejestr-zmian", ALL),
        page("/bip/usuniete", ALL),
        page("/bip/informacje-nieudostepnione", ALL),
        page("/bip/redakcja", ALL),
        page("/bip/instrukcja", ALL),
        page("/bip/szukaj", ALL),
        page("/manifest.webmanifest", ALL),
        page("/sw.js", ALL),
        page("/offline", ALL),
        page("/deklaracja-dostepnosci", ALL),
        page("/feed.atom", ALL),
        page("/sitemap.xml", ALL),
        // The demo fits in one sitemap: there are no parts (tests/api/sitemap.rs splits it).
        get("/sitemap-{part}", "/sitemap-1.xml", ALL, 404),
        page("/staff/bip", Some(BIP_EDITORS)),
        page("/staff/bip/new", Some(BIP_EDITORS)),
        post(
            "/staff/bip/new",
            "/staff/bip/new",
            &[("section", ""), ("title", "")],
            Some(BIP_EDITORS),
            422,
        ),
        page("/staff/bip/withheld", Some(BIP_EDITORS)),
        post(
            "/staff/bip/withheld",
            "/staff/bip/withheld",
            &[("scope", "")],
            Some(BIP_EDITORS),
            422,
        ),
        page("/staff/bip/settings", Some(BIP_SETUP)),
        post(
            "/staff/bip/settings",
            "/staff/bip/settings",
            &[("a11y_status", "")],
            Some(BIP_SETUP),
            422,
        ),
        get("/staff/bip/{id}", "/staff/bip/1", Some(BIP_EDITORS), 200),
        get(
            "/staff/bip/{id}",
            "/staff/bip/999999",
            Some(BIP_EDITORS),
            404,
        ),
        post(
            "/staff/bip/{id}",
            "/staff/bip/1",
            &[("title", "")],
            Some(BIP_EDITORS),
            422,
        ),
        get(
            "/staff/bip/{id}/preview",
            "/staff/bip/1/preview",
            Some(BIP_EDITORS),
            200,
        ),
        // Publication 1 has no draft: nothing to submit, return or publish (409).
        post(
            "/staff/bip/{id}/submit",
            "/staff/bip/1/submit",
            &[],
            Some(BIP_EDITORS),
            409,
        ),
        post(
            "/staff/bip/{id}/return",
            "/staff/bip/1/return",
            &[],
            Some(BIP_EDITORS),
            409,
        ),
        post(
            "/staff/bip/{id}/publish",
            "/staff/bip/1/publish",
            &[("publish_at", "x")],
            Some(BIP_EDITORS),
            409,
        ),
        post(
            "/staff/bip/{id}/remove",
            "/staff/bip/1/remove",
            &[("remove_reason", "")],
            Some(BIP_EDITORS),
            422,
        ),
        page("/staff/service-cards", Some(CARD_EDITORS)),
        page("/staff/service-cards/export", Some(CARD_EDITORS)),
        page("/staff/service-cards/new", Some(CARD_EDITORS)),
        post(
            "/staff/service-cards/new",
            "/staff/service-cards/new",
            &[("code", "")],
            Some(CARD_EDITORS),
            422,
        ),
        get(
            "/staff/service-cards/{code}",
            "/staff/service-cards/SA-2",
            Some(CARD_EDITORS),
            200,
        ),
        get(
            "/staff/service-cards/{code}",
            "/staff/service-cards/XX-99",
            Some(CARD_EDITORS),
            404,
        ),
        post(
            "/staff/service-cards/{code}",
            "/staff/service-cards/SA-2",
            &[("code", "")],
            Some(CARD_EDITORS),
            422,
        ),
        // Publishing a published card changes nothing visible.
        post(
            "/staff/service-cards/{code}/publish",
            "/staff/service-cards/SA-2/publish",
            &[("published", "true")],
            Some(CARD_EDITORS),
            303,
        ),
        get(
            "/staff/service-cards/{code}/history",
            "/staff/service-cards/SA-2/history",
            Some(CARD_EDITORS),
            200,
        ),
        // Uploads are multipart: a URL-encoded form is a bad request.
        post(
            "/staff/service-cards/{code}/files",
            "/staff/service-cards/SA-2/files",
            &[("title", "")],
            Some(CARD_EDITORS),
            400,
        ),
        post(
            "/staff/service-cards/{code}/files/{id}/delete",
            "/staff/service-cards/SA-2/files/999999/delete",
            &[],
            Some(CARD_EDITORS),
            404,
        ),
        // Signing out: last, as it ends the walker's session (signed in again after).
        post("/logout", "/logout", &[], ALL, 303),
    ];
    probes.extend(case_actions());
    probes.extend(case_documents());
    probes.extend(workbench());
    probes.extend(appeals());
    probes.extend(problem_reports());
    probes.extend(archive());
    probes.extend(resident_api());
    probes.extend(report_categories());
    probes.extend(news());
    probes.extend(fediverse());
    probes.extend(surveys());
    probes.extend(rodo());
    probes
}

/// Appeals and ponaglenia (the demo's ponaglenie 1, in SA case "ul. Ogrodowa 8" of the
/// official): empty forms 422, nothing registered or forwarded.
fn appeals() -> Vec<Probe> {
    vec![
        page("/staff/appeals", Some(CASES)),
        get("/staff/appeals/{id}", "/staff/appeals/1", Some(CASES), 200),
        get(
            "/staff/appeals/{id}",
            "/staff/appeals/999999",
            Some(CASES),
            404,
        ),
        post(
            "/staff/appeals/{id}",
            "/staff/appeals/1",
            &[("action", "")],
            Some(CASES),
            422,
        ),
        get(
            "/staff/cases/{id}/appeals",
            "/staff/cases/1/appeals",
            Some(CASES),
            200,
        ),
        post(
            "/staff/cases/{id}/appeals",
            "/staff/cases/1/appeals",
            &[("kind", "")],
            Some(CASES),
            422,
        ),
    ]
}

/// Problem reports, Open311 and API keys (issue 12): keys are the administrator's,
/// reports the case officials' and heads'; the public form is multipart (a plain post
/// is a 400); Open311 is public, and its POST without an api_key a 403 for anyone.
fn problem_reports() -> Vec<Probe> {
    const HANDLERS: &[&str] = &[MANAGER, CASE];
    vec![
        page("/staff/api-keys", Some(&[ADMIN])),
        post(
            "/staff/api-keys",
            "/staff/api-keys",
            &[("name", "")],
            Some(&[ADMIN]),
            422,
        ),
        post(
            "/staff/api-keys/{id}/revoke",
            "/staff/api-keys/999999/revoke",
            &[],
            Some(&[ADMIN]),
            404,
        ),
        page("/reports/new", ALL),
        post(
            "/reports/new",
            "/reports/new",
            &[("service_code", "")],
            ALL,
            400,
        ),
        get("/reports/{id}", "/reports/1", ALL, 200),
        get("/reports/{id}", "/reports/999999", ALL, 404),
        get(
            "/reports/{id}/photos/{photo}",
            "/reports/1/photos/1",
            ALL,
            404,
        ),
        page("/staff/reports", Some(HANDLERS)),
        get(
            "/staff/reports/{id}",
            "/staff/reports/1",
            Some(HANDLERS),
            200,
        ),
        post(
            "/staff/reports/{id}/{act}",
            "/staff/reports/1/comment",
            &[("note", "")],
            Some(HANDLERS),
            422,
        ),
        get("/open311/v2/{file}", "/open311/v2/discovery.json", ALL, 200),
        get("/open311/v2/{file}", "/open311/v2/services.xml", ALL, 200),
        post(
            "/open311/v2/{file}",
            "/open311/v2/requests.json",
            &[("service_code", "KOSZ")],
            ALL,
            403,
        ),
        get(
            "/open311/v2/services/{file}",
            "/open311/v2/services/KOSZ.json",
            ALL,
            200,
        ),
        get(
            "/open311/v2/requests/{file}",
            "/open311/v2/requests/1.json",
            ALL,
            200,
        ),
        get(
            "/open311/v2/request/{file}",
            "/open311/v2/request/999999.xml",
            ALL,
            404,
        ),
        get(
            "/open311/v2/tokens/{file}",
            "/open311/v2/tokens/nope.json",
            ALL,
            404,
        ),
    ]
}

/// News and announcements (the demo's items 1–11 public, 12 scheduled, 13 a draft;
/// picture 1 belongs to item 2): reading is public, the editor is the BIP editor's.
/// Posts with empty or unreadable data change nothing: 422; a plain post to the
/// picture upload (multipart) is a 400; withdrawing a draft a 409.
fn news() -> Vec<Probe> {
    vec![
        page("/aktualnosci", ALL),
        get("/aktualnosci/{id}", "/aktualnosci/1", ALL, 200),
        get("/aktualnosci/{id}", "/aktualnosci/13", ALL, 404),
        get(
            "/aktualnosci/obrazy/{id}",
            "/aktualnosci/obrazy/1",
            ALL,
            200,
        ),
        get(
            "/aktualnosci/obrazy/{id}",
            "/aktualnosci/obrazy/999999",
            ALL,
            404,
        ),
        page("/staff/news", Some(BIP_EDITORS)),
        page("/staff/news/new", Some(BIP_EDITORS)),
        post(
            "/staff/news/new",
            "/staff/news/new",
            &[("kind", "news"), ("title", "")],
            Some(BIP_EDITORS),
            422,
        ),
        get(
            "/staff/news/images/{id}",
            "/staff/news/images/1",
            Some(BIP_EDITORS),
            200,
        ),
        get("/staff/news/{id}", "/staff/news/1", Some(BIP_EDITORS), 200),
        get(
            "/staff/news/{id}",
            "/staff/news/999999",
            Some(BIP_EDITORS),
            404,
        ),
        post(
            "/staff/news/{id}",
            "/staff/news/1",
            &[("kind", "news"), ("title", "")],
            Some(BIP_EDITORS),
            422,
        ),
        get(
            "/staff/news/{id}/preview",
            "/staff/news/13/preview",
            Some(BIP_EDITORS),
            200,
        ),
        post(
            "/staff/news/{id}/publish",
            "/staff/news/13/publish",
            &[("publish_at", "nie")],
            Some(BIP_EDITORS),
            422,
        ),
        post(
            "/staff/news/{id}/withdraw",
            "/staff/news/13/withdraw",
            &[],
            Some(BIP_EDITORS),
            409,
        ),
        post(
            "/staff/news/{id}/images",
            "/staff/news/1/images",
            &[],
            Some(BIP_EDITORS),
            400,
        ),
        post(
            "/staff/news/{id}/images/{image_id}/remove",
            "/staff/news/2/images/999999/remove",
            &[],
            Some(BIP_EDITORS),
            404,
        ),
    ]
}

/// The archive: the spis spraw's files (ViewCases), the unit's closing and transfers
/// (the head of unit, KeepRegisters), the archive's files, consents and destructions
/// (the administrator, KeepArchive); the demo's spis zdawczo-odbiorczy 1 (SA) is read
/// by both, refused by the handler to everyone else. Posts without their unit are 400,
/// empty forms 422: nothing changes.
fn archive() -> Vec<Probe> {
    const HEADS: &[&str] = &[MANAGER];
    const ARCHIVIST: &[&str] = &[ADMIN];
    const BOTH: &[&str] = &[ADMIN, MANAGER];
    vec![
        page("/staff/cases/register.csv", Some(CASES)),
        page("/staff/cases/register.pdf", Some(CASES)),
        page("/staff/archive", Some(HEADS)),
        post(
            "/staff/archive/close",
            "/staff/archive/close",
            &[],
            Some(HEADS),
            400,
        ),
        post(
            "/staff/archive/transfers",
            "/staff/archive/transfers",
            &[],
            Some(HEADS),
            400,
        ),
        get(
            "/staff/archive/transfers/{id}",
            "/staff/archive/transfers/1",
            Some(BOTH),
            200,
        ),
        get(
            "/staff/archive/transfers/{id}",
            "/staff/archive/transfers/999999",
            Some(BOTH),
            404,
        ),
        get(
            "/staff/archive/transfers/{id}/spis.csv",
            "/staff/archive/transfers/1/spis.csv",
            Some(BOTH),
            200,
        ),
        get(
            "/staff/archive/transfers/{id}/spis.pdf",
            "/staff/archive/transfers/1/spis.pdf",
            Some(BOTH),
            200,
        ),
        page("/staff/archive/files", Some(ARCHIVIST)),
        post(
            "/staff/archive/consents",
            "/staff/archive/consents",
            &[],
            Some(ARCHIVIST),
            422,
        ),
        post(
            "/staff/archive/files/{id}/destroyed",
            "/staff/archive/files/1/destroyed",
            &[],
            Some(ARCHIVIST),
            422,
        ),
    ]
}

/// The case's documents (demo letters: 1 the notice of initiation in case 3, delivered;
/// 3 the decision there, a draft), the templates, the register of authorisations and
/// the dekretacja of the demo's incoming item 1 (SA). Steps out of the flow answer 409,
/// empty forms 422; a signature's form is multipart, so a plain post is a 400 for the
/// one who may sign. The official is not authorised for case 3's class: 403 on the
/// head's steps.
fn case_documents() -> Vec<Probe> {
    const TEMPLATE_EDITORS: &[&str] = &[ADMIN];
    const REGISTER: &[&str] = &[ADMIN, HR];
    vec![
        get(
            "/staff/cases/{id}/documents",
            "/staff/cases/1/documents",
            Some(CASES),
            200,
        ),
        get(
            "/staff/cases/{id}/documents",
            "/staff/cases/999999/documents",
            Some(CASES),
            404,
        ),
        get(
            "/staff/cases/{id}/letters/new",
            "/staff/cases/1/letters/new",
            Some(CASES),
            200,
        ),
        post(
            "/staff/cases/{id}/letters/new",
            "/staff/cases/1/letters/new",
            &[("template_id", "")],
            Some(CASES),
            422,
        ),
        get(
            "/staff/cases/{id}/metryka",
            "/staff/cases/1/metryka",
            Some(CASES),
            200,
        ),
        get(
            "/staff/cases/{id}/metryka.pdf",
            "/staff/cases/1/metryka.pdf",
            Some(CASES),
            200,
        ),
        get("/staff/letters/{id}", "/staff/letters/1", Some(CASES), 200),
        get(
            "/staff/letters/{id}",
            "/staff/letters/999999",
            Some(CASES),
            404,
        ),
        post(
            "/staff/letters/{id}",
            "/staff/letters/3",
            &[("title", "")],
            Some(CASES),
            422,
        ),
        post(
            "/staff/letters/{id}/accept",
            "/staff/letters/1/accept",
            &[],
            Some(&[MANAGER]),
            409,
        ),
        post(
            "/staff/letters/{id}/return",
            "/staff/letters/1/return",
            &[],
            Some(&[MANAGER]),
            409,
        ),
        post(
            "/staff/letters/{id}/sign",
            "/staff/letters/1/sign",
            &[("method", "handwritten")],
            Some(&[MANAGER]),
            400,
        ),
        post(
            "/staff/letters/{id}/dispatch",
            "/staff/letters/1/dispatch",
            &[],
            Some(CASES),
            409,
        ),
        post(
            "/staff/letters/{id}/delivery",
            "/staff/letters/1/delivery",
            &[],
            Some(CASES),
            409,
        ),
        get(
            "/staff/letters/{id}/pdf",
            "/staff/letters/1/pdf",
            Some(CASES),
            200,
        ),
        // Signed by hand: no signed file.
        get(
            "/staff/letters/{id}/signed",
            "/staff/letters/1/signed",
            Some(CASES),
            404,
        ),
        page("/staff/letter-templates", Some(TEMPLATE_EDITORS)),
        page("/staff/letter-templates/new", Some(TEMPLATE_EDITORS)),
        post(
            "/staff/letter-templates/new",
            "/staff/letter-templates/new",
            &[("kind", "")],
            Some(TEMPLATE_EDITORS),
            422,
        ),
        get(
            "/staff/letter-templates/{id}",
            "/staff/letter-templates/1",
            Some(TEMPLATE_EDITORS),
            200,
        ),
        get(
            "/staff/letter-templates/{id}",
            "/staff/letter-templates/999999",
            Some(TEMPLATE_EDITORS),
            404,
        ),
        post(
            "/staff/letter-templates/{id}",
            "/staff/letter-templates/1",
            &[("name", "")],
            Some(TEMPLATE_EDITORS),
            422,
        ),
        page("/staff/authorisations", Some(REGISTER)),
        post(
            "/staff/authorisations",
            "/staff/authorisations",
            &[("user_id", "")],
            Some(REGISTER),
            422,
        ),
        post(
            "/staff/authorisations/{id}/revoke",
            "/staff/authorisations/999999/revoke",
            &[],
            Some(REGISTER),
            404,
        ),
        get(
            "/staff/dekretacja/{id}",
            "/staff/dekretacja/1",
            Some(CORR),
            200,
        ),
        post(
            "/staff/dekretacja/{id}",
            "/staff/dekretacja/1",
            &[("to_user_id", "")],
            Some(&[MANAGER]),
            422,
        ),
    ]
}

/// Every step on the demo's case 1 (registered, in SA), with nothing filled in: the
/// step is refused by the workflow or its form (422), so the case stays as it is.
/// An unknown step is refused as the others.
fn case_actions() -> Vec<Probe> {
    const TEMPLATE: &str = "/staff/cases/{id}/actions/{action}";
    let steps: [(&str, &[&str]); 8] = [
        ("/staff/cases/1/actions/start", CASES),
        ("/staff/cases/1/actions/suspend", CASES),
        ("/staff/cases/1/actions/resume", CASES),
        ("/staff/cases/1/actions/settle", CASES),
        ("/staff/cases/1/actions/close", CASES),
        ("/staff/cases/1/actions/transfer", CASES),
        ("/staff/cases/1/actions/forward", CASES),
        ("/staff/cases/1/actions/fly", CASES),
    ];
    let mut probes: Vec<Probe> = steps
        .into_iter()
        .map(|(path, allowed)| post(TEMPLATE, path, &[], Some(allowed), 422))
        .collect();
    // Assigning has a route of its own: the head of unit's permission.
    probes.push(post(
        "/staff/cases/{id}/actions/assign",
        "/staff/cases/1/actions/assign",
        &[],
        Some(&[MANAGER]),
        422,
    ));
    // Taking a case (the workbench's „Biorę”): an official's permission; an unknown
    // case so that the probe takes nothing (the test in workbench.rs takes one).
    probes.push(post(
        "/staff/cases/{id}/take",
        "/staff/cases/999999/take",
        &[],
        Some(CASES),
        404,
    ));
    probes.push(post(
        TEMPLATE,
        "/staff/cases/999999/actions/start",
        &[],
        Some(CASES),
        404,
    ));
    probes
}

/// The routes the router serves, as `METHOD template`.
fn served() -> BTreeSet<String> {
    magistrat::app::route_table()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[test]
fn the_matrix_covers_every_route_the_router_serves() {
    let specified: BTreeSet<String> = probes()
        .iter()
        .map(|p| format!("{} {}", p.method, p.template))
        .collect();
    let served = served();
    let missing: Vec<_> = served.difference(&specified).collect();
    let stale: Vec<_> = specified.difference(&served).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "routes without an entry in the access matrix: {missing:?}\n\
         entries for routes the router does not serve: {stale:?}"
    );
}

backend_tests!(
    every_route_answers_each_role_as_specified,
    refused_posts_are_refused_before_the_body_is_read,
    every_form_post_refuses_a_forgery
);

async fn every_route_answers_each_role_as_specified(app: TestApp) {
    add_demo_file(&app).await;
    let probes = probes();
    let mut failures = Vec::new();
    for probe in &probes {
        app.clear_cookies();
        let response = call(&app, probe).await;
        let expected = match probe.allowed {
            None => Expected::Status(probe.answer),
            Some(_) => Expected::Login,
        };
        expected.check("anonymous", probe, &response, &mut failures);
    }
    let mut expected_denials = 0;
    for (role, login) in ACCOUNTS {
        app.clear_cookies();
        app.login(login).await;
        for probe in &probes {
            let response = call(&app, probe).await;
            let allowed = probe.allowed.is_none_or(|roles| roles.contains(role));
            let expected = if allowed {
                Expected::Status(probe.staff_answer.unwrap_or(probe.answer))
            } else {
                expected_denials += 1;
                Expected::Status(403)
            };
            expected.check(role, probe, &response, &mut failures);
            if probe.template == "/logout" {
                app.clear_cookies();
                app.login(login).await;
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
    assert_eq!(denied, expected_denials);
}

enum Expected {
    Status(u16),
    /// Sent to the login page.
    Login,
}

impl Expected {
    fn check(&self, who: &str, probe: &Probe, response: &TestResponse, out: &mut Vec<String>) {
        let status = response.status.as_u16();
        let ok = match self {
            Expected::Status(expected) => status == *expected,
            Expected::Login => status == 303 && response.location().starts_with("/login?next="),
        };
        if !ok {
            let expected = match self {
                Expected::Status(s) => s.to_string(),
                Expected::Login => "303 to /login".to_owned(),
            };
            out.push(format!(
                "{who} {} {} → {status} {} (expected {expected})",
                probe.method,
                probe.path,
                response.location()
            ));
        }
    }
}

/// Refused attempts are refused by the route's permission before anything reads the
/// body: a malformed body (not a form at all) with a valid token, posted by each role that may not post
/// there, gets 403 and an `access.denied` event giving the permission as the reason —
/// not the form's own 422 (issue 16, finding 8).
async fn refused_posts_are_refused_before_the_body_is_read(app: TestApp) {
    let table = magistrat::app::route_table();
    let probes = probes();
    let mut failures = Vec::new();
    let mut walked = 0;
    for (role, login) in ACCOUNTS {
        app.clear_cookies();
        app.login(login).await;
        let token = app.csrf_token().await;
        for route in table.iter().filter(|r| r.method == "POST") {
            let Access::Staff(_) = route.access else {
                continue;
            };
            // The concrete path of each probe of this route that the role may not use.
            for probe in probes.iter().filter(|p| {
                p.method == "POST"
                    && p.template == route.path
                    && p.allowed.is_some_and(|roles| !roles.contains(role))
            }) {
                walked += 1;
                let request = Request::post(probe.path)
                    .header(header::CONTENT_TYPE, "text/plain")
                    .header("x-csrf-token", &token)
                    .body(Body::from(&b"\xff\xfe not a form %zz=%%"[..]))
                    .unwrap();
                let response = app.send(request).await;
                let line = format!("POST {}", probe.path);
                let events = app
                    .count(&format!(
                        "SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' \
                         AND actor_login = '{login}' AND entity_id = '{line}' \
                         AND after_json LIKE '%\"forbidden\"%'"
                    ))
                    .await;
                if response.status != StatusCode::FORBIDDEN || events != 1 {
                    failures.push(format!(
                        "{role} {line} with a malformed body → {} and {events} denial events \
                         (expected 403 and 1)",
                        response.status
                    ));
                }
            }
        }
    }
    // The case official may not manage accounts (the finding's own example), and every
    // role but the administrator is refused somewhere.
    assert!(walked > 40, "only {walked} refused posts walked");
    assert!(
        failures.is_empty(),
        "refused before the body:\n{}",
        failures.join("\n")
    );
}

async fn call(app: &TestApp, probe: &Probe) -> TestResponse {
    match (probe.method, probe.payload) {
        ("GET", _) => app.get(probe.path).await,
        (_, Payload::Json(body)) => {
            let request = Request::post(probe.path)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            app.send(request).await
        }
        (_, Payload::Form(form)) => app.post_form(probe.path, form).await,
        (_, Payload::None) => app.post_form(probe.path, &[]).await,
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

/// A forged post: what it is, its fields, and a header it adds.
type Forgery<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<(&'a str, &'a str)>);

/// The CSRF sweep: every POST route of the site, posted by someone allowed to use it,
/// without a token, with a wrong token, cross-site with the right token (Fetch
/// Metadata) and from a foreign origin with the right token: each is refused with 403,
/// and a signed-in poster's refusal is on record with the reason `csrf`. The JSON API
/// takes no cookies and so carries no check; every other POST does.
async fn every_form_post_refuses_a_forgery(app: TestApp) {
    let table = magistrat::app::route_table();
    let probes = probes();
    let mut failures = Vec::new();
    let mut swept = 0;
    // Who posts: the first account allowed to use the route (anonymous for open ones),
    // each signed in once.
    let mut targets = Vec::new();
    for route in table.iter().filter(|r| r.method == "POST") {
        // Open311 (issue 12) is an API too: a key in the form, no cookies.
        // The Fediverse inbox too: each post is signed by the sending server.
        let api = route.path.starts_with("/api/")
            || route.path.starts_with("/open311/")
            || route.path == "/fediverse/inbox";
        assert_eq!(route.csrf, !api, "CSRF check on POST {}", route.path);
        if api {
            continue;
        }
        let probe = probes
            .iter()
            .find(|p| p.method == "POST" && p.template == route.path)
            .expect("every route has a probe (checked above)");
        let login = probe
            .allowed
            .and_then(|roles| ACCOUNTS.iter().find(|(role, _)| roles.contains(role)))
            .map(|(_, login)| *login);
        targets.push((login, probe));
    }
    targets.sort_by_key(|(login, _)| *login);
    let mut signed_in: Option<Option<&str>> = None;
    for (login, probe) in targets {
        if signed_in != Some(login) {
            app.clear_cookies();
            if let Some(login) = login {
                app.login(login).await;
            }
            signed_in = Some(login);
        }
        let token = app.csrf_token().await;
        let forgeries: [Forgery; 4] = [
            ("no token", vec![], None),
            ("a wrong token", vec![("_csrf", "0123456789abcdef")], None),
            (
                "cross-site",
                vec![("_csrf", token.as_str())],
                Some(("sec-fetch-site", "cross-site")),
            ),
            (
                "a foreign origin",
                vec![("_csrf", token.as_str())],
                Some(("origin", "https://attacker.example")),
            ),
        ];
        for (what, fields, extra) in forgeries {
            swept += 1;
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            let mut request = Request::post(probe.path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::HOST, "localhost");
            if let Some((name, value)) = extra {
                request = request.header(name, value);
            }
            let response = app.send(request.body(Body::from(body)).unwrap()).await;
            let recorded = match login {
                None => true,
                Some(login) => {
                    app.count(&format!(
                        "SELECT COUNT(*) FROM audit_event WHERE action = 'access.denied' \
                         AND actor_login = '{login}' AND entity_id = 'POST {}' \
                         AND after_json LIKE '%\"csrf\"%'",
                        probe.path
                    ))
                    .await
                        > 0
                }
            };
            if response.status != StatusCode::FORBIDDEN || !recorded {
                failures.push(format!(
                    "POST {} with {what} → {} (recorded: {recorded})",
                    probe.path, response.status
                ));
            }
        }
    }
    assert!(swept >= 4 * 30, "only {swept} forgeries tried");
    assert!(
        failures.is_empty(),
        "forgeries let through:\n{}",
        failures.join("\n")
    );
}

/// The case list's export (everyone who reads the list) and the bulk assignment (heads
/// of unit: nothing ticked is the form back with its problem).
fn workbench() -> Vec<Probe> {
    vec![
        page("/staff/cases/export", Some(CASES)),
        page("/staff/correspondence/export", Some(CORR)),
        page("/staff/correspondence/outgoing/export", Some(CORR)),
        post(
            "/staff/cases/assign",
            "/staff/cases/assign",
            &[],
            Some(&[MANAGER]),
            422,
        ),
    ]
}

/// The residents' app API (src/api/resident.rs): no staff role opens it — a resident's
/// bearer token does. Without one, everyone gets 401 (the token check comes before the
/// body); the sign-in and the code exchange are public and refuse an empty body (400).
fn resident_api() -> Vec<Probe> {
    const fn json(template: &'static str, body: &'static str, answer: u16) -> Probe {
        Probe {
            method: "POST",
            template,
            path: template,
            payload: Payload::Json(body),
            allowed: ALL,
            answer,
            staff_answer: None,
        }
    }
    vec![
        json("/api/v1/resident/sign-in", "{}", 400),
        json("/api/v1/resident/token", "{}", 400),
        json("/api/v1/resident/sign-out", "{}", 401),
        json("/api/v1/resident/reports", "{}", 401),
        get("/api/v1/resident/cases", "/api/v1/resident/cases", ALL, 401),
        get(
            "/api/v1/resident/cases/{tracking_code}",
            "/api/v1/resident/cases/ABCD-EFGH-JKMN",
            ALL,
            401,
        ),
        get(
            "/api/v1/resident/reports",
            "/api/v1/resident/reports",
            ALL,
            401,
        ),
        get(
            "/api/v1/resident/reports/{id}",
            "/api/v1/resident/reports/1",
            ALL,
            401,
        ),
    ]
}

/// Report categories in the staff area (src/problem_reports/categories.rs): those who
/// edit service cards. The demo's categories are the GK unit's, outside the head of
/// unit's scope (SA): category 1 is the administrator's only; an unknown one is 404 to
/// both.
fn report_categories() -> Vec<Probe> {
    vec![
        page("/staff/report-categories", Some(CARD_EDITORS)),
        page("/staff/report-categories/new", Some(CARD_EDITORS)),
        post(
            "/staff/report-categories/new",
            "/staff/report-categories/new",
            &[("code", "")],
            Some(CARD_EDITORS),
            422,
        ),
        get(
            "/staff/report-categories/{id}",
            "/staff/report-categories/1",
            Some(&[ADMIN]),
            200,
        ),
        post(
            "/staff/report-categories/{id}",
            "/staff/report-categories/999999",
            &[("name", "")],
            Some(CARD_EDITORS),
            404,
        ),
    ]
}

/// The office on the Fediverse (src/fediverse): all public. WebFinger for the account
/// (the host is the request's: no public_url here), the actor's profile page, the
/// outbox and followers, an unknown note (404), and an unsigned post to the inbox (401).
fn fediverse() -> Vec<Probe> {
    vec![
        get(
            "/.well-known/webfinger",
            "/.well-known/webfinger?resource=acct:urzad@localhost",
            ALL,
            200,
        ),
        page("/fediverse", ALL),
        page("/fediverse/outbox", ALL),
        page("/fediverse/followers", ALL),
        get("/fediverse/notes/{id}", "/fediverse/notes/999999", ALL, 404),
        Probe {
            method: "POST",
            template: "/fediverse/inbox",
            path: "/fediverse/inbox",
            payload: Payload::Json("{}"),
            allowed: ALL,
            answer: 401,
            staff_answer: None,
        },
    ]
}

/// Survey campaigns (src/surveys): the demo's campaign 1 is last year's annual survey
/// (closed, with responses). Empty forms answer 422, a paper form for a closed campaign
/// 409, an unknown survey or question 404.
fn surveys() -> Vec<Probe> {
    const RUN: &[&str] = &[QUALITY];
    vec![
        get("/surveys/{slug}", "/surveys/nosuchsurvey", ALL, 404),
        post("/surveys/{slug}", "/surveys/nosuchsurvey", &[], ALL, 404),
        page("/staff/surveys", Some(RUN)),
        post("/staff/surveys", "/staff/surveys", &[], Some(RUN), 422),
        get("/staff/surveys/{id}", "/staff/surveys/1", Some(RUN), 200),
        get(
            "/staff/surveys/{id}",
            "/staff/surveys/999999",
            Some(RUN),
            404,
        ),
        post(
            "/staff/surveys/{id}/questions",
            "/staff/surveys/1/questions",
            &[],
            Some(RUN),
            422,
        ),
        post(
            "/staff/surveys/{id}/questions/{key}/delete",
            "/staff/surveys/1/questions/nosuch/delete",
            &[],
            Some(RUN),
            404,
        ),
        post(
            "/staff/surveys/{id}/invitations",
            "/staff/surveys/1/invitations",
            &[],
            Some(RUN),
            422,
        ),
        get(
            "/staff/surveys/{id}/poster.pdf",
            "/staff/surveys/1/poster.pdf",
            Some(RUN),
            200,
        ),
        get(
            "/staff/surveys/{id}/paper",
            "/staff/surveys/1/paper",
            Some(RUN),
            200,
        ),
        post(
            "/staff/surveys/{id}/paper",
            "/staff/surveys/1/paper",
            &[],
            Some(RUN),
            409,
        ),
        get(
            "/staff/surveys/{id}/results",
            "/staff/surveys/1/results",
            Some(RUN),
            200,
        ),
        get(
            "/staff/surveys/{id}/results.csv",
            "/staff/surveys/1/results.csv",
            Some(RUN),
            200,
        ),
    ]
}

/// RODO (src/rodo): the public clause; the clause's editor, the register of processing
/// activities and its CSV for the data protection officer and the administrator. Empty
/// forms answer 422, an unknown entry 404.
fn rodo() -> Vec<Probe> {
    const KEEP: &[&str] = &[ADMIN, SECURITY];
    vec![
        page("/rodo", ALL),
        page("/staff/rodo", Some(KEEP)),
        page("/staff/rodo/clause", Some(KEEP)),
        post(
            "/staff/rodo/clause",
            "/staff/rodo/clause",
            &[],
            Some(KEEP),
            422,
        ),
        get(
            "/staff/rodo/register.csv",
            "/staff/rodo/register.csv",
            Some(KEEP),
            200,
        ),
        page("/staff/rodo/activities/new", Some(KEEP)),
        post(
            "/staff/rodo/activities/new",
            "/staff/rodo/activities/new",
            &[],
            Some(KEEP),
            422,
        ),
        get(
            "/staff/rodo/activities/{id}",
            "/staff/rodo/activities/1",
            Some(KEEP),
            200,
        ),
        get(
            "/staff/rodo/activities/{id}",
            "/staff/rodo/activities/999999",
            Some(KEEP),
            404,
        ),
        post(
            "/staff/rodo/activities/{id}",
            "/staff/rodo/activities/999999",
            &[],
            Some(KEEP),
            404,
        ),
        post(
            "/staff/rodo/activities/{id}/delete",
            "/staff/rodo/activities/999999/delete",
            &[],
            Some(KEEP),
            404,
        ),
    ]
}
