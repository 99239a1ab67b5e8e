//! Letters of a case (pisma w sprawie): the kinds the office writes from templates, the
//! elements the law requires in each, the check of a draft against them, and the flow of
//! a letter from draft to delivery. Pure: no I/O.
//!
//! Sources (Kodeks postępowania administracyjnego, t.j. Dz.U. 2024 poz. 572, "KPA"):
//! - decyzja — art. 107 § 1 (elements 1–8; pkt 9, the court instruction, only where a
//!   court action lies, so it is offered but not required), § 4 (the justification may
//!   be left out when the decision grants the party's request in full);
//! - postanowienie — art. 124 § 1 (elements), § 2 (justification when a zażalenie or a
//!   complaint to the administrative court lies);
//! - wezwanie — art. 50 § 1 (the organ summons persons to take part in acts or give
//!   explanations), art. 54 § 1 (what a summons states: the organ, the person, the
//!   matter and purpose, the term, the legal effects of not complying);
//! - wezwanie do usunięcia braków — art. 64 § 2 (a term not shorter than seven days, with
//!   the instruction that defects not removed leave the request without examination);
//! - zawiadomienia — art. 10 § 1 (the parties may speak on the evidence before the
//!   decision), art. 36 § 1 (every delay: the reasons, the new date and the instruction
//!   about the right to a ponaglenie), art. 61 § 4 (the parties are told the proceedings
//!   have begun).
//!
//! The signature (art. 107 § 1 pkt 8, art. 124 § 1) is the signer's first name, surname
//! and position: Magistrat adds it when the letter is signed, from the signer's employee
//! record, so a draft never carries it and signing is refused to someone without one.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The kinds of letters drafted from templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// Decyzja administracyjna (KPA art. 104, 107).
    Decision,
    /// Postanowienie (KPA art. 123, 124).
    Order,
    /// Wezwanie (KPA art. 50, 54).
    Summons,
    /// Wezwanie do usunięcia braków formalnych podania (KPA art. 64 § 2).
    DefectSummons,
    /// Zawiadomienie o możliwości wypowiedzenia się co do zebranych dowodów (art. 10 § 1).
    EvidenceNotice,
    /// Zawiadomienie o niezałatwieniu sprawy w terminie (art. 36 § 1).
    DelayNotice,
    /// Zawiadomienie o wszczęciu postępowania (art. 61 § 4).
    InitiationNotice,
    /// Wezwanie do uiszczenia opłaty (art. 261 § 1): the opłata skarbowa unpaid, 7 to
    /// 14 days, else the request is returned (§ 2).
    FeeSummons,
}

impl LetterKind {
    /// Every kind, in the order the template editor offers them.
    pub const ALL: [LetterKind; 8] = [
        LetterKind::Decision,
        LetterKind::Order,
        LetterKind::Summons,
        LetterKind::DefectSummons,
        LetterKind::EvidenceNotice,
        LetterKind::DelayNotice,
        LetterKind::InitiationNotice,
        LetterKind::FeeSummons,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Decision => "decision",
            LetterKind::Order => "order",
            LetterKind::Summons => "summons",
            LetterKind::DefectSummons => "defect_summons",
            LetterKind::EvidenceNotice => "evidence_notice",
            LetterKind::DelayNotice => "delay_notice",
            LetterKind::InitiationNotice => "initiation_notice",
            LetterKind::FeeSummons => "fee_summons",
        }
    }

    /// The Fluent id of the kind's name.
    pub fn label_key(self) -> String {
        format!("letter-kind-{}", self.as_str().replace('_', "-"))
    }

    /// The provision the kind rests on, as printed beside its name.
    pub fn source(self) -> &'static str {
        match self {
            LetterKind::Decision => "art. 107 § 1 KPA",
            LetterKind::Order => "art. 124 KPA",
            LetterKind::Summons => "art. 50 § 1 i art. 54 § 1 KPA",
            LetterKind::DefectSummons => "art. 64 § 2 KPA",
            LetterKind::EvidenceNotice => "art. 10 § 1 KPA",
            LetterKind::DelayNotice => "art. 36 § 1 KPA",
            LetterKind::InitiationNotice => "art. 61 § 4 KPA",
            LetterKind::FeeSummons => "art. 261 § 1 KPA",
        }
    }

    /// The elements of the kind, in the order a letter prints them. The signature is
    /// not among them: it is added when the letter is signed (see the module's notes).
    pub fn elements(self) -> &'static [Element] {
        use Element::*;
        match self {
            // Art. 107 § 1 pkt 1–7 and 9 (pkt 8, the signature, at signing).
            LetterKind::Decision => &[
                Organ,
                IssuePlace,
                Parties,
                LegalBasis,
                Ruling,
                Justification,
                AppealInstruction,
                CourtInstruction,
            ],
            // Art. 124 § 1, § 2.
            LetterKind::Order => &[
                Organ,
                IssuePlace,
                Parties,
                LegalBasis,
                Ruling,
                Justification,
                AppealInstruction,
            ],
            // Art. 54 § 1 pkt 1–6.
            LetterKind::Summons => &[
                Organ,
                IssuePlace,
                Parties,
                LegalBasis,
                Content,
                TermDays,
                Consequences,
            ],
            // Art. 64 § 2; art. 261 § 1 (the fee, the term, the return as the
            // consequence).
            LetterKind::DefectSummons | LetterKind::FeeSummons => &[
                Organ,
                IssuePlace,
                Parties,
                LegalBasis,
                Content,
                TermDays,
                Consequences,
            ],
            // Art. 10 § 1.
            LetterKind::EvidenceNotice => &[Organ, IssuePlace, Parties, LegalBasis, Content],
            // Art. 36 § 1.
            LetterKind::DelayNotice => &[
                Organ,
                IssuePlace,
                Parties,
                LegalBasis,
                Reason,
                NewDate,
                PonaglenieInstruction,
            ],
            // Art. 61 § 4.
            LetterKind::InitiationNotice => &[Organ, IssuePlace, Parties, LegalBasis, Content],
        }
    }

    /// Whether the element must be filled in (the rest are offered, not required).
    /// `without_justification`: the official relies on art. 107 § 4 (a decision that
    /// grants the request in full) or, for a postanowienie, on art. 124 § 2 a contrario
    /// (no zażalenie or complaint lies against it).
    pub fn requires(self, element: Element, without_justification: bool) -> bool {
        match element {
            Element::CourtInstruction => false,
            Element::Justification => {
                matches!(self, LetterKind::Decision | LetterKind::Order) && !without_justification
            }
            other => self.elements().contains(&other),
        }
    }

    /// Whether the kind may leave out its justification (art. 107 § 4, art. 124 § 2).
    pub fn may_omit_justification(self) -> bool {
        matches!(self, LetterKind::Decision | LetterKind::Order)
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown letter kind `{0}`")]
/// A stored kind that is none of [`LetterKind::ALL`].
pub struct UnknownLetterKind(pub String);

impl FromStr for LetterKind {
    type Err = UnknownLetterKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LetterKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownLetterKind(s.to_owned()))
    }
}

