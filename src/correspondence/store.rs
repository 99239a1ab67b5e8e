//! Storage of the register. Every write is audited in the caller's transaction; register
//! numbers come from a counter row updated in that same transaction.

use serde::Serialize;

use super::rules::{Channel, Delivery, NewIncoming, NewOutgoing, OutChannel, register_number};
use crate::attachments::AttachmentInfo;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// Why the correspondence register refused or failed; mapped to HTTP only at the edge
/// (`web::error`).
#[derive(Debug, thiserror::Error)]
pub enum CorrespondenceStoreError {
    /// The item breaks the register's rules (the form checks them first).
    #[error("refused: {0}")]
    Refused(&'static str),
    /// No such item, or no such case to link it to.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Which register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Register {
    Incoming,
    Outgoing,
}

impl Register {
    fn as_str(self) -> &'static str {
        match self {
            Register::Incoming => "incoming",
            Register::Outgoing => "outgoing",
        }
    }

    fn links_table(self) -> &'static str {
        match self {
            Register::Incoming => "incoming_attachment",
            Register::Outgoing => "outgoing_attachment",
        }
    }
}

/// The next number of `register` in `year`. The upsert takes the counter row's lock
/// (PostgreSQL) or runs under the database's single writer (SQLite), so concurrent
/// registrations queue here; a rolled-back registration gives its number back, so the
/// numbers have no gaps and no duplicates.
async fn next_number(tx: &mut Tx, register: Register, year: i32) -> Result<i32, sqlx::Error> {
    // The audit head first, then the counter: the one lock order of every audited
    // writer (an e-service filing has recorded its files before it gets here), so two
    // writers never wait for each other (docs/decisions/0007).
    audit::lock_head(tx).await?;
    with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO correspondence_counter (register, year, last_number) VALUES ($1, $2, 1) \
             ON CONFLICT (register, year) DO UPDATE \
             SET last_number = correspondence_counter.last_number + 1 RETURNING last_number",
        )
        .bind(register.as_str())
        .bind(year)
        .fetch_one(c)
        .await
    })
}

/// The files linked to the item, as the audit trail records them (hash and size).
async fn audited_files(tx: &mut Tx, ids: &[i64]) -> Result<Vec<AttachmentInfo>, sqlx::Error> {
    let mut files = Vec::with_capacity(ids.len());
    for id in ids {
        let info: Option<AttachmentInfo> = with_tx!(tx, |c| {
            sqlx::query_as(
                "SELECT id, file_name, content_type, size_bytes, sha256 FROM attachment WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(c)
            .await
        })?;
        files.extend(info);
    }
    Ok(files)
}

async fn link(
    tx: &mut Tx,
    register: Register,
    item_id: i64,
    attachment_id: i64,
    role: &str,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO {} (item_id, attachment_id, role) VALUES ($1, $2, $3)",
        register.links_table()
    );
    with_tx!(tx, |c| {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(item_id)
            .bind(attachment_id)
            .bind(role)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A registered item's id and number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisteredIncoming {
    pub id: i64,
    pub register_number: String,
}

/// The incoming item as the audit trail records it.
#[derive(Serialize)]
struct IncomingRecord<'a> {
    register_number: &'a str,
    #[serde(flatten)]
    item: &'a NewIncoming,
    files: Vec<AttachmentInfo>,
    proof_files: Vec<AttachmentInfo>,
}

/// Registers an incoming item in the caller's transaction: allocates the year's next
/// register number, writes the item, links its stored files, records the audit event.
/// The year is the year of registration in Warsaw (the register is kept per calendar
/// year). Invalid data (the rules of [`NewIncoming::problems`]) is refused with 400.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register_incoming(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewIncoming,
) -> Result<RegisteredIncoming, CorrespondenceStoreError> {
    if !new.problems().is_empty() {
        return Err(CorrespondenceStoreError::Refused("bad-request"));
    }
    let now = tx.now();
    let year = i32::from(now.in_warsaw().year());
    let number = next_number(tx, Register::Incoming, year).await?;
    let register_number = register_number(year, number);
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO incoming_item (year, number, register_number, channel, received_at, \
             sender_name, sender_address, sender_email, sender_epuap, sender_ade, \
             sender_reference, subject, epuap_upp_id, epuap_document_id, \
             edoreczenia_message_id, edoreczenia_proof_ref, pages, paper_attachments, \
             org_unit_id, case_id, notes, registered_at, registered_by, sender_dated_on, \
             posted_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id",
        )
        .bind(year)
        .bind(number)
        .bind(&register_number)
        .bind(new.channel.as_str())
        .bind(new.received_at)
        .bind(&new.sender.name)
        .bind(&new.sender.address)
        .bind(&new.sender.email)
        .bind(&new.sender.epuap)
        .bind(&new.sender.ade)
        .bind(&new.sender_reference)
        .bind(&new.subject)
        .bind(&new.channel_ids.epuap_upp_id)
        .bind(&new.channel_ids.epuap_document_id)
        .bind(&new.channel_ids.edoreczenia_message_id)
        .bind(&new.channel_ids.edoreczenia_proof_ref)
        .bind(new.pages)
        .bind(new.paper_attachments)
        .bind(new.org_unit_id)
        .bind(new.case_id)
        .bind(&new.notes)
        .bind(now)
        .bind(actor.user_id)
        .bind(new.sender_dated_on.map(jiff_sqlx::Date::from))
        .bind(new.posted_on.map(jiff_sqlx::Date::from))
        .fetch_one(c)
        .await
    })?;
    for a in &new.attachments {
        link(tx, Register::Incoming, id, *a, "content").await?;
    }
    for a in &new.proofs {
        link(tx, Register::Incoming, id, *a, "proof").await?;
    }
    let record = IncomingRecord {
        register_number: &register_number,
        item: new,
        files: audited_files(tx, &new.attachments).await?,
        proof_files: audited_files(tx, &new.proofs).await?,
    };
    audit::record(tx, actor, Change::created("incoming_item", id, &record)).await?;
    Ok(RegisteredIncoming {
        id,
        register_number,
    })
}

