//! Terms that run after a letter is delivered or a request arrives, for the party or
//! for the organ: the appeal (odwołanie), the zażalenie, forwarding an appeal with the
//! file, forwarding a ponaglenie; and the day a decision becomes final when nobody
//! appeals. Counted by the KPA's rules for terms (art. 57, [`crate::deadline`]). Pure.
//!
//! Sources (KPA, t.j. Dz.U. 2024 poz. 572):
//! - art. 129 § 2: an appeal is lodged within 14 days of the decision's delivery to the
//!   party (or its announcement, when announced orally);
//! - art. 141 § 2: a zażalenie within 7 days of the order's delivery;
//! - art. 133: the organ of first instance forwards the appeal with the case file to the
//!   appeal body within 7 days of receiving it (unless it decides anew under art. 132);
//! - art. 37 § 4: a ponaglenie is forwarded with the case file and the organ's position
//!   within 7 days of receiving it;
//! - art. 16 § 1: decisions against which no appeal lies are final (ostateczne): once the
//!   appeal term has run out unused, the decision is final from the next day.
//!
//! With several parties each term runs separately from the delivery to each; the day a
//! decision becomes final is then the latest of them — the caller passes the last
//! delivery.

use jiff::civil::Date;

use crate::deadline::{DeadlineError, Term, due_date};

/// A term after an event, by its name in `magistrat deadline --kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartyTerm {
    /// The party's appeal against a decision: 14 days from delivery (art. 129 § 2).
    AppealTerm,
    /// The party's zażalenie against an order: 7 days from delivery (art. 141 § 2).
    ZazalenieTerm,
    /// The organ forwards an appeal with the file: 7 days from receipt (art. 133).
    AppealForward,
    /// The organ forwards a ponaglenie with its position: 7 days (art. 37 § 4).
    PonaglenieForward,
}

impl PartyTerm {
    /// Every term.
    pub const ALL: [PartyTerm; 4] = [
        PartyTerm::AppealTerm,
        PartyTerm::ZazalenieTerm,
        PartyTerm::AppealForward,
        PartyTerm::PonaglenieForward,
    ];

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyTerm::AppealTerm => "appeal-term",
            PartyTerm::ZazalenieTerm => "zazalenie-term",
            PartyTerm::AppealForward => "appeal-forward",
            PartyTerm::PonaglenieForward => "ponaglenie-forward",
        }
    }

    /// The term of a name, if it is one.
    pub fn parse(s: &str) -> Option<PartyTerm> {
        PartyTerm::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Its length.
    pub fn term(self) -> Term {
        match self {
            PartyTerm::AppealTerm => Term::Days(14),
            PartyTerm::ZazalenieTerm | PartyTerm::AppealForward | PartyTerm::PonaglenieForward => {
                Term::Days(7)
            }
        }
    }

    /// The provision it comes from.
    pub fn source(self) -> &'static str {
        match self {
            PartyTerm::AppealTerm => "KPA art. 129 § 2",
            PartyTerm::ZazalenieTerm => "KPA art. 141 § 2",
            PartyTerm::AppealForward => "KPA art. 133",
            PartyTerm::PonaglenieForward => "KPA art. 37 § 4",
        }
    }

    /// What starts it, in words (for the help and the calculator).
    pub fn starts_with(self) -> &'static str {
        match self {
            PartyTerm::AppealTerm => "the decision's delivery to the party",
            PartyTerm::ZazalenieTerm => "the order's delivery to the party",
            PartyTerm::AppealForward => "the appeal's receipt by the organ of first instance",
            PartyTerm::PonaglenieForward => "the ponaglenie's receipt by the organ",
        }
    }

    /// The last day of the term started on `from` (the day of the event is not counted;
    /// a last day on a Saturday or a holiday moves to the next working day, art. 57 § 4).
    pub fn last_day(self, from: Date) -> Result<Date, DeadlineError> {
        due_date(from, self.term(), &[])
    }
}

