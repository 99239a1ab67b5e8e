//! The installable site (issue 12, "Installable PWA"): the manifest with its icons, the
//! service worker served from the root with its scope header and within the CSP, the
//! offline page, and the manifest linked from the public pages. (The worker's offline
//! behaviour is tested in a real browser: e2e/flows/pwa-offline.test.mjs.)

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::backend_tests;
use crate::helpers::TestApp;

backend_tests!(
    the_manifest_names_the_office_and_its_icons_exist,
    the_service_worker_is_served_from_the_root_with_its_scope,
    the_offline_page_and_the_manifest_link_on_public_pages,
);

/// A GET with the body as bytes (images are not text).
async fn bytes(app: &TestApp, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

/// The width and height in a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

async fn the_manifest_names_the_office_and_its_icons_exist(app: TestApp) {
    let response = app.get("/manifest.webmanifest").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.headers[header::CONTENT_TYPE],
        "application/manifest+json"
    );
    let m = response.json();
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["scope"], "/");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["theme_color"], "#0b3d91");
    assert!(m["background_color"].is_string());
    let name = m["name"].as_str().unwrap();
    assert!(name.contains("Borow"), "{name}");
    let short = m["short_name"].as_str().unwrap();
    assert!(!short.is_empty() && short.chars().count() <= 12, "{short}");
    let icons = m["icons"].as_array().unwrap();
    let mut sizes = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().unwrap();
        assert!(
            src.starts_with("/static/"),
            "served by us, not a CDN: {src}"
        );
        let (status, headers, png) = bytes(&app, src).await;
        assert_eq!(status, StatusCode::OK, "{src}");
        assert_eq!(headers[header::CONTENT_TYPE], "image/png", "{src}");
        let (w, h) = png_size(&png);
        assert_eq!(icon["sizes"], format!("{w}x{h}"), "{src}");
        sizes.push((w, icon["purpose"].as_str().unwrap().to_owned()));
    }
    assert!(sizes.contains(&(192, "any".to_owned())), "{sizes:?}");
    assert!(sizes.contains(&(512, "any".to_owned())), "{sizes:?}");
    assert!(sizes.contains(&(512, "maskable".to_owned())), "{sizes:?}");
}

async fn the_service_worker_is_served_from_the_root_with_its_scope(app: TestApp) {
    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status, StatusCode::OK);
    assert_eq!(
        sw.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(sw.headers["service-worker-allowed"], "/");
    assert_eq!(sw.headers[header::CACHE_CONTROL], "no-cache");
    // It keeps the shell, the catalogue and e-tickets, and falls back to /offline.
    for text in [
        "'/services'",
        "'/offline'",
        "\\/tickets\\/",
        "caches.match('/offline')",
    ] {
        assert!(sw.body.contains(text), "{text}");
    }
    // Every file it precaches is served.
    let shell = sw.body.split("const SHELL = [").nth(1).unwrap();
    let shell = shell.split("];").next().unwrap();
    for path in shell.split('\'').skip(1).step_by(2) {
        let (status, ..) = bytes(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    // The CSP lets a same-origin worker and manifest load (default-src 'self', and no
    // worker-src or manifest-src narrowing it), and only our own scripts.
    let csp = sw.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("script-src 'self'"));
    assert!(!csp.contains("worker-src") && !csp.contains("manifest-src"));
    let registration = app.get("/static/pwa.js").await;
    assert_eq!(registration.status, StatusCode::OK);
    assert!(registration.body.contains("register('/sw.js'"));
}

async fn the_offline_page_and_the_manifest_link_on_public_pages(app: TestApp) {
    let offline = app.get("/offline").await;
    assert_eq!(offline.status, StatusCode::OK);
    assert!(offline.body.contains("Brak połączenia z internetem"));
    assert!(offline.body.contains("href=\"/services\""));
    for path in [
        "/",
        "/services",
        "/services/SA-2",
        "/service-points",
        "/bip",
        "/bip/szukaj?q=budzet",
        "/deklaracja-dostepnosci",
        "/offline",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body
                .contains("<link rel=\"manifest\" href=\"/manifest.webmanifest\">"),
            "{path}"
        );
        assert!(
            page.body.contains("<script src=\"/static/pwa.js\" defer>"),
            "{path}"
        );
    }
    app.get("/lang/en?next=/").await;
    let en = app.get("/offline").await;
    assert!(en.body.contains("No internet connection"));
}
