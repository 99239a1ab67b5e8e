//! The queue of a residents' service point (punkt obsługi mieszkańców): which ticket a
//! desk calls next, how long a newcomer is likely to wait, and whether a ticket taken
//! now can still be served before closing.
//!
//! No statute sets these rules; they follow the practice of Polish offices' queue
//! systems (systemy kolejkowe; research notes §4.1: Katowice's Urząd Wojewódzki stops
//! issuing tickets when the capacity before closing is used up and shows a dynamic
//! wait estimate; Kraków's and Olsztyn's booked visits ("U") go before walk-ins;
//! "obsługa z pierwszeństwem" for pregnant women, people with disabilities and holders
//! of the Karta Dużej Rodziny — the latter under art. 3 of the ustawa z 5 grudnia 2014
//! o Karcie Dużej Rodziny only where the office grants it; the policy is the office's,
//! so it is a flag on the ticket, not a rule about who qualifies).
//!
//! # Call-next order ([`next_for_desk`])
//!
//! Among the waiting tickets the desk may serve (a ticket transferred to this desk, or
//! a ticket of a category the desk serves and not transferred to another desk):
//!
//! 1. **booked visits at their time**: a booked ticket whose appointment has come,
//!    earliest appointment first (one booking = one matter at a promised time);
//! 2. **transfers to this desk**, oldest first (the resident was already served once);
//! 3. **priority service**, oldest ticket first;
//! 4. **walk-ins, first come per category, fair across categories**: the head (oldest)
//!    ticket of each category competes by its waiting time divided by the number of
//!    open desks serving that category. A desk serving `A` and `R`, where `A` has two
//!    more desks and `R` none, takes the `R` head unless the `A` head has waited over
//!    three times as long: every category's wait is evened out across the desks that
//!    can help, and no category starves (its head's score grows without bound);
//! 5. **booked visits before their time** last: a desk that has nothing else to do
//!    serves an early arrival rather than stand idle.
//!
//! Ties go to the lower ticket id (issued earlier), so the order is total.
//!
//! # Wait estimate ([`estimated_wait_minutes`])
//!
//! `wait = ⌈people ahead × mean service minutes ÷ desks⌉`, where
//!
//! - **mean service minutes** is [`mean_service_minutes`]: the mean of today's measured
//!   service times of the category, shrunk towards the configured typical time with the
//!   weight of [`PRIOR_WEIGHT`] visits (`(typical × k + Σ samples) ÷ (k + n)`). Early in
//!   the day, with a handful of visits, one long visit does not triple the estimate;
//!   by midday the measured times dominate. The live mean follows what the desks
//!   actually do today (a new form, a system outage) — the reason it is not a fixed
//!   number;
//! - **desks** is [`desk_share`]: each open desk serving the category counts
//!   `1 ÷ (number of categories it serves)`, since it divides its time between them;
//!   with no open desk (before the desks open) the configured desks count the same way,
//!   as they will open.
//!
//! This is the M/M/c-free "fluid" estimate queue systems show: it ignores randomness of
//! arrivals and service, which the shrunk mean partly absorbs, and it needs nothing the
//! office does not record.
//!
//! # Capacity before closing ([`capacity_left`])
//!
//! `⌊minutes to closing × desks ÷ mean service minutes⌋ − people waiting`: how many more
//! tickets the desks can serve today. The kiosk stops issuing for a category when it
//! reaches zero, as it stops at the daily quota.

/// How many visits the configured typical service time weighs in the live mean.
pub const PRIOR_WEIGHT: f64 = 5.0;

/// A waiting ticket, as far as the call order needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// The ticket's id; lower = issued earlier.
    pub id: i64,
    /// Its category now (a transfer may have changed it).
    pub category: i64,
    /// Seconds it has waited (since issue, or since check-in of a booked visit).
    pub waited_seconds: i64,
    /// Priority service (obsługa z pierwszeństwem).
    pub priority: bool,
    /// A booked visit: seconds until its appointment (≤ 0: its time has come).
    pub appointment_in_seconds: Option<i64>,
    /// Transferred to one desk: only that desk calls it.
    pub desk: Option<i64>,
}

/// A desk asking for its next ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Desk<'a> {
    /// The desk's id.
    pub id: i64,
    /// The categories it serves.
    pub serves: &'a [i64],
}

