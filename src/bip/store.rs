//! Storage of the BIP: publications, versions (never updated, never deleted), drafts,
//! the change register, withheld-information records and the BIP's settings. Every
//! write is audited in the caller's transaction; the change register line of a version
//! or a removal is written in the same transaction as the version or the removal.
//!
//! "What the public sees" is always asked with a moment (`now` from the office's
//! clock): the version shown is the newest one made available by then, so a scheduled
//! version appears by itself, on every app server at once.

use jiff::civil::Date;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, TxConn, UtcTime};
use crate::{with_db, with_tx};
use magistrat_domain::bip::{CheckedVersion, Status};

type SqlDate = jiff_sqlx::Date;

/// Errors of the BIP store: the database's, or a status the table does not know.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("unknown publication status `{0}`")]
    UnknownStatus(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    pub id: i64,
    pub section: String,
    pub status: Status,
    pub version_count: i64,
    pub created_at: UtcTime,
    pub removed_at: Option<UtcTime>,
    pub removed_by: Option<String>,
    pub removed_reason: Option<String>,
}

type PublicationRow = (
    i64,
    String,
    String,
    i64,
    UtcTime,
    Option<UtcTime>,
    Option<String>,
    Option<String>,
);

fn publication_from(row: PublicationRow) -> Result<Publication, StoreError> {
    let (id, section, status, version_count, created_at, removed_at, removed_by, removed_reason) =
        row;
    Ok(Publication {
        id,
        section,
        status: Status::parse(&status).ok_or(StoreError::UnknownStatus(status))?,
        version_count,
        created_at,
        removed_at,
        removed_by,
        removed_reason,
    })
}

const PUBLICATION_COLUMNS: &str =
    "id, section, status, version_count, created_at, removed_at, removed_by, removed_reason";

pub async fn publication(db: &Db, id: i64) -> Result<Option<Publication>, StoreError> {
    let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM bip_publication WHERE id = $1");
    let row: Option<PublicationRow> =
        with_db!(db, |c| sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(c)
            .await)?;
    row.map(publication_from).transpose()
}

/// Reads the publication and holds it for the rest of `tx`: on PostgreSQL a row lock,
/// on SQLite the write lock `BEGIN IMMEDIATE` already took. Two editors publishing the
/// same draft at once therefore make versions one after the other, never the same
/// number twice (the unique index stands behind it).
pub async fn lock_publication(tx: &mut Tx, id: i64) -> Result<Option<Publication>, StoreError> {
    let lock = if matches!(tx.conn, TxConn::Postgres(_)) {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {PUBLICATION_COLUMNS} FROM bip_publication WHERE id = $1{lock}");
    let row: Option<PublicationRow> =
        with_tx!(tx, |c| sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(c)
            .await)?;
    row.map(publication_from).transpose()
}

/// The editors' working copy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub title: String,
    pub body_html: String,
    pub produced_by: String,
    pub produced_on: Option<Date>,
    pub responsible: String,
    pub reason: String,
    pub submitted_by: Option<i64>,
}

/// A draft as its table holds it.
#[derive(sqlx::FromRow)]
struct DraftRow {
    title: String,
    body_html: String,
    produced_by: String,
    produced_on: Option<SqlDate>,
    responsible: String,
    reason: String,
    submitted_by: Option<i64>,
}

impl From<DraftRow> for Draft {
    fn from(row: DraftRow) -> Self {
        Draft {
            title: row.title,
            body_html: row.body_html,
            produced_by: row.produced_by,
            produced_on: row.produced_on.map(|d| d.to_jiff()),
            responsible: row.responsible,
            reason: row.reason,
            submitted_by: row.submitted_by,
        }
    }
}

const DRAFT_SELECT: &str = "SELECT title, body_html, produced_by, produced_on, responsible, \
     reason, submitted_by FROM bip_draft WHERE publication_id = $1";

pub async fn draft(db: &Db, id: i64) -> Result<Option<Draft>, StoreError> {
    let row: Option<DraftRow> = with_db!(db, |c| sqlx::query_as(DRAFT_SELECT)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(Draft::from))
}

