//! The web layer shared by every capability: the error type, page context and layouts,
//! translations, CSRF, security headers, forms.

pub mod client_address;
pub mod csrf;
pub mod error;
pub mod error_pages;
pub mod i18n;
pub mod page;
pub mod pdf;
pub mod refusals;
pub mod request_id;
pub mod routes;
pub mod security_headers;
pub mod share;
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

/// A local path to return to after login: only a path on this site
/// (`magistrat_domain::local_path`), else the staff start page.
pub fn safe_next(next: Option<&str>) -> String {
    local_or(next, "/staff")
}

/// `next` when it is a path on this site (`magistrat_domain::local_path`, the one
/// decision for every redirect to a place the visitor named), else `fallback`.
pub fn local_or(next: Option<&str>, fallback: &str) -> String {
    next.and_then(magistrat_domain::local_path::local_path)
        .unwrap_or(fallback)
        .to_owned()
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
        assert_eq!(safe_next(Some("/\t/host")), "/staff");
        assert_eq!(safe_next(Some("/\n")), "/staff");
        assert_eq!(local_or(Some("/%5Chost"), "/"), "/");
        assert_eq!(local_or(Some("/uslugi?q=a"), "/"), "/uslugi?q=a");
        assert_eq!(safe_next(None), "/staff");
    }
}