impl TryFrom<String> for LetterKind {
    type Error = UnknownLetterKind;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// One part of a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// Oznaczenie organu (art. 107 § 1 pkt 1; art. 54 § 1 pkt 1: name and address).
    Organ,
    /// The place of issue; the date of issue (art. 107 § 1 pkt 2) is the day of signing.
    IssuePlace,
    /// Oznaczenie strony lub stron (art. 107 § 1 pkt 3; art. 54 § 1 pkt 2).
    Parties,
    /// Powołanie podstawy prawnej (art. 107 § 1 pkt 4).
    LegalBasis,
    /// Rozstrzygnięcie (art. 107 § 1 pkt 5).
    Ruling,
    /// Uzasadnienie faktyczne i prawne (art. 107 § 1 pkt 6, § 3).
    Justification,
    /// Pouczenie o odwołaniu / zażaleniu (art. 107 § 1 pkt 7; art. 124 § 1).
    AppealInstruction,
    /// Pouczenie o skardze do sądu (art. 107 § 1 pkt 9), where one lies.
    CourtInstruction,
    /// The body: the matter, the purpose, what is asked (art. 54 § 1 pkt 3–4).
    Content,
    /// The term in days (art. 54 § 1 pkt 5; art. 64 § 2: not shorter than 7 days).
    TermDays,
    /// Skutki prawne niezastosowania się (art. 54 § 1 pkt 6; art. 64 § 2).
    Consequences,
    /// Przyczyny zwłoki (art. 36 § 1).
    Reason,
    /// Nowy termin załatwienia sprawy (art. 36 § 1), `YYYY-MM-DD`.
    NewDate,
    /// Pouczenie o prawie do wniesienia ponaglenia (art. 36 § 1, art. 37).
    PonaglenieInstruction,
}

impl Element {
    /// Every element.
    pub const ALL: [Element; 14] = [
        Element::Organ,
        Element::IssuePlace,
        Element::Parties,
        Element::LegalBasis,
        Element::Ruling,
        Element::Justification,
        Element::AppealInstruction,
        Element::CourtInstruction,
        Element::Content,
        Element::TermDays,
        Element::Consequences,
        Element::Reason,
        Element::NewDate,
        Element::PonaglenieInstruction,
    ];

