//! The web layer shared by every capability: the error type, page context and layouts,
//! translations, CSRF, security headers, forms.

pub mod csrf;
pub mod error;
pub mod error_pages;
pub mod i18n;
pub mod page;
pub mod pdf;
pub mod refusals;
pub mod routes;
pub mod security_headers;
pub mod static_files;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::session::{FLASH_COOKIE, build_cookie};

/// After a successful form post: go to `to` (POST/redirect/GET) and show the message
/// `flash_key` there once.
pub fn redirect_with_flash(to: &str, flash_key: &'static str, secure: bool) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        build_cookie(FLASH_COOKIE, flash_key.to_owned(), secure, Some(60)),
    );
    response
}

/// A local path to return to after login: only paths on this site, never `//host`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/staff".to_owned(),
    }
}

pub fn html_content_type() -> HeaderValue {
    HeaderValue::from_static("text/html; charset=utf-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/staff/org")), "/staff/org");
        assert_eq!(safe_next(Some("//evil.example")), "/staff");
        assert_eq!(safe_next(Some("https://evil.example")), "/staff");
        assert_eq!(safe_next(Some("/\\evil.example")), "/staff");
        assert_eq!(safe_next(None), "/staff");
    }
}
