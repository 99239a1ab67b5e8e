//! The JRWA import file, parsed and checked as a whole before anything is stored
//! (all or nothing). Format, one class a line: `symbol;title;category`. Blank lines and
//! lines starting with `#` are skipped, and so is a first line `symbol;title;category`.
//! Groups (1–3 digits) carry no category; leaf classes (4 digits) must carry one
//! (A, Bn, BEn, Bc); every class's parent — its symbol without the last digit — must be
//! in the file. Only leaf classes may hold cases (instrukcja kancelaryjna, §2.6 of the
//! research file).

use std::collections::HashSet;

use crate::jrwa::ArchivalCategory;
use serde::Serialize;

/// Digits of a leaf class, the one level that holds cases.
pub const LEAF_DIGITS: usize = 4;

/// One class of the wykaz.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JrwaEntry {
    /// The class's symbol: 1–4 digits, each digit one level down.
    pub symbol: String,
    /// The class's title (hasło klasyfikacyjne).
    pub title: String,
    /// Set for leaf classes only.
    pub category: Option<ArchivalCategory>,
}

impl JrwaEntry {
    /// The symbol of the class one level up (`None` for a first-level group).
    pub fn parent(&self) -> Option<&str> {
        (self.symbol.len() > 1).then(|| &self.symbol[..self.symbol.len() - 1])
    }

    /// Whether the class is a leaf (4 digits), the only level that holds cases.
    pub fn is_leaf(&self) -> bool {
        self.symbol.len() == LEAF_DIGITS
    }
}

/// A problem on one line of the file (1-based), as a Fluent message id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The line of the file, counted from 1.
    pub line: usize,
    /// The Fluent message id of what is wrong there.
    pub key: &'static str,
}

/// Whether `s` is a class symbol: 1–4 digits.
pub fn is_symbol(s: &str) -> bool {
    (1..=LEAF_DIGITS).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses the whole file; every bad line is reported, nothing is returned unless all
/// are good.
pub fn parse_csv(text: &str) -> Result<Vec<JrwaEntry>, Vec<LineError>> {
    let mut entries: Vec<(usize, JrwaEntry)> = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.eq_ignore_ascii_case("symbol;title;category") {
            continue;
        }
        let fields: Vec<&str> = trimmed.split(';').map(str::trim).collect();
        let [symbol, title, category] = fields.as_slice() else {
            errors.push(LineError {
                line,
                key: "jrwa-error-fields",
            });
            continue;
        };
        let error = |key| LineError { line, key };
        if !is_symbol(symbol) {
            errors.push(error("jrwa-error-symbol"));
            continue;
        }
        if title.is_empty() {
            errors.push(error("jrwa-error-title"));
            continue;
        }
        if title.chars().count() > 300 {
            errors.push(error("jrwa-error-title-long"));
            continue;
        }
        let category = if symbol.len() == LEAF_DIGITS {
            match ArchivalCategory::parse(category) {
                Ok(c) => Some(c),
                Err(_) => {
                    errors.push(error("jrwa-error-category"));
                    continue;
                }
            }
        } else if category.is_empty() {
            None
        } else {
            errors.push(error("jrwa-error-group-category"));
            continue;
        };
        if !seen.insert((*symbol).to_owned()) {
            errors.push(error("jrwa-error-duplicate"));
            continue;
        }
        entries.push((
            line,
            JrwaEntry {
                symbol: (*symbol).to_owned(),
                title: (*title).to_owned(),
                category,
            },
        ));
    }
    for (line, entry) in &entries {
        if let Some(parent) = entry.parent()
            && !seen.contains(parent)
        {
            errors.push(LineError {
                line: *line,
                key: "jrwa-error-parent",
            });
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: 0,
            key: "jrwa-error-empty",
        });
    }
    if errors.is_empty() {
        Ok(entries.into_iter().map(|(_, e)| e).collect())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_is_valid_and_has_the_usual_classes() {
        let entries = parse_csv(include_str!("../../data/jrwa/gmina-2026.csv")).unwrap();
        let leaf = |s: &str| entries.iter().find(|e| e.symbol == s && e.is_leaf());
        for symbol in [
            "1431", "1510", "1520", "5340", "6730", "0050", "3100", "7021",
        ] {
            assert!(leaf(symbol).is_some(), "{symbol}");
        }
        for top in ["0", "1", "3", "5", "6", "7"] {
            assert!(entries.iter().any(|e| e.symbol == top));
        }
        assert!(entries.iter().filter(|e| e.is_leaf()).count() > 40);
    }

    #[test]
    fn every_bad_line_is_named() {
        let text = "symbol;title;category\n\
                    1;Grupa;\n\
                    14;Informacja;\n\
                    1431;Informacja publiczna;A\n\
                    1432;Bez kategorii;\n\
                    99;Sierota;\n\
                    12x;Zły symbol;\n\
                    143;Grupa z kategorią;B5\n\
                    1431;Powtórka;A\n\
                    1433;;A\n\
                    tylko;dwa\n\
                    1434;Zła kategoria;C5\n";
        let errors = parse_csv(text).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            [
                // 143 was refused (line 8), so 1431 has no parent.
                (4, "jrwa-error-parent"),
                (5, "jrwa-error-category"),
                (6, "jrwa-error-parent"),
                (7, "jrwa-error-symbol"),
                (8, "jrwa-error-group-category"),
                (9, "jrwa-error-duplicate"),
                (10, "jrwa-error-title"),
                (11, "jrwa-error-fields"),
                (12, "jrwa-error-category"),
            ]
        );
    }

    #[test]
    fn missing_parent_of_a_leaf_is_an_error_and_empty_files_are_refused() {
        let errors = parse_csv("1;A;\n1431;B;A\n").unwrap_err();
        assert_eq!(errors[0].key, "jrwa-error-parent");
        assert_eq!(
            parse_csv("# nic\n\n").unwrap_err()[0].key,
            "jrwa-error-empty"
        );
        let ok = parse_csv("\u{feff}1;Grupa;\r\n14;Podgrupa;\r\n").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].parent(), Some("1"));
    }
}
