//! What a service card is, and the card form's validation. Pure, tested beside it.
//!
//! Contents follow the usual karta usługi (no statute prescribes it; ISO 9001-era
//! practice, see "karta usługi" in docs/glossary.md): name, legal basis, where to
//! handle it, required documents, fees with the account, deadline, appeal procedure,
//! remarks, downloadable forms and the channels accepting it.

use std::collections::BTreeMap;

use magistrat_domain::deadline::CaseKind;
use magistrat_domain::identifiers::Nrb;
use serde::Serialize;

use super::definition_editor::{self, DefinitionRows};
use super::form_definition::FormDefinition;
use crate::platform::form::FormErrors;
use crate::platform::form::parse::{self, FormReader};

pub const MAX_NAME: usize = 300;
pub const MAX_DESCRIPTION: usize = 2000;
pub const MAX_LINE: usize = 300;
pub const MAX_LONG: usize = 4000;
pub const MAX_ROWS: usize = 50;
/// 1 000 000 zł: no card fee is near it; a typo with extra zeros is.
pub const MAX_FEE_GROSZE: i64 = 100_000_000;

/// How a required document is to be brought.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Original,
    Copy,
    CertifiedCopy,
    /// Shown at the counter for inspection, not left with the office.
    ToShow,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::Original,
        DocumentKind::Copy,
        DocumentKind::CertifiedCopy,
        DocumentKind::ToShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Original => "original",
            DocumentKind::Copy => "copy",
            DocumentKind::CertifiedCopy => "certified_copy",
            DocumentKind::ToShow => "to_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("sc-doc-kind-{}", self.as_str().replace('_', "-"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    pub kind: String,
}

impl RequiredDocument {
    pub fn kind(&self) -> DocumentKind {
        DocumentKind::parse(&self.kind).unwrap_or(DocumentKind::Original)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Fee {
    pub description: String,
    pub amount_grosze: i64,
    /// The payment account, NRB digits only.
    pub account: String,
    /// The position of the tariff (załącznik to the ustawa o opłacie skarbowej):
    /// „część II ust. 21”; empty for a fee that is no stamp duty (decision 0050).
    #[serde(default)]
    pub tariff: String,
}

impl Fee {
    /// „17,00 zł”.
    pub fn amount_text(&self) -> String {
        format_grosze(self.amount_grosze)
    }

    /// „10 1020 4027 0000 1902 1234 5678”.
    pub fn account_text(&self) -> String {
        Nrb::parse(&self.account)
            .map(|n| n.formatted())
            .unwrap_or_else(|_| self.account.clone())
    }
}

/// Where the matter may be filed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Channels {
    pub counter: bool,
    pub post: bool,
    pub email: bool,
    /// Online, through the card's e-service form (only when it has one).
    pub eservice: bool,
}

/// A card's content: what staff edit and the audit trail records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardData {
    pub code: String,
    pub org_unit_id: i64,
    pub name: String,
    pub description: String,
    /// Everyday words residents search by, comma-separated and normalised
    /// ([`keywords`]): „meldunek, zameldowanie”.
    pub keywords: String,
    pub legal_basis: Vec<String>,
    pub location_id: Option<i64>,
    pub room: String,
    pub hours_note: String,
    pub phone: String,
    pub email: String,
    pub documents: Vec<RequiredDocument>,
    pub fees: Vec<Fee>,
    pub deadline: String,
    pub case_kind: CaseKind,
    pub appeal: String,
    pub remarks: String,
    /// Who or what is exempt from the stamp duty (ustawa o opłacie skarbowej art. 2,
    /// art. 7), as residents read it; empty when the card names none.
    pub fee_exemptions: String,
    pub channels: Channels,
    /// The e-service form definition as canonical JSON ([`FormDefinition::to_json`]).
    pub form_definition: Option<String>,
    /// The JRWA class (a leaf of this year's wykaz) under which the card's e-service
    /// applications are registered as cases: it decides their znak sprawy and archival
    /// category.
    pub jrwa_symbol: Option<String>,
    pub published: bool,
}

