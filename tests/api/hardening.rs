//! What an attacker tried (issue 16), each reproduced: an Idempotency-Key or a form's
//! submission key reused to read another applicant's filing, open redirects, NUL bytes
//! and control characters, e-mail addresses with line breaks, LIKE wildcards, a delay
//! notice without bounds, correspondence for a case that does not exist, a web page
//! passed off as a PDF, and an unbounded X-Request-Id.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::json;

use crate::applications::{PESEL, pdf, residence_certificate};
use crate::backend_tests;
use crate::helpers::{TestApp, TestResponse};

/// An API call from a client at `address`.
async fn api_from(
    app: &TestApp,
    address: &str,
    body: &serde_json::Value,
    key: &str,
) -> TestResponse {
    let mut request = Request::post("/api/v1/applications")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .unwrap();
    let address: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    app.send(request).await
}

/// A valid API filing whose applicant has this first name.
fn application(first_name: &str) -> serde_json::Value {
    let mut body = crate::api_applications::application(PESEL);
    body["fields"]["first_name"] = json!(first_name);
    body
}

/// Finding 1: a guessed Idempotency-Key must not return the victim's filing.
async fn an_idempotency_key_is_bound_to_its_client_and_request(app: TestApp) {
    const KEY: &str = "integrator-000001";
    let victim = api_from(&app, "192.0.2.10", &application("Anna"), KEY).await;
    assert_eq!(victim.status, StatusCode::CREATED, "{}", victim.body);
    let code = victim.json()["tracking_code"].as_str().unwrap().to_owned();

    // The integrator's own retry: the first answer again, nothing new.
    let retry = api_from(&app, "192.0.2.10", &application("Anna"), KEY).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.body);
    assert_eq!(retry.json()["tracking_code"], code.as_str());
    assert_eq!(retry.json()["repeated"], true);

    // The same key with another body from the same address (say, behind the same
    // proxy): 422 in the validation format, and not a word of the first filing.
    let other = api_from(&app, "192.0.2.10", &application("Mallory"), KEY).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        other.body
    );
    let body = other.json();
    assert_eq!(body["error"]["code"], "idempotency-key-reused");
    assert!(
        body["error"]["fields"]["Idempotency-Key"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key"),
        "{body}"
    );
    assert!(!other.body.contains(&code), "{}", other.body);

    // The same key from another client is that client's own key: its own filing.
    let stranger = api_from(&app, "198.51.100.7", &application("Mallory"), KEY).await;
    assert_eq!(stranger.status, StatusCode::CREATED, "{}", stranger.body);
    assert_ne!(stranger.json()["tracking_code"], code.as_str());
    assert!(!stranger.body.contains(&code));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM application WHERE via = 'api'")
            .await,
        2
    );
}

/// Finding 1, the web form: another browser reusing a form's submission key files its
/// own application; the same browser sending other answers under it is told so.
async fn a_forms_submission_key_is_bound_to_its_browser_and_answers(app: TestApp) {
    let scan = pdf();
    let files = [(
        "fee_proof",
        "oplata.pdf",
        "application/pdf",
        scan.as_slice(),
    )];
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-shared-00000000001"));
    let first = app
        .post_multipart("/services/SA-2/apply", &fields, &files)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let victim = first.location().to_owned();

    // The same browser, back button, other answers: not filed, nothing shown.
    let mut changed = fields.clone();
    changed[0] = ("first_name", "Anne");
    let again = app
        .post_multipart("/services/SA-2/apply", &changed, &files)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("został już wysłany"), "{}", again.body);
    assert!(
        !again
            .body
            .contains(victim.trim_start_matches("/applications/"))
    );

    // Another browser with the key: its own filing.
    app.clear_cookies();
    let mut mallory = fields.clone();
    mallory[0] = ("first_name", "Mallory");
    let other = app
        .post_multipart("/services/SA-2/apply", &mallory, &files)
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    assert_ne!(other.location(), victim);
}

