//! The officials' pages: reports listed by category, status and area (a radius around
//! a point), one report with its contact, history and photos, and the acts: assign,
//! comment publicly, close with a public note, reopen.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use magistrat_domain::problem_report::{self as pr, Status};

use super::service::{self, Act, ActError, Contact, Filter, Note};
use super::store::{Category, Report};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::platform::form::{self, FormErrors};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// Reports on one page of the staff list.
pub const PAGE_SIZE: u32 = 50;
/// The longest public note or comment.
pub const MAX_NOTE: usize = 2_000;

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/staff_list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub categories: Vec<Category>,
    pub reports: Vec<Report>,
    pub total: i64,
    pub category: String,
    pub status: String,
    pub lat: String,
    pub long: String,
    pub radius: String,
    pub page: u32,
    pub more: bool,
    /// The filters as a query string, without the page.
    pub query: String,
    pub error: Option<String>,
}

impl ListPage {
    pub fn statuses(&self) -> [&'static str; 3] {
        Status::ALL.map(Status::as_str)
    }
}

pub async fn list(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    user.require(Permission::HandleReports)?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let v = |n: &str| form::value(&pairs, n).trim().to_owned();
    let (category, status, lat, long, radius) =
        (v("category"), v("status"), v("lat"), v("long"), v("radius"));
    let page = v("page").parse::<u32>().unwrap_or(1).clamp(1, 100_000);
    let mut filter = Filter::default();
    if !category.is_empty() {
        filter.service_codes = vec![category.clone()];
    }
    filter.statuses = Status::parse(&status).into_iter().collect();
    let mut error = None;
    match pr::parse_point(&lat, &long) {
        Ok(Some(p)) => {
            let r = radius
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite() && *r > 0.0 && *r <= pr::MAX_RADIUS_M)
                .unwrap_or(500.0);
            filter.near = Some((p, r));
        }
        Ok(None) => {}
        Err(_) => error = Some(ctx.t("report-error-place-out-of-range")),
    }
    let (reports, more) = service::list(&state.db, &filter, page, PAGE_SIZE).await?;
    let total = if filter.near.is_some() {
        -1
    } else {
        service::count(&state.db, &filter).await?
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("category", &category),
            ("status", &status),
            ("lat", &lat),
            ("long", &long),
            ("radius", &radius),
        ])
        .finish();
    Ok(ListPage {
        categories: service::categories(&state.db).await?,
        reports,
        total,
        category,
        status,
        lat,
        long,
        radius,
        page,
        more,
        query,
        error,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/staff_report.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub report: Report,
    pub contact: Contact,
    pub notes: Vec<Note>,
    pub photos: Vec<i64>,
    pub officials: Vec<(i64, String)>,
    pub errors: FormErrors,
    pub note: String,
}

impl ReportPage {
    pub fn is_closed(&self) -> bool {
        self.report.status == "closed"
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|k| self.ctx.t(k))
    }
}

async fn report_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    errors: FormErrors,
    note: String,
) -> AppResult<ReportPage> {
    let report = service::report(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ReportPage {
        ctx,
        contact: service::contact(&state.db, id).await?.unwrap_or_default(),
        notes: service::notes(&state.db, id).await?,
        photos: service::photos(&state.db, id).await?,
        officials: service::officials(&state.db).await?,
        report,
        errors,
        note,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ReportPage> {
    user.require(Permission::HandleReports)?;
    report_page(&state, ctx, id, FormErrors::new(), String::new()).await
}

/// The act a posted form asks for, or the form's errors.
fn act_of(
    name: &str,
    pairs: &[(String, String)],
    officials: &[(i64, String)],
) -> Result<Act, FormErrors> {
    let note = form::value(pairs, "note").trim().to_owned();
    let note_ok = || -> Result<String, FormErrors> {
        if note.is_empty() {
            Err(FormErrors::one("note", "report-note-required"))
        } else if note.chars().count() > MAX_NOTE {
            Err(FormErrors::one("note", "report-note-too-long"))
        } else {
            Ok(note.clone())
        }
    };
    match name {
        "assign" => {
            let v = form::value(pairs, "official").trim();
            if v.is_empty() {
                return Ok(Act::Assign(None));
            }
            v.parse::<i64>()
                .ok()
                .filter(|id| officials.iter().any(|(o, _)| o == id))
                .map(|id| Act::Assign(Some(id)))
                .ok_or_else(|| FormErrors::one("official", "report-official-unknown"))
        }
        "comment" => note_ok().map(Act::Comment),
        "close" => note_ok().map(Act::Close),
        "reopen" => note_ok().map(Act::Reopen),
        _ => Err(FormErrors::one("act", "report-act-unknown")),
    }
}

pub async fn act(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path((id, name)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::HandleReports)?;
    if !matches!(name.as_str(), "assign" | "comment" | "close" | "reopen") {
        return Err(AppError::NotFound);
    }
    let officials = service::officials(&state.db).await?;
    let errors = match act_of(&name, &pairs, &officials) {
        Ok(act) => match service::act(&state.db, &visitor.actor(), id, act).await {
            Ok(()) => {
                return Ok(redirect_with_flash(
                    &format!("/staff/reports/{id}"),
                    "report-saved",
                    state.config.behind_tls(),
                ));
            }
            Err(ActError::NotFound) => return Err(AppError::NotFound),
            Err(ActError::Refused) => FormErrors::one("note", "report-act-refused"),
            Err(ActError::Db(e)) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let note = form::value(&pairs, "note").to_owned();
    let page = report_page(&state, ctx, id, errors, note).await?;
    let errors = page.errors.clone();
    Ok(form::respond(&errors, page))
}