impl CardData {
    /// The definition, parsed (stored ones were validated when saved).
    pub fn form(&self) -> Option<FormDefinition> {
        self.form_definition
            .as_deref()
            .and_then(|json| FormDefinition::parse(json).ok())
    }

    /// The normalised text the search looks in.
    pub fn search_text(&self) -> String {
        fold(&format!(
            "{} {} {} {}",
            self.code, self.name, self.description, self.keywords
        ))
    }
}

/// The longest keyword list, as typed: about a hundred words.
pub const MAX_KEYWORDS: usize = 1000;

/// Keywords as stored: split at commas, semicolons and line breaks, trimmed, inner
/// spaces collapsed, the same word (case and diacritics aside) once, joined with
/// „, ”. „ meldunek;Meldunek,\n zameldowanie ” is „meldunek, zameldowanie”.
pub fn keywords(text: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', ';', '\n', '\r']) {
        let word = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if word.is_empty() || seen.contains(&fold(&word)) {
            continue;
        }
        seen.push(fold(&word));
        out.push(word);
    }
    out.join(", ")
}

/// Search text is folded by the domain's rule (shared with the case search).
pub use magistrat_domain::text::fold;

/// A LIKE pattern finding `query` anywhere in a [`fold`]ed column (`\` escapes).
pub fn like_pattern(query: &str) -> String {
    let mut out = String::from("%");
    // Control characters are in no card's text, and PostgreSQL refuses a NUL in a
    // text parameter: they are left out of the pattern.
    for c in fold(query.trim()).chars().filter(|c| !c.is_control()) {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Whether `code` is the unit's symbol, a dash and a number 1–999 (`SA-14`, `FN-I-3`),
/// the scheme Kraków's BIP uses for its procedures.
pub fn code_fits_unit(code: &str, unit_symbol: &str) -> bool {
    code.strip_prefix(unit_symbol)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| {
            !n.is_empty()
                && n.len() <= 3
                && !n.starts_with('0')
                && n.chars().all(|c| c.is_ascii_digit())
        })
}

/// Złoty as people write them („17”, „17,50”, „1 234.5”) → grosze, at most
/// [`MAX_FEE_GROSZE`]. The parsing is the domain's, one for cards and cases.
pub fn parse_amount(s: &str) -> Option<i64> {
    magistrat_domain::stamp_duty::parse_zloty(s).filter(|&total| total <= MAX_FEE_GROSZE)
}

/// „17,00 zł”, „1 234,50 zł” (the domain's format, one for cards and cases).
pub fn format_grosze(grosze: i64) -> String {
    magistrat_domain::stamp_duty::format_zloty(grosze)
}

/// The editable form's values as text, in the order of the page.
#[derive(Clone, Debug, Default)]
pub struct CardForm {
    pub scalars: BTreeMap<&'static str, String>,
    pub legal_basis: Vec<String>,
    /// (name, kind)
    pub documents: Vec<(String, String)>,
    /// (description, amount, account, tariff)
    pub fees: Vec<(String, String, String, String)>,
    /// The e-service form as rows of the structured editor.
    pub definition: DefinitionRows,
}

/// The scalar fields of the card form.
pub const SCALARS: [&str; 20] = [
    "code",
    "org_unit_id",
    "name",
    "description",
    "keywords",
    "location_id",
    "room",
    "hours_note",
    "phone",
    "email",
    "deadline",
    "case_kind",
    "appeal",
    "remarks",
    "fee_exemptions",
    "channel_counter",
    "channel_post",
    "channel_email",
    "channel_eservice",
    "jrwa_symbol",
];

impl CardForm {
    pub fn value(&self, name: &str) -> &str {
        self.scalars.get(name).map(String::as_str).unwrap_or("")
    }

    /// Reads a posted form: repeated row inputs pair up by position; blank rows are
    /// dropped.
    pub fn from_pairs(pairs: &[(String, String)]) -> CardForm {
        let mut form = CardForm::default();
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in pairs {
            by_name.entry(k.as_str()).or_default().push(v.as_str());
        }
        let first = |n: &str| {
            by_name
                .get(n)
                .and_then(|v| v.first())
                .copied()
                .unwrap_or("")
        };
        for name in SCALARS {
            form.scalars.insert(name, first(name).to_owned());
        }
        form.scalars
            .insert("form_definition", first("form_definition").to_owned());
        let all = |n: &str| by_name.get(n).cloned().unwrap_or_default();
        form.legal_basis = all("legal_basis")
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .collect();
        let (names, kinds) = (all("doc_name"), all("doc_kind"));
        form.documents = names
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.trim().is_empty())
            .map(|(i, n)| {
                (
                    (*n).to_owned(),
                    kinds.get(i).copied().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let (desc, amount, account, tariff) = (
            all("fee_description"),
            all("fee_amount"),
            all("fee_account"),
            all("fee_tariff"),
        );
        let rows = desc
            .len()
            .max(amount.len())
            .max(account.len())
            .max(tariff.len());
        form.fees = (0..rows)
            .map(|i| {
                let get = |v: &Vec<&str>| v.get(i).copied().unwrap_or("").to_owned();
                (get(&desc), get(&amount), get(&account), get(&tariff))
            })
            .filter(|(d, a, n, t)| {
                !(d.trim().is_empty()
                    && a.trim().is_empty()
                    && n.trim().is_empty()
                    && t.trim().is_empty())
            })
            .collect();
        form.definition = DefinitionRows::from_pairs(pairs);
        form
    }

    pub fn of(card: &CardData) -> CardForm {
        let mut scalars = BTreeMap::new();
        let flag = |b: bool| if b { "on".to_owned() } else { String::new() };
        scalars.insert("code", card.code.clone());
        scalars.insert("org_unit_id", card.org_unit_id.to_string());
        scalars.insert("name", card.name.clone());
        scalars.insert("description", card.description.clone());
        scalars.insert("keywords", card.keywords.clone());
        scalars.insert(
            "location_id",
            card.location_id.map(|l| l.to_string()).unwrap_or_default(),
        );
        scalars.insert("room", card.room.clone());
        scalars.insert("hours_note", card.hours_note.clone());
        scalars.insert("phone", card.phone.clone());
        scalars.insert("email", card.email.clone());
        scalars.insert("deadline", card.deadline.clone());
        scalars.insert("case_kind", card.case_kind.as_str().to_owned());
        scalars.insert("appeal", card.appeal.clone());
        scalars.insert("remarks", card.remarks.clone());
        scalars.insert("fee_exemptions", card.fee_exemptions.clone());
        scalars.insert("channel_counter", flag(card.channels.counter));
        scalars.insert("channel_post", flag(card.channels.post));
        scalars.insert("channel_email", flag(card.channels.email));
        scalars.insert("channel_eservice", flag(card.channels.eservice));
        scalars.insert("jrwa_symbol", card.jrwa_symbol.clone().unwrap_or_default());
        // The definition is edited as rows; the JSON box is for pasting a new one.
        scalars.insert("form_definition", String::new());
        CardForm {
            definition: card
                .form()
                .map(|d| DefinitionRows::of(&d))
                .unwrap_or_default(),
            scalars,
            legal_basis: card.legal_basis.clone(),
            documents: card
                .documents
                .iter()
                .map(|d| (d.name.clone(), d.kind.clone()))
                .collect(),
            fees: card
                .fees
                .iter()
                .map(|f| {
                    (
                        f.description.clone(),
                        format_grosze(f.amount_grosze)
                            .trim_end_matches(" zł")
                            .replace(' ', ""),
                        f.account_text(),
                        f.tariff.clone(),
                    )
                })
                .collect(),
        }
    }
}

/// What the form checks against: the units the user may choose, with their symbols,
/// the locations that exist, and the JRWA classes cases may be registered under (the
/// leaves of this year's wykaz).
pub struct CardContext<'a> {
    pub units: &'a [(i64, String)],
    pub locations: &'a [i64],
    pub jrwa_classes: &'a [String],
    pub published: bool,
}

/// A posted card form with what it is checked against: the raw form that
/// `CardData::try_from` turns into a card or the problems at their inputs
/// (docs/decisions/0018-form-kit.md).
pub struct PostedCard<'a> {
    pub form: &'a CardForm,
    pub context: &'a CardContext<'a>,
}

impl TryFrom<PostedCard<'_>> for CardData {
    type Error = FormErrors;

    /// Every problem at once: the card's own fields, the rows (legal bases, documents,
    /// fees; `fee_amount-2`), the e-service form definition and the channels.
    fn try_from(posted: PostedCard<'_>) -> Result<CardData, FormErrors> {
        let PostedCard { form, context } = posted;
        let pairs: Vec<(String, String)> = form
            .scalars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let mut reader = FormReader::new(&pairs);
        let own = own_fields(&mut reader, context);
        let mut errors = reader.errors().clone();
        let rows = rows(form, &mut errors);
        let form_definition = definition(form, &mut errors);
        let (channels, jrwa_symbol) =
            channels(form, context, form_definition.is_some(), &mut errors);
        let (Some(own), false) = (own, !errors.is_empty()) else {
            return Err(errors);
        };
        let (legal_basis, documents, fees) = rows;
        Ok(CardData {
            code: own.code,
            org_unit_id: own.org_unit_id,
            name: own.name,
            description: own.description,
            keywords: own.keywords,
            legal_basis,
            location_id: own.location_id,
            room: own.room,
            hours_note: own.hours_note,
            phone: own.phone,
            email: own.email,
            documents,
            fees,
            deadline: own.deadline,
            case_kind: own.case_kind,
            appeal: own.appeal,
            remarks: own.remarks,
            fee_exemptions: own.fee_exemptions,
            channels,
            form_definition,
            jrwa_symbol,
            published: context.published,
        })
    }
}

