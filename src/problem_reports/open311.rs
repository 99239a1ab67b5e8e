//! Open311 GeoReport v2 at `/open311/v2/` (docs/decisions/0035): discovery, services,
//! service definitions, `POST requests` (with an integrator's API key), tokens,
//! `GET requests` and one request (`requests/{id}` and the singular `request/{id}` of
//! the project's Swagger file), in XML and JSON by suffix. Every refusal is the spec's
//! error list with the spec's status: 404 for what does not exist, 403 for a missing or
//! bad `api_key`, 400 for anything else, and 429 (with `Retry-After`) over a limit.
//!
//! Extensions: `page`/`page_size`, `updated_after`, `lat`/`long`/`radius` on
//! `GET requests`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use magistrat_domain::problem_report::{self as pr, Status};
use tower_http::limit::RequestBodyLimitLayer;

use super::format::{Format, Node, error, errors};
use super::rules::{Problem, check_submission};
use super::service::{self, Channel, Filter};
use super::store::{Category, Report};
use crate::api_keys::service::{self as keys, KeyLimits, KeyRefusal, KeySecret};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::db::UtcTime;
use crate::org::public::PublicOfficeCache;
use crate::web::i18n::Lang;
use crate::web::routes::{Access, Routes};

/// The base of the endpoint.
pub const BASE: &str = "/open311/v2";
/// When the service list's shape last changed (discovery's `changeset`).
pub const CHANGESET: &str = "2026-12-04T00:00:00+01:00";

pub fn routes(max_body: usize) -> Routes {
    Routes::api()
        .get("/open311/v2/{file}", Access::Public, get_top)
        .post("/open311/v2/{file}", Access::Public, post_requests)
        .get(
            "/open311/v2/services/{file}",
            Access::Public,
            service_definition,
        )
        .get("/open311/v2/requests/{file}", Access::Public, one_request)
        .get("/open311/v2/request/{file}", Access::Public, one_request)
        .get("/open311/v2/tokens/{file}", Access::Public, token)
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(DefaultBodyLimit::max(max_body))
}

type Refused = Box<Response>;

/// The English text of a message (the spec's descriptions are for programmers).
fn en(key: &str) -> String {
    Lang::En.t(key)
}

fn bad(format: Format, key: &str) -> Refused {
    Box::new(error(StatusCode::BAD_REQUEST, format, en(key)))
}

fn not_found(format: Format, key: &str) -> Refused {
    Box::new(error(StatusCode::NOT_FOUND, format, en(key)))
}

fn too_many(format: Format, seconds: u64) -> Refused {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        format,
        en("open311-error-too-many"),
    );
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Box::new(r)
}

fn internal(format: Format, e: &sqlx::Error) -> Refused {
    tracing::error!(error = %e, "open311: database error");
    Box::new(error(
        StatusCode::INTERNAL_SERVER_ERROR,
        format,
        en("open311-error-internal"),
    ))
}

fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The format of `file` as `stem.{xml,json}`; anything else is not a resource here.
fn format_of(file: &str) -> Result<(&str, Format), Refused> {
    Format::split(file).ok_or_else(|| not_found(Format::Xml, "open311-error-not-found"))
}

/// Every request counts against its address's allowance.
fn address_limit(
    state: &AppState,
    limits: &KeyLimits,
    visitor: &Visitor,
    format: Format,
) -> Result<(), Refused> {
    limits
        .address(&state.clock, visitor.ip.as_deref())
        .map_err(|seconds| too_many(format, seconds))
}

/// A `jurisdiction_id`, when given, must be the office's (an empty one is absent).
async fn check_jurisdiction(
    state: &AppState,
    pairs: &[(String, String)],
    format: Format,
) -> Result<(), Refused> {
    let given = param(pairs, "jurisdiction_id");
    if given.is_empty() {
        return Ok(());
    }
    let (_, ours) = service::area(&state.db)
        .await
        .map_err(|e| internal(format, &e))?;
    if given.eq_ignore_ascii_case(&ours) {
        Ok(())
    } else {
        Err(not_found(format, "open311-error-jurisdiction"))
    }
}

