//! Residents' ratings: `POST /api/v1/tickets/{token}/rating` after a visit and `POST
//! /api/v1/cases/{tracking_code}/rating` after a settled case; the published results
//! `GET /api/v1/satisfaction/results` (groups under the threshold without figures).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Summary};
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

/// The period of `from` and `to` (each a date or open); a value that is not a date is
/// put in `fields` with its message.
fn period_filter(
    lang: crate::web::i18n::Lang,
    from: &Option<String>,
    to: &Option<String>,
    fields: &mut BTreeMap<String, String>,
) -> Filter {
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
    Filter {
        from: date("from", from),
        to: date("to", to),
        ..Filter::default()
    }
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10_f64.powi(places);
    (v * f).round() / f
}

/// A published summary's CSAT as the API gives it (a share to four places); none when
/// suppressed.
fn csat(summary: Option<Summary>) -> Option<f64> {
    summary.map(|s| round(s.service_csat.value, 4))
}

fn csat_ci(summary: Option<Summary>) -> Option<[f64; 2]> {
    summary.map(|s| [round(s.service_csat.low, 4), round(s.service_csat.high, 4)])
}

/// A published summary's NPS (points to one place); none when suppressed.
fn nps(summary: Option<Summary>) -> Option<f64> {
    summary.map(|s| round(s.nps.value, 1))
}

fn nps_ci(summary: Option<Summary>) -> Option<[f64; 2]> {
    summary.map(|s| [round(s.nps.low, 1), round(s.nps.high, 1)])
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
    let filter = period_filter(lang, &q.from, &q.to, &mut fields);
    let Some(by) = by.filter(|_| fields.is_empty()) else {
        return Ok(validation_error(lang, "invalid-parameters", fields));
    };
    let groups = service::results(&state.db, by, &filter, DEFAULT_THRESHOLD).await?;
    let items = groups
        .iter()
        .map(|g| ResultItem {
            key: g.key.clone(),
            label: label(lang, by, g),
            n: g.n,
            csat: csat(g.summary),
            csat_ci: csat_ci(g.summary),
            nps: nps(g.summary),
            nps_ci: nps_ci(g.summary),
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

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendsQuery {
    /// `office` (default: the whole office), `unit`, `location` or `channel`.
    #[param(pattern = "^(office|unit|location|channel)?$")]
    pub by: Option<String>,
    /// `year` (default) or `quarter`.
    #[param(pattern = "^(year|quarter)?$")]
    pub per: Option<String>,
    /// First day of service, `YYYY-MM-DD` (open when absent or empty).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub from: Option<String>,
    /// Last day of service, `YYYY-MM-DD` (open when absent or empty).
    #[param(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Trends {
    /// `office`, `unit`, `location` or `channel`.
    pub by: String,
    /// `year` or `quarter`.
    pub per: String,
    /// Periods with fewer ratings than this have no figures.
    pub threshold: u64,
    /// One per group (one for `office`), in label order, every group over the same
    /// periods.
    pub groups: Vec<TrendGroup>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendGroup {
    /// The unit's or location's id, the channel's code, or `office`.
    pub key: String,
    pub label: String,
    pub periods: Vec<TrendPeriod>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendPeriod {
    /// `2025` or `2025-Q3`.
    pub period: String,
    /// Ratings in the period.
    pub n: u64,
    /// Fewer ratings than the threshold: no figures published.
    pub suppressed: bool,
    /// Share of 4–5 answers to the service question (0–1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat: Option<f64>,
    /// 95 % Wilson score interval of `csat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat_ci: Option<[f64; 2]>,
    /// Net Promoter Score (−100 … 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    /// 95 % interval of `nps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps_ci: Option<[f64; 2]>,
    /// CSAT against the period before (both published), in shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csat_change: Option<TrendChange>,
    /// NPS against the period before (both published), in points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nps_change: Option<TrendChange>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendChange {
    /// The period compared with.
    pub from: String,
    /// This period's figure minus the earlier one's.
    pub difference: f64,
    /// Its 95 % interval.
    pub ci: [f64; 2],
    /// Whether the interval leaves out zero (a change the sample sizes support).
    pub clear: bool,
}

fn trend_change(c: &magistrat_domain::satisfaction_trend::Change, places: i32) -> TrendChange {
    TrendChange {
        from: c.from.to_string(),
        difference: round(c.difference.value, places),
        ci: [
            round(c.difference.low, places),
            round(c.difference.high, places),
        ],
        clear: c.is_clear(),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/satisfaction/trends",
    tag = "satisfaction",
    params(TrendsQuery),
    responses(
        (status = 200, description = "CSAT and NPS per period (and group) with their 95 % intervals and the change against the period before", body = Trends),
        (status = 400, description = "The query holds a control character other than tab, LF and CR (`control-characters`)", body = crate::api::ErrorBody),
        (status = 422, description = "`by` or `per` is not one of its values, or `from`/`to` is not a date (`invalid-parameters`)", body = crate::api::ValidationErrorBody)
    )
)]
pub async fn trends(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(q): Query<TrendsQuery>,
) -> AppResult<Response> {
    use crate::satisfaction::trends::{TrendBy, read};
    use magistrat_domain::satisfaction_trend::Granularity;

    let lang = visitor.lang;
    let mut fields = BTreeMap::new();
    let by = match q.by.as_deref().map(str::trim) {
        None | Some("") => Some(TrendBy::Office),
        Some(s) => TrendBy::parse(s),
    };
    if by.is_none() {
        fields.insert("by".to_owned(), lang.t("sat-error-trend-by"));
    }
    let per = match q.per.as_deref().map(str::trim) {
        None | Some("") => Some(Granularity::Year),
        Some(s) => Granularity::parse(s),
    };
    if per.is_none() {
        fields.insert("per".to_owned(), lang.t("sat-error-per"));
    }
    let filter = period_filter(lang, &q.from, &q.to, &mut fields);
    let (Some(by), Some(per)) = (by, per) else {
        return Ok(validation_error(lang, "invalid-parameters", fields));
    };
    if !fields.is_empty() {
        return Ok(validation_error(lang, "invalid-parameters", fields));
    }
    let trends = read(&state.db, per, by, &filter).await?;
    let groups = trends
        .iter()
        .map(|t| TrendGroup {
            key: if by == TrendBy::Office {
                "office".to_owned()
            } else {
                t.key.clone()
            },
            label: crate::satisfaction::trends::label(lang, by, t),
            periods: t
                .points
                .iter()
                .map(|p| TrendPeriod {
                    period: p.period.to_string(),
                    n: p.n,
                    suppressed: p.summary.is_none(),
                    csat: csat(p.summary),
                    csat_ci: csat_ci(p.summary),
                    nps: nps(p.summary),
                    nps_ci: nps_ci(p.summary),
                    csat_change: p.csat_change.as_ref().map(|c| trend_change(c, 4)),
                    nps_change: p.nps_change.as_ref().map(|c| trend_change(c, 1)),
                })
                .collect(),
        })
        .collect();
    Ok(Json(Trends {
        by: by.as_str().into(),
        per: per.as_str().into(),
        threshold: DEFAULT_THRESHOLD,
        groups,
    })
    .into_response())
}
