//! The manifest, the service worker's script and the offline page.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::page::PageCtx;

/// The site's brand colour (static/app.css `--brand`), for the browser's bars.
pub const THEME_COLOUR: &str = "#0b3d91";

/// The manifest (W3C Web Application Manifest): the office's name, the start page,
/// standalone display, the colours and the icons (192 and 512 px, one maskable).
pub async fn manifest(ctx: PageCtx) -> Response {
    let name = ctx.office_name.clone();
    // The home screen shows about twelve characters: „Urząd Miejski w Borowcu” is
    // shortened to its last word, the town.
    let short_name = short_name(&name);
    let body = serde_json::json!({
        "name": name,
        "short_name": short_name,
        "description": ctx.t("pwa-description"),
        "lang": ctx.lang_code(),
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            { "src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/static/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    });
    let mut response = body.to_string().into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/manifest+json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// A short name for the home screen: the name when it fits, else its last word.
pub fn short_name(name: &str) -> String {
    if name.chars().count() <= 12 {
        return name.to_owned();
    }
    name.split_whitespace()
        .last()
        .unwrap_or(name)
        .chars()
        .take(12)
        .collect()
}

/// The service worker, from the site's root so its scope is the whole site; checked
/// by the browser on every visit (no-cache), so a new version reaches everyone.
pub async fn service_worker() -> Response {
    let mut response = include_str!("../../static/sw.js").into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        HeaderName::from_static("service-worker-allowed"),
        HeaderValue::from_static("/"),
    );
    response
}

#[derive(Template, WebTemplate)]
#[template(path = "pwa/offline.html")]
pub struct OfflinePage {
    pub ctx: PageCtx,
}

/// What the worker shows for a page it has not kept, without a connection.
pub async fn offline(ctx: PageCtx) -> OfflinePage {
    OfflinePage { ctx }
}
