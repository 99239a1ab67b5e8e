//! The archive's downloads: CSV files (the platform's writer: BOM, `;`, CRLF, formulas
//! defused) and the answer that hands a file over.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::platform::csv::Csv;

/// A CSV file of `headers` and `records` as Polish spreadsheets read it
/// ([`crate::platform::csv`]).
pub fn csv(headers: &[String], records: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = Csv::new();
    out.row(headers);
    for record in records {
        out.row(&record);
    }
    out.into_text().into_bytes()
}

/// A file to download under `name`.
pub fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A name safe in a header and on any file system: ASCII letters, digits, `.` and `-`.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_separators_and_defuses_formulas() {
        let bytes = csv(
            &["Lp.".to_owned(), "Nadawca".to_owned()],
            [
                vec!["1".to_owned(), "=HYPERLINK(\"x\")".to_owned()],
                vec!["2".to_owned(), "Kowalski; Jan".to_owned()],
            ],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("1;\"'=HYPERLINK(\"\"x\"\")\"\r\n"), "{text}");
        assert!(text.contains("2;\"Kowalski; Jan\"\r\n"), "{text}");
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_stem("spis-SA-II.5310 2026.csv"),
            "spis-SA-II.5310-2026.csv"
        );
        assert_eq!(file_stem("zażółć"), "za----");
    }
}
