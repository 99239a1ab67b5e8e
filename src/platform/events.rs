//! Live events: one publish/subscribe API over both databases (decision 0017).
//!
//! A writer calls [`publish`] inside its own transaction, so nothing is announced that
//! did not commit. The event is stored in `live_event` (id, topic, payload JSON, at):
//! a subscriber that comes back with the last id it saw (SSE `Last-Event-ID`) first
//! reads what it missed from there, then goes on live, without a duplicate or a gap.
//!
//! Delivery between processes:
//! - **PostgreSQL**: `pg_notify` in the same transaction (PostgreSQL delivers it at
//!   commit, to every app server that listens). Each server runs one listener task
//!   ([`sqlx::postgres::PgListener`], started by its first subscriber) and fans the
//!   events out in-process. Publishers of one topic take a transaction advisory lock on
//!   it first, so ids grow in commit order within a topic and "after id N" is exact.
//! - **SQLite** (one app server): the transaction keeps its events and hands them to
//!   the in-process hub after its commit ([`crate::db::Tx::commit`]); SQLite's single
//!   writer makes ids grow in commit order.
//!
//! When the listener loses its connection, or a slow subscriber falls behind the
//! in-process channel, subscribers read the stored events again from their last id
//! instead of trusting the live stream. Old events are pruned by the job of
//! [`prune_job`].

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::{OnceCell, broadcast, watch};

use super::jobs::{Job, Report, Schedule};
use crate::db::{Db, Pool, Tx, TxConn, UtcTime};
use crate::with_db;

/// The PostgreSQL notification channel every app server listens on.
pub const CHANNEL: &str = "magistrat_live_event";

/// PostgreSQL refuses notification payloads from 8000 bytes; a larger event is
/// announced by id and read from the table by the listener.
const NOTIFY_LIMIT: usize = 7900;

/// Events held for slow subscribers in this process before they must re-read.
const HUB_CAPACITY: usize = 1024;

/// Stored events read at once when catching up.
const BATCH: i64 = 200;

/// One announced event.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Event {
    /// Grows in commit order within a topic; the SSE `id:`.
    pub id: i64,
    pub topic: String,
    pub payload: serde_json::Value,
    /// When the publishing transaction began (the office's clock).
    pub at: UtcTime,
    /// The payload as JSON text, made once for every subscriber of this process: a
    /// board's event goes to a thousand open streams, which each cloned and serialised
    /// it before (docs/decisions/0053).
    #[serde(skip)]
    text: OnceLock<String>,
}

/// Equal when the event is: the kept text is only a copy of the payload.
impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        (self.id, &self.topic, &self.payload, self.at)
            == (other.id, &other.topic, &other.payload, other.at)
    }
}

impl Event {
    fn new(id: i64, topic: String, payload: serde_json::Value, at: UtcTime) -> Self {
        Self {
            id,
            topic,
            payload,
            at,
            text: OnceLock::new(),
        }
    }

    /// The payload as JSON text (made on first use, then shared).
    #[must_use]
    pub fn payload_text(&self) -> &str {
        self.text.get_or_init(|| self.payload.to_string())
    }
}

/// What the in-process channel carries.
#[derive(Clone, Debug)]
enum Signal {
    Event(Arc<Event>),
    /// Events may have been missed (the listener reconnected): read the table again.
    Resync,
}

/// This process's hub: the in-process channel, the PostgreSQL listener (started once)
/// and the shutdown switch. The database handle carries it beside the clock; clones
/// share it.
#[derive(Clone, Debug)]
pub struct EventHub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    sender: broadcast::Sender<Signal>,
    listening: OnceCell<()>,
    closed: watch::Sender<bool>,
    /// Held from a publishing transaction's commit until its events are handed out
    /// (SQLite), so they reach subscribers in commit order: the next publisher cannot
    /// commit in between and overtake them.
    commit_order: tokio::sync::Mutex<()>,
}

impl Default for EventHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(HUB_CAPACITY);
        let (closed, _) = watch::channel(false);
        Self {
            inner: Arc::new(Inner {
                sender,
                listening: OnceCell::new(),
                closed,
                commit_order: tokio::sync::Mutex::new(()),
            }),
        }
    }
}

