//! Visit booking end to end, on both backends (decision 0033): the slots of a day, a
//! booking through the API and the web form, the confirmation mail with the documents
//! to bring and its calendar event, the reminder job, cancellation, the last place of
//! a slot booked by many clients at once, and check-in at the kiosk by code, PESEL or
//! phone number with the booked visit called at its time.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use magistrat::db::audit::Actor;
use magistrat::service_point::booking::{self, NewBooking, Settings};
use magistrat::service_point::service;
use magistrat::service_point::store::Act;
use tower::ServiceExt;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};
use crate::smtp_sink::SmtpSink;

/// Tuesday 8 December 2026, 10:30 in Warsaw; the window runs Wednesday 9th to the 22nd.
async fn tuesday_morning(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T09:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_morning;
    slots_bookings_and_refusals,
    the_web_form_books_and_cancels,
    the_last_place_goes_to_one_of_many_at_once,
    check_in_at_the_kiosk_and_the_call_order,
);

backend_tests!(confirmation_and_reminder_by_mail);

const TOWN_HALL: i64 = 1;
const SLOT: &str = "2026-12-09T12:30:00+01:00";

async fn post_json(app: &TestApp, path: &str, json: &str) -> crate::helpers::TestResponse {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap(),
    )
    .await
}

fn booking_json(point: i64, start: &str, name: &str, extra: &str) -> String {
    format!(
        r#"{{"service_point":{point},"category":"U","start":"{start}","name":"{name}","email":"jan@example.pl"{extra}}}"#
    )
}

