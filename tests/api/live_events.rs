//! Live events and jobs (src/platform/events.rs, sse.rs, jobs.rs): a case's status
//! change reaches its public status stream, also from another server process on the
//! same PostgreSQL database; a subscriber coming back with `Last-Event-ID` gets exactly
//! what it missed; nothing is announced from a rolled-back transaction; heartbeats;
//! streams end on shutdown; a job runs once per period when two runners race.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use magistrat::app::{self, AppState};
use magistrat::cases::store::{self, Channel, NewCase, Step};
use magistrat::db::Db;
use magistrat::db::audit::Actor;
use magistrat::platform::events;
use magistrat::platform::jobs::{self, Job, Report, Schedule};
use magistrat_domain::deadline::CaseKind;
use tower::ServiceExt;

use crate::backend_tests;
use crate::crash::{self, Server, Session};
use crate::helpers::{Backend, ScratchDatabase, TestApp, test_config};

backend_tests!(
    status_changes_reach_the_page_and_the_stream,
    resume_sends_exactly_the_missed_events,
    a_rolled_back_event_is_never_delivered,
    concurrent_publishers_reach_subscribers_in_order,
    heartbeats_and_retry_on_an_idle_stream,
    streams_end_when_the_server_shuts_down,
    a_job_runs_once_when_two_runners_race,
    old_events_are_pruned_by_their_job,
);

/// Generous for a debug build on a shared machine; the cross-process test below holds
/// the real bound of 1 s.
const WAIT: Duration = Duration::from_secs(10);

// =======================================================================================
// Reading a stream
// =======================================================================================

/// One message of an SSE stream.
#[derive(Clone, Debug, Default)]
struct Frame {
    id: Option<i64>,
    data: String,
    comments: Vec<String>,
    retry: Option<u64>,
}

impl Frame {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or_default()
    }

    fn parse(block: &str) -> Frame {
        let mut frame = Frame::default();
        for line in block.lines() {
            if let Some(comment) = line.strip_prefix(':') {
                frame.comments.push(comment.trim().to_owned());
            } else if let Some((field, value)) = line.split_once(':') {
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => frame.id = value.parse().ok(),
                    "data" => frame.data.push_str(value),
                    "retry" => frame.retry = value.parse().ok(),
                    _ => {}
                }
            }
        }
        frame
    }
}

/// An open SSE response body, read message by message.
struct Stream {
    body: Body,
    buffer: String,
    ended: bool,
}

impl Stream {
    async fn open(
        router: &Router,
        path: &str,
        last_event_id: Option<i64>,
    ) -> (StatusCode, axum::http::HeaderMap, Stream) {
        let mut request = Request::get(path);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let stream = Stream {
            body,
            buffer: String::new(),
            ended: false,
        };
        (parts.status, parts.headers, stream)
    }

    /// The next message (events and comments), or `None` when the stream ended or
    /// nothing came within `within`.
    async fn next(&mut self, within: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                return Some(Frame::parse(&block));
            }
            if self.ended {
                return None;
            }
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return None,
                Ok(None) => self.ended = true,
                Ok(Some(frame)) => {
                    if let Ok(data) = frame.unwrap().into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&data));
                    }
                }
            }
        }
    }

    /// The next event (comments skipped).
    async fn next_event(&mut self, within: Duration) -> Option<Frame> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = self.next(left).await?;
            if frame.id.is_some() {
                return Some(frame);
            }
        }
    }
}

// =======================================================================================
// Cases to move
// =======================================================================================

