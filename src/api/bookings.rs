//! Visit booking (decision 0033): `GET /api/v1/service-points/{id}/slots` (the free
//! slots of a bookable category on a day) and `POST /api/v1/bookings` (book one).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, validation_error};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::service_point::ServicePointError;
use crate::service_point::booking::{self, NewBooking, Settings};
use crate::web::error::AppResult;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotParams {
    /// The bookable category's code, e.g. `U`.
    #[param(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub category: String,
    /// The day, `YYYY-MM-DD`. A day outside the booking window (by default from
    /// tomorrow up to 14 days ahead) or a day the point is closed has no slots.
    #[param(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub date: String,
}

#[derive(Serialize, ToSchema)]
pub struct SlotList {
    pub slots: Vec<SlotItem>,
}

#[derive(Serialize, ToSchema)]
pub struct SlotItem {
    /// The slot's start, RFC 3339 with the office's offset, e.g.
    /// `2026-12-09T08:00:00+01:00`; `start` of `POST /api/v1/bookings`.
    pub start: String,
    /// Places left (0: full).
    pub available: u32,
}

fn wrong(visitor: &Visitor, code: &'static str, field: &str, key: &str) -> Response {
    let fields = BTreeMap::from([(field.to_owned(), visitor.lang.t(key))]);
    validation_error(visitor.lang, code, fields)
}

