//! The demo office's service points: the town hall's Biuro Obsługi Mieszkańców and the
//! shopping-centre point, each with its ticket categories and desks, and one past
//! working day of visits (the last weekday before today on which the point was open),
//! played out desk by desk so the statistics and the live estimate have real rows.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::store::{self, CategoryData, DeskData};
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::org::store as org;
use crate::with_tx;

/// (code, name, bookable, typical minutes, daily quota, card codes)
type DemoCategory = (
    &'static str,
    &'static str,
    bool,
    i32,
    Option<i32>,
    &'static [&'static str],
);

const TOWN_HALL: &[DemoCategory] = &[
    (
        "A",
        "Dowody osobiste i meldunki",
        false,
        8,
        None,
        &["SA-1", "SA-2", "SA-3", "SA-4", "SA-5"],
    ),
    (
        "C",
        "Urząd Stanu Cywilnego",
        false,
        12,
        Some(40),
        &["USC-1", "USC-2"],
    ),
    (
        "P",
        "Podatki i opłaty lokalne",
        false,
        10,
        Some(60),
        &["FN-I-1", "FN-I-2", "GK-2"],
    ),
    (
        "U",
        "Wizyty umówione",
        true,
        12,
        None,
        &["SA-1", "SA-4", "USC-1"],
    ),
];

const MALL: &[DemoCategory] = &[
    (
        "A",
        "Dowody osobiste i meldunki",
        false,
        8,
        None,
        &["SA-1", "SA-2", "SA-4", "SA-5"],
    ),
    (
        "P",
        "Podatki i opłaty lokalne",
        false,
        10,
        Some(30),
        &["FN-I-1", "GK-2"],
    ),
    ("U", "Wizyty umówione", true, 12, None, &["SA-4"]),
];

/// (desk, category codes)
const TOWN_HALL_DESKS: &[(&str, &[&str])] = &[
    ("Stanowisko 1", &["A", "U"]),
    ("Stanowisko 2", &["A", "P"]),
    ("Stanowisko 3", &["C", "U"]),
    ("Stanowisko 4", &["P", "A"]),
];

const MALL_DESKS: &[(&str, &[&str])] =
    &[("Stanowisko 1", &["A", "P"]), ("Stanowisko 2", &["A", "U"])];

/// Sets up both demo locations and plays a past day at each.
pub async fn seed(db: &Db, official_login: &str) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let cards = crate::service_cards::store::all_cards(db).await?;
    let card_id = |code: &str| cards.iter().find(|c| c.data.code == code).map(|c| c.id);
    let official: Option<i64> = crate::with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM app_user WHERE login = $1"
    )
    .bind(official_login)
    .fetch_optional(c)
    .await)?;
    for location in org::locations(db).await? {
        let (categories, desks) = match location.kind.as_str() {
            "building" => (TOWN_HALL, TOWN_HALL_DESKS),
            _ => (MALL, MALL_DESKS),
        };
        let mut tx = db.begin().await?;
        let mut ids = Vec::new();
        for (position, (code, name, bookable, minutes, quota, card_codes)) in
            categories.iter().enumerate()
        {
            let data = CategoryData {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                bookable: *bookable,
                service_minutes: *minutes,
                daily_quota: *quota,
                active: true,
                position: i32::try_from(position).unwrap_or(0),
                cards: card_codes.iter().filter_map(|c| card_id(c)).collect(),
            };
            let id = store::save_category(&mut tx, &actor, location.id, None, &data).await?;
            ids.push((*code, id, *minutes));
        }
        let mut desk_ids = Vec::new();
        for (name, codes) in desks {
            let serves: Vec<i64> = codes
                .iter()
                .filter_map(|c| ids.iter().find(|(k, _, _)| k == c).map(|(_, id, _)| *id))
                .collect();
            let data = DeskData {
                name: (*name).to_owned(),
                active: true,
                categories: serves.clone(),
            };
            let id = store::save_desk(&mut tx, &actor, location.id, None, &data).await?;
            desk_ids.push((id, serves));
        }
        let hours = org::location_hours(db, location.id).await?;
        if let Some((day, opens, closes)) = past_day(db, &hours) {
            let played = play_day(
                &mut tx,
                location.id,
                day,
                opens,
                closes,
                &ids,
                &desk_ids,
                official,
            )
            .await?;
            audit::record(
                &mut tx,
                &actor,
                Change::action("demo_day_seeded", "sp_location", location.id)
                    .with_after(&serde_json::json!({ "day": day.to_string(), "tickets": played })),
            )
            .await?;
        }
        tx.commit().await?;
    }
    seed_bookings(db).await?;
    Ok(())
}

