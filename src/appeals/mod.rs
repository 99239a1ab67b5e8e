//! Appeals and ponaglenia lodged through the gmina: an appeal (odwołanie) against a
//! delivered decision (KPA art. 129 § 1–2), registered on its case with the day the
//! gmina received it and, for a letter posted at a Polish post office, the day of
//! posting (art. 57 § 5 pkt 2), which decides whether the party kept its term; the
//! organ's choice of a new decision by itself (art. 132) or forwarding with the case
//! file to the appeal body within 7 days (art. 133); a ponaglenie (art. 37 § 3)
//! forwarded within 7 days with the organ's answer (art. 37 § 4). The organ's last day
//! shows on the appeal, on the case's list and in the list of those still to be passed
//! on (`/staff/appeals`), by that day.
//!
//! - [`store`]: storage; every act audited and entered in the metryka
//!   (`case_documents::store::record_act`) in its own transaction;
//! - [`rules`]: the forms read into valid values (the form kit);
//! - [`pages`]: the pages; [`demo`]: a delivered decision appealed against.
//!
//! The pure rules are in `magistrat_domain::appeals` (the terms in
//! `magistrat_domain::party_terms`).
//!
//! Who may do what (src/auth/policy.rs): reading needs `ViewCases` over the case's
//! unit; registering and disposing `HandleCases` as the case's official, or
//! `AssignCases` over its unit (the head).

pub mod demo;
pub mod pages;
pub mod rules;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewCases);
    let handle = Access::Staff(Permission::HandleCases);
    Routes::site()
        .get("/staff/appeals", view, pages::list)
        .get("/staff/appeals/{id}", view, pages::show)
        .post("/staff/appeals/{id}", handle, pages::dispose)
        .get("/staff/cases/{id}/appeals", view, pages::case_appeals)
        .post("/staff/cases/{id}/appeals", handle, pages::register)
}