impl EventHub {
    /// Waits for this process's previous publishing transaction to have handed out
    /// its events; hold the guard over the commit and [`EventHub::deliver`].
    pub(crate) async fn commit_turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.inner.commit_order.lock().await
    }

    /// Hands committed events to this process's subscribers (SQLite's path; on
    /// PostgreSQL the listener does it).
    pub(crate) fn deliver(&self, events: Vec<Event>) {
        for event in events {
            // No subscriber is not an error.
            let _ = self.inner.sender.send(Signal::Event(Arc::new(event)));
        }
    }

    /// Ends every subscription of this process (the server is shutting down: open SSE
    /// streams must end, or the graceful shutdown would wait for them forever).
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    pub fn is_closed(&self) -> bool {
        *self.inner.closed.borrow()
    }

    /// Starts this process's PostgreSQL listener once, and waits until it listens: a
    /// subscriber reads the stored events only after that, so an event committed
    /// afterwards is certain to arrive live.
    async fn ensure_listening(&self, pool: &Pool) -> Result<(), sqlx::Error> {
        let Pool::Postgres(pool) = pool else {
            return Ok(());
        };
        self.inner
            .listening
            .get_or_try_init(|| async {
                let listener = listen(pool).await?;
                tokio::spawn(run_listener(
                    pool.clone(),
                    listener,
                    self.inner.sender.clone(),
                ));
                Ok::<(), sqlx::Error>(())
            })
            .await?;
        Ok(())
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// The notification text: the whole event, or only its id and topic when too large.
#[derive(Serialize, Deserialize)]
struct Notice {
    id: i64,
    topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<UtcTime>,
}

/// The listener task: one per app server, fanning notifications out in-process. Ends
/// when the pool is closed.
async fn run_listener(pool: PgPool, mut listener: PgListener, sender: broadcast::Sender<Signal>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match event_of(&pool, notification.payload()).await {
                Ok(Some(event)) => {
                    let _ = sender.send(Signal::Event(Arc::new(event)));
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "live event unreadable; subscribers re-read");
                    let _ = sender.send(Signal::Resync);
                }
            },
            // The connection was lost and is back (listening again): whatever was
            // announced meanwhile is only in the table.
            Ok(None) => {
                let _ = sender.send(Signal::Resync);
            }
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "live event listener lost; reconnecting");
                listener = loop {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if pool.is_closed() {
                        return;
                    }
                    match listen(&pool).await {
                        Ok(l) => break l,
                        Err(e) => tracing::warn!(error = %e, "live event listener: no connection"),
                    }
                };
                let _ = sender.send(Signal::Resync);
            }
        }
    }
}

async fn event_of(pool: &PgPool, text: &str) -> Result<Option<Event>, sqlx::Error> {
    let notice: Notice =
        serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    if let (Some(payload), Some(at)) = (notice.payload, notice.at) {
        return Ok(Some(Event::new(notice.id, notice.topic, payload, at)));
    }
    let row: Option<(i64, String, String, UtcTime)> =
        sqlx::query_as("SELECT id, topic, payload, at FROM live_event WHERE id = $1")
            .bind(notice.id)
            .fetch_optional(pool)
            .await?;
    row.map(decode).transpose()
}

fn decode((id, topic, payload, at): (i64, String, String, UtcTime)) -> Result<Event, sqlx::Error> {
    let payload = serde_json::from_str(&payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(Event::new(id, topic, payload, at))
}

/// Takes `topic`'s publishing lock in `tx` now, before the writer reads what it will
/// publish, and holds it to commit (PostgreSQL; SQLite's one writer already holds the
/// database). A writer whose event carries a snapshot of state (the service point's
/// queue) reads that state after the previous publisher of the topic committed, so a
/// later event never shows an older state. The same lock [`publish`] takes (taking it
/// twice in one transaction is allowed).
pub async fn hold_topic(tx: &mut Tx, topic: &str) -> Result<(), sqlx::Error> {
    if let TxConn::Postgres(c) = &mut tx.conn {
        sqlx::query("SELECT pg_advisory_xact_lock(1835100020, hashtext($1))")
            .bind(topic)
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

/// Publishes `payload` on `topic` inside `tx`: stored at once, announced when (and
/// only if) the transaction commits. Returns the event's id.
pub async fn publish(
    tx: &mut Tx,
    topic: &str,
    payload: &serde_json::Value,
) -> Result<i64, sqlx::Error> {
    let at = tx.now();
    let text = payload.to_string();
    let id: i64 = match &mut tx.conn {
        TxConn::Sqlite(c) => {
            sqlx::query_scalar(
                "INSERT INTO live_event (topic, payload, at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(topic)
            .bind(&text)
            .bind(at)
            .fetch_one(&mut **c)
            .await?
        }
        TxConn::Postgres(c) => {
            // One publisher of a topic at a time until commit: ids of a topic are then
            // taken in commit order, so a subscriber's "after id N" misses nothing.
            sqlx::query("SELECT pg_advisory_xact_lock(1835100020, hashtext($1))")
                .bind(topic)
                .execute(&mut **c)
                .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO live_event (topic, payload, at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(topic)
            .bind(&text)
            .bind(at)
            .fetch_one(&mut **c)
            .await?;
            let mut notice = Notice {
                id,
                topic: topic.to_owned(),
                payload: Some(payload.clone()),
                at: Some(at),
            };
            let mut text = serde_json::to_string(&notice).unwrap_or_default();
            if text.len() > NOTIFY_LIMIT {
                notice.payload = None;
                notice.at = None;
                text = serde_json::to_string(&notice).unwrap_or_default();
            }
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(text)
                .execute(&mut **c)
                .await?;
            id
        }
    };
    if tx.is_sqlite() {
        tx.after_commit(Event::new(id, topic.to_owned(), payload.clone(), at));
    }
    Ok(id)
}

/// The newest event id of `topic` (0 when none is stored): where a page rendered now
/// tells its script to resume from.
pub async fn last_id(db: &Db, topic: &str) -> Result<i64, sqlx::Error> {
    let id: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar("SELECT MAX(id) FROM live_event WHERE topic = $1")
            .bind(topic)
            .fetch_one(c)
            .await
    })?;
    Ok(id.unwrap_or(0))
}

/// The stored events of `topic` after `after`, oldest first, at most `limit`.
pub async fn stored_after(
    db: &Db,
    topic: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    let rows: Vec<(i64, String, String, UtcTime)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, topic, payload, at FROM live_event WHERE topic = $1 AND id > $2 \
             ORDER BY id LIMIT CAST($3 AS BIGINT)",
        )
        .bind(topic)
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await
    })?;
    rows.into_iter().map(decode).collect()
}