/// Residents who booked visits in the demo: (name, e-mail, phone).
const BOOKERS: &[(&str, &str, Option<&str>)] = &[
    (
        "Anna Kowalska",
        "anna.kowalska@example.pl",
        Some("601234567"),
    ),
    ("Piotr Nowak", "piotr.nowak@example.pl", None),
    (
        "Katarzyna Wiśniewska",
        "k.wisniewska@example.pl",
        Some("512345678"),
    ),
    (
        "Tomasz Wójcik",
        "tomasz.wojcik@example.pl",
        Some("698765432"),
    ),
    ("Magdalena Kamińska", "m.kaminska@example.pl", None),
    (
        "Jan Lewandowski",
        "jan.lewandowski@example.pl",
        Some("725111222"),
    ),
];

/// A few bookings on the next open days at every point that takes them: every third
/// slot of the morning on the first day, fewer later, each for one of its matters.
async fn seed_bookings(db: &Db) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let settings = super::booking::Settings {
        window: magistrat_domain::booking::Window::default(),
        grace_minutes: 10,
        reminder_hour: 16,
        public_url: None,
    };
    let today = db.clock().today();
    let mut who = BOOKERS.iter().cycle();
    for location_id in store::point_ids(db).await? {
        for bookable in super::booking::bookable(db, location_id).await? {
            let mut days_booked = 0;
            for day in settings.window.days(today) {
                if days_booked == 3 {
                    break;
                }
                let slots =
                    super::booking::slots(db, &settings, location_id, &bookable.category.code, day)
                        .await?;
                if slots.is_empty() {
                    continue;
                }
                let every = 3 + days_booked * 2;
                for (i, slot) in slots.iter().enumerate().step_by(every).take(4) {
                    let Some((name, email, phone)) = who.next() else {
                        break;
                    };
                    let card_id = (!bookable.matters.is_empty())
                        .then(|| bookable.matters[i % bookable.matters.len()].card_id);
                    let new = super::booking::NewBooking {
                        location_id,
                        category: bookable.category.code.clone(),
                        card_id,
                        start: slot.start.0,
                        name: (*name).to_owned(),
                        email: (*email).to_owned(),
                        phone: phone.map(str::to_owned),
                        pesel: None,
                    };
                    super::booking::book(db, &actor, &settings, &new).await?;
                }
                days_booked += 1;
            }
        }
    }
    Ok(())
}

/// The last weekday before today with opening hours: (day, opens, closes) in minutes.
fn past_day(db: &Db, hours: &[org::OpeningHours]) -> Option<(Date, i64, i64)> {
    let today = db.clock().today();
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':')?;
        Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
    };
    (1..=7).find_map(|back| {
        let day = today.checked_sub(jiff::Span::new().days(back)).ok()?;
        let weekday = i32::from(day.weekday().to_monday_one_offset());
        if weekday > 5 || magistrat_domain::calendar::is_public_holiday(day) {
            return None;
        }
        let h = hours.iter().find(|h| h.weekday == weekday)?;
        Some((day, minutes(&h.opens)?, minutes(&h.closes)?))
    })
}

/// A small deterministic generator (the same demo every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

