//! Registering a case: the number from the register's counter row, the znak, the
//! tracking code and the due date, in the caller's transaction (decision 0007).

use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;
use magistrat_domain::intake::Initiation;
use magistrat_domain::tracking_code;
use serde::Serialize;

use super::lists::search_text;
use super::{CaseStoreError, sql_date};
use crate::cases::workflow::Status;
use crate::db::Tx;
use crate::db::audit::{self, Actor, Change};
use crate::with_tx;

/// How a case came in: the list the correspondence register uses too.
pub use crate::platform::Channel;

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
/// A random, unguessable code for following a case from outside: 12 characters of
/// base32 (60 bits), grouped `XXXX-XXXX-XXXX` (`magistrat_domain::tracking_code`).
pub fn new_tracking_code() -> String {
    let mut bytes = [0_u8; 12];
    // Without an entropy source a code would be guessable: stop rather than go on.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system provides no randomness");
    tracking_code::from_random(bytes)
}

/// A tracking code as typed by a person, in its stored form (the domain's rule).
pub use magistrat_domain::tracking_code::normalize as normalize_tracking_code;

pub(super) async fn display_name(tx: &mut Tx, actor: &Actor) -> Result<String, sqlx::Error> {
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
#[tracing::instrument(level = "debug", skip_all, fields(unit_id = new.unit_id))]
pub async fn register_case(
    tx: &mut Tx,
    actor: &Actor,
    new: NewCase,
) -> Result<RegisteredCase, CaseStoreError> {
    register(tx, actor, new, Initiation::OnRequest).await
}

/// Registers a case the organ starts ex officio (KPA art. 61 § 1): `received_on` is
/// the day of its first act, from which the term of art. 35 § 3 counts ("od dnia
/// wszczęcia postępowania"; the proceedings begin with the first act of the organ
/// towards a party, art. 61 § 4). Otherwise as [`register_case`].
#[tracing::instrument(level = "debug", skip_all, fields(unit_id = new.unit_id))]
pub async fn register_case_ex_officio(
    tx: &mut Tx,
    actor: &Actor,
    new: NewCase,
) -> Result<RegisteredCase, CaseStoreError> {
    register(tx, actor, new, Initiation::ExOfficio).await
}

/// Registers a case started as `initiation` says.
pub(super) async fn register(
    tx: &mut Tx,
    actor: &Actor,
    new: NewCase,
    initiation: Initiation,
) -> Result<RegisteredCase, CaseStoreError> {
    let year = i32::from(new.received_on.year());
    let unit_symbol = check_unit_and_class(tx, &new, year).await?;
    // A closed spis spraw takes no new case (the archive's yearly closing).
    if crate::archive::service::is_year_closed(tx, new.unit_id, year).await? {
        return Err(CaseStoreError::Refused("case-error-date-year-closed"));
    }
    let initials = match new.official_id {
        Some(id) => initials_of(tx, id).await?,
        None => None,
    };
    // The audit head before the counter: the lock order of every audited writer
    // (an e-service filing holds the head from its incoming item when it gets here).
    audit::lock_head(tx).await?;
    let number = next_case_number(tx, &new, year).await?;
    let znak = build_znak(
        &unit_symbol,
        &new.jrwa_symbol,
        number,
        year,
        initials.as_deref(),
    )
    .ok_or(CaseStoreError::Refused("case-znak-invalid"))?;
    let due = new
        .kind
        .due_date(new.received_on, &[])
        .map_err(|_| CaseStoreError::Refused("case-date-out-of-range"))?;
    let status = if new.official_id.is_some() {
        Status::Assigned
    } else {
        Status::Registered
    };
    let numbered = Numbered {
        year,
        number,
        znak,
        due,
        status,
        tracking_code: new_tracking_code(),
    };
    let ex_officio = initiation == Initiation::ExOfficio;
    let id = insert_case(tx, actor, &new, &numbered, ex_officio).await?;
    super::intake::insert_first_party(
        tx,
        id,
        &new.party_name,
        &new.party_address,
        &new.party_email,
    )
    .await?;
    let who = display_name(tx, actor).await?;
    let action = if ex_officio {
        "register_ex_officio"
    } else {
        "register"
    };
    add_event(tx, id, actor, &who, action, Status::Registered, "").await?;
    if status == Status::Assigned {
        add_event(tx, id, actor, &who, "assign", Status::Assigned, "").await?;
    }
    let after = serde_json::json!({
        "znak": numbered.znak,
        "case": new,
        "ex_officio": ex_officio,
        "due_on": due.to_string(),
        "status": status.as_str(),
    });
    audit::record(tx, actor, Change::created("case_file", id, &after)).await?;
    Ok(RegisteredCase {
        id,
        znak: numbered.znak,
        tracking_code: numbered.tracking_code,
        due_date: due,
    })
}

/// The unit's symbol, once the unit is known to exist and the JRWA class to be a leaf
/// of the year's list (only leaves carry an archival category and hold cases).
async fn check_unit_and_class(
    tx: &mut Tx,
    new: &NewCase,
    year: i32,
) -> Result<String, CaseStoreError> {
    let unit_symbol: Option<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT symbol FROM org_unit WHERE id = $1")
            .bind(new.unit_id)
            .fetch_optional(c)
            .await
    })?;
    let unit_symbol = unit_symbol.ok_or(CaseStoreError::Refused("case-unit-unknown"))?;
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
        return Err(CaseStoreError::Refused("case-jrwa-not-leaf"));
    }
    Ok(unit_symbol)
}

/// The next number of the spis spraw (unit, class, year), bumped in this transaction
/// (docs/decisions/0007).
async fn next_case_number(tx: &mut Tx, new: &NewCase, year: i32) -> Result<i32, sqlx::Error> {
    with_tx!(tx, |c| {
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
    })
}

/// What registering gives a case beside what it came with.
struct Numbered {
    year: i32,
    number: i32,
    znak: String,
    due: Date,
    status: Status,
    tracking_code: String,
}

async fn insert_case(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewCase,
    n: &Numbered,
    ex_officio: bool,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_file (unit_id, jrwa_symbol, year, number, znak, kind, title, \
             party_name, party_address, party_email, publish_consent, channel, correspondence_id, \
             official_id, status, received_on, statutory_due_on, due_on, tracking_code, \
             registered_at, registered_by, search_text, ex_officio) VALUES ($1, $2, $3, $4, $5, \
             $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21, \
             $22) RETURNING id",
        )
        .bind(new.unit_id)
        .bind(&new.jrwa_symbol)
        .bind(n.year)
        .bind(n.number)
        .bind(&n.znak)
        .bind(new.kind.as_str())
        .bind(&new.title)
        .bind(&new.party_name)
        .bind(&new.party_address)
        .bind(&new.party_email)
        .bind(new.publish_consent)
        .bind(new.channel.as_str())
        .bind(new.correspondence_id)
        .bind(new.official_id)
        .bind(n.status.as_str())
        .bind(sql_date(new.received_on))
        .bind(sql_date(n.due))
        .bind(&n.tracking_code)
        .bind(now)
        .bind(actor.user_id)
        .bind(search_text(&n.znak, &new.title, &new.party_name))
        .bind(ex_officio)
        .fetch_one(c)
        .await
    })
}

/// `UNIT[-SUBUNIT].CLASS.NO.YEAR[.INITIALS]` (the domain's rule).
pub use magistrat_domain::case_number::build_znak;

pub(super) async fn add_event(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_random_and_in_their_stored_form() {
        let code = new_tracking_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalize_tracking_code(&code), Some(code.clone()));
        assert_ne!(new_tracking_code(), code);
    }
}
