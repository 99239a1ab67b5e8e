//! What a resident filed, as a document: the pure part of an e-service application.
//!
//! The filed document is canonical JSON (keys in a fixed order, fields in the form's
//! order, files with their SHA-256), so its SHA-256 printed on the confirmation of
//! filing identifies exactly what reached the office and when: the resident (or a
//! court) can recompute it from the confirmation's own data.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::service_cards::form_definition::{FieldKind, FormDefinition, Submission};

/// One filed file, described (its bytes are stored apart).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledFile {
    /// The form field it was attached to.
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// One answered field, with its label as the resident saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledField {
    pub name: String,
    pub label: String,
    pub value: String,
    /// The answer as the resident saw it when it differs from the stored value: the
    /// label of the chosen option („Dla pracodawcy”, not `employer`), „Tak” for a
    /// ticked box (issue 15). Part of the hashed document since then; documents filed
    /// before have none and serialise exactly as they were filed, so their stored hash
    /// still verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<String>,
}

impl FiledField {
    /// The answer as people read it.
    pub fn answer(&self) -> &str {
        self.shown.as_deref().unwrap_or(&self.value)
    }
}

/// The filed document. Serialised in this field order; this is what is hashed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledDocument {
    pub office: String,
    pub service_card: String,
    pub service_name: String,
    /// RFC 3339 UTC, to the second: the moment of filing (KPA art. 61 § 3a: a request
    /// filed electronically initiates the proceedings on the day it is entered into the
    /// organ's ICT system).
    pub submitted_at: String,
    pub lang: String,
    pub fields: Vec<FiledField>,
    pub files: Vec<FiledFile>,
}

/// Where and what was filed, in which language.
pub struct Heading<'a> {
    pub office: &'a str,
    pub card_code: &'a str,
    pub card_name: &'a str,
    pub lang: &'a str,
    /// A ticked box in `lang`: „Tak”, „Yes”.
    pub yes: &'a str,
}

impl FiledDocument {
    #[allow(
        clippy::needless_pass_by_value,
        reason = "the services branch of issue 9 reshapes this constructor"
    )]
    pub fn new(
        heading: Heading<'_>,
        submitted_at: Timestamp,
        definition: &FormDefinition,
        submission: &Submission,
        files: Vec<FiledFile>,
    ) -> FiledDocument {
        let Heading {
            office,
            card_code,
            card_name,
            lang,
            yes,
        } = heading;
        let fields = definition
            .fields
            .iter()
            .filter(|f| f.kind != FieldKind::File)
            .filter_map(|f| {
                submission.get(&f.name).map(|value| FiledField {
                    name: f.name.clone(),
                    label: f.label.get(lang).to_owned(),
                    value: value.to_owned(),
                    shown: match &f.kind {
                        FieldKind::Select(options) => options
                            .iter()
                            .find(|o| o.value == value)
                            .map(|o| o.label.get(lang).to_owned()),
                        FieldKind::Checkbox => Some(yes.to_owned()),
                        _ => None,
                    },
                })
            })
            .collect();
        FiledDocument {
            office: office.to_owned(),
            service_card: card_code.to_owned(),
            service_name: card_name.to_owned(),
            submitted_at: submitted_at
                .round(jiff::Unit::Second)
                .unwrap_or(submitted_at)
                .to_string(),
            lang: lang.to_owned(),
            fields,
            files,
        }
    }

    pub fn canonical_json(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_json().as_bytes()))
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }
}

/// Who filed, for the registers: the forms name people in a few usual ways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    pub address: String,
    pub email: String,
}

