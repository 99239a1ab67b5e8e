//! Storage of appeals and ponaglenia: registering one on its case, the organ's
//! disposition (self-review or forwarding), the lists. Every write is audited and
//! entered in the metryka (through `case_documents::store::record_act`) in its own
//! transaction; a disposition is an update conditional on the state read, so two
//! officials cannot both forward the same appeal.

use jiff::civil::Date;
use magistrat_domain::appeals::{self, AppealError, Challenge, Disposition, Lodged};
use magistrat_domain::metryka::Act as MetrykaAct;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::case_documents::store::record_act;
use crate::cases::store::CaseFile;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{execute_tx, with_db, with_tx};

type SqlDate = jiff_sqlx::Date;

/// Why the store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppealStoreError {
    /// The law refuses it (the message's Fluent id via [`AppealError::message_key`]).
    #[error("refused: {0:?}")]
    Refused(AppealError),
    /// No such appeal, or the decision named is not a delivered decision of the case.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<AppealError> for AppealStoreError {
    fn from(e: AppealError) -> Self {
        AppealStoreError::Refused(e)
    }
}

impl From<AppealStoreError> for crate::web::error::AppError {
    fn from(e: AppealStoreError) -> Self {
        use crate::web::error::AppError;
        match e {
            // The forms check the dates first and show them at their fields; what
            // reaches here is a state that changed meanwhile.
            AppealStoreError::Refused(e) => AppError::Conflict(e.message_key()),
            AppealStoreError::NotFound => AppError::NotFound,
            AppealStoreError::Db(e) => e.into(),
        }
    }
}

/// A delivered decision of a case, which an appeal may name.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveredDecision {
    pub letter_id: i64,
    pub identifier: String,
    pub title: String,
    pub delivered_on: SqlDate,
}

impl DeliveredDecision {
    pub fn delivered(&self) -> Date {
        self.delivered_on.to_jiff()
    }
}

/// The decisions of the case delivered to the party (from the proof on their outgoing
/// item), newest first.
pub async fn delivered_decisions(
    db: &Db,
    case_id: i64,
) -> Result<Vec<DeliveredDecision>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT l.id AS letter_id, l.identifier, l.title, o.delivered_on \
             FROM case_letter l JOIN outgoing_item o ON o.id = l.outgoing_id \
             WHERE l.case_id = $1 AND l.kind = 'decision' AND l.state = 'delivered' \
             AND o.delivered_on IS NOT NULL ORDER BY o.delivered_on DESC, l.id DESC",
        )
        .bind(case_id)
        .fetch_all(c)
        .await
    })
}

/// An appeal or ponaglenie as stored, with its case's znak and the decision's identifier.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AppealRow {
    pub id: i64,
    pub case_id: i64,
    pub znak: String,
    pub case_title: String,
    #[sqlx(try_from = "String")]
    pub kind: Challenge,
    pub letter_id: Option<i64>,
    pub decision: String,
    pub lodged_by: String,
    pub received_on: SqlDate,
    pub posted_on: Option<SqlDate>,
    pub in_term: bool,
    pub forward_by: SqlDate,
    pub higher_body: String,
    #[sqlx(try_from = "String")]
    pub disposition: Disposition,
    pub disposed_on: Option<SqlDate>,
    pub disposed_late: bool,
    pub position: String,
    pub registered_at: UtcTime,
}

const APPEAL_SELECT: &str = "SELECT a.id, a.case_id, c.znak, c.title AS case_title, a.kind, \
    a.letter_id, COALESCE(l.identifier, '') AS decision, a.lodged_by, a.received_on, \
    a.posted_on, a.in_term, a.forward_by, a.higher_body, a.disposition, a.disposed_on, \
    a.disposed_late, a.position, a.registered_at \
    FROM case_appeal a JOIN case_file c ON c.id = a.case_id \
    LEFT JOIN case_letter l ON l.id = a.letter_id";

pub async fn appeals_of_case(db: &Db, case_id: i64) -> Result<Vec<AppealRow>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE a.case_id = $1 ORDER BY a.received_on, a.id");
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_all(c)
            .await
    })
}

