//! The staff's PDF report of the results (`/staff/satisfaction/report.pdf`,
//! `ViewUnitRatings`, scoped as the staff page): the total with CSAT and NPS and their
//! intervals, a table per unit, location and channel, the trends of the total and of
//! each unit, and — for those who run surveys — each campaign's CSAT per block and
//! NPS. Printed through the PDF writer of the confirmations (`web::pdf`); a group under
//! the threshold is printed with its count and "too few ratings", never a figure. Per
//! official never: the report travels further than the page.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Estimate, Summary};
use magistrat_domain::satisfaction_trend::Granularity;

use super::results::{PeriodQuery, percent, period};
use super::service::{self, GroupResult};
use super::store::{Filter, GroupBy};
use super::trends::{self, TrendBy};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::db::Db;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::pdf::{PdfDocument, PdfSection};

fn csat_text(lang: Lang, e: &Estimate) -> String {
    lang.t_args(
        "sat-report-csat",
        &[
            ("value", percent(e.value).into()),
            ("low", percent(e.low).into()),
            ("high", percent(e.high).into()),
        ],
    )
}

fn nps_text(lang: Lang, e: &Estimate) -> String {
    lang.t_args(
        "sat-report-nps",
        &[
            ("value", format!("{:+.0}", e.value).into()),
            ("low", format!("{:+.0}", e.low).into()),
            ("high", format!("{:+.0}", e.high).into()),
        ],
    )
}

/// „n = 120 · CSAT 87 % (84–90 %) · NPS +40 (+30 … +50)”, or the count and "too few
/// ratings" for a suppressed group.
pub fn figures_text(lang: Lang, n: u64, summary: Option<&Summary>) -> String {
    let count = lang.t_args(
        "sat-report-n",
        &[("count", i64::try_from(n).unwrap_or(i64::MAX).into())],
    );
    match summary {
        Some(s) => format!(
            "{count} · {} · {}",
            csat_text(lang, &s.service_csat),
            nps_text(lang, &s.nps)
        ),
        None => format!("{count} · {}", lang.t("sat-suppressed")),
    }
}

fn group_section(lang: Lang, by: GroupBy, heading: &str, groups: &[GroupResult]) -> PdfSection {
    let mut rows: Vec<(String, String)> = groups
        .iter()
        .map(|g| {
            (
                service::label(lang, by, g),
                figures_text(lang, g.n, g.summary.as_ref()),
            )
        })
        .collect();
    if rows.is_empty() {
        rows.push((String::new(), lang.t("sat-no-ratings")));
    }
    PdfSection {
        heading: Some(lang.t(heading)),
        rows,
    }
}

fn trend_sections(lang: Lang, by: TrendBy, read: &[service::Trend]) -> PdfSection {
    let mut rows = Vec::new();
    for t in read {
        let group = match by {
            TrendBy::Office => String::new(),
            TrendBy::Group(_) => format!("{} — ", t.label),
        };
        for p in &t.points {
            let mut text = figures_text(lang, p.n, p.summary.as_ref());
            if p.csat_change.is_some() || p.nps_change.is_some() {
                text.push_str(&format!(
                    " · {}",
                    lang.t_args(
                        "sat-report-change",
                        &[
                            ("csat", trends::change_short(p.csat_change, false).into()),
                            ("nps", trends::change_short(p.nps_change, true).into()),
                        ],
                    )
                ));
            }
            rows.push((
                format!("{group}{}", trends::period_label(lang, p.period)),
                text,
            ));
        }
    }
    if rows.is_empty() {
        rows.push((String::new(), lang.t("sat-no-ratings")));
    }
    PdfSection {
        heading: Some(format!(
            "{} — {}",
            lang.t("sat-trends-heading"),
            lang.t(by.heading())
        )),
        rows,
    }
}

