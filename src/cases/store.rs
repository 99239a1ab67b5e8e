//! Storage of the JRWA, the case register, the history and the deadline records. Every
//! write is audited in the caller's transaction.

use jiff::civil::Date;
use magistrat_domain::case_number::{CaseNumber, Initials, JrwaClass, UnitSymbol};
use magistrat_domain::deadline::{CaseKind, DateRange, DelayNotice, effective_due_date};
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::jrwa::JrwaEntry;
use super::workflow::Status;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Backend, Db, Pool, Tx, TxConn, UtcTime};
use crate::platform::events;
use crate::service_cards::rules::fold;
use crate::web::error::AppError;
use crate::{with_db, with_tx};

type SqlDate = jiff_sqlx::Date;

fn sql_date(d: Date) -> SqlDate {
    SqlDate::from(d)
}

// =======================================================================================
// JRWA
// =======================================================================================

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JrwaClassRow {
    pub symbol: String,
    pub title: String,
    pub category: Option<String>,
}

impl JrwaClassRow {
    pub fn is_leaf(&self) -> bool {
        self.symbol.len() == super::jrwa::LEAF_DIGITS
    }
}

/// The wykaz of `year`, in symbol order (which is tree order for decimal symbols).
pub async fn jrwa_classes(db: &Db, year: i32) -> Result<Vec<JrwaClassRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT symbol, title, category FROM jrwa_class WHERE year = $1 ORDER BY symbol",
        )
        .bind(year)
        .fetch_all(c)
        .await
    })
}

/// The years that have a wykaz, latest first.
pub async fn jrwa_years(db: &Db) -> Result<Vec<i32>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT DISTINCT year FROM jrwa_class ORDER BY year DESC")
            .fetch_all(c)
            .await
    })
}

/// Replaces the wykaz of `year` with `entries` (the caller parsed the whole file
/// first). Classes already holding cases must stay: the new wykaz has to keep them as
/// leaves, or the import is refused (`Err(symbols)`).
pub async fn import_jrwa(
    tx: &mut Tx,
    actor: &Actor,
    year: i32,
    entries: &[JrwaEntry],
) -> Result<Result<usize, Vec<String>>, sqlx::Error> {
    let used: Vec<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT DISTINCT jrwa_symbol FROM case_file WHERE year = $1")
            .bind(year)
            .fetch_all(c)
            .await
    })?;
    let missing: Vec<String> = used
        .into_iter()
        .filter(|s| !entries.iter().any(|e| &e.symbol == s && e.is_leaf()))
        .collect();
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let before: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM jrwa_class WHERE year = $1")
            .bind(year)
            .fetch_one(c)
            .await
    })?;
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM jrwa_class WHERE year = $1")
            .bind(year)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    for chunk in entries.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO jrwa_class (year, symbol, title, category, parent_symbol) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        with_tx!(tx, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for e in chunk {
                q = q
                    .bind(year)
                    .bind(e.symbol.clone())
                    .bind(e.title.clone())
                    .bind(e.category.map(|c| c.to_string()))
                    .bind(e.parent().map(str::to_owned));
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let summary = serde_json::json!({
        "year": year,
        "classes": entries.len(),
        "replaced": before,
    });
    audit::record(
        tx,
        actor,
        Change::action("import", "jrwa", year).with_after(&summary),
    )
    .await?;
    Ok(Ok(entries.len()))
}

/// Whether `symbol` is a leaf class of the wykaz of `year`.
pub async fn is_leaf_class(db: &Db, year: i32, symbol: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM jrwa_class WHERE year = $1 AND symbol = $2 AND category IS NOT NULL",
        )
        .bind(year)
        .bind(symbol)
        .fetch_one(c)
        .await
    })?;
    Ok(n > 0)
}

// =======================================================================================
// Registering
// =======================================================================================

/// How a case came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Paper,
    InPerson,
    Email,
    Epuap,
    EDelivery,
    EService,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Paper,
        Channel::InPerson,
        Channel::Email,
        Channel::Epuap,
        Channel::EDelivery,
        Channel::EService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Paper => "paper",
            Channel::InPerson => "in_person",
            Channel::Email => "email",
            Channel::Epuap => "epuap",
            Channel::EDelivery => "e_delivery",
            Channel::EService => "e_service",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A case to register (the e-services capability registers its applications through
/// [`register_case`] with this).
#[derive(Clone, Debug, Serialize)]
pub struct NewCase {
    pub unit_id: i64,
    pub jrwa_symbol: String,
    pub kind: CaseKind,
    pub title: String,
    pub party_name: String,
    pub party_address: String,
    pub party_email: String,
    /// The petitioner agreed to their name being published (ustawa o petycjach art. 8).
    pub publish_consent: bool,
    /// Date of receipt: the term starts with it (KPA art. 61 § 3).
    pub received_on: Date,
    pub channel: Channel,
    pub correspondence_id: Option<i64>,
    /// The official to handle it from the start; their initials end the znak.
    pub official_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisteredCase {
    pub id: i64,
    pub znak: String,
    pub tracking_code: String,
    pub due_date: Date,
}

/// Alphabet of tracking codes: Crockford's base32 (no I, L, O, U: nothing to misread).
const TRACKING_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A random, unguessable code for following a case from outside: 12 characters of
/// base32 (60 bits), grouped `XXXX-XXXX-XXXX`.
pub fn new_tracking_code() -> String {
    let mut bytes = [0_u8; 12];
    // Without an entropy source a code would be guessable: stop rather than go on.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system provides no randomness");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(TRACKING_ALPHABET[usize::from(*b & 31)]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A tracking code as typed by a person, in its stored form; `None` if it cannot be
/// one. Case, spaces and hyphens do not matter; O reads as 0 and I, L as 1.
pub fn normalize_tracking_code(input: &str) -> Option<String> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if chars.len() != 12
        || !chars
            .iter()
            .all(|c| TRACKING_ALPHABET.contains(&(*c as u8)))
    {
        return None;
    }
    Some(
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-"),
    )
}

async fn display_name(tx: &mut Tx, actor: &Actor) -> Result<String, sqlx::Error> {
    let Some(id) = actor.user_id else {
        return Ok(actor.login.clone());
    };
    let name: Option<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT display_name FROM app_user WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await
    })?;
    Ok(name.unwrap_or_else(|| actor.login.clone()))
}

