//! What the pages, the API and other capabilities do with a service point: its place
//! and opening hours now, issuing a ticket, a desk's acts, the snapshot of its queue.
//! Other capabilities (the home page) call these, never the pages.

use jiff::Zoned;
use magistrat_domain::calendar::is_public_holiday;
use magistrat_domain::queue_stats;
use serde::Serialize;

use super::store::{self, Act, Acted, Issued, ServicePointError, Snapshot, Source};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::org::store::{self as org, Location};

/// A service point: a location with at least one active ticket category.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub location: Location,
    /// Today's hours (`HH:MM`–`HH:MM`), None when closed all day.
    pub hours_today: Option<(String, String)>,
    /// Minutes until closing; None when closed now.
    pub minutes_to_close: Option<i64>,
}

impl Point {
    pub fn is_open(&self) -> bool {
        self.minutes_to_close.is_some()
    }

    pub fn address(&self) -> String {
        format!(
            "{}, {} {}",
            self.location.street, self.location.postal_code, self.location.city
        )
    }
}

fn minutes(hhmm: &str) -> Option<i64> {
    let (h, m) = hhmm.split_once(':')?;
    Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
}

/// The point at `location_id` as of `now` (Warsaw); NotFound when the location does
/// not exist, is inactive or has no active category.
pub async fn point(db: &Db, location_id: i64) -> Result<Point, ServicePointError> {
    let location = org::location(db, location_id)
        .await?
        .filter(|l| l.active)
        .ok_or(ServicePointError::NotFound)?;
    if !store::point_ids(db).await?.contains(&location_id) {
        return Err(ServicePointError::NotFound);
    }
    let now = db.clock().now_in_warsaw();
    opening(db, location, &now).await
}

async fn opening(db: &Db, location: Location, now: &Zoned) -> Result<Point, ServicePointError> {
    let today = now.date();
    let weekday = i32::from(now.weekday().to_monday_one_offset());
    let closed_today = is_public_holiday(today)
        || org::location_closures(db, location.id)
            .await?
            .iter()
            .any(|c| c.day.to_jiff() == today);
    let hours_today = if closed_today {
        None
    } else {
        org::location_hours(db, location.id)
            .await?
            .into_iter()
            .find(|h| h.weekday == weekday)
            .map(|h| (h.opens, h.closes))
    };
    let now_minutes = i64::from(now.hour()) * 60 + i64::from(now.minute());
    let minutes_to_close = hours_today.as_ref().and_then(|(opens, closes)| {
        let (opens, closes) = (minutes(opens)?, minutes(closes)?);
        (opens <= now_minutes && now_minutes < closes).then_some(closes - now_minutes)
    });
    Ok(Point {
        location,
        hours_today,
        minutes_to_close,
    })
}

/// The hours a location is open on `day` (Warsaw wall clock), None when it is closed
/// all day (a public holiday, a closing day, a weekday without hours).
pub async fn hours_on(
    db: &Db,
    location_id: i64,
    day: jiff::civil::Date,
) -> Result<Option<(jiff::civil::Time, jiff::civil::Time)>, ServicePointError> {
    if is_public_holiday(day)
        || org::location_closures(db, location_id)
            .await?
            .iter()
            .any(|c| c.day.to_jiff() == day)
    {
        return Ok(None);
    }
    let weekday = i32::from(day.weekday().to_monday_one_offset());
    let parse = |hhmm: &str| {
        let m = minutes(hhmm)?;
        jiff::civil::Time::new(i8::try_from(m / 60).ok()?, i8::try_from(m % 60).ok()?, 0, 0).ok()
    };
    Ok(org::location_hours(db, location_id)
        .await?
        .into_iter()
        .find(|h| h.weekday == weekday)
        .and_then(|h| Some((parse(&h.opens)?, parse(&h.closes)?))))
}

/// How far ahead [`next_opening`] looks for a day the point is open.
pub const NEXT_OPENING_DAYS: i64 = 21;

/// When a point closed now opens next: the day and its opening time (`HH:MM`), None
/// when it has no open day in the next [`NEXT_OPENING_DAYS`] days. Public holidays
/// (Ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy, art. 1) and the
/// location's closing days are skipped.
pub async fn next_opening(
    db: &Db,
    location_id: i64,
) -> Result<Option<(jiff::civil::Date, String)>, ServicePointError> {
    let hours = org::location_hours(db, location_id).await?;
    let closures: Vec<jiff::civil::Date> = org::location_closures(db, location_id)
        .await?
        .iter()
        .map(|c| c.day.to_jiff())
        .collect();
    Ok(first_opening(
        &hours,
        &closures,
        &db.clock().now_in_warsaw().datetime(),
    ))
}