/// The card's single inputs, read.
struct OwnFields {
    code: String,
    org_unit_id: i64,
    name: String,
    description: String,
    keywords: String,
    location_id: Option<i64>,
    room: String,
    hours_note: String,
    phone: String,
    email: String,
    deadline: String,
    case_kind: CaseKind,
    appeal: String,
    remarks: String,
    fee_exemptions: String,
}

/// Reads the card's single inputs; `None` when one it needs is wrong (the reader holds
/// the problem).
fn own_fields(r: &mut FormReader<'_>, ctx: &CardContext<'_>) -> Option<OwnFields> {
    let code = r.text("code", 20).to_uppercase();
    let unit = r.optional("org_unit_id", |v| {
        v.parse::<i64>()
            .ok()
            .and_then(|id| ctx.units.iter().find(|(u, _)| *u == id))
            .ok_or("sc-unit-invalid")
    });
    if unit.is_none() && !r.has_error("org_unit_id") {
        r.error("org_unit_id", "sc-unit-invalid");
    }
    if let Some((_, symbol)) = unit
        && !code.is_empty()
        && !code_fits_unit(&code, symbol)
    {
        r.error("code", "sc-code-format");
    }
    let name = r.text("name", MAX_NAME);
    let description = r.text("description", MAX_DESCRIPTION);
    let keywords = keywords(&r.optional_text("keywords", MAX_KEYWORDS));
    let location_id = r.optional("location_id", |v| {
        v.parse::<i64>()
            .ok()
            .filter(|id| ctx.locations.contains(id))
            .ok_or("sc-location-invalid")
    });
    let room = r.optional_text("room", 100);
    let hours_note = r.optional_text("hours_note", MAX_LINE);
    let phone = r.optional_text("phone", 50);
    let phone_chars = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')');
    if !phone.chars().all(phone_chars) {
        r.error("phone", "sc-phone-invalid");
    }
    let email = r
        .optional("email", |v| parse::email(v, 254))
        .unwrap_or_default();
    let deadline = r.text("deadline", MAX_LINE);
    let case_kind = r.optional("case_kind", |v| {
        v.parse::<CaseKind>().map_err(|_| "sc-case-kind-invalid")
    });
    if case_kind.is_none() && !r.has_error("case_kind") {
        r.error("case_kind", "sc-case-kind-invalid");
    }
    let appeal = r.optional_text("appeal", MAX_LONG);
    let remarks = r.optional_text("remarks", MAX_LONG);
    let fee_exemptions = r.optional_text("fee_exemptions", MAX_LONG);
    Some(OwnFields {
        code,
        org_unit_id: unit?.0,
        name,
        description,
        keywords,
        location_id,
        room,
        hours_note,
        phone,
        email,
        deadline,
        case_kind: case_kind?,
        appeal,
        remarks,
        fee_exemptions,
    })
}