    /// The stored code (and the form field's name).
    pub fn as_str(self) -> &'static str {
        match self {
            Element::Organ => "organ",
            Element::IssuePlace => "issue_place",
            Element::Parties => "parties",
            Element::LegalBasis => "legal_basis",
            Element::Ruling => "ruling",
            Element::Justification => "justification",
            Element::AppealInstruction => "appeal_instruction",
            Element::CourtInstruction => "court_instruction",
            Element::Content => "content",
            Element::TermDays => "term_days",
            Element::Consequences => "consequences",
            Element::Reason => "reason",
            Element::NewDate => "new_date",
            Element::PonaglenieInstruction => "ponaglenie_instruction",
        }
    }

    /// The element of a stored code.
    pub fn parse(s: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The Fluent id of the element's name.
    pub fn label_key(self) -> String {
        format!("letter-el-{}", self.as_str().replace('_', "-"))
    }

    /// Whether the element is one line (an input) rather than a paragraph.
    pub fn is_short(self) -> bool {
        matches!(
            self,
            Element::IssuePlace | Element::TermDays | Element::NewDate
        )
    }
}

/// The text of each element of a letter (or of a template, with placeholders).
pub type Sections = BTreeMap<Element, String>;

/// The shortest term of a summons to remove formal defects (KPA art. 64 § 2: "w
/// wyznaczonym terminie, nie krótszym niż siedem dni").
pub const DEFECT_TERM_MIN_DAYS: i64 = 7;
/// The term of a summons to pay (KPA art. 261 § 1: "nie może być krótszy niż siedem
/// dni, a dłuższy niż czternaście dni").
pub const FEE_TERM_DAYS: (i64, i64) = (7, 14);
/// A summons term above this is surely a typing error (a year).
pub const TERM_MAX_DAYS: i64 = 365;

/// What is wrong with one element of a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// A required element is empty.
    Missing,
    /// A placeholder of the template (`{…}`) was left unfilled.
    Placeholder,
    /// Not a whole number of days.
    NotDays,
    /// A summons to remove defects gives less than 7 days (art. 64 § 2).
    TermTooShort,
    /// A term longer than a year.
    TermTooLong,
    /// Not a date `YYYY-MM-DD`.
    NotDate,
    /// The new date of an art. 36 notice is not after the day of the notice.
    NewDateNotLater,
}

impl Defect {
    /// The Fluent id of the message (the element's name is its argument).
    pub fn message_key(self) -> &'static str {
        match self {
            Defect::Missing => "letter-defect-missing",
            Defect::Placeholder => "letter-defect-placeholder",
            Defect::NotDays => "letter-defect-not-days",
            Defect::TermTooShort => "letter-defect-term-too-short",
            Defect::TermTooLong => "letter-defect-term-too-long",
            Defect::NotDate => "letter-defect-not-date",
            Defect::NewDateNotLater => "letter-defect-new-date",
        }
    }
}

/// Whether `text` still holds a template placeholder such as `{znak}`.
pub fn has_placeholder(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end)
                if end > 0
                    && after[..end]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_') =>
            {
                return true;
            }
            _ => rest = after,
        }
    }
    false
}

/// Checks a letter against the elements its kind requires, as of `today` (the day it
/// would be accepted). Every defect is reported, in the kind's element order; an empty
/// list means the letter may go on to acceptance and signature.
pub fn check(
    kind: LetterKind,
    sections: &Sections,
    without_justification: bool,
    today: Date,
) -> Vec<(Element, Defect)> {
    let without = without_justification && kind.may_omit_justification();
    let mut defects = Vec::new();
    for &element in kind.elements() {
        let text = sections.get(&element).map_or("", |t| t.trim());
        if text.is_empty() {
            if kind.requires(element, without) {
                defects.push((element, Defect::Missing));
            }
            continue;
        }
        if has_placeholder(text) {
            defects.push((element, Defect::Placeholder));
            continue;
        }
        match element {
            Element::TermDays => match text.parse::<i64>() {
                Err(_) => defects.push((element, Defect::NotDays)),
                Ok(days) if kind == LetterKind::DefectSummons && days < DEFECT_TERM_MIN_DAYS => {
                    defects.push((element, Defect::TermTooShort));
                }
                // Art. 261 § 1: not shorter than 7 days, not longer than 14.
                Ok(days) if kind == LetterKind::FeeSummons && days < FEE_TERM_DAYS.0 => {
                    defects.push((element, Defect::TermTooShort));
                }
                Ok(days) if kind == LetterKind::FeeSummons && days > FEE_TERM_DAYS.1 => {
                    defects.push((element, Defect::TermTooLong));
                }
                Ok(days) if days < 1 => defects.push((element, Defect::NotDays)),
                Ok(days) if days > TERM_MAX_DAYS => defects.push((element, Defect::TermTooLong)),
                Ok(_) => {}
            },
            Element::NewDate => match crate::date::parse_date(text) {
                Err(_) => defects.push((element, Defect::NotDate)),
                Ok(date) if date <= today => defects.push((element, Defect::NewDateNotLater)),
                Ok(_) => {}
            },
            _ => {}
        }
    }
    defects
}

