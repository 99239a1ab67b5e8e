//! The residents' service point end to end, on both backends: a ticket from the API
//! and the kiosk, a desk calling, serving and finishing it, every state interval
//! stored, a board subscriber receiving the call over Server-Sent Events, two desks
//! calling at the same moment never getting the same ticket, and the refusals (closed,
//! unknown category, quota, capacity before closing, acts a desk's state forbids); the
//! live stream: a writer announces only the change, each server reads the snapshot
//! once per change for all its streams (decision 0055), also from another server on
//! PostgreSQL, and a stream resumed with `Last-Event-ID` shows the state now.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use magistrat::db::audit::Actor;
use magistrat::service_point::service;
use magistrat::service_point::store::Act;
use tower::ServiceExt;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

/// Tuesday 8 December 2026, 10:30 in Warsaw: the town hall (07:30–15:30) and the mall
/// point (10:00–18:00) are open; the demo's past day is Monday the 7th.
async fn tuesday_morning(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, "2026-12-08T09:30:00Z").await
}

backend_tests!(
    spawn = super::tuesday_morning;
    ticket_is_called_served_and_reaches_the_board,
    two_desks_calling_at_once_never_share_a_ticket,
    call_order_serves_priority_first_and_transfers,
    refusals_are_clear_and_store_nothing,
    setup_forms_save_and_refuse,
    public_pages_render,
    one_change_is_read_once_for_every_stream,
    another_server_streams_a_change_within_a_second,
);

const TOWN_HALL: i64 = 1;

async fn post_json(app: &TestApp, path: &str, json: &str) -> crate::helpers::TestResponse {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_owned()))
            .unwrap(),
    )
    .await
}

async fn take(app: &TestApp, location: i64, category: &str) -> serde_json::Value {
    let r = post_json(
        app,
        &format!("/api/v1/service-points/{location}/tickets"),
        &format!(r#"{{"category":"{category}"}}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

async fn desk_id(app: &TestApp, location: i64, name: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM sp_desk WHERE location_id = {location} AND name = '{name}'"
    ))
    .await
}

fn official() -> Actor {
    Actor {
        user_id: None,
        login: "test".into(),
        ip: None,
    }
}

async fn ticket_state(app: &TestApp, token: &str) -> serde_json::Value {
    let r = app.get(&format!("/api/v1/tickets/{token}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn ticket_is_called_served_and_reaches_the_board(app: TestApp) {
    // The list: both demo points, their categories, the queue empty this morning.
    let list = app.get("/api/v1/service-points").await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{}", list.body);
    let hall = items.iter().find(|p| p["id"] == TOWN_HALL).unwrap();
    assert_eq!(hall["open_now"], true);
    let codes: Vec<&str> = hall["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["A", "C", "P", "U"]);

    // Two tickets: the first is next, the second waits behind it.
    let first = take(&app, TOWN_HALL, "A").await;
    assert_eq!(first["number"], "A001");
    assert_eq!(first["position"], 1);
    assert_eq!(first["estimated_wait_minutes"], 0);
    let second = take(&app, TOWN_HALL, "A").await;
    assert_eq!(second["number"], "A002");
    assert_eq!(second["position"], 2);
    assert!(second["estimated_wait_minutes"].as_u64().unwrap() > 0);
    let token = first["token"].as_str().unwrap().to_owned();
    let state = ticket_state(&app, &token).await;
    assert_eq!(state["state"], "waiting");
    assert_eq!(state["position"], 1);

    // A board subscribes to the point's stream (through the router, as a browser).
    let mut request = Request::get(format!("/service-points/{TOWN_HALL}/events"))
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40_001,
        ))));
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = response.into_body();
    let board = tokio::spawn(async move {
        let mut seen = String::new();
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen.push_str(&String::from_utf8_lossy(data));
                if seen.contains(r#""kind":"called""#) {
                    return seen;
                }
            }
        }
        seen
    });

    // The official opens desk 1 and calls: A001 is called there.
    app.login("obsluga").await;
    let desk = desk_id(&app, TOWN_HALL, "Stanowisko 1").await;
    let console = app.get(&format!("/staff/desks/{desk}")).await;
    assert_eq!(console.status, StatusCode::OK);
    let r = app
        .post_form(&format!("/staff/desks/{desk}/open"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .post_form(&format!("/staff/desks/{desk}/call"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let seen = tokio::time::timeout(Duration::from_secs(10), board)
        .await
        .expect("the call reaches the board")
        .unwrap();
    assert!(
        seen.contains("A001") && seen.contains("Stanowisko 1"),
        "{seen}"
    );
    assert!(seen.contains("id: "), "events carry ids: {seen}");

    let state = ticket_state(&app, &token).await;
    assert_eq!(state["state"], "called");
    assert_eq!(state["desk"], "Stanowisko 1");
    assert_eq!(state["position"], serde_json::Value::Null);
    // The second ticket moved up.
    let state2 = ticket_state(&app, second["token"].as_str().unwrap()).await;
    assert_eq!(state2["position"], 1);

    // Serve and finish, noting the service card handled.
    for act in ["recall", "start"] {
        let r = app
            .post_form(&format!("/staff/desks/{desk}/{act}"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{act}");
    }
    let card = app
        .count("SELECT id FROM service_card WHERE code = 'SA-1'")
        .await
        .to_string();
    let r = app
        .post_form(&format!("/staff/desks/{desk}/finish"), &[("card", &card)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(ticket_state(&app, &token).await["state"], "done");

    // Every interval is a row: waiting, called, serving — all closed.
    let id = app
        .count(&format!("SELECT id FROM sp_ticket WHERE token = '{token}'"))
        .await;
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT state FROM sp_visit_period WHERE ticket_id = {id} ORDER BY id LIMIT 1"
        ))
        .await,
        "waiting"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_visit_period WHERE ticket_id = {id} AND ended_at IS NOT NULL"
        ))
        .await,
        3
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_ticket WHERE id = {id} AND card_id = {card}"
        ))
        .await,
        1
    );
    // Every act audited: open, call, recall, start, finish.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sp_desk' \
             AND entity_id = '{desk}' AND action <> 'sp_desk.create'"
        ))
        .await,
        5
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sp_ticket.create'")
            .await,
        2
    );
    // The desk's open interval is a row too.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sp_desk_period WHERE desk_id = {desk} AND ended_at IS NULL"
        ))
        .await,
        1
    );
}

