//! Visit booking (issue 11, decision 0033): the free slots of a bookable category, a
//! booking of one slot for one matter, its confirmation and reminder by e-mail with an
//! iCalendar event, cancellation by the link in the mail, and check-in at the kiosk by
//! booking code, PESEL or phone number, which issues the booked category's ticket with
//! its appointment time (the call order serves it at its time, `queue::next_for_desk`).
//!
//! A booking and a check-in take the point's turn (`events::hold_topic`, decision 0027)
//! before they count the slot's places or change a booking: clients booking the last
//! place of a slot at the same moment are served one after the other on PostgreSQL, and
//! SQLite's one writer does the same; the second finds the slot full.

use jiff::Timestamp;
use jiff::civil::Date;
use magistrat_domain::booking::{self as rules, Arrival, CheckInKey, Window};
use serde::Serialize;

use super::service;
use super::store::{self, Announcement, Category, Issued, ServicePointError, Source, topic};
use crate::config::Config;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::mailer::Mailer;
use crate::platform::events;
use crate::platform::jobs::{Job, Report, Schedule};
use crate::web::i18n::Lang;
use crate::{with_db, with_tx};

type Result<T, E = ServicePointError> = std::result::Result<T, E>;

/// The name of the reminders' job (`job_run`).
pub const REMINDER_JOB: &str = "booking-reminders";

/// The booking settings of the office (configuration `booking_*`).
#[derive(Clone, Debug)]
pub struct Settings {
    pub window: Window,
    pub grace_minutes: u32,
    pub reminder_hour: u8,
    /// The office's address for links in mail (`public_url`).
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            window: Window {
                first_day: config.booking_first_day,
                last_day: config.booking_last_day,
            },
            grace_minutes: config.booking_grace_minutes,
            reminder_hour: config.booking_reminder_hour,
            public_url: config.public_url.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Booking {
    pub id: i64,
    pub location_id: i64,
    pub category_id: i64,
    pub card_id: Option<i64>,
    pub starts_at: UtcTime,
    pub ends_at: UtcTime,
    pub day: String,
    #[serde(skip)]
    pub code: String,
    #[serde(skip)]
    pub token: String,
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub email: String,
    #[serde(skip)]
    pub phone: Option<String>,
    #[serde(skip)]
    pub pesel: Option<String>,
    pub state: String,
    pub ticket_id: Option<i64>,
    pub created_at: UtcTime,
    pub cancelled_at: Option<UtcTime>,
    pub reminded_at: Option<UtcTime>,
}

const BOOKING_COLUMNS: &str = "id, location_id, category_id, card_id, starts_at, ends_at, day, \
     code, token, name, email, phone, pesel, state, ticket_id, created_at, cancelled_at, \
     reminded_at";

/// A service card a bookable category covers: one matter to book.
#[derive(Clone, Debug, Serialize)]
pub struct Matter {
    pub card_id: i64,
    pub code: String,
    pub name: String,
    /// The documents to bring, from the card.
    pub documents: Vec<String>,
}

/// A bookable category with the matters it covers.
#[derive(Clone, Debug, Serialize)]
pub struct Bookable {
    pub category: Category,
    pub matters: Vec<Matter>,
}

/// The bookable categories of a point with the published cards each covers.
pub async fn bookable(db: &Db, location_id: i64) -> Result<Vec<Bookable>> {
    let links = store::category_cards(db, location_id).await?;
    let published = crate::service_cards::store::published_cards(db).await?;
    Ok(store::categories(Source::Db(db), location_id)
        .await?
        .into_iter()
        .filter(|k| k.active && k.bookable)
        .map(|category| {
            let matters = published
                .iter()
                .filter(|(card, _)| links.contains(&(category.id, card.id)))
                .map(|(card, _)| Matter {
                    card_id: card.id,
                    code: card.data.code.clone(),
                    name: card.data.name.clone(),
                    documents: card.data.documents.iter().map(|d| d.name.clone()).collect(),
                })
                .collect();
            Bookable { category, matters }
        })
        .collect())
}

/// A slot offered for booking.
#[derive(Clone, Debug, Serialize)]
pub struct SlotView {
    pub start: UtcTime,
    pub available: u32,
    pub capacity: u32,
}

impl SlotView {
    /// RFC 3339 with the office's offset, as the API gives and takes it.
    pub fn start_text(&self) -> String {
        let at = self.start.in_warsaw();
        at.timestamp().display_with_offset(at.offset()).to_string()
    }

