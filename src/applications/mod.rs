//! E-service applications: a resident fills in a service card's form on the public
//! site (or an integrator posts it to `/api/v1/applications`), attaches files and
//! files it. The filing becomes, in one transaction, an incoming item of the
//! correspondence register and a registered case; the resident gets the znak sprawy, a
//! tracking code and a confirmation of filing with the moment and a SHA-256 of what was
//! filed, as a page, as a PDF and by e-mail (HTML and text, the PDF attached) when the
//! form has an e-mail field.
//!
//! `confirmation.rs` is what the confirmation says (one content for page, PDF and
//! e-mail: what happens next, for the record), `filing.rs` the pure part (the filed document, its hash, the applicant),
//! `service.rs` the filing whoever sends it (checks, then the transaction), `store.rs`
//! the transaction, `pages.rs` the form and the confirmation, `rations.rs` how many
//! filings one client address may make; the API (`crate::api::applications`) calls
//! the same service.

pub mod confirmation;
pub mod filing;
pub mod pages;
pub mod rations;
pub mod service;
pub mod store;

pub use store::ApplicationError;

use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get("/services/{code}/apply", Access::Public, pages::form)
        .post("/services/{code}/apply", Access::Public, pages::submit)
        .get("/applications/{code}", Access::Public, pages::confirmation)
        .get(
            "/applications/{code}/confirmation.pdf",
            Access::Public,
            pages::confirmation_pdf,
        )
}
