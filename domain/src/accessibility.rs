//! The demand for accessibility (żądanie zapewnienia dostępności): its two statutory
//! kinds and their deadlines, as the resident's service card and the case register
//! show them.
//!
//! - **Architectural or information-and-communication accessibility**: ustawa z dnia
//!   19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi potrzebami
//!   (Dz.U. 2019 poz. 1696 ze zm.), art. 30 ust. 1 (who may demand it and what the
//!   demand holds, ust. 3), art. 31 ust. 1 (met without undue delay, no later than
//!   14 days from the demand), art. 31 ust. 2 (if that is impossible, the requester is
//!   told the reasons and a new date, no later than 2 months from the demand),
//!   art. 31 ust. 3 (alternative access), art. 32 (complaint to the PFRON president).
//! - **Digital accessibility** of a website or an application: ustawa z dnia 4 kwietnia
//!   2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów
//!   publicznych (Dz.U. 2023 poz. 1440), art. 18 ust. 1 (the demand), art. 18 ust. 2
//!   and 3 (met without undue delay, no later than 7 days; if impossible, notified,
//!   no later than 2 months), art. 18 ust. 4 (alternative access) and art. 19 (the
//!   complaint when the demand or the alternative is refused) \[VERIFY the paragraph
//!   numbers in the consolidated text; the terms are in [`crate::rules`]\].
//!
//! The terms themselves are rows of [`crate::rules::CASE_KIND_RULES`]; they are counted
//! like every term of the office ([`crate::deadline::due_date`]: the day of the demand
//! not counted, an end on a Saturday or a statutory day off moves to the next working
//! day; a term in months ends on the same day number).

use jiff::civil::Date;

use crate::deadline::{CaseKind, DeadlineError};

/// Which accessibility the demand is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Demand {
    /// Architectural or information-and-communication (the 19 July 2019 act).
    SpecialNeeds,
    /// A website, a document on it or a mobile application (the 4 April 2019 act).
    Digital,
}

impl Demand {
    /// Both kinds.
    pub const ALL: [Demand; 2] = [Demand::SpecialNeeds, Demand::Digital];

    /// The kind of case the demand is registered as.
    pub fn case_kind(self) -> CaseKind {
        match self {
            Demand::SpecialNeeds => CaseKind::SpecialNeedsAccessibilityDemand,
            Demand::Digital => CaseKind::AccessibilityDemand,
        }
    }

    /// The demand a kind of case stands for, if it is one.
    pub fn of_case_kind(kind: CaseKind) -> Option<Demand> {
        Demand::ALL.into_iter().find(|d| d.case_kind() == kind)
    }

    /// The articles that set who may demand and the terms.
    pub fn articles(self) -> &'static str {
        match self {
            Demand::SpecialNeeds => {
                "ustawa z 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi potrzebami, art. 30–31"
            }
            Demand::Digital => {
                "ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych, art. 18–19"
            }
        }
    }
}

/// The two dates of a demand: when it must be met, and the latest date the office may
/// set when it notifies the requester that it cannot meet the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemandDeadlines {
    /// The statutory term's end (14 or 7 days).
    pub due: Date,
    /// The latest new date after a notice (2 months from the demand).
    pub latest_with_notice: Date,
}

/// The deadlines of a demand made on `filed_on`.
pub fn deadlines(demand: Demand, filed_on: Date) -> Result<DemandDeadlines, DeadlineError> {
    let kind = demand.case_kind();
    let due = kind.due_date(filed_on, &[])?;
    let latest_with_notice = kind.extended_due_date(filed_on, &[])?.unwrap_or(due);
    Ok(DemandDeadlines {
        due,
        latest_with_notice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Real dates, with the weekday and the holiday that decide each line.
    #[test]
    fn deadlines_with_real_dates() {
        let table = [
            // Friday 4 December 2026 + 14 days = Friday 18 December; + 2 months =
            // Thursday 4 February 2027.
            (
                Demand::SpecialNeeds,
                date(2026, 12, 4),
                date(2026, 12, 18),
                date(2027, 2, 4),
            ),
            // Wednesday 10 December 2025 + 14 = Wednesday 24 December (Wigilia, a
            // statutory day off since 2025); 25 and 26 are holidays, 27 a Saturday,
            // 28 a Sunday → Monday 29 December. + 2 months = Tuesday 10 February 2026.
            (
                Demand::SpecialNeeds,
                date(2025, 12, 10),
                date(2025, 12, 29),
                date(2026, 2, 10),
            ),
            // Tuesday 31 March 2026 + 14 = Tuesday 14 April; + 2 months = Sunday
            // 31 May → Monday 1 June.
            (
                Demand::SpecialNeeds,
                date(2026, 3, 31),
                date(2026, 4, 14),
                date(2026, 6, 1),
            ),
            // Digital: Monday 7 December 2026 + 7 = Monday 14 December; + 2 months =
            // Sunday 7 February 2027 → Monday 8 February.
            (
                Demand::Digital,
                date(2026, 12, 7),
                date(2026, 12, 14),
                date(2027, 2, 8),
            ),
            // Digital: Saturday 31 October 2026 + 7 = Saturday 7 November → Monday
            // 9 November; + 2 months = Thursday 31 December 2026.
            (
                Demand::Digital,
                date(2026, 10, 31),
                date(2026, 11, 9),
                date(2026, 12, 31),
            ),
            // Digital: Friday 30 April 2027 + 7 = Friday 7 May; + 2 months = Wednesday
            // 30 June.
            (
                Demand::Digital,
                date(2027, 4, 30),
                date(2027, 5, 7),
                date(2027, 6, 30),
            ),
        ];
        for (demand, filed, due, latest) in table {
            assert_eq!(
                deadlines(demand, filed),
                Ok(DemandDeadlines {
                    due,
                    latest_with_notice: latest
                }),
                "{demand:?} filed {filed}"
            );
        }
    }

    #[test]
    fn each_demand_is_its_own_kind_of_case() {
        for d in Demand::ALL {
            assert_eq!(Demand::of_case_kind(d.case_kind()), Some(d));
            assert!(d.articles().contains("art."));
        }
        assert_eq!(Demand::of_case_kind(CaseKind::Petition), None);
        assert_eq!(
            CaseKind::SpecialNeedsAccessibilityDemand.source(),
            "ustawa o zapewnianiu dostępności art. 31 ust. 1 i 2"
        );
    }

    proptest! {
        /// The notice's date is never before the term's end, and both come after the
        /// demand; the digital term is never later than the special-needs one.
        #[test]
        fn notice_never_shortens_the_term(day in 0i64..36_500) {
            let filed = date(2000, 1, 1)
                .checked_add(jiff::Span::new().days(day))
                .unwrap_or(date(2000, 1, 1));
            let special = deadlines(Demand::SpecialNeeds, filed);
            let digital = deadlines(Demand::Digital, filed);
            prop_assert!(special.is_ok() && digital.is_ok());
            if let (Ok(s), Ok(d)) = (special, digital) {
                prop_assert!(s.due > filed && d.due > filed);
                prop_assert!(s.latest_with_notice >= s.due);
                prop_assert!(d.latest_with_notice >= d.due);
                prop_assert!(d.due <= s.due);
            }
        }
    }
}
