//! Problem reports, Open311 GeoReport v2 and API keys end to end, on both backends,
//! written from the spec (open311/open311.github.io `GeoReport/v2/index.md`; the
//! rules quoted in /work/shared/reference/anchors.md §1): every endpoint in XML and
//! JSON with the spec's element names, its filters and defaults, its error list with
//! the right status for bad input of every kind; keys created, used (on record),
//! revoked (refused at once, on another app server too) and limited; the public form
//! with a photo proven by content, and an official assigning, commenting and closing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use magistrat::api_keys::service::{self as keys, KeySecret};
use magistrat::app::{self, AppState};
use magistrat::db::audit::Actor;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, TestResponse, test_config};

/// Friday 4 December 2026, 10:00:00 UTC: a minute starts (the limits count minutes).
async fn friday(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-04T10:00:00Z").await
}

backend_tests!(
    spawn = super::friday;
    discovery_and_services_in_both_formats,
    post_requests_creates_and_refuses_in_the_spec_format,
    get_requests_filters_defaults_and_errors,
    keys_are_created_used_on_record_and_revoked_everywhere,
    keys_and_addresses_are_limited_with_retry_after,
    public_form_photo_and_an_official_closing_it,
    cli_adds_and_revokes_keys,
);

const BASE: &str = "/open311/v2";

async fn key(app: &TestApp, name: &str) -> String {
    keys::create(
        &app.db,
        &KeySecret::default(),
        &Actor::system("test"),
        name,
        "reports:create",
    )
    .await
    .unwrap()
    .1
}

async fn post(app: &TestApp, file: &str, fields: &[(&str, &str)]) -> TestResponse {
    app.post_raw(&format!("{BASE}/{file}"), fields).await
}

fn assert_xml(r: &TestResponse) {
    assert_eq!(
        r.headers[header::CONTENT_TYPE].to_str().unwrap(),
        "text/xml; charset=utf-8",
        "{}",
        r.body
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{}",
        r.body
    );
}

