//! Residents' satisfaction: the scores of one rating and the statistics of many
//! (issue 14; docs/decisions/0034-satisfaction-ratings.md).
//!
//! A rating answers three questions: the service and the official on a 1–5 scale, and
//! the recommendation question on 0–10 (Net Promoter Score). A group of ratings (a
//! unit, a location, a channel, a period) is summed by the database into [`Counts`];
//! [`Summary::of`] turns them into
//! - **CSAT**: the share of 4 and 5 answers, with its 95 % **Wilson score interval**
//!   (good coverage near 0 and 1 and for small samples, where the plain normal
//!   interval falls outside [0, 1] or collapses to a point);
//! - the **mean** answer per question;
//! - **NPS**: 100 × (share of promoters 9–10 − share of detractors 0–6), with a 95 %
//!   interval from the variance of a difference of two proportions of one multinomial
//!   sample, `Var(p̂ − d̂) = (p + d − (p − d)²) / n` (promoters and detractors come from
//!   the same respondents, so they are negatively correlated: treating them as two
//!   independent samples would overstate the width);
//! - **suppression**: a group with fewer ratings than the threshold (10 by default) is
//!   not published at all ([`publishable`]): small groups are both unreliable and can
//!   point at one resident or one official.

use serde::Serialize;

/// The 97.5th percentile of the standard normal distribution: two-sided 95 %.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Groups with fewer ratings than this are not published, unless the office sets
/// another threshold.
pub const DEFAULT_THRESHOLD: u64 = 10;

/// The answers of one rating, each within its scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// The service, 1 (very bad) … 5 (very good).
    pub service: u8,
    /// The official who served, 1 … 5.
    pub official: u8,
    /// How likely the resident is to recommend the office's service, 0 … 10.
    pub nps: u8,
}

/// Which answer is out of its scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// The service score is not 1–5.
    #[error("the service score must be 1–5")]
    Service,
    /// The official score is not 1–5.
    #[error("the official score must be 1–5")]
    Official,
    /// The recommendation score is not 0–10.
    #[error("the recommendation score must be 0–10")]
    Nps,
}

impl ScoreError {
    /// The field the error belongs to (`service`, `official`, `nps`).
    pub fn field(self) -> &'static str {
        match self {
            ScoreError::Service => "service",
            ScoreError::Official => "official",
            ScoreError::Nps => "nps",
        }
    }
}

impl Scores {
    /// The three answers, every one checked; the errors of all fields that are out of
    /// range.
    pub fn new(service: i64, official: i64, nps: i64) -> Result<Scores, Vec<ScoreError>> {
        let in_range = |v: i64, low: i64, high: i64| {
            (low..=high)
                .contains(&v)
                .then(|| u8::try_from(v).ok())
                .flatten()
        };
        let s = in_range(service, 1, 5);
        let o = in_range(official, 1, 5);
        let n = in_range(nps, 0, 10);
        match (s, o, n) {
            (Some(service), Some(official), Some(nps)) => Ok(Scores {
                service,
                official,
                nps,
            }),
            _ => Err([
                (s.is_none(), ScoreError::Service),
                (o.is_none(), ScoreError::Official),
                (n.is_none(), ScoreError::Nps),
            ]
            .into_iter()
            .filter_map(|(bad, e)| bad.then_some(e))
            .collect()),
        }
    }
}

/// Where a recommendation answer puts the respondent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NpsClass {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

/// The class of a 0–10 answer.
pub fn nps_class(answer: u8) -> NpsClass {
    match answer {
        9.. => NpsClass::Promoter,
        7 | 8 => NpsClass::Passive,
        _ => NpsClass::Detractor,
    }
}

/// Whether a 1–5 answer counts as satisfied (4 or 5).
pub fn satisfied(answer: u8) -> bool {
    answer >= 4
}

/// What the database sums for a group of ratings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Ratings in the group.
    pub n: u64,
    /// Sum of the service answers (1–5 each).
    pub service_sum: u64,
    /// Service answers of 4 or 5.
    pub service_satisfied: u64,
    /// Sum of the official answers.
    pub official_sum: u64,
    /// Official answers of 4 or 5.
    pub official_satisfied: u64,
    /// Recommendation answers 9–10.
    pub promoters: u64,
    /// Recommendation answers 0–6.
    pub detractors: u64,
}

impl Counts {
    /// Adds one rating.
    pub fn add(&mut self, s: Scores) {
        self.n += 1;
        self.service_sum += u64::from(s.service);
        self.service_satisfied += u64::from(satisfied(s.service));
        self.official_sum += u64::from(s.official);
        self.official_satisfied += u64::from(satisfied(s.official));
        match nps_class(s.nps) {
            NpsClass::Promoter => self.promoters += 1,
            NpsClass::Detractor => self.detractors += 1,
            NpsClass::Passive => {}
        }
    }

