//! Resident accounts in the database: sign-in links, accounts, sessions, and the cases
//! filed with an account's address. Tokens are 256-bit random values; the database keeps
//! only their SHA-256 (`auth::secret`), like staff sessions.

use jiff::SignedDuration;
use serde::Serialize;

use super::rules::{LINK_MINUTES, ResidentEmail};
use crate::auth::secret::{random_token, token_hash};
use crate::auth::session::{SessionClock, SessionTable};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::{with_db, with_tx};

type SqlDate = jiff_sqlx::Date;

/// A signed-in resident, as loaded for one request.
#[derive(Clone, Debug)]
pub struct CurrentResident {
    pub id: i64,
    pub email: String,
    pub session_hash: String,
}

/// Stores a new sign-in link for `email` and returns its token (for the letter only).
/// Requesting a link is audited: it is how someone would try to flood a mailbox.
pub async fn create_link(
    db: &Db,
    actor: &Actor,
    email: &ResidentEmail,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let mut tx = db.begin().await?;
    let now = tx.now();
    let expires = now.checked_add(SignedDuration::from_mins(LINK_MINUTES));
    audit::record(
        &mut tx,
        actor,
        Change::action("link_requested", "resident", email.as_str()),
    )
    .await?;
    let open = &mut tx;
    with_tx!(open, |c| {
        // Old links go with each new one: the table holds only live links.
        sqlx::query("DELETE FROM resident_link WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO resident_link (token_hash, email, created_at, expires_at, ip) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(email.as_str())
        .bind(now)
        .bind(expires)
        .bind(actor.ip.as_deref())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    tx.commit().await?;
    Ok(token)
}

/// Tokens are 64 hex digits ([`random_token`]); anything else is not looked up.
fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit())
}

/// The address a link was sent to, while the link is unused and unexpired.
pub async fn link_email(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    if !plausible_token(token) {
        return Ok(None);
    }
    with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT email FROM resident_link \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(db.clock().now())
        .fetch_optional(c)
        .await
    })
}

/// Uses the link (once): opens the account of its address on first use, starts a
/// session and returns the session's cookie token, or `None` when the link is unknown,
/// used or expired. All in one transaction, audited.
pub async fn sign_in(
    db: &Db,
    actor: &Actor,
    link_token: &str,
    absolute_hours: u32,
) -> Result<Option<String>, sqlx::Error> {
    if !plausible_token(link_token) {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    let now = tx.now();
    audit::lock_head(&mut tx).await?;
    let open = &mut tx;
    // The UPDATE … WHERE used_at IS NULL is the claim: of two clicks at once, one
    // updates the row and the other finds nothing.
    let email: Option<String> = with_tx!(open, |c| {
        sqlx::query_scalar(
            "UPDATE resident_link SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING email",
        )
        .bind(now)
        .bind(token_hash(link_token))
        .fetch_optional(c)
        .await
    })?;
    let Some(email) = email else {
        return Ok(None);
    };
    let existing: Option<i64> = with_tx!(open, |c| {
        sqlx::query_scalar("UPDATE resident SET last_sign_in_at = $1 WHERE email = $2 RETURNING id")
            .bind(now)
            .bind(&email)
            .fetch_optional(c)
            .await
    })?;
    let resident_id = match existing {
        Some(id) => id,
        None => {
            let id: i64 = with_tx!(open, |c| {
                sqlx::query_scalar(
                    "INSERT INTO resident (email, created_at, last_sign_in_at) \
                     VALUES ($1, $2, $2) RETURNING id",
                )
                .bind(&email)
                .bind(now)
                .fetch_one(c)
                .await
            })?;
            #[derive(Serialize)]
            struct Opened<'a> {
                email: &'a str,
            }
            audit::record(
                open,
                actor,
                Change::created("resident", id, &Opened { email: &email }),
            )
            .await?;
            id
        }
    };
    let session = random_token();
    let expires = now.checked_add(SignedDuration::from_hours(i64::from(absolute_hours)));
    with_tx!(open, |c| {
        sqlx::query(
            "INSERT INTO resident_session (token_hash, resident_id, created_at, last_seen_at, \
             expires_at, ip) VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(token_hash(&session))
        .bind(resident_id)
        .bind(now)
        .bind(expires)
        .bind(actor.ip.as_deref())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(
        open,
        &resident_actor(actor, &email),
        Change::action("sign_in", "resident", resident_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(session))
}

/// The audit actor for a resident: their address names them (residents have no staff
/// user id).
pub fn resident_actor(base: &Actor, email: &str) -> Actor {
    Actor {
        user_id: None,
        login: format!("resident:{email}"),
        ip: base.ip.clone(),
    }
}

/// What a resident session cookie stands for.
pub enum SessionState {
    Valid(CurrentResident),
    /// Expired or idle too long: the row is gone and the cookie should go.
    Ended,
    Unknown,
}

/// Loads the session of a resident cookie; ends it after `idle_minutes` without a
/// request or at its absolute end.
pub async fn load_session(
    db: &Db,
    token: &str,
    idle_minutes: u32,
) -> Result<SessionState, sqlx::Error> {
    let hash = token_hash(token);
    let row: Option<(i64, String, UtcTime, UtcTime)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT r.id, r.email, s.last_seen_at, s.expires_at \
             FROM resident_session s JOIN resident r ON r.id = s.resident_id \
             WHERE s.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(c)
        .await
    })?;
    let Some((id, email, last_seen_at, expires_at)) = row else {
        return Ok(SessionState::Unknown);
    };
    let clock = SessionClock {
        table: SessionTable::Resident,
        last_seen_at,
        expires_at,
        idle_minutes,
    };
    if !clock.keep_alive(db, &hash, true).await? {
        return Ok(SessionState::Ended);
    }
    Ok(SessionState::Valid(CurrentResident {
        id,
        email,
        session_hash: hash,
    }))
}

/// Ends a resident's session, audited (`actor` is the resident: `Visitor::actor`).
pub async fn sign_out(
    db: &Db,
    actor: &Actor,
    resident: &CurrentResident,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        actor,
        Change::action("sign_out", "resident", resident.id),
    )
    .await?;
    let open = &mut tx;
    with_tx!(open, |c| {
        sqlx::query("DELETE FROM resident_session WHERE token_hash = $1")
            .bind(&resident.session_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    tx.commit().await
}

/// One of a resident's cases, as their list shows it: what the public status page shows,
/// plus the tracking code that opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResidentCase {
    pub znak: String,
    pub title: String,
    pub service: String,
    pub status: String,
    pub submitted_at: UtcTime,
    pub due_date: jiff::civil::Date,
    pub tracking_code: String,
}

/// The cases filed with `email` (through the web form or the API), newest first. The
/// address is the only key: an account sees exactly what its address filed, and the
/// index on `application.applicant_email` makes it one range read.
pub async fn cases_of(db: &Db, email: &str) -> Result<Vec<ResidentCase>, sqlx::Error> {
    type Row = (String, String, String, String, UtcTime, SqlDate, String);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.znak, c.title, s.name, c.status, a.submitted_at, c.due_on, c.tracking_code \
             FROM application a JOIN case_file c ON c.id = a.case_id \
             JOIN service_card s ON s.id = a.service_card_id \
             WHERE a.applicant_email = $1 ORDER BY a.submitted_at DESC, a.id DESC LIMIT 500",
        )
        .bind(email)
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(znak, title, service, status, submitted_at, due, tracking_code)| ResidentCase {
                znak,
                title,
                service,
                status,
                submitted_at,
                due_date: due.to_jiff(),
                tracking_code,
            },
        )
        .collect())
}
