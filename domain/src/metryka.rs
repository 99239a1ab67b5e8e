//! The metryka sprawy (KPA art. 66a): the record, kept in the case file, of every person
//! who took part in the acts of the proceedings and of the acts they took. Pure: no I/O.
//!
//! Sources:
//! - KPA art. 66a § 1 (t.j. Dz.U. 2024 poz. 572; added by the act of 25 February 2011,
//!   in force since 2011): the metryka names every person who took part in acts of the
//!   proceedings and the acts they took; it is updated with every act;
//! - Rozporządzenie Prezesa Rady Ministrów z dnia 6 marca 2012 r. w sprawie wzoru i
//!   sposobu prowadzenia metryki sprawy (Dz.U. 2012 poz. 250), załącznik nr 1 (the
//!   paper form): the heading "Oznaczenie sprawy" (the date of initiation or the znak)
//!   and "Tytuł sprawy"; per entry: Lp., the date of the act, the person (surname, first
//!   name, position), the act, and the identifier of the document in the file it
//!   concerns ("znak pisma lub inny niepowtarzalny w danej sprawie identyfikator").
//!
//! The regulation's annexes list the matters exempted from the metryka; the cases of
//! this office that it covers are those conducted under the KPA (see
//! [`required_for`]).

use serde::Serialize;

use crate::deadline::CaseKind;

/// An act recorded in the metryka.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Rejestracja sprawy (wszczęcie: art. 61 § 3 on request, § 1 ex officio).
    Registered,
    /// Przydzielenie sprawy prowadzącemu.
    Assigned,
    /// Rozpoczęcie prowadzenia.
    Started,
    /// Zawieszenie postępowania (art. 97–98).
    Suspended,
    /// Podjęcie zawieszonego postępowania (art. 101).
    Resumed,
    /// Załatwienie sprawy (art. 104).
    Settled,
    /// Zakończenie sprawy (ostateczne zamknięcie w spisie spraw).
    Closed,
    /// Przekazanie do innej komórki.
    Transferred,
    /// Przekazanie organowi właściwemu (art. 65).
    Forwarded,
    /// Wyznaczenie nowego terminu (art. 36).
    DelayNoticed,
    /// Opóźnienie z winy strony (art. 35 § 5).
    PartyDelayed,
    /// Dekretacja pisma wpływającego.
    IncomingAssigned,
    /// Sporządzenie projektu pisma.
    DocumentDrafted,
    /// Akceptacja projektu.
    DocumentAccepted,
    /// Zwrot projektu do poprawy.
    DocumentReturned,
    /// Podpisanie pisma.
    DocumentSigned,
    /// Wysłanie pisma.
    DocumentSent,
    /// Doręczenie pisma.
    DocumentDelivered,
    /// Wpływ odwołania za pośrednictwem organu, który wydał decyzję (art. 129 § 1).
    AppealReceived,
    /// Nowa decyzja w trybie samokontroli (art. 132).
    AppealSelfReview,
    /// Przekazanie odwołania z aktami organowi odwoławczemu (art. 133).
    AppealForwarded,
    /// Wpływ ponaglenia (art. 37 § 3).
    PonaglenieReceived,
    /// Przekazanie ponaglenia z odpowiedzią i aktami (art. 37 § 4).
    PonaglenieForwarded,
    /// Okres niewliczany do terminu inny niż zawieszenie i zwłoka strony (art. 35 § 5:
    /// termin na czynność przewidziany w przepisach, mediacja, przyczyny niezależne od
    /// organu).
    PeriodExcluded,
    /// Wszczęcie postępowania z urzędu (art. 61 § 1).
    StartedExOfficio,
    /// Dopuszczenie strony do udziału w postępowaniu (art. 28) or her pełnomocnika
    /// (art. 32–33) recorded.
    PartyAdded,
    /// Zmiana danych strony lub jej pełnomocnika.
    PartyChanged,
    /// Usunięcie strony z postępowania.
    PartyRemoved,
    /// Wezwanie do usunięcia braków formalnych podania (art. 64 § 2).
    DefectsSummoned,
    /// Usunięcie braków formalnych przez wnoszącego (art. 64 § 2).
    DefectsRemoved,
    /// Pozostawienie podania bez rozpoznania (art. 64 § 2).
    LeftUnexamined,
    /// Opłata skarbowa należna w sprawie (ustawa o opłacie skarbowej, art. 1, art. 6).
    FeeAdded,
    /// Zmiana kwoty należnej opłaty skarbowej, z uzasadnieniem.
    FeeChanged,
    /// Uiszczenie opłaty skarbowej (z dowodem zapłaty).
    FeePaid,
    /// Zwolnienie z opłaty skarbowej (art. 2 lub art. 7 ustawy).
    FeeExempted,
    /// Wezwanie do uiszczenia opłaty (art. 261 § 1 KPA).
    FeeSummoned,
    /// Zwrot podania wobec nieuiszczenia opłaty (art. 261 § 2 KPA).
    RequestReturned,
}