type Rows = (Vec<String>, Vec<RequiredDocument>, Vec<Fee>);

/// The repeated rows: legal bases (at least one), required documents and fees; each
/// problem at its row's input (`fee_amount-2`).
fn rows(form: &CardForm, errors: &mut FormErrors) -> Rows {
    if form.legal_basis.is_empty() {
        errors.add("legal_basis-0", parse::REQUIRED);
    }
    if form.legal_basis.len() > MAX_ROWS
        || form.documents.len() > MAX_ROWS
        || form.fees.len() > MAX_ROWS
    {
        errors.add("name", "sc-too-many-rows");
    }
    let mut legal_basis = Vec::new();
    for (i, l) in form.legal_basis.iter().enumerate() {
        match parse::text(l, MAX_LINE) {
            Ok(l) => legal_basis.push(l),
            Err(m) => errors.add(format!("legal_basis-{i}"), m),
        }
    }
    let mut documents = Vec::new();
    for (i, (name, kind)) in form.documents.iter().enumerate() {
        let name = parse::text(name, MAX_LINE)
            .map_err(|m| errors.add(format!("doc_name-{i}"), m))
            .unwrap_or_default();
        match DocumentKind::parse(kind) {
            Some(k) => documents.push(RequiredDocument {
                name,
                kind: k.as_str().to_owned(),
            }),
            None => errors.add(format!("doc_kind-{i}"), "sc-doc-kind-invalid"),
        }
    }
    let fees = form
        .fees
        .iter()
        .enumerate()
        .filter_map(|(i, fee)| fee_row(i, fee, errors))
        .collect();
    (legal_basis, documents, fees)
}

