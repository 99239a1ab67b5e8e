//! Group commit (platform::write_queue): jobs that queue while the database is busy
//! share one transaction, each in its own savepoint; one failing job fails alone; every
//! caller hears its answer after the commit. And e-service filings through it: filed at
//! once, all acknowledged and numbered without a gap.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use magistrat::db::audit::{self, Actor, Change};
use magistrat::db::{Db, Pool, Tx, UtcTime};
use magistrat::platform::write_queue::{self, JobFuture};
use magistrat::{with_db, with_tx};
use serde_json::json;
use tokio::sync::oneshot;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    queued_jobs_share_a_transaction_and_a_failing_one_fails_alone,
    a_panicking_job_fails_and_the_queue_goes_on,
    a_failed_job_takes_its_audit_events_back_and_the_chain_goes_on,
    concurrent_filings_are_all_acknowledged_and_numbered_without_gaps,
);

async fn execute(tx: &mut Tx, sql: &str, label: &str) -> Result<(), sqlx::Error> {
    let sql = sql.to_owned();
    with_tx!(tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .bind(label)
        .execute(c)
        .await
        .map(drop))
}

/// A job that writes its label (twice when `duplicate`: a unique violation) and says
/// which transaction it ran in (by the moment the transaction began).
fn probe(
    label: &'static str,
    duplicate: bool,
) -> impl for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, UtcTime, sqlx::Error> + Send + 'static {
    move |tx: &mut Tx| -> JobFuture<'_, UtcTime, sqlx::Error> {
        Box::pin(async move {
            execute(tx, "INSERT INTO wq_probe (label) VALUES ($1)", label).await?;
            if duplicate {
                execute(tx, "INSERT INTO wq_probe (label) VALUES ($1)", label).await?;
            }
            Ok(tx.now())
        })
    }
}

