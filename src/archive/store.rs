//! SQL of the archive: the spis spraw with its sender columns, the yearly closing of a
//! unit's spis spraw, transfers of closed files (teczki) to the archiwum zakładowe, the
//! files kept there, the state archive's consents and the destructions. Every write is
//! checked by the rules of `magistrat_domain::archive` inside its transaction and
//! audited there; a refusal leaves nothing written (the caller drops the transaction).

use jiff::civil::Date;
use magistrat_domain::archive::{self, FileState, Retention};
use magistrat_domain::jrwa::ArchivalCategory;
use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

pub(crate) type SqlDate = jiff_sqlx::Date;

fn sql_date(d: Date) -> SqlDate {
    SqlDate::from(d)
}

/// Why the archive refused or failed. The web layer maps it (`web::error`).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Refused by the rules (the Fluent id of the message says why).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

// ---------------------------------------------------------------------------------
// The spis spraw

/// One line of the spis spraw in the columns of the instrukcja kancelaryjna.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SpisLine {
    pub id: i64,
    pub number: i32,
    pub znak: String,
    pub title: String,
    /// Od kogo wpłynęła: the sender, their letter's znak and date.
    pub party_name: String,
    pub sender_reference: Option<String>,
    pub sender_dated_on: Option<SqlDate>,
    /// Data wszczęcia sprawy.
    pub received_on: SqlDate,
    /// Data ostatecznego załatwienia.
    pub settled_on: Option<SqlDate>,
    pub status: String,
    pub outcome: String,
    pub forwarded_to: String,
}

/// A page of the spis spraw of (unit, class, year), by number. The sender's letter is the
/// item the case was registered from, or else the first item linked to it.
#[tracing::instrument(level = "debug", skip_all, fields(unit_id, year))]
pub async fn spis_spraw(
    db: &Db,
    unit_id: i64,
    symbol: &str,
    year: i32,
    limit: i64,
    offset: i64,
) -> Result<Vec<SpisLine>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.id, c.number, c.znak, c.title, c.party_name, i.sender_reference, \
             i.sender_dated_on, c.received_on, c.settled_on, c.status, c.outcome, c.forwarded_to \
             FROM case_file c LEFT JOIN incoming_item i ON i.id = COALESCE(c.correspondence_id, \
               (SELECT MIN(x.id) FROM incoming_item x WHERE x.case_id = c.id)) \
             WHERE c.unit_id = $1 AND c.jrwa_symbol = $2 AND c.year = $3 \
             ORDER BY c.number LIMIT $4 OFFSET $5",
        )
        .bind(unit_id)
        .bind(symbol)
        .bind(year)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await
    })
}

// ---------------------------------------------------------------------------------
// Closing a year

/// A year of a unit's spis spraw: its cases, the open ones, and its closing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RegisterYear {
    pub year: i32,
    pub cases: i64,
    pub open_cases: i64,
    pub closed_at: Option<UtcTime>,
}

/// The years of a unit's spis spraw (the years that hold cases, and closed ones),
/// latest first.
pub async fn register_years(db: &Db, unit_id: i64) -> Result<Vec<RegisterYear>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT y.year, \
               (SELECT COUNT(*) FROM case_file f WHERE f.unit_id = $1 AND f.year = y.year) AS cases, \
               (SELECT COUNT(*) FROM case_file f WHERE f.unit_id = $1 AND f.year = y.year \
                  AND f.status IN ('registered', 'assigned', 'in_progress', 'suspended')) AS open_cases, \
               (SELECT r.closed_at FROM register_closing r WHERE r.unit_id = $1 AND r.year = y.year) AS closed_at \
             FROM (SELECT DISTINCT year FROM case_file WHERE unit_id = $1 \
                   UNION SELECT year FROM register_closing WHERE unit_id = $1) y \
             ORDER BY y.year DESC",
        )
        .bind(unit_id)
        .fetch_all(c)
        .await
    })
}

async fn year_closed_in(tx: &mut Tx, unit_id: i64, year: i32) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM register_closing WHERE unit_id = $1 AND year = $2")
            .bind(unit_id)
            .bind(year)
            .fetch_one(c)
            .await
    })?;
    Ok(n > 0)
}

