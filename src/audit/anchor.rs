//! Anchoring the audit chain outside the database (docs/decisions/0024).
//!
//! The hash chain of `db::audit` proves the trail consistent, but whoever can write to
//! the database can rewrite an event and recompute every hash after it, or delete the
//! last events and move the head back, and the chain still verifies. A *checkpoint*
//! fixes the chain's head at a moment: the number of the last event, its hash, the
//! count of events and the office clock's moment, signed with an Ed25519 key that only
//! the configuration (a file on the app server) holds. Published and mailed out of
//! the database's reach, a checkpoint lets anyone holding the public key prove that
//! nothing at or before its event has changed since ([`verify_against`]).

use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::db::audit::{self, Actor, Change, GENESIS_HASH, Problem, Verdict};
use crate::db::{Db, UtcTime};
use crate::{with_db, with_tx};

/// The first line of every signed checkpoint: what the bytes are, so a signature made
/// with this key for anything else can never pass for a checkpoint.
pub const FORMAT: &str = "magistrat-audit-checkpoint/1";

/// A signed checkpoint of the chain's head, as stored, published, mailed and read by
/// `magistrat audit verify --against`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Always [`FORMAT`].
    pub format: String,
    /// The number (`seq`) of the last event covered.
    pub seq: i64,
    /// How many events the chain held (equal to `seq` in a whole chain; both signed,
    /// so that a reader need not know that).
    pub events: i64,
    /// The hash of event `seq` (hex SHA-256).
    pub head_hash: String,
    /// When it was taken, by the office's clock (UTC, microseconds).
    pub taken_at: String,
    /// The Ed25519 public key that signed it (hex).
    pub public_key: String,
    /// The Ed25519 signature of [`Checkpoint::signed_text`] (hex).
    pub signature: String,
}

impl Checkpoint {
    /// Signs the head (`seq`, `head_hash`) of a chain of `events` events at `taken_at`.
    pub fn sign(
        key: &SigningKey,
        seq: i64,
        events: i64,
        head_hash: &str,
        taken_at: UtcTime,
    ) -> Self {
        let mut checkpoint = Self {
            format: FORMAT.to_owned(),
            seq,
            events,
            head_hash: head_hash.to_owned(),
            taken_at: taken_at.to_canonical(),
            public_key: hex::encode(key.verifying_key().as_bytes()),
            signature: String::new(),
        };
        checkpoint.signature =
            hex::encode(key.sign(checkpoint.signed_text().as_bytes()).to_bytes());
        checkpoint
    }

    /// The bytes the signature covers: one `name: value` line per field, in a fixed
    /// order, so that they can be rebuilt exactly from the JSON or the text list.
    pub fn signed_text(&self) -> String {
        format!(
            "{}\nseq: {}\nevents: {}\nhead: {}\ntaken_at: {}\n",
            self.format, self.seq, self.events, self.head_hash, self.taken_at
        )
    }

    /// Whether `key` made this checkpoint's signature (strict Ed25519 verification).
    pub fn signed_by(&self, key: &VerifyingKey) -> bool {
        let Ok(bytes) = hex::decode(&self.signature) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&bytes) else {
            return false;
        };
        self.format == FORMAT
            && key
                .verify_strict(self.signed_text().as_bytes(), &signature)
                .is_ok()
    }

    /// The key the checkpoint names as its signer.
    pub fn named_key(&self) -> Result<VerifyingKey, KeyError> {
        parse_public_key(&self.public_key)
    }
}

/// Reads one checkpoint (a JSON object, as `audit checkpoint --output` writes and the
/// security officer's mail carries) or a list of them (the published
/// `/audit/checkpoints.json`).
pub fn parse_checkpoints(text: &str) -> Result<Vec<Checkpoint>, serde_json::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Checkpoint),
        Many(Vec<Checkpoint>),
    }
    Ok(match serde_json::from_str(text)? {
        OneOrMany::One(c) => vec![c],
        OneOrMany::Many(list) => list,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key file {0}: {1}")]
    Read(String, std::io::Error),
    #[error(
        "the key file {0} can be read by other users; make it readable by the server's user only (chmod 600)"
    )]
    TooOpen(String),
    #[error("the key file {0} does not hold one Ed25519 key (64 hexadecimal digits)")]
    Malformed(String),
    #[error("`{0}` is not an Ed25519 public key (64 hexadecimal digits)")]
    PublicKey(String),
    #[error("{0} already exists; choose a new file (an existing key is never overwritten)")]
    Exists(String),
    #[error("cannot write the key file {0}: {1}")]
    Write(String, std::io::Error),
}

