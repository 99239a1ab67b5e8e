//! The ratings in SQL: a rating and its "rated" mark written in one transaction with
//! its audit event, the sums per group the results are computed from, the comments
//! and their moderation.

use magistrat_domain::satisfaction::{Counts, Scores};
use magistrat_domain::satisfaction_trend::Granularity;
use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::platform::form::Unique;
use crate::{execute_tx, with_db, with_tx};

/// The one constraint that keeps a visit or case from being rated twice.
pub const RATED_ONCE: Unique = Unique {
    constraint: "sat_rated_pkey",
    columns: "sat_rated.subject_key",
    field: "service",
    message: "sat-already-rated",
};

/// What is rated: a visit at a service point or a settled case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Visit,
    Case,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Visit => "visit",
            Subject::Case => "case",
        }
    }
}

/// A rating as stored: what it is grouped by and the answers, nobody's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewRating {
    pub subject: Subject,
    /// `service_point` for a visit, the case's channel of receipt for a case.
    pub channel: String,
    pub location_id: Option<i64>,
    /// The ticket category's name, or the kind of case.
    pub category: String,
    pub unit_id: Option<i64>,
    pub official_id: Option<i64>,
    /// The Warsaw day the service was given (`YYYY-MM-DD`).
    pub service_on: String,
    pub scores: Scores,
    /// Trimmed; empty for none.
    pub comment: String,
}

/// The actor a rating is audited as: no account, no address (the audit trail must not
/// say who rated either).
pub fn resident_actor() -> Actor {
    Actor {
        user_id: None,
        login: "resident".into(),
        ip: None,
    }
}

/// Stores `rating` and marks `subject_key` rated, in one transaction with the audit
/// event. A second rating of the same key fails with the [`RATED_ONCE`] violation and
/// writes nothing.
pub async fn rate(db: &Db, subject_key: &str, rating: &NewRating) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    execute_tx!(
        tx,
        "INSERT INTO sat_rated (subject_key) VALUES ($1)",
        subject_key
    )?;
    let comment_state = if rating.comment.is_empty() {
        "none"
    } else {
        "pending"
    };
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO sat_rating (subject, channel, location_id, category, unit_id, \
             official_id, service_on, service_score, official_score, nps, comment, \
             comment_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             RETURNING id",
        )
        .bind(rating.subject.as_str())
        .bind(&rating.channel)
        .bind(rating.location_id)
        .bind(&rating.category)
        .bind(rating.unit_id)
        .bind(rating.official_id)
        .bind(&rating.service_on)
        .bind(i32::from(rating.scores.service))
        .bind(i32::from(rating.scores.official))
        .bind(i32::from(rating.scores.nps))
        .bind(&rating.comment)
        .bind(comment_state)
        .fetch_one(c)
        .await
    })?;
    // The audit event holds the answers but not the comment (moderators read it) and,
    // like the rating, not what was rated.
    let after = serde_json::json!({
        "subject": rating.subject,
        "channel": rating.channel,
        "service": rating.scores.service,
        "official": rating.scores.official,
        "nps": rating.scores.nps,
        "has_comment": !rating.comment.is_empty(),
    });
    audit::record(
        &mut tx,
        &resident_actor(),
        Change::created("sat_rating", id, &after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether `subject_key` has been rated.
pub async fn is_rated(db: &Db, subject_key: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM sat_rated WHERE subject_key = $1")
            .bind(subject_key)
            .fetch_one(c)
            .await
    })?;
    Ok(n > 0)
}

