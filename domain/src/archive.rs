//! The archiwum zakładowe's rules: when a year's spis spraw may be closed, when a file
//! (teczka aktowa) may go to the archive, and how long it is kept there. Pure.
//!
//! Sources: the regulation of the Prime Minister of 18 January 2011 (Dz.U. 2011 nr 14
//! poz. 67) — the instrukcja kancelaryjna (annex 1: a spis spraw is kept for one JRWA
//! class, one unit and one calendar year; the cases of a class and year form one file,
//! marked with the unit's symbol and the class, "znak teczki"), the JRWA's general part
//! (the periods of category B are counted in full calendar years from 1 January of the
//! year after the case file was closed) and the instrukcja archiwalna (annex 6: files
//! go to the archiwum zakładowe closed, with a spis zdawczo-odbiorczy); and the ustawa
//! z 14 lipca 1983 r. o narodowym zasobie archiwalnym i archiwach, art. 5 ust. 2:
//! documentation that is not archival material is destroyed (brakowanie) only with the
//! consent of the competent state archive.
//!
//! Categories (`crate::jrwa::ArchivalCategory`):
//! - `A` is archival material: kept for ever (it goes to the state archive later, never
//!   destroyed);
//! - `Bn` may be destroyed after `n` full years, with the archive's consent;
//! - `BEn` likewise, but the state archive first reviews it (ekspertyza) and may keep it:
//!   its consent decides;
//! - `Bc` is short-term: it may be destroyed once used, from 1 January after closing,
//!   also only with the consent.

use jiff::civil::Date;

use crate::jrwa::ArchivalCategory;

/// When a closed file may be destroyed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// Category A: kept for ever.
    Forever,
    /// From this day on the file may be destroyed, once the state archive consents.
    From(Date),
}

/// The retention of a file of `category` closed in `closed_year`: B-n and BE-n counted
/// in full calendar years from 1 January of the year after closing (so a B5 file
/// closed in 2020 is kept through 2025 and may go from 1 January 2026); Bc from that
/// 1 January; A for ever. `None` past the calendar's last year.
pub fn retention(category: ArchivalCategory, closed_year: i16) -> Option<Retention> {
    let years = match category {
        ArchivalCategory::Archival => return Some(Retention::Forever),
        ArchivalCategory::ShortTerm => 0,
        ArchivalCategory::Kept(n) | ArchivalCategory::Expertise(n) => i16::from(n),
    };
    let year = closed_year.checked_add(1)?.checked_add(years)?;
    Date::new(year, 1, 1).ok().map(Retention::From)
}

/// Whether a file of `category` closed in `closed_year` may be destroyed on `today`
/// (with the archive's consent, which the store checks).
pub fn is_due(category: ArchivalCategory, closed_year: i16, today: Date) -> bool {
    matches!(retention(category, closed_year), Some(Retention::From(d)) if d <= today)
}

/// Why a spis spraw's year may not be closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseError {
    /// The year has not ended yet: cases may still be registered in it.
    YearNotOver,
}

impl CloseError {
    /// The Fluent id of the message.
    pub const fn message_id(self) -> &'static str {
        match self {
            Self::YearNotOver => "archive-close-year-not-over",
        }
    }
}

/// A spis spraw is kept for a calendar year: it is closed once the year is over.
pub fn check_closing(year: i16, today: Date) -> Result<(), CloseError> {
    if year < today.year() {
        Ok(())
    } else {
        Err(CloseError::YearNotOver)
    }
}

/// Why a file may not go to the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// Its year's spis spraw is still open.
    YearOpen,
    /// A case in it is not finished.
    CaseOpen,
    /// It holds no case.
    Empty,
}

impl TransferError {
    /// The Fluent id of the message.
    pub const fn message_id(self) -> &'static str {
        match self {
            Self::YearOpen => "archive-transfer-year-open",
            Self::CaseOpen => "archive-transfer-case-open",
            Self::Empty => "archive-transfer-empty",
        }
    }
}

/// What a file's state must be for the archive to take it: a closed year, and every case
/// finished (instrukcja archiwalna: only closed files are transferred).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileState {
    /// The unit's spis spraw of the file's year is closed.
    pub year_closed: bool,
    /// Cases in the file.
    pub cases: u32,
    /// Of those, cases not finished (not settled, closed, transferred or forwarded).
    pub open_cases: u32,
}

/// Whether a file may be transferred to the archiwum zakładowe.
pub fn check_transfer(file: FileState) -> Result<(), TransferError> {
    if file.cases == 0 {
        Err(TransferError::Empty)
    } else if !file.year_closed {
        Err(TransferError::YearOpen)
    } else if file.open_cases > 0 {
        Err(TransferError::CaseOpen)
    } else {
        Ok(())
    }
}

/// The year a file was closed: the year its last case was finally settled, and never
/// before the file's own year (the year of its spis spraw).
pub fn closed_year(file_year: i16, last_settled: Option<Date>) -> i16 {
    last_settled.map_or(file_year, |d| d.year().max(file_year))
}