/// Links an incoming item to a case (or changes the link), audited. 404 when there is
/// no such item.
#[tracing::instrument(level = "debug", skip_all, fields(incoming_id, case_id))]
pub async fn link_case(
    tx: &mut Tx,
    actor: &Actor,
    incoming_id: i64,
    case_id: i64,
) -> Result<(), CorrespondenceStoreError> {
    let before: Option<Option<i64>> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT case_id FROM incoming_item WHERE id = $1")
            .bind(incoming_id)
            .fetch_optional(c)
            .await
    })?;
    let before = before.ok_or(CorrespondenceStoreError::NotFound)?;
    // Both backends have a foreign key for this (incoming_item_case_fk; SQLite since
    // migration 0011); asking first answers "no such case" instead of a key error.
    let case_exists: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM case_file WHERE id = $1")
            .bind(case_id)
            .fetch_one(c)
            .await
    })?;
    if case_exists == 0 {
        return Err(CorrespondenceStoreError::NotFound);
    }
    with_tx!(tx, |c| {
        sqlx::query("UPDATE incoming_item SET case_id = $1 WHERE id = $2")
            .bind(case_id)
            .bind(incoming_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    audit::record(
        tx,
        actor,
        Change::updated(
            "incoming_item",
            incoming_id,
            &serde_json::json!({ "case_id": before }),
            &serde_json::json!({ "case_id": case_id }),
        ),
    )
    .await?;
    Ok(())
}

/// A registered outgoing item's id and number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegisteredOutgoing {
    pub id: i64,
    pub register_number: String,
}

#[derive(Serialize)]
struct OutgoingRecord<'a> {
    register_number: &'a str,
    #[serde(flatten)]
    item: &'a NewOutgoing,
    files: Vec<AttachmentInfo>,
}

/// Registers an outgoing item in the caller's transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register_outgoing(
    tx: &mut Tx,
    actor: &Actor,
    new: &NewOutgoing,
) -> Result<RegisteredOutgoing, CorrespondenceStoreError> {
    let now = tx.now();
    let year = i32::from(now.in_warsaw().year());
    let number = next_number(tx, Register::Outgoing, year).await?;
    let register_number = register_number(year, number);
    let id: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO outgoing_item (year, number, register_number, channel, letter_type, \
             recipient_name, recipient_address, electronic_address, subject, sent_on, \
             org_unit_id, case_id, notes, delivery_note, registered_at, registered_by, \
             tracking_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
             '', $14, $15, $16) RETURNING id",
        )
        .bind(year)
        .bind(number)
        .bind(&register_number)
        .bind(new.channel.as_str())
        .bind(new.letter_type.map(|t| t.as_str()))
        .bind(&new.recipient_name)
        .bind(&new.recipient_address)
        .bind(&new.electronic_address)
        .bind(&new.subject)
        .bind(jiff_sqlx::Date::from(new.sent_on))
        .bind(new.org_unit_id)
        .bind(new.case_id)
        .bind(&new.notes)
        .bind(now)
        .bind(actor.user_id)
        .bind(&new.tracking_number)
        .fetch_one(c)
        .await
    })?;
    for a in &new.attachments {
        link(tx, Register::Outgoing, id, *a, "content").await?;
    }
    let record = OutgoingRecord {
        register_number: &register_number,
        item: new,
        files: audited_files(tx, &new.attachments).await?,
    };
    audit::record(tx, actor, Change::created("outgoing_item", id, &record)).await?;
    Ok(RegisteredOutgoing {
        id,
        register_number,
    })
}

