//! The archive (issue 10; docs/decisions/0039): the spis spraw in the columns of the
//! instrukcja kancelaryjna (page, CSV, PDF), the yearly closing of a unit's spis spraw,
//! the transfer of closed files (teczki) to the archiwum zakładowe with a spis
//! zdawczo-odbiorczy (page, CSV, PDF), retention from the archival category, and the
//! destruction of files due — never before the state archive's consent is recorded.
//!
//! - [`spis`]: the spis spraw (it keeps the address `/staff/cases/register`);
//! - [`pages`]: closing, transfers, the archive's files, consents, destructions;
//! - [`rules`]: the forms (pure); the archive's rules are `magistrat_domain::archive`;
//! - [`store`]: SQL, each write checked and audited in its transaction;
//! - [`service`]: what other capabilities ask (whether a year's spis spraw is closed).

pub mod demo;
pub mod export;
pub mod pages;
pub mod rules;
pub mod service;
pub mod spis;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewCases);
    let registers = Access::Staff(Permission::KeepRegisters);
    let archive = Access::Staff(Permission::KeepArchive);
    // A spis zdawczo-odbiorczy is read by the archive's keeper and by who keeps the
    // unit's registers: the handler checks which.
    let staff = Access::Staff(Permission::StaffArea);
    Routes::site()
        .get("/staff/cases/register", view, spis::page)
        .get("/staff/cases/register.csv", view, spis::csv)
        .get("/staff/cases/register.pdf", view, spis::pdf)
        .get("/staff/archive", registers, pages::overview)
        .post("/staff/archive/close", registers, pages::close_year)
        .post("/staff/archive/transfers", registers, pages::transfer)
        .get("/staff/archive/transfers/{id}", staff, pages::transfer_page)
        .get(
            "/staff/archive/transfers/{id}/spis.csv",
            staff,
            pages::transfer_csv,
        )
        .get(
            "/staff/archive/transfers/{id}/spis.pdf",
            staff,
            pages::transfer_pdf,
        )
        .get("/staff/archive/files", archive, pages::files)
        .post("/staff/archive/consents", archive, pages::consent)
        .post(
            "/staff/archive/files/{id}/destroyed",
            archive,
            pages::destroyed,
        )
}
