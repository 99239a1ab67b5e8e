//! Printable documents as PDF: a title, then sections of labelled values (a
//! confirmation of filing, a register extract). Text only, A4, with DejaVu Sans
//! embedded (subsetted by krilla) so that Polish letters print everywhere and the text
//! can be copied and read by screen readers (a ToUnicode map is written).

use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// DejaVu Sans is wide: about 0.6 em per character on average for Polish text, so
/// wrapping by character count with this factor keeps lines inside the margins.
const EM_PER_CHAR: f32 = 0.6;

pub struct PdfDocument {
    pub title: String,
    /// BCP 47 code of the text, e.g. `pl`.
    pub lang: String,
    pub created: jiff::Zoned,
    pub sections: Vec<PdfSection>,
    /// Small print at the end (e.g. how to verify the hash).
    pub footer: Vec<String>,
}

pub struct PdfSection {
    pub heading: Option<String>,
    /// (label, value): the label printed small above its value.
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
#[error("the PDF could not be written: {0}")]
pub struct PdfError(String);

pub fn render(doc: &PdfDocument) -> Result<Vec<u8>, PdfError> {
    let font = Font::new(FONT.into(), 0).ok_or_else(|| PdfError("font".to_owned()))?;
    let mut lines = Vec::new();
    lines.push(Line::new(&doc.title, 16.0, 8.0));
    for section in &doc.sections {
        if let Some(heading) = &section.heading {
            lines.push(Line::new(heading, 13.0, 12.0));
        }
        for (label, value) in &section.rows {
            // A row without a label (a sentence of „what happens next”) is its text.
            if !label.is_empty() {
                lines.push(Line::new(label, 8.5, 4.0));
            }
            for part in wrap(value, chars_per_line(11.0)) {
                lines.push(Line::new(&part, 11.0, 1.0));
            }
        }
    }
    for text in &doc.footer {
        for part in wrap(text, chars_per_line(8.5)) {
            lines.push(Line::new(
                &part,
                8.5,
                if part.is_empty() { 0.0 } else { 2.0 },
            ));
        }
    }

    let mut document = Document::new();
    document.set_metadata(metadata(doc));
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError("page".into()))?;
    let mut lines = lines.into_iter().peekable();
    while lines.peek().is_some() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        while let Some(line) = lines.next_if(|l| y + l.before + l.size <= PAGE_H - MARGIN) {
            y += line.before + line.size;
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                font.clone(),
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            );
            y += line.size * 0.35;
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

struct Line {
    text: String,
    size: f32,
    /// Space above the line, in points.
    before: f32,
}

impl Line {
    fn new(text: &str, size: f32, before: f32) -> Line {
        Line {
            text: text.to_owned(),
            size,
            before,
        }
    }
}

fn chars_per_line(size: f32) -> usize {
    // Truncation is intended: a whole number of characters.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = ((PAGE_W - 2.0 * MARGIN) / (size * EM_PER_CHAR)) as usize;
    n.max(10)
}

/// Breaks text into lines of at most `width` characters at spaces; a word longer than
/// a line (a hash, an address) is cut. Newlines in the text are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word: Vec<char> = word.chars().collect();
            while word.len() > width {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(word.drain(..width).collect());
            }
            let word: String = word.into_iter().collect();
            let needed =
                line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
            if needed > width && !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    out
}

fn metadata(doc: &PdfDocument) -> Metadata {
    let c = &doc.created;
    // The PDF date keeps the local time and its offset, as the confirmation states it.
    let offset_minutes = c.offset().seconds() / 60;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let created = DateTime::new(c.year().unsigned_abs())
        .month(c.month().unsigned_abs())
        .day(c.day().unsigned_abs())
        .hour(c.hour().unsigned_abs())
        .minute(c.minute().unsigned_abs())
        .second(c.second().unsigned_abs())
        .utc_offset_hour((offset_minutes / 60) as i8)
        .utc_offset_minute((offset_minutes % 60).unsigned_abs() as u8);
    Metadata::new()
        .title(doc.title.clone())
        .language(doc.lang.clone())
        .creator("Magistrat".to_owned())
        .creation_date(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("ala ma kota", 6), ["ala ma", "kota"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        assert_eq!(wrap("", 10), [""]);
        for line in wrap(&"zażółć gęślą jaźń ".repeat(20), 30) {
            assert!(line.chars().count() <= 30, "{line}");
        }
    }

    #[test]
    fn renders_a_multi_page_pdf_with_polish_text() {
        let created = jiff::civil::date(2026, 11, 30)
            .at(14, 5, 9, 0)
            .in_tz("Europe/Warsaw")
            .unwrap();
        let rows: Vec<_> = (0..80)
            .map(|i| (format!("Pole {i}"), "Zażółć gęślą jaźń. ".repeat(5)))
            .collect();
        let doc = PdfDocument {
            title: "Potwierdzenie złożenia wniosku".to_owned(),
            lang: "pl".to_owned(),
            created,
            sections: vec![PdfSection {
                heading: Some("Dane".to_owned()),
                rows,
            }],
            footer: vec!["SHA-256: ".to_owned() + &"ab".repeat(32)],
        };
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/ToUnicode"));
        let pages = text.matches("/Type/Page/").count();
        assert!(
            pages >= 2,
            "80 wrapped rows need more than one page, got {pages}"
        );
        assert!(
            text.contains("D:20261130140509+01'00"),
            "creation date with offset"
        );
    }
}
