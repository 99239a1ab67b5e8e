//! The public JSON API, version 1: no cookies and so no CSRF (a cross-site page has no
//! ambient authority to borrow; filing an application needs none).
//!
//! Every failed call answers in one shape (docs/decisions/0019-api-errors-and-refusals.md):
//! `{"error": {"code", "message"}}` ([`ErrorBody`]), and for 422 — the request was
//! read but its values break the rules — the same with `fields`, field name → message
//! ([`ValidationErrorBody`]). 400 means the request could not be read (malformed JSON,
//! JSON not of the documented shape, a query parameter of the wrong type), 413 a body
//! over `api_max_body_bytes`, 415 a body that is not `application/json`. The JSON of
//! errors not made here (the router's 404 and 405, the body limit's 413) is written by
//! `web::error_pages` for every path under `/api/`.
//!
//! The OpenAPI 3.1 document is generated from the handlers and types themselves
//! (`utoipa`): each resource is a module with its handlers annotated
//! `#[utoipa::path]` and its types deriving `ToSchema`; [`ApiDoc`] is the one place
//! listing them. A new resource (e.g. `applications`, `cases`) adds a module, its
//! routes to [`router`] and its paths and schemas to [`ApiDoc`].

pub mod applications;
pub mod bookings;
pub mod docs;
pub mod resident;
pub mod satisfaction;
pub mod service_cards;
pub mod service_points;

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::{OpenApi, ToSchema};

use crate::web::error::ErrorInfo;
use crate::web::i18n::Lang;
use crate::web::routes::{Access, Routes};

/// The error body of every failed call.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `not-found`, `invalid-json`, `payload-too-large`,
    /// `unsupported-media-type`.
    pub code: String,
    /// The message for people, in the visitor's language.
    pub message: String,
}

/// The error body of a 422: the request was read, but values in it break the rules.
/// The same shape as [`ErrorBody`], with the problems by field.
#[derive(Serialize, ToSchema)]
pub struct ValidationErrorBody {
    pub error: ValidationError,
}

#[derive(Serialize, ToSchema)]
pub struct ValidationError {
    /// `invalid-submission` (an application's fields or files),
    /// `invalid-parameters` (query parameters out of range), `idempotency-key-reused`
    /// (the key named another request) or `control-characters` (a string of the body
    /// holds a control character other than tab, LF and CR; fields by JSON path).
    pub code: String,
    pub message: String,
    /// Field or parameter name → message.
    pub fields: BTreeMap<String, String>,
}

/// A 422 in the validation shape.
pub fn validation_error(
    lang: Lang,
    code: &'static str,
    fields: BTreeMap<String, String>,
) -> Response {
    let body = ValidationErrorBody {
        error: ValidationError {
            code: code.to_owned(),
            message: lang.t(&format!("error-{code}")),
            fields,
        },
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// An error answer whose JSON body `web::error_pages` writes in the visitor's
/// language: the status and the machine code.
fn api_error(status: StatusCode, code: &'static str) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorInfo { code });
    response
}

/// A whole number as JSON Schema's `integer` has it: `5` and `5.0` alike (serde's
/// integers refuse the second, which a client computing in floating point may send).
/// For `#[serde(deserialize_with = "crate::api::whole_number")]` on `i64` fields.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use serde::de::Error as _;
    let number = <serde_json::Number as serde::Deserialize>::deserialize(deserializer)?;
    if let Some(whole) = number.as_i64() {
        return Ok(whole);
    }
    // Beyond ±2^53 a float no longer holds every whole number; such values are refused.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match number.as_f64() {
        #[allow(clippy::cast_possible_truncation)]
        Some(f) if f.fract() == 0.0 && f.abs() <= EXACT => Ok(f as i64),
        _ => Err(D::Error::custom("expected a whole number")),
    }
}

