//! Storage of service cards and their downloadable forms. Every write is audited in the
//! caller's transaction; the card's audit events (entity `service_card`, its id) are
//! its version history.

use magistrat_domain::deadline::CaseKind;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::rules::{CardData, Channels, Fee, RequiredDocument};
use crate::db::audit::{self, Actor, AuditEvent, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// A stored card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceCard {
    pub id: i64,
    pub data: CardData,
    pub updated_at: UtcTime,
}

const CARD_COLUMNS: &str = "id, code, org_unit_id, name, description, keywords, legal_basis, location_id, \
     room, hours_note, phone, email, documents, fees, deadline, case_kind, appeal, remarks, \
     channel_counter, channel_post, channel_email, channel_eservice, form_definition, \
     jrwa_symbol, published, updated_at, fee_exemptions";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    code: String,
    org_unit_id: i64,
    name: String,
    description: String,
    keywords: String,
    legal_basis: String,
    location_id: Option<i64>,
    room: String,
    hours_note: String,
    phone: String,
    email: String,
    documents: String,
    fees: String,
    deadline: String,
    case_kind: String,
    appeal: String,
    remarks: String,
    channel_counter: bool,
    channel_post: bool,
    channel_email: bool,
    channel_eservice: bool,
    form_definition: Option<String>,
    jrwa_symbol: Option<String>,
    published: bool,
    updated_at: UtcTime,
    fee_exemptions: String,
}

/// A JSON column written by this module; unreadable content (edited by hand) shows as
/// empty rather than failing the page, and is logged.
fn json_list<T: serde::de::DeserializeOwned>(id: i64, column: &str, text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::warn!(card = id, column, error = %e, "unreadable JSON column");
        Vec::new()
    })
}

impl From<CardRow> for ServiceCard {
    fn from(r: CardRow) -> Self {
        let case_kind = r.case_kind.parse().unwrap_or_else(|_| {
            tracing::warn!(card = r.id, kind = %r.case_kind, "unknown case kind");
            CaseKind::AdministrativeSimple
        });
        ServiceCard {
            id: r.id,
            data: CardData {
                legal_basis: json_list(r.id, "legal_basis", &r.legal_basis),
                documents: json_list::<RequiredDocument>(r.id, "documents", &r.documents),
                fees: json_list::<Fee>(r.id, "fees", &r.fees),
                code: r.code,
                org_unit_id: r.org_unit_id,
                name: r.name,
                description: r.description,
                keywords: r.keywords,
                location_id: r.location_id,
                room: r.room,
                hours_note: r.hours_note,
                phone: r.phone,
                email: r.email,
                deadline: r.deadline,
                case_kind,
                appeal: r.appeal,
                remarks: r.remarks,
                fee_exemptions: r.fee_exemptions,
                channels: Channels {
                    counter: r.channel_counter,
                    post: r.channel_post,
                    email: r.channel_email,
                    eservice: r.channel_eservice,
                },
                form_definition: r.form_definition,
                jrwa_symbol: r.jrwa_symbol,
                published: r.published,
            },
            updated_at: r.updated_at,
        }
    }
}

fn to_json(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

/// One card by its code, published or not.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn card_by_code(db: &Db, code: &str) -> Result<Option<ServiceCard>, sqlx::Error> {
    // No card's code has a NUL character, and PostgreSQL refuses one in a text
    // parameter (an error, not "no row"): such a code names no card.
    if code.contains('\0') {
        return Ok(None);
    }
    let sql = format!("SELECT {CARD_COLUMNS} FROM service_card WHERE code = $1");
    let row: Option<CardRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(code)
            .fetch_optional(c)
            .await
    })?;
    Ok(row.map(ServiceCard::from))
}

/// Every card, for the staff list, by code.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all_cards(db: &Db) -> Result<Vec<ServiceCard>, sqlx::Error> {
    let sql = format!("SELECT {CARD_COLUMNS} FROM service_card ORDER BY code");
    let rows: Vec<CardRow> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().map(ServiceCard::from).collect())
}

/// The published catalogue's version: bumped by triggers (migration 0016) in the
/// transaction of every change to cards, their files, units or locations.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn catalogue_version(db: &Db) -> Result<i64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT version FROM catalogue_version WHERE id = 1")
            .fetch_one(c)
            .await
    })
}

