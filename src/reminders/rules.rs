//! Who is reminded of which case, pure: from today's date, the reminder window and the
//! open cases, one digest per official (their own cases) and one per head of unit
//! (every case of the unit's subtree, grouped per official).
//!
//! Days are calendar days (KPA art. 57 § 1 counts terms in days; the due date already
//! moved past a Saturday or holiday by art. 57 § 4 when it was computed), measured by
//! `magistrat_domain::deadline::deadline_status`.
//!
//! Suspended cases are left out: while proceedings are suspended the term does not run
//! (KPA art. 35 § 5, art. 103) and the stored due date is computed again when they are
//! resumed, so a suspended case is neither "due soon" nor "overdue" — a reminder would
//! be wrong. The workload register counts them the same way.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use magistrat_domain::deadline::{DeadlineStatus, deadline_status};

/// An open case as the job reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenCase {
    pub id: i64,
    pub znak: String,
    pub title: String,
    pub unit_id: i64,
    pub official_id: Option<i64>,
    pub official_name: String,
    /// The date in force (after excluded periods and delay notices).
    pub due: Date,
    pub suspended: bool,
}

/// A case to mention, with where its deadline stands today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub case: OpenCase,
    pub status: DeadlineStatus,
}

impl Reminder {
    pub fn is_overdue(&self) -> bool {
        matches!(self.status, DeadlineStatus::Overdue { .. })
    }
}

/// A head of unit: their manager grants, each unit with its subtree already expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub user_id: i64,
    /// Symbols of the granted units, for the subject ("SA, FN").
    pub unit_symbols: Vec<String>,
    pub units: Vec<i64>,
}

/// Whose digest it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The official's own cases.
    Official,
    /// A head of unit: the cases of these units, grouped per official.
    Head { unit_symbols: Vec<String> },
}

/// One e-mail's worth of reminders for one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub user_id: i64,
    pub audience: Audience,
    /// Most overdue first, then by due date.
    pub overdue: Vec<Reminder>,
    /// Due today first, then by due date.
    pub due_soon: Vec<Reminder>,
}

impl Digest {
    /// The reminders grouped by official (unassigned cases under `None`), each group in
    /// the digest's order: overdue, then due soon. Groups by the official's name.
    pub fn by_official(&self) -> Vec<(Option<i64>, String, Vec<&Reminder>)> {
        let mut groups: BTreeMap<(String, Option<i64>), Vec<&Reminder>> = BTreeMap::new();
        for r in self.overdue.iter().chain(&self.due_soon) {
            groups
                .entry((r.case.official_name.clone(), r.case.official_id))
                .or_default()
                .push(r);
        }
        groups
            .into_iter()
            .map(|((name, id), list)| (id, name, list))
            .collect()
    }
}

/// Where `case` stands on `today` if it belongs in a reminder: overdue, due today or
/// due within `days_ahead` calendar days. `None` for later cases and suspended ones.
pub fn reminder_status(case: &OpenCase, today: Date, days_ahead: u32) -> Option<DeadlineStatus> {
    if case.suspended {
        return None;
    }
    let status = deadline_status(case.due, today);
    match status {
        DeadlineStatus::Running { days_left } if days_left > i64::from(days_ahead) => None,
        _ => Some(status),
    }
}

/// The digests of the day: one per official with a reminder, one per head of unit with
/// a reminder in their units. Nobody gets an empty digest.
pub fn digests(today: Date, days_ahead: u32, cases: &[OpenCase], heads: &[Head]) -> Vec<Digest> {
    let reminders: Vec<Reminder> = cases
        .iter()
        .filter_map(|case| {
            reminder_status(case, today, days_ahead).map(|status| Reminder {
                case: case.clone(),
                status,
            })
        })
        .collect();

    let mut per_official: HashMap<i64, Vec<Reminder>> = HashMap::new();
    for r in &reminders {
        if let Some(official) = r.case.official_id {
            per_official.entry(official).or_default().push(r.clone());
        }
    }
    let mut officials: Vec<i64> = per_official.keys().copied().collect();
    officials.sort_unstable();
    let mut out: Vec<Digest> = officials
        .into_iter()
        .map(|user_id| {
            let list = per_official.remove(&user_id).unwrap_or_default();
            digest(user_id, Audience::Official, list)
        })
        .collect();

    for head in heads {
        let list: Vec<Reminder> = reminders
            .iter()
            .filter(|r| head.units.contains(&r.case.unit_id))
            .cloned()
            .collect();
        if !list.is_empty() {
            out.push(digest(
                head.user_id,
                Audience::Head {
                    unit_symbols: head.unit_symbols.clone(),
                },
                list,
            ));
        }
    }
    out
}