async fn slots(app: &TestApp, point: i64, date: &str) -> Vec<(String, u64)> {
    let r = app
        .get(&format!(
            "/api/v1/service-points/{point}/slots?category=U&date={date}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_str().unwrap().to_owned(),
                s["available"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn available(list: &[(String, u64)], start: &str) -> Option<u64> {
    list.iter().find(|(s, _)| s == start).map(|(_, n)| *n)
}

async fn slots_bookings_and_refusals(app: TestApp) {
    // The town hall (07:30–15:30): 12-minute slots, two desks serve U.
    let day = slots(&app, TOWN_HALL, "2026-12-09").await;
    assert_eq!(day[0].0, "2026-12-09T07:30:00+01:00", "{day:?}");
    assert_eq!(day.len(), 40, "07:30–15:30 by 12 minutes");
    assert_eq!(available(&day, SLOT), Some(2));
    // Today, after the window and a Sunday have no slots.
    for date in ["2026-12-08", "2026-12-23", "2026-12-13"] {
        assert!(slots(&app, TOWN_HALL, date).await.is_empty(), "{date}");
    }

    let r = post_json(
        &app,
        "/api/v1/bookings",
        &booking_json(
            1,
            SLOT,
            "Jan Kowalski",
            r#","phone":"601 234 567","service_card":"SA-4""#,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = r.json();
    let code = made["code"].as_str().unwrap();
    assert!(
        code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(made["start"], SLOT);
    assert!(made["url"].as_str().unwrap().starts_with("/bookings/"));
    assert_eq!(
        available(&slots(&app, TOWN_HALL, "2026-12-09").await, SLOT),
        Some(1)
    );
    // The phone is kept as its nine digits (check-in by phone); the matter is SA-4.
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT phone FROM sp_booking WHERE code = '{code}'"
        ))
        .await,
        "601234567"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_booking b JOIN service_card c ON c.id = b.card_id \
             WHERE b.code = '{code}' AND c.code = 'SA-4'"
        ))
        .await,
        1
    );

    // The second place, then the slot is full: 409 in the API's error shape.
    let r = post_json(
        &app,
        "/api/v1/bookings",
        &booking_json(1, SLOT, "Ewa Nowak", ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post_json(
        &app,
        "/api/v1/bookings",
        &booking_json(1, SLOT, "Adam Mały", ""),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "slot-full");
    assert_eq!(
        available(&slots(&app, TOWN_HALL, "2026-12-09").await, SLOT),
        Some(0)
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sp_booking WHERE day = '2026-12-09' AND name IN \
             ('Jan Kowalski', 'Ewa Nowak', 'Adam Mały')"
        )
        .await,
        2
    );
    // Each booking is audited; the event holds no contact data.
    let after = app
        .scalar_text(
            "SELECT after_json FROM audit_event WHERE entity_type = 'sp_booking' \
             ORDER BY seq DESC LIMIT 1",
        )
        .await;
    assert!(
        after.contains("starts_at") && !after.contains("example.pl"),
        "{after}"
    );

    // Refusals, each with a clear answer and nothing stored.
    let before = app.count("SELECT COUNT(*) FROM sp_booking").await;
    let cases: Vec<(String, StatusCode, &str, &str)> = vec![
        // Not on a slot's start.
        (booking_json(1, "2026-12-09T12:31:00+01:00", "X Y", ""), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "start"),
        // Outside the window.
        (booking_json(1, "2026-12-08T14:30:00+01:00", "X Y", ""), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "start"),
        (booking_json(1, "jutro", "X Y", ""), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "start"),
        (booking_json(1, SLOT, "", ""), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "name"),
        (booking_json(1, SLOT, "X Y", r#","phone":"123""#), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "phone"),
        // SA-2 is not a matter of U.
        (booking_json(1, SLOT, "X Y", r#","service_card":"SA-2""#), StatusCode::UNPROCESSABLE_ENTITY, "invalid-submission", "service_card"),
        (r#"{"service_point":1,"category":"A","start":"2026-12-09T12:30:00+01:00","name":"X","email":"x@example.pl"}"#.to_owned(), StatusCode::UNPROCESSABLE_ENTITY, "unknown-category", "category"),
        (booking_json(999, SLOT, "X Y", ""), StatusCode::NOT_FOUND, "not-found", ""),
    ];
    for (json, status, code, field) in cases {
        let r = post_json(&app, "/api/v1/bookings", &json).await;
        assert_eq!(r.status, status, "{json}: {}", r.body);
        let error = &r.json()["error"];
        assert_eq!(error["code"], code, "{json}: {}", r.body);
        if !field.is_empty() {
            assert!(error["fields"][field].is_string(), "{json}: {}", r.body);
        }
    }
    let r = post_json(
        &app,
        "/api/v1/bookings",
        r#"{"service_point":1,"category":"U","start":"x","name":"X","email":"not-an-address"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["fields"]["email"].is_string());
    assert_eq!(app.count("SELECT COUNT(*) FROM sp_booking").await, before);

    // The slots' refusals.
    for (path, status) in [
        (
            "/api/v1/service-points/1/slots?category=A&date=2026-12-09",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/service-points/1/slots?category=U&date=9.12.2026",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/service-points/999/slots?category=U&date=2026-12-09",
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/service-points/1/slots?date=2026-12-09",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
    }
}

async fn the_web_form_books_and_cancels(app: TestApp) {
    let first = app.get("/service-points/1/book").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("name=\"matter\"") && first.body.contains("name=\"date\""));
    let card = app
        .count("SELECT id FROM service_card WHERE code = 'SA-4'")
        .await;
    let matter = format!("U:{card}");
    let second = app
        .get(&format!(
            "/service-points/1/book?matter=U%3A{card}&date=2026-12-09"
        ))
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains(SLOT), "{}", second.body);
    assert!(second.body.contains(">12:30<") || second.body.contains(">12:30 "));

    // Problems: the form back with every one of them.
    let r = app
        .post_form(
            "/service-points/1/book",
            &[
                ("matter", &matter),
                ("date", "2026-12-09"),
                ("email", "zly-adres"),
                ("pesel", "44051401358"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["#f-slot", "#f-name", "#f-email", "#f-pesel"] {
        assert!(r.body.contains(id), "{id}: {}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_booking WHERE name = 'Maria Zielińska'")
            .await,
        0
    );

    let r = app
        .post_form(
            "/service-points/1/book",
            &[
                ("matter", &matter),
                ("date", "2026-12-09"),
                ("slot", SLOT),
                ("name", "Maria Zielińska"),
                ("email", "maria@example.pl"),
                ("phone", ""),
                ("pesel", "44051401359"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().to_owned();
    assert!(page_path.starts_with("/bookings/"));
    let code = app
        .scalar_text("SELECT code FROM sp_booking WHERE name = 'Maria Zielińska'")
        .await;
    let page = app.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&code), "{}", page.body);
    assert!(
        page.body.contains("9 grudnia 2026 r., godz. 12:30"),
        "{}",
        page.body
    );
    // The documents to bring, from the card.
    let documents = app
        .scalar_text("SELECT documents FROM service_card WHERE code = 'SA-4'")
        .await;
    let first_document: serde_json::Value = serde_json::from_str(&documents).unwrap();
    if let Some(name) = first_document[0]["name"].as_str() {
        assert!(page.body.contains(name), "{name}");
    }

    let r = app.post_form(&format!("{page_path}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&page_path).await;
    assert!(page.body.contains("odwołana"), "{}", page.body);
    assert_eq!(
        app.scalar_text("SELECT state FROM sp_booking WHERE name = 'Maria Zielińska'")
            .await,
        "cancelled"
    );
    // A cancelled booking cannot be cancelled again; its place is free.
    let r = app.post_form(&format!("{page_path}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        available(&slots(&app, TOWN_HALL, "2026-12-09").await, SLOT),
        Some(2)
    );
}

async fn mall(app: &TestApp) -> i64 {
    app.count("SELECT l.id FROM location l WHERE l.kind <> 'building' ORDER BY l.id LIMIT 1")
        .await
}

async fn the_last_place_goes_to_one_of_many_at_once(app: TestApp) {
    // At the mall one desk serves U: one place a slot.
    let mall = mall(&app).await;
    let day = slots(&app, mall, "2026-12-09").await;
    let (start, _) = day
        .iter()
        .rev()
        .find(|(_, n)| *n == 1)
        .expect("a free slot")
        .clone();
    const CLIENTS: usize = 8;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let mut tasks = Vec::new();
    for i in 0..CLIENTS {
        let router = app.router.clone();
        let barrier = barrier.clone();
        let json = booking_json(mall, &start, &format!("Klient {i}"), "");
        tasks.push(tokio::spawn(async move {
            let mut request = Request::post("/api/v1/bookings")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json))
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(std::net::SocketAddr::from((
                    [127, 0, 0, 1],
                    41_000 + u16::try_from(i).unwrap(),
                ))));
            barrier.wait().await;
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        }));
    }
    let mut created = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert!(body.contains("slot-full"), "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_booking WHERE name LIKE 'Klient %'")
            .await,
        1
    );
    assert_eq!(
        available(&slots(&app, mall, "2026-12-09").await, &start),
        Some(0)
    );
}

async fn confirmation_and_reminder_by_mail(app: TestApp) {
    let sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_with(app.backend, |c| {
        c.smtp_url = Some(url);
        c.clock = Some("2026-12-08T09:30:00Z".parse().unwrap());
        c.public_url = Some("https://urzad.example.pl".to_owned());
    })
    .await
    .unwrap();
    let r = post_json(
        &app,
        "/api/v1/bookings",
        r#"{"service_point":1,"category":"U","start":"2026-12-09T12:30:00+01:00","name":"Jan Kowalski","email":"jan.k@example.pl","service_card":"SA-4"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let token = app
        .scalar_text(&format!(
            "SELECT token FROM sp_booking WHERE code = '{code}' AND day = '2026-12-09'"
        ))
        .await;
    let mail = sink
        .wait_for("jan.k@example.pl", "Potwierdzenie rezerwacji")
        .await
        .expect("the confirmation is mailed");
    let text = mail.part("text/plain").expect("a text part").text();
    for words in [
        "Dzień dobry, Jan Kowalski",
        "9 grudnia 2026 r., godz. 12:30",
        &format!("Kod rezerwacji: {code}"),
        "Zabierz ze sobą:",
        &format!("https://urzad.example.pl/bookings/{token}#cancel"),
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    let documents = app
        .scalar_text("SELECT documents FROM service_card WHERE code = 'SA-4'")
        .await;
    let documents: serde_json::Value = serde_json::from_str(&documents).unwrap();
    for d in documents.as_array().unwrap() {
        let name = d["name"].as_str().unwrap();
        assert!(text.contains(&format!("- {name}")), "{name}: {text}");
    }
    let calendar = mail
        .part("text/calendar")
        .expect("an iCalendar part")
        .text();
    assert!(calendar.starts_with("BEGIN:VCALENDAR"), "{calendar}");
    assert!(calendar.contains("DTSTART:20261209T113000Z"), "{calendar}");
    assert!(calendar.contains("DTEND:20261209T114200Z"), "{calendar}");
    assert!(calendar.contains(&format!("UID:booking-{token}@magistrat")));

    // The reminder job the day before: every booking of the 9th once.
    let due = app
        .count("SELECT COUNT(*) FROM sp_booking WHERE day = '2026-12-09' AND state = 'booked'")
        .await;
    assert!(due > 1, "the demo's bookings too");
    let job = booking::reminder_job(&app.state.config, app.state.mailer.clone());
    let period = magistrat::platform::jobs::Period {
        key: "2026-12-08".to_owned(),
        starts: "2026-12-08T16:00:00+01:00[Europe/Warsaw]".parse().unwrap(),
    };
    assert!(job.run_period(&app.db, &period).await.unwrap());
    let reminder = sink
        .wait_for("jan.k@example.pl", "Przypomnienie o wizycie")
        .await
        .expect("the reminder is mailed");
    assert!(
        reminder
            .part("text/plain")
            .unwrap()
            .text()
            .contains("jutrzejszej wizycie")
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sp_booking WHERE day = '2026-12-09' AND reminded_at IS NOT NULL"
        )
        .await,
        due
    );
    // The same period again runs nowhere; run by hand, nobody is mailed twice.
    assert!(!job.run_period(&app.db, &period).await.unwrap());
    let settings = Settings::from_config(&app.state.config);
    let again = booking::send_reminders(
        &app.db,
        &app.state.mailer,
        &settings,
        jiff::civil::date(2026, 12, 9),
    )
    .await
    .unwrap();
    assert_eq!(again, (0, 0));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'booking_reminders'")
            .await,
        1
    );
}

async fn book_for(
    app: &TestApp,
    start: &str,
    name: &str,
    phone: Option<&str>,
    pesel: Option<&str>,
) -> String {
    let settings = Settings::from_config(&app.state.config);
    let made = booking::book(
        &app.db,
        &Actor::system("test"),
        &settings,
        &NewBooking {
            location_id: TOWN_HALL,
            category: "U".to_owned(),
            card_id: None,
            start: start.parse().unwrap(),
            name: name.to_owned(),
            email: "gosc@example.pl".to_owned(),
            phone: phone.map(str::to_owned),
            pesel: pesel.map(str::to_owned),
        },
    )
    .await
    .unwrap();
    made.code
}

fn official() -> Actor {
    Actor {
        user_id: None,
        login: "test".into(),
        ip: None,
    }
}

async fn check_in(app: &TestApp, key: &str) -> crate::helpers::TestResponse {
    app.post_form(
        &format!("/service-points/{TOWN_HALL}/kiosk/check-in"),
        &[("key", key)],
    )
    .await
}

async fn check_in_at_the_kiosk_and_the_call_order(app: TestApp) {
    // Booked on Tuesday for Wednesday: 10:30, 08:06 (will be missed) and 14:30.
    let on_time = book_for(
        &app,
        "2026-12-09T10:30:00+01:00",
        "Anna Punktualna",
        Some("601000111"),
        None,
    )
    .await;
    let missed = book_for(
        &app,
        "2026-12-09T08:06:00+01:00",
        "Piotr Spóźniony",
        None,
        None,
    )
    .await;
    book_for(
        &app,
        "2026-12-09T14:30:00+01:00",
        "Ewa Wcześniejsza",
        None,
        Some("44051401359"),
    )
    .await;
    // Before the day, check-in finds nothing for today.
    assert_eq!(check_in(&app, &on_time).await.status, StatusCode::NOT_FOUND);

    // Wednesday 10:25.
    app.clock().set("2026-12-09T09:25:00Z".parse().unwrap());
    let walk_in = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(walk_in.status, StatusCode::CREATED);

    let r = check_in(&app, &on_time).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/tickets/"));
    let ticket = app
        .scalar_text(&format!(
            "SELECT label FROM sp_ticket t JOIN sp_booking b ON b.ticket_id = t.id \
             WHERE b.code = '{on_time}' AND b.day = '2026-12-09'"
        ))
        .await;
    assert_eq!(ticket, "U001");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_ticket WHERE label = 'U001' AND day = '2026-12-09' AND appointment_at IS NOT NULL")
            .await,
        1
    );
    let page = app.get(r.location()).await;
    assert!(page.body.contains("U001"));

    // Twice, unknown, unreadable, too late: clear messages, no ticket.
    let tickets = app
        .count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-09'")
        .await;
    let unknown = if on_time == "999999" || missed == "999999" {
        "999998"
    } else {
        "999999"
    };
    for (key, status, words) in [
        (on_time.as_str(), StatusCode::CONFLICT, "już wydany"),
        ("601 000 111", StatusCode::CONFLICT, "już wydany"),
        (
            unknown,
            StatusCode::NOT_FOUND,
            "Nie znaleźliśmy dzisiejszej rezerwacji",
        ),
        ("12ab", StatusCode::UNPROCESSABLE_ENTITY, "6-cyfrowy kod"),
        (
            missed.as_str(),
            StatusCode::CONFLICT,
            "rezerwacja przepadła",
        ),
    ] {
        let r = check_in(&app, key).await;
        assert_eq!(r.status, status, "{key}: {}", r.body);
        assert!(r.body.contains(words), "{key}: {}", r.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-09'")
            .await,
        tickets
    );

    // By PESEL, early: the ticket waits until its time.
    let r = check_in(&app, "44051401359").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Desk 1 serves A and U. At 10:25 the booked visits are not due: the walk-in first.
    let desk = app
        .count("SELECT id FROM sp_desk WHERE location_id = 1 AND name = 'Stanowisko 1'")
        .await;
    service::desk_act(&app.db, &official(), desk, &Act::Open)
        .await
        .unwrap();
    let called = service::desk_act(&app.db, &official(), desk, &Act::CallNext)
        .await
        .unwrap();
    assert!(
        called.ticket.as_deref().unwrap().starts_with('A'),
        "{:?}",
        called.ticket
    );
    service::desk_act(&app.db, &official(), desk, &Act::NoShow)
        .await
        .unwrap();
    let later = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(later.status, StatusCode::CREATED);
    // At 10:31 the 10:30 visit goes before the walk-in who waited longer.
    app.clock().set("2026-12-09T09:31:00Z".parse().unwrap());
    let called = service::desk_act(&app.db, &official(), desk, &Act::CallNext)
        .await
        .unwrap();
    assert_eq!(called.ticket.as_deref(), Some("U001"));
}

backend_tests!(
    spawn = super::tuesday_morning;
    tickets_are_rationed_per_address_but_not_at_kiosks,
);

async fn tickets_are_rationed_per_address_but_not_at_kiosks(app: TestApp) {
    // The default: 60 an hour per address, kiosk, API and check-in together (a
    // refused attempt counts too).
    app.set_peer("203.0.113.50");
    for i in 0..60 {
        let r = match i % 3 {
            0 => {
                post_json(
                    &app,
                    "/api/v1/service-points/1/tickets",
                    r#"{"category":"A"}"#,
                )
                .await
            }
            1 => {
                app.post_form("/service-points/1/kiosk", &[("category", "P")])
                    .await
            }
            _ => check_in(&app, "123456").await,
        };
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS, "{i}: {}", r.body);
    }
    let issued = app
        .count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-08'")
        .await;
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "too-many-requests");
    // 10:30 in Warsaw: half an hour left of the hour.
    let retry: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=1800).contains(&retry), "{retry}");
    let r = app
        .post_form("/service-points/1/kiosk", &[("category", "A")])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = check_in(&app, "123456").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-08'")
            .await,
        issued
    );
    // Another address still may.
    app.set_peer("203.0.113.51");
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);

    // A kiosk's address is not rationed.
    let app = TestApp::spawn_with(app.backend, |c| {
        c.clock = Some("2026-12-08T09:30:00Z".parse().unwrap());
        c.kiosk_addresses = vec!["203.0.113.0/28".parse().unwrap()];
    })
    .await
    .unwrap();
    app.set_peer("203.0.113.5");
    for _ in 0..25 {
        let r = post_json(
            &app,
            "/api/v1/service-points/1/tickets",
            r#"{"category":"A"}"#,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}
