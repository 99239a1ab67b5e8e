//! Storage of news items and their images. Every write is audited in the caller's
//! transaction. "What the public sees" is always asked with a moment (`now` from the
//! office's clock): an item is public once published and its `published_at` has come,
//! so a scheduled item appears by itself on every app server.

use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};
use magistrat_domain::news::{Kind, Status};

/// An item as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: i64,
    #[serde(serialize_with = "kind_code")]
    pub kind: Kind,
    #[serde(serialize_with = "status_code")]
    pub status: Status,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub published_at: Option<UtcTime>,
    pub updated_at: UtcTime,
}

fn kind_code<S: serde::Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

fn status_code<S: serde::Serializer>(k: &Status, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

type ItemRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<UtcTime>,
    UtcTime,
);

fn item_from(row: ItemRow) -> Result<Item, sqlx::Error> {
    let (id, kind, status, title, lead, body_html, published_at, updated_at) = row;
    let kind = Kind::parse(&kind).ok_or_else(|| bad(&kind))?;
    let status = Status::parse(&status).ok_or_else(|| bad(&status))?;
    Ok(Item {
        id,
        kind,
        status,
        title,
        lead,
        body_html,
        published_at,
        updated_at,
    })
}

fn bad(code: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown news code `{code}`").into())
}

fn items_from(rows: Vec<ItemRow>) -> Result<Vec<Item>, sqlx::Error> {
    rows.into_iter().map(item_from).collect()
}

pub async fn item(db: &Db, id: i64) -> Result<Option<Item>, sqlx::Error> {
    let row: Option<ItemRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, status, title, lead, body_html, published_at, updated_at \
             FROM news_item WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })?;
    row.map(item_from).transpose()
}

async fn item_in(tx: &mut Tx, id: i64) -> Result<Option<Item>, sqlx::Error> {
    let row: Option<ItemRow> = with_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT id, kind, status, title, lead, body_html, published_at, updated_at \
             FROM news_item WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })?;
    row.map(item_from).transpose()
}

/// Every item, for the editors: newest change first.
pub async fn staff_list(db: &Db) -> Result<Vec<Item>, sqlx::Error> {
    let rows: Vec<ItemRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, status, title, lead, body_html, published_at, updated_at \
             FROM news_item ORDER BY updated_at DESC, id DESC",
        )
        .fetch_all(c)
        .await
    })?;
    items_from(rows)
}

/// How many items the public sees at `now`.
pub async fn public_count(db: &Db, now: UtcTime) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM news_item WHERE status = 'published' AND published_at <= $1",
        )
        .bind(now)
        .fetch_one(c)
        .await
    })
}

/// Public items at `now`, newest first, `limit` from `offset`.
pub async fn public_page(
    db: &Db,
    now: UtcTime,
    limit: i64,
    offset: i64,
) -> Result<Vec<Item>, sqlx::Error> {
    let rows: Vec<ItemRow> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, kind, status, title, lead, body_html, published_at, updated_at \
             FROM news_item WHERE status = 'published' AND published_at <= $1 \
             ORDER BY published_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(now)
        .bind(limit)
        .bind(offset)
        .fetch_all(c)
        .await
    })?;
    items_from(rows)
}

/// The fields an editor sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemData {
    #[serde(serialize_with = "kind_code")]
    pub kind: Kind,
    pub title: String,
    pub lead: String,
    pub body_html: String,
}

pub async fn create(tx: &mut Tx, actor: &Actor, data: &ItemData) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO news_item (kind, status, title, lead, body_html, created_at, \
             created_by, updated_at, updated_by) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $5, $6) \
             RETURNING id",
        )
        .bind(data.kind.as_str())
        .bind(&data.title)
        .bind(&data.lead)
        .bind(&data.body_html)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(c)
        .await
    })?;
    audit::record(tx, actor, Change::created("news_item", id, data)).await?;
    Ok(id)
}

/// Saves the fields; the status and moment stay. `None` when there is no such item.
pub async fn update(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    data: &ItemData,
) -> Result<Option<()>, sqlx::Error> {
    let Some(before) = item_in(tx, id).await? else {
        return Ok(None);
    };
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE news_item SET kind = $1, title = $2, lead = $3, body_html = $4, \
             updated_at = $5, updated_by = $6 WHERE id = $7",
        )
        .bind(data.kind.as_str())
        .bind(&data.title)
        .bind(&data.lead)
        .bind(&data.body_html)
        .bind(now)
        .bind(actor.user_id)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    audit::record(tx, actor, Change::updated("news_item", id, &before, data)).await?;
    Ok(Some(()))
}

