//! Polish statutory days off and the office's own closing days.
//!
//! Statutory days off are fixed by the ustawa z 18 stycznia 1951 r. o dniach wolnych od
//! pracy (Dz.U. 1951 nr 4 poz. 28 ze zm.), art. 1: the holidays of pkt 1 (table
//! [`crate::rules::HOLIDAY_RULES`]) and all Sundays (pkt 2). Only these, together with
//! Saturdays, move the end of a KPA term (art. 57 § 4; see [`crate::deadline`]).
//!
//! An office's own closing days — the day off given to staff for a holiday falling on a
//! Saturday (Kodeks pracy art. 130 § 2), a closing ordered by the mayor — are **not**
//! statutory days off: they do not move legal deadlines. They live in a separate
//! [`WorkCalendar`], consulted for opening hours, booking and queue screens, never by the
//! deadline engine.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::days::{add_days, next_day};
use crate::rules::{HOLIDAY_RULES, HolidayDate, HolidayRule};

/// A statutory public holiday on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// Name as in the act.
    pub name_pl: &'static str,
    /// English name.
    pub name_en: &'static str,
}

/// Lowest and highest year jiff can represent; inputs outside are clamped or yield nothing.
const MIN_YEAR: i16 = -9999;
const MAX_YEAR: i16 = 9999;

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous Gregorian
/// algorithm (Meeus/Jones/Butcher). Meaningful for years from 1583; years outside
/// jiff's range (-9999..=9999) are clamped into it.
pub fn easter_sunday(year: i16) -> Date {
    let year = year.clamp(MIN_YEAR, MAX_YEAR);
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // h ∈ 0..30, l ∈ 0..7, m ∈ 0..2, so n ∈ 100..151: month 3 or 4, day 1..=31 of March
    // or 1..=26 of April — always a real date. The fallbacks below are unreachable.
    let month = i8::try_from(n / 31).unwrap_or(4);
    let day = i8::try_from(n % 31 + 1).unwrap_or(1);
    Date::new(year, month, day).unwrap_or(Date::MIN)
}

/// The date of `rule` in `year`, if the rule applies that year.
fn rule_date(rule: &HolidayRule, year: i16, easter: Date) -> Option<Date> {
    if !rule.applies_in(year) {
        return None;
    }
    match rule.date {
        HolidayDate::Fixed { month, day } => Date::new(year, month, day).ok(),
        HolidayDate::EasterOffset(offset) => add_days(easter, i64::from(offset)),
    }
}

fn holiday_from(rule: &HolidayRule, date: Date) -> Holiday {
    Holiday {
        date,
        name_pl: rule.name_pl,
        name_en: rule.name_en,
    }
}

/// Statutory public holidays of `year` (art. 1 pkt 1 of the holidays act), sorted by
/// date; Sundays are days off too but are not listed. Empty outside -9999..=9999.
pub fn public_holidays(year: i16) -> Vec<Holiday> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Vec::new();
    }
    let easter = easter_sunday(year);
    let mut days: Vec<Holiday> = HOLIDAY_RULES
        .iter()
        .filter_map(|rule| rule_date(rule, year, easter).map(|d| holiday_from(rule, d)))
        .filter(|h| h.date.year() == year)
        .collect();
    days.sort_by_key(|h| h.date);
    days
}

/// The statutory public holiday on `date`, if any (Sundays excluded).
pub fn holiday_on(date: Date) -> Option<Holiday> {
    let year = date.year();
    let easter = easter_sunday(year);
    HOLIDAY_RULES.iter().find_map(|rule| {
        (rule_date(rule, year, easter) == Some(date)).then(|| holiday_from(rule, date))
    })
}

/// Whether `date` is a statutory public holiday (art. 1 pkt 1; Sundays not included).
pub fn is_public_holiday(date: Date) -> bool {
    holiday_on(date).is_some()
}

