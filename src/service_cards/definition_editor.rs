//! The structured editor of an e-service form definition: one row of inputs per field
//! (name, type, labels, help, required, maximum length, options), plus the attachment
//! rules — no JavaScript. Pure: rows of text in, a [`RawDefinition`] or row-level
//! errors out; [`FormDefinition::from_raw`] does the real validation and its errors are
//! mapped back to the row and input they concern.

use std::collections::BTreeMap;

use super::file_type::FileKind;
use super::form_definition::{
    DefinitionError, FieldKind, FormDefinition, RawAttachments, RawDefinition, RawField,
    SelectOption, Text,
};

/// One field row as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldRow {
    pub name: String,
    pub kind: String,
    pub label_pl: String,
    pub label_en: String,
    pub help_pl: String,
    pub help_en: String,
    /// `yes` or anything else.
    pub required: String,
    pub max_length: String,
    /// One option a line: `value | Etykieta | English label`.
    pub options: String,
}

/// The inputs of a row, as posted (repeated names, paired by position).
pub const ROW_INPUTS: [&str; 9] = [
    "fd_name",
    "fd_type",
    "fd_label_pl",
    "fd_label_en",
    "fd_help_pl",
    "fd_help_en",
    "fd_required",
    "fd_max_length",
    "fd_options",
];

/// The whole editor as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefinitionRows {
    pub rows: Vec<FieldRow>,
    pub max_files: String,
    pub max_size_mb: String,
    pub types: Vec<String>,
}

impl FieldRow {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.label_pl.trim().is_empty()
            && self.label_en.trim().is_empty()
            && self.options.trim().is_empty()
    }

    pub fn value(&self, input: &str) -> &str {
        match input {
            "fd_name" => &self.name,
            "fd_type" => &self.kind,
            "fd_label_pl" => &self.label_pl,
            "fd_label_en" => &self.label_en,
            "fd_help_pl" => &self.help_pl,
            "fd_help_en" => &self.help_en,
            "fd_required" => &self.required,
            "fd_max_length" => &self.max_length,
            _ => &self.options,
        }
    }
}

impl DefinitionRows {
    /// Reads the posted inputs; rows without a name, label or options are dropped.
    pub fn from_pairs(pairs: &[(String, String)]) -> DefinitionRows {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (k, v) in pairs {
            by_name.entry(k.as_str()).or_default().push(v.as_str());
        }
        let column = |n: &str| by_name.get(n).cloned().unwrap_or_default();
        let columns: Vec<Vec<&str>> = ROW_INPUTS.iter().map(|n| column(n)).collect();
        let count = columns.iter().map(Vec::len).max().unwrap_or(0);
        let cell = |c: usize, i: usize| columns[c].get(i).copied().unwrap_or("").to_owned();
        let rows = (0..count)
            .map(|i| FieldRow {
                name: cell(0, i),
                kind: cell(1, i),
                label_pl: cell(2, i),
                label_en: cell(3, i),
                help_pl: cell(4, i),
                help_en: cell(5, i),
                required: cell(6, i),
                max_length: cell(7, i),
                options: cell(8, i),
            })
            .filter(|r| !r.is_blank())
            .collect();
        let first = |n: &str| {
            by_name
                .get(n)
                .and_then(|v| v.first())
                .copied()
                .unwrap_or("")
        };
        DefinitionRows {
            rows,
            max_files: first("att_max_files").trim().to_owned(),
            max_size_mb: first("att_max_size_mb").trim().to_owned(),
            types: column("att_type").into_iter().map(str::to_owned).collect(),
        }
    }