/// The draft as the transaction sees it (after the publication's lock).
pub async fn draft_in(tx: &mut Tx, id: i64) -> Result<Option<Draft>, StoreError> {
    let row: Option<DraftRow> = with_tx!(tx, |c| sqlx::query_as(DRAFT_SELECT)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(Draft::from))
}

/// Creates a publication with its first draft; returns its id.
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    section: &str,
    draft: &Draft,
) -> Result<i64, StoreError> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO bip_publication (section, status, created_at, created_by) \
             VALUES ($1, 'draft', $2, $3) RETURNING id",
        )
        .bind(section)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    write_draft(tx, actor, id, draft).await?;
    audit::record(
        tx,
        actor,
        Change::created(
            "bip_publication",
            id,
            &serde_json::json!({ "section": section }),
        )
        .with_after(draft),
    )
    .await?;
    Ok(id)
}

async fn write_draft(tx: &mut Tx, actor: &Actor, id: i64, draft: &Draft) -> Result<(), StoreError> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO bip_draft (publication_id, title, body_html, produced_by, produced_on, \
             responsible, reason, updated_at, updated_by, submitted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (publication_id) DO UPDATE SET title = $2, body_html = $3, \
             produced_by = $4, produced_on = $5, responsible = $6, reason = $7, \
             updated_at = $8, updated_by = $9, submitted_by = $10",
        )
        .bind(id)
        .bind(&draft.title)
        .bind(&draft.body_html)
        .bind(&draft.produced_by)
        .bind(draft.produced_on.map(SqlDate::from))
        .bind(&draft.responsible)
        .bind(&draft.reason)
        .bind(now)
        .bind(actor.user_id)
        .bind(draft.submitted_by)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

async fn set_status(tx: &mut Tx, id: i64, status: Status) -> Result<(), StoreError> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE bip_publication SET status = $2 WHERE id = $1")
            .bind(id)
            .bind(status.as_str())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Saves the draft (and the status the state machine gave), audited with the draft
/// before and after.
pub async fn save_draft(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    before: Option<&Draft>,
    draft: &Draft,
    status: Status,
) -> Result<(), StoreError> {
    write_draft(tx, actor, id, draft).await?;
    set_status(tx, id, status).await?;
    let change = match before {
        Some(b) => Change::updated("bip_draft", id, b, draft),
        None => Change::created("bip_draft", id, draft),
    };
    audit::record(tx, actor, change).await?;
    Ok(())
}

/// Marks the draft as submitted for review (or returns it), with the new status.
pub async fn set_review(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    submitted_by: Option<i64>,
    status: Status,
) -> Result<(), StoreError> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE bip_draft SET submitted_by = $2 WHERE publication_id = $1")
            .bind(id)
            .bind(submitted_by)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    set_status(tx, id, status).await?;
    let action = if submitted_by.is_some() {
        "submit_for_review"
    } else {
        "return_draft"
    };
    audit::record(
        tx,
        actor,
        Change::action(action, "bip_publication", id)
            .with_after(&serde_json::json!({ "status": status.as_str() })),
    )
    .await?;
    Ok(())
}

/// A stored version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Version {
    pub publication_id: i64,
    pub number: i64,
    pub title: String,
    pub body_html: String,
    pub produced_by: String,
    pub produced_on: Date,
    pub responsible: String,
    pub entered_by: String,
    pub entered_at: UtcTime,
    pub approved_by: Option<String>,
    pub made_available_at: UtcTime,
    pub reason: String,
}

type VersionRow = (
    i64,
    i64,
    String,
    String,
    String,
    SqlDate,
    String,
    String,
    UtcTime,
    Option<String>,
    UtcTime,
    String,
);

fn version_from(row: VersionRow) -> Version {
    let (
        publication_id,
        number,
        title,
        body_html,
        produced_by,
        produced_on,
        responsible,
        entered_by,
        entered_at,
        approved_by,
        made_available_at,
        reason,
    ) = row;
    Version {
        publication_id,
        number,
        title,
        body_html,
        produced_by,
        produced_on: produced_on.to_jiff(),
        responsible,
        entered_by,
        entered_at,
        approved_by,
        made_available_at,
        reason,
    }
}