/// Every published card with its folded search text, by name and code (the order the
/// catalogue lists them in, as the database collates it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn published_cards(db: &Db) -> Result<Vec<(ServiceCard, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        search_text: String,
    }
    let sql = format!(
        "SELECT {CARD_COLUMNS}, search_text FROM service_card WHERE published = TRUE \
         ORDER BY name, code"
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| (ServiceCard::from(r.card), r.search_text))
        .collect())
}

/// The files of every published card, by card and id.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn published_files(db: &Db) -> Result<Vec<CardFile>, sqlx::Error> {
    let sql = format!(
        "SELECT {FILE_COLUMNS} FROM service_card_file WHERE card_id IN \
         (SELECT id FROM service_card WHERE published = TRUE) ORDER BY card_id, id"
    );
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(c)
            .await
    })
}

async fn write_card(tx: &mut Tx, id: Option<i64>, d: &CardData) -> Result<i64, sqlx::Error> {
    let sql = match id {
        None => {
            "INSERT INTO service_card (code, org_unit_id, name, description, legal_basis, \
             location_id, room, hours_note, phone, email, documents, fees, deadline, case_kind, \
             appeal, remarks, channel_counter, channel_post, channel_email, channel_eservice, \
             form_definition, published, search_text, updated_at, jrwa_symbol, keywords, \
             fee_exemptions) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20, $21, $22, $23, $24, $25, $26, $27) RETURNING id"
        }
        Some(_) => {
            "UPDATE service_card SET code = $1, org_unit_id = $2, name = $3, description = $4, \
             legal_basis = $5, location_id = $6, room = $7, hours_note = $8, phone = $9, \
             email = $10, documents = $11, fees = $12, deadline = $13, case_kind = $14, \
             appeal = $15, remarks = $16, channel_counter = $17, channel_post = $18, \
             channel_email = $19, channel_eservice = $20, form_definition = $21, \
             published = $22, search_text = $23, updated_at = $24, jrwa_symbol = $25, \
             keywords = $26, fee_exemptions = $27 WHERE id = $28 RETURNING id"
        }
    };
    let now = tx.now();
    with_tx!(tx, |c| {
        let q = sqlx::query_scalar(sql)
            .bind(&d.code)
            .bind(d.org_unit_id)
            .bind(&d.name)
            .bind(&d.description)
            .bind(to_json(&d.legal_basis))
            .bind(d.location_id)
            .bind(&d.room)
            .bind(&d.hours_note)
            .bind(&d.phone)
            .bind(&d.email)
            .bind(to_json(&d.documents))
            .bind(to_json(&d.fees))
            .bind(&d.deadline)
            .bind(d.case_kind.as_str())
            .bind(&d.appeal)
            .bind(&d.remarks)
            .bind(d.channels.counter)
            .bind(d.channels.post)
            .bind(d.channels.email)
            .bind(d.channels.eservice)
            .bind(&d.form_definition)
            .bind(d.published)
            .bind(d.search_text())
            .bind(now)
            .bind(&d.jrwa_symbol)
            .bind(&d.keywords);
        let q = q.bind(&d.fee_exemptions);
        match id {
            Some(id) => q.bind(id).fetch_one(c).await,
            None => q.fetch_one(c).await,
        }
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_card(tx: &mut Tx, actor: &Actor, data: &CardData) -> Result<i64, sqlx::Error> {
    let id = write_card(tx, None, data).await?;
    audit::record(tx, actor, Change::created("service_card", id, data)).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_card(
    tx: &mut Tx,
    actor: &Actor,
    before: &ServiceCard,
    data: &CardData,
) -> Result<(), sqlx::Error> {
    write_card(tx, Some(before.id), data).await?;
    audit::record(
        tx,
        actor,
        Change::updated("service_card", before.id, &before.data, data),
    )
    .await?;
    Ok(())
}

/// Publishes or withdraws a card (audited as `publish` / `unpublish`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_published(
    tx: &mut Tx,
    actor: &Actor,
    before: &ServiceCard,
    published: bool,
) -> Result<(), sqlx::Error> {
    let data = CardData {
        published,
        ..before.data.clone()
    };
    write_card(tx, Some(before.id), &data).await?;
    let action = if published { "publish" } else { "unpublish" };
    audit::record(
        tx,
        actor,
        Change::action(action, "service_card", before.id)
            .with_before(&serde_json::json!({ "published": before.data.published }))
            .with_after(&serde_json::json!({ "published": published })),
    )
    .await?;
    Ok(())
}

/// The card's events, oldest first: its version history.
#[tracing::instrument(level = "debug", skip_all, fields(card_id))]
pub async fn history(db: &Db, card_id: i64) -> Result<Vec<AuditEvent>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT seq, occurred_at, actor_id, actor_login, ip, action, entity_type, entity_id, \
             before_json, after_json, prev_hash, hash FROM audit_event \
             WHERE entity_type = 'service_card' AND entity_id = $1 ORDER BY seq",
        )
        .bind(card_id.to_string())
        .fetch_all(c)
        .await
    })
}

