//! Optional resident accounts (docs/decisions/0015-resident-accounts.md): a resident
//! proves an e-mail address by a single-use sign-in link and then sees the cases filed
//! with that address (`/my-cases`). No password, no personal data beyond the address;
//! filing works without an account, and the tracking code still opens any one case.

pub mod pages;
pub mod rules;
pub mod service;
pub mod store;

use jiff::Timestamp;

use crate::platform::throttle::{Backoff, Ration, address_key};
use crate::web::routes::{Access, Routes};

/// The resident session cookie (apart from the staff one: a resident is never staff).
pub const RESIDENT_COOKIE: &str = "magistrat_resident";

pub fn routes() -> Routes {
    Routes::site()
        .get("/my-cases", Access::Public, pages::my_cases)
        .post("/my-cases/link", Access::Public, pages::request_link)
        .get("/my-cases/link/{token}", Access::Public, pages::open_link)
        .post("/my-cases/link/{token}", Access::Public, pages::use_link)
        .post("/my-cases/sign-out", Access::Public, pages::sign_out)
}

/// The rations of sign-in links (in memory, per app server, like the login throttle):
/// growing delays, never a lock (decision 0023). Each request that sends a letter
/// counts under three keys, and waits as long as the longest of their delays:
/// - the recipient and the client address together: a few free, then 1 s, 2 s, … —
///   someone asking for another person's links slows only himself;
/// - the client address, whatever the recipients: a script sending to a list;
/// - the recipient, whatever the clients: a mailbox flooded from many addresses; its
///   delay is capped low ([`rules::RECIPIENT_MAX_DELAY_SECONDS`]) so that the owner,
///   at worst, waits minutes, never a lockout.
pub struct LinkThrottle {
    per_pair: Backoff,
    per_client: Backoff,
    per_recipient: Backoff,
}

impl Default for LinkThrottle {
    fn default() -> Self {
        Self {
            per_pair: Backoff::new(rules::LINKS_FREE_PER_PAIR, rules::LINK_MAX_DELAY_SECONDS),
            per_client: Backoff::new(rules::LINKS_FREE_PER_CLIENT, rules::LINK_MAX_DELAY_SECONDS),
            per_recipient: Backoff::new(
                rules::LINKS_FREE_PER_RECIPIENT,
                rules::RECIPIENT_MAX_DELAY_SECONDS,
            ),
        }
    }
}

impl LinkThrottle {
    /// Seconds a request from `client` (an address) for a link to `email` must still
    /// wait, or `None` after counting it as a letter sent.
    pub fn take(&self, client: Option<&str>, email: &str, now: Timestamp) -> Option<u64> {
        let client = address_key(client);
        let pair = format!("{email}\u{0}{client}");
        let wait = [
            self.per_pair.wait(&pair, now),
            self.per_client.wait(&client, now),
            self.per_recipient.wait(email, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if wait.is_none() {
            self.per_pair.fail(&pair, now);
            self.per_client.fail(&client, now);
            self.per_recipient.fail(email, now);
        }
        wait
    }
}

/// The rations of the residents' app API (in memory, per app server, like the link
/// throttle): each bearer token has [`rules::APP_REQUESTS_PER_MINUTE`] requests a
/// minute; failed code exchanges slow their client address ([`Backoff`]).
pub struct AppRations {
    per_token: Ration,
    exchanges: Backoff,
}

impl Default for AppRations {
    fn default() -> Self {
        Self {
            per_token: Ration::new(rules::APP_REQUESTS_PER_MINUTE),
            exchanges: Backoff::new(
                rules::EXCHANGES_FREE_PER_CLIENT,
                rules::LINK_MAX_DELAY_SECONDS,
            ),
        }
    }
}

impl AppRations {
    /// Takes one of the token's requests of this minute (`token_hash` names it), or
    /// says how many seconds are left of the minute.
    pub fn take(&self, token_hash: &str, now: Timestamp) -> Result<(), u64> {
        let second = now.as_second();
        if self.per_token.take(token_hash, second.div_euclid(60)) {
            Ok(())
        } else {
            Err(u64::try_from(60 - second.rem_euclid(60)).unwrap_or(60))
        }
    }

    /// Seconds the client must still wait before exchanging a code, if any.
    pub fn exchange_wait(&self, client: Option<&str>, now: Timestamp) -> Option<u64> {
        self.exchanges.wait(&address_key(client), now)
    }

    /// Counts a failed exchange against the client.
    pub fn exchange_failed(&self, client: Option<&str>, now: Timestamp) {
        self.exchanges.fail(&address_key(client), now);
    }
}
