//! Personal data protection (RODO: Regulation (EU) 2016/679, the GDPR) in the office's
//! own processing:
//!
//! - the information clause (klauzula informacyjna) given when data are collected from
//!   the person (RODO art. 13 ust. 1 and 2) — in a case, at the first act towards the
//!   party (KPA art. 61 § 5: „przy pierwszej czynności skierowanej do strony, chyba że
//!   strona posiada te informacje, a ich zakres lub treść nie uległy zmianie”);
//! - the register of processing activities (rejestr czynności przetwarzania, RODO
//!   art. 30 ust. 1 lit. a–g);
//! - retention: whether a record is past its retention period on a day (the storage
//!   limitation principle, RODO art. 5 ust. 1 lit. e), and the office's default periods
//!   for the records outside the akta sprawy (docs/decisions/0049). Documents of a case
//!   file are kept by the archival category of their JRWA class ([`crate::archive`]),
//!   never by these periods.

use jiff::ToSpan;
use jiff::civil::Date;

/// The longest text of one part of the clause or of a register entry, in characters.
pub const TEXT_MAX: usize = 4000;
/// The longest name of a processing activity, in characters.
pub const NAME_MAX: usize = 200;

/// A part of the information clause, in the order of RODO art. 13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClausePart {
    /// Art. 13 ust. 1 lit. a: the controller's identity and contact details.
    Controller,
    /// Art. 13 ust. 1 lit. b: the data protection officer's contact details.
    DpoContact,
    /// Art. 13 ust. 1 lit. c: the purposes and the legal basis (for an office: art. 6
    /// ust. 1 lit. c — a legal obligation — and lit. e — a task in the public interest
    /// or in the exercise of official authority).
    Purposes,
    /// Art. 13 ust. 1 lit. e: the recipients or categories of recipients.
    Recipients,
    /// Art. 13 ust. 1 lit. f: transfers to a third country (optional: „gdy ma to
    /// zastosowanie”).
    Transfers,
    /// Art. 13 ust. 2 lit. a: how long the data are kept, or the criteria.
    Retention,
    /// Art. 13 ust. 2 lit. b: access, rectification, erasure, restriction, objection.
    Rights,
    /// Art. 13 ust. 2 lit. d: the right to lodge a complaint with the supervisory
    /// authority (the Prezes Urzędu Ochrony Danych Osobowych, ustawa z 10 maja 2018 r.
    /// o ochronie danych osobowych, art. 34).
    Complaint,
    /// Art. 13 ust. 2 lit. e: whether providing the data is a statutory requirement and
    /// what follows from not providing them.
    Requirement,
    /// Art. 13 ust. 2 lit. f: automated decision-making (optional).
    Automated,
}

impl ClausePart {
    /// Every part, in the clause's order.
    pub const ALL: [ClausePart; 10] = [
        ClausePart::Controller,
        ClausePart::DpoContact,
        ClausePart::Purposes,
        ClausePart::Recipients,
        ClausePart::Transfers,
        ClausePart::Retention,
        ClausePart::Rights,
        ClausePart::Complaint,
        ClausePart::Requirement,
        ClausePart::Automated,
    ];

    /// The stored column (and the form field's name).
    pub fn as_str(self) -> &'static str {
        match self {
            ClausePart::Controller => "controller",
            ClausePart::DpoContact => "dpo_contact",
            ClausePart::Purposes => "purposes",
            ClausePart::Recipients => "recipients",
            ClausePart::Transfers => "transfers",
            ClausePart::Retention => "retention",
            ClausePart::Rights => "rights",
            ClausePart::Complaint => "complaint",
            ClausePart::Requirement => "requirement",
            ClausePart::Automated => "automated",
        }
    }

    /// The provision the part fulfils.
    pub fn source(self) -> &'static str {
        match self {
            ClausePart::Controller => "art. 13 ust. 1 lit. a RODO",
            ClausePart::DpoContact => "art. 13 ust. 1 lit. b RODO",
            ClausePart::Purposes => "art. 13 ust. 1 lit. c RODO",
            ClausePart::Recipients => "art. 13 ust. 1 lit. e RODO",
            ClausePart::Transfers => "art. 13 ust. 1 lit. f RODO",
            ClausePart::Retention => "art. 13 ust. 2 lit. a RODO",
            ClausePart::Rights => "art. 13 ust. 2 lit. b RODO",
            ClausePart::Complaint => "art. 13 ust. 2 lit. d RODO",
            ClausePart::Requirement => "art. 13 ust. 2 lit. e RODO",
            ClausePart::Automated => "art. 13 ust. 2 lit. f RODO",
        }
    }

    /// Whether the clause may leave the part out (art. 13 says „gdy ma to
    /// zastosowanie” for transfers, and automated decisions are made by no office
    /// process in Magistrat).
    pub fn optional(self) -> bool {
        matches!(self, ClausePart::Transfers | ClausePart::Automated)
    }
}

