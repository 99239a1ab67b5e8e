//! The residents' service points: `GET /api/v1/service-points`, `POST
//! /api/v1/service-points/{id}/tickets` (a kiosk app, a mobile app taking a ticket)
//! and `GET /api/v1/tickets/{token}` (a ticket's state, position and wait). The live
//! stream of a point is `GET /service-points/{id}/events` (Server-Sent Events).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, validation_error};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::service_point::ServicePointError;
use crate::service_point::service::{self, TicketStatus};
use crate::web::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct ServicePointList {
    pub items: Vec<ServicePoint>,
}

#[derive(Serialize, ToSchema)]
pub struct ServicePoint {
    /// The location's id (`/service-points/{id}`).
    pub id: i64,
    pub name: String,
    /// Street, postal code and city.
    pub address: String,
    /// Open now (by its opening hours and closing days).
    pub open_now: bool,
    /// Today's hours, `HH:MM`, when open today.
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub categories: Vec<TicketCategory>,
    /// The public live-status page.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketCategory {
    /// The ticket prefix, one letter, e.g. `A`.
    pub code: String,
    pub name: String,
    /// Whether visits of this category can be booked.
    pub bookable: bool,
    /// People waiting now.
    pub waiting: u32,
    /// For a ticket taken now; null when no desk serves the category.
    pub estimated_wait_minutes: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/service-points",
    tag = "service-points",
    responses(
        (status = 200, description = "Every service point with its ticket categories and the queue now", body = ServicePointList),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody)
    )
)]
pub async fn list(State(state): State<AppState>) -> AppResult<Json<ServicePointList>> {
    let mut items = Vec::new();
    for point in service::points(&state.db).await? {
        let snapshot = service::snapshot(&state.db, &point).await?;
        items.push(ServicePoint {
            id: point.location.id,
            name: point.location.name.clone(),
            address: point.address(),
            open_now: point.is_open(),
            opens: point.hours_today.as_ref().map(|h| h.0.clone()),
            closes: point.hours_today.as_ref().map(|h| h.1.clone()),
            categories: snapshot
                .categories
                .into_iter()
                .map(|k| TicketCategory {
                    code: k.code,
                    name: k.name,
                    bookable: k.bookable,
                    waiting: k.waiting,
                    estimated_wait_minutes: k.estimated_wait_minutes,
                })
                .collect(),
            url: format!("/service-points/{}", point.location.id),
        });
    }
    Ok(Json(ServicePointList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRequest {
    /// The category's code (ticket prefix), e.g. `A`.
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub category: String,
    /// Priority service (pregnant women, people with disabilities, Karta Dużej Rodziny
    /// holders), as the office grants it.
    #[serde(default)]
    pub priority: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TicketIssued {
    /// The number shown and called, e.g. `A007`.
    pub number: String,
    /// The e-ticket's key: `/tickets/{token}` and `GET /api/v1/tickets/{token}`.
    pub token: String,
    /// The ticket's place in its queue: 1 = next.
    pub position: u32,
    pub estimated_wait_minutes: u32,
    pub category: String,
    /// The e-ticket page (live position and wait).
    pub url: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/service-points/{id}/tickets",
    tag = "service-points",
    request_body = TicketRequest,
    params(("id" = i64, Path, description = "The service point's id")),
    responses(
        (status = 201, description = "A ticket was issued", body = TicketIssued),
        (status = 400, description = "Not JSON of this shape (`invalid-json`)", body = crate::api::ErrorBody),
        (status = 404, description = "No service point has this id", body = crate::api::ErrorBody),
        (status = 409, description = "The point is closed now (`service-point-closed`), the category's daily quota is used up (`ticket-quota-reached`) or the desks cannot serve another ticket before closing (`ticket-capacity-reached`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "The point has no such category (`unknown-category`, field `category`) or a string holds a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "This client address asked for `tickets_per_address_per_hour` tickets this hour (`too-many-requests`); `Retry-After` gives the seconds left of the hour", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the client may ask again")))
    )
)]
pub async fn issue(
    _turn: crate::service_point::rations::TicketTurn,
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<TicketRequest>,
) -> AppResult<Response> {
    let issued = match service::issue_ticket(
        &state.db,
        &visitor.actor(),
        id,
        request.category.trim(),
        request.priority,
    )
    .await
    {
        Ok(issued) => issued,
        Err(ServicePointError::UnknownCategory) => {
            let fields = BTreeMap::from([(
                "category".to_owned(),
                visitor.lang.t("error-unknown-category"),
            )]);
            return Ok(validation_error(visitor.lang, "unknown-category", fields));
        }
        Err(e) => return Err(e.into()),
    };
    let body = TicketIssued {
        number: issued.ticket.label.clone(),
        url: format!("/tickets/{}", issued.ticket.token),
        token: issued.ticket.token,
        position: issued.ahead + 1,
        estimated_wait_minutes: issued.estimated_wait_minutes,
        category: request.category.trim().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct TicketState {
    pub number: String,
    pub category: String,
    /// `waiting`, `called`, `serving`, `done` or `no_show`.
    pub state: String,
    /// Place in the queue while waiting (1 = next); null otherwise.
    pub position: Option<u32>,
    /// While waiting; null otherwise.
    pub estimated_wait_minutes: Option<u32>,
    /// The desk it was called to or is served at.
    pub desk: Option<String>,
    pub service_point: i64,
    /// When it was issued (RFC 3339, UTC).
    pub issued_at: String,
}

impl From<TicketStatus> for TicketState {
    fn from(s: TicketStatus) -> Self {
        let waiting = s.ticket.state == "waiting";
        Self {
            number: s.ticket.label.clone(),
            category: s.category_code,
            state: s.ticket.state.clone(),
            position: s.ahead.filter(|_| waiting).map(|a| a + 1),
            estimated_wait_minutes: s.estimated_wait_minutes.filter(|_| waiting),
            desk: s.desk.filter(|_| !waiting),
            service_point: s.ticket.location_id,
            issued_at: s.ticket.issued_at.to_string(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{token}",
    tag = "service-points",
    params(("token" = String, Path, description = "The ticket's token (from its QR code or the issuing answer)")),
    responses(
        (status = 200, description = "The ticket's state, position and wait", body = TicketState),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No ticket has this token", body = crate::api::ErrorBody)
    )
)]
pub async fn ticket(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Json<TicketState>> {
    if token.len() > 64 {
        return Err(AppError::NotFound);
    }
    let (_, status) = service::ticket_status(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(status.into()))
}
