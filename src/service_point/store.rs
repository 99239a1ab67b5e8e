//! The service point in the database: categories and desks of a location (setup),
//! tickets and their state intervals (the queue), and the snapshot of a point's queue
//! that pages show and live streams send (`super::live`).
//!
//! Every change to a point's queue runs in one transaction that first holds the point's
//! live-event topic (`platform::events::hold_topic`): on PostgreSQL the writers of one
//! point take turns, so each reads the queue after the previous one committed and two
//! desks calling at once are served one after the other; SQLite's single writer does
//! the same. A ticket is moved out of `waiting` only by an update conditioned on its
//! state, so even without the turn no ticket is called twice. A change announces only
//! what changed ([`announce`]); no writer reads the whole snapshot (decision 0055).

use std::collections::BTreeMap;

use magistrat_domain::queue;
use serde::Serialize;

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx, UtcTime};
use crate::platform::events;
use crate::{with_db, with_tx};

/// What the store refuses, mapped to HTTP in `web::error` and in the API.
#[derive(Debug, thiserror::Error)]
pub enum ServicePointError {
    #[error("not found")]
    NotFound,
    /// No active category of that code at the point.
    #[error("unknown category")]
    UnknownCategory,
    /// Outside the opening hours, or a closing day.
    #[error("closed")]
    Closed,
    /// The category's daily quota is used up.
    #[error("over quota")]
    OverQuota,
    /// The desks cannot serve another ticket before closing.
    #[error("no capacity before closing")]
    NoCapacity,
    /// The slot asked for is not one the point offers for booking (outside the
    /// window, a closed day, not on a slot's start).
    #[error("not a bookable slot")]
    NotASlot,
    /// Every place of the slot is booked.
    #[error("slot full")]
    SlotFull,
    /// The matter (service card) is not one the category covers.
    #[error("unknown matter")]
    UnknownMatter,
    /// No booking of today at this point matches the code, PESEL or phone number.
    #[error("no such booking")]
    BookingNotFound,
    /// The booked time and its grace have passed: the slot is lost.
    #[error("booking expired")]
    BookingExpired,
    /// The booking has its ticket already.
    #[error("already checked in")]
    AlreadyCheckedIn,
    /// An act the desk's state does not allow (a Fluent id: `sp-refused-…`).
    #[error("refused: {0}")]
    Refused(&'static str),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

type Result<T, E = ServicePointError> = std::result::Result<T, E>;

/// The live-event topic of a point's queue.
pub fn topic(location_id: i64) -> String {
    format!("service-point.{location_id}")
}

/// A connection to read from: the pool, or an open transaction (so a writer's
/// snapshot sees its own changes).
pub enum Source<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

macro_rules! run {
    ($src:expr, |$c:ident| $body:expr) => {
        match $src {
            Source::Db(db) => with_db!(db, |$c| $body),
            Source::Tx(tx) => with_tx!(tx, |$c| $body),
        }
    };
}

// ---------------------------------------------------------------- setup

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub location_id: i64,
    pub code: String,
    pub name: String,
    pub bookable: bool,
    pub service_minutes: i32,
    pub daily_quota: Option<i32>,
    pub active: bool,
    pub position: i32,
}

/// A category as the setup form gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryData {
    pub code: String,
    pub name: String,
    pub bookable: bool,
    pub service_minutes: i32,
    pub daily_quota: Option<i32>,
    pub active: bool,
    pub position: i32,
    /// Service cards covered (ids).
    pub cards: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DeskRow {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub state: String,
    pub official_id: Option<i64>,
    pub active: bool,
}

/// A desk with the categories it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Desk {
    #[serde(flatten)]
    pub row: DeskRow,
    pub categories: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeskData {
    pub name: String,
    pub active: bool,
    pub categories: Vec<i64>,
}

const CATEGORY_COLUMNS: &str = "id, location_id, code, name, bookable, service_minutes, \
     daily_quota, active, position";

pub async fn categories(src: Source<'_>, location_id: i64) -> Result<Vec<Category>> {
    let sql = format!(
        "SELECT {CATEGORY_COLUMNS} FROM sp_category WHERE location_id = $1 \
         ORDER BY position, code"
    );
    Ok(run!(src, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(location_id)
    .fetch_all(c)
    .await)?)
}

/// (category, card) pairs of a location.
pub async fn category_cards(db: &Db, location_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(with_db!(db, |c| sqlx::query_as(
        "SELECT cc.category_id, cc.card_id FROM sp_category_card cc \
         JOIN sp_category k ON k.id = cc.category_id WHERE k.location_id = $1"
    )
    .bind(location_id)
    .fetch_all(c)
    .await)?)
}

pub async fn desks(src: Source<'_>, location_id: i64) -> Result<Vec<Desk>> {
    let mut src = src;
    let rows: Vec<DeskRow> = run!(&mut src, |c| sqlx::query_as(
        "SELECT id, location_id, name, state, official_id, active FROM sp_desk \
         WHERE location_id = $1 ORDER BY name"
    )
    .bind(location_id)
    .fetch_all(c)
    .await)?;
    let links: Vec<(i64, i64)> = run!(&mut src, |c| sqlx::query_as(
        "SELECT dc.desk_id, dc.category_id FROM sp_desk_category dc \
         JOIN sp_desk d ON d.id = dc.desk_id WHERE d.location_id = $1 \
         ORDER BY dc.category_id"
    )
    .bind(location_id)
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|row| Desk {
            categories: links
                .iter()
                .filter(|(d, _)| *d == row.id)
                .map(|(_, k)| *k)
                .collect(),
            row,
        })
        .collect())
}