/// The first opening after `now` (Warsaw wall clock), from the week's hours and the
/// closing days: pure.
fn first_opening(
    hours: &[org::OpeningHours],
    closures: &[jiff::civil::Date],
    now: &jiff::civil::DateTime,
) -> Option<(jiff::civil::Date, String)> {
    let now_minutes = i64::from(now.hour()) * 60 + i64::from(now.minute());
    (0..NEXT_OPENING_DAYS).find_map(|ahead| {
        let day = now.date().checked_add(jiff::Span::new().days(ahead)).ok()?;
        if is_public_holiday(day) || closures.contains(&day) {
            return None;
        }
        let weekday = i32::from(day.weekday().to_monday_one_offset());
        let h = hours.iter().find(|h| h.weekday == weekday)?;
        // Today counts only while the opening is still ahead.
        (ahead > 0 || minutes(&h.opens)? > now_minutes).then(|| (day, h.opens.clone()))
    })
}

/// Every service point, in the order of their locations.
pub async fn points(db: &Db) -> Result<Vec<Point>, ServicePointError> {
    let ids = store::point_ids(db).await?;
    let now = db.clock().now_in_warsaw();
    let mut out = Vec::new();
    for location in org::locations(db).await? {
        if location.active && ids.contains(&location.id) {
            out.push(opening(db, location, &now).await?);
        }
    }
    Ok(out)
}

/// The snapshot of a point's queue now.
pub async fn snapshot(db: &Db, point: &Point) -> Result<Snapshot, ServicePointError> {
    store::snapshot(
        Source::Db(db),
        point.location.id,
        db.clock().now(),
        point.minutes_to_close,
    )
    .await
}

/// Issues a ticket of category `code` (the kiosk and the API alike).
pub async fn issue_ticket(
    db: &Db,
    actor: &Actor,
    location_id: i64,
    code: &str,
    priority: bool,
) -> Result<Issued, ServicePointError> {
    let point = point(db, location_id).await?;
    store::issue(
        db,
        actor,
        location_id,
        code,
        priority,
        point.minutes_to_close,
    )
    .await
}

/// Does `act` at a desk. The opening hours do not enter: a desk works its queue
/// whatever the clock says (the last visits after closing time are served).
pub async fn desk_act(
    db: &Db,
    actor: &Actor,
    desk_id: i64,
    act: &Act,
) -> Result<Acted, ServicePointError> {
    store::act(db, actor, desk_id, act).await
}

/// A ticket's state for its holder: where it stands in the queue now.
#[derive(Clone, Debug, Serialize)]
pub struct TicketStatus {
    pub ticket: store::Ticket,
    pub category_code: String,
    pub category_name: String,
    /// People ahead (waiting tickets only).
    pub ahead: Option<u32>,
    pub estimated_wait_minutes: Option<u32>,
    /// The desk it was called to or is served at.
    pub desk: Option<String>,
    /// The live-event id the page's stream resumes after.
    pub live_from: i64,
}

/// The status of the ticket with `token`; None when there is none.
pub async fn ticket_status(
    db: &Db,
    token: &str,
) -> Result<Option<(Point, TicketStatus)>, ServicePointError> {
    let Some(ticket) = store::ticket_by_token(db, token).await? else {
        return Ok(None);
    };
    let point = point(db, ticket.location_id).await?;
    let live_from = crate::platform::events::last_id(db, &store::topic(ticket.location_id)).await?;
    let snapshot = snapshot(db, &point).await?;
    let categories = store::categories(Source::Db(db), ticket.location_id).await?;
    let category = categories.iter().find(|k| k.id == ticket.category_id);
    let position = store::position_in(&snapshot, &ticket);
    let desk = snapshot
        .desks
        .iter()
        .find(|d| Some(d.id) == ticket.desk_id)
        .map(|d| d.name.clone());
    let status = TicketStatus {
        category_code: category.map(|k| k.code.clone()).unwrap_or_default(),
        category_name: category.map(|k| k.name.clone()).unwrap_or_default(),
        ahead: position.map(|(a, _)| a),
        estimated_wait_minutes: position.and_then(|(a, k)| {
            magistrat_domain::queue::estimated_wait_minutes(a, k.mean_service_minutes, k.desk_share)
        }),
        desk,
        live_from,
        ticket,
    };
    Ok(Some((point, status)))
}

