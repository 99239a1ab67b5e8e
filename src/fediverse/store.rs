//! Storage of the Fediverse capability (migration 0042): the office's key pair, the
//! followers, the cached keys of remote signers, the announcements already turned into
//! activities and the deliveries with their attempts. Writes that people must be able
//! to trace (a key made, a follower added or gone) are audited in the caller's
//! transaction; a delivery's attempts are its own record.

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// The office's key pair as stored: (public SPKI PEM, private PKCS#8 PEM).
pub async fn key(db: &Db) -> Result<Option<(String, String)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT public_pem, private_pem FROM fediverse_key WHERE id = 1"
    )
    .fetch_optional(c)
    .await)
}

/// Stores the key pair unless one exists (another server, or the CLI, was first);
/// `true` when this one was stored. Audited without the key.
pub async fn insert_key(
    tx: &mut Tx,
    actor: &Actor,
    public_pem: &str,
    private_pem: &str,
) -> Result<bool, sqlx::Error> {
    let now = tx.now();
    let inserted = with_tx!(tx, |c| sqlx::query(
        "INSERT INTO fediverse_key (id, public_pem, private_pem, created_at) \
         VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING"
    )
    .bind(public_pem)
    .bind(private_pem)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if inserted == 1 {
        audit::record(
            tx,
            actor,
            Change::action("generate", "fediverse_key", 1)
                .with_after(&serde_json::json!({ "public_key": public_pem })),
        )
        .await?;
    }
    Ok(inserted == 1)
}

/// A follower's addresses.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Follower {
    pub actor: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub follow_id: String,
}

/// Adds a follower (or renews one who follows again), audited.
pub async fn add_follower(tx: &mut Tx, actor: &Actor, f: &Follower) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO fediverse_follower (actor, inbox, shared_inbox, follow_id, followed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (actor) DO UPDATE SET inbox = excluded.inbox, \
         shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id"
    )
    .bind(&f.actor)
    .bind(&f.inbox)
    .bind(&f.shared_inbox)
    .bind(&f.follow_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    audit::record(
        tx,
        actor,
        Change::action("follow", "fediverse_follower", &f.actor).with_after(f),
    )
    .await?;
    Ok(())
}

/// Removes a follower; `true` when there was one. Audited when removed.
pub async fn remove_follower(
    tx: &mut Tx,
    actor: &Actor,
    follower: &str,
) -> Result<bool, sqlx::Error> {
    let removed = with_tx!(tx, |c| sqlx::query(
        "DELETE FROM fediverse_follower WHERE actor = $1"
    )
    .bind(follower)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if removed > 0 {
        audit::record(
            tx,
            actor,
            Change::action("unfollow", "fediverse_follower", follower),
        )
        .await?;
    }
    Ok(removed > 0)
}

pub async fn follower_count(db: &Db) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM fediverse_follower"
    )
    .fetch_one(c)
    .await)
}

/// Where an activity for the followers who followed by `since` goes: each one's shared
/// inbox, or its own inbox, once per address.
pub async fn delivery_targets(tx: &mut Tx, since: UtcTime) -> Result<Vec<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT DISTINCT COALESCE(shared_inbox, inbox) FROM fediverse_follower \
         WHERE followed_at <= $1 ORDER BY 1"
    )
    .bind(since)
    .fetch_all(c)
    .await)
}

/// A remote signer's key as cached: (owner, PEM, when fetched).
pub async fn remote_key(
    db: &Db,
    key_id: &str,
) -> Result<Option<(String, String, UtcTime)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT owner, public_pem, fetched_at FROM fediverse_remote_key WHERE key_id = $1"
    )
    .bind(key_id)
    .fetch_optional(c)
    .await)
}

/// Caches a remote signer's key (a cache entry, not a record: not audited).
pub async fn save_remote_key(
    db: &Db,
    key_id: &str,
    owner: &str,
    public_pem: &str,
) -> Result<(), sqlx::Error> {
    let now = db.clock().now();
    with_db!(db, |c| sqlx::query(
        "INSERT INTO fediverse_remote_key (key_id, owner, public_pem, fetched_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO UPDATE SET owner = excluded.owner, \
         public_pem = excluded.public_pem, fetched_at = excluded.fetched_at"
    )
    .bind(key_id)
    .bind(owner)
    .bind(public_pem)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The announcements already announced.
pub async fn published_ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT publication_id FROM fediverse_published"
    )
    .fetch_all(c)
    .await)
}