fn assert_json(r: &TestResponse) -> Value {
    assert_eq!(
        r.headers[header::CONTENT_TYPE].to_str().unwrap(),
        "application/json; charset=utf-8",
        "{}",
        r.body
    );
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

/// An error response in the spec's shape: `status`, a list of {code, description}.
fn assert_errors(r: &TestResponse, status: StatusCode, xml: bool) {
    assert_eq!(r.status, status, "{}", r.body);
    if xml {
        assert_xml(r);
        assert!(r.body.contains("<errors><error><code>"), "{}", r.body);
        assert!(r.body.contains("<description>"), "{}", r.body);
    } else {
        let v = assert_json(r);
        let list = v.as_array().unwrap_or_else(|| panic!("{}", r.body));
        assert!(!list.is_empty());
        for e in list {
            assert!(e["code"].is_u64(), "{}", r.body);
            assert!(e["description"].is_string(), "{}", r.body);
        }
    }
}

/// W3C date-time with an offset, as the spec demands.
fn assert_w3c(s: &str) {
    assert!(
        s.len() == 25
            && s.as_bytes()[10] == b'T'
            && (s.ends_with(":00") && s.as_bytes()[19] == b'+'),
        "{s}"
    );
    s.parse::<jiff::Timestamp>().unwrap();
}

async fn discovery_and_services_in_both_formats(app: TestApp) {
    let d = app.get(&format!("{BASE}/discovery.json")).await;
    assert_eq!(d.status, StatusCode::OK);
    let d = assert_json(&d);
    for field in ["changeset", "contact", "key_service"] {
        assert!(d[field].is_string(), "{field}: {d}");
    }
    let endpoint = &d["endpoints"][0];
    assert_eq!(
        endpoint["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"));
    assert_eq!(endpoint["type"], "production");
    assert_eq!(
        endpoint["formats"],
        serde_json::json!(["text/xml", "application/json"])
    );
    let x = app.get(&format!("{BASE}/discovery.xml")).await;
    assert_eq!(x.status, StatusCode::OK);
    assert_xml(&x);
    assert!(x.body.contains("<discovery><changeset>"), "{}", x.body);
    assert!(x.body.contains(
        "<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>"
    ));
    assert!(
        x.body.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        )
    );

    // services: a JSON array of the demo's 11 categories, each with the spec's fields.
    let s = assert_json(&app.get(&format!("{BASE}/services.json")).await);
    let list = s.as_array().unwrap();
    assert_eq!(list.len(), 11, "{s}");
    for service in list {
        for field in [
            "service_code",
            "service_name",
            "description",
            "type",
            "keywords",
            "group",
        ] {
            assert!(service[field].is_string(), "{field}: {service}");
        }
        assert!(service["metadata"].is_boolean());
        assert_eq!(service["type"], "realtime");
    }
    let pothole = list.iter().find(|s| s["service_code"] == "DZIURA").unwrap();
    assert_eq!(pothole["metadata"], true);
    assert_eq!(pothole["group"], "Drogi");
    let x = app.get(&format!("{BASE}/services.xml")).await;
    assert_xml(&x);
    assert_eq!(x.body.matches("<service>").count(), 11);
    assert!(
        x.body
            .contains("<services><service><service_code>DZIURA</service_code>"),
        "{}",
        x.body
    );

    // The service definition of a category with attributes.
    let def = assert_json(&app.get(&format!("{BASE}/services/DZIURA.json")).await);
    assert_eq!(def["service_code"], "DZIURA");
    let attrs = def["attributes"].as_array().unwrap();
    assert_eq!(attrs[0]["code"], "ROZMIAR");
    assert_eq!(attrs[0]["datatype"], "singlevaluelist");
    assert_eq!(attrs[0]["required"], true);
    assert_eq!(attrs[0]["variable"], true);
    assert_eq!(attrs[0]["order"], 1);
    assert_eq!(attrs[0]["values"][0]["key"], "mala");
    assert_eq!(attrs[1]["datatype"], "number");
    let x = app.get(&format!("{BASE}/services/DZIURA.xml")).await;
    assert_xml(&x);
    assert!(x.body.contains("<service_definition><service_code>DZIURA</service_code><attributes><attribute><variable>true</variable><code>ROZMIAR</code>"), "{}", x.body);
    assert!(x.body.contains("<values><value><key>mala</key><name>"));

    // What does not exist: 404 in the spec's error format, in the format asked for.
    for (path, xml) in [
        ("services/NIEMA.json", false),
        ("services/NIEMA.xml", true),
        ("requests/999999.json", false),
        ("requests/999999.xml", true),
        ("requests/abc.json", false),
        ("request/999999.xml", true),
        ("tokens/nope.json", false),
        ("nothing.json", false),
        ("services.json?jurisdiction_id=krakow.pl", false),
        ("services.xml?jurisdiction_id=krakow.pl", true),
    ] {
        let r = app.get(&format!("{BASE}/{path}")).await;
        assert_errors(&r, StatusCode::NOT_FOUND, xml);
    }
    // The office's own jurisdiction, or an empty one, is fine.
    for q in ["?jurisdiction_id=borowiec.example.pl", "?jurisdiction_id="] {
        assert_eq!(
            app.get(&format!("{BASE}/services.json{q}")).await.status,
            StatusCode::OK
        );
    }
    // An unknown suffix is not a resource: XML, the required format.
    assert_errors(
        &app.get(&format!("{BASE}/services.html")).await,
        StatusCode::NOT_FOUND,
        true,
    );
}

