//! The intake of a case: its parties with their pełnomocnik (KPA art. 28–33), and the
//! summons to remove formal defects (art. 64 § 2) with its outcome. Written by the
//! steps of `steps.rs` in their transaction; read by the case page and, through
//! `cases::service`, by the letters (who receives them, art. 40 § 2).

use jiff::civil::Date;
use magistrat_domain::intake::{Party, PartyKind, PowerScope, Representative};
use serde::Serialize;

use super::lists::search_text;
use super::{CaseStoreError, SqlDate, sql_date};
use crate::cases::store::CaseFile;
use crate::db::{Db, Tx, UtcTime};
use crate::{execute_tx, with_db, with_tx};

/// A party as stored, with its pełnomocnik (empty `rep_name`: none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CaseParty {
    pub id: i64,
    pub case_id: i64,
    pub position: i32,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub email: String,
    pub rep_name: String,
    pub rep_address: String,
    pub rep_scope: String,
    pub rep_document: String,
}

impl CaseParty {
    /// The party in the domain's terms (an unknown stored kind reads as a person, an
    /// unknown scope as special: neither changes who receives the letters).
    pub fn to_party(&self) -> Party {
        Party {
            kind: PartyKind::parse(&self.kind).unwrap_or(PartyKind::Person),
            name: self.name.clone(),
            address: self.address.clone(),
            representative: (!self.rep_name.is_empty()).then(|| Representative {
                name: self.rep_name.clone(),
                address: self.rep_address.clone(),
                scope: PowerScope::parse(&self.rep_scope).unwrap_or(PowerScope::Special),
                document: self.rep_document.clone(),
            }),
        }
    }

    pub fn is_applicant(&self) -> bool {
        self.position == 1
    }
}

/// A party as a step gives it (validated by the form: `cases::step_forms`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartyInput {
    /// `person` | `organisation` (`PartyKind::as_str`).
    pub kind: String,
    pub name: String,
    pub address: String,
    pub email: String,
    /// The pełnomocnik, if any.
    pub representative: Option<RepresentativeInput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepresentativeInput {
    pub name: String,
    pub address: String,
    /// `general` | `special` (`PowerScope::as_str`).
    pub scope: String,
    /// The power of attorney on file (art. 33 § 2).
    pub document: String,
}

const PARTY_COLUMNS: &str = "id, case_id, position, kind, name, address, email, rep_name, \
    rep_address, rep_scope, rep_document";

/// The case's parties in order (the applicant first).
#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_parties(db: &Db, case_id: i64) -> Result<Vec<CaseParty>, sqlx::Error> {
    let sql =
        format!("SELECT {PARTY_COLUMNS} FROM case_party WHERE case_id = $1 ORDER BY position");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_all(c)
            .await
    })
}

async fn party_in_tx(tx: &mut Tx, case_id: i64, id: i64) -> Result<Option<CaseParty>, sqlx::Error> {
    let sql = format!("SELECT {PARTY_COLUMNS} FROM case_party WHERE case_id = $1 AND id = $2");
    with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

/// The first party of a newly registered case, from its registration (the applicant;
/// a case started ex officio names its first party the same way). No party row when
/// no name was given.
pub(super) async fn insert_first_party(
    tx: &mut Tx,
    case_id: i64,
    name: &str,
    address: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    if name.trim().is_empty() {
        return Ok(());
    }
    execute_tx!(
        tx,
        "INSERT INTO case_party (case_id, position, kind, name, address, email) \
         VALUES ($1, 1, 'person', $2, $3, $4)",
        case_id,
        name,
        address,
        email,
    )?;
    Ok(())
}

/// Adds a party after the last one. Returns its id.
pub(super) async fn add_party(
    tx: &mut Tx,
    case: &CaseFile,
    party: &PartyInput,
) -> Result<i64, CaseStoreError> {
    let last: Option<i32> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT MAX(position) FROM case_party WHERE case_id = $1")
            .bind(case.id)
            .fetch_one(c)
            .await
    })?;
    let position = last.unwrap_or(0) + 1;
    let rep = party.representative.clone().unwrap_or(RepresentativeInput {
        name: String::new(),
        address: String::new(),
        scope: String::new(),
        document: String::new(),
    });
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_party (case_id, position, kind, name, address, email, rep_name, \
             rep_address, rep_scope, rep_document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING id",
        )
        .bind(case.id)
        .bind(position)
        .bind(&party.kind)
        .bind(&party.name)
        .bind(&party.address)
        .bind(&party.email)
        .bind(&rep.name)
        .bind(&rep.address)
        .bind(&rep.scope)
        .bind(&rep.document)
        .fetch_one(c)
        .await
    })?;
    if position == 1 {
        mirror_applicant(tx, case, party).await?;
    }
    Ok(id)
}