/// One line per service point for the home page: open now, people waiting, the
/// shortest estimated wait, where the live queue is.
#[derive(Clone, Debug, Serialize)]
pub struct PointSummary {
    pub location_id: i64,
    pub name: String,
    pub open_now: bool,
    pub waiting: u32,
    pub open_desks: u32,
    /// The longest estimated wait over its categories, minutes.
    pub longest_wait_minutes: Option<u32>,
    /// The public live-status page.
    pub href: String,
}

/// The summaries of every service point (for the home page).
pub async fn summaries(db: &Db) -> Result<Vec<PointSummary>, ServicePointError> {
    let mut out = Vec::new();
    for point in points(db).await? {
        let snapshot = snapshot(db, &point).await?;
        out.push(PointSummary {
            location_id: point.location.id,
            name: point.location.name.clone(),
            open_now: point.is_open(),
            waiting: snapshot.categories.iter().map(|k| k.waiting).sum(),
            open_desks: u32::try_from(snapshot.desks.iter().filter(|d| d.state == "open").count())
                .unwrap_or(0),
            longest_wait_minutes: snapshot
                .categories
                .iter()
                .filter_map(|k| k.estimated_wait_minutes)
                .max(),
            href: format!("/service-points/{}", point.location.id),
        });
    }
    Ok(out)
}

/// A visit as the satisfaction ratings see it: where, which matter, who served it and
/// whether it has ended.
#[derive(Clone, Debug, Serialize)]
pub struct Visit {
    pub ticket_id: i64,
    pub location_id: i64,
    /// The number shown, e.g. `A007`.
    pub label: String,
    /// The ticket category it was served in (after any transfer).
    pub category: String,
    pub desk_id: Option<i64>,
    pub official_id: Option<i64>,
    /// The Warsaw day it was served on; None until the service has ended (a ticket
    /// waiting, called, being served, or marked a no-show).
    pub ended_on: Option<String>,
}

/// The visit of the ticket with `token`; None when there is none.
pub async fn visit(db: &Db, token: &str) -> Result<Option<Visit>, ServicePointError> {
    let Some(ticket) = store::ticket_by_token(db, token).await? else {
        return Ok(None);
    };
    let categories = store::categories(Source::Db(db), ticket.location_id).await?;
    let category = categories
        .iter()
        .find(|k| k.id == ticket.category_id)
        .map(|k| k.name.clone())
        .unwrap_or_default();
    let ended_on = match (ticket.state.as_str(), ticket.finished_at) {
        ("done", Some(at)) => Some(store::day_of(at)),
        _ => None,
    };
    Ok(Some(Visit {
        ticket_id: ticket.id,
        location_id: ticket.location_id,
        label: ticket.label,
        category,
        desk_id: ticket.desk_id,
        official_id: ticket.official_id,
        ended_on,
    }))
}

/// A point's statistics over a range of days (`magistrat_domain::queue_stats`), with
/// what names their groups.
#[derive(Clone, Debug)]
pub struct Statistics {
    pub total: queue_stats::Group,
    /// Per dimension, its groups in order.
    pub groups: Vec<(queue_stats::Dimension, Vec<queue_stats::Group>)>,
    pub categories: Vec<store::Category>,
    pub desks: Vec<store::Desk>,
    pub officials: std::collections::BTreeMap<i64, String>,
    /// Visits (tickets) in the range.
    pub visits: usize,
}

/// The visits of `location_id` on the Warsaw days `from`–`to` as the pure statistics
/// read them: each ticket's intervals in order, with its outcome.
fn visits_of(rows: Vec<store::PeriodRow>) -> Result<Vec<queue_stats::Visit>, ServicePointError> {
    use queue_stats::{Outcome, Period, State};
    let mut visits: Vec<(i64, queue_stats::Visit)> = Vec::new();
    for row in rows {
        let state = match row.state.as_str() {
            "waiting" => State::Waiting,
            "called" => State::Called,
            "serving" => State::Serving,
            other => {
                return Err(ServicePointError::Db(sqlx::Error::Decode(
                    format!("unknown visit interval state {other:?}").into(),
                )));
            }
        };
        let outcome = match row.ticket_state.as_str() {
            "done" => Outcome::Served,
            "no_show" => Outcome::NoShow,
            _ => Outcome::Open,
        };
        let period = Period {
            state,
            category: row.category_id,
            desk: row.desk_id,
            official: row.official_id,
            start: row.started_at.in_warsaw().datetime(),
            seconds: row
                .ended_at
                .map(|end| end.0.duration_since(row.started_at.0).as_secs()),
        };
        match visits.last_mut() {
            Some((id, visit)) if *id == row.ticket_id => visit.periods.push(period),
            _ => visits.push((
                row.ticket_id,
                queue_stats::Visit {
                    periods: vec![period],
                    outcome,
                },
            )),
        }
    }
    Ok(visits.into_iter().map(|(_, v)| v).collect())
}

