//! The office's clock: set, it decides the day a case comes in, its statutory due date,
//! the moment stored with every row and audit event, and when a session ends — in the
//! router (a test's clock) and in the real binary (`MAGISTRAT_CLOCK`).
//!
//! The expected due dates are counted by hand from the law, not by the code under test.

use std::io::Read;
use std::process::Stdio;

use axum::http::StatusCode;
use jiff::SignedDuration;
use magistrat::db::{Db, Pool};

use crate::applications::{pdf, residence_certificate};
use crate::backend_tests;
use crate::crash::{Server, Session, http, magistrat_command};
use crate::helpers::{Backend, ScratchDatabase, TestApp};

/// 10:00 in Warsaw on Wednesday 23 December 2026 (09:00 UTC): ahead lie Christmas Eve
/// (a public holiday since 2025), Christmas, a weekend and, in January, Epiphany.
const BEFORE_CHRISTMAS: &str = "2026-12-23T10:00:00+01:00";
/// The clock's moment and ten minutes later, in the stored text form (fixed width, so
/// that text order is time order on SQLite; PostgreSQL reads them as timestamps). Ten
/// minutes: the clock runs on while a test on a loaded machine does its work.
const MOMENT_FROM: &str = "2026-12-23T09:00:00.000000Z";
const MOMENT_TO: &str = "2026-12-23T09:10:00.000000Z";

async fn before_christmas(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with_clock(backend, BEFORE_CHRISTMAS).await
}

backend_tests!(
    spawn = super::before_christmas;
    a_case_registered_at_the_desk_takes_the_clocks_day_and_moment,
    an_eservice_filing_takes_the_clocks_day_and_moment,
    a_staff_session_ends_when_the_clock_passes_its_idle_time,
);

/// The `value` of the form field named `name` on a page.
fn input_value<'a>(page: &'a str, name: &str) -> Option<&'a str> {
    let rest = &page[page.find(&format!("name=\"{name}\""))?..];
    let rest = &rest[..rest.find('>')?];
    let start = rest.find("value=\"")? + "value=\"".len();
    Some(&rest[start..start + rest[start..].find('"')?])
}

/// The sequence number of the newest audit event.
async fn last_seq(app: &TestApp) -> i64 {
    app.count("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_event")
        .await
}

/// Every audit event after `seq` carries the moment the case `case_id` was registered
/// (one transaction, one moment), and there is at least one.
async fn events_carry_the_cases_moment(app: &TestApp, seq: i64, case_id: i64) {
    let events = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE seq > {seq}"
        ))
        .await;
    let at_the_moment = app
        .count(&format!(
            "SELECT COUNT(*) FROM audit_event a JOIN case_file c ON c.registered_at = a.occurred_at \
             WHERE a.seq > {seq} AND c.id = {case_id}"
        ))
        .await;
    assert!(events > 0, "the registration is audited");
    assert_eq!(
        at_the_moment, events,
        "every event of the transaction carries the row's moment"
    );
}

