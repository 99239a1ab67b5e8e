//! Statistics of a residents' service point (issue 11): waits and service times per
//! ticket category, desk, official, hour of the day and day, with the counts of visits
//! served, no-shows and transfers, from the state intervals of each visit
//! (`sp_visit_period`, decision 0027: every interval a row).
//!
//! No statute sets these measures; they are the ones queue systems of Polish offices
//! report (research notes §4.1) and what CAF 2020 criterion 9 asks an office to measure.
//!
//! # What is measured
//!
//! - **wait**: a waiting interval that ended with a call — from taking the ticket (or
//!   from a transfer, or a booked visit's check-in) to the call. It counts for the
//!   category the resident waited in, the desk and official that called them, and the
//!   hour and day the wait began (the hour the resident came);
//! - **service**: a serving interval that ended — from the start of service to its end
//!   or to a transfer; it counts for its category, desk, official, hour and day;
//! - **served**: a serving interval that ended the visit (the ticket is done);
//! - **no-show**: a called interval that ended the visit (the ticket is a no-show);
//! - **transfer**: a called or serving interval followed by waiting again (sent to
//!   another category or desk): it counts where the visit was transferred *from*.
//!
//! An interval still running (ended_at empty: a resident waiting now) is left out.
//! Times are summarised by their **median** (half the residents waited less: robust to
//! the one visit that took an hour) and their **mean** (what the desks' time adds up to),
//! both in minutes; medians need every value, so the sums are made here, not in SQL
//! (SQLite has no percentile function).

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};

/// The state of one interval of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// In the queue.
    Waiting,
    /// Called to a desk.
    Called,
    /// Being served at a desk.
    Serving,
}

/// One state interval of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// Waiting, called or serving.
    pub state: State,
    /// The ticket category of the interval.
    pub category: i64,
    /// The desk (called and serving intervals).
    pub desk: Option<i64>,
    /// The official at the desk.
    pub official: Option<i64>,
    /// Its start on the Warsaw wall clock (for the hour and the day).
    pub start: DateTime,
    /// Its length in seconds (from the instants, so a DST change day is right);
    /// None while it runs.
    pub seconds: Option<i64>,
}

/// How the visit stands now (the ticket's state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Served to the end (`done`).
    Served,
    /// Called and did not come (`no_show`).
    NoShow,
    /// Still waiting, called or in service.
    Open,
}

/// A visit: its intervals in the order they began, and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// Its intervals, in the order they began.
    pub periods: Vec<Period>,
    /// How it stands now.
    pub outcome: Outcome,
}

/// What the statistics are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// Per ticket category.
    Category,
    /// Per desk.
    Desk,
    /// Per official.
    Official,
    /// Per hour of the day (Warsaw).
    Hour,
    /// Per day.
    Day,
}

impl Dimension {
    /// Every dimension, in the order pages show them.
    pub const ALL: [Dimension; 5] = [
        Dimension::Category,
        Dimension::Desk,
        Dimension::Official,
        Dimension::Hour,
        Dimension::Day,
    ];

    /// Its name in ids and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Category => "category",
            Dimension::Desk => "desk",
            Dimension::Official => "official",
            Dimension::Hour => "hour",
            Dimension::Day => "day",
        }
    }
}

/// A group's key. `None` for a desk or official: the interval names none (a desk act
/// by the system, a wait not yet called to a desk).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A category's id.
    Category(i64),
    /// A desk's id.
    Desk(Option<i64>),
    /// An official's id.
    Official(Option<i64>),
    /// The hour of the day, 0–23.
    Hour(i8),
    /// A Warsaw day.
    Day(Date),
}

/// A summary of durations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    /// How many durations.
    pub n: u64,
    /// Their median, minutes.
    pub median_minutes: f64,
    /// Their mean, minutes.
    pub mean_minutes: f64,
}

/// The median and mean of `seconds`, in minutes; None for no values.
pub fn figures(seconds: &[i64]) -> Option<Figures> {
    if seconds.is_empty() {
        return None;
    }
    let mut sorted = seconds.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0
    };
    let mean = sorted.iter().map(|s| *s as f64).sum::<f64>() / n as f64;
    Some(Figures {
        n: n as u64,
        median_minutes: median / 60.0,
        mean_minutes: mean / 60.0,
    })
}

/// One group's statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// What the group is.
    pub key: Key,
    /// Visits served to the end.
    pub served: u64,
    /// Called and did not come.
    pub no_shows: u64,
    /// Sent on to another category or desk.
    pub transfers: u64,
    /// The waits that ended with a call.
    pub wait: Option<Figures>,
    /// The services that ended.
    pub service: Option<Figures>,
}