/// Finding 2: every redirect to a place the visitor named stays on this site.
async fn redirects_stay_on_this_site(app: TestApp) {
    for next in [
        "/%5C127.0.0.1:18799/",
        "/%09/host",
        "/%0a",
        "/%0d%0aSet-Cookie:%20a=b",
        "//evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "/%C5%BC",
    ] {
        let r = app.get(&format!("/lang/en?next={next}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}: {}", r.body);
        assert_eq!(r.location(), "/", "{next}");
    }
    let ok = app.get("/lang/pl?next=/services%3Fq%3Dzameldowanie").await;
    assert_eq!(ok.location(), "/services?q=zameldowanie");

    // The login form carries only a local path in its hidden field...
    let form = app.get("/login?next=/%5C127.0.0.1:18799/").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("name=\"next\" value=\"/staff\""),
        "{}",
        form.body
    );
    let tab = app.get("/login?next=/%09/host").await;
    assert!(tab.body.contains("name=\"next\" value=\"/staff\""));
    // ... and a forged one is not followed after signing in.
    let token = app.csrf_token().await;
    let signed_in = app
        .post_raw(
            "/login",
            &[
                ("_csrf", token.as_str()),
                ("login", "urzednik"),
                ("password", crate::helpers::PASSWORD),
                ("next", "/\\127.0.0.1:18799/"),
            ],
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    assert_eq!(signed_in.location(), "/staff");
}

/// Finding 5: a NUL byte (or another control character) anywhere in a query, a form or
/// a JSON body is refused at the boundary with a translated message, on every route
/// that once answered 500 (PostgreSQL) or an FTS5 error (SQLite).
async fn control_characters_are_refused_at_the_boundary(app: TestApp) {
    let refused = |r: &TestResponse, what: &str| {
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.body);
        assert!(r.body.contains("znaki sterujące"), "{what}: {}", r.body);
    };
    refused(&app.get("/services?q=a%00b").await, "/services");
    let cards = app.get("/api/v1/service-cards?q=a%00b").await;
    assert_eq!(cards.status, StatusCode::BAD_REQUEST);
    assert_eq!(cards.json()["error"]["code"], "control-characters");
    refused(
        &app.post_form("/login", &[("login", "admin\0"), ("password", "x")])
            .await,
        "login",
    );
    refused(
        &app.post_form("/my-cases/link", &[("email", "anna\0@example.pl")])
            .await,
        "resident link",
    );
    // The e-service form (multipart) and the API (JSON).
    let scan = pdf();
    let mut fields = residence_certificate();
    fields[0] = ("first_name", "An\0na");
    let web = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    refused(&web, "e-service form");
    let api = api_from(
        &app,
        "192.0.2.20",
        &application("An\u{0}na"),
        "nul-key-0000000001",
    )
    .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let body = api.json();
    assert_eq!(body["error"]["code"], "control-characters");
    assert!(
        body["error"]["fields"]["fields.first_name"].is_string(),
        "{body}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM application").await, 0);

    app.login("kierownik").await;
    for path in [
        "/staff/cases?q=a%00b",
        "/staff/correspondence?q=a%00b",
        "/staff/correspondence/outgoing?q=a%00b",
    ] {
        refused(&app.get(path).await, path);
    }
    // The audit viewer is the administrator's (the permission is checked first).
    app.login("admin").await;
    for path in ["/staff/audit?actor=a%00b", "/staff/audit?entity_type=%1B"] {
        refused(&app.get(path).await, path);
    }
    app.login("kierownik").await;
    // Ordinary white space of multi-line text passes.
    let lines = app.get("/staff/cases?q=a%0D%0Ab%09c").await;
    assert_eq!(lines.status, StatusCode::OK, "{}", lines.body);
}