/// One fee row: a description, an amount in złoty and the account (NRB).
fn fee_row(
    i: usize,
    (desc, amount, account, tariff): &(String, String, String, String),
    errors: &mut FormErrors,
) -> Option<Fee> {
    let description = match parse::text(desc, MAX_LINE) {
        Ok(d) if d.is_empty() => Err(parse::REQUIRED),
        other => other,
    }
    .map_err(|m| errors.add(format!("fee_description-{i}"), m))
    .ok();
    let grosze = parse_amount(amount);
    if grosze.is_none() {
        errors.add(format!("fee_amount-{i}"), "sc-fee-amount-invalid");
    }
    let nrb = Nrb::parse(account)
        .map_err(|err| {
            let message = match err.code() {
                "nrb.empty" => parse::REQUIRED,
                "nrb.checksum" => "sc-account-checksum",
                _ => "sc-account-format",
            };
            errors.add(format!("fee_account-{i}"), message);
        })
        .ok();
    let tariff = parse::text(tariff, MAX_LINE)
        .map_err(|m| errors.add(format!("fee_tariff-{i}"), m))
        .ok();
    Some(Fee {
        description: description?,
        amount_grosze: grosze?,
        account: nrb?.to_string(),
        tariff: tariff?,
    })
}

/// The e-service form definition: pasted JSON replaces the rows of the structured
/// editor; otherwise the rows are the definition. Canonical JSON, or the problem (at
/// `form_definition`, or at the row input it concerns).
fn definition(form: &CardForm, errors: &mut FormErrors) -> Option<String> {
    let text = form.value("form_definition").trim();
    if !text.is_empty() {
        return FormDefinition::parse(text)
            .map(|def| def.to_json())
            .map_err(|err| errors.add("form_definition", err.code()))
            .ok();
    }
    if form.definition.is_empty() {
        return None;
    }
    match definition_editor::build(&form.definition) {
        Ok(def) => Some(def.to_json()),
        Err(rows) => {
            for (input, message) in rows {
                errors.add(input, message);
            }
            None
        }
    }
}