impl Act {
    /// Every act.
    pub const ALL: [Act; 37] = [
        Act::Registered,
        Act::Assigned,
        Act::Started,
        Act::Suspended,
        Act::Resumed,
        Act::Settled,
        Act::Closed,
        Act::Transferred,
        Act::Forwarded,
        Act::DelayNoticed,
        Act::PartyDelayed,
        Act::IncomingAssigned,
        Act::DocumentDrafted,
        Act::DocumentAccepted,
        Act::DocumentReturned,
        Act::DocumentSigned,
        Act::DocumentSent,
        Act::DocumentDelivered,
        Act::AppealReceived,
        Act::AppealSelfReview,
        Act::AppealForwarded,
        Act::PonaglenieReceived,
        Act::PonaglenieForwarded,
        Act::PeriodExcluded,
        Act::StartedExOfficio,
        Act::PartyAdded,
        Act::PartyChanged,
        Act::PartyRemoved,
        Act::DefectsSummoned,
        Act::DefectsRemoved,
        Act::LeftUnexamined,
        Act::FeeAdded,
        Act::FeeChanged,
        Act::FeePaid,
        Act::FeeExempted,
        Act::FeeSummoned,
        Act::RequestReturned,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Registered => "registered",
            Act::Assigned => "assigned",
            Act::Started => "started",
            Act::Suspended => "suspended",
            Act::Resumed => "resumed",
            Act::Settled => "settled",
            Act::Closed => "closed",
            Act::Transferred => "transferred",
            Act::Forwarded => "forwarded",
            Act::DelayNoticed => "delay_noticed",
            Act::PartyDelayed => "party_delayed",
            Act::IncomingAssigned => "incoming_assigned",
            Act::DocumentDrafted => "document_drafted",
            Act::DocumentAccepted => "document_accepted",
            Act::DocumentReturned => "document_returned",
            Act::DocumentSigned => "document_signed",
            Act::DocumentSent => "document_sent",
            Act::DocumentDelivered => "document_delivered",
            Act::AppealReceived => "appeal_received",
            Act::AppealSelfReview => "appeal_self_review",
            Act::AppealForwarded => "appeal_forwarded",
            Act::PonaglenieReceived => "ponaglenie_received",
            Act::PonaglenieForwarded => "ponaglenie_forwarded",
            Act::PeriodExcluded => "period_excluded",
            Act::StartedExOfficio => "started_ex_officio",
            Act::PartyAdded => "party_added",
            Act::PartyChanged => "party_changed",
            Act::PartyRemoved => "party_removed",
            Act::DefectsSummoned => "defects_summoned",
            Act::DefectsRemoved => "defects_removed",
            Act::LeftUnexamined => "left_unexamined",
            Act::FeeAdded => "fee_added",
            Act::FeeChanged => "fee_changed",
            Act::FeePaid => "fee_paid",
            Act::FeeExempted => "fee_exempted",
            Act::FeeSummoned => "fee_summoned",
            Act::RequestReturned => "request_returned",
        }
    }

    /// The act of a stored code.
    pub fn parse(s: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The Fluent id of the act's wording in the metryka.
    pub fn label_key(self) -> String {
        format!("metryka-act-{}", self.as_str().replace('_', "-"))
    }

    /// The act a step of the case workflow is (the `action` of the case history).
    pub fn of_case_step(action: &str) -> Option<Act> {
        Some(match action {
            "register" => Act::Registered,
            "assign" => Act::Assigned,
            "start" => Act::Started,
            "suspend" => Act::Suspended,
            "resume" => Act::Resumed,
            "settle" => Act::Settled,
            "close" => Act::Closed,
            "transfer" => Act::Transferred,
            "forward" => Act::Forwarded,
            "delay_notice" => Act::DelayNoticed,
            "party_delay" => Act::PartyDelayed,
            "excluded_period" => Act::PeriodExcluded,
            "register_ex_officio" => Act::StartedExOfficio,
            "party_add" => Act::PartyAdded,
            "party_edit" => Act::PartyChanged,
            "party_remove" => Act::PartyRemoved,
            "defect_summons" => Act::DefectsSummoned,
            "defects_removed" => Act::DefectsRemoved,
            "leave_unexamined" => Act::LeftUnexamined,
            "fee_add" => Act::FeeAdded,
            "fee_amount" => Act::FeeChanged,
            "fee_paid" => Act::FeePaid,
            "fee_exempt" => Act::FeeExempted,
            "fee_summons" => Act::FeeSummoned,
            "fee_return" => Act::RequestReturned,
            _ => return None,
        })
    }
}

/// Whether art. 66a requires a metryka for a case of this kind: administrative
/// proceedings under the KPA (and appeals in them, including the appeal against a
/// refusal of public information, decided by decision under UDIP art. 16 with the KPA).
/// Complaints and motions (dział VIII), petitions (ustawa o petycjach), public
/// information given by a mere act (UDIP art. 10, 14) and accessibility demands are not
/// administrative proceedings; certificates (dział VII) are kept too, as a certificate
/// refused is refused by postanowienie (art. 219). Magistrat shows the list of acts for
/// every case; this says where the law requires it.
pub fn required_for(kind: CaseKind) -> bool {
    matches!(
        kind,
        CaseKind::AdministrativeSimple
            | CaseKind::AdministrativeComplex
            | CaseKind::AdministrativeImmediate
            | CaseKind::Appeal
            | CaseKind::Certificate
            | CaseKind::PublicInformationAppeal
    )
}

