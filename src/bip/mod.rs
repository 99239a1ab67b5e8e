//! BIP (Biuletyn Informacji Publicznej): the office's bulletin of public information,
//! and the parts of the public portal built on it (feeds, sitemap, accessibility
//! declaration).
//!
//! - rules: `magistrat_domain::bip` — the subject menu, the metadata of UDIP art. 8
//!   ust. 6, the change register's rules, the publication state machine and the HTML
//!   policy (pure, table- and property-tested);
//! - [`store`]: publications, immutable versions, drafts, the change register, withheld
//!   information, settings; every write audited in the same transaction;
//! - [`service`]: what editors do (save a draft, submit, publish now or later, remove,
//!   record withheld information), each one transaction, nothing half-written;
//! - [`public`]: the BIP for everyone (`/bip…`), print view and XML export;
//! - [`staff`]: the editor (`/staff/bip…`) with preview and review;
//! - [`feeds`]: Atom feeds and the sitemap; [`declaration`]: the accessibility
//!   declaration at `/deklaracja-dostepnosci`;
//! - [`index`]: the search index (every version prepared for
//!   `magistrat_domain::search`, kept per app server, rebuilt when the database's
//!   `bip_search_version` moves); [`search_page`]: `/bip/szukaj`;
//! - [`demo`]: the demo office's BIP.
//!
//! Who may do what (src/auth/policy.rs): reading is public; `EditBip` (the BIP editor)
//! drafts, publishes, removes and records withheld information; `ConfigureBip` (the
//! administrator) sets the four-eyes rule, the editorial office's address and the
//! declaration's data. With review required, a second editor publishes what the first
//! submitted (`magistrat_domain::bip::transition`).

pub mod bench_seed;
pub mod declaration;
pub mod demo;
pub mod feeds;
pub mod index;
pub mod public;
pub mod search_page;
pub mod service;
pub mod staff;
pub mod store;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let edit = Access::Staff(Permission::EditBip);
    let configure = Access::Staff(Permission::ConfigureBip);
    Routes::site()
        .get("/bip", Access::Public, public::home)
        .get("/bip/dzial/{slug}", Access::Public, public::section)
        .get(
            "/bip/dzial/{slug}/feed.atom",
            Access::Public,
            feeds::section,
        )
        .get("/bip/publikacje/{id}", Access::Public, public::publication)
        .get(
            "/bip/publikacje/{id}/wersje/{number}",
            Access::Public,
            public::version,
        )
        .get("/bip/publikacje/{id}/druk", Access::Public, public::print)
        .get(
            "/bip/publikacje/{id}/xml",
            Access::Public,
            feeds::xml_export,
        )
        .get(
            "/bip/rejestr-zmian",
            Access::Public,
            public::change_register,
        )
        .get("/bip/usuniete", Access::Public, public::removed)
        .get(
            "/bip/informacje-nieudostepnione",
            Access::Public,
            public::withheld,
        )
        .get("/bip/redakcja", Access::Public, public::editors)
        .get("/bip/instrukcja", Access::Public, public::instruction)
        .get("/bip/szukaj", Access::Public, search_page::search)
        .get("/deklaracja-dostepnosci", Access::Public, declaration::page)
        .get("/feed.atom", Access::Public, feeds::announcements)
        .get("/sitemap.xml", Access::Public, feeds::sitemap)
        .get("/sitemap-{part}", Access::Public, feeds::sitemap_part)
        .get("/staff/bip", edit, staff::list)
        .get("/staff/bip/new", edit, staff::new_form)
        .post("/staff/bip/new", edit, staff::create)
        .get("/staff/bip/withheld", edit, staff::withheld_form)
        .post("/staff/bip/withheld", edit, staff::add_withheld)
        .get("/staff/bip/settings", configure, staff::settings_form)
        .post("/staff/bip/settings", configure, staff::save_settings)
        .get("/staff/bip/{id}", edit, staff::edit)
        .post("/staff/bip/{id}", edit, staff::save)
        .get("/staff/bip/{id}/preview", edit, staff::preview)
        .post("/staff/bip/{id}/submit", edit, staff::submit)
        .post("/staff/bip/{id}/return", edit, staff::return_draft)
        .post("/staff/bip/{id}/publish", edit, staff::publish)
        .post("/staff/bip/{id}/remove", edit, staff::remove)
}
