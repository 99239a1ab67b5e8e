//! Staff sessions and the per-request [`Visitor`].
//!
//! A session is a random 256-bit token in an HttpOnly cookie; the database keeps only
//! its SHA-256, so several app servers share sessions and a leaked table leaks none.
//! Each login creates a new token (rotation: a token planted before login is useless).
//! A session ends after `session_idle_minutes` without requests or
//! `session_absolute_hours` after login, whichever comes first.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use cookie::{Cookie, SameSite};
use jiff::SignedDuration;

use super::policy::{Grant, Permission, Role, Scope, scope_of};
use super::secret::{random_token, token_hash};
use crate::app::AppState;
use crate::db::audit::Actor;
use crate::db::{Db, UtcTime};
use crate::residents::RESIDENT_COOKIE;
use crate::residents::store::{self as resident_store, CurrentResident};
use crate::web::client_address::client_address;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::with_db;

pub const SESSION_COOKIE: &str = "magistrat_session";
pub const CSRF_COOKIE: &str = "magistrat_csrf";
pub const LANG_COOKIE: &str = "magistrat_lang";
pub const FLASH_COOKIE: &str = "magistrat_flash";

/// A signed-in staff member, as loaded for this request.
#[derive(Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    pub session_hash: String,
    pub csrf_token: String,
    /// The version of the unit data (`catalogue_version`) read with the session: the
    /// request's unit tree is this process's copy when it is of this version
    /// (`auth::scope::UnitTreeCache`).
    pub units_version: i64,
}

impl CurrentUser {
    pub fn scope(&self, permission: Permission) -> Scope {
        scope_of(&self.grants, permission)
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.scope(permission).is_granted()
    }

    /// Fails with 403 unless the user holds `permission` somewhere.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// Everything the request knows about who is asking: language, address, the signed-in
/// user if any, and the CSRF token their forms must carry.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub lang: Lang,
    /// The client's address: the socket's peer, or behind a trusted proxy the address
    /// it forwarded for (`web::client_address`).
    pub ip: Option<String>,
    /// The request carried forwarding headers from a peer that is not a trusted proxy.
    pub forwarding_ignored: bool,
    pub user: Option<Arc<CurrentUser>>,
    /// A signed-in resident (`/my-cases`), from their own cookie.
    pub resident: Option<Arc<CurrentResident>>,
    /// The session cookie named a session that has ended.
    pub session_expired: bool,
    pub csrf_token: String,
    /// A one-time message (Fluent id) left by the previous request.
    pub flash: Option<String>,
}

impl Visitor {
    /// The audit actor: the user, or `anonymous` with the address.
    pub fn actor(&self) -> Actor {
        match &self.user {
            Some(u) => Actor {
                user_id: Some(u.id),
                login: u.login.clone(),
                ip: self.ip.clone(),
            },
            None => {
                let anonymous = Actor {
                    user_id: None,
                    login: "anonymous".to_owned(),
                    ip: self.ip.clone(),
                };
                match &self.resident {
                    Some(r) => resident_store::resident_actor(&anonymous, &r.email),
                    None => anonymous,
                }
            }
        }
    }

    /// The signed-in staff member, or the reason there is none.
    pub fn staff(&self) -> AppResult<&Arc<CurrentUser>> {
        match &self.user {
            Some(user) => {
                user.require(Permission::StaffArea)?;
                Ok(user)
            }
            None if self.session_expired => Err(AppError::SessionExpired),
            None => Err(AppError::NotSignedIn),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("visitor middleware missing")))
    }
}

