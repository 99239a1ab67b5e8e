//! Cross-site request forgery protection for every state-changing request of the HTML
//! site, in two layers (docs/decisions/0004-csrf.md):
//! 1. the browser's own word: `Sec-Fetch-Site` must be `same-origin` or `none`, and an
//!    `Origin` header, when sent, must name this host;
//! 2. a synchronizer token: the form's hidden `_csrf` field (or the `X-CSRF-Token`
//!    header for scripts) must equal the session's token, or for anonymous visitors the
//!    token in their CSRF cookie. Browsers without Fetch Metadata (older iOS) rely on it.
//!    File uploads (`multipart/form-data`) carry the same `_csrf` field, checked here
//!    too, so no handler can forget it.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::secret::constant_time_eq;
use crate::auth::session::Visitor;
use crate::web::error::AppError;

pub const FORM_FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";

/// The check of one state-changing route of the site (added by `web::routes`, inside
/// the route's permission check).
pub async fn verify_csrf(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(visitor) = request.extensions().get::<Visitor>().cloned() else {
        return AppError::Csrf.into_response();
    };
    if visitor.session_expired {
        return AppError::SessionExpired.into_response();
    }
    if !same_origin(request.headers()) {
        tracing::warn!("cross-origin form post refused");
        return AppError::Csrf.into_response();
    }
    let (parts, body) = request.into_parts();
    if let Some(token) = parts.headers.get(HEADER).and_then(|v| v.to_str().ok()) {
        if !constant_time_eq(token, &visitor.csrf_token) {
            return AppError::Csrf.into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    let multipart = is_multipart(&parts.headers);
    if !multipart && !is_urlencoded(&parts.headers) {
        return AppError::Csrf.into_response();
    }
    // The body is already bounded by the body-limit layer around every route (a body
    // over it fails here as too large); buffering it lets the handler read it again.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return payload_too_large(),
    };
    let token = if multipart {
        multipart_token(&parts, bytes.clone()).await
    } else {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FORM_FIELD)
            .map(|(_, v)| v.into_owned())
    };
    match token {
        Some(token) if constant_time_eq(&token, &visitor.csrf_token) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => AppError::Csrf.into_response(),
    }
}

fn payload_too_large() -> Response {
    let mut response = axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    response
        .extensions_mut()
        .insert(crate::web::error::ErrorInfo {
            code: "payload-too-large",
        });
    response
}

/// Fetch Metadata first, then `Origin` against `Host` (the approach of Go 1.25's
/// `http.CrossOriginProtection`).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Neither header: not a modern browser's cross-site request (curl, tests);
        // the token still has to match.
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
    origin != "null" && origin_host.eq_ignore_ascii_case(host)
}

/// The `_csrf` field of a multipart form (a file upload). Forms put it first, so the
/// parts before it are few; a file part before it is skipped, not buffered twice.
async fn multipart_token(
    parts: &axum::http::request::Parts,
    bytes: axum::body::Bytes,
) -> Option<String> {
    let content_type = parts.headers.get(header::CONTENT_TYPE)?.clone();
    let mut probe = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    // The request's extensions carry the router's body limit (`DefaultBodyLimit`);
    // without it the extractor's own 2 MB default refuses any larger upload here.
    *probe.extensions_mut() = parts.extensions.clone();
    let mut form = Multipart::from_request(probe, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FORM_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

fn is_multipart(headers: &HeaderMap) -> bool {
    content_type_starts_with(headers, "multipart/form-data")
}

fn is_urlencoded(headers: &HeaderMap) -> bool {
    content_type_starts_with(headers, "application/x-www-form-urlencoded")
}

fn content_type_starts_with(headers: &HeaderMap, prefix: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_rules() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[
            ("origin", "http://urzad.pl"),
            ("host", "urzad.pl")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "http://evil.pl"),
            ("host", "urzad.pl")
        ])));
        assert!(!same_origin(&headers(&[
            ("origin", "null"),
            ("host", "urzad.pl")
        ])));
        assert!(same_origin(&headers(&[])));
    }
}