/// Sets the status and moment (publish now or later, withdraw, back to draft).
pub async fn set_status(
    tx: &mut Tx,
    actor: &Actor,
    item: &Item,
    status: Status,
    published_at: Option<UtcTime>,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE news_item SET status = $1, published_at = $2, updated_at = $3, \
             updated_by = $4 WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(published_at)
        .bind(now)
        .bind(actor.user_id)
        .bind(item.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    let action = match status {
        Status::Published => "publish",
        Status::Withdrawn => "withdraw",
        Status::Draft => "unpublish",
    };
    audit::record(
        tx,
        actor,
        Change::action(action, "news_item", item.id)
            .with_before(&serde_json::json!({
                "status": item.status.as_str(),
                "published_at": item.published_at,
            }))
            .with_after(&serde_json::json!({
                "status": status.as_str(),
                "published_at": published_at,
            })),
    )
    .await?;
    Ok(())
}

/// Reads the item inside `tx` (the status checks of the service happen on it).
pub async fn item_for_update(tx: &mut Tx, id: i64) -> Result<Option<Item>, sqlx::Error> {
    item_in(tx, id).await
}

/// An image of an item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Image {
    pub id: i64,
    pub news_id: i64,
    pub attachment_id: i64,
    pub alt: String,
    pub decorative: bool,
    pub position: i64,
}

/// The images of an item, in order.
pub async fn images(db: &Db, news_id: i64) -> Result<Vec<Image>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, news_id, attachment_id, alt, decorative, position FROM news_image \
             WHERE news_id = $1 ORDER BY position, id",
        )
        .bind(news_id)
        .fetch_all(c)
        .await
    })
}

/// Every image of each of `ids`, by item and in order (the feed's items, in one read
/// rather than one per item).
pub async fn images_of(db: &Db, ids: &[i64]) -> Result<Vec<Image>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, news_id, attachment_id, alt, decorative, position FROM news_image \
         WHERE news_id IN ({}) ORDER BY news_id, position, id",
        placeholders.join(", ")
    );
    with_db!(db, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })
}

/// The first image of each of `ids` (the one lists show).
pub async fn first_images(db: &Db, ids: &[i64]) -> Result<Vec<Image>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT i.id, i.news_id, i.attachment_id, i.alt, i.decorative, i.position \
         FROM news_image i WHERE i.news_id IN ({}) AND i.id = (SELECT j.id FROM news_image j \
         WHERE j.news_id = i.news_id ORDER BY j.position, j.id LIMIT 1)",
        placeholders.join(", ")
    );
    with_db!(db, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })
}

pub async fn image(db: &Db, id: i64) -> Result<Option<Image>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, news_id, attachment_id, alt, decorative, position FROM news_image \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await
    })
}

/// How many images an item has, inside `tx`.
pub async fn image_count(tx: &mut Tx, news_id: i64) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM news_image WHERE news_id = $1")
            .bind(news_id)
            .fetch_one(c)
            .await
    })
}

/// Links a stored attachment to an item as its next image, audited.
pub async fn add_image(
    tx: &mut Tx,
    actor: &Actor,
    news_id: i64,
    attachment_id: i64,
    alt: &str,
    decorative: bool,
) -> Result<i64, sqlx::Error> {
    let now = tx.now();
    let position = image_count(tx, news_id).await? + 1;
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO news_image (news_id, attachment_id, alt, decorative, position, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(news_id)
        .bind(attachment_id)
        .bind(alt)
        .bind(decorative)
        .bind(position)
        .bind(now)
        .fetch_one(c)
        .await
    })?;
    audit::record(
        tx,
        actor,
        Change::created(
            "news_image",
            id,
            &serde_json::json!({
                "news_id": news_id,
                "attachment_id": attachment_id,
                "alt": alt,
                "decorative": decorative,
            }),
        ),
    )
    .await?;
    touch(tx, actor, news_id).await?;
    Ok(id)
}

/// Unlinks an image from its item (the attachment stays, as every stored file does).
pub async fn remove_image(tx: &mut Tx, actor: &Actor, image: &Image) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM news_image WHERE id = $1")
            .bind(image.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::action("delete", "news_image", image.id).with_before(image),
    )
    .await?;
    touch(tx, actor, image.news_id).await
}

async fn touch(tx: &mut Tx, actor: &Actor, news_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| {
        sqlx::query("UPDATE news_item SET updated_at = $1, updated_by = $2 WHERE id = $3")
            .bind(now)
            .bind(actor.user_id)
            .bind(news_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}
