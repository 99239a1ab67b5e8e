//! A client's `X-Request-Id` is kept (a proxy's id ties its log to ours) only when it
//! is an id: 1–64 characters of `[A-Za-z0-9._-]`. Anything else is dropped before the
//! request-id layer, which then makes a fresh one: a client's text never reaches our
//! logs and response headers unbounded (issue 16).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn drop_unfit_request_id(mut request: Request, next: Next) -> Response {
    let unfit = request
        .headers()
        .get_all("x-request-id")
        .iter()
        .enumerate()
        .any(|(i, v)| i > 0 || !is_fit(v.as_bytes()));
    if unfit {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// 1–64 characters of `[A-Za-z0-9._-]`.
pub fn is_fit(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_kept() {
        let longest = "a".repeat(64);
        let too_long = "a".repeat(65);
        for (id, fit) in [
            ("0b6f3c1e-5d2a-4c8e-9f7a-1b2c3d4e5f60", true),
            ("req.42_A", true),
            (longest.as_str(), true),
            (too_long.as_str(), false),
            ("", false),
            ("a b", false),
            ("a\"b", false),
            ("<script>", false),
            ("ż", false),
        ] {
            assert_eq!(is_fit(id.as_bytes()), fit, "{id}");
        }
    }
}
