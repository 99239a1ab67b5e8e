//! Booking a visit at a residents' service point (rezerwacja wizyty): which slots a day
//! offers, which days may be booked, the booking code, whether a resident arriving now
//! still has their slot, and the iCalendar event sent with the confirmation.
//!
//! No statute sets these rules; they follow the practice of Polish offices' booking
//! systems (research notes §4.1: Kraków's and Olsztyn's POM book visits "na konkretną
//! godzinę" for one matter, from the next day up to a few weeks ahead, and a resident
//! who comes later than a few minutes after the booked time loses the slot and takes
//! an ordinary ticket).
//!
//! # Slots ([`day_slots`])
//!
//! A bookable category's day is cut into slots of its typical service time, from
//! opening until the last slot that still ends by closing; one booking is one matter,
//! so one slot is one visit's time. Every active desk serving the category can take
//! one booked visit per slot: the capacity of a slot is the number of those desks.
//! On the day itself slots that have begun are not offered.
//!
//! # Booking window ([`Window`])
//!
//! Days from `first_day` to `last_day` days after today (by default from tomorrow up to
//! 14 days ahead), and only days the point is open (the caller passes the hours, which
//! it has from the location's hours, closing days and public holidays).
//!
//! # Arrival ([`arrival`])
//!
//! A resident may check in any time earlier on the booked day (the desks serve early
//! arrivals when they are idle, `queue::next_for_desk` step 5) and up to `grace`
//! minutes after the booked time; later the slot is lost.

use std::fmt::Write as _;

use jiff::civil::{Date, DateTime, Time};

/// The booking window: from `first_day` up to `last_day` days after today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The first day that may be booked, in days after today (0: today).
    pub first_day: u32,
    /// The last day that may be booked, in days after today.
    pub last_day: u32,
}

impl Default for Window {
    /// From tomorrow up to 14 days ahead.
    fn default() -> Self {
        Self {
            first_day: 1,
            last_day: 14,
        }
    }
}

impl Window {
    /// Whether `day` may be booked on `today`.
    pub fn allows(&self, today: Date, day: Date) -> bool {
        let Ok(span) = today.until(day) else {
            return false;
        };
        let days = i64::from(span.get_days());
        days >= i64::from(self.first_day) && days <= i64::from(self.last_day)
    }

    /// The days that may be booked on `today`, first to last.
    pub fn days(&self, today: Date) -> Vec<Date> {
        (self.first_day..=self.last_day)
            .filter_map(|n| today.checked_add(jiff::Span::new().days(i64::from(n))).ok())
            .collect()
    }
}

/// One slot of a day: when it starts, how many visits it takes and how many are left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// When the slot starts (the office's wall clock).
    pub start: Time,
    /// Visits it takes: the desks serving the category.
    pub capacity: u32,
    /// Places not booked yet.
    pub available: u32,
}

/// The slots of a day open `opens`–`closes` for a category of `service_minutes`,
/// `desks` desks serving it, with `booked(start)` places already taken; `now` (on the
/// day itself) leaves out slots that have begun.
pub fn day_slots(
    opens: Time,
    closes: Time,
    service_minutes: u32,
    desks: u32,
    now: Option<Time>,
    booked: impl Fn(Time) -> u32,
) -> Vec<Slot> {
    let mut out = Vec::new();
    if service_minutes == 0 || desks == 0 {
        return out;
    }
    let step = i32::try_from(service_minutes).unwrap_or(i32::MAX);
    let (open, close) = (minute_of(opens), minute_of(closes));
    let mut start = open;
    while start.saturating_add(step) <= close {
        let Some(time) = time_of(start) else { break };
        if now.is_none_or(|n| time > n) {
            let taken = booked(time);
            out.push(Slot {
                start: time,
                capacity: desks,
                available: desks.saturating_sub(taken),
            });
        }
        start = start.saturating_add(step);
    }
    out
}

fn minute_of(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

fn time_of(minute: i32) -> Option<Time> {
    let hour = i8::try_from(minute / 60).ok()?;
    let min = i8::try_from(minute % 60).ok()?;
    Time::new(hour, min, 0, 0).ok()
}

/// A booking code: six digits, the first not zero (read aloud and typed at the kiosk
/// without doubt about a leading zero), from a random number.
pub fn booking_code(random: u64) -> String {
    format!("{}", 100_000 + random % 900_000)
}

/// What a resident typed at the kiosk to check in: a booking code (6 digits), a PESEL
/// (11 digits) or a phone number (9 digits after leaving out spaces, dashes and a
/// leading +48 or 0048).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckInKey {
    /// Six digits.
    Code(String),
    /// Eleven digits with a valid check digit.
    Pesel(String),
    /// Nine digits.
    Phone(String),
}

