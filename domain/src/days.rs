//! Small, total day arithmetic on [`jiff::civil::Date`] (no panics, `None` past the
//! range jiff supports, years -9999..=9999).

use jiff::SignedDuration;
use jiff::civil::Date;

/// Seconds in a civil day (civil dates know no time zones, so a day is 24 h).
const DAY_SECS: i64 = 86_400;

/// More days than jiff's whole date range holds: any larger shift is out of range.
const MAX_SHIFT_DAYS: i64 = 8_000_000;

/// `date` moved by `days` (may be negative); `None` if the result leaves jiff's range.
pub(crate) fn add_days(date: Date, days: i64) -> Option<Date> {
    if days.unsigned_abs() > MAX_SHIFT_DAYS.unsigned_abs() {
        return None;
    }
    date.checked_add(SignedDuration::from_secs(days * DAY_SECS))
        .ok()
}

/// The day after `date`, `None` after 9999-12-31.
pub(crate) fn next_day(date: Date) -> Option<Date> {
    date.tomorrow().ok()
}

/// Whole days from `from` to `to` (negative if `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    to.duration_since(from).as_secs() / DAY_SECS
}

/// `date` plus `months` calendar months; the day number is kept, or clamped to the last
/// day of the target month when that month is shorter (KPA art. 57 § 3).
pub(crate) fn add_months_clamped(date: Date, months: u32) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(date.month() - 1) + i64::from(months);
    let year = i16::try_from(index.div_euclid(12)).ok()?;
    let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
    let first = Date::new(year, month, 1).ok()?;
    let day = date.day().min(first.days_in_month());
    Date::new(year, month, day).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn arithmetic() {
        assert_eq!(add_days(date(2024, 2, 28), 1), Some(date(2024, 2, 29)));
        assert_eq!(add_days(date(2024, 3, 1), -1), Some(date(2024, 2, 29)));
        assert_eq!(add_days(date(9999, 12, 31), 1), None);
        assert_eq!(add_days(date(2000, 1, 1), i64::MAX), None);
        assert_eq!(add_days(date(2000, 1, 1), i64::MIN), None);
        assert_eq!(days_between(date(2024, 1, 1), date(2025, 1, 1)), 366);
        assert_eq!(days_between(date(2025, 1, 1), date(2024, 1, 1)), -366);
        assert_eq!(next_day(date(9999, 12, 31)), None);
        assert_eq!(
            add_months_clamped(date(2025, 1, 31), 1),
            Some(date(2025, 2, 28))
        );
        assert_eq!(
            add_months_clamped(date(2024, 1, 31), 1),
            Some(date(2024, 2, 29))
        );
        assert_eq!(
            add_months_clamped(date(2024, 1, 31), 3),
            Some(date(2024, 4, 30))
        );
        assert_eq!(
            add_months_clamped(date(2025, 11, 30), 3),
            Some(date(2026, 2, 28))
        );
        assert_eq!(add_months_clamped(date(9999, 12, 1), 1), None);
        assert_eq!(add_months_clamped(date(2000, 1, 1), u32::MAX), None);
        assert_eq!(
            add_months_clamped(date(-9999, 1, 31), 1),
            Some(date(-9999, 2, 28))
        );
    }
}
