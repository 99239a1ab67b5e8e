//! Turns every error response into something a person (or a program) can read: a
//! translated HTML page with the status, or under `/api/` a JSON body
//! `{"error": {"code": "...", "message": "..."}}`. Refused access is written to the
//! audit trail here, in one place, whichever route refused it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRef, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::db::audit::{self, Change};
use crate::org::public::PublicOfficeCache;
use crate::web::error::{ErrorInfo, LoginRequired, code_for_status};
use crate::web::page::PageCtx;
use crate::web::refusals;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: String,
    pub message: String,
}

/// The page's `<title>` begun with „Błąd: ” (in the visitor's language). A form page
/// is small; one that cannot be read whole is passed on as it was.
async fn titled_as_error(response: Response, lang: crate::web::i18n::Lang) -> Response {
    const MAX: usize = 4 * 1024 * 1024;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) if text.contains("<title>") => text.replacen(
            "<title>",
            &format!("<title>{}: ", lang.t("form-error-title")),
            1,
        ),
        _ => return Response::from_parts(parts, axum::body::Body::from(bytes)),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(text))
}

pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let visitor = request.extensions().get::<Visitor>().cloned();
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let info = response.extensions().get::<ErrorInfo>().cloned();
    let login = response.extensions().get::<LoginRequired>().cloned();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("text/html")
                || v.starts_with("application/json")
                // Open311's errors in XML, its required format (problem_reports::format).
                || v.starts_with("text/xml")
        });
    // A page rendered on purpose (a form shown again with its errors) stays as it is,
    // but for its title: „Błąd: …” is the first thing a screen reader says of it
    // (WCAG 3.3.1; the error summary takes the focus by itself, `autofocus`).
    if info.is_none() && is_html {
        if status == StatusCode::UNPROCESSABLE_ENTITY && !path.starts_with("/api/") {
            let lang = visitor
                .as_ref()
                .map_or(crate::web::i18n::Lang::Pl, |v| v.lang);
            return titled_as_error(response, lang).await;
        }
        return response;
    }
    let code = info
        .map(|i| i.code)
        .unwrap_or_else(|| code_for_status(status));
    let is_api = path.starts_with("/api/");
    let Some(visitor) = visitor else {
        return response;
    };

    if status == StatusCode::FORBIDDEN {
        audit_refusal(&state, &visitor, code, method.as_str(), &path).await;
    }
    if let Some(login) = login.filter(|_| !is_api) {
        let mut to = format!("/login?next={}", urlencode(&path));
        if login.expired {
            to.push_str("&expired=1");
        }
        return Redirect::to(&to).into_response();
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let message = match retry_after
        .as_ref()
        .and_then(|v| v.to_str().ok()?.parse::<i64>().ok())
    {
        Some(seconds) if status == StatusCode::TOO_MANY_REQUESTS => visitor.lang.t_args(
            "error-too-many-requests-wait",
            &[("seconds", seconds.into())],
        ),
        _ => visitor.lang.t(&format!("error-{code}")),
    };
    if is_api {
        // The response's own headers stay (`Allow` on a 405, `Retry-After` on a 429);
        // only the body and its type change.
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        return Response::from_parts(parts, axum::body::Body::from(body.to_string()));
    }
    let page = ErrorPage {
        ctx: PageCtx::new(
            &visitor,
            path,
            PublicOfficeCache::from_ref(&state).office_name().await,
        ),
        status: status.as_u16(),
        title: error_title(visitor.lang, status),
        message,
    };
    let mut response = (status, page).into_response();
    if let Some(retry_after) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after);
    }
    response
}

/// A refusal of a staff member's request is an event of its own (it names a person);
/// any other is counted, and written once per minute, reason and address
/// (`web::refusals`). The stored path is bounded either way.
async fn audit_refusal(
    state: &AppState,
    visitor: &Visitor,
    code: &'static str,
    method: &str,
    path: &str,
) {
    if visitor.user.is_none() {
        let due = state.refusals.count(
            state.clock.timestamp(),
            code,
            visitor.ip.as_deref(),
            method,
            path,
        );
        refusals::write_in_background(&state.db, due);
        return;
    }
    let (request, path_truncated) = refusals::request_line(method, path);
    let change = Change::action("denied", "access", request).with_after(&serde_json::json!({
        "reason": code,
        "path_truncated": path_truncated,
    }));
    if let Err(e) = audit::record_alone(&state.db, &visitor.actor(), change).await {
        tracing::error!(error = %e, "could not audit a denied request");
    }
}

fn error_title(lang: crate::web::i18n::Lang, status: StatusCode) -> String {
    let key = format!("error-title-{}", status.as_u16());
    if lang.has(&key) {
        lang.t(&key)
    } else {
        lang.t_args(
            "error-title-other",
            &[("status", i64::from(status.as_u16()).into())],
        )
    }
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
