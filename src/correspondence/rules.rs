//! The register's rules, pure: channels, register numbers, electronic addresses and the
//! forms' validation — [`IncomingForm`] → [`NewIncoming`], [`OutgoingForm`] →
//! [`NewOutgoing`], [`DeliveryForm`] → [`Delivery`] by `TryFrom`, read with the
//! platform's form kit. Tested beside them.

use jiff::civil::{Date, Time};
use serde::Serialize;

use crate::db::UtcTime;
use crate::platform::form::parse::{self, Message};
use crate::platform::form::{FormErrors, FormReader, Pairs, looks_like_email};

/// How an incoming item reached the office: the one list cases share.
pub use crate::platform::Channel;

/// How an outgoing item was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutChannel {
    Post,
    Email,
    Epuap,
    Edoreczenia,
    /// Handed over in person at the office.
    InPerson,
}

impl OutChannel {
    pub const ALL: [OutChannel; 5] = [
        OutChannel::Post,
        OutChannel::Email,
        OutChannel::Epuap,
        OutChannel::Edoreczenia,
        OutChannel::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutChannel::Post => "post",
            OutChannel::Email => "email",
            OutChannel::Epuap => "epuap",
            OutChannel::Edoreczenia => "edoreczenia",
            OutChannel::InPerson => "in_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("corr-out-channel-{}", self.as_str().replace('_', "-"))
    }
}

/// A stored outgoing channel that is none of [`OutChannel::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown outgoing channel {0:?}")]
pub struct UnknownOutChannel(pub String);

/// Rows decode their `channel` column through this (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for OutChannel {
    type Error = UnknownOutChannel;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or(UnknownOutChannel(value))
    }
}

/// The kind of a posted letter (Prawo pocztowe: przesyłka zwykła, polecona, polecona za
/// zwrotnym potwierdzeniem odbioru — ZPO, the one KPA art. 39 deliveries use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterType {
    Ordinary,
    Registered,
    RegisteredReceipt,
}

impl LetterType {
    pub const ALL: [LetterType; 3] = [
        LetterType::Ordinary,
        LetterType::Registered,
        LetterType::RegisteredReceipt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterType::Ordinary => "ordinary",
            LetterType::Registered => "registered",
            LetterType::RegisteredReceipt => "registered_receipt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("corr-letter-{}", self.as_str().replace('_', "-"))
    }
}

/// `2026/000123`: the year and the number within the year's register.
pub fn register_number(year: i32, number: i32) -> String {
    format!("{year}/{number:06}")
}

/// An e-Doręczenia address (adres do doręczeń elektronicznych, ADE) in the form
/// `AE:PL-XXXXX-XXXXX-XXXXX-XX` (the BAE register's format; ustawa o doręczeniach elektronicznych), normalised to
/// upper case without spaces. The check is deliberately loose — groups of 5, 5, 5 and 2
/// letters or digits — because the groups' meaning and check digits are not published
/// as a rule we could rely on; the BAE register is the authority.
pub fn parse_ade(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let rest = compact.strip_prefix("AE:PL-")?;
    let groups: Vec<&str> = rest.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let ok = lengths == [5, 5, 5, 2]
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_alphanumeric()));
    ok.then_some(compact)
}

/// An ePUAP inbox address: `/name/skrytka` — a path of at least two segments, no spaces.
pub fn valid_epuap(input: &str) -> bool {
    let segments: Vec<&str> = input.split('/').collect();
    input.starts_with('/')
        && input.len() <= 200
        && segments.len() >= 3
        && segments[1..].iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
}

/// Who sent an incoming item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sender {
    pub name: String,
    /// Postal address, free text (lines).
    pub address: String,
    pub email: String,
    /// ePUAP inbox, `/name/skrytka`.
    pub epuap: String,
    /// e-Doręczenia address, `AE:PL-…`.
    pub ade: String,
}

/// The channel's own identifiers of an incoming item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChannelIds {
    /// ePUAP: the id of the UPP (urzędowe poświadczenie przedłożenia).
    pub epuap_upp_id: String,
    /// ePUAP: the document's id.
    pub epuap_document_id: String,
    /// e-Doręczenia: the message id.
    pub edoreczenia_message_id: String,
    /// e-Doręczenia: the id of the proof of receipt (dowód otrzymania), when its file is
    /// not attached.
    pub edoreczenia_proof_ref: String,
}

