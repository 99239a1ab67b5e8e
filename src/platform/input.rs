//! The input boundary: control characters are refused once, here, for every field of
//! every form and query, instead of handler by handler (issue 16, decision 0022).
//!
//! A NUL byte makes PostgreSQL refuse a text value (a 500 from the first handler that
//! binds it) and SQLite's full-text search fail; other C0/C1 controls have no place in a
//! name, a subject or a search either, and would split log lines. The tab, line feed and
//! carriage return of multi-line text pass (`magistrat_domain::text`).
//!
//! - A query string or a URL-encoded form body holding one is a 400 with the translated
//!   message `error-control-characters` (an HTML page, or the API's JSON error);
//! - a multipart form's text fields are checked where the one multipart reader reads
//!   them (`attachments::read_multipart`), with the same answer;
//! - JSON bodies of the API are checked by its `ApiJson` extractor, which answers 422
//!   in the API's validation format naming each field.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use magistrat_domain::text::has_forbidden_control;

use crate::web::error::AppError;

/// The refusal of a request with control characters.
pub const REFUSED: AppError = AppError::BadRequest("control-characters");

/// Refuses a request whose query string or URL-encoded body (names or values, once
/// percent-decoded) holds a forbidden control character. Runs inside the body-limit
/// layer, which bounds what is buffered here.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    if request
        .uri()
        .query()
        .is_some_and(|q| pairs_have_control(q.as_bytes()))
    {
        return REFUSED.into_response();
    }
    if !is_url_encoded_form(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        // Over the body limit of the layer outside.
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if pairs_have_control(&bytes) {
        return REFUSED.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_url_encoded_form(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Whether any name or value of `application/x-www-form-urlencoded` data holds a
/// forbidden control character once decoded.
pub fn pairs_have_control(data: &[u8]) -> bool {
    form_urlencoded::parse(data)
        .any(|(k, v)| has_forbidden_control(&k) || has_forbidden_control(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_controls_are_found_in_names_and_values() {
        for (data, found) in [
            ("q=zameldowanie&page=2", false),
            ("notes=dwa%0D%0Awiersze%09tab", false),
            ("q=a%00b", true),
            ("q%00=a", true),
            ("login=admin%1B", true),
            ("q=%C2%85", true),
            ("q=%C5%BC%C3%B3%C5%82w", false),
            ("q=a+b", false),
        ] {
            assert_eq!(pairs_have_control(data.as_bytes()), found, "{data}");
        }
    }
}