/// What the results are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Unit,
    Location,
    Channel,
    Official,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unit" => Some(GroupBy::Unit),
            "location" => Some(GroupBy::Location),
            "channel" => Some(GroupBy::Channel),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Unit => "unit",
            GroupBy::Location => "location",
            GroupBy::Channel => "channel",
            GroupBy::Official => "official",
        }
    }

    /// The key and the label column of a group, and the join that names it.
    fn sql(self) -> (&'static str, &'static str, &'static str) {
        match self {
            GroupBy::Unit => (
                "CAST(r.unit_id AS TEXT)",
                "g.symbol || ' — ' || g.name",
                "JOIN org_unit g ON g.id = r.unit_id",
            ),
            GroupBy::Location => (
                "CAST(r.location_id AS TEXT)",
                "g.name",
                "JOIN location g ON g.id = r.location_id",
            ),
            GroupBy::Channel => ("r.channel", "r.channel", ""),
            GroupBy::Official => (
                "CAST(r.official_id AS TEXT)",
                "g.display_name",
                "JOIN app_user g ON g.id = r.official_id",
            ),
        }
    }
}

/// Which ratings: a period of service days (either end open) and, for the staff
/// pages, one official or the units of a scope.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub official_id: Option<i64>,
    /// None: every unit.
    pub units: Option<Vec<i64>>,
}

impl Filter {
    /// The WHERE clause; every value is a number or bound, never spliced text.
    fn clause(&self) -> String {
        // Both ends are always bound (empty for open), so PostgreSQL sees $1 and $2.
        let mut parts = vec![
            "($1 = '' OR r.service_on >= $1)".to_owned(),
            "($2 = '' OR r.service_on <= $2)".to_owned(),
        ];
        if let Some(official) = self.official_id {
            parts.push(format!("r.official_id = {official}"));
        }
        if let Some(units) = &self.units {
            let ids: Vec<String> = units.iter().map(i64::to_string).collect();
            if ids.is_empty() {
                parts.push("1 = 0".into());
            } else {
                parts.push(format!("r.unit_id IN ({})", ids.join(", ")));
            }
        }
        parts.join(" AND ")
    }
}

/// One group's key, label and sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// Where the sums are read from. The day sums (migration 0050, kept by triggers in the
/// transaction of every rating) hold every figure per day, unit, location and channel
/// — a few hundred times fewer rows than the ratings; only one official's figures,
/// which they do not keep, are added up from the ratings themselves (by their index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    DaySums,
    Ratings,
}

impl Source {
    fn of(by: Option<GroupBy>, filter: &Filter) -> Self {
        if filter.official_id.is_some() || by == Some(GroupBy::Official) {
            Source::Ratings
        } else {
            Source::DaySums
        }
    }

    /// The table, always named `r`.
    fn table(self) -> &'static str {
        match self {
            Source::DaySums => "sat_day_sums r",
            Source::Ratings => "sat_rating r",
        }
    }

    /// The seven sums of [`SumsRow`]; the count is never NULL, even over no row.
    fn sums(self) -> &'static str {
        match self {
            Source::DaySums => {
                "COALESCE(SUM(r.n), 0), SUM(r.service_sum), SUM(r.service_satisfied), \
                 SUM(r.official_sum), SUM(r.official_satisfied), SUM(r.promoters), \
                 SUM(r.detractors)"
            }
            Source::Ratings => {
                "COUNT(*), SUM(r.service_score), \
                 SUM(CASE WHEN r.service_score >= 4 THEN 1 ELSE 0 END), SUM(r.official_score), \
                 SUM(CASE WHEN r.official_score >= 4 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN r.nps >= 9 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN r.nps <= 6 THEN 1 ELSE 0 END)"
            }
        }
    }

    /// The unit and the location of a row, NULL where the rating has none (the day
    /// sums store 0 there).
    fn places(self) -> &'static str {
        match self {
            Source::DaySums => "NULLIF(r.unit_id, 0), NULLIF(r.location_id, 0)",
            Source::Ratings => "r.unit_id, r.location_id",
        }
    }
}

type SumsRow = (i64, i64, i64, i64, i64, i64, i64);

fn counts((n, ss, sh, os, oh, p, d): SumsRow) -> Counts {
    let u = |v: i64| u64::try_from(v).unwrap_or(0);
    Counts {
        n: u(n),
        service_sum: u(ss),
        service_satisfied: u(sh),
        official_sum: u(os),
        official_satisfied: u(oh),
        promoters: u(p),
        detractors: u(d),
    }
}

