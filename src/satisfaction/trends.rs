//! Year-on-year trends as people read them (decision 0051): a chart of CSAT and one of
//! NPS per period with their intervals (SVG, drawn from coordinates computed here), the
//! data table beside them, and the same rows as CSV. Suppressed periods have no bar,
//! no figures and no change. Per official never: the public page and the staff page
//! both group by the office, unit, location or channel only.

use magistrat_domain::satisfaction::{DEFAULT_THRESHOLD, Summary};
use magistrat_domain::satisfaction_trend::{Change, Granularity, Point};

use super::results::{PeriodQuery, percent};
use super::service::{self, Trend};
use super::store::{Filter, GroupBy};
use crate::db::Db;
use crate::web::i18n::Lang;

/// What a trend section is grouped by: the whole selection or a grouping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendBy {
    Office,
    Group(GroupBy),
}

impl TrendBy {
    /// `office`, `unit`, `location`, `channel` (never `official`).
    pub fn parse(s: &str) -> Option<TrendBy> {
        match s {
            "office" => Some(TrendBy::Office),
            s => GroupBy::parse(s).map(TrendBy::Group),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TrendBy::Office => "office",
            TrendBy::Group(g) => g.as_str(),
        }
    }

    fn group(self) -> Option<GroupBy> {
        match self {
            TrendBy::Office => None,
            TrendBy::Group(g) => Some(g),
        }
    }

    /// The heading's Fluent id.
    pub fn heading(self) -> &'static str {
        match self {
            TrendBy::Office => "sat-trend-office",
            TrendBy::Group(GroupBy::Unit) => "sat-trend-unit",
            TrendBy::Group(GroupBy::Location) => "sat-trend-location",
            TrendBy::Group(_) => "sat-trend-channel",
        }
    }
}

/// The granularity a query asks for (`?per=quarter`), years otherwise.
pub fn granularity(q: &PeriodQuery) -> Granularity {
    q.per
        .as_deref()
        .and_then(Granularity::parse)
        .unwrap_or(Granularity::Year)
}

/// The trends of one section, read with the threshold of the results.
pub async fn read(
    db: &Db,
    per: Granularity,
    by: TrendBy,
    filter: &Filter,
) -> Result<Vec<Trend>, sqlx::Error> {
    service::trends(db, per, by.group(), filter, DEFAULT_THRESHOLD).await
}

/// A group's label for people (channels translated; the office's total named).
pub fn label(lang: Lang, by: TrendBy, t: &Trend) -> String {
    match by {
        TrendBy::Office => lang.t("sat-trend-all"),
        TrendBy::Group(GroupBy::Channel) => lang.t(&format!("channel-{}", t.key.replace('_', "-"))),
        TrendBy::Group(_) => t.label.clone(),
    }
}

/// A period for people: „2025”, „I kw. 2025” / „Q1 2025”.
pub fn period_label(lang: Lang, p: magistrat_domain::satisfaction_trend::Period) -> String {
    if p.quarter == 0 {
        p.year.to_string()
    } else {
        lang.t_args(
            "sat-trend-quarter",
            &[
                ("quarter", i64::from(p.quarter).into()),
                ("year", p.year.to_string().into()),
            ],
        )
    }
}

fn points(share: f64) -> String {
    format!("{:+.0} p.p.", share * 100.0)
}

/// A change for people: „+4 p.p. (−2 … +10)”, with a mark when its interval leaves out
/// zero.
fn change_text(lang: Lang, c: &Change, scale: f64, unit: &str) -> String {
    let d = c.difference;
    let f = |v: f64| format!("{:+.0}", v * scale);
    let text = format!("{}{unit} ({} … {})", f(d.value), f(d.low), f(d.high));
    if c.is_clear() {
        format!("{text} — {}", lang.t("sat-trend-clear"))
    } else {
        text
    }
}

/// One row of a trend table: a group in a period.
pub struct TrendRow {
    pub group: String,
    pub period: String,
    pub n: u64,
    /// None: suppressed.
    pub figures: Option<TrendFigures>,
}

pub struct TrendFigures {
    pub csat: String,
    pub csat_ci: String,
    pub nps: String,
    pub nps_ci: String,
    /// Against the period before, when both are published.
    pub csat_change: Option<String>,
    pub nps_change: Option<String>,
}

/// One bar of a trend chart, its coordinates computed (the template only draws).
pub struct ChartBar {
    pub label: String,
    pub y: u32,
    pub x: String,
    pub width: String,
    pub low_x: String,
    pub high_x: String,
    pub text_x: String,
    pub text: String,
}

/// A chart of one figure per group and period.
pub struct Chart {
    pub id: String,
    pub caption: String,
    pub height: u32,
    pub bars: Vec<ChartBar>,
    /// The x of the zero line (the NPS chart), drawn when present.
    pub zero_x: Option<String>,
}

