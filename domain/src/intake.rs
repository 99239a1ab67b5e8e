//! Checks at the intake of a request. Pure.
//!
//! KPA art. 63 § 1 (t.j. Dz.U. 2024 poz. 572) lists how a podanie may be filed: in
//! writing, by telegraph, by other means of electronic communication through the
//! organ's electronic inbox (ePUAP), to the address for electronic delivery
//! (e-Doręczenia), or orally to the protocol. A plain e-mail is none of these: an
//! e-mail request in proceedings under the KPA lacks the signature of art. 63 § 3, a
//! formal defect the organ calls on the party to remove within 7 days (art. 64 § 2).
//! Magistrat registers such a request (it arrived and is on record), but warns.
//!
//! Beside it, the rules of the intake that the KPA decides: when the term of art. 35
//! starts (a case started ex officio, art. 61 § 1; a request whose formal defects were
//! removed, art. 64 § 2), the party's 7 days to remove the defects, the posting date of
//! art. 57 § 5 pkt 2 for a party's terms, and who receives the letters of a party
//! acting through a pełnomocnik (art. 32–33, art. 40 § 2).

use jiff::civil::Date;

use crate::deadline::{CaseKind, DeadlineError, Term, due_date};
use crate::metryka;

/// Whether a request of `kind` that came by plain e-mail should be flagged: the case is
/// conducted under the KPA (where art. 63 § 1 binds), and e-mail is not one of its ways
/// of filing. Complaints and motions may be sent by e-mail (rozporządzenie Rady
/// Ministrów z 8 stycznia 2002 r. w sprawie organizacji przyjmowania i rozpatrywania
/// skarg i wniosków, § 5), a petition by any means of electronic communication
/// (ustawa o petycjach, art. 4), and a public-information request has no prescribed
/// form (UDIP art. 10).
pub fn email_filing_needs_warning(kind: CaseKind, by_email: bool) -> bool {
    by_email && metryka::required_for(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kpa_proceedings_filed_by_email_are_flagged() {
        let table = [
            (CaseKind::AdministrativeSimple, true, true),
            (CaseKind::AdministrativeComplex, true, true),
            (CaseKind::Certificate, true, true),
            (CaseKind::AdministrativeSimple, false, false),
            (CaseKind::Petition, true, false),
            (CaseKind::PublicInformation, true, false),
            (CaseKind::ComplaintOrMotion, true, false),
        ];
        for (kind, by_email, expected) in table {
            assert_eq!(
                email_filing_needs_warning(kind, by_email),
                expected,
                "{kind:?} {by_email}"
            );
        }
    }
}

// =======================================================================================
// The start of the term: ex officio, on request, after formal defects
// =======================================================================================

/// How a case was started (KPA art. 61 § 1: on a party's request or ex officio).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Initiation {
    /// On request: the term starts with the day the request reached the organ
    /// (art. 61 § 3; for an electronic filing, the day it entered the organ's system,
    /// art. 61 § 3a).
    OnRequest,
    /// Ex officio: the proceedings start with the organ's first act towards a party
    /// (art. 61 § 1, § 4), and the term of art. 35 § 3 ("od dnia wszczęcia
    /// postępowania") counts from that day.
    ExOfficio,
}

/// Whether a case of `kind` may be started ex officio. Only administrative proceedings
/// on the merits may (art. 61 § 1); an appeal exists only when a party lodges one
/// (art. 127), a certificate is issued at a request (art. 217 § 1), and complaints,
/// motions, petitions, public-information requests and accessibility demands are a
/// person's filing by definition.
pub fn may_start_ex_officio(kind: CaseKind) -> bool {
    matches!(
        kind,
        CaseKind::AdministrativeSimple
            | CaseKind::AdministrativeComplex
            | CaseKind::AdministrativeImmediate
    )
}

/// The day the term of art. 35 counts from: the day of initiation (`started_on`: the
/// receipt of the request, or the first act of a case started ex officio), or — for a
/// request whose formal defects were removed after a summons of art. 64 § 2 — the day
/// of the removal, since only a request without defects can be examined and the term
/// runs from the day the organ can act on it ("termin załatwienia sprawy biegnie od
/// dnia usunięcia braków"). A removal recorded before the initiation is ignored.
pub fn term_starts_on(started_on: Date, defects_removed_on: Option<Date>) -> Date {
    match defects_removed_on {
        Some(removed) if removed > started_on => removed,
        _ => started_on,
    }
}

// =======================================================================================
// Formal defects (art. 64 § 2)
// =======================================================================================