/// The ticket `desk` should call next from `waiting`, by the order in the module's
/// documentation; `open_desks_of(category)` is the number of open desks serving a
/// category (this desk included; taken as at least 1).
pub fn next_for_desk(
    desk: &Desk<'_>,
    waiting: &[Waiting],
    open_desks_of: impl Fn(i64) -> usize,
) -> Option<i64> {
    let mine = |w: &&Waiting| match w.desk {
        Some(d) => d == desk.id,
        None => desk.serves.contains(&w.category),
    };
    let eligible: Vec<&Waiting> = waiting.iter().filter(mine).collect();
    // 1. Booked visits whose time has come, earliest appointment first.
    if let Some(w) = eligible
        .iter()
        .filter(|w| w.appointment_in_seconds.is_some_and(|s| s <= 0))
        .min_by_key(|w| (w.appointment_in_seconds, w.id))
    {
        return Some(w.id);
    }
    let walk_in = |w: &&&Waiting| w.appointment_in_seconds.is_none();
    // 2. Transfers to this desk.
    if let Some(w) = eligible
        .iter()
        .filter(walk_in)
        .filter(|w| w.desk == Some(desk.id))
        .min_by_key(|w| (-w.waited_seconds, w.id))
    {
        return Some(w.id);
    }
    // 3. Priority service.
    if let Some(w) = eligible
        .iter()
        .filter(walk_in)
        .filter(|w| w.priority)
        .min_by_key(|w| (-w.waited_seconds, w.id))
    {
        return Some(w.id);
    }
    // 4. Walk-ins: the category head with the largest wait per open desk.
    let mut best: Option<(&Waiting, f64)> = None;
    for w in eligible.iter().filter(walk_in) {
        let head = eligible
            .iter()
            .filter(walk_in)
            .filter(|o| o.category == w.category)
            .all(|o| (o.waited_seconds, -o.id) <= (w.waited_seconds, -w.id));
        if !head {
            continue;
        }
        let desks = open_desks_of(w.category).max(1) as f64;
        let score = w.waited_seconds.max(0) as f64 / desks;
        let better = match best {
            None => true,
            Some((b, s)) => score > s || (score == s && w.id < b.id),
        };
        if better {
            best = Some((w, score));
        }
    }
    if let Some((w, _)) = best {
        return Some(w.id);
    }
    // 5. Booked visits before their time.
    eligible
        .iter()
        .filter(|w| w.appointment_in_seconds.is_some())
        .min_by_key(|w| (w.appointment_in_seconds, w.id))
        .map(|w| w.id)
}

/// The mean service time of a category in minutes: today's measured times shrunk
/// towards the configured typical time (weight [`PRIOR_WEIGHT`]). Never below half a
/// minute. Negative or non-finite samples are ignored.
pub fn mean_service_minutes(typical_minutes: u32, samples_minutes: &[f64]) -> f64 {
    let (sum, n) = samples_minutes
        .iter()
        .filter(|s| s.is_finite() && **s >= 0.0)
        .fold((0.0, 0.0), |(sum, n), s| (sum + s, n + 1.0));
    let mean = (f64::from(typical_minutes) * PRIOR_WEIGHT + sum) / (PRIOR_WEIGHT + n);
    mean.max(0.5)
}

/// The desks' capacity for `category`: each desk serving it counts `1 ÷ the number of
/// categories it serves`. `desks` lists each desk's categories.
pub fn desk_share(desks: &[&[i64]], category: i64) -> f64 {
    desks
        .iter()
        .filter(|serves| serves.contains(&category))
        .map(|serves| 1.0 / serves.len() as f64)
        .sum()
}

/// Minutes a resident with `ahead` people before them is likely to wait; `None` when no
/// desk serves the category at all.
pub fn estimated_wait_minutes(ahead: u32, mean_service_minutes: f64, desks: f64) -> Option<u32> {
    if desks <= 0.0 || !desks.is_finite() || !mean_service_minutes.is_finite() {
        return None;
    }
    let minutes = (f64::from(ahead) * mean_service_minutes / desks).ceil();
    Some(minutes.clamp(0.0, f64::from(u32::MAX)) as u32)
}