impl CheckInKey {
    /// Reads what was typed; None when it is none of the three.
    pub fn parse(typed: &str) -> Option<Self> {
        let compact: String = typed
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        if let Some(phone) = phone_digits(&compact) {
            return Some(Self::Phone(phone));
        }
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match compact.len() {
            6 => Some(Self::Code(compact)),
            11 => crate::identifiers::Pesel::parse(&compact)
                .ok()
                .map(|_| Self::Pesel(compact)),
            _ => None,
        }
    }
}

/// A Polish phone number's nine digits, from what a form or the kiosk got (spaces,
/// dashes, brackets and a leading `+48` / `0048` allowed); None otherwise.
pub fn phone_digits(typed: &str) -> Option<String> {
    let compact: String = typed
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let national = compact
        .strip_prefix("+48")
        .or_else(|| compact.strip_prefix("0048"))
        .unwrap_or(&compact);
    (national.len() == 9 && national.chars().all(|c| c.is_ascii_digit()))
        .then(|| national.to_owned())
}

/// A resident arriving at a booked visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival {
    /// Before the booked time, or within the grace minutes after it: checked in.
    InTime,
    /// More than the grace minutes late: the slot is lost.
    TooLate,
    /// Not on the booked day.
    OtherDay,
}

/// Whether a resident arriving at `now` still has the visit booked for `start` (both
/// on the office's wall clock), with `grace_minutes` of grace.
pub fn arrival(now: DateTime, start: DateTime, grace_minutes: u32) -> Arrival {
    if now.date() != start.date() {
        return Arrival::OtherDay;
    }
    let late_seconds = now.duration_since(start).as_secs();
    if late_seconds <= i64::from(grace_minutes) * 60 {
        Arrival::InTime
    } else {
        Arrival::TooLate
    }
}

/// An event of an iCalendar file (RFC 5545).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent<'a> {
    /// Globally unique (§3.8.4.7), e.g. `booking-<token>@host`.
    pub uid: &'a str,
    /// UTC times as `YYYYMMDDTHHMMSSZ` (§3.3.5, form #2: no time zone definition needed).
    pub stamp: &'a str,
    /// When it starts (UTC form).
    pub start: &'a str,
    /// When it ends (UTC form).
    pub end: &'a str,
    /// Its title.
    pub summary: &'a str,
    /// Where.
    pub location: &'a str,
    /// Its text: lines joined by `\n`.
    pub description: &'a str,
}

/// The iCalendar file of one event: CRLF line ends, TEXT values escaped (§3.3.11) and
/// lines folded at 75 octets (§3.1), never inside a UTF-8 character.
pub fn ics(event: &CalendarEvent<'_>) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| fold(&mut out, &format!("{name}:{value}"));
    line("BEGIN", "VCALENDAR");
    line("VERSION", "2.0");
    line("PRODID", "-//Magistrat//Rezerwacja wizyty//PL");
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line("BEGIN", "VEVENT");
    line("UID", &escape_text(event.uid));
    line("DTSTAMP", event.stamp);
    line("DTSTART", event.start);
    line("DTEND", event.end);
    line("SUMMARY", &escape_text(event.summary));
    line("LOCATION", &escape_text(event.location));
    line("DESCRIPTION", &escape_text(event.description));
    line("END", "VEVENT");
    line("END", "VCALENDAR");
    out
}