/// A JSON request body, refused in the API's error format: 415 without
/// `Content-Type: application/json`, 413 over the body limit, 400 when it is not JSON
/// or not of the documented shape, 422 (`control-characters`, by field) when a string
/// in it holds a control character other than tab, LF and CR — the input boundary of
/// the API (`platform::input`), for every field of every body at once.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = request
            .extensions()
            .get::<crate::auth::session::Visitor>()
            .map(|v| v.lang)
            .unwrap_or_default();
        let value = match Json::<serde_json::Value>::from_request(request, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => return Err(json_rejection(&rejection)),
        };
        let mut fields = BTreeMap::new();
        controlled_strings(&value, "", &mut fields, lang);
        if !fields.is_empty() {
            return Err(validation_error(lang, "control-characters", fields));
        }
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|_| api_error(StatusCode::BAD_REQUEST, "invalid-json"))
    }
}

/// Every string (or object key) of `value` holding a forbidden control character, by
/// its path (`fields.first_name`, `files.0.file_name`).
fn controlled_strings(
    value: &serde_json::Value,
    path: &str,
    found: &mut BTreeMap<String, String>,
    lang: Lang,
) {
    use magistrat_domain::text::has_forbidden_control;
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if has_forbidden_control(s) => {
            found.insert(path.to_owned(), lang.t("error-control-characters-field"));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                controlled_strings(item, &join(&i.to_string()), found, lang);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                // A key's own characters are shown escaped: the path names it.
                let key_path = join(&key.escape_default().to_string());
                if has_forbidden_control(key) {
                    found.insert(key_path.clone(), lang.t("error-control-characters-field"));
                }
                controlled_strings(item, &key_path, found, lang);
            }
        }
        _ => {}
    }
}

fn json_rejection(rejection: &JsonRejection) -> Response {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            api_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
        }
        JsonRejection::JsonSyntaxError(_) | JsonRejection::JsonDataError(_) => {
            api_error(StatusCode::BAD_REQUEST, "invalid-json")
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            api_error(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large")
        }
        other => api_error(other.status(), "bad-request"),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Magistrat API",
        version = "1",
        description = "The office's public services: service cards (karty usług) with their e-service form definitions, filing e-service applications, the public status of cases, and the residents' service points (tickets and queues)."
    ),
    paths(
        service_cards::list,
        service_cards::card,
        applications::file,
        applications::case_status,
        applications::case_events,
        service_points::list,
        service_points::issue,
        service_points::ticket,
        bookings::slots,
        bookings::book,
        satisfaction::rate_visit,
        satisfaction::rate_case,
        satisfaction::results,
        satisfaction::trends,
        resident::sign_in,
        resident::token,
        resident::sign_out,
        resident::cases,
        resident::case,
        resident::file_report,
        resident::reports_list,
        resident::report
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
        ValidationErrorBody,
        ValidationError,
        applications::CaseStatus,
        applications::HistoryEntry,
        applications::CaseStatusEvent,
        service_points::ServicePointList,
        service_points::ServicePoint,
        service_points::TicketCategory,
        service_points::TicketRequest,
        service_points::TicketIssued,
        service_points::TicketState,
        bookings::SlotList,
        bookings::SlotItem,
        bookings::BookingRequest,
        bookings::BookingMade,
        satisfaction::RatingRequest,
        satisfaction::RatingRecorded,
        satisfaction::Results,
        satisfaction::ResultItem,
        satisfaction::Trends,
        satisfaction::TrendGroup,
        satisfaction::TrendPeriod,
        satisfaction::TrendChange,
        resident::SignInRequest,
        resident::SignInSent,
        resident::TokenRequest,
        resident::TokenIssued,
        resident::MyCase,
        resident::MyCaseList,
        resident::MyCaseDetail,
        resident::AttributeValue,
        resident::ReportRequest,
        resident::ReportHistoryEntry,
        resident::MyReport,
        resident::MyReportList,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "service-cards", description = "Service cards: how to get a matter done at the office."),
        (name = "applications", description = "E-service applications and the public status of cases."),
        (name = "service-points", description = "Residents' service points: ticket categories, taking a ticket, a ticket's place in the queue, booking a visit. A point's live events: `GET /service-points/{id}/events` (Server-Sent Events)."),
        (name = "satisfaction", description = "Residents' ratings after a visit or a settled case (anonymous; comments moderated) and the published results: CSAT and NPS with 95 % intervals, small groups suppressed."),
        (name = "resident", description = "A resident's own app: sign in by the e-mailed link (as `/my-cases`), then with the app's bearer token the resident's cases and problem reports — theirs only.")
    )
)]
pub struct ApiDoc;