async fn two_desks_calling_at_once_never_share_a_ticket(app: TestApp) {
    let desks = [
        desk_id(&app, TOWN_HALL, "Stanowisko 1").await,
        desk_id(&app, TOWN_HALL, "Stanowisko 2").await,
        desk_id(&app, TOWN_HALL, "Stanowisko 4").await,
    ];
    for desk in desks {
        service::desk_act(&app.db, &official(), desk, &Act::Open)
            .await
            .unwrap();
    }
    const TICKETS: usize = 9;
    for _ in 0..TICKETS {
        take(&app, TOWN_HALL, "A").await;
    }
    // Rounds: every desk calls at the same moment, then finishes with a no-show so it
    // can call again; each round's calls run concurrently.
    let mut called = Vec::new();
    for _ in 0..4 {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(desks.len()));
        let mut tasks = Vec::new();
        for desk in desks {
            let db = app.db.clone();
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let acted = service::desk_act(&db, &official(), desk, &Act::CallNext)
                    .await
                    .unwrap();
                if acted.ticket.is_some() {
                    service::desk_act(&db, &official(), desk, &Act::NoShow)
                        .await
                        .unwrap();
                }
                acted.ticket
            }));
        }
        for task in tasks {
            if let Some(t) = task.await.unwrap() {
                called.push(t);
            }
        }
    }
    let distinct: BTreeSet<&String> = called.iter().collect();
    assert_eq!(called.len(), TICKETS, "{called:?}");
    assert_eq!(distinct.len(), TICKETS, "a ticket called twice: {called:?}");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sp_visit_period WHERE state = 'called' AND ended_at IS NULL"
        )
        .await,
        0
    );
    // Each ticket has exactly one called interval.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sp_visit_period p JOIN sp_ticket t ON t.id = p.ticket_id \
             WHERE p.state = 'called' AND t.day = '2026-12-08'"
        )
        .await,
        i64::try_from(TICKETS).unwrap()
    );
}

