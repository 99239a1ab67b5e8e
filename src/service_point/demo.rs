//! The demo office's service points: the town hall's Biuro Obsługi Mieszkańców and the
//! shopping-centre point, each with its ticket categories and desks, and the last
//! [`PAST_DAYS`] working days of visits (weekdays before today on which the point was
//! open), played out desk by desk — with no-shows and transfers — so the statistics
//! have real rows to show.

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

/// How many past working days of visits the demo plays at each point.
pub const PAST_DAYS: usize = 10;

/// Sets up both demo locations and plays the past working days at each. The desks are
/// staffed by the demo accounts `official_logins` in turn (the demo has few accounts:
/// each stands for the front-desk team it belongs to).
pub async fn seed(db: &Db, official_logins: &[&str]) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let cards = crate::service_cards::store::all_cards(db).await?;
    let card_id = |code: &str| cards.iter().find(|c| c.data.code == code).map(|c| c.id);
    let mut officials: Vec<i64> = Vec::new();
    for login in official_logins {
        let id: Option<i64> = crate::with_db!(db, |c| sqlx::query_scalar(
            "SELECT id FROM app_user WHERE login = $1"
        )
        .bind(*login)
        .fetch_optional(c)
        .await)?;
        officials.extend(id);
    }
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
        let desks_staffed: Vec<(i64, Vec<i64>, Option<i64>)> = desk_ids
            .iter()
            .enumerate()
            .map(|(i, (id, serves))| {
                let official = (!officials.is_empty()).then(|| officials[i % officials.len()]);
                (*id, serves.clone(), official)
            })
            .collect();
        let mut visits = Vec::new();
        let mut days = Vec::new();
        for (day, opens, closes) in past_days(db, &hours) {
            let played = play_day(location.id, day, opens, closes, &ids, &desks_staffed)?;
            days.push(serde_json::json!({ "day": day.to_string(), "tickets": played.len() }));
            visits.extend(played);
        }
        insert_visits(&mut tx, location.id, &ids, &desks_staffed, &visits).await?;
        audit::record(
            &mut tx,
            &actor,
            Change::action("demo_days_seeded", "sp_location", location.id)
                .with_after(&serde_json::json!({ "days": days })),
        )
        .await?;
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

/// The last [`PAST_DAYS`] weekdays before today with opening hours, oldest first:
/// (day, opens, closes) in minutes.
fn past_days(db: &Db, hours: &[org::OpeningHours]) -> Vec<(Date, i64, i64)> {
    let today = db.clock().today();
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':')?;
        Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
    };
    let mut days: Vec<(Date, i64, i64)> = (1..=31)
        .filter_map(|back| {
            let day = today.checked_sub(jiff::Span::new().days(back)).ok()?;
            let weekday = i32::from(day.weekday().to_monday_one_offset());
            if weekday > 5 || magistrat_domain::calendar::is_public_holiday(day) {
                return None;
            }
            let h = hours.iter().find(|h| h.weekday == weekday)?;
            Some((day, minutes(&h.opens)?, minutes(&h.closes)?))
        })
        .take(PAST_DAYS)
        .collect();
    days.reverse();
    days
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

    fn below(&mut self, n: i64) -> i64 {
        i64::try_from(self.next(u64::try_from(n.max(1)).unwrap_or(1))).unwrap_or(0)
    }
}

/// One stretch of a visit at a desk: queued in a category (seconds of the day), called
/// to a desk, served from `start` (None: did not come) to `end`.
#[derive(Clone, Debug)]
struct Leg {
    category: usize,
    desk: usize,
    queued: i64,
    called: i64,
    start: Option<i64>,
    end: i64,
}

/// A past visit: its ticket (category index, number) and its legs (two when the desk
/// transferred it to another category).
#[derive(Clone, Debug)]
struct PastVisit {
    day: Date,
    category: usize,
    number: i32,
    priority: bool,
    issued: i64,
    legs: Vec<Leg>,
}

/// The desk serving `category` that is free first.
fn free_desk(
    desks: &[(i64, Vec<i64>, Option<i64>)],
    free_at: &[i64],
    category: i64,
) -> Option<usize> {
    (0..desks.len())
        .filter(|d| desks[*d].1.contains(&category))
        .min_by_key(|d| free_at[*d])
}

