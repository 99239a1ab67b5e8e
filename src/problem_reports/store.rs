//! Problem reports in the database: the office's area, the categories, the reports,
//! their public history and photos. Every change runs in the caller's transaction
//! with its audit event.

use serde::{Deserialize, Serialize};

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::{with_db, with_tx};

/// The office's area and its Open311 jurisdiction.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AreaRow {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
    pub jurisdiction: String,
}

pub async fn area(db: &Db) -> Result<Option<AreaRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT south, west, north, east, jurisdiction FROM report_area WHERE id = 1"
    )
    .fetch_optional(c)
    .await)
}

pub async fn set_area(tx: &mut Tx, actor: &Actor, a: &AreaRow) -> Result<(), sqlx::Error> {
    crate::execute_tx!(
        tx,
        "INSERT INTO report_area (id, south, west, north, east, jurisdiction) \
         VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET south = $1, \
         west = $2, north = $3, east = $4, jurisdiction = $5",
        a.south,
        a.west,
        a.north,
        a.east,
        &a.jurisdiction
    )?;
    let after = serde_json::json!({"south": a.south, "west": a.west, "north": a.north,
        "east": a.east, "jurisdiction": a.jurisdiction});
    audit::record(
        tx,
        actor,
        Change::action("update", "report_area", 1).with_after(&after),
    )
    .await?;
    Ok(())
}

/// One attribute a category asks for (an Open311 attribute definition).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub code: String,
    /// `string`, `number`, `datetime`, `text`, `singlevaluelist`, `multivaluelist`.
    pub datatype: String,
    pub required: bool,
    pub description: String,
    #[serde(default)]
    pub datatype_description: String,
    pub order: u32,
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub org_unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub description: String,
    pub keywords: String,
    pub group_name: String,
    pub attributes: String,
    pub term_days: i32,
    pub active: bool,
    pub position: i32,
}

impl Category {
    /// The attribute definitions, in their order (an unreadable list reads as none).
    pub fn attribute_list(&self) -> Vec<Attribute> {
        let mut list: Vec<Attribute> = serde_json::from_str(&self.attributes).unwrap_or_default();
        list.sort_by_key(|a| a.order);
        list
    }
}

/// A category as written.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryData {
    pub code: String,
    pub name: String,
    pub org_unit_id: Option<i64>,
    pub description: String,
    pub keywords: String,
    pub group_name: String,
    pub attributes: Vec<Attribute>,
    pub term_days: i32,
    pub active: bool,
    pub position: i32,
}

const CATEGORY_SELECT: &str = "SELECT k.id, k.code, k.name, k.org_unit_id, u.name AS unit_name, \
     k.description, k.keywords, k.group_name, k.attributes, k.term_days, k.active, k.position \
     FROM report_category k LEFT JOIN org_unit u ON u.id = k.org_unit_id";

pub async fn categories(db: &Db) -> Result<Vec<Category>, sqlx::Error> {
    let sql = format!("{CATEGORY_SELECT} ORDER BY k.position, k.code");
    with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(c)
        .await)
}

pub async fn category_by_code(db: &Db, code: &str) -> Result<Option<Category>, sqlx::Error> {
    let sql = format!("{CATEGORY_SELECT} WHERE k.code = $1");
    with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(code)
        .fetch_optional(c)
        .await)
}

pub async fn insert_category(
    tx: &mut Tx,
    actor: &Actor,
    k: &CategoryData,
) -> Result<i64, sqlx::Error> {
    let attributes = serde_json::to_string(&k.attributes).unwrap_or_else(|_| "[]".into());
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO report_category (code, name, org_unit_id, description, keywords, \
         group_name, attributes, term_days, active, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
    )
    .bind(&k.code)
    .bind(&k.name)
    .bind(k.org_unit_id)
    .bind(&k.description)
    .bind(&k.keywords)
    .bind(&k.group_name)
    .bind(&attributes)
    .bind(k.term_days)
    .bind(k.active)
    .bind(k.position)
    .fetch_one(c)
    .await)?;
    audit::record(tx, actor, Change::created("report_category", id, k)).await?;
    Ok(id)
}

