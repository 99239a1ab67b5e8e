//! The Fediverse capability's HTTP side: WebFinger, the actor (JSON for ActivityPub
//! clients, a profile page for browsers, at the same address), the outbox, the
//! followers collection, a Note, and the inbox. Errors are JSON
//! (`{"error": {"code", "message"}}`), as a server reading them expects.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{FromRef, OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::service::{self, ACTIVITY_JSON, InboxError, Posted, Received, Settings};
use crate::app::AppState;
use crate::org::public::PublicOfficeCache;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use magistrat_domain::fediverse as rules;

/// The largest activity the inbox reads.
pub const MAX_ACTIVITY_BYTES: usize = 256 * 1024;

/// The site's address for ids: `public_url`, else the request's Host (characters a
/// host may have only).
fn settings(state: &AppState, headers: &HeaderMap) -> Settings {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("localhost");
    Settings::new(&state.config, format!("http://{host}"))
}

fn json_response(content_type: &'static str, value: &Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        value.to_string(),
    )
        .into_response()
}

/// An error as JSON (left as it is by the error pages).
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json!({ "error": { "code": code, "message": message } }).to_string(),
    )
        .into_response()
}

/// Whether the client asks for ActivityPub JSON rather than a page.
fn wants_activity(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| {
            accept.contains(ACTIVITY_JSON) || accept.contains("application/ld+json")
        })
}

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// `GET /.well-known/webfinger?resource=acct:urzad@host` (RFC 7033).
pub async fn webfinger(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WebfingerQuery>,
) -> Response {
    let settings = settings(&state, &headers);
    let Some(resource) = query.resource.filter(|r| !r.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "webfinger.resource",
            "the resource parameter is required",
        );
    };
    let ours = if resource == settings.actor_id() {
        true
    } else if resource.starts_with("https://") || resource.starts_with("http://") {
        false
    } else {
        match rules::parse_acct(&resource) {
            Ok((user, host)) => {
                user == settings.account && host == settings.host().to_ascii_lowercase()
            }
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "webfinger.resource",
                    "the resource is not acct:user@host",
                );
            }
        }
    };
    if !ours {
        return error(StatusCode::NOT_FOUND, "not-found", "no such account here");
    }
    json_response("application/jrd+json", &service::webfinger(&settings))
}

#[derive(Template, WebTemplate)]
#[template(path = "fediverse/profile.html")]
pub struct ProfilePage {
    pub ctx: PageCtx,
    pub office: String,
    pub handle: String,
    pub items: Vec<service::Announcement>,
}

/// `GET /fediverse`: the actor for ActivityPub clients, the profile page for people.
pub async fn actor(
    State(state): State<AppState>,
    headers: HeaderMap,
    ctx: PageCtx,
) -> AppResult<Response> {
    let settings = settings(&state, &headers);
    let office = PublicOfficeCache::from_ref(&state).office_name().await;
    if wants_activity(&headers) {
        let (public_pem, _) = service::ensure_key(&state.db)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let summary = ctx.t("fediverse-summary");
        return Ok(json_response(
            ACTIVITY_JSON,
            &service::actor(&settings, &office, &summary, &public_pem),
        ));
    }
    let mut items = service::announcements(&state.db, state.clock.now())
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    items.truncate(service::PAGE_SIZE);
    let handle = format!("@{}@{}", settings.account, settings.host());
    Ok(ProfilePage {
        ctx,
        office,
        handle,
        items,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET /fediverse/outbox` (the collection) and `?page=N` (a page of `Create`s).
pub async fn outbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Response {
    let settings = settings(&state, &headers);
    let items = match service::announcements(&state.db, state.clock.now()).await {
        Ok(items) => items,
        Err(e) => {
            tracing::error!(error = %e, "outbox");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            );
        }
    };
    let page = match query.page.as_deref() {
        None => None,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=items.len().div_ceil(service::PAGE_SIZE).max(1)).contains(&n) => Some(n),
            Ok(_) => return error(StatusCode::NOT_FOUND, "not-found", "no such page"),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "page",
                    "page must be a whole number from 1",
                );
            }
        },
    };
    json_response(ACTIVITY_JSON, &service::outbox(&settings, &items, page))
}

/// `GET /fediverse/followers`: the count only.
pub async fn followers(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let settings = settings(&state, &headers);
    match super::store::follower_count(&state.db).await {
        Ok(count) => json_response(ACTIVITY_JSON, &service::followers(&settings, count)),
        Err(e) => {
            tracing::error!(error = %e, "followers");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            )
        }
    }
}

/// `GET /fediverse/notes/{id}`: an announcement's Note (JSON), or for a browser the
/// publication itself.
pub async fn note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let settings = settings(&state, &headers);
    let items = match service::announcements(&state.db, state.clock.now()).await {
        Ok(items) => items,
        Err(e) => {
            tracing::error!(error = %e, "note");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            );
        }
    };
    let Some(item) = items.iter().find(|a| a.id == id) else {
        return error(StatusCode::NOT_FOUND, "not-found", "no such note");
    };
    if wants_activity(&headers) {
        let mut note = service::note(&settings, item);
        note["@context"] = json!("https://www.w3.org/ns/activitystreams");
        json_response(ACTIVITY_JSON, &note)
    } else {
        Redirect::to(&item.path).into_response()
    }
}

/// `POST /fediverse/inbox`: signed activities from other servers. 202 when taken, 401
/// when the signature is missing or does not verify, 400 for what is not an activity.
pub async fn inbox(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if body.len() > MAX_ACTIVITY_BYTES {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "the activity is too large",
        );
    }
    let settings = settings(&state, &headers);
    let path_and_query = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    let posted = Posted {
        method: &method,
        path_and_query: &path_and_query,
        headers: &headers,
        body: &body,
    };
    match service::receive(&state.db, &settings, &posted).await {
        Ok(received) => {
            if let Received::Followed(Some(delivery)) = received {
                service::deliver_soon(state.db.clone(), settings, delivery);
            }
            StatusCode::ACCEPTED.into_response()
        }
        Err(InboxError::Signature(e)) => {
            tracing::info!(code = e.code(), "inbox: refused signature");
            error(StatusCode::UNAUTHORIZED, e.code(), &e.to_string())
        }
        Err(InboxError::NotVerified(reason)) => {
            tracing::info!(%reason, "inbox: signature not verified");
            error(
                StatusCode::UNAUTHORIZED,
                "signature.not-verified",
                "the signature does not verify",
            )
        }
        Err(InboxError::BadActivity(reason)) => error(StatusCode::BAD_REQUEST, "activity", reason),
        Err(InboxError::Internal(e)) => {
            tracing::error!(error = %e, "inbox");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "try again later",
            )
        }
    }
}
