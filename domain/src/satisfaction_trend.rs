//! Year-on-year trends of residents' ratings (issue 14; decision 0051): the sums of
//! each calendar year or quarter turned into CSAT and NPS with their 95 % intervals
//! (the same estimators as [`crate::satisfaction`]), periods under the threshold
//! suppressed, the gaps between the first and the last period filled (a year without
//! ratings is shown as such, not skipped), and the change from one period to the next
//! with an interval for the difference:
//!
//! - **CSAT**: Newcombe's hybrid score interval for a difference of two independent
//!   proportions (Newcombe 1998, method 10), built from the two Wilson intervals, so it
//!   stays inside [−1, 1] and keeps its coverage for small groups as they do;
//! - **NPS**: the two periods are independent samples, so the variances of the two
//!   scores (each the multinomial variance of 0034 §4) add.
//!
//! A change is reported only between two published periods that follow each other:
//! a suppressed period has no figures, and a change across it would be a figure of it.

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

use crate::satisfaction::{Counts, Estimate, Summary, Z_95, publishable};

/// How long a period of a trend is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// Calendar years.
    Year,
    /// Calendar quarters (January–March, …).
    Quarter,
}

impl Granularity {
    /// `year` or `quarter`.
    pub fn parse(s: &str) -> Option<Granularity> {
        match s {
            "year" => Some(Granularity::Year),
            "quarter" => Some(Granularity::Quarter),
            _ => None,
        }
    }

    /// The name [`Granularity::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Year => "year",
            Granularity::Quarter => "quarter",
        }
    }
}

/// A calendar year or a quarter of one (1–4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    /// The calendar year.
    pub year: i16,
    /// 1–4 for a quarter; 0 for the whole year.
    pub quarter: u8,
}

impl Period {
    /// The whole `year`.
    pub fn year(year: i16) -> Period {
        Period { year, quarter: 0 }
    }

    /// Quarter `quarter` (1–4) of `year`; None for another number.
    pub fn quarter(year: i16, quarter: u8) -> Option<Period> {
        (1..=4)
            .contains(&quarter)
            .then_some(Period { year, quarter })
    }

    /// The period of `granularity` containing `day`.
    pub fn of(day: Date, granularity: Granularity) -> Period {
        match granularity {
            Granularity::Year => Period::year(day.year()),
            Granularity::Quarter => Period {
                year: day.year(),
                quarter: day.month().unsigned_abs().div_ceil(3),
            },
        }
    }

    /// A year or a quarter.
    pub fn granularity(self) -> Granularity {
        if self.quarter == 0 {
            Granularity::Year
        } else {
            Granularity::Quarter
        }
    }

    /// `2025` or `2025-Q3`, as the database groups them and [`fmt::Display`] writes
    /// them; None for anything else.
    pub fn parse(s: &str) -> Option<Period> {
        let (year, quarter) = match s.split_once("-Q") {
            Some((y, q)) => (y, q.parse::<u8>().ok()?),
            None => (s, 0),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i16 = year.parse().ok()?;
        if quarter == 0 {
            (!s.contains('-')).then_some(Period::year(year))
        } else {
            Period::quarter(year, quarter)
        }
    }

    /// The period after this one, of the same length.
    pub fn next(self) -> Period {
        match self.quarter {
            0 => Period::year(self.year.saturating_add(1)),
            4 => Period {
                year: self.year.saturating_add(1),
                quarter: 1,
            },
            q => Period {
                year: self.year,
                quarter: q + 1,
            },
        }
    }

    /// The same period a year before (the previous year, or the same quarter of it).
    pub fn a_year_before(self) -> Period {
        Period {
            year: self.year.saturating_sub(1),
            quarter: self.quarter,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quarter == 0 {
            write!(f, "{}", self.year)
        } else {
            write!(f, "{}-Q{}", self.year, self.quarter)
        }
    }
}

/// The change of one figure from the period compared with to this one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The period compared with.
    pub from: Period,
    /// This period's figure minus the earlier one's, with its 95 % interval.
    pub difference: Estimate,
}

impl Change {
    /// Whether the interval of the difference leaves out zero: a change the sample
    /// sizes support, not one chance alone would explain at 95 %.
    pub fn is_clear(&self) -> bool {
        self.difference.low > 0.0 || self.difference.high < 0.0
    }
}

/// One period of a trend: its number of ratings and, when published, its figures and
/// the changes from the period before.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// The period.
    pub period: Period,
    /// Ratings in it.
    pub n: u64,
    /// None: under the threshold (or no ratings at all).
    pub summary: Option<Summary>,
    /// CSAT (share, −1 … 1) against the period before, both published.
    pub csat_change: Option<Change>,
    /// NPS (points, −200 … 200) against the period before, both published.
    pub nps_change: Option<Change>,
}

