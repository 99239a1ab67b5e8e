//! Slowing down who tries too often, without locking anyone out
//! (docs/decisions/0023-throttling-without-lockout.md).
//!
//! - [`Backoff`]: a few failures are free; after that each further attempt must wait a
//!   delay that doubles with every failure, up to a ceiling. Nothing is ever refused
//!   for longer than the ceiling, and what the delay is keyed on decides whom it slows
//!   (the login keys it on the account *and* the client address, so a guesser slows
//!   himself, not the account's owner elsewhere).
//! - [`Ration`]: at most N uses per key per period (a minute, a day); the period is
//!   the caller's, read from the office's clock.
//!
//! Both live in memory, per app server, and read time from the office's clock
//! ([`crate::platform::Clock`]), so a test moves time on instead of sleeping. With
//! several app servers each keeps its own counts: an attacker spread over them gets
//! each server's allowance, which the doubling still makes small.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use jiff::{SignedDuration, Timestamp};

/// The most keys a throttle remembers; beyond it the quietest are forgotten first.
pub const MAX_KEYS: usize = 100_000;
/// Failures are forgotten this long after the last one.
pub const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// The wait, in whole seconds, before the attempt that follows `failures` failures,
/// when `free` failures cost nothing: none up to `free`, then 1 s, 2 s, 4 s, … doubling
/// with each further failure, never more than `max_seconds`.
pub fn delay_after(failures: u32, free: u32, max_seconds: u64) -> u64 {
    if failures < free {
        return 0;
    }
    let doublings = failures - free;
    let delay = 1_u64.checked_shl(doublings).unwrap_or(u64::MAX);
    delay.min(max_seconds)
}