/// An incoming item to register (the validated form, or what another capability such as
/// e-service applications passes to [`super::register_incoming`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewIncoming {
    pub channel: Channel,
    /// The legally relevant moment of receipt.
    pub received_at: UtcTime,
    pub sender: Sender,
    /// The sender's reference (znak pisma).
    pub sender_reference: String,
    /// The date the sender wrote on the letter ("z dnia" of the spis spraw).
    pub sender_dated_on: Option<Date>,
    /// A paper item's day of posting at a Polish post office of the designated
    /// operator, from the postmark (KPA art. 57 § 5 pkt 2: it decides whether a party
    /// kept its term); never after the day of receipt.
    pub posted_on: Option<Date>,
    pub subject: String,
    pub channel_ids: ChannelIds,
    /// For paper: number of pages and of paper enclosures.
    pub pages: Option<i32>,
    pub paper_attachments: Option<i32>,
    /// The unit it goes to.
    pub org_unit_id: i64,
    pub case_id: Option<i64>,
    pub notes: String,
    /// Stored files of the item (through `attachments::store`).
    pub attachments: Vec<i64>,
    /// Stored proofs of receipt (e-Doręczenia dowód otrzymania, ePUAP UPP).
    pub proofs: Vec<i64>,
}

impl NewIncoming {
    /// What makes the item unregistrable whatever its source: the same rules as the form
    /// (field → message id).
    pub fn problems(&self) -> FormErrors {
        let mut errors = FormErrors::new();
        errors.require("sender_name", &self.sender.name);
        errors.max_len("sender_name", &self.sender.name, 300);
        errors.require("subject", &self.subject);
        errors.max_len("subject", &self.subject, 500);
        check_sender_addresses(&mut errors, self.channel, &self.sender);
        if self.case_id.is_some_and(|c| c <= 0) {
            errors.add("case_id", "corr-case-id-invalid");
        }
        if let Some(key) = posting_problem(self.channel, self.posted_on, self.received_at) {
            errors.add("posted_on", key);
        }
        errors
    }
}

/// What is wrong with an incoming item's posting date, if anything: only a paper item
/// that came by post has one, and it is never after the day of receipt in Warsaw
/// (`magistrat_domain::intake::check_posting`).
pub fn posting_problem(
    channel: Channel,
    posted_on: Option<Date>,
    received_at: UtcTime,
) -> Option<Message> {
    let posted = posted_on?;
    if channel != Channel::Post {
        return Some("corr-posted-on-post-only");
    }
    let received = received_at.in_warsaw().date();
    magistrat_domain::intake::check_posting(Some(posted), received)
        .err()
        .map(|()| "corr-posted-after-receipt")
}

/// A numer nadania as typed, checked for an outgoing item: only a registered letter
/// sent by post has one (`magistrat_domain::post`); empty when none was given.
pub fn tracking_number(
    channel: Option<OutChannel>,
    letter_type: Option<LetterType>,
    input: &str,
) -> Result<String, Message> {
    if input.trim().is_empty() {
        return Ok(String::new());
    }
    let registered = matches!(
        letter_type,
        Some(LetterType::Registered | LetterType::RegisteredReceipt)
    );
    if channel != Some(OutChannel::Post) || !registered {
        return Err("corr-tracking-number-not-registered");
    }
    magistrat_domain::post::parse_tracking_number(input).map_err(|e| e.message_key())
}

/// An outgoing item to register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewOutgoing {
    pub channel: OutChannel,
    pub letter_type: Option<LetterType>,
    /// The numer nadania of a registered letter (`magistrat_domain::post`), or empty.
    pub tracking_number: String,
    pub recipient_name: String,
    pub recipient_address: String,
    /// E-mail, ePUAP or e-Doręczenia address, as the channel needs.
    pub electronic_address: String,
    pub subject: String,
    pub sent_on: Date,
    pub org_unit_id: i64,
    pub case_id: Option<i64>,
    pub notes: String,
    pub attachments: Vec<i64>,
}

/// A proof of delivery of an outgoing item, recorded later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub delivered_on: Date,
    pub note: String,
}

/// The units a form may name: existing ones, and of those the ones the user's grant
/// reaches.
pub struct UnitChoice<'a> {
    pub exists: &'a dyn Fn(i64) -> bool,
    pub allowed: &'a dyn Fn(i64) -> bool,
}