/// Whether the unit's spis spraw of `year` is closed (read in the caller's transaction:
/// registering a case checks it there).
pub async fn is_year_closed(tx: &mut Tx, unit_id: i64, year: i32) -> Result<bool, sqlx::Error> {
    year_closed_in(tx, unit_id, year).await
}

/// Closes the unit's spis spraw of `year`: from now on no case is registered in that
/// year. Cases still open go on under their znak and are counted in the record.
#[tracing::instrument(level = "debug", skip_all, fields(unit_id, year))]
pub async fn close_year(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    year: i32,
    today: Date,
) -> Result<(), ArchiveError> {
    let year16 = i16::try_from(year).map_err(|_| ArchiveError::Refused("archive-year-invalid"))?;
    archive::check_closing(year16, today).map_err(|e| ArchiveError::Refused(e.message_id()))?;
    // The audit head first: the lock order of every audited writer.
    audit::lock_head(tx).await?;
    if year_closed_in(tx, unit_id, year).await? {
        return Err(ArchiveError::Refused("archive-close-already"));
    }
    let (cases, open_cases): (i64, i64) = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT COUNT(*), COUNT(CASE WHEN status IN ('registered', 'assigned', 'in_progress', 'suspended') THEN 1 END) \
             FROM case_file WHERE unit_id = $1 AND year = $2",
        )
        .bind(unit_id)
        .bind(year)
        .fetch_one(c)
        .await
    })?;
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO register_closing (unit_id, year, cases, open_cases, closed_at, closed_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(unit_id)
        .bind(year)
        .bind(i32::try_from(cases).unwrap_or(i32::MAX))
        .bind(i32::try_from(open_cases).unwrap_or(i32::MAX))
        .bind(now)
        .bind(actor.user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let after = serde_json::json!({
        "unit_id": unit_id, "year": year, "cases": cases, "open_cases": open_cases,
    });
    audit::record(
        tx,
        actor,
        Change::action("close", "register_year", format!("{unit_id}/{year}")).with_after(&after),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Files (teczki) and their transfer

/// A file of a unit: the cases of one JRWA class and year, with what the archive needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UnitFile {
    pub jrwa_symbol: String,
    pub year: i32,
    pub title: Option<String>,
    pub category: Option<String>,
    pub category_other: Option<String>,
    pub cases: i64,
    pub open_cases: i64,
    pub first_on: Option<SqlDate>,
    pub last_on: Option<SqlDate>,
    pub last_settled: Option<SqlDate>,
    pub year_closed: i64,
    pub archived: i64,
}

impl UnitFile {
    pub fn state(&self) -> FileState {
        FileState {
            year_closed: self.year_closed > 0,
            cases: u32::try_from(self.cases).unwrap_or(u32::MAX),
            open_cases: u32::try_from(self.open_cases).unwrap_or(u32::MAX),
        }
    }

    /// Whether the archive may take it now.
    pub fn transferable(&self) -> bool {
        self.archived == 0 && archive::check_transfer(self.state()).is_ok()
    }
}

/// A file's cases counted as open unless closed, transferred or forwarded: only files
/// whose every case is finished go to the archive (a settled case may still see an
/// appeal; it is closed once nothing follows).
const FILE_SELECT: &str = "SELECT f.jrwa_symbol, f.year, j.title, j.category, j.category_other, \
    COUNT(*) AS cases, \
    COUNT(CASE WHEN f.status NOT IN ('closed', 'transferred', 'forwarded') THEN 1 END) AS open_cases, \
    MIN(f.received_on) AS first_on, \
    MAX(COALESCE(f.settled_on, f.received_on)) AS last_on, \
    MAX(f.settled_on) AS last_settled, \
    (SELECT COUNT(*) FROM register_closing r WHERE r.unit_id = f.unit_id AND r.year = f.year) AS year_closed, \
    (SELECT COUNT(*) FROM archive_file a WHERE a.unit_id = f.unit_id AND a.jrwa_symbol = f.jrwa_symbol AND a.year = f.year) AS archived \
    FROM case_file f LEFT JOIN jrwa_class j ON j.year = f.year AND j.symbol = f.jrwa_symbol \
    WHERE f.unit_id = $1";

/// The unit's files, oldest year first.
pub async fn unit_files(db: &Db, unit_id: i64) -> Result<Vec<UnitFile>, sqlx::Error> {
    let sql = format!(
        "{FILE_SELECT} GROUP BY f.unit_id, f.jrwa_symbol, f.year, j.title, j.category, j.category_other \
         ORDER BY f.year, f.jrwa_symbol"
    );
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(unit_id)
            .fetch_all(c)
            .await
    })
}