/// Plays one day: residents arrive through the day (busier late morning and after
/// work), each goes to the first free desk serving their category, is served for the
/// category's typical time ± 50 %, and one in twenty does not come when called.
#[allow(
    clippy::too_many_arguments,
    clippy::too_many_lines,
    reason = "demo data: one day played out in order reads best as one story"
)]
async fn play_day(
    tx: &mut crate::db::Tx,
    location_id: i64,
    day: Date,
    opens: i64,
    closes: i64,
    categories: &[(&str, i64, i32)],
    desks: &[(i64, Vec<i64>)],
    official: Option<i64>,
) -> anyhow::Result<usize> {
    let mut rng = Lcg(u64::try_from(location_id).unwrap_or(1) * 7919 + 17);
    let at = |minute: i64, second: i64| -> anyhow::Result<UtcTime> {
        let time = jiff::civil::time(0, 0, 0, 0)
            .checked_add(SignedDuration::from_secs(minute * 60 + second))?;
        let ts: Timestamp = day
            .to_datetime(time)
            .to_zoned(TimeZone::get("Europe/Warsaw")?)?
            .timestamp();
        Ok(UtcTime(ts))
    };
    // Arrivals: (second of day, category index).
    let mut arrivals = Vec::new();
    let walk_ins: Vec<usize> = categories
        .iter()
        .enumerate()
        .filter(|(_, (code, _, _))| *code != "U")
        .map(|(i, _)| i)
        .collect();
    // Busy enough to queue at peaks, never more than the desks can serve in a day: the
    // mean gap between arrivals is the mean service time per desk, shorter at peaks.
    let typical: i64 = walk_ins
        .iter()
        .map(|i| i64::from(categories[*i].2))
        .sum::<i64>()
        / i64::try_from(walk_ins.len().max(1)).unwrap_or(1);
    let base = (typical * 60 / i64::try_from(desks.len().max(1)).unwrap_or(1)).max(30);
    let mut second = opens * 60;
    while second < (closes - 30) * 60 {
        let hour = second / 3600;
        let gap = if (10..13).contains(&hour) || hour >= 15 {
            base * 9 / 10
        } else {
            base * 3 / 2
        };
        second += gap / 2 + i64::try_from(rng.next(u64::try_from(gap).unwrap_or(60))).unwrap_or(0);
        let index = walk_ins[usize::try_from(rng.next(walk_ins.len() as u64)).unwrap_or(0)];
        arrivals.push((second, index));
    }
    let mut free_at: Vec<i64> = desks.iter().map(|_| opens * 60).collect();
    let mut numbers = vec![0_i32; categories.len()];
    let day_text = day.to_string();
    let mut played = 0;
    for (arrival, index) in arrivals {
        let (code, category_id, typical) = categories[index];
        let Some(desk) = (0..desks.len())
            .filter(|d| desks[*d].1.contains(&category_id))
            .min_by_key(|d| free_at[*d])
        else {
            continue;
        };
        let called = arrival.max(free_at[desk]);
        // The kiosk stops issuing what cannot be served before closing.
        if called >= closes * 60 {
            continue;
        }
        numbers[index] += 1;
        let no_show = rng.next(20) == 0;
        let typical = i64::from(typical) * 60;
        let service = typical / 2
            + i64::try_from(rng.next(u64::try_from(typical).unwrap_or(60))).unwrap_or(0);
        let start = called + 30 + i64::try_from(rng.next(60)).unwrap_or(0);
        let end = if no_show {
            called + 120
        } else {
            start + service
        };
        free_at[desk] = end + 20;
        let issued_at = at(0, arrival)?;
        let called_at = at(0, called)?;
        let start_at = at(0, start)?;
        let end_at = at(0, end)?;
        let number = numbers[index];
        let token = crate::auth::secret::random_token()[..32].to_owned();
        let state = if no_show { "no_show" } else { "done" };
        let ticket_id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
            "INSERT INTO sp_ticket (location_id, category_id, issued_category_id, day, number, \
             label, token, priority, state, desk_id, official_id, issued_at, queued_at, \
             called_at, finished_at) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $11, $12, $13) RETURNING id"
        )
        .bind(location_id)
        .bind(category_id)
        .bind(&day_text)
        .bind(number)
        .bind(format!("{code}{number:03}"))
        .bind(&token)
        .bind(rng.next(25) == 0)
        .bind(state)
        .bind(desks[desk].0)
        .bind(official)
        .bind(issued_at)
        .bind(called_at)
        .bind(end_at)
        .fetch_one(c)
        .await)?;
        let mut periods = vec![
            ("waiting", None, issued_at, called_at),
            (
                "called",
                Some(desks[desk].0),
                called_at,
                if no_show { end_at } else { start_at },
            ),
        ];
        if !no_show {
            periods.push(("serving", Some(desks[desk].0), start_at, end_at));
        }
        for (state, desk_id, from, to) in periods {
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO sp_visit_period (ticket_id, state, category_id, desk_id, \
                 official_id, started_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(ticket_id)
            .bind(state)
            .bind(category_id)
            .bind(desk_id)
            .bind(desk_id.and(official))
            .bind(from)
            .bind(to)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        }
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO sp_counter (category_id, day, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (category_id, day) DO UPDATE SET last_number = $3"
        )
        .bind(category_id)
        .bind(&day_text)
        .bind(number)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        played += 1;
    }
    Ok(played)
}