/// A subscription to one topic: the stored events after the given id, then the live
/// ones, each once and in order.
pub struct Subscription {
    db: Db,
    topic: String,
    receiver: broadcast::Receiver<Signal>,
    closed: watch::Receiver<bool>,
    backlog: VecDeque<Event>,
    /// The id of the last event handed out (or the subscription's starting point).
    last: i64,
    /// The last read of the table was a full batch: read on before going live.
    more_stored: bool,
}

/// Subscribes to `topic`. With `after` (the last id the subscriber saw) the stored
/// events after it come first; without, only events published from now on.
pub async fn subscribe(
    db: &Db,
    topic: &str,
    after: Option<i64>,
) -> Result<Subscription, sqlx::Error> {
    let hub = db.events();
    hub.ensure_listening(&db.pool).await?;
    // Live first, then the table: whatever commits after the read arrives live, and
    // what arrives live twice is dropped by its id.
    let receiver = hub.inner.sender.subscribe();
    let closed = hub.inner.closed.subscribe();
    let last = match after {
        Some(id) => id,
        None => last_id(db, topic).await?,
    };
    let mut subscription = Subscription {
        db: db.clone(),
        topic: topic.to_owned(),
        receiver,
        closed,
        backlog: VecDeque::new(),
        last,
        more_stored: after.is_some(),
    };
    subscription.read_stored().await?;
    Ok(subscription)
}

impl Subscription {
    async fn read_stored(&mut self) -> Result<(), sqlx::Error> {
        let stored = stored_after(&self.db, &self.topic, self.last, BATCH).await?;
        self.more_stored = i64::try_from(stored.len()).unwrap_or(i64::MAX) >= BATCH;
        self.backlog.extend(stored);
        Ok(())
    }

    /// The next event, or `None` when the hub closes (shutdown). A database error while
    /// catching up ends the subscription too (the client reconnects with its last id).
    pub async fn next(&mut self) -> Option<Event> {
        self.next_shared().await.map(Arc::unwrap_or_clone)
    }

    /// [`Self::next`] without copying: an event announced in this process is one
    /// allocation that every subscriber shares.
    pub async fn next_shared(&mut self) -> Option<Arc<Event>> {
        loop {
            if *self.closed.borrow() {
                return None;
            }
            if let Some(event) = self.backlog.pop_front() {
                if event.id > self.last {
                    self.last = event.id;
                    return Some(Arc::new(event));
                }
                continue;
            }
            if self.more_stored {
                if let Err(e) = self.read_stored().await {
                    tracing::warn!(error = %e, topic = %self.topic, "live events: catching up failed");
                    return None;
                }
                continue;
            }
            let signal = tokio::select! {
                changed = self.closed.changed() => {
                    if changed.is_err() { return None; }
                    continue;
                }
                signal = self.receiver.recv() => signal,
            };
            match signal {
                Ok(Signal::Event(event)) => {
                    if event.topic == self.topic && event.id > self.last {
                        self.last = event.id;
                        return Some(event);
                    }
                }
                Ok(Signal::Resync) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    self.more_stored = true;
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }

    /// The id of the last event handed out.
    pub fn last_id(&self) -> i64 {
        self.last
    }
}

/// Deletes the events older than `before`; returns how many.
pub async fn prune(db: &Db, before: UtcTime) -> Result<u64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query("DELETE FROM live_event WHERE at < $1")
            .bind(before)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
}

/// How long events stay for subscribers catching up.
pub const RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The job that keeps `live_event` bounded: every hour, the events older than
/// [`RETENTION`] go (a subscriber away longer than that reloads its page).
pub fn prune_job() -> Job {
    Job::new(
        "live_events_prune",
        Schedule::EveryMinutes(60),
        |db, _period| async move {
            let before = db.clock().now().checked_add(-RETENTION);
            let removed = prune(&db, before).await?;
            Ok(Report::detail(serde_json::json!({ "removed": removed })))
        },
    )
}