async fn a_case_registered_at_the_desk_takes_the_clocks_day_and_moment(app: TestApp) {
    app.login("urzednik").await;
    let form = app.get("/staff/cases/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        input_value(&form.body, "received_on"),
        Some("2026-12-23"),
        "the form offers the clock's day"
    );
    let sa = app
        .count("SELECT id FROM org_unit WHERE symbol = 'SA'")
        .await
        .to_string();
    // Counted by hand. KPA art. 57 § 1: the day of receipt is not counted, every
    // calendar day after it is — holidays and weekends too; § 3: a month ends on the same
    // day number; § 4: an end on a Saturday or a statutory day off (Sunday, holiday —
    // ustawa o dniach wolnych od pracy art. 1: 24–26 December, 1 and 6 January) moves
    // to the next day that is neither.
    let table = [
        // KPA art. 217 § 3, 7 days: 24 (Wigilia), 25, 26 (Saturday), 27 (Sunday), 28, 29,
        // 30 December — Wednesday 30 December is a working day.
        ("certificate", "2026-12-30"),
        // UDIP art. 13 ust. 1, 14 days: Wednesday 6 January 2027 is Epiphany, a holiday
        // → Thursday 7 January.
        ("public_information", "2027-01-07"),
        // KPA art. 35 § 3, 1 month: 23 January 2027 is a Saturday → Monday 25 January.
        ("administrative_simple", "2027-01-25"),
    ];
    for (kind, due) in table {
        let seq = last_seq(&app).await;
        let response = app
            .post_form(
                "/staff/cases/new",
                &[
                    ("unit_id", sa.as_str()),
                    ("jrwa_symbol", "5340"),
                    ("kind", kind),
                    ("title", "Sprawa złożona przed świętami"),
                    ("party_name", "Ewa Testowa"),
                    ("party_address", ""),
                    ("party_email", ""),
                    ("received_on", "2026-12-23"),
                    ("channel", "counter"),
                    ("assign_to_me", "on"),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let id: i64 = response
            .location()
            .strip_prefix("/staff/cases/")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("{}", response.location()));
        let stored = app
            .count(&format!(
                "SELECT COUNT(*) FROM case_file WHERE id = {id} AND received_on = '2026-12-23' \
                 AND statutory_due_on = '{due}' AND due_on = '{due}' AND year = 2026 \
                 AND registered_at >= '{MOMENT_FROM}' AND registered_at < '{MOMENT_TO}'"
            ))
            .await;
        assert_eq!(
            stored, 1,
            "{kind}: received 2026-12-23, due {due}, now by the clock"
        );
        let page = app.get(response.location()).await;
        assert!(page.body.contains(due), "{kind}: the page shows {due}");
        events_carry_the_cases_moment(&app, seq, id).await;
        // The history: the registration and the assignment, at the same moment.
        let history = app
            .count(&format!(
                "SELECT COUNT(*) FROM case_event e JOIN case_file c ON c.id = e.case_id \
                 WHERE c.id = {id} AND e.occurred_at = c.registered_at"
            ))
            .await;
        assert_eq!(history, 2, "the case's history has the row's moment");
    }

    // The clock's tomorrow is in the future: refused at the field, nothing written.
    let before = app.count("SELECT COUNT(*) FROM case_file").await;
    let refused = app
        .post_form(
            "/staff/cases/new",
            &[
                ("unit_id", sa.as_str()),
                ("jrwa_symbol", "5340"),
                ("kind", "certificate"),
                ("title", "Sprawa z jutra"),
                ("party_name", "Ewa Testowa"),
                ("received_on", "2026-12-24"),
                ("channel", "counter"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Data nie może być późniejsza niż dziś."),
        "{}",
        refused.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM case_file").await, before);
}

async fn an_eservice_filing_takes_the_clocks_day_and_moment(app: TestApp) {
    let seq = last_seq(&app).await;
    let mut fields = residence_certificate();
    fields.push(("submission_key", "key-clock-00000000001"));
    let scan = pdf();
    let filed = app
        .post_multipart(
            "/services/SA-2/apply",
            &fields,
            &[("fee_proof", "oplata.pdf", "application/pdf", &scan)],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let code = filed
        .location()
        .strip_prefix("/applications/")
        .unwrap()
        .to_owned();
    // SA-2 is a certificate, 7 days (KPA art. 217 § 3): Wednesday 30 December, counted
    // across 24–27 December as in the desk test above.
    let id = app
        .count(&format!(
            "SELECT id FROM case_file WHERE tracking_code = '{code}' \
             AND received_on = '2026-12-23' AND statutory_due_on = '2026-12-30' \
             AND due_on = '2026-12-30' AND year = 2026 \
             AND registered_at >= '{MOMENT_FROM}' AND registered_at < '{MOMENT_TO}'"
        ))
        .await;
    // The incoming item is registered in the same transaction, at the same moment; it was
    // received when the resident submitted, just before.
    let incoming = app
        .count(&format!(
            "SELECT COUNT(*) FROM incoming_item i JOIN case_file c ON c.correspondence_id = i.id \
             WHERE c.id = {id} AND i.registered_at = c.registered_at AND i.year = 2026 \
             AND i.received_at >= '{MOMENT_FROM}' AND i.received_at <= c.registered_at"
        ))
        .await;
    assert_eq!(incoming, 1);
    events_carry_the_cases_moment(&app, seq, id).await;
    let confirmation = app.get(filed.location()).await;
    assert!(
        confirmation.body.contains(".2026"),
        "the znak carries the clock's year"
    );
}

async fn a_staff_session_ends_when_the_clock_passes_its_idle_time(app: TestApp) {
    let idle = SignedDuration::from_mins(i64::from(app.state.config.session_idle_minutes));
    // Short of the idle time by more than a slow request takes.
    let almost = idle - SignedDuration::from_secs(30);
    app.login("admin").await;
    assert_eq!(app.get("/staff/users").await.status, StatusCode::OK);
    // Twice just short of the idle time: each visit moves the idle clock on, so the
    // session lives longer than the idle time in all.
    for _ in 0..2 {
        app.clock().advance(almost);
        assert_eq!(app.get("/staff/users").await.status, StatusCode::OK);
    }
    app.clock().advance(idle + SignedDuration::from_secs(1));
    let ended = app.get("/staff/users").await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(ended.location(), "/login?next=%2Fstaff%2Fusers&expired=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM session").await, 0);

    // However busy, a session ends at its absolute limit.
    app.login("admin").await;
    let absolute = SignedDuration::from_hours(i64::from(app.state.config.session_absolute_hours));
    let mut lived = SignedDuration::ZERO;
    while lived + almost < absolute {
        app.clock().advance(almost);
        lived += almost;
        assert_eq!(app.get("/staff/users").await.status, StatusCode::OK);
    }
    app.clock()
        .advance(absolute - lived + SignedDuration::from_secs(1));
    assert_eq!(app.get("/staff/users").await.status, StatusCode::SEE_OTHER);
}

// =======================================================================================
// The real binary with MAGISTRAT_CLOCK
// =======================================================================================

mod binary {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_server_follows_magistrat_clock(super::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_server_follows_magistrat_clock(super::Backend::Postgres).await;
    }
}

const WARNING: &str = "the office's clock was set (MAGISTRAT_CLOCK)";

async fn the_server_follows_magistrat_clock(backend: Backend) {
    let Some(scratch) = ScratchDatabase::create(backend).await else {
        return;
    };
    let mut demo = magistrat_command(&scratch, &["demo"]);
    let demo = demo
        .env("MAGISTRAT_CLOCK", BEFORE_CHRISTMAS)
        .output()
        .unwrap();
    assert!(demo.status.success(), "magistrat demo: {demo:?}");
    assert!(String::from_utf8_lossy(&demo.stderr).contains(WARNING));

    let mut serve = magistrat_command(&scratch, &["serve", "--listen", "127.0.0.1:0"]);
    serve
        .env("MAGISTRAT_CLOCK", BEFORE_CHRISTMAS)
        .stderr(Stdio::piped());
    let mut server = Server::spawn(serve).await;
    let session = Session::sign_in(server.address).await;
    let calculator = http(
        server.address,
        "GET",
        "/staff/deadline",
        &session.cookies,
        None,
    )
    .await
    .unwrap();
    assert_eq!(calculator.status, 200);
    assert_eq!(
        input_value(&calculator.body, "from"),
        Some("2026-12-23"),
        "the calculator starts from the clock's day"
    );
    let form = http(
        server.address,
        "GET",
        "/staff/cases/new",
        &session.cookies,
        None,
    )
    .await
    .unwrap();
    assert_eq!(input_value(&form.body, "received_on"), Some("2026-12-23"));

    let mut stderr = server.child.stderr.take().unwrap();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(log.contains(WARNING), "serve warns of the set clock: {log}");
    assert!(log.contains("2026-12-23T09:00:00Z"), "and names it: {log}");

    // A command that defaults to today takes the clock's day too.
    let mut reminders = magistrat_command(&scratch, &["reminders", "send", "--dry-run"]);
    let reminders = reminders
        .env("MAGISTRAT_CLOCK", BEFORE_CHRISTMAS)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&reminders.stdout);
    assert!(
        reminders.status.success() && printed.contains("reminders for 2026-12-23:"),
        "{printed}{}",
        String::from_utf8_lossy(&reminders.stderr)
    );

    // The demo office was seeded around the clock's day: its newest cases came in two
    // days before it (the demo's shortest "days ago"), none later.
    let db = Db::connect(&scratch.url, 1).await.unwrap();
    assert!(
        count(
            &db,
            "SELECT COUNT(*) FROM case_file WHERE received_on = '2026-12-21'"
        )
        .await
            > 0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM case_file WHERE received_on > '2026-12-21'"
        )
        .await,
        0
    );
    db.close().await;
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    match &db.pool {
        Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

backend_tests!(the_daily_scheduler_runs_by_the_office_clock);

/// The daily job runner (`platform::jobs::spawn`, as `magistrat serve` starts it) reads
/// the office clock, not the system's, on the office's wall clock: a job due at 07:00 in
/// Warsaw has not run 1.5 s before it, runs once just after it, for the Warsaw date, and
/// not again within the day. (Read in UTC, 07:00 would come an hour later: the test
/// would time out.)
async fn the_daily_scheduler_runs_by_the_office_clock(app: TestApp) {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use magistrat::platform::jobs::{self, Job, Report, Schedule};

    let days = Arc::new(Mutex::new(Vec::new()));
    let job = {
        let days = days.clone();
        Job::new(
            "test_seven",
            Schedule::DailyAt { hour: 7 },
            move |_db, period| {
                let days = days.clone();
                async move {
                    days.lock().unwrap().push(period.day());
                    Ok(Report::detail(serde_json::json!({})))
                }
            },
        )
    };
    // 06:59:58.5 in Warsaw (CET, UTC+1) on Saturday 21 March 2026.
    app.clock().set("2026-03-21T05:59:58.5Z".parse().unwrap());
    let runner = jobs::spawn(&app.db, vec![job]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(days.lock().unwrap().is_empty(), "ran before 07:00");
    let deadline = Instant::now() + Duration::from_secs(20);
    while days.lock().unwrap().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Time for a second run, were the runner to make one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(runner);
    assert_eq!(
        *days.lock().unwrap(),
        vec![jiff::civil::date(2026, 3, 21)],
        "the job runs once, for the office's day"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM job_run WHERE job = 'test_seven' AND period = '2026-03-21'"
        )
        .await,
        1
    );
}