impl UnitChoice<'_> {
    /// The unit a form names: a number of an existing unit the user may register in.
    fn parse(&self, v: &str) -> Result<i64, Message> {
        match v.parse::<i64>() {
            Ok(id) if !(self.exists)(id) => Err("corr-unit-unknown"),
            Ok(id) if !(self.allowed)(id) => Err("corr-unit-out-of-scope"),
            Ok(id) => Ok(id),
            Err(_) => Err("corr-unit-unknown"),
        }
    }
}

/// An optional count (pages, enclosures): a whole number 0–100 000.
fn count(v: &str) -> Result<i32, Message> {
    parse::integer(v, 0..=100_000)
        .ok()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or("corr-count-invalid")
}

/// A case's id, as the form links an item to a case.
fn case_id(v: &str) -> Result<i64, Message> {
    parse::integer(v, 1..=i64::MAX).map_err(|_| "corr-case-id-invalid")
}

/// `HH:MM`, 00:00–23:59, with the register's own wording.
fn time(v: &str) -> Result<Time, Message> {
    parse::time(v).map_err(|_| "corr-time-invalid")
}

/// The sender's electronic addresses: each checked when given, and the one the channel
/// answers to required.
fn check_sender_addresses(errors: &mut FormErrors, channel: Channel, sender: &Sender) {
    if !sender.email.is_empty() && !looks_like_email(&sender.email) {
        errors.add("sender_email", parse::EMAIL_INVALID);
    }
    if !sender.epuap.is_empty() && !valid_epuap(&sender.epuap) {
        errors.add("sender_epuap", "corr-epuap-invalid");
    }
    if !sender.ade.is_empty() && parse_ade(&sender.ade).is_none() {
        errors.add("sender_ade", "corr-ade-invalid");
    }
    match channel {
        Channel::Email => errors.require("sender_email", &sender.email),
        Channel::Epuap => errors.require("sender_epuap", &sender.epuap),
        Channel::Edoreczenia => errors.require("sender_ade", &sender.ade),
        Channel::Post => errors.require("sender_address", &sender.address),
        Channel::Counter | Channel::Eservice => {}
    }
}

/// The incoming-item form as posted. `now` is the current instant: a receipt cannot
/// lie in the future (a few minutes of clock skew allowed).
pub struct IncomingForm<'a> {
    pub pairs: &'a Pairs,
    pub now: UtcTime,
    pub units: &'a UnitChoice<'a>,
}

impl TryFrom<IncomingForm<'_>> for NewIncoming {
    type Error = FormErrors;

    fn try_from(IncomingForm { pairs, now, units }: IncomingForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let channel = Channel::parse(f.value("channel").trim());
        if channel.is_none() {
            f.error("channel", "corr-channel-unknown");
        }
        let day = f.required("received_on", parse::date);
        let at = f.required("received_time", time);
        let received_at = match (day, at) {
            (Some(d), Some(t)) => match d.to_datetime(t).to_zoned(crate::WARSAW.clone()) {
                Ok(z) => {
                    let instant = UtcTime::from_timestamp(z.timestamp());
                    if instant > now.checked_add(jiff::SignedDuration::from_mins(5)) {
                        f.error("received_on", "corr-received-future");
                    }
                    Some(instant)
                }
                Err(_) => {
                    f.error("received_on", parse::DATE_INVALID);
                    None
                }
            },
            _ => None,
        };
        let sender = Sender {
            name: f.text("sender_name", 300),
            address: f.optional_text("sender_address", 500),
            email: f.optional_text("sender_email", 200),
            epuap: f.optional_text("sender_epuap", 200),
            ade: parse_ade(f.value("sender_ade"))
                .unwrap_or_else(|| f.optional_text("sender_ade", 40)),
        };
        if let Some(channel) = channel {
            check_sender_addresses(f.errors_mut(), channel, &sender);
        }
        let sender_reference = f.optional_text("sender_reference", 100);
        let sender_dated_on = f.optional("sender_dated_on", |v| {
            parse::date(v).map_err(|_| "corr-sender-dated-on-invalid")
        });
        let posted_on = f.optional("posted_on", |v| {
            parse::date(v).map_err(|_| "corr-posted-on-invalid")
        });
        if let (Some(channel), Some(received_at)) = (channel, received_at)
            && let Some(key) = posting_problem(channel, posted_on, received_at)
        {
            f.error("posted_on", key);
        }
        let subject = f.text("subject", 500);
        let channel_ids = ChannelIds {
            epuap_upp_id: f.optional_text("epuap_upp_id", 200),
            epuap_document_id: f.optional_text("epuap_document_id", 200),
            edoreczenia_message_id: f.optional_text("edoreczenia_message_id", 200),
            edoreczenia_proof_ref: f.optional_text("edoreczenia_proof_ref", 200),
        };
        let pages = f.optional("pages", count);
        let paper_attachments = f.optional("paper_attachments", count);
        let org_unit_id = f.required("org_unit_id", |v| units.parse(v));
        let case_id = f.optional("case_id", case_id);
        let notes = f.optional_text("notes", 2000);
        let item = match (channel, received_at, org_unit_id) {
            (Some(channel), Some(received_at), Some(org_unit_id)) => Some(NewIncoming {
                channel,
                received_at,
                sender,
                sender_reference,
                sender_dated_on,
                posted_on,
                subject,
                channel_ids,
                pages,
                paper_attachments,
                org_unit_id,
                case_id,
                notes,
                attachments: Vec::new(),
                proofs: Vec::new(),
            }),
            _ => None,
        };
        f.finish(item)
    }
}