/// What happened in one interval, attributed to where it counts.
#[derive(Clone, Copy, Debug)]
enum Fact {
    Wait(i64),
    Service(i64),
    Served,
    NoShow,
    Transfer,
}

/// The facts of a visit with the interval each belongs to (for its category, desk,
/// official, hour and day).
fn facts(visit: &Visit) -> Vec<(Fact, Period)> {
    let mut out = Vec::new();
    let periods = &visit.periods;
    for (i, p) in periods.iter().enumerate() {
        let next = periods.get(i + 1);
        let last = next.is_none();
        match p.state {
            State::Waiting => {
                if let (Some(s), Some(n)) = (p.seconds, next)
                    && n.state == State::Called
                {
                    // The wait counts for the desk and official that called.
                    out.push((
                        Fact::Wait(s.max(0)),
                        Period {
                            desk: n.desk,
                            official: n.official,
                            ..*p
                        },
                    ));
                }
            }
            State::Called => {
                if next.is_some_and(|n| n.state == State::Waiting) {
                    out.push((Fact::Transfer, *p));
                } else if last && visit.outcome == Outcome::NoShow {
                    out.push((Fact::NoShow, *p));
                }
            }
            State::Serving => {
                if let Some(s) = p.seconds {
                    out.push((Fact::Service(s.max(0)), *p));
                }
                if next.is_some_and(|n| n.state == State::Waiting) {
                    out.push((Fact::Transfer, *p));
                } else if last && visit.outcome == Outcome::Served {
                    out.push((Fact::Served, *p));
                }
            }
        }
    }
    out
}

fn key_of(by: Dimension, p: &Period) -> Key {
    match by {
        Dimension::Category => Key::Category(p.category),
        Dimension::Desk => Key::Desk(p.desk),
        Dimension::Official => Key::Official(p.official),
        Dimension::Hour => Key::Hour(p.start.hour()),
        Dimension::Day => Key::Day(p.start.date()),
    }
}

#[derive(Default)]
struct Acc {
    served: u64,
    no_shows: u64,
    transfers: u64,
    waits: Vec<i64>,
    services: Vec<i64>,
}

impl Acc {
    fn add(&mut self, fact: Fact) {
        match fact {
            Fact::Wait(s) => self.waits.push(s),
            Fact::Service(s) => self.services.push(s),
            Fact::Served => self.served += 1,
            Fact::NoShow => self.no_shows += 1,
            Fact::Transfer => self.transfers += 1,
        }
    }

    fn group(self, key: Key) -> Group {
        Group {
            key,
            served: self.served,
            no_shows: self.no_shows,
            transfers: self.transfers,
            wait: figures(&self.waits),
            service: figures(&self.services),
        }
    }
}

/// The statistics of `visits` grouped `by`, in the order of the keys (categories,
/// desks and officials by id, hours and days in time order).
pub fn grouped(visits: &[Visit], by: Dimension) -> Vec<Group> {
    let mut groups: BTreeMap<Key, Acc> = BTreeMap::new();
    for visit in visits {
        for (fact, period) in facts(visit) {
            groups.entry(key_of(by, &period)).or_default().add(fact);
        }
    }
    groups.into_iter().map(|(k, acc)| acc.group(k)).collect()
}