/// Finding 6: an address with a line break or a tab is no address.
async fn email_addresses_with_line_breaks_are_refused(app: TestApp) {
    for email in [
        "anna@example.pl\r\nbcc@evil.example",
        "anna@example.pl\nbcc@evil.example",
        "an\tna@example.pl",
    ] {
        let r = app.post_form("/my-cases/link", &[("email", email)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert!(r.body.contains("Podaj poprawny adres e-mail"), "{}", r.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM resident_link").await, 0);
}

/// Finding 9: `%` and `_` are letters in the correspondence search, not wildcards.
async fn like_wildcards_are_letters_in_searches(app: TestApp) {
    app.login("obsluga").await;
    let all = app.get("/staff/correspondence").await;
    assert!(
        all.body.contains("Jan Nowak"),
        "the demo register has letters"
    );
    for q in ["%25", "_", "%25%25", "__"] {
        for path in ["/staff/correspondence", "/staff/correspondence/outgoing"] {
            let r = app.get(&format!("{path}?q={q}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path}?q={q}");
            assert!(
                !r.body.contains("Jan Nowak"),
                "{path}?q={q} matched everything"
            );
        }
    }
}

/// Finding 9: a delay notice names a date at most a year after the due date in force,
/// and gives its reason (KPA art. 36 § 1).
async fn a_delay_notice_is_bounded_and_gives_a_reason(app: TestApp) {
    use magistrat::cases::store::{self, Channel, NewCase, Step};
    use magistrat::db::audit::Actor;
    use magistrat_domain::deadline::CaseKind;
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await;
    let urzednik = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await;
    let today = app.clock().today();
    let mut tx = app.db.begin().await.unwrap();
    let actor = Actor::system("test");
    let case = store::register_case(
        &mut tx,
        &actor,
        NewCase {
            unit_id: sa,
            jrwa_symbol: "1431".to_owned(),
            kind: CaseKind::AdministrativeSimple,
            title: "Zameldowanie".to_owned(),
            party_name: "Jan Testowy".to_owned(),
            party_address: String::new(),
            party_email: String::new(),
            publish_consent: false,
            received_on: today,
            channel: Channel::Post,
            correspondence_id: None,
            official_id: None,
        },
    )
    .await
    .unwrap();
    for step in [
        Step::Assign {
            official_id: urzednik,
        },
        Step::Start,
    ] {
        store::apply_step(&mut tx, &actor, case.id, step)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    app.login("urzednik").await;
    let path = format!("/staff/cases/{}/actions/delay_notice", case.id);
    let today = today.to_string();
    let after_a_year = case
        .due_date
        .checked_add(jiff::Span::new().years(1).days(1))
        .unwrap()
        .to_string();
    for (new_due, reason, message) in [
        ("9999-12-31", "Opinia biegłego", "najwyżej rok po obecnym"),
        (
            after_a_year.as_str(),
            "Opinia biegłego",
            "najwyżej rok po obecnym",
        ),
        (after_a_year.as_str(), "", "najwyżej rok po obecnym"),
    ] {
        let r = app
            .post_form(
                &path,
                &[
                    ("issued_on", &today),
                    ("new_due", new_due),
                    ("reason", reason),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{new_due}");
        assert!(r.body.contains(message), "{new_due}: {}", r.body);
    }
    let within = case
        .due_date
        .checked_add(jiff::Span::new().months(2))
        .unwrap()
        .to_string();
    let no_reason = app
        .post_form(
            &path,
            &[
                ("issued_on", &today),
                ("new_due", &within),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Podaj przyczynę"));
    let ok = app
        .post_form(
            &path,
            &[
                ("issued_on", &today),
                ("new_due", &within),
                ("reason", "Opinia biegłego"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM case_delay_notice WHERE case_id = {}",
            case.id
        ))
        .await,
        1
    );
}

/// Finding 9: a letter names a case that exists and that its registrar may link.
async fn correspondence_names_an_existing_case(app: TestApp) {
    app.login("obsluga").await;
    let unit = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let today = app.clock().today().to_string();
    let existing = app.count("SELECT MIN(id) FROM case_file").await.to_string();
    let form = |case_id: &str| {
        vec![
            ("channel", "post".to_owned()),
            ("received_on", today.clone()),
            ("received_time", "00:00".to_owned()),
            ("org_unit_id", unit.clone()),
            ("sender_name", "Zofia Adamska".to_owned()),
            (
                "sender_address",
                "ul. Klonowa 7\n62-300 Borowiec".to_owned(),
            ),
            ("subject", "Uzupełnienie wniosku".to_owned()),
            ("case_id", case_id.to_owned()),
        ]
    };
    let before = app.count("SELECT COUNT(*) FROM incoming_item").await;
    let unknown = form("999999");
    let unknown: Vec<(&str, &str)> = unknown.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .post_multipart("/staff/correspondence/new", &unknown, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Nie ma takiej sprawy"), "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM incoming_item").await,
        before
    );
    let known = form(&existing);
    let known: Vec<(&str, &str)> = known.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .post_multipart("/staff/correspondence/new", &known, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// Finding 9: the API's own error codes have messages; a web page is neither a PDF nor
/// an XML document; a client's request id is kept only when it is one.
async fn api_errors_files_and_request_ids(app: TestApp) {
    let mut broken = application("Anna");
    broken["files"][0]["content_base64"] = json!("***");
    let r = api_from(&app, "192.0.2.30", &broken, "base64-key-00000001").await;
    assert_eq!(r.json()["error"]["code"], "bad-base64");
    assert_eq!(
        r.json()["error"]["message"],
        "Zawartość pliku nie jest poprawnym base64."
    );
    let r = api_from(&app, "192.0.2.30", &application("Anna"), "bad key!").await;
    assert_eq!(r.json()["error"]["code"], "idempotency-key");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("16–64 znaki")
    );

    let page = b"<!DOCTYPE html><html><!-- %PDF-1.4 --><script>alert(document.cookie)</script>\n<!-- %%EOF -->\n</html>";
    let mut html = application("Anna");
    html["files"][0]["content_base64"] =
        json!(base64::engine::general_purpose::STANDARD.encode(page));
    let r = api_from(&app, "192.0.2.30", &html, "html-pdf-key-000001").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["error"]["fields"]["fee_proof"].is_string());
    assert_eq!(app.count("SELECT COUNT(*) FROM application").await, 0);

    let with_id = |id: &str| {
        Request::get("/health/live")
            .header("x-request-id", id)
            .body(Body::empty())
            .unwrap()
    };
    let kept = app.send(with_id("proxy-42.a_B")).await;
    assert_eq!(kept.headers["x-request-id"], "proxy-42.a_B");
    for unfit in ["a".repeat(65), "<script>".to_owned(), "a b".to_owned()] {
        let r = app.send(with_id(&unfit)).await;
        let id = r.headers["x-request-id"].to_str().unwrap();
        assert_ne!(id, unfit);
        assert!(
            id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "{id}"
        );
    }
}

/// Finding 9 (and issue 17): a web page declared as XML is not an XML document, even
/// when the browser says `application/xml`; a real XML document (an ePUAP letter) is.
async fn an_xml_upload_that_is_html_is_refused(app: TestApp) {
    app.login("obsluga").await;
    let unit = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    let today = app.clock().today().to_string();
    let fields = [
        ("channel", "post"),
        ("received_on", today.as_str()),
        ("received_time", "00:00"),
        ("org_unit_id", unit.as_str()),
        ("sender_name", "Zofia Adamska"),
        ("sender_address", "ul. Klonowa 7\n62-300 Borowiec"),
        ("subject", "Pismo z płytą CD"),
    ];
    let before = app.count("SELECT COUNT(*) FROM incoming_item").await;
    let page: &[u8] =
        b"<html><head><title>x</title></head><body><script>alert(1)</script></body></html>";
    let (r, letters) = register_with_xml(&app, &fields, page).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The file, and nothing else, is what the form is refused for.
    assert_eq!(
        r.body.matches("class=\"field-error\"").count(),
        1,
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"f-attachments-error\""), "{}", r.body);
    assert_eq!(letters, before);
    let letter: &[u8] =
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Dokument><Tresc>Wniosek</Tresc></Dokument>\n";
    let (r, letters) = register_with_xml(&app, &fields, letter).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(letters, before + 1);
}

/// Registers a letter at the desk's form with one file, `pismo.xml` declared
/// `application/xml`: the answer, and the letters in the register after it.
async fn register_with_xml(
    app: &TestApp,
    fields: &[(&str, &str)],
    content: &[u8],
) -> (TestResponse, i64) {
    let r = app
        .post_multipart(
            "/staff/correspondence/new",
            fields,
            &[("attachments", "pismo.xml", "application/xml", content)],
        )
        .await;
    (r, app.count("SELECT COUNT(*) FROM incoming_item").await)
}

backend_tests!(
    an_xml_upload_that_is_html_is_refused,
    a_delay_notice_is_bounded_and_gives_a_reason,
    correspondence_names_an_existing_case,
    api_errors_files_and_request_ids,
    an_idempotency_key_is_bound_to_its_client_and_request,
    a_forms_submission_key_is_bound_to_its_browser_and_answers,
    redirects_stay_on_this_site,
    control_characters_are_refused_at_the_boundary,
    email_addresses_with_line_breaks_are_refused,
    like_wildcards_are_letters_in_searches,
);