pub async fn category_by_id(db: &Db, id: i64) -> Result<Option<Category>, sqlx::Error> {
    let sql = format!("{CATEGORY_SELECT} WHERE k.id = $1");
    with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Rewrites category `before.id` (its code stays), audited with the state before and
/// after. Open311's `services` reads the table on each request, so every app server
/// answers with the change at once.
pub async fn update_category(
    tx: &mut Tx,
    actor: &Actor,
    before: &Category,
    k: &CategoryData,
) -> Result<(), sqlx::Error> {
    let attributes = serde_json::to_string(&k.attributes).unwrap_or_else(|_| "[]".into());
    crate::execute_tx!(
        tx,
        "UPDATE report_category SET name = $1, org_unit_id = $2, description = $3, \
         keywords = $4, group_name = $5, attributes = $6, term_days = $7, active = $8 \
         WHERE id = $9",
        &k.name,
        k.org_unit_id,
        &k.description,
        &k.keywords,
        &k.group_name,
        &attributes,
        k.term_days,
        k.active,
        before.id
    )?;
    let was = CategoryData {
        code: before.code.clone(),
        name: before.name.clone(),
        org_unit_id: before.org_unit_id,
        description: before.description.clone(),
        keywords: before.keywords.clone(),
        group_name: before.group_name.clone(),
        attributes: before.attribute_list(),
        term_days: before.term_days,
        active: before.active,
        position: before.position,
    };
    audit::record(
        tx,
        actor,
        Change::updated("report_category", before.id, &was, k),
    )
    .await?;
    Ok(())
}

/// A new report as it is stored.
#[derive(Clone, Debug, Serialize)]
pub struct NewRow {
    pub token: String,
    pub category_id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub description: String,
    /// JSON object: attribute code → value or list of values.
    pub attributes: String,
    pub media_url: Option<String>,
    #[serde(skip)]
    pub email: Option<String>,
    #[serde(skip)]
    pub first_name: Option<String>,
    #[serde(skip)]
    pub last_name: Option<String>,
    #[serde(skip)]
    pub phone: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    /// `open311`, `web`, `app` (the residents' app API), `staff`, `demo`.
    pub channel: String,
    pub api_key_id: Option<i64>,
    /// The signed-in resident who filed it through their app.
    pub resident_id: Option<i64>,
    pub requested_at: UtcTime,
    pub expected_at: UtcTime,
}

/// Inserts a report with its first history entry, audited.
pub async fn insert_report(
    tx: &mut Tx,
    actor: &Actor,
    r: &NewRow,
    note: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO problem_report (token, category_id, status, lat, lon, address, \
         description, attributes, media_url, email, first_name, last_name, phone, device_id, \
         account_id, channel, api_key_id, requested_at, updated_at, expected_at, resident_id) \
         VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $17, $18, $19) RETURNING id"
    )
    .bind(&r.token)
    .bind(r.category_id)
    .bind(r.lat)
    .bind(r.lon)
    .bind(&r.address)
    .bind(&r.description)
    .bind(&r.attributes)
    .bind(&r.media_url)
    .bind(&r.email)
    .bind(&r.first_name)
    .bind(&r.last_name)
    .bind(&r.phone)
    .bind(&r.device_id)
    .bind(&r.account_id)
    .bind(&r.channel)
    .bind(r.api_key_id)
    .bind(r.requested_at)
    .bind(r.expected_at)
    .bind(r.resident_id)
    .fetch_one(c)
    .await)?;
    add_note(tx, id, r.requested_at, "open", note, &actor.login).await?;
    audit::record(tx, actor, Change::created("problem_report", id, r)).await?;
    Ok(id)
}

async fn add_note(
    tx: &mut Tx,
    report_id: i64,
    at: UtcTime,
    status: &str,
    note: &str,
    author: &str,
) -> Result<(), sqlx::Error> {
    crate::execute_tx!(
        tx,
        "INSERT INTO problem_report_note (report_id, at, status, note, author) \
         VALUES ($1, $2, $3, $4, $5)",
        report_id,
        at,
        status,
        note,
        author
    )?;
    Ok(())
}

pub async fn add_photo(tx: &mut Tx, report_id: i64, attachment_id: i64) -> Result<(), sqlx::Error> {
    crate::execute_tx!(
        tx,
        "INSERT INTO problem_report_photo (report_id, attachment_id) VALUES ($1, $2)",
        report_id,
        attachment_id
    )?;
    Ok(())
}

/// A report as lists and pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub token: String,
    pub category_id: i64,
    pub service_code: String,
    pub service_name: String,
    pub agency: Option<String>,
    pub status: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub description: String,
    pub attributes: String,
    pub media_url: Option<String>,
    pub channel: String,
    pub assigned_to: Option<i64>,
    pub assigned_name: Option<String>,
    pub requested_at: UtcTime,
    pub updated_at: UtcTime,
    pub expected_at: UtcTime,
    pub status_notes: Option<String>,
    pub first_photo: Option<i64>,
}

impl Report {
    /// The Fluent id of the report's status.
    pub fn status_key(&self) -> String {
        format!("report-status-{}", self.status.replace('_', "-"))
    }
}

pub const REPORT_SELECT: &str = "SELECT r.id, r.token, r.category_id, k.code AS service_code, \
     k.name AS service_name, u.name AS agency, r.status, r.lat, r.lon, r.address, \
     r.description, r.attributes, r.media_url, r.channel, r.assigned_to, \
     a.display_name AS assigned_name, r.requested_at, r.updated_at, r.expected_at, r.status_notes, \
     (SELECT MIN(p.attachment_id) FROM problem_report_photo p WHERE p.report_id = r.id) \
     AS first_photo \
     FROM problem_report r JOIN report_category k ON k.id = r.category_id \
     LEFT JOIN org_unit u ON u.id = k.org_unit_id \
     LEFT JOIN app_user a ON a.id = r.assigned_to";

/// A value bound into a query built at run time.
#[derive(Clone, Debug)]
pub enum Arg {
    Int(i64),
    Real(f64),
    Text(String),
    Time(UtcTime),
}