const VERSION_COLUMNS: &str = "v.publication_id, v.number, v.title, v.body_html, v.produced_by, \
     v.produced_on, v.responsible, v.entered_by, v.entered_at, v.approved_by, \
     v.made_available_at, v.reason";

/// Every version made available by `now`, oldest first (the publication's change
/// register); `None` for `now` gives every version, scheduled ones too (staff).
pub async fn versions(db: &Db, id: i64, now: Option<UtcTime>) -> Result<Vec<Version>, StoreError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM bip_version v WHERE v.publication_id = $1 \
         AND ($2 IS NULL OR v.made_available_at <= $2) ORDER BY v.number"
    );
    let rows: Vec<VersionRow> = with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(id)
            .bind(now)
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().map(version_from).collect())
}

/// The newest version (scheduled ones included) as the transaction sees it.
pub async fn last_version_in(tx: &mut Tx, id: i64) -> Result<Option<Version>, StoreError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM bip_version v WHERE v.publication_id = $1 \
         ORDER BY v.number DESC LIMIT 1"
    );
    let row: Option<VersionRow> = with_tx!(tx, |c| sqlx::query_as(AssertSqlSafe(sql.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(version_from))
}

/// Who made a version, for its metadata (art. 8 ust. 6 pkt 3: wprowadził).
pub struct EnteredBy<'a> {
    pub name: &'a str,
    pub user_id: Option<i64>,
    /// The second person who approved it, where review is required.
    pub approved_by: Option<&'a str>,
}