async fn post_requests_creates_and_refuses_in_the_spec_format(app: TestApp) {
    let k = key(&app, "Aplikacja testowa").await;
    let before = app.count("SELECT COUNT(*) FROM problem_report").await;

    // JSON: a pothole by coordinates, with attributes, contact and media_url.
    let r = post(
        &app,
        "requests.json",
        &[
            ("api_key", &k),
            ("jurisdiction_id", "borowiec.example.pl"),
            ("service_code", "DZIURA"),
            ("lat", "52.1401"),
            ("long", "21.2202"),
            ("address_string", "ul. Lipowa 3"),
            ("description", "Głęboka dziura przy przejściu"),
            ("attribute[ROZMIAR]", "duza"),
            ("attribute[GLEBOKOSC]", "12"),
            ("email", "jan@example.pl"),
            ("first_name", "Jan"),
            ("media_url", "https://example.pl/dziura.jpg"),
            ("device_id", ""),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = assert_json(&r);
    let item = &v.as_array().unwrap()[0];
    let id = item["service_request_id"].as_str().unwrap().to_owned();
    // service_request_id or token, never both.
    assert!(item.get("token").is_none());
    assert!(item["service_notice"].is_string());

    // XML: by address only, no attributes needed for this service.
    let r = post(
        &app,
        "requests.xml",
        &[
            ("api_key", &k),
            ("service_code", "SMIECI"),
            ("address_string", "ul. Leśna, przy zagajniku"),
            ("description", "Worki ze śmieciami & gruz <3"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_xml(&r);
    assert!(
        r.body
            .contains("<service_requests><request><service_request_id>"),
        "{}",
        r.body
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM problem_report").await,
        before + 2
    );

    // The request reads back, as a list, with the spec's fields.
    for path in [format!("requests/{id}.json"), format!("request/{id}.json")] {
        let got = assert_json(&app.get(&format!("{BASE}/{path}")).await);
        let one = &got.as_array().unwrap()[0];
        assert_eq!(one["service_request_id"], id.as_str());
        assert_eq!(one["status"], "open");
        assert_eq!(one["service_code"], "DZIURA");
        assert_eq!(one["service_name"], "Dziura w jezdni lub chodniku");
        assert_eq!(one["lat"], 52.1401);
        assert_eq!(one["long"], 21.2202);
        assert_eq!(one["address"], "ul. Lipowa 3");
        assert_eq!(one["media_url"], "https://example.pl/dziura.jpg");
        assert_eq!(
            one["agency_responsible"],
            "Wydział Gospodarki Komunalnej i Ochrony Środowiska"
        );
        assert_w3c(one["requested_datetime"].as_str().unwrap());
        assert_w3c(one["expected_datetime"].as_str().unwrap());
        // 14 days' term for potholes.
        assert!(
            one["expected_datetime"]
                .as_str()
                .unwrap()
                .starts_with("2026-12-18T")
        );
        // The reporter's contact stays internal.
        assert!(!got.to_string().contains("jan@example.pl"));
    }
    let x = app.get(&format!("{BASE}/requests/{id}.xml")).await;
    assert_xml(&x);
    for element in [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ] {
        assert!(
            x.body.contains(&format!("<{element}>")) || x.body.contains(&format!("<{element}/>")),
            "{element}: {}",
            x.body
        );
    }

    // Bad input, each in the spec's error list with its status; nothing stored.
    let long = "x".repeat(4_001);
    let unknown_key = format!("mgk_{}_{}", "0".repeat(12), "0".repeat(64));
    type Case<'a> = (Vec<(&'a str, &'a str)>, StatusCode, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![
                ("service_code", "DZIURA"),
                ("address_string", "a"),
                ("attribute[ROZMIAR]", "mala"),
            ],
            StatusCode::FORBIDDEN,
            "api_key",
        ),
        (
            vec![("api_key", "xyz"), ("service_code", "DZIURA")],
            StatusCode::FORBIDDEN,
            "api_key",
        ),
        (
            vec![("api_key", &unknown_key), ("service_code", "DZIURA")],
            StatusCode::FORBIDDEN,
            "api_key",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "NIEMA"),
                ("address_string", "a"),
            ],
            StatusCode::BAD_REQUEST,
            "NIEMA",
        ),
        (
            vec![("api_key", &k), ("address_string", "a")],
            StatusCode::BAD_REQUEST,
            "service_code",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("lat", "95"),
                ("long", "21"),
            ],
            StatusCode::BAD_REQUEST,
            "-90",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("lat", "50.06"),
                ("long", "19.94"),
            ],
            StatusCode::BAD_REQUEST,
            "outside",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("lat", "abc"),
                ("long", "21.2"),
            ],
            StatusCode::BAD_REQUEST,
            "numbers",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("lat", "52.14"),
            ],
            StatusCode::BAD_REQUEST,
            "both",
        ),
        (
            vec![("api_key", &k), ("service_code", "SMIECI")],
            StatusCode::BAD_REQUEST,
            "address_string",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("address_string", "a"),
                ("description", &long),
            ],
            StatusCode::BAD_REQUEST,
            "4,000",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("address_string", "a"),
                ("description", "<b>x</b>"),
            ],
            StatusCode::BAD_REQUEST,
            "HTML",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "DZIURA"),
                ("address_string", "a"),
            ],
            StatusCode::BAD_REQUEST,
            "ROZMIAR",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "DZIURA"),
                ("address_string", "a"),
                ("attribute[ROZMIAR]", "ogromna"),
            ],
            StatusCode::BAD_REQUEST,
            "ROZMIAR",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "DZIURA"),
                ("address_string", "a"),
                ("attribute[ROZMIAR]", "mala"),
                ("attribute[GLEBOKOSC]", "głęboko"),
            ],
            StatusCode::BAD_REQUEST,
            "GLEBOKOSC",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("address_string", "a"),
                ("media_url", "javascript:alert(1)"),
            ],
            StatusCode::BAD_REQUEST,
            "media_url",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("address_string", "a"),
                ("email", "nie-mail"),
            ],
            StatusCode::BAD_REQUEST,
            "e-mail",
        ),
        (
            vec![
                ("api_key", &k),
                ("service_code", "SMIECI"),
                ("address_string", "a"),
                ("jurisdiction_id", "krakow.pl"),
            ],
            StatusCode::NOT_FOUND,
            "jurisdiction_id",
        ),
    ];
    for (fields, status, says) in &cases {
        for file in ["requests.json", "requests.xml"] {
            let r = post(&app, file, fields).await;
            assert_errors(&r, *status, file.ends_with("xml"));
            assert!(r.body.contains(says), "{fields:?}: {}", r.body);
        }
    }
    // Several problems at once: several errors.
    let r = post(
        &app,
        "requests.json",
        &[
            ("api_key", &k),
            ("service_code", "DZIURA"),
            ("lat", "95"),
            ("long", "0"),
            ("description", "<i>"),
        ],
    )
    .await;
    assert_errors(&r, StatusCode::BAD_REQUEST, false);
    assert!(r.json().as_array().unwrap().len() >= 3, "{}", r.body);
    // Malformed bodies: JSON, XML, garbage, wrong content type — never a 500.
    for (content_type, body) in [
        (
            "application/json",
            r#"{"api_key": "x", "service_code": "DZIURA"}"#.to_owned(),
        ),
        (
            "text/xml",
            "<request><api_key>x</api_key></request>".to_owned(),
        ),
        (
            "application/x-www-form-urlencoded",
            "%%%&&&===;;;".to_owned(),
        ),
        (
            "application/x-www-form-urlencoded",
            format!("api_key={k}&service_code=%FF%FE&address_string=a"),
        ),
        (
            "application/x-www-form-urlencoded",
            "{\"api_key\":1}".to_owned(),
        ),
    ] {
        let r = app
            .send(
                Request::post(format!("{BASE}/requests.json"))
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body.clone()))
                    .unwrap(),
            )
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::FORBIDDEN,
            "{body}: {} {}",
            r.status,
            r.body
        );
        assert_errors(&r, r.status, false);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM problem_report").await,
        before + 2
    );
}