    /// Recommendation answers 7–8.
    pub fn passives(&self) -> u64 {
        self.n.saturating_sub(self.promoters + self.detractors)
    }
}

/// An estimate with its 95 % interval, `low ≤ estimate ≤ high`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// The interval's lower end.
    pub low: f64,
    /// The interval's upper end.
    pub high: f64,
}

/// The share `successes / n` with its Wilson score interval at `z`; None for n = 0.
pub fn wilson(successes: u64, n: u64, z: f64) -> Option<Estimate> {
    if n == 0 || successes > n {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // The interval contains p in exact arithmetic; min/max keep it so in floating point.
    Some(Estimate {
        value: p,
        low: (centre - half).clamp(0.0, 1.0).min(p),
        high: (centre + half).clamp(0.0, 1.0).max(p),
    })
}

/// The Net Promoter Score (−100 … 100) of `promoters` and `detractors` among `n`
/// answers, with its interval at `z` from the multinomial variance of the difference
/// of the two shares; None for n = 0. The interval is cut to [−100, 100].
pub fn nps(promoters: u64, detractors: u64, n: u64, z: f64) -> Option<Estimate> {
    if n == 0 || promoters + detractors > n {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let (p, d, n) = (
        promoters as f64 / n as f64,
        detractors as f64 / n as f64,
        n as f64,
    );
    let difference = p - d;
    let variance = ((p + d - difference * difference) / n).max(0.0);
    let half = z * variance.sqrt();
    let value = 100.0 * difference;
    Some(Estimate {
        value,
        low: (100.0 * (difference - half))
            .clamp(-100.0, 100.0)
            .min(value),
        high: (100.0 * (difference + half))
            .clamp(-100.0, 100.0)
            .max(value),
    })
}

/// Whether a group of `n` ratings may be published under `threshold`.
pub fn publishable(n: u64, threshold: u64) -> bool {
    n >= threshold.max(1)
}

/// The figures of one group.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Ratings in the group.
    pub n: u64,
    /// CSAT of the service: the share of 4–5 answers (0–1).
    pub service_csat: Estimate,
    /// Mean service answer (1–5).
    pub service_mean: f64,
    /// CSAT of the official (0–1).
    pub official_csat: Estimate,
    /// Mean official answer (1–5).
    pub official_mean: f64,
    /// Net Promoter Score (−100 … 100).
    pub nps: Estimate,
    /// Promoters, passives, detractors.
    pub nps_classes: (u64, u64, u64),
}

impl Summary {
    /// The figures of `counts`; None when the group is empty.
    pub fn of(counts: &Counts) -> Option<Summary> {
        let n = counts.n;
        #[allow(clippy::cast_precision_loss)]
        let mean = |sum: u64| sum as f64 / n as f64;
        Some(Summary {
            n,
            service_csat: wilson(counts.service_satisfied, n, Z_95)?,
            service_mean: mean(counts.service_sum),
            official_csat: wilson(counts.official_satisfied, n, Z_95)?,
            official_mean: mean(counts.official_sum),
            nps: nps(counts.promoters, counts.detractors, n, Z_95)?,
            nps_classes: (counts.promoters, counts.passives(), counts.detractors),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-4
    }

    #[test]
    fn wilson_worked_values() {
        // (successes, n, low, high): 8/10 and 0/10 are the textbook cases (Newcombe
        // 1998, table I, method 3); 45/50, 1/1, 500/1000 checked by hand with z = 1.96.
        let table = [
            (8, 10, 0.4902, 0.9433),
            (0, 10, 0.0, 0.2775),
            (10, 10, 0.7225, 1.0),
            (45, 50, 0.7864, 0.9565),
            (1, 1, 0.2065, 1.0),
            (500, 1000, 0.4691, 0.5309),
        ];
        for (k, n, low, high) in table {
            let e = wilson(k, n, Z_95).unwrap();
            assert!(close(e.low, low), "{k}/{n}: low {} ≠ {low}", e.low);
            assert!(close(e.high, high), "{k}/{n}: high {} ≠ {high}", e.high);
        }
        assert_eq!(wilson(0, 0, Z_95), None);
        assert_eq!(wilson(3, 2, Z_95), None);
    }

    #[test]
    fn nps_worked_values() {
        // (promoters, detractors, n, score, low, high):
        // 50/30/20 of 100: NPS 30, Var = (0.5 + 0.2 − 0.09) / 100 = 0.0061,
        // half-width 1.96 × 0.0781 × 100 = 15.31.
        let table = [
            (50, 20, 100, 30.0, 14.69, 45.31),
            // 6 promoters, 2 passives, 2 detractors: NPS 40, Var = (0.8 − 0.16) / 10.
            (6, 2, 10, 40.0, -9.58, 89.58),
            // Everyone a promoter: no variance in the sample; the interval is the point.
            (12, 0, 12, 100.0, 100.0, 100.0),
            // Half promoters, half detractors: NPS 0, Var = 1 / 40.
            (20, 20, 40, 0.0, -30.99, 30.99),
        ];
        for (p, d, n, score, low, high) in table {
            let e = nps(p, d, n, Z_95).unwrap();
            assert!(close(e.value, score), "{p}/{d}/{n}: {} ≠ {score}", e.value);
            assert!((e.low - low).abs() < 0.01, "{p}/{d}/{n}: low {}", e.low);
            assert!((e.high - high).abs() < 0.01, "{p}/{d}/{n}: high {}", e.high);
        }
        assert_eq!(nps(0, 0, 0, Z_95), None);
        assert_eq!(nps(3, 3, 5, Z_95), None);
    }

    #[test]
    fn classes_and_satisfaction() {
        let classes: Vec<NpsClass> = (0..=10).map(nps_class).collect();
        assert_eq!(classes[..7], [NpsClass::Detractor; 7]);
        assert_eq!(classes[7..9], [NpsClass::Passive; 2]);
        assert_eq!(classes[9..], [NpsClass::Promoter; 2]);
        assert!(!satisfied(3) && satisfied(4) && satisfied(5));
    }

    #[test]
    fn scores_are_checked_and_every_bad_field_named() {
        assert_eq!(
            Scores::new(5, 1, 0),
            Ok(Scores {
                service: 5,
                official: 1,
                nps: 0
            })
        );
        assert_eq!(Scores::new(0, 3, 10), Err(vec![ScoreError::Service]));
        assert_eq!(
            Scores::new(6, -1, 11),
            Err(vec![
                ScoreError::Service,
                ScoreError::Official,
                ScoreError::Nps
            ])
        );
        assert_eq!(ScoreError::Nps.field(), "nps");
    }

    #[test]
    fn summary_of_a_group() {
        let mut counts = Counts::default();
        for (s, o, n) in [(5, 5, 10), (4, 3, 9), (2, 4, 7), (3, 1, 0)] {
            counts.add(Scores::new(s, o, n).unwrap());
        }
        let summary = Summary::of(&counts).unwrap();
        assert_eq!(summary.n, 4);
        assert!(close(summary.service_csat.value, 0.5));
        assert!(close(summary.service_mean, 3.5));
        assert!(close(summary.official_csat.value, 0.5));
        assert!(close(summary.official_mean, 3.25));
        assert_eq!(summary.nps_classes, (2, 1, 1));
        assert!(close(summary.nps.value, 25.0));
        assert_eq!(Summary::of(&Counts::default()), None);
    }

    #[test]
    fn suppression_threshold() {
        assert!(!publishable(9, DEFAULT_THRESHOLD));
        assert!(publishable(10, DEFAULT_THRESHOLD));
        // A threshold of 0 still hides empty groups.
        assert!(!publishable(0, 0));
    }

    proptest! {
        #[test]
        fn wilson_is_within_0_1_and_contains_the_share(n in 1_u64..5000, k in 0_u64..5000) {
            let k = k % (n + 1);
            let e = wilson(k, n, Z_95).unwrap();
            prop_assert!(0.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 1.0);
        }

        #[test]
        fn nps_is_within_bounds_and_contains_the_score(
            n in 1_u64..5000, p in 0_u64..5000, d in 0_u64..5000
        ) {
            let p = p % (n + 1);
            let d = d % (n - p + 1);
            let e = nps(p, d, n, Z_95).unwrap();
            prop_assert!(-100.0 <= e.low && e.low <= e.value);
            prop_assert!(e.value <= e.high && e.high <= 100.0);
        }

        #[test]
        fn summaries_of_any_ratings_are_in_range(
            ratings in proptest::collection::vec((1_i64..=5, 1_i64..=5, 0_i64..=10), 1..200)
        ) {
            let mut counts = Counts::default();
            for (s, o, n) in &ratings {
                counts.add(Scores::new(*s, *o, *n).unwrap());
            }
            let summary = Summary::of(&counts).unwrap();
            prop_assert_eq!(summary.n, ratings.len() as u64);
            prop_assert!((1.0..=5.0).contains(&summary.service_mean));
            prop_assert!((1.0..=5.0).contains(&summary.official_mean));
            let (p, pa, d) = summary.nps_classes;
            prop_assert_eq!(p + pa + d, summary.n);
        }

        #[test]
        fn out_of_range_scores_are_refused(s in -20_i64..20, o in -20_i64..20, n in -20_i64..20) {
            let ok = (1..=5).contains(&s) && (1..=5).contains(&o) && (0..=10).contains(&n);
            prop_assert_eq!(Scores::new(s, o, n).is_ok(), ok);
        }
    }
}
