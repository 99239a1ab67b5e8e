//! The residents' app API (docs/decisions/0043-resident-api.md): an app signs its
//! resident in by the same e-mailed link as `/my-cases` and then works with a bearer
//! token of its own.
//!
//! - `POST /api/v1/resident/sign-in`: mails the sign-in link (the link throttle of
//!   `/my-cases`, per recipient, client address and both; 429 with `Retry-After`);
//! - `POST /api/v1/resident/token`: the link's token (or the whole link) for a bearer
//!   token, valid 30 days (`residents::rules::APP_TOKEN_DAYS`), only its SHA-256 stored;
//! - `POST /api/v1/resident/sign-out`: revokes the token, at once on every app server;
//! - with `Authorization: Bearer …`: the resident's cases (the applications filed with
//!   their address) and problem reports (filed through the app), a page at a time and
//!   one by tracking code or id, each read with an `ETag` (`If-None-Match` → 304).
//!
//! A resident sees only their own things: another's case or report is a 404, the same
//! as one that does not exist. Each token has 120 requests a minute
//! (`residents::rules::APP_REQUESTS_PER_MINUTE`) (429 with `Retry-After`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::service_cards::{MAX_PAGE, MAX_PER_PAGE};
use crate::api::{ApiJson, api_error, validation_error};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::db::audit::Actor;
use crate::org::public::PublicOfficeCache;
use crate::problem_reports::service::{self as reports, Channel, Filter, Problem};
use crate::problem_reports::store::Report;
use crate::residents::service::{
    self as residents, CurrentResident, LINK_MINUTES, ResidentCase, ResidentEmail,
};
use crate::residents::{AppRations, LinkThrottle};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::refusals;

/// The signed-in resident of a request with a valid bearer token, within its ration.
/// Without one: 401 `invalid-token` with `WWW-Authenticate: Bearer`.
pub struct AppResident {
    pub resident: CurrentResident,
    /// The audit actor: `resident:<address>` with the client address.
    pub actor: Actor,
}

fn unauthorized() -> Response {
    let mut response = api_error(StatusCode::UNAUTHORIZED, "invalid-token");
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"magistrat\""),
    );
    response
}

impl FromRequestParts<AppState> for AppResident {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let ip = parts.extensions.get::<Visitor>().and_then(|v| v.ip.clone());
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
        let Some(token) = token else {
            return Err(unauthorized());
        };
        let resident = residents::app_resident(app, token)
            .await
            .map_err(|e| AppError::from(e).into_response())?
            .ok_or_else(unauthorized)?;
        let rations = Arc::<AppRations>::from_ref(app);
        if let Err(seconds) = rations.take(&resident.session_hash, app.clock.timestamp()) {
            refusals::note(
                app,
                "resident-api-rate",
                ip.as_deref(),
                parts.method.as_str(),
                parts.uri.path(),
            );
            return Err(AppError::TooManyRequests(seconds).into_response());
        }
        let base = Actor {
            user_id: None,
            login: "anonymous".to_owned(),
            ip,
        };
        let actor = residents::resident_actor(&base, &resident.email);
        Ok(Self { resident, actor })
    }
}

/// A read's answer with its `ETag` (a hash of the body); `304 Not Modified` when the
/// client's `If-None-Match` names it already. `Vary: Authorization`: the body is the
/// resident's own.
fn cached<T: Serialize>(headers: &HeaderMap, body: &T) -> Response {
    use sha2::Digest;
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let digest = sha2::Sha256::digest(&bytes);
    let tag = format!("\"{}\"", hex::encode(&digest[..16]));
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*");
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    response
}