async fn get_requests_filters_defaults_and_errors(app: TestApp) {
    let now = "2026-12-04T10:00:00Z";
    let in_window = app
        .count(&format!(
            "SELECT COUNT(*) FROM problem_report WHERE requested_at >= {}",
            app_time(&app, "2026-09-05T10:00:00Z")
        ))
        .await;
    let all = app.count("SELECT COUNT(*) FROM problem_report").await;
    assert!(
        all > in_window && in_window > 100,
        "the demo reaches past 90 days: {all} {in_window}"
    );

    // Default: the last 90 days, newest first.
    let v = assert_json(&app.get(&format!("{BASE}/requests.json")).await);
    let list = v.as_array().unwrap();
    assert_eq!(i64::try_from(list.len()).unwrap(), in_window);
    let times: Vec<jiff::Timestamp> = list
        .iter()
        .map(|r| r["requested_datetime"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        times
            .iter()
            .all(|t| *t <= now.parse::<jiff::Timestamp>().unwrap())
    );
    for status in ["open", "closed"] {
        assert!(list.iter().any(|r| r["status"] == status), "{status}");
    }
    let closed = list.iter().find(|r| r["status"] == "closed").unwrap();
    assert!(closed["status_notes"].is_string());
    let x = app.get(&format!("{BASE}/requests.xml")).await;
    assert_xml(&x);
    assert_eq!(
        i64::try_from(x.body.matches("<request>").count()).unwrap(),
        in_window
    );

    // Filters: status, service_code (lists), ids override all.
    let closed = assert_json(
        &app.get(&format!("{BASE}/requests.json?status=closed"))
            .await,
    );
    assert!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "closed")
    );
    let both = assert_json(
        &app.get(&format!("{BASE}/requests.json?status=open,closed"))
            .await,
    );
    assert_eq!(both.as_array().unwrap().len(), list.len());
    let two = assert_json(
        &app.get(&format!("{BASE}/requests.json?service_code=DZIURA,SMIECI"))
            .await,
    );
    assert!(!two.as_array().unwrap().is_empty());
    assert!(
        two.as_array()
            .unwrap()
            .iter()
            .all(|r| r["service_code"] == "DZIURA" || r["service_code"] == "SMIECI")
    );
    let oldest = app.count("SELECT MIN(id) FROM problem_report").await;
    let ids = assert_json(
        &app.get(&format!("{BASE}/requests.json?service_request_id={oldest},{}&status=open&start_date=2026-12-01T00:00:00Z", oldest + 1))
            .await,
    );
    assert_eq!(
        ids.as_array().unwrap().len(),
        2,
        "ids override the other filters"
    );

    // Dates: a window within 90 days, with offsets.
    let w = assert_json(
        &app.get(&format!("{BASE}/requests.json?start_date=2026-11-01T00:00:00%2B01:00&end_date=2026-11-30T23:59:59%2B01:00"))
            .await,
    );
    for r in w.as_array().unwrap() {
        let t: jiff::Timestamp = r["requested_datetime"].as_str().unwrap().parse().unwrap();
        assert!(
            t >= "2026-10-31T23:00:00Z".parse().unwrap()
                && t <= "2026-11-30T22:59:59Z".parse().unwrap()
        );
    }
    let updated = assert_json(
        &app.get(&format!(
            "{BASE}/requests.json?updated_after=2026-12-01T00:00:00Z"
        ))
        .await,
    );
    assert!(updated.as_array().unwrap().iter().all(|r| {
        r["updated_datetime"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
            > "2026-12-01T00:00:00Z".parse().unwrap()
    }));

    // Paging: page_size and page, the next page announced.
    let p1 = app.get(&format!("{BASE}/requests.json?page_size=10")).await;
    assert!(p1.headers.contains_key("x-next-page-url"));
    let p1 = assert_json(&p1);
    let p2 = assert_json(
        &app.get(&format!("{BASE}/requests.json?page_size=10&page=2"))
            .await,
    );
    assert_eq!(p1.as_array().unwrap().len(), 10);
    assert_eq!(p2.as_array().unwrap()[0], list[10]);

    // Near a point: every result within the radius.
    let near = assert_json(
        &app.get(&format!(
            "{BASE}/requests.json?lat=52.14&long=21.22&radius=1500"
        ))
        .await,
    );
    let near = near.as_array().unwrap();
    assert!(!near.is_empty() && near.len() < list.len());
    for r in near {
        let (lat, lon) = (r["lat"].as_f64().unwrap(), r["long"].as_f64().unwrap());
        let d = magistrat_domain::problem_report::distance_m(
            magistrat_domain::problem_report::Point {
                lat: 52.14,
                lon: 21.22,
            },
            magistrat_domain::problem_report::Point { lat, lon },
        );
        assert!(d <= 1500.0, "{d}");
    }

    // Bad filters: the spec's 400 error list, in both formats.
    for q in [
        "start_date=2026-12-01",
        "start_date=2026-12-01T00:00:00",
        "start_date=yesterday",
        "end_date=2026-13-01T00:00:00Z",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z",
        "start_date=2026-12-02T00:00:00Z&end_date=2026-12-01T00:00:00Z",
        "status=pending",
        "service_code=NIEMA",
        "service_request_id=1,abc",
        "page_size=5000",
        "page_size=0",
        "page=-1",
        "lat=52.1",
        "lat=95&long=21",
        "lat=52.14&long=21.22&radius=999999",
        "updated_after=soon",
    ] {
        for fmt in ["json", "xml"] {
            let r = app.get(&format!("{BASE}/requests.{fmt}?{q}")).await;
            assert_errors(&r, StatusCode::BAD_REQUEST, fmt == "xml");
        }
    }

    // tokens/{token}: the id behind a report's token.
    let (id, token): (i64, String) = {
        let id = app.count("SELECT MAX(id) FROM problem_report").await;
        (
            id,
            app.scalar_text(&format!("SELECT token FROM problem_report WHERE id = {id}"))
                .await,
        )
    };
    let t = assert_json(&app.get(&format!("{BASE}/tokens/{token}.json")).await);
    assert_eq!(t[0]["service_request_id"], id.to_string());
    assert_eq!(t[0]["token"], token.as_str());
    let x = app.get(&format!("{BASE}/tokens/{token}.xml")).await;
    assert!(x.body.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><token>{token}</token></request></service_requests>")), "{}", x.body);
}

/// A moment as the backend's SQL compares it.
fn app_time(app: &TestApp, t: &str) -> String {
    let canonical = magistrat::db::UtcTime::from_timestamp(t.parse().unwrap()).to_canonical();
    match app.backend {
        Backend::Sqlite => format!("'{canonical}'"),
        Backend::Postgres => format!("CAST('{canonical}' AS TIMESTAMPTZ)"),
    }
}

async fn keys_are_created_used_on_record_and_revoked_everywhere(app: TestApp) {
    // Only administrators manage keys.
    app.login("urzednik").await;
    assert_eq!(
        app.get("/staff/api-keys").await.status,
        StatusCode::FORBIDDEN
    );
    app.logout().await;
    app.login("admin").await;
    assert_eq!(app.get("/staff/api-keys").await.status, StatusCode::OK);
    let r = app
        .post_form(
            "/staff/api-keys",
            &[("name", "Aplikacja Borowiec"), ("scopes", "reports:create")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let start = r.body.find("<code id=\"new-key\">").unwrap() + "<code id=\"new-key\">".len();
    let k = r.body[start..start + r.body[start..].find('<').unwrap()].to_owned();
    assert!(k.starts_with("mgk_") && k.len() == 4 + 12 + 1 + 64, "{k}");
    // Only a keyed hash is kept: not the key, not its plain SHA-256.
    let hash = app
        .scalar_text("SELECT hash FROM api_key WHERE name = 'Aplikacja Borowiec'")
        .await;
    assert_ne!(hash, k);
    assert_ne!(hash, magistrat::auth::secret::token_hash(&k));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE after_json LIKE '%{}%'",
            &k[17..]
        ))
        .await,
        0
    );
    // The same name again, or a bad one: the form with its errors.
    assert_eq!(
        app.post_form("/staff/api-keys", &[("name", "Aplikacja Borowiec")])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form("/staff/api-keys", &[("name", "<script>")])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form("/staff/api-keys", &[("name", "X"), ("scopes", "root")])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A second app server on the same database, started before the revocation.
    let other = app::router(AppState::new(
        app.db.clone(),
        test_config(&app.database_url),
    ));
    let fields = [
        ("api_key", k.as_str()),
        ("service_code", "KOSZ"),
        ("address_string", "Rynek 1"),
    ];
    let r = post(&app, "requests.json", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The use is on record, attributed to the key.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_event WHERE actor_login = 'apikey:Aplikacja Borowiec' AND entity_type = 'problem_report' AND entity_id = '{id}'")).await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM api_key WHERE last_used_at IS NOT NULL")
            .await,
        1
    );

    // Revoked in the staff UI: refused at once, here and on the other server.
    let key_id = app
        .count("SELECT id FROM api_key WHERE name = 'Aplikacja Borowiec'")
        .await;
    let r = app
        .post_form(&format!("/staff/api-keys/{key_id}/revoke"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = post(&app, "requests.xml", &fields).await;
    assert_errors(&r, StatusCode::FORBIDDEN, true);
    assert!(r.body.contains("revoked"), "{}", r.body);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::post(format!("{BASE}/requests.json"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40_001,
        ))));
    let response = tower::ServiceExt::oneshot(other, request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'api_key' AND action = 'api_key.revoke'").await, 1);
    // The list shows it revoked.
    assert!(
        app.get("/staff/api-keys")
            .await
            .body
            .contains("Aplikacja Borowiec")
    );
}

async fn keys_and_addresses_are_limited_with_retry_after(app: TestApp) {
    let k = key(&app, "Szybka aplikacja").await;
    let fields = [
        ("api_key", k.as_str()),
        ("service_code", "NIEMA"),
        ("address_string", "a"),
    ];
    for _ in 0..keys::PER_KEY_PER_MINUTE {
        assert_eq!(
            post(&app, "requests.json", &fields).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    let r = post(&app, "requests.json", &fields).await;
    assert_errors(&r, StatusCode::TOO_MANY_REQUESTS, false);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another key is not held back.
    let k2 = key(&app, "Druga aplikacja").await;
    app.set_peer("203.0.113.9");
    assert_eq!(
        post(
            &app,
            "requests.json",
            &[("api_key", k2.as_str()), ("service_code", "NIEMA")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    // A minute later the key may go on.
    app.clock().advance(jiff::SignedDuration::from_secs(61));
    assert_eq!(
        post(&app, "requests.json", &fields).await.status,
        StatusCode::BAD_REQUEST
    );

    // Per address: every Open311 request counts.
    app.set_peer("198.51.100.7");
    for _ in 0..keys::PER_ADDRESS_PER_MINUTE {
        assert_eq!(
            app.get(&format!("{BASE}/discovery.json")).await.status,
            StatusCode::OK
        );
    }
    let r = app.get(&format!("{BASE}/services.xml")).await;
    assert_errors(&r, StatusCode::TOO_MANY_REQUESTS, true);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    app.set_peer("198.51.100.8");
    assert_eq!(
        app.get(&format!("{BASE}/discovery.json")).await.status,
        StatusCode::OK
    );
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn public_form_photo_and_an_official_closing_it(app: TestApp) {
    // Step one lists the kinds; step two is the form of one, with its own questions.
    let kinds = app.get("/reports/new").await;
    assert_eq!(kinds.status, StatusCode::OK);
    assert!(kinds.body.contains("/reports/new?service_code=DZIURA"));
    let form = app.get("/reports/new?service_code=DZIURA").await;
    assert!(
        form.body.contains("name=\"attribute[ROZMIAR]\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    // A "photo" that is a PDF: refused by its content; nothing stored.
    let before = app.count("SELECT COUNT(*) FROM problem_report").await;
    let pdf = magistrat::attachments::tiny_pdf("x");
    let r = app
        .post_multipart(
            "/reports/new",
            &[
                ("service_code", "DZIURA"),
                ("address_string", "ul. Polna 4"),
                ("description", "Dziura"),
            ],
            &[("photos", "dziura.jpg", "image/jpeg", &pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Outside the area, and no kind chosen.
    let r = app
        .post_multipart(
            "/reports/new",
            &[("service_code", ""), ("lat", "50.06"), ("long", "19.94")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("poza obszarem gminy"), "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM problem_report").await,
        before
    );

    // A pothole with a photo, from the phone.
    let r = app
        .post_multipart(
            "/reports/new",
            &[
                ("service_code", "DZIURA"),
                ("lat", "52.1422"),
                ("long", "21.2301"),
                ("address_string", "ul. Polna 4"),
                ("description", "Dziura na całą szerokość pasa"),
                ("attribute[ROZMIAR]", "duza"),
            ],
            &[("photos", "dziura.png", "image/png", PNG)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().to_owned();
    let id: i64 = page.trim_start_matches("/reports/").parse().unwrap();
    let public = app.get(&page).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("przyjęte"));
    let photo = app
        .count(&format!(
            "SELECT attachment_id FROM problem_report_photo WHERE report_id = {id}"
        ))
        .await;
    let p = app.get(&format!("/reports/{id}/photos/{photo}")).await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        app.get(&format!("/reports/1/photos/{photo}")).await.status,
        StatusCode::NOT_FOUND
    );
    let o = assert_json(&app.get(&format!("{BASE}/requests/{id}.json")).await);
    assert!(
        o[0]["media_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/reports/{id}/photos/{photo}"))
    );

    // The official: list by category, status and area; assign, comment, close.
    app.login("urzednik").await;
    let list = app
        .get("/staff/reports?category=DZIURA&status=open&lat=52.1422&long=21.2301&radius=50")
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains(&format!("/staff/reports/{id}\"")),
        "{}",
        list.body
    );
    assert!(
        app.get("/staff/reports?status=closed")
            .await
            .body
            .contains("zamknięte")
    );
    assert_eq!(
        app.get(&format!("/staff/reports/{id}")).await.status,
        StatusCode::OK
    );
    let me = app
        .count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await
        .to_string();
    assert_eq!(
        app.post_form(&format!("/staff/reports/{id}/assign"), &[("official", &me)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT status FROM problem_report WHERE id = {id}"
        ))
        .await,
        "in_progress"
    );
    assert_eq!(
        app.post_form(
            &format!("/staff/reports/{id}/assign"),
            &[("official", "999999")]
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form(
            &format!("/staff/reports/{id}/comment"),
            &[("note", "Zlecono naprawę firmie drogowej.")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&format!("/staff/reports/{id}/close"), &[("note", "  ")])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form(
            &format!("/staff/reports/{id}/close"),
            &[("note", "Ubytek załatano 4 grudnia.")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    // Closing twice is refused, not a 500.
    assert_eq!(
        app.post_form(
            &format!("/staff/reports/{id}/close"),
            &[("note", "Jeszcze raz")]
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_form(&format!("/staff/reports/{id}/nonsense"), &[("note", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_form("/staff/reports/999999/close", &[("note", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'problem_report' AND entity_id = '{id}' AND actor_login = 'urzednik'")).await,
        3
    );
    app.logout().await;

    // The public sees the note, on the page and over Open311.
    let public = app.get(&page).await;
    assert!(
        public.body.contains("Ubytek załatano 4 grudnia."),
        "{}",
        public.body
    );
    assert!(public.body.contains("Zlecono naprawę firmie drogowej."));
    let o = assert_json(&app.get(&format!("{BASE}/requests/{id}.json")).await);
    assert_eq!(o[0]["status"], "closed");
    assert_eq!(o[0]["status_notes"], "Ubytek załatano 4 grudnia.");
    // A front-desk official does not handle reports.
    app.login("obsluga").await;
    assert_eq!(
        app.get("/staff/reports").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn cli_adds_and_revokes_keys(app: TestApp) {
    let env = [("MAGISTRAT_DATABASE_URL", app.database_url.as_str())];
    let out = crate::cli::magistrat(
        &[
            "apikey",
            "add",
            "--name",
            "Integrator CLI",
            "--scope",
            "reports:create",
        ],
        &env,
        None,
    );
    assert!(out.status.success(), "{}", crate::cli::text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let k = stdout.lines().last().unwrap().trim().to_owned();
    assert!(k.starts_with("mgk_"), "{stdout}");
    let fields = [
        ("api_key", k.as_str()),
        ("service_code", "KOSZ"),
        ("address_string", "Rynek 2"),
    ];
    assert_eq!(
        post(&app, "requests.json", &fields).await.status,
        StatusCode::OK
    );
    // A bad scope or a taken name: exit code 2, nothing created.
    let out = crate::cli::magistrat(
        &["apikey", "add", "--name", "Inny", "--scope", "root"],
        &env,
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = crate::cli::magistrat(&["apikey", "add", "--name", "Integrator CLI"], &env, None);
    assert_eq!(out.status.code(), Some(2));
    let out = crate::cli::magistrat(
        &["apikey", "revoke", "--name", "Integrator CLI"],
        &env,
        None,
    );
    assert!(out.status.success(), "{}", crate::cli::text(&out));
    assert_errors(
        &post(&app, "requests.json", &fields).await,
        StatusCode::FORBIDDEN,
        false,
    );
    let out = crate::cli::magistrat(&["apikey", "revoke", "--name", "Nie ma"], &env, None);
    assert_eq!(out.status.code(), Some(2));
}
