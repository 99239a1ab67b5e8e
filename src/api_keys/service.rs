//! API keys as other capabilities use them: create, revoke, and check a presented key
//! for a scope; and the limits on a key's and an address's requests.
//!
//! A key is 256 random bits behind a public prefix (`mgk_<prefix>_<secret>`,
//! `magistrat_domain::problem_report::split_key`). The database keeps HMAC-SHA256 of the
//! whole key under a server secret: checking a key costs one hash, not a password
//! hash per request (the key is random, so nothing is gained by slowing a guesser),
//! and the table of hashes alone does not let anyone test guesses. The row is read on
//! every request, so a revoked key is refused at once on every app server
//! (docs/decisions/0035).

use std::sync::Arc;

use hmac::{Hmac, KeyInit, Mac};
use magistrat_domain::problem_report::{KEY_PREFIX_LEN, split_key};
use sha2_next::Sha256;
use tokio::sync::OnceCell;

use super::store::{self, ApiKey};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::platform::Clock;
use crate::platform::throttle::{Ration, address_key};

/// What a key may be used for.
pub const SCOPES: &[&str] = &["reports:create"];

/// The longest key name.
pub const MAX_NAME: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ApiKeyError {
    #[error("a key of that name exists")]
    NameTaken,
    #[error(
        "the name is empty, too long or holds characters other than letters, digits, spaces, . _ -"
    )]
    BadName,
    #[error("unknown scope `{0}`")]
    UnknownScope(String),
    #[error("no such key")]
    NotFound,
    #[error("the key is revoked already")]
    AlreadyRevoked,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Why a presented key is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRefusal {
    Missing,
    Invalid,
    Revoked,
    OutOfScope,
}

/// A key that passed: who is acting.
#[derive(Clone, Debug)]
pub struct KeyHolder {
    pub id: i64,
    pub name: String,
}

impl KeyHolder {
    /// The actor the audit trail names for what the key did: `apikey:<name>` and the
    /// address it came from.
    pub fn actor(&self, ip: Option<String>) -> Actor {
        Actor {
            user_id: None,
            login: format!("apikey:{}", self.name),
            ip,
        }
    }
}

/// A key name: 1–100 characters of letters, digits, spaces and `. _ -`.
pub fn parse_name(name: &str) -> Result<String, ApiKeyError> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if ok {
        Ok(name.to_owned())
    } else {
        Err(ApiKeyError::BadName)
    }
}

/// Scopes as stored: known ones, space separated, each once; all of them when none
/// is named.
pub fn parse_scopes<'a>(scopes: impl IntoIterator<Item = &'a str>) -> Result<String, ApiKeyError> {
    let mut chosen: Vec<&str> = Vec::new();
    for s in scopes {
        let s = s.trim();
        let known = SCOPES
            .iter()
            .find(|k| **k == s)
            .ok_or_else(|| ApiKeyError::UnknownScope(s.to_owned()))?;
        if !chosen.contains(known) {
            chosen.push(known);
        }
    }
    if chosen.is_empty() {
        chosen = SCOPES.to_vec();
    }
    Ok(chosen.join(" "))
}

/// The HMAC key, read once per process (it never changes once stored).
#[derive(Clone, Default)]
pub struct KeySecret(Arc<OnceCell<Vec<u8>>>);

impl KeySecret {
    async fn get(&self, db: &Db) -> Result<&[u8], sqlx::Error> {
        self.0
            .get_or_try_init(|| async {
                let hex_secret = store::server_secret(db, "api_key").await?;
                Ok(hex::decode(&hex_secret).unwrap_or_else(|_| hex_secret.into_bytes()))
            })
            .await
            .map(Vec::as_slice)
    }
}

