//! Residents' ratings: `POST /api/v1/tickets/{token}/rating` after a visit and `POST
//! /api/v1/cases/{tracking_code}/rating` after a settled case; the published results
//! `GET /api/v1/satisfaction/results` (groups under the threshold without figures).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use magistrat_domain::satisfaction::DEFAULT_THRESHOLD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, validation_error};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::satisfaction::RatingTurn;
use crate::satisfaction::service::{self, Answers, Rateable, label};
use crate::satisfaction::store::{Filter, GroupBy};
use crate::web::error::AppResult;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// The service, 1 (very bad) … 5 (very good).
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "crate::api::whole_number")]
    pub service: i64,
    /// The official who served, 1 … 5.
    #[schema(minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "crate::api::whole_number")]
    pub official: i64,
    /// How likely the resident is to recommend the office, 0 … 10.
    #[schema(minimum = 0, maximum = 10)]
    #[serde(deserialize_with = "crate::api::whole_number")]
    pub nps: i64,
    /// Optional; read by a moderator before anyone else. At most 2000 characters.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
    )]
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RatingRecorded {
    /// Always `recorded`.
    pub status: String,
    /// `none` without a comment, else `pending` (waiting for moderation).
    pub comment: String,
}

async fn rate(
    state: &AppState,
    turn: &RatingTurn,
    visitor: &Visitor,
    subject: Rateable,
    request: RatingRequest,
) -> AppResult<Response> {
    let comment = request.comment.unwrap_or_default();
    let answers = match Answers::new(request.service, request.official, request.nps, &comment) {
        Ok(a) => a,
        Err(errors) => {
            let fields: BTreeMap<String, String> = errors
                .fields()
                .map(|(f, m)| (f.to_owned(), visitor.lang.t(m)))
                .collect();
            return Ok(validation_error(visitor.lang, "invalid-rating", fields));
        }
    };
    let has_comment = !answers.comment.is_empty();
    service::rate(&state.db, &subject, answers).await?;
    turn.used(state);
    let body = RatingRecorded {
        status: "recorded".into(),
        comment: if has_comment { "pending" } else { "none" }.into(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{token}/rating",
    tag = "satisfaction",
    request_body = RatingRequest,
    params(("token" = String, Path, description = "The e-ticket's token", pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")),
    responses(
        (status = 201, description = "The rating was recorded (it names nobody)", body = RatingRecorded),
        (status = 400, description = "Not JSON of this shape (`invalid-json`)", body = crate::api::ErrorBody),
        (status = 404, description = "No ticket has this token", body = crate::api::ErrorBody),
        (status = 409, description = "The visit has not ended with service (`visit-not-ended`) or was rated already (`already-rated`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "A score out of its scale or a comment too long (`invalid-rating`, by field), or a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "Too many ratings from this address this minute (`too-many-requests`, `Retry-After`)", body = crate::api::ErrorBody)
    )
)]
pub async fn rate_visit(
    State(state): State<AppState>,
    turn: RatingTurn,
    Extension(visitor): Extension<Visitor>,
    Path(token): Path<String>,
    ApiJson(request): ApiJson<RatingRequest>,
) -> AppResult<Response> {
    let subject = service::visit(&state.db, &token).await?;
    rate(&state, &turn, &visitor, subject, request).await
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{tracking_code}/rating",
    tag = "satisfaction",
    request_body = RatingRequest,
    params(("tracking_code" = String, Path, description = "The case's tracking code", pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")),
    responses(
        (status = 201, description = "The rating was recorded (it names nobody)", body = RatingRecorded),
        (status = 400, description = "Not JSON of this shape (`invalid-json`)", body = crate::api::ErrorBody),
        (status = 404, description = "No case has this tracking code", body = crate::api::ErrorBody),
        (status = 409, description = "The case is not settled (`case-not-settled`) or was rated already (`already-rated`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "A score out of its scale or a comment too long (`invalid-rating`, by field), or a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "Too many ratings from this address this minute (`too-many-requests`, `Retry-After`)", body = crate::api::ErrorBody)
    )
)]
pub async fn rate_case(
    State(state): State<AppState>,
    turn: RatingTurn,
    Extension(visitor): Extension<Visitor>,
    Path(tracking_code): Path<String>,
    ApiJson(request): ApiJson<RatingRequest>,
) -> AppResult<Response> {
    let subject = service::case(&state.db, &tracking_code).await?;
    rate(&state, &turn, &visitor, subject, request).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// `unit` (default), `location` or `channel`.
    #[param(pattern = "^(unit|location|channel)?$")]
    pub by: Option<String>,
    /// First day of service, `YYYY-MM-DD` (open when absent or empty).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub from: Option<String>,
    /// Last day of service, `YYYY-MM-DD` (open when absent or empty).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Results {
    pub by: String,
    /// Groups with fewer ratings than this have no figures.
    pub threshold: u64,
    pub items: Vec<ResultItem>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultItem {
    /// The unit's or location's id, or the channel's code.
    pub key: String,
    pub label: String,
    /// Ratings in the group.
    pub n: u64,
    /// Share of 4–5 answers to the service question (0–1); absent when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<f64>,
    /// 95 % Wilson score interval of `csat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat_ci: Option<[f64; 2]>,
    /// Net Promoter Score (−100 … 100); absent when suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    /// 95 % interval of `nps` (variance of the difference of two multinomial shares).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps_ci: Option<[f64; 2]>,
    /// Fewer ratings than the threshold: no figures published.
    pub suppressed: bool,
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10_f64.powi(places);
    (v * f).round() / f
}

#[utoipa::path(
    get,
    path = "/api/v1/satisfaction/results",
    tag = "satisfaction",
    params(ResultsQuery),
    responses(
        (status = 200, description = "CSAT and NPS per group with their 95 % intervals", body = Results),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 422, description = "`by` is not one of the groupings, or `from`/`to` is not a date (`invalid-parameters`)", body = crate::api::ValidationErrorBody)
    )
)]
pub async fn results(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let mut fields = BTreeMap::new();
    let by = match q.by.as_deref().map(str::trim) {
        None | Some("") => Some(GroupBy::Unit),
        Some(s) => GroupBy::parse(s),
    };
    if by.is_none() {
        fields.insert("by".to_owned(), lang.t("sat-error-by"));
    }
    let mut date = |name: &str, value: &Option<String>| match value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => match magistrat_domain::date::parse_date(s) {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                fields.insert(name.to_owned(), lang.t("sat-error-date"));
                None
            }
        },
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    let Some(by) = by.filter(|_| fields.is_empty()) else {
        return Ok(validation_error(lang, "invalid-parameters", fields));
    };
    let filter = Filter {
        from,
        to,
        ..Filter::default()
    };
    let groups = service::results(&state.db, by, &filter, DEFAULT_THRESHOLD).await?;
    let items = groups
        .iter()
        .map(|g| ResultItem {
            key: g.key.clone(),
            label: label(lang, by, g),
            n: g.n,
            csat: g.summary.map(|s| round(s.service_csat.value, 4)),
            csat_ci: g
                .summary
                .map(|s| [round(s.service_csat.low, 4), round(s.service_csat.high, 4)]),
            nps: g.summary.map(|s| round(s.nps.value, 1)),
            nps_ci: g
                .summary
                .map(|s| [round(s.nps.low, 1), round(s.nps.high, 1)]),
            suppressed: g.suppressed(),
        })
        .collect();
    Ok(Json(Results {
        by: by.as_str().into(),
        threshold: DEFAULT_THRESHOLD,
        items,
    })
    .into_response())
}