/// A new case in SA, registered (assigned when `official` is given): its id and
/// tracking code.
async fn new_case(db: &Db, official: Option<i64>) -> (i64, String) {
    let sa: i64 = match &db.pool {
        magistrat::db::Pool::Sqlite(p) => {
            sqlx::query_scalar("SELECT id FROM org_unit WHERE symbol = 'SA'")
                .fetch_one(p)
                .await
                .unwrap()
        }
        magistrat::db::Pool::Postgres(p) => {
            sqlx::query_scalar("SELECT id FROM org_unit WHERE symbol = 'SA'")
                .fetch_one(p)
                .await
                .unwrap()
        }
    };
    let mut tx = db.begin().await.unwrap();
    let case = store::register_case(
        &mut tx,
        &Actor::system("test"),
        NewCase {
            unit_id: sa,
            jrwa_symbol: "5310".to_owned(),
            kind: CaseKind::AdministrativeSimple,
            title: "Wniosek o zaświadczenie".to_owned(),
            party_name: "Jan Testowy".to_owned(),
            party_address: "62-300 Borowiec".to_owned(),
            party_email: String::new(),
            publish_consent: false,
            received_on: db.clock().today(),
            channel: Channel::Post,
            correspondence_id: None,
            official_id: official,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (case.id, case.tracking_code)
}

async fn official(app: &TestApp) -> i64 {
    app.count("SELECT id FROM app_user WHERE login = 'urzednik'")
        .await
}

/// Applies `step` and commits.
async fn step(db: &Db, case_id: i64, step: Step) {
    let mut tx = db.begin().await.unwrap();
    let outcome = store::apply_step(&mut tx, &Actor::system("test"), case_id, step)
        .await
        .unwrap();
    assert!(!matches!(outcome, store::StepOutcome::Conflict));
    tx.commit().await.unwrap();
}

fn events_path(code: &str) -> String {
    format!("/api/v1/cases/{code}/events")
}

// =======================================================================================
// The tests
// =======================================================================================

/// The status page carries the live region and its script; the stream sends the change
/// with its label in the visitor's language, its id and nothing personal.
async fn status_changes_reach_the_page_and_the_stream(app: TestApp) {
    let (id, code) = new_case(&app.db, None).await;
    let page = app.get(&format!("/case-status?code={code}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aria-live=\"polite\""), "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "data-live-status=\"/api/v1/cases/{code}/events?last_event_id=0\""
        )),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<script src=\"/static/case-status.js\" defer></script>")
    );
    let script = app.get("/static/case-status.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("EventSource"));
    assert!(
        script.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );

    let (status, headers, mut stream) = Stream::open(&app.router, &events_path(&code), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/event-stream");
    assert_eq!(headers["x-accel-buffering"], "no");
    let opening = stream.next(WAIT).await.unwrap();
    assert_eq!(opening.retry, Some(3000));

    let official = official(&app).await;
    step(
        &app.db,
        id,
        Step::Assign {
            official_id: official,
        },
    )
    .await;
    let event = stream.next_event(WAIT).await.expect("the change arrives");
    let data = event.json();
    assert_eq!(data["status"], "assigned");
    assert_eq!(data["status_label"], "Przydzielona");
    assert_eq!(data["date"], app.clock().today().to_string());
    assert_eq!(data.as_object().unwrap().len(), 3, "{data}");
    assert!(!event.data.contains("Testowy"));

    // A step that keeps the status (a delay notice) announces nothing.
    let today = app.clock().today();
    step(
        &app.db,
        id,
        Step::DelayNotice {
            issued_on: today,
            new_due: today.checked_add(jiff::Span::new().days(60)).unwrap(),
            reason: "Opinia biegłego".to_owned(),
        },
    )
    .await;
    step(&app.db, id, Step::Start).await;
    let next = stream.next_event(WAIT).await.unwrap();
    assert_eq!(next.json()["status"], "in_progress");
    assert_eq!(next.id, Some(event.id.unwrap() + 1));

    // The page loaded now resumes after the newest change.
    let page = app.get(&format!("/case-status?code={code}")).await;
    assert!(
        page.body
            .contains(&format!("last_event_id={}\"", next.id.unwrap()))
    );

    // In English for an English visitor.
    app.get("/lang/en?next=/").await;
    let mut request = Request::get(events_path(&code.to_lowercase().replace('-', "%20")));
    request = request.header(header::COOKIE, app.cookie_header());
    let response = app
        .router
        .clone()
        .oneshot(
            request
                .header("last-event-id", event.id.unwrap().to_string())
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let mut english = Stream {
        body: response.into_body(),
        buffer: String::new(),
        ended: false,
    };
    let again = english.next_event(WAIT).await.unwrap();
    assert_eq!(again.json()["status_label"], "In progress");

    // No such case: 404 in the API's format, no stream.
    let missing = app.get("/api/v1/cases/AAAA-BBBB-CCCC/events").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not-found");

    // The API document lists the stream.
    let doc = app.get("/api/v1/openapi.json").await.json();
    let path = &doc["paths"]["/api/v1/cases/{tracking_code}/events"]["get"];
    assert!(
        path["responses"]["200"]["content"]["text/event-stream"].is_object(),
        "{path}"
    );
}

/// Three changes while away: coming back with the first one's id gives the other two,
/// in order, then the stream goes on live with the next, none twice.
async fn resume_sends_exactly_the_missed_events(app: TestApp) {
    let (id, code) = new_case(&app.db, None).await;
    let official = official(&app).await;
    let today = app.clock().today();
    step(
        &app.db,
        id,
        Step::Assign {
            official_id: official,
        },
    )
    .await;
    step(&app.db, id, Step::Start).await;
    step(
        &app.db,
        id,
        Step::Suspend {
            on: today,
            reason: "Czeka na dokumenty".to_owned(),
        },
    )
    .await;
    let topic = store::status_topic(&code);
    let stored = events::stored_after(&app.db, &topic, 0, 100).await.unwrap();
    let ids: Vec<i64> = stored.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 3);

    let (_, _, mut stream) = Stream::open(&app.router, &events_path(&code), Some(ids[0])).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let event = stream.next_event(WAIT).await.unwrap();
        seen.push((
            event.id.unwrap(),
            event.json()["status"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(
        seen,
        vec![
            (ids[1], "in_progress".to_owned()),
            (ids[2], "suspended".to_owned())
        ]
    );
    step(&app.db, id, Step::Resume { on: today }).await;
    let live = stream.next_event(WAIT).await.unwrap();
    assert_eq!(live.json()["status"], "in_progress");
    assert!(live.id.unwrap() > ids[2]);
    // Nothing more: no repeat of what was sent.
    assert!(
        stream
            .next_event(Duration::from_millis(300))
            .await
            .is_none()
    );

    // The query parameter does the same for a first connection; the header wins.
    let path = format!("{}?last_event_id={}", events_path(&code), ids[1]);
    let (_, _, mut by_query) = Stream::open(&app.router, &path, None).await;
    assert_eq!(by_query.next_event(WAIT).await.unwrap().id, Some(ids[2]));
    let (_, _, mut both) = Stream::open(&app.router, &path, Some(ids[2])).await;
    assert_eq!(both.next_event(WAIT).await.unwrap().id, live.id);

    // The platform API directly, on another topic: the subscription sees only its own.
    let mut subscription = events::subscribe(&app.db, &topic, Some(0)).await.unwrap();
    let mut all = Vec::new();
    for _ in 0..4 {
        all.push(subscription.next().await.unwrap().id);
    }
    assert_eq!(&all[..3], &ids[..]);
    let mut tx = app.db.begin().await.unwrap();
    events::publish(&mut tx, "other.topic", &serde_json::json!({"x": 1}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let mine = events::publish(&mut tx, &topic, &serde_json::json!({"status": "closed"}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let next = tokio::time::timeout(WAIT, subscription.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, mine);
}

/// An event published in a transaction that rolls back is neither stored nor sent; the
/// next committed one is.
async fn a_rolled_back_event_is_never_delivered(app: TestApp) {
    let topic = "test.rollback";
    let mut subscription = events::subscribe(&app.db, topic, None).await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    events::publish(&mut tx, topic, &serde_json::json!({"n": "rolled back"}))
        .await
        .unwrap();
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    events::publish(
        &mut tx,
        topic,
        &serde_json::json!({"n": "explicit rollback"}),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let committed = events::publish(&mut tx, topic, &serde_json::json!({"n": "committed"}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let event = tokio::time::timeout(WAIT, subscription.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.id, committed);
    assert_eq!(event.payload["n"], "committed");
    assert!(
        tokio::time::timeout(Duration::from_millis(300), subscription.next())
            .await
            .is_err()
    );
    let stored = events::stored_after(&app.db, topic, 0, 10).await.unwrap();
    assert_eq!(stored.len(), 1);

    // A step refused by the workflow rolls back its transaction: nothing announced.
    let (id, code) = new_case(&app.db, None).await;
    let (_, _, mut stream) = Stream::open(&app.router, &events_path(&code), None).await;
    let official = official(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    let outcome = store::apply_step(
        &mut tx,
        &Actor::system("test"),
        id,
        Step::Assign {
            official_id: official,
        },
    )
    .await
    .unwrap();
    assert!(matches!(outcome, store::StepOutcome::Done));
    drop(tx);
    assert!(
        stream
            .next_event(Duration::from_millis(500))
            .await
            .is_none()
    );
    assert!(
        events::stored_after(&app.db, &store::status_topic(&code), 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Eight writers publish on one topic at once (each in its own transaction, as many
/// case writers would): a subscriber that was there from the start and one that joins
/// midway with the id it last saw each get every event once, in id order, and exactly
/// the stored ones.
async fn concurrent_publishers_reach_subscribers_in_order(app: TestApp) {
    const WRITERS: usize = 8;
    const EACH: usize = 10;
    let topic = "test.concurrent";
    let mut early = events::subscribe(&app.db, topic, None).await.unwrap();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let db = app.db.clone();
        writers.push(tokio::spawn(async move {
            for n in 0..EACH {
                let mut tx = db.begin().await.unwrap();
                events::publish(&mut tx, topic, &serde_json::json!({ "w": w, "n": n }))
                    .await
                    .unwrap();
                // Another topic in the same stream of commits.
                events::publish(&mut tx, "test.elsewhere", &serde_json::json!({}))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    let mut got = Vec::new();
    let mut late: Option<events::Subscription> = None;
    let mut late_got = Vec::new();
    while got.len() < WRITERS * EACH {
        let event = tokio::time::timeout(WAIT, early.next())
            .await
            .expect("every event arrives")
            .unwrap();
        got.push(event.id);
        if got.len() == 20 {
            // Joins having seen the 20th.
            late = Some(
                events::subscribe(&app.db, topic, Some(event.id))
                    .await
                    .unwrap(),
            );
        }
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let mut late = late.unwrap();
    while late_got.len() < WRITERS * EACH - 20 {
        let event = tokio::time::timeout(WAIT, late.next())
            .await
            .expect("every later event arrives")
            .unwrap();
        late_got.push(event.id);
    }
    let stored: Vec<i64> = events::stored_after(&app.db, topic, 0, 1000)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(got, stored, "the early subscriber: all, in order, once");
    assert_eq!(
        late_got,
        stored[20..],
        "the late one: exactly what followed"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(300), early.next())
            .await
            .is_err()
    );
}

/// An idle stream gets a comment every heartbeat (1 s here, 15 s by default).
async fn heartbeats_and_retry_on_an_idle_stream(app: TestApp) {
    let config = magistrat::config::Config {
        live_heartbeat_seconds: 1,
        ..test_config(&app.database_url)
    };
    let router = app::router(AppState::new(app.db.clone(), config));
    let (_, code) = new_case(&app.db, None).await;
    let (_, _, mut stream) = Stream::open(&router, &events_path(&code), None).await;
    let opening = stream.next(WAIT).await.unwrap();
    assert_eq!(opening.retry, Some(3000));
    let started = Instant::now();
    let mut heartbeats = 0;
    while heartbeats < 2 {
        let frame = stream
            .next(Duration::from_secs(3))
            .await
            .expect("a heartbeat");
        assert!(frame.id.is_none());
        assert_eq!(frame.comments, ["heartbeat"]);
        heartbeats += 1;
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

/// When the server shuts down, its open streams end (so the graceful shutdown does not
/// wait for them); a subscription made afterwards ends at once.
async fn streams_end_when_the_server_shuts_down(app: TestApp) {
    let (_, code) = new_case(&app.db, None).await;
    let (_, _, mut stream) = Stream::open(&app.router, &events_path(&code), None).await;
    stream.next(WAIT).await.unwrap();
    app.db.events().close();
    let end =
        tokio::time::timeout(WAIT, async { while stream.next(WAIT).await.is_some() {} }).await;
    assert!(end.is_ok(), "the stream must end");
    assert!(stream.ended);
}

/// Two app servers (two pools on one database) run the same every-minute job: the
/// period is claimed once and the job runs once; the record says what it reported.
async fn a_job_runs_once_when_two_runners_race(app: TestApp) {
    let runs = Arc::new(AtomicUsize::new(0));
    let job = |runs: Arc<AtomicUsize>| {
        Job::new(
            "test_race",
            Schedule::EveryMinutes(1),
            move |_db, period| {
                let runs = runs.clone();
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    // Long enough for the other runner to try meanwhile.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Ok(Report::detail(serde_json::json!({ "period": period.key })))
                }
            },
        )
    };
    let other = Db::connect(&app.database_url, 2).await.unwrap();
    let now = app.db.clock().now_in_warsaw();
    let period = Schedule::EveryMinutes(1).due(&now).unwrap();
    let (job_one, job_two) = (job(runs.clone()), job(runs.clone()));
    let (one, two) = tokio::join!(
        job_one.run_period(&app.db, &period),
        job_two.run_period(&other, &period),
    );
    let ran = [one.unwrap(), two.unwrap()];
    assert_eq!(ran.iter().filter(|r| **r).count(), 1, "{ran:?}");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let record = jobs::recorded(&app.db, "test_race", &period.key)
        .await
        .unwrap()
        .unwrap();
    assert!(record.finished_at.is_some());
    assert_eq!(record.detail["period"], period.key);

    // The runners `serve` starts: both wake for the current period, one runs it.
    let runs = Arc::new(AtomicUsize::new(0));
    let job = |runs: Arc<AtomicUsize>| {
        Job::new(
            "test_runner",
            Schedule::EveryMinutes(1),
            move |_db, _period| {
                let runs = runs.clone();
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    Ok(Report::detail(serde_json::json!({})))
                }
            },
        )
    };
    let first = jobs::spawn(&app.db, vec![job(runs.clone())]);
    let second = jobs::spawn(&other, vec![job(runs.clone())]);
    let deadline = Instant::now() + WAIT;
    while runs.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let counted = runs.load(Ordering::SeqCst);
    let periods = app
        .count("SELECT COUNT(*) FROM job_run WHERE job = 'test_runner'")
        .await;
    // A minute boundary may fall inside the wait: then each period once.
    assert!(
        counted >= 1 && i64::try_from(counted).unwrap() == periods,
        "{counted} runs, {periods} periods"
    );
    drop((first, second));

    // A failing job gives its claim back: the period can be run again.
    let failing = Job::new(
        "test_failing",
        Schedule::EveryMinutes(1),
        |_db, _period| async { anyhow::bail!("the mail server is away") },
    );
    assert!(failing.run_period(&app.db, &period).await.is_err());
    assert!(
        jobs::recorded(&app.db, "test_failing", &period.key)
            .await
            .unwrap()
            .is_none()
    );
    other.close().await;
}

/// The prune job removes events older than a day and keeps the rest; a subscriber
/// coming back with a pruned id gets what is left.
async fn old_events_are_pruned_by_their_job(app: TestApp) {
    let topic = "test.prune";
    for _ in 0..3 {
        let mut tx = app.db.begin().await.unwrap();
        events::publish(&mut tx, topic, &serde_json::json!({}))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let ids: Vec<i64> = events::stored_after(&app.db, topic, 0, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    // The first two were published two days ago.
    let old = app
        .clock()
        .now()
        .checked_add(jiff::SignedDuration::from_hours(-48))
        .to_canonical();
    let at = match app.backend {
        Backend::Sqlite => format!("'{old}'"),
        Backend::Postgres => format!("TIMESTAMPTZ '{old}'"),
    };
    app.exec(&format!(
        "UPDATE live_event SET at = {at} WHERE id IN ({}, {})",
        ids[0], ids[1]
    ))
    .await;
    let job = events::prune_job();
    let period = job.schedule.due(&app.db.clock().now_in_warsaw()).unwrap();
    assert!(job.run_period(&app.db, &period).await.unwrap());
    let left = events::stored_after(&app.db, topic, 0, 10).await.unwrap();
    assert_eq!(left.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[2]]);
    let record = jobs::recorded(&app.db, "live_events_prune", &period.key)
        .await
        .unwrap()
        .unwrap();
    assert!(record.detail["removed"].as_u64().unwrap() >= 2);
    // Once per period.
    assert!(!job.run_period(&app.db, &period).await.unwrap());
}

// =======================================================================================
// Across processes
// =======================================================================================

/// The proof: a subscriber on one server process (this test's app, with its own
/// listener) receives, within 1 s of the commit, a status change made by another server
/// process (the real binary) on the same PostgreSQL database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_server_process_publishes_within_a_second() {
    let Some(scratch) = ScratchDatabase::create(Backend::Postgres).await else {
        return;
    };
    let demo = crash::magistrat_command(&scratch, &["demo"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "magistrat demo: {demo:?}");
    let db = Db::connect(&scratch.url, 3).await.unwrap();
    let router = app::router(AppState::new(db.clone(), test_config(&scratch.url)));
    let official = user_id(&db, "urzednik").await;
    let (id, code) = new_case(&db, Some(official)).await;

    let server = Server::start(&scratch).await;
    let session = Session::sign_in(server.address).await;

    let (status, _, mut stream) = Stream::open(&router, &events_path(&code), None).await;
    assert_eq!(status, StatusCode::OK);
    stream.next(WAIT).await.unwrap();

    let today = magistrat::platform::Clock::system().today().to_string();
    let mut latencies = Vec::new();
    for (action, extra, expected) in [
        ("start", vec![], "in_progress"),
        (
            "suspend",
            vec![("on", today.as_str()), ("reason", "Czeka na opinię")],
            "suspended",
        ),
        ("resume", vec![("on", today.as_str())], "in_progress"),
    ] {
        let mut fields = vec![("_csrf", session.csrf.as_str())];
        fields.extend(extra);
        let body = crash::form(&fields);
        let reply = crash::http(
            server.address,
            "POST",
            &format!("/staff/cases/{id}/actions/{action}"),
            &session.cookies,
            Some((crash::URLENCODED, body.as_bytes())),
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 303, "{action}: {}", reply.body);
        let event = stream.next_event(WAIT).await.expect("the event arrives");
        let arrived = jiff::Timestamp::now();
        assert_eq!(event.json()["status"], expected, "{action}");
        let id = event.id.unwrap();
        let stored = events::stored_after(&db, &store::status_topic(&code), id - 1, 1)
            .await
            .unwrap();
        assert_eq!(stored[0].id, id);
        // `at` is when the publishing transaction began in the other process: the
        // latency bounds commit-to-delivery from above.
        let latency = arrived.duration_since(stored[0].at.0);
        latencies.push(latency);
        assert!(
            latency < jiff::SignedDuration::from_secs(1),
            "{action}: {latency:?} from the other process's transaction to this subscriber"
        );
    }
    eprintln!("cross-process live events: {latencies:?}");
    drop(server);
    db.close().await;
}

async fn user_id(db: &Db, login: &str) -> i64 {
    let sql = format!("SELECT id FROM app_user WHERE login = '{login}'");
    match &db.pool {
        magistrat::db::Pool::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
        magistrat::db::Pool::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
    }
}

/// `SIGTERM` with a live stream open: the real server ends the stream and exits at
/// once, instead of waiting for the browser to leave.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_with_a_stream_open_sqlite() {
    serve_stops_with_a_stream_open(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_with_a_stream_open_postgres() {
    serve_stops_with_a_stream_open(Backend::Postgres).await;
}

async fn serve_stops_with_a_stream_open(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let demo = crash::magistrat_command(&scratch, &["demo"])
        .output()
        .unwrap();
    assert!(demo.status.success(), "magistrat demo: {demo:?}");
    let db = Db::connect(&scratch.url, 1).await.unwrap();
    let (_, code) = new_case(&db, None).await;
    db.close().await;
    let server = Server::start(&scratch).await;
    let mut connection = tokio::net::TcpStream::connect(server.address)
        .await
        .unwrap();
    connection
        .write_all(
            format!(
                "GET {} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
                events_path(&code)
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !String::from_utf8_lossy(&received).contains(": live") {
        let n = tokio::time::timeout(WAIT, connection.read(&mut buffer))
            .await
            .expect("the stream opens")
            .unwrap();
        assert!(
            n > 0,
            "closed early: {}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&buffer[..n]);
    }
    assert!(String::from_utf8_lossy(&received).starts_with("HTTP/1.1 200"));
    let stopped = Instant::now();
    let status = tokio::task::spawn_blocking(move || server.terminate(Duration::from_secs(10)))
        .await
        .unwrap()
        .expect("the server exits with a stream open");
    assert!(status.success(), "{status:?}");
    // The stream was ended, not cut: the chunked body's last chunk arrived.
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(WAIT, connection.read_to_end(&mut rest)).await;
    assert!(
        String::from_utf8_lossy(&rest).contains("0\r\n\r\n"),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
    eprintln!(
        "{backend:?}: stopped in {:?} with a stream open",
        stopped.elapsed()
    );
}