    /// `HH:MM` on the office's clock.
    pub fn time_text(&self) -> String {
        let at = self.start.in_warsaw();
        format!("{:02}:{:02}", at.hour(), at.minute())
    }
}

fn bookable_category(list: &[Bookable], code: &str) -> Result<Bookable> {
    list.iter()
        .find(|b| b.category.code == code)
        .cloned()
        .ok_or(ServicePointError::UnknownCategory)
}

/// The active desks serving a category: each takes one booked visit per slot.
async fn desks_serving(db: &Db, location_id: i64, category_id: i64) -> Result<u32> {
    let desks = store::desks(Source::Db(db), location_id).await?;
    Ok(u32::try_from(
        desks
            .iter()
            .filter(|d| d.row.active && d.categories.contains(&category_id))
            .count(),
    )
    .unwrap_or(u32::MAX))
}

/// The places taken per slot start of a category's day.
async fn taken(db: &Db, category_id: i64, day: &str) -> Result<Vec<(UtcTime, i64)>> {
    Ok(with_db!(db, |c| sqlx::query_as(
        "SELECT starts_at, COUNT(*) FROM sp_booking WHERE category_id = $1 AND day = $2 \
         AND state IN ('booked', 'checked_in') GROUP BY starts_at"
    )
    .bind(category_id)
    .bind(day)
    .fetch_all(c)
    .await)?)
}

fn at_warsaw(day: Date, time: jiff::civil::Time) -> Option<UtcTime> {
    day.to_datetime(time)
        .to_zoned(crate::WARSAW.clone())
        .ok()
        .map(|z| UtcTime::from_timestamp(z.timestamp()))
}

/// The slots of category `code` at `location_id` on `day`: empty outside the booking
/// window and on days the point is closed.
pub async fn slots(
    db: &Db,
    settings: &Settings,
    location_id: i64,
    code: &str,
    day: Date,
) -> Result<Vec<SlotView>> {
    service::point(db, location_id).await?;
    let list = bookable(db, location_id).await?;
    let b = bookable_category(&list, code)?;
    day_slots(db, settings, location_id, &b.category, day).await
}

async fn day_slots(
    db: &Db,
    settings: &Settings,
    location_id: i64,
    category: &Category,
    day: Date,
) -> Result<Vec<SlotView>> {
    let now = db.clock().now_in_warsaw();
    if !settings.window.allows(now.date(), day) {
        return Ok(Vec::new());
    }
    let Some((opens, closes)) = service::hours_on(db, location_id, day).await? else {
        return Ok(Vec::new());
    };
    let desks = desks_serving(db, location_id, category.id).await?;
    let taken = taken(db, category.id, &day.to_string()).await?;
    let minutes = u32::try_from(category.service_minutes).unwrap_or(1);
    let today = (now.date() == day).then(|| now.time());
    Ok(rules::day_slots(opens, closes, minutes, desks, today, |t| {
        let at = at_warsaw(day, t);
        taken
            .iter()
            .filter(|(s, _)| Some(*s) == at)
            .map(|(_, n)| u32::try_from(*n).unwrap_or(u32::MAX))
            .sum()
    })
    .into_iter()
    .filter_map(|s| {
        Some(SlotView {
            start: at_warsaw(day, s.start)?,
            available: s.available,
            capacity: s.capacity,
        })
    })
    .collect())
}

/// A booking as a resident asks for it (already valid: the form kit or the API checked
/// each field).
#[derive(Clone, Debug)]
pub struct NewBooking {
    pub location_id: i64,
    pub category: String,
    /// The matter (service card id), one the category covers.
    pub card_id: Option<i64>,
    pub start: Timestamp,
    pub name: String,
    pub email: String,
    /// Nine digits.
    pub phone: Option<String>,
    pub pesel: Option<String>,
}

/// Books `new`: the slot must be one the point offers and have a place left.
pub async fn book(
    db: &Db,
    actor: &Actor,
    settings: &Settings,
    new: &NewBooking,
) -> Result<Booking> {
    service::point(db, new.location_id).await?;
    let list = bookable(db, new.location_id).await?;
    let b = bookable_category(&list, &new.category)?;
    let card_id = match new.card_id {
        Some(id) if b.matters.iter().any(|m| m.card_id == id) => Some(id),
        Some(_) => return Err(ServicePointError::UnknownMatter),
        // A category of one matter books that one; of several, the API may leave the
        // matter open (the web form always asks for it).
        None if b.matters.len() == 1 => b.matters.first().map(|m| m.card_id),
        None => None,
    };
    let start = UtcTime::from_timestamp(new.start);
    let day = start.in_warsaw().date();
    let offered = day_slots(db, settings, new.location_id, &b.category, day).await?;
    let slot = offered
        .iter()
        .find(|s| s.start == start)
        .ok_or(ServicePointError::NotASlot)?;
    let ends = start.checked_add(jiff::SignedDuration::from_mins(i64::from(
        b.category.service_minutes,
    )));
    let day = day.to_string();

    let mut tx = db.begin().await?;
    events::hold_topic(&mut tx, &topic(new.location_id)).await?;
    let taken: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sp_booking WHERE category_id = $1 AND starts_at = $2 \
         AND state IN ('booked', 'checked_in')"
    )
    .bind(b.category.id)
    .bind(start)
    .fetch_one(c)
    .await)?;
    if taken >= i64::from(slot.capacity) {
        return Err(ServicePointError::SlotFull);
    }
    let code = free_code(&mut tx, new.location_id, &day).await?;
    let token = crate::auth::secret::random_token()[..32].to_owned();
    let now = tx.now();
    let sql = format!(
        "INSERT INTO sp_booking (location_id, category_id, card_id, starts_at, ends_at, day, \
         code, token, name, email, phone, pesel, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'booked', $13) \
         RETURNING {BOOKING_COLUMNS}"
    );
    let booking: Booking = with_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(new.location_id)
        .bind(b.category.id)
        .bind(card_id)
        .bind(start)
        .bind(ends)
        .bind(&day)
        .bind(&code)
        .bind(&token)
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.phone)
        .bind(&new.pesel)
        .bind(now)
        .fetch_one(c)
        .await)?;
    // The audit event names the slot and the matter, not the person's contact data.
    audit::record(
        &mut tx,
        actor,
        Change::created("sp_booking", booking.id, &booking),
    )
    .await?;
    tx.commit().await?;
    Ok(booking)
}