/// Records the proof of delivery of an outgoing item (and its file, if any), audited
/// with the values before.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_delivery(
    tx: &mut Tx,
    actor: &Actor,
    item: &OutgoingItem,
    delivery: &Delivery,
    proof: Option<i64>,
) -> Result<(), CorrespondenceStoreError> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE outgoing_item SET delivered_on = $1, delivery_note = $2 WHERE id = $3")
            .bind(jiff_sqlx::Date::from(delivery.delivered_on))
            .bind(&delivery.note)
            .bind(item.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    if let Some(a) = proof {
        link(tx, Register::Outgoing, item.id, a, "proof").await?;
    }
    let files = match proof {
        Some(a) => audited_files(tx, &[a]).await?,
        None => Vec::new(),
    };
    audit::record(
        tx,
        actor,
        Change {
            action: "delivery",
            ..Change::updated(
                "outgoing_item",
                item.id,
                &serde_json::json!({
                    "delivered_on": item.delivered_on.map(|d| d.to_jiff().to_string()),
                    "delivery_note": item.delivery_note,
                }),
                &serde_json::json!({
                    "delivered_on": delivery.delivered_on.to_string(),
                    "delivery_note": delivery.note,
                    "proof_files": files,
                }),
            )
        },
    )
    .await?;
    Ok(())
}

/// One incoming item as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IncomingItem {
    pub id: i64,
    pub year: i32,
    pub number: i32,
    pub register_number: String,
    /// An unknown stored channel is a decode error (db/row.rs).
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub received_at: UtcTime,
    pub sender_name: String,
    pub sender_address: String,
    pub sender_email: String,
    pub sender_epuap: String,
    pub sender_ade: String,
    pub sender_reference: String,
    /// "Z dnia": the date on the sender's letter.
    pub sender_dated_on: Option<jiff_sqlx::Date>,
    /// The day of posting at a Polish post office (KPA art. 57 § 5 pkt 2).
    pub posted_on: Option<jiff_sqlx::Date>,
    pub subject: String,
    pub epuap_upp_id: String,
    pub epuap_document_id: String,
    pub edoreczenia_message_id: String,
    pub edoreczenia_proof_ref: String,
    pub pages: Option<i32>,
    pub paper_attachments: Option<i32>,
    pub org_unit_id: i64,
    pub case_id: Option<i64>,
    pub notes: String,
    pub registered_at: UtcTime,
    pub registered_by: Option<i64>,
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn incoming(db: &Db, id: i64) -> Result<Option<IncomingItem>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as("SELECT * FROM incoming_item WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

/// One outgoing item as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutgoingItem {
    pub id: i64,
    pub year: i32,
    pub number: i32,
    pub register_number: String,
    #[sqlx(try_from = "String")]
    pub channel: OutChannel,
    pub letter_type: Option<String>,
    /// The numer nadania of a registered letter, or empty.
    pub tracking_number: String,
    pub recipient_name: String,
    pub recipient_address: String,
    pub electronic_address: String,
    pub subject: String,
    pub sent_on: jiff_sqlx::Date,
    pub org_unit_id: i64,
    pub case_id: Option<i64>,
    pub notes: String,
    pub delivered_on: Option<jiff_sqlx::Date>,
    pub delivery_note: String,
    pub registered_at: UtcTime,
    pub registered_by: Option<i64>,
}

#[tracing::instrument(level = "debug", skip_all, fields(id))]
pub async fn outgoing(db: &Db, id: i64) -> Result<Option<OutgoingItem>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as("SELECT * FROM outgoing_item WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await
    })
}

/// A file linked to an item, with its role.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LinkedFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub role: String,
}

impl LinkedFile {
    pub fn size_text(&self) -> String {
        crate::attachments::size_text(self.size_bytes)
    }
}

