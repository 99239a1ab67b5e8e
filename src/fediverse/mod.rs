//! The office on the Fediverse (issue 13, social; docs/decisions/0045): an ActivityPub
//! actor residents follow from Mastodon and other servers to get the office's
//! announcements.
//!
//! - rules: `magistrat_domain::fediverse` — HTTP Signatures as Mastodon uses them
//!   (the header, the signing string, covered headers, digest, date window), WebFinger's
//!   `acct:` resource, the retry schedule (pure, table- and property-tested);
//! - [`keys`]: the office's RSA key pair (made once, stored; the private key never
//!   served), signing and verifying;
//! - [`client`]: the outgoing HTTP(S) client (hyper + rustls), refusing private
//!   addresses unless `fediverse_allow_private`;
//! - [`store`]: key, followers, cached remote keys, announced publications, deliveries;
//! - [`service`]: the actor, outbox and WebFinger documents, the inbox (`Follow`,
//!   `Undo`), the delivery job; [`service::announcements`] is the one source of what is
//!   announced (today the BIP's announcements);
//! - [`pages`]: the routes.
//!
//! Everything is public: the documents are read by other servers, the inbox checks each
//! post's signature itself.

pub mod client;
pub mod keys;
pub mod pages;
pub mod service;
pub mod store;

use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get("/.well-known/webfinger", Access::Public, pages::webfinger)
        .get("/fediverse", Access::Public, pages::actor)
        .get("/fediverse/outbox", Access::Public, pages::outbox)
        .get("/fediverse/followers", Access::Public, pages::followers)
        .get("/fediverse/notes/{id}", Access::Public, pages::note)
        // Signed by the sending server, not by a browser: no cookies, no CSRF token.
        .merge(Routes::api().post("/fediverse/inbox", Access::Public, pages::inbox))
}
