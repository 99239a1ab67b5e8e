//! The forms of the case's documents, read into valid values (`TryFrom` on the form
//! kit): a letter's edit, a template, an authorisation, a dispatch, a delivery, a
//! dekretacja. Pure: what a check needs from the database comes in with the form.

use jiff::civil::Date;
use magistrat_domain::letters::{self, Element, LetterKind, Sections};

use super::store::{Dispatch, NewAuthorisation, TemplateData};
use crate::correspondence::{Delivery, LetterType, OutChannel};
use crate::platform::form::{FormErrors, FormReader, parse};

type Pairs = [(String, String)];

/// Longest text of one element (a justification may run to pages).
pub const ELEMENT_MAX: usize = 20_000;

/// A letter's edit as the official saves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterEdit {
    pub title: String,
    pub sections: Sections,
    pub without_justification: bool,
}

pub struct LetterForm<'a> {
    pub pairs: &'a Pairs,
    pub kind: LetterKind,
}

impl TryFrom<LetterForm<'_>> for LetterEdit {
    type Error = FormErrors;
    fn try_from(f: LetterForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let title = r.text("title", 300);
        let mut sections = Sections::new();
        for &element in f.kind.elements() {
            let text = r.optional_text(element.as_str(), ELEMENT_MAX);
            if !text.is_empty() {
                sections.insert(element, text);
            }
        }
        let without_justification =
            f.kind.may_omit_justification() && r.checked("without_justification");
        r.finish(Some(LetterEdit {
            title,
            sections,
            without_justification,
        }))
    }
}

/// A template as the editor saves it.
pub struct TemplateForm<'a> {
    pub pairs: &'a Pairs,
}

impl TryFrom<TemplateForm<'_>> for TemplateData {
    type Error = FormErrors;
    fn try_from(f: TemplateForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let kind = r.required("kind", |v| {
            v.parse::<LetterKind>().map_err(|_| "form-choice-unknown")
        });
        let name = r.text("name", 200);
        let mut sections = Sections::new();
        // Every element any kind has may be sent; those of the chosen kind are kept.
        for element in Element::ALL {
            let text = r.optional_text(element.as_str(), ELEMENT_MAX);
            if text.is_empty() || kind.is_some_and(|k| !k.elements().contains(&element)) {
                continue;
            }
            if !letters::unknown_placeholders(&text).is_empty() {
                r.error(element.as_str(), "letter-template-unknown-placeholder");
            }
            sections.insert(element, text);
        }
        let active = r.checked("active");
        let value = kind.map(|kind| TemplateData {
            kind,
            name,
            sections,
            active,
        });
        r.finish(value)
    }
}

/// An authorisation as the register's form adds it.
pub struct AuthorisationForm<'a> {
    pub pairs: &'a Pairs,
    /// The accounts that may be named (id as text).
    pub users: &'a [(String, String)],
    /// The units that may be named (id as text).
    pub units: &'a [(String, String)],
}

impl TryFrom<AuthorisationForm<'_>> for NewAuthorisation {
    type Error = FormErrors;
    fn try_from(f: AuthorisationForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let pick = |options: &[(String, String)], v: &str| -> Result<i64, &'static str> {
            options
                .iter()
                .find(|(id, _)| id == v)
                .and_then(|(id, _)| id.parse().ok())
                .ok_or("form-choice-unknown")
        };
        let user_id = r.required("user_id", |v| pick(f.users, v));
        let org_unit_id = r.required("org_unit_id", |v| pick(f.units, v));
        let jrwa_symbol = r.optional_text("jrwa_symbol", 10);
        let digits = jrwa_symbol.chars().all(|c| c.is_ascii_digit());
        if !jrwa_symbol.is_empty() && (!digits || jrwa_symbol.len() > 5) {
            r.error("jrwa_symbol", "auth-jrwa-invalid");
        }
        let reference = r.text("reference", 200);
        let valid_from = r.required("valid_from", parse::date);
        let valid_to = r.optional("valid_to", parse::date);
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            r.error("valid_to", "auth-valid-to-before-from");
        }
        let value = match (user_id, org_unit_id, valid_from) {
            (Some(user_id), Some(org_unit_id), Some(valid_from)) => Some(NewAuthorisation {
                user_id,
                org_unit_id,
                jrwa_symbol,
                reference,
                valid_from,
                valid_to,
            }),
            _ => None,
        };
        r.finish(value)
    }
}