/// Plays one day: residents arrive through the day (busier late morning and after
/// work, busier on Mondays, quieter on Fridays), each goes to the first free desk
/// serving their category, is served for the category's typical time ± 50 %; one in
/// twenty does not come when called, and one in twenty-five served is sent on to another
/// category and waits for a desk again.
#[allow(
    clippy::too_many_lines,
    reason = "demo data: one day played out in order reads best as one story"
)]
fn play_day(
    location_id: i64,
    day: Date,
    opens: i64,
    closes: i64,
    categories: &[(&str, i64, i32)],
    desks: &[(i64, Vec<i64>, Option<i64>)],
) -> anyhow::Result<Vec<PastVisit>> {
    let seed = u64::try_from(location_id).unwrap_or(1) * 7919
        + u64::try_from(day.day_of_year()).unwrap_or(0) * 104_729
        + 17;
    let mut rng = Lcg(seed);
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
    let base = match day.weekday().to_monday_one_offset() {
        1 => base * 9 / 10,
        5 => base * 6 / 5,
        _ => base,
    };
    let mut arrivals = Vec::new();
    let mut second = opens * 60;
    while second < (closes - 30) * 60 {
        let hour = second / 3600;
        let gap = if (10..13).contains(&hour) || hour >= 15 {
            base * 9 / 10
        } else {
            base * 3 / 2
        };
        second += gap / 2 + rng.below(gap);
        let index = walk_ins
            [usize::try_from(rng.below(i64::try_from(walk_ins.len()).unwrap_or(1))).unwrap_or(0)];
        arrivals.push((second, index));
    }
    let mut free_at: Vec<i64> = desks.iter().map(|_| opens * 60).collect();
    let mut numbers = vec![0_i32; categories.len()];
    let mut played = Vec::new();
    for (arrival, index) in arrivals {
        let (_, category_id, typical) = categories[index];
        let Some(desk) = free_desk(desks, &free_at, category_id) else {
            continue;
        };
        let called = arrival.max(free_at[desk]);
        // The kiosk stops issuing what cannot be served before closing.
        if called >= closes * 60 {
            continue;
        }
        numbers[index] += 1;
        let no_show = rng.below(20) == 0;
        let serve = |rng: &mut Lcg, called: i64, typical: i32| {
            let typical = i64::from(typical) * 60;
            let start = called + 30 + rng.below(60);
            (start, start + typical / 2 + rng.below(typical))
        };
        let mut legs = Vec::new();
        if no_show {
            legs.push(Leg {
                category: index,
                desk,
                queued: arrival,
                called,
                start: None,
                end: called + 120,
            });
            free_at[desk] = called + 140;
        } else {
            let (start, end) = serve(&mut rng, called, typical);
            legs.push(Leg {
                category: index,
                desk,
                queued: arrival,
                called,
                start: Some(start),
                end,
            });
            free_at[desk] = end + 20;
            // Sent on to another matter now and then.
            let others: Vec<usize> = walk_ins.iter().copied().filter(|i| *i != index).collect();
            if !others.is_empty() && rng.below(25) == 0 {
                let to =
                    others[usize::try_from(rng.below(i64::try_from(others.len()).unwrap_or(1)))
                        .unwrap_or(0)];
                if let Some(desk2) = free_desk(desks, &free_at, categories[to].1) {
                    let called2 = (end + 30).max(free_at[desk2]);
                    let (start2, end2) = serve(&mut rng, called2, categories[to].2);
                    legs.push(Leg {
                        category: to,
                        desk: desk2,
                        queued: end,
                        called: called2,
                        start: Some(start2),
                        end: end2,
                    });
                    free_at[desk2] = end2 + 20;
                }
            }
        }
        played.push(PastVisit {
            day,
            category: index,
            number: numbers[index],
            priority: rng.below(25) == 0,
            issued: arrival,
            legs,
        });
    }
    Ok(played)
}

/// The instant of `second` of the Warsaw `day`.
fn at(day: Date, second: i64) -> anyhow::Result<UtcTime> {
    let time = jiff::civil::time(0, 0, 0, 0).checked_add(SignedDuration::from_secs(second))?;
    let ts: Timestamp = day
        .to_datetime(time)
        .to_zoned(TimeZone::get("Europe/Warsaw")?)?
        .timestamp();
    Ok(UtcTime(ts))
}

