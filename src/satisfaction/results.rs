//! The public results: `/satisfaction` per unit and per location (bars in SVG with the
//! data table beside them) and the same as CSV. Groups under the threshold show no
//! figures; per-person figures are never here (art. 27 of the act on local-government
//! employees: an official's evaluation belongs to the superior).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Summary};
use serde::Deserialize;

use super::service::{self, GroupResult};
use super::store::{Filter, GroupBy};
use crate::app::AppState;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;

/// `?from=&to=` as typed; a value that is not a date is ignored by the page (the API
/// refuses it).
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    /// `year` (the default) or `quarter`: the periods of the trends.
    pub per: Option<String>,
}

/// The period of a query: each end a valid date or open.
pub fn period(q: &PeriodQuery) -> (Option<String>, Option<String>) {
    let date = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|s| magistrat_domain::date::parse_date(s).ok())
            .map(|d| d.to_string())
    };
    (date(&q.from), date(&q.to))
}

pub use super::service::label;

/// A percentage for people, „87 %”.
pub fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// One row of a results table, formatted.
pub struct Row {
    pub label: String,
    pub n: u64,
    /// None: suppressed.
    pub figures: Option<Figures>,
}

pub struct Figures {
    pub csat: String,
    pub csat_ci: String,
    pub service_mean: String,
    pub official_csat: String,
    pub nps: String,
    pub nps_ci: String,
}

/// One bar of a chart: CSAT with its interval, in the chart's units (0–100).
pub struct Bar {
    pub label: String,
    pub y: u32,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub text: String,
}

/// A grouping's table and chart.
pub struct Section {
    pub by: &'static str,
    pub heading: String,
    pub rows: Vec<Row>,
    pub bars: Vec<Bar>,
    pub height: u32,
}

