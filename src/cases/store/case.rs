//! Reading one case: the case file, its history, periods and delay notices.

use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::SqlDate;
use super::register::Channel;
use crate::cases::workflow::Status;
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

const CASE_COLUMNS: &str = "c.id, c.unit_id, c.jrwa_symbol, c.year, c.number, c.znak, c.kind, \
    c.title, c.party_name, c.party_address, c.party_email, c.publish_consent, c.channel, \
    c.correspondence_id, c.official_id, c.status, c.received_on, c.statutory_due_on, c.due_on, \
    c.tracking_code, c.registered_at, c.settled_on, c.outcome, c.closed_at, \
    c.transferred_to_id, c.transferred_from_id, c.forwarded_to, c.ex_officio, c.term_start_on, \
    c.closing_kind, u.symbol AS unit_symbol, \
    u.name AS unit_name, COALESCE(o.display_name, '') AS official_name";

pub(super) const CASE_FROM: &str = "FROM case_file c JOIN org_unit u ON u.id = c.unit_id \
    LEFT JOIN app_user o ON o.id = c.official_id";

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseFile {
    pub id: i64,
    pub unit_id: i64,
    pub jrwa_symbol: String,
    pub year: i32,
    pub number: i32,
    pub znak: String,
    /// Rows are read strictly: an unknown stored kind, channel or status is an error
    /// (a case read as some default kind would get a wrong deadline).
    #[sqlx(try_from = "String")]
    pub kind: CaseKind,
    pub title: String,
    pub party_name: String,
    pub party_address: String,
    pub party_email: String,
    pub publish_consent: bool,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub correspondence_id: Option<i64>,
    pub official_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub received_on: SqlDate,
    pub statutory_due_on: SqlDate,
    pub due_on: SqlDate,
    pub tracking_code: String,
    pub registered_at: UtcTime,
    pub settled_on: Option<SqlDate>,
    pub outcome: String,
    pub closed_at: Option<UtcTime>,
    pub transferred_to_id: Option<i64>,
    pub transferred_from_id: Option<i64>,
    pub forwarded_to: String,
    /// Started by the organ without a request (KPA art. 61 § 1); `received_on` is then
    /// the day of its first act.
    pub ex_officio: bool,
    /// The day the term of art. 35 counts from when it is not `received_on`: the
    /// removal of formal defects (art. 64 § 2).
    pub term_start_on: Option<SqlDate>,
    /// `''` or `left_unexamined` (art. 64 § 2) for a settled case.
    pub closing_kind: String,
    pub unit_symbol: String,
    pub unit_name: String,
    pub official_name: String,
}

impl CaseFile {
    pub fn received(&self) -> Date {
        self.received_on.to_jiff()
    }

    pub fn due(&self) -> Date {
        self.due_on.to_jiff()
    }

    /// The day the term of art. 35 counts from (`magistrat_domain::intake`).
    pub fn term_start(&self) -> Date {
        magistrat_domain::intake::term_starts_on(
            self.received(),
            self.term_start_on.map(|d| d.to_jiff()),
        )
    }

    /// Left without examination (art. 64 § 2) rather than settled on the merits.
    pub fn left_unexamined(&self) -> bool {
        self.closing_kind == "left_unexamined"
    }
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn case_by_id(db: &Db, id: i64) -> Result<Option<CaseFile>, sqlx::Error> {
    let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.id = $1");
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

pub(super) async fn case_in_tx(tx: &mut Tx, id: i64) -> Result<Option<CaseFile>, sqlx::Error> {
    let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.id = $1");
    with_tx!(tx, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CaseEvent {
    pub id: i64,
    pub occurred_at: UtcTime,
    pub actor_name: String,
    pub action: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub note: String,
}

#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_events(db: &Db, case_id: i64) -> Result<Vec<CaseEvent>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, occurred_at, actor_name, action, status, note FROM case_event \
             WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CasePeriod {
    pub id: i64,
    pub kind: String,
    pub start_on: SqlDate,
    pub end_on: Option<SqlDate>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DelayNoticeRow {
    pub id: i64,
    pub issued_on: SqlDate,
    pub new_due_on: SqlDate,
    pub reason: String,
}

#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_periods(db: &Db, case_id: i64) -> Result<Vec<CasePeriod>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, start_on, end_on, reason FROM case_period WHERE case_id = $1 \
             ORDER BY start_on, id",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })
}

#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_notices(db: &Db, case_id: i64) -> Result<Vec<DelayNoticeRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, issued_on, new_due_on, reason FROM case_delay_notice WHERE case_id = $1 \
             ORDER BY issued_on, id",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })
}

/// A case's history as its page shows it — its steps, excluded periods and delay
/// notices — read on one pooled connection: three statements, but one hand-over of a
/// connection and one return to the pool (with its ping) instead of three
/// (docs/decisions/0040-page-cost-second-pass.md). The same rows as
/// [`case_events`], [`case_periods`] and [`case_notices`].
pub async fn case_history(
    db: &Db,
    case_id: i64,
) -> Result<(Vec<CaseEvent>, Vec<CasePeriod>, Vec<DelayNoticeRow>), sqlx::Error> {
    with_db!(db, |pool| {
        let mut c = pool.acquire().await?;
        let events = sqlx::query_as(
            "SELECT id, occurred_at, actor_name, action, status, note FROM case_event \
             WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
        let periods = sqlx::query_as(
            "SELECT id, kind, start_on, end_on, reason FROM case_period WHERE case_id = $1 \
             ORDER BY start_on, id",
        )
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
        let notices = sqlx::query_as(
            "SELECT id, issued_on, new_due_on, reason FROM case_delay_notice WHERE case_id = $1 \
             ORDER BY issued_on, id",
        )
        .bind(case_id)
        .fetch_all(&mut *c)
        .await?;
        Ok((events, periods, notices))
    })
}

/// The znak of a case, for links between a transferred case and its successor.
#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn znak_of(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT znak FROM case_file WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

/// The case with this znak (as staff type it, e.g. into a letter's form).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn case_id_by_znak(db: &Db, znak: &str) -> Result<Option<i64>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM case_file WHERE znak = $1")
            .bind(znak.trim())
            .fetch_optional(c)
            .await
    })
}