/// The party's term to remove the formal defects of a request: 7 days from the day the
/// summons was delivered (KPA art. 64 § 2: "w terminie siedmiu dni"), the day of
/// delivery not counted (art. 57 § 1) and a last day on a Saturday or a holiday moved
/// to the next day that is neither (art. 57 § 4).
pub fn defect_term(delivered_on: Date) -> Result<Date, DeadlineError> {
    due_date(delivered_on, Term::Days(7), &[])
}

/// Why a removal or a leaving without examination is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DefectError {
    /// The supplement reached the office before the summons reached the party.
    #[error("received before the summons was delivered")]
    BeforeDelivery,
    /// The posting date of the supplement is after its receipt.
    #[error("posted after it was received")]
    PostedAfterReceipt,
    /// The request is left without examination while the party's term still runs.
    #[error("the party's term has not run out")]
    TermRunning,
}

impl DefectError {
    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            DefectError::BeforeDelivery => "case-defect-error-before-delivery",
            DefectError::PostedAfterReceipt => "case-error-posted-after-receipt",
            DefectError::TermRunning => "case-defect-error-term-running",
        }
    }
}

/// The party's removal of the defects: received by the office on `received_on`,
/// posted at a Polish post office on `posted_on` if it came by post. Returns whether
/// it came in the term (art. 64 § 2 with art. 57 § 5 pkt 2: the posting day decides).
/// A removal after the term is still recorded (the organ may examine a request
/// completed late as long as it has not left it without examination); whether it was
/// late is kept.
pub fn remove_defects(
    delivered_on: Date,
    received_on: Date,
    posted_on: Option<Date>,
) -> Result<bool, DefectError> {
    if received_on < delivered_on {
        return Err(DefectError::BeforeDelivery);
    }
    check_posting(posted_on, received_on).map_err(|_| DefectError::PostedAfterReceipt)?;
    let last_day = defect_term(delivered_on).map_err(|_| DefectError::TermRunning)?;
    Ok(kept_term(last_day, received_on, posted_on))
}

/// Whether the request may be left without examination on `on` (art. 64 § 2): only
/// once the party's 7 days have run out, i.e. from the day after the last day.
pub fn may_leave_unexamined(delivered_on: Date, on: Date) -> Result<(), DefectError> {
    let last_day = defect_term(delivered_on).map_err(|_| DefectError::TermRunning)?;
    if on <= last_day {
        return Err(DefectError::TermRunning);
    }
    Ok(())
}

// =======================================================================================
// The posting date (art. 57 § 5 pkt 2)
// =======================================================================================

/// A posting date is never after the receipt (a letter reaches the office after it was
/// posted); `Err(())` when it is.
#[allow(clippy::result_unit_err)]
pub fn check_posting(posted_on: Option<Date>, received_on: Date) -> Result<(), ()> {
    match posted_on {
        Some(posted) if posted > received_on => Err(()),
        _ => Ok(()),
    }
}

/// The day a party's letter counts as lodged for its term: the day of posting at a
/// Polish post office of the designated operator (art. 57 § 5 pkt 2: "nadanie w
/// polskiej placówce pocztowej operatora wyznaczonego"), or the day of receipt when it
/// did not come by post.
pub fn lodged_on(received_on: Date, posted_on: Option<Date>) -> Date {
    posted_on.unwrap_or(received_on)
}

/// Whether a party's term ending on `last_day` was kept by a letter received on
/// `received_on` and posted on `posted_on` (art. 57 § 5 pkt 2): posted on the last
/// day at the latest, whenever it arrived.
pub fn kept_term(last_day: Date, received_on: Date, posted_on: Option<Date>) -> bool {
    lodged_on(received_on, posted_on) <= last_day
}

// =======================================================================================
// Parties and their pełnomocnik (art. 28–33, art. 40 § 2)
// =======================================================================================

/// What a party is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartyKind {
    /// A natural person.
    Person,
    /// A legal person or an organisational unit without legal personality (art. 29).
    Organisation,
}

impl PartyKind {
    /// Both kinds.
    pub const ALL: [PartyKind; 2] = [PartyKind::Person, PartyKind::Organisation];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
        }
    }

    /// The kind of a stored code.
    pub fn parse(s: &str) -> Option<PartyKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The scope of a power of attorney (art. 33 § 1 allows both; the special one is for
/// a given act or case, the general for the party's affairs before the organ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PowerScope {
    /// Pełnomocnictwo ogólne.
    General,
    /// Pełnomocnictwo szczególne (to this case or act).
    Special,
}