async fn call_order_serves_priority_first_and_transfers(app: TestApp) {
    let desk1 = desk_id(&app, TOWN_HALL, "Stanowisko 1").await;
    let desk3 = desk_id(&app, TOWN_HALL, "Stanowisko 3").await;
    take(&app, TOWN_HALL, "A").await;
    app.clock().advance(jiff::SignedDuration::from_mins(1));
    let r = post_json(
        &app,
        &format!("/api/v1/service-points/{TOWN_HALL}/tickets"),
        r#"{"category":"A","priority":true}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The priority ticket goes before the one waiting longer.
    assert_eq!(r.json()["position"], 1);
    service::desk_act(&app.db, &official(), desk1, &Act::Open)
        .await
        .unwrap();
    let first = service::desk_act(&app.db, &official(), desk1, &Act::CallNext)
        .await
        .unwrap();
    assert_eq!(first.ticket.as_deref(), Some("A002"));
    // Calling again before finishing is refused; the ticket stays called.
    let busy = service::desk_act(&app.db, &official(), desk1, &Act::CallNext).await;
    assert!(
        matches!(
            busy,
            Err(magistrat::service_point::ServicePointError::Refused(
                "sp-refused-desk-busy"
            ))
        ),
        "{busy:?}"
    );
    // Transferred to desk 3 (which does not serve A): only desk 3 calls it.
    service::desk_act(
        &app.db,
        &official(),
        desk1,
        &Act::Transfer {
            category_id: None,
            desk_id: Some(desk3),
        },
    )
    .await
    .unwrap();
    let next = service::desk_act(&app.db, &official(), desk1, &Act::CallNext)
        .await
        .unwrap();
    assert_eq!(next.ticket.as_deref(), Some("A001"));
    service::desk_act(&app.db, &official(), desk3, &Act::Open)
        .await
        .unwrap();
    let moved = service::desk_act(&app.db, &official(), desk3, &Act::CallNext)
        .await
        .unwrap();
    assert_eq!(moved.ticket.as_deref(), Some("A002"));
    // A002: waiting, called, waiting (transferred), called.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM sp_visit_period p JOIN sp_ticket t ON t.id = p.ticket_id \
             WHERE t.label = 'A002' AND t.day = '2026-12-08'"
        )
        .await,
        4
    );
}