/// Extracts the signed-in staff member holding at least the staff-area permission;
/// anyone else is sent to the login page (or, signed in without it, refused).
#[derive(Clone, Debug)]
pub struct Staff(pub Arc<CurrentUser>, pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let user = visitor.staff()?.clone();
        Ok(Staff(user, visitor))
    }
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A cookie for this site: HttpOnly, SameSite=Lax, `Secure` behind TLS.
pub fn build_cookie(
    name: &str,
    value: String,
    secure: bool,
    max_age_seconds: Option<i64>,
) -> HeaderValue {
    let mut cookie = Cookie::build((name.to_owned(), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    if let Some(seconds) = max_age_seconds {
        cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
    }
    HeaderValue::from_str(&cookie.build().encoded().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    build_cookie(name, String::new(), secure, Some(0))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    csrf_token: String,
    last_seen_at: UtcTime,
    expires_at: UtcTime,
    login: String,
    display_name: String,
    active: bool,
    /// One of the user's roles (NULL when they hold none): the session and its grants
    /// come in one round trip, one row per grant.
    role: Option<String>,
    org_unit_id: Option<i64>,
    units_version: i64,
}

/// Loads the visitor for every request and writes back the cookies it changed.
pub async fn visitor_middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let secure = state.config.behind_tls();
    let lang = cookie_value(headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or_default();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let client = client_address(peer, headers, &state.config.trusted_proxies);
    let ip = client.ip.map(|ip| ip.to_string());
    let flash = cookie_value(headers, FLASH_COOKIE)
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(str::to_owned);
    let session_token = cookie_value(headers, SESSION_COOKIE).map(str::to_owned);
    let anon_csrf = cookie_value(headers, CSRF_COOKIE)
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_owned);

    let mut session_expired = false;
    let mut user = None;
    if let Some(token) = &session_token {
        match load_session(&state, token).await {
            Ok(SessionState::Valid(u)) => user = Some(Arc::new(u)),
            Ok(SessionState::Ended) => session_expired = true,
            Ok(SessionState::Unknown) => {}
            Err(e) => tracing::error!(error = %e, "session lookup failed"),
        }
    }
    let (resident, resident_ended) = match cookie_value(headers, RESIDENT_COOKIE) {
        Some(token) => load_resident(&state, token).await,
        None => (None, false),
    };
    let new_anon_csrf = match (&user, &anon_csrf) {
        (None, None) => Some(random_token()),
        _ => None,
    };
    let csrf_token = match &user {
        Some(u) => u.csrf_token.clone(),
        None => anon_csrf
            .or_else(|| new_anon_csrf.clone())
            .unwrap_or_default(),
    };
    request.extensions_mut().insert(Visitor {
        lang,
        ip,
        forwarding_ignored: client.forwarding_ignored,
        user,
        resident,
        session_expired,
        csrf_token,
        flash: flash.clone(),
    });

    let mut response = next.run(request).await;
    let out = response.headers_mut();
    if let Some(token) = new_anon_csrf {
        out.append(
            header::SET_COOKIE,
            build_cookie(CSRF_COOKIE, token, secure, None),
        );
    }
    // An ended session's cookie goes, unless this response is a new login.
    if session_expired && !sets_cookie(out, SESSION_COOKIE) {
        out.append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE, secure));
    }
    if resident_ended && !sets_cookie(out, RESIDENT_COOKIE) {
        out.append(header::SET_COOKIE, clear_cookie(RESIDENT_COOKIE, secure));
    }
    // A flash is shown once: clear it unless this response sets a new one.
    if flash.is_some() && !sets_cookie(out, FLASH_COOKIE) {
        out.append(header::SET_COOKIE, clear_cookie(FLASH_COOKIE, secure));
    }
    response
}

/// The resident of a resident cookie, and whether the cookie should go.
async fn load_resident(state: &AppState, token: &str) -> (Option<Arc<CurrentResident>>, bool) {
    match resident_store::load_session(&state.db, token, state.config.session_idle_minutes).await {
        Ok(resident_store::SessionState::Valid(r)) => (Some(Arc::new(r)), false),
        Ok(resident_store::SessionState::Ended | resident_store::SessionState::Unknown) => {
            (None, true)
        }
        Err(e) => {
            tracing::error!(error = %e, "resident session lookup failed");
            (None, false)
        }
    }
}

fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(format!("{name}=").as_bytes()))
}

enum SessionState {
    Valid(CurrentUser),
    Ended,
    Unknown,
}