/// One entry of the metryka, as the regulation's form lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The moment of the act, to order the entries (RFC 3339 UTC; `date` is shown).
    pub at: String,
    /// The act's id among entries of the same moment (history before documents).
    pub tie: i64,
    /// Określenie czynności.
    pub act: Act,
    /// "Nazwisko, imię, stanowisko": kept apart so the page and the PDF print them.
    pub first_name: String,
    /// Nazwisko.
    pub last_name: String,
    /// Stanowisko służbowe.
    pub position: String,
    /// The identifier of the document in the file, empty when the act concerns none.
    pub document: String,
    /// What the act concerned, in words (a letter's kind, a step's note).
    pub detail: String,
}

impl Entry {
    /// "Kowalski Jan, Inspektor" — the order the regulation's footnote gives (surname,
    /// first name, position); the system when no person took the act.
    pub fn person(&self) -> String {
        let name = match (self.last_name.trim(), self.first_name.trim()) {
            ("", "") => String::new(),
            (last, "") => last.to_owned(),
            ("", first) => first.to_owned(),
            (last, first) => format!("{last} {first}"),
        };
        match (name.as_str(), self.position.trim()) {
            (n, "") => n.to_owned(),
            ("", p) => p.to_owned(),
            (n, p) => format!("{n}, {p}"),
        }
    }
}

/// Orders entries chronologically (stable: acts of one moment keep their order).
pub fn ordered(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| a.at.cmp(&b.at).then(a.tie.cmp(&b.tie)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_case_step_is_an_act() {
        for step in [
            "register",
            "assign",
            "start",
            "suspend",
            "resume",
            "settle",
            "close",
            "transfer",
            "forward",
            "delay_notice",
            "party_delay",
            "excluded_period",
            "register_ex_officio",
            "party_add",
            "party_edit",
            "party_remove",
            "defect_summons",
            "defects_removed",
            "leave_unexamined",
            "fee_add",
            "fee_amount",
            "fee_paid",
            "fee_exempt",
            "fee_summons",
            "fee_return",
        ] {
            assert!(Act::of_case_step(step).is_some(), "{step}");
        }
        assert_eq!(Act::of_case_step("unknown"), None);
        for act in Act::ALL {
            assert_eq!(Act::parse(act.as_str()), Some(act));
        }
    }

    #[test]
    fn the_person_reads_surname_first_name_position() {
        let e = |first: &str, last: &str, position: &str| Entry {
            at: String::new(),
            tie: 0,
            act: Act::Registered,
            first_name: first.into(),
            last_name: last.into(),
            position: position.into(),
            document: String::new(),
            detail: String::new(),
        };
        let table = [
            (("Jan", "Kowalski", "Inspektor"), "Kowalski Jan, Inspektor"),
            (("Jan", "Kowalski", ""), "Kowalski Jan"),
            (("", "", "Inspektor"), "Inspektor"),
            (("", "", ""), ""),
        ];
        for ((first, last, position), expected) in table {
            assert_eq!(e(first, last, position).person(), expected);
        }
    }

    /// KPA cases keep a metryka; complaints, motions, petitions and public-information
    /// requests are not administrative proceedings (art. 66a applies to proceedings).
    #[test]
    fn metryka_is_required_for_kpa_proceedings() {
        let table = [
            (CaseKind::AdministrativeSimple, true),
            (CaseKind::AdministrativeComplex, true),
            (CaseKind::AdministrativeImmediate, true),
            (CaseKind::Appeal, true),
            (CaseKind::Certificate, true),
            (CaseKind::PublicInformationAppeal, true),
            (CaseKind::ComplaintOrMotion, false),
            (CaseKind::Petition, false),
            (CaseKind::PublicInformation, false),
            (CaseKind::AccessibilityDemand, false),
            (CaseKind::SpecialNeedsAccessibilityDemand, false),
        ];
        assert_eq!(table.len(), CaseKind::ALL.len());
        for (kind, expected) in table {
            assert_eq!(required_for(kind), expected, "{kind:?}");
        }
    }

    proptest! {
        #[test]
        fn ordering_is_chronological_and_stable(times in prop::collection::vec((0u8..5, 0i64..100), 0..40)) {
            let entries: Vec<Entry> = times.iter().map(|(t, tie)| Entry {
                at: format!("2026-12-0{t}T10:00:00Z"),
                tie: *tie,
                act: Act::Registered,
                first_name: String::new(),
                last_name: String::new(),
                position: String::new(),
                document: String::new(),
                detail: String::new(),
            }).collect();
            let out = ordered(entries);
            for pair in out.windows(2) {
                prop_assert!((pair[0].at.as_str(), pair[0].tie) <= (pair[1].at.as_str(), pair[1].tie));
            }
        }
    }
}