impl PowerScope {
    /// Both scopes.
    pub const ALL: [PowerScope; 2] = [PowerScope::General, PowerScope::Special];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerScope::General => "general",
            PowerScope::Special => "special",
        }
    }

    /// The scope of a stored code.
    pub fn parse(s: &str) -> Option<PowerScope> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A party's pełnomocnik.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Representative {
    /// First name and surname: a natural person (art. 33 § 1).
    pub name: String,
    /// The address letters go to (art. 40 § 2).
    pub address: String,
    /// General or special.
    pub scope: PowerScope,
    /// The power of attorney: the document filed in the akta (the original or a copy
    /// certified as art. 33 § 3 allows) or the oral power recorded in a protocol
    /// (art. 33 § 2) — what it is and when it was filed.
    pub document: String,
}

/// Why a pełnomocnik is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RepresentativeError {
    /// Art. 33 § 1: only a natural person with the capacity for legal acts
    /// ("osoba fizyczna posiadająca zdolność do czynności prawnych") may be one.
    #[error("a pełnomocnik must be a natural person with capacity for legal acts")]
    NoCapacity,
    /// Art. 33 § 2: the power is given in writing, electronically or to the protocol;
    /// the organ must have it on file.
    #[error("the power of attorney is not on file")]
    NoDocument,
    /// Letters go to the pełnomocnik (art. 40 § 2): without an address they cannot.
    #[error("the pełnomocnik has no address")]
    NoAddress,
}

impl RepresentativeError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            RepresentativeError::NoCapacity => "rep_capacity",
            RepresentativeError::NoDocument => "rep_document",
            RepresentativeError::NoAddress => "rep_address",
        }
    }

    /// The Fluent id of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            RepresentativeError::NoCapacity => "case-party-error-rep-capacity",
            RepresentativeError::NoDocument => "case-party-error-rep-document",
            RepresentativeError::NoAddress => "case-party-error-rep-address",
        }
    }
}

/// Checks a pełnomocnik as the form gives it: whether the official confirmed the
/// person is a natural person with capacity (art. 33 § 1), the power of attorney on
/// file (art. 33 § 2), and an address for the letters (art. 40 § 2). Every problem,
/// in the order of the form.
pub fn check_representative(rep: &Representative, capacity: bool) -> Vec<RepresentativeError> {
    let mut errors = Vec::new();
    if rep.address.trim().is_empty() {
        errors.push(RepresentativeError::NoAddress);
    }
    if !capacity {
        errors.push(RepresentativeError::NoCapacity);
    }
    if rep.document.trim().is_empty() {
        errors.push(RepresentativeError::NoDocument);
    }
    errors
}

/// A party of the case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// Person or organisation.
    pub kind: PartyKind,
    /// Name (first name and surname, or the organisation's name).
    pub name: String,
    /// Postal address.
    pub address: String,
    /// The pełnomocnik, if the party appointed one.
    pub representative: Option<Representative>,
}

/// Who a letter to a party goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addressee<'a> {
    /// The name on the envelope.
    pub name: &'a str,
    /// The address on the envelope.
    pub address: &'a str,
    /// The party it is for when it goes to the party's pełnomocnik.
    pub on_behalf_of: Option<&'a str>,
}

/// Who receives the letters meant for `party`: its pełnomocnik when it appointed one
/// (KPA art. 40 § 2: "jeżeli strona działa przez pełnomocnika, pisma doręcza się
/// pełnomocnikowi"), otherwise the party itself.
pub fn addressee(party: &Party) -> Addressee<'_> {
    match &party.representative {
        Some(rep) => Addressee {
            name: &rep.name,
            address: &rep.address,
            on_behalf_of: Some(&party.name),
        },
        None => Addressee {
            name: &party.name,
            address: &party.address,
            on_behalf_of: None,
        },
    }
}

