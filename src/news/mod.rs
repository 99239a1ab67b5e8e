//! News and announcements (aktualności, ogłoszenia) of the office's public home page
//! (issue 13, "Portal"; docs/decisions/0044).
//!
//! - rules: `magistrat_domain::news` — required fields, the alt-text rule for pictures
//!   (WCAG 1.1.1: required, "decorative" only when chosen explicitly), when the public
//!   sees an item, the pages of the list (pure, table- and property-tested);
//! - [`store`]: items and their pictures; every write audited in the same transaction;
//! - [`service`]: what editors do (create, save, publish now or later, withdraw, add
//!   and remove pictures), each one transaction; what other capabilities read
//!   ([`service::latest`] for the home page and the feed, [`service::all_public`] for
//!   the sitemap);
//! - [`public`]: `/aktualnosci` with its pages, each item's page, the pictures;
//! - [`staff`]: the editor at `/staff/news…` with preview;
//! - [`demo`]: the demo office's news.
//!
//! Who may do what (src/auth/policy.rs): reading is public; `EditBip` — the BIP editor,
//! who keeps the office's public information — writes and publishes news. Pictures are
//! attachments (`attachments::check`: the bytes must prove PNG or JPEG) served inline
//! with `nosniff` and a sandboxing CSP.

pub mod demo;
pub mod public;
pub mod service;
pub mod staff;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let edit = Access::Staff(Permission::EditBip);
    Routes::site()
        .get("/aktualnosci", Access::Public, public::list)
        .get("/aktualnosci/{id}", Access::Public, public::item)
        .get("/aktualnosci/obrazy/{id}", Access::Public, public::image)
        .get("/staff/news", edit, staff::list)
        .get("/staff/news/new", edit, staff::new_form)
        .post("/staff/news/new", edit, staff::create)
        .get("/staff/news/images/{id}", edit, staff::image)
        .get("/staff/news/{id}", edit, staff::edit)
        .post("/staff/news/{id}", edit, staff::save)
        .get("/staff/news/{id}/preview", edit, staff::preview)
        .post("/staff/news/{id}/publish", edit, staff::publish)
        .post("/staff/news/{id}/withdraw", edit, staff::withdraw)
        .post("/staff/news/{id}/images", edit, staff::add_image)
        .post(
            "/staff/news/{id}/images/{image_id}/remove",
            edit,
            staff::remove_image,
        )
}
