//! A report category's staff form read and checked, pure (docs/decisions/0018-form-kit.md):
//! the category's name, public description, unit, service-level term and its
//! attributes, each an Open311 attribute definition (GeoReport v2, "GET Service
//! Definition": `code`, `datatype`, `required`, `description`, `order` and, for the
//! two list types, `values` of `key`/`name`).
//!
//! Attribute rows post repeated inputs in the order of the page (`attr_code`,
//! `attr_datatype`, `attr_required`, `attr_description`, `attr_values`, one of each a
//! row); a row left blank is dropped, so clearing a row's code and description removes
//! the attribute. Problems of a row are keyed `attr_code-2` (row index from 0).

use super::store::Attribute;
use crate::platform::form::FormErrors;
use crate::platform::form::parse::{self, FormReader, Pairs};

/// Open311's attribute datatypes.
pub const DATATYPES: [&str; 6] = [
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
];
pub const MAX_CODE: usize = 32;
pub const MAX_NAME: usize = 200;
pub const MAX_DESCRIPTION: usize = 2_000;
pub const MAX_SHORT: usize = 300;
/// The longest service-level term, in days (the column's check).
pub const MAX_TERM_DAYS: i64 = 365;
/// Attribute rows the form shows beyond those a category has.
pub const BLANK_ROWS: usize = 2;
/// The most attributes a category may ask for.
pub const MAX_ATTRIBUTES: usize = 30;

/// The row inputs of an attribute.
pub const ROW_INPUTS: [&str; 5] = [
    "attr_code",
    "attr_datatype",
    "attr_required",
    "attr_description",
    "attr_values",
];

/// A category as the form gives it (the code only when it is created: reports and
/// Open311 clients know a category by its code, which therefore never changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryInput {
    pub code: Option<String>,
    pub name: String,
    pub description: String,
    /// The unit's id as chosen (checked against the choosable units by the page).
    pub org_unit_id: Option<i64>,
    pub term_days: i32,
    pub keywords: String,
    pub group_name: String,
    pub active: bool,
    pub attributes: Vec<Attribute>,
}

/// The posted form and whether it creates a category.
pub struct CategoryForm<'a> {
    pub pairs: &'a Pairs,
    pub creating: bool,
}

/// A code: letters, digits, `_` and `-` (upper-cased: Open311's `service_code`).
fn code(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.chars().count() > MAX_CODE
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("rcat-code-invalid");
    }
    Ok(s.to_ascii_uppercase())
}

/// An attribute's or a value's key: letters, digits, `_` and `-`, at most 40.
fn key(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The values of a list attribute: one a line, `key = name` (or `key` alone, its own
/// name).
pub fn parse_values(text: &str) -> Result<Vec<(String, String)>, &'static str> {
    let mut values: Vec<(String, String)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (k, name) = match line.split_once('=') {
            Some((k, name)) => (k.trim(), name.trim()),
            None => (line, line),
        };
        if !key(k) || name.is_empty() || name.chars().count() > MAX_SHORT {
            return Err("rcat-attr-values-invalid");
        }
        if values.iter().any(|(existing, _)| existing == k) {
            return Err("rcat-attr-values-duplicate");
        }
        values.push((k.to_owned(), name.to_owned()));
    }
    Ok(values)
}