/// How many more tickets of a category the desks can serve before closing, with
/// `waiting` people already in its queue; 0 when the point is closed or no desk serves
/// the category.
pub fn capacity_left(
    minutes_to_close: i64,
    waiting: u32,
    mean_service_minutes: f64,
    desks: f64,
) -> u32 {
    if minutes_to_close <= 0 || desks <= 0.0 || mean_service_minutes <= 0.0 {
        return 0;
    }
    let servable = (minutes_to_close as f64 * desks / mean_service_minutes).floor();
    let servable = servable.clamp(0.0, f64::from(u32::MAX)) as u32;
    servable.saturating_sub(waiting)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const A: i64 = 1;
    const R: i64 = 2;

    fn walk_in(id: i64, category: i64, waited: i64) -> Waiting {
        Waiting {
            id,
            category,
            waited_seconds: waited,
            priority: false,
            appointment_in_seconds: None,
            desk: None,
        }
    }

    #[test]
    fn call_order() {
        let both = [A, R];
        let desk = Desk {
            id: 10,
            serves: &both,
        };
        let one_desk = |_| 1;
        // (what waits, expected)
        let booked_due = Waiting {
            appointment_in_seconds: Some(-60),
            ..walk_in(9, A, 30)
        };
        let booked_early = Waiting {
            appointment_in_seconds: Some(600),
            ..walk_in(8, A, 900)
        };
        let priority = Waiting {
            priority: true,
            ..walk_in(7, R, 10)
        };
        let to_me = Waiting {
            desk: Some(10),
            ..walk_in(6, 99, 5)
        };
        let to_other = Waiting {
            desk: Some(11),
            ..walk_in(5, A, 5000)
        };
        let cases: Vec<(Vec<Waiting>, Option<i64>)> = vec![
            (vec![], None),
            // First come within a category.
            (vec![walk_in(1, A, 300), walk_in(2, A, 200)], Some(1)),
            // Oldest head across categories when desks are equal.
            (vec![walk_in(1, A, 300), walk_in(2, R, 400)], Some(2)),
            // A category the desk does not serve is never called.
            (vec![walk_in(1, 3, 3000)], None),
            // Priority before walk-ins, however long they waited.
            (vec![walk_in(1, A, 3000), priority], Some(7)),
            // Transfers to this desk before priority; those to another desk never.
            (vec![priority, to_me, to_other], Some(6)),
            // A booked visit at its time before everything.
            (vec![priority, to_me, booked_due], Some(9)),
            // A booked visit before its time only when nothing else waits.
            (vec![walk_in(1, A, 10), booked_early], Some(1)),
            (vec![booked_early], Some(8)),
        ];
        for (waiting, expected) in cases {
            assert_eq!(
                next_for_desk(&desk, &waiting, one_desk),
                expected,
                "{waiting:?}"
            );
        }
    }

    #[test]
    fn fairness_weighs_the_other_desks() {
        let both = [A, R];
        let desk = Desk {
            id: 10,
            serves: &both,
        };
        // A has three open desks (this one and two more), R only this one.
        let desks = |c| if c == A { 3 } else { 1 };
        let waiting = [walk_in(1, A, 600), walk_in(2, R, 300)];
        assert_eq!(next_for_desk(&desk, &waiting, desks), Some(2));
        let waiting = [walk_in(1, A, 1200), walk_in(2, R, 300)];
        assert_eq!(next_for_desk(&desk, &waiting, desks), Some(1));
    }

    #[test]
    fn estimates() {
        // (ahead, mean, desks, expected)
        let cases = [
            (0, 6.0, 2.0, Some(0)),
            (1, 6.0, 1.0, Some(6)),
            (5, 6.0, 2.0, Some(15)),
            (3, 7.5, 1.5, Some(15)),
            (4, 6.0, 0.0, None),
        ];
        for (ahead, mean, desks, expected) in cases {
            assert_eq!(estimated_wait_minutes(ahead, mean, desks), expected);
        }
        assert_eq!(mean_service_minutes(6, &[]), 6.0);
        // Five visits of 12 minutes weigh as much as the typical 6.
        assert_eq!(mean_service_minutes(6, &[12.0; 5]), 9.0);
        assert_eq!(mean_service_minutes(6, &[f64::NAN, -1.0]), 6.0);
        let a_and_r: &[i64] = &[A, R];
        let only_a: &[i64] = &[A];
        assert_eq!(desk_share(&[a_and_r, only_a], A), 1.5);
        assert_eq!(desk_share(&[a_and_r, only_a], R), 0.5);
        assert_eq!(desk_share(&[only_a], R), 0.0);
        // 60 minutes, 2 desks, 6 minutes a visit: 20 visits, 5 already waiting.
        assert_eq!(capacity_left(60, 5, 6.0, 2.0), 15);
        assert_eq!(capacity_left(60, 25, 6.0, 2.0), 0);
        assert_eq!(capacity_left(0, 0, 6.0, 2.0), 0);
        assert_eq!(capacity_left(60, 0, 6.0, 0.0), 0);
    }

    fn arb_waiting() -> impl Strategy<Value = Vec<Waiting>> {
        prop::collection::vec(
            (
                1..4i64,
                0..7200i64,
                any::<bool>(),
                prop::option::of(-3600..3600i64),
                prop::option::of(10..13i64),
            ),
            0..30,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(
                    |(i, (category, waited, priority, appointment, desk))| Waiting {
                        id: i as i64 + 1,
                        category,
                        waited_seconds: waited,
                        priority,
                        appointment_in_seconds: appointment,
                        desk,
                    },
                )
                .collect()
        })
    }

    proptest! {
        #[test]
        fn a_call_is_always_one_the_desk_may_serve(waiting in arb_waiting(), serves in prop::collection::vec(1..4i64, 1..3)) {
            let desk = Desk { id: 10, serves: &serves };
            match next_for_desk(&desk, &waiting, |c| c as usize) {
                Some(id) => {
                    let w = waiting.iter().find(|w| w.id == id).unwrap();
                    prop_assert!(w.desk == Some(10) || (w.desk.is_none() && serves.contains(&w.category)));
                }
                None => prop_assert!(!waiting.iter().any(|w| w.desk == Some(10) || (w.desk.is_none() && serves.contains(&w.category)))),
            }
        }

        #[test]
        fn within_a_category_first_come_first_called(waited in prop::collection::vec(0..7200i64, 1..20)) {
            let waiting: Vec<Waiting> = waited.iter().enumerate().map(|(i, w)| walk_in(i as i64 + 1, A, *w)).collect();
            let serves = [A];
            let desk = Desk { id: 10, serves: &serves };
            let called = next_for_desk(&desk, &waiting, |_| 1).unwrap();
            let longest = waiting.iter().map(|w| w.waited_seconds).max().unwrap();
            prop_assert_eq!(waiting.iter().find(|w| w.id == called).unwrap().waited_seconds, longest);
        }

        #[test]
        fn the_wait_grows_with_the_queue_and_shrinks_with_desks(ahead in 0..500u32, mean in 0.5..60.0f64, desks in 0.25..20.0f64) {
            let wait = estimated_wait_minutes(ahead, mean, desks).unwrap();
            prop_assert!(estimated_wait_minutes(ahead + 1, mean, desks).unwrap() >= wait);
            prop_assert!(estimated_wait_minutes(ahead, mean, desks + 1.0).unwrap() <= wait);
            prop_assert_eq!(estimated_wait_minutes(0, mean, desks), Some(0));
        }

        #[test]
        fn the_live_mean_lies_between_the_typical_and_the_samples(typical in 1..60u32, samples in prop::collection::vec(0.0..120.0f64, 0..50)) {
            let mean = mean_service_minutes(typical, &samples);
            let low = samples.iter().copied().fold(f64::from(typical), f64::min).max(0.5);
            let high = samples.iter().copied().fold(f64::from(typical), f64::max).max(0.5);
            prop_assert!(mean >= low - 1e-9 && mean <= high + 1e-9);
        }

        #[test]
        fn capacity_is_used_up_by_waiting(minutes in 0..600i64, waiting in 0..200u32, mean in 0.5..60.0f64, desks in 0.25..10.0f64) {
            let left = capacity_left(minutes, waiting, mean, desks);
            prop_assert!(capacity_left(minutes, waiting + 1, mean, desks) <= left);
            prop_assert!(capacity_left(minutes + 1, waiting, mean, desks) >= left);
            // A ticket issued while capacity is left is served before closing.
            if left > 0 {
                let wait = estimated_wait_minutes(waiting, mean, desks).unwrap();
                prop_assert!(i64::from(wait) <= minutes);
            }
        }
    }
}