fn keyed_hash(secret: &[u8], key: &str) -> String {
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(key.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Creates a key; returns it with the key itself, shown this once and never again.
pub async fn create(
    db: &Db,
    secret: &KeySecret,
    actor: &Actor,
    name: &str,
    scopes: &str,
) -> Result<(ApiKey, String), ApiKeyError> {
    let name = parse_name(name)?;
    let token = crate::auth::secret::random_token();
    let prefix = token[..KEY_PREFIX_LEN].to_owned();
    let key = format!("mgk_{prefix}_{}", crate::auth::secret::random_token());
    let hash = keyed_hash(secret.get(db).await?, &key);
    let mut tx = db.begin().await?;
    if store::by_name(&mut tx, &name).await?.is_some() {
        return Err(ApiKeyError::NameTaken);
    }
    let id = store::insert(&mut tx, actor, &name, &prefix, &hash, scopes).await?;
    let stored = store::by_id(&mut tx, id)
        .await?
        .ok_or(ApiKeyError::NotFound)?;
    tx.commit().await?;
    Ok((stored, key))
}

/// Revokes the key of that name.
pub async fn revoke_by_name(db: &Db, actor: &Actor, name: &str) -> Result<ApiKey, ApiKeyError> {
    let mut tx = db.begin().await?;
    let key = store::by_name(&mut tx, name.trim())
        .await?
        .ok_or(ApiKeyError::NotFound)?;
    revoke_in(tx, actor, key).await
}

/// Revokes the key with that id.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<ApiKey, ApiKeyError> {
    let mut tx = db.begin().await?;
    let key = store::by_id(&mut tx, id)
        .await?
        .ok_or(ApiKeyError::NotFound)?;
    revoke_in(tx, actor, key).await
}

async fn revoke_in(
    mut tx: crate::db::Tx,
    actor: &Actor,
    key: ApiKey,
) -> Result<ApiKey, ApiKeyError> {
    if !store::revoke(&mut tx, actor, &key).await? {
        return Err(ApiKeyError::AlreadyRevoked);
    }
    tx.commit().await?;
    Ok(key)
}

pub async fn list(db: &Db) -> Result<Vec<ApiKey>, sqlx::Error> {
    store::list(db).await
}

/// Checks a presented key for `scope`, reading its row now (so a revocation on any
/// server counts at once).
pub async fn authenticate(
    db: &Db,
    secret: &KeySecret,
    presented: &str,
    scope: &str,
) -> Result<Result<KeyHolder, KeyRefusal>, sqlx::Error> {
    let presented = presented.trim();
    if presented.is_empty() {
        return Ok(Err(KeyRefusal::Missing));
    }
    let Some(prefix) = split_key(presented) else {
        return Ok(Err(KeyRefusal::Invalid));
    };
    let Some(stored) = store::by_prefix(db, prefix).await? else {
        return Ok(Err(KeyRefusal::Invalid));
    };
    let hash = keyed_hash(secret.get(db).await?, presented);
    if !crate::auth::secret::constant_time_eq(&hash, &stored.hash) {
        return Ok(Err(KeyRefusal::Invalid));
    }
    if stored.key.is_revoked() {
        return Ok(Err(KeyRefusal::Revoked));
    }
    if !stored.key.has_scope(scope) {
        return Ok(Err(KeyRefusal::OutOfScope));
    }
    Ok(Ok(KeyHolder {
        id: stored.key.id,
        name: stored.key.name,
    }))
}

/// Notes a key's use in the writer's transaction.
pub async fn touch(tx: &mut crate::db::Tx, holder: &KeyHolder) -> Result<(), sqlx::Error> {
    store::touch(tx, holder.id).await
}

/// Requests a key may make per minute.
pub const PER_KEY_PER_MINUTE: u32 = 60;
/// Requests one client address may make per minute to the integrators' API.
pub const PER_ADDRESS_PER_MINUTE: u32 = 300;

/// The limits of the integrators' API: per key and per client address, per minute of
/// the office's clock (`platform::throttle::Ration`, in memory per app server).
pub struct KeyLimits {
    per_key: Ration,
    per_address: Ration,
}

impl Default for KeyLimits {
    fn default() -> Self {
        Self {
            per_key: Ration::new(PER_KEY_PER_MINUTE),
            per_address: Ration::new(PER_ADDRESS_PER_MINUTE),
        }
    }
}

impl KeyLimits {
    fn minute(clock: &Clock) -> (i64, u64) {
        let s = clock.timestamp().as_second();
        let left = 60 - s.rem_euclid(60);
        (s.div_euclid(60), u64::try_from(left).unwrap_or(60))
    }

    /// Takes one of the address's requests this minute; `Err(seconds)` to wait.
    pub fn address(&self, clock: &Clock, ip: Option<&str>) -> Result<(), u64> {
        let (minute, left) = Self::minute(clock);
        if self.per_address.take(&address_key(ip), minute) {
            Ok(())
        } else {
            Err(left)
        }
    }

    /// Takes one of the key's requests this minute; `Err(seconds)` to wait.
    pub fn key(&self, clock: &Clock, holder: &KeyHolder) -> Result<(), u64> {
        let (minute, left) = Self::minute(clock);
        if self.per_key.take(&holder.id.to_string(), minute) {
            Ok(())
        } else {
            Err(left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_scopes() {
        assert_eq!(
            parse_name(" Aplikacja Miasta 2.0 ").ok().as_deref(),
            Some("Aplikacja Miasta 2.0")
        );
        assert!(parse_name("").is_err());
        assert!(parse_name("a<b>").is_err());
        assert!(parse_name(&"x".repeat(101)).is_err());
        assert_eq!(parse_scopes([]).ok().as_deref(), Some("reports:create"));
        assert_eq!(
            parse_scopes(["reports:create", "reports:create"])
                .ok()
                .as_deref(),
            Some("reports:create")
        );
        assert!(parse_scopes(["root"]).is_err());
    }

    #[test]
    fn the_hash_is_keyed() {
        let a = keyed_hash(b"one", "mgk_x");
        assert_eq!(a.len(), 64);
        assert_eq!(a, keyed_hash(b"one", "mgk_x"));
        assert_ne!(a, keyed_hash(b"two", "mgk_x"));
        // RFC 4231 test case 2.
        assert_eq!(
            keyed_hash(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
