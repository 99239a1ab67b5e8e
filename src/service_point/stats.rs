//! A service point's statistics for the staff (`ViewServicePointStats`): waits and
//! service times (median and mean, minutes) with the visits served, no-shows and
//! transfers per category, desk, official, hour of the day and day, over a chosen range
//! (the last 30 days by default); each grouping as an SVG chart drawn here with its data
//! table beside it, and the whole as CSV for a spreadsheet (`platform::csv`).
//! The sums are `magistrat_domain::queue_stats`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use magistrat_domain::queue_stats::{Dimension, Figures, Group, Key};

use super::chart::{BarChart, Series};
use super::rules::{self, StatsRange};
use super::service::{self, Statistics};
use crate::app::AppState;
use crate::platform::csv::Csv;
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::web::error::AppResult;
use crate::web::i18n::{Lang, long_date};
use crate::web::page::PageCtx;

/// A duration's colour in the charts: waits.
const WAIT_COLOUR: &str = "#1d5e9c";
/// Service times, and no-shows in the day chart.
const SERVICE_COLOUR: &str = "#a34700";

/// One row of a table, formatted for people.
pub struct Row {
    pub label: String,
    pub served: u64,
    pub no_shows: u64,
    pub transfers: u64,
    pub wait_n: u64,
    pub wait_median: String,
    pub wait_mean: String,
    pub service_n: u64,
    pub service_median: String,
    pub service_mean: String,
}

/// One grouping: its heading, chart and table.
pub struct Section {
    pub by: &'static str,
    pub heading: String,
    pub chart: String,
    pub rows: Vec<Row>,
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/statistics.html")]
pub struct StatisticsPage {
    pub ctx: PageCtx,
    pub location_id: i64,
    pub name: String,
    pub from: Field,
    pub to: Field,
    pub error_summary: Vec<(String, String)>,
    /// The range shown, for people („1 grudnia 2026 – 8 grudnia 2026”).
    pub range: String,
    pub csv_href: String,
    pub visits: i64,
    pub total: Option<Row>,
    pub sections: Vec<Section>,
}

/// A number of minutes with one decimal, the decimal comma in Polish.
fn minutes(lang: Lang, v: f64) -> String {
    let s = format!("{v:.1}");
    if lang == Lang::Pl {
        s.replace('.', ",")
    } else {
        s
    }
}

fn figures_text(lang: Lang, f: Option<Figures>) -> (u64, String, String) {
    match f {
        Some(f) => (
            f.n,
            minutes(lang, f.median_minutes),
            minutes(lang, f.mean_minutes),
        ),
        None => (0, "—".into(), "—".into()),
    }
}

/// The name of a group for people.
fn label(lang: Lang, stats: &Statistics, key: Key) -> String {
    let none = || lang.t("sp-stats-none");
    match key {
        Key::Category(id) => stats
            .categories
            .iter()
            .find(|k| k.id == id)
            .map_or_else(|| format!("#{id}"), |k| format!("{} — {}", k.code, k.name)),
        Key::Desk(Some(id)) => stats
            .desks
            .iter()
            .find(|d| d.row.id == id)
            .map_or_else(|| format!("#{id}"), |d| d.row.name.clone()),
        Key::Official(Some(id)) => stats
            .officials
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}")),
        Key::Desk(None) | Key::Official(None) => none(),
        Key::Hour(h) => format!("{h:02}:00–{:02}:00", h + 1),
        Key::Day(d) => long_date(lang, d),
    }
}

fn row(lang: Lang, label: String, g: &Group) -> Row {
    let (wait_n, wait_median, wait_mean) = figures_text(lang, g.wait);
    let (service_n, service_median, service_mean) = figures_text(lang, g.service);
    Row {
        label,
        served: g.served,
        no_shows: g.no_shows,
        transfers: g.transfers,
        wait_n,
        wait_median,
        wait_mean,
        service_n,
        service_median,
        service_mean,
    }
}

fn heading_key(by: Dimension) -> &'static str {
    match by {
        Dimension::Category => "sp-stats-by-category",
        Dimension::Desk => "sp-stats-by-desk",
        Dimension::Official => "sp-stats-by-official",
        Dimension::Hour => "sp-stats-by-hour",
        Dimension::Day => "sp-stats-by-day",
    }
}

/// The chart of a grouping: median wait and service per group; per day the visits
/// served and the no-shows.
fn chart(
    lang: Lang,
    by: Dimension,
    heading: &str,
    labels: Vec<String>,
    groups: &[Group],
) -> String {
    let unit = lang.t("sp-minutes-unit");
    let duration = |f: Option<Figures>| {
        f.map(|f| {
            (
                f.median_minutes,
                format!("{} {unit}", minutes(lang, f.median_minutes)),
            )
        })
    };
    let count = |n: u64| Some((n as f64, n.to_string()));
    let series = match by {
        Dimension::Day => vec![
            Series {
                name: lang.t("sp-stats-served"),
                colour: WAIT_COLOUR,
                values: groups.iter().map(|g| count(g.served)).collect(),
            },
            Series {
                name: lang.t("sp-stats-no-shows"),
                colour: SERVICE_COLOUR,
                values: groups.iter().map(|g| count(g.no_shows)).collect(),
            },
        ],
        _ => vec![
            Series {
                name: lang.t("sp-stats-wait-median"),
                colour: WAIT_COLOUR,
                values: groups.iter().map(|g| duration(g.wait)).collect(),
            },
            Series {
                name: lang.t("sp-stats-service-median"),
                colour: SERVICE_COLOUR,
                values: groups.iter().map(|g| duration(g.service)).collect(),
            },
        ],
    };
    let title = match by {
        Dimension::Day => lang.t_args(
            "sp-stats-chart-day",
            &[("group", crate::web::i18n::Arg::Str(heading.to_owned()))],
        ),
        _ => lang.t_args(
            "sp-stats-chart-times",
            &[("group", crate::web::i18n::Arg::Str(heading.to_owned()))],
        ),
    };
    BarChart {
        id: format!("sp-chart-{}", by.as_str()),
        title,
        labels,
        series,
    }
    .svg()
}