/// The case's data a template's placeholders are filled with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetterData {
    /// `{znak}`: znak sprawy.
    pub znak: String,
    /// `{tytul}`: the case's subject.
    pub title: String,
    /// `{strona}`: the party's name; `{adres}`: the party's address.
    pub party_name: String,
    /// `{adres}`.
    pub party_address: String,
    /// `{adresaci}`: every party, or its pełnomocnik, one line each
    /// (`crate::intake::addressee_lines`, KPA art. 40 § 2).
    pub addressees: String,
    /// `{organ}`: the organ's name and address.
    pub organ: String,
    /// `{miejscowosc}`: the office's town.
    pub town: String,
    /// `{data_wplywu}`: the day the request was received; `{termin}`: the due date.
    pub received_on: String,
    /// `{termin}`.
    pub due_on: String,
    /// `{podstawa}`: the legal basis (from the service card, when the case has one).
    pub legal_basis: String,
    /// `{dzis}`: the day of drafting.
    pub today: String,
    /// `{klauzula_rodo}`: the office's information clause (RODO art. 13 ust. 1–2),
    /// given at the first act towards the party (KPA art. 61 § 5).
    pub information_clause: String,
    /// `{oplata}`: the opłata skarbowa still to pay on the case („17,00 zł”).
    pub fee_due: String,
    /// `{rachunek}`: the office's account for the duty.
    pub fee_account: String,
}

impl LetterData {
    fn value(&self, name: &str) -> Option<&str> {
        Some(match name {
            "znak" => &self.znak,
            "tytul" => &self.title,
            "strona" => &self.party_name,
            "adres" => &self.party_address,
            "adresaci" => &self.addressees,
            "organ" => &self.organ,
            "miejscowosc" => &self.town,
            "data_wplywu" => &self.received_on,
            "termin" => &self.due_on,
            "podstawa" => &self.legal_basis,
            "dzis" => &self.today,
            "klauzula_rodo" => &self.information_clause,
            "oplata" => &self.fee_due,
            "rachunek" => &self.fee_account,
            _ => return None,
        })
    }
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 14] = [
    "znak",
    "tytul",
    "strona",
    "adres",
    "adresaci",
    "organ",
    "miejscowosc",
    "data_wplywu",
    "termin",
    "podstawa",
    "dzis",
    "klauzula_rodo",
    "oplata",
    "rachunek",
];

/// The information clause in a case's first letter: KPA art. 61 § 5 has the organ give
/// the information of RODO art. 13 ust. 1–2 „przy pierwszej czynności skierowanej do
/// strony, chyba że strona posiada te informacje, a ich zakres lub treść nie uległy
/// zmianie”. Magistrat gives it in the first letter of every case (the exception is the
/// office's to prove, and repeating the clause costs nothing): when `first` and no
/// section already carries `clause` (a template with `{klauzula_rodo}`), the clause is
/// appended after the kind's last element, where the letter ends. An empty clause (the
/// office has not written one) changes nothing.
pub fn with_information_clause(
    kind: LetterKind,
    mut sections: Sections,
    clause: &str,
    first: bool,
) -> Sections {
    let clause = clause.trim();
    if !first || clause.is_empty() || sections.values().any(|t| t.contains(clause)) {
        return sections;
    }
    if let Some(last) = kind.elements().last() {
        let text = sections.entry(*last).or_default();
        if !text.trim().is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(clause);
    }
    sections
}

/// Fills a template's text with the case's data. A known placeholder whose value is
/// empty stays in the text, so the check finds it and the official fills it by hand; an
/// unknown one stays too.
pub fn fill(template: &str, data: &LetterData) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match data.value(name).filter(|v| !v.trim().is_empty()) {
                    Some(v) => out.push_str(v.trim()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders in a template's text that Magistrat does not know (a typing error
/// in the template editor).
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !PLACEHOLDERS.contains(&name)
            && !unknown.iter().any(|u| u == name)
        {
            unknown.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    unknown
}

/// Where a letter stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    /// Projekt: the official edits it.
    Draft,
    /// Zaakceptowany by the head or a person authorised to sign (art. 268a).
    Accepted,
    /// Podpisany (handwritten, or electronically outside Magistrat).
    Signed,
    /// Wysłany: an outgoing item in the register.
    Dispatched,
    /// Doręczony: the proof of delivery recorded.
    Delivered,
}

impl LetterState {
    /// Every state, in the flow's order.
    pub const ALL: [LetterState; 5] = [
        LetterState::Draft,
        LetterState::Accepted,
        LetterState::Signed,
        LetterState::Dispatched,
        LetterState::Delivered,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::Draft => "draft",
            LetterState::Accepted => "accepted",
            LetterState::Signed => "signed",
            LetterState::Dispatched => "dispatched",
            LetterState::Delivered => "delivered",
        }
    }

    /// The Fluent id of the state's name.
    pub fn label_key(self) -> String {
        format!("letter-state-{}", self.as_str())
    }
}