/// A TEXT value: backslash, semicolon and comma escaped, line ends as `\n`, other
/// control characters left out.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `content` as one or more lines of at most 75 octets each (a continuation
/// line starts with a space, which counts).
fn fold(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// An instant's UTC form for iCalendar from its parts (`YYYYMMDDTHHMMSSZ`).
pub fn ics_utc(utc: DateTime) -> String {
    let mut s = String::with_capacity(16);
    let _ = write!(
        s,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use proptest::prelude::*;

    #[test]
    fn slots_of_a_day() {
        // (opens, closes, minutes, desks, now, expected starts)
        type Case = (Time, Time, u32, u32, Option<Time>, Vec<Time>);
        let cases: Vec<Case> = vec![
            (
                time(8, 0, 0, 0),
                time(9, 0, 0, 0),
                20,
                1,
                None,
                vec![time(8, 0, 0, 0), time(8, 20, 0, 0), time(8, 40, 0, 0)],
            ),
            // The last slot must end by closing: 07:30–08:15 with 12 minutes: 3 slots.
            (
                time(7, 30, 0, 0),
                time(8, 15, 0, 0),
                12,
                2,
                None,
                vec![time(7, 30, 0, 0), time(7, 42, 0, 0), time(7, 54, 0, 0)],
            ),
            // No desk serves it: nothing to book.
            (time(8, 0, 0, 0), time(9, 0, 0, 0), 20, 0, None, vec![]),
            // Today at 08:20: the 08:20 slot has begun.
            (
                time(8, 0, 0, 0),
                time(9, 0, 0, 0),
                20,
                1,
                Some(time(8, 20, 0, 0)),
                vec![time(8, 40, 0, 0)],
            ),
            // A visit longer than the day.
            (time(8, 0, 0, 0), time(8, 10, 0, 0), 20, 1, None, vec![]),
        ];
        for (opens, closes, minutes, desks, now, expected) in cases {
            let starts: Vec<Time> = day_slots(opens, closes, minutes, desks, now, |_| 0)
                .iter()
                .map(|s| s.start)
                .collect();
            assert_eq!(starts, expected, "{opens}–{closes} by {minutes}");
        }
        let slots = day_slots(time(8, 0, 0, 0), time(9, 0, 0, 0), 30, 2, None, |t| {
            if t == time(8, 30, 0, 0) { 2 } else { 1 }
        });
        assert_eq!(
            slots,
            vec![
                Slot {
                    start: time(8, 0, 0, 0),
                    capacity: 2,
                    available: 1
                },
                Slot {
                    start: time(8, 30, 0, 0),
                    capacity: 2,
                    available: 0
                },
            ]
        );
    }

    #[test]
    fn booking_window() {
        let today = date(2026, 12, 4);
        let w = Window::default();
        // (day, allowed)
        let cases = [
            (date(2026, 12, 4), false),
            (date(2026, 12, 5), true),
            (date(2026, 12, 18), true),
            (date(2026, 12, 19), false),
            (date(2026, 12, 3), false),
            (date(2027, 1, 4), false),
        ];
        for (day, allowed) in cases {
            assert_eq!(w.allows(today, day), allowed, "{day}");
        }
        assert_eq!(w.days(today).len(), 14);
        assert_eq!(w.days(today)[0], date(2026, 12, 5));
        let same_day = Window {
            first_day: 0,
            last_day: 0,
        };
        assert!(same_day.allows(today, today));
        // Across the year's end.
        assert!(w.allows(date(2026, 12, 28), date(2027, 1, 11)));
    }

    #[test]
    fn check_in_keys() {
        let cases = [
            ("482913", Some(CheckInKey::Code("482913".into()))),
            (" 482 913 ", Some(CheckInKey::Code("482913".into()))),
            ("44051401359", Some(CheckInKey::Pesel("44051401359".into()))),
            ("44051401358", None), // wrong check digit
            ("601 234 567", Some(CheckInKey::Phone("601234567".into()))),
            (
                "+48 601-234-567",
                Some(CheckInKey::Phone("601234567".into())),
            ),
            ("0048601234567", Some(CheckInKey::Phone("601234567".into()))),
            ("12345", None),
            ("abcdef", None),
            ("", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(CheckInKey::parse(typed), expected, "{typed:?}");
        }
        assert_eq!(phone_digits("(22) 123 45 67"), Some("221234567".into()));
        assert_eq!(phone_digits("+49 601234567"), None);
    }

    #[test]
    fn arrivals() {
        let start = date(2026, 12, 9).at(10, 0, 0, 0);
        // (now, grace, expected)
        let cases = [
            (date(2026, 12, 9).at(8, 0, 0, 0), 10, Arrival::InTime),
            (date(2026, 12, 9).at(10, 0, 0, 0), 10, Arrival::InTime),
            (date(2026, 12, 9).at(10, 10, 0, 0), 10, Arrival::InTime),
            (date(2026, 12, 9).at(10, 10, 1, 0), 10, Arrival::TooLate),
            (date(2026, 12, 9).at(11, 0, 0, 0), 10, Arrival::TooLate),
            (date(2026, 12, 9).at(10, 0, 1, 0), 0, Arrival::TooLate),
            (date(2026, 12, 8).at(10, 0, 0, 0), 10, Arrival::OtherDay),
            (date(2026, 12, 10).at(9, 0, 0, 0), 10, Arrival::OtherDay),
        ];
        for (now, grace, expected) in cases {
            assert_eq!(arrival(now, start, grace), expected, "{now} +{grace}");
        }
    }

    #[test]
    fn booking_codes_have_six_digits() {
        for (random, code) in [(0, "100000"), (899_999, "999999"), (900_000, "100000")] {
            assert_eq!(booking_code(random), code);
        }
    }

    #[test]
    fn calendar_file() {
        let event = CalendarEvent {
            uid: "booking-abc@urzad.example.pl",
            stamp: "20261204T124500Z",
            start: &ics_utc(date(2026, 12, 9).at(9, 0, 0, 0)),
            end: "20261209T091200Z",
            summary: "Wizyta: Dowód osobisty, kod 482913",
            location: "Urząd Miasta; ul. Rynek 1, 00-001 Wzorowo",
            description: "Zabierz:\n- zdjęcie\n- stary dowód",
        };
        let text = ics(&event);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261209T090000Z\r\n"));
        assert!(text.contains("SUMMARY:Wizyta: Dowód osobisty\\, kod 482913\r\n"));
        assert!(text.contains("LOCATION:Urząd Miasta\\; ul. Rynek 1\\, 00-001 Wzorowo\r\n"));
        assert!(text.contains("DESCRIPTION:Zabierz:\\n- zdjęcie\\n- stary dowód\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }

    proptest! {
        #[test]
        fn folded_lines_are_short_and_unfold_to_the_text(text in "\\PC{0,300}") {
            let mut out = String::new();
            fold(&mut out, &text);
            for line in out.split("\r\n") {
                prop_assert!(line.len() <= 75);
            }
            let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
            prop_assert_eq!(unfolded, text);
        }

        #[test]
        fn escaped_text_has_no_bare_separators(text in "\\PC{0,100}") {
            let escaped = escape_text(&text);
            let mut chars = escaped.chars();
            while let Some(c) = chars.next() {
                prop_assert!(!c.is_control());
                if c == '\\' {
                    let next = chars.next();
                    prop_assert!(matches!(next, Some('\\' | ';' | ',' | 'n')));
                } else {
                    prop_assert!(c != ';' && c != ',');
                }
            }
        }

        #[test]
        fn slots_fit_the_day_and_never_exceed_capacity(
            opens in 360..720i32, length in 0..600i32, minutes in 1..120u32,
            desks in 0..5u32, taken in 0..8u32,
        ) {
            let opens_t = time_of(opens).unwrap();
            let closes_t = time_of((opens + length).min(23 * 60 + 59)).unwrap();
            let slots = day_slots(opens_t, closes_t, minutes, desks, None, |_| taken);
            for s in &slots {
                prop_assert!(s.start >= opens_t);
                prop_assert!(minute_of(s.start) + i32::try_from(minutes).unwrap() <= minute_of(closes_t));
                prop_assert!(s.available <= s.capacity);
                prop_assert_eq!(s.available, desks.saturating_sub(taken));
            }
            let expected = if desks == 0 { 0 } else {
                usize::try_from((minute_of(closes_t) - opens).max(0) / i32::try_from(minutes).unwrap()).unwrap()
            };
            prop_assert_eq!(slots.len(), expected);
        }

        #[test]
        fn the_window_holds_exactly_its_days(first in 0..5u32, extra in 0..30u32, offset in -40..60i64) {
            let w = Window { first_day: first, last_day: first + extra };
            let today = date(2026, 3, 27);
            let day = today.checked_add(jiff::Span::new().days(offset)).unwrap();
            let inside = offset >= i64::from(first) && offset <= i64::from(first + extra);
            prop_assert_eq!(w.allows(today, day), inside);
            prop_assert_eq!(w.days(today).contains(&day), inside);
        }

        #[test]
        fn later_never_turns_too_late_into_in_time(grace in 0..60u32, a in 0..600i64, b in 0..600i64) {
            let start = date(2026, 12, 9).at(10, 0, 0, 0);
            let (early, late) = (a.min(b), a.max(b));
            let at = |m: i64| start.checked_add(jiff::Span::new().minutes(m)).unwrap();
            if arrival(at(early), start, grace) == Arrival::TooLate {
                prop_assert_eq!(arrival(at(late), start, grace), Arrival::TooLate);
            }
        }
    }
}
