//! Storage of the information clause, the register of processing activities and the
//! retention job's deletions. Every write is audited in the caller's transaction.

use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// The office's information clause (RODO art. 13 ust. 1–2): one text per part, in the
/// order of `magistrat_domain::rodo::ClausePart::ALL`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Clause {
    pub controller: String,
    pub dpo_contact: String,
    pub purposes: String,
    pub recipients: String,
    pub transfers: String,
    pub retention: String,
    pub rights: String,
    pub complaint: String,
    pub requirement: String,
    pub automated: String,
}

impl Clause {
    /// The text of a part.
    pub fn part(&self, part: magistrat_domain::rodo::ClausePart) -> &str {
        use magistrat_domain::rodo::ClausePart::*;
        match part {
            Controller => &self.controller,
            DpoContact => &self.dpo_contact,
            Purposes => &self.purposes,
            Recipients => &self.recipients,
            Transfers => &self.transfers,
            Retention => &self.retention,
            Rights => &self.rights,
            Complaint => &self.complaint,
            Requirement => &self.requirement,
            Automated => &self.automated,
        }
    }
}

const CLAUSE_SELECT: &str = "SELECT controller, dpo_contact, purposes, recipients, \
     transfers, retention, rights, complaint, requirement, automated FROM rodo_clause WHERE id = 1";

/// The clause, once the office has written it.
pub async fn clause(db: &Db) -> Result<Option<Clause>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(CLAUSE_SELECT)
        .fetch_optional(c)
        .await)
}

/// Writes the clause (the first time or again), audited with what it said before.
pub async fn save_clause(tx: &mut Tx, actor: &Actor, new: &Clause) -> Result<(), sqlx::Error> {
    let before: Option<Clause> = with_tx!(tx, |c| sqlx::query_as(CLAUSE_SELECT)
        .fetch_optional(c)
        .await)?;
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO rodo_clause (id, controller, dpo_contact, purposes, recipients, \
             transfers, retention, rights, complaint, requirement, automated, updated_at, \
             updated_by) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO UPDATE SET controller = $1, dpo_contact = $2, purposes = $3, \
             recipients = $4, transfers = $5, retention = $6, rights = $7, complaint = $8, \
             requirement = $9, automated = $10, updated_at = $11, updated_by = $12",
        )
        .bind(&new.controller)
        .bind(&new.dpo_contact)
        .bind(&new.purposes)
        .bind(&new.recipients)
        .bind(&new.transfers)
        .bind(&new.retention)
        .bind(&new.rights)
        .bind(&new.complaint)
        .bind(&new.requirement)
        .bind(&new.automated)
        .bind(now)
        .bind(actor.user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let change = match &before {
        Some(before) => Change::updated("rodo_clause", 1, before, new),
        None => Change::created("rodo_clause", 1, new),
    };
    audit::record(tx, actor, change).await?;
    Ok(())
}

/// An entry of the register of processing activities (RODO art. 30 ust. 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ActivityData {
    pub name: String,
    pub purposes: String,
    pub data_subjects: String,
    pub data_categories: String,
    pub recipients: String,
    pub transfers: String,
    pub erasure: String,
    pub security: String,
}

impl ActivityData {
    /// The text of a field.
    pub fn field(&self, field: magistrat_domain::rodo::ActivityField) -> &str {
        use magistrat_domain::rodo::ActivityField::*;
        match field {
            Name => &self.name,
            Purposes => &self.purposes,
            DataSubjects => &self.data_subjects,
            DataCategories => &self.data_categories,
            Recipients => &self.recipients,
            Transfers => &self.transfers,
            Erasure => &self.erasure,
            Security => &self.security,
        }
    }
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    #[sqlx(flatten)]
    pub data: ActivityData,
    pub updated_at: UtcTime,
}

const ACTIVITY_COLUMNS: &str = "id, name, purposes, data_subjects, data_categories, \
     recipients, transfers, erasure, security, updated_at";

/// Every entry, by name.
pub async fn activities(db: &Db) -> Result<Vec<Activity>, sqlx::Error> {
    let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM rodo_activity ORDER BY name, id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await
    })
}

pub async fn activity(db: &Db, id: i64) -> Result<Option<Activity>, sqlx::Error> {
    let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM rodo_activity WHERE id = $1");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

async fn activity_in(tx: &mut Tx, id: i64) -> Result<Option<Activity>, sqlx::Error> {
    let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM rodo_activity WHERE id = $1");
    with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

pub async fn create_activity(
    tx: &mut Tx,
    actor: &Actor,
    data: &ActivityData,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO rodo_activity (name, purposes, data_subjects, data_categories, \
             recipients, transfers, erasure, security, created_at, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
        )
        .bind(&data.name)
        .bind(&data.purposes)
        .bind(&data.data_subjects)
        .bind(&data.data_categories)
        .bind(&data.recipients)
        .bind(&data.transfers)
        .bind(&data.erasure)
        .bind(&data.security)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("rodo_activity", id, data)).await?;
    Ok(id)
}

/// Saves an entry; `None` when there is no such entry.
pub async fn update_activity(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    data: &ActivityData,
) -> Result<Option<()>, sqlx::Error> {
    let Some(before) = activity_in(tx, id).await? else {
        return Ok(None);
    };
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE rodo_activity SET name = $1, purposes = $2, data_subjects = $3, \
             data_categories = $4, recipients = $5, transfers = $6, erasure = $7, \
             security = $8, updated_at = $9, updated_by = $10 WHERE id = $11",
        )
        .bind(&data.name)
        .bind(&data.purposes)
        .bind(&data.data_subjects)
        .bind(&data.data_categories)
        .bind(&data.recipients)
        .bind(&data.transfers)
        .bind(&data.erasure)
        .bind(&data.security)
        .bind(now)
        .bind(actor.user_id)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::updated("rodo_activity", id, &before.data, data),
    )
    .await?;
    Ok(Some(()))
}