#[utoipa::path(
    get,
    path = "/api/v1/service-points/{id}/slots",
    tag = "service-points",
    params(("id" = i64, Path, description = "The service point's id"), SlotParams),
    responses(
        (status = 200, description = "The day's slots of the category with the places left; empty outside the booking window and on closed days", body = SlotList),
        (status = 400, description = "A parameter is missing or holds a control character other than tab, LF and CR (`bad-request`, `control-characters`)", body = crate::api::ErrorBody),
        (status = 404, description = "No service point has this id", body = crate::api::ErrorBody),
        (status = 422, description = "The point has no bookable category of this code (`unknown-category`) or `date` is not `YYYY-MM-DD` (`invalid-parameters`)", body = crate::api::ValidationErrorBody)
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Query(params): Query<SlotParams>,
) -> AppResult<Response> {
    let Ok(day) = params.date.trim().parse::<jiff::civil::Date>() else {
        return Ok(wrong(
            &visitor,
            "invalid-parameters",
            "date",
            "form-date-invalid",
        ));
    };
    let settings = Settings::from_config(&state.config);
    match booking::slots(&state.db, &settings, id, params.category.trim(), day).await {
        Ok(slots) => Ok(Json(SlotList {
            slots: slots
                .iter()
                .map(|s| SlotItem {
                    start: s.start_text(),
                    available: s.available,
                })
                .collect(),
        })
        .into_response()),
        Err(ServicePointError::UnknownCategory) => Ok(wrong(
            &visitor,
            "unknown-category",
            "category",
            "error-unknown-category",
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    /// The service point's id.
    #[serde(deserialize_with = "crate::api::whole_number")]
    pub service_point: i64,
    /// The bookable category's code, e.g. `U`.
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub category: String,
    /// The matter: the code of a service card the category covers, e.g. `SA-4` (one
    /// booking = one matter); its documents to bring are in the confirmation.
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    #[serde(default)]
    pub service_card: Option<String>,
    /// A slot's `start` from the slots list (RFC 3339).
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub start: String,
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub name: String,
    /// Where the confirmation (with the documents to bring and a calendar event) and
    /// the reminder the day before are sent.
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    pub email: String,
    /// A Polish phone number (check-in at the kiosk by phone number).
    #[schema(pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")]
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BookingMade {
    /// Six digits, typed at the kiosk to check in.
    pub code: String,
    pub service_point: i64,
    pub category: String,
    /// The slot's start (RFC 3339, the office's offset).
    pub start: String,
    /// The booking's page (details, documents to bring, cancellation).
    pub url: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/bookings",
    tag = "service-points",
    request_body = BookingRequest,
    responses(
        (status = 201, description = "The visit is booked; a confirmation is mailed", body = BookingMade),
        (status = 400, description = "Not JSON of this shape (`invalid-json`)", body = crate::api::ErrorBody),
        (status = 404, description = "No service point has this id", body = crate::api::ErrorBody),
        (status = 409, description = "Every place of the slot is booked (`slot-full`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "A field breaks its rule (`invalid-submission`: name, email, phone, service_card, or `start` not a slot the point offers), the point has no such bookable category (`unknown-category`) or a string holds a control character (`control-characters`)", body = crate::api::ValidationErrorBody)
    )
)]
pub async fn book(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BookingRequest>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let new = match read_request(&state, lang, &request).await? {
        Ok(new) => new,
        Err(refused) => return Ok(refused),
    };
    let settings = Settings::from_config(&state.config);
    let made = match booking::book(&state.db, &visitor.actor(), &settings, &new).await {
        Ok(made) => made,
        Err(ServicePointError::UnknownCategory) => {
            return Ok(wrong(
                &visitor,
                "unknown-category",
                "category",
                "error-unknown-category",
            ));
        }
        Err(ServicePointError::UnknownMatter) => {
            return Ok(wrong(
                &visitor,
                "invalid-submission",
                "service_card",
                "booking-matter-unknown",
            ));
        }
        Err(ServicePointError::NotASlot) => {
            return Ok(wrong(
                &visitor,
                "invalid-submission",
                "start",
                "booking-slot-unknown",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let base = booking::base_url(&settings, &booking::origin(&headers));
    booking::send_confirmation(&state.db, &state.mailer, &settings, lang, &base, &made).await;
    let start = booking::SlotView {
        start: made.starts_at,
        available: 0,
        capacity: 0,
    }
    .start_text();
    let body = BookingMade {
        code: made.code.clone(),
        service_point: made.location_id,
        category: request.category.trim().to_owned(),
        start,
        url: format!("/bookings/{}", made.token),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The request as a booking to make, each field checked; or the 422 answer naming
/// every field refused.
async fn read_request(
    state: &AppState,
    lang: crate::web::i18n::Lang,
    request: &BookingRequest,
) -> AppResult<Result<NewBooking, Response>> {
    let mut fields = BTreeMap::new();
    let mut field = |name: &str, key: &str| {
        fields.insert(name.to_owned(), lang.t(key));
    };
    let name = request.name.trim().to_owned();
    if name.is_empty() {
        field("name", "form-required");
    } else if name.chars().count() > 120 {
        field("name", "form-too-long");
    }
    let email = crate::platform::form::parse::email(&request.email, 200);
    if let Err(key) = &email {
        field("email", key);
    }
    let phone = match request
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => match magistrat_domain::booking::phone_digits(p) {
            Some(d) => Some(d),
            None => {
                field("phone", "booking-phone-invalid");
                None
            }
        },
        None => None,
    };
    let start = request.start.trim().parse::<jiff::Timestamp>();
    if start.is_err() {
        field("start", "booking-slot-unknown");
    }
    let card_id = match request.service_card.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => {
            let list = booking::bookable(&state.db, request.service_point).await?;
            let found = list
                .iter()
                .find(|b| b.category.code == request.category.trim())
                .and_then(|b| b.matters.iter().find(|m| m.code == code))
                .map(|m| m.card_id);
            if found.is_none() {
                field("service_card", "booking-matter-unknown");
            }
            found
        }
        _ => None,
    };
    let (Ok(email), Ok(start), true) = (email, start, fields.is_empty()) else {
        return Ok(Err(validation_error(lang, "invalid-submission", fields)));
    };
    Ok(Ok(NewBooking {
        location_id: request.service_point,
        category: request.category.trim().to_owned(),
        card_id,
        start,
        name,
        email,
        phone,
        pesel: None,
    }))
}