/// How an outgoing channel's electronic address is read.
type AddressRule = fn(&str) -> Result<String, Message>;

/// The outgoing-item form as posted. `today` is the office's date: nothing is sent
/// later than today.
pub struct OutgoingForm<'a> {
    pub pairs: &'a Pairs,
    pub today: Date,
    pub units: &'a UnitChoice<'a>,
}

impl TryFrom<OutgoingForm<'_>> for NewOutgoing {
    type Error = FormErrors;

    fn try_from(
        OutgoingForm {
            pairs,
            today,
            units,
        }: OutgoingForm<'_>,
    ) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(pairs);
        let channel = OutChannel::parse(f.value("channel").trim());
        if channel.is_none() {
            f.error("channel", "corr-channel-unknown");
        }
        let letter_type = match channel {
            Some(OutChannel::Post) => {
                let t = LetterType::parse(f.value("letter_type").trim());
                if t.is_none() {
                    f.error("letter_type", "corr-letter-type-required");
                }
                t
            }
            _ => None,
        };
        let tracking_number = f
            .optional("tracking_number", |v| {
                tracking_number(channel, letter_type, v)
            })
            .unwrap_or_default();
        let recipient_name = f.text("recipient_name", 300);
        let recipient_address = f.optional_text("recipient_address", 500);
        if channel == Some(OutChannel::Post) && recipient_address.is_empty() {
            f.error("recipient_address", parse::REQUIRED);
        }
        // The address the channel needs: required and checked by the channel's rule.
        let address_rule: Option<AddressRule> = match channel {
            Some(OutChannel::Email) => Some(|v| parse::email(v, 200)),
            Some(OutChannel::Epuap) => Some(|v| {
                let t = parse::text(v, 200)?;
                if valid_epuap(&t) {
                    Ok(t)
                } else {
                    Err("corr-epuap-invalid")
                }
            }),
            Some(OutChannel::Edoreczenia) => Some(|v| parse_ade(v).ok_or("corr-ade-invalid")),
            Some(OutChannel::Post | OutChannel::InPerson) | None => None,
        };
        let electronic_address = match address_rule {
            Some(rule) => f.required("electronic_address", rule).unwrap_or_default(),
            None => f.optional_text("electronic_address", 200),
        };
        let subject = f.text("subject", 500);
        let sent_on = f.required("sent_on", parse::date);
        if sent_on.is_some_and(|d| d > today) {
            f.error("sent_on", "corr-date-future");
        }
        let org_unit_id = f.required("org_unit_id", |v| units.parse(v));
        let case_id = f.optional("case_id", case_id);
        let notes = f.optional_text("notes", 2000);
        let item = match (channel, sent_on, org_unit_id) {
            (Some(channel), Some(sent_on), Some(org_unit_id)) => Some(NewOutgoing {
                channel,
                letter_type,
                tracking_number,
                recipient_name,
                recipient_address,
                electronic_address,
                subject,
                sent_on,
                org_unit_id,
                case_id,
                notes,
                attachments: Vec::new(),
            }),
            _ => None,
        };
        f.finish(item)
    }
}

/// The proof-of-delivery form as posted: delivered on or after the day sent, not later
/// than today.
pub struct DeliveryForm<'a> {
    pub pairs: &'a Pairs,
    pub sent_on: Date,
    pub today: Date,
}