/// Reads the signing key from `path` (see [`write_new_key`] for the format). A file
/// that others may read is refused, as ssh refuses an open private key.
pub fn load_signing_key(path: &Path) -> Result<SigningKey, KeyError> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| KeyError::Read(shown.clone(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(KeyError::TooOpen(shown));
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let text = std::fs::read_to_string(path).map_err(|e| KeyError::Read(shown.clone(), e))?;
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let (Some(line), None) = (lines.next(), lines.next()) else {
        return Err(KeyError::Malformed(shown));
    };
    let mut seed = [0_u8; 32];
    hex::decode_to_slice(line, &mut seed).map_err(|_| KeyError::Malformed(shown))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Makes a new key from the operating system's randomness and writes it to `path`,
/// which must not exist, readable by its owner only (0600). Returns the public key.
pub fn write_new_key(path: &Path) -> Result<VerifyingKey, KeyError> {
    let shown = path.display().to_string();
    let mut seed = [0_u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Write(shown.clone(), e.into()))?;
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    let public = key.verifying_key();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(shown.clone())
        } else {
            KeyError::Write(shown.clone(), e)
        }
    })?;
    let text = format!(
        "# Magistrat: the key that signs audit checkpoints (Ed25519, secret).\n\
         # Keep it on the app server only: never in the database or its backups.\n\
         # public key: {}\n{}\n",
        hex::encode(public.as_bytes()),
        hex::encode(key.to_bytes())
    );
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| KeyError::Write(shown, e))?;
    Ok(public)
}

/// A public key written as 64 hexadecimal digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    let mut bytes = [0_u8; 32];
    hex::decode_to_slice(text.trim(), &mut bytes)
        .ok()
        .and_then(|()| VerifyingKey::from_bytes(&bytes).ok())
        .ok_or_else(|| KeyError::PublicKey(text.to_owned()))
}

/// What taking a checkpoint gave.
#[derive(Debug)]
pub enum Taken {
    Signed(Checkpoint),
    /// The chain is already broken: nothing is signed (a signature would vouch for a
    /// tampered trail).
    ChainBroken {
        seq: i64,
        problem: Problem,
    },
}

/// Verifies the whole chain, then signs its head, stores the checkpoint and records it
/// in the trail in one transaction.
pub async fn take(db: &Db, key: &SigningKey, actor: &Actor) -> Result<Taken, sqlx::Error> {
    let (events, head_hash) = match audit::verify(db).await? {
        Verdict::Broken { seq, problem } => return Ok(Taken::ChainBroken { seq, problem }),
        Verdict::Intact { events, head_hash } => (events, head_hash),
    };
    let mut tx = db.begin().await?;
    let taken_at = tx.now();
    let checkpoint = Checkpoint::sign(key, events, events, &head_hash, taken_at);
    let id: i64 = with_tx!(&mut tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO audit_checkpoint (seq, events, head_hash, taken_at, public_key, \
             signature) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(checkpoint.seq)
        .bind(checkpoint.events)
        .bind(&checkpoint.head_hash)
        .bind(taken_at)
        .bind(&checkpoint.public_key)
        .bind(&checkpoint.signature)
        .fetch_one(c)
        .await
    })?;
    audit::record(
        &mut tx,
        actor,
        Change::created("audit_checkpoint", id, &checkpoint),
    )
    .await?;
    tx.commit().await?;
    Ok(Taken::Signed(checkpoint))
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    events: i64,
    head_hash: String,
    taken_at: UtcTime,
    public_key: String,
    signature: String,
}

/// The stored checkpoints, newest first, at most `limit`. They are read as stored: a
/// row someone forged in the database fails its signature wherever it is checked.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<Checkpoint>, sqlx::Error> {
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT seq, events, head_hash, taken_at, public_key, signature \
             FROM audit_checkpoint ORDER BY taken_at DESC, id DESC LIMIT CAST($1 AS BIGINT)",
        )
        .bind(limit)
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Checkpoint {
            format: FORMAT.to_owned(),
            seq: r.seq,
            events: r.events,
            head_hash: r.head_hash,
            taken_at: r.taken_at.to_canonical(),
            public_key: r.public_key,
            signature: r.signature,
        })
        .collect())
}

/// What `audit verify --against` found.
#[derive(Debug, PartialEq, Eq)]
pub enum Anchored {
    /// Every checkpoint is signed by the key and the chain up to each is unchanged.
    Holds { seq: i64, checkpoints: usize },
    /// The checkpoint's signature is not the key's: forged or altered; nothing proved.
    BadSignature { seq: i64 },
    /// The chain is inconsistent at or before a checkpoint's event.
    Broken { seq: i64, problem: Problem },
    /// The chain ends at `first_missing - 1`, before the checkpoint's event `seq`:
    /// events were deleted (and the head moved back).
    Truncated { first_missing: i64, seq: i64 },
    /// The chain is consistent but event `seq` no longer has the signed hash: an event
    /// after `agrees_until` (the last checkpoint that still matches, if any) and at or
    /// before `seq` was changed and the chain recomputed.
    Rewritten {
        seq: i64,
        taken_at: String,
        agrees_until: Option<i64>,
    },
}