/// The location of desk `desk_id`.
async fn desk_location(db: &Db, desk_id: i64) -> Result<i64> {
    let location: Option<i64> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT location_id FROM sp_desk WHERE id = $1"
    )
    .bind(desk_id)
    .fetch_optional(c)
    .await)?;
    location.ok_or(ServicePointError::NotFound)
}

pub async fn desk(db: &Db, desk_id: i64) -> Result<Desk> {
    let location = desk_location(db, desk_id).await?;
    desks(Source::Db(db), location)
        .await?
        .into_iter()
        .find(|d| d.row.id == desk_id)
        .ok_or(ServicePointError::NotFound)
}

/// The locations that have at least one active category: the service points.
pub async fn point_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(with_db!(db, |c| sqlx::query_scalar(
        "SELECT DISTINCT location_id FROM sp_category WHERE active ORDER BY location_id"
    )
    .fetch_all(c)
    .await)?)
}

/// Creates (`id` None) or changes a category of `location_id`, with its cards.
pub async fn save_category(
    tx: &mut Tx,
    actor: &Actor,
    location_id: i64,
    id: Option<i64>,
    data: &CategoryData,
) -> Result<i64, sqlx::Error> {
    let id = match id {
        None => {
            let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "INSERT INTO sp_category (location_id, code, name, bookable, service_minutes, \
                 daily_quota, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 RETURNING id"
            )
            .bind(location_id)
            .bind(&data.code)
            .bind(&data.name)
            .bind(data.bookable)
            .bind(data.service_minutes)
            .bind(data.daily_quota)
            .bind(data.active)
            .bind(data.position)
            .fetch_one(c)
            .await)?;
            audit::record(tx, actor, Change::created("sp_category", id, data)).await?;
            id
        }
        Some(id) => {
            let sql = format!("SELECT {CATEGORY_COLUMNS} FROM sp_category WHERE id = $1");
            let before: Category =
                with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(id)
                    .fetch_one(c)
                    .await)?;
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_category SET code = $2, name = $3, bookable = $4, \
                 service_minutes = $5, daily_quota = $6, active = $7, position = $8 \
                 WHERE id = $1"
            )
            .bind(id)
            .bind(&data.code)
            .bind(&data.name)
            .bind(data.bookable)
            .bind(data.service_minutes)
            .bind(data.daily_quota)
            .bind(data.active)
            .bind(data.position)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            audit::record(tx, actor, Change::updated("sp_category", id, &before, data)).await?;
            id
        }
    };
    replace_links(tx, Links::CategoryCards, id, &data.cards).await?;
    Ok(id)
}

/// Creates (`id` None) or changes a desk of `location_id`, with its categories.
pub async fn save_desk(
    tx: &mut Tx,
    actor: &Actor,
    location_id: i64,
    id: Option<i64>,
    data: &DeskData,
) -> Result<i64, sqlx::Error> {
    let id = match id {
        None => {
            let id: i64 = with_tx!(tx, |c| {
                sqlx::query_scalar(
                "INSERT INTO sp_desk (location_id, name, active) VALUES ($1, $2, $3) RETURNING id"
            )
            .bind(location_id)
            .bind(&data.name)
            .bind(data.active)
            .fetch_one(c)
            .await
            })?;
            audit::record(tx, actor, Change::created("sp_desk", id, data)).await?;
            id
        }
        Some(id) => {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_desk SET name = $2, active = $3 WHERE id = $1"
            )
            .bind(id)
            .bind(&data.name)
            .bind(data.active)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            audit::record(
                tx,
                actor,
                Change::action("updated", "sp_desk", id).with_after(data),
            )
            .await?;
            id
        }
    };
    replace_links(tx, Links::DeskCategories, id, &data.categories).await?;
    Ok(id)
}

/// The link tables of the setup: a category's cards, a desk's categories.
#[derive(Clone, Copy)]
enum Links {
    CategoryCards,
    DeskCategories,
}

impl Links {
    fn statements(self) -> (&'static str, &'static str) {
        match self {
            Links::CategoryCards => (
                "DELETE FROM sp_category_card WHERE category_id = $1",
                "INSERT INTO sp_category_card (category_id, card_id) VALUES ($1, $2)",
            ),
            Links::DeskCategories => (
                "DELETE FROM sp_desk_category WHERE desk_id = $1",
                "INSERT INTO sp_desk_category (desk_id, category_id) VALUES ($1, $2)",
            ),
        }
    }
}