/// Replaces a party's data (and its pełnomocnik). Returns the party as it was.
pub(super) async fn edit_party(
    tx: &mut Tx,
    case: &CaseFile,
    id: i64,
    party: &PartyInput,
) -> Result<CaseParty, CaseStoreError> {
    let before = party_in_tx(tx, case.id, id)
        .await?
        .ok_or(CaseStoreError::Refused("case-party-error-unknown"))?;
    let empty = RepresentativeInput {
        name: String::new(),
        address: String::new(),
        scope: String::new(),
        document: String::new(),
    };
    let rep = party.representative.as_ref().unwrap_or(&empty);
    execute_tx!(
        tx,
        "UPDATE case_party SET kind = $1, name = $2, address = $3, email = $4, rep_name = $5, \
         rep_address = $6, rep_scope = $7, rep_document = $8 WHERE id = $9 AND case_id = $10",
        &party.kind,
        &party.name,
        &party.address,
        &party.email,
        &rep.name,
        &rep.address,
        &rep.scope,
        &rep.document,
        id,
        case.id,
    )?;
    if before.is_applicant() {
        mirror_applicant(tx, case, party).await?;
    }
    Ok(before)
}

/// Removes a party that is not the applicant. Returns the party removed.
pub(super) async fn remove_party(
    tx: &mut Tx,
    case_id: i64,
    id: i64,
) -> Result<CaseParty, CaseStoreError> {
    let before = party_in_tx(tx, case_id, id)
        .await?
        .ok_or(CaseStoreError::Refused("case-party-error-unknown"))?;
    // The applicant (the first party) names the case in the register: edited, never
    // removed.
    if before.is_applicant() {
        return Err(CaseStoreError::Refused("case-party-error-applicant"));
    }
    execute_tx!(
        tx,
        "DELETE FROM case_party WHERE id = $1 AND case_id = $2",
        id,
        case_id,
    )?;
    Ok(before)
}

/// The applicant's data are kept on the case too (the lists, the spis spraw and the
/// search read them there).
async fn mirror_applicant(
    tx: &mut Tx,
    case: &CaseFile,
    party: &PartyInput,
) -> Result<(), sqlx::Error> {
    execute_tx!(
        tx,
        "UPDATE case_file SET party_name = $1, party_address = $2, party_email = $3, \
         search_text = $4 WHERE id = $5",
        &party.name,
        &party.address,
        &party.email,
        search_text(&case.znak, &case.title, &party.name),
        case.id,
    )?;
    Ok(())
}

// =======================================================================================
// Formal defects (art. 64 § 2)
// =======================================================================================

/// A summons to remove formal defects and what came of it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseDefect {
    pub id: i64,
    pub defects: String,
    pub delivered_on: SqlDate,
    pub remove_by: SqlDate,
    /// `pending` | `removed` | `left_unexamined`.
    pub state: String,
    pub resolved_on: Option<SqlDate>,
    pub posted_on: Option<SqlDate>,
    pub created_at: UtcTime,
}

impl CaseDefect {
    pub fn is_pending(&self) -> bool {
        self.state == "pending"
    }
}

const DEFECT_COLUMNS: &str =
    "id, defects, delivered_on, remove_by, state, resolved_on, posted_on, created_at";

/// The case's summonses, oldest first.
#[tracing::instrument(level = "debug", skip_all, fields(case_id))]
pub async fn case_defects(db: &Db, case_id: i64) -> Result<Vec<CaseDefect>, sqlx::Error> {
    let sql = format!("SELECT {DEFECT_COLUMNS} FROM case_defect WHERE case_id = $1 ORDER BY id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_all(c)
            .await
    })
}

/// The summons still waiting for the party, read in the step's transaction.
pub(super) async fn pending_defect(
    tx: &mut Tx,
    case_id: i64,
) -> Result<Option<CaseDefect>, sqlx::Error> {
    let sql = format!(
        "SELECT {DEFECT_COLUMNS} FROM case_defect WHERE case_id = $1 AND state = 'pending' \
         ORDER BY id DESC LIMIT 1"
    );
    with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(case_id)
            .fetch_optional(c)
            .await
    })
}

/// Records a summons delivered on `delivered_on` with the party's last day.
pub(super) async fn add_defect(
    tx: &mut Tx,
    actor_id: Option<i64>,
    case_id: i64,
    defects: &str,
    delivered_on: Date,
    remove_by: Date,
) -> Result<(), CaseStoreError> {
    if pending_defect(tx, case_id).await?.is_some() {
        return Err(CaseStoreError::Refused("case-defect-error-pending"));
    }
    let now = tx.now();
    execute_tx!(
        tx,
        "INSERT INTO case_defect (case_id, defects, delivered_on, remove_by, state, created_at, \
         created_by) VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
        case_id,
        defects,
        sql_date(delivered_on),
        sql_date(remove_by),
        now,
        actor_id,
    )?;
    Ok(())
}

/// Ends the pending summons (`state`: `removed` or `left_unexamined`), conditional on
/// its being pending still.
pub(super) async fn resolve_defect(
    tx: &mut Tx,
    defect_id: i64,
    state: &'static str,
    on: Date,
    posted_on: Option<Date>,
) -> Result<(), CaseStoreError> {
    let moved = execute_tx!(
        tx,
        "UPDATE case_defect SET state = $1, resolved_on = $2, posted_on = $3 \
         WHERE id = $4 AND state = 'pending'",
        state,
        sql_date(on),
        posted_on.map(sql_date),
        defect_id,
    )?;
    if moved == 0 {
        return Err(CaseStoreError::Refused("case-defect-error-none"));
    }
    Ok(())
}
