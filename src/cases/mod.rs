//! The JRWA classification, the case register (spis spraw) with znak sprawy,
//! deadlines in use and the case workflow.
//!
//! - [`jrwa`]: the import file, parsed and checked whole (pure);
//! - [`workflow`]: the state machine of a case (pure);
//! - [`store`]: SQL — [`store::register_case`], [`store::apply_step`],
//!   [`store::public_status`], the lists; [`bench_seed`]: bulk benchmark data;
//! - [`demo`]: the demo office's intake (parties, ex officio, formal defects);
//! - [`pages`]: the case pages; [`list`]: the case list (sorted by a column, CSV,
//!   bulk assignment); [`step_forms`]: the step forms of the case page, read
//!   into a typed [`store::Step`] (`TryFrom`) and drawn with the form kit; [`registers`]: the registers, workload and the public
//!   petition pages; [`tools`]: the JRWA page and the deadline calculator;
//!   [`settlement_mail`]: the notice to the applicant that the case is settled, with
//!   the link to rate the service (mailed after the settling commit).
//!
//! The unit scope comes from `crate::auth::scope::UnitScope` (the tree read once per
//! request). Who may do what (src/auth/policy.rs): reading cases needs `ViewCases` within its
//! scope; registering `RegisterCases` for the unit; working on a case `HandleCases`
//! and being its official — or `AssignCases` over its unit (a head of unit acts on any
//! case of their units and assigns them). A user outside the case's unit scope gets
//! 403 (recorded as `access.denied`), before any 404 of the case's parts.

pub mod bench_seed;
pub mod demo;
pub mod jrwa;
pub mod list;
pub mod pages;
pub mod registers;
pub mod service;
pub mod settlement_mail;
pub mod step_forms;
pub mod store;
pub mod tools;
pub mod workflow;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub use store::{NewCase, PublicCaseStatus, RegisteredCase, public_status, register_case};
pub use workflow::Status;

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewCases);
    let register = Access::Staff(Permission::RegisterCases);
    let staff = Access::Staff(Permission::StaffArea);
    Routes::site()
        .get("/staff/cases", view, list::list)
        .get("/staff/cases/export", view, list::export)
        .post(
            "/staff/cases/assign",
            Access::Staff(Permission::AssignCases),
            list::bulk_assign,
        )
        .get("/staff/cases/new", register, pages::new_form)
        .post("/staff/cases/new", register, pages::create)
        .get(
            "/staff/cases/workload",
            Access::Staff(Permission::ViewWorkload),
            registers::workload,
        )
        .get("/staff/cases/complaints", view, registers::complaints)
        .get(
            "/staff/cases/complaints.csv",
            view,
            registers::complaints_csv,
        )
        .get(
            "/staff/cases/public-information",
            view,
            registers::public_information,
        )
        .get(
            "/staff/cases/public-information.csv",
            view,
            registers::public_information_csv,
        )
        .get("/staff/cases/{id}", view, pages::detail)
        .post(
            "/staff/cases/{id}/actions/assign",
            Access::Staff(Permission::AssignCases),
            pages::assign,
        )
        .post(
            "/staff/cases/{id}/take",
            Access::Staff(Permission::HandleCases),
            pages::take,
        )
        .post(
            "/staff/cases/{id}/actions/{action}",
            Access::Staff(Permission::HandleCases),
            pages::act,
        )
        .get("/staff/jrwa", staff, tools::jrwa)
        .post(
            "/staff/jrwa",
            Access::Staff(Permission::ManageJrwa),
            tools::import,
        )
        .get("/staff/deadline", staff, tools::deadline)
        .get("/petitions", Access::Public, registers::petitions)
        .get(
            "/petitions/summary/{year}",
            Access::Public,
            registers::petitions_summary,
        )
        .get("/case-status", Access::Public, registers::track)
}
