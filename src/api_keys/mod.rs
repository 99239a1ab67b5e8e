//! API keys of integrators (issue 12, decision 0035): staff create, name, scope and
//! revoke them here and with `magistrat apikey`; the Open311 endpoint
//! (`problem_reports::open311`) checks them on every use.
//!
//! - `store.rs` — the keys (their keyed hash only), the server secret;
//! - `service.rs` — create, revoke, authenticate a presented key, the per-key and
//!   per-address limits;
//! - `pages.rs` — the staff list, the new key shown once, revoking.

pub mod pages;
pub mod service;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get(
            "/staff/api-keys",
            Access::Staff(Permission::ManageApiKeys),
            pages::list,
        )
        .post(
            "/staff/api-keys",
            Access::Staff(Permission::ManageApiKeys),
            pages::create,
        )
        .post(
            "/staff/api-keys/{id}/revoke",
            Access::Staff(Permission::ManageApiKeys),
            pages::revoke,
        )
}