pub fn applicant(values: &BTreeMap<String, String>) -> Applicant {
    let get = |k: &str| values.get(k).map(|v| v.trim()).unwrap_or_default();
    let person = [get("first_name"), get("last_name")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = [
        person.as_str(),
        get("name"),
        get("applicant_name"),
        get("company_name"),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or_default()
    .to_owned();
    let town = [get("postal_code"), get("city")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let address = [get("street"), town.as_str(), get("address")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Applicant {
        name,
        address,
        email: get("email").to_owned(),
    }
}

/// A submission key as the form or an API client sends it: 16–64 characters of
/// `[A-Za-z0-9_-]`, else `None` (then the filing gets a fresh one and cannot be
/// deduplicated).
pub fn submission_key(raw: &str) -> Option<String> {
    let raw = raw.trim();
    ((16..=64).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| raw.to_owned())
}

/// Who sent a filing, as far as the office can tell: the key a client chose is only
/// its own within this scope, so another client using the same key files its own
/// application instead of receiving someone else's (issue 16, decision 0022).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Client {
    /// A browser, by the secret token of its form cookie (or its staff session): only
    /// that browser can send it.
    Browser(String),
    /// An API client by its network address (the API has no accounts); `None` when the
    /// address is unknown. Clients behind one proxy share an address, so the request
    /// hash, not the address, is what keeps their filings apart.
    ApiAddress(Option<String>),
}

/// The key under which a filing is stored: SHA-256 of the scope and the sent key, so
/// the same key from two clients names two filings.
pub fn scoped_submission_key(client: &Client, key: &str) -> String {
    let scope = match client {
        Client::Browser(token) => format!("web\n{token}"),
        Client::ApiAddress(Some(address)) => format!("api\n{address}"),
        Client::ApiAddress(None) => "api\n".to_owned(),
    };
    hex::encode(Sha256::digest(format!("{scope}\n{key}").as_bytes()))
}

/// One sent file as the request hash covers it: its bytes by their SHA-256.
#[derive(Serialize)]
pub struct SentFile<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub content_type: Option<&'a str>,
    pub sha256: String,
}

/// The request as sent, canonical: the card, the language, the fields sorted by name,
/// the files in the order sent. Serialised in this field order; its SHA-256 tells a
/// retry (the same request) from another request under a reused key.
#[derive(Serialize)]
pub struct SentRequest<'a> {
    pub service_card: &'a str,
    pub lang: &'a str,
    pub fields: &'a BTreeMap<String, String>,
    pub files: Vec<SentFile<'a>>,
}

impl SentRequest<'_> {
    pub fn sha256(&self) -> String {
        // Strings and maps of strings: serialising cannot fail.
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service_cards::form_definition::validate_submission;

    fn definition() -> FormDefinition {
        FormDefinition::parse(
            r#"{"fields": [
                {"name": "first_name", "type": "text", "label": {"pl": "Imię", "en": "First name"}, "required": true},
                {"name": "last_name", "type": "text", "label": {"pl": "Nazwisko", "en": "Last name"}, "required": true},
                {"name": "pesel", "type": "pesel", "label": {"pl": "PESEL", "en": "PESEL"}, "required": true},
                {"name": "scan", "type": "file", "label": {"pl": "Skan", "en": "Scan"}, "required": false}
            ], "attachments": {"max_files": 1, "max_size_bytes": 1000000, "allowed_types": ["pdf"]}}"#,
        )
        .unwrap()
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_document_and_its_hash_are_stable() {
        let def = definition();
        let v = values(&[
            ("first_name", " Anna "),
            ("last_name", "Nowak"),
            ("pesel", "44051401359"),
        ]);
        let submission = validate_submission(&def, &v).unwrap();
        let at: Timestamp = "2026-11-30T14:05:09.731Z".parse().unwrap();
        let heading = Heading {
            office: "Urząd",
            card_code: "SA-2",
            card_name: "Zaświadczenie",
            lang: "pl",
            yes: "Tak",
        };
        let doc = FiledDocument::new(heading, at, &def, &submission, vec![]);
        assert_eq!(doc.submitted_at, "2026-11-30T14:05:10Z");
        assert_eq!(doc.value("first_name"), Some("Anna"));
        assert_eq!(doc.fields[0].label, "Imię");
        let json = doc.canonical_json();
        assert!(
            json.starts_with(r#"{"office":"Urząd","service_card":"SA-2""#),
            "{json}"
        );
        assert_eq!(doc.sha256(), hex::encode(Sha256::digest(json.as_bytes())));
        // Any change to what was filed changes the hash.
        let mut other = doc.clone();
        other.fields[2].value = "44051401358".into();
        assert_ne!(doc.sha256(), other.sha256());
        let mut file = doc.clone();
        file.files.push(FiledFile {
            field: "scan".into(),
            file_name: "a.pdf".into(),
            content_type: "application/pdf".into(),
            size_bytes: 10,
            sha256: "00".repeat(32),
        });
        assert_ne!(doc.sha256(), file.sha256());
    }

    #[test]
    fn options_are_kept_as_the_resident_saw_them() {
        let def = FormDefinition::parse(
            r#"{"fields": [
                {"name": "purpose", "type": "select", "label": {"pl": "Cel", "en": "Purpose"}, "required": true,
                 "options": [{"value": "employer", "label": {"pl": "Dla pracodawcy", "en": "For an employer"}},
                             {"value": "bank", "label": {"pl": "Dla banku", "en": "For a bank"}}]},
                {"name": "consent", "type": "checkbox", "label": {"pl": "Zgoda", "en": "Consent"}, "required": true},
                {"name": "note", "type": "text", "label": {"pl": "Uwagi", "en": "Note"}, "required": false}
            ]}"#,
        )
        .unwrap();
        let v = values(&[("purpose", "employer"), ("consent", "on"), ("note", "x")]);
        let submission = validate_submission(&def, &v).unwrap();
        let at: Timestamp = "2026-12-03T18:05:00Z".parse().unwrap();
        for (lang, yes, purpose) in [
            ("pl", "Tak", "Dla pracodawcy"),
            ("en", "Yes", "For an employer"),
        ] {
            let heading = Heading {
                office: "Urząd",
                card_code: "SA-2",
                card_name: "Zaświadczenie",
                lang,
                yes,
            };
            let doc = FiledDocument::new(heading, at, &def, &submission, vec![]);
            let answers: Vec<(&str, &str)> = doc
                .fields
                .iter()
                .map(|f| (f.value.as_str(), f.answer()))
                .collect();
            assert_eq!(answers, [("employer", purpose), ("yes", yes), ("x", "x")]);
            // The label is part of what is hashed.
            assert!(
                doc.canonical_json()
                    .contains(&format!("\"shown\":\"{purpose}\""))
            );
        }
    }

    #[test]
    fn documents_filed_before_labels_keep_their_hash() {
        // As stored before issue 15: no `shown`. Read back and serialised again, it is
        // byte for byte what was hashed when it was filed.
        let stored = r#"{"office":"Urząd","service_card":"SA-2","service_name":"Zaświadczenie","submitted_at":"2026-11-30T14:05:10Z","lang":"pl","fields":[{"name":"purpose","label":"Cel","value":"employer"}],"files":[]}"#;
        let doc: FiledDocument = serde_json::from_str(stored).unwrap();
        assert_eq!(doc.canonical_json(), stored);
        assert_eq!(doc.sha256(), hex::encode(Sha256::digest(stored.as_bytes())));
        assert_eq!(doc.fields[0].answer(), "employer");
    }

    #[test]
    fn applicants_are_named_from_the_usual_fields() {
        let cases = [
            (
                values(&[
                    ("first_name", "Jan"),
                    ("last_name", "Kowalski"),
                    ("street", "Lipowa 3"),
                    ("postal_code", "62-300"),
                    ("city", "Borowiec"),
                    ("email", "jan@example.pl"),
                ]),
                Applicant {
                    name: "Jan Kowalski".into(),
                    address: "Lipowa 3, 62-300 Borowiec".into(),
                    email: "jan@example.pl".into(),
                },
            ),
            (
                values(&[("name", "Stowarzyszenie Nasz Borowiec")]),
                Applicant {
                    name: "Stowarzyszenie Nasz Borowiec".into(),
                    ..Applicant::default()
                },
            ),
            (
                values(&[
                    ("company_name", "Kowalski Sp. z o.o."),
                    ("address", "ul. Polna 1"),
                ]),
                Applicant {
                    name: "Kowalski Sp. z o.o.".into(),
                    address: "ul. Polna 1".into(),
                    ..Applicant::default()
                },
            ),
            (values(&[]), Applicant::default()),
        ];
        for (input, expected) in cases {
            assert_eq!(applicant(&input), expected);
        }
    }

    #[test]
    fn submission_keys() {
        assert!(submission_key("k1P5W1ZSW7aQYpgX").is_some());
        assert!(submission_key(&"a".repeat(64)).is_some());
        for bad in [
            "",
            "short",
            &"a".repeat(65),
            "spaces are not ok here",
            "ünïcode-key-123456",
        ] {
            assert_eq!(submission_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_key_is_scoped_to_its_client() {
        let key = "integrator-000001";
        let a = scoped_submission_key(&Client::ApiAddress(Some("192.0.2.1".into())), key);
        let b = scoped_submission_key(&Client::ApiAddress(Some("192.0.2.2".into())), key);
        let web = scoped_submission_key(&Client::Browser("192.0.2.1".into()), key);
        assert_ne!(a, b);
        assert_ne!(a, web);
        assert_eq!(
            a,
            scoped_submission_key(&Client::ApiAddress(Some("192.0.2.1".into())), key)
        );
        // SHA-256 of "api\n192.0.2.1\nintegrator-000001", worked out with sha256sum.
        assert_eq!(
            a,
            "a2fd38a846473db71ce57f1b3a2fb1daba3578eb33a3580170469e6c2ff2066a"
        );
    }

    #[test]
    fn the_request_hash_covers_every_part_of_the_request() {
        let fields = values(&[("first_name", "Anna")]);
        let other = values(&[("first_name", "Anne")]);
        let request = |fields, lang, sha: &str| {
            SentRequest {
                service_card: "SA-2",
                lang,
                fields,
                files: vec![SentFile {
                    field: "fee_proof",
                    file_name: "a.pdf",
                    content_type: None,
                    sha256: sha.to_owned(),
                }],
            }
            .sha256()
        };
        let first = request(&fields, "pl", "00");
        assert_eq!(first, request(&fields, "pl", "00"));
        assert_ne!(first, request(&other, "pl", "00"));
        assert_ne!(first, request(&fields, "en", "00"));
        assert_ne!(first, request(&fields, "pl", "01"));
    }
}