/// Sets the links of `owner` to exactly `targets` (a new owner has none to remove).
async fn replace_links(
    tx: &mut Tx,
    links: Links,
    owner: i64,
    targets: &[i64],
) -> Result<(), sqlx::Error> {
    let (delete, insert) = links.statements();
    with_tx!(tx, |c| sqlx::query(delete)
        .bind(owner)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for target in targets {
        with_tx!(tx, |c| sqlx::query(insert)
            .bind(owner)
            .bind(target)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- tickets

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Ticket {
    pub id: i64,
    pub location_id: i64,
    pub category_id: i64,
    pub day: String,
    pub number: i32,
    pub label: String,
    #[serde(skip)]
    pub token: String,
    pub priority: bool,
    pub appointment_at: Option<UtcTime>,
    pub state: String,
    pub desk_id: Option<i64>,
    pub official_id: Option<i64>,
    pub card_id: Option<i64>,
    pub issued_at: UtcTime,
    pub queued_at: UtcTime,
    pub called_at: Option<UtcTime>,
    pub recalls: i32,
    pub finished_at: Option<UtcTime>,
}

const TICKET_COLUMNS: &str = "id, location_id, category_id, day, number, label, token, \
     priority, appointment_at, state, desk_id, official_id, card_id, issued_at, queued_at, \
     called_at, recalls, finished_at";

/// The Warsaw date of an instant, `YYYY-MM-DD`: the day tickets are numbered in.
pub fn day_of(at: UtcTime) -> String {
    at.in_warsaw().date().to_string()
}

pub async fn ticket_by_token(db: &Db, token: &str) -> Result<Option<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM sp_ticket WHERE token = $1");
    Ok(with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(token)
    .fetch_optional(c)
    .await)?)
}

/// Today's tickets of a point that are waiting, called or being served.
async fn live_tickets(src: &mut Source<'_>, location_id: i64, day: &str) -> Result<Vec<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM sp_ticket WHERE location_id = $1 AND day = $2 \
         AND state IN ('waiting', 'called', 'serving') ORDER BY id"
    );
    Ok(run!(src, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(location_id)
    .bind(day)
    .fetch_all(c)
    .await)?)
}

/// Today's waiting tickets of a point (what the call order chooses from).
async fn waiting_tickets(tx: &mut Tx, location_id: i64, day: &str) -> Result<Vec<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM sp_ticket WHERE location_id = $1 AND day = $2 \
         AND state = 'waiting' ORDER BY id"
    );
    Ok(with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(location_id)
    .bind(day)
    .fetch_all(c)
    .await)?)
}

