//! Refused requests on record without letting a flood of them slow real work
//! (docs/decisions/0019-api-errors-and-refusals.md).
//!
//! A refusal that names nobody (an anonymous or resident visitor: a cross-site form
//! post, a missing form token) is counted in memory by minute, reason and client
//! address; each such tally becomes one `access.denied` audit event carrying the
//! count, written when the minute is over — by the first refusal of a later minute or
//! by the server's periodic flush ([`spawn_flush`]), and at shutdown. A thousand
//! refused posts in a minute from one address thus cost one audit write, not a
//! thousand writes each taking the chain's lock and an fsync ahead of the staff's own
//! work. A refusal of a signed-in staff member's request stays an event of its own: it
//! names a person (ISO/IEC 27001:2022 A 8.15, A 8.16).
//!
//! What is stored is bounded: the path to [`PATH_LIMIT`] characters (marked
//! `path_truncated`), the method to 16, and at most [`MAX_TALLIES`] tallies are kept
//! per minute; refusals beyond that are counted under no address.
//!
//! Every counted refusal also increments `magistrat_refused_requests_total{reason}` on
//! `/metrics` at once: the throttles' and rations' refusals (`login-throttled`,
//! `link-throttled`, `api-filing-rate`, `web-filing-quota`) come through [`note`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::json;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::platform::Clock;

/// The longest path kept in the audit trail, in characters.
pub const PATH_LIMIT: usize = 200;
/// The most tallies (minute, reason, address) kept in memory at a time.
pub const MAX_TALLIES: usize = 10_000;
const METHOD_LIMIT: usize = 16;

/// One minute's refusals for one reason from one address.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct Key {
    /// Whole minutes since the Unix epoch.
    pub minute: i64,
    pub reason: &'static str,
    /// `None` when the tallies were full: the refusals of many addresses.
    pub ip: Option<String>,
}

/// What a tally remembers: how many, and the first request (bounded).
#[derive(Clone, Debug)]
pub struct Tally {
    pub count: u64,
    pub first_request: String,
    pub path_truncated: bool,
}

/// The counts of this server process.
#[derive(Debug, Default)]
pub struct Refusals {
    tallies: Mutex<HashMap<Key, Tally>>,
}

impl Refusals {
    /// Counts one refusal at `now`. Returns the tallies of minutes already over (at
    /// most once each), for the caller to write.
    pub fn count(
        &self,
        now: Timestamp,
        reason: &'static str,
        ip: Option<&str>,
        method: &str,
        path: &str,
    ) -> Vec<(Key, Tally)> {
        // The metrics see each refusal at once, by reason (a flood shows as a rate).
        metrics::counter!("magistrat_refused_requests_total", "reason" => reason).increment(1);
        let minute = minute_of(now);
        let mut tallies = self.lock();
        let mut key = Key {
            minute,
            reason,
            ip: ip.map(|ip| bounded(ip, 64).0),
        };
        if !tallies.contains_key(&key) && tallies.len() >= MAX_TALLIES {
            key.ip = None;
        }
        tallies
            .entry(key)
            .and_modify(|t| t.count += 1)
            .or_insert_with(|| {
                let (first_request, path_truncated) = request_line(method, path);
                Tally {
                    count: 1,
                    first_request,
                    path_truncated,
                }
            });
        take(&mut tallies, |k| k.minute < minute)
    }

    /// Takes the tallies of minutes that are over at `now`.
    pub fn take_due(&self, now: Timestamp) -> Vec<(Key, Tally)> {
        let minute = minute_of(now);
        take(&mut self.lock(), |k| k.minute < minute)
    }

