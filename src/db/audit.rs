//! The audit trail: every state change writes one event in the same transaction as the
//! change itself. Events form a SHA-256 hash chain: each event's hash covers its content
//! and the hash of the event before it, so an edited, deleted or reordered event breaks
//! the chain at that point and `magistrat audit verify` names it.
//!
//! Writers serialise on the single `audit_head` row, which they update inside their own
//! transaction: on PostgreSQL the row lock orders concurrent writers (also across app
//! servers), on SQLite the database's single writer does. The chain therefore stays one
//! line (ISO/IEC 27001:2022 Annex A 8.15, logging; docs/decisions/0003-audit-chain.md).

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// The hash the first event links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it: a signed-in user, or the system itself (CLI, jobs, demo seed).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub login: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Self {
            user_id: None,
            login: format!("system:{what}"),
            ip: None,
        }
    }
}

/// One change to record.
#[derive(Debug)]
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Change<'a> {
    #[allow(
        clippy::needless_pass_by_value,
        reason = "ids are passed as values (i64, &str); a reference would add & at every call"
    )]
    pub fn created(entity_type: &'a str, id: impl ToString, after: &impl Serialize) -> Self {
        Self {
            action: "create",
            entity_type,
            entity_id: id.to_string(),
            before: None,
            after: serde_json::to_value(after).ok(),
        }
    }

    #[allow(
        clippy::needless_pass_by_value,
        reason = "ids are passed as values (i64, &str); a reference would add & at every call"
    )]
    pub fn updated(
        entity_type: &'a str,
        id: impl ToString,
        before: &impl Serialize,
        after: &impl Serialize,
    ) -> Self {
        Self {
            action: "update",
            entity_type,
            entity_id: id.to_string(),
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
        }
    }

    #[allow(
        clippy::needless_pass_by_value,
        reason = "ids are passed as values (i64, &str); a reference would add & at every call"
    )]
    pub fn action(action: &'a str, entity_type: &'a str, id: impl ToString) -> Self {
        Self {
            action,
            entity_type,
            entity_id: id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn with_after(mut self, after: &impl Serialize) -> Self {
        self.after = serde_json::to_value(after).ok();
        self
    }

    pub fn with_before(mut self, before: &impl Serialize) -> Self {
        self.before = serde_json::to_value(before).ok();
        self
    }
}

/// A stored event, as read back.
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub occurred_at: UtcTime,
    pub actor_id: Option<i64>,
    pub actor_login: String,
    pub ip: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event must carry given its content and `prev_hash`. The fields are
    /// serialised as one JSON array, so no field can bleed into the next.
    ///
    /// The array is serialised straight into the hasher — the same bytes as building a
    /// `serde_json::Value` array and printing it (compact JSON, fields in this order),
    /// without copying every field and the whole text first (docs/decisions/0021-speed.md;
    /// the test `hash_bytes_are_the_json_array` keeps the two equal).
    pub fn compute_hash(&self) -> String {
        let content = (
            self.seq,
            self.occurred_at.to_canonical(),
            self.actor_id,
            &self.actor_login,
            &self.ip,
            &self.action,
            &self.entity_type,
            &self.entity_id,
            &self.before_json,
            &self.after_json,
            &self.prev_hash,
        );
        let mut hasher = HashWriter(Sha256::new());
        // Writing into a hasher cannot fail, nor can serialising strings and numbers.
        let _ = serde_json::to_writer(&mut hasher, &content);
        hex::encode(hasher.0.finalize())
    }
}

/// Feeds what is written to it into SHA-256.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The chain's head as a transaction holds it: `None` until its first event (or
/// [`lock_head`]) reads and locks the `audit_head` row; then the last event's number
/// and hash, moved by each event this transaction appends and written back to the
/// row once, just before the commit ([`write_head`]).
///
/// Each event used to read the head, insert itself and write the head again: three
/// statements per event, twelve for a filing's four events. Now an event is one
/// `INSERT`, and a transaction adds one read of the head and one write of it
/// (docs/decisions/0021-speed.md). The order of locks is unchanged — the head is taken
/// at the first event or at [`lock_head`] and held to the end of the transaction — and
/// so is what a commit stores: the head row moves in the same transaction as the events.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeadState {
    held: Option<Head>,
}

#[derive(Clone, Debug)]
struct Head {
    seq: i64,
    hash: String,
    /// Events were appended since the row was read: it must be written at commit.
    moved: bool,
}

/// Reads the head and locks its row until the transaction ends (a row lock on
/// PostgreSQL — a no-op update, so it also orders writers across app servers; on
/// SQLite the write lock is held since `BEGIN IMMEDIATE`), unless this transaction
/// already holds it.
async fn take_head(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if tx.audit_head().held.is_some() {
        return Ok(());
    }
    let (seq, hash): (i64, String) = with_tx!(tx, |c| {
        sqlx::query_as(
            "UPDATE audit_head SET last_seq = last_seq WHERE id = 1 \
             RETURNING last_seq, last_hash",
        )
        .fetch_one(c)
        .await
    })?;
    tx.audit_head().held = Some(Head {
        seq,
        hash,
        moved: false,
    });
    Ok(())
}

