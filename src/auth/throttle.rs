//! Per-address login throttling: at most N attempts per address per window. This slows
//! guessing from one address; the per-account lockout (`login_max_failures`) stops
//! guessing of one account from many addresses. In memory, per app server: with several
//! servers an address gets N per server, which the lockout still bounds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    limit: u32,
    window: Duration,
    attempts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginThrottle {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt from `key` and answers whether it may proceed.
    pub fn allow(&self, key: &str) -> bool {
        self.allow_at(key, Instant::now())
    }

    fn allow_at(&self, key: &str, now: Instant) -> bool {
        let Ok(mut attempts) = self.attempts.lock() else {
            return true;
        };
        // Forget old windows so the map does not grow without bound.
        if attempts.len() > 10_000 {
            attempts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = attempts.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_window() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        assert!(t.allow_at("a", start));
        assert!(t.allow_at("a", start));
        assert!(t.allow_at("a", start));
        assert!(!t.allow_at("a", start));
        assert!(t.allow_at("b", start));
        assert!(t.allow_at("a", start + Duration::from_secs(61)));
    }
}