async fn unit_file(
    tx: &mut Tx,
    unit_id: i64,
    symbol: &str,
    year: i32,
) -> Result<Option<UnitFile>, sqlx::Error> {
    let sql = format!(
        "{FILE_SELECT} AND f.jrwa_symbol = $2 AND f.year = $3 \
         GROUP BY f.unit_id, f.jrwa_symbol, f.year, j.title, j.category, j.category_other"
    );
    with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(unit_id)
            .bind(symbol)
            .bind(year)
            .fetch_optional(c)
            .await
    })
}

/// One file picked for a transfer: its class, year, and whether the unit is the
/// class's leading unit (komórka macierzysta), which decides its category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub jrwa_symbol: String,
    pub year: i32,
    pub leading_unit: bool,
}

/// A line of a spis zdawczo-odbiorczy as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ArchiveFile {
    pub id: i64,
    pub transfer_id: i64,
    pub position: i32,
    pub unit_id: i64,
    pub jrwa_symbol: String,
    pub year: i32,
    pub znak: String,
    pub title: String,
    pub first_on: SqlDate,
    pub last_on: SqlDate,
    pub cases: i32,
    pub leading_unit: bool,
    pub category: String,
    pub closed_year: i32,
    pub destroy_from: Option<SqlDate>,
    pub consent_id: Option<i64>,
    pub destroyed_on: Option<SqlDate>,
}

const ARCHIVE_FILE_COLUMNS: &str = "id, transfer_id, position, unit_id, jrwa_symbol, year, znak, \
    title, first_on, last_on, cases, leading_unit, category, closed_year, destroy_from, consent_id, \
    destroyed_on";

/// Transfers the picked files of a unit to the archiwum zakładowe as one spis
/// zdawczo-odbiorczy. Every file must be closed (its year's spis spraw closed, every
/// case finished) and not transferred before; one refusal refuses the whole transfer.
#[tracing::instrument(level = "debug", skip_all, fields(unit_id))]
pub async fn transfer(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    unit_symbol: &str,
    picks: &[Pick],
    today: Date,
) -> Result<i64, ArchiveError> {
    if picks.is_empty() {
        return Err(ArchiveError::Refused("archive-transfer-none"));
    }
    audit::lock_head(tx).await?;
    let mut lines = Vec::with_capacity(picks.len());
    for pick in picks {
        let file = unit_file(tx, unit_id, &pick.jrwa_symbol, pick.year)
            .await?
            .ok_or(ArchiveError::Refused("archive-transfer-empty"))?;
        if file.archived > 0 {
            return Err(ArchiveError::Refused("archive-transfer-already"));
        }
        archive::check_transfer(file.state()).map_err(|e| ArchiveError::Refused(e.message_id()))?;
        lines.push(line_of(unit_symbol, pick, &file)?);
    }
    let year = i32::from(today.year());
    let number: i32 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM archive_transfer WHERE year = $1",
        )
        .bind(year)
        .fetch_one(c)
        .await
    })?;
    let now = tx.now();
    let transfer_id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO archive_transfer (unit_id, year, number, transferred_on, transferred_at, transferred_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(unit_id)
        .bind(year)
        .bind(number)
        .bind(sql_date(today))
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    for (position, line) in lines.iter().enumerate() {
        insert_line(tx, transfer_id, unit_id, position + 1, line).await?;
    }
    let after = serde_json::json!({
        "unit_id": unit_id, "year": year, "number": number, "files": lines,
    });
    audit::record(
        tx,
        actor,
        Change::created("archive_transfer", transfer_id, &after),
    )
    .await?;
    Ok(transfer_id)
}

/// What a file's line of the spis says, computed when it is transferred.
#[derive(Clone, Debug, Serialize)]
struct Line {
    jrwa_symbol: String,
    year: i32,
    znak: String,
    title: String,
    first_on: Date,
    last_on: Date,
    cases: i64,
    leading_unit: bool,
    category: ArchivalCategory,
    closed_year: i16,
    destroy_from: Option<Date>,
}