/// The residents' app token (`resident::AppResident`) as a security scheme.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of `POST /api/v1/resident/token` (signing in by the e-mailed link)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's routes with their own body limit (`api_max_body_bytes`): the extractors'
/// 2 MiB default would refuse a file the web form takes.
pub fn routes(max_body: usize) -> Routes {
    let routes = Routes::api()
        .get("/api/v1/service-cards", Access::Public, service_cards::list)
        .get(
            "/api/v1/service-cards/{code}",
            Access::Public,
            service_cards::card,
        )
        .post("/api/v1/applications", Access::Public, applications::file)
        .get(
            "/api/v1/cases/{tracking_code}",
            Access::Public,
            applications::case_status,
        )
        .get(
            "/api/v1/cases/{tracking_code}/events",
            Access::Public,
            applications::case_events,
        )
        .get(
            "/api/v1/service-points",
            Access::Public,
            service_points::list,
        )
        .post(
            "/api/v1/service-points/{id}/tickets",
            Access::Public,
            service_points::issue,
        )
        .get(
            "/api/v1/tickets/{token}",
            Access::Public,
            service_points::ticket,
        )
        .get(
            "/api/v1/service-points/{id}/slots",
            Access::Public,
            bookings::slots,
        )
        .post("/api/v1/bookings", Access::Public, bookings::book)
        .post(
            "/api/v1/tickets/{token}/rating",
            Access::Public,
            satisfaction::rate_visit,
        )
        .post(
            "/api/v1/cases/{tracking_code}/rating",
            Access::Public,
            satisfaction::rate_case,
        )
        .get(
            "/api/v1/satisfaction/results",
            Access::Public,
            satisfaction::results,
        )
        .get(
            "/api/v1/satisfaction/trends",
            Access::Public,
            satisfaction::trends,
        );
    resident_routes(routes)
        .get("/api/v1/openapi.json", Access::Public, openapi_json)
        .get("/api/v1/docs", Access::Public, docs::page)
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(DefaultBodyLimit::max(max_body))
}

/// The resident's own API: sign-in, cases and problem reports (bearer token).
fn resident_routes(routes: Routes) -> Routes {
    routes
        .post(
            "/api/v1/resident/sign-in",
            Access::Public,
            resident::sign_in,
        )
        .post("/api/v1/resident/token", Access::Public, resident::token)
        .post(
            "/api/v1/resident/sign-out",
            Access::Public,
            resident::sign_out,
        )
        .get("/api/v1/resident/cases", Access::Public, resident::cases)
        .get(
            "/api/v1/resident/cases/{tracking_code}",
            Access::Public,
            resident::case,
        )
        .post(
            "/api/v1/resident/reports",
            Access::Public,
            resident::file_report,
        )
        .get(
            "/api/v1/resident/reports",
            Access::Public,
            resident::reports_list,
        )
        .get(
            "/api/v1/resident/reports/{id}",
            Access::Public,
            resident::report,
        )
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[derive(serde::Deserialize, Debug)]
    struct Score {
        #[serde(deserialize_with = "super::whole_number")]
        n: i64,
    }

    fn score(json: &str) -> Result<i64, String> {
        serde_json::from_str::<Score>(json)
            .map(|s| s.n)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_as_json_schema_counts_them() {
        assert_eq!(score(r#"{"n": 5}"#), Ok(5));
        assert_eq!(score(r#"{"n": 5.0}"#), Ok(5));
        assert_eq!(score(r#"{"n": -1207.0}"#), Ok(-1207));
        assert_eq!(score(r#"{"n": 5118891516.0}"#), Ok(5_118_891_516));
        assert_eq!(score(r#"{"n": 9223372036854775807}"#), Ok(i64::MAX));
        for refused in [
            r#"{"n": 5.5}"#,
            r#"{"n": 1e300}"#,
            r#"{"n": "5"}"#,
            r#"{"n": null}"#,
        ] {
            assert!(score(refused).is_err(), "{refused}");
        }
    }
}
