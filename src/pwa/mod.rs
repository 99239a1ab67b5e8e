//! The public site as an installable web app (issue 12, "Installable PWA";
//! docs/decisions/0038): the web app manifest at `/manifest.webmanifest`, the service
//! worker at `/sw.js` (static/sw.js: keeps the shell, the service catalogue and the
//! e-tickets visited, and shows `/offline` for anything else without a connection),
//! and the offline page. Icons are PNGs in static/, drawn once from the favicon and
//! committed; nothing comes from a CDN.

pub mod pages;

use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get("/manifest.webmanifest", Access::Public, pages::manifest)
        .get("/sw.js", Access::Public, pages::service_worker)
        .get("/offline", Access::Public, pages::offline)
}