impl TryFrom<String> for LetterState {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        LetterState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(s)
    }
}

/// What is done to a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LetterAction {
    /// Save the official's edits.
    Edit,
    /// Accept the draft (the head or an authorised person).
    Accept,
    /// Back to the draft (the acceptor returns it for corrections).
    Return,
    /// Sign it.
    Sign,
    /// Send it as an outgoing item.
    Dispatch,
    /// Record its proof of delivery.
    Deliver,
}

impl LetterAction {
    /// Every action.
    pub const ALL: [LetterAction; 6] = [
        LetterAction::Edit,
        LetterAction::Accept,
        LetterAction::Return,
        LetterAction::Sign,
        LetterAction::Dispatch,
        LetterAction::Deliver,
    ];
}

/// Why a step is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// Editing anything but a draft.
    #[error("only a draft can be edited")]
    NotDraft,
    /// Accepting anything but a draft.
    #[error("only a draft can be accepted")]
    AcceptNotDraft,
    /// Signing a letter not accepted.
    #[error("a letter is signed only after acceptance")]
    SignWithoutAcceptance,
    /// Sending a letter not signed.
    #[error("a letter is sent only after its signature")]
    DispatchWithoutSignature,
    /// Recording the delivery of a letter not sent.
    #[error("a delivery is recorded only for a letter sent")]
    DeliverNotDispatched,
    /// Returning a letter not accepted.
    #[error("only an accepted letter can be returned")]
    ReturnNotAccepted,
}

impl FlowError {
    /// The Fluent id of the refusal's message.
    pub fn message_key(self) -> &'static str {
        match self {
            FlowError::NotDraft => "letter-flow-not-draft",
            FlowError::AcceptNotDraft => "letter-flow-accept-not-draft",
            FlowError::SignWithoutAcceptance => "letter-flow-sign-without-acceptance",
            FlowError::DispatchWithoutSignature => "letter-flow-dispatch-without-signature",
            FlowError::DeliverNotDispatched => "letter-flow-deliver-not-dispatched",
            FlowError::ReturnNotAccepted => "letter-flow-return-not-accepted",
        }
    }
}

/// The flow: draft → accepted → signed → dispatched → delivered; an accepted letter may
/// be returned to the draft; a signed one is fixed (a correction is a new letter, as a
/// signed paper cannot be edited).
pub fn next(state: LetterState, action: LetterAction) -> Result<LetterState, FlowError> {
    use LetterAction as A;
    use LetterState as S;
    match (state, action) {
        (S::Draft, A::Edit) => Ok(S::Draft),
        (_, A::Edit) => Err(FlowError::NotDraft),
        (S::Draft, A::Accept) => Ok(S::Accepted),
        (_, A::Accept) => Err(FlowError::AcceptNotDraft),
        (S::Accepted, A::Return) => Ok(S::Draft),
        (_, A::Return) => Err(FlowError::ReturnNotAccepted),
        (S::Accepted, A::Sign) => Ok(S::Signed),
        (_, A::Sign) => Err(FlowError::SignWithoutAcceptance),
        (S::Signed, A::Dispatch) => Ok(S::Dispatched),
        (_, A::Dispatch) => Err(FlowError::DispatchWithoutSignature),
        (S::Dispatched, A::Deliver) => Ok(S::Delivered),
        (_, A::Deliver) => Err(FlowError::DeliverNotDispatched),
    }
}

/// Why a delivery date is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryDateError {
    /// Before the day the letter was sent.
    BeforeDispatch,
    /// After today.
    InFuture,
}

/// A delivery date must lie between the day of dispatch and today (a proof of delivery
/// records a past event; a letter is not delivered before it is sent).
pub fn check_delivery_date(
    sent_on: Date,
    delivered_on: Date,
    today: Date,
) -> Result<(), DeliveryDateError> {
    if delivered_on < sent_on {
        Err(DeliveryDateError::BeforeDispatch)
    } else if delivered_on > today {
        Err(DeliveryDateError::InFuture)
    } else {
        Ok(())
    }
}

/// How a letter was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureMethod {
    /// Własnoręczny podpis on the paper original.
    Handwritten,
    /// A qualified electronic signature, podpis zaufany or podpis osobisty (art. 107
    /// § 1 pkt 8 for a document in electronic form), applied outside Magistrat: the
    /// signed file is uploaded and its SHA-256 kept.
    Electronic,
}

impl SignatureMethod {
    /// Both methods.
    pub const ALL: [SignatureMethod; 2] =
        [SignatureMethod::Handwritten, SignatureMethod::Electronic];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::Handwritten => "handwritten",
            SignatureMethod::Electronic => "electronic",
        }
    }

    /// The method of a stored code.
    pub fn parse(s: &str) -> Option<SignatureMethod> {
        SignatureMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The Fluent id of the method's name.
    pub fn label_key(self) -> String {
        format!("letter-signature-{}", self.as_str())
    }
}