fn unwrap(result: Result<Response, Refused>) -> Response {
    result.unwrap_or_else(|r| *r)
}

// ---------------------------------------------------------------- GET /{file}

pub async fn get_top(
    State(state): State<AppState>,
    State(limits): State<Arc<KeyLimits>>,
    State(office): State<PublicOfficeCache>,
    Extension(visitor): Extension<Visitor>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    unwrap(
        async {
            let (stem, format) = format_of(&file)?;
            address_limit(&state, &limits, &visitor, format)?;
            let pairs = pairs(query.as_deref());
            match stem {
                "discovery" => Ok(discovery(&state, &office, &headers, format).await),
                "services" => {
                    check_jurisdiction(&state, &pairs, format).await?;
                    services(&state, format).await
                }
                "requests" => {
                    check_jurisdiction(&state, &pairs, format).await?;
                    requests(&state, &headers, &pairs, format).await
                }
                _ => Err(not_found(format, "open311-error-not-found")),
            }
        }
        .await,
    )
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    base.trim_end_matches('/').to_owned()
}

async fn discovery(
    state: &AppState,
    office: &PublicOfficeCache,
    headers: &HeaderMap,
    format: Format,
) -> Response {
    let office = office.get().await;
    let contact = office.office.as_ref().map_or_else(String::new, |o| {
        format!("{}, {}, {}", o.name, o.email, o.phone)
    });
    let base = base_url(state, headers);
    let endpoint = Node::Obj(vec![
        (
            "specification",
            Node::text("http://wiki.open311.org/GeoReport_v2"),
        ),
        ("url", Node::text(format!("{base}{BASE}"))),
        ("changeset", Node::text(CHANGESET)),
        ("type", Node::text("production")),
        (
            "formats",
            Node::List(
                "format",
                vec![Node::text("text/xml"), Node::text("application/json")],
            ),
        ),
    ]);
    Node::Obj(vec![
        ("changeset", Node::text(CHANGESET)),
        ("contact", Node::text(contact)),
        (
            "key_service",
            Node::text(format!(
                "{base}/staff/api-keys — {}",
                en("open311-key-service")
            )),
        ),
        ("endpoints", Node::List("endpoint", vec![endpoint])),
    ])
    .respond(StatusCode::OK, "discovery", format)
}

fn service_node(k: &Category) -> Node {
    Node::Obj(vec![
        ("service_code", Node::text(k.code.clone())),
        ("service_name", Node::text(k.name.clone())),
        ("description", Node::text(k.description.clone())),
        ("metadata", Node::Bool(!k.attribute_list().is_empty())),
        ("type", Node::text("realtime")),
        ("keywords", Node::text(k.keywords.clone())),
        ("group", Node::text(k.group_name.clone())),
    ])
}

async fn services(state: &AppState, format: Format) -> Result<Response, Refused> {
    let list = service::categories(&state.db)
        .await
        .map_err(|e| internal(format, &e))?;
    let items = list.iter().filter(|k| k.active).map(service_node).collect();
    Ok(Node::List("service", items).respond(StatusCode::OK, "services", format))
}

// ---------------------------------------------------------------- services/{code}

pub async fn service_definition(
    State(state): State<AppState>,
    State(limits): State<Arc<KeyLimits>>,
    Extension(visitor): Extension<Visitor>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    unwrap(
        async {
            let (code, format) = format_of(&file)?;
            address_limit(&state, &limits, &visitor, format)?;
            check_jurisdiction(&state, &pairs(query.as_deref()), format).await?;
            let k = service::category(&state.db, code)
                .await
                .map_err(|e| internal(format, &e))?
                .filter(|k| k.active)
                .ok_or_else(|| not_found(format, "open311-error-unknown-service"))?;
            let attributes = k
                .attribute_list()
                .into_iter()
                .map(|a| {
                    Node::Obj(vec![
                        ("variable", Node::Bool(true)),
                        ("code", Node::text(a.code)),
                        ("datatype", Node::text(a.datatype)),
                        ("required", Node::Bool(a.required)),
                        ("datatype_description", Node::text(a.datatype_description)),
                        ("order", Node::Int(i64::from(a.order))),
                        ("description", Node::text(a.description)),
                        (
                            "values",
                            Node::List(
                                "value",
                                a.values
                                    .into_iter()
                                    .map(|(key, name)| {
                                        Node::Obj(vec![
                                            ("key", Node::text(key)),
                                            ("name", Node::text(name)),
                                        ])
                                    })
                                    .collect(),
                            ),
                        ),
                    ])
                })
                .collect();
            Ok(Node::Obj(vec![
                ("service_code", Node::text(k.code)),
                ("attributes", Node::List("attribute", attributes)),
            ])
            .respond(StatusCode::OK, "service_definition", format))
        }
        .await,
    )
}