    /// Takes every tally, the current minute's too (at shutdown).
    pub fn take_all(&self) -> Vec<(Key, Tally)> {
        take(&mut self.lock(), |_| true)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Tally>> {
        // A panic while counting leaves nothing half-done worth refusing to read.
        self.tallies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn take(tallies: &mut HashMap<Key, Tally>, due: impl Fn(&Key) -> bool) -> Vec<(Key, Tally)> {
    let keys: Vec<Key> = tallies.keys().filter(|k| due(k)).cloned().collect();
    let mut taken: Vec<(Key, Tally)> = keys
        .into_iter()
        .filter_map(|k| tallies.remove(&k).map(|t| (k, t)))
        .collect();
    taken.sort_by(|a, b| (a.0.minute, a.0.reason).cmp(&(b.0.minute, b.0.reason)));
    taken
}

fn minute_of(now: Timestamp) -> i64 {
    now.as_second().div_euclid(60)
}

/// `METHOD path`, each bounded; and whether the path was cut.
pub fn request_line(method: &str, path: &str) -> (String, bool) {
    let (method, _) = bounded(method, METHOD_LIMIT);
    let (path, truncated) = bounded(path, PATH_LIMIT);
    (format!("{method} {path}"), truncated)
}

/// The first `limit` characters of `s`, with `…` when cut, and whether it was.
pub fn bounded(s: &str, limit: usize) -> (String, bool) {
    match s.char_indices().nth(limit) {
        Some((end, _)) => (format!("{}…", &s[..end]), true),
        None => (s.to_owned(), false),
    }
}

/// Counts a refusal of an anonymous request (`state.refusals`, on the office's clock)
/// and writes the tallies of finished minutes in the background: a throttle's or a
/// ration's refusal is recorded the same way as a missing form token.
pub fn note(
    state: &crate::app::AppState,
    reason: &'static str,
    ip: Option<&str>,
    method: &str,
    path: &str,
) {
    let due = state
        .refusals
        .count(state.clock.timestamp(), reason, ip, method, path);
    write_in_background(&state.db, due);
}

/// Writes tallies as audit events, one per tally, in one transaction.
pub async fn write(db: &Db, tallies: Vec<(Key, Tally)>) -> Result<usize, sqlx::Error> {
    if tallies.is_empty() {
        return Ok(0);
    }
    let written = tallies.len();
    let mut tx = db.begin().await?;
    for (key, tally) in tallies {
        let minute = Timestamp::from_second(key.minute * 60)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let actor = Actor {
            user_id: None,
            login: "anonymous".to_owned(),
            ip: key.ip,
        };
        let change = Change::action("denied", "access", tally.first_request).with_after(&json!({
            "reason": key.reason,
            "count": tally.count,
            "minute": minute,
            "path_truncated": tally.path_truncated,
        }));
        audit::record(&mut tx, &actor, change).await?;
    }
    tx.commit().await?;
    Ok(written)
}

/// Writes the tallies of minutes that are over (the periodic flush; also what a test
/// calls after moving the clock on).
pub async fn flush_due(db: &Db, refusals: &Refusals, clock: &Clock) -> Result<usize, sqlx::Error> {
    write(db, refusals.take_due(clock.timestamp())).await
}

/// Writes every tally, the running minute's too (at shutdown).
pub async fn flush_all(db: &Db, refusals: &Refusals) -> Result<usize, sqlx::Error> {
    write(db, refusals.take_all()).await
}

/// Writes taken tallies in the background, so the request that took them is not
/// the one that waits for the audit write.
pub fn write_in_background(db: &Db, tallies: Vec<(Key, Tally)>) {
    if tallies.is_empty() {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = write(&db, tallies).await {
            tracing::error!(error = %e, "could not audit counted refusals");
        }
    });
}

/// The server's periodic flush: every 15 s, the minutes that are over.
pub fn spawn_flush(db: Db, refusals: std::sync::Arc<Refusals>, clock: Clock) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(15));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = flush_due(&db, &refusals, &clock).await {
                tracing::error!(error = %e, "could not audit counted refusals");
            }
        }
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn counts_per_minute_reason_and_address() {
        let r = Refusals::default();
        let t = at("2026-12-03T10:00:05Z");
        for _ in 0..5 {
            assert!(
                r.count(t, "csrf", Some("10.0.0.1"), "POST", "/login")
                    .is_empty()
            );
        }
        r.count(t, "csrf", Some("10.0.0.2"), "POST", "/login");
        r.count(t, "forbidden", Some("10.0.0.1"), "POST", "/x");
        assert!(r.take_due(at("2026-12-03T10:00:59Z")).is_empty());
        // The next minute's first refusal hands over the finished minute.
        let due = r.count(at("2026-12-03T10:01:00Z"), "csrf", None, "POST", "/");
        assert_eq!(due.len(), 3);
        let first = due
            .iter()
            .find(|(k, _)| k.reason == "csrf" && k.ip.as_deref() == Some("10.0.0.1"))
            .unwrap();
        assert_eq!(first.1.count, 5);
        assert_eq!(first.1.first_request, "POST /login");
        // Taken once only.
        assert!(r.take_due(at("2026-12-03T10:01:30Z")).is_empty());
        assert_eq!(r.take_all().len(), 1);
    }

    #[test]
    fn bounds_what_it_keeps() {
        let r = Refusals::default();
        let t = at("2026-12-03T10:00:00Z");
        let long = format!("/{}", "ą".repeat(60_000));
        r.count(t, "csrf", Some("10.0.0.1"), "POST", &long);
        let (_, tally) = r.take_all().pop().unwrap();
        assert!(tally.path_truncated);
        assert_eq!(
            tally.first_request.chars().count(),
            "POST ".len() + PATH_LIMIT + 1
        );
        assert!(tally.first_request.ends_with('…'));
        assert_eq!(bounded("/short", 200), ("/short".to_owned(), false));
    }

    #[test]
    fn many_addresses_share_one_tally_when_full() {
        let r = Refusals::default();
        let t = at("2026-12-03T10:00:00Z");
        for i in 0..(MAX_TALLIES + 50) {
            r.count(t, "csrf", Some(&format!("10.{i}")), "POST", "/");
        }
        let all = r.take_all();
        assert_eq!(all.len(), MAX_TALLIES + 1);
        let many = all.iter().find(|(k, _)| k.ip.is_none()).unwrap();
        assert_eq!(many.1.count, 50);
    }
}