fn sections(lang: Lang, stats: &Statistics) -> Vec<Section> {
    stats
        .groups
        .iter()
        .map(|(by, groups)| {
            let heading = lang.t(heading_key(*by));
            let labels: Vec<String> = groups.iter().map(|g| label(lang, stats, g.key)).collect();
            let rows = groups
                .iter()
                .zip(&labels)
                .map(|(g, l)| row(lang, l.clone(), g))
                .collect();
            Section {
                by: by.as_str(),
                chart: chart(lang, *by, &heading, labels, groups),
                heading,
                rows,
            }
        })
        .collect()
}

/// The point, the range asked for (or its problems) and the statistics.
async fn load(
    state: &AppState,
    id: i64,
    pairs: &[(String, String)],
) -> AppResult<(service::Point, Result<(StatsRange, Statistics), FormErrors>)> {
    let point = service::point(&state.db, id).await?;
    let range = match rules::stats_range(pairs, state.clock.today()) {
        Ok(r) => r,
        Err(errors) => return Ok((point, Err(errors))),
    };
    let stats = service::statistics(&state.db, id, range.from, range.to).await?;
    Ok((point, Ok((range, stats))))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (point, loaded) = load(&state, id, &pairs).await?;
    let lang = ctx.lang;
    let errors = match &loaded {
        Ok(_) => FormErrors::new(),
        Err(e) => e.clone(),
    };
    let shown: Vec<(String, String)> = match &loaded {
        Ok((r, _)) => vec![
            ("from".into(), r.from.to_string()),
            ("to".into(), r.to.to_string()),
        ],
        Err(_) => pairs.clone(),
    };
    let mut builder = FormBuilder::with_values(lang, &errors, &shown);
    let from = builder.field(
        Field::text(lang, "from", "sp-stats-from", form::value(&shown, "from")).kind("date"),
    );
    let to = builder
        .field(Field::text(lang, "to", "sp-stats-to", form::value(&shown, "to")).kind("date"));
    let error_summary = builder.summary();
    let (range, csv_href, visits, total, sections) = match &loaded {
        Ok((r, stats)) => (
            format!("{} – {}", long_date(lang, r.from), long_date(lang, r.to)),
            format!(
                "/staff/service-points/{id}/statistics.csv?from={}&to={}",
                r.from, r.to
            ),
            i64::try_from(stats.visits).unwrap_or(i64::MAX),
            (stats.visits > 0).then(|| row(lang, lang.t("sp-stats-total"), &stats.total)),
            sections(lang, stats),
        ),
        Err(_) => (String::new(), String::new(), 0, None, Vec::new()),
    };
    let page = StatisticsPage {
        location_id: id,
        name: point.location.name.clone(),
        from,
        to,
        error_summary,
        range,
        csv_href,
        visits,
        total,
        sections,
        ctx,
    };
    Ok(form::respond(&errors, page))
}

/// The statistics as CSV (BOM, `;`, decimal commas in Polish): one row per group of
/// every grouping, after the totals.
pub async fn csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (point, loaded) = load(&state, id, &pairs).await?;
    let lang = ctx.lang;
    let Ok((range, stats)) = loaded else {
        // A range that is not one: the page says why.
        return page(State(state), ctx, Path(id), Query(pairs))
            .await
            .map(IntoResponse::into_response);
    };
    let mut out = Csv::new();
    out.row(&[
        lang.t("sp-stats-csv-grouping"),
        lang.t("sp-stats-csv-group"),
        lang.t("sp-stats-served"),
        lang.t("sp-stats-no-shows"),
        lang.t("sp-stats-transfers"),
        lang.t("sp-stats-wait-n"),
        lang.t("sp-stats-wait-median"),
        lang.t("sp-stats-wait-mean"),
        lang.t("sp-stats-service-n"),
        lang.t("sp-stats-service-median"),
        lang.t("sp-stats-service-mean"),
    ]);
    let mut line = |grouping: String, r: Row| {
        out.row(&[
            grouping,
            r.label,
            r.served.to_string(),
            r.no_shows.to_string(),
            r.transfers.to_string(),
            r.wait_n.to_string(),
            r.wait_median,
            r.wait_mean,
            r.service_n.to_string(),
            r.service_median,
            r.service_mean,
        ]);
    };
    let total_label = format!("{} ({} – {})", point.location.name, range.from, range.to);
    line(
        lang.t("sp-stats-total"),
        row(lang, total_label, &stats.total),
    );
    for (by, groups) in &stats.groups {
        let heading = lang.t(heading_key(*by));
        for g in groups {
            line(heading.clone(), row(lang, label(lang, &stats, g.key), g));
        }
    }
    Ok(out.download(&format!(
        "service-point-{id}-{}-{}.csv",
        range.from, range.to
    )))
}