/// Checks `checkpoints` against the chain in the database: every signature against
/// `key`, then one walk up to the latest checkpoint comparing the hash at each.
pub async fn verify_against(
    db: &Db,
    checkpoints: &[Checkpoint],
    key: &VerifyingKey,
) -> Result<Anchored, sqlx::Error> {
    let mut sorted: Vec<&Checkpoint> = checkpoints.iter().collect();
    sorted.sort_by_key(|c| c.seq);
    if let Some(forged) = sorted.iter().find(|c| !c.signed_by(key)) {
        return Ok(Anchored::BadSignature { seq: forged.seq });
    }
    let last = sorted.last().map_or(0, |c| c.seq);
    let stops: Vec<i64> = sorted.iter().map(|c| c.seq).collect();
    let walk = audit::walk(db, Some(last), &stops).await?;
    let mut agrees_until = None;
    for checkpoint in &sorted {
        if let Some((seq, problem)) = walk.broken
            && seq <= checkpoint.seq
        {
            return Ok(Anchored::Broken { seq, problem });
        }
        if walk.events < checkpoint.seq {
            return Ok(Anchored::Truncated {
                first_missing: walk.events + 1,
                seq: checkpoint.seq,
            });
        }
        let hash = if checkpoint.seq == 0 {
            Some(GENESIS_HASH)
        } else {
            walk.hash_at(checkpoint.seq)
        };
        if hash != Some(checkpoint.head_hash.as_str()) || checkpoint.events != checkpoint.seq {
            return Ok(Anchored::Rewritten {
                seq: checkpoint.seq,
                taken_at: checkpoint.taken_at.clone(),
                agrees_until,
            });
        }
        agrees_until = Some(checkpoint.seq);
    }
    Ok(Anchored::Holds {
        seq: last,
        checkpoints: sorted.len(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 8032 section 7.1, test 1: the secret key and the public key it gives.
    const RFC_SECRET: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const RFC_PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    fn rfc_key() -> SigningKey {
        let mut seed = [0_u8; 32];
        hex::decode_to_slice(RFC_SECRET, &mut seed).unwrap();
        SigningKey::from_bytes(&seed)
    }

    fn moment() -> UtcTime {
        UtcTime::from_timestamp("2026-12-03T23:00:00.123456789Z".parse().unwrap())
    }

    #[test]
    fn signs_the_head_in_a_fixed_text() {
        let c = Checkpoint::sign(&rfc_key(), 42, 42, &"ab".repeat(32), moment());
        assert_eq!(c.public_key, RFC_PUBLIC);
        // Written out by hand from the format: one field a line, nanoseconds dropped.
        assert_eq!(
            c.signed_text(),
            format!(
                "magistrat-audit-checkpoint/1\nseq: 42\nevents: 42\nhead: {}\n\
                 taken_at: 2026-12-03T23:00:00.123456Z\n",
                "ab".repeat(32)
            )
        );
        assert!(c.signed_by(&rfc_key().verifying_key()));
        assert_eq!(c.signature.len(), 128);
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let key = rfc_key().verifying_key();
        let good = Checkpoint::sign(&rfc_key(), 42, 42, &"ab".repeat(32), moment());
        let changes: [fn(&mut Checkpoint); 6] = [
            |c| c.seq = 41,
            |c| c.events = 43,
            |c| c.head_hash = "ac".repeat(32),
            |c| c.taken_at = "2026-12-04T23:00:00.123456Z".into(),
            |c| c.format = "magistrat-audit-checkpoint/2".into(),
            |c| c.signature = "00".repeat(64),
        ];
        for change in changes {
            let mut forged = good.clone();
            change(&mut forged);
            assert!(!forged.signed_by(&key), "{forged:?}");
        }
        let other = SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert!(!good.signed_by(&other));
        let mut garbage = good;
        garbage.signature = "not hex".into();
        assert!(!garbage.signed_by(&key));
    }

    #[test]
    fn reads_one_or_many() {
        let c = Checkpoint::sign(&rfc_key(), 1, 1, &"ab".repeat(32), moment());
        let one = serde_json::to_string(&c).unwrap();
        assert_eq!(parse_checkpoints(&one).unwrap(), vec![c.clone()]);
        let many = serde_json::to_string(&vec![c.clone(), c.clone()]).unwrap();
        assert_eq!(parse_checkpoints(&many).unwrap().len(), 2);
        assert!(parse_checkpoints("{\"seq\": 1}").is_err());
        assert!(parse_public_key(RFC_PUBLIC).is_ok());
        assert!(parse_public_key("abc").is_err());
    }

    #[test]
    fn key_files_are_private_and_never_overwritten() {
        let dir = std::env::temp_dir().join(format!("magistrat-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("audit.key");
        let _ = std::fs::remove_file(&path);
        let public = write_new_key(&path).unwrap();
        assert_eq!(load_signing_key(&path).unwrap().verifying_key(), public);
        assert!(matches!(write_new_key(&path), Err(KeyError::Exists(_))));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(load_signing_key(&path), Err(KeyError::TooOpen(_))));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