async fn labels(db: &Db) -> Vec<String> {
    let sql = "SELECT label FROM wq_probe ORDER BY label";
    match &db.pool {
        Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

/// Waits until `n` jobs are queued behind the running batch.
async fn until_queued(db: &Db, n: u64) {
    until(db, |s| s.queued >= n).await;
}

async fn until(db: &Db, done: impl Fn(write_queue::Stats) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(db.write_queue().stats()) {
        assert!(Instant::now() < deadline, "{:?}", db.write_queue().stats());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn queued_jobs_share_a_transaction_and_a_failing_one_fails_alone(app: TestApp) {
    let db = app.db.clone();
    let ddl = "CREATE TABLE wq_probe (label TEXT NOT NULL UNIQUE)";
    with_db!(db, |c| sqlx::query(ddl).execute(c).await.map(drop)).unwrap();
    // The first job holds its batch open until told, so the next ones queue behind it.
    let (started, running) = oneshot::channel::<()>();
    let (release, released) = oneshot::channel::<()>();
    let first = tokio::spawn({
        let db = db.clone();
        async move {
            write_queue::submit(
                &db,
                move |tx: &mut Tx| -> JobFuture<'_, UtcTime, sqlx::Error> {
                    Box::pin(async move {
                        execute(tx, "INSERT INTO wq_probe (label) VALUES ($1)", "a").await?;
                        started.send(()).ok();
                        released.await.ok();
                        Ok(tx.now())
                    })
                },
            )
            .await
        }
    });
    running.await.unwrap();
    let mut queued = Vec::new();
    for (label, duplicate) in [("b", false), ("c", true), ("d", false), ("e", false)] {
        let db = db.clone();
        queued.push(tokio::spawn(async move {
            write_queue::submit(&db, probe(label, duplicate)).await
        }));
    }
    until_queued(&db, 4).await;
    assert!(
        !first.is_finished(),
        "answered before its batch was committed"
    );
    release.send(()).unwrap();

    let first = first.await.unwrap().unwrap();
    let mut results = Vec::new();
    for job in queued {
        results.push(job.await.unwrap());
    }
    // The duplicate failed with its own unique violation, alone.
    let failed = results[1].as_ref().unwrap_err();
    assert!(magistrat::db::is_unique_violation(failed), "{failed:?}");
    let moments: Vec<UtcTime> = [&results[0], &results[2], &results[3]]
        .into_iter()
        .map(|r| *r.as_ref().unwrap())
        .collect();
    // b, d and e shared one transaction (one moment of beginning), not the first's.
    assert!(moments.iter().all(|m| *m == moments[0]), "{moments:?}");
    assert_ne!(moments[0], first);
    // Only the failed job's writes are gone, its first insert included.
    assert_eq!(labels(&db).await, ["a", "b", "d", "e"]);
    let stats = db.write_queue().stats();
    assert_eq!(
        (stats.batches, stats.jobs, stats.largest_batch, stats.queued),
        (2, 5, 4, 0)
    );

    // A lone job runs at once, in a batch of its own.
    write_queue::submit(&db, probe("f", false)).await.unwrap();
    assert_eq!(db.write_queue().stats().batches, 3);
    assert_eq!(labels(&db).await.len(), 5);
}

/// A job that records an audit event (and writes its label; twice when `duplicate`,
/// failing after its event), answering with the event's number.
fn audited(
    label: &'static str,
    duplicate: bool,
) -> impl for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, i64, sqlx::Error> + Send + 'static {
    move |tx: &mut Tx| -> JobFuture<'_, i64, sqlx::Error> {
        Box::pin(async move {
            let actor = Actor::system("test");
            let seq = audit::record(tx, &actor, Change::action("probe", "wq_probe", label)).await?;
            execute(tx, "INSERT INTO wq_probe (label) VALUES ($1)", label).await?;
            if duplicate {
                execute(tx, "INSERT INTO wq_probe (label) VALUES ($1)", label).await?;
            }
            Ok(seq)
        })
    }
}

/// The audit head a transaction holds (read at its first event, written at commit)
/// goes back with a failed job's savepoint: the next job's event takes the number the
/// failed one had, and the chain verifies — on PostgreSQL also when the failed job was
/// the one that took the head's row lock.
async fn a_failed_job_takes_its_audit_events_back_and_the_chain_goes_on(app: TestApp) {
    let db = app.db.clone();
    let ddl = "CREATE TABLE wq_probe (label TEXT NOT NULL UNIQUE)";
    with_db!(db, |c| sqlx::query(ddl).execute(c).await.map(drop)).unwrap();
    // A first batch: its first job fails after its event (it took the head), the next
    // records after it.
    let (started, running) = oneshot::channel::<()>();
    let (release, released) = oneshot::channel::<()>();
    let holder = tokio::spawn({
        let db = db.clone();
        async move {
            write_queue::submit(&db, move |_tx: &mut Tx| -> JobFuture<'_, (), sqlx::Error> {
                Box::pin(async move {
                    started.send(()).ok();
                    released.await.ok();
                    Ok(())
                })
            })
            .await
        }
    });
    running.await.unwrap();
    let mut queued = Vec::new();
    for (label, duplicate) in [("x", true), ("y", false), ("z", true), ("w", false)] {
        let db = db.clone();
        queued.push(tokio::spawn(async move {
            write_queue::submit(&db, audited(label, duplicate)).await
        }));
    }
    until_queued(&db, 4).await;
    release.send(()).unwrap();
    holder.await.unwrap().unwrap();
    let mut results = Vec::new();
    for job in queued {
        results.push(job.await.unwrap());
    }
    assert!(results[0].is_err() && results[2].is_err(), "{results:?}");
    let (y, w) = (*results[1].as_ref().unwrap(), *results[3].as_ref().unwrap());
    // x's event was taken back: y has its number; z's too: w follows y.
    assert_eq!(w, y + 1);
    assert_eq!(labels(&db).await, ["w", "y"]);
    let (head, events): (i64, i64) = with_db!(db, |c| sqlx::query_as(
        "SELECT (SELECT last_seq FROM audit_head WHERE id = 1), \
         (SELECT COUNT(*) FROM audit_event)"
    )
    .fetch_one(c)
    .await)
    .unwrap();
    assert_eq!((head, events), (w, w));
    assert!(matches!(
        audit::verify(&db).await.unwrap(),
        audit::Verdict::Intact { .. }
    ));
    // The next transaction carries on from the head written at that commit.
    let next = write_queue::submit(&db, audited("v", false)).await.unwrap();
    assert_eq!(next, w + 1);
    // A lone job that fails (no savepoint: its transaction rolls back) leaves nothing.
    assert!(write_queue::submit(&db, audited("u", true)).await.is_err());
    let after = write_queue::submit(&db, audited("t", false)).await.unwrap();
    assert_eq!(after, next + 1);
    assert_eq!(labels(&db).await, ["t", "v", "w", "y"]);
    assert!(matches!(
        audit::verify(&db).await.unwrap(),
        audit::Verdict::Intact { .. }
    ));
}