/// The campaigns' sections: responses, CSAT per block, NPS of all channels.
async fn campaign_sections(db: &Db, lang: Lang) -> Result<Vec<PdfSection>, sqlx::Error> {
    let mut sections = Vec::new();
    for campaign in crate::surveys::store::campaigns(db).await? {
        let r = crate::surveys::service::results(
            db,
            &campaign,
            lang.code(),
            false,
            |k| lang.t(&format!("sv-channel-{k}")),
            |b| lang.t(&format!("sv-block-{}", b.as_str())),
        )
        .await?;
        let mut rows = vec![(lang.t("sat-report-responses"), r.responses.to_string())];
        for b in &r.blocks {
            let text = match &b.csat {
                Some(e) => csat_text(lang, e),
                None => lang.t("sat-suppressed"),
            };
            rows.push((b.label.clone(), format!("n = {} · {text}", b.n)));
        }
        if let Some(all) = r.nps.last() {
            let text = match &all.nps {
                Some(e) => nps_text(lang, e),
                None => lang.t("sat-suppressed"),
            };
            rows.push((all.label.clone(), format!("n = {} · {text}", all.n)));
        }
        sections.push(PdfSection {
            heading: Some(lang.t_args(
                "sat-report-campaign",
                &[("title", campaign.title(lang.code()).into())],
            )),
            rows,
        });
    }
    Ok(sections)
}

/// What the report covers.
pub struct ReportScope {
    pub filter: Filter,
    pub per: Granularity,
    /// Whether the survey campaigns' results are included (`RunSurveys`).
    pub campaigns: bool,
}

/// The report as a document (the test reads its text before it is printed).
pub async fn document(
    db: &Db,
    lang: Lang,
    scope: &ReportScope,
    created: jiff::Zoned,
) -> Result<PdfDocument, sqlx::Error> {
    let filter = &scope.filter;
    let (n, total) = service::summary(db, filter, DEFAULT_THRESHOLD).await?;
    let whole = |s: &Option<String>| s.clone().unwrap_or_else(|| "…".to_owned());
    let mut sections = vec![PdfSection {
        heading: Some(lang.t("sat-report-total")),
        rows: vec![
            (
                lang.t("sat-report-period"),
                format!("{} – {}", whole(&filter.from), whole(&filter.to)),
            ),
            (
                lang.t("sat-trend-all"),
                figures_text(lang, n, total.as_ref()),
            ),
        ],
    }];
    for (by, heading) in [
        (GroupBy::Unit, "sat-by-unit"),
        (GroupBy::Location, "sat-by-location"),
        (GroupBy::Channel, "sat-by-channel"),
    ] {
        let groups = service::results(db, by, filter, DEFAULT_THRESHOLD).await?;
        sections.push(group_section(lang, by, heading, &groups));
    }
    for by in [TrendBy::Office, TrendBy::Group(GroupBy::Unit)] {
        let read = trends::read(db, scope.per, by, filter).await?;
        sections.push(trend_sections(lang, by, &read));
    }
    if scope.campaigns {
        sections.extend(campaign_sections(db, lang).await?);
    }
    Ok(PdfDocument {
        title: lang.t("sat-report-title"),
        lang: lang.code().to_owned(),
        created,
        sections,
        footer: vec![
            lang.t_args(
                "sat-threshold-note",
                &[(
                    "threshold",
                    i64::try_from(DEFAULT_THRESHOLD).unwrap_or(10).into(),
                )],
            ),
            lang.t("sat-report-method"),
        ],
    })
}

pub async fn pdf(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    user.require(Permission::ViewUnitRatings)?;
    let (from, to) = period(&q);
    let report = ReportScope {
        filter: Filter {
            from,
            to,
            official_id: None,
            units: scope.unit_ids(Permission::ViewUnitRatings).await?,
        },
        per: trends::granularity(&q),
        campaigns: user.can(Permission::RunSurveys),
    };
    let doc = document(&state.db, ctx.lang, &report, state.clock.now_in_warsaw()).await?;
    let bytes = crate::web::pdf::render(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"oceny-obslugi.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
