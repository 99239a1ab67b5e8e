//! The rules table: every legal number this crate uses, in one place, with its source.
//!
//! Logic lives in [`crate::calendar`] and [`crate::deadline`]; this module holds only
//! data. When the law changes (a new public holiday, a different term for a kind of
//! case), the change is one row here plus a test with a real date.
//!
//! Each row carries a [`SourceStatus`] from the research the table was compiled from
//! (public sources, named in each row): rows marked [`SourceStatus::Verify`] were not
//! read in the primary text of the act and must be checked in ISAP / Dziennik Ustaw
//! before they are relied on in a decision. They are data, never hard-wired logic, so
//! correcting one is a one-line change.

use serde::Serialize;

use crate::deadline::{CaseKind, Term};

/// How well a rule's source has been checked (markers of the research file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    /// Stated in a source that reproduces the legal text.
    Verified,
    /// Stated by secondary sources only (commentary, vendor pages).
    VerifiedSecondary,
    /// Consistent with several sources, primary text not read.
    Likely,
    /// Uncertain: check the primary text before relying on it.
    Verify,
}

impl SourceStatus {
    /// Stable machine code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::VerifiedSecondary => "verified_secondary",
            Self::Likely => "likely",
            Self::Verify => "verify",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Acts cited (one string each, so every row names its source the same way).
// ---------------------------------------------------------------------------------------

/// Kodeks postępowania administracyjnego: ustawa z dnia 14 czerwca 1960 r.
/// (Dz.U. 1960 nr 30 poz. 168, as amended).
pub const KPA: &str = "Kodeks postępowania administracyjnego (ustawa z 14 czerwca 1960 r., Dz.U. 1960 nr 30 poz. 168 ze zm.)";

/// Ustawa z dnia 6 września 2001 r. o dostępie do informacji publicznej (UDIP).
pub const UDIP: &str = "ustawa z 6 września 2001 r. o dostępie do informacji publicznej (Dz.U. 2001 nr 112 poz. 1198 ze zm.)";

/// Ustawa z dnia 11 lipca 2014 r. o petycjach.
pub const PETITIONS_ACT: &str =
    "ustawa z 11 lipca 2014 r. o petycjach (Dz.U. 2014 poz. 1195 ze zm.)";

/// Ustawa z dnia 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi
/// potrzebami (Dz.U. 2019 poz. 1696 ze zm.).
pub const SPECIAL_NEEDS_ACCESSIBILITY_ACT: &str = "ustawa z 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi potrzebami (Dz.U. 2019 poz. 1696 ze zm.)";

/// Ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji
/// mobilnych podmiotów publicznych (tekst jedn. Dz.U. 2023 poz. 1440).
pub const DIGITAL_ACCESSIBILITY_ACT: &str = "ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych (Dz.U. 2023 poz. 1440)";

/// Ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy.
pub const HOLIDAYS_ACT: &str =
    "ustawa z 18 stycznia 1951 r. o dniach wolnych od pracy (Dz.U. 1951 nr 4 poz. 28 ze zm.)";

// ---------------------------------------------------------------------------------------
// Terms for dealing with a case.
// ---------------------------------------------------------------------------------------

/// One kind of case and the term the organ has to deal with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseKindRule {
    /// The kind of case.
    pub kind: CaseKind,
    /// The statutory term, counted from the day the case starts (see [`crate::deadline`]).
    pub term: Term,
    /// The longest term the organ may set by notifying the party, where the act itself
    /// caps it. `None` where the act sets no cap (KPA art. 36 lets the organ name any new
    /// date, recorded as a [`crate::deadline::DelayNotice`]).
    pub extended_term: Option<Term>,
    /// Article and act.
    pub source: &'static str,
    /// Act (see the constants above).
    pub act: &'static str,
    /// How well the row is checked.
    pub status: SourceStatus,
}