/// A trend section: its heading, charts and table.
pub struct TrendSection {
    pub by: &'static str,
    pub heading: String,
    pub rows: Vec<TrendRow>,
    pub charts: Vec<Chart>,
}

/// Where the bars start and how long 100 units are.
const BAR_X: f64 = 170.0;
const BAR_SPAN: f64 = 180.0;

fn coordinate(v: f64) -> String {
    format!("{v:.1}")
}

/// The bar of a value (with its interval) on `[min, 100]`, drawn from zero: CSAT on
/// 0 … 100 from the left edge, NPS on −100 … 100 from the middle.
fn bar(
    label: String,
    y: u32,
    (value, low, high): (f64, f64, f64),
    min: f64,
    text: String,
) -> ChartBar {
    let scale = BAR_SPAN / (100.0 - min);
    let at = |v: f64| BAR_X + (v.clamp(min, 100.0) - min) * scale;
    let base = at(0.0);
    let end = at(value);
    ChartBar {
        label,
        y,
        x: coordinate(base.min(end)),
        width: coordinate((end - base).abs()),
        low_x: coordinate(at(low)),
        high_x: coordinate(at(high)),
        text_x: coordinate(at(high) + 3.0),
        text,
    }
}

fn chart(id: String, caption: String, bars: Vec<ChartBar>, zero: Option<f64>) -> Option<Chart> {
    if bars.is_empty() {
        return None;
    }
    let height = u32::try_from(bars.len()).unwrap_or(0) * 28 + 8;
    Some(Chart {
        id,
        caption,
        height,
        bars,
        zero_x: zero.map(coordinate),
    })
}

fn figures(lang: Lang, s: &Summary, p: &Point) -> TrendFigures {
    TrendFigures {
        csat: percent(s.service_csat.value),
        csat_ci: format!(
            "{}–{}",
            percent(s.service_csat.low),
            percent(s.service_csat.high)
        ),
        nps: format!("{:+.0}", s.nps.value),
        nps_ci: format!("{:+.0} … {:+.0}", s.nps.low, s.nps.high),
        csat_change: p.csat_change.map(|c| change_text(lang, &c, 100.0, " p.p.")),
        nps_change: p.nps_change.map(|c| change_text(lang, &c, 1.0, "")),
    }
}