/// The line of the pasted definition's problem, for the message beside it.
pub fn definition_problem_line(form: &CardForm) -> Option<usize> {
    let text = form.value("form_definition").trim();
    FormDefinition::parse(text)
        .err()
        .and_then(|err| err.line_in(text))
}

/// The channels (at least one), and the JRWA class, which an e-service needs: a filing
/// registers a case at once, and a case needs its class.
fn channels(
    form: &CardForm,
    ctx: &CardContext<'_>,
    has_definition: bool,
    errors: &mut FormErrors,
) -> (Channels, Option<String>) {
    let on = |n: &str| !form.value(n).is_empty();
    let channels = Channels {
        counter: on("channel_counter"),
        post: on("channel_post"),
        email: on("channel_email"),
        eservice: on("channel_eservice"),
    };
    // A definition that was sent but is wrong is told where it is wrong, not here.
    let definition_sent =
        !form.value("form_definition").trim().is_empty() || !form.definition.is_empty();
    if channels.eservice && !has_definition && !definition_sent {
        errors.add("channel_eservice", "sc-eservice-needs-form");
    }
    let jrwa_symbol = match form.value("jrwa_symbol").trim() {
        "" => None,
        s if ctx.jrwa_classes.iter().any(|c| c == s) => Some(s.to_owned()),
        _ => {
            errors.add("jrwa_symbol", "sc-jrwa-invalid");
            None
        }
    };
    if channels.eservice && form.value("jrwa_symbol").trim().is_empty() {
        errors.add("jrwa_symbol", "sc-eservice-needs-jrwa");
    }
    if !(channels.counter || channels.post || channels.email || channels.eservice) {
        errors.add("channel_counter", "sc-channel-required");
    }
    (channels, jrwa_symbol)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACCOUNT: &str = "10 1020 4027 0000 1902 1234 5678";

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut base: Vec<(&str, &str)> = vec![
            ("code", "sa-14"),
            ("org_unit_id", "4"),
            ("name", "Zameldowanie na pobyt stały"),
            ("description", "Zgłoszenie pobytu stałego."),
            ("deadline", "Niezwłocznie"),
            ("case_kind", "administrative_immediate"),
            ("channel_counter", "on"),
            ("legal_basis", "Ustawa o ewidencji ludności"),
            ("legal_basis", ""),
            ("doc_name", "Dowód osobisty"),
            ("doc_kind", "to_show"),
            ("doc_name", ""),
            ("doc_kind", "original"),
            ("fee_description", "Opłata skarbowa"),
            ("fee_amount", "17,00"),
            ("fee_account", ACCOUNT),
            ("fee_description", ""),
            ("fee_amount", ""),
            ("fee_account", ""),
        ];
        base.retain(|(k, _)| {
            !extra.iter().any(|(e, _)| {
                e == k && !k.starts_with("fee") && !k.starts_with("doc") && *k != "legal_basis"
            })
        });
        base.extend_from_slice(extra);
        base.into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn parse(extra: &[(&str, &str)]) -> Result<CardData, FormErrors> {
        let units = [(4, "SA".to_owned()), (5, "USC".to_owned())];
        let classes = ["5310".to_owned(), "5311".to_owned()];
        let ctx = CardContext {
            units: &units,
            locations: &[1, 2],
            jrwa_classes: &classes,
            published: false,
        };
        CardData::try_from(PostedCard {
            form: &CardForm::from_pairs(&pairs(extra)),
            context: &ctx,
        })
    }

    #[test]
    fn a_good_form_drops_blank_rows() {
        let card = parse(&[]).unwrap();
        assert_eq!(card.code, "SA-14");
        assert_eq!(card.legal_basis, ["Ustawa o ewidencji ludności"]);
        assert_eq!(card.documents.len(), 1);
        assert_eq!(card.documents[0].kind(), DocumentKind::ToShow);
        assert_eq!(card.fees[0].amount_grosze, 1700);
        assert_eq!(card.fees[0].account, "10102040270000190212345678");
        assert_eq!(card.case_kind, CaseKind::AdministrativeImmediate);
        // And the form of a card gives the card back.
        let again = CardData::try_from(PostedCard {
            form: &CardForm::of(&card),
            context: &CardContext {
                units: &[(4, "SA".to_owned())],
                locations: &[],
                jrwa_classes: &["5310".to_owned()],
                published: false,
            },
        })
        .unwrap();
        assert_eq!(again, card);
    }

    #[test]
    #[allow(
        clippy::too_many_lines,
        reason = "a table of cases reads best in one piece"
    )]
    fn each_problem_is_reported_at_its_field() {
        let field = |extra: &[(&str, &str)], name: &str| {
            parse(extra).unwrap_err().get(name).map(str::to_owned)
        };
        assert_eq!(
            field(&[("code", "SA-014")], "code").as_deref(),
            Some("sc-code-format")
        );
        assert_eq!(
            field(&[("code", "USC-1")], "code").as_deref(),
            Some("sc-code-format")
        );
        assert_eq!(
            field(&[("name", " ")], "name").as_deref(),
            Some("form-required")
        );
        assert_eq!(
            field(&[("org_unit_id", "99")], "org_unit_id").as_deref(),
            Some("sc-unit-invalid")
        );
        assert_eq!(
            field(&[("location_id", "7")], "location_id").as_deref(),
            Some("sc-location-invalid")
        );
        assert_eq!(
            field(&[("case_kind", "x")], "case_kind").as_deref(),
            Some("sc-case-kind-invalid")
        );
        assert_eq!(
            field(&[("channel_counter", "")], "channel_counter").as_deref(),
            Some("sc-channel-required")
        );
        assert_eq!(
            field(&[("channel_eservice", "on")], "channel_eservice").as_deref(),
            Some("sc-eservice-needs-form")
        );
        // E-service filings register cases at once: the card names their JRWA class,
        // one of this year's leaves.
        assert_eq!(
            field(&[("channel_eservice", "on")], "jrwa_symbol").as_deref(),
            Some("sc-eservice-needs-jrwa")
        );
        for wrong in ["53", "9999", "5310'", "x"] {
            assert_eq!(
                field(&[("jrwa_symbol", wrong)], "jrwa_symbol").as_deref(),
                Some("sc-jrwa-invalid"),
                "{wrong}"
            );
        }
        assert_eq!(
            parse(&[("jrwa_symbol", " 5311 ")])
                .unwrap()
                .jrwa_symbol
                .as_deref(),
            Some("5311")
        );
        assert_eq!(parse(&[("jrwa_symbol", "")]).unwrap().jrwa_symbol, None);
        assert_eq!(
            field(&[("email", "urzad")], "email").as_deref(),
            Some("form-email-invalid")
        );
        let rows = |extra: &[(&str, &str)]| parse(extra).unwrap_err();
        assert_eq!(
            rows(&[
                ("fee_description", "X"),
                ("fee_amount", "abc"),
                ("fee_account", ACCOUNT)
            ])
            .get("fee_amount-1"),
            Some("sc-fee-amount-invalid")
        );
        assert_eq!(
            rows(&[
                ("fee_description", "X"),
                ("fee_amount", "1"),
                ("fee_account", "10 1020 4027 0000 1902 1234 5679")
            ])
            .get("fee_account-1"),
            Some("sc-account-checksum")
        );
        assert_eq!(
            rows(&[
                ("fee_description", "X"),
                ("fee_amount", "1"),
                ("fee_account", "")
            ])
            .get("fee_account-1"),
            Some("form-required")
        );
        assert_eq!(
            rows(&[("doc_name", "Y"), ("doc_kind", "scan")]).get("doc_kind-1"),
            Some("sc-doc-kind-invalid")
        );
        let pasted = [("form_definition", "{\n\"fields\": nope\n}")];
        assert_eq!(
            field(&pasted, "form_definition").as_deref(),
            Some("eform-def-syntax")
        );
        assert_eq!(
            definition_problem_line(&CardForm::from_pairs(&pairs(&pasted))),
            Some(2)
        );
    }

    #[test]
    fn codes_fit_their_unit() {
        for (code, unit, ok) in [
            ("SA-14", "SA", true),
            ("FN-I-3", "FN-I", true),
            ("SA-999", "SA", true),
            ("SA-1000", "SA", false),
            ("SA-0", "SA", false),
            ("SA14", "SA", false),
            ("SA-", "SA", false),
            ("FN-I-3", "FN", false),
            ("USC-1", "SA", false),
        ] {
            assert_eq!(code_fits_unit(code, unit), ok, "{code} in {unit}");
        }
    }

    #[test]
    fn amounts_in_zloty() {
        for (s, want) in [
            ("17", Some(1700)),
            ("17,00", Some(1700)),
            ("17.5", Some(1750)),
            ("1 234,56 zł", Some(123_456)),
            ("0,01", Some(1)),
            ("-5", None),
            ("17,001", None),
            ("abc", None),
            ("", None),
            ("1000001", None),
        ] {
            assert_eq!(parse_amount(s), want, "{s:?}");
        }
        assert_eq!(format_grosze(1700), "17,00 zł");
        assert_eq!(format_grosze(123_456), "1 234,56 zł");
        assert_eq!(format_grosze(5), "0,05 zł");
    }

    #[test]
    fn search_folds_diacritics() {
        assert_eq!(
            fold("Zaświadczenie O ZAMELDOWANIU"),
            "zaswiadczenie o zameldowaniu"
        );
        assert_eq!(fold("Łódź, Żółć"), "lodz, zolc");
        assert_eq!(like_pattern(" Zaśw "), "%zasw%");
        assert_eq!(like_pattern("50%_x\\"), "%50\\%\\_x\\\\%");
        assert_eq!(like_pattern("za\0sw\u{7}"), "%zasw%");
    }

    proptest! {
        #[test]
        fn amounts_round_trip(grosze in 0i64..MAX_FEE_GROSZE) {
            let text = format_grosze(grosze);
            prop_assert_eq!(parse_amount(&text), Some(grosze));
        }

        #[test]
        fn card_form_never_panics(
            entries in prop::collection::vec(
                (prop::sample::select(vec!["code", "org_unit_id", "name", "fee_amount", "fee_account", "fee_description", "doc_name", "doc_kind", "legal_basis", "form_definition", "case_kind", "channel_eservice"]), ".{0,30}"),
                0..30,
            )
        ) {
            let pairs: Vec<(String, String)> = entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            let units = [(4, "SA".to_owned())];
            let ctx = CardContext { units: &units, locations: &[1], jrwa_classes: &[], published: false };
            let _ = CardData::try_from(PostedCard { form: &CardForm::from_pairs(&pairs), context: &ctx });
        }
    }
}