// ---------------------------------------------------------------- POST requests

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

fn problem_errors(problems: &[Problem]) -> Vec<(u16, String)> {
    problems
        .iter()
        .map(|p| {
            let mut text = en(p.message_key());
            if let Problem::AttributeMissing(code)
            | Problem::AttributeInvalid(code)
            | Problem::UnknownService(code) = p
            {
                text = format!("{text}: {code}");
            }
            if let Problem::TooLong(field) = p {
                text = format!("{text}: {field}");
            }
            (400, text)
        })
        .collect()
}

pub async fn post_requests(
    State(state): State<AppState>,
    State(limits): State<Arc<KeyLimits>>,
    State(secret): State<KeySecret>,
    Extension(visitor): Extension<Visitor>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    unwrap(
        async {
            let (stem, format) = format_of(&file)?;
            if stem != "requests" {
                return Err(not_found(format, "open311-error-not-found"));
            }
            address_limit(&state, &limits, &visitor, format)?;
            if !is_form(&headers) {
                return Err(bad(format, "open311-error-content-type"));
            }
            let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
            let holder = match keys::authenticate(
                &state.db,
                &secret,
                param(&pairs, "api_key"),
                "reports:create",
            )
            .await
            .map_err(|e| internal(format, &e))?
            {
                Ok(holder) => holder,
                Err(refusal) => {
                    let key = match refusal {
                        KeyRefusal::Missing => "open311-error-key-missing",
                        KeyRefusal::Invalid => "open311-error-key-invalid",
                        KeyRefusal::Revoked => "open311-error-key-revoked",
                        KeyRefusal::OutOfScope => "open311-error-key-scope",
                    };
                    return Err(Box::new(error(StatusCode::FORBIDDEN, format, en(key))));
                }
            };
            limits
                .key(&state.clock, &holder)
                .map_err(|seconds| too_many(format, seconds))?;
            check_jurisdiction(&state, &pairs, format).await?;
            let code = param(&pairs, "service_code");
            let category = if code.is_empty() {
                None
            } else {
                service::category(&state.db, code)
                    .await
                    .map_err(|e| internal(format, &e))?
            };
            let (area, _) = service::area(&state.db)
                .await
                .map_err(|e| internal(format, &e))?;
            let new = check_submission(&pairs, category.as_ref(), &area).map_err(|problems| {
                Box::new(errors(
                    StatusCode::BAD_REQUEST,
                    format,
                    &problem_errors(&problems),
                ))
            })?;
            let filed = service::file(
                &state.db,
                &holder.actor(visitor.ip.clone()),
                Some(&holder),
                Channel::Open311,
                new,
                &[],
            )
            .await
            .map_err(|e| internal(format, &e))?;
            let item = Node::Obj(vec![
                ("service_request_id", Node::text(filed.id.to_string())),
                ("service_notice", Node::text(en("open311-service-notice"))),
                ("account_id", Node::Null),
            ]);
            Ok(Node::List("request", vec![item]).respond(
                StatusCode::OK,
                "service_requests",
                format,
            ))
        }
        .await,
    )
}

// ---------------------------------------------------------------- tokens/{token}