/// A booking code not yet used at the point on the day (under the point's turn, so no
/// other booking takes it meanwhile).
async fn free_code(tx: &mut crate::db::Tx, location_id: i64, day: &str) -> Result<String> {
    // 900,000 codes a point and day: a free one is found at the first or second try
    // unless the day is nearly full, which no point's desks could serve anyway.
    for _ in 0..1000 {
        let random =
            u64::from_str_radix(&crate::auth::secret::random_token()[..12], 16).unwrap_or_default();
        let code = rules::booking_code(random);
        let used: i64 = with_tx!(tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM sp_booking WHERE location_id = $1 AND day = $2 AND code = $3"
        )
        .bind(location_id)
        .bind(day)
        .bind(&code)
        .fetch_one(c)
        .await)?;
        if used == 0 {
            return Ok(code);
        }
    }
    Err(ServicePointError::SlotFull)
}

pub async fn booking_by_token(db: &Db, token: &str) -> Result<Option<Booking>> {
    if token.len() > 64 {
        return Ok(None);
    }
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM sp_booking WHERE token = $1");
    Ok(with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(token)
    .fetch_optional(c)
    .await)?)
}

/// Cancels the booking with `token`: its place is free again. A booking already
/// cancelled, checked in or past is refused.
pub async fn cancel(db: &Db, actor: &Actor, token: &str) -> Result<Booking> {
    let booking = booking_by_token(db, token)
        .await?
        .ok_or(ServicePointError::NotFound)?;
    if booking.state != "booked" || booking.starts_at <= db.clock().now() {
        return Err(ServicePointError::Refused("booking-refused-cancel"));
    }
    let mut tx = db.begin().await?;
    events::hold_topic(&mut tx, &topic(booking.location_id)).await?;
    let now = tx.now();
    let changed = with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_booking SET state = 'cancelled', cancelled_at = $2 \
         WHERE id = $1 AND state = 'booked'"
    )
    .bind(booking.id)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(ServicePointError::Refused("booking-refused-cancel"));
    }
    audit::record(
        &mut tx,
        actor,
        Change::action("cancelled", "sp_booking", booking.id),
    )
    .await?;
    tx.commit().await?;
    Ok(Booking {
        state: "cancelled".to_owned(),
        cancelled_at: Some(now),
        ..booking
    })
}

