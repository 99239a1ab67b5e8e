//! Resident accounts in the database: sign-in links, accounts, sessions, and the cases
//! filed with an account's address. Tokens are 256-bit random values; the database keeps
//! only their SHA-256 (`auth::secret`), like staff sessions.

use jiff::SignedDuration;
use serde::Serialize;

use super::rules::{LINK_MINUTES, ResidentEmail};
use crate::auth::secret::{random_token, token_hash};
use crate::auth::session::{SessionClock, SessionTable};
use crate::cases::Status;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime, row};
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
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_in(
    db: &Db,
    actor: &Actor,
    link_token: &str,
    absolute_hours: u32,
) -> Result<Option<String>, sqlx::Error> {
    sign_in_into(db, actor, link_token, Into::Session, absolute_hours).await
}

/// Uses the link (once) for a resident's app: the same as [`sign_in`], but what it
/// starts is an app's bearer token (`resident_app_token`), valid `days` days.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_in_app(
    db: &Db,
    actor: &Actor,
    link_token: &str,
    days: u32,
) -> Result<Option<(String, UtcTime)>, sqlx::Error> {
    let hours = days.saturating_mul(24);
    let Some(token) = sign_in_into(db, actor, link_token, Into::AppToken, hours).await? else {
        return Ok(None);
    };
    let expires: Option<UtcTime> = with_db!(db, |c| {
        sqlx::query_scalar("SELECT expires_at FROM resident_app_token WHERE token_hash = $1")
            .bind(token_hash(&token))
            .fetch_optional(c)
            .await
    })?;
    Ok(expires.map(|at| (token, at)))
}

/// What a used link starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Into {
    /// A browser session (`resident_session`, the `/my-cases` cookie).
    Session,
    /// An app's bearer token (`resident_app_token`).
    AppToken,
}

async fn sign_in_into(
    db: &Db,
    actor: &Actor,
    link_token: &str,
    into: Into,
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
    let (sql, action) = match into {
        Into::Session => (
            "INSERT INTO resident_session (token_hash, resident_id, created_at, last_seen_at, \
             expires_at, ip) VALUES ($1, $2, $3, $3, $4, $5)",
            "sign_in",
        ),
        Into::AppToken => (
            "INSERT INTO resident_app_token (token_hash, resident_id, created_at, \
             expires_at, ip) VALUES ($1, $2, $3, $4, $5)",
            "app_sign_in",
        ),
    };
    with_tx!(open, |c| {
        sqlx::query(sql)
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
        Change::action(action, "resident", resident_id),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(session))
}

/// The resident an app's bearer token stands for, while it is unexpired (an expired
/// token's row goes when it is next shown). Every app server reads the same table, so
/// a token signed out is refused everywhere at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn app_token_resident(
    db: &Db,
    token: &str,
) -> Result<Option<CurrentResident>, sqlx::Error> {
    if !plausible_token(token) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let row: Option<(i64, String, UtcTime)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT r.id, r.email, t.expires_at \
             FROM resident_app_token t JOIN resident r ON r.id = t.resident_id \
             WHERE t.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(c)
        .await
    })?;
    let Some((id, email, expires_at)) = row else {
        return Ok(None);
    };
    if expires_at <= db.clock().now() {
        with_db!(db, |c| {
            sqlx::query("DELETE FROM resident_app_token WHERE token_hash = $1")
                .bind(&hash)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        return Ok(None);
    }
    Ok(Some(CurrentResident {
        id,
        email,
        session_hash: hash,
    }))
}

/// Revokes an app's bearer token (the app signs out), audited; false when it was gone.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_app_token(
    db: &Db,
    actor: &Actor,
    resident: &CurrentResident,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let open = &mut tx;
    let gone = with_tx!(open, |c| {
        sqlx::query("DELETE FROM resident_app_token WHERE token_hash = $1")
            .bind(&resident.session_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    if gone == 0 {
        return Ok(false);
    }
    audit::record(
        &mut tx,
        actor,
        Change::action("app_sign_out", "resident", resident.id),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
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
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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
    pub status: Status,
    pub submitted_at: UtcTime,
    pub due_date: jiff::civil::Date,
    pub tracking_code: String,
}

/// The cases filed with `email` (through the web form or the API), newest first. The
/// address is the only key: an account sees exactly what its address filed, and the
/// index on `application.applicant_email` makes it one range read.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_of(db: &Db, email: &str) -> Result<Vec<ResidentCase>, sqlx::Error> {
    cases_page(db, email, 500, 0).await
}

const CASE_SELECT: &str = "SELECT c.znak, c.title, s.name, c.status, a.submitted_at, c.due_on, \
     c.tracking_code FROM application a JOIN case_file c ON c.id = a.case_id \
     JOIN service_card s ON s.id = a.service_card_id";

type CaseRow = (String, String, String, String, UtcTime, SqlDate, String);

fn resident_case(row: CaseRow) -> Result<ResidentCase, sqlx::Error> {
    let (znak, title, service, status, submitted_at, due, tracking_code) = row;
    Ok(ResidentCase {
        znak,
        title,
        service,
        status: row::column("status", status)?,
        submitted_at,
        due_date: due.to_jiff(),
        tracking_code,
    })
}

/// One page of the cases filed with `email`, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_page(
    db: &Db,
    email: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResidentCase>, sqlx::Error> {
    let sql = format!(
        "{CASE_SELECT} WHERE a.applicant_email = $1 \
         ORDER BY a.submitted_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
    );
    let rows: Vec<CaseRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(email)
            .fetch_all(c)
            .await
    })?;
    rows.into_iter().map(resident_case).collect()
}

/// How many cases were filed with `email`.
pub async fn count_cases(db: &Db, email: &str) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM application WHERE applicant_email = $1")
            .bind(email)
            .fetch_one(c)
            .await
    })
}

/// The case of `tracking_code` (normalised) when it was filed with `email`; `None` for
/// anybody else's case as for no case at all.
pub async fn case_of(
    db: &Db,
    email: &str,
    tracking_code: &str,
) -> Result<Option<ResidentCase>, sqlx::Error> {
    let sql = format!("{CASE_SELECT} WHERE a.applicant_email = $1 AND c.tracking_code = $2");
    let row: Option<CaseRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(email)
            .bind(tracking_code)
            .fetch_optional(c)
            .await
    })?;
    row.map(resident_case).transpose()
}
