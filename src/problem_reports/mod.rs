//! Residents' problem reports (zgłoszenia: potholes, broken lights, litter; issue 12,
//! decision 0035), taken from the public form and from Open311 GeoReport v2 clients,
//! and handled by officials.
//!
//! - `store.rs` — the office's area, categories, reports, their public history and
//!   photos, each change audited in its transaction;
//! - `service.rs` — filing a checked report, the list with its filters (Open311's and
//!   the staff list's), an official's acts;
//! - `rules.rs` — a submission read and checked (Open311 names), pure;
//! - `format.rs` — Open311's XML and JSON from one tree, and its error list;
//! - `open311.rs` — the GeoReport v2 endpoint at `/open311/v2/`;
//! - `public.rs` — the public form, a report's public page and photos;
//! - `staff.rs` — the officials' list and a report's page with its acts;
//! - `categories.rs`, `category_form.rs` — the staff pages that create and edit the
//!   categories (with their Open311 attribute definitions) and their form, read pure;
//! - `demo.rs` — the demo town's area, categories and a few hundred reports.
//!
//! The pure rules (place, description, status, terms, dates, the 90-day window, the
//! key format) are in `magistrat_domain::problem_report`.

pub mod bench_seed;
pub mod categories;
pub mod category_form;
pub mod demo;
pub mod format;
pub mod open311;
pub mod public;
pub mod rules;
pub mod service;
pub mod staff;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get("/reports/new", Access::Public, public::new)
        .post("/reports/new", Access::Public, public::create)
        .get("/reports/{id}", Access::Public, public::show)
        .get(
            "/reports/{id}/photos/{photo}",
            Access::Public,
            public::photo,
        )
        .get(
            "/staff/reports",
            Access::Staff(Permission::HandleReports),
            staff::list,
        )
        .get(
            "/staff/reports/{id}",
            Access::Staff(Permission::HandleReports),
            staff::show,
        )
        .post(
            "/staff/reports/{id}/{act}",
            Access::Staff(Permission::HandleReports),
            staff::act,
        )
        .get(
            "/staff/report-categories",
            Access::Staff(Permission::ManageServiceCards),
            categories::list,
        )
        .get(
            "/staff/report-categories/new",
            Access::Staff(Permission::ManageServiceCards),
            categories::new,
        )
        .post(
            "/staff/report-categories/new",
            Access::Staff(Permission::ManageServiceCards),
            categories::create,
        )
        .get(
            "/staff/report-categories/{id}",
            Access::Staff(Permission::ManageServiceCards),
            categories::edit,
        )
        .post(
            "/staff/report-categories/{id}",
            Access::Staff(Permission::ManageServiceCards),
            categories::update,
        )
}