/// Writes the head this transaction moved back to its row; called by [`Tx::commit`]
/// just before the commit.
pub(crate) async fn write_head(tx: &mut Tx) -> Result<(), sqlx::Error> {
    let Some(head) = tx.audit_head().held.take_if(|h| h.moved) else {
        return Ok(());
    };
    with_tx!(tx, |c| {
        sqlx::query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
            .bind(head.seq)
            .bind(&head.hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Takes the chain's head lock now instead of at the first [`record`]. A transaction
/// that locks another row (a register's counter) and records afterwards calls this
/// first, so that every writer takes its locks in one order — the head, then the
/// counter — and two of them cannot wait for each other (PostgreSQL would abort one
/// with "deadlock detected"; docs/decisions/0007). On SQLite the write lock is held
/// since `BEGIN IMMEDIATE` and this costs one no-op update (which also reads the head
/// the first event then needs).
pub async fn lock_head(tx: &mut Tx) -> Result<(), sqlx::Error> {
    take_head(tx).await
}

/// Appends one event to the chain inside `tx`. Call it in the transaction that makes the
/// change, so the change and its record commit or vanish together. The event carries
/// the transaction's moment ([`Tx::now`]), the same one as the rows it records.
pub async fn record(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> Result<i64, sqlx::Error> {
    // Taking the head first locks it until commit.
    take_head(tx).await?;
    let (last_seq, last_hash) = match &tx.audit_head().held {
        Some(head) => (head.seq, head.hash.clone()),
        None => return Err(sqlx::Error::RowNotFound),
    };
    let mut event = AuditEvent {
        seq: last_seq + 1,
        occurred_at: tx.now(),
        actor_id: actor.user_id,
        actor_login: actor.login.clone(),
        ip: actor.ip.clone(),
        action: format!("{}.{}", change.entity_type, change.action),
        entity_type: change.entity_type.to_owned(),
        entity_id: change.entity_id,
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
        prev_hash: last_hash,
        hash: String::new(),
    };
    event.hash = event.compute_hash();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_event (seq, occurred_at, actor_id, actor_login, ip, action, \
             entity_type, entity_id, before_json, after_json, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(event.seq)
        .bind(event.occurred_at)
        .bind(event.actor_id)
        .bind(&event.actor_login)
        .bind(&event.ip)
        .bind(&event.action)
        .bind(&event.entity_type)
        .bind(&event.entity_id)
        .bind(&event.before_json)
        .bind(&event.after_json)
        .bind(&event.prev_hash)
        .bind(&event.hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    tx.audit_head().held = Some(Head {
        seq: event.seq,
        hash: event.hash,
        moved: true,
    });
    Ok(event.seq)
}

/// Records one event in a transaction of its own (denied access, failed login: things
/// that change nothing else).
pub async fn record_alone(db: &Db, actor: &Actor, change: Change<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let seq = record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(seq)
}

/// What `audit verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { events: i64, head_hash: String },
    Broken { seq: i64, problem: Problem },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The stored hash does not match the event's content: the event was edited.
    ContentChanged,
    /// The event does not link to the hash of the one before: an event before it was
    /// removed, or the order changed.
    LinkBroken,
    /// A sequence number is missing: events were deleted.
    Missing,
    /// The chain ends before the head says it should: the last events were deleted.
    Truncated,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Problem::ContentChanged => "its content does not match its hash (edited)",
            Problem::LinkBroken => "it does not link to the previous event (removed or reordered)",
            Problem::Missing => "it is missing (deleted)",
            Problem::Truncated => {
                "the chain ends before the recorded head (events deleted at the end)"
            }
        })
    }
}

/// Walks the whole chain in order, in pages, and names the first bad event. Safe on a
/// live system: the head is read first, so events committed while the walk runs (they
/// come after it) neither break the comparison with the head nor escape the walk.
///
/// This proves the chain consistent, not unchanged: someone who can write to the
/// database can rewrite events and recompute every hash after them. Signed checkpoints
/// kept outside the database close that (`crate::audit::anchor`, decision 0024).
pub async fn verify(db: &Db) -> Result<Verdict, sqlx::Error> {
    let (head_seq, head_hash): (i64, String) = with_db!(db, |c| {
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
            .fetch_one(c)
            .await
    })?;
    let walk = walk(db, None, &[head_seq]).await?;
    if let Some((seq, problem)) = walk.broken {
        return Ok(Verdict::Broken { seq, problem });
    }
    if walk.events < head_seq {
        return Ok(Verdict::Broken {
            seq: walk.events + 1,
            problem: Problem::Truncated,
        });
    }
    let hash_at_head = if head_seq == 0 {
        Some(GENESIS_HASH)
    } else {
        walk.hash_at(head_seq)
    };
    if hash_at_head != Some(head_hash.as_str()) {
        // The events up to the head were replaced after the head was written.
        return Ok(Verdict::Broken {
            seq: head_seq,
            problem: Problem::LinkBroken,
        });
    }
    Ok(Verdict::Intact {
        events: walk.events,
        head_hash: walk.last_hash,
    })
}

/// What a walk along the chain found.
#[derive(Debug)]
pub struct Walk {
    /// Events walked (the chain's length when it is whole).
    pub events: i64,
    /// The hash of the last event walked ([`GENESIS_HASH`] when none).
    pub last_hash: String,
    /// The first event that breaks the chain, if one does.
    pub broken: Option<(i64, Problem)>,
    /// The hashes of the events asked for with `stops`, as walked.
    pub stops: Vec<(i64, String)>,
}

impl Walk {
    /// The hash the walk met at event `seq`, if `seq` was a stop and was reached.
    pub fn hash_at(&self, seq: i64) -> Option<&str> {
        self.stops
            .iter()
            .find(|(s, _)| *s == seq)
            .map(|(_, h)| h.as_str())
    }
}

/// Walks the chain from its first event, in pages, up to event `until` (or to its end),
/// checking each event's number, content hash and link; stops at the first bad event.
/// The hashes of the events numbered in `stops` are kept on the way.
pub async fn walk(db: &Db, until: Option<i64>, stops: &[i64]) -> Result<Walk, sqlx::Error> {
    const PAGE: i64 = 5_000;
    let mut walk = Walk {
        events: 0,
        last_hash: GENESIS_HASH.to_owned(),
        broken: None,
        stops: Vec::new(),
    };
    let last = until.unwrap_or(i64::MAX);
    loop {
        let expected_seq = walk.events + 1;
        let page: Vec<AuditEvent> = with_db!(db, |c| {
            sqlx::query_as(
                "SELECT * FROM audit_event WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT CAST($3 AS BIGINT)",
            )
            .bind(expected_seq)
            .bind(last)
            .bind(PAGE)
            .fetch_all(c)
            .await
        })?;
        let done = (page.len() as i64) < PAGE;
        for event in page {
            if let Some(problem) = problem_with(&event, walk.events + 1, &walk.last_hash) {
                walk.broken = Some((event.seq.min(walk.events + 1), problem));
                return Ok(walk);
            }
            if stops.contains(&event.seq) {
                walk.stops.push((event.seq, event.hash.clone()));
            }
            walk.last_hash = event.hash;
            walk.events += 1;
        }
        if done || walk.events >= last {
            return Ok(walk);
        }
    }
}

/// What is wrong with `event`, met where event `expected_seq` linking to `prev_hash`
/// should be.
fn problem_with(event: &AuditEvent, expected_seq: i64, prev_hash: &str) -> Option<Problem> {
    if event.seq != expected_seq {
        Some(Problem::Missing)
    } else if event.compute_hash() != event.hash {
        Some(Problem::ContentChanged)
    } else if event.prev_hash != prev_hash {
        Some(Problem::LinkBroken)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash as it was first defined: a `serde_json::Value` array printed compactly.
    /// Every stored chain was hashed this way; the streamed form must give its bytes.
    fn hash_of_value_array(e: &AuditEvent) -> String {
        let content = serde_json::json!([
            e.seq,
            e.occurred_at.to_canonical(),
            e.actor_id,
            e.actor_login,
            e.ip,
            e.action,
            e.entity_type,
            e.entity_id,
            e.before_json,
            e.after_json,
            e.prev_hash,
        ]);
        hex::encode(Sha256::digest(content.to_string().as_bytes()))
    }

    #[test]
    fn hash_bytes_are_the_json_array() {
        let at = UtcTime(jiff::Timestamp::from_second(1_796_000_000).unwrap());
        let mut event = AuditEvent {
            seq: 42,
            occurred_at: at,
            actor_id: Some(7),
            actor_login: "kierownik".to_owned(),
            ip: Some("127.0.0.1".to_owned()),
            action: "case_file.create".to_owned(),
            entity_type: "case_file".to_owned(),
            entity_id: "SA.5310.1.2026".to_owned(),
            before_json: None,
            after_json: Some(r#"{"title":"Zażółć \"gęślą\" jaźń\n\t\\ 🦀","n":-3}"#.to_owned()),
            prev_hash: GENESIS_HASH.to_owned(),
            hash: String::new(),
        };
        assert_eq!(event.compute_hash(), hash_of_value_array(&event));
        event.actor_id = None;
        event.ip = None;
        event.seq = i64::MAX;
        event.before_json = Some("\u{0}\u{1f}\u{7f}".to_owned());
        event.after_json = None;
        assert_eq!(event.compute_hash(), hash_of_value_array(&event));
        // A changed field changes the hash (the comparison above can fail).
        let before = event.compute_hash();
        event.entity_id.push('x');
        assert_ne!(event.compute_hash(), before);
    }
}