/// The section of `trends`: the table's rows (every period of every group) and the
/// two charts (published periods only).
pub fn section(lang: Lang, by: TrendBy, trends: &[Trend]) -> TrendSection {
    let heading = lang.t(by.heading());
    let mut rows = Vec::new();
    let (mut csat_bars, mut nps_bars) = (Vec::new(), Vec::new());
    for t in trends {
        let group = label(lang, by, t);
        for p in &t.points {
            let period = period_label(lang, p.period);
            let figures = p.summary.map(|s| {
                let bar_label = match by {
                    TrendBy::Office => period.clone(),
                    TrendBy::Group(_) => format!("{group}, {period}"),
                };
                let y = u32::try_from(csat_bars.len()).unwrap_or(0) * 28 + 4;
                let c = s.service_csat;
                csat_bars.push(bar(
                    bar_label.clone(),
                    y,
                    (c.value * 100.0, c.low * 100.0, c.high * 100.0),
                    0.0,
                    percent(c.value),
                ));
                let n = s.nps;
                nps_bars.push(bar(
                    bar_label,
                    y,
                    (n.value, n.low, n.high),
                    -100.0,
                    format!("{:+.0}", n.value),
                ));
                figures(lang, &s, p)
            });
            rows.push(TrendRow {
                group: group.clone(),
                period,
                n: p.n,
                figures,
            });
        }
    }
    let name = by.as_str();
    let caption = |key: &str| lang.t_args(key, &[("group", heading.as_str().into())]);
    let charts = [
        chart(
            format!("sat-trend-csat-{name}"),
            caption("sat-trend-csat-caption"),
            csat_bars,
            None,
        ),
        chart(
            format!("sat-trend-nps-{name}"),
            caption("sat-trend-nps-caption"),
            nps_bars,
            Some(BAR_X + BAR_SPAN / 2.0),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    TrendSection {
        by: name,
        heading,
        rows,
        charts,
    }
}

/// The sections the pages show for `bys`, from one read of the ratings.
pub async fn sections(
    db: &Db,
    lang: Lang,
    per: Granularity,
    bys: &[TrendBy],
    filter: &Filter,
) -> Result<Vec<TrendSection>, sqlx::Error> {
    let groupings: Vec<Option<GroupBy>> = bys.iter().map(|b| b.group()).collect();
    let sets = service::trend_sets(db, per, &groupings, filter, DEFAULT_THRESHOLD).await?;
    Ok(bys
        .iter()
        .zip(sets)
        .map(|(by, trends)| section(lang, *by, &trends))
        .collect())
}

/// The CSV header of [`csv_rows`].
pub fn csv_header(lang: Lang) -> Vec<String> {
    let mut header = super::results::csv_header(lang, &["sat-csv-group", "sat-csv-period"]);
    header.extend(
        [
            "sat-csv-csat-change",
            "sat-csv-csat-change-low",
            "sat-csv-csat-change-high",
            "sat-csv-nps-change",
            "sat-csv-nps-change-low",
            "sat-csv-nps-change-high",
        ]
        .iter()
        .map(|k| lang.t(k)),
    );
    header
}

/// One CSV row per group and period (decimal commas; a suppressed period empty but
/// for its count and the mark).
pub fn csv_rows(lang: Lang, by: TrendBy, trends: &[Trend]) -> Vec<Vec<String>> {
    let d = |v: f64, places: usize| format!("{v:.places$}").replace('.', ",");
    let change = |c: Option<Change>, places: usize| match c {
        Some(c) => vec![
            d(c.difference.value, places),
            d(c.difference.low, places),
            d(c.difference.high, places),
        ],
        None => vec![String::new(); 3],
    };
    let mut rows = Vec::new();
    for t in trends {
        let group = label(lang, by, t);
        for p in &t.points {
            let mut row = vec![group.clone(), p.period.to_string(), p.n.to_string()];
            row.extend(super::results::csv_figures(p.summary));
            row.extend(change(p.csat_change, 3));
            row.extend(change(p.nps_change, 1));
            rows.push(row);
        }
    }
    rows
}

/// The short text of a change for the PDF („+4 p.p.”), or a dash.
pub fn change_short(c: Option<Change>, nps: bool) -> String {
    match c {
        Some(c) if nps => format!("{:+.0}", c.difference.value),
        Some(c) => points(c.difference.value),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use magistrat_domain::satisfaction::Counts;
    use magistrat_domain::satisfaction_trend::{Period, trend};

    use super::*;

    fn counts(n: u64, satisfied: u64, promoters: u64, detractors: u64) -> Counts {
        Counts {
            n,
            service_sum: 4 * n,
            service_satisfied: satisfied,
            official_sum: 4 * n,
            official_satisfied: satisfied,
            promoters,
            detractors,
        }
    }

    #[test]
    fn a_section_has_every_period_in_its_table_and_bars_only_for_published_ones() {
        let points = trend(
            &[
                (Period::year(2025), counts(40, 30, 20, 10)),
                (Period::year(2026), counts(5, 5, 5, 0)),
            ],
            10,
        );
        let t = Trend {
            key: String::new(),
            label: String::new(),
            points,
        };
        let s = section(Lang::Pl, TrendBy::Office, &[t]);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].period, "2025");
        let f = s.rows[0].figures.as_ref().unwrap();
        assert_eq!(f.csat, "75 %");
        assert_eq!(f.nps, "+25");
        assert!(s.rows[1].figures.is_none(), "5 ratings: suppressed");
        assert_eq!(s.charts.len(), 2);
        assert!(s.charts.iter().all(|c| c.bars.len() == 1));
        // NPS +25 on −100 … 100: from the zero line (260) to 282.5.
        let nps = &s.charts[1].bars[0];
        assert_eq!((nps.x.as_str(), nps.width.as_str()), ("260.0", "22.5"));
        assert_eq!(s.charts[1].zero_x.as_deref(), Some("260.0"));
        // CSAT 75 % on 0 … 100: from 170, 135 long.
        let csat = &s.charts[0].bars[0];
        assert_eq!((csat.x.as_str(), csat.width.as_str()), ("170.0", "135.0"));
    }

    #[test]
    fn negative_nps_bars_grow_to_the_left() {
        let b = bar("x".into(), 4, (-50.0, -70.0, -30.0), -100.0, "-50".into());
        assert_eq!((b.x.as_str(), b.width.as_str()), ("215.0", "45.0"));
        assert_eq!((b.low_x.as_str(), b.high_x.as_str()), ("197.0", "233.0"));
    }

    #[test]
    fn csv_rows_leave_suppressed_periods_empty() {
        let points = trend(
            &[
                (Period::year(2025), counts(40, 30, 20, 10)),
                (Period::year(2026), counts(50, 45, 30, 5)),
                (Period::year(2027), counts(3, 3, 3, 0)),
            ],
            10,
        );
        let t = Trend {
            key: "1".into(),
            label: "SA — Wydział".into(),
            points,
        };
        let rows = csv_rows(Lang::Pl, TrendBy::Group(GroupBy::Unit), &[t]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][..3], ["SA — Wydział", "2025", "40"]);
        assert_eq!(rows[1][3], "0,900");
        assert_eq!(rows[1][13], "0,150", "the CSAT change against 2025");
        assert!(rows[2][3..12].iter().all(String::is_empty));
        assert_eq!(rows[2][12], "1");
        assert!(rows[2][13..].iter().all(String::is_empty));
        assert_eq!(csv_header(Lang::Pl).len(), rows[0].len());
    }
}