    /// The rows showing `def`.
    pub fn of(def: &FormDefinition) -> DefinitionRows {
        let raw = def.to_raw();
        DefinitionRows {
            rows: raw
                .fields
                .iter()
                .map(|f| FieldRow {
                    name: f.name.clone(),
                    kind: f.kind.clone(),
                    label_pl: f.label.pl.clone(),
                    label_en: f.label.en.clone(),
                    help_pl: f.help.pl.clone(),
                    help_en: f.help.en.clone(),
                    required: if f.required { "yes" } else { "no" }.to_owned(),
                    max_length: f.max_length.map(|n| n.to_string()).unwrap_or_default(),
                    options: f
                        .options
                        .iter()
                        .map(|o| format!("{} | {} | {}", o.value, o.label.pl, o.label.en))
                        .collect::<Vec<_>>()
                        .join("\n"),
                })
                .collect(),
            max_files: match def.attachments.max_files {
                0 => String::new(),
                n => n.to_string(),
            },
            max_size_mb: match def.attachments.max_size_bytes {
                0 => String::new(),
                n => format_mb(n),
            },
            types: def
                .attachments
                .allowed_types
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn format_mb(bytes: u64) -> String {
    let tenths = (bytes * 10).div_ceil(1024 * 1024);
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// Where a problem is: a row's input (`fd_type-2`) or the attachment rules.
pub type RowErrors = BTreeMap<String, &'static str>;

/// Builds and validates the definition the rows describe.
pub fn build(rows: &DefinitionRows) -> Result<FormDefinition, RowErrors> {
    let mut errors = RowErrors::new();
    let mut fields = Vec::with_capacity(rows.rows.len());
    for (i, r) in rows.rows.iter().enumerate() {
        let max_length = match r.max_length.trim() {
            "" => None,
            s => match s.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.insert(format!("fd_max_length-{i}"), "eform-def-bad-max-length");
                    None
                }
            },
        };
        let mut options = Vec::new();
        for line in r.options.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split('|').map(str::trim);
            let value = parts.next().unwrap_or_default().to_owned();
            let pl = parts.next().unwrap_or_default().to_owned();
            let en = parts.next().unwrap_or_default().to_owned();
            let pl = if pl.is_empty() { value.clone() } else { pl };
            options.push(SelectOption {
                value,
                label: Text { pl, en },
            });
        }
        fields.push(RawField {
            name: r.name.trim().to_owned(),
            kind: r.kind.trim().to_owned(),
            label: Text {
                pl: r.label_pl.trim().to_owned(),
                en: r.label_en.trim().to_owned(),
            },
            help: Text {
                pl: r.help_pl.trim().to_owned(),
                en: r.help_en.trim().to_owned(),
            },
            required: r.required == "yes",
            max_length,
            options,
        });
    }
    let attachments = match (rows.max_files.as_str(), rows.max_size_mb.as_str()) {
        ("" | "0", _) if rows.types.is_empty() => None,
        (files, mb) => {
            let max_files = files.parse::<u64>();
            let max_mb = mb.replace(',', ".").parse::<f64>();
            match (max_files, max_mb) {
                (Ok(max_files), Ok(mb)) if mb.is_finite() && (0.0..=1000.0).contains(&mb) => {
                    Some(RawAttachments {
                        max_files,
                        max_size_bytes: (mb * 1024.0 * 1024.0).round() as u64,
                        allowed_types: rows.types.clone(),
                    })
                }
                _ => {
                    errors.insert("att_max_files".to_owned(), "eform-def-bad-attachments");
                    None
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    FormDefinition::from_raw(RawDefinition {
        fields,
        attachments,
    })
    .map_err(|e| {
        let mut errors = RowErrors::new();
        errors.insert(locate(&e, rows), e.code());
        errors
    })
}

/// The input a definition error belongs to.
fn locate(e: &DefinitionError, rows: &DefinitionRows) -> String {
    let row_of = |name: &str| rows.rows.iter().position(|r| r.name.trim() == name);
    let input = match e {
        DefinitionError::BadName { index } => return format!("fd_name-{index}"),
        DefinitionError::DuplicateName { name } => {
            // The second row with the name.
            let second = rows
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.name.trim() == name)
                .nth(1)
                .map(|(i, _)| i);
            return format!("fd_name-{}", second.unwrap_or(0));
        }
        DefinitionError::UnknownType { .. } | DefinitionError::FileWithoutAttachments { .. } => {
            "fd_type"
        }
        DefinitionError::MissingLabel { .. } | DefinitionError::TextTooLong { .. } => "fd_label_pl",
        DefinitionError::BadMaxLength { .. } => "fd_max_length",
        DefinitionError::BadOptions { .. } | DefinitionError::OptionsNotAllowed { .. } => {
            "fd_options"
        }
        DefinitionError::BadAttachments | DefinitionError::UnknownFileType { .. } => {
            return "att_max_files".to_owned();
        }
        _ => return "fd_name-0".to_owned(),
    };
    let row = e.field().and_then(row_of).unwrap_or(0);
    format!("{input}-{row}")
}

/// The field types for the type select, in order.
pub fn kinds() -> &'static [&'static str] {
    &FieldKind::CODES
}

/// The file kinds the attachment rules may allow.
pub fn file_kinds() -> Vec<&'static str> {
    FileKind::ALL.iter().map(|k| k.as_str()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// (rows, other inputs, where the error is, its message id)
    type Case = (
        Vec<Vec<(&'static str, String)>>,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn row(name: &str, kind: &str, label: &str) -> Vec<(&'static str, String)> {
        vec![
            ("fd_name", name.to_owned()),
            ("fd_type", kind.to_owned()),
            ("fd_label_pl", label.to_owned()),
            ("fd_label_en", String::new()),
            ("fd_help_pl", String::new()),
            ("fd_help_en", String::new()),
            ("fd_required", "yes".to_owned()),
            ("fd_max_length", String::new()),
            ("fd_options", String::new()),
        ]
    }

    fn posted(rows: &[Vec<(&'static str, String)>], extra: &[(&str, &str)]) -> DefinitionRows {
        let mut all: Vec<(String, String)> = rows
            .iter()
            .flatten()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        all.extend(pairs(extra));
        DefinitionRows::from_pairs(&all)
    }

    #[test]
    fn rows_build_a_definition_and_blank_rows_are_dropped() {
        let mut purpose = row("purpose", "select", "Cel");
        purpose[8].1 = "work | praca | work\nschool | szkoła".to_owned();
        let rows = posted(
            &[
                row("pesel", "pesel", "PESEL"),
                row("", "text", ""),
                purpose,
                row("scan", "file", "Skan"),
            ],
            &[
                ("att_max_files", "2"),
                ("att_max_size_mb", "5"),
                ("att_type", "pdf"),
                ("att_type", "jpg"),
            ],
        );
        assert_eq!(rows.rows.len(), 3);
        let def = build(&rows).unwrap();
        assert_eq!(def.fields.len(), 3);
        assert_eq!(def.attachments.max_size_bytes, 5 * 1024 * 1024);
        match &def.field("purpose").unwrap().kind {
            FieldKind::Select(o) => {
                assert_eq!(o[1].value, "school");
                assert_eq!(o[1].label.pl, "szkoła");
            }
            other => panic!("{other:?}"),
        }
        // And a definition shown as rows builds back to itself.
        assert_eq!(build(&DefinitionRows::of(&def)).unwrap(), def);
    }

    #[test]
    fn problems_point_at_the_row_and_input() {
        let cases: Vec<Case> = vec![
            (
                vec![row("a", "text", "A"), row("b", "colour", "B")],
                &[],
                "fd_type-1",
                "eform-def-unknown-type",
            ),
            (
                vec![row("a", "text", "A"), row("a", "text", "B")],
                &[],
                "fd_name-1",
                "eform-def-duplicate-name",
            ),
            (
                vec![row("A b", "text", "A")],
                &[],
                "fd_name-0",
                "eform-def-bad-name",
            ),
            (
                vec![row("a", "text", "A"), row("b", "text", "")],
                &[],
                "fd_label_pl-1",
                "eform-def-missing-label",
            ),
            (
                vec![row("a", "select", "A")],
                &[],
                "fd_options-0",
                "eform-def-bad-options",
            ),
            (
                vec![row("a", "file", "A")],
                &[],
                "fd_type-0",
                "eform-def-file-without-attachments",
            ),
            (
                vec![row("a", "text", "A")],
                &[("att_max_files", "x"), ("att_type", "pdf")],
                "att_max_files",
                "eform-def-bad-attachments",
            ),
        ];
        for (rows, extra, at, code) in cases {
            let errors = build(&posted(&rows, extra)).unwrap_err();
            assert_eq!(errors.get(at), Some(&code), "{errors:?}");
        }
        let mut long = row("a", "text", "A");
        long[7].1 = "dużo".to_owned();
        let errors = build(&posted(&[long], &[])).unwrap_err();
        assert_eq!(
            errors.get("fd_max_length-0"),
            Some(&"eform-def-bad-max-length")
        );
    }
}
