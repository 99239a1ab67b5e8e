//! Static assets, compiled into the binary: one file to deploy, nothing from a CDN.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::error::AppError;

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
    (
        "case-status.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/case-status.js"),
    ),
    (
        "service-point.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/service-point.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
    // The installable site (src/pwa): the worker's registration and the icons.
    (
        "pwa.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/pwa.js"),
    ),
    (
        "icon-192.png",
        "image/png",
        include_bytes!("../../static/icon-192.png"),
    ),
    (
        "icon-512.png",
        "image/png",
        include_bytes!("../../static/icon-512.png"),
    ),
    (
        "icon-maskable-512.png",
        "image/png",
        include_bytes!("../../static/icon-maskable-512.png"),
    ),
];

pub async fn serve(Path(name): Path<String>) -> Result<Response, AppError> {
    let (_, content_type, bytes) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(AppError::NotFound)?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}