/// Page and page size checked as every list of the API checks them.
fn page_of(lang: Lang, params: &PageParams) -> Result<(u32, u32), Box<Response>> {
    let page = params.page.unwrap_or(1);
    let per_page = params.per_page.unwrap_or(20);
    let mut wrong = BTreeMap::new();
    for (name, value, max) in [
        ("page", page, MAX_PAGE),
        ("per_page", per_page, MAX_PER_PAGE),
    ] {
        if !(1..=max).contains(&value) {
            let message = lang.t_args(
                &format!("api-{}-range", name.replace('_', "-")),
                &[("max", i64::from(max).into())],
            );
            wrong.insert(name.to_owned(), message);
        }
    }
    if wrong.is_empty() {
        Ok((page, per_page))
    } else {
        Err(Box::new(validation_error(
            lang,
            "invalid-parameters",
            wrong,
        )))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, 1–100000 (default 1); outside that, 422.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u32>,
    /// Items per page, 1–100 (default 20); outside that, 422.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Asking for a sign-in link.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The resident's e-mail address: the link goes there.
    #[schema(example = "anna.nowak@example.pl")]
    pub email: String,
    /// `pl` (default) or `en`: the language of the letter and of error messages.
    pub lang: Option<String>,
}

/// The link is on its way (said whatever the address: an account or none).
#[derive(Serialize, ToSchema)]
pub struct SignInSent {
    /// For people, in the requested language.
    pub message: String,
    /// Minutes the link works.
    pub expires_in_minutes: i64,
}

fn lang_of(requested: Option<&str>, visitor: &Visitor) -> Lang {
    requested.and_then(Lang::from_code).unwrap_or(visitor.lang)
}

#[utoipa::path(
    post,
    path = "/api/v1/resident/sign-in",
    tag = "resident",
    request_body = SignInRequest,
    responses(
        (status = 202, description = "A sign-in link went to the address (the same answer whether or not the address has an account or cases); its token is the `code` of `POST /api/v1/resident/token`", body = SignInSent),
        (status = 400, description = "Not JSON of this shape (`invalid-json`) or a control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "The address is missing or not an e-mail address (`invalid-email`, field `email`), or a string holds a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "Too many links for this address, from this client or both (`too-many-requests`); `Retry-After` says in how many seconds to try again", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the client may ask again")))
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    State(links): State<Arc<LinkThrottle>>,
    State(office): State<PublicOfficeCache>,
    Extension(visitor): Extension<Visitor>,
    ApiJson(request): ApiJson<SignInRequest>,
) -> AppResult<Response> {
    let lang = lang_of(request.lang.as_deref(), &visitor);
    let email = match ResidentEmail::parse(&request.email) {
        Ok(email) => email,
        Err(key) => {
            let fields = BTreeMap::from([("email".to_owned(), lang.t(key))]);
            return Ok(validation_error(lang, "invalid-email", fields));
        }
    };
    let office_name = office.office_name().await;
    let actor = visitor.actor();
    if let Some(seconds) =
        residents::send_link(&state, &links, &actor, lang, &office_name, &email).await?
    {
        refusals::note(
            &state,
            "link-throttled",
            visitor.ip.as_deref(),
            "POST",
            "/api/v1/resident/sign-in",
        );
        return Err(AppError::TooManyRequests(seconds));
    }
    let body = SignInSent {
        message: lang.t("resident-api-link-sent"),
        expires_in_minutes: LINK_MINUTES,
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// Exchanging the link from the letter for the app's token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The link's token (its last part: 64 hexadecimal digits) or the whole link from
    /// the letter, `…/my-cases/link/{token}`. Used once.
    pub code: String,
}

/// The app's bearer token: send it as `Authorization: Bearer …`.
#[derive(Serialize, ToSchema)]
pub struct TokenIssued {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When the token stops working (RFC 3339, UTC).
    pub expires_at: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/resident/token",
    tag = "resident",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "Signed in: the app's bearer token (only its hash is stored; shown this once)", body = TokenIssued),
        (status = 400, description = "Not JSON of this shape (`invalid-json`) or a control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "The code is unknown, used or expired (`invalid-code`, field `code`), or a string holds a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "Too many failed exchanges from this client (`too-many-requests`); `Retry-After` says in how many seconds to try again", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the client may try again")))
    )
)]
pub async fn token(
    State(state): State<AppState>,
    State(rations): State<Arc<AppRations>>,
    Extension(visitor): Extension<Visitor>,
    ApiJson(request): ApiJson<TokenRequest>,
) -> AppResult<Response> {
    let now = state.clock.timestamp();
    let ip = visitor.ip.as_deref();
    if let Some(seconds) = rations.exchange_wait(ip, now) {
        refusals::note(
            &state,
            "code-throttled",
            ip,
            "POST",
            "/api/v1/resident/token",
        );
        return Err(AppError::TooManyRequests(seconds));
    }
    let Some((token, expires_at)) =
        residents::exchange(&state, &visitor.actor(), &request.code).await?
    else {
        rations.exchange_failed(ip, now);
        let lang = visitor.lang;
        let fields = BTreeMap::from([("code".to_owned(), lang.t("resident-api-code-invalid"))]);
        return Ok(validation_error(lang, "invalid-code", fields));
    };
    let body = TokenIssued {
        access_token: token,
        token_type: "Bearer".to_owned(),
        expires_at: expires_at.0.to_string(),
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[utoipa::path(
    post,
    path = "/api/v1/resident/sign-out",
    tag = "resident",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out: the token no longer works, on any server"),
        (status = 400, description = "A control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn sign_out(State(state): State<AppState>, who: AppResident) -> AppResult<Response> {
    if !residents::sign_out_app(&state, &who.actor, &who.resident).await? {
        // Signed out at this moment by another request of the same token.
        return Ok(unauthorized());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// One of the resident's cases (an application filed with their address).
#[derive(Serialize, ToSchema)]
pub struct MyCase {
    /// The case reference (znak sprawy).
    pub znak: String,
    pub title: String,
    /// The service card's name.
    pub service: String,
    /// `registered`, `assigned`, `in_progress`, `suspended`, `settled`, `closed`,
    /// `transferred` or `forwarded`.
    pub status: String,
    pub status_label: String,
    /// The moment of filing (RFC 3339, UTC).
    pub submitted_at: String,
    /// The statutory due date, `YYYY-MM-DD`.
    pub due_date: String,
    /// `XXXX-XXXX-XXXX`: opens the case here and on its public status page.
    pub tracking_code: String,
}

fn my_case(lang: Lang, case: &ResidentCase) -> MyCase {
    MyCase {
        znak: case.znak.clone(),
        title: case.title.clone(),
        service: case.service.clone(),
        status: case.status.as_str().to_owned(),
        status_label: lang.t(case.status.label_id()),
        submitted_at: case.submitted_at.0.to_string(),
        due_date: case.due_date.to_string(),
        tracking_code: case.tracking_code.clone(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyCaseList {
    pub items: Vec<MyCase>,
    pub page: u32,
    pub per_page: u32,
    /// All the resident's cases, on every page.
    pub total: i64,
}

/// One case with its status history.
#[derive(Serialize, ToSchema)]
pub struct MyCaseDetail {
    #[serde(flatten)]
    pub case: MyCase,
    /// The org unit handling it.
    pub unit: String,
    /// Status changes, oldest first.
    pub history: Vec<crate::api::applications::HistoryEntry>,
}

#[utoipa::path(
    get,
    path = "/api/v1/resident/cases",
    tag = "resident",
    security(("bearer" = [])),
    params(PageParams,
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` received before: 304 when the answer is the same")),
    responses(
        (status = 200, description = "A page of the resident's cases, newest first", body = MyCaseList,
            headers(("ETag" = String, description = "The answer's version, for `If-None-Match`"))),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 400, description = "A parameter is not of its type (`bad-request`) or holds a control character (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 422, description = "`page` or `per_page` out of its range", body = crate::api::ValidationErrorBody),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn cases(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    who: AppResident,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let (page, per_page) = match page_of(lang, &params) {
        Ok(p) => p,
        Err(refused) => return Ok(*refused),
    };
    let (items, total) = residents::cases(&state, &who.resident, page, per_page).await?;
    let body = MyCaseList {
        items: items.iter().map(|c| my_case(lang, c)).collect(),
        page,
        per_page,
        total,
    };
    Ok(cached(&headers, &body))
}

#[utoipa::path(
    get,
    path = "/api/v1/resident/cases/{tracking_code}",
    tag = "resident",
    security(("bearer" = [])),
    params(("tracking_code" = String, Path, description = "The case's tracking code, `XXXX-XXXX-XXXX` (case, spaces and hyphens do not matter)"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` received before: 304 when the answer is the same")),
    responses(
        (status = 200, description = "The resident's case with its status history", body = MyCaseDetail,
            headers(("ETag" = String, description = "The answer's version, for `If-None-Match`"))),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 400, description = "A control character in the path or query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 404, description = "No case of the resident's has this code (another resident's case is not found either)", body = crate::api::ErrorBody),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn case(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    who: AppResident,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    // The public status normalises the code and gives the history; the resident's
    // own list decides whether it is theirs.
    let found = crate::cases::store::public_status(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = residents::case(&state, &who.resident, &found.tracking_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = MyCaseDetail {
        case: my_case(lang, &mine),
        unit: found.unit_name.clone(),
        history: found
            .history
            .iter()
            .map(|(date, status)| crate::api::applications::HistoryEntry {
                date: date.to_string(),
                status: status.as_str().to_owned(),
                status_label: lang.t(status.label_id()),
            })
            .collect(),
    };
    Ok(cached(&headers, &body))
}

/// An attribute's value: one value, or several for a `multivaluelist`.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AttributeValue {
    One(String),
    Many(Vec<String>),
}

/// A problem report to file (Open311's field names).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The category's code (`GET /open311/v2/services.json`).
    #[schema(example = "DZIURA")]
    pub service_code: String,
    /// Latitude (WGS84); with `long`, or give `address_string`.
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    pub long: Option<f64>,
    pub address_string: Option<String>,
    /// What is wrong, at most 4,000 characters, no HTML.
    pub description: String,
    /// The category's attributes by code (`GET /open311/v2/services/{code}.json`).
    #[serde(default)]
    pub attributes: BTreeMap<String, AttributeValue>,
    /// A photo elsewhere, `http(s)://…`.
    pub media_url: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

impl ReportRequest {
    /// As the Open311 form pairs the report rules read; the e-mail is the resident's.
    fn pairs(&self, email: &str) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("service_code".to_owned(), self.service_code.clone()),
            ("description".to_owned(), self.description.clone()),
            ("email".to_owned(), email.to_owned()),
        ];
        let optional = [
            ("lat", self.lat.map(|v| v.to_string())),
            ("long", self.long.map(|v| v.to_string())),
            ("address_string", self.address_string.clone()),
            ("media_url", self.media_url.clone()),
            ("first_name", self.first_name.clone()),
            ("last_name", self.last_name.clone()),
            ("phone", self.phone.clone()),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                pairs.push((name.to_owned(), value));
            }
        }
        for (code, value) in &self.attributes {
            match value {
                AttributeValue::One(v) => pairs.push((format!("attribute[{code}]"), v.clone())),
                AttributeValue::Many(vs) => {
                    for v in vs {
                        pairs.push((format!("attribute[{code}][]"), v.clone()));
                    }
                }
            }
        }
        pairs
    }
}

/// One entry of a report's public history.
#[derive(Serialize, ToSchema)]
pub struct ReportHistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// `open`, `in_progress` or `closed`.
    pub status: String,
    pub status_label: String,
    /// The office's public note (empty when only the status changed).
    pub note: String,
}

/// One of the resident's problem reports.
#[derive(Serialize, ToSchema)]
pub struct MyReport {
    pub id: i64,
    pub service_code: String,
    pub service_name: String,
    /// The unit handling it.
    pub agency: Option<String>,
    /// `open`, `in_progress` or `closed`.
    pub status: String,
    pub status_label: String,
    /// The office's closing note.
    pub status_notes: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub address: Option<String>,
    pub description: String,
    /// The attributes given, by code.
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    pub media_url: Option<String>,
    /// RFC 3339, UTC.
    pub requested_at: String,
    pub updated_at: String,
    /// When the office expects to have dealt with it (the category's term).
    pub expected_at: String,
    /// The report's public page.
    pub url: String,
    /// Its public history, oldest first.
    pub history: Vec<ReportHistoryEntry>,
}

async fn my_report(state: &AppState, lang: Lang, r: Report) -> AppResult<MyReport> {
    let notes = reports::notes(&state.db, r.id).await?;
    let label = |status: &str| lang.t(&format!("report-status-{}", status.replace('_', "-")));
    Ok(MyReport {
        status_label: label(&r.status),
        history: notes
            .into_iter()
            .map(|n| ReportHistoryEntry {
                at: n.at.0.to_string(),
                status_label: label(&n.status),
                status: n.status,
                note: n.note,
            })
            .collect(),
        attributes: serde_json::from_str(&r.attributes).unwrap_or_default(),
        url: format!("/reports/{}", r.id),
        id: r.id,
        service_code: r.service_code,
        service_name: r.service_name,
        agency: r.agency,
        status: r.status,
        status_notes: r.status_notes,
        lat: r.lat,
        long: r.lon,
        address: r.address,
        description: r.description,
        media_url: r.media_url,
        requested_at: r.requested_at.0.to_string(),
        updated_at: r.updated_at.0.to_string(),
        expected_at: r.expected_at.0.to_string(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct MyReportList {
    pub items: Vec<MyReport>,
    pub page: u32,
    pub per_page: u32,
    /// All the resident's reports, on every page.
    pub total: i64,
}

#[utoipa::path(
    post,
    path = "/api/v1/resident/reports",
    tag = "resident",
    security(("bearer" = [])),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Filed: the report, the resident's own", body = MyReport,
            headers(("Location" = String, description = "The report in this API"))),
        (status = 400, description = "Not JSON of this shape (`invalid-json`) or a control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 413, description = "The body is larger than the server's limit", body = crate::api::ErrorBody),
        (status = 415, description = "The body is not `application/json`", body = crate::api::ErrorBody),
        (status = 422, description = "The report breaks the rules (`invalid-report`: unknown category, place missing or outside the office's area, description too long or with HTML, an attribute missing or not valid, a field too long; fields by Open311 name), or a string holds a control character (`control-characters`)", body = crate::api::ValidationErrorBody),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn file_report(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    // Before the body: a token over its ration is refused without reading it.
    who: AppResident,
    ApiJson(request): ApiJson<ReportRequest>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let pairs = request.pairs(&who.resident.email);
    let new = match reports::check(&state.db, &pairs).await? {
        Ok(new) => new,
        Err(problems) => {
            let mut fields = BTreeMap::new();
            for p in &problems {
                let field = match p {
                    Problem::AttributeMissing(code) | Problem::AttributeInvalid(code) => {
                        format!("attributes.{code}")
                    }
                    other => other.field().to_owned(),
                };
                fields
                    .entry(field)
                    .or_insert_with(|| lang.t(p.message_key()));
            }
            return Ok(validation_error(lang, "invalid-report", fields));
        }
    };
    let channel = Channel::App {
        resident_id: who.resident.id,
    };
    let filed = reports::file(&state.db, &who.actor, None, channel, new, &[]).await?;
    let report = reports::report_of_resident(&state.db, who.resident.id, filed.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = my_report(&state, lang, report).await?;
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/resident/reports/{}", filed.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/api/v1/resident/reports",
    tag = "resident",
    security(("bearer" = [])),
    params(PageParams,
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` received before: 304 when the answer is the same")),
    responses(
        (status = 200, description = "A page of the resident's reports, newest first, each with its public history", body = MyReportList,
            headers(("ETag" = String, description = "The answer's version, for `If-None-Match`"))),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 400, description = "A parameter is not of its type (`bad-request`) or holds a control character (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 422, description = "`page` or `per_page` out of its range", body = crate::api::ValidationErrorBody),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn reports_list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    who: AppResident,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> AppResult<Response> {
    let lang = visitor.lang;
    let (page, per_page) = match page_of(lang, &params) {
        Ok(p) => p,
        Err(refused) => return Ok(*refused),
    };
    let filter = Filter {
        resident_id: Some(who.resident.id),
        ..Filter::default()
    };
    let (rows, _) = reports::list(&state.db, &filter, page, per_page).await?;
    let total = reports::count(&state.db, &filter).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(my_report(&state, lang, r).await?);
    }
    let body = MyReportList {
        items,
        page,
        per_page,
        total,
    };
    Ok(cached(&headers, &body))
}

#[utoipa::path(
    get,
    path = "/api/v1/resident/reports/{id}",
    tag = "resident",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The report's number"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` received before: 304 when the answer is the same")),
    responses(
        (status = 200, description = "The resident's report with its public history", body = MyReport,
            headers(("ETag" = String, description = "The answer's version, for `If-None-Match`"))),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 400, description = "The id is not a whole number (`bad-request`) or a control character in the query (`control-characters`)", body = crate::api::ErrorBody),
        (status = 401, description = "No bearer token, or one unknown, expired or signed out (`invalid-token`)", body = crate::api::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"magistrat\"`"))),
        (status = 404, description = "No report of the resident's has this number (another resident's report is not found either)", body = crate::api::ErrorBody),
        (status = 429, description = "The token's requests of this minute are used up (`too-many-requests`)", body = crate::api::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next minute")))
    )
)]
pub async fn report(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    who: AppResident,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest("bad-request"))?;
    let report = reports::report_of_resident(&state.db, who.resident.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = my_report(&state, visitor.lang, report).await?;
    Ok(cached(&headers, &body))
}