/// A dispatch as the letter's form sends it.
pub struct DispatchForm<'a> {
    pub pairs: &'a Pairs,
    /// The day the letter was signed (issued): it is not sent before.
    pub issued_on: Date,
    pub today: Date,
}

impl TryFrom<DispatchForm<'_>> for Dispatch {
    type Error = FormErrors;
    fn try_from(f: DispatchForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let channel = r.required("channel", |v| {
            OutChannel::parse(v).ok_or("form-choice-unknown")
        });
        let letter_type = r.optional("letter_type", |v| {
            LetterType::parse(v).ok_or("form-choice-unknown")
        });
        if letter_type.is_some() && channel != Some(OutChannel::Post) {
            r.error("letter_type", "letter-dispatch-letter-type-post-only");
        }
        // The numer nadania of a registered letter (the register's rule).
        let tracking_number = r
            .optional("tracking_number", |v| {
                crate::correspondence::service::tracking_number(channel, letter_type, v)
            })
            .unwrap_or_default();
        let recipient_name = r.text("recipient_name", 300);
        let recipient_address = r.optional_text("recipient_address", 1000);
        let electronic_address = r.optional_text("electronic_address", 300);
        match channel {
            Some(OutChannel::Post) if recipient_address.is_empty() => {
                r.error("recipient_address", "letter-dispatch-address-required");
            }
            Some(OutChannel::Email | OutChannel::Epuap | OutChannel::Edoreczenia)
                if electronic_address.is_empty() =>
            {
                r.error("electronic_address", "letter-dispatch-electronic-required");
            }
            _ => {}
        }
        let sent_on = r.required("sent_on", parse::date);
        if let Some(day) = sent_on {
            if day < f.issued_on {
                r.error("sent_on", "letter-dispatch-before-signature");
            } else if day > f.today {
                r.error("sent_on", "letter-dispatch-in-future");
            }
        }
        let value = match (channel, sent_on) {
            (Some(channel), Some(sent_on)) => Some(Dispatch {
                channel,
                letter_type,
                tracking_number,
                recipient_name,
                recipient_address,
                electronic_address,
                sent_on,
            }),
            _ => None,
        };
        r.finish(value)
    }
}

/// A delivery as the letter's form records it: the day between the dispatch and today
/// (`magistrat_domain::letters::check_delivery_date`).
pub struct DeliveryForm<'a> {
    pub pairs: &'a Pairs,
    pub sent_on: Date,
    pub today: Date,
}

impl TryFrom<DeliveryForm<'_>> for Delivery {
    type Error = FormErrors;
    fn try_from(f: DeliveryForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let delivered_on = r.required("delivered_on", parse::date);
        if let Some(day) = delivered_on {
            match letters::check_delivery_date(f.sent_on, day, f.today) {
                Ok(()) => {}
                Err(letters::DeliveryDateError::BeforeDispatch) => {
                    r.error("delivered_on", "letter-delivered-before-dispatch");
                }
                Err(letters::DeliveryDateError::InFuture) => {
                    r.error("delivered_on", "letter-delivered-in-future");
                }
            }
        }
        let note = r.optional_text("delivery_note", 1000);
        let value = delivered_on.map(|delivered_on| Delivery { delivered_on, note });
        r.finish(value)
    }
}

/// A dekretacja: to whom, with what instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dekretacja {
    pub to_user_id: i64,
    pub to_name: String,
    pub instruction: String,
}

