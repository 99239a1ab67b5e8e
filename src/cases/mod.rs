//! The JRWA classification, the case register (spis spraw) with znak sprawy,
//! deadlines in use and the case workflow.
//!
//! - [`jrwa`]: the import file, parsed and checked whole (pure);
//! - [`workflow`]: the state machine of a case (pure);
//! - [`store`]: SQL — [`store::register_case`], [`store::apply_step`],
//!   [`store::public_status`], the lists; [`bench_seed`]: bulk benchmark data;
//! - [`pages`]: the case pages; [`registers`]: the registers, workload and the public
//!   petition pages; [`tools`]: the JRWA page and the deadline calculator.
//!
//! The unit scope comes from `crate::auth::scope::UnitScope` (the tree read once per
//! request). Who may do what (src/auth/policy.rs): reading cases needs `ViewCases` within its
//! scope; registering `RegisterCases` for the unit; working on a case `HandleCases`
//! and being its official — or `AssignCases` over its unit (a head of unit acts on any
//! case of their units and assigns them). A user outside the case's unit scope gets
//! 403 (recorded as `access.denied`), before any 404 of the case's parts.

pub mod bench_seed;
pub mod jrwa;
pub mod pages;
pub mod registers;
pub mod store;
pub mod tools;
pub mod workflow;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub use store::{NewCase, PublicCaseStatus, RegisteredCase, public_status, register_case};
pub use workflow::Status;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/cases", get(pages::list))
        .route("/staff/cases/new", get(pages::new_form).post(pages::create))
        .route("/staff/cases/register", get(registers::register))
        .route("/staff/cases/workload", get(registers::workload))
        .route("/staff/cases/complaints", get(registers::complaints))
        .route(
            "/staff/cases/public-information",
            get(registers::public_information),
        )
        .route("/staff/cases/{id}", get(pages::detail))
        .route("/staff/cases/{id}/actions/{action}", post(pages::act))
        .route("/staff/jrwa", get(tools::jrwa).post(tools::import))
        .route("/staff/deadline", get(tools::deadline))
        .route("/petitions", get(registers::petitions))
        .route(
            "/petitions/summary/{year}",
            get(registers::petitions_summary),
        )
        .route("/case-status", get(registers::track))
}