/// Whether `date` is a statutory day off: a Sunday (art. 1 pkt 2) or a public holiday
/// (art. 1 pkt 1) — "dzień ustawowo wolny od pracy".
pub fn is_sunday_or_holiday(date: Date) -> bool {
    date.weekday() == Weekday::Sunday || is_public_holiday(date)
}

/// Whether `date` is a Saturday.
pub fn is_saturday(date: Date) -> bool {
    date.weekday() == Weekday::Saturday
}

/// Whether a term may not end on `date` (KPA art. 57 § 4): a statutory day off or a
/// Saturday.
pub fn is_non_term_day(date: Date) -> bool {
    is_saturday(date) || is_sunday_or_holiday(date)
}

/// Holidays of `year` that fall on a Saturday. For each, an employer — the office too —
/// gives staff another day off (Kodeks pracy art. 130 § 2) \[LIKELY\]; the
/// office records that day in its [`WorkCalendar`]. It is not a statutory day off.
pub fn holidays_on_saturday(year: i16) -> Vec<Holiday> {
    public_holidays(year)
        .into_iter()
        .filter(|h| is_saturday(h.date))
        .collect()
}

/// An office's working calendar: statutory days off (computed, read-only) plus the
/// office's own closing days (data, kept apart).
///
/// ```
/// use jiff::civil::date;
/// use magistrat_domain::calendar::WorkCalendar;
///
/// let mut cal = WorkCalendar::new();
/// // 15 August 2026 is a Saturday: staff get 14 August off instead.
/// cal.add_closing_day(date(2026, 8, 14), "dzień wolny za święto 15 sierpnia");
/// assert!(!cal.is_office_open(date(2026, 8, 14)));
/// assert!(!cal.is_statutory_day_off(date(2026, 8, 14))); // deadlines do not move
/// assert!(cal.is_statutory_day_off(date(2026, 8, 15)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    closing_days: BTreeMap<Date, String>,
    open_on_saturdays: bool,
}

impl WorkCalendar {
    /// A calendar with no closing days, closed on Saturdays.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `date` as an office closing day with a reason shown to residents. Returns
    /// `false` (and replaces the reason) if the day was already a closing day.
    pub fn add_closing_day(&mut self, date: Date, reason: impl Into<String>) -> bool {
        self.closing_days.insert(date, reason.into()).is_none()
    }

    /// Removes a closing day; returns whether it was there.
    pub fn remove_closing_day(&mut self, date: Date) -> bool {
        self.closing_days.remove(&date).is_some()
    }

    /// Sets whether the office opens on Saturdays that are not holidays.
    pub fn set_open_on_saturdays(&mut self, open: bool) {
        self.open_on_saturdays = open;
    }

    /// Whether the office opens on Saturdays.
    pub fn open_on_saturdays(&self) -> bool {
        self.open_on_saturdays
    }

    /// The office's closing days in date order, with their reasons.
    pub fn closing_days(&self) -> impl Iterator<Item = (Date, &str)> {
        self.closing_days.iter().map(|(d, r)| (*d, r.as_str()))
    }

    /// The reason the office is closed on `date`, if it is one of its closing days.
    pub fn closing_reason(&self, date: Date) -> Option<&str> {
        self.closing_days.get(&date).map(String::as_str)
    }

    /// Whether `date` is a statutory day off (Sunday or public holiday). Office closing
    /// days never count: this is the answer that matters for legal terms.
    pub fn is_statutory_day_off(&self, date: Date) -> bool {
        is_sunday_or_holiday(date)
    }

    /// Whether `date` is one of the office's own closing days.
    pub fn is_office_closing_day(&self, date: Date) -> bool {
        self.closing_days.contains_key(&date)
    }

    /// Whether the office serves residents on `date`: not a statutory day off, not a
    /// Saturday (unless configured), not a closing day.
    pub fn is_office_open(&self, date: Date) -> bool {
        !self.is_statutory_day_off(date)
            && (self.open_on_saturdays || !is_saturday(date))
            && !self.is_office_closing_day(date)
    }

