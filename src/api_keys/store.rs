//! API keys in the database: the keys (only their keyed hash), the server secret the
//! hash is keyed with, and the record of each key's last use.

use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// A stored key, without anything that would let one use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_at: UtcTime,
    pub created_by: String,
    pub revoked_at: Option<UtcTime>,
    pub last_used_at: Option<UtcTime>,
}

impl ApiKey {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.split(' ').any(|s| s == scope)
    }
}

/// A key's row with its hash, for checking a presented key.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredKey {
    #[sqlx(flatten)]
    pub key: ApiKey,
    pub hash: String,
}

const COLUMNS: &str = "id, name, prefix, scopes, created_at, created_by, revoked_at, last_used_at";

pub async fn list(db: &Db) -> Result<Vec<ApiKey>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM api_key ORDER BY revoked_at IS NOT NULL, name");
    with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(c)
        .await)
}

pub async fn by_prefix(db: &Db, prefix: &str) -> Result<Option<StoredKey>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS}, hash FROM api_key WHERE prefix = $1");
    with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(prefix)
        .fetch_optional(c)
        .await)
}

pub async fn by_name(tx: &mut Tx, name: &str) -> Result<Option<ApiKey>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM api_key WHERE name = $1");
    with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(name)
        .fetch_optional(c)
        .await)
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<ApiKey>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM api_key WHERE id = $1");
    with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// What the audit trail records of a new key (never the key or its hash).
#[derive(Serialize)]
struct AuditedKey<'a> {
    name: &'a str,
    prefix: &'a str,
    scopes: &'a str,
}

/// Inserts a key (name unique: `api_key_name`) and records it.
pub async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    name: &str,
    prefix: &str,
    hash: &str,
    scopes: &str,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO api_key (name, prefix, hash, scopes, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(name)
    .bind(prefix)
    .bind(hash)
    .bind(scopes)
    .bind(now)
    .bind(&actor.login)
    .fetch_one(c)
    .await)?;
    let after = AuditedKey {
        name,
        prefix,
        scopes,
    };
    audit::record(tx, actor, Change::created("api_key", id, &after)).await?;
    Ok(id)
}

/// Revokes a key that is not yet revoked; false when it already was.
pub async fn revoke(tx: &mut Tx, actor: &Actor, key: &ApiKey) -> Result<bool, sqlx::Error> {
    let now = tx.now();
    let changed = crate::execute_tx!(
        tx,
        "UPDATE api_key SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        now,
        key.id
    )?;
    if changed == 1 {
        let change = Change::action("revoke", "api_key", key.id).with_after(&AuditedKey {
            name: &key.name,
            prefix: &key.prefix,
            scopes: &key.scopes,
        });
        audit::record(tx, actor, change).await?;
    }
    Ok(changed == 1)
}

/// Notes the key's use (the use itself is audited by what it did).
pub async fn touch(tx: &mut Tx, key_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    crate::execute_tx!(
        tx,
        "UPDATE api_key SET last_used_at = $1 WHERE id = $2",
        now,
        key_id
    )?;
    Ok(())
}

/// The named server secret, generated and stored by the first server that needs it
/// (every app server then reads the same one).
pub async fn server_secret(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    let fresh = crate::auth::secret::random_token();
    with_db!(db, |c| sqlx::query(
        "INSERT INTO server_secret (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
    )
    .bind(name)
    .bind(&fresh)
    .execute(c)
    .await
    .map(|_| ()))?;
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT secret FROM server_secret WHERE name = $1"
    )
    .bind(name)
    .fetch_one(c)
    .await)
}
