//! The office and its organisation: office details, org units (a tree of symbols valid
//! per year), employees linked to accounts and units, locations with opening hours and
//! closing days.
//!
//! - [`rules`]: the forms' validation, pure and tested beside it;
//! - [`store`]: storage, every write audited in the caller's transaction;
//! - [`office`], [`units`], [`employees`], [`locations`]: the staff pages.
//!
//! Who may do what (src/auth/policy.rs): reading the structure, the staff list and the
//! locations needs `ViewOrg`; editing the office, units and locations needs `ManageOrg`
//! office-wide (they are the whole office's data, so a grant limited to a unit does not
//! give it); editing employees needs `ManageEmployees`, within its scope: a unit-limited
//! HR officer sees and edits only the employees of their units and the units below, and
//! is refused (403, recorded as `access.denied`) for anyone else. Records that do not
//! exist answer 404 — after the permission check, so a 404 tells only a permitted user
//! anything.

pub mod employees;
pub mod locations;
pub mod office;
pub mod public;
pub mod rules;
pub mod store;
pub mod units;

use std::collections::HashMap;

use crate::auth::policy::{Permission, Scope};
use crate::auth::session::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::routes::{Access, Routes};
use store::OrgUnit;

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewOrg);
    let manage = Access::Staff(Permission::ManageOrg);
    let employees = Access::Staff(Permission::ManageEmployees);
    Routes::site()
        .get("/staff/org", view, units::overview)
        .get("/staff/org/office", manage, office::form)
        .post("/staff/org/office", manage, office::save)
        .get("/staff/org/units/new", manage, units::new_form)
        .post("/staff/org/units/new", manage, units::create)
        .get("/staff/org/units/{id}", manage, units::edit)
        .post("/staff/org/units/{id}", manage, units::update)
        .get("/staff/employees", view, employees::list)
        .get("/staff/employees/new", employees, employees::new_form)
        .post("/staff/employees/new", employees, employees::create)
        .get("/staff/employees/{id}", employees, employees::edit)
        .post("/staff/employees/{id}", employees, employees::update)
        .get("/staff/locations", view, locations::list)
        .get("/staff/locations/new", manage, locations::new_form)
        .post("/staff/locations/new", manage, locations::create)
        .get("/staff/locations/{id}", manage, locations::edit)
        .post("/staff/locations/{id}", manage, locations::update)
        .post(
            "/staff/locations/{id}/closures",
            manage,
            locations::add_closure,
        )
        .post(
            "/staff/locations/{id}/closures/{closure_id}/delete",
            manage,
            locations::remove_closure,
        )
}

/// Fails with 403 unless the user holds `permission` for the whole office.
pub(crate) fn require_office_wide(user: &CurrentUser, permission: Permission) -> AppResult<()> {
    match user.scope(permission) {
        Scope::Office => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// The years a unit is valid, for people: „od 2024”, „2010–2019”.
pub(crate) fn years_text(lang: Lang, unit: &OrgUnit) -> String {
    let from = Arg::Str(unit.valid_from_year.to_string());
    match unit.valid_to_year {
        None => lang.t_args("org-years-from", &[("from", from)]),
        Some(to) => lang.t_args(
            "org-years-range",
            &[("from", from), ("to", Arg::Str(to.to_string()))],
        ),
    }
}

/// A unit in a select: „SA — Wydział Spraw Obywatelskich”, with its years when it is
/// not valid this year (two units may share a symbol in different years).
pub(crate) fn unit_label(lang: Lang, unit: &OrgUnit, year: i32) -> String {
    if unit.is_valid_in(year) {
        format!("{} — {}", unit.symbol, unit.name)
    } else {
        format!(
            "{} — {} ({})",
            unit.symbol,
            unit.name,
            years_text(lang, unit)
        )
    }
}

/// Each unit's parent, for walking up the tree.
pub(crate) fn parent_map(units: &[OrgUnit]) -> HashMap<i64, Option<i64>> {
    units.iter().map(|u| (u.id, u.parent_id)).collect()
}