/// A query over reports: `WHERE` clauses with `$n` placeholders numbered in `args`
/// order, and the tail (order, limit).
#[derive(Clone, Debug, Default)]
pub struct ReportQuery {
    pub clauses: Vec<String>,
    pub args: Vec<Arg>,
}

impl ReportQuery {
    /// Adds a clause; each `?` in it becomes the next `$n`.
    pub fn and(&mut self, clause: &str, args: Vec<Arg>) {
        let mut text = String::new();
        let mut args = args.into_iter();
        for ch in clause.chars() {
            if ch == '?' {
                if let Some(a) = args.next() {
                    self.args.push(a);
                }
                text.push_str(&format!("${}", self.args.len()));
            } else {
                text.push(ch);
            }
        }
        self.clauses.push(text);
    }

    fn sql(&self, tail: &str) -> String {
        let mut sql = REPORT_SELECT.to_owned();
        if !self.clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&self.clauses.join(" AND "));
        }
        sql.push(' ');
        sql.push_str(tail);
        sql
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Real(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
                Arg::Time(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// The reports the query selects, newest first; `limit`/`offset` when given.
pub async fn reports(
    db: &Db,
    query: &ReportQuery,
    limit: Option<(i64, i64)>,
) -> Result<Vec<Report>, sqlx::Error> {
    let tail = match limit {
        Some((limit, offset)) => {
            format!("ORDER BY r.requested_at DESC, r.id DESC LIMIT {limit} OFFSET {offset}")
        }
        None => "ORDER BY r.requested_at DESC, r.id DESC".to_owned(),
    };
    let sql = query.sql(&tail);
    with_db!(db, |c| {
        let q = bind_all!(
            sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.clone())),
            &query.args
        );
        q.fetch_all(c).await
    })
}

pub async fn count(db: &Db, query: &ReportQuery) -> Result<i64, sqlx::Error> {
    let mut sql = "SELECT COUNT(*) FROM problem_report r JOIN report_category k ON \
                   k.id = r.category_id"
        .to_owned();
    if !query.clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&query.clauses.join(" AND "));
    }
    with_db!(db, |c| {
        let q = bind_all!(
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.clone())),
            &query.args
        );
        q.fetch_one(c).await
    })
}

pub async fn report(db: &Db, id: i64) -> Result<Option<Report>, sqlx::Error> {
    let mut q = ReportQuery::default();
    q.and("r.id = ?", vec![Arg::Int(id)]);
    Ok(reports(db, &q, None).await?.into_iter().next())
}

pub async fn report_id_by_token(db: &Db, token: &str) -> Result<Option<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM problem_report WHERE token = $1"
    )
    .bind(token)
    .fetch_optional(c)
    .await)
}

/// One entry of a report's public history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Note {
    pub at: UtcTime,
    pub status: String,
    pub note: String,
    pub author: String,
}

pub async fn notes(db: &Db, report_id: i64) -> Result<Vec<Note>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT at, status, note, author FROM problem_report_note WHERE report_id = $1 \
         ORDER BY id"
    )
    .bind(report_id)
    .fetch_all(c)
    .await)
}

pub async fn photos(db: &Db, report_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar(
        "SELECT attachment_id FROM problem_report_photo WHERE report_id = $1 \
         ORDER BY attachment_id"
    )
    .bind(report_id)
    .fetch_all(c)
    .await)
}

/// The reporter's contact, for officials only.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Contact {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

pub async fn contact(db: &Db, report_id: i64) -> Result<Option<Contact>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT email, first_name, last_name, phone FROM problem_report WHERE id = $1"
    )
    .bind(report_id)
    .fetch_optional(c)
    .await)
}

/// What an official does to a report, audited with the report's state before and
/// after; `note` goes into the public history.
pub async fn act(
    tx: &mut Tx,
    actor: &Actor,
    before: &Report,
    status: &str,
    assigned_to: Option<i64>,
    note: &str,
    status_notes: Option<&str>,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    crate::execute_tx!(
        tx,
        "UPDATE problem_report SET status = $1, assigned_to = $2, updated_at = $3, \
         status_notes = COALESCE($4, status_notes) WHERE id = $5",
        status,
        assigned_to,
        now,
        status_notes,
        before.id
    )?;
    if !note.is_empty() || status != before.status {
        add_note(tx, before.id, now, status, note, &actor.login).await?;
    }
    let after = serde_json::json!({
        "status": status, "assigned_to": assigned_to, "note": note,
    });
    let change = Change::updated(
        "problem_report",
        before.id,
        &serde_json::json!({"status": before.status, "assigned_to": before.assigned_to}),
        &after,
    );
    audit::record(tx, actor, change).await?;
    Ok(())
}

/// The officials a report may be assigned to: active accounts holding a role that
/// handles reports, (id, name).
pub async fn officials(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM app_user u JOIN user_role g ON g.user_id = u.id \
         WHERE u.active AND g.role IN ('manager', 'case_official') ORDER BY u.display_name"
    )
    .fetch_all(c)
    .await)
}