/// The statistics of `location_id` from `from` to `to` (Warsaw days, both included).
pub async fn statistics(
    db: &Db,
    location_id: i64,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<Statistics, ServicePointError> {
    let rows = store::periods_between(db, location_id, &from.to_string(), &to.to_string()).await?;
    let visits = visits_of(rows)?;
    let groups = queue_stats::Dimension::ALL
        .into_iter()
        .map(|by| (by, queue_stats::grouped(&visits, by)))
        .collect();
    Ok(Statistics {
        total: queue_stats::total(&visits),
        groups,
        categories: store::categories(Source::Db(db), location_id).await?,
        desks: store::desks(Source::Db(db), location_id).await?,
        officials: store::official_names(db).await?,
        visits: visits.len(),
    })
}

/// The visit a desk's rating tablet offers: the one the desk finished last, while it
/// ended with service no more than [`TABLET_MINUTES`] ago; None otherwise (nothing
/// finished yet today, the last one a no-show, or too long ago).
pub async fn just_served(db: &Db, desk_id: i64) -> Result<Option<Visit>, ServicePointError> {
    let now = db.clock().now();
    let Some(ticket) = store::last_finished_at_desk(db, desk_id, &store::day_of(now)).await? else {
        return Ok(None);
    };
    let fresh = ticket.finished_at.is_some_and(|at| {
        now.0.duration_since(at.0) <= jiff::SignedDuration::from_mins(TABLET_MINUTES)
    });
    if ticket.state != "done" || !fresh {
        return Ok(None);
    }
    visit(db, &ticket.token).await
}

/// How long after a visit ended the desk's tablet still asks for its rating: the
/// resident is still at the desk, or just left it.
pub const TABLET_MINUTES: i64 = 10;

/// A desk as its rating tablet shows it.
#[derive(Clone, Debug, Serialize)]
pub struct DeskPlace {
    pub desk_id: i64,
    pub desk: String,
    pub location_id: i64,
    pub location: String,
    /// The live-event id the tablet's stream resumes after.
    pub live_from: i64,
}

/// The desk `desk_id` of the point `location_id`; NotFound when it is not one of its
/// active desks.
pub async fn desk_place(
    db: &Db,
    location_id: i64,
    desk_id: i64,
) -> Result<DeskPlace, ServicePointError> {
    let point = point(db, location_id).await?;
    let desk = store::desk(db, desk_id).await?;
    if desk.row.location_id != location_id || !desk.row.active {
        return Err(ServicePointError::NotFound);
    }
    let live_from = crate::platform::events::last_id(db, &store::topic(location_id)).await?;
    Ok(DeskPlace {
        desk_id,
        desk: desk.row.name,
        location_id,
        location: point.location.name,
        live_from,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn hours(weekday: i32, opens: &str, closes: &str) -> org::OpeningHours {
        org::OpeningHours {
            location_id: 1,
            weekday,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    #[test]
    fn the_next_opening_skips_closed_days_holidays_and_todays_past_hours() {
        let week = [hours(1, "08:00", "16:00"), hours(3, "07:30", "15:30")];
        // Monday 2026-11-30, 17:00: closed for the day → Wednesday 07:30.
        let monday_evening = date(2026, 11, 30).at(17, 0, 0, 0);
        assert_eq!(
            first_opening(&week, &[], &monday_evening),
            Some((date(2026, 12, 2), "07:30".to_owned()))
        );
        // Monday 06:00: later the same day.
        let monday_morning = date(2026, 11, 30).at(6, 0, 0, 0);
        assert_eq!(
            first_opening(&week, &[], &monday_morning),
            Some((date(2026, 11, 30), "08:00".to_owned()))
        );
        // Wednesday closed by the office → the next Monday.
        assert_eq!(
            first_opening(&week, &[date(2026, 12, 2)], &monday_evening),
            Some((date(2026, 12, 7), "08:00".to_owned()))
        );
        // 24 December 2026 is a Thursday and a public holiday since 2025.
        let thursday = [hours(4, "08:00", "16:00")];
        let before = date(2026, 12, 23).at(12, 0, 0, 0);
        assert_eq!(
            first_opening(&thursday, &[], &before),
            Some((date(2026, 12, 31), "08:00".to_owned()))
        );
        assert_eq!(first_opening(&[], &[], &before), None);
    }
}