/// Claims an announcement for its `Create`; `false` when another server (or run) has.
pub async fn mark_published(
    tx: &mut Tx,
    publication_id: i64,
    activity_id: &str,
) -> Result<bool, sqlx::Error> {
    let now = tx.now();
    let n = with_tx!(tx, |c| sqlx::query(
        "INSERT INTO fediverse_published (publication_id, activity_id, published_at) \
         VALUES ($1, $2, $3) ON CONFLICT (publication_id) DO NOTHING"
    )
    .bind(publication_id)
    .bind(activity_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Queues an activity for an inbox (once per activity and inbox); its id when queued.
pub async fn enqueue(
    tx: &mut Tx,
    activity_id: &str,
    kind: &str,
    inbox: &str,
    body: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO fediverse_delivery (activity_id, kind, inbox, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (activity_id, inbox) DO NOTHING RETURNING id"
    )
    .bind(activity_id)
    .bind(kind)
    .bind(inbox)
    .bind(body)
    .bind(now)
    .fetch_optional(c)
    .await
    })
}

/// A delivery to attempt.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: i64,
    pub activity_id: String,
    pub inbox: String,
    pub body: String,
    pub attempts: i64,
}

/// The deliveries due at `now`, oldest first.
pub async fn due(db: &Db, now: UtcTime, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM fediverse_delivery WHERE delivered_at IS NULL AND gave_up_at IS NULL \
         AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2"
    )
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await)
}

/// Claims a due delivery for one attempt: counts the attempt and puts the next one at
/// `lease_until`, conditional on the row being still due, so of two servers only one
/// sends it. The delivery, when claimed.
pub async fn claim(
    db: &Db,
    id: i64,
    now: UtcTime,
    lease_until: UtcTime,
) -> Result<Option<Delivery>, sqlx::Error> {
    let row: Option<(i64, String, String, String, i64)> = with_db!(db, |c| sqlx::query_as(
        "UPDATE fediverse_delivery SET attempts = attempts + 1, next_attempt_at = $1 \
         WHERE id = $2 AND delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $3 \
         RETURNING id, activity_id, inbox, body, attempts"
    )
    .bind(lease_until)
    .bind(id)
    .bind(now)
    .fetch_optional(c)
    .await)?;
    Ok(
        row.map(|(id, activity_id, inbox, body, attempts)| Delivery {
            id,
            activity_id,
            inbox,
            body,
            attempts,
        }),
    )
}

/// Records the outcome of an attempt: delivered, or the error with the next attempt's
/// moment, or given up.
pub async fn record_attempt(db: &Db, id: i64, outcome: &Attempt) -> Result<(), sqlx::Error> {
    let now = db.clock().now();
    let (sql, at, error) = match outcome {
        Attempt::Delivered => (
            "UPDATE fediverse_delivery SET delivered_at = $1, last_error = $2 WHERE id = $3",
            now,
            None,
        ),
        Attempt::Retry { at, error } => (
            "UPDATE fediverse_delivery SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
            *at,
            Some(error.as_str()),
        ),
        Attempt::GaveUp { error } => (
            "UPDATE fediverse_delivery SET gave_up_at = $1, last_error = $2 WHERE id = $3",
            now,
            Some(error.as_str()),
        ),
    };
    with_db!(db, |c| sqlx::query(sql)
        .bind(at)
        .bind(error)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// What became of an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Delivered,
    Retry { at: UtcTime, error: String },
    GaveUp { error: String },
}

/// A delivery's state, for tests and the operator: (attempts, delivered, gave up, last error).
pub async fn delivery_state(
    db: &Db,
    id: i64,
) -> Result<Option<(i64, bool, bool, Option<String>)>, sqlx::Error> {
    #[allow(
        clippy::type_complexity,
        reason = "one row's four columns, read once here"
    )]
    let row: Option<(i64, Option<UtcTime>, Option<UtcTime>, Option<String>)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT attempts, delivered_at, gave_up_at, last_error FROM fediverse_delivery WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })?;
    Ok(row.map(|(a, d, g, e)| (a, d.is_some(), g.is_some(), e)))
}