/// The addressees of a letter to every party, one line each, in the parties' order,
/// as a letter's "oznaczenie strony" (art. 107 § 1 pkt 3) prints them: `Name, address`,
/// or for a represented party `Party — pełnomocnik: Name, address`. A pełnomocnik of
/// several parties gets one line per party (each party is named in the letter).
pub fn addressee_lines(parties: &[Party]) -> String {
    parties
        .iter()
        .map(|p| {
            let to = addressee(p);
            let place = |name: &str, address: &str| {
                let address = address.split_whitespace().collect::<Vec<_>>().join(" ");
                if address.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}, {address}")
                }
            };
            match to.on_behalf_of {
                Some(party) => format!("{party} — pełnomocnik: {}", place(to.name, to.address)),
                None => place(to.name, to.address),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod intake_tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Art. 64 § 2 with art. 57: 7 days from the delivery, the delivery day not
    /// counted, a Saturday or a holiday moved on.
    #[test]
    fn the_defect_term_is_seven_days_from_delivery() {
        let table = [
            // Delivered Monday 16 March 2026: Monday 23 March.
            (date(2026, 3, 16), date(2026, 3, 23)),
            // Delivered Saturday 24 October 2026: Saturday 31 October → Monday 2
            // November (1 November, a Sunday and a holiday, passed over as well).
            (date(2026, 10, 24), date(2026, 11, 2)),
            // Delivered on a holiday (Corpus Christi, Thursday 4 June 2026): the term
            // runs from it all the same and ends Thursday 11 June.
            (date(2026, 6, 4), date(2026, 6, 11)),
            // Delivered 17 December 2025: 24 December (a holiday from 2025), 25 and 26
            // December (holidays), 27 a Saturday, 28 a Sunday → Monday 29 December.
            (date(2025, 12, 17), date(2025, 12, 29)),
            // Delivered 30 April 2026: 7 May, a Thursday.
            (date(2026, 4, 30), date(2026, 5, 7)),
        ];
        for (delivered, last) in table {
            assert_eq!(defect_term(delivered), Ok(last), "delivered {delivered}");
        }
    }

    #[test]
    fn a_removal_posted_on_the_last_day_is_in_term() {
        let delivered = date(2026, 3, 16); // last day Monday 23 March
        let table = [
            // (received, posted, in term)
            (date(2026, 3, 20), None, true),
            (date(2026, 3, 23), None, true),
            (date(2026, 3, 24), None, false),
            (date(2026, 3, 26), Some(date(2026, 3, 23)), true),
            (date(2026, 3, 26), Some(date(2026, 3, 24)), false),
            (date(2026, 3, 16), None, true),
        ];
        for (received, posted, in_term) in table {
            assert_eq!(
                remove_defects(delivered, received, posted),
                Ok(in_term),
                "received {received}, posted {posted:?}"
            );
        }
        assert_eq!(
            remove_defects(delivered, date(2026, 3, 15), None),
            Err(DefectError::BeforeDelivery)
        );
        assert_eq!(
            remove_defects(delivered, date(2026, 3, 20), Some(date(2026, 3, 21))),
            Err(DefectError::PostedAfterReceipt)
        );
    }

    #[test]
    fn leaving_unexamined_waits_for_the_end_of_the_term() {
        let delivered = date(2026, 10, 24); // last day Monday 2 November
        let table = [
            (date(2026, 10, 30), Err(DefectError::TermRunning)),
            (date(2026, 11, 2), Err(DefectError::TermRunning)),
            (date(2026, 11, 3), Ok(())),
        ];
        for (on, expected) in table {
            assert_eq!(may_leave_unexamined(delivered, on), expected, "{on}");
        }
    }

    #[test]
    fn only_proceedings_on_the_merits_start_ex_officio() {
        let table = [
            (CaseKind::AdministrativeSimple, true),
            (CaseKind::AdministrativeComplex, true),
            (CaseKind::AdministrativeImmediate, true),
            (CaseKind::Appeal, false),
            (CaseKind::Certificate, false),
            (CaseKind::PublicInformationAppeal, false),
            (CaseKind::ComplaintOrMotion, false),
            (CaseKind::Petition, false),
            (CaseKind::PublicInformation, false),
            (CaseKind::AccessibilityDemand, false),
            // A demand of a person with special needs is a request, never started by
            // the organ itself (ustawa o zapewnianiu dostępności, art. 30).
            (CaseKind::SpecialNeedsAccessibilityDemand, false),
        ];
        assert_eq!(table.len(), CaseKind::ALL.len());
        for (kind, expected) in table {
            assert_eq!(may_start_ex_officio(kind), expected, "{kind:?}");
        }
    }

    #[test]
    fn the_term_counts_from_the_removal_of_defects() {
        let received = date(2026, 3, 2);
        assert_eq!(term_starts_on(received, None), received);
        assert_eq!(
            term_starts_on(received, Some(date(2026, 3, 20))),
            date(2026, 3, 20)
        );
        // A removal dated before the initiation cannot move the start back.
        assert_eq!(term_starts_on(received, Some(date(2026, 2, 27))), received);
    }

    #[test]
    fn the_posting_date_decides_the_partys_term() {
        // Art. 57 § 5 pkt 2: an appeal against a decision delivered on Tuesday
        // 3 November 2026 (last day Tuesday 17 November) posted that day and received
        // on the 19th is in time; received the 18th without a postmark it is not.
        let last = date(2026, 11, 17);
        assert!(kept_term(last, date(2026, 11, 19), Some(last)));
        assert!(!kept_term(last, date(2026, 11, 18), None));
        assert!(kept_term(last, last, None));
        assert_eq!(
            check_posting(Some(date(2026, 11, 20)), date(2026, 11, 19)),
            Err(())
        );
        assert_eq!(
            check_posting(Some(date(2026, 11, 19)), date(2026, 11, 19)),
            Ok(())
        );
        assert_eq!(check_posting(None, date(2026, 11, 19)), Ok(()));
    }

    fn rep() -> Representative {
        Representative {
            name: "Adwokat Anna Lis".into(),
            address: "ul. Długa 5\n62-300 Borowiec".into(),
            scope: PowerScope::Special,
            document: "Pełnomocnictwo z 2 marca 2026 r. w aktach".into(),
        }
    }

    #[test]
    fn a_representative_needs_capacity_a_document_and_an_address() {
        assert!(check_representative(&rep(), true).is_empty());
        let mut bare = rep();
        bare.address = " ".into();
        bare.document = String::new();
        assert_eq!(
            check_representative(&bare, false),
            [
                RepresentativeError::NoAddress,
                RepresentativeError::NoCapacity,
                RepresentativeError::NoDocument
            ]
        );
    }

    #[test]
    fn letters_go_to_the_pelnomocnik_of_a_represented_party() {
        let parties = vec![
            Party {
                kind: PartyKind::Person,
                name: "Jan Nowak".into(),
                address: "Rynek 1\n62-300 Borowiec".into(),
                representative: None,
            },
            Party {
                kind: PartyKind::Organisation,
                name: "Spółdzielnia Mieszkaniowa „Zgoda”".into(),
                address: "ul. Polna 2, 62-300 Borowiec".into(),
                representative: Some(rep()),
            },
            Party {
                kind: PartyKind::Person,
                name: "Ewa Kos".into(),
                address: String::new(),
                representative: None,
            },
        ];
        let to = addressee(&parties[1]);
        assert_eq!(to.name, "Adwokat Anna Lis");
        assert_eq!(to.on_behalf_of, Some("Spółdzielnia Mieszkaniowa „Zgoda”"));
        assert_eq!(addressee(&parties[0]).name, "Jan Nowak");
        assert_eq!(
            addressee_lines(&parties),
            "Jan Nowak, Rynek 1 62-300 Borowiec\n\
             Spółdzielnia Mieszkaniowa „Zgoda” — pełnomocnik: Adwokat Anna Lis, ul. Długa 5 62-300 Borowiec\n\
             Ewa Kos"
        );
        assert_eq!(addressee_lines(&[]), "");
    }

    #[test]
    fn codes_round_trip() {
        for k in PartyKind::ALL {
            assert_eq!(PartyKind::parse(k.as_str()), Some(k));
        }
        for s in PowerScope::ALL {
            assert_eq!(PowerScope::parse(s.as_str()), Some(s));
        }
        assert_eq!(PartyKind::parse("firm"), None);
        assert_eq!(PowerScope::parse(""), None);
    }

    fn day() -> impl Strategy<Value = Date> {
        (0_i64..4000).prop_map(|n| {
            date(2020, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap_or(date(2020, 1, 1))
        })
    }

    proptest! {
        /// The defect term ends 7 to 12 days after the delivery (at most five days of
        /// holidays, Saturdays and Sundays follow a 7th day: 24 December 2025 on a
        /// Wednesday),
        /// never on a Saturday or a Sunday.
        #[test]
        fn the_defect_term_is_a_week_or_a_little_more(delivered in day()) {
            let last = defect_term(delivered).unwrap();
            let days = (last - delivered).get_days();
            prop_assert!((7..=12).contains(&days), "{delivered} → {last}");
            prop_assert!(!matches!(last.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday));
        }

        /// Posting earlier never makes a letter late; a letter received in term is in
        /// term whatever its posting.
        #[test]
        fn posting_only_helps(last in day(), received_after in 0_i64..20, posted_before in 0_i64..20) {
            let received = last.checked_add(jiff::Span::new().days(received_after - 10)).unwrap();
            let posted = received.checked_sub(jiff::Span::new().days(posted_before)).unwrap();
            if kept_term(last, received, None) {
                prop_assert!(kept_term(last, received, Some(posted)));
            }
            prop_assert_eq!(kept_term(last, received, Some(posted)), posted <= last);
        }

        /// The term never starts before the initiation.
        #[test]
        fn the_term_never_starts_before_initiation(start in day(), removed in proptest::option::of(day())) {
            let from = term_starts_on(start, removed);
            prop_assert!(from >= start);
            prop_assert!(removed.is_none_or(|r| from == r || r <= start));
        }
    }
}