/// The values as the form shows them back.
pub fn values_text(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(k, name)| format!("{k} = {name}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `index`-th value of each repeated input `name`.
fn row_values<'a>(pairs: &'a Pairs, name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn attributes(pairs: &Pairs, errors: &mut FormErrors) -> Vec<Attribute> {
    let columns: Vec<Vec<&str>> = ROW_INPUTS.iter().map(|n| row_values(pairs, n)).collect();
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |column: usize, row: usize| columns[column].get(row).copied().unwrap_or("");
    let mut out: Vec<Attribute> = Vec::new();
    for row in 0..rows {
        let (code, datatype, required, description, values) = (
            cell(0, row).trim(),
            cell(1, row).trim(),
            cell(2, row).trim(),
            cell(3, row).trim(),
            cell(4, row),
        );
        if code.is_empty() && description.is_empty() && values.trim().is_empty() {
            continue;
        }
        let at = |name: &str| format!("{name}-{row}");
        if code.is_empty() {
            errors.add(at("attr_code"), "form-required");
        } else if !key(code) {
            errors.add(at("attr_code"), "rcat-attr-code-invalid");
        } else if out.iter().any(|a| a.code == code) {
            errors.add(at("attr_code"), "rcat-attr-code-duplicate");
        }
        if !DATATYPES.contains(&datatype) {
            errors.add(at("attr_datatype"), "rcat-attr-datatype-invalid");
        }
        let required = match required {
            "yes" => true,
            "no" | "" => false,
            _ => {
                errors.add(at("attr_required"), "rcat-attr-required-invalid");
                false
            }
        };
        if description.is_empty() {
            errors.add(at("attr_description"), "form-required");
        } else if description.chars().count() > MAX_SHORT {
            errors.add(at("attr_description"), "form-too-long");
        }
        let is_list = datatype.ends_with("valuelist");
        let values = match parse_values(values) {
            Ok(v) if is_list && v.is_empty() => {
                errors.add(at("attr_values"), "rcat-attr-values-missing");
                v
            }
            Ok(v) if !is_list && !v.is_empty() => {
                errors.add(at("attr_values"), "rcat-attr-values-unexpected");
                v
            }
            Ok(v) => v,
            Err(message) => {
                errors.add(at("attr_values"), message);
                Vec::new()
            }
        };
        out.push(Attribute {
            code: code.to_owned(),
            datatype: datatype.to_owned(),
            required,
            description: description.to_owned(),
            datatype_description: String::new(),
            order: u32::try_from(out.len() + 1).unwrap_or(u32::MAX),
            values,
        });
    }
    if out.len() > MAX_ATTRIBUTES {
        errors.add("attr_code-0", "rcat-attr-too-many");
    }
    out
}

impl TryFrom<CategoryForm<'_>> for CategoryInput {
    type Error = FormErrors;

    fn try_from(form: CategoryForm<'_>) -> Result<Self, FormErrors> {
        let mut reader = FormReader::new(form.pairs);
        let code = if form.creating {
            reader.required("code", code)
        } else {
            None
        };
        let name = reader.text("name", MAX_NAME);
        let description = reader.text("description", MAX_DESCRIPTION);
        let org_unit_id = reader.optional("org_unit_id", |s| {
            s.parse::<i64>().map_err(|_| "rcat-unit-invalid")
        });
        let term_days = reader.required("term_days", |s| parse::integer(s, 1..=MAX_TERM_DAYS));
        let keywords = reader.optional_text("keywords", MAX_SHORT);
        let group_name = reader.optional_text("group_name", MAX_SHORT);
        let active = reader.checked("active");
        let attributes = attributes(form.pairs, reader.errors_mut());
        let value = term_days.map(|days| CategoryInput {
            code,
            name,
            description,
            org_unit_id,
            term_days: i32::try_from(days).unwrap_or(1),
            keywords,
            group_name,
            active,
            attributes,
        });
        reader.finish(value)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// (inputs changed, field, message expected).
    type Case = (
        Vec<(&'static str, &'static str)>,
        &'static str,
        &'static str,
    );

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("code", " lampa-2 "),
            ("name", "Niedziałająca latarnia"),
            ("description", "Latarnia nie świeci lub miga."),
            ("org_unit_id", "3"),
            ("term_days", "14"),
            ("active", "on"),
        ]
    }

    fn read(list: &[(&str, &str)], creating: bool) -> Result<CategoryInput, FormErrors> {
        let p = pairs(list);
        CategoryInput::try_from(CategoryForm {
            pairs: &p,
            creating,
        })
    }

    fn row(
        code: &'static str,
        datatype: &'static str,
        required: &'static str,
        description: &'static str,
        values: &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        vec![
            ("attr_code", code),
            ("attr_datatype", datatype),
            ("attr_required", required),
            ("attr_description", description),
            ("attr_values", values),
        ]
    }

    #[test]
    fn a_category_with_list_and_plain_attributes() {
        let mut list = base();
        list.extend(row(
            "ROZMIAR",
            "singlevaluelist",
            "yes",
            "Wielkość",
            "mala = mniejsza niż dłoń\r\nduza = większa niż koło\n\n",
        ));
        list.extend(row("GLEBOKOSC", "number", "no", "Głębokość w cm", ""));
        // A blank row (the page's spare) is dropped.
        list.extend(row("", "string", "no", "", ""));
        let k = read(&list, true).unwrap();
        assert_eq!(k.code.as_deref(), Some("LAMPA-2"));
        assert_eq!(k.org_unit_id, Some(3));
        assert_eq!(k.term_days, 14);
        assert!(k.active);
        assert_eq!(k.attributes.len(), 2);
        let size = &k.attributes[0];
        assert_eq!(
            (
                size.code.as_str(),
                size.datatype.as_str(),
                size.required,
                size.order
            ),
            ("ROZMIAR", "singlevaluelist", true, 1)
        );
        assert_eq!(
            size.values,
            vec![
                ("mala".to_owned(), "mniejsza niż dłoń".to_owned()),
                ("duza".to_owned(), "większa niż koło".to_owned())
            ]
        );
        assert_eq!(k.attributes[1].order, 2);
        assert!(!k.attributes[1].required);
        // Editing: the code is not read.
        assert_eq!(read(&list, false).unwrap().code, None);
    }

    #[test]
    fn each_problem_is_told_at_its_field() {
        let cases: Vec<Case> = vec![
            (vec![("code", "")], "code", "form-required"),
            (vec![("code", "ZŁY KOD")], "code", "rcat-code-invalid"),
            (vec![("code", "A"), ("name", "")], "name", "form-required"),
            (vec![("term_days", "0")], "term_days", "form-number-range"),
            (vec![("term_days", "366")], "term_days", "form-number-range"),
            (
                vec![("term_days", "dwa")],
                "term_days",
                "form-number-invalid",
            ),
            (
                vec![("org_unit_id", "x")],
                "org_unit_id",
                "rcat-unit-invalid",
            ),
        ];
        for (changes, field, message) in cases {
            let mut list: Vec<(&str, &str)> = base()
                .into_iter()
                .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
                .collect();
            list.extend(changes.iter().copied());
            let errors = read(&list, true).unwrap_err();
            assert_eq!(errors.get(field), Some(message), "{changes:?}");
        }
    }

    #[test]
    fn attribute_rows_are_checked_row_by_row() {
        let cases: Vec<Case> = vec![
            (
                row("", "string", "no", "Opis", ""),
                "attr_code-0",
                "form-required",
            ),
            (
                row("A B", "string", "no", "Opis", ""),
                "attr_code-0",
                "rcat-attr-code-invalid",
            ),
            (
                row("A", "colour", "no", "Opis", ""),
                "attr_datatype-0",
                "rcat-attr-datatype-invalid",
            ),
            (
                row("A", "string", "maybe", "Opis", ""),
                "attr_required-0",
                "rcat-attr-required-invalid",
            ),
            (
                row("A", "string", "no", "", ""),
                "attr_description-0",
                "form-required",
            ),
            (
                row("A", "multivaluelist", "no", "Opis", ""),
                "attr_values-0",
                "rcat-attr-values-missing",
            ),
            (
                row("A", "number", "no", "Opis", "a = b"),
                "attr_values-0",
                "rcat-attr-values-unexpected",
            ),
            (
                row("A", "singlevaluelist", "no", "Opis", "a = b\na = c"),
                "attr_values-0",
                "rcat-attr-values-duplicate",
            ),
            (
                row("A", "singlevaluelist", "no", "Opis", "z ł = b"),
                "attr_values-0",
                "rcat-attr-values-invalid",
            ),
        ];
        for (attribute, field, message) in cases {
            let mut list = base();
            list.extend(attribute.iter().copied());
            let errors = read(&list, true).unwrap_err();
            assert_eq!(errors.get(field), Some(message), "{attribute:?}");
        }
        // The same code twice: the second row is told.
        let mut list = base();
        list.extend(row("A", "string", "no", "Opis", ""));
        list.extend(row("A", "text", "no", "Opis 2", ""));
        let errors = read(&list, true).unwrap_err();
        assert_eq!(errors.get("attr_code-1"), Some("rcat-attr-code-duplicate"));
    }

    #[test]
    fn values_read_and_written_back_alike() {
        let values = parse_values("a = Pierwsza\nb\n").unwrap();
        assert_eq!(
            values,
            vec![
                ("a".to_owned(), "Pierwsza".to_owned()),
                ("b".to_owned(), "b".to_owned())
            ]
        );
        assert_eq!(parse_values(&values_text(&values)).unwrap(), values);
    }
}
