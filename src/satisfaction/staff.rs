//! The staff's figures: everyone sees the ratings of their own service; a head of unit
//! (`ViewUnitRatings`, scoped) sees their units' and each of their officials' — the
//! superior's evaluation (art. 27 of the act on local-government employees), never
//! public; the quality officer moderates comments (`ModerateRatings`). Every check is
//! made here on the server, the unit scope read from the grants.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Summary};

use magistrat_domain::satisfaction_trend::Granularity;

use super::results::{self, PeriodQuery, Section, period};
use super::rules::{UnitComments, group_comments};
use super::service;
use super::store::{self, Comment, Filter, GroupBy, Verdict};
use super::trends::{self, TrendBy, TrendSection};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// An official's own figures, formatted.
pub struct Own {
    pub n: i64,
    pub csat: Option<String>,
    pub official_csat: Option<String>,
    pub nps: Option<String>,
}

fn own(n: u64, summary: Option<Summary>) -> Own {
    Own {
        n: i64::try_from(n).unwrap_or(i64::MAX),
        csat: summary.map(|s| results::percent(s.service_csat.value)),
        official_csat: summary.map(|s| results::percent(s.official_csat.value)),
        nps: summary.map(|s| format!("{:+.0}", s.nps.value)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "satisfaction/staff.html")]
pub struct StaffPage {
    pub ctx: PageCtx,
    pub from: String,
    pub to: String,
    pub threshold: i64,
    pub own: Own,
    pub own_comments: Vec<Comment>,
    /// Units and officials in the head's scope; empty without `ViewUnitRatings`.
    pub sections: Vec<Section>,
    /// `year` or `quarter`.
    pub per: &'static str,
    /// The scope's trends (office, unit, location, channel); empty without
    /// `ViewUnitRatings`.
    pub trends: Vec<TrendSection>,
    /// Approved comments about the scope's units whose figures are published, grouped
    /// by unit and category; empty without `ViewUnitRatings`.
    pub unit_comments: Vec<UnitComments>,
    pub pending: Option<i64>,
}

impl StaffPage {
    /// A comment group's category for people.
    pub fn category(&self, category: &str) -> String {
        category_label(self.ctx.lang, category)
    }
}

/// A category's name for people: a kind of case translated, a ticket category as
/// named.
pub fn category_label(lang: crate::web::i18n::Lang, category: &str) -> String {
    match magistrat_domain::deadline::CaseKind::ALL
        .iter()
        .find(|k| k.as_str() == category)
    {
        Some(kind) => lang.t(&format!("case-kind-{}", kind.as_str().replace('_', "-"))),
        None => category.to_owned(),
    }
}

/// The trends a member of staff with `ViewUnitRatings` sees, within their scope.
pub const STAFF_TRENDS: [TrendBy; 4] = [
    TrendBy::Office,
    TrendBy::Group(GroupBy::Unit),
    TrendBy::Group(GroupBy::Location),
    TrendBy::Group(GroupBy::Channel),
];

/// What a head of unit or the quality officer sees beside their own figures: the
/// tables per unit, official and channel, the trends and the units' comments.
struct UnitView {
    sections: Vec<Section>,
    trends: Vec<TrendSection>,
    comments: Vec<UnitComments>,
}

async fn unit_view(
    state: &AppState,
    lang: crate::web::i18n::Lang,
    units: &Filter,
    per: Granularity,
) -> Result<UnitView, sqlx::Error> {
    let mut sections = Vec::new();
    let mut published_units = Vec::new();
    for (by, heading) in [
        (GroupBy::Unit, "sat-by-unit"),
        (GroupBy::Official, "sat-by-official"),
        (GroupBy::Channel, "sat-by-channel"),
    ] {
        let groups = service::results(&state.db, by, units, DEFAULT_THRESHOLD).await?;
        if by == GroupBy::Unit {
            published_units = groups
                .iter()
                .filter(|g| !g.suppressed())
                .filter_map(|g| g.key.parse::<i64>().ok())
                .collect();
        }
        sections.push(results::section(lang, by, lang.t(heading), &groups));
    }
    let trends = trends::sections(&state.db, lang, per, &STAFF_TRENDS, units).await?;
    // Comments only of units with enough ratings to publish: a lone comment of a
    // small unit could say who wrote it (decision 0034 §5).
    let published = Filter {
        units: Some(published_units),
        ..units.clone()
    };
    let comments = group_comments(store::approved_comments(&state.db, &published).await?);
    Ok(UnitView {
        sections,
        trends,
        comments,
    })
}

pub async fn page(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<StaffPage> {
    let (from, to) = period(&q);
    let mine = Filter {
        from: from.clone(),
        to: to.clone(),
        official_id: Some(user.id),
        units: None,
    };
    let (n, summary) = service::summary(&state.db, &mine, DEFAULT_THRESHOLD).await?;
    // An official's own comments too only once there are enough ratings: a lone
    // comment on a quiet day could say who wrote it.
    let own_comments = if summary.is_some() {
        store::approved_comments(&state.db, &mine).await?
    } else {
        Vec::new()
    };
    let per = trends::granularity(&q);
    let view = if user.can(Permission::ViewUnitRatings) {
        let units = Filter {
            from: from.clone(),
            to: to.clone(),
            official_id: None,
            units: scope.unit_ids(Permission::ViewUnitRatings).await?,
        };
        unit_view(&state, ctx.lang, &units, per).await?
    } else {
        UnitView {
            sections: Vec::new(),
            trends: Vec::new(),
            comments: Vec::new(),
        }
    };
    let pending = if user.can(Permission::ModerateRatings) {
        Some(i64::try_from(store::pending_comments(&state.db).await?.len()).unwrap_or(0))
    } else {
        None
    };
    Ok(StaffPage {
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        threshold: i64::try_from(DEFAULT_THRESHOLD).unwrap_or(10),
        own: own(n, summary),
        own_comments,
        sections: view.sections,
        per: per.as_str(),
        trends: view.trends,
        unit_comments: view.comments,
        pending,
        ctx,
    })
}

/// Per-official figures of the head's units as CSV (BOM, `;`).
pub async fn csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = period(&q);
    let filter = Filter {
        from,
        to,
        official_id: None,
        units: scope.unit_ids(Permission::ViewUnitRatings).await?,
    };
    let groups = service::results(&state.db, GroupBy::Official, &filter, DEFAULT_THRESHOLD).await?;
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![g.label.clone(), g.n.to_string()];
            row.extend(results::csv_figures(g.summary));
            row
        })
        .collect();
    let header_row = results::csv_header(ctx.lang, &["sat-csv-official"]);
    Ok(results::csv_response(
        "satisfaction-officials.csv",
        &header_row,
        &rows,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "satisfaction/comments.html")]