/// Today's booking at the point matched by `key` that may still check in: the
/// earliest whose time and grace have not passed.
async fn due_booking(
    db: &Db,
    settings: &Settings,
    location_id: i64,
    key: &CheckInKey,
) -> Result<Booking> {
    let now = db.clock().now();
    let today = store::day_of(now);
    let (column, value) = match key {
        CheckInKey::Code(v) => ("code", v),
        CheckInKey::Pesel(v) => ("pesel", v),
        CheckInKey::Phone(v) => ("phone", v),
    };
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM sp_booking WHERE location_id = $1 AND day = $2 \
         AND {column} = $3 AND state <> 'cancelled' ORDER BY starts_at, id"
    );
    let found: Vec<Booking> = with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(location_id)
        .bind(&today)
        .bind(value)
        .fetch_all(c)
        .await)?;
    let open: Vec<&Booking> = found.iter().filter(|b| b.state == "booked").collect();
    if open.is_empty() {
        return Err(if found.is_empty() {
            ServicePointError::BookingNotFound
        } else {
            ServicePointError::AlreadyCheckedIn
        });
    }
    let wall = now.in_warsaw().datetime();
    open.into_iter()
        .find(|b| {
            rules::arrival(
                wall,
                b.starts_at.in_warsaw().datetime(),
                settings.grace_minutes,
            ) == Arrival::InTime
        })
        .cloned()
        .ok_or(ServicePointError::BookingExpired)
}