/// Whether a case received on `received_on` may still be registered on `today`: in
/// the current year, or in the last one while its spis spraw is open (a letter that
/// came on 31 December is registered in January in the spis of its year of receipt,
/// KPA art. 61 § 3: the case started on the day of receipt). Nothing in the future.
pub fn registrable(received_on: Date, today: Date, year_closed: bool) -> Result<(), &'static str> {
    let last_year = received_on.year() + 1 == today.year();
    if received_on > today {
        Err("case-error-date-future")
    } else if received_on.year() == today.year() || (last_year && !year_closed) {
        Ok(())
    } else if last_year {
        Err("case-error-date-year-closed")
    } else {
        Err("case-error-date-year")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ArchivalCategory::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn retention_counts_from_the_first_of_january_after_closing() {
        let table: &[(ArchivalCategory, i16, Retention)] = &[
            (Archival, 2020, Retention::Forever),
            (Kept(5), 2020, Retention::From(date(2026, 1, 1))),
            (Kept(10), 2019, Retention::From(date(2030, 1, 1))),
            (Kept(50), 2026, Retention::From(date(2077, 1, 1))),
            (Expertise(5), 2021, Retention::From(date(2027, 1, 1))),
            (ShortTerm, 2025, Retention::From(date(2026, 1, 1))),
        ];
        for (category, year, expected) in table {
            assert_eq!(
                retention(*category, *year),
                Some(*expected),
                "{category} {year}"
            );
        }
        assert_eq!(retention(Kept(100), 9_950), None);
    }

    #[test]
    fn due_only_once_the_full_years_have_passed() {
        // B5 closed in 2020: kept 2021–2025, destroyable from 1 January 2026.
        assert!(!is_due(Kept(5), 2020, date(2025, 12, 31)));
        assert!(is_due(Kept(5), 2020, date(2026, 1, 1)));
        assert!(!is_due(Archival, 1950, date(2026, 12, 4)));
        assert!(!is_due(ShortTerm, 2026, date(2026, 12, 31)));
        assert!(is_due(ShortTerm, 2026, date(2027, 1, 2)));
    }

    #[test]
    fn closing_a_year_waits_for_its_end() {
        assert_eq!(check_closing(2025, date(2026, 1, 2)), Ok(()));
        assert_eq!(
            check_closing(2026, date(2026, 12, 31)),
            Err(CloseError::YearNotOver)
        );
        assert_eq!(
            check_closing(2027, date(2026, 6, 1)),
            Err(CloseError::YearNotOver)
        );
    }

    #[test]
    fn only_a_closed_file_goes_to_the_archive() {
        let file = |year_closed, cases, open_cases| FileState {
            year_closed,
            cases,
            open_cases,
        };
        assert_eq!(check_transfer(file(true, 3, 0)), Ok(()));
        assert_eq!(
            check_transfer(file(false, 3, 0)),
            Err(TransferError::YearOpen)
        );
        assert_eq!(
            check_transfer(file(true, 3, 1)),
            Err(TransferError::CaseOpen)
        );
        assert_eq!(check_transfer(file(true, 0, 0)), Err(TransferError::Empty));
        assert_eq!(
            TransferError::CaseOpen.message_id(),
            "archive-transfer-case-open"
        );
    }

    #[test]
    fn a_file_closes_with_its_last_case() {
        assert_eq!(closed_year(2025, None), 2025);
        assert_eq!(closed_year(2025, Some(date(2025, 12, 30))), 2025);
        assert_eq!(closed_year(2025, Some(date(2026, 2, 3))), 2026);
    }

    #[test]
    fn a_letter_of_31_december_is_registered_in_january() {
        let today = date(2027, 1, 4);
        let table: &[(Date, bool, Result<(), &str>)] = &[
            (date(2027, 1, 4), false, Ok(())),
            (date(2026, 12, 31), false, Ok(())),
            (date(2026, 12, 31), true, Err("case-error-date-year-closed")),
            (date(2025, 12, 31), false, Err("case-error-date-year")),
            (date(2027, 1, 5), false, Err("case-error-date-future")),
        ];
        for (received, closed, expected) in table {
            assert_eq!(
                registrable(*received, today, *closed),
                *expected,
                "{received}"
            );
        }
    }

    fn category() -> impl Strategy<Value = ArchivalCategory> {
        prop_oneof![
            Just(Archival),
            Just(ShortTerm),
            (1u8..=100).prop_map(Kept),
            (1u8..=100).prop_map(Expertise),
        ]
    }

    proptest! {
        #[test]
        fn never_due_before_the_years_are_over(c in category(), year in 2000i16..2100, day in 0i32..40_000) {
            let today = date(2000, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            if is_due(c, year, today) {
                let n = i16::from(c.retention_years().unwrap_or(0));
                // The whole closing year and n full years after it have passed.
                prop_assert!(today.year() > year + n);
                prop_assert!(today.year() - year > n);
            }
        }

        #[test]
        fn archival_material_is_never_due(year in 1900i16..2100, day in 0i32..60_000) {
            let today = date(1900, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            prop_assert!(!is_due(Archival, year, today));
        }

        #[test]
        fn once_due_always_due(c in category(), year in 2000i16..2100, a in 0i32..40_000, b in 0i32..40_000) {
            let start = date(2000, 1, 1);
            let (early, late) = (a.min(b), a.max(b));
            let early = start.checked_add(jiff::Span::new().days(early)).unwrap();
            let late = start.checked_add(jiff::Span::new().days(late)).unwrap();
            prop_assert!(!is_due(c, year, early) || is_due(c, year, late));
        }

        #[test]
        fn the_retention_day_is_a_first_of_january(c in category(), year in 1900i16..2200) {
            if let Some(Retention::From(d)) = retention(c, year) {
                prop_assert_eq!((d.month(), d.day()), (1, 1));
                prop_assert!(d.year() > year);
            }
        }

        #[test]
        fn closing_is_allowed_exactly_for_past_years(year in 1990i16..2100, day in 0i32..40_000) {
            let today = date(1990, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            prop_assert_eq!(check_closing(year, today).is_ok(), year < today.year());
        }
    }
}
