//! What the pages, the API and other capabilities do with ratings: rate a visit or a
//! case, read the results of groups with small ones suppressed.

use magistrat_domain::satisfaction::{self as stats, Summary};
use magistrat_domain::satisfaction_trend as trend;

pub use super::rules::Answers;
use super::store::{self, Filter, GroupBy, NewRating, Subject};
use crate::db::Db;
use crate::platform::form::{FormErrors, on_unique};
use crate::web::error::AppError;

/// The channel a visit's rating is counted under.
pub const SERVICE_POINT_CHANNEL: &str = "service_point";

/// Why a rating was not taken.
#[derive(Debug, thiserror::Error)]
pub enum RateError {
    /// No visit or case is known by that token or code.
    #[error("not found")]
    NotFound,
    /// The visit has not ended (or ended without service) / the case is not settled.
    #[error("not yet")]
    NotYet(Subject),
    /// It has been rated already.
    #[error("already rated")]
    AlreadyRated,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<crate::service_point::ServicePointError> for RateError {
    fn from(e: crate::service_point::ServicePointError) -> Self {
        use crate::service_point::ServicePointError as E;
        match e {
            E::Db(e) => RateError::Db(e),
            _ => RateError::NotFound,
        }
    }
}

impl From<RateError> for AppError {
    fn from(e: RateError) -> Self {
        match e {
            RateError::NotFound => AppError::NotFound,
            RateError::NotYet(Subject::Visit) => AppError::Conflict("visit-not-ended"),
            RateError::NotYet(Subject::Case) => AppError::Conflict("case-not-settled"),
            RateError::AlreadyRated => AppError::Conflict("already-rated"),
            RateError::Db(e) => e.into(),
        }
    }
}

/// A visit or case as the rating page shows it.
#[derive(Clone, Debug)]
pub struct Rateable {
    pub subject: Subject,
    /// The ticket number or the case's znak-free description.
    pub label: String,
    /// The visit ended with service / the case is settled.
    pub ready: bool,
    pub rated: bool,
    /// The visit's ticket (None for a case): what the desk tablet's form names.
    pub ticket_id: Option<i64>,
    rating: NewRating,
    key: String,
}

fn blank(subject: Subject) -> NewRating {
    NewRating {
        subject,
        channel: String::new(),
        location_id: None,
        category: String::new(),
        unit_id: None,
        official_id: None,
        service_on: String::new(),
        scores: stats::Scores {
            service: 1,
            official: 1,
            nps: 0,
        },
        comment: String::new(),
    }
}

/// The visit of the ticket with `token`, for rating.
pub async fn visit(db: &Db, token: &str) -> Result<Rateable, RateError> {
    if token.len() > 64 {
        return Err(RateError::NotFound);
    }
    let visit = crate::service_point::service::visit(db, token)
        .await?
        .ok_or(RateError::NotFound)?;
    rateable_visit(db, visit).await
}

/// The visit the desk `desk_id` finished just now, for its rating tablet: None when
/// there is none to rate there (nothing finished lately, a no-show, rated already).
pub async fn visit_at_desk(db: &Db, desk_id: i64) -> Result<Option<Rateable>, RateError> {
    let Some(visit) = crate::service_point::service::just_served(db, desk_id).await? else {
        return Ok(None);
    };
    let subject = rateable_visit(db, visit).await?;
    Ok((!subject.rated).then_some(subject))
}

async fn rateable_visit(
    db: &Db,
    visit: crate::service_point::service::Visit,
) -> Result<Rateable, RateError> {
    let unit_id = match visit.official_id {
        Some(o) => store::unit_of_official(db, o).await?,
        None => None,
    };
    let key = format!("visit:{}", visit.ticket_id);
    let rated = store::is_rated(db, &key).await?;
    Ok(Rateable {
        subject: Subject::Visit,
        label: visit.label,
        ready: visit.ended_on.is_some(),
        rated,
        ticket_id: Some(visit.ticket_id),
        rating: NewRating {
            channel: SERVICE_POINT_CHANNEL.into(),
            location_id: Some(visit.location_id),
            category: visit.category,
            unit_id,
            official_id: visit.official_id,
            service_on: visit.ended_on.unwrap_or_default(),
            ..blank(Subject::Visit)
        },
        key,
    })
}

/// The case with `tracking_code`, for rating.
pub async fn case(db: &Db, tracking_code: &str) -> Result<Rateable, RateError> {
    if tracking_code.len() > 40 {
        return Err(RateError::NotFound);
    }
    let case = crate::cases::service::case_for_rating(db, tracking_code)
        .await?
        .ok_or(RateError::NotFound)?;
    let key = format!("case:{}", case.id);
    let rated = store::is_rated(db, &key).await?;
    Ok(Rateable {
        subject: Subject::Case,
        label: String::new(),
        ready: case.settled_on.is_some(),
        rated,
        ticket_id: None,
        rating: NewRating {
            channel: case.channel,
            category: case.kind,
            unit_id: Some(case.unit_id),
            official_id: case.official_id,
            service_on: case.settled_on.map(|d| d.to_string()).unwrap_or_default(),
            ..blank(Subject::Case)
        },
        key,
    })
}

/// Stores the resident's `answers` for `subject`: refused before it is ready and for a
/// second rating (also when two arrive at once: the database's unique key decides).
pub async fn rate(db: &Db, subject: &Rateable, answers: Answers) -> Result<i64, RateError> {
    if !subject.ready {
        return Err(RateError::NotYet(subject.subject));
    }
    if subject.rated {
        return Err(RateError::AlreadyRated);
    }
    let rating = NewRating {
        scores: answers.scores,
        comment: answers.comment,
        ..subject.rating.clone()
    };
    match store::rate(db, &subject.key, &rating).await {
        Ok(id) => Ok(id),
        Err(e) => match on_unique(e, &[store::RATED_ONCE]) {
            Ok(_) => Err(RateError::AlreadyRated),
            Err(e) => Err(e.into()),
        },
    }
}

/// The form error a refused rating is shown as on the rating page.
pub fn form_error(e: &RateError) -> Option<FormErrors> {
    let message = match e {
        RateError::AlreadyRated => "sat-already-rated",
        RateError::NotYet(Subject::Visit) => "sat-visit-not-ended",
        RateError::NotYet(Subject::Case) => "sat-case-not-settled",
        _ => return None,
    };
    Some(FormErrors::one("service", message))
}

/// One group's published figures; `summary` is None when the group is suppressed.
#[derive(Clone, Debug)]
pub struct GroupResult {
    pub key: String,
    pub label: String,
    pub n: u64,
    pub summary: Option<Summary>,
}

impl GroupResult {
    pub fn suppressed(&self) -> bool {
        self.summary.is_none()
    }
}

/// The results grouped `by`, every group under `threshold` ratings suppressed (its
/// figures are not even computed, so no page can show them by mistake).
pub async fn results(
    db: &Db,
    by: GroupBy,
    filter: &Filter,
    threshold: u64,
) -> Result<Vec<GroupResult>, sqlx::Error> {
    Ok(store::groups(db, by, filter)
        .await?
        .into_iter()
        .map(|g| GroupResult {
            summary: stats::publishable(g.counts.n, threshold)
                .then(|| Summary::of(&g.counts))
                .flatten(),
            n: g.counts.n,
            key: g.key,
            label: g.label,
        })
        .collect())
}

/// The figures of every rating the filter selects (an official's own), suppressed
/// under `threshold`.
pub async fn summary(
    db: &Db,
    filter: &Filter,
    threshold: u64,
) -> Result<(u64, Option<Summary>), sqlx::Error> {
    let counts = store::total(db, filter).await?;
    let summary = stats::publishable(counts.n, threshold)
        .then(|| Summary::of(&counts))
        .flatten();
    Ok((counts.n, summary))
}

/// A group's label for people: channels by their translated name.
pub fn label(lang: crate::web::i18n::Lang, by: GroupBy, group: &GroupResult) -> String {
    match by {
        GroupBy::Channel => lang.t(&format!("channel-{}", group.key.replace('_', "-"))),
        _ => group.label.clone(),
    }
}

/// A group's sums per period.
type PeriodSums = Vec<(trend::Period, stats::Counts)>;

/// One group's trend (the whole selection: key and label empty).
#[derive(Clone, Debug)]
pub struct Trend {
    pub key: String,
    pub label: String,
    /// Every period from the selection's first to its last, the same for every group.
    pub points: Vec<trend::Point>,
}

/// The trends per period of `granularity`: of the whole selection (`by` None) or of
/// each group, every group over the same periods (the first to the last with any
/// rating in the selection), periods under `threshold` without figures.
pub async fn trends(
    db: &Db,
    granularity: trend::Granularity,
    by: Option<GroupBy>,
    filter: &Filter,
    threshold: u64,
) -> Result<Vec<Trend>, sqlx::Error> {
    let rows = store::period_groups(db, granularity, by, filter).await?;
    let parsed: Vec<(trend::Period, &store::PeriodGroup)> = rows
        .iter()
        .filter_map(|g| trend::Period::parse(&g.period).map(|p| (p, g)))
        .collect();
    let Some((first, last)) = trend::span(parsed.iter().map(|(p, _)| *p)) else {
        return Ok(Vec::new());
    };
    // Groups in label order, each with its own periods' sums.
    let mut groups: Vec<(String, String, PeriodSums)> = Vec::new();
    for (period, g) in &parsed {
        match groups.iter_mut().find(|(key, _, _)| *key == g.key) {
            Some((_, _, sums)) => sums.push((*period, g.counts)),
            None => groups.push((g.key.clone(), g.label.clone(), vec![(*period, g.counts)])),
        }
    }
    groups.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(groups
        .into_iter()
        .map(|(key, label, sums)| Trend {
            points: trend::trend_between(&sums, first, last, threshold),
            key,
            label,
        })
        .collect())
}

/// Adds `b`'s sums to `a`'s.
fn add_counts(a: &mut stats::Counts, b: &stats::Counts) {
    a.n += b.n;
    a.service_sum += b.service_sum;
    a.service_satisfied += b.service_satisfied;
    a.official_sum += b.official_sum;
    a.official_satisfied += b.official_satisfied;
    a.promoters += b.promoters;
    a.detractors += b.detractors;
}

/// The trends of several groupings (`None`: the whole selection) from one read of the
/// ratings, each as [`trends`] gives it; a per-official grouping is never a trend and
/// comes back empty.
pub async fn trend_sets(
    db: &Db,
    granularity: trend::Granularity,
    bys: &[Option<GroupBy>],
    filter: &Filter,
    threshold: u64,
) -> Result<Vec<Vec<Trend>>, sqlx::Error> {
    let cells = store::period_cells(db, granularity, filter).await?;
    let units: std::collections::HashMap<i64, String> = crate::org::store::units(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} — {}", u.symbol, u.name)))
        .collect();
    let locations: std::collections::HashMap<i64, String> = crate::org::store::locations(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let parsed: Vec<(trend::Period, &store::PeriodCell)> = cells
        .iter()
        .filter_map(|c| trend::Period::parse(&c.period).map(|p| (p, c)))
        .collect();
    let Some((first, last)) = trend::span(parsed.iter().map(|(p, _)| *p)) else {
        return Ok(bys.iter().map(|_| Vec::new()).collect());
    };
    let key_of = |by: Option<GroupBy>, c: &store::PeriodCell| -> Option<(String, String)> {
        let named = |id: Option<i64>, names: &std::collections::HashMap<i64, String>| {
            id.and_then(|id| names.get(&id).map(|n| (id.to_string(), n.clone())))
        };
        match by {
            None => Some((String::new(), String::new())),
            Some(GroupBy::Unit) => named(c.unit_id, &units),
            Some(GroupBy::Location) => named(c.location_id, &locations),
            Some(GroupBy::Channel) => Some((c.channel.clone(), c.channel.clone())),
            Some(GroupBy::Official) => None,
        }
    };
    let mut out = Vec::new();
    for by in bys {
        // (key, label) → period → sums.
        let mut groups: std::collections::BTreeMap<(String, String), PeriodSums> =
            std::collections::BTreeMap::new();
        for (period, cell) in &parsed {
            let Some(key) = key_of(*by, cell) else {
                continue;
            };
            let sums = groups.entry(key).or_default();
            match sums.iter_mut().find(|(p, _)| p == period) {
                Some((_, c)) => add_counts(c, &cell.counts),
                None => sums.push((*period, cell.counts)),
            }
        }
        let mut trends: Vec<Trend> = groups
            .into_iter()
            .map(|((key, label), sums)| Trend {
                points: trend::trend_between(&sums, first, last, threshold),
                key,
                label,
            })
            .collect();
        trends.sort_by(|a, b| a.label.cmp(&b.label));
        out.push(trends);
    }
    Ok(out)
}
