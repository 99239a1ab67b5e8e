//! E-service form definitions: which fields a service card's online form has, and the
//! check of a filled-in form against them. Pure (no I/O); fuzzed (`fuzz/`).
//!
//! A definition is stored as JSON:
//!
//! ```json
//! {"fields": [{"name": "pesel", "type": "pesel", "label": {"pl": "PESEL", "en": "PESEL"},
//!              "help": {"pl": "11 cyfr", "en": "11 digits"}, "required": true},
//!             {"name": "purpose", "type": "select", "label": {"pl": "Cel", "en": "Purpose"},
//!              "options": [{"value": "work", "label": {"pl": "Praca", "en": "Work"}}]}],
//!  "attachments": {"max_files": 2, "max_size_bytes": 5242880, "allowed_types": ["pdf", "jpg"]}}
//! ```
//!
//! [`FormDefinition::parse`] turns it into validated types; [`validate_submission`]
//! checks the values a person sent (trimmed, bounded, identifiers by their check
//! digits) and answers field by field with Fluent message ids (`eform-…`).

// Moved from the app crate with the fuzz target; its variants and fields are named
// after the JSON and the file kinds they stand for. Documenting each one is left for
// later rather than repeating the names.
#![allow(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};

use crate::identifiers::{IdError, Nip, Pesel, PostalCode, Regon};
use serde::{Deserialize, Serialize};

use crate::file_type::FileKind;

/// At most this many fields in one form.
pub const MAX_FIELDS: usize = 60;
/// Field names: 1–40 characters `a-z0-9_`, starting with a letter.
pub const MAX_NAME_LEN: usize = 40;
pub const MAX_LABEL_LEN: usize = 200;
pub const MAX_HELP_LEN: usize = 1000;
pub const MAX_OPTIONS: usize = 100;
/// The longest value any field takes (a textarea); single-line fields take less.
pub const MAX_VALUE_LEN: usize = 10_000;
/// The default for single-line fields without their own `max_length`.
pub const DEFAULT_LINE_LEN: usize = 200;
pub const MAX_ATTACHMENT_FILES: u32 = 20;
/// 20 MB: what a form may allow per file (the request body limit caps the total).
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;
/// The longest definition document accepted, in bytes.
pub const MAX_DEFINITION_BYTES: usize = 200_000;
/// Dates a form takes: a birth date of the oldest resident to plans a lifetime ahead.
pub const MIN_YEAR: i16 = 1900;
pub const MAX_YEAR: i16 = 2100;

/// A text in both languages of the interface; English falls back to Polish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub pl: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// The text in `lang` (`"pl"` or `"en"`), Polish when there is no translation.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.trim().is_empty() {
            &self.en
        } else {
            &self.pl
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pl.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// One choice of a select field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectOption {
    pub value: String,
    pub label: Text,
}

/// What a field takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Textarea,
    Email,
    Phone,
    Date,
    Number,
    Pesel,
    Nip,
    Regon,
    PostalCode,
    Select(Vec<SelectOption>),
    Checkbox,
    /// The value is the name of a file sent with the form; its bytes are checked with
    /// [`AttachmentRules`].
    File,
}

impl FormDefinition {
    /// Every field type's code (for generators: tests, fuzzing, editors).
    pub const KINDS_FOR_FUZZING: [&'static str; 13] = FieldKind::CODES;
}

impl FieldKind {
    pub const CODES: [&'static str; 13] = [
        "text",
        "textarea",
        "email",
        "phone",
        "date",
        "number",
        "pesel",
        "nip",
        "regon",
        "postal_code",
        "select",
        "checkbox",
        "file",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Textarea => "textarea",
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Date => "date",
            FieldKind::Number => "number",
            FieldKind::Pesel => "pesel",
            FieldKind::Nip => "nip",
            FieldKind::Regon => "regon",
            FieldKind::PostalCode => "postal_code",
            FieldKind::Select(_) => "select",
            FieldKind::Checkbox => "checkbox",
            FieldKind::File => "file",
        }
    }