async fn load_session(state: &AppState, token: &str) -> Result<SessionState, sqlx::Error> {
    let hash = token_hash(token);
    let db = &state.db;
    let rows: Vec<SessionRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, \
             u.login, u.display_name, u.active, r.role, r.org_unit_id, \
             (SELECT version FROM catalogue_version WHERE id = 1) AS units_version \
             FROM session s JOIN app_user u ON u.id = s.user_id \
             LEFT JOIN user_role r ON r.user_id = u.id \
             WHERE s.token_hash = $1 ORDER BY r.id",
        )
        .bind(&hash)
        .fetch_all(c)
        .await
    })?;
    let grants = grants_of(&rows);
    let Some(row) = rows.into_iter().next() else {
        return Ok(SessionState::Unknown);
    };
    let clock = SessionClock {
        table: SessionTable::Staff,
        last_seen_at: row.last_seen_at,
        expires_at: row.expires_at,
        idle_minutes: state.config.session_idle_minutes,
    };
    if !clock.keep_alive(db, &hash, row.active).await? {
        return Ok(SessionState::Ended);
    }
    Ok(SessionState::Valid(CurrentUser {
        id: row.user_id,
        login: row.login,
        display_name: row.display_name,
        grants,
        session_hash: hash,
        csrf_token: row.csrf_token,
        units_version: row.units_version,
    }))
}

fn grants_of(rows: &[SessionRow]) -> Vec<Grant> {
    rows.iter()
        .filter_map(|r| {
            let role = r.role.as_deref()?.parse::<Role>().ok()?;
            Some(Grant {
                role,
                org_unit_id: r.org_unit_id,
            })
        })
        .collect()
}

pub async fn load_grants(db: &Db, user_id: i64) -> Result<Vec<Grant>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>)> = with_db!(db, |c| {
        sqlx::query_as("SELECT role, org_unit_id FROM user_role WHERE user_id = $1 ORDER BY id")
            .bind(user_id)
            .fetch_all(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(role, unit)| {
            role.parse::<Role>().ok().map(|role| Grant {
                role,
                org_unit_id: unit,
            })
        })
        .collect())
}

pub async fn delete_session(db: &Db, hash: &str) -> Result<(), sqlx::Error> {
    SessionTable::Staff.delete(db, hash).await
}

/// The tables of the two kinds of session; both have `token_hash`, `last_seen_at` and
/// `expires_at`, and follow the same time-outs.
#[derive(Clone, Copy, Debug)]
pub enum SessionTable {
    Staff,
    /// `residents`: a resident's `/my-cases` session.
    Resident,
}

impl SessionTable {
    fn name(self) -> &'static str {
        match self {
            SessionTable::Staff => "session",
            SessionTable::Resident => "resident_session",
        }
    }

    pub async fn delete(self, db: &Db, hash: &str) -> Result<(), sqlx::Error> {
        let sql = format!("DELETE FROM {} WHERE token_hash = $1", self.name());
        with_db!(db, |c| {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(hash)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}

/// A session's clock as read with it.
pub struct SessionClock {
    pub table: SessionTable,
    pub last_seen_at: UtcTime,
    pub expires_at: UtcTime,
    pub idle_minutes: u32,
}

impl SessionClock {
    /// Applies the time-outs now: a session past its absolute end, idle too long, or
    /// not `usable` (a disabled account) is deleted and `false` returned. A live one's
    /// idle clock moves at most once a minute: a write per request would make every
    /// page view a write on SQLite's single writer.
    pub async fn keep_alive(&self, db: &Db, hash: &str, usable: bool) -> Result<bool, sqlx::Error> {
        let now = db.clock().now();
        let idle = SignedDuration::from_mins(i64::from(self.idle_minutes));
        if !usable || now >= self.expires_at || now >= self.last_seen_at.checked_add(idle) {
            self.table.delete(db, hash).await?;
            return Ok(false);
        }
        if now.0.duration_since(self.last_seen_at.0) > SignedDuration::from_secs(60) {
            let sql = format!(
                "UPDATE {} SET last_seen_at = $1 WHERE token_hash = $2",
                self.table.name()
            );
            with_db!(db, |c| {
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(now)
                    .bind(hash)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
        }
        Ok(true)
    }
}

/// Creates a session for `user_id` and returns the cookie token. The caller commits
/// `tx` together with the login's audit event.
pub async fn create_session(
    tx: &mut crate::db::Tx,
    user_id: i64,
    absolute_hours: u32,
    ip: Option<&str>,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = tx.now();
    let expires = now.checked_add(SignedDuration::from_hours(i64::from(absolute_hours)));
    crate::with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at, \
             expires_at, ip) VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(random_token())
        .bind(now)
        .bind(expires)
        .bind(ip)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(token)
}
