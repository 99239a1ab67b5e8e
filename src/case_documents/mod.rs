//! The documents of a case (akta sprawy): every letter received and sent in one ordered
//! list with an identifier each; letters drafted from the office's templates (decyzja
//! per KPA art. 107 § 1, postanowienie art. 124, wezwanie art. 50/54 and art. 64 § 2,
//! zawiadomienia art. 10 § 1, art. 36, art. 61 § 4), accepted by the head or a person
//! authorised to sign (the register of authorisations, KPA art. 268a), signed (by hand,
//! or electronically outside Magistrat with the signed file kept by its SHA-256), sent
//! as an outgoing item of the correspondence register and delivered; the dekretacja of
//! incoming items; and the metryka sprawy (KPA art. 66a) as a page and a PDF.
//!
//! - [`store`]: storage; every act audited and entered in the metryka in its own
//!   transaction; sending and delivery through the correspondence register's store
//!   functions (`register_outgoing`, `record_delivery`);
//! - [`rules`]: the forms read into valid values (the form kit);
//! - [`pages`]: the case's pages; [`staff`]: templates and authorisations;
//!   [`print`]: the PDFs (through `web::pdf`); [`demo`]: the demo office's templates,
//!   authorisations and letters.
//!
//! The pure rules — the elements each kind requires, the flow, the metryka's acts —
//! are in `magistrat_domain::letters` and `magistrat_domain::metryka`.
//!
//! Who may do what (src/auth/policy.rs): reading needs `ViewCases` over the case's
//! unit; drafting, editing, sending and recording a delivery `HandleCases` as the case's
//! official, or `AssignCases` over its unit; accepting and signing `SignLetters` over
//! the unit (the head) or an authorisation in the register covering the case on the
//! day; the templates `ManageLetterTemplates`; the register of authorisations
//! `ManageAuthorisations`; a dekretacja `AssignCases` over the item's unit.

pub mod demo;
pub mod pages;
pub mod print;
pub mod rules;
pub mod staff;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub use store::{DocumentsError, documents};

pub fn routes() -> Routes {
    let view = Access::Staff(Permission::ViewCases);
    let handle = Access::Staff(Permission::HandleCases);
    let templates = Access::Staff(Permission::ManageLetterTemplates);
    let register = Access::Staff(Permission::ManageAuthorisations);
    Routes::site()
        .get("/staff/cases/{id}/documents", view, pages::documents)
        .get(
            "/staff/cases/{id}/letters/new",
            handle,
            pages::new_letter_form,
        )
        .post(
            "/staff/cases/{id}/letters/new",
            handle,
            pages::create_letter,
        )
        .get("/staff/cases/{id}/metryka", view, pages::metryka_page)
        .get("/staff/cases/{id}/metryka.pdf", view, pages::metryka_pdf)
        .get("/staff/letters/{id}", view, pages::show_letter)
        .post("/staff/letters/{id}", handle, pages::save_letter)
        .post("/staff/letters/{id}/accept", handle, pages::accept_letter)
        .post("/staff/letters/{id}/return", handle, pages::return_letter)
        .post("/staff/letters/{id}/sign", handle, pages::sign_letter)
        .post(
            "/staff/letters/{id}/dispatch",
            handle,
            pages::dispatch_letter,
        )
        .post(
            "/staff/letters/{id}/delivery",
            handle,
            pages::deliver_letter,
        )
        .get("/staff/letters/{id}/pdf", view, pages::letter_pdf)
        .get("/staff/letters/{id}/signed", view, pages::signed_file)
        .get("/staff/letter-templates", templates, staff::templates)
        .get(
            "/staff/letter-templates/new",
            templates,
            staff::new_template,
        )
        .post(
            "/staff/letter-templates/new",
            templates,
            staff::create_template,
        )
        .get(
            "/staff/letter-templates/{id}",
            templates,
            staff::edit_template,
        )
        .post(
            "/staff/letter-templates/{id}",
            templates,
            staff::update_template,
        )
        .get("/staff/authorisations", register, staff::authorisations)
        .post("/staff/authorisations", register, staff::add_authorisation)
        .post(
            "/staff/authorisations/{id}/revoke",
            register,
            staff::revoke_authorisation,
        )
        .get(
            "/staff/dekretacja/{id}",
            Access::Staff(Permission::ViewCorrespondence),
            pages::dekretacja,
        )
        .post(
            "/staff/dekretacja/{id}",
            Access::Staff(Permission::AssignCases),
            pages::dekretuj,
        )
}