fn digest(user_id: i64, audience: Audience, list: Vec<Reminder>) -> Digest {
    let (mut overdue, mut due_soon): (Vec<Reminder>, Vec<Reminder>) =
        list.into_iter().partition(Reminder::is_overdue);
    overdue.sort_by_key(|r| (r.case.due, r.case.id));
    due_soon.sort_by_key(|r| (r.case.due, r.case.id));
    Digest {
        user_id,
        audience,
        overdue,
        due_soon,
    }
}

/// `root` and every unit below it, from (unit, parent) pairs.
pub fn subtree(root: i64, parents: &HashMap<i64, Option<i64>>) -> Vec<i64> {
    let mut units: Vec<i64> = parents
        .keys()
        .copied()
        .filter(|&unit| {
            let mut at = Some(unit);
            // A cycle in bad data must not hang the job: the tree is at most as deep
            // as it has units.
            for _ in 0..=parents.len() {
                match at {
                    Some(u) if u == root => return true,
                    Some(u) => at = parents.get(&u).copied().flatten(),
                    None => return false,
                }
            }
            false
        })
        .collect();
    units.sort_unstable();
    units
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn case(id: i64, official: Option<i64>, unit: i64, due: Date) -> OpenCase {
        OpenCase {
            id,
            znak: format!("SA.1431.{id}.2026"),
            title: format!("Sprawa {id}"),
            unit_id: unit,
            official_id: official,
            official_name: official
                .map(|o| format!("Urzędnik {o}"))
                .unwrap_or_default(),
            due,
            suspended: false,
        }
    }

    #[test]
    fn window_edges_with_real_dates() {
        // Friday 6 November 2026; 11 November (Wednesday) is Independence Day.
        let friday = date(2026, 11, 6);
        let table: &[(Date, u32, bool, Option<DeadlineStatus>)] = &[
            // Due today.
            (friday, 3, false, Some(DeadlineStatus::DueToday)),
            // Due on Monday: 3 calendar days, the weekend counts.
            (
                date(2026, 11, 9),
                3,
                false,
                Some(DeadlineStatus::Running { days_left: 3 }),
            ),
            // Due Tuesday: N + 1 days, not yet.
            (date(2026, 11, 10), 3, false, None),
            // Due Thursday after the holiday: 6 days — in a 7-day window only.
            (
                date(2026, 11, 12),
                7,
                false,
                Some(DeadlineStatus::Running { days_left: 6 }),
            ),
            (date(2026, 11, 12), 5, false, None),
            // Yesterday: overdue by one day.
            (
                date(2026, 11, 5),
                3,
                false,
                Some(DeadlineStatus::Overdue { days_overdue: 1 }),
            ),
            // Long overdue across a month and a year boundary.
            (
                date(2025, 12, 31),
                3,
                false,
                Some(DeadlineStatus::Overdue { days_overdue: 310 }),
            ),
            // Suspended: the term does not run, whatever the stored date says.
            (date(2026, 11, 1), 3, true, None),
            (friday, 3, true, None),
            // A window of 0 days: only today and overdue.
            (friday, 0, false, Some(DeadlineStatus::DueToday)),
            (date(2026, 11, 7), 0, false, None),
        ];
        for (due, days_ahead, suspended, expected) in table {
            let c = OpenCase {
                suspended: *suspended,
                ..case(1, Some(1), 1, *due)
            };
            assert_eq!(
                reminder_status(&c, friday, *days_ahead),
                *expected,
                "due {due}, window {days_ahead}, suspended {suspended}"
            );
        }
    }

    #[test]
    fn end_of_march_clock_change_does_not_shift_days() {
        // Calendar days, not 24-hour periods: 29 March 2026 is 23 hours long in Warsaw.
        let c = case(1, Some(1), 1, date(2026, 3, 30));
        assert_eq!(
            reminder_status(&c, date(2026, 3, 28), 2),
            Some(DeadlineStatus::Running { days_left: 2 })
        );
    }

    #[test]
    fn one_digest_per_official_and_per_head() {
        let today = date(2026, 11, 30);
        // Units: 1 = SA (head: user 10), 2 = SA-I below SA, 3 = FN.
        let cases = vec![
            case(1, Some(20), 1, date(2026, 11, 20)), // overdue 10
            case(2, Some(20), 1, date(2026, 12, 2)),  // due in 2
            case(3, Some(21), 2, date(2026, 11, 30)), // due today
            case(4, None, 1, date(2026, 11, 29)),     // unassigned, overdue 1
            case(5, Some(22), 3, date(2026, 12, 1)),  // FN, not the head's
            case(6, Some(20), 1, date(2026, 12, 4)),  // 4 days: out of window
        ];
        let heads = vec![Head {
            user_id: 10,
            unit_symbols: vec!["SA".into()],
            units: vec![1, 2],
        }];
        let d = digests(today, 3, &cases, &heads);
        let ids = |list: &[Reminder]| list.iter().map(|r| r.case.id).collect::<Vec<_>>();
        assert_eq!(d.len(), 4, "{d:#?}");
        assert_eq!((d[0].user_id, &d[0].audience), (20, &Audience::Official));
        assert_eq!(ids(&d[0].overdue), vec![1]);
        assert_eq!(ids(&d[0].due_soon), vec![2]);
        assert_eq!(d[1].user_id, 21);
        assert_eq!(ids(&d[1].due_soon), vec![3]);
        assert_eq!(d[2].user_id, 22);
        assert_eq!(ids(&d[2].due_soon), vec![5]);
        let head = &d[3];
        assert_eq!(head.user_id, 10);
        assert_eq!(
            head.audience,
            Audience::Head {
                unit_symbols: vec!["SA".into()]
            }
        );
        assert_eq!(ids(&head.overdue), vec![1, 4]);
        assert_eq!(ids(&head.due_soon), vec![3, 2]);
        let groups = head.by_official();
        let names: Vec<&str> = groups.iter().map(|(_, n, _)| n.as_str()).collect();
        // Unassigned first (empty name), then by name.
        assert_eq!(names, vec!["", "Urzędnik 20", "Urzędnik 21"]);
        assert_eq!(groups[1].2.len(), 2);
    }

    #[test]
    fn nobody_gets_an_empty_digest() {
        let today = date(2026, 11, 30);
        let cases = vec![case(1, Some(20), 1, date(2026, 12, 31))];
        let heads = vec![Head {
            user_id: 10,
            unit_symbols: vec!["SA".into()],
            units: vec![1],
        }];
        assert!(digests(today, 3, &cases, &heads).is_empty());
    }

    #[test]
    fn subtrees() {
        let parents: HashMap<i64, Option<i64>> = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, None),
            (5, Some(4)),
        ]
        .into();
        assert_eq!(subtree(1, &parents), vec![1, 2, 3]);
        assert_eq!(subtree(2, &parents), vec![2, 3]);
        assert_eq!(subtree(4, &parents), vec![4, 5]);
        let cycle: HashMap<i64, Option<i64>> = [(1, Some(2)), (2, Some(1))].into();
        assert_eq!(subtree(3, &cycle), Vec::<i64>::new());
    }

    proptest! {
        /// Every case in a digest is overdue or within the window; every case left out
        /// is suspended or later than the window; each official digest holds only
        /// that official's cases.
        #[test]
        fn digests_hold_exactly_the_cases_in_the_window(
            offsets in proptest::collection::vec((-40i64..40, 0i64..3, any::<bool>()), 0..30),
            days_ahead in 0u32..10,
        ) {
            let today = date(2026, 11, 30);
            let cases: Vec<OpenCase> = offsets
                .iter()
                .enumerate()
                .map(|(i, (offset, official, suspended))| OpenCase {
                    suspended: *suspended,
                    ..case(
                        i64::try_from(i).unwrap(),
                        Some(*official),
                        1,
                        today.checked_add(jiff::Span::new().days(*offset)).unwrap(),
                    )
                })
                .collect();
            let d = digests(today, days_ahead, &cases, &[]);
            let mentioned: Vec<i64> = d
                .iter()
                .flat_map(|g| g.overdue.iter().chain(&g.due_soon))
                .map(|r| r.case.id)
                .collect();
            for (c, (offset, _, suspended)) in cases.iter().zip(&offsets) {
                let expected = !suspended && *offset <= i64::from(days_ahead);
                prop_assert_eq!(mentioned.contains(&c.id), expected);
            }
            for g in &d {
                for r in g.overdue.iter().chain(&g.due_soon) {
                    prop_assert_eq!(r.case.official_id, Some(g.user_id));
                }
                prop_assert!(g.overdue.iter().all(|r| r.case.due < today));
                prop_assert!(g.due_soon.iter().all(|r| r.case.due >= today));
            }
        }
    }
}
