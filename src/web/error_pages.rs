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

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: String,
    pub message: String,
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
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    // A page rendered on purpose (a form shown again with its errors) stays as it is.
    if info.is_none() && is_html {
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
        let change = Change::action("denied", "access", format!("{method} {path}"))
            .with_after(&serde_json::json!({ "reason": code }));
        if let Err(e) = audit::record_alone(&state.db, &visitor.actor(), change).await {
            tracing::error!(error = %e, "could not audit a denied request");
        }
    }
    if let Some(login) = login.filter(|_| !is_api) {
        let mut to = format!("/login?next={}", urlencode(&path));
        if login.expired {
            to.push_str("&expired=1");
        }
        return Redirect::to(&to).into_response();
    }
    let message = visitor.lang.t(&format!("error-{code}"));
    if is_api {
        let body = serde_json::json!({ "error": { "code": code, "message": message } });
        return (status, axum::Json(body)).into_response();
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
    (status, page).into_response()
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