impl TryFrom<DeliveryForm<'_>> for Delivery {
    type Error = FormErrors;

    fn try_from(form: DeliveryForm<'_>) -> Result<Self, FormErrors> {
        let DeliveryForm {
            pairs,
            sent_on,
            today,
        } = form;
        let mut f = FormReader::new(pairs);
        let delivered_on = f.required("delivered_on", parse::date);
        if let Some(d) = delivered_on {
            if d < sent_on {
                f.error("delivered_on", "corr-delivered-before-sent");
            } else if d > today {
                f.error("delivered_on", "corr-date-future");
            }
        }
        let note = f.optional_text("delivery_note", 500);
        f.finish(delivered_on.map(|delivered_on| Delivery { delivered_on, note }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn with(base: &[(&str, &str)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut f = form(base);
        for (k, v) in changes {
            match f.iter_mut().find(|(name, _)| name == k) {
                Some(pair) => pair.1 = (*v).to_owned(),
                None => f.push(((*k).to_owned(), (*v).to_owned())),
            }
        }
        f
    }

    /// (changed fields, field with the error, expected message id)
    type Case = (
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );

    const INCOMING: &[(&str, &str)] = &[
        ("channel", "post"),
        ("received_on", "2026-11-23"),
        ("received_time", "9:05"),
        ("sender_name", "Jan Nowak"),
        ("sender_address", "ul. Lipowa 3\n62-300 Borowiec"),
        ("subject", "Wniosek o wydanie zaświadczenia"),
        ("org_unit_id", "4"),
    ];

    fn now() -> UtcTime {
        UtcTime::from_timestamp("2026-11-30T12:00:00Z".parse().unwrap())
    }

    fn units() -> (impl Fn(i64) -> bool, impl Fn(i64) -> bool) {
        (|u: i64| (1..=10).contains(&u), |u: i64| u != 7)
    }

    fn incoming(pairs: &[(String, String)]) -> Result<NewIncoming, FormErrors> {
        let (exists, allowed) = units();
        NewIncoming::try_from(IncomingForm {
            pairs,
            now: now(),
            units: &UnitChoice {
                exists: &exists,
                allowed: &allowed,
            },
        })
    }

    #[test]
    fn a_posted_letter() {
        let item = incoming(&with(INCOMING, &[("pages", "3"), ("case_id", "12")])).unwrap();
        assert_eq!(item.channel, Channel::Post);
        // 9:05 in Warsaw in November (CET) is 8:05 UTC.
        assert_eq!(
            item.received_at.to_canonical(),
            "2026-11-23T08:05:00.000000Z"
        );
        assert_eq!(item.pages, Some(3));
        assert_eq!(item.case_id, Some(12));
        assert_eq!(item.org_unit_id, 4);
        assert!(item.problems().is_empty());
        // In summer (CEST) the offset is two hours.
        let summer = incoming(&with(INCOMING, &[("received_on", "2026-07-01")])).unwrap();
        assert_eq!(
            summer.received_at.to_canonical(),
            "2026-07-01T07:05:00.000000Z"
        );
    }

    #[test]
    fn incoming_errors_by_field() {
        let cases: &[Case] = &[
            (&[("channel", "fax")], "channel", "corr-channel-unknown"),
            (&[("received_on", "")], "received_on", "form-required"),
            (
                &[("received_on", "2026-02-30")],
                "received_on",
                "form-date-invalid",
            ),
            (
                &[("received_on", "23.11.2026")],
                "received_on",
                "form-date-invalid",
            ),
            (
                &[("received_on", "2026-12-01")],
                "received_on",
                "corr-received-future",
            ),
            (
                &[("received_time", "25:00")],
                "received_time",
                "corr-time-invalid",
            ),
            (
                &[("received_time", "9.05")],
                "received_time",
                "corr-time-invalid",
            ),
            (
                &[("received_time", "9:5")],
                "received_time",
                "corr-time-invalid",
            ),
            (&[("sender_name", "  ")], "sender_name", "form-required"),
            (&[("subject", "")], "subject", "form-required"),
            (&[("org_unit_id", "")], "org_unit_id", "form-required"),
            (&[("org_unit_id", "99")], "org_unit_id", "corr-unit-unknown"),
            (&[("org_unit_id", "x")], "org_unit_id", "corr-unit-unknown"),
            (
                &[("org_unit_id", "7")],
                "org_unit_id",
                "corr-unit-out-of-scope",
            ),
            (&[("pages", "-1")], "pages", "corr-count-invalid"),
            (
                &[("paper_attachments", "dwa")],
                "paper_attachments",
                "corr-count-invalid",
            ),
            (&[("case_id", "0")], "case_id", "corr-case-id-invalid"),
            (&[("sender_address", "")], "sender_address", "form-required"),
            (
                &[("channel", "email"), ("sender_email", "")],
                "sender_email",
                "form-required",
            ),
            (
                &[("sender_email", "jan(at)x.pl")],
                "sender_email",
                "form-email-invalid",
            ),
            (&[("channel", "epuap")], "sender_epuap", "form-required"),
            (
                &[("sender_epuap", "skrytka")],
                "sender_epuap",
                "corr-epuap-invalid",
            ),
            (&[("channel", "edoreczenia")], "sender_ade", "form-required"),
            (
                &[("sender_ade", "AE:PL-1234-12345-12345-12")],
                "sender_ade",
                "corr-ade-invalid",
            ),
        ];
        for (changes, field, expected) in cases {
            let errors = incoming(&with(INCOMING, changes)).unwrap_err();
            assert_eq!(errors.get(field), Some(*expected), "{changes:?}");
        }
        let long = "x".repeat(501);
        let errors = incoming(&with(INCOMING, &[("subject", &long)])).unwrap_err();
        assert_eq!(errors.get("subject"), Some("form-too-long"));
    }

    #[test]
    fn electronic_channels() {
        let item = incoming(&with(
            INCOMING,
            &[
                ("channel", "edoreczenia"),
                ("sender_address", ""),
                ("sender_ade", " ae:pl-12345-67890-abcde-12 "),
                ("edoreczenia_message_id", "a1b2c3"),
            ],
        ))
        .unwrap();
        assert_eq!(item.sender.ade, "AE:PL-12345-67890-ABCDE-12");
        assert_eq!(item.channel_ids.edoreczenia_message_id, "a1b2c3");
        let item = incoming(&with(
            INCOMING,
            &[
                ("channel", "epuap"),
                ("sender_epuap", "/jannowak/SkrytkaESP"),
            ],
        ))
        .unwrap();
        assert_eq!(item.sender.epuap, "/jannowak/SkrytkaESP");
    }

    #[test]
    fn addresses() {
        for (input, expected) in [
            (
                "AE:PL-12345-67890-ABCDE-12",
                Some("AE:PL-12345-67890-ABCDE-12"),
            ),
            (
                "ae:pl-12345-67890-abcde-12",
                Some("AE:PL-12345-67890-ABCDE-12"),
            ),
            (
                "AE:PL - 12345-67890-ABCDE-12",
                Some("AE:PL-12345-67890-ABCDE-12"),
            ),
            ("AE:PL-12345-67890-ABCDE-123", None),
            ("AE:DE-12345-67890-ABCDE-12", None),
            ("PL-12345-67890-ABCDE-12", None),
            ("AE:PL-12345-67890-ABCD_-12", None),
            ("AE:PL-12345-67890-ABCDE", None),
            ("AE:PL-ŻÓŁWI-67890-ABCDE-12", None),
            ("", None),
        ] {
            assert_eq!(parse_ade(input).as_deref(), expected, "{input:?}");
        }
        assert!(valid_epuap("/umborowiec/SkrytkaESP"));
        assert!(valid_epuap("/jan-nowak_1/skrytka"));
        assert!(!valid_epuap("umborowiec/SkrytkaESP"));
        assert!(!valid_epuap("/umborowiec"));
        assert!(!valid_epuap("/um borowiec/skrytka"));
        assert!(!valid_epuap("/um//skrytka"));
        assert_eq!(register_number(2026, 123), "2026/000123");
        assert_eq!(register_number(2027, 1_234_567), "2027/1234567");
    }

    const OUTGOING: &[(&str, &str)] = &[
        ("channel", "post"),
        ("letter_type", "registered_receipt"),
        ("recipient_name", "Jan Nowak"),
        ("recipient_address", "ul. Lipowa 3, 62-300 Borowiec"),
        ("subject", "Zaświadczenie"),
        ("sent_on", "2026-11-30"),
        ("org_unit_id", "4"),
    ];

    fn outgoing(pairs: &[(String, String)]) -> Result<NewOutgoing, FormErrors> {
        let (exists, allowed) = units();
        NewOutgoing::try_from(OutgoingForm {
            pairs,
            today: date(2026, 11, 30),
            units: &UnitChoice {
                exists: &exists,
                allowed: &allowed,
            },
        })
    }

    #[test]
    fn outgoing_items() {
        let item = outgoing(&form(OUTGOING)).unwrap();
        assert_eq!(item.letter_type, Some(LetterType::RegisteredReceipt));
        let item = outgoing(&with(
            OUTGOING,
            &[
                ("channel", "edoreczenia"),
                ("electronic_address", "ae:pl-12345-67890-abcde-12"),
            ],
        ))
        .unwrap();
        assert_eq!(item.letter_type, None, "only letters have a letter type");
        assert_eq!(item.electronic_address, "AE:PL-12345-67890-ABCDE-12");
        let cases: &[Case] = &[
            (&[("channel", "")], "channel", "corr-channel-unknown"),
            (
                &[("letter_type", "")],
                "letter_type",
                "corr-letter-type-required",
            ),
            (
                &[("recipient_address", "")],
                "recipient_address",
                "form-required",
            ),
            (
                &[("channel", "email")],
                "electronic_address",
                "form-required",
            ),
            (
                &[("channel", "email"), ("electronic_address", "x")],
                "electronic_address",
                "form-email-invalid",
            ),
            (
                &[("channel", "epuap"), ("electronic_address", "x")],
                "electronic_address",
                "corr-epuap-invalid",
            ),
            (
                &[
                    ("channel", "edoreczenia"),
                    ("electronic_address", "AE:PL-1"),
                ],
                "electronic_address",
                "corr-ade-invalid",
            ),
            (&[("sent_on", "2026-12-01")], "sent_on", "corr-date-future"),
            (&[("sent_on", "")], "sent_on", "form-required"),
            (&[("recipient_name", "")], "recipient_name", "form-required"),
            (
                &[("org_unit_id", "7")],
                "org_unit_id",
                "corr-unit-out-of-scope",
            ),
        ];
        for (changes, field, expected) in cases {
            let errors = outgoing(&with(OUTGOING, changes)).unwrap_err();
            assert_eq!(errors.get(field), Some(*expected), "{changes:?}");
        }
    }

    fn parse_delivery(pairs: &Pairs, sent_on: Date, today: Date) -> Result<Delivery, FormErrors> {
        Delivery::try_from(DeliveryForm {
            pairs,
            sent_on,
            today,
        })
    }

    #[test]
    fn deliveries() {
        let sent = date(2026, 11, 20);
        let today = date(2026, 11, 30);
        let d = parse_delivery(&form(&[("delivered_on", "2026-11-24")]), sent, today).unwrap();
        assert_eq!(d.delivered_on, date(2026, 11, 24));
        for (day, expected) in [
            ("2026-11-19", "corr-delivered-before-sent"),
            ("2026-12-01", "corr-date-future"),
            ("", "form-required"),
            ("24.11.2026", "form-date-invalid"),
        ] {
            let errors = parse_delivery(&form(&[("delivered_on", day)]), sent, today).unwrap_err();
            assert_eq!(errors.get("delivered_on"), Some(expected), "{day}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for c in OutChannel::ALL {
            assert_eq!(OutChannel::parse(c.as_str()), Some(c));
        }
        for t in LetterType::ALL {
            assert_eq!(LetterType::parse(t.as_str()), Some(t));
        }
    }

    proptest! {
        #[test]
        fn forms_never_panic(values in proptest::collection::vec(".{0,40}", 16)) {
            let names = [
                "channel", "received_on", "received_time", "sender_name", "sender_address",
                "sender_email", "sender_epuap", "sender_ade", "subject", "org_unit_id",
                "pages", "case_id", "letter_type", "recipient_address", "electronic_address",
                "sent_on",
            ];
            let pairs: Vec<(String, String)> = names
                .iter()
                .zip(values)
                .map(|(k, v)| ((*k).to_owned(), v))
                .collect();
            let _ = incoming(&pairs);
            let _ = outgoing(&pairs);
            let _ = parse_delivery(&pairs, date(2026, 1, 1), date(2026, 12, 31));
            if let Some(ade) = parse_ade(&pairs[7].1) {
                prop_assert_eq!(parse_ade(&ade), Some(ade.clone()));
            }
        }
    }
}