/// Makes the draft a version: writes the version, the change-register line, removes
/// the draft, sets the status to published; audited. The caller has locked the
/// publication and checked the version ([`magistrat_domain::bip::check_version`]).
pub async fn publish(
    tx: &mut Tx,
    actor: &Actor,
    publication: &Publication,
    version: &CheckedVersion,
    entered: &EnteredBy<'_>,
) -> Result<(), StoreError> {
    let now = tx.now();
    let at = UtcTime::from_timestamp(version.made_available_at);
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO bip_version (publication_id, number, title, body_html, produced_by, \
             produced_on, responsible, entered_by, entered_by_user, entered_at, approved_by, \
             made_available_at, reason, section) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(publication.id)
        .bind(version.number)
        .bind(&version.title)
        .bind(&version.body_html)
        .bind(&version.produced_by)
        .bind(SqlDate::from(version.produced_on))
        .bind(&version.responsible)
        .bind(entered.name)
        .bind(entered.user_id)
        .bind(now)
        .bind(entered.approved_by)
        .bind(at)
        .bind(&version.reason)
        .bind(&publication.section)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    with_tx!(tx, |c| {
        // The first version's moment is the publication's place in its section's list
        // (migration 0052); a version never changes, so it is written once.
        sqlx::query(
            "UPDATE bip_publication SET status = 'published', version_count = $2, \
             first_available_at = COALESCE(first_available_at, $3) WHERE id = $1",
        )
        .bind(publication.id)
        .bind(version.number)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM bip_draft WHERE publication_id = $1")
            .bind(publication.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    let kind = if version.number == 1 {
        "published"
    } else {
        "changed"
    };
    let by = entered.approved_by.map_or_else(
        || entered.name.to_owned(),
        |a| format!("{} / {a}", entered.name),
    );
    change_line(
        tx,
        publication,
        Some(version.number),
        kind,
        &version.title,
        at,
        &by,
        &version.reason,
    )
    .await?;
    audit::record(
        tx,
        actor,
        Change::action("publish", "bip_publication", publication.id).with_after(
            &serde_json::json!({
                "version": version.number,
                "title": version.title,
                "made_available_at": at,
                "reason": version.reason,
                "approved_by": entered.approved_by,
            }),
        ),
    )
    .await?;
    Ok(())
}

#[allow(
    clippy::too_many_arguments,
    reason = "one line of the register, column by column"
)]
async fn change_line(
    tx: &mut Tx,
    publication: &Publication,
    version: Option<i64>,
    kind: &str,
    title: &str,
    at: UtcTime,
    by: &str,
    reason: &str,
) -> Result<(), StoreError> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO bip_change (publication_id, version_number, kind, title, section, \
             changed_at, by_name, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(publication.id)
        .bind(version)
        .bind(kind)
        .bind(title)
        .bind(&publication.section)
        .bind(at)
        .bind(by)
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Takes a publication off the BIP: status removed, its draft dropped, a line in the
/// change register; the versions stay (the register of removed pages links to them).
pub async fn remove(
    tx: &mut Tx,
    actor: &Actor,
    publication: &Publication,
    title: &str,
    by_name: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE bip_publication SET status = 'removed', removed_at = $2, removed_by = $3, \
             removed_reason = $4 WHERE id = $1",
        )
        .bind(publication.id)
        .bind(now)
        .bind(by_name)
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM bip_draft WHERE publication_id = $1")
            .bind(publication.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    change_line(
        tx,
        publication,
        None,
        "removed",
        title,
        now,
        by_name,
        reason,
    )
    .await?;
    audit::record(
        tx,
        actor,
        Change::action("remove", "bip_publication", publication.id)
            .with_after(&serde_json::json!({ "reason": reason })),
    )
    .await?;
    Ok(())
}

/// A publication in a list: its current public version's title and moments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub id: i64,
    pub section: String,
    pub number: i64,
    pub title: String,
    pub produced_by: String,
    pub made_available_at: UtcTime,
    /// When the first version was made available.
    pub first_available_at: UtcTime,
    pub body_html: String,
}

type ListedRow = (i64, String, i64, String, String, UtcTime, UtcTime, String);

/// The columns of a [`Listed`], from the publication `p` and its version `v`.
const LISTED_COLUMNS: &str = "p.id, p.section, v.number, v.title, v.produced_by, \
     v.made_available_at, p.first_available_at, v.body_html";

/// `v` is the version of `p` the public reads at `$1`: the newest made available by
/// then.
const CURRENT_VERSION: &str = "v.number = (SELECT MAX(w.number) FROM bip_version w \
     WHERE w.publication_id = p.id AND w.made_available_at <= $1)";

/// The publications the public sees at `$1` (not removed, first made available by
/// then: no version comes before the one it replaces, so the first one's moment says
/// whether there is any), as the partial index `bip_publication_listed` holds them.
const PUBLIC: &str = "status <> 'removed' AND first_available_at <= $1";

fn listed_from(rows: Vec<ListedRow>) -> Vec<Listed> {
    rows.into_iter()
        .map(
            |(id, section, number, title, produced_by, made_available_at, first, body_html)| {
                Listed {
                    id,
                    section,
                    number,
                    title,
                    produced_by,
                    made_available_at,
                    first_available_at: first,
                    body_html,
                }
            },
        )
        .collect()
}

/// The public publications of one section (or of several: the section and its
/// children), newest first by their first version's moment (ties: the newer id
/// first), `limit` of them from the `offset`-th.
///
/// The page is taken from the index `bip_publication_listed` before anything else is
/// read (migration 0052, docs/decisions/0056): each section is a walk down its index
/// range to the page's end (`offset + limit` entries; one section needs no more), and
/// several sections' walks are put together and cut to the page — so a page costs its
/// own rows and the ones before it, never the section's thousands. (A merge of the
/// ordered walks would read fewer, and SQLite does merge; PostgreSQL 15 does not,
/// hence each walk's own limit.) Each row of the page then reads its current version.
pub async fn in_sections(
    db: &Db,
    now: UtcTime,
    sections: &[&str],
    offset: i64,
    limit: i64,
) -> Result<Vec<Listed>, StoreError> {
    if sections.is_empty() {
        return Ok(Vec::new());
    }
    // Slugs come from the fixed menu table, never from the request; still bound.
    let walks: Vec<String> = (0..sections.len())
        .map(|i| {
            format!(
                "SELECT * FROM (SELECT id, section, first_available_at FROM bip_publication \
                 WHERE {PUBLIC} AND section = ${} \
                 ORDER BY first_available_at DESC, id DESC LIMIT $4) s{i}",
                i + 5
            )
        })
        .collect();
    let sql = format!(
        "SELECT {LISTED_COLUMNS} FROM ({} ORDER BY first_available_at DESC, id DESC \
         LIMIT $2 OFFSET $3) p JOIN bip_version v ON v.publication_id = p.id \
         WHERE {CURRENT_VERSION} ORDER BY p.first_available_at DESC, p.id DESC",
        walks.join(" UNION ALL ")
    );
    let rows: Vec<ListedRow> = with_db!(db, |c| {
        let mut q = sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(now)
            .bind(limit)
            .bind(offset)
            .bind(offset.saturating_add(limit));
        for s in sections {
            q = q.bind(*s);
        }
        q.fetch_all(c).await
    })?;
    Ok(listed_from(rows))
}

/// How many public publications the sections hold (the count of pages): counted in
/// the index `bip_publication_listed`, no row read.
pub async fn count_in_sections(
    db: &Db,
    now: UtcTime,
    sections: &[&str],
) -> Result<i64, StoreError> {
    if sections.is_empty() {
        return Ok(0);
    }
    let placeholders: Vec<String> = (0..sections.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM bip_publication WHERE {PUBLIC} AND section IN ({})",
        placeholders.join(", ")
    );
    Ok(with_db!(db, |c| {
        let mut q = sqlx::query_scalar(AssertSqlSafe(sql.as_str())).bind(now);
        for s in sections {
            q = q.bind(*s);
        }
        q.fetch_one(c).await
    })?)
}

/// The public publications most recently made available or changed (their current
/// version's moment, newest first; ties: the newer id first), across the BIP or in one
/// `section`, at most `limit`.
///
/// Read from the versions in the order of an index — `bip_version_section` for a
/// section, `bip_version_available` for the whole BIP — newest first, keeping each
/// publication's current version (none newer made available by `now`), until `limit`
/// are found: the newest few of 100,000 without sorting them all.
pub async fn latest(
    db: &Db,
    now: UtcTime,
    section: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>, StoreError> {
    let in_section = if section.is_some() {
        " AND v.section = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {LISTED_COLUMNS} FROM bip_version v \
         JOIN bip_publication p ON p.id = v.publication_id \
         WHERE v.made_available_at <= $1{in_section} AND p.status <> 'removed' \
         AND NOT EXISTS (SELECT 1 FROM bip_version w WHERE w.publication_id = v.publication_id \
           AND w.number > v.number AND w.made_available_at <= $1) \
         ORDER BY v.made_available_at DESC, v.publication_id DESC LIMIT $2"
    );
    let rows: Vec<ListedRow> = with_db!(db, |c| {
        let mut q = sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(now)
            .bind(limit);
        if let Some(section) = section {
            q = q.bind(section);
        }
        q.fetch_all(c).await
    })?;
    Ok(listed_from(rows))
}

/// How many publications the public sees at `now` (the sitemap's size).
pub async fn public_count(db: &Db, now: UtcTime) -> Result<i64, StoreError> {
    let sql = format!("SELECT COUNT(*) FROM bip_publication WHERE {PUBLIC}");
    Ok(with_db!(db, |c| sqlx::query_scalar(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(now)
    .fetch_one(c)
    .await)?)
}

/// Public publications at `now` for a part of the sitemap, in the order of their ids:
/// the `limit` after the first `skip`, each as its id and its current version's moment.
/// The first id of the part is looked up among the ids alone (the primary key, no
/// version read); the part itself is then read from that id on, `limit` rows — never
/// the whole BIP, however many parts come before it.
pub async fn sitemap_page(
    db: &Db,
    now: UtcTime,
    skip: i64,
    limit: i64,
) -> Result<Vec<(i64, UtcTime)>, StoreError> {
    let first_sql =
        format!("SELECT id FROM bip_publication WHERE {PUBLIC} ORDER BY id LIMIT 1 OFFSET $2");
    let first: Option<i64> = with_db!(db, |c| sqlx::query_scalar(AssertSqlSafe(
        first_sql.as_str()
    ))
    .bind(now)
    .bind(skip)
    .fetch_optional(c)
    .await)?;
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT p.id, v.made_available_at FROM bip_publication p \
         JOIN bip_version v ON v.publication_id = p.id \
         WHERE p.status <> 'removed' AND p.first_available_at <= $1 AND p.id >= $2 \
         AND {CURRENT_VERSION} ORDER BY p.id LIMIT $3"
    );
    Ok(with_db!(db, |c| sqlx::query_as(AssertSqlSafe(
        sql.as_str()
    ))
    .bind(now)
    .bind(first)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// One line of the change register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ChangeLine {
    pub publication_id: i64,
    pub version_number: Option<i64>,
    pub kind: String,
    pub title: String,
    pub section: String,
    pub changed_at: UtcTime,
    pub by_name: String,
    pub reason: String,
}

/// The change register of the whole BIP up to `now`, newest first, a page of it.
pub async fn changes(
    db: &Db,
    now: UtcTime,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ChangeLine>, i64), StoreError> {
    let lines = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT publication_id, version_number, kind, title, section, changed_at, by_name, \
             reason FROM bip_change WHERE changed_at <= $1 \
             ORDER BY changed_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(now)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await
    })?;
    let total: i64 = with_db!(db, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM bip_change WHERE changed_at <= $1")
            .bind(now)
            .fetch_one(c)
            .await
    })?;
    Ok((lines, total))
}

/// A removed publication, for the register of removed pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub id: i64,
    pub section: String,
    pub title: String,
    pub removed_at: UtcTime,
    pub removed_by: String,
    pub reason: String,
}