    /// The longest value the kind can ever need (a field's `max_length` may be lower).
    fn natural_max(&self) -> usize {
        match self {
            FieldKind::Textarea => MAX_VALUE_LEN,
            FieldKind::Email => 254,
            FieldKind::Phone => 30,
            FieldKind::Date => 10,
            FieldKind::Number => 30,
            FieldKind::Pesel => 20,
            FieldKind::Nip => 20,
            FieldKind::Regon => 20,
            FieldKind::PostalCode => 6,
            FieldKind::Checkbox => 10,
            FieldKind::File => 255,
            FieldKind::Text | FieldKind::Select(_) => 1000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    pub name: String,
    pub kind: FieldKind,
    pub label: Text,
    pub help: Text,
    pub required: bool,
    /// Characters, after trimming.
    pub max_length: usize,
}

/// What files may come with a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRules {
    pub max_files: u32,
    pub max_size_bytes: u64,
    pub allowed_types: Vec<FileKind>,
}

impl Default for AttachmentRules {
    /// No files.
    fn default() -> Self {
        Self {
            max_files: 0,
            max_size_bytes: 0,
            allowed_types: Vec::new(),
        }
    }
}

impl AttachmentRules {
    /// Checks one sent file against the rules (kind by its bytes, size).
    pub fn check_file(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<FileKind, crate::file_type::FileProblem> {
        crate::file_type::check_upload(file_name, bytes, &self.allowed_types, self.max_size_bytes)
    }

    /// The `accept` attribute of a file input.
    pub fn accept(&self) -> String {
        self.allowed_types
            .iter()
            .map(|k| format!(".{}", k.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A validated form definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormDefinition {
    pub fields: Vec<FormField>,
    pub attachments: AttachmentRules,
}

// The stored JSON shape. Unknown keys are refused so a typo ("requried") is not lost.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefinition {
    pub fields: Vec<RawField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<RawAttachments>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttachments {
    pub max_files: u64,
    pub max_size_bytes: u64,
    pub allowed_types: Vec<String>,
}

/// Why a definition is refused. `code()` is the Fluent id of the message; `field()`
/// names the field it is about, so an editor can point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefinitionError {
    TooLarge,
    /// Not JSON of the expected shape; 1-based line and column.
    Syntax {
        line: usize,
        column: usize,
        detail: String,
    },
    NoFields,
    TooManyFields,
    BadName {
        index: usize,
    },
    DuplicateName {
        name: String,
    },
    UnknownType {
        name: String,
    },
    MissingLabel {
        name: String,
    },
    TextTooLong {
        name: String,
    },
    BadMaxLength {
        name: String,
    },
    /// A select without options, with too many, or with a blank or repeated value.
    BadOptions {
        name: String,
    },
    /// Options given to a field that is not a select.
    OptionsNotAllowed {
        name: String,
    },
    /// A file field without attachment rules allowing a file.
    FileWithoutAttachments {
        name: String,
    },
    BadAttachments,
    UnknownFileType {
        kind: String,
    },
}

impl DefinitionError {
    pub fn code(&self) -> &'static str {
        match self {
            DefinitionError::TooLarge => "eform-def-too-large",
            DefinitionError::Syntax { .. } => "eform-def-syntax",
            DefinitionError::NoFields => "eform-def-no-fields",
            DefinitionError::TooManyFields => "eform-def-too-many-fields",
            DefinitionError::BadName { .. } => "eform-def-bad-name",
            DefinitionError::DuplicateName { .. } => "eform-def-duplicate-name",
            DefinitionError::UnknownType { .. } => "eform-def-unknown-type",
            DefinitionError::MissingLabel { .. } => "eform-def-missing-label",
            DefinitionError::TextTooLong { .. } => "eform-def-text-too-long",
            DefinitionError::BadMaxLength { .. } => "eform-def-bad-max-length",
            DefinitionError::BadOptions { .. } => "eform-def-bad-options",
            DefinitionError::OptionsNotAllowed { .. } => "eform-def-options-not-allowed",
            DefinitionError::FileWithoutAttachments { .. } => "eform-def-file-without-attachments",
            DefinitionError::BadAttachments => "eform-def-bad-attachments",
            DefinitionError::UnknownFileType { .. } => "eform-def-unknown-file-type",
        }
    }

    /// The field the problem is in, if it is in one.
    pub fn field(&self) -> Option<&str> {
        match self {
            DefinitionError::DuplicateName { name }
            | DefinitionError::UnknownType { name }
            | DefinitionError::MissingLabel { name }
            | DefinitionError::TextTooLong { name }
            | DefinitionError::BadMaxLength { name }
            | DefinitionError::BadOptions { name }
            | DefinitionError::OptionsNotAllowed { name }
            | DefinitionError::FileWithoutAttachments { name } => Some(name),
            _ => None,
        }
    }

    /// The 1-based line of `json` the problem is on, when it can be told: the syntax
    /// error's own line, or the line naming the field.
    pub fn line_in(&self, json: &str) -> Option<usize> {
        if let DefinitionError::Syntax { line, .. } = self {
            return Some(*line);
        }
        if let DefinitionError::BadName { index } = self {
            return json
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains("\"name\""))
                .nth(*index)
                .map(|(i, _)| i + 1);
        }
        let needle = format!("\"{}\"", self.field()?);
        json.lines()
            .position(|l| l.contains("\"name\"") && l.contains(&needle))
            .map(|i| i + 1)
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= MAX_NAME_LEN
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn text_fits(text: &Text, max: usize) -> bool {
    text.pl.chars().count() <= max && text.en.chars().count() <= max
}

/// The attachments' rules: known file types (each once), limits within the office's.
fn attachment_rules(a: &RawAttachments) -> Result<AttachmentRules, DefinitionError> {
    let mut allowed_types = Vec::new();
    for code in &a.allowed_types {
        let kind = FileKind::parse(code).ok_or_else(|| DefinitionError::UnknownFileType {
            kind: code.chars().take(20).collect(),
        })?;
        if !allowed_types.contains(&kind) {
            allowed_types.push(kind);
        }
    }
    let sane = a.max_files <= u64::from(MAX_ATTACHMENT_FILES)
        && a.max_size_bytes <= MAX_ATTACHMENT_BYTES
        && (a.max_files == 0 || (a.max_size_bytes > 0 && !allowed_types.is_empty()));
    if !sane {
        return Err(DefinitionError::BadAttachments);
    }
    Ok(AttachmentRules {
        max_files: u32::try_from(a.max_files).unwrap_or(0),
        max_size_bytes: a.max_size_bytes,
        allowed_types,
    })
}

/// One field (its name already checked): its type, label and help, options, length.
fn checked_field(f: RawField, attachments: &AttachmentRules) -> Result<FormField, DefinitionError> {
    let name = f.name;
    let Some(kind) = field_kind(&f.kind) else {
        return Err(DefinitionError::UnknownType { name });
    };
    if f.label.pl.trim().is_empty() {
        return Err(DefinitionError::MissingLabel { name });
    }
    if !text_fits(&f.label, MAX_LABEL_LEN) || !text_fits(&f.help, MAX_HELP_LEN) {
        return Err(DefinitionError::TextTooLong { name });
    }
    let kind = match kind {
        FieldKind::Select(_) if options_ok(&f.options) => FieldKind::Select(f.options),
        FieldKind::Select(_) => return Err(DefinitionError::BadOptions { name }),
        _ if !f.options.is_empty() => return Err(DefinitionError::OptionsNotAllowed { name }),
        other => other,
    };
    if kind == FieldKind::File && attachments.max_files == 0 {
        return Err(DefinitionError::FileWithoutAttachments { name });
    }
    let natural = kind.natural_max();
    let max_length = match f.max_length {
        None => match kind {
            FieldKind::Text => DEFAULT_LINE_LEN,
            _ => natural,
        },
        Some(n) if n >= 1 && n <= natural as u64 => n as usize,
        Some(_) => return Err(DefinitionError::BadMaxLength { name }),
    };
    Ok(FormField {
        name,
        kind,
        label: f.label,
        help: f.help,
        required: f.required,
        max_length,
    })
}

/// The kind of a field by its `type` code (a select's options come later).
fn field_kind(code: &str) -> Option<FieldKind> {
    Some(match code {
        "text" => FieldKind::Text,
        "textarea" => FieldKind::Textarea,
        "email" => FieldKind::Email,
        "phone" => FieldKind::Phone,
        "date" => FieldKind::Date,
        "number" => FieldKind::Number,
        "pesel" => FieldKind::Pesel,
        "nip" => FieldKind::Nip,
        "regon" => FieldKind::Regon,
        "postal_code" => FieldKind::PostalCode,
        "select" => FieldKind::Select(Vec::new()),
        "checkbox" => FieldKind::Checkbox,
        "file" => FieldKind::File,
        _ => return None,
    })
}

/// A select's options: some, not too many, each value trimmed, short and unique, each
/// with a Polish label.
fn options_ok(options: &[SelectOption]) -> bool {
    let mut values = BTreeSet::new();
    !options.is_empty()
        && options.len() <= MAX_OPTIONS
        && options.iter().all(|o| {
            let v = o.value.trim();
            !v.is_empty()
                && v == o.value
                && v.chars().count() <= MAX_LABEL_LEN
                && !o.label.pl.trim().is_empty()
                && text_fits(&o.label, MAX_LABEL_LEN)
                && values.insert(v.to_owned())
        })
}

impl FormDefinition {
    /// Parses and validates a definition (see the module documentation for the shape).
    pub fn parse(json: &str) -> Result<FormDefinition, DefinitionError> {
        if json.len() > MAX_DEFINITION_BYTES {
            return Err(DefinitionError::TooLarge);
        }
        let raw: RawDefinition =
            serde_json::from_str(json).map_err(|e| DefinitionError::Syntax {
                line: e.line(),
                column: e.column(),
                detail: e.to_string(),
            })?;
        Self::from_raw(raw)
    }

    /// Checks a definition as read: the attachments' rules, then each field in order
    /// (the first problem found is the one reported).
    pub fn from_raw(raw: RawDefinition) -> Result<FormDefinition, DefinitionError> {
        if raw.fields.is_empty() {
            return Err(DefinitionError::NoFields);
        }
        if raw.fields.len() > MAX_FIELDS {
            return Err(DefinitionError::TooManyFields);
        }
        let attachments = match raw.attachments {
            None => AttachmentRules::default(),
            Some(a) => attachment_rules(&a)?,
        };
        let mut names = BTreeSet::new();
        let mut fields = Vec::with_capacity(raw.fields.len());
        for (index, f) in raw.fields.into_iter().enumerate() {
            if !valid_name(&f.name) {
                return Err(DefinitionError::BadName { index });
            }
            if !names.insert(f.name.clone()) {
                return Err(DefinitionError::DuplicateName { name: f.name });
            }
            fields.push(checked_field(f, &attachments)?);
        }
        Ok(FormDefinition {
            fields,
            attachments,
        })
    }

    /// The stored JSON shape of this definition.
    pub fn to_raw(&self) -> RawDefinition {
        RawDefinition {
            fields: self
                .fields
                .iter()
                .map(|f| RawField {
                    name: f.name.clone(),
                    kind: f.kind.code().to_owned(),
                    label: f.label.clone(),
                    help: f.help.clone(),
                    required: f.required,
                    max_length: Some(f.max_length as u64),
                    options: match &f.kind {
                        FieldKind::Select(o) => o.clone(),
                        _ => Vec::new(),
                    },
                })
                .collect(),
            attachments: (self.attachments != AttachmentRules::default()).then(|| RawAttachments {
                max_files: u64::from(self.attachments.max_files),
                max_size_bytes: self.attachments.max_size_bytes,
                allowed_types: self
                    .attachments
                    .allowed_types
                    .iter()
                    .map(|k| k.as_str().to_owned())
                    .collect(),
            }),
        }
    }

    /// Pretty JSON, as stored and as staff edit it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_raw()).unwrap_or_default()
    }

    pub fn field(&self, name: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The `autocomplete` token (HTML's autofill field names; WCAG 2.1 SC 1.3.5, identify
/// input purpose) of a text or date field that asks for the applicant's own data,
/// known by the field's name; `None` for anything else (a case's subject, a tree's
/// species: the browser must not offer the user's address there).
pub fn personal_autocomplete(name: &str) -> Option<&'static str> {
    Some(match name {
        "first_name" | "given_name" | "imie" => "given-name",
        "last_name" | "family_name" | "surname" | "nazwisko" => "family-name",
        "name" | "full_name" | "applicant_name" | "imie_nazwisko" => "name",
        "street" | "address" | "street_address" | "adres" | "ulica" => "street-address",
        "city" | "town" | "miejscowosc" => "address-level2",
        "postal_code" | "kod_pocztowy" => "postal-code",
        "email" | "e_mail" => "email",
        "phone" | "telefon" | "tel" => "tel",
        "birth_date" | "date_of_birth" | "data_urodzenia" => "bday",
        "country" | "kraj" => "country-name",
        _ => return None,
    })
}

/// How to render a field: the element, its `type` and attributes. Labels, help and
/// errors come from the field itself in the page's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSpec {
    /// `input`, `textarea` or `select`.
    pub element: &'static str,
    /// The `type` of an `input` (empty for the others).
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub autocomplete: &'static str,
    /// An HTML `pattern` (a hint for browsers; the server checks anyway).
    pub pattern: &'static str,
    pub maxlength: usize,
    pub required: bool,
    /// (value, label) for a select.
    pub options: Vec<(String, String)>,
    /// The `accept` attribute of a file input.
    pub accept: String,
}

impl FormField {
    /// How to render this field in `lang` (`"pl"` or `"en"`).
    pub fn input(&self, lang: &str, rules: &AttachmentRules) -> InputSpec {
        let mut spec = InputSpec {
            element: "input",
            input_type: "text",
            inputmode: "",
            autocomplete: "off",
            pattern: "",
            maxlength: self.max_length,
            required: self.required,
            options: Vec::new(),
            accept: String::new(),
        };
        match &self.kind {
            FieldKind::Text | FieldKind::Date => {
                if self.kind == FieldKind::Date {
                    spec.input_type = "date";
                }
                if let Some(token) = personal_autocomplete(&self.name) {
                    spec.autocomplete = token;
                }
            }
            FieldKind::Textarea => {
                spec.element = "textarea";
                spec.input_type = "";
            }
            FieldKind::Email => {
                spec.input_type = "email";
                spec.autocomplete = "email";
            }
            FieldKind::Phone => {
                spec.input_type = "tel";
                spec.autocomplete = "tel";
            }
            FieldKind::Number => spec.inputmode = "decimal",
            FieldKind::Pesel => {
                spec.inputmode = "numeric";
                spec.pattern = "[0-9]{11}";
            }
            FieldKind::Nip | FieldKind::Regon => spec.inputmode = "numeric",
            FieldKind::PostalCode => {
                spec.autocomplete = "postal-code";
                spec.pattern = "[0-9]{2}-[0-9]{3}";
            }
            FieldKind::Select(options) => {
                spec.element = "select";
                spec.input_type = "";
                spec.options = options
                    .iter()
                    .map(|o| (o.value.clone(), o.label.get(lang).to_owned()))
                    .collect();
            }
            FieldKind::Checkbox => spec.input_type = "checkbox",
            FieldKind::File => {
                spec.input_type = "file";
                spec.accept = rules.accept();
            }
        }
        spec
    }
}

/// A submission that passed: field name → normalised value (identifiers in digits
/// only, a ticked checkbox as `yes`); blank optional fields are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submission {
    pub values: BTreeMap<String, String>,
}

impl Submission {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// Field name → Fluent id of the problem (`eform-required`, `eform-pesel-checksum`…).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, &'static str>);

impl FieldErrors {
    pub fn get(&self, name: &str) -> Option<&'static str> {
        self.0.get(name).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Checks `values` against `def`: every field by its kind, required ones present, no
/// field the form does not have. Never panics, whatever the input.
pub fn validate_submission(
    def: &FormDefinition,
    values: &BTreeMap<String, String>,
) -> Result<Submission, FieldErrors> {
    let mut errors = BTreeMap::new();
    for name in values.keys() {
        if def.field(name).is_none() {
            let shown: String = name.chars().take(MAX_NAME_LEN).collect();
            errors.insert(shown, "eform-unknown-field");
        }
    }
    let mut out = BTreeMap::new();
    for field in &def.fields {
        let raw = values.get(&field.name).map(String::as_str).unwrap_or("");
        match check_value(field, raw) {
            Ok(Some(v)) => {
                out.insert(field.name.clone(), v);
            }
            Ok(None) => {}
            Err(code) => {
                errors.insert(field.name.clone(), code);
            }
        }
    }
    if errors.is_empty() {
        Ok(Submission { values: out })
    } else {
        Err(FieldErrors(errors))
    }
}

/// One value: `Ok(None)` for a blank optional field.
fn check_value(field: &FormField, raw: &str) -> Result<Option<String>, &'static str> {
    let value = raw.trim();
    if field.kind == FieldKind::Checkbox {
        return match value {
            "" if field.required => Err("eform-required"),
            "" => Ok(None),
            "on" | "yes" | "true" | "1" => Ok(Some("yes".to_owned())),
            _ => Err("eform-invalid-choice"),
        };
    }
    if value.is_empty() {
        return if field.required {
            Err("eform-required")
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > field.max_length {
        return Err("eform-too-long");
    }
    let allows_newlines = field.kind == FieldKind::Textarea;
    if value
        .chars()
        .any(|c| c.is_control() && !(allows_newlines && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err("eform-invalid-characters");
    }
    let normalised = match &field.kind {
        FieldKind::Text | FieldKind::Textarea | FieldKind::File => value.to_owned(),
        FieldKind::Email => check_email(value)?,
        FieldKind::Phone => check_phone(value)?,
        FieldKind::Date => check_date(value)?,
        FieldKind::Number => check_number(value)?,
        FieldKind::Pesel => Pesel::parse(value)
            .map(|p| p.to_string())
            .map_err(id_error)?,
        FieldKind::Nip => Nip::parse(value).map(|n| n.to_string()).map_err(id_error)?,
        FieldKind::Regon => Regon::parse(value)
            .map(|r| r.to_string())
            .map_err(id_error)?,
        FieldKind::PostalCode => PostalCode::parse(value)
            .map(|p| p.to_string())
            .map_err(id_error)?,
        FieldKind::Select(options) => {
            if options.iter().any(|o| o.value == value) {
                value.to_owned()
            } else {
                return Err("eform-invalid-choice");
            }
        }
        FieldKind::Checkbox => value.to_owned(),
    };
    Ok(Some(normalised))
}

/// The message for an identifier the domain refused: wrong check digit, or wrong form.
fn id_error(e: IdError) -> &'static str {
    use crate::identifiers::IdKind;
    match (e, e.kind()) {
        (IdError::Checksum { .. }, IdKind::Pesel) => "eform-pesel-checksum",
        (IdError::BirthDate, _) => "eform-pesel-birth-date",
        (_, IdKind::Pesel) => "eform-pesel-format",
        (IdError::Checksum { .. }, IdKind::Nip) => "eform-nip-checksum",
        (_, IdKind::Nip) => "eform-nip-format",
        (IdError::Checksum { .. }, IdKind::Regon) => "eform-regon-checksum",
        (_, IdKind::Regon) => "eform-regon-format",
        _ => "eform-postal-code-format",
    }
}

/// An address as `email::is_email_address` accepts it. The only real check of an
/// e-mail address is a message that arrives.
fn check_email(value: &str) -> Result<String, &'static str> {
    if crate::email::is_email_address(value) {
        Ok(value.to_owned())
    } else {
        Err("eform-email")
    }
}

/// Digits with spaces, dashes, brackets and an optional leading `+`; 9 digits (a
/// Polish number) to 15 (the E.164 maximum).
fn check_phone(value: &str) -> Result<String, &'static str> {
    let body = value.strip_prefix('+').unwrap_or(value);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
        && (9..=15).contains(&digits);
    if ok {
        Ok(value.to_owned())
    } else {
        Err("eform-phone")
    }
}

/// `YYYY-MM-DD`, a real day between 1900 and 2100 (read by the one date parser,
/// [`crate::date::parse_date`]).
fn check_date(value: &str) -> Result<String, &'static str> {
    let date = crate::date::parse_date(value).map_err(|_| "eform-date-format")?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err("eform-date-range");
    }
    Ok(date.to_string())
}

/// A decimal number, with a comma or a dot: `12`, `-3`, `12,50`. Stored with a dot.
fn check_number(value: &str) -> Result<String, &'static str> {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let normalised = unsigned.replace(',', ".");
    let mut parts = normalised.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let ok = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(value.replace(',', "."))
    } else {
        Err("eform-number")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = r#"{
  "fields": [
    {"name": "pesel", "type": "pesel", "label": {"pl": "PESEL", "en": "PESEL"}, "required": true},
    {"name": "nip", "type": "nip", "label": {"pl": "NIP firmy", "en": "Company NIP"}},
    {"name": "regon", "type": "regon", "label": {"pl": "REGON"}},
    {"name": "postal_code", "type": "postal_code", "label": {"pl": "Kod pocztowy"}, "required": true},
    {"name": "birth_date", "type": "date", "label": {"pl": "Data urodzenia"}},
    {"name": "email", "type": "email", "label": {"pl": "E-mail"}},
    {"name": "phone", "type": "phone", "label": {"pl": "Telefon"}},
    {"name": "area", "type": "number", "label": {"pl": "Powierzchnia"}},
    {"name": "purpose", "type": "select", "label": {"pl": "Cel"}, "required": true,
     "options": [{"value": "work", "label": {"pl": "Praca", "en": "Work"}},
                 {"value": "school", "label": {"pl": "Szkoła"}}]},
    {"name": "consent", "type": "checkbox", "label": {"pl": "Zgoda"}, "required": true},
    {"name": "notes", "type": "textarea", "label": {"pl": "Uwagi"}, "max_length": 20},
    {"name": "scan", "type": "file", "label": {"pl": "Skan dokumentu"}}
  ],
  "attachments": {"max_files": 2, "max_size_bytes": 5242880, "allowed_types": ["pdf", "jpg"]}
}"#;