fn line_of(unit_symbol: &str, pick: &Pick, file: &UnitFile) -> Result<Line, ArchiveError> {
    let category = if pick.leading_unit {
        file.category.as_deref()
    } else {
        file.category_other.as_deref().or(file.category.as_deref())
    };
    // A file whose class has no category in its year's JRWA cannot be qualified.
    let category = category
        .and_then(|c| ArchivalCategory::parse(c).ok())
        .ok_or(ArchiveError::Refused("archive-transfer-no-category"))?;
    let file_year =
        i16::try_from(file.year).map_err(|_| ArchiveError::Refused("archive-year-invalid"))?;
    let closed_year = archive::closed_year(file_year, file.last_settled.map(|d| d.to_jiff()));
    let destroy_from = match archive::retention(category, closed_year) {
        Some(Retention::Forever) => None,
        Some(Retention::From(d)) => Some(d),
        None => return Err(ArchiveError::Refused("archive-year-invalid")),
    };
    let first_on = file
        .first_on
        .map(|d| d.to_jiff())
        .ok_or(ArchiveError::Refused("archive-transfer-empty"))?;
    let last_on = file.last_on.map_or(first_on, |d| d.to_jiff());
    Ok(Line {
        jrwa_symbol: pick.jrwa_symbol.clone(),
        year: file.year,
        // Znak teczki: the unit's symbol and the class (instrukcja kancelaryjna).
        znak: format!("{unit_symbol}.{}", pick.jrwa_symbol),
        title: file.title.clone().unwrap_or_default(),
        first_on,
        last_on,
        cases: file.cases,
        leading_unit: pick.leading_unit,
        category,
        closed_year,
        destroy_from,
    })
}

async fn insert_line(
    tx: &mut Tx,
    transfer_id: i64,
    unit_id: i64,
    position: usize,
    line: &Line,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO archive_file (transfer_id, position, unit_id, jrwa_symbol, year, znak, title, \
             first_on, last_on, cases, leading_unit, category, closed_year, destroy_from) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(transfer_id)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(unit_id)
        .bind(&line.jrwa_symbol)
        .bind(line.year)
        .bind(&line.znak)
        .bind(&line.title)
        .bind(sql_date(line.first_on))
        .bind(sql_date(line.last_on))
        .bind(i32::try_from(line.cases).unwrap_or(i32::MAX))
        .bind(line.leading_unit)
        .bind(line.category.to_string())
        .bind(i32::from(line.closed_year))
        .bind(line.destroy_from.map(sql_date))
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A spis zdawczo-odbiorczy's head.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Transfer {
    pub id: i64,
    pub unit_id: i64,
    pub unit_symbol: String,
    pub unit_name: String,
    pub year: i32,
    pub number: i32,
    pub transferred_on: SqlDate,
    pub transferred_by_name: String,
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.unit_id, u.symbol AS unit_symbol, u.name AS unit_name, \
    t.year, t.number, t.transferred_on, COALESCE(p.display_name, '') AS transferred_by_name \
    FROM archive_transfer t JOIN org_unit u ON u.id = t.unit_id \
    LEFT JOIN app_user p ON p.id = t.transferred_by";

/// Transfers of these units (`None`: all), newest first.
pub async fn transfers(db: &Db, units: Option<&[i64]>) -> Result<Vec<Transfer>, sqlx::Error> {
    let all: Vec<Transfer> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRANSFER_SELECT} ORDER BY t.year DESC, t.number DESC"
        )))
        .fetch_all(c)
        .await
    })?;
    Ok(all
        .into_iter()
        .filter(|t| units.is_none_or(|u| u.contains(&t.unit_id)))
        .collect())
}

/// One spis zdawczo-odbiorczy with its lines.
pub async fn transfer_by_id(
    db: &Db,
    id: i64,
) -> Result<Option<(Transfer, Vec<ArchiveFile>)>, sqlx::Error> {
    let head: Option<Transfer> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{TRANSFER_SELECT} WHERE t.id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await
    })?;
    let Some(head) = head else {
        return Ok(None);
    };
    let lines = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ARCHIVE_FILE_COLUMNS} FROM archive_file WHERE transfer_id = $1 ORDER BY position"
        )))
        .bind(id)
        .fetch_all(c)
        .await
    })?;
    Ok(Some((head, lines)))
}