pub struct CommentsPage {
    pub ctx: PageCtx,
    pub comments: Vec<Comment>,
}

pub async fn comments(State(state): State<AppState>, ctx: PageCtx) -> AppResult<CommentsPage> {
    Ok(CommentsPage {
        comments: store::pending_comments(&state.db).await?,
        ctx,
    })
}

pub async fn moderate(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    Path((id, verdict)): Path<(i64, String)>,
) -> AppResult<Response> {
    user.require(Permission::ModerateRatings)?;
    let verdict = match verdict.as_str() {
        "approve" => Verdict::Approve,
        "reject" => Verdict::Reject,
        _ => return Err(AppError::NotFound),
    };
    let done = store::moderate(&state.db, &visitor.actor(), id, verdict, state.clock.now()).await?;
    let flash = match (done, verdict) {
        (false, _) => "sat-comment-gone",
        (true, Verdict::Approve) => "sat-comment-approved",
        (true, Verdict::Reject) => "sat-comment-rejected",
    };
    Ok(redirect_with_flash(
        "/staff/satisfaction/comments",
        flash,
        state.config.behind_tls(),
    ))
}

/// `/staff/satisfaction/trends.csv`: the trends of the head's units (the quality
/// officer's: the office's) as CSV; `by=official` is no grouping here.
pub async fn trends_csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = period(&q);
    let filter = Filter {
        from,
        to,
        official_id: None,
        units: scope.unit_ids(Permission::ViewUnitRatings).await?,
    };
    results::trends_download(&state, ctx.lang, &q, &filter).await
}