pub async fn removed(db: &Db) -> Result<Vec<Removed>, StoreError> {
    type Row = (i64, String, String, UtcTime, String, String);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT p.id, p.section, v.title, p.removed_at, p.removed_by, p.removed_reason \
             FROM bip_publication p JOIN bip_version v ON v.publication_id = p.id \
             AND v.number = p.version_count \
             WHERE p.status = 'removed' ORDER BY p.removed_at DESC, p.id DESC",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, section, title, removed_at, removed_by, reason)| Removed {
                id,
                section,
                title,
                removed_at,
                removed_by,
                reason,
            },
        )
        .collect())
}

/// A publication in the editors' list, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffItem {
    pub id: i64,
    pub section: String,
    pub status: Status,
    pub title: String,
    pub version_count: i64,
    pub has_draft: bool,
    /// The newest version's moment of being made available (maybe still to come).
    pub last_available_at: Option<UtcTime>,
}

pub async fn staff_list(db: &Db) -> Result<Vec<StaffItem>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        Option<UtcTime>,
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT p.id, p.section, p.status, d.title, v.title, p.version_count, \
             v.made_available_at FROM bip_publication p \
             LEFT JOIN bip_draft d ON d.publication_id = p.id \
             LEFT JOIN bip_version v ON v.publication_id = p.id AND v.number = p.version_count \
             ORDER BY p.id DESC",
        )
        .fetch_all(c)
        .await
    })?;
    rows.into_iter()
        .map(
            |(id, section, status, draft_title, version_title, version_count, last)| {
                Ok(StaffItem {
                    id,
                    section,
                    status: Status::parse(&status).ok_or(StoreError::UnknownStatus(status))?,
                    has_draft: draft_title.is_some(),
                    title: draft_title.or(version_title).unwrap_or_default(),
                    version_count,
                    last_available_at: last,
                })
            },
        )
        .collect()
}