/// The files of an item, in the order they were stored.
#[tracing::instrument(level = "debug", skip_all, fields(item_id))]
pub async fn files(
    db: &Db,
    register: Register,
    item_id: i64,
) -> Result<Vec<LinkedFile>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, a.file_name, a.content_type, a.size_bytes, a.sha256, l.role \
         FROM {} l JOIN attachment a ON a.id = l.attachment_id WHERE l.item_id = $1 ORDER BY a.id",
        register.links_table()
    );
    with_db!(db, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(item_id)
            .fetch_all(c)
            .await
    })
}

/// Whether the file `attachment_id` belongs to the item.
#[tracing::instrument(level = "debug", skip_all, fields(item_id))]
pub async fn has_file(
    db: &Db,
    register: Register,
    item_id: i64,
    attachment_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM {} WHERE item_id = $1 AND attachment_id = $2",
        register.links_table()
    );
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .bind(item_id)
            .bind(attachment_id)
            .fetch_one(c)
            .await
    })?;
    Ok(n > 0)
}

/// The list's filter, validated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub year: Option<i32>,
    pub channel: Option<String>,
    pub org_unit_id: Option<i64>,
    /// Lower-case text searched in the number, sender/recipient, subject and reference.
    pub text: Option<String>,
    /// The units the user may see (`,1,4,5,`), or `None` for the whole office.
    pub units: Option<String>,
    /// Items with an id below this (the next page).
    pub before: Option<i64>,
}

/// One row of a register list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub register_number: String,
    pub channel: String,
    /// Received (incoming) or sent (outgoing), as text for both.
    pub party: String,
    pub subject: String,
    pub unit_symbol: String,
    pub files: i64,
}

/// One row with its date, incoming.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IncomingRow {
    #[sqlx(flatten)]
    pub row: ListRow,
    pub received_at: UtcTime,
}

/// One row with its date, outgoing.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutgoingRow {
    #[sqlx(flatten)]
    pub row: ListRow,
    pub sent_on: jiff_sqlx::Date,
    pub delivered_on: Option<jiff_sqlx::Date>,
    /// The numer nadania of a registered letter, or empty.
    pub tracking_number: String,
}

// Each condition is "NULL or matches", so one static SQL text serves every combination
// of filters on both backends. The scope is a comma-framed list of unit ids matched with
// LIKE: no dynamic SQL, and the same on SQLite and PostgreSQL.
const FILTER: &str = "($1 IS NULL OR i.year = $1) AND ($2 IS NULL OR i.channel = $2) \
     AND ($3 IS NULL OR i.org_unit_id = $3) AND {text} \
     AND ($5 IS NULL OR $5 LIKE '%,' || i.org_unit_id || ',%') \
     AND ($6 IS NULL OR i.id < $6)";

/// A LIKE pattern finding `text` anywhere: its own `%` and `_` are not wildcards.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", magistrat_domain::text::like_escape(text))
}

/// The text condition, only when there is text. SQLite recompiles a statement whose
/// LIKE pattern is a bound parameter every time that parameter is bound (the pattern
/// may allow an index range), NULL included: the list without text (the usual case) had
/// its statement re-prepared on every request (docs/decisions/0021-speed.md).
fn text_condition(filter: &ListFilter) -> &'static str {
    if filter.text.is_some() {
        "($4 IS NULL OR lower(i.register_number) LIKE $4 ESCAPE '\\' \
          OR lower(i.subject) LIKE $4 ESCAPE '\\' \
          OR lower(i.{party}) LIKE $4 ESCAPE '\\' OR lower(i.{reference}) LIKE $4 ESCAPE '\\')"
    } else {
        "$4 IS NULL"
    }
}

/// How much of a list to read, in which order. The register's own order (newest
/// first, [`Order::Register`]) pages by id (`ListFilter::before`, keyset: every page
/// costs what the first does, on the primary key); any other order pages by an offset,
/// the id last so that equal values keep one order across pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    pub order: Order,
    pub limit: i64,
    /// Rows to skip (only with an order other than the register's).
    pub offset: i64,
}

/// A list's order: the register's own, or by one of our columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Newest first (by id: numbers are given in the order of registration).
    Register,
    /// By `column`, ascending or descending.
    By {
        column: OrderColumn,
        descending: bool,
    },
}

/// A column a register list sorts by in the database (never text a user typed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderColumn {
    /// The register number: the order of registration.
    Number,
    /// Received (incoming) or sent (outgoing).
    Date,
    /// The sender (incoming) or the recipient (outgoing).
    Party,
    Subject,
    Unit,
    /// Outgoing: the day of delivery; items not (yet) delivered last either way.
    Delivered,
}