async fn initials_of(tx: &mut Tx, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT initials FROM employee WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(c)
            .await
    })
}

/// Registers a case in its unit's spis spraw for the class and the year of receipt:
/// takes the next number (never repeated, never skipped: the counter row is bumped in
/// this transaction, docs/decisions/0007), builds the znak, computes the statutory due
/// date, records the history and the audit event. The caller commits.
pub async fn register_case(
    tx: &mut Tx,
    actor: &Actor,
    new: NewCase,
) -> Result<RegisteredCase, AppError> {
    let year = i32::from(new.received_on.year());
    let unit_symbol: Option<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT symbol FROM org_unit WHERE id = $1")
            .bind(new.unit_id)
            .fetch_optional(c)
            .await
    })?;
    let unit_symbol = unit_symbol.ok_or(AppError::BadRequest("case-unit-unknown"))?;
    let leaf: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM jrwa_class WHERE year = $1 AND symbol = $2 AND category IS NOT NULL",
        )
        .bind(year)
        .bind(&new.jrwa_symbol)
        .fetch_one(c)
        .await
    })?;
    if leaf == 0 {
        return Err(AppError::BadRequest("case-jrwa-not-leaf"));
    }
    let initials = match new.official_id {
        Some(id) => initials_of(tx, id).await?,
        None => None,
    };
    // The audit head before the counter: the lock order of every audited writer
    // (an e-service filing holds the head from its incoming item when it gets here).
    audit::lock_head(tx).await?;
    let number: i32 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_counter (unit_id, jrwa_symbol, year, last_number) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (unit_id, jrwa_symbol, year) \
             DO UPDATE SET last_number = case_counter.last_number + 1 RETURNING last_number",
        )
        .bind(new.unit_id)
        .bind(&new.jrwa_symbol)
        .bind(year)
        .fetch_one(c)
        .await
    })?;
    let znak = build_znak(
        &unit_symbol,
        &new.jrwa_symbol,
        number,
        year,
        initials.as_deref(),
    )
    .ok_or(AppError::BadRequest("case-znak-invalid"))?;
    let due = new
        .kind
        .due_date(new.received_on, &[])
        .map_err(|_| AppError::BadRequest("case-date-out-of-range"))?;
    let status = if new.official_id.is_some() {
        Status::Assigned
    } else {
        Status::Registered
    };
    let tracking_code = new_tracking_code();
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_file (unit_id, jrwa_symbol, year, number, znak, kind, title, \
             party_name, party_address, party_email, publish_consent, channel, correspondence_id, \
             official_id, status, received_on, statutory_due_on, due_on, tracking_code, \
             registered_at, registered_by, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(&new.jrwa_symbol)
        .bind(year)
        .bind(number)
        .bind(&znak)
        .bind(new.kind.as_str())
        .bind(&new.title)
        .bind(&new.party_name)
        .bind(&new.party_address)
        .bind(&new.party_email)
        .bind(new.publish_consent)
        .bind(new.channel.as_str())
        .bind(new.correspondence_id)
        .bind(new.official_id)
        .bind(status.as_str())
        .bind(sql_date(new.received_on))
        .bind(sql_date(due))
        .bind(&tracking_code)
        .bind(now)
        .bind(actor.user_id)
        .bind(search_text(&znak, &new.title, &new.party_name))
        .fetch_one(c)
        .await
    })?;
    let who = display_name(tx, actor).await?;
    add_event(tx, id, actor, &who, "register", Status::Registered, "").await?;
    if status == Status::Assigned {
        add_event(tx, id, actor, &who, "assign", Status::Assigned, "").await?;
    }
    let after = serde_json::json!({
        "znak": znak,
        "case": new,
        "due_on": due.to_string(),
        "status": status.as_str(),
    });
    audit::record(tx, actor, Change::created("case_file", id, &after)).await?;
    Ok(RegisteredCase {
        id,
        znak,
        tracking_code,
        due_date: due,
    })
}

/// `UNIT[-SUBUNIT].CLASS.NO.YEAR[.INITIALS]` through the domain's checked type.
pub fn build_znak(
    unit: &str,
    class: &str,
    number: i32,
    year: i32,
    initials: Option<&str>,
) -> Option<String> {
    let mut cn = CaseNumber::new(
        UnitSymbol::parse(unit).ok()?,
        JrwaClass::parse(class).ok()?,
        u32::try_from(number).ok()?,
        i16::try_from(year).ok()?,
    )
    .ok()?;
    if let Some(ini) = initials.and_then(|i| Initials::parse(i).ok()) {
        cn = cn.with_initials(ini);
    }
    Some(cn.to_string())
}