/// The key a client address is throttled under: the address itself, or for IPv6 its
/// /64 network (one subscriber's usual allocation, so that a host cannot step to a new
/// address and a fresh allowance). `unknown` when the address is not known.
pub fn address_key(ip: Option<&str>) -> String {
    match ip.and_then(|ip| ip.parse::<IpAddr>().ok()) {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_default(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        None => "unknown".to_owned(),
    }
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Timestamp,
}

/// Growing delays after repeated failures, per key.
#[derive(Debug)]
pub struct Backoff {
    free: u32,
    max_seconds: u64,
    entries: Mutex<HashMap<String, Failures>>,
}

impl Backoff {
    /// `free` failures per key cost nothing; after them delays double up to
    /// `max_seconds`.
    pub fn new(free: u32, max_seconds: u64) -> Self {
        Self {
            free,
            max_seconds,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds `key` must still wait at `now` before its next attempt (`None`: it may
    /// go ahead).
    pub fn wait(&self, key: &str, now: Timestamp) -> Option<u64> {
        let entries = self.lock();
        let failures = entries.get(key)?;
        let delay = delay_after(failures.count, self.free, self.max_seconds);
        let delay = SignedDuration::from_secs(i64::try_from(delay).unwrap_or(i64::MAX));
        let until = failures.last.checked_add(delay).unwrap_or(Timestamp::MAX);
        let left = until.duration_since(now);
        if left.is_positive() {
            // Whole seconds, rounded up: waiting the number given is always enough.
            let seconds = left.as_secs() + i64::from(left.subsec_nanos() > 0);
            Some(u64::try_from(seconds).unwrap_or(u64::MAX))
        } else {
            None
        }
    }

    /// Counts a failure (or, for a ration of uses, a use) of `key` at `now`.
    pub fn fail(&self, key: &str, now: Timestamp) {
        let mut entries = self.lock();
        if !entries.contains_key(key) && entries.len() >= MAX_KEYS {
            make_room(&mut entries, now);
        }
        let entry = entries.entry(key.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    /// Forgets the failures of `key` (after a success).
    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Failures counted for `key` (for tests and the audit detail).
    pub fn failures(&self, key: &str) -> u32 {
        self.lock().get(key).map_or(0, |f| f.count)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Failures>> {
        // Counting cannot leave the map half-changed: a panic elsewhere does not poison it.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Frees room in a full map: first what is forgotten anyway, then the quietest half.
fn make_room(entries: &mut HashMap<String, Failures>, now: Timestamp) {
    entries.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
    if entries.len() >= MAX_KEYS {
        let mut lasts: Vec<Timestamp> = entries.values().map(|f| f.last).collect();
        let (_, median, _) = lasts.select_nth_unstable(MAX_KEYS / 2);
        let median = *median;
        entries.retain(|_, f| f.last > median);
    }
}

/// At most `limit` uses per key in one period (the caller numbers the periods: the
/// minute, the day).
#[derive(Debug)]
pub struct Ration {
    limit: u32,
    entries: Mutex<HashMap<String, (i64, u32)>>,
}

impl Ration {
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` has uses left in `period`, without using one.
    pub fn has_left(&self, key: &str, period: i64) -> bool {
        let entries = self.lock();
        match entries.get(key) {
            Some(&(p, used)) if p == period => used < self.limit,
            _ => true,
        }
    }

    /// Uses one of `key`'s uses in `period`; false (and nothing used) when none is left.
    pub fn take(&self, key: &str, period: i64) -> bool {
        let mut entries = self.lock();
        if !entries.contains_key(key) && entries.len() >= MAX_KEYS {
            entries.retain(|_, (p, _)| *p >= period);
            if entries.len() >= MAX_KEYS {
                // Every key is of this period: the newcomer is counted with the rest,
                // under one shared key, rather than not at all.
                return take_in(&mut entries, "(many)", period, self.limit);
            }
        }
        take_in(&mut entries, key, period, self.limit)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (i64, u32)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn take_in(entries: &mut HashMap<String, (i64, u32)>, key: &str, period: i64, limit: u32) -> bool {
    let entry = entries.entry(key.to_owned()).or_insert((period, 0));
    if entry.0 != period {
        *entry = (period, 0);
    }
    if entry.1 >= limit {
        return false;
    }
    entry.1 += 1;
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_after_the_free_failures_up_to_the_ceiling() {
        // (failures so far, free, ceiling) → seconds before the next attempt, by hand.
        let table = [
            (0, 5, 900, 0),
            (4, 5, 900, 0),
            (5, 5, 900, 1),
            (6, 5, 900, 2),
            (7, 5, 900, 4),
            (14, 5, 900, 512),
            (15, 5, 900, 900),
            (200, 5, 900, 900),
            (0, 0, 60, 1),
            (3, 3, 3600, 1),
            (u32::MAX, 0, 900, 900),
        ];
        for (failures, free, max, expected) in table {
            assert_eq!(
                delay_after(failures, free, max),
                expected,
                "{failures} failures, {free} free, ceiling {max}"
            );
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_key_waits_and_others_do_not() {
        let b = Backoff::new(2, 60);
        let t = at("2026-12-03T10:00:00Z");
        b.fail("a", t);
        assert_eq!(b.wait("a", t), None);
        b.fail("a", t);
        // Two failures, two free: the third attempt waits 1 s.
        assert_eq!(b.wait("a", t), Some(1));
        assert_eq!(b.wait("b", t), None);
        assert_eq!(b.wait("a", at("2026-12-03T10:00:01Z")), None);
        b.fail("a", at("2026-12-03T10:00:01Z"));
        // 2 s after the last failure; half a second in, 2 s rounded up still.
        assert_eq!(b.wait("a", at("2026-12-03T10:00:01.5Z")), Some(2));
        assert_eq!(b.wait("a", at("2026-12-03T10:00:03Z")), None);
        b.clear("a");
        assert_eq!(b.failures("a"), 0);
    }

    #[test]
    fn failures_are_forgotten_a_day_after_the_last() {
        let b = Backoff::new(1, 60);
        b.fail("a", at("2026-12-03T10:00:00Z"));
        b.fail("a", at("2026-12-03T10:00:10Z"));
        assert_eq!(b.failures("a"), 2);
        b.fail("a", at("2026-12-04T10:00:10Z"));
        assert_eq!(b.failures("a"), 1);
    }

    #[test]
    fn ipv6_hosts_share_their_network_and_ipv4_stays_whole() {
        assert_eq!(address_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(
            address_key(Some("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            address_key(Some("2001:db8:1:2:bbbb::9")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(address_key(Some("::ffff:203.0.113.7")), "203.0.113.7");
        assert_eq!(address_key(None), "unknown");
        assert_eq!(address_key(Some("nonsense")), "unknown");
    }

    #[test]
    fn a_ration_refuses_beyond_its_limit_until_the_next_period() {
        let r = Ration::new(2);
        assert!(r.take("a", 7));
        assert!(r.has_left("a", 7));
        assert!(r.take("a", 7));
        assert!(!r.has_left("a", 7));
        assert!(!r.take("a", 7));
        assert!(r.take("b", 7));
        assert!(r.take("a", 8));
    }
}