/// A downloadable form of a card (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CardFile {
    pub id: i64,
    pub card_id: i64,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: UtcTime,
}

impl CardFile {
    /// „245 KB”, „1,2 MB”.
    pub fn size_text(&self) -> String {
        let kb = (self.size_bytes + 1023) / 1024;
        if kb < 1024 {
            format!("{kb} KB")
        } else {
            let tenths = (self.size_bytes * 10 + 512 * 1024) / (1024 * 1024);
            format!("{},{} MB", tenths / 10, tenths % 10)
        }
    }

    pub fn href(&self, code: &str) -> String {
        format!("/services/{code}/files/{}/{}", self.id, self.file_name)
    }
}

const FILE_COLUMNS: &str =
    "id, card_id, title, file_name, content_type, size_bytes, sha256, uploaded_at";

#[tracing::instrument(level = "debug", skip_all, fields(card_id))]
pub async fn files(db: &Db, card_id: i64) -> Result<Vec<CardFile>, sqlx::Error> {
    let sql =
        format!("SELECT {FILE_COLUMNS} FROM service_card_file WHERE card_id = $1 ORDER BY id");
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(card_id)
            .fetch_all(c)
            .await
    })
}

/// One file of a card with its bytes.
#[tracing::instrument(level = "debug", skip_all, fields(card_id))]
pub async fn file_content(
    db: &Db,
    card_id: i64,
    file_id: i64,
) -> Result<Option<(CardFile, Vec<u8>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        file: CardFile,
        content: Vec<u8>,
    }
    let sql = format!(
        "SELECT {FILE_COLUMNS}, content FROM service_card_file WHERE card_id = $1 AND id = $2"
    );
    let row: Option<Row> = with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(card_id)
            .bind(file_id)
            .fetch_optional(c)
            .await
    })?;
    Ok(row.map(|r| (r.file, r.content)))
}

/// A file to attach, already checked.
pub struct NewFile<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Attaches a file; the card's history records it (without the bytes, with their hash).
#[tracing::instrument(level = "debug", skip_all, fields(card_id))]
pub async fn add_file(
    tx: &mut Tx,
    actor: &Actor,
    card_id: i64,
    file: &NewFile<'_>,
) -> Result<i64, sqlx::Error> {
    let sha = hex::encode(Sha256::digest(file.bytes));
    let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
    let now = tx.now();
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO service_card_file (card_id, title, file_name, content_type, size_bytes, \
             sha256, content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(card_id)
        .bind(file.title)
        .bind(file.file_name)
        .bind(file.content_type)
        .bind(size)
        .bind(&sha)
        .bind(file.bytes)
        .bind(now)
        .fetch_one(c)
        .await
    })?;
    let after = serde_json::json!({
        "file_id": id, "title": file.title, "file_name": file.file_name,
        "content_type": file.content_type, "size_bytes": size, "sha256": sha,
    });
    audit::record(
        tx,
        actor,
        Change::action("file_add", "service_card", card_id).with_after(&after),
    )
    .await?;
    Ok(id)
}

/// Removes a file of a card; `None` when the card has no such file.
#[tracing::instrument(level = "debug", skip_all, fields(card_id))]
pub async fn remove_file(
    tx: &mut Tx,
    actor: &Actor,
    card_id: i64,
    file_id: i64,
) -> Result<Option<CardFile>, sqlx::Error> {
    let sql = format!(
        "DELETE FROM service_card_file WHERE card_id = $1 AND id = $2 RETURNING {FILE_COLUMNS}"
    );
    let file: Option<CardFile> = with_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(card_id)
            .bind(file_id)
            .fetch_optional(c)
            .await
    })?;
    if let Some(f) = &file {
        audit::record(
            tx,
            actor,
            Change::action("file_remove", "service_card", card_id).with_before(f),
        )
        .await?;
    }
    Ok(file)
}
