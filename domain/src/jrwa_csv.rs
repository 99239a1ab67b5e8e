//! The JRWA import file, parsed and checked as a whole before anything is stored
//! (all or nothing). Format, one class a line: `symbol;title;category[;category_other]`.
//! Blank lines and lines starting with `#` are skipped, and so is a header line
//! `symbol;title;category[;category_other]`.
//!
//! A class is a leaf (klasa końcowa) when no class of the file lies under it; only
//! leaves hold cases and carry archival categories. The wykaz for gminas (the annex to
//! the regulation of 18 January 2011, Dz.U. 2011 nr 14 poz. 67) gives each leaf two
//! categories: one for the leading unit (komórka macierzysta) and one for the others
//! (inne komórki); `category_other` is the second, and a file that gives one category
//! means it for both. Leaves are usually four digits, but a three-digit class without
//! subdivisions is a leaf too, and the instrukcja kancelaryjna lets an office extend a
//! four-digit class to a fifth level — then the four-digit class becomes a group. So:
//! levels 1–2 are groups and carry no category; at levels 3–5 a class with subclasses
//! carries none and a class without them must carry one. Every class's parent — its
//! symbol without the last digit — must be in the file. Symbols have 1 to
//! [`JRWA_CLASS_MAX_DIGITS`] digits, the same limit as the znak sprawy
//! (`case_number::JrwaClass`).

use std::collections::HashSet;

use crate::jrwa::ArchivalCategory;
pub use crate::rules::JRWA_CLASS_MAX_DIGITS;
use serde::Serialize;

/// The shortest symbol that may be a leaf (levels 1 and 2 are always groups).
pub const MIN_LEAF_DIGITS: usize = 3;

/// One class of the wykaz.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JrwaEntry {
    /// The class's symbol: 1–5 digits, each digit one level down.
    pub symbol: String,
    /// The class's title (hasło klasyfikacyjne).
    pub title: String,
    /// The archival category in the leading unit (komórka macierzysta); leaves only.
    pub category: Option<ArchivalCategory>,
    /// The archival category in the other units (inne komórki); leaves only.
    pub category_other: Option<ArchivalCategory>,
}

impl JrwaEntry {
    /// The symbol of the class one level up (`None` for a first-level group).
    pub fn parent(&self) -> Option<&str> {
        (self.symbol.len() > 1).then(|| &self.symbol[..self.symbol.len() - 1])
    }