/// Terms per kind of case. Sources: research file §0 and §2.1, §2.7, §1.6, §1.7.
pub const CASE_KIND_RULES: [CaseKindRule; 11] = [
    // KPA art. 35 § 2: "niezwłocznie" when the case can be decided on the evidence
    // supplied with the request, facts commonly known or known to the organ ex officio.
    CaseKindRule {
        kind: CaseKind::AdministrativeImmediate,
        term: Term::Immediately,
        extended_term: None,
        source: "KPA art. 35 § 2",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // KPA art. 35 § 3: a case requiring an investigation — no later than within 1 month.
    CaseKindRule {
        kind: CaseKind::AdministrativeSimple,
        term: Term::Months(1),
        extended_term: None,
        source: "KPA art. 35 § 3",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // KPA art. 35 § 3: a particularly complicated case — within 2 months from initiation.
    CaseKindRule {
        kind: CaseKind::AdministrativeComplex,
        term: Term::Months(2),
        extended_term: None,
        source: "KPA art. 35 § 3",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // KPA art. 35 § 3: appeal proceedings — within 1 month from receiving the appeal
    // (the appeal organ's term; start = the day the appeal reached the appeal organ).
    CaseKindRule {
        kind: CaseKind::Appeal,
        term: Term::Months(1),
        extended_term: None,
        source: "KPA art. 35 § 3",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // KPA art. 217 § 3: a certificate (zaświadczenie) — without delay, no later than 7 days.
    CaseKindRule {
        kind: CaseKind::Certificate,
        term: Term::Days(7),
        extended_term: None,
        source: "KPA art. 217 § 3",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // KPA art. 237 § 1 (complaint, skarga) and art. 244 § 1 (motion, wniosek): 1 month;
    // a longer time is announced under art. 36 (art. 237 § 4).
    CaseKindRule {
        kind: CaseKind::ComplaintOrMotion,
        term: Term::Months(1),
        extended_term: None,
        source: "KPA art. 237 § 1, art. 244 § 1",
        act: KPA,
        status: SourceStatus::Verified,
    },
    // Ustawa o petycjach art. 10 ust. 1: without undue delay, no later than 3 months from
    // filing. (Extensions for petitions are not in the research file: none encoded.)
    CaseKindRule {
        kind: CaseKind::Petition,
        term: Term::Months(3),
        extended_term: None,
        source: "ustawa o petycjach art. 10 ust. 1",
        act: PETITIONS_ACT,
        status: SourceStatus::Verified,
    },
    // UDIP art. 13 ust. 1: without undue delay, no later than 14 days from filing;
    // art. 13 ust. 2: the organ notifies the reasons and a new date, at most 2 months
    // from filing.
    CaseKindRule {
        kind: CaseKind::PublicInformation,
        term: Term::Days(14),
        extended_term: Some(Term::Months(2)),
        source: "UDIP art. 13 ust. 1 i 2",
        act: UDIP,
        status: SourceStatus::Verified,
    },
    // UDIP art. 16 ust. 2: an appeal against a refusal to provide public information is
    // decided within 14 days.
    CaseKindRule {
        kind: CaseKind::PublicInformationAppeal,
        term: Term::Days(14),
        extended_term: None,
        source: "UDIP art. 16 ust. 2",
        act: UDIP,
        status: SourceStatus::Verified,
    },
    // Digital accessibility act art. 18: a demand to make an element accessible is met
    // without delay, no later than 7 days; if impossible, the entity notifies the
    // requester and meets it no later than 2 months from the demand.
    // [VERIFY] research: "VERIFIED – secondary; VERIFY art. 18 of the 2019 act".
    CaseKindRule {
        kind: CaseKind::AccessibilityDemand,
        term: Term::Days(7),
        extended_term: Some(Term::Months(2)),
        source: "ustawa o dostępności cyfrowej art. 18",
        act: DIGITAL_ACCESSIBILITY_ACT,
        status: SourceStatus::Verify,
    },
    // Special-needs accessibility act art. 30 ust. 1: a person with special needs (or
    // their representative) may demand architectural or information-and-communication
    // accessibility; art. 31 ust. 1: the public entity meets it without undue delay, no
    // later than 14 days from the demand; art. 31 ust. 2: if it cannot, it notifies
    // the requester without delay of the reasons and a new date, no later than
    // 2 months from the demand (art. 31 ust. 3: an alternative access where
    // accessibility cannot be provided; art. 32: complaint to the PFRON president).
    CaseKindRule {
        kind: CaseKind::SpecialNeedsAccessibilityDemand,
        term: Term::Days(14),
        extended_term: Some(Term::Months(2)),
        source: "ustawa o zapewnianiu dostępności art. 31 ust. 1 i 2",
        act: SPECIAL_NEEDS_ACCESSIBILITY_ACT,
        status: SourceStatus::Likely,
    },
];

// ---------------------------------------------------------------------------------------
// Counting of terms.
// ---------------------------------------------------------------------------------------

/// KPA art. 57 § 4 (since 1 June 2017, ustawa z 7 kwietnia 2017, Dz.U. 2017 poz. 935):
/// a term whose end falls on a statutory day off or a Saturday ends on the next day that
/// is neither. Ends before this date are not modelled historically (the pre-2017 text
/// did not move terms off Saturdays); the engine applies the current rule to every date.
pub const SATURDAY_RULE_IN_FORCE_SINCE: (i16, i8, i8) = (2017, 6, 1);

// ---------------------------------------------------------------------------------------
// Public holidays.
// ---------------------------------------------------------------------------------------

/// When in the year a holiday falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayDate {
    /// The same calendar day every year.
    Fixed {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
    /// A number of days after Easter Sunday (Gregorian computus).
    EasterOffset(i16),
}

/// One holiday of art. 1 pkt 1 of the holidays act, with the years it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HolidayRule {
    /// When it falls.
    pub date: HolidayDate,
    /// Name as in the act.
    pub name_pl: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// First year it is a day off; `None` = for every year the table covers.
    pub from_year: Option<i16>,
    /// Last year it is a day off; `None` = still in force.
    pub to_year: Option<i16>,
    /// The amendment that brought it in, where it is newer than the table.
    pub source: &'static str,
    /// How well the row is checked.
    pub status: SourceStatus,
}

/// The first year the holiday table describes faithfully. Changes before it (22 July
/// until 1989, the restoration of 11 November in 1989 and of 3 May in 1990) are not
/// modelled: earlier years get the set below as if it had applied.
pub const HOLIDAY_TABLE_FIRST_YEAR: i16 = 1990;

/// Statutory public holidays: ustawa z 18 stycznia 1951 r. o dniach wolnych od pracy,
/// art. 1 pkt 1 (Sundays are days off by art. 1 pkt 2 and are not listed here).
/// Source of the list: research file §2.3 \[VERIFIED\].
pub const HOLIDAY_RULES: [HolidayRule; 14] = [
    HolidayRule {
        date: HolidayDate::Fixed { month: 1, day: 1 },
        name_pl: "Nowy Rok",
        name_en: "New Year's Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    // Restored by ustawa z 24 września 2010 r. o zmianie ustawy o dniach wolnych od pracy
    // (Dz.U. 2010 nr 224 poz. 1459), a day off from 2011. [VERIFY the Dz.U. position]
    HolidayRule {
        date: HolidayDate::Fixed { month: 1, day: 6 },
        name_pl: "Święto Trzech Króli",
        name_en: "Epiphany",
        from_year: Some(2011),
        to_year: None,
        source: "art. 1 pkt 1, ustawa z 24 września 2010 r. (Dz.U. 2010 nr 224 poz. 1459)",
        status: SourceStatus::Likely,
    },
    HolidayRule {
        date: HolidayDate::EasterOffset(0),
        name_pl: "pierwszy dzień Wielkiej Nocy",
        name_en: "Easter Sunday",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::EasterOffset(1),
        name_pl: "drugi dzień Wielkiej Nocy",
        name_en: "Easter Monday",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 5, day: 1 },
        name_pl: "Święto Państwowe",
        name_en: "Labour Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 5, day: 3 },
        name_pl: "Święto Narodowe Trzeciego Maja",
        name_en: "Constitution Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::EasterOffset(49),
        name_pl: "pierwszy dzień Zielonych Świątek",
        name_en: "Pentecost Sunday",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::EasterOffset(60),
        name_pl: "dzień Bożego Ciała",
        name_en: "Corpus Christi",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 8, day: 15 },
        name_pl: "Wniebowzięcie Najświętszej Maryi Panny",
        name_en: "Assumption of Mary",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 11, day: 1 },
        name_pl: "Wszystkich Świętych",
        name_en: "All Saints' Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 11, day: 11 },
        name_pl: "Narodowe Święto Niepodległości",
        name_en: "Independence Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    // Added by ustawa z 6 grudnia 2024 r. o zmianie ustawy o dniach wolnych od pracy
    // (in force 1 February 2025), so first a day off on 24 December 2025.
    // [VERIFY the Dz.U. position: Dz.U. 2024 poz. 1965]
    HolidayRule {
        date: HolidayDate::Fixed { month: 12, day: 24 },
        name_pl: "Wigilia Bożego Narodzenia",
        name_en: "Christmas Eve",
        from_year: Some(2025),
        to_year: None,
        source: "art. 1 pkt 1, ustawa z 6 grudnia 2024 r. (Dz.U. 2024 poz. 1965)",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 12, day: 25 },
        name_pl: "pierwszy dzień Bożego Narodzenia",
        name_en: "Christmas Day",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
    HolidayRule {
        date: HolidayDate::Fixed { month: 12, day: 26 },
        name_pl: "drugi dzień Bożego Narodzenia",
        name_en: "Second Day of Christmas",
        from_year: None,
        to_year: None,
        source: "art. 1 pkt 1",
        status: SourceStatus::Verified,
    },
];

impl HolidayRule {
    /// Whether the rule is a day off in `year`.
    pub const fn applies_in(&self, year: i16) -> bool {
        let after_start = match self.from_year {
            Some(from) => year >= from,
            None => true,
        };
        let before_end = match self.to_year {
            Some(to) => year <= to,
            None => true,
        };
        after_start && before_end
    }
}

// ---------------------------------------------------------------------------------------
// Case numbers (znak sprawy).
// ---------------------------------------------------------------------------------------

/// Longest JRWA class symbol accepted in a znak sprawy. The uniform JRWA for gminas
/// (annex to the rozporządzenie PRM z 18 stycznia 2011, Dz.U. 2011 nr 14 poz. 67) has
/// four levels, so leaf classes usually have 4 digits; extensions add a 5th level
/// (research file §2.6), hence 5.
pub const JRWA_CLASS_MAX_DIGITS: usize = 5;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_case_kind_has_exactly_one_rule() {
        for kind in CaseKind::ALL {
            let n = CASE_KIND_RULES.iter().filter(|r| r.kind == kind).count();
            assert_eq!(n, 1, "{kind:?}");
        }
        assert_eq!(CASE_KIND_RULES.len(), CaseKind::ALL.len());
    }

    #[test]
    fn fixed_holiday_dates_are_real_days() {
        for rule in HOLIDAY_RULES {
            if let HolidayDate::Fixed { month, day } = rule.date {
                // 2024 is a leap year: any real day exists in it.
                assert!(jiff::civil::Date::new(2024, month, day).is_ok(), "{rule:?}");
            }
        }
    }

    #[test]
    fn rule_year_ranges() {
        let epiphany = HOLIDAY_RULES[1];
        assert!(!epiphany.applies_in(2010));
        assert!(epiphany.applies_in(2011));
        let eve = HOLIDAY_RULES[11];
        assert!(!eve.applies_in(2024));
        assert!(eve.applies_in(2025));
        assert_eq!(SourceStatus::Verify.as_str(), "verify");
    }
}