/// What a point looks like now: the base of the kiosk, the boards, the status page,
/// the e-tickets and every live event.
#[derive(Clone, Debug, Serialize)]
pub struct Snapshot {
    pub categories: Vec<CategoryStatus>,
    pub desks: Vec<DeskStatus>,
    /// The last tickets called, newest first.
    pub called: Vec<CalledLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryStatus {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub bookable: bool,
    pub waiting: u32,
    pub open_desks: u32,
    /// For someone taking a ticket now; `None` when no desk serves the category.
    pub estimated_wait_minutes: Option<u32>,
    /// Tickets the desks can still serve before closing (None: closed now / unknown).
    pub capacity_left: Option<u32>,
    /// Mean service minutes used by the estimate.
    pub mean_service_minutes: f64,
    /// The desks' share of the category used by the estimate (open desks, or the
    /// configured ones before any opens).
    pub desk_share: f64,
    /// Waiting tickets in the order they are likely called (priority first). Not in
    /// the live stream's snapshot (it grows with the queue and no board shows it): an
    /// e-ticket's stream gets its own place instead (`super::live`, decision 0055).
    #[serde(skip_serializing)]
    pub queue: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeskStatus {
    pub id: i64,
    pub name: String,
    pub state: String,
    pub ticket: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CalledLine {
    pub ticket: String,
    pub desk: String,
    pub state: String,
}

/// How many tickets the board shows as called recently.
const CALLED_SHOWN: usize = 6;

/// The snapshot of a point's queue at `now`; `minutes_to_close` from the opening
/// hours (None: closed now).
pub async fn snapshot(
    src: Source<'_>,
    location_id: i64,
    now: UtcTime,
    minutes_to_close: Option<i64>,
) -> Result<Snapshot> {
    let mut src = src;
    let day = day_of(now);
    let categories: Vec<Category> = categories(reborrow(&mut src), location_id)
        .await?
        .into_iter()
        .filter(|k| k.active)
        .collect();
    let desks: Vec<Desk> = desks(reborrow(&mut src), location_id)
        .await?
        .into_iter()
        .filter(|d| d.row.active)
        .collect();
    let tickets = live_tickets(&mut src, location_id, &day).await?;
    let samples: Vec<(i64, UtcTime, UtcTime)> = run!(&mut src, |c| sqlx::query_as(
        "SELECT p.category_id, p.started_at, p.ended_at FROM sp_visit_period p \
         JOIN sp_ticket t ON t.id = p.ticket_id \
         WHERE t.location_id = $1 AND t.day = $2 AND p.state = 'serving' \
         AND p.ended_at IS NOT NULL"
    )
    .bind(location_id)
    .bind(&day)
    .fetch_all(c)
    .await)?;
    let recent: Vec<(String, Option<i64>, String)> = run!(&mut src, |c| sqlx::query_as(
        "SELECT label, desk_id, state FROM sp_ticket WHERE location_id = $1 AND day = $2 \
         AND called_at IS NOT NULL AND state <> 'waiting' ORDER BY called_at DESC, id DESC \
         LIMIT 6"
    )
    .bind(location_id)
    .bind(&day)
    .fetch_all(c)
    .await)?;

    Ok(build_snapshot(
        &categories,
        &desks,
        &tickets,
        &samples,
        recent,
        minutes_to_close,
    ))
}

/// The snapshot from what was read: pure.
fn build_snapshot(
    categories: &[Category],
    desks: &[Desk],
    tickets: &[Ticket],
    samples: &[(i64, UtcTime, UtcTime)],
    recent: Vec<(String, Option<i64>, String)>,
    minutes_to_close: Option<i64>,
) -> Snapshot {
    let open: Vec<&Desk> = desks.iter().filter(|d| d.row.state == "open").collect();
    let open_sets: Vec<&[i64]> = open.iter().map(|d| d.categories.as_slice()).collect();
    let all_sets: Vec<&[i64]> = desks.iter().map(|d| d.categories.as_slice()).collect();
    let desk_name = |id: Option<i64>| {
        id.and_then(|id| desks.iter().find(|d| d.row.id == id))
            .map(|d| d.row.name.clone())
            .unwrap_or_default()
    };
    let category_statuses = categories
        .iter()
        .map(|k| {
            let mut waiting: Vec<&Ticket> = tickets
                .iter()
                .filter(|t| t.category_id == k.id && t.state == "waiting")
                .collect();
            waiting.sort_by_key(|t| (!t.priority, t.queued_at, t.id));
            let Estimate { mean, share } = estimate(k, samples, &open_sets, &all_sets);
            let count = u32::try_from(waiting.len()).unwrap_or(u32::MAX);
            CategoryStatus {
                id: k.id,
                code: k.code.clone(),
                name: k.name.clone(),
                bookable: k.bookable,
                waiting: count,
                open_desks: u32::try_from(
                    open.iter().filter(|d| d.categories.contains(&k.id)).count(),
                )
                .unwrap_or(0),
                estimated_wait_minutes: queue::estimated_wait_minutes(count, mean, share),
                capacity_left: minutes_to_close
                    .map(|m| queue::capacity_left(m, count, mean, share)),
                mean_service_minutes: mean,
                desk_share: share,
                queue: waiting.iter().map(|t| t.label.clone()).collect(),
            }
        })
        .collect();
    let desk_statuses = desks
        .iter()
        .map(|d| DeskStatus {
            id: d.row.id,
            name: d.row.name.clone(),
            state: d.row.state.clone(),
            ticket: tickets
                .iter()
                .find(|t| t.desk_id == Some(d.row.id) && t.state != "waiting")
                .map(|t| t.label.clone()),
        })
        .collect();
    let called = recent
        .into_iter()
        .take(CALLED_SHOWN)
        .map(|(ticket, desk, state)| CalledLine {
            ticket,
            desk: desk_name(desk),
            state,
        })
        .collect();
    Snapshot {
        categories: category_statuses,
        desks: desk_statuses,
        called,
    }
}

/// What a category's wait estimate and capacity rest on.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Estimate {
    /// Mean service minutes (`queue::mean_service_minutes`).
    mean: f64,
    /// The desks' share of the category (`queue::desk_share`).
    share: f64,
}

/// The estimate's inputs for category `k`: today's finished services of the point
/// (`samples`: category, start, end) and the desks' categories, open ones and all.
/// Pure: the snapshot and the kiosk's check before issuing use this one rule.
fn estimate(
    k: &Category,
    samples: &[(i64, UtcTime, UtcTime)],
    open_sets: &[&[i64]],
    all_sets: &[&[i64]],
) -> Estimate {
    let minutes: Vec<f64> = samples
        .iter()
        .filter(|(c, _, _)| *c == k.id)
        .map(|(_, s, e)| e.0.duration_since(s.0).as_secs_f64() / 60.0)
        .collect();
    let service_minutes = u32::try_from(k.service_minutes).unwrap_or(1);
    let mean = queue::mean_service_minutes(service_minutes, &minutes);
    let open_share = queue::desk_share(open_sets, k.id);
    // Before the desks open, the configured ones count: they will open.
    let share = if open_share > 0.0 {
        open_share
    } else {
        queue::desk_share(all_sets, k.id)
    };
    Estimate { mean, share }
}

/// One category's queue now, for the kiosk's check before issuing: the people waiting
/// and the estimate's inputs, read for that category alone (not the point's snapshot:
/// its cost grew with the day's queue, and it was read twice per ticket).
async fn category_now(
    tx: &mut Tx,
    location_id: i64,
    category: &Category,
    day: &str,
) -> Result<(u32, Estimate)> {
    let desks: Vec<Desk> = desks(Source::Tx(tx), location_id)
        .await?
        .into_iter()
        .filter(|d| d.row.active)
        .collect();
    let waiting: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sp_ticket WHERE location_id = $1 AND day = $2 \
         AND state = 'waiting' AND category_id = $3"
    )
    .bind(location_id)
    .bind(day)
    .bind(category.id)
    .fetch_one(c)
    .await)?;
    let samples: Vec<(i64, UtcTime, UtcTime)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT p.category_id, p.started_at, p.ended_at FROM sp_visit_period p \
         JOIN sp_ticket t ON t.id = p.ticket_id \
         WHERE t.location_id = $1 AND t.day = $2 AND p.state = 'serving' \
         AND p.ended_at IS NOT NULL AND p.category_id = $3"
    )
    .bind(location_id)
    .bind(day)
    .bind(category.id)
    .fetch_all(c)
    .await)?;
    let open_sets: Vec<&[i64]> = desks
        .iter()
        .filter(|d| d.row.state == "open")
        .map(|d| d.categories.as_slice())
        .collect();
    let all_sets: Vec<&[i64]> = desks.iter().map(|d| d.categories.as_slice()).collect();
    Ok((
        u32::try_from(waiting).unwrap_or(u32::MAX),
        estimate(category, &samples, &open_sets, &all_sets),
    ))
}