    /// The first day on or after `date` when the office is open; `None` if there is
    /// none within a year (a misconfigured calendar) or the date range ends.
    pub fn next_open_day(&self, date: Date) -> Option<Date> {
        let mut day = date;
        for _ in 0..=366 {
            if self.is_office_open(day) {
                return Some(day);
            }
            day = next_day(day)?;
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn easter_dates() {
        // Known Easter Sundays (Gregorian).
        let known = [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2022, 4, 17),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2029, 4, 1),
            (2030, 4, 21),
            (2038, 4, 25),
            (2285, 3, 22),
        ];
        for (y, m, d) in known {
            assert_eq!(easter_sunday(y), date(y, m, d), "Easter {y}");
            assert_eq!(easter_sunday(y).weekday(), Weekday::Sunday);
        }
    }

    #[test]
    fn easter_never_panics_at_extremes() {
        for y in [i16::MIN, -10_000, -9999, -1, 0, 1, 9999, 10_000, i16::MAX] {
            let e = easter_sunday(y);
            assert!(e.month() == 3 || e.month() == 4);
        }
        assert!(public_holidays(i16::MAX).is_empty());
        assert!(public_holidays(i16::MIN).is_empty());
        assert_eq!(public_holidays(9999).len(), 14);
    }

    #[test]
    fn holidays_2026() {
        let got: Vec<(Date, &str)> = public_holidays(2026)
            .iter()
            .map(|h| (h.date, h.name_pl))
            .collect();
        let want = vec![
            (date(2026, 1, 1), "Nowy Rok"),
            (date(2026, 1, 6), "Święto Trzech Króli"),
            (date(2026, 4, 5), "pierwszy dzień Wielkiej Nocy"),
            (date(2026, 4, 6), "drugi dzień Wielkiej Nocy"),
            (date(2026, 5, 1), "Święto Państwowe"),
            (date(2026, 5, 3), "Święto Narodowe Trzeciego Maja"),
            (date(2026, 5, 24), "pierwszy dzień Zielonych Świątek"),
            (date(2026, 6, 4), "dzień Bożego Ciała"),
            (date(2026, 8, 15), "Wniebowzięcie Najświętszej Maryi Panny"),
            (date(2026, 11, 1), "Wszystkich Świętych"),
            (date(2026, 11, 11), "Narodowe Święto Niepodległości"),
            (date(2026, 12, 24), "Wigilia Bożego Narodzenia"),
            (date(2026, 12, 25), "pierwszy dzień Bożego Narodzenia"),
            (date(2026, 12, 26), "drugi dzień Bożego Narodzenia"),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn holiday_counts_follow_amendments() {
        assert_eq!(public_holidays(2010).len(), 12); // before 6 January came back
        assert_eq!(public_holidays(2011).len(), 13);
        assert_eq!(public_holidays(2024).len(), 13);
        assert_eq!(public_holidays(2025).len(), 14); // Wigilia from 2025
        assert!(!is_public_holiday(date(2010, 1, 6)));
        assert!(is_public_holiday(date(2011, 1, 6)));
        assert!(!is_public_holiday(date(2024, 12, 24)));
        assert!(is_public_holiday(date(2025, 12, 24)));
    }

    #[test]
    fn movable_feasts() {
        assert!(is_public_holiday(date(2024, 4, 1))); // Easter Monday 2024
        assert!(is_public_holiday(date(2025, 4, 21)));
        assert!(is_public_holiday(date(2027, 3, 29)));
        assert!(is_public_holiday(date(2025, 6, 19))); // Corpus Christi 2025
        assert!(is_public_holiday(date(2026, 6, 4))); // Corpus Christi 2026
        assert!(is_public_holiday(date(2027, 5, 27))); // Corpus Christi 2027
        assert!(is_public_holiday(date(2025, 6, 8))); // Pentecost 2025
        assert!(!is_public_holiday(date(2026, 4, 3))); // Good Friday is not a holiday
        assert_eq!(
            holiday_on(date(2026, 6, 4)).map(|h| h.name_en),
            Some("Corpus Christi")
        );
    }

    #[test]
    fn sundays_and_saturdays() {
        assert!(is_sunday_or_holiday(date(2026, 3, 1))); // Sunday
        assert!(!is_sunday_or_holiday(date(2026, 2, 28))); // Saturday
        assert!(is_saturday(date(2026, 2, 28)));
        assert!(is_non_term_day(date(2026, 2, 28)));
        assert!(!is_non_term_day(date(2026, 3, 2)));
        assert!(is_non_term_day(date(2026, 11, 11)));
    }

    #[test]
    fn saturday_holidays() {
        let d: Vec<Date> = holidays_on_saturday(2026).iter().map(|h| h.date).collect();
        assert_eq!(d, vec![date(2026, 8, 15), date(2026, 12, 26)]);
        let d: Vec<Date> = holidays_on_saturday(2025).iter().map(|h| h.date).collect();
        assert_eq!(d, vec![date(2025, 5, 3), date(2025, 11, 1)]);
    }

    #[test]
    fn work_calendar_keeps_closing_days_apart() {
        let mut cal = WorkCalendar::new();
        assert!(cal.add_closing_day(date(2026, 12, 31), "inwentaryzacja"));
        assert!(!cal.add_closing_day(date(2026, 12, 31), "inwentaryzacja roczna"));
        assert_eq!(
            cal.closing_reason(date(2026, 12, 31)),
            Some("inwentaryzacja roczna")
        );
        assert!(!cal.is_office_open(date(2026, 12, 31)));
        assert!(!cal.is_statutory_day_off(date(2026, 12, 31)));
        assert!(cal.is_office_open(date(2026, 12, 30)));
        assert!(!cal.is_office_open(date(2026, 12, 26))); // Saturday + holiday
        assert!(!cal.is_office_open(date(2027, 1, 2))); // Saturday
        cal.set_open_on_saturdays(true);
        assert!(cal.open_on_saturdays());
        assert!(cal.is_office_open(date(2027, 1, 2)));
        assert!(!cal.is_office_open(date(2026, 12, 26))); // still a holiday
        cal.set_open_on_saturdays(false);
        // 31 Dec closed, 1 Jan holiday, 2 Jan Sat, 3 Jan Sun → 4 Jan.
        assert_eq!(
            cal.next_open_day(date(2026, 12, 31)),
            Some(date(2027, 1, 4))
        );
        assert_eq!(cal.closing_days().count(), 1);
        assert!(cal.remove_closing_day(date(2026, 12, 31)));
        assert!(!cal.remove_closing_day(date(2026, 12, 31)));
        cal.add_closing_day(date(9999, 12, 31), "koniec kalendarza");
        assert_eq!(cal.next_open_day(date(9999, 12, 31)), None);
    }

    proptest! {
        #[test]
        fn easter_is_a_sunday_between_22_march_and_25_april(year in 1583i16..=9999) {
            let e = easter_sunday(year);
            prop_assert_eq!(e.weekday(), Weekday::Sunday);
            prop_assert!(e >= date(year, 3, 22) && e <= date(year, 4, 25));
        }

        #[test]
        fn holidays_are_sorted_and_consistent(year in 1990i16..=2200) {
            let hs = public_holidays(year);
            prop_assert!(hs.len() == 12 || hs.len() == 13 || hs.len() == 14);
            prop_assert!(hs.windows(2).all(|w| w[0].date < w[1].date));
            for h in &hs {
                prop_assert!(is_public_holiday(h.date));
                prop_assert_eq!(holiday_on(h.date), Some(*h));
            }
            let corpus = hs.iter().find(|h| h.name_en == "Corpus Christi").map(|h| h.date);
            prop_assert_eq!(corpus.map(|d| d.weekday()), Some(Weekday::Thursday));
        }
    }
}