pub async fn appeal(db: &Db, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE a.id = $1");
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

/// The appeals and ponaglenia still to be passed on, by the organ's last day, in the
/// given units (`None`: the whole office); with `official`, only those in that
/// official's cases.
pub async fn pending(
    db: &Db,
    units: Option<&[i64]>,
    official: Option<i64>,
) -> Result<Vec<AppealRow>, sqlx::Error> {
    let mut sql = format!("{APPEAL_SELECT} WHERE a.disposition = 'pending'");
    if let Some(units) = units {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        // The unit ids are numbers from the scope, never user text.
        let list = units
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        sql.push_str(&format!(" AND c.unit_id IN ({list})"));
    }
    if official.is_some() {
        sql.push_str(" AND c.official_id = $1");
    }
    sql.push_str(" ORDER BY a.forward_by, a.id LIMIT 500");
    with_db!(db, |c| {
        let q = sqlx::query_as(AssertSqlSafe(sql.clone()));
        let q = match official {
            Some(id) => q.bind(id),
            None => q,
        };
        q.fetch_all(c).await
    })
}

/// A challenge as the official registers it; the dates checked by the caller's form
/// and again here, in the transaction, against the stored decision.
#[derive(Clone, Debug, Serialize)]
pub struct NewAppeal {
    pub kind: Challenge,
    /// The decision appealed against (an appeal only).
    pub letter_id: Option<i64>,
    pub lodged_by: String,
    pub received_on: Date,
    pub posted_on: Option<Date>,
    pub higher_body: String,
}

/// Registers an appeal or a ponaglenie on the case: the party's term checked by the
/// decision's delivery (art. 129 § 2, art. 57 § 5), the organ's 7 days computed
/// (art. 133, art. 37 § 4), an entry in the metryka, the audit event.
pub async fn register(
    tx: &mut Tx,
    actor: &Actor,
    case: &CaseFile,
    new: &NewAppeal,
    today: Date,
) -> Result<i64, AppealStoreError> {
    audit::lock_head(tx).await?;
    let (lodged, document) = match new.kind {
        Challenge::Appeal => {
            let letter_id = new.letter_id.ok_or(AppealStoreError::NotFound)?;
            let decision = decision_in_tx(tx, case.id, letter_id).await?;
            let lodged =
                appeals::lodge_appeal(decision.delivered(), new.received_on, new.posted_on, today)?;
            (lodged, decision.identifier)
        }
        Challenge::Ponaglenie => (
            appeals::lodge_ponaglenie(case.received(), new.received_on, new.posted_on, today)?,
            String::new(),
        ),
    };
    let id = insert(tx, actor, case.id, new, &lodged).await?;
    let act = match new.kind {
        Challenge::Appeal => MetrykaAct::AppealReceived,
        Challenge::Ponaglenie => MetrykaAct::PonaglenieReceived,
    };
    let detail = format!("{} — {}", new.lodged_by, new.received_on);
    record_act(tx, actor, case.id, act, &document, &detail).await?;
    audit::record(
        tx,
        actor,
        Change::created(
            "case_appeal",
            id,
            &serde_json::json!({ "case_id": case.id, "appeal": new, "lodged": lodged }),
        ),
    )
    .await?;
    Ok(id)
}

async fn decision_in_tx(
    tx: &mut Tx,
    case_id: i64,
    letter_id: i64,
) -> Result<DeliveredDecision, AppealStoreError> {
    let row: Option<DeliveredDecision> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT l.id AS letter_id, l.identifier, l.title, o.delivered_on \
             FROM case_letter l JOIN outgoing_item o ON o.id = l.outgoing_id \
             WHERE l.id = $1 AND l.case_id = $2 AND l.kind = 'decision' \
             AND l.state = 'delivered' AND o.delivered_on IS NOT NULL",
        )
        .bind(letter_id)
        .bind(case_id)
        .fetch_optional(c)
        .await
    })?;
    row.ok_or(AppealStoreError::NotFound)
}

async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    new: &NewAppeal,
    lodged: &Lodged,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_appeal (case_id, kind, letter_id, lodged_by, received_on, \
             posted_on, in_term, forward_by, higher_body, disposition, registered_at, \
             registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11) \
             RETURNING id",
        )
        .bind(case_id)
        .bind(new.kind.as_str())
        .bind(new.letter_id)
        .bind(&new.lodged_by)
        .bind(SqlDate::from(new.received_on))
        .bind(new.posted_on.map(SqlDate::from))
        .bind(lodged.in_term)
        .bind(SqlDate::from(lodged.forward_by))
        .bind(&new.higher_body)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })
}

/// The organ's disposition of a pending challenge: forwarded (with its answer, for a
/// ponaglenie) or decided anew (art. 132). Checked by the domain rule against the
/// stored row; the update is conditional on the row still pending.
pub async fn dispose(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    act: &appeals::Act,
    today: Date,
) -> Result<(), AppealStoreError> {
    audit::lock_head(tx).await?;
    let row = appeal_in_tx(tx, id).await?;
    let in_time = appeals::dispose(
        row.kind,
        row.disposition,
        row.received_on.to_jiff(),
        row.forward_by.to_jiff(),
        act,
        today,
    )?;
    let (to, on, position) = match act {
        appeals::Act::Forward { on, position } => (Disposition::Forwarded, *on, position.as_str()),
        appeals::Act::SelfReview { on } => (Disposition::SelfReview, *on, ""),
    };
    let now = tx.now();
    let moved = execute_tx!(
        tx,
        "UPDATE case_appeal SET disposition = $1, disposed_on = $2, disposed_late = $3, \
         position = $4, disposed_at = $5, disposed_by = $6 \
         WHERE id = $7 AND disposition = 'pending'",
        to.as_str(),
        SqlDate::from(on),
        !in_time,
        position,
        now,
        actor.user_id,
        id,
    )?;
    if moved == 0 {
        return Err(AppealError::AlreadyDisposed.into());
    }
    let metryka_act = match (row.kind, to) {
        (Challenge::Appeal, Disposition::SelfReview) => MetrykaAct::AppealSelfReview,
        (Challenge::Appeal, _) => MetrykaAct::AppealForwarded,
        (Challenge::Ponaglenie, _) => MetrykaAct::PonaglenieForwarded,
    };
    let detail = match to {
        Disposition::Forwarded => format!("{} — {on}", row.higher_body),
        _ => on.to_string(),
    };
    record_act(tx, actor, row.case_id, metryka_act, &row.decision, &detail).await?;
    audit::record(
        tx,
        actor,
        Change::action(to.as_str(), "case_appeal", id)
            .with_before(&serde_json::json!({ "disposition": row.disposition.as_str() }))
            .with_after(&serde_json::json!({
                "disposition": to.as_str(),
                "on": on.to_string(),
                "in_time": in_time,
                "position": position,
            })),
    )
    .await?;
    Ok(())
}

async fn appeal_in_tx(tx: &mut Tx, id: i64) -> Result<AppealRow, AppealStoreError> {
    let sql = format!("{APPEAL_SELECT} WHERE a.id = $1");
    let row: Option<AppealRow> = with_tx!(tx, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })?;
    row.ok_or(AppealStoreError::NotFound)
}