async fn refusals_are_clear_and_store_nothing(app: TestApp) {
    let tickets = || app.count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-08'");
    // Unknown category: 422 with the field; unknown point: 404.
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"Z"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "unknown-category");
    assert!(r.json()["error"]["fields"]["category"].is_string());
    let r = post_json(
        &app,
        "/api/v1/service-points/999/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":1}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/api/v1/tickets/nosuchtoken").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(tickets().await, 0);

    // Over quota: C takes 40 a day; with the quota at 1 the second is refused.
    app.exec("UPDATE sp_category SET daily_quota = 1 WHERE location_id = 1 AND code = 'C'")
        .await;
    take(&app, TOWN_HALL, "C").await;
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"C"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "ticket-quota-reached");
    assert_eq!(tickets().await, 1);

    // The kiosk page answers the same, as a page.
    let r = app
        .post_form("/service-points/1/kiosk", &[("category", "C")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("role=\"alert\""));
    let r = app
        .post_form("/service-points/1/kiosk", &[("category", "Q")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form("/service-points/1/kiosk", &[("category", "A")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/tickets/"));
    let page = app.get(r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("A001") && page.body.contains("<svg"),
        "QR code on the ticket"
    );

    // Five minutes before closing (15:25): the desks cannot serve another A today.
    app.clock().set("2026-12-08T14:25:00Z".parse().unwrap());
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "ticket-capacity-reached");
    // After closing: closed.
    app.clock().set("2026-12-08T15:00:00Z".parse().unwrap());
    let r = post_json(
        &app,
        "/api/v1/service-points/1/tickets",
        r#"{"category":"A"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "service-point-closed");
    assert_eq!(tickets().await, 2);

    // Desk acts the state forbids: calling on a closed desk, finishing nothing.
    app.login("obsluga").await;
    let desk = desk_id(&app, TOWN_HALL, "Stanowisko 2").await;
    let audited = app
        .count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sp_desk'")
        .await;
    for (act, flash) in [
        ("call", "nie jest otwarte"),
        ("finish", "nie została rozpoczęta"),
    ] {
        let r = app
            .post_form(&format!("/staff/desks/{desk}/{act}"), &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/staff/desks/{desk}")).await;
        assert!(page.body.contains(flash), "{act}: {}", page.body);
    }
    let r = app
        .post_form(&format!("/staff/desks/{desk}/dance"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'sp_desk'")
            .await,
        audited
    );
    // A case official has no desk.
    app.logout().await;
    app.login("urzednik").await;
    let r = app.get(&format!("/staff/desks/{desk}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn setup_forms_save_and_refuse(app: TestApp) {
    app.login("admin").await;
    let page = app.get("/staff/service-points/2/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Stanowisko 2"));
    let r = app
        .post_form(
            "/staff/service-points/2/categories/new",
            &[
                ("code", "r"),
                ("name", "Rejestracja psów"),
                ("service_minutes", "5"),
                ("daily_quota", "10"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sp_category WHERE location_id = 2 AND code = 'R' AND daily_quota = 10")
            .await,
        1
    );
    // The same letter again, a bad time: the form back with both problems.
    let r = app
        .post_form(
            "/staff/service-points/2/categories/new",
            &[("code", "R"), ("name", "x"), ("service_minutes", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ta litera jest już używana"));
    // A desk without categories.
    let r = app
        .post_form(
            "/staff/service-points/2/desks/new",
            &[("name", "Stanowisko 3"), ("active", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r_id = app
        .count("SELECT id FROM sp_category WHERE location_id = 2 AND code = 'R'")
        .await
        .to_string();
    let r = app
        .post_form(
            "/staff/service-points/2/desks/new",
            &[
                ("name", "Stanowisko 3"),
                ("active", "on"),
                ("categories", &r_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The kiosk offers it at once.
    let kiosk = app.get("/service-points/2/kiosk").await;
    assert!(kiosk.body.contains("Rejestracja psów"));
    // Audited: the demo's 4 + 3 categories and 4 + 2 desks, and these two.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sp_category.create'")
            .await,
        8
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'sp_desk.create'")
            .await,
        7
    );
}

async fn public_pages_render(app: TestApp) {
    for path in [
        "/service-points",
        "/service-points/1",
        "/service-points/2/kiosk",
        "/service-points/1/board",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        // The live pages follow the point's events; the kiosk works without a script.
        let live = !matches!(path, "/service-points" | "/service-points/2/kiosk");
        assert_eq!(r.body.contains("service-point.js"), live, "{path}");
    }
    assert_eq!(
        app.get("/service-points/999").await.status,
        StatusCode::NOT_FOUND
    );
    // The demo's past day is there: served visits with their intervals.
    assert!(
        app.count("SELECT COUNT(*) FROM sp_ticket WHERE day = '2026-12-07' AND state = 'done'")
            .await
            > 40
    );
    // The home page's summary: both points, open, nobody waiting yet.
    let summaries = service::summaries(&app.db).await.unwrap();
    assert_eq!(summaries.len(), 2);
    assert!(summaries.iter().all(|s| s.open_now && s.waiting == 0));
}

/// An open stream of the point's events, read event by event.
struct Live {
    body: Body,
    buffer: String,
}

impl Live {
    async fn open(app: &TestApp, query: &str, last_event_id: Option<i64>) -> Live {
        let mut request = Request::get(format!("/service-points/{TOWN_HALL}/events{query}"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let mut request = request.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40_003,
            ))));
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        Live {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// The next event's id and data (comments skipped); panics after `within`.
    async fn next(&mut self, within: Duration) -> (i64, serde_json::Value) {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let id = block
                    .lines()
                    .find_map(|l| l.strip_prefix("id: "))
                    .and_then(|v| v.parse().ok());
                let data = block.lines().find_map(|l| l.strip_prefix("data: "));
                if let (Some(id), Some(data)) = (id, data) {
                    return (id, serde_json::from_str(data).unwrap());
                }
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .expect("an event within the time")
                .expect("the stream goes on")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }
}

fn waiting_in(snapshot: &serde_json::Value, code: &str) -> u64 {
    snapshot["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["code"] == code)
        .unwrap()["waiting"]
        .as_u64()
        .unwrap()
}

async fn one_change_is_read_once_for_every_stream(app: TestApp) {
    use axum::extract::FromRef;
    use magistrat::service_point::live::LiveSnapshots;
    let live = LiveSnapshots::from_ref(&app.state);
    take(&app, TOWN_HALL, "A").await;
    take(&app, TOWN_HALL, "A").await;
    let before = magistrat::platform::events::last_id(&app.db, "service-point.1")
        .await
        .unwrap();
    // A board, a status page and the e-ticket of A002 follow the point.
    let mut streams = vec![
        Live::open(&app, "", None).await,
        Live::open(&app, "", None).await,
        Live::open(&app, "?ticket=A002", None).await,
    ];
    let builds = live.builds();

    // One ticket: one event, one snapshot read for the three streams.
    take(&app, TOWN_HALL, "A").await;
    let mut seen = Vec::new();
    for stream in &mut streams {
        seen.push(stream.next(Duration::from_secs(10)).await);
    }
    assert_eq!(live.builds(), builds + 1, "one read for every stream");
    let (id, board) = &seen[0];
    assert!(*id > before);
    assert_eq!(board["change"]["kind"], "issued");
    assert_eq!(board["change"]["ticket"], "A003");
    assert_eq!(waiting_in(&board["snapshot"], "A"), 3);
    // The board gets what it shows, not each category's queue.
    assert!(
        board["snapshot"]["categories"][0].get("queue").is_none(),
        "{board}"
    );
    assert!(board.get("ticket").is_none());
    // The e-ticket gets its own place: A001 is ahead of A002.
    let (_, ticket) = &seen[2];
    assert_eq!(ticket["ticket"]["ahead"], 1, "{ticket}");
    assert!(ticket["ticket"]["estimated_wait_minutes"].as_u64().unwrap() > 0);
    // What the writer stored is the change alone, whatever the queue's length.
    let payload = app
        .scalar_text("SELECT payload FROM live_event ORDER BY id DESC LIMIT 1")
        .await;
    assert!(
        !payload.contains("snapshot") && payload.contains("A003"),
        "{payload}"
    );
    assert!(payload.len() < 200, "{payload}");

    // A desk opens and calls A001: each change read once more, A002 is next.
    let desk = desk_id(&app, TOWN_HALL, "Stanowisko 1").await;
    let mut last = Vec::new();
    for (act, kind) in [(Act::Open, "desk_open"), (Act::CallNext, "called")] {
        let reads = live.builds();
        service::desk_act(&app.db, &official(), desk, &act)
            .await
            .unwrap();
        last.clear();
        for stream in &mut streams {
            let (_, data) = stream.next(Duration::from_secs(10)).await;
            assert_eq!(data["change"]["kind"], kind);
            last.push(data);
        }
        assert_eq!(live.builds(), reads + 1, "{kind}");
    }
    assert_eq!(last[0]["snapshot"]["called"][0]["ticket"], "A001");
    assert_eq!(last[0]["snapshot"]["called"][0]["desk"], "Stanowisko 1");
    assert_eq!(waiting_in(&last[0]["snapshot"], "A"), 2);
    assert_eq!(last[2]["ticket"]["ahead"], 0, "{}", last[2]);

    // A board that was away resumes after the last event it saw: the three it missed
    // come, each with the state now (the kept snapshot: nothing read again).
    let reads = live.builds();
    let mut resumed = Live::open(&app, "", Some(before)).await;
    let mut kinds = Vec::new();
    for _ in 0..3 {
        let (_, data) = resumed.next(Duration::from_secs(10)).await;
        assert_eq!(waiting_in(&data["snapshot"], "A"), 2, "{data}");
        kinds.push(data["change"]["kind"].as_str().unwrap().to_owned());
    }
    assert_eq!(kinds, ["issued", "desk_open", "called"]);
    assert_eq!(live.builds(), reads);
}

/// PostgreSQL: a change made by another app server (its own pool and event hub, as a
/// second `magistrat serve` on the same database) reaches this server's board within
/// a second, with this server's snapshot showing it.
async fn another_server_streams_a_change_within_a_second(app: TestApp) {
    if app.backend != Backend::Postgres {
        return;
    }
    let other = magistrat::db::Db::connect(&app.database_url, 3)
        .await
        .unwrap()
        .with_clock(app.db.clock().clone());
    let mut board = Live::open(&app, "", None).await;
    let desk = desk_id(&app, TOWN_HALL, "Stanowisko 2").await;
    let started = std::time::Instant::now();
    service::desk_act(&other, &official(), desk, &Act::Open)
        .await
        .unwrap();
    let (_, data) = board.next(Duration::from_secs(10)).await;
    let latency = started.elapsed();
    assert_eq!(data["change"]["kind"], "desk_open");
    let shown = data["snapshot"]["desks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == desk)
        .unwrap()
        .clone();
    assert_eq!(shown["state"], "open", "{data}");
    assert!(
        latency < Duration::from_secs(1),
        "{latency:?} from the other server's act to this board"
    );
    other.close().await;
}
