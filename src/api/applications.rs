//! `POST /api/v1/applications` (file an e-service application: the same form
//! definitions, validation, attachment rules and filing as the web form) and
//! `GET /api/v1/cases/{tracking_code}` (a case's public status and history) with
//! `GET /api/v1/cases/{tracking_code}/events` (its changes, live: Server-Sent Events).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, validation_error};
use crate::app::AppState;
use crate::applications::filing::{Client, submission_key};
use crate::applications::rations::ApiFilingTurn;
use crate::applications::service::{self, Application, Outcome, Upload};
use crate::applications::store::{Filed, Via};
use crate::auth::secret::random_token;
use crate::auth::session::Visitor;
use crate::cases::store as cases;
use crate::platform::events;
use crate::platform::sse::{self, LastEventId};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;

/// An application to file.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    /// The service card's code, e.g. `SA-2`; the card must accept e-service filings.
    #[schema(example = "SA-2")]
    pub service_card: String,
    /// `pl` (default) or `en`: the language of the labels kept with the filing and of
    /// error messages.
    pub lang: Option<String>,
    /// The form's fields by name, as the card's form definition lists them
    /// (`GET /api/v1/service-cards/{code}`). Checkboxes: `"yes"` or absent.
    pub fields: BTreeMap<String, String>,
    /// Files for the definition's `file` fields.
    #[serde(default)]
    pub files: Vec<FileUpload>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileUpload {
    /// The `file` field of the form it belongs to.
    pub field: String,
    pub file_name: String,
    /// The declared media type (the server decides by the content anyway).
    pub content_type: Option<String>,
    /// The file's bytes, base64 (standard alphabet, with padding).
    pub content_base64: String,
}

/// A filed application.
#[derive(Serialize, ToSchema)]
pub struct ApplicationFiled {
    /// The case reference (znak sprawy), e.g. `SA.5311.12.2026`.
    pub znak: String,
    /// The code that opens the case's public status, `XXXX-XXXX-XXXX`.
    pub tracking_code: String,
    /// The incoming register's number, e.g. `2026/000123`.
    pub register_number: String,
    /// The statutory due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// The moment of filing (RFC 3339, UTC).
    pub submitted_at: String,
    /// SHA-256 of the filed document (its canonical JSON), as on the confirmation.
    pub document_sha256: String,
    /// True when this Idempotency-Key had been filed before: nothing new was created.
    pub repeated: bool,
    pub links: Links,
}

#[derive(Serialize, ToSchema)]
pub struct Links {
    pub status: String,
    pub confirmation: String,
    pub confirmation_pdf: String,
}

fn filed_body(filed: &Filed) -> ApplicationFiled {
    let code = &filed.tracking_code;
    ApplicationFiled {
        znak: filed.znak.clone(),
        tracking_code: code.clone(),
        register_number: filed.register_number.clone(),
        due_date: filed.due_date.to_string(),
        submitted_at: filed.document.submitted_at.clone(),
        document_sha256: filed.sha256.clone(),
        repeated: filed.repeated,
        links: Links {
            status: format!("/api/v1/cases/{code}"),
            confirmation: format!("/applications/{code}"),
            confirmation_pdf: format!("/applications/{code}/confirmation.pdf"),
        },
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    request_body = ApplicationRequest,
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, pattern = "^[A-Za-z0-9_-]{16,64}$",
        description = "16–64 characters of [A-Za-z0-9_-]; a retry of the same request with the same key from the same client (network address) returns the first filing instead of creating a second case; the key with a different request is refused (422 `idempotency-key-reused`); from another address it is another key")),
    responses(
        (status = 201, description = "Filed: an incoming item and a registered case", body = ApplicationFiled),
        (status = 200, description = "Filed before by this same request under this Idempotency-Key", body = ApplicationFiled),
        (status = 400, description = "Not JSON of this shape (`invalid-json`), a file not base64 (`bad-base64`), a malformed Idempotency-Key (`idempotency-key`) or a control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No card with this code takes e-service filings", body = crate::api::ErrorBody),
        (status = 409, description = "A filing under this Idempotency-Key is being made right now; retry in a moment", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit (`api_max_body_bytes`, by default 12 MiB)", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "Fields or files do not pass the form's rules (`invalid-submission`), the Idempotency-Key was used before for a different request (`idempotency-key-reused`, field `Idempotency-Key`), or a string holds a control character other than tab, LF and CR (`control-characters`, fields by JSON path such as `fields.first_name`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "This client address made its `api_filings_per_minute` filings this minute (`too-many-requests`); `Retry-After` says in how many seconds to try again", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the client may file again")))
    )
)]
pub async fn file(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    headers: HeaderMap,
    // Before the body: a flood is refused without reading what it carries.
    _turn: ApiFilingTurn,
    ApiJson(request): ApiJson<ApplicationRequest>,
) -> AppResult<Response> {
    let lang = request
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_default();
    let e = service::eservice(&state.db, &request.service_card).await?;
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => random_token(),
        Some(Ok(raw)) => submission_key(raw).ok_or(AppError::BadRequest("idempotency-key"))?,
        Some(Err(_)) => return Err(AppError::BadRequest("idempotency-key")),
    };
    let mut uploads = Vec::with_capacity(request.files.len());
    for f in request.files {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f.content_base64.as_bytes())
            .map_err(|_| AppError::BadRequest("bad-base64"))?;
        uploads.push(Upload {
            field: f.field,
            file_name: f.file_name,
            declared_type: f.content_type,
            bytes,
        });
    }
    let application = Application {
        lang,
        values: request.fields,
        uploads,
        submission_key: key,
        client: Client::ApiAddress(visitor.ip.clone()),
        via: Via::Api,
    };
    let filed = match service::apply(&state, &visitor.actor(), &e, application).await? {
        Outcome::Filed(filed) => filed,
        Outcome::Refused(errors) => {
            let fields = errors
                .fields()
                .map(|(field, key)| (field.to_owned(), lang.t(key)))
                .collect();
            return Ok(validation_error(lang, "invalid-submission", fields));
        }
        Outcome::KeyReused => {
            let fields = BTreeMap::from([(
                "Idempotency-Key".to_owned(),
                lang.t("error-idempotency-key-reused"),
            )]);
            return Ok(validation_error(lang, "idempotency-key-reused", fields));
        }
    };
    let status = if filed.repeated {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(filed_body(&filed))).into_response())
}