/// What follows the delivery of a decision or an order that can be challenged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AfterDelivery {
    /// Which term runs.
    pub term: PartyTerm,
    /// Its last day.
    pub last_day: Date,
    /// The day the act becomes final if it is not challenged (art. 16 § 1).
    pub final_on: Date,
}

/// The term and the finality of an act delivered on `delivered_on`.
pub fn after_delivery(term: PartyTerm, delivered_on: Date) -> Result<AfterDelivery, DeadlineError> {
    let last_day = term.last_day(delivered_on)?;
    let final_on = last_day.tomorrow().map_err(|_| DeadlineError::OutOfRange)?;
    Ok(AfterDelivery {
        term,
        last_day,
        final_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Real dates, counted by hand against art. 57 (§ 1: the day of delivery not
    /// counted; § 4: a Saturday or holiday end moves to the next working day).
    #[test]
    fn terms_after_delivery() {
        let table = [
            // Delivered Monday 2 Nov 2026 → 14 days → Monday 16 Nov.
            (PartyTerm::AppealTerm, date(2026, 11, 2), date(2026, 11, 16)),
            // Delivered Friday 27 Nov 2026 → 14 days → Friday 11 Dec.
            (
                PartyTerm::AppealTerm,
                date(2026, 11, 27),
                date(2026, 12, 11),
            ),
            // Delivered Thursday 10 Dec 2026 → Thursday 24 Dec (Wigilia, a holiday since
            // 2025), 25 Christmas, 26 Saturday, 27 Sunday → Monday 28 Dec.
            (
                PartyTerm::AppealTerm,
                date(2026, 12, 10),
                date(2026, 12, 28),
            ),
            // Zażalenie: delivered Thursday 5 Nov 2026 → 12 Nov.
            (
                PartyTerm::ZazalenieTerm,
                date(2026, 11, 5),
                date(2026, 11, 12),
            ),
            // 7 days from Tuesday 3 Nov 2026 → Tuesday 10 Nov; from 4 Nov → 11 Nov is
            // Independence Day → Thursday 12 Nov.
            (
                PartyTerm::AppealForward,
                date(2026, 11, 3),
                date(2026, 11, 10),
            ),
            (
                PartyTerm::PonaglenieForward,
                date(2026, 11, 4),
                date(2026, 11, 12),
            ),
        ];
        for (term, from, expected) in table {
            assert_eq!(
                term.last_day(from),
                Ok(expected),
                "{} from {from}",
                term.as_str()
            );
        }
    }

    /// Art. 16 § 1: final the day after the appeal term runs out unused.
    #[test]
    fn a_decision_is_final_the_day_after_the_term() {
        let a = after_delivery(PartyTerm::AppealTerm, date(2026, 11, 2)).unwrap();
        assert_eq!(a.last_day, date(2026, 11, 16));
        assert_eq!(a.final_on, date(2026, 11, 17));
    }

    #[test]
    fn names_round_trip() {
        for t in PartyTerm::ALL {
            assert_eq!(PartyTerm::parse(t.as_str()), Some(t));
        }
        assert_eq!(PartyTerm::parse("appeal"), None);
    }

    proptest! {
        /// The last day is never before the start plus the term's days, never more than
        /// a few days after it (holidays and a weekend), and the act is final the day after.
        #[test]
        fn terms_are_bounded(offset in 0i64..3650, which in 0usize..4) {
            let term = PartyTerm::ALL[which];
            let from = date(2025, 1, 1).checked_add(jiff::Span::new().days(offset)).unwrap();
            let days = match term.term() { Term::Days(d) => i64::from(d), _ => 0 };
            prop_assert!(days > 0, "a term of days");
            let a = after_delivery(term, from).unwrap();
            let plain = from.checked_add(jiff::Span::new().days(days)).unwrap();
            prop_assert!(a.last_day >= plain);
            prop_assert!(a.last_day <= plain.checked_add(jiff::Span::new().days(5)).unwrap());
            prop_assert_eq!(a.final_on, a.last_day.tomorrow().unwrap());
        }
    }
}