/// The sums of every group with at least one rating, ordered by label.
pub async fn groups(db: &Db, by: GroupBy, filter: &Filter) -> Result<Vec<Group>, sqlx::Error> {
    let (key, label, join) = by.sql();
    let source = Source::of(Some(by), filter);
    let (table, sums) = (source.table(), source.sums());
    let sql = format!(
        "SELECT {key}, MIN({label}), {sums} FROM {table} {join} WHERE {} \
         GROUP BY {key} ORDER BY MIN({label})",
        filter.clause()
    );
    type Row = (String, String, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .fetch_all(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(key, label, n, ss, sh, os, oh, p, d)| Group {
            key,
            label,
            counts: counts((n, ss, sh, os, oh, p, d)),
        })
        .collect())
}

/// The SQL of the period a rating's service day falls in: `2025` or `2025-Q3`, as
/// [`magistrat_domain::satisfaction_trend::Period::parse`] reads them (the day is stored
/// as `YYYY-MM-DD` text on both backends).
fn period_sql(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Year => "SUBSTR(r.service_on, 1, 4)",
        Granularity::Quarter => {
            "SUBSTR(r.service_on, 1, 4) || '-Q' || \
             CAST((CAST(SUBSTR(r.service_on, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)"
        }
    }
}

/// One period's sums of one group (the key and label empty for the whole selection).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodGroup {
    /// `2025` or `2025-Q3`.
    pub period: String,
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// The sums per period (of `granularity`) and, with `by`, per group, ordered by period.
pub async fn period_groups(
    db: &Db,
    granularity: Granularity,
    by: Option<GroupBy>,
    filter: &Filter,
) -> Result<Vec<PeriodGroup>, sqlx::Error> {
    let period = period_sql(granularity);
    let source = Source::of(by, filter);
    let (table, sums) = (source.table(), source.sums());
    let sql = match by {
        Some(by) => {
            let (key, label, join) = by.sql();
            format!(
                "SELECT {period}, {key}, MIN({label}), {sums} FROM {table} {join} \
                 WHERE {} GROUP BY {period}, {key} ORDER BY 1, 3",
                filter.clause()
            )
        }
        None => format!(
            "SELECT {period}, CAST('' AS TEXT), CAST('' AS TEXT), {sums} FROM {table} \
             WHERE {} GROUP BY {period} ORDER BY 1",
            filter.clause()
        ),
    };
    type Row = (String, String, String, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .fetch_all(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(period, key, label, n, ss, sh, os, oh, p, d)| PeriodGroup {
                period,
                key,
                label,
                counts: counts((n, ss, sh, os, oh, p, d)),
            },
        )
        .collect())
}

/// One period's sums of one combination of unit, location and channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodCell {
    /// `2025` or `2025-Q3`.
    pub period: String,
    pub unit_id: Option<i64>,
    pub location_id: Option<i64>,
    pub channel: String,
    pub counts: Counts,
}

/// The sums per period, unit, location and channel in one pass over the ratings: the
/// pages add them up into the trends of the whole selection and of each grouping
/// instead of reading the table once per grouping.
pub async fn period_cells(
    db: &Db,
    granularity: Granularity,
    filter: &Filter,
) -> Result<Vec<PeriodCell>, sqlx::Error> {
    let period = period_sql(granularity);
    let source = Source::of(None, filter);
    let (table, sums, places) = (source.table(), source.sums(), source.places());
    let sql = format!(
        "SELECT {period}, {places}, r.channel, {sums} FROM {table} \
         WHERE {} GROUP BY {period}, r.unit_id, r.location_id, r.channel",
        filter.clause()
    );
    type Row = (
        String,
        Option<i64>,
        Option<i64>,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .fetch_all(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(period, unit_id, location_id, channel, n, ss, sh, os, oh, p, d)| PeriodCell {
                period,
                unit_id,
                location_id,
                channel,
                counts: counts((n, ss, sh, os, oh, p, d)),
            },
        )
        .collect())
}

