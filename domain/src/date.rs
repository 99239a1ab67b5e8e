//! Calendar dates as people and forms write them: strictly `YYYY-MM-DD` (ISO 8601
//! extended, four-digit year — what `<input type="date">` sends). The one date parser of
//! Magistrat: the deadline engine, the e-service forms (`form_definition`), the web's
//! form kit (`platform::form`) and the CLI all read dates with [`parse_date`].

use jiff::civil::Date;
use thiserror::Error;

/// Why a date string was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    #[error("the date must be written as YYYY-MM-DD")]
    Format,
    /// Well-formed but not a real day, e.g. `2025-02-29`.
    #[error("no such day")]
    Invalid,
}

impl DateError {
    /// Stable machine code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Format => "date.format",
            Self::Invalid => "date.invalid",
        }
    }
}

/// Parses a calendar date written strictly as `YYYY-MM-DD` (ISO 8601 extended, four-digit
/// year).
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(DateError::Format);
    }
    let num = |range: std::ops::Range<usize>| -> Result<i16, DateError> {
        let part = &b[range];
        if !part.iter().all(u8::is_ascii_digit) {
            return Err(DateError::Format);
        }
        Ok(part
            .iter()
            .fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0')))
    };
    let year = num(0..4)?;
    let month = i8::try_from(num(5..7)?).map_err(|_| DateError::Invalid)?;
    let day = i8::try_from(num(8..10)?).map_err(|_| DateError::Invalid)?;
    Date::new(year, month, day).map_err(|_| DateError::Invalid)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn parse_dates() {
        assert_eq!(parse_date("2026-06-04"), Ok(date(2026, 6, 4)));
        assert_eq!(parse_date("2024-02-29"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("0000-01-01"), Ok(date(0, 1, 1)));
        for (s, code) in [
            ("2025-02-29", "date.invalid"),
            ("2025-13-01", "date.invalid"),
            ("2025-00-10", "date.invalid"),
            ("2025-01-32", "date.invalid"),
            ("2025-1-01", "date.format"),
            ("2025/01/01", "date.format"),
            ("20250101", "date.format"),
            ("", "date.format"),
            ("+025-01-01", "date.format"),
            ("2025-01-0ą", "date.format"),
            (" 2025-01-01", "date.format"),
            ("2025-01-01T00:00", "date.format"),
        ] {
            assert_eq!(parse_date(s).map_err(|e| e.code()), Err(code), "{s:?}");
        }
    }

    #[test]
    fn february_29_only_in_leap_years() {
        for year in 1900..=2400_i16 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let text = format!("{year:04}-02-29");
            assert_eq!(parse_date(&text).is_ok(), leap, "{text}");
            let expected = if leap {
                Ok(date(year, 2, 29))
            } else {
                Err(DateError::Invalid)
            };
            assert_eq!(parse_date(&text), expected);
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        // Every day of years 0000–9999.
        (0i16..=9999, 1i8..=12, 1i8..=31)
            .prop_filter_map("a real day", |(y, m, d)| Date::new(y, m, d).ok())
    }

    proptest! {
        #[test]
        fn every_valid_date_round_trips(d in any_date()) {
            prop_assert_eq!(parse_date(&d.to_string()), Ok(d));
        }

        #[test]
        fn garbage_never_panics(s in "[0-9-]{0,12}|.{0,12}|\\PC{0,40}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn what_parses_prints_back_the_same(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            if let Ok(d) = parse_date(&s) {
                prop_assert_eq!(d.to_string(), s);
            }
        }
    }
}