fn decimal(lang: Lang, v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if lang == Lang::Pl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The rows and bars of `groups`.
pub fn section(lang: Lang, by: GroupBy, heading: String, groups: &[GroupResult]) -> Section {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for g in groups {
        let label = label(lang, by, g);
        let figures = g.summary.map(|s| {
            let y = u32::try_from(bars.len()).unwrap_or(0) * 28 + 4;
            bars.push(Bar {
                label: label.clone(),
                y,
                value: s.service_csat.value * 100.0,
                low: s.service_csat.low * 100.0,
                high: s.service_csat.high * 100.0,
                text: percent(s.service_csat.value),
            });
            Figures {
                csat: percent(s.service_csat.value),
                csat_ci: format!(
                    "{}–{}",
                    percent(s.service_csat.low),
                    percent(s.service_csat.high)
                ),
                service_mean: decimal(lang, s.service_mean, 2),
                official_csat: percent(s.official_csat.value),
                nps: format!("{:+.0}", s.nps.value),
                nps_ci: format!("{:+.0} … {:+.0}", s.nps.low, s.nps.high),
            }
        });
        rows.push(Row {
            label,
            n: g.n,
            figures,
        });
    }
    let height = u32::try_from(bars.len()).unwrap_or(0) * 28 + 8;
    Section {
        by: by.as_str(),
        heading,
        rows,
        bars,
        height,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "satisfaction/results.html")]
pub struct ResultsPage {
    pub ctx: PageCtx,
    pub from: String,
    pub to: String,
    pub threshold: i64,
    pub sections: Vec<Section>,
    /// `year` or `quarter`.
    pub per: &'static str,
    /// The office's, the units' and the places' trends (never per person).
    pub trends: Vec<super::trends::TrendSection>,
}

/// The trends the public page shows.
pub const PUBLIC_TRENDS: [super::trends::TrendBy; 3] = [
    super::trends::TrendBy::Office,
    super::trends::TrendBy::Group(GroupBy::Unit),
    super::trends::TrendBy::Group(GroupBy::Location),
];

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<ResultsPage> {
    let (from, to) = period(&q);
    let filter = Filter {
        from: from.clone(),
        to: to.clone(),
        ..Filter::default()
    };
    let mut sections = Vec::new();
    for (by, heading) in [
        (GroupBy::Unit, "sat-by-unit"),
        (GroupBy::Location, "sat-by-location"),
        (GroupBy::Channel, "sat-by-channel"),
    ] {
        let groups = service::results(&state.db, by, &filter, DEFAULT_THRESHOLD).await?;
        sections.push(section(ctx.lang, by, ctx.t(heading), &groups));
    }
    let per = super::trends::granularity(&q);
    let trends = super::trends::sections(&state.db, ctx.lang, per, &PUBLIC_TRENDS, &filter).await?;
    Ok(ResultsPage {
        per: per.as_str(),
        trends,
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        threshold: i64::try_from(DEFAULT_THRESHOLD).unwrap_or(10),
        sections,
        ctx,
    })
}

/// A CSV file for Polish Excel ([`crate::platform::csv`]: BOM, `;`, CRLF, formulas
/// defused); the figures carry decimal commas.
pub fn csv_response(file_name: &str, header_row: &[String], rows: &[Vec<String>]) -> Response {
    let mut csv = crate::platform::csv::Csv::new();
    csv.row(header_row);
    for row in rows {
        csv.row(row);
    }
    csv.download(file_name)
}

/// The CSV columns of a group's figures (decimal commas), empty when suppressed.
pub fn csv_figures(summary: Option<Summary>) -> Vec<String> {
    let d = |v: f64, places: usize| format!("{v:.places$}").replace('.', ",");
    match summary {
        Some(s) => vec![
            d(s.service_csat.value, 3),
            d(s.service_csat.low, 3),
            d(s.service_csat.high, 3),
            d(s.service_mean, 2),
            d(s.official_csat.value, 3),
            d(s.official_mean, 2),
            d(s.nps.value, 1),
            d(s.nps.low, 1),
            d(s.nps.high, 1),
            "0".into(),
        ],
        None => {
            let mut v = vec![String::new(); 9];
            v.push("1".into());
            v
        }
    }
}

/// The header of [`csv_figures`]' columns.
pub fn csv_header(lang: Lang, first: &[&str]) -> Vec<String> {
    first
        .iter()
        .chain(
            [
                "sat-csv-n",
                "sat-csv-csat",
                "sat-csv-csat-low",
                "sat-csv-csat-high",
                "sat-csv-service-mean",
                "sat-csv-official-csat",
                "sat-csv-official-mean",
                "sat-csv-nps",
                "sat-csv-nps-low",
                "sat-csv-nps-high",
                "sat-csv-suppressed",
            ]
            .iter(),
        )
        .map(|k| lang.t(k))
        .collect()
}

pub async fn csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = period(&q);
    let by =
        q.by.as_deref()
            .and_then(GroupBy::parse)
            .unwrap_or(GroupBy::Unit);
    let filter = Filter {
        from,
        to,
        ..Filter::default()
    };
    let groups = service::results(&state.db, by, &filter, DEFAULT_THRESHOLD).await?;
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![label(ctx.lang, by, g), g.n.to_string()];
            row.extend(csv_figures(g.summary));
            row
        })
        .collect();
    let header_row = csv_header(ctx.lang, &["sat-csv-group"]);
    Ok(csv_response(
        &format!("satisfaction-{}.csv", by.as_str()),
        &header_row,
        &rows,
    ))
}

/// `/satisfaction/trends.csv?by=office|unit|location|channel&per=year|quarter`: the
/// public trends as CSV (never per official: `by=official` is not a grouping here).
pub async fn trends_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = period(&q);
    let filter = Filter {
        from,
        to,
        ..Filter::default()
    };
    trends_download(&state, ctx.lang, &q, &filter).await
}

/// The trends CSV of `filter` for the query's `by` and `per`.
pub async fn trends_download(
    state: &AppState,
    lang: Lang,
    q: &PeriodQuery,
    filter: &Filter,
) -> AppResult<Response> {
    use super::trends::{self, TrendBy};
    let by =
        q.by.as_deref()
            .and_then(TrendBy::parse)
            .unwrap_or(TrendBy::Office);
    let per = trends::granularity(q);
    let read = trends::read(&state.db, per, by, filter).await?;
    Ok(csv_response(
        &format!("satisfaction-trend-{}-{}.csv", by.as_str(), per.as_str()),
        &trends::csv_header(lang),
        &trends::csv_rows(lang, by, &read),
    ))
}