/// Checks in the resident of today's booking at `location_id` found by `key`: issues
/// the booked category's ticket with the appointment time. Refuses a booking not found
/// (or cancelled), one checked in already and one whose time and grace have passed.
pub async fn check_in(
    db: &Db,
    actor: &Actor,
    settings: &Settings,
    location_id: i64,
    key: &CheckInKey,
) -> Result<(Booking, Issued)> {
    let point = service::point(db, location_id).await?;
    let Some(minutes_to_close) = point.minutes_to_close else {
        return Err(ServicePointError::Closed);
    };
    let now = db.clock().now();
    let today = store::day_of(now);
    let booking = due_booking(db, settings, location_id, key).await?;
    let mut tx = db.begin().await?;
    events::hold_topic(&mut tx, &topic(location_id)).await?;
    let category = store::categories(Source::Tx(&mut tx), location_id)
        .await?
        .into_iter()
        .find(|k| k.id == booking.category_id)
        .ok_or(ServicePointError::UnknownCategory)?;
    let claimed = with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_booking SET state = 'checked_in' WHERE id = $1 AND state = 'booked'"
    )
    .bind(booking.id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if claimed == 0 {
        return Err(ServicePointError::AlreadyCheckedIn);
    }
    let ticket = store::new_ticket(
        &mut tx,
        location_id,
        &category,
        &today,
        false,
        Some(booking.starts_at),
    )
    .await?;
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sp_booking SET ticket_id = $2 WHERE id = $1"
    )
    .bind(booking.id)
    .bind(ticket.id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    audit::record(
        &mut tx,
        actor,
        Change::action("checked_in", "sp_booking", booking.id)
            .with_after(&serde_json::json!({ "ticket": ticket.label, "ticket_id": ticket.id })),
    )
    .await?;
    let snapshot = store::snapshot(
        Source::Tx(&mut tx),
        location_id,
        now,
        Some(minutes_to_close),
    )
    .await?;
    let (ahead, estimated) = place_in_queue(&snapshot, category.id, &ticket.label);
    store::announce(
        &mut tx,
        location_id,
        &Announcement {
            kind: "issued",
            ticket: Some(&ticket.label),
            desk: None,
            desk_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    let booking = Booking {
        state: "checked_in".to_owned(),
        ticket_id: Some(ticket.id),
        ..booking
    };
    Ok((
        booking,
        Issued {
            ticket,
            ahead,
            estimated_wait_minutes: estimated,
        },
    ))
}

/// People ahead of a checked-in ticket in its category's likely order (booked visits
/// at their time go first, so only earlier booked ones), and the estimated wait.
fn place_in_queue(snapshot: &store::Snapshot, category_id: i64, label: &str) -> (u32, u32) {
    let status = snapshot.categories.iter().find(|k| k.id == category_id);
    let ahead = status
        .and_then(|k| k.queue.iter().position(|l| l == label))
        .map_or(0, |i| u32::try_from(i).unwrap_or(0));
    let estimated = status
        .and_then(|k| {
            magistrat_domain::queue::estimated_wait_minutes(
                ahead,
                k.mean_service_minutes,
                k.desk_share,
            )
        })
        .unwrap_or(0);
    (ahead, estimated)
}

/// What a booking's page and mail show.
#[derive(Clone, Debug, Serialize)]
pub struct BookingView {
    pub booking: Booking,
    pub point: service::Point,
    pub category_name: String,
    pub matter: Option<Matter>,
    /// The slot's time and grace have passed without a check-in.
    pub lapsed: bool,
}

impl BookingView {
    pub fn starts_text(&self, lang: &Lang) -> String {
        crate::web::i18n::long_date_time(*lang, &self.booking.starts_at.in_warsaw())
    }

    pub fn code(&self) -> &str {
        &self.booking.code
    }

    pub fn can_cancel(&self) -> bool {
        self.booking.state == "booked" && !self.lapsed
    }
}

pub async fn view(db: &Db, settings: &Settings, booking: Booking) -> Result<BookingView> {
    let point = service::point(db, booking.location_id).await?;
    let categories = store::categories(Source::Db(db), booking.location_id).await?;
    let category_name = categories
        .iter()
        .find(|k| k.id == booking.category_id)
        .map(|k| k.name.clone())
        .unwrap_or_default();
    let matter = match booking.card_id {
        Some(id) => bookable(db, booking.location_id)
            .await?
            .into_iter()
            .flat_map(|b| b.matters)
            .find(|m| m.card_id == id),
        None => None,
    };
    let grace = jiff::SignedDuration::from_mins(i64::from(settings.grace_minutes));
    let lapsed =
        booking.state == "booked" && booking.starts_at.checked_add(grace) < db.clock().now();
    Ok(BookingView {
        booking,
        point,
        category_name,
        matter,
        lapsed,
    })
}

/// The address links in mail start with: `public_url`, or else `fallback` (the
/// address the resident used).
pub fn base_url(settings: &Settings, fallback: &str) -> String {
    settings
        .public_url
        .clone()
        .unwrap_or_else(|| fallback.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// `http://host` as the resident reached the server (links in mail when no
/// `public_url` is configured).
pub fn origin(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Mails the confirmation of a booking (with its calendar event). A mail server's
/// refusal is logged: the booking stands and its page shows everything the mail does.
pub async fn send_confirmation(
    db: &Db,
    mailer: &Mailer,
    settings: &Settings,
    lang: Lang,
    base: &str,
    booking: &Booking,
) {
    let view = match view(db, settings, booking.clone()).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "booking confirmation not composed");
            return;
        }
    };
    let mail = super::booking_mail::compose(
        lang,
        super::booking_mail::Kind::Confirmation,
        &view,
        base,
        settings.grace_minutes,
        db.clock().now(),
    );
    if let Err(e) = mailer.send_rich(&mail).await {
        tracing::error!(error = %e, "booking confirmation not sent");
    }
}

/// Mails the reminder to every resident booked on `visit_day` not reminded yet; marks
/// each one sent. Returns (sent, failed).
pub async fn send_reminders(
    db: &Db,
    mailer: &Mailer,
    settings: &Settings,
    visit_day: Date,
) -> Result<(u32, u32)> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM sp_booking WHERE day = $1 AND state = 'booked' \
         AND reminded_at IS NULL ORDER BY starts_at, id"
    );
    let day = visit_day.to_string();
    let due: Vec<Booking> = with_db!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(&day)
        .fetch_all(c)
        .await)?;
    let base = base_url(settings, "");
    let (mut sent, mut failed) = (0, 0);
    for booking in due {
        let id = booking.id;
        let view = view(db, settings, booking).await?;
        let mail = super::booking_mail::compose(
            Lang::Pl,
            super::booking_mail::Kind::Reminder,
            &view,
            &base,
            settings.grace_minutes,
            db.clock().now(),
        );
        match mailer.send_rich(&mail).await {
            Ok(()) => {
                sent += 1;
                let now = db.clock().now();
                with_db!(db, |c| sqlx::query(
                    "UPDATE sp_booking SET reminded_at = $2 WHERE id = $1"
                )
                .bind(id)
                .bind(now)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
            }
            Err(e) => {
                failed += 1;
                tracing::error!(error = %e, booking = id, "booking reminder not sent");
            }
        }
    }
    Ok((sent, failed))
}

/// The daily job: at `booking_reminder_hour` it reminds the next day's booked visitors.
pub fn reminder_job(config: &Config, mailer: Mailer) -> Job {
    let settings = Settings::from_config(config);
    Job::new(
        REMINDER_JOB,
        Schedule::DailyAt {
            hour: settings.reminder_hour,
        },
        move |db, period| {
            let (mailer, settings) = (mailer.clone(), settings.clone());
            async move {
                let tomorrow = period.day().tomorrow()?;
                let (sent, failed) = send_reminders(&db, &mailer, &settings, tomorrow).await?;
                let counts = serde_json::json!({
                    "day": tomorrow.to_string(), "sent": sent, "failed": failed,
                });
                Ok(Report {
                    detail: counts.clone(),
                    audit: Some((
                        Actor::system("booking-reminders"),
                        Change::action("sent", "booking_reminders", tomorrow).with_after(&counts),
                    )),
                })
            }
        },
    )
}