impl Point {
    /// Whether the period has no figures.
    pub fn suppressed(&self) -> bool {
        self.summary.is_none()
    }
}

/// The difference `a − b` of two independent proportions with Newcombe's hybrid score
/// interval (method 10) from their Wilson intervals.
pub fn csat_difference(a: &Estimate, b: &Estimate) -> Estimate {
    let d = a.value - b.value;
    let low = d - ((a.value - a.low).powi(2) + (b.high - b.value).powi(2)).sqrt();
    let high = d + ((a.high - a.value).powi(2) + (b.value - b.low).powi(2)).sqrt();
    Estimate {
        value: d,
        low: low.clamp(-1.0, 1.0).min(d),
        high: high.clamp(-1.0, 1.0).max(d),
    }
}

/// The variance of an NPS on the 0–100 scale, from its counts.
fn nps_variance(counts: &Counts) -> Option<f64> {
    if counts.n == 0 || counts.promoters + counts.detractors > counts.n {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let (p, d, n) = (
        counts.promoters as f64 / counts.n as f64,
        counts.detractors as f64 / counts.n as f64,
        counts.n as f64,
    );
    Some((10_000.0 * (p + d - (p - d) * (p - d)) / n).max(0.0))
}

/// The difference of the NPS of two independent samples, with its normal interval at
/// `z` (their variances add), cut to [−200, 200].
pub fn nps_difference(a: &Counts, b: &Counts, z: f64) -> Option<Estimate> {
    let (sa, sb) = (Summary::of(a)?, Summary::of(b)?);
    let half = z * (nps_variance(a)? + nps_variance(b)?).sqrt();
    let d = sa.nps.value - sb.nps.value;
    Some(Estimate {
        value: d,
        low: (d - half).clamp(-200.0, 200.0).min(d),
        high: (d + half).clamp(-200.0, 200.0).max(d),
    })
}

/// The trend of `periods` (the database's sums per period, in any order, each period
/// at most once and all of one granularity): every period from the first to the last
/// in order, those missing with no ratings, each under `threshold` without figures,
/// and the change from the period before wherever both are published.
pub fn trend(periods: &[(Period, Counts)], threshold: u64) -> Vec<Point> {
    match span(periods.iter().map(|(p, _)| *p)) {
        Some((first, last)) => trend_between(periods, first, last, threshold),
        None => Vec::new(),
    }
}

/// The first and the last of `periods`; None when there are none.
pub fn span(periods: impl Iterator<Item = Period> + Clone) -> Option<(Period, Period)> {
    Some((periods.clone().min()?, periods.max()?))
}

/// As [`trend`], over every period from `first` to `last` (a table of several groups
/// has the same columns for each); sums outside are left out.
pub fn trend_between(
    periods: &[(Period, Counts)],
    first: Period,
    last: Period,
    threshold: u64,
) -> Vec<Point> {
    if first > last || first.granularity() != last.granularity() {
        return Vec::new();
    }
    let counts_of = |p: Period| {
        periods
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, c)| *c)
            .next()
            .unwrap_or_default()
    };
    let mut points: Vec<Point> = Vec::new();
    let mut previous: Option<(Period, Counts, Summary)> = None;
    let mut period = first;
    loop {
        let counts = counts_of(period);
        let summary = publishable(counts.n, threshold)
            .then(|| Summary::of(&counts))
            .flatten();
        let (csat_change, nps_change) = match (summary, previous) {
            (Some(now), Some((from, before_counts, before))) => (
                Some(Change {
                    from,
                    difference: csat_difference(&now.service_csat, &before.service_csat),
                }),
                nps_difference(&counts, &before_counts, Z_95)
                    .map(|difference| Change { from, difference }),
            ),
            _ => (None, None),
        };
        points.push(Point {
            period,
            n: counts.n,
            summary,
            csat_change,
            nps_change,
        });
        previous = summary.map(|s| (period, counts, s));
        // Periods are whole years or quarters of one length: a few hundred at most
        // between two real dates, and `last` is always reached.
        if period >= last {
            break;
        }
        period = period.next();
    }
    points
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::satisfaction::{Scores, wilson};

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
    fn periods_of_days_and_their_names() {
        let table = [
            (date(2025, 1, 1), Granularity::Year, "2025"),
            (date(2025, 12, 31), Granularity::Year, "2025"),
            (date(2025, 1, 1), Granularity::Quarter, "2025-Q1"),
            (date(2025, 3, 31), Granularity::Quarter, "2025-Q1"),
            (date(2025, 4, 1), Granularity::Quarter, "2025-Q2"),
            (date(2025, 9, 30), Granularity::Quarter, "2025-Q3"),
            (date(2024, 12, 31), Granularity::Quarter, "2024-Q4"),
        ];
        for (day, g, name) in table {
            let p = Period::of(day, g);
            assert_eq!(p.to_string(), name, "{day}");
            assert_eq!(Period::parse(name), Some(p));
            assert_eq!(p.granularity(), g);
        }
        for bad in [
            "", "25", "2025-Q0", "2025-Q5", "2025-", "x025", "2025-Q1x", "-2025",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Period::parse("2025-Q4").unwrap().next().to_string(),
            "2026-Q1"
        );
        assert_eq!(Period::year(2025).next(), Period::year(2026));
        assert_eq!(
            Period::parse("2026-Q2")
                .unwrap()
                .a_year_before()
                .to_string(),
            "2025-Q2"
        );
        assert!(Period::year(2025) < Period::year(2026));
        assert!(Period::quarter(2025, 4).unwrap() < Period::quarter(2026, 1).unwrap());
    }

    #[test]
    fn a_trend_fills_gaps_suppresses_and_compares_neighbours() {
        // 2023: 40 ratings, 30 satisfied; 2024: none; 2025: 50, 45 satisfied;
        // 2026: 6 (suppressed).
        let rows = [
            (Period::year(2026), counts(6, 6, 6, 0)),
            (Period::year(2023), counts(40, 30, 20, 10)),
            (Period::year(2025), counts(50, 45, 30, 5)),
        ];
        let t = trend(&rows, 10);
        let names: Vec<String> = t.iter().map(|p| p.period.to_string()).collect();
        assert_eq!(names, ["2023", "2024", "2025", "2026"]);
        assert_eq!(t.iter().map(|p| p.n).collect::<Vec<_>>(), [40, 0, 50, 6]);
        assert!(!t[0].suppressed() && t[1].suppressed() && t[3].suppressed());
        // 2025 follows a year without figures: no change; nothing after a suppressed
        // year either.
        assert!(
            t.iter()
                .all(|p| p.csat_change.is_none() && p.nps_change.is_none())
        );

        let rows = [
            (Period::year(2025), counts(40, 30, 20, 10)),
            (Period::year(2026), counts(50, 45, 30, 5)),
        ];
        let t = trend(&rows, 10);
        let c = t[1].csat_change.unwrap();
        assert_eq!(c.from, Period::year(2025));
        assert!((c.difference.value - 0.15).abs() < 1e-9);
        // NPS 25 → 50: +25, variances (0.75 − 0.0625)/40 and (0.7 − 0.25)/50 in shares.
        let n = t[1].nps_change.unwrap().difference;
        let half = Z_95 * 100.0 * ((0.75 - 0.0625) / 40.0 + (0.7 - 0.25) / 50.0_f64).sqrt();
        assert!((n.value - 25.0).abs() < 1e-9);
        assert!((n.low - (25.0 - half)).abs() < 1e-9 && (n.high - (25.0 + half)).abs() < 1e-9);
        assert!(trend(&[], 10).is_empty());
    }

    #[test]
    fn a_trend_between_two_periods_has_their_columns() {
        let rows = [
            (Period::year(2025), counts(12, 10, 5, 2)),
            (Period::year(2020), counts(12, 10, 5, 2)),
        ];
        let t = trend_between(&rows, Period::year(2024), Period::year(2026), 10);
        let names: Vec<String> = t.iter().map(|p| p.period.to_string()).collect();
        assert_eq!(names, ["2024", "2025", "2026"]);
        assert_eq!(t.iter().map(|p| p.n).collect::<Vec<_>>(), [0, 12, 0]);
        assert!(trend_between(&rows, Period::year(2026), Period::year(2024), 10).is_empty());
        let q = Period::quarter(2025, 1).unwrap();
        assert!(trend_between(&rows, q, Period::year(2026), 10).is_empty());
        assert_eq!(
            span(rows.iter().map(|(p, _)| *p)),
            Some((Period::year(2020), Period::year(2025)))
        );
    }

    #[test]
    fn quarters_run_across_the_new_year() {
        let rows = [
            (Period::quarter(2025, 3).unwrap(), counts(12, 10, 5, 2)),
            (Period::quarter(2026, 2).unwrap(), counts(12, 10, 5, 2)),
        ];
        let names: Vec<String> = trend(&rows, 10)
            .iter()
            .map(|p| p.period.to_string())
            .collect();
        assert_eq!(names, ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]);
    }

    #[test]
    fn newcombe_worked_value() {
        // Newcombe (1998), table II, example (a): 56/70 − 48/80 = 0.2,
        // method 10 interval 0.0524 to 0.3339.
        let a = wilson(56, 70, Z_95).unwrap();
        let b = wilson(48, 80, Z_95).unwrap();
        let d = csat_difference(&a, &b);
        assert!((d.value - 0.2).abs() < 1e-9);
        assert!((d.low - 0.0524).abs() < 5e-4, "{}", d.low);
        assert!((d.high - 0.3339).abs() < 5e-4, "{}", d.high);
        let change = Change {
            from: Period::year(2025),
            difference: d,
        };
        assert!(change.is_clear());
        // Equal shares: no clear change.
        let same = csat_difference(&a, &a);
        assert!(same.low < 0.0 && same.high > 0.0);
    }

    fn ratings() -> impl Strategy<Value = Counts> {
        proptest::collection::vec((1_i64..=5, 1_i64..=5, 0_i64..=10), 0..60).prop_map(|rs| {
            let mut c = Counts::default();
            for (s, o, n) in rs {
                c.add(Scores::new(s, o, n).unwrap());
            }
            c
        })
    }

    proptest! {
        #[test]
        fn trends_are_ordered_complete_and_never_show_small_periods(
            years in proptest::collection::btree_map(2015_i16..2030, ratings(), 0..8),
            threshold in 1_u64..20,
        ) {
            let rows: Vec<(Period, Counts)> =
                years.iter().map(|(y, c)| (Period::year(*y), *c)).collect();
            let t = trend(&rows, threshold);
            if let (Some(first), Some(last)) = (years.keys().next(), years.keys().last()) {
                prop_assert_eq!(t.len(), usize::try_from(last - first + 1).unwrap());
            } else {
                prop_assert!(t.is_empty());
            }
            for w in t.windows(2) {
                prop_assert_eq!(w[0].period.next(), w[1].period);
            }
            for p in &t {
                let n = years.get(&p.period.year).map_or(0, |c| c.n);
                prop_assert_eq!(p.n, n);
                prop_assert_eq!(p.summary.is_some(), n >= threshold);
                if p.suppressed() {
                    prop_assert!(p.csat_change.is_none() && p.nps_change.is_none());
                }
                if let Some(c) = p.csat_change {
                    let d = c.difference;
                    prop_assert!(-1.0 <= d.low && d.low <= d.value && d.value <= d.high && d.high <= 1.0);
                    prop_assert_eq!(c.from.next(), p.period);
                }
                if let Some(c) = p.nps_change {
                    let d = c.difference;
                    prop_assert!(-200.0 <= d.low && d.low <= d.value && d.value <= d.high && d.high <= 200.0);
                }
            }
        }

        #[test]
        fn every_day_falls_in_its_period(day in 0_i32..20_000) {
            let d = date(2000, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            for g in [Granularity::Year, Granularity::Quarter] {
                let p = Period::of(d, g);
                prop_assert_eq!(p.year, d.year());
                prop_assert_eq!(Period::parse(&p.to_string()), Some(p));
                if g == Granularity::Quarter {
                    let first_month = (i8::try_from(p.quarter).unwrap() - 1) * 3 + 1;
                    prop_assert!((first_month..first_month + 3).contains(&d.month()));
                }
            }
        }
    }
}