/// Every file in the archive, by year and znak.
pub async fn archive_files(db: &Db) -> Result<Vec<ArchiveFile>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ARCHIVE_FILE_COLUMNS} FROM archive_file ORDER BY year, znak, id"
        )))
        .fetch_all(c)
        .await
    })
}

// ---------------------------------------------------------------------------------
// Destruction: the state archive's consent first

/// A consent of the state archive to destroy the listed files.
#[derive(Clone, Debug, Serialize)]
pub struct NewConsent {
    pub archive_name: String,
    pub reference: String,
    pub granted_on: Date,
    pub file_ids: Vec<i64>,
}

/// A consent as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Consent {
    pub id: i64,
    pub archive_name: String,
    pub reference: String,
    pub granted_on: SqlDate,
}

pub async fn consents(db: &Db) -> Result<Vec<Consent>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, archive_name, reference, granted_on FROM archive_consent ORDER BY id DESC",
        )
        .fetch_all(c)
        .await
    })
}

async fn file_in(tx: &mut Tx, id: i64) -> Result<Option<ArchiveFile>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ARCHIVE_FILE_COLUMNS} FROM archive_file WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

/// Records the state archive's consent for files due for destruction. Each file must be
/// due by its retention (never category A) and have no consent yet.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_consent(
    tx: &mut Tx,
    actor: &Actor,
    consent: &NewConsent,
    today: Date,
) -> Result<i64, ArchiveError> {
    if consent.file_ids.is_empty() {
        return Err(ArchiveError::Refused("archive-consent-no-files"));
    }
    if consent.granted_on > today {
        return Err(ArchiveError::Refused("archive-date-future"));
    }
    audit::lock_head(tx).await?;
    for id in &consent.file_ids {
        let file = file_in(tx, *id).await?.ok_or(ArchiveError::NotFound)?;
        let due = file.destroy_from.is_some_and(|d| d.to_jiff() <= today);
        if !due {
            return Err(ArchiveError::Refused("archive-consent-not-due"));
        }
        if file.consent_id.is_some() || file.destroyed_on.is_some() {
            return Err(ArchiveError::Refused("archive-consent-already"));
        }
    }
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO archive_consent (archive_name, reference, granted_on, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&consent.archive_name)
        .bind(&consent.reference)
        .bind(sql_date(consent.granted_on))
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    for file in &consent.file_ids {
        with_tx!(tx, |c| {
            sqlx::query("UPDATE archive_file SET consent_id = $1 WHERE id = $2")
                .bind(id)
                .bind(*file)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
    }
    audit::record(tx, actor, Change::created("archive_consent", id, consent)).await?;
    Ok(id)
}

/// Marks a file destroyed on `on`: only with the state archive's consent, not before the
/// consent's date, not in the future, once.
#[tracing::instrument(level = "debug", skip_all, fields(file_id))]
pub async fn record_destroyed(
    tx: &mut Tx,
    actor: &Actor,
    file_id: i64,
    on: Date,
    today: Date,
) -> Result<(), ArchiveError> {
    audit::lock_head(tx).await?;
    let file = file_in(tx, file_id).await?.ok_or(ArchiveError::NotFound)?;
    if file.destroyed_on.is_some() {
        return Err(ArchiveError::Refused("archive-destroy-already"));
    }
    let Some(consent_id) = file.consent_id else {
        return Err(ArchiveError::Refused("archive-destroy-no-consent"));
    };
    let granted_on: SqlDate = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT granted_on FROM archive_consent WHERE id = $1")
            .bind(consent_id)
            .fetch_one(c)
            .await
    })?;
    if on > today {
        return Err(ArchiveError::Refused("archive-date-future"));
    }
    if on < granted_on.to_jiff() {
        return Err(ArchiveError::Refused("archive-destroy-before-consent"));
    }
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE archive_file SET destroyed_on = $1 WHERE id = $2 AND destroyed_on IS NULL",
        )
        .bind(sql_date(on))
        .bind(file_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::action("destroy", "archive_file", file_id).with_after(&serde_json::json!({
            "znak": file.znak, "year": file.year, "consent_id": consent_id, "destroyed_on": on.to_string(),
        })),
    )
    .await?;
    Ok(())
}