    fn sample() -> FormDefinition {
        FormDefinition::parse(SAMPLE).unwrap()
    }

    fn good() -> BTreeMap<String, String> {
        [
            ("pesel", " 44051401359 "),
            ("postal_code", "62-300"),
            ("purpose", "work"),
            ("consent", "on"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn parses_the_sample_and_round_trips() {
        let def = sample();
        assert_eq!(def.fields.len(), 12);
        assert_eq!(def.fields[0].kind, FieldKind::Pesel);
        assert_eq!(def.field("notes").unwrap().max_length, 20);
        assert_eq!(def.field("email").unwrap().max_length, 254);
        assert_eq!(
            def.attachments.allowed_types,
            [FileKind::Pdf, FileKind::Jpeg]
        );
        assert_eq!(FormDefinition::parse(&def.to_json()).unwrap(), def);
        let label = &def.field("purpose").unwrap().label;
        assert_eq!(label.get("en"), "Cel", "English falls back to Polish");
    }

    #[test]
    fn refuses_bad_definitions() {
        let field = |body: &str| format!(r#"{{"fields": [{body}]}}"#);
        let cases: Vec<(String, &str)> = vec![
            ("not json".into(), "eform-def-syntax"),
            (r#"{"fields": []}"#.into(), "eform-def-no-fields"),
            (r#"{"fields": [], "extra": 1}"#.into(), "eform-def-syntax"),
            (field(r#"{"name": "Bad Name", "type": "text", "label": {"pl": "x"}}"#), "eform-def-bad-name"),
            (field(r#"{"name": "", "type": "text", "label": {"pl": "x"}}"#), "eform-def-bad-name"),
            (field(r#"{"name": "a", "type": "text", "label": {"pl": "x"}}, {"name": "a", "type": "text", "label": {"pl": "y"}}"#), "eform-def-duplicate-name"),
            (field(r#"{"name": "a", "type": "colour", "label": {"pl": "x"}}"#), "eform-def-unknown-type"),
            (field(r#"{"name": "a", "type": "text", "label": {"pl": " ", "en": "x"}}"#), "eform-def-missing-label"),
            (field(r#"{"name": "a", "type": "text", "label": {"pl": "x"}, "requried": true}"#), "eform-def-syntax"),
            (field(r#"{"name": "a", "type": "text", "label": {"pl": "x"}, "max_length": 0}"#), "eform-def-bad-max-length"),
            (field(r#"{"name": "a", "type": "pesel", "label": {"pl": "x"}, "max_length": 5000}"#), "eform-def-bad-max-length"),
            (field(r#"{"name": "a", "type": "select", "label": {"pl": "x"}}"#), "eform-def-bad-options"),
            (field(r#"{"name": "a", "type": "select", "label": {"pl": "x"}, "options": [{"value": "v", "label": {"pl": "1"}}, {"value": "v", "label": {"pl": "2"}}]}"#), "eform-def-bad-options"),
            (field(r#"{"name": "a", "type": "text", "label": {"pl": "x"}, "options": [{"value": "v", "label": {"pl": "1"}}]}"#), "eform-def-options-not-allowed"),
            (field(r#"{"name": "a", "type": "file", "label": {"pl": "x"}}"#), "eform-def-file-without-attachments"),
            (r#"{"fields": [{"name": "a", "type": "text", "label": {"pl": "x"}}], "attachments": {"max_files": 99, "max_size_bytes": 1, "allowed_types": ["pdf"]}}"#.into(), "eform-def-bad-attachments"),
            (r#"{"fields": [{"name": "a", "type": "text", "label": {"pl": "x"}}], "attachments": {"max_files": 1, "max_size_bytes": 1, "allowed_types": ["exe"]}}"#.into(), "eform-def-unknown-file-type"),
            ("x".repeat(MAX_DEFINITION_BYTES + 1), "eform-def-too-large"),
        ];
        for (json, want) in cases {
            assert_eq!(
                FormDefinition::parse(&json).map(|_| ()).unwrap_err().code(),
                want,
                "{json}"
            );
        }
    }

    #[test]
    fn errors_point_at_their_line() {
        let json = "{\n  \"fields\": [\n    {\"name\": \"a\", \"type\": \"text\", \"label\": {\"pl\": \"x\"}},\n    {\"name\": \"b\", \"type\": \"nope\", \"label\": {\"pl\": \"y\"}}\n  ]\n}";
        let e = FormDefinition::parse(json).unwrap_err();
        assert_eq!(e.field(), Some("b"));
        assert_eq!(e.line_in(json), Some(4));
        let broken = "{\n  \"fields\": [\n    {\"name\": \"a\",,}\n  ]\n}";
        let e = FormDefinition::parse(broken).unwrap_err();
        assert_eq!(e.line_in(broken), Some(3));
    }

    #[test]
    fn accepts_a_good_submission_normalised() {
        let mut values = good();
        values.insert("nip".into(), "PL 775-001-23-47".into());
        values.insert("birth_date".into(), "1944-05-14".into());
        values.insert("area".into(), "12,5".into());
        values.insert("notes".into(), "".into());
        let s = validate_submission(&sample(), &values).unwrap();
        assert_eq!(s.get("pesel"), Some("44051401359"));
        assert_eq!(s.get("nip"), Some("7750012347"));
        assert_eq!(s.get("area"), Some("12.5"));
        assert_eq!(s.get("consent"), Some("yes"));
        assert_eq!(s.get("notes"), None);
    }

    #[test]
    fn each_field_says_what_is_wrong() {
        let cases: &[(&str, &str, &str)] = &[
            ("pesel", "", "eform-required"),
            ("pesel", "44051401358", "eform-pesel-checksum"),
            ("pesel", "4405140135", "eform-pesel-format"),
            ("nip", "7750012348", "eform-nip-checksum"),
            ("nip", "77500", "eform-nip-format"),
            ("regon", "651234717", "eform-regon-checksum"),
            ("postal_code", "62300", "eform-postal-code-format"),
            ("birth_date", "14.05.1944", "eform-date-format"),
            ("birth_date", "1944-02-30", "eform-date-format"),
            ("birth_date", "1850-01-01", "eform-date-range"),
            ("email", "jan.kowalski", "eform-email"),
            ("email", "jan@kowalski", "eform-email"),
            ("email", "jan @x.pl", "eform-email"),
            ("phone", "12345", "eform-phone"),
            ("phone", "61 555 01 00 wew. 3", "eform-phone"),
            ("area", "12a", "eform-number"),
            ("area", "1,", "eform-number"),
            ("purpose", "holiday", "eform-invalid-choice"),
            ("consent", "", "eform-required"),
            ("consent", "maybe", "eform-invalid-choice"),
            ("notes", "123456789012345678901", "eform-too-long"),
            ("notes", "a\u{0}b", "eform-invalid-characters"),
            ("hacker", "1", "eform-unknown-field"),
        ];
        for (field, value, want) in cases {
            let mut values = good();
            values.insert((*field).to_owned(), (*value).to_owned());
            let errors = validate_submission(&sample(), &values).unwrap_err();
            assert_eq!(errors.get(field), Some(*want), "{field} = {value:?}");
            assert_eq!(errors.0.len(), 1, "{field} = {value:?}: {errors:?}");
        }
        // Good values of the same fields pass.
        for (field, value) in [
            ("phone", "+48 61 555-01-00"),
            ("phone", "(61) 5550100"),
            ("email", "jan.kowalski@borowiec.example.pl"),
            ("regon", "651234716"),
            ("area", "-3"),
            ("notes", "linia 1\nlinia 2"),
            ("scan", "skan.pdf"),
        ] {
            let mut values = good();
            values.insert(field.to_owned(), value.to_owned());
            assert!(
                validate_submission(&sample(), &values).is_ok(),
                "{field} = {value:?}"
            );
        }
    }

    #[test]
    fn inputs_render_by_kind() {
        let def = sample();
        let spec = |name: &str| def.field(name).unwrap().input("en", &def.attachments);
        assert_eq!(spec("pesel").pattern, "[0-9]{11}");
        assert!(spec("pesel").required);
        assert_eq!(spec("birth_date").input_type, "date");
        assert_eq!(spec("phone").input_type, "tel");
        assert_eq!(spec("email").autocomplete, "email");
        assert_eq!(spec("notes").autocomplete, "off");
        assert_eq!(spec("notes").element, "textarea");
        assert_eq!(spec("notes").maxlength, 20);
        assert_eq!(spec("consent").input_type, "checkbox");
        assert_eq!(spec("scan").accept, ".pdf,.jpg");
        let purpose = spec("purpose");
        assert_eq!(purpose.element, "select");
        assert_eq!(purpose.options[0], ("work".to_owned(), "Work".to_owned()));
        assert_eq!(
            purpose.options[1],
            ("school".to_owned(), "Szkoła".to_owned())
        );
    }

    #[test]
    fn personal_fields_carry_their_autocomplete_token() {
        let table = [
            ("first_name", Some("given-name")),
            ("last_name", Some("family-name")),
            ("name", Some("name")),
            ("street", Some("street-address")),
            ("city", Some("address-level2")),
            ("postal_code", Some("postal-code")),
            ("email", Some("email")),
            ("phone", Some("tel")),
            ("birth_date", Some("bday")),
            ("subject", None),
            ("tree_species", None),
            ("pesel", None),
        ];
        for (name, token) in table {
            assert_eq!(personal_autocomplete(name), token, "{name}");
        }
    }

    /// A valid PESEL for a day: check digit computed by the published weights.
    fn pesel_for(serial: u16) -> String {
        let body = format!("900101{serial:04}");
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        let sum: u32 = body
            .bytes()
            .zip(weights)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        format!("{body}{}", (10 - sum % 10) % 10)
    }

    fn kind_strategy() -> impl Strategy<Value = &'static str> {
        prop::sample::select(FieldKind::CODES.to_vec())
    }

    fn definition_strategy() -> impl Strategy<Value = FormDefinition> {
        prop::collection::vec((kind_strategy(), any::<bool>()), 1..12).prop_map(|kinds| {
            let fields: Vec<String> = kinds
                .iter()
                .enumerate()
                .map(|(i, (kind, required))| {
                    let options = if *kind == "select" {
                        r#", "options": [{"value": "a", "label": {"pl": "A"}}, {"value": "b", "label": {"pl": "B"}}]"#
                    } else {
                        ""
                    };
                    format!(
                        r#"{{"name": "f{i}", "type": "{kind}", "label": {{"pl": "Pole {i}"}}, "required": {required}{options}}}"#
                    )
                })
                .collect();
            let json = format!(
                r#"{{"fields": [{}], "attachments": {{"max_files": 1, "max_size_bytes": 1000, "allowed_types": ["pdf"]}}}}"#,
                fields.join(",")
            );
            FormDefinition::parse(&json).unwrap()
        })
    }

    fn valid_value(kind: &FieldKind, seed: u16) -> String {
        match kind {
            FieldKind::Text | FieldKind::Textarea => format!("wartość {seed}"),
            FieldKind::Email => format!("osoba{seed}@example.pl"),
            FieldKind::Phone => format!("+48 600 {:03} {:03}", seed % 1000, seed % 997),
            FieldKind::Date => {
                let d = jiff::civil::date(2000, 1, 1)
                    .checked_add(jiff::Span::new().days(i64::from(seed)))
                    .unwrap();
                d.to_string()
            }
            FieldKind::Number => format!("{seed},5"),
            FieldKind::Pesel => pesel_for(seed % 10_000),
            FieldKind::Nip => "7750012347".to_owned(),
            FieldKind::Regon => "651234716".to_owned(),
            FieldKind::PostalCode => format!("{:02}-{:03}", seed % 100, seed % 1000),
            FieldKind::Select(o) => o[usize::from(seed) % o.len()].value.clone(),
            FieldKind::Checkbox => "on".to_owned(),
            FieldKind::File => format!("skan{seed}.pdf"),
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,300}") {
            let _ = FormDefinition::parse(&s);
        }

        #[test]
        fn validation_never_panics(
            def in definition_strategy(),
            values in prop::collection::btree_map("f[0-9]{1,2}|[a-z]{1,5}", ".{0,40}", 0..12),
        ) {
            let _ = validate_submission(&def, &values);
        }

        #[test]
        fn a_valid_generated_submission_is_accepted(def in definition_strategy(), seed in 0u16..5000) {
            let values: BTreeMap<String, String> = def
                .fields
                .iter()
                .map(|f| (f.name.clone(), valid_value(&f.kind, seed)))
                .collect();
            let result = validate_submission(&def, &values);
            prop_assert!(result.is_ok(), "{:?} for {:?}", result, values);
            prop_assert_eq!(result.unwrap().values.len(), def.fields.len());
        }

        #[test]
        fn definitions_round_trip(def in definition_strategy()) {
            prop_assert_eq!(FormDefinition::parse(&def.to_json()).unwrap(), def);
        }
    }
}