fn reborrow<'a>(src: &'a mut Source<'_>) -> Source<'a> {
    match src {
        Source::Db(db) => Source::Db(db),
        Source::Tx(tx) => Source::Tx(tx),
    }
}

/// The change an event announces. The event carries only this: the point's snapshot is
/// read by the servers that stream it, once per change on each (`super::live`), not by
/// the writer (docs/decisions/0055).
#[derive(Clone, Debug, Serialize)]
pub struct Announcement<'a> {
    /// `issued`, `called`, `recalled`, `serving`, `done`, `no_show`, `transferred`,
    /// `desk_open`, `desk_paused`, `desk_closed`.
    pub kind: &'a str,
    pub ticket: Option<&'a str>,
    pub desk: Option<&'a str>,
    /// The desk's id (its rating tablet waits for `done` at its own desk).
    pub desk_id: Option<i64>,
}

/// Publishes `what` changed at the point, inside `tx` (`{"change": …}`, a few dozen
/// bytes whatever the queue's length).
pub async fn announce(tx: &mut Tx, location_id: i64, what: &Announcement<'_>) -> Result<()> {
    let payload = serde_json::json!({ "change": what });
    events::publish(tx, &topic(location_id), &payload).await?;
    Ok(())
}

/// A ticket just issued.
#[derive(Clone, Debug, Serialize)]
pub struct Issued {
    pub ticket: Ticket,
    /// People ahead of it.
    pub ahead: u32,
    pub estimated_wait_minutes: u32,
}

/// Issues a ticket of `code` at `location_id`, checking the quota and the capacity
/// before closing (`minutes_to_close`: None when the point is closed now).
pub async fn issue(
    db: &Db,
    actor: &Actor,
    location_id: i64,
    code: &str,
    priority: bool,
    minutes_to_close: Option<i64>,
) -> Result<Issued> {
    let mut tx = db.begin().await?;
    events::hold_topic(&mut tx, &topic(location_id)).await?;
    let now = tx.now();
    let day = day_of(now);
    let category = categories(Source::Tx(&mut tx), location_id)
        .await?
        .into_iter()
        .find(|k| k.active && k.code == code)
        .ok_or(ServicePointError::UnknownCategory)?;
    let Some(minutes_to_close) = minutes_to_close else {
        return Err(ServicePointError::Closed);
    };
    check_quota(&mut tx, &category, &day).await?;
    let (waiting, Estimate { mean, share }) =
        category_now(&mut tx, location_id, &category, &day).await?;
    if queue::capacity_left(minutes_to_close, waiting, mean, share) == 0 {
        return Err(ServicePointError::NoCapacity);
    }
    let ticket = new_ticket(&mut tx, location_id, &category, &day, priority, None).await?;
    let label = ticket.label.clone();
    audit::record(
        &mut tx,
        actor,
        Change::created("sp_ticket", ticket.id, &ticket),
    )
    .await?;
    let ahead = if priority {
        u32::try_from(tickets_ahead_priority(&mut tx, &ticket).await?).unwrap_or(0)
    } else {
        waiting
    };
    let estimated = queue::estimated_wait_minutes(ahead, mean, share).unwrap_or(0);
    announce(
        &mut tx,
        location_id,
        &Announcement {
            kind: "issued",
            ticket: Some(&label),
            desk: None,
            desk_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued {
        ticket,
        ahead,
        estimated_wait_minutes: estimated,
    })
}

/// Inserts a waiting ticket of `category` numbered from the day's counter, with its
/// first interval: the kiosk's tickets and the check-in of a booked visit
/// (`appointment_at`, numbered in the booked category: Kraków's "U" tickets).
pub(super) async fn new_ticket(
    tx: &mut Tx,
    location_id: i64,
    category: &Category,
    day: &str,
    priority: bool,
    appointment_at: Option<UtcTime>,
) -> Result<Ticket> {
    let now = tx.now();
    let number: i32 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO sp_counter (category_id, day, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (category_id, day) DO UPDATE SET last_number = sp_counter.last_number + 1 \
         RETURNING last_number"
    )
    .bind(category.id)
    .bind(day)
    .fetch_one(c)
    .await)?;
    let label = format!("{}{number:03}", category.code);
    // 128 bits: short enough for a small QR code, beyond guessing.
    let token = crate::auth::secret::random_token()[..32].to_owned();
    let sql = format!(
        "INSERT INTO sp_ticket (location_id, category_id, issued_category_id, day, number, \
         label, token, priority, appointment_at, state, issued_at, queued_at) \
         VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, 'waiting', $9, $9) RETURNING {TICKET_COLUMNS}"
    );
    let ticket: Ticket = with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(location_id)
        .bind(category.id)
        .bind(day)
        .bind(number)
        .bind(&label)
        .bind(&token)
        .bind(priority)
        .bind(appointment_at)
        .bind(now)
        .fetch_one(c)
        .await)?;
    start_period(tx, &ticket, "waiting", None, None).await?;
    Ok(ticket)
}