/// Writes the visits: tickets, their intervals and the day counters, many rows a
/// statement (the tests seed the demo for every test).
#[allow(
    clippy::too_many_lines,
    reason = "demo data: the rows of three tables built and written side by side"
)]
async fn insert_visits(
    tx: &mut crate::db::Tx,
    location_id: i64,
    categories: &[(&str, i64, i32)],
    desks: &[(i64, Vec<i64>, Option<i64>)],
    visits: &[PastVisit],
) -> anyhow::Result<()> {
    // (ticket columns, periods) per visit.
    struct TicketRow {
        category_id: i64,
        issued_category_id: i64,
        day: String,
        number: i32,
        label: String,
        token: String,
        priority: bool,
        state: &'static str,
        desk_id: i64,
        official_id: Option<i64>,
        issued_at: UtcTime,
        queued_at: UtcTime,
        called_at: UtcTime,
        finished_at: UtcTime,
    }
    struct PeriodRow {
        token: String,
        state: &'static str,
        category_id: i64,
        desk_id: Option<i64>,
        official_id: Option<i64>,
        started_at: UtcTime,
        ended_at: UtcTime,
    }
    let mut tickets = Vec::new();
    let mut periods = Vec::new();
    for v in visits {
        let Some(last) = v.legs.last() else {
            continue;
        };
        let token = crate::auth::secret::random_token()[..32].to_owned();
        let (code, issued_category_id, _) = categories[v.category];
        for leg in &v.legs {
            let (desk_id, _, official) = &desks[leg.desk];
            let category_id = categories[leg.category].1;
            let call_end = leg.start.unwrap_or(leg.end);
            periods.push(PeriodRow {
                token: token.clone(),
                state: "waiting",
                category_id,
                desk_id: None,
                official_id: None,
                started_at: at(v.day, leg.queued)?,
                ended_at: at(v.day, leg.called)?,
            });
            periods.push(PeriodRow {
                token: token.clone(),
                state: "called",
                category_id,
                desk_id: Some(*desk_id),
                official_id: *official,
                started_at: at(v.day, leg.called)?,
                ended_at: at(v.day, call_end)?,
            });
            if let Some(start) = leg.start {
                periods.push(PeriodRow {
                    token: token.clone(),
                    state: "serving",
                    category_id,
                    desk_id: Some(*desk_id),
                    official_id: *official,
                    started_at: at(v.day, start)?,
                    ended_at: at(v.day, leg.end)?,
                });
            }
        }
        let (desk_id, _, official) = &desks[last.desk];
        tickets.push(TicketRow {
            category_id: categories[last.category].1,
            issued_category_id,
            day: v.day.to_string(),
            number: v.number,
            label: format!("{code}{:03}", v.number),
            token,
            priority: v.priority,
            state: if last.start.is_some() {
                "done"
            } else {
                "no_show"
            },
            desk_id: *desk_id,
            official_id: *official,
            issued_at: at(v.day, v.issued)?,
            queued_at: at(v.day, last.queued)?,
            called_at: at(v.day, last.called)?,
            finished_at: at(v.day, last.end)?,
        });
    }
    for chunk in tickets.chunks(60) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=15).map(|k| format!("${}", i * 15 + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sp_ticket (location_id, category_id, issued_category_id, day, number, \
             label, token, priority, state, desk_id, official_id, issued_at, queued_at, \
             called_at, finished_at) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for t in chunk {
                q = q
                    .bind(location_id)
                    .bind(t.category_id)
                    .bind(t.issued_category_id)
                    .bind(t.day.clone())
                    .bind(t.number)
                    .bind(t.label.clone())
                    .bind(t.token.clone())
                    .bind(t.priority)
                    .bind(t.state)
                    .bind(t.desk_id)
                    .bind(t.official_id)
                    .bind(t.issued_at)
                    .bind(t.queued_at)
                    .bind(t.called_at)
                    .bind(t.finished_at);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    for chunk in periods.chunks(120) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let k = i * 7;
                format!(
                    "((SELECT id FROM sp_ticket WHERE token = ${}), ${}, ${}, ${}, ${}, ${}, ${})",
                    k + 1,
                    k + 2,
                    k + 3,
                    k + 4,
                    k + 5,
                    k + 6,
                    k + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO sp_visit_period (ticket_id, state, category_id, desk_id, official_id, \
             started_at, ended_at) VALUES {}",
            values.join(", ")
        );
        with_tx!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for p in chunk {
                q = q
                    .bind(p.token.clone())
                    .bind(p.state)
                    .bind(p.category_id)
                    .bind(p.desk_id)
                    .bind(p.official_id)
                    .bind(p.started_at)
                    .bind(p.ended_at);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    // The day counters: the last number of each category's day.
    let mut last: std::collections::BTreeMap<(i64, String), i32> =
        std::collections::BTreeMap::new();
    for t in &tickets {
        let e = last
            .entry((t.issued_category_id, t.day.clone()))
            .or_insert(0);
        *e = (*e).max(t.number);
    }
    for ((category_id, day), number) in last {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO sp_counter (category_id, day, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (category_id, day) DO UPDATE SET last_number = $3"
        )
        .bind(category_id)
        .bind(&day)
        .bind(number)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}