/// A problem with a text the office typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// A required part is empty.
    #[error("required")]
    Missing,
    /// Longer than the limit.
    #[error("too long")]
    TooLong,
}

impl TextError {
    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            TextError::Missing => "rodo.missing",
            TextError::TooLong => "rodo.too_long",
        }
    }
}

/// Checks one text: trimmed, required unless `optional`, at most `max` characters.
pub fn check_text(text: &str, optional: bool, max: usize) -> Result<(), TextError> {
    let text = text.trim();
    if text.is_empty() && !optional {
        return Err(TextError::Missing);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong);
    }
    Ok(())
}

/// The checks of a whole clause: each part's problem, in the clause's order.
pub fn check_clause(part: impl Fn(ClausePart) -> String) -> Vec<(ClausePart, TextError)> {
    ClausePart::ALL
        .into_iter()
        .filter_map(|p| {
            check_text(&part(p), p.optional(), TEXT_MAX)
                .err()
                .map(|e| (p, e))
        })
        .collect()
}

/// A field of an entry in the register of processing activities (art. 30 ust. 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActivityField {
    /// The activity's name (the register is kept per activity, art. 30 ust. 1 first
    /// sentence).
    Name,
    /// Lit. b: the purposes of the processing.
    Purposes,
    /// Lit. c: the categories of data subjects …
    DataSubjects,
    /// … and of personal data.
    DataCategories,
    /// Lit. d: the categories of recipients.
    Recipients,
    /// Lit. e: transfers to a third country („gdy ma to zastosowanie”).
    Transfers,
    /// Lit. f: the planned erasure periods („jeżeli jest to możliwe”).
    Erasure,
    /// Lit. g: the technical and organisational security measures („jeżeli jest to
    /// możliwe”, art. 32 ust. 1).
    Security,
}

impl ActivityField {
    /// Every field, in the register's order.
    pub const ALL: [ActivityField; 8] = [
        ActivityField::Name,
        ActivityField::Purposes,
        ActivityField::DataSubjects,
        ActivityField::DataCategories,
        ActivityField::Recipients,
        ActivityField::Transfers,
        ActivityField::Erasure,
        ActivityField::Security,
    ];

    /// The stored column (and the form field's name, and the CSV header).
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityField::Name => "name",
            ActivityField::Purposes => "purposes",
            ActivityField::DataSubjects => "data_subjects",
            ActivityField::DataCategories => "data_categories",
            ActivityField::Recipients => "recipients",
            ActivityField::Transfers => "transfers",
            ActivityField::Erasure => "erasure",
            ActivityField::Security => "security",
        }
    }

    /// The letter of art. 30 ust. 1 the field fulfils.
    pub fn source(self) -> &'static str {
        match self {
            ActivityField::Name => "art. 30 ust. 1 RODO",
            ActivityField::Purposes => "art. 30 ust. 1 lit. b RODO",
            ActivityField::DataSubjects | ActivityField::DataCategories => {
                "art. 30 ust. 1 lit. c RODO"
            }
            ActivityField::Recipients => "art. 30 ust. 1 lit. d RODO",
            ActivityField::Transfers => "art. 30 ust. 1 lit. e RODO",
            ActivityField::Erasure => "art. 30 ust. 1 lit. f RODO",
            ActivityField::Security => "art. 30 ust. 1 lit. g RODO",
        }
    }

    /// Whether the entry may leave the field empty (lit. e–g: „gdy ma to
    /// zastosowanie”, „jeżeli jest to możliwe”).
    pub fn optional(self) -> bool {
        matches!(
            self,
            ActivityField::Transfers | ActivityField::Erasure | ActivityField::Security
        )
    }

    fn max(self) -> usize {
        if self == ActivityField::Name {
            NAME_MAX
        } else {
            TEXT_MAX
        }
    }
}