/// Refuses a ticket over the category's daily quota.
async fn check_quota(tx: &mut Tx, category: &Category, day: &str) -> Result<()> {
    let issued: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sp_ticket WHERE issued_category_id = $1 AND day = $2"
    )
    .bind(category.id)
    .bind(day)
    .fetch_one(c)
    .await)?;
    if category.daily_quota.is_some_and(|q| issued >= i64::from(q)) {
        return Err(ServicePointError::OverQuota);
    }
    Ok(())
}

async fn tickets_ahead_priority(tx: &mut Tx, ticket: &Ticket) -> Result<i64> {
    Ok(with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sp_ticket WHERE category_id = $1 AND day = $2 \
         AND state = 'waiting' AND priority AND id < $3"
    )
    .bind(ticket.category_id)
    .bind(&ticket.day)
    .bind(ticket.id)
    .fetch_one(c)
    .await)?)
}

async fn start_period(
    tx: &mut Tx,
    ticket: &Ticket,
    state: &str,
    desk: Option<i64>,
    official: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO sp_visit_period (ticket_id, state, category_id, desk_id, official_id, \
         started_at) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(ticket.id)
    .bind(state)
    .bind(ticket.category_id)
    .bind(desk)
    .bind(official)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

async fn end_period(tx: &mut Tx, ticket_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_visit_period SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS NULL"
    )
    .bind(ticket_id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---------------------------------------------------------------- desks

/// What an official does at a desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    Open,
    Pause,
    Close,
    CallNext,
    Recall,
    Start,
    Finish {
        card_id: Option<i64>,
    },
    NoShow,
    /// Back to the queue, in another category or for one desk.
    Transfer {
        category_id: Option<i64>,
        desk_id: Option<i64>,
    },
}

impl Act {
    pub fn name(&self) -> &'static str {
        match self {
            Act::Open => "open",
            Act::Pause => "pause",
            Act::Close => "close",
            Act::CallNext => "call",
            Act::Recall => "recall",
            Act::Start => "start",
            Act::Finish { .. } => "finish",
            Act::NoShow => "no_show",
            Act::Transfer { .. } => "transfer",
        }
    }
}

/// What an act did: the ticket it concerned (None for desk acts, or an empty queue).
#[derive(Clone, Debug)]
pub struct Acted {
    pub ticket: Option<String>,
}

/// The ticket a desk has called or is serving.
async fn current_ticket(tx: &mut Tx, desk_id: i64) -> Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM sp_ticket WHERE desk_id = $1 \
         AND state IN ('called', 'serving')"
    );
    Ok(with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(desk_id)
    .fetch_optional(c)
    .await)?)
}

async fn set_desk_state(
    tx: &mut Tx,
    desk: &DeskRow,
    state: &str,
    official: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = tx.now();
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_desk_period SET ended_at = $2 WHERE desk_id = $1 AND ended_at IS NULL"
    )
    .bind(desk.id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_desk SET state = $2, official_id = $3 WHERE id = $1"
    )
    .bind(desk.id)
    .bind(state)
    .bind(official)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if state != "closed" {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO sp_desk_period (desk_id, state, official_id, started_at) \
             VALUES ($1, $2, $3, $4)"
        )
        .bind(desk.id)
        .bind(state)
        .bind(official)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Moves a desk to `state` ("open", "paused" or "closed") when its state allows it, with
/// its interval; the live event's kind comes back. A desk with a ticket called or in
/// service cannot pause or close; a closed desk cannot pause.
async fn desk_act(
    tx: &mut Tx,
    desk: &DeskRow,
    state: &'static str,
    current: Option<&Ticket>,
    official: Option<i64>,
) -> Result<&'static str> {
    let (kind, refused) = match state {
        "open" => (
            "desk_open",
            (desk.state == "open").then_some("sp-refused-desk-open"),
        ),
        _ if current.is_some() => ("", Some("sp-refused-desk-busy")),
        _ => (
            if state == "closed" {
                "desk_closed"
            } else {
                "desk_paused"
            },
            (desk.state == state || desk.state == "closed").then_some("sp-refused-desk-closed"),
        ),
    };
    if let Some(key) = refused {
        return Err(ServicePointError::Refused(key));
    }
    let who = if state == "closed" { None } else { official };
    set_desk_state(tx, desk, state, who).await?;
    Ok(kind)
}