impl TryFrom<String> for SignatureMethod {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        SignatureMethod::parse(&s).ok_or(s)
    }
}

/// An authorisation to settle matters in the organ's name (KPA art. 268a: in writing,
/// in a set scope; for a wójt/burmistrz also ustawa o samorządzie gminnym art. 39 ust.
/// 2): a person, the matters (a unit's cases, optionally one JRWA class), and the
/// period it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorisation {
    /// The units whose cases it covers (with the units below them).
    pub unit_ids: Vec<i64>,
    /// Empty: every class of the unit.
    pub jrwa_symbol: String,
    /// The first day it holds.
    pub valid_from: Date,
    /// The last day it holds, if limited.
    pub valid_to: Option<Date>,
    /// Cofnięte.
    pub revoked: bool,
}

impl Authorisation {
    /// Whether it no longer holds on `day` (revoked, not yet in force, or expired).
    pub fn revoked_or_expired(&self, day: Date) -> bool {
        self.revoked || day < self.valid_from || self.valid_to.is_some_and(|to| to < day)
    }

    /// Whether it covers a case of `unit` (given the units the authorisation's unit
    /// contains) and class `jrwa` on `day`.
    pub fn covers(&self, unit_in_scope: bool, jrwa: &str, day: Date) -> bool {
        !self.revoked
            && unit_in_scope
            && (self.jrwa_symbol.is_empty() || self.jrwa_symbol == jrwa)
            && self.valid_from <= day
            && self.valid_to.is_none_or(|to| day <= to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn full(kind: LetterKind) -> Sections {
        kind.elements()
            .iter()
            .map(|e| {
                let text = match e {
                    Element::TermDays => "7".to_owned(),
                    Element::NewDate => "2026-12-31".to_owned(),
                    other => format!("Treść: {}", other.as_str()),
                };
                (*e, text)
            })
            .collect()
    }

    const TODAY: Date = date(2026, 12, 4);

    #[test]
    fn a_complete_letter_of_every_kind_passes() {
        for kind in LetterKind::ALL {
            assert_eq!(check(kind, &full(kind), false, TODAY), vec![], "{kind}");
        }
    }

    /// Art. 107 § 1: each of the elements pkt 1, 3–7 missing refuses a decision (pkt 2
    /// and 8 are the day and the signature, added at signing).
    #[test]
    fn a_decision_missing_an_element_of_art_107_is_refused() {
        let cases = [
            (Element::Organ, "pkt 1"),
            (Element::Parties, "pkt 3"),
            (Element::LegalBasis, "pkt 4"),
            (Element::Ruling, "pkt 5"),
            (Element::Justification, "pkt 6"),
            (Element::AppealInstruction, "pkt 7"),
        ];
        for (element, point) in cases {
            let mut s = full(LetterKind::Decision);
            s.insert(element, "   ".to_owned());
            assert_eq!(
                check(LetterKind::Decision, &s, false, TODAY),
                vec![(element, Defect::Missing)],
                "art. 107 § 1 {point}"
            );
        }
        // Pkt 9 applies only where a court action lies: not required.
        let mut s = full(LetterKind::Decision);
        s.remove(&Element::CourtInstruction);
        assert_eq!(check(LetterKind::Decision, &s, false, TODAY), vec![]);
    }

    /// Art. 107 § 4: a decision granting the request in full may omit its justification;
    /// art. 124 § 2 the same for a postanowienie no zażalenie lies against; other kinds
    /// have no justification to omit.
    #[test]
    fn justification_may_be_omitted_only_where_the_law_allows() {
        for kind in [LetterKind::Decision, LetterKind::Order] {
            let mut s = full(kind);
            s.remove(&Element::Justification);
            assert_eq!(
                check(kind, &s, false, TODAY),
                vec![(Element::Justification, Defect::Missing)]
            );
            assert_eq!(check(kind, &s, true, TODAY), vec![]);
        }
        assert!(!LetterKind::Summons.may_omit_justification());
    }

    /// Art. 64 § 2: "nie krótszym niż siedem dni".
    #[test]
    fn a_defect_summons_gives_at_least_seven_days() {
        let table = [
            ("6", Some(Defect::TermTooShort)),
            ("7", None),
            ("14", None),
            ("0", Some(Defect::TermTooShort)),
            ("siedem", Some(Defect::NotDays)),
            ("366", Some(Defect::TermTooLong)),
        ];
        for (days, expected) in table {
            let mut s = full(LetterKind::DefectSummons);
            s.insert(Element::TermDays, days.to_owned());
            let got = check(LetterKind::DefectSummons, &s, false, TODAY);
            assert_eq!(
                got,
                expected
                    .map(|d| vec![(Element::TermDays, d)])
                    .unwrap_or_default(),
                "{days}"
            );
        }
        // An ordinary summons (art. 54 § 1 pkt 5) has no statutory minimum.
        let mut s = full(LetterKind::Summons);
        s.insert(Element::TermDays, "3".to_owned());
        assert_eq!(check(LetterKind::Summons, &s, false, TODAY), vec![]);
    }

    /// Art. 36 § 1: reasons, a new date, and the instruction about the ponaglenie.
    #[test]
    fn a_delay_notice_names_a_later_date_and_the_ponaglenie() {
        let mut s = full(LetterKind::DelayNotice);
        s.insert(Element::NewDate, "2026-12-04".to_owned());
        assert_eq!(
            check(LetterKind::DelayNotice, &s, false, TODAY),
            vec![(Element::NewDate, Defect::NewDateNotLater)]
        );
        s.insert(Element::NewDate, "4 grudnia".to_owned());
        assert_eq!(
            check(LetterKind::DelayNotice, &s, false, TODAY),
            vec![(Element::NewDate, Defect::NotDate)]
        );
        let mut s = full(LetterKind::DelayNotice);
        s.remove(&Element::PonaglenieInstruction);
        assert_eq!(
            check(LetterKind::DelayNotice, &s, false, TODAY),
            vec![(Element::PonaglenieInstruction, Defect::Missing)]
        );
    }

    #[test]
    fn unfilled_placeholders_are_defects() {
        let mut s = full(LetterKind::InitiationNotice);
        s.insert(Element::LegalBasis, "art. {podstawa}".to_owned());
        assert_eq!(
            check(LetterKind::InitiationNotice, &s, false, TODAY),
            vec![(Element::LegalBasis, Defect::Placeholder)]
        );
        assert!(!has_placeholder("§ 1 {} i {a b}"));
        assert!(has_placeholder("x {znak}"));
    }

    #[test]
    fn the_first_letter_carries_the_information_clause() {
        let clause = "Klauzula informacyjna (art. 13 RODO)\n1. Administrator: Burmistrz";
        let mut sections = Sections::new();
        sections.insert(Element::Content, "Zawiadamiam o wszczęciu.".into());
        // KPA art. 61 § 5: the first act towards the party.
        let first =
            with_information_clause(LetterKind::InitiationNotice, sections.clone(), clause, true);
        assert_eq!(
            first[&Element::Content],
            format!("Zawiadamiam o wszczęciu.\n\n{clause}")
        );
        // A decision ends with the instruction about the court.
        let decision = with_information_clause(LetterKind::Decision, Sections::new(), clause, true);
        assert_eq!(decision[&Element::CourtInstruction], clause);
        // Not again in a later letter, nor twice when the template placed it.
        assert_eq!(
            with_information_clause(
                LetterKind::InitiationNotice,
                sections.clone(),
                clause,
                false
            ),
            sections
        );
        assert_eq!(
            with_information_clause(LetterKind::InitiationNotice, first.clone(), clause, true),
            first
        );
        // No clause written: nothing changes.
        assert_eq!(
            with_information_clause(LetterKind::InitiationNotice, sections.clone(), " ", true),
            sections
        );
        let data = LetterData {
            information_clause: clause.into(),
            ..LetterData::default()
        };
        assert_eq!(fill("{klauzula_rodo}", &data), clause);
        assert!(unknown_placeholders("{klauzula_rodo}").is_empty());
    }

    #[test]
    fn templates_are_filled_with_the_case_data() {
        let data = LetterData {
            znak: "SA.5310.3.2026".into(),
            party_name: "Katarzyna Nowicka".into(),
            legal_basis: String::new(),
            ..LetterData::default()
        };
        assert_eq!(
            fill(
                "Znak: {znak}, dla {strona}; {podstawa}; {nieznany} {",
                &data
            ),
            "Znak: SA.5310.3.2026, dla Katarzyna Nowicka; {podstawa}; {nieznany} {"
        );
        assert_eq!(
            unknown_placeholders("{znak} {nieznany} {nieznany}"),
            ["nieznany"]
        );
        // Every party or its pełnomocnik (KPA art. 40 § 2), one line each.
        let parties = [
            crate::intake::Party {
                kind: crate::intake::PartyKind::Person,
                name: "Katarzyna Nowicka".into(),
                address: "Rynek 1, 62-300 Borowiec".into(),
                representative: None,
            },
            crate::intake::Party {
                kind: crate::intake::PartyKind::Person,
                name: "Jan Nowicki".into(),
                address: "Rynek 1, 62-300 Borowiec".into(),
                representative: Some(crate::intake::Representative {
                    name: "Anna Lis".into(),
                    address: "ul. Długa 5, 62-300 Borowiec".into(),
                    scope: crate::intake::PowerScope::General,
                    document: "Pełnomocnictwo ogólne".into(),
                }),
            },
        ];
        let data = LetterData {
            addressees: crate::intake::addressee_lines(&parties),
            ..LetterData::default()
        };
        assert_eq!(
            fill("{adresaci}", &data),
            "Katarzyna Nowicka, Rynek 1, 62-300 Borowiec\n\
             Jan Nowicki — pełnomocnik: Anna Lis, ul. Długa 5, 62-300 Borowiec"
        );
        assert!(unknown_placeholders("{adresaci}").is_empty());
    }

    /// Every pair (state, action): only the steps of the flow are allowed.
    #[test]
    fn the_flow_allows_only_its_steps() {
        use LetterAction as A;
        use LetterState as S;
        let allowed = [
            (S::Draft, A::Edit, S::Draft),
            (S::Draft, A::Accept, S::Accepted),
            (S::Accepted, A::Return, S::Draft),
            (S::Accepted, A::Sign, S::Signed),
            (S::Signed, A::Dispatch, S::Dispatched),
            (S::Dispatched, A::Deliver, S::Delivered),
        ];
        for state in S::ALL {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(s, a, _)| *s == state && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(next(state, action).ok(), expected, "{state:?} {action:?}");
            }
        }
        assert_eq!(
            next(S::Draft, A::Sign),
            Err(FlowError::SignWithoutAcceptance)
        );
        assert_eq!(
            next(S::Accepted, A::Dispatch),
            Err(FlowError::DispatchWithoutSignature)
        );
    }

    #[test]
    fn delivery_dates_lie_between_dispatch_and_today() {
        let sent = date(2026, 11, 30);
        assert_eq!(
            check_delivery_date(sent, date(2026, 11, 29), TODAY),
            Err(DeliveryDateError::BeforeDispatch)
        );
        assert_eq!(check_delivery_date(sent, sent, TODAY), Ok(()));
        assert_eq!(
            check_delivery_date(sent, date(2026, 12, 5), TODAY),
            Err(DeliveryDateError::InFuture)
        );
    }

    #[test]
    fn authorisations_cover_their_matters_and_period() {
        let a = Authorisation {
            unit_ids: vec![3],
            jrwa_symbol: "5310".into(),
            valid_from: date(2026, 1, 1),
            valid_to: Some(date(2026, 12, 31)),
            revoked: false,
        };
        assert!(a.covers(true, "5310", date(2026, 6, 1)));
        assert!(!a.covers(true, "5340", date(2026, 6, 1)));
        assert!(!a.covers(false, "5310", date(2026, 6, 1)));
        assert!(!a.covers(true, "5310", date(2027, 1, 1)));
        assert!(!a.covers(true, "5310", date(2025, 12, 31)));
        let all = Authorisation {
            jrwa_symbol: String::new(),
            valid_to: None,
            ..a.clone()
        };
        assert!(all.covers(true, "5340", date(2030, 1, 1)));
        assert!(
            !Authorisation {
                revoked: true,
                ..all
            }
            .covers(true, "5340", date(2026, 6, 1))
        );
    }

    proptest! {
        /// Any sequence of actions stays inside the flow: a letter is signed only once
        /// accepted and sent only once signed, whatever came before.
        #[test]
        fn no_path_skips_acceptance_or_signature(actions in prop::collection::vec(0usize..6, 0..30)) {
            let mut state = LetterState::Draft;
            let mut accepted_since_draft = false;
            let mut signed = false;
            for i in actions {
                let action = LetterAction::ALL[i];
                if let Ok(to) = next(state, action) {
                    match action {
                        LetterAction::Sign => prop_assert!(accepted_since_draft),
                        LetterAction::Dispatch => prop_assert!(signed),
                        _ => {}
                    }
                    match to {
                        LetterState::Draft => accepted_since_draft = false,
                        LetterState::Accepted => accepted_since_draft = true,
                        LetterState::Signed => signed = true,
                        _ => {}
                    }
                    state = to;
                }
            }
        }

        /// Filling never panics, and a text without braces comes back unchanged.
        #[test]
        fn filling_is_total(text in "\\PC{0,80}", znak in "[A-Z.0-9]{0,20}") {
            let data = LetterData { znak, ..LetterData::default() };
            let out = fill(&text, &data);
            if !text.contains('{') {
                prop_assert_eq!(out, text);
            }
        }

        /// Any term of 7 to 365 days passes a defect summons; below 7 never does. A
        /// summons to pay passes from 7 to 14 days only (art. 261 § 1).
        #[test]
        fn defect_term_boundary(days in -30i64..400) {
            let mut s = full(LetterKind::DefectSummons);
            s.insert(Element::TermDays, days.to_string());
            let ok = check(LetterKind::DefectSummons, &s, false, TODAY).is_empty();
            prop_assert_eq!(ok, (DEFECT_TERM_MIN_DAYS..=TERM_MAX_DAYS).contains(&days));
            let ok = check(LetterKind::FeeSummons, &s, false, TODAY).is_empty();
            prop_assert_eq!(ok, (FEE_TERM_DAYS.0..=FEE_TERM_DAYS.1).contains(&days));
        }
    }
}
