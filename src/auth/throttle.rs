//! Slowing password guessing without locking the owner out
//! (docs/decisions/0023-throttling-without-lockout.md).
//!
//! Two growing delays ([`Backoff`]), both on the office's clock:
//! - per account *and* client address: after `login_free_failures` wrong passwords for
//!   one account from one address, each further attempt from there waits 1 s, 2 s,
//!   4 s, … up to `login_max_delay_seconds`. The owner signing in from another address
//!   is not slowed by the guesser at all;
//! - per client address, whatever the accounts: after `login_address_free_failures`
//!   failures the same delays, against guessing one password over many accounts.
//!
//! No account is ever locked: the delays are the guesser's, and they end.

use jiff::Timestamp;

use crate::config::Config;
use crate::platform::throttle::{Backoff, address_key};

pub struct LoginThrottle {
    per_account: Backoff,
    per_address: Backoff,
}

/// What one login attempt is counted under.
pub struct AttemptKeys {
    account: String,
    address: String,
}

impl AttemptKeys {
    /// The keys of an attempt on `login` from client address `ip`.
    pub fn new(login: &str, ip: Option<&str>) -> Self {
        let address = address_key(ip);
        // Logins are matched case-insensitively and trimmed: so are their keys.
        let login: String = login.trim().to_lowercase().chars().take(64).collect();
        Self {
            account: format!("{login}\u{0}{address}"),
            address,
        }
    }
}

impl LoginThrottle {
    pub fn new(config: &Config) -> Self {
        let max = config.login_max_delay_seconds;
        Self {
            per_account: Backoff::new(config.login_free_failures, max),
            per_address: Backoff::new(config.login_address_free_failures, max),
        }
    }

    /// Seconds the attempt must still wait, if any (the longer of the two delays).
    pub fn wait(&self, keys: &AttemptKeys, now: Timestamp) -> Option<u64> {
        let account = self.per_account.wait(&keys.account, now);
        let address = self.per_address.wait(&keys.address, now);
        account.max(address)
    }

    /// Counts a failed attempt (wrong password, unknown login, disabled account).
    pub fn failed(&self, keys: &AttemptKeys, now: Timestamp) {
        self.per_account.fail(&keys.account, now);
        self.per_address.fail(&keys.address, now);
    }

    /// A successful sign-in forgets the account's failures from that address. The
    /// address's own count stays: signing in to one's own account must not buy more
    /// guesses at others'.
    pub fn succeeded(&self, keys: &AttemptKeys) {
        self.per_account.clear(&keys.account);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_guesser_slows_himself_not_the_owner_elsewhere() {
        let config = Config {
            login_free_failures: 5,
            login_address_free_failures: 20,
            login_max_delay_seconds: 900,
            ..Config::default()
        };
        let throttle = LoginThrottle::new(&config);
        let t = at("2026-12-03T10:00:00Z");
        let attacker = AttemptKeys::new("jakosc", Some("203.0.113.66"));
        for _ in 0..7 {
            throttle.failed(&attacker, t);
        }
        // Seven failures, five free: the next waits 2^(7-5) = 4 s.
        assert_eq!(throttle.wait(&attacker, t), Some(4));
        // The same login typed otherwise is the same account.
        assert_eq!(
            throttle.wait(&AttemptKeys::new(" JAKOSC ", Some("203.0.113.66")), t),
            Some(4)
        );
        // The owner at the office is not slowed; nor is another account from the
        // guesser's address (7 of its 20 free failures used).
        assert_eq!(
            throttle.wait(&AttemptKeys::new("jakosc", Some("192.0.2.10")), t),
            None
        );
        assert_eq!(
            throttle.wait(&AttemptKeys::new("kadry", Some("203.0.113.66")), t),
            None
        );
    }

    #[test]
    fn guessing_across_accounts_slows_the_address() {
        let config = Config {
            login_free_failures: 5,
            login_address_free_failures: 3,
            ..Config::default()
        };
        let throttle = LoginThrottle::new(&config);
        let t = at("2026-12-03T10:00:00Z");
        for login in ["a", "b", "c"] {
            throttle.failed(&AttemptKeys::new(login, Some("203.0.113.66")), t);
        }
        assert_eq!(
            throttle.wait(&AttemptKeys::new("d", Some("203.0.113.66")), t),
            Some(1)
        );
    }
}
