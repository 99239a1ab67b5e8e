//! Service cards (karty usług): the office's public catalogue of matters, with
//! their downloadable forms and e-service form definitions.
//!
//! - [`rules`]: what a card is and the card form's validation (pure);
//! - [`form_definition`]: e-service form definitions and the check of a submission
//!   (pure, in the domain crate; the e-service capability renders and checks its forms
//!   with it);
//! - [`file_type`]: what an uploaded file really is, by its bytes (pure, in the domain
//!   crate);
//! - [`store`]: storage, every write audited; the audit events are the card's history;
//! - [`catalogue`]: the published catalogue kept in memory, checked against the
//!   database's catalogue version on every use;
//! - [`public`]: the catalogue and the card for everyone, no sign-in;
//! - [`staff`]: the staff list, editor, publishing, history and file uploads.
//!
//! Who may edit (src/auth/policy.rs): `ManageServiceCards`. An administrator holds it
//! office-wide; a head of unit (manager) only for the cards of their unit and the
//! units below it — another unit's card answers 403, and only their units are offered
//! as the responsible unit.

pub mod catalogue;
pub mod definition_editor;
pub mod demo;
pub mod public;
pub mod rules;
pub mod staff;
pub mod store;

// Pure, in the domain crate (fuzzed there); re-exported under their old paths.
pub use magistrat_domain::{file_type, form_definition};

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

/// Largest downloadable form: 5 MB.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

pub fn routes() -> Routes {
    let manage = Access::Staff(Permission::ManageServiceCards);
    Routes::site()
        .get("/services", Access::Public, public::catalogue)
        .get("/services/{code}", Access::Public, public::card)
        .get(
            "/services/{code}/files/{id}/{file_name}",
            Access::Public,
            public::download,
        )
        .get("/staff/service-cards", manage, staff::list)
        .get("/staff/service-cards/export", manage, staff::export)
        .get("/staff/service-cards/new", manage, staff::new_form)
        .post("/staff/service-cards/new", manage, staff::create)
        .get("/staff/service-cards/{code}", manage, staff::edit)
        .post("/staff/service-cards/{code}", manage, staff::update)
        .post(
            "/staff/service-cards/{code}/publish",
            manage,
            staff::publish,
        )
        .get(
            "/staff/service-cards/{code}/history",
            manage,
            staff::history,
        )
        .post("/staff/service-cards/{code}/files", manage, staff::upload)
        .post(
            "/staff/service-cards/{code}/files/{id}/delete",
            manage,
            staff::remove_file,
        )
}