/// A record of information not made available (UDIP art. 8 ust. 5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Withheld {
    pub id: i64,
    pub scope: String,
    pub legal_basis: String,
    pub decided_by: String,
    pub in_interest_of: String,
    pub decided_on: Date,
    pub entered_by: String,
    pub entered_at: UtcTime,
}

pub async fn withheld(db: &Db) -> Result<Vec<Withheld>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        SqlDate,
        String,
        UtcTime,
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, scope, legal_basis, decided_by, in_interest_of, decided_on, entered_by, \
             entered_at FROM bip_withheld ORDER BY decided_on DESC, id DESC",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, scope, legal_basis, decided_by, in_interest_of, d, entered_by, entered_at)| {
                Withheld {
                    id,
                    scope,
                    legal_basis,
                    decided_by,
                    in_interest_of,
                    decided_on: d.to_jiff(),
                    entered_by,
                    entered_at,
                }
            },
        )
        .collect())
}

/// Adds a withheld-information record (already checked); audited.
#[allow(clippy::too_many_arguments, reason = "the record's fields, named")]
pub async fn add_withheld(
    tx: &mut Tx,
    actor: &Actor,
    scope: &str,
    legal_basis: &str,
    decided_by: &str,
    in_interest_of: &str,
    decided_on: Date,
    entered_by: &str,
) -> Result<i64, StoreError> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO bip_withheld (scope, legal_basis, decided_by, in_interest_of, \
             decided_on, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(scope)
        .bind(legal_basis)
        .bind(decided_by)
        .bind(in_interest_of)
        .bind(SqlDate::from(decided_on))
        .bind(entered_by)
        .bind(now)
        .fetch_one(c)
        .await
    })?;
    audit::record(
        tx,
        actor,
        Change::created(
            "bip_withheld",
            id,
            &serde_json::json!({
                "scope": scope, "legal_basis": legal_basis, "decided_by": decided_by,
                "in_interest_of": in_interest_of, "decided_on": decided_on.to_string(),
            }),
        ),
    )
    .await?;
    Ok(id)
}

