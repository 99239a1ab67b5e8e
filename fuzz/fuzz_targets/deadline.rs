//! Deadline engine on arbitrary starts (1990–2100), terms and excluded ranges.
//!
//! Checks, besides "never panics": `Term` and `parse_date` round-trip; the due date
//! equals a slow day-by-day model of KPA art. 57 + art. 35 § 5; for non-immediate terms
//! it is after the start, not a Saturday / Sunday / holiday, not inside an excluded
//! range; adding a range never makes it earlier; it is monotonic in the start date
//! (without ranges for every term, with ranges for days and weeks — see the module docs
//! of `deadline` for why months are exempt).
#![no_main]

use arbitrary::Arbitrary;
use jiff::SignedDuration;
use jiff::civil::{Date, date};
use libfuzzer_sys::fuzz_target;
use magistrat_domain::calendar::is_non_term_day;
use magistrat_domain::deadline::{DateRange, Term, due_date, parse_date};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    term_text: &'a str,
    date_text: &'a str,
    start_offset: u16,
    term_kind: u8,
    term_len: u16,
    ranges: Vec<(i16, u8)>,
    extra_range: (i16, u8),
}

fn add(d: Date, days: i64) -> Date {
    d.checked_add(SignedDuration::from_hours(24 * days))
        .unwrap_or(d)
}

fn range_at(start: Date, (off, len): (i16, u8)) -> DateRange {
    let a = add(start, i64::from(off % 700));
    let b = add(a, i64::from(len % 90));
    DateRange::new(a, b).expect("a <= b")
}

fn nominal(start: Date, term: Term) -> Date {
    match term {
        Term::Immediately => start,
        Term::Days(n) => add(start, i64::from(n)),
        Term::Weeks(n) => add(start, 7 * i64::from(n)),
        Term::Months(n) => {
            let idx = i64::from(start.year()) * 12 + i64::from(start.month() - 1) + i64::from(n);
            let (y, m) = ((idx / 12) as i16, (idx % 12 + 1) as i8);
            let last = Date::new(y, m, 1).expect("month").days_in_month();
            Date::new(y, m, start.day().min(last)).expect("day")
        }
    }
}

/// Slow model: count running days one by one, then move off excluded and non-term days.
fn model(start: Date, term: Term, ex: &[DateRange]) -> Date {
    if term.is_immediate() {
        return start;
    }
    let running = nominal(start, term).duration_since(start).as_hours() / 24;
    let excluded = |d: Date| ex.iter().any(|r| r.contains(d));
    let (mut day, mut counted) = (start, 0);
    while counted < running {
        day = add(day, 1);
        if !excluded(day) {
            counted += 1;
        }
    }
    while excluded(day) || is_non_term_day(day) {
        day = add(day, 1);
    }
    day
}

fuzz_target!(|input: Input<'_>| {
    if let Ok(t) = input.term_text.parse::<Term>() {
        assert_eq!(t.to_string().parse::<Term>(), Ok(t));
    }
    if let Ok(d) = parse_date(input.date_text) {
        assert_eq!(d.to_string(), input.date_text);
    }

    let start = add(
        date(1990, 1, 1),
        i64::from(input.start_offset) % (110 * 365),
    );
    let n = u32::from(input.term_len);
    let term = match input.term_kind % 4 {
        0 => Term::Immediately,
        1 => Term::Days(1 + n % 800),
        2 => Term::Weeks(1 + n % 120),
        _ => Term::Months(1 + n % 48),
    };
    let ranges: Vec<DateRange> = input
        .ranges
        .iter()
        .take(8)
        .map(|r| range_at(start, *r))
        .collect();

    let due = due_date(start, term, &ranges).expect("in range");
    assert_eq!(due, model(start, term, &ranges), "model mismatch");
    if term.is_immediate() {
        assert_eq!(due, start);
    } else {
        assert!(due > start);
        assert!(!is_non_term_day(due));
        assert!(!ranges.iter().any(|r| r.contains(due)));
    }

    let mut more = ranges.clone();
    more.push(range_at(start, input.extra_range));
    assert!(
        due_date(start, term, &more).expect("in range") >= due,
        "range made it earlier"
    );

    let next = add(start, 1);
    assert!(
        due_date(next, term, &[]).expect("in range")
            >= due_date(start, term, &[]).expect("in range")
    );
    if matches!(term, Term::Days(_) | Term::Weeks(_)) {
        assert!(
            due_date(next, term, &ranges).expect("in range") >= due,
            "not monotonic"
        );
    }
});