/// A case's public status.
#[derive(Serialize, ToSchema)]
pub struct CaseStatus {
    pub znak: String,
    pub title: String,
    /// `registered`, `assigned`, `in_progress`, `suspended`, `settled`, `closed`,
    /// `transferred` or `forwarded`.
    pub status: String,
    /// The status in words, in the requested language.
    pub status_label: String,
    /// The org unit handling it.
    pub unit: String,
    pub registered_on: String,
    pub due_date: String,
    /// Status changes, oldest first.
    pub history: Vec<HistoryEntry>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryEntry {
    pub date: String,
    pub status: String,
    pub status_label: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{tracking_code}",
    tag = "applications",
    params(("tracking_code" = String, Path, description = "The case code from the confirmation, `XXXX-XXXX-XXXX` (case, spaces and hyphens do not matter)")),
    responses(
        (status = 200, description = "The case's public status: nothing personal", body = CaseStatus),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No case has this code", body = crate::api::ErrorBody)
    )
)]
pub async fn case_status(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> AppResult<Json<CaseStatus>> {
    let lang = visitor.lang;
    let found = cases::public_status(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CaseStatus {
        status_label: lang.t(found.status.label_id()),
        history: found
            .history
            .iter()
            .map(|(date, status)| HistoryEntry {
                date: date.to_string(),
                status: status.as_str().to_owned(),
                status_label: lang.t(status.label_id()),
            })
            .collect(),
        znak: found.znak,
        title: found.title,
        status: found.status.as_str().to_owned(),
        unit: found.unit_name,
        registered_on: found.registered_on.to_string(),
        due_date: found.due_date.to_string(),
    }))
}

/// One change of a case's public status, as sent on its event stream.
#[derive(Serialize, ToSchema)]
pub struct CaseStatusEvent {
    /// The new status: `registered`, `assigned`, `in_progress`, `suspended`, `settled`,
    /// `closed`, `transferred` or `forwarded`.
    pub status: String,
    /// The status in words, in the requested language.
    pub status_label: String,
    /// The day of the change (Europe/Warsaw), `YYYY-MM-DD`.
    pub date: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{tracking_code}/events",
    tag = "applications",
    params(
        ("tracking_code" = String, Path, description = "The case code from the confirmation, `XXXX-XXXX-XXXX`"),
        ("Last-Event-ID" = Option<i64>, Header, description = "The `id` of the last event received: the stream first sends every change after it (a browser's `EventSource` sends this itself when it reconnects)"),
        ("last_event_id" = Option<i64>, Query, description = "The same as `Last-Event-ID`, for a first connection; without either, changes from now on")
    ),
    responses(
        (status = 200, description = "Server-Sent Events: each change of the case's public status as one event whose `id` is its sequence number and whose `data` is a `CaseStatusEvent` in JSON; a comment every 15 s keeps the connection open; `retry` says how soon to reconnect. Nothing personal.", content_type = "text/event-stream", body = CaseStatusEvent),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No case has this code", body = crate::api::ErrorBody)
    )
)]
pub async fn case_events(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    LastEventId(last): LastEventId,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let found = cases::public_status(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let topic = cases::status_topic(&found.tracking_code);
    let after = last.unwrap_or(found.live_from);
    let subscription = events::subscribe(&state.db, &topic, Some(after)).await?;
    Ok(sse::respond(
        subscription,
        state.config.live_heartbeat(),
        move |event| {
            // Published by cases::store::apply_step from a Status; anything else is
            // not an event of this stream.
            let status: crate::cases::Status = event.payload["status"].as_str()?.parse().ok()?;
            Some(serde_json::json!(CaseStatusEvent {
                status: status.as_str().to_owned(),
                status_label: lang.t(status.label_id()),
                date: event.at.in_warsaw().date().to_string(),
            }))
        },
    ))
}