pub struct DekretacjaForm<'a> {
    pub pairs: &'a Pairs,
    pub officials: &'a [(String, String)],
}

impl TryFrom<DekretacjaForm<'_>> for Dekretacja {
    type Error = FormErrors;
    fn try_from(f: DekretacjaForm<'_>) -> Result<Self, FormErrors> {
        let mut r = FormReader::new(f.pairs);
        let to = r.required("to_user_id", |v| {
            f.officials
                .iter()
                .find(|(id, _)| id == v)
                .and_then(|(id, name)| id.parse::<i64>().ok().map(|id| (id, name.clone())))
                .ok_or("form-choice-unknown")
        });
        let instruction = r.optional_text("instruction", 1000);
        let value = to.map(|(to_user_id, to_name)| Dekretacja {
            to_user_id,
            to_name,
            instruction,
        });
        r.finish(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_dispatch_is_not_before_the_signature_nor_in_the_future() {
        let issued_on = date(2026, 12, 1);
        let today = date(2026, 12, 4);
        let table = [
            ("2026-11-30", Some("letter-dispatch-before-signature")),
            ("2026-12-01", None),
            ("2026-12-04", None),
            ("2026-12-05", Some("letter-dispatch-in-future")),
        ];
        for (day, expected) in table {
            let p = pairs(&[
                ("channel", "post"),
                ("recipient_name", "Jan Nowak"),
                ("recipient_address", "ul. Polna 1"),
                ("sent_on", day),
            ]);
            let got = Dispatch::try_from(DispatchForm {
                pairs: &p,
                issued_on,
                today,
            });
            assert_eq!(
                got.err()
                    .and_then(|e| e.get("sent_on").map(str::to_owned))
                    .as_deref(),
                expected,
                "{day}"
            );
        }
    }

    #[test]
    fn an_electronic_dispatch_needs_an_address() {
        let p = pairs(&[
            ("channel", "epuap"),
            ("recipient_name", "Jan"),
            ("sent_on", "2026-12-04"),
        ]);
        let errors = Dispatch::try_from(DispatchForm {
            pairs: &p,
            issued_on: date(2026, 12, 1),
            today: date(2026, 12, 4),
        })
        .unwrap_err();
        assert_eq!(
            errors.get("electronic_address"),
            Some("letter-dispatch-electronic-required")
        );
    }

    #[test]
    fn a_delivery_before_the_dispatch_is_refused() {
        let p = pairs(&[("delivered_on", "2026-11-30")]);
        let errors = Delivery::try_from(DeliveryForm {
            pairs: &p,
            sent_on: date(2026, 12, 1),
            today: date(2026, 12, 4),
        })
        .unwrap_err();
        assert_eq!(
            errors.get("delivered_on"),
            Some("letter-delivered-before-dispatch")
        );
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_is_refused() {
        let p = pairs(&[
            ("kind", "decision"),
            ("name", "Decyzja"),
            ("ruling", "Orzekam {zle}"),
            ("active", "on"),
        ]);
        let errors = TemplateData::try_from(TemplateForm { pairs: &p }).unwrap_err();
        assert_eq!(
            errors.get("ruling"),
            Some("letter-template-unknown-placeholder")
        );
    }

    #[test]
    fn a_letter_edit_keeps_only_its_kinds_elements() {
        let p = pairs(&[
            ("title", "Decyzja"),
            ("ruling", "Orzekam"),
            ("new_date", "2026-12-31"),
            ("without_justification", "on"),
        ]);
        let edit = LetterEdit::try_from(LetterForm {
            pairs: &p,
            kind: LetterKind::Decision,
        })
        .unwrap();
        assert_eq!(edit.sections.len(), 1);
        assert!(edit.without_justification);
        let edit = LetterEdit::try_from(LetterForm {
            pairs: &p,
            kind: LetterKind::EvidenceNotice,
        })
        .unwrap();
        assert!(!edit.without_justification, "no justification to omit");
    }
}
