//! The printable forms: a letter (with its elements in the kind's order, the date of
//! issue and the signature block of KPA art. 107 § 1 pkt 2 and 8) and the metryka in
//! the columns of the regulation's form (załącznik nr 1 to the regulation of 6 March
//! 2012). Both through the one PDF writer, `web::pdf` (krilla, DejaVu Sans embedded).

use magistrat_domain::letters::{LetterState, SignatureMethod};

use super::pages::MetrykaLine;
use super::store::Letter;
use crate::cases::store::CaseFile;
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::pdf::{PdfDocument, PdfSection};

pub fn letter(
    lang: Lang,
    letter: &Letter,
    case: &CaseFile,
    now: jiff::Zoned,
) -> AppResult<PdfDocument> {
    let content = letter.sections()?;
    let mut head = vec![(lang.t("case-znak"), case.znak.clone())];
    head.push((lang.t("letter-identifier"), letter.identifier.clone()));
    if let Some(day) = letter.issued_on {
        head.push((lang.t("letter-issued-on"), day.to_jiff().to_string()));
    }
    let mut sections = vec![PdfSection {
        heading: None,
        rows: head,
    }];
    for element in letter.kind.elements() {
        if let Some(text) = content.get(element) {
            sections.push(PdfSection {
                heading: Some(lang.t(&element.label_key())),
                rows: vec![(String::new(), text.clone())],
            });
        }
    }
    let signature = match (letter.state, letter.method()) {
        (LetterState::Draft | LetterState::Accepted, _) | (_, None) => {
            vec![(String::new(), lang.t("letter-print-unsigned"))]
        }
        (_, Some(method)) => {
            let mut rows = vec![
                (
                    lang.t("letter-signer"),
                    format!("{}, {}", letter.signer_name, letter.signer_position),
                ),
                (
                    lang.t("letter-signature-method"),
                    lang.t(&method.label_key()),
                ),
            ];
            if method == SignatureMethod::Electronic {
                rows.push(("SHA-256".to_owned(), letter.signed_sha256.clone()));
            }
            rows
        }
    };
    sections.push(PdfSection {
        heading: Some(lang.t("letter-signature")),
        rows: signature,
    });
    Ok(PdfDocument {
        title: format!(
            "{} ({})",
            lang.t(&letter.kind.label_key()),
            letter.kind.source()
        ),
        lang: lang.code().to_owned(),
        created: now,
        sections,
        footer: if letter.state == LetterState::Draft {
            vec![lang.t("letter-print-draft")]
        } else {
            Vec::new()
        },
    })
}

pub fn metryka(
    lang: Lang,
    case: &CaseFile,
    lines: &[MetrykaLine],
    now: jiff::Zoned,
) -> PdfDocument {
    let mut sections = vec![PdfSection {
        heading: None,
        rows: vec![
            (lang.t("metryka-case-mark"), case.znak.clone()),
            (lang.t("metryka-case-title"), case.title.clone()),
        ],
    }];
    for line in lines {
        let mut rows = vec![
            (lang.t("metryka-person"), line.person.clone()),
            (lang.t("metryka-act"), line.act.clone()),
        ];
        if !line.document.is_empty() {
            rows.push((lang.t("metryka-document"), line.document.clone()));
        }
        if !line.detail.is_empty() {
            rows.push((lang.t("metryka-detail"), line.detail.clone()));
        }
        sections.push(PdfSection {
            heading: Some(format!("{}. {}", line.number, line.date)),
            rows,
        });
    }
    PdfDocument {
        title: lang.t("metryka-title"),
        lang: lang.code().to_owned(),
        created: now,
        sections,
        footer: vec![lang.t("metryka-source")],
    }
}