/// Does `act` at `desk_id` as `actor`, in one transaction with its audit event and
/// its live event.
#[allow(
    clippy::too_many_lines,
    reason = "one match over the acts, each arm the whole of one act: read side by side"
)]
pub async fn act(db: &Db, actor: &Actor, desk_id: i64, act: &Act) -> Result<Acted> {
    let location_id = desk_location(db, desk_id).await?;
    let mut tx = db.begin().await?;
    events::hold_topic(&mut tx, &topic(location_id)).await?;
    // Read under the point's turn: another official may have changed it.
    let all_desks = desks(Source::Tx(&mut tx), location_id).await?;
    let desk = all_desks
        .iter()
        .find(|d| d.row.id == desk_id)
        .cloned()
        .ok_or(ServicePointError::NotFound)?;
    if !desk.row.active {
        return Err(ServicePointError::Refused("sp-refused-desk-inactive"));
    }
    let current = current_ticket(&mut tx, desk_id).await?;
    let official = actor.user_id;
    let (kind, ticket): (&str, Option<Ticket>) = match act {
        Act::Open => (
            desk_act(&mut tx, &desk.row, "open", current.as_ref(), official).await?,
            None,
        ),
        Act::Pause => (
            desk_act(&mut tx, &desk.row, "paused", current.as_ref(), official).await?,
            None,
        ),
        Act::Close => (
            desk_act(&mut tx, &desk.row, "closed", current.as_ref(), official).await?,
            None,
        ),
        Act::CallNext => {
            if desk.row.state != "open" {
                return Err(ServicePointError::Refused("sp-refused-desk-closed"));
            }
            if current.is_some() {
                return Err(ServicePointError::Refused("sp-refused-desk-busy"));
            }
            let called = call_next(&mut tx, &desk, &all_desks, location_id, official).await?;
            match called {
                Some(t) => ("called", Some(t)),
                None => return Ok(Acted { ticket: None }),
            }
        }
        Act::Recall => {
            let t = current
                .filter(|t| t.state == "called")
                .ok_or(ServicePointError::Refused("sp-refused-no-called"))?;
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_ticket SET recalls = recalls + 1 WHERE id = $1"
            )
            .bind(t.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            ("recalled", Some(t))
        }
        Act::Start => {
            let t = current
                .filter(|t| t.state == "called")
                .ok_or(ServicePointError::Refused("sp-refused-no-called"))?;
            move_ticket(&mut tx, &t, "serving", Some(desk_id), official).await?;
            ("serving", Some(t))
        }
        Act::Finish { card_id } => {
            let t = current
                .filter(|t| t.state == "serving")
                .ok_or(ServicePointError::Refused("sp-refused-not-serving"))?;
            end_period(&mut tx, t.id).await?;
            let now = tx.now();
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_ticket SET state = 'done', finished_at = $2, card_id = $3 \
                 WHERE id = $1"
            )
            .bind(t.id)
            .bind(now)
            .bind(card_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            ("done", Some(t))
        }
        Act::NoShow => {
            let t = current
                .filter(|t| t.state == "called")
                .ok_or(ServicePointError::Refused("sp-refused-no-called"))?;
            end_period(&mut tx, t.id).await?;
            let now = tx.now();
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_ticket SET state = 'no_show', finished_at = $2 WHERE id = $1"
            )
            .bind(t.id)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            ("no_show", Some(t))
        }
        Act::Transfer {
            category_id,
            desk_id: to_desk,
        } => {
            let t = current.ok_or(ServicePointError::Refused("sp-refused-no-ticket"))?;
            let categories = categories(Source::Tx(&mut tx), location_id).await?;
            let category = match category_id {
                Some(k) => categories
                    .iter()
                    .find(|c| c.id == *k && c.active)
                    .map(|c| c.id)
                    .ok_or(ServicePointError::Refused("sp-refused-transfer-target"))?,
                None => t.category_id,
            };
            if let Some(d) = to_desk
                && (*d == desk_id || !all_desks.iter().any(|x| x.row.id == *d && x.row.active))
            {
                return Err(ServicePointError::Refused("sp-refused-transfer-target"));
            }
            if category_id.is_none() && to_desk.is_none() {
                return Err(ServicePointError::Refused("sp-refused-transfer-target"));
            }
            end_period(&mut tx, t.id).await?;
            with_tx!(tx, |c| sqlx::query(
                "UPDATE sp_ticket SET state = 'waiting', category_id = $2, desk_id = $3, \
                 called_at = NULL, official_id = NULL WHERE id = $1"
            )
            .bind(t.id)
            .bind(category)
            .bind(to_desk)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
            let moved = Ticket {
                category_id: category,
                ..t.clone()
            };
            start_period(&mut tx, &moved, "waiting", *to_desk, None).await?;
            ("transferred", Some(t))
        }
    };
    let label = ticket.as_ref().map(|t| t.label.clone());
    let mut change = Change::action(act.name(), "sp_desk", desk_id);
    change = change.with_after(&serde_json::json!({
        "ticket": label,
        "ticket_id": ticket.as_ref().map(|t| t.id),
        "act": act.name(),
    }));
    audit::record(&mut tx, actor, change).await?;
    announce(
        &mut tx,
        location_id,
        &Announcement {
            kind,
            ticket: label.as_deref(),
            desk: Some(&desk.row.name),
            desk_id: Some(desk.row.id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Acted { ticket: label })
}

/// Moves a called ticket to `state` at the desk, with its intervals.
async fn move_ticket(
    tx: &mut Tx,
    ticket: &Ticket,
    state: &str,
    desk: Option<i64>,
    official: Option<i64>,
) -> Result<(), sqlx::Error> {
    end_period(tx, ticket.id).await?;
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_ticket SET state = $2 WHERE id = $1"
    )
    .bind(ticket.id)
    .bind(state)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    start_period(tx, ticket, state, desk, official).await
}

/// Calls the next ticket for `desk` by the domain's order. The ticket leaves `waiting`
/// only by an update conditioned on it still waiting: if another desk took it first
/// (possible only without the point's turn), the next one is tried.
async fn call_next(
    tx: &mut Tx,
    desk: &Desk,
    all_desks: &[Desk],
    location_id: i64,
    official: Option<i64>,
) -> Result<Option<Ticket>> {
    let now = tx.now();
    let day = day_of(now);
    let mut tickets: Vec<Ticket> = waiting_tickets(tx, location_id, &day).await?;
    let open_desks_of = |category: i64| {
        all_desks
            .iter()
            .filter(|d| d.row.state == "open" && d.categories.contains(&category))
            .count()
    };
    let rule_desk = queue::Desk {
        id: desk.row.id,
        serves: &desk.categories,
    };
    for _ in 0..8 {
        let waiting: Vec<queue::Waiting> = tickets
            .iter()
            .map(|t| queue::Waiting {
                id: t.id,
                category: t.category_id,
                waited_seconds: now.0.duration_since(t.queued_at.0).as_secs(),
                priority: t.priority,
                appointment_in_seconds: t
                    .appointment_at
                    .map(|a| a.0.duration_since(now.0).as_secs()),
                desk: t.desk_id,
            })
            .collect();
        let Some(id) = queue::next_for_desk(&rule_desk, &waiting, open_desks_of) else {
            return Ok(None);
        };
        let claimed = with_tx!(tx, |c| sqlx::query(
            "UPDATE sp_ticket SET state = 'called', desk_id = $2, official_id = $3, \
             called_at = $4 WHERE id = $1 AND state = 'waiting'"
        )
        .bind(id)
        .bind(desk.row.id)
        .bind(official)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        let Some(position) = tickets.iter().position(|t| t.id == id) else {
            return Ok(None);
        };
        let ticket = tickets.remove(position);
        if claimed == 1 {
            end_period(tx, ticket.id).await?;
            start_period(tx, &ticket, "called", Some(desk.row.id), official).await?;
            return Ok(Some(ticket));
        }
    }
    Ok(None)
}

/// The people ahead of a waiting ticket in its category's likely order.
pub fn position_in<'a>(
    snapshot: &'a Snapshot,
    ticket: &Ticket,
) -> Option<(u32, &'a CategoryStatus)> {
    let status = snapshot
        .categories
        .iter()
        .find(|k| k.id == ticket.category_id)?;
    let index = status.queue.iter().position(|l| *l == ticket.label)?;
    Some((u32::try_from(index).unwrap_or(u32::MAX), status))
}

/// Per category id → (ticket issued today) counts; for the setup page.
pub async fn issued_today(db: &Db, location_id: i64, day: &str) -> Result<BTreeMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT issued_category_id, COUNT(*) FROM sp_ticket WHERE location_id = $1 AND day = $2 \
         GROUP BY issued_category_id"
    )
    .bind(location_id)
    .bind(day)
    .fetch_all(c)
    .await
    })?;
    Ok(rows.into_iter().collect())
}