    /// Whether the class is a leaf, the only kind that holds cases (it carries its
    /// categories).
    pub fn is_leaf(&self) -> bool {
        self.category.is_some()
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

/// Whether `s` is a class symbol: 1–5 digits.
pub fn is_symbol(s: &str) -> bool {
    (1..=JRWA_CLASS_MAX_DIGITS).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_header(line: &str) -> bool {
    line.eq_ignore_ascii_case("symbol;title;category")
        || line.eq_ignore_ascii_case("symbol;title;category;category_other")
}

/// A line read, before the file as a whole decides which classes are leaves.
struct Line<'a> {
    line: usize,
    symbol: &'a str,
    title: &'a str,
    category: &'a str,
    category_other: &'a str,
}

/// Splits and checks one line on its own.
fn read_line(line: usize, trimmed: &str) -> Result<Line<'_>, LineError> {
    let error = |key| LineError { line, key };
    let fields: Vec<&str> = trimmed.split(';').map(str::trim).collect();
    let (symbol, title, category, category_other) = match fields.as_slice() {
        [s, t, c] => (*s, *t, *c, ""),
        [s, t, c, o] => (*s, *t, *c, *o),
        _ => return Err(error("jrwa-error-fields")),
    };
    if !is_symbol(symbol) {
        return Err(error("jrwa-error-symbol"));
    }
    if title.is_empty() {
        return Err(error("jrwa-error-title"));
    }
    if title.chars().count() > 300 {
        return Err(error("jrwa-error-title-long"));
    }
    Ok(Line {
        line,
        symbol,
        title,
        category,
        category_other,
    })
}

/// The categories of a class, given whether it has subclasses.
fn categories(
    l: &Line<'_>,
    has_children: bool,
) -> Result<(Option<ArchivalCategory>, Option<ArchivalCategory>), LineError> {
    let error = |key| LineError { line: l.line, key };
    let group = has_children || l.symbol.len() < MIN_LEAF_DIGITS;
    if group {
        return if l.category.is_empty() && l.category_other.is_empty() {
            Ok((None, None))
        } else {
            Err(error("jrwa-error-group-category"))
        };
    }
    let leading = ArchivalCategory::parse(l.category).map_err(|_| error("jrwa-error-category"))?;
    let other = if l.category_other.is_empty() {
        leading
    } else {
        ArchivalCategory::parse(l.category_other).map_err(|_| error("jrwa-error-category"))?
    };
    Ok((Some(leading), Some(other)))
}

/// Parses the whole file; every bad line is reported, nothing is returned unless all
/// are good.
pub fn parse_csv(text: &str) -> Result<Vec<JrwaEntry>, Vec<LineError>> {
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() || trimmed.starts_with('#') || is_header(trimmed) {
            continue;
        }
        match read_line(i + 1, trimmed) {
            Ok(l) if !seen.insert(l.symbol) => errors.push(LineError {
                line: l.line,
                key: "jrwa-error-duplicate",
            }),
            Ok(l) => lines.push(l),
            Err(e) => errors.push(e),
        }
    }
    let parents: HashSet<&str> = lines
        .iter()
        .filter(|l| l.symbol.len() > 1)
        .map(|l| &l.symbol[..l.symbol.len() - 1])
        .collect();
    let mut entries = Vec::new();
    for l in &lines {
        if l.symbol.len() > 1 && !seen.contains(&l.symbol[..l.symbol.len() - 1]) {
            errors.push(LineError {
                line: l.line,
                key: "jrwa-error-parent",
            });
            continue;
        }
        match categories(l, parents.contains(l.symbol)) {
            Ok((category, category_other)) => entries.push(JrwaEntry {
                symbol: l.symbol.to_owned(),
                title: l.title.to_owned(),
                category,
                category_other,
            }),
            Err(e) => errors.push(e),
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: 0,
            key: "jrwa-error-empty",
        });
    }
    if errors.is_empty() {
        Ok(entries)
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
                    1434;Zła kategoria;C5\n\
                    1435;Zła druga kategoria;A;X\n\
                    143567;Sześć cyfr;A\n\
                    15;Poziom drugi z kategorią;A\n";
        let errors = parse_csv(text).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            [
                (5, "jrwa-error-category"),
                (6, "jrwa-error-parent"),
                (7, "jrwa-error-symbol"),
                // 143 has subclasses: a group, so no category.
                (8, "jrwa-error-group-category"),
                (9, "jrwa-error-duplicate"),
                (10, "jrwa-error-title"),
                (11, "jrwa-error-fields"),
                (12, "jrwa-error-category"),
                (13, "jrwa-error-category"),
                (14, "jrwa-error-symbol"),
                (15, "jrwa-error-group-category"),
            ]
        );
    }

    #[test]
    fn three_digit_leaves_fifth_level_extensions_and_two_categories() {
        use ArchivalCategory::*;
        let text = "symbol;title;category;category_other\n\
                    0;Zarządzanie;\n\
                    00;Organy;\n\
                    005;Organy wykonawcze;\n\
                    0050;Zarządzenia;A;Bc\n\
                    0052;Narady;\n\
                    00520;Narady kierownictwa;A;B5\n\
                    00521;Narady komórek;B10\n\
                    01;Skargi;\n\
                    015;Skargi i wnioski;BE10;Bc\n";
        let entries = parse_csv(text).unwrap();
        let get = |s: &str| entries.iter().find(|e| e.symbol == s).unwrap();
        assert_eq!(get("0050").category, Some(Archival));
        assert_eq!(get("0050").category_other, Some(ShortTerm));
        // Extended to a fifth level, 0052 is a group; its subclasses are leaves.
        assert!(!get("0052").is_leaf());
        assert_eq!(get("00520").category_other, Some(Kept(5)));
        // One category given: it holds in every unit.
        assert_eq!(get("00521").category_other, Some(Kept(10)));
        // A three-digit class without subclasses is a leaf.
        assert!(get("015").is_leaf());
        assert_eq!(get("015").category, Some(Expertise(10)));
        assert!(!get("005").is_leaf() && !get("00").is_leaf());
        // The same symbols are valid JRWA classes of a znak sprawy.
        for e in &entries {
            assert!(
                crate::case_number::JrwaClass::parse(&e.symbol).is_ok(),
                "{e:?}"
            );
        }
    }

    #[test]
    fn a_childless_three_digit_class_needs_its_category() {
        let errors = parse_csv("1;A;\n14;B;\n143;C;\n").unwrap_err();
        assert_eq!(
            errors,
            [LineError {
                line: 3,
                key: "jrwa-error-category"
            }]
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