async fn a_panicking_job_fails_and_the_queue_goes_on(app: TestApp) {
    let crashed = write_queue::submit(&app.db, |_tx: &mut Tx| -> JobFuture<'_, (), sqlx::Error> {
        Box::pin(async { panic!("a bug in a job") })
    })
    .await;
    assert!(crashed.is_err());
    // A new leader takes the next job.
    let next = write_queue::submit(
        &app.db,
        |tx: &mut Tx| -> JobFuture<'_, UtcTime, sqlx::Error> {
            Box::pin(async move { Ok(tx.now()) })
        },
    );
    tokio::time::timeout(Duration::from_secs(30), next)
        .await
        .expect("the queue is stuck after a panic")
        .unwrap();
}

fn public_information_request(n: usize) -> serde_json::Value {
    json!({
        "service_card": "OR-1",
        "fields": {
            "name": format!("Mieszkaniec {n}"),
            "email": format!("mieszkaniec{n}@example.pl"),
            "request": "Proszę o informację o wydatkach na drogi gminne w 2025 r.",
            "delivery": "email",
        },
    })
}

async fn numbers(db: &Db, sql: &str) -> Vec<i64> {
    let sql = sql.to_owned();
    match &db.pool {
        Pool::Sqlite(p) => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .fetch_all(p)
            .await
            .unwrap(),
        Pool::Postgres(p) => sqlx::query_scalar::<_, i32>(sqlx::AssertSqlSafe(sql))
            .fetch_all(p)
            .await
            .unwrap()
            .into_iter()
            .map(i64::from)
            .collect(),
    }
}

async fn concurrent_filings_are_all_acknowledged_and_numbered_without_gaps(app: TestApp) {
    const FILINGS: usize = 12;
    let app = Arc::new(app);
    // An official's write holds the write lock (SQLite) and the audit chain's head
    // (PostgreSQL) while residents file, so their filings queue behind it.
    let mut held = app.db.begin().await.unwrap();
    audit::record(
        &mut held,
        &Actor::system("test"),
        Change::action("hold", "test", 1),
    )
    .await
    .unwrap();
    let mut filings = Vec::new();
    for n in 0..FILINGS {
        let app = Arc::clone(&app);
        filings.push(tokio::spawn(async move {
            let mut request = Request::post("/api/v1/applications")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(public_information_request(n).to_string()))
                .unwrap();
            // Twelve residents, twelve addresses: one address's ration (decision 0023)
            // is not what this test is about.
            let octet = u8::try_from(n + 1).unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from((
                    [198, 51, 100, octet],
                    40_000,
                ))));
            app.send(request).await
        }));
    }
    // All reach the queue. SQLite: the leader waits for its turn before it takes any,
    // so all twelve go into one batch; PostgreSQL: the first batch (whatever had
    // queued when the leader started) waits for the audit head, the rest queue behind.
    until(&app.db, |s| s.jobs + s.queued >= FILINGS as u64).await;
    held.commit().await.unwrap();

    let mut znaki = Vec::new();
    let mut register_numbers = Vec::new();
    for filing in filings {
        let answer = filing.await.unwrap();
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let body = answer.json();
        znaki.push(body["znak"].as_str().unwrap().to_owned());
        register_numbers.push(body["register_number"].as_str().unwrap().to_owned());
    }
    let stats = app.db.write_queue().stats();
    assert!(stats.largest_batch >= FILINGS as u64 / 2, "{stats:?}");
    // Every answer names its own case and incoming item.
    znaki.sort();
    znaki.dedup();
    register_numbers.sort();
    register_numbers.dedup();
    assert_eq!((znaki.len(), register_numbers.len()), (FILINGS, FILINGS));
    // The register the filings went into numbers its cases 1..=n, no repeat, no gap;
    // so does the incoming register of the year.
    // A znak is UNIT.JRWA.NUMBER.YEAR.
    let (rest, year) = znaki[0].rsplit_once('.').unwrap();
    let (unit_jrwa, _number) = rest.rsplit_once('.').unwrap();
    let cases = numbers(
        &app.db,
        &format!(
            "SELECT number FROM case_file WHERE znak LIKE '{unit_jrwa}.%.{year}' ORDER BY number"
        ),
    )
    .await;
    assert!(cases.len() >= FILINGS);
    assert_eq!(cases, (1..=cases.len() as i64).collect::<Vec<_>>());
    let incoming = numbers(
        &app.db,
        &format!("SELECT number FROM incoming_item WHERE year = {year} ORDER BY number"),
    )
    .await;
    assert_eq!(incoming, (1..=incoming.len() as i64).collect::<Vec<_>>());
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        audit::Verdict::Intact { .. }
    ));
}