impl Order {
    /// The ORDER BY (with the keyset or the offset that pages it) of `register`.
    fn sql(self, register: Register) -> String {
        let (column, descending) = match self {
            Order::Register => return "ORDER BY i.id DESC LIMIT CAST($7 AS BIGINT)".to_owned(),
            Order::By { column, descending } => (column, descending),
        };
        let dir = if descending { " DESC" } else { "" };
        let expr = match (column, register) {
            (OrderColumn::Number, _) => "i.id",
            (OrderColumn::Date, Register::Incoming) => "i.received_at",
            (OrderColumn::Date, Register::Outgoing) => "i.sent_on",
            (OrderColumn::Party, Register::Incoming) => "i.sender_name",
            (OrderColumn::Party, Register::Outgoing) => "i.recipient_name",
            (OrderColumn::Subject, _) => "i.subject",
            (OrderColumn::Unit, _) => "u.symbol",
            (OrderColumn::Delivered, _) => "i.delivered_on",
        };
        // NULLs sort first on SQLite and last on PostgreSQL: the empty ones are put
        // last on both, whichever the direction, by a condition of their own.
        let nulls_last = if column == OrderColumn::Delivered {
            "(CASE WHEN i.delivered_on IS NULL THEN 1 ELSE 0 END), "
        } else {
            ""
        };
        let tie = if column == OrderColumn::Number {
            String::new()
        } else {
            format!(", i.id{dir}")
        };
        format!(
            "ORDER BY {nulls_last}{expr}{dir}{tie} LIMIT CAST($7 AS BIGINT) OFFSET CAST($8 AS BIGINT)"
        )
    }
}

/// The SQL of a list of `register`: its columns and join, the filter, the order.
fn list_sql(register: Register, filter: &ListFilter, order: Order, select: &str) -> String {
    let (party, reference) = match register {
        Register::Incoming => ("sender_name", "sender_reference"),
        Register::Outgoing => ("recipient_name", "electronic_address"),
    };
    format!(
        "{select} WHERE {} {}",
        FILTER
            .replace("{text}", text_condition(filter))
            .replace("{party}", party)
            .replace("{reference}", reference),
        order.sql(register)
    )
}

/// Incoming items matching `filter`, the `slice` of them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_incoming(
    db: &Db,
    filter: &ListFilter,
    slice: Slice,
) -> Result<Vec<IncomingRow>, sqlx::Error> {
    let sql = list_sql(
        Register::Incoming,
        filter,
        slice.order,
        "SELECT i.id, i.register_number, i.channel, i.sender_name AS party, i.subject, \
         u.symbol AS unit_symbol, (SELECT COUNT(*) FROM incoming_attachment l WHERE l.item_id = i.id) AS files, \
         i.received_at FROM incoming_item i JOIN org_unit u ON u.id = i.org_unit_id",
    );
    let keyset = slice.order == Order::Register;
    with_db!(db, |c| {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.year)
            .bind(&filter.channel)
            .bind(filter.org_unit_id)
            .bind(filter.text.as_deref().map(contains_pattern))
            .bind(&filter.units)
            .bind(filter.before.filter(|_| keyset))
            .bind(slice.limit);
        let q = if keyset { q } else { q.bind(slice.offset) };
        q.fetch_all(c).await
    })
}

/// Outgoing items matching `filter`, the `slice` of them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list_outgoing(
    db: &Db,
    filter: &ListFilter,
    slice: Slice,
) -> Result<Vec<OutgoingRow>, sqlx::Error> {
    let sql = list_sql(
        Register::Outgoing,
        filter,
        slice.order,
        "SELECT i.id, i.register_number, i.channel, i.recipient_name AS party, i.subject, \
         u.symbol AS unit_symbol, (SELECT COUNT(*) FROM outgoing_attachment l WHERE l.item_id = i.id) AS files, \
         i.sent_on, i.delivered_on, i.tracking_number FROM outgoing_item i \
         JOIN org_unit u ON u.id = i.org_unit_id",
    );
    let keyset = slice.order == Order::Register;
    with_db!(db, |c| {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.year)
            .bind(&filter.channel)
            .bind(filter.org_unit_id)
            .bind(filter.text.as_deref().map(contains_pattern))
            .bind(&filter.units)
            .bind(filter.before.filter(|_| keyset))
            .bind(slice.limit);
        let q = if keyset { q } else { q.bind(slice.offset) };
        q.fetch_all(c).await
    })
}
