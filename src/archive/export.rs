//! The archive's downloads: CSV files (through the `csv` crate) and the answer that
//! hands a file over.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::web::error::{AppError, AppResult};

/// A CSV file: a byte-order mark (so that spreadsheets read UTF-8), `;` between fields
/// (what Polish spreadsheets expect), CRLF line ends, every field quoted where needed.
/// A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets
/// an apostrophe before it: a sender's name must not become a formula.
pub fn csv(
    headers: &[String],
    records: impl IntoIterator<Item = Vec<String>>,
) -> AppResult<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: csv::Error| AppError::Internal(e.into());
        w.write_record(headers).map_err(fail)?;
        for record in records {
            w.write_record(record.iter().map(|f| defuse(f)))
                .map_err(fail)?;
        }
        w.flush().map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(out)
}

fn defuse(field: &str) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    }
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
        )
        .unwrap();
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