/// The sums of every rating the filter selects, as one group.
pub async fn total(db: &Db, filter: &Filter) -> Result<Counts, sqlx::Error> {
    let source = Source::of(None, filter);
    let (table, sums) = (source.table(), source.sums());
    let sql = format!("SELECT {sums} FROM {table} WHERE {}", filter.clause());
    type Row = (
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let (n, ss, sh, os, oh, p, d): Row = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .fetch_one(c)
            .await
    })?;
    let z = |v: Option<i64>| v.unwrap_or(0);
    Ok(counts((n, z(ss), z(sh), z(os), z(oh), z(p), z(d))))
}

/// A comment as the staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub service_on: String,
    pub channel: String,
    pub unit: Option<String>,
    pub service_score: i32,
    pub official_score: i32,
    pub nps: i32,
    pub comment: String,
    /// The ticket category or the kind of case.
    pub category: String,
}

const COMMENT_COLUMNS: &str = "r.id, r.service_on, r.channel, \
     u.symbol || ' — ' || u.name, r.service_score, r.official_score, r.nps, r.comment, \
     r.category";

type CommentRow = (
    i64,
    String,
    String,
    Option<String>,
    i32,
    i32,
    i32,
    String,
    String,
);

fn comment(row: CommentRow) -> Comment {
    let (id, service_on, channel, unit, service_score, official_score, nps, comment, category) =
        row;
    Comment {
        id,
        service_on,
        channel,
        category,
        unit,
        service_score,
        official_score,
        nps,
        comment,
    }
}

/// Comments waiting for a moderator, oldest first (at most 200 at a time).
pub async fn pending_comments(db: &Db) -> Result<Vec<Comment>, sqlx::Error> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM sat_rating r LEFT JOIN org_unit u ON u.id = r.unit_id \
         WHERE r.comment_state = 'pending' ORDER BY r.id LIMIT 200"
    );
    let rows: Vec<CommentRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().map(comment).collect())
}

/// Approved comments the filter selects, newest service day first (at most 100).
pub async fn approved_comments(db: &Db, filter: &Filter) -> Result<Vec<Comment>, sqlx::Error> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM sat_rating r LEFT JOIN org_unit u ON u.id = r.unit_id \
         WHERE r.comment_state = 'approved' AND {} ORDER BY r.service_on DESC, r.id DESC \
         LIMIT 100",
        filter.clause()
    );
    let rows: Vec<CommentRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().map(comment).collect())
}

/// A moderator's decision on a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    /// The text is erased: nobody is to read it.
    Reject,
}

/// Applies `verdict` to the pending comment of rating `id`, audited; false when there
/// is no such pending comment (already moderated, or none).
pub async fn moderate(
    db: &Db,
    actor: &Actor,
    id: i64,
    verdict: Verdict,
    now: UtcTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = match verdict {
        Verdict::Approve => {
            "UPDATE sat_rating SET comment_state = 'approved', moderated_by = $1, \
             moderated_at = $2 WHERE id = $3 AND comment_state = 'pending'"
        }
        Verdict::Reject => {
            "UPDATE sat_rating SET comment_state = 'rejected', comment = '', \
             moderated_by = $1, moderated_at = $2 WHERE id = $3 AND comment_state = 'pending'"
        }
    };
    let changed = execute_tx!(tx, sql, actor.user_id, now, id)?;
    if changed == 0 {
        return Ok(false);
    }
    let action = match verdict {
        Verdict::Approve => "comment_approve",
        Verdict::Reject => "comment_reject",
    };
    audit::record(
        &mut tx,
        actor,
        Change {
            action,
            entity_type: "sat_rating",
            entity_id: id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The unit an official works in (their employee record), for a visit's rating.
pub async fn unit_of_official(db: &Db, official_id: i64) -> Result<Option<i64>, sqlx::Error> {
    Ok(crate::org::store::employees(db)
        .await?
        .into_iter()
        .find(|e| e.user_id == Some(official_id))
        .map(|e| e.org_unit_id))
}