async fn add_event(
    tx: &mut Tx,
    case_id: i64,
    actor: &Actor,
    who: &str,
    action: &str,
    status: Status,
    note: &str,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO case_event (case_id, occurred_at, actor_id, actor_name, action, status, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case_id)
        .bind(now)
        .bind(actor.user_id)
        .bind(who)
        .bind(action)
        .bind(status.as_str())
        .bind(note)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

// =======================================================================================
// Reading a case
// =======================================================================================

const CASE_COLUMNS: &str = "c.id, c.unit_id, c.jrwa_symbol, c.year, c.number, c.znak, c.kind, \
    c.title, c.party_name, c.party_address, c.party_email, c.publish_consent, c.channel, \
    c.correspondence_id, c.official_id, c.status, c.received_on, c.statutory_due_on, c.due_on, \
    c.tracking_code, c.registered_at, c.settled_on, c.outcome, c.closed_at, \
    c.transferred_to_id, c.transferred_from_id, c.forwarded_to, u.symbol AS unit_symbol, \
    u.name AS unit_name, COALESCE(o.display_name, '') AS official_name";

const CASE_FROM: &str = "FROM case_file c JOIN org_unit u ON u.id = c.unit_id \
    LEFT JOIN app_user o ON o.id = c.official_id";

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseFile {
    pub id: i64,
    pub unit_id: i64,
    pub jrwa_symbol: String,
    pub year: i32,
    pub number: i32,
    pub znak: String,
    pub kind: String,
    pub title: String,
    pub party_name: String,
    pub party_address: String,
    pub party_email: String,
    pub publish_consent: bool,
    pub channel: String,
    pub correspondence_id: Option<i64>,
    pub official_id: Option<i64>,
    pub status: String,
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
    pub unit_symbol: String,
    pub unit_name: String,
    pub official_name: String,
}

impl CaseFile {
    pub fn status(&self) -> Status {
        self.status.parse().unwrap_or(Status::Registered)
    }

    pub fn kind(&self) -> CaseKind {
        self.kind.parse().unwrap_or(CaseKind::AdministrativeSimple)
    }

    pub fn received(&self) -> Date {
        self.received_on.to_jiff()
    }

    pub fn due(&self) -> Date {
        self.due_on.to_jiff()
    }
}

pub async fn case_by_id(db: &Db, id: i64) -> Result<Option<CaseFile>, sqlx::Error> {
    let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE c.id = $1");
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

async fn case_in_tx(tx: &mut Tx, id: i64) -> Result<Option<CaseFile>, sqlx::Error> {
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
    pub status: String,
    pub note: String,
}

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

/// The znak of a case, for links between a transferred case and its successor.
pub async fn znak_of(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT znak FROM case_file WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

// =======================================================================================
// Workflow steps
// =======================================================================================

/// A step with its data, validated by the caller (pages.rs parses the forms).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Assign {
        official_id: i64,
    },
    Start,
    Suspend {
        on: Date,
        reason: String,
    },
    Resume {
        on: Date,
    },
    Settle {
        on: Date,
        outcome: String,
    },
    Close,
    Transfer {
        unit_id: i64,
        note: String,
    },
    Forward {
        body: String,
        note: String,
    },
    /// KPA art. 36 / UDIP art. 13 ust. 2: a new date with the reasons; no status change.
    DelayNotice {
        issued_on: Date,
        new_due: Date,
        reason: String,
    },
    /// KPA art. 35 § 5: a delay caused by the party, not counted in the term.
    PartyDelay {
        from: Date,
        to: Date,
        reason: String,
    },
}

impl Step {
    pub fn action(&self) -> &'static str {
        match self {
            Step::Assign { .. } => "assign",
            Step::Start => "start",
            Step::Suspend { .. } => "suspend",
            Step::Resume { .. } => "resume",
            Step::Settle { .. } => "settle",
            Step::Close => "close",
            Step::Transfer { .. } => "transfer",
            Step::Forward { .. } => "forward",
            Step::DelayNotice { .. } => "delay_notice",
            Step::PartyDelay { .. } => "party_delay",
        }
    }

    /// The workflow action, for steps that move the status.
    pub fn workflow_action(&self) -> Option<super::workflow::Action> {
        self.action().parse().ok()
    }

    fn note(&self) -> String {
        match self {
            Step::Suspend { on, reason } => format!("{on}: {reason}"),
            Step::Resume { on } => on.to_string(),
            Step::Settle { on, outcome } => format!("{on}: {outcome}"),
            Step::Transfer { note, .. } => note.clone(),
            Step::Forward { body, note } if note.is_empty() => body.clone(),
            Step::Forward { body, note } => format!("{body}: {note}"),
            Step::DelayNotice {
                new_due, reason, ..
            } => format!("{new_due}: {reason}"),
            Step::PartyDelay { from, to, reason } => format!("{from}–{to}: {reason}"),
            _ => String::new(),
        }
    }
}

/// What a step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Done,
    /// Transferred: the case registered anew in the target unit.
    Transferred(RegisteredCase),
    /// The case changed meanwhile (another official acted first).
    Conflict,
}