/// The BIP's settings and the accessibility declaration's data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub review_required: bool,
    pub editorial_address: String,
    /// `zgodna`, `czesciowo` or `niezgodna`.
    pub a11y_status: String,
    pub a11y_published_on: Option<Date>,
    pub a11y_updated_on: Option<Date>,
    pub a11y_prepared_on: Option<Date>,
    pub a11y_reviewed_on: Option<Date>,
    pub a11y_not_accessible: String,
    pub a11y_contact_person: String,
    pub a11y_email: String,
    pub a11y_phone: String,
    pub a11y_apps: String,
}

/// The settings; defaults (no review, status "częściowo zgodna", nothing dated) until
/// someone saves them.
pub async fn settings(db: &Db) -> Result<Settings, StoreError> {
    type Row = (
        bool,
        String,
        String,
        Option<SqlDate>,
        Option<SqlDate>,
        Option<SqlDate>,
        Option<SqlDate>,
        String,
        String,
        String,
        String,
        String,
    );
    let row: Option<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT review_required, editorial_address, a11y_status, a11y_published_on, \
             a11y_updated_on, a11y_prepared_on, a11y_reviewed_on, a11y_not_accessible, \
             a11y_contact_person, a11y_email, a11y_phone, a11y_apps FROM bip_settings \
             WHERE id = 1",
        )
        .fetch_optional(c)
        .await
    })?;
    Ok(match row {
        None => Settings {
            a11y_status: "czesciowo".into(),
            ..Settings::default()
        },
        Some((
            review_required,
            editorial_address,
            a11y_status,
            published,
            updated,
            prepared,
            reviewed,
            a11y_not_accessible,
            a11y_contact_person,
            a11y_email,
            a11y_phone,
            a11y_apps,
        )) => Settings {
            review_required,
            editorial_address,
            a11y_status,
            a11y_published_on: published.map(|d| d.to_jiff()),
            a11y_updated_on: updated.map(|d| d.to_jiff()),
            a11y_prepared_on: prepared.map(|d| d.to_jiff()),
            a11y_reviewed_on: reviewed.map(|d| d.to_jiff()),
            a11y_not_accessible,
            a11y_contact_person,
            a11y_email,
            a11y_phone,
            a11y_apps,
        },
    })
}

