//! The public JSON API, version 1: no cookies and so no CSRF (a cross-site page has no
//! ambient authority to borrow; filing an application needs none), errors as `{"error": {"code", "message"}}`
//! (from `web::error_pages` for every path under `/api/`).
//!
//! The OpenAPI 3.1 document is generated from the handlers and types themselves
//! (`utoipa`): each resource is a module with its handlers annotated
//! `#[utoipa::path]` and its types deriving `ToSchema`; [`ApiDoc`] is the one place
//! listing them. A new resource (e.g. `applications`, `cases`) adds a module, its
//! routes to [`router`] and its paths and schemas to [`ApiDoc`].

pub mod applications;
pub mod docs;
pub mod service_cards;

use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::app::AppState;

/// The error body of every failed call.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `not-found`, `bad-request`.
    pub code: String,
    /// The message for people, in the visitor's language.
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Magistrat API",
        version = "1",
        description = "The office's public services: service cards (karty usług) with their e-service form definitions, filing e-service applications, and the public status of cases."
    ),
    paths(
        service_cards::list,
        service_cards::card,
        applications::file,
        applications::case_status,
        applications::case_events
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        service_cards::CardList,
        service_cards::CardSummary,
        service_cards::CardDetail,
        service_cards::UnitRef,
        service_cards::Place,
        service_cards::Document,
        service_cards::FeeItem,
        service_cards::Deadline,
        service_cards::Channels,
        service_cards::FileItem,
        service_cards::Form,
        service_cards::FormField,
        service_cards::FormOption,
        service_cards::Attachments,
        service_cards::Text,
        applications::ApplicationRequest,
        applications::FileUpload,
        applications::ApplicationFiled,
        applications::Links,
        applications::ValidationErrorBody,
        applications::ValidationError,
        applications::CaseStatus,
        applications::HistoryEntry,
        applications::CaseStatusEvent,
    )),
    tags(
        (name = "service-cards", description = "Service cards: how to get a matter done at the office."),
        (name = "applications", description = "E-service applications and the public status of cases.")
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/service-cards", get(service_cards::list))
        .route("/api/v1/service-cards/{code}", get(service_cards::card))
        .route("/api/v1/applications", post(applications::file))
        .route(
            "/api/v1/cases/{tracking_code}",
            get(applications::case_status),
        )
        .route(
            "/api/v1/cases/{tracking_code}/events",
            get(applications::case_events),
        )
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/docs", get(docs::page))
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