pub async fn token(
    State(state): State<AppState>,
    State(limits): State<Arc<KeyLimits>>,
    Extension(visitor): Extension<Visitor>,
    Path(file): Path<String>,
) -> Response {
    unwrap(
        async {
            let (token, format) = format_of(&file)?;
            address_limit(&state, &limits, &visitor, format)?;
            let id = service::report_id_by_token(&state.db, token)
                .await
                .map_err(|e| internal(format, &e))?
                .ok_or_else(|| not_found(format, "open311-error-unknown-token"))?;
            let item = Node::Obj(vec![
                ("service_request_id", Node::text(id.to_string())),
                ("token", Node::text(token)),
            ]);
            Ok(Node::List("request", vec![item]).respond(
                StatusCode::OK,
                "service_requests",
                format,
            ))
        }
        .await,
    )
}

// ---------------------------------------------------------------- GET requests

fn time_node(t: UtcTime) -> Node {
    Node::text(pr::format_datetime(t.0, &crate::WARSAW))
}

fn request_node(r: &Report, base: &str) -> Node {
    let status = Status::parse(&r.status).unwrap_or(Status::Open);
    let media_url = r.media_url.clone().or_else(|| {
        r.first_photo
            .map(|p| format!("{base}/reports/{}/photos/{p}", r.id))
    });
    Node::Obj(vec![
        ("service_request_id", Node::text(r.id.to_string())),
        ("status", Node::text(status.open311())),
        ("status_notes", Node::opt_text(r.status_notes.clone())),
        ("service_name", Node::text(r.service_name.clone())),
        ("service_code", Node::text(r.service_code.clone())),
        ("description", Node::text(r.description.clone())),
        ("agency_responsible", Node::opt_text(r.agency.clone())),
        ("service_notice", Node::Null),
        ("requested_datetime", time_node(r.requested_at)),
        ("updated_datetime", time_node(r.updated_at)),
        ("expected_datetime", time_node(r.expected_at)),
        ("address", Node::opt_text(r.address.clone())),
        ("address_id", Node::Null),
        ("zipcode", Node::Null),
        ("lat", r.lat.map_or(Node::Null, Node::Real)),
        ("long", r.lon.map_or(Node::Null, Node::Real)),
        ("media_url", Node::opt_text(media_url)),
    ])
}

fn list_of<T>(
    value: &str,
    format: Format,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, Refused> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse(v).ok_or_else(|| bad(format, key)))
        .collect()
}

fn date_param(
    pairs: &[(String, String)],
    name: &str,
    format: Format,
) -> Result<Option<jiff::Timestamp>, Refused> {
    let v = param(pairs, name);
    if v.is_empty() {
        return Ok(None);
    }
    pr::parse_datetime(v)
        .map(Some)
        .ok_or_else(|| bad(format, "open311-error-date"))
}

fn number_param(
    pairs: &[(String, String)],
    name: &str,
    format: Format,
    range: std::ops::RangeInclusive<u32>,
    default: u32,
) -> Result<u32, Refused> {
    let v = param(pairs, name);
    if v.is_empty() {
        return Ok(default);
    }
    v.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| bad(format, "open311-error-page"))
}

