//! Optional resident accounts (docs/decisions/0015-resident-accounts.md): a resident
//! proves an e-mail address by a single-use sign-in link and then sees the cases filed
//! with that address (`/my-cases`). No password, no personal data beyond the address;
//! filing works without an account, and the tracking code still opens any one case.

pub mod pages;
pub mod rules;
pub mod store;

use std::time::Duration;

use crate::auth::throttle::LoginThrottle;
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

/// The rations of sign-in links (in memory, per app server, like the login throttle).
pub struct LinkThrottle {
    per_address: LoginThrottle,
    per_client: LoginThrottle,
}

impl Default for LinkThrottle {
    fn default() -> Self {
        let window = Duration::from_secs(rules::LINK_WINDOW_MINUTES * 60);
        Self {
            per_address: LoginThrottle::new(rules::LINKS_PER_ADDRESS, window),
            per_client: LoginThrottle::new(rules::LINKS_PER_CLIENT, window),
        }
    }
}

impl LinkThrottle {
    /// Counts a request from `client` for a link to `email`; whether it may go out.
    pub fn allow(&self, client: &str, email: &str) -> bool {
        // Both counted, so a refused address still uses up the client's ration.
        let client_ok = self.per_client.allow(client);
        self.per_address.allow(email) && client_ok
    }
}