/// The checks of a register entry: each field's problem, in the register's order.
pub fn check_activity(field: impl Fn(ActivityField) -> String) -> Vec<(ActivityField, TextError)> {
    ActivityField::ALL
        .into_iter()
        .filter_map(|f| {
            check_text(&field(f), f.optional(), f.max())
                .err()
                .map(|e| (f, e))
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Retention

/// Default days a resident account is kept after its last sign-in: two years. The
/// account is only a convenience (an e-mail address proven by a link, decision 0015);
/// nothing in the law sets its period, so the office sets one it can justify under
/// RODO art. 5 ust. 1 lit. e. Two years covers a resident's yearly matters (taxes,
/// waste fees) and the time a case with an appeal takes; after it the address is
/// asked for again at the next sign-in.
pub const RESIDENT_ACCOUNT_DAYS: u32 = 730;
/// Default days a booked visit's personal data (name, e-mail, phone, PESEL) are kept
/// after the visit's day: enough for a complaint about the visit (the service point's
/// statistics keep the booking without them).
pub const BOOKING_DAYS: u32 = 30;
/// Default days a closed problem report keeps its reporter's contact details (the
/// reporter may ask about it or report it again; the report itself, its place and
/// notes stay for the office's maintenance records).
pub const REPORT_CONTACT_DAYS: u32 = 365;
/// Days an expired sign-in link, session or app token stays (its client address
/// serves the investigation of an incident, RODO art. 33 — 72 hours to notify — so a
/// month is ample); then it goes.
pub const EXPIRED_TOKEN_DAYS: u32 = 30;

/// Whether a record whose retention counts from `anchor` (the last sign-in, the
/// visit's day, the closing of a report) and lasts `keep_days` is past it on `day`:
/// it is kept through `anchor + keep_days` and is past from the next day.
pub fn is_past(anchor: Date, keep_days: u32, day: Date) -> bool {
    match anchor.checked_add(i64::from(keep_days).days()) {
        Ok(last_kept) => day > last_kept,
        // Beyond the calendar: never past.
        Err(_) => false,
    }
}

/// The earliest anchor still kept on `day`: a record is past retention exactly when its
/// anchor is before this day (the same rule as [`is_past`], for a query).
pub fn first_kept(day: Date, keep_days: u32) -> Date {
    day.checked_sub(i64::from(keep_days).days())
        .unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn retention_on_real_days() {
        // (anchor, days, day, past)
        let table = [
            // Two years from 4 December 2024 (the year 2025 is not a leap year): kept
            // through 4 December 2026, past from the 5th.
            (date(2024, 12, 4), 730, date(2026, 12, 4), false),
            (date(2024, 12, 4), 730, date(2026, 12, 5), true),
            // Across 29 February 2028: 730 days from 1 March 2027 end on 28 February 2029.
            (date(2027, 3, 1), 730, date(2029, 2, 28), false),
            (date(2027, 3, 1), 730, date(2029, 3, 1), true),
            // A visit on 30 November 2026, 30 days: kept through 30 December.
            (date(2026, 11, 30), 30, date(2026, 12, 30), false),
            (date(2026, 11, 30), 30, date(2026, 12, 31), true),
            // Zero days: past the next day.
            (date(2026, 12, 4), 0, date(2026, 12, 4), false),
            (date(2026, 12, 4), 0, date(2026, 12, 5), true),
            // An anchor in the future (a booking ahead) is never past.
            (date(2026, 12, 20), 30, date(2026, 12, 4), false),
        ];
        for (anchor, days, day, past) in table {
            assert_eq!(
                is_past(anchor, days, day),
                past,
                "{anchor} +{days} on {day}"
            );
        }
        assert_eq!(first_kept(date(2026, 12, 5), 730), date(2024, 12, 5));
        assert!(!is_past(date(9999, 12, 1), 730, date(9999, 12, 31)));
    }

    #[test]
    fn clause_parts_required_and_limited() {
        let full = |_: ClausePart| "Treść".to_owned();
        assert!(check_clause(full).is_empty());
        let problems = check_clause(|p| match p {
            ClausePart::Transfers | ClausePart::Automated => String::new(),
            ClausePart::Rights => "  ".to_owned(),
            ClausePart::Purposes => "x".repeat(TEXT_MAX + 1),
            _ => "Treść".to_owned(),
        });
        assert_eq!(
            problems,
            vec![
                (ClausePart::Purposes, TextError::TooLong),
                (ClausePart::Rights, TextError::Missing),
            ]
        );
        assert_eq!(TextError::Missing.code(), "rodo.missing");
    }

    #[test]
    fn activity_fields_required_and_limited() {
        let problems = check_activity(|f| match f {
            ActivityField::Name => "x".repeat(NAME_MAX + 1),
            ActivityField::DataSubjects => String::new(),
            ActivityField::Transfers | ActivityField::Erasure | ActivityField::Security => {
                String::new()
            }
            _ => "Treść".to_owned(),
        });
        assert_eq!(
            problems,
            vec![
                (ActivityField::Name, TextError::TooLong),
                (ActivityField::DataSubjects, TextError::Missing),
            ]
        );
        for f in ActivityField::ALL {
            assert!(f.source().starts_with("art. 30 ust. 1"));
        }
    }

    proptest! {
        #[test]
        fn first_kept_agrees_with_is_past(
            offset in 0i64..40_000, keep in 0u32..5000, back in 0i64..6000
        ) {
            let day = date(1990, 1, 1).checked_add(offset.days()).unwrap();
            let anchor = day.checked_sub(back.days()).unwrap();
            prop_assert_eq!(is_past(anchor, keep, day), anchor < first_kept(day, keep));
        }
    }
}