// ---------------------------------------------------------------- statistics

/// One state interval of a visit with its ticket's state now: what the statistics
/// read (`magistrat_domain::queue_stats`).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PeriodRow {
    pub ticket_id: i64,
    pub state: String,
    pub category_id: i64,
    pub desk_id: Option<i64>,
    pub official_id: Option<i64>,
    pub started_at: UtcTime,
    pub ended_at: Option<UtcTime>,
    pub ticket_state: String,
}

/// Every interval of the visits of `location_id` whose tickets were taken on the Warsaw
/// days `from` to `to` (`YYYY-MM-DD`, both included), ticket by ticket in time order.
pub async fn periods_between(
    db: &Db,
    location_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<PeriodRow>> {
    Ok(with_db!(db, |c| sqlx::query_as(
        "SELECT p.ticket_id, p.state, p.category_id, p.desk_id, p.official_id, \
         p.started_at, p.ended_at, t.state AS ticket_state \
         FROM sp_ticket t JOIN sp_visit_period p ON p.ticket_id = t.id \
         WHERE t.location_id = $1 AND t.day >= $2 AND t.day <= $3 \
         ORDER BY p.ticket_id, p.started_at, p.id"
    )
    .bind(location_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await)?)
}

/// The display names of the staff accounts, by id (the officials of the statistics).
pub async fn official_names(db: &Db) -> Result<BTreeMap<i64, String>> {
    let rows: Vec<(i64, String)> = with_db!(db, |c| sqlx::query_as(
        "SELECT id, display_name FROM app_user ORDER BY id"
    )
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// The visit a desk finished last, with its token, when it left the desk (done or a
/// no-show) today: the one its rating tablet offers.
pub async fn last_finished_at_desk(db: &Db, desk_id: i64, day: &str) -> Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM sp_ticket WHERE desk_id = $1 AND day = $2 \
         AND state IN ('done', 'no_show') ORDER BY finished_at DESC, id DESC LIMIT 1"
    );
    Ok(with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(desk_id)
    .bind(day)
    .fetch_optional(c)
    .await)?)
}