/// The filters of `GET requests` as the spec and the extensions define them.
fn filter_of(
    pairs: &[(String, String)],
    format: Format,
    now: jiff::Timestamp,
) -> Result<Filter, Refused> {
    let mut filter = Filter {
        ids: list_of(
            param(pairs, "service_request_id"),
            format,
            "open311-error-id",
            |v| v.parse::<i64>().ok(),
        )?,
        ..Filter::default()
    };
    // The spec: service_request_id "overrides all other arguments".
    if !filter.ids.is_empty() {
        return Ok(filter);
    }
    filter.service_codes = list_of(
        param(pairs, "service_code"),
        format,
        "open311-error-unknown-service",
        |v| Some(v.to_owned()),
    )?;
    let statuses = list_of(
        param(pairs, "status"),
        format,
        "open311-error-status",
        |v| match v {
            "open" => Some(vec![Status::Open, Status::InProgress]),
            "closed" => Some(vec![Status::Closed]),
            _ => None,
        },
    )?;
    filter.statuses = statuses.into_iter().flatten().collect();
    let start = date_param(pairs, "start_date", format)?;
    let end = date_param(pairs, "end_date", format)?;
    let (start, end) = pr::window(start, end, now).map_err(|e| {
        bad(
            format,
            match e {
                pr::WindowError::Reversed => "open311-error-window-reversed",
                pr::WindowError::TooLong => "open311-error-window-too-long",
            },
        )
    })?;
    filter.window = Some((UtcTime::from_timestamp(start), UtcTime::from_timestamp(end)));
    filter.updated_after = date_param(pairs, "updated_after", format)?.map(UtcTime::from_timestamp);
    match pr::parse_point(param(pairs, "lat"), param(pairs, "long")) {
        Ok(None) => {}
        Ok(Some(p)) => {
            let radius = match param(pairs, "radius") {
                "" => 1_000.0,
                r => r
                    .parse::<f64>()
                    .ok()
                    .filter(|r| r.is_finite() && *r > 0.0 && *r <= pr::MAX_RADIUS_M)
                    .ok_or_else(|| bad(format, "open311-error-radius"))?,
            };
            filter.near = Some((p, radius));
        }
        Err(_) => return Err(bad(format, "open311-error-place")),
    }
    Ok(filter)
}

async fn requests(
    state: &AppState,
    headers: &HeaderMap,
    pairs: &[(String, String)],
    format: Format,
) -> Result<Response, Refused> {
    let filter = filter_of(pairs, format, state.clock.timestamp())?;
    let max = u32::try_from(pr::MAX_REQUESTS).unwrap_or(1_000);
    let page = number_param(pairs, "page", format, 1..=1_000_000, 1)?;
    let page_size = number_param(pairs, "page_size", format, 1..=max, max)?;
    // Unknown service codes are an error, not an empty list.
    if !filter.service_codes.is_empty() {
        let known = service::categories(&state.db)
            .await
            .map_err(|e| internal(format, &e))?;
        if let Some(unknown) = filter
            .service_codes
            .iter()
            .find(|c| !known.iter().any(|k| &k.code == *c))
        {
            return Err(Box::new(error(
                StatusCode::BAD_REQUEST,
                format,
                format!("{}: {unknown}", en("open311-error-unknown-service")),
            )));
        }
    }
    let (rows, more) = service::list(&state.db, &filter, page, page_size)
        .await
        .map_err(|e| internal(format, &e))?;
    let base = base_url(state, headers);
    let items = rows.iter().map(|r| request_node(r, &base)).collect();
    let mut response =
        Node::List("request", items).respond(StatusCode::OK, "service_requests", format);
    if more {
        // The next page, as the extension's servers announce it (6aika's X-Next-Page-URL).
        let mut next: Vec<(String, String)> =
            pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
        next.push(("page".into(), (page + 1).to_string()));
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(next)
            .finish();
        let suffix = if format == Format::Xml { "xml" } else { "json" };
        if let Ok(v) = HeaderValue::from_str(&format!("{base}{BASE}/requests.{suffix}?{query}")) {
            response
                .headers_mut()
                .insert(header::HeaderName::from_static("x-next-page-url"), v);
        }
    }
    Ok(response)
}

pub async fn one_request(
    State(state): State<AppState>,
    State(limits): State<Arc<KeyLimits>>,
    Extension(visitor): Extension<Visitor>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    unwrap(
        async {
            let (id, format) = format_of(&file)?;
            address_limit(&state, &limits, &visitor, format)?;
            check_jurisdiction(&state, &pairs(query.as_deref()), format).await?;
            let report = match id.parse::<i64>() {
                Ok(id) => service::report(&state.db, id)
                    .await
                    .map_err(|e| internal(format, &e))?,
                Err(_) => None,
            }
            .ok_or_else(|| not_found(format, "open311-error-unknown-request"))?;
            let base = base_url(&state, &headers);
            Ok(
                Node::List("request", vec![request_node(&report, &base)]).respond(
                    StatusCode::OK,
                    "service_requests",
                    format,
                ),
            )
        }
        .await,
    )
}
