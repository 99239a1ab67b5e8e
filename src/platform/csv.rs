//! Lists exported for a spreadsheet: CSV as Polish Excel and LibreOffice open it by a
//! double click — UTF-8 with a byte-order mark (without it Excel reads the file as
//! Windows-1250 and „Łódź” comes out broken), `;` between cells (the comma is the
//! decimal separator in Polish), CRLF line ends (RFC 4180). A cell starting with `=`,
//! `+`, `-`, `@` or a tab gets a leading `'` so the spreadsheet does not run a party's
//! name as a formula (CSV injection).

use axum::http::header;
use axum::response::{IntoResponse, Response};

const BOM: &str = "\u{feff}";

/// A CSV document being written, row by row.
#[derive(Debug)]
pub struct Csv {
    text: String,
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    pub fn new() -> Self {
        Self {
            text: BOM.to_owned(),
        }
    }

    /// Appends one row.
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<String> = cells.iter().map(|c| cell(c.as_ref())).collect();
        self.text.push_str(&line.join(";"));
        self.text.push_str("\r\n");
    }

    pub fn into_text(self) -> String {
        self.text
    }

    /// The document as a download named `filename` (ASCII, chosen by the caller).
    pub fn download(self, filename: &str) -> Response {
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            self.text,
        )
            .into_response()
    }
}

/// One cell: guarded against formulas, quoted when it holds `;`, `"` or a line break.
fn cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_escaped_and_guarded() {
        let table = [
            ("Łódź", "Łódź"),
            ("a;b", "\"a;b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+48 600", "'+48 600"),
            ("@x;y", "\"'@x;y\""),
            ("", ""),
        ];
        for (value, expected) in table {
            assert_eq!(cell(value), expected, "{value}");
        }
    }

    #[test]
    fn a_document_starts_with_the_bom_and_ends_rows_with_crlf() {
        let mut csv = Csv::new();
        csv.row(&["Znak", "Tytuł"]);
        csv.row(&["OR.1.2026", "Wniosek; pilny"]);
        assert_eq!(
            csv.into_text(),
            "\u{feff}Znak;Tytuł\r\nOR.1.2026;\"Wniosek; pilny\"\r\n"
        );
    }
}