/// The statistics of all `visits` together (the key is meaningless: `Day` of the
/// first wait, or the epoch's).
pub fn total(visits: &[Visit]) -> Group {
    let mut acc = Acc::default();
    for visit in visits {
        for (fact, _) in facts(visit) {
            acc.add(fact);
        }
    }
    acc.group(Key::Category(0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const A: i64 = 1;
    const P: i64 = 2;
    const DESK1: i64 = 11;
    const DESK2: i64 = 12;
    const ANNA: i64 = 4;
    const BARBARA: i64 = 2;

    /// An interval on Monday 7 December 2026 from `from` to `to` (`HH:MM:SS`, Warsaw).
    fn period(
        state: State,
        category: i64,
        at: Option<(i64, i64)>,
        from: &str,
        to: Option<&str>,
    ) -> Period {
        let day = date(2026, 12, 7);
        let start = day.to_datetime(from.parse().unwrap());
        let seconds = to.map(|to| {
            let end = day.to_datetime(to.parse().unwrap());
            start.duration_until(end).as_secs()
        });
        Period {
            state,
            category,
            desk: at.map(|(d, _)| d),
            official: at.map(|(_, o)| o),
            start,
            seconds,
        }
    }

    fn waiting(category: i64, from: &str, to: Option<&str>) -> Period {
        period(State::Waiting, category, None, from, to)
    }

    /// A visit: waited in A from 09:02 to 09:14, called at desk 1 by Anna, served
    /// 09:15–09:23.
    fn served_a() -> Visit {
        Visit {
            periods: vec![
                waiting(A, "09:02:00", Some("09:14:00")),
                period(
                    State::Called,
                    A,
                    Some((DESK1, ANNA)),
                    "09:14:00",
                    Some("09:15:00"),
                ),
                period(
                    State::Serving,
                    A,
                    Some((DESK1, ANNA)),
                    "09:15:00",
                    Some("09:23:00"),
                ),
            ],
            outcome: Outcome::Served,
        }
    }

    /// Waited in P 10:40–10:46, called at desk 2 by Barbara, did not come.
    fn no_show_p() -> Visit {
        Visit {
            periods: vec![
                waiting(P, "10:40:00", Some("10:46:00")),
                period(
                    State::Called,
                    P,
                    Some((DESK2, BARBARA)),
                    "10:46:00",
                    Some("10:48:00"),
                ),
            ],
            outcome: Outcome::NoShow,
        }
    }

    /// Waited in A 09:30–09:34, served at desk 1 by Anna 09:35–09:40, transferred to
    /// P, waited 09:40–09:50, served at desk 2 by Barbara 09:51–10:03.
    fn transferred() -> Visit {
        Visit {
            periods: vec![
                waiting(A, "09:30:00", Some("09:34:00")),
                period(
                    State::Called,
                    A,
                    Some((DESK1, ANNA)),
                    "09:34:00",
                    Some("09:35:00"),
                ),
                period(
                    State::Serving,
                    A,
                    Some((DESK1, ANNA)),
                    "09:35:00",
                    Some("09:40:00"),
                ),
                waiting(P, "09:40:00", Some("09:50:00")),
                period(
                    State::Called,
                    P,
                    Some((DESK2, BARBARA)),
                    "09:50:00",
                    Some("09:51:00"),
                ),
                period(
                    State::Serving,
                    P,
                    Some((DESK2, BARBARA)),
                    "09:51:00",
                    Some("10:03:00"),
                ),
            ],
            outcome: Outcome::Served,
        }
    }

    /// Still waiting since 10:55.
    fn waiting_now() -> Visit {
        Visit {
            periods: vec![waiting(A, "10:55:00", None)],
            outcome: Outcome::Open,
        }
    }

    fn all() -> Vec<Visit> {
        vec![served_a(), no_show_p(), transferred(), waiting_now()]
    }

    fn f(n: u64, median: f64, mean: f64) -> Option<Figures> {
        Some(Figures {
            n,
            median_minutes: median,
            mean_minutes: mean,
        })
    }

    #[test]
    fn medians_and_means() {
        // (seconds, expected)
        let cases: Vec<(Vec<i64>, Option<Figures>)> = vec![
            (vec![], None),
            (vec![600], f(1, 10.0, 10.0)),
            // Even count: the middle two averaged.
            (vec![60, 180, 120, 600], f(4, 2.5, 4.0)),
            // One long visit moves the mean, not the median.
            (vec![300, 360, 3480], f(3, 6.0, 23.0)),
        ];
        for (seconds, expected) in cases {
            assert_eq!(figures(&seconds), expected, "{seconds:?}");
        }
    }

    #[test]
    fn per_category() {
        let groups = grouped(&all(), Dimension::Category);
        let expected = vec![
            Group {
                key: Key::Category(A),
                served: 1,
                no_shows: 0,
                transfers: 1,
                // 12 and 4 minutes (the one still waiting is left out).
                wait: f(2, 8.0, 8.0),
                // 8 and 5 minutes.
                service: f(2, 6.5, 6.5),
            },
            Group {
                key: Key::Category(P),
                served: 1,
                no_shows: 1,
                transfers: 0,
                // 6 and 10 minutes.
                wait: f(2, 8.0, 8.0),
                service: f(1, 12.0, 12.0),
            },
        ];
        assert_eq!(groups, expected);
    }

    #[test]
    fn per_desk_official_hour_and_day() {
        let visits = all();
        // (dimension, key, served, no-shows, transfers, waits n, services n)
        let cases: Vec<(Dimension, Key, u64, u64, u64, u64, u64)> = vec![
            (Dimension::Desk, Key::Desk(Some(DESK1)), 1, 0, 1, 2, 2),
            (Dimension::Desk, Key::Desk(Some(DESK2)), 1, 1, 0, 2, 1),
            (
                Dimension::Official,
                Key::Official(Some(ANNA)),
                1,
                0,
                1,
                2,
                2,
            ),
            (
                Dimension::Official,
                Key::Official(Some(BARBARA)),
                1,
                1,
                0,
                2,
                1,
            ),
            // Waits by the hour they began: 09:02, 09:30, 09:40; 10:40.
            (Dimension::Hour, Key::Hour(9), 2, 0, 1, 3, 3),
            (Dimension::Hour, Key::Hour(10), 0, 1, 0, 1, 0),
            (Dimension::Day, Key::Day(date(2026, 12, 7)), 2, 1, 1, 4, 3),
        ];
        for (by, key, served, no_shows, transfers, waits, services) in cases {
            let groups = grouped(&visits, by);
            let g = groups.iter().find(|g| g.key == key).unwrap();
            assert_eq!(
                (
                    g.served,
                    g.no_shows,
                    g.transfers,
                    g.wait.map_or(0, |w| w.n),
                    g.service.map_or(0, |s| s.n)
                ),
                (served, no_shows, transfers, waits, services),
                "{by:?} {key:?}"
            );
        }
        // Hours in time order; the hour of the wait still running is not there.
        let hours: Vec<Key> = grouped(&visits, Dimension::Hour)
            .into_iter()
            .map(|g| g.key)
            .collect();
        assert_eq!(hours, [Key::Hour(9), Key::Hour(10)]);
        let t = total(&visits);
        assert_eq!((t.served, t.no_shows, t.transfers), (2, 1, 1));
        // Waits 12, 6, 4, 10 minutes: median 8, mean 8.
        assert_eq!(t.wait, f(4, 8.0, 8.0));
    }

    fn arb_visit() -> impl Strategy<Value = Visit> {
        (
            1..4i64,
            0..600i64,
            0..7200i64,
            prop::option::of(60..3600i64),
            prop::option::of((1..4i64, 0..3600i64)),
            0..3u8,
        )
            .prop_map(
                |(category, start_minute, wait, service, transfer, outcome)| {
                    let day = date(2026, 12, 7);
                    let start = day
                        .to_datetime(jiff::civil::time(7, 30, 0, 0))
                        .checked_add(jiff::SignedDuration::from_mins(start_minute))
                        .unwrap();
                    let at = Some(10 + category);
                    let mut periods = vec![
                        Period {
                            state: State::Waiting,
                            category,
                            desk: None,
                            official: None,
                            start,
                            seconds: Some(wait),
                        },
                        Period {
                            state: State::Called,
                            category,
                            desk: at,
                            official: Some(1),
                            start,
                            seconds: Some(60),
                        },
                    ];
                    let called = periods[1];
                    if let Some(s) = service {
                        periods.push(Period {
                            state: State::Serving,
                            seconds: Some(s),
                            ..called
                        });
                    }
                    if let Some((to, w)) = transfer {
                        periods.push(Period {
                            state: State::Waiting,
                            category: to,
                            desk: None,
                            official: None,
                            start,
                            seconds: Some(w),
                        });
                    }
                    let outcome = match (outcome, transfer.is_some(), service.is_some()) {
                        (_, true, _) => Outcome::Open,
                        (0, _, true) => Outcome::Served,
                        (1, _, false) => Outcome::NoShow,
                        _ => Outcome::Open,
                    };
                    Visit { periods, outcome }
                },
            )
    }

    proptest! {
        #[test]
        fn every_grouping_adds_up_to_the_total(visits in prop::collection::vec(arb_visit(), 0..40)) {
            let t = total(&visits);
            for by in Dimension::ALL {
                let groups = grouped(&visits, by);
                prop_assert_eq!(groups.iter().map(|g| g.served).sum::<u64>(), t.served);
                prop_assert_eq!(groups.iter().map(|g| g.no_shows).sum::<u64>(), t.no_shows);
                prop_assert_eq!(groups.iter().map(|g| g.transfers).sum::<u64>(), t.transfers);
                prop_assert_eq!(groups.iter().filter_map(|g| g.wait).map(|w| w.n).sum::<u64>(), t.wait.map_or(0, |w| w.n));
            }
        }

        #[test]
        fn the_median_and_mean_lie_within_the_values(seconds in prop::collection::vec(0..20_000i64, 1..60)) {
            let fig = figures(&seconds).unwrap();
            let low = *seconds.iter().min().unwrap() as f64 / 60.0;
            let high = *seconds.iter().max().unwrap() as f64 / 60.0;
            prop_assert!(fig.median_minutes >= low - 1e-9 && fig.median_minutes <= high + 1e-9);
            prop_assert!(fig.mean_minutes >= low - 1e-9 && fig.mean_minutes <= high + 1e-9);
            prop_assert_eq!(fig.n, seconds.len() as u64);
        }
    }
}