/// Writes the settings' one row; audited with before and after.
pub async fn save_settings(
    tx: &mut Tx,
    actor: &Actor,
    before: &Settings,
    s: &Settings,
) -> Result<(), StoreError> {
    with_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO bip_settings (id, review_required, editorial_address, a11y_status, \
             a11y_published_on, a11y_updated_on, a11y_prepared_on, a11y_reviewed_on, \
             a11y_not_accessible, a11y_contact_person, a11y_email, a11y_phone, a11y_apps) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO UPDATE SET review_required = $1, editorial_address = $2, \
             a11y_status = $3, a11y_published_on = $4, a11y_updated_on = $5, \
             a11y_prepared_on = $6, a11y_reviewed_on = $7, a11y_not_accessible = $8, \
             a11y_contact_person = $9, a11y_email = $10, a11y_phone = $11, a11y_apps = $12",
        )
        .bind(s.review_required)
        .bind(&s.editorial_address)
        .bind(&s.a11y_status)
        .bind(s.a11y_published_on.map(SqlDate::from))
        .bind(s.a11y_updated_on.map(SqlDate::from))
        .bind(s.a11y_prepared_on.map(SqlDate::from))
        .bind(s.a11y_reviewed_on.map(SqlDate::from))
        .bind(&s.a11y_not_accessible)
        .bind(&s.a11y_contact_person)
        .bind(&s.a11y_email)
        .bind(&s.a11y_phone)
        .bind(&s.a11y_apps)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(tx, actor, Change::updated("bip_settings", 1, before, s)).await?;
    Ok(())
}

/// An editor of the BIP, for the editors page (reg. 2007 § 11 ust. 1 pkt 3: name,
/// phone and e-mail of at least one editor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Editor {
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
}

pub async fn editors(db: &Db) -> Result<Vec<Editor>, StoreError> {
    Ok(with_db!(db, |c| {
        sqlx::query_as(
            "SELECT DISTINCT u.display_name AS name, COALESCE(e.position, '') AS position, \
             COALESCE(NULLIF(e.email, ''), u.email) AS email, COALESCE(e.phone, '') AS phone \
             FROM app_user u JOIN user_role r ON r.user_id = u.id \
             LEFT JOIN employee e ON e.user_id = u.id \
             WHERE r.role = 'bip_editor' AND u.active ORDER BY name",
        )
        .fetch_all(c)
        .await
    })?)
}

/// The display name of an account (who entered or approved a version).
pub async fn user_name(db: &Db, user_id: i64) -> Result<Option<String>, StoreError> {
    Ok(with_db!(db, |c| {
        sqlx::query_scalar("SELECT display_name FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(c)
            .await
    })?)
}

/// The BIP search index's version (migration 0035): bumped by triggers on every write
/// to publications and versions.
pub async fn search_version(db: &Db) -> Result<i64, StoreError> {
    Ok(with_db!(db, |c| sqlx::query_scalar(
        "SELECT version FROM bip_search_version WHERE id = 1"
    )
    .fetch_one(c)
    .await)?)
}

/// A version as the search index holds it.
#[derive(Clone, Debug)]
pub struct Searchable {
    pub publication_id: i64,
    pub section: String,
    pub number: i64,
    pub title: String,
    pub body_html: String,
    pub produced_by: String,
    pub responsible: String,
    pub made_available_at: UtcTime,
}

/// Every version of every publication not removed (scheduled ones too: the search
/// picks the newest made available by its moment), by publication, oldest version
/// first.
pub async fn searchable(db: &Db) -> Result<Vec<Searchable>, StoreError> {
    type Row = (i64, String, i64, String, String, String, String, UtcTime);
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT p.id, p.section, v.number, v.title, v.body_html, v.produced_by, \
             v.responsible, v.made_available_at \
             FROM bip_publication p JOIN bip_version v ON v.publication_id = p.id \
             WHERE p.status <> 'removed' ORDER BY p.id, v.number",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(
                publication_id,
                section,
                number,
                title,
                body_html,
                produced_by,
                responsible,
                made_available_at,
            )| Searchable {
                publication_id,
                section,
                number,
                title,
                body_html,
                produced_by,
                responsible,
                made_available_at,
            },
        )
        .collect())
}