/// Applies one step to a case in one transaction, audited, with a history row. The
/// status change is conditional on the status read, so two officials acting at once
/// cannot both move it.
pub async fn apply_step(
    tx: &mut Tx,
    actor: &Actor,
    case_id: i64,
    step: Step,
) -> Result<StepOutcome, AppError> {
    // The audit head first: the triggers on case_file (migration 0008) lock the open
    // case tally, which a registering writer locks after the head (one lock order).
    audit::lock_head(tx).await?;
    let Some(case) = case_in_tx(tx, case_id).await? else {
        return Err(AppError::NotFound);
    };
    let from = case.status();
    let to = match step.workflow_action() {
        Some(action) => match super::workflow::next(from, action) {
            Some(to) => to,
            None => return Ok(StepOutcome::Conflict),
        },
        None if from.is_open() => from,
        None => return Ok(StepOutcome::Conflict),
    };
    let moved: u64 = with_tx!(tx, |c| {
        sqlx::query("UPDATE case_file SET status = $1 WHERE id = $2 AND status = $3")
            .bind(to.as_str())
            .bind(case_id)
            .bind(from.as_str())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    if moved == 0 {
        return Ok(StepOutcome::Conflict);
    }
    let mut outcome = StepOutcome::Done;
    match &step {
        Step::Assign { official_id } => {
            with_tx!(tx, |c| {
                sqlx::query("UPDATE case_file SET official_id = $1 WHERE id = $2")
                    .bind(official_id)
                    .bind(case_id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
        }
        Step::Suspend { on, reason } => {
            add_period(tx, case_id, "suspension", *on, None, reason).await?;
        }
        Step::Resume { on } => {
            // The suspension lasted until the day before the resumption.
            let end = on.yesterday().unwrap_or(*on);
            with_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE case_period SET end_on = CASE WHEN start_on > $1 THEN start_on ELSE $1 END \
                     WHERE case_id = $2 AND kind = 'suspension' AND end_on IS NULL",
                )
                .bind(sql_date(end))
                .bind(case_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
            })?;
            recompute_due(tx, &case).await?;
        }
        Step::PartyDelay { from, to, reason } => {
            add_period(tx, case_id, "party_delay", *from, Some(*to), reason).await?;
            recompute_due(tx, &case).await?;
        }
        Step::DelayNotice {
            issued_on,
            new_due,
            reason,
        } => {
            with_tx!(tx, |c| {
                sqlx::query(
                    "INSERT INTO case_delay_notice (case_id, issued_on, new_due_on, reason) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(case_id)
                .bind(sql_date(*issued_on))
                .bind(sql_date(*new_due))
                .bind(reason)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
            })?;
            recompute_due(tx, &case).await?;
        }
        Step::Settle { on, outcome: how } => {
            with_tx!(tx, |c| {
                sqlx::query("UPDATE case_file SET settled_on = $1, outcome = $2 WHERE id = $3")
                    .bind(sql_date(*on))
                    .bind(how)
                    .bind(case_id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
        }
        Step::Close => set_closed(tx, case_id).await?,
        Step::Forward { body, .. } => {
            with_tx!(tx, |c| {
                sqlx::query("UPDATE case_file SET forwarded_to = $1 WHERE id = $2")
                    .bind(body)
                    .bind(case_id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            set_closed(tx, case_id).await?;
        }
        Step::Transfer { unit_id, .. } => {
            let new = NewCase {
                unit_id: *unit_id,
                jrwa_symbol: case.jrwa_symbol.clone(),
                kind: case.kind(),
                title: case.title.clone(),
                party_name: case.party_name.clone(),
                party_address: case.party_address.clone(),
                party_email: case.party_email.clone(),
                publish_consent: case.publish_consent,
                received_on: case.received(),
                channel: Channel::parse(&case.channel).unwrap_or(Channel::Paper),
                correspondence_id: case.correspondence_id,
                official_id: None,
            };
            let registered = register_case(tx, actor, new).await?;
            with_tx!(tx, |c| {
                sqlx::query("UPDATE case_file SET transferred_from_id = $1 WHERE id = $2")
                    .bind(case_id)
                    .bind(registered.id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            with_tx!(tx, |c| {
                sqlx::query("UPDATE case_file SET transferred_to_id = $1 WHERE id = $2")
                    .bind(registered.id)
                    .bind(case_id)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            set_closed(tx, case_id).await?;
            outcome = StepOutcome::Transferred(registered);
        }
        Step::Start => {}
    }
    let who = display_name(tx, actor).await?;
    let mut note = step.note();
    if let StepOutcome::Transferred(r) = &outcome {
        note = if note.is_empty() {
            r.znak.clone()
        } else {
            format!("{}: {note}", r.znak)
        };
    }
    add_event(tx, case_id, actor, &who, step.action(), to, &note).await?;
    if to != from {
        // Announced at commit to whoever watches the case's public status.
        let status = serde_json::json!({ "status": to.as_str() });
        events::publish(tx, &status_topic(&case.tracking_code), &status).await?;
    }
    let before = serde_json::json!({ "status": from.as_str(), "due_on": case.due().to_string() });
    let after = serde_json::json!({ "status": to.as_str(), "step": step });
    audit::record(
        tx,
        actor,
        Change::action(step.action(), "case_file", case_id)
            .with_before(&before)
            .with_after(&after),
    )
    .await?;
    Ok(outcome)
}

async fn set_closed(tx: &mut Tx, case_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query("UPDATE case_file SET closed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(case_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

async fn add_period(
    tx: &mut Tx,
    case_id: i64,
    kind: &str,
    start: Date,
    end: Option<Date>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO case_period (case_id, kind, start_on, end_on, reason) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(kind)
        .bind(sql_date(start))
        .bind(end.map(sql_date))
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The statutory due date again with every finished excluded period (KPA art. 35 § 5),
/// then the delay notices in force (art. 36).
async fn recompute_due(tx: &mut Tx, case: &CaseFile) -> Result<(), AppError> {
    let periods: Vec<(SqlDate, Option<SqlDate>)> = with_tx!(tx, |c| {
        sqlx::query_as("SELECT start_on, end_on FROM case_period WHERE case_id = $1")
            .bind(case.id)
            .fetch_all(c)
            .await
    })?;
    let notices: Vec<(SqlDate, SqlDate, String)> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT issued_on, new_due_on, reason FROM case_delay_notice WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.id)
        .fetch_all(c)
        .await
    })?;
    let (statutory, due) = due_dates(case.kind(), case.received(), &periods, &notices)
        .ok_or(AppError::BadRequest("case-date-out-of-range"))?;
    with_tx!(tx, |c| {
        sqlx::query("UPDATE case_file SET statutory_due_on = $1, due_on = $2 WHERE id = $3")
            .bind(sql_date(statutory))
            .bind(sql_date(due))
            .bind(case.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// (statutory due date with the excluded periods, the date in force after notices).
pub fn due_dates(
    kind: CaseKind,
    received: Date,
    periods: &[(SqlDate, Option<SqlDate>)],
    notices: &[(SqlDate, SqlDate, String)],
) -> Option<(Date, Date)> {
    let ranges: Vec<DateRange> = periods
        .iter()
        .filter_map(|(s, e)| e.and_then(|e| DateRange::new(s.to_jiff(), e.to_jiff()).ok()))
        .collect();
    let statutory = kind.due_date(received, &ranges).ok()?;
    let notices: Vec<DelayNotice> = notices
        .iter()
        .filter_map(|(i, n, r)| DelayNotice::new(i.to_jiff(), n.to_jiff(), r.clone()).ok())
        .collect();
    Some((statutory, effective_due_date(statutory, &notices)))
}

// =======================================================================================
// Lists
// =======================================================================================

/// One line of a case list or register.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub znak: String,
    pub number: i32,
    pub kind: String,
    pub title: String,
    pub party_name: String,
    pub publish_consent: bool,
    pub status: String,
    pub received_on: SqlDate,
    pub due_on: SqlDate,
    pub settled_on: Option<SqlDate>,
    pub outcome: String,
    pub forwarded_to: String,
    pub unit_symbol: String,
    pub official_name: String,
}

const ROW_COLUMNS: &str = "c.id, c.znak, c.jrwa_symbol, c.number, c.kind, c.title, c.party_name, \
    c.publish_consent, c.status, c.received_on, c.due_on, c.settled_on, c.outcome, \
    c.forwarded_to, u.symbol AS unit_symbol, COALESCE(o.display_name, '') AS official_name";

/// Where a list looks; every condition becomes SQL (indexes do the work, not Rust).
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    /// `None`: the whole office.
    pub units: Option<Vec<i64>>,
    pub official_id: Option<i64>,
    pub statuses: Vec<Status>,
    pub kind: Option<CaseKind>,
    pub search: Option<String>,
    pub jrwa_symbol: Option<String>,
    pub year: Option<i32>,
    pub limit: i64,
    pub offset: i64,
}

enum Param {
    Int(i64),
    Text(String),
}

/// The WHERE clause and its parameters.
fn where_clause(path: &SearchPath, f: &CaseFilter) -> (String, Vec<Param>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    // With the matches' ids, they must drive the query: SQLite would otherwise walk
    // the scope's index (a million rows) and look each one up in the match list (150
    // ms instead of 2). A unary `+` keeps a column from using an index (SQLite only).
    let p = if matches!(path, SearchPath::Ids(_)) {
        "+"
    } else {
        ""
    };
    if let Some(units) = &f.units {
        if units.is_empty() {
            clauses.push("1 = 0".to_owned());
        } else {
            // Ids from the database, written as numbers: nothing a user typed.
            let list: Vec<String> = units.iter().map(i64::to_string).collect();
            if let [one] = list.as_slice() {
                clauses.push(format!("{p}c.unit_id = {one}"));
            } else {
                clauses.push(format!("{p}c.unit_id IN ({})", list.join(", ")));
            }
        }
    }
    if let Some(official) = f.official_id {
        params.push(Param::Int(official));
        clauses.push(format!("{p}c.official_id = ${}", params.len()));
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        clauses.push(format!("{p}c.status IN ({})", list.join(", ")));
    }
    if let Some(kind) = f.kind {
        params.push(Param::Text(kind.as_str().to_owned()));
        clauses.push(format!("{p}c.kind = ${}", params.len()));
    }
    if let Some(symbol) = &f.jrwa_symbol {
        params.push(Param::Text(symbol.clone()));
        clauses.push(format!("{p}c.jrwa_symbol = ${}", params.len()));
    }
    if let Some(year) = f.year {
        params.push(Param::Int(i64::from(year)));
        clauses.push(format!("{p}c.year = ${}", params.len()));
    }
    if let Some(text) = f.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let (clause, texts) = search_clause(path, text, params.len() + 1);
        params.extend(texts.into_iter().map(Param::Text));
        clauses.push(clause);
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, params)
}

/// The folded text a case is found by: znak, title and party name, lowercase and
/// without diacritics ([`fold`], as the service-card search), so „Łódź” is found by
/// „łódź”, „ŁÓDŹ” and „lodz”. Stored in `case_file.search_text` (migration 0008).
pub fn search_text(znak: &str, title: &str, party_name: &str) -> String {
    fold(&format!("{znak} {title} {party_name}"))
}

/// How a search of three or more characters is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
enum SearchPath {
    /// SQLite: the ids of the cases containing the text, fewer than
    /// [`COMMON_MATCHES`], read once from the FTS5 trigram table; the list then looks
    /// them up by id, keeps those in scope and sorts them.
    Ids(Vec<i64>),
    /// PostgreSQL: the pg_trgm GIN index looked up by `key`, a word of the text (the
    /// rarest), the whole text checked on the rows it finds. A trigram found in most
    /// cases makes GIN read a posting list of a million entries: looking up
    /// „mieszkaniec 42424” whole took ~75 ms at a million cases, „42424” alone 1 ms.
    Gin { key: String },
    /// Checked on each row the list walks in its order (scope index), stopping after a
    /// page: for text so common that the index would hand over most of the register.
    Scan,
}

/// More matches than this in the whole register, and a search is [`SearchPath::Scan`]:
/// the index would hand over (and the list sort) up to a million ids, where walking
/// the scope in order fills a page after a few rows. Under it, the index's matches
/// are few enough to sort.
const COMMON_MATCHES: i64 = 2_000;

/// The text folded as [`search_text`], if it has a trigram (3 characters).
fn folded_search(text: &str) -> Option<String> {
    let folded = fold(text.trim());
    (folded.chars().count() >= 3).then_some(folded)
}

/// A LIKE pattern finding `folded` anywhere (`\` escapes the wildcards).
fn like_anywhere(folded: &str) -> String {
    let mut pattern = String::from("%");
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The path for `filter`'s search, from capped counts in the trigram index (each
/// stops at [`COMMON_MATCHES`], so it costs little even for text in every case).
async fn search_path(db: &Db, filter: &CaseFilter) -> Result<SearchPath, sqlx::Error> {
    let Some(folded) = filter.search.as_deref().and_then(folded_search) else {
        return Ok(SearchPath::Scan);
    };
    match db.backend() {
        Backend::Sqlite => {
            // One FTS5 string (a phrase of consecutive trigrams: the text as a
            // substring), a `"` inside doubled, so nothing typed is query syntax.
            let phrase = format!("\"{}\"", folded.replace('"', "\"\""));
            let sql = format!(
                "SELECT rowid FROM case_search WHERE case_search MATCH $1 LIMIT {COMMON_MATCHES}"
            );
            let ids: Vec<i64> = with_db!(db, |c| {
                sqlx::query_scalar(AssertSqlSafe(sql.clone()))
                    .bind(&phrase)
                    .fetch_all(c)
                    .await
            })?;
            Ok(
                if ids.len() >= usize::try_from(COMMON_MATCHES).unwrap_or(usize::MAX) {
                    SearchPath::Scan
                } else {
                    SearchPath::Ids(ids)
                },
            )
        }
        Backend::Postgres => {
            // The words pg_trgm indexes (runs of letters and digits), 3+ characters.
            let mut words: Vec<String> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_owned)
                .collect();
            words.sort();
            words.dedup();
            words.truncate(4);
            let mut best: Option<(i64, String)> = None;
            for word in words {
                let n = pg_matches(db, &word).await?;
                if best.as_ref().is_none_or(|(m, _)| n < *m) {
                    best = Some((n, word));
                }
            }
            // Every word common (or none): the whole text may still be rare.
            if best.as_ref().is_none_or(|(m, _)| *m >= COMMON_MATCHES) {
                let n = pg_matches(db, &folded).await?;
                best = Some((n, folded));
            }
            Ok(match best {
                Some((n, key)) if n < COMMON_MATCHES => SearchPath::Gin { key },
                _ => SearchPath::Scan,
            })
        }
    }
}

/// How many cases (up to [`COMMON_MATCHES`]) contain `folded`, on PostgreSQL.
async fn pg_matches(db: &Db, folded: &str) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM case_file WHERE search_text LIKE $1 \
         ESCAPE '\\' LIMIT {COMMON_MATCHES}) AS m"
    );
    with_db!(db, |c| {
        sqlx::query_scalar(AssertSqlSafe(sql.clone()))
            .bind(like_anywhere(folded))
            .fetch_one(c)
            .await
    })
}

/// The condition finding `text` anywhere in a case's [`search_text`], and its
/// parameters (`$n`, `$n+1`), by `path` (docs/decisions/0014-case-search-index.md).
/// With a GIN key, the whole text is written `search_text || ''`, an expression no
/// index covers, so it is checked on the rows the key found (the planner would else
/// look all its trigrams up in the index as well). Text under three characters has no trigram: a LIKE checked on the
/// rows the other conditions (scope, status) walk in order, which stops after a page
/// as such short text is common.
fn search_clause(path: &SearchPath, text: &str, n: usize) -> (String, Vec<String>) {
    let folded = fold(text.trim());
    let whole = like_anywhere(&folded);
    if folded.chars().count() < 3 {
        return (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole]);
    }
    match path {
        SearchPath::Ids(ids) if ids.is_empty() => ("1 = 0".to_owned(), Vec::new()),
        // Ids from the database, written as numbers: nothing a user typed.
        SearchPath::Ids(ids) => (
            format!(
                "c.id IN ({})",
                ids.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Vec::new(),
        ),
        SearchPath::Gin { key } if *key == folded => {
            (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole])
        }
        SearchPath::Gin { key } => (
            format!(
                "c.search_text LIKE ${n} ESCAPE '\\' AND (c.search_text || '') LIKE ${m} ESCAPE '\\'",
                m = n + 1
            ),
            vec![like_anywhere(key), whole],
        ),
        // PostgreSQL's planner, knowing from its statistics that the text is common,
        // walks the scope's ordered index and checks it on each row.
        SearchPath::Scan => (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole]),
    }
}

macro_rules! bind_params {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}

/// Cases matching `filter`, `order` being an ORDER BY of this module's choosing (its
/// columns prefixed `c.`). Scoped to units, the query is one ordered, limited
/// subquery per unit, merged: each runs down an index in order and stops after a
/// page, where `unit_id IN (…)` would sort every matching row (a unit with a million
/// cases: ~1.5 s instead of under a millisecond).
async fn list(db: &Db, filter: &CaseFilter, order: &str) -> Result<Vec<CaseRow>, sqlx::Error> {
    let path = search_path(db, filter).await?;
    let limit = filter.limit.clamp(1, 10_000);
    let offset = filter.offset.max(0);
    let sql = match &filter.units {
        None => {
            let (clause, _) = where_clause(&path, filter);
            format!(
                "SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            )
        }
        Some(units) if units.is_empty() => return Ok(Vec::new()),
        // One official's cases: their index is walked in order, the units filtered on
        // the way (a subquery per unit would walk it once per unit).
        Some(_) if filter.official_id.is_some() => {
            let (clause, _) = where_clause(&path, filter);
            format!(
                "SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            )
        }
        Some(units) => {
            let outer_order = order.replace("c.", "");
            let parts: Vec<String> = units
                .iter()
                .enumerate()
                .map(|(i, unit)| {
                    let one = CaseFilter {
                        units: Some(vec![*unit]),
                        ..filter.clone()
                    };
                    let (clause, _) = where_clause(&path, &one);
                    format!(
                        "SELECT * FROM (SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} \
                         LIMIT {}) AS s{i}",
                        limit + offset
                    )
                })
                .collect();
            format!(
                "{} ORDER BY {outer_order} LIMIT {limit} OFFSET {offset}",
                parts.join(" UNION ALL ")
            )
        }
    };
    // The parameters are numbered the same in every subquery.
    let (_, params) = where_clause(&path, filter);
    with_db!(db, |c| {
        bind_params!(sqlx::query_as(AssertSqlSafe(sql.clone())), &params)
            .fetch_all(c)
            .await
    })
}

/// Cases by deadline (the official's work list).
pub async fn cases_by_deadline(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.due_on, c.id").await
}

/// Cases in register order (spis spraw: by number).
pub async fn cases_by_number(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.jrwa_symbol, c.number, c.id").await
}

/// Cases by date of receipt (complaints, petitions, public-information registers).
pub async fn cases_by_receipt(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.received_on, c.id").await
}

/// (class, year) pairs that have cases in a unit, for the register's selects.
pub async fn register_keys(db: &Db, unit_id: i64) -> Result<Vec<(String, i32)>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT jrwa_symbol, year FROM case_counter WHERE unit_id = $1 \
             ORDER BY year DESC, jrwa_symbol",
        )
        .bind(unit_id)
        .fetch_all(c)
        .await
    })
}

/// One official's load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Workload {
    pub official_id: Option<i64>,
    pub official_name: String,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

/// Open cases per official in `units` (None: everywhere): how many, how many due within
/// the week from `today`, how many overdue. Suspended cases count as open only.
///
/// Read from `case_open_tally` (migration 0008): open cases counted per unit, official,
/// status and due date by triggers on `case_file`, so this sums a few rows per official
/// and due date instead of grouping every open case (2–3 s at a million).
pub async fn workload(
    db: &Db,
    units: Option<&[i64]>,
    today: Date,
) -> Result<Vec<Workload>, sqlx::Error> {
    let scope = match units {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        // Ids from the database, written as numbers: nothing a user typed.
        Some(units) => format!(
            "AND t.unit_id IN ({})",
            units
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // official_id 0 is the tally's "nobody yet" (a key column cannot be NULL). The
    // sums are cast: PostgreSQL sums BIGINT into NUMERIC.
    let sql = format!(
        "SELECT NULLIF(t.official_id, 0) AS official_id, \
         COALESCE(MAX(o.display_name), '') AS official_name, \
         CAST(SUM(t.cases) AS BIGINT) AS open, \
         CAST(SUM(CASE WHEN t.status <> 'suspended' AND t.due_on >= $1 AND t.due_on <= $2 \
         THEN t.cases ELSE 0 END) AS BIGINT) AS due_soon, \
         CAST(SUM(CASE WHEN t.status <> 'suspended' AND t.due_on < $1 \
         THEN t.cases ELSE 0 END) AS BIGINT) AS overdue \
         FROM case_open_tally t LEFT JOIN app_user o ON o.id = t.official_id \
         WHERE t.cases > 0 {scope} GROUP BY t.official_id ORDER BY official_name"
    );
    let soon = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(sql_date(today))
            .bind(sql_date(soon))
            .fetch_all(c)
            .await
    })
}

// =======================================================================================
// The public view
// =======================================================================================

/// What anyone holding the tracking code may see: no party data, no internal notes, no
/// official's name — only the unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicCaseStatus {
    pub znak: String,
    pub title: String,
    pub status: String,
    pub unit_name: String,
    pub registered_on: Date,
    pub due_date: Date,
    /// (day, status) of each status change, oldest first.
    pub history: Vec<(Date, String)>,
    /// The tracking code, normalised.
    pub tracking_code: String,
    /// The newest event of the case's [`status_topic`] when this was read: a live view
    /// resumes after it (read first, so no change can fall between the two).
    pub live_from: i64,
}

/// The live-event topic of a case's public status: `apply_step` publishes each status
/// change there (the status only, what the public status page shows).
pub fn status_topic(tracking_code: &str) -> String {
    format!("case.{tracking_code}")
}

/// The public status of the case with this tracking code (typed loosely: see
/// [`normalize_tracking_code`]).
pub async fn public_status(
    db: &Db,
    tracking_code: &str,
) -> Result<Option<PublicCaseStatus>, AppError> {
    let Some(code) = normalize_tracking_code(tracking_code) else {
        return Ok(None);
    };
    let live_from = crate::platform::events::last_id(db, &status_topic(&code)).await?;
    let row: Option<(i64, String, String, String, String, UtcTime, SqlDate)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.id, c.znak, c.title, c.status, u.name, c.registered_at, c.due_on \
             FROM case_file c JOIN org_unit u ON u.id = c.unit_id WHERE c.tracking_code = $1",
        )
        .bind(&code)
        .fetch_optional(c)
        .await
    })?;
    let Some((id, znak, title, status, unit_name, registered_at, due_on)) = row else {
        return Ok(None);
    };
    let events: Vec<(UtcTime, String)> = with_db!(db, |c| {
        sqlx::query_as("SELECT occurred_at, status FROM case_event WHERE case_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(c)
            .await
    })?;
    let mut history: Vec<(Date, String)> = Vec::new();
    for (at, status) in events {
        if history.last().is_none_or(|(_, s)| *s != status) {
            history.push((at.in_warsaw().date(), status));
        }
    }
    Ok(Some(PublicCaseStatus {
        znak,
        title,
        status,
        unit_name,
        registered_on: registered_at.in_warsaw().date(),
        due_date: due_on.to_jiff(),
        history,
        tracking_code: code,
        live_from,
    }))
}

// =======================================================================================
// Bulk seeding for benchmarks
// =======================================================================================

/// The shipped wykaz, used by the demo and the bulk seeder when a year has none.
pub const SHIPPED_JRWA: &str = include_str!("../../data/jrwa/gmina-2026.csv");

/// Imports the shipped wykaz for `year` unless that year already has one.
pub async fn ensure_jrwa(db: &Db, actor: &Actor, year: i32) -> anyhow::Result<()> {
    if !jrwa_classes(db, year).await?.is_empty() {
        return Ok(());
    }
    let entries = super::jrwa::parse_csv(SHIPPED_JRWA)
        .map_err(|e| anyhow::anyhow!("the shipped JRWA is not valid: {e:?}"))?;
    let mut tx = db.begin().await?;
    import_jrwa(&mut tx, actor, year, &entries)
        .await?
        .map_err(|m| anyhow::anyhow!("classes in use are missing: {m:?}"))?;
    tx.commit().await?;
    Ok(())
}

/// Adds `n` cases to the unit with `unit_symbol` in class 5310 of this year, with
/// multi-row inserts in batches (for benchmarks: a million rows take minutes). Numbers
/// are reserved from the counter first (a seed that fails halfway leaves a gap: this is
/// benchmark data, not a register anyone keeps); one audit
/// event records the whole seed. Returns the number of cases added.
pub async fn seed_bulk(db: &Db, unit_symbol: &str, n: u64) -> anyhow::Result<u64> {
    const CLASS: &str = "5310";
    const BATCH: usize = 500;
    // Batches per transaction: fewer commits (fsyncs) without holding the lock long.
    const BATCHES_PER_TX: usize = 20;
    let actor = Actor::system("bench-seed");
    let today = db.clock().today();
    let year = i32::from(today.year());
    ensure_jrwa(db, &actor, year).await?;
    let unit_id: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT id FROM org_unit WHERE symbol = $1 ORDER BY valid_from_year DESC LIMIT 1",
        )
        .bind(unit_symbol)
        .fetch_optional(c)
        .await
    })?;
    let unit_id = unit_id.ok_or_else(|| anyhow::anyhow!("no unit with symbol {unit_symbol}"))?;
    let officials: Vec<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT user_id FROM employee WHERE org_unit_id = $1 AND user_id IS NOT NULL ORDER BY user_id",
        )
        .bind(unit_id)
        .fetch_all(c)
        .await
    })?;
    let count = i32::try_from(n).map_err(|_| anyhow::anyhow!("too many cases at once"))?;
    // Reserve the numbers in one short transaction.
    let mut tx = db.begin().await?;
    let last: i32 = with_tx!(&mut tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_counter (unit_id, jrwa_symbol, year, last_number) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (unit_id, jrwa_symbol, year) \
             DO UPDATE SET last_number = case_counter.last_number + $4 RETURNING last_number",
        )
        .bind(unit_id)
        .bind(CLASS)
        .bind(year)
        .bind(count)
        .fetch_one(c)
        .await
    })?;
    let summary =
        serde_json::json!({ "unit": unit_symbol, "class": CLASS, "year": year, "cases": n });
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "case_file", unit_symbol).with_after(&summary),
    )
    .await?;
    tx.commit().await?;
    let first = last - count + 1;
    let now = db.clock().now();
    let statuses = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::InProgress,
        Status::Settled,
        Status::Closed,
    ];
    let mut number = first;
    let mut tx: Option<Tx> = None;
    let mut batches = 0;
    while number <= last {
        if tx.is_none() {
            let mut t = db.begin().await?;
            if let TxConn::Sqlite(c) = &mut t.conn {
                // A big page cache for this connection: the random tracking codes
                // and the indexes otherwise make each batch re-read pages from disk.
                sqlx::query("PRAGMA cache_size = -262144")
                    .execute(&mut **c)
                    .await?;
            }
            tx = Some(t);
        }
        let end = (number + BATCH as i32 - 1).min(last);
        let rows = usize::try_from(end - number + 1).unwrap_or(0);
        let mut sql = String::from(
            "INSERT INTO case_file (unit_id, jrwa_symbol, year, number, znak, kind, title, \
             party_name, party_address, party_email, channel, official_id, status, received_on, \
             statutory_due_on, due_on, tracking_code, registered_at, search_text) VALUES ",
        );
        const COLS: usize = 19;
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * COLS;
            let ps: Vec<String> = (1..=COLS).map(|k| format!("${}", b + k)).collect();
            sql.push('(');
            sql.push_str(&ps.join(", "));
            sql.push(')');
        }
        struct Row {
            number: i32,
            znak: String,
            official: Option<i64>,
            status: &'static str,
            received: SqlDate,
            due: SqlDate,
            code: String,
        }
        let mut data = Vec::with_capacity(rows);
        for k in number..=end {
            let received = today
                .checked_sub(jiff::Span::new().days(i64::from(k % 120)))
                .unwrap_or(today);
            let due = CaseKind::AdministrativeSimple
                .due_date(received, &[])
                .unwrap_or(received);
            let status = statuses[usize::try_from(k).unwrap_or(0) % statuses.len()];
            data.push(Row {
                number: k,
                znak: build_znak(unit_symbol, CLASS, k, year, None)
                    .unwrap_or_else(|| format!("{unit_symbol}.{CLASS}.{k}.{year}")),
                official: (status != Status::Registered && !officials.is_empty())
                    .then(|| officials[usize::try_from(k).unwrap_or(0) % officials.len()]),
                status: status.as_str(),
                received: sql_date(received),
                due: sql_date(due),
                code: new_tracking_code(),
            });
        }
        let Some(t) = tx.as_mut() else {
            continue;
        };
        with_tx!(t, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for r in &data {
                let title = format!("Zameldowanie na pobyt stały nr {}", r.number);
                let party = format!("Mieszkaniec {}", r.number);
                let text = search_text(&r.znak, &title, &party);
                q = q
                    .bind(unit_id)
                    .bind(CLASS)
                    .bind(year)
                    .bind(r.number)
                    .bind(r.znak.clone())
                    .bind(CaseKind::AdministrativeSimple.as_str())
                    .bind(title)
                    .bind(party)
                    .bind("ul. Testowa 1, 62-300 Borowiec")
                    .bind("")
                    .bind(Channel::Paper.as_str())
                    .bind(r.official)
                    .bind(r.status)
                    .bind(r.received)
                    .bind(r.due)
                    .bind(r.due)
                    .bind(r.code.clone())
                    .bind(now)
                    .bind(text);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        number = end + 1;
        batches += 1;
        if batches % BATCHES_PER_TX == 0
            && let Some(t) = tx.take()
        {
            t.commit().await?;
        }
    }
    if let Some(t) = tx.take() {
        t.commit().await?;
    }
    if let Pool::Postgres(pool) = &db.pool {
        // What autovacuum would do within a minute or two, done now so a benchmark
        // started right after the seed sees a settled database: planner statistics
        // (the search's plans depend on them) and the GIN index's pending list merged.
        sqlx::query("VACUUM ANALYZE case_file")
            .execute(pool)
            .await?;
    }
    Ok(n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_grouped_base32_and_normalise() {
        let code = new_tracking_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalize_tracking_code(&code), Some(code.clone()));
        let loose = code.replace('-', " ").to_lowercase();
        assert_eq!(normalize_tracking_code(&loose), Some(code.clone()));
        assert_ne!(new_tracking_code(), code);
        assert_eq!(
            normalize_tracking_code("oooo-llll-iiii"),
            Some("0000-1111-1111".into())
        );
        assert_eq!(normalize_tracking_code("ABC"), None);
        assert_eq!(normalize_tracking_code("UUUU-UUUU-UUUU"), None);
        assert_eq!(normalize_tracking_code("ĄĄĄĄ-ĄĄĄĄ-ĄĄĄĄ"), None);
    }

    #[test]
    fn znak_follows_the_instrukcja() {
        assert_eq!(
            build_znak("SA", "1431", 7, 2026, None).as_deref(),
            Some("SA.1431.7.2026")
        );
        assert_eq!(
            build_znak("WO-II", "6220", 3, 2026, Some("JK")).as_deref(),
            Some("WO-II.6220.3.2026.JK")
        );
        assert_eq!(build_znak("SA", "1431", 0, 2026, None), None);
        assert_eq!(build_znak("sa", "1431", 1, 2026, None), None);
    }

    #[test]
    fn excluded_periods_and_notices_move_the_date() {
        let d = |s: &str| SqlDate::from(s.parse::<Date>().unwrap());
        let received = jiff::civil::date(2026, 3, 2);
        // 1 month from Mon 2 March 2026 → Thu 2 April.
        let (s, e) = due_dates(CaseKind::AdministrativeSimple, received, &[], &[]).unwrap();
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2026-04-02".into(), "2026-04-02".into())
        );
        // 10 days of suspension: 12 April is a Sunday → Mon 13 April.
        let periods = [
            (d("2026-03-10"), Some(d("2026-03-19"))),
            (d("2026-03-25"), None),
        ];
        let (s, _) = due_dates(CaseKind::AdministrativeSimple, received, &periods, &[]).unwrap();
        assert_eq!(s.to_string(), "2026-04-13");
        let notices = [(d("2026-04-01"), d("2026-05-15"), "opinia".to_owned())];
        let (_, e) =
            due_dates(CaseKind::AdministrativeSimple, received, &periods, &notices).unwrap();
        assert_eq!(e.to_string(), "2026-05-15");
    }
}