/// Deletes an entry (an activity the office no longer carries out); `None` when there
/// is no such entry.
pub async fn delete_activity(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<Option<()>, sqlx::Error> {
    let Some(before) = activity_in(tx, id).await? else {
        return Ok(None);
    };
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM rodo_activity WHERE id = $1")
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::action("delete", "rodo_activity", id).with_before(&before.data),
    )
    .await?;
    Ok(Some(()))
}

// ---------------------------------------------------------------------------------
// Retention

/// What one run of the retention job removed, per kind of record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Resident accounts not signed in to since before the cut-off (with their
    /// sessions and app tokens).
    pub resident_accounts: u64,
    /// Sign-in links expired before the cut-off.
    pub sign_in_links: u64,
    /// Residents' sessions and app tokens expired before the cut-off.
    pub resident_sessions: u64,
    /// Staff sessions expired before the cut-off.
    pub staff_sessions: u64,
    /// Booked visits whose name, e-mail, phone and PESEL were blanked.
    pub bookings_anonymised: u64,
    /// Closed problem reports whose reporter's contact details were blanked.
    pub reports_anonymised: u64,
}

/// The cut-offs of one run: a record is past retention when its anchor is before its
/// cut-off (`magistrat_domain::rodo::first_kept` of the run's day).
#[derive(Clone, Debug)]
pub struct Cutoffs {
    /// The first moment of the first last-sign-in day still kept.
    pub resident_sign_in: UtcTime,
    /// The first moment of the first expiry day still kept (links, sessions, tokens).
    pub token_expiry: UtcTime,
    /// The first visit day (`YYYY-MM-DD`) whose personal data are still kept.
    pub booking_day: String,
    /// The first moment of the first closing day still kept.
    pub report_closed: UtcTime,
}

/// Runs one retention statement whose parameters are the cut-off moments `before`
/// (`$1`, `$2`, …); the rows it touched.
async fn execute_before(
    tx: &mut Tx,
    sql: &'static str,
    before: &[UtcTime],
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| {
        let mut query = sqlx::query(sql);
        for moment in before {
            query = query.bind(*moment);
        }
        query.execute(c).await.map(|r| r.rows_affected())
    })
}

/// Removes what is past retention, in one transaction with its audit event. Nothing of
/// a case file (case_file, case_party, application, incoming and outgoing items, their
/// attachments, letters) is touched: the akta are kept by the archive's rules.
pub async fn enforce(
    tx: &mut Tx,
    actor: &Actor,
    day: jiff::civil::Date,
    cut: &Cutoffs,
) -> Result<Removed, sqlx::Error> {
    let now = tx.now();
    let mut removed = Removed::default();
    // A report keeps its text when its reporter's account goes; it only forgets who.
    let forgotten = "UPDATE problem_report SET resident_id = NULL WHERE resident_id IN \
                     (SELECT id FROM resident WHERE last_sign_in_at < $1)";
    execute_before(tx, forgotten, &[cut.resident_sign_in]).await?;
    let expired_or_gone = [cut.token_expiry, cut.resident_sign_in];
    removed.resident_sessions += execute_before(
        tx,
        "DELETE FROM resident_session WHERE expires_at < $1 OR resident_id IN \
         (SELECT id FROM resident WHERE last_sign_in_at < $2)",
        &expired_or_gone,
    )
    .await?;
    removed.resident_sessions += execute_before(
        tx,
        "DELETE FROM resident_app_token WHERE expires_at < $1 OR resident_id IN \
         (SELECT id FROM resident WHERE last_sign_in_at < $2)",
        &expired_or_gone,
    )
    .await?;
    removed.resident_accounts = execute_before(
        tx,
        "DELETE FROM resident WHERE last_sign_in_at < $1",
        &[cut.resident_sign_in],
    )
    .await?;
    removed.sign_in_links = execute_before(
        tx,
        "DELETE FROM resident_link WHERE expires_at < $1",
        &[cut.token_expiry],
    )
    .await?;
    removed.staff_sessions = execute_before(
        tx,
        "DELETE FROM session WHERE expires_at < $1",
        &[cut.token_expiry],
    )
    .await?;
    removed.bookings_anonymised = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE sp_booking SET name = '', email = '', phone = NULL, pesel = NULL, \
             anonymised_at = $2 WHERE day < $1 AND anonymised_at IS NULL",
        )
        .bind(&cut.booking_day)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    removed.reports_anonymised = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE problem_report SET email = NULL, first_name = NULL, last_name = NULL, \
             phone = NULL, device_id = NULL, account_id = NULL, resident_id = NULL, \
             anonymised_at = $2 WHERE status = 'closed' AND updated_at < $1 \
             AND anonymised_at IS NULL",
        )
        .bind(cut.report_closed)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::action("enforce", "rodo_retention", day).with_after(&removed),
    )
    .await?;
    Ok(removed)
}
