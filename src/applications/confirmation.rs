//! The confirmation of filing (in the spirit of the urzędowe poświadczenie odbioru;
//! the moment it records starts the proceedings, KPA art. 61 § 3a): one content for the page, the PDF and the e-mail (issue 15).
//!
//! What a resident needs first comes first: that the application was filed, when (as
//! people write it: „3 grudnia 2026 r., godz. 19:05”), the case's znak and tracking
//! code, and what happens next in plain words — who handles it, by when (KPA art. 35),
//! how the answer comes, and what to do if it does not (ask the unit, then a ponaglenie,
//! KPA art. 37). The register number and the hashes are kept for the record, below.

use super::store::Filed;
use crate::mailer::{Attachment, Mail, RichMail};
use crate::web::i18n::{Arg, Lang, long_date, long_date_time};
use crate::web::pdf::{self, PdfDocument, PdfSection};

/// Who handles the matter and how to reach them, from the card filed through (empty
/// parts when the card is gone from the catalogue).
#[derive(Clone, Debug, Default)]
pub struct Handler {
    /// „SA — Wydział Spraw Administracyjnych”.
    pub unit: String,
    pub phone: String,
    pub email: String,
}

/// The confirmation of one filing in one language.
pub struct Confirmation<'a> {
    pub lang: Lang,
    pub filed: &'a Filed,
    pub handler: Handler,
}

impl Confirmation<'_> {
    fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    fn t_args(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        self.lang.t_args(key, args)
    }

    /// The moment of filing in the office's time zone, as people write it.
    pub fn submitted(&self) -> String {
        long_date_time(
            self.lang,
            &self.filed.submitted_at.to_zoned(crate::WARSAW.clone()),
        )
    }

    /// The due date, written out („17 grudnia 2026”).
    pub fn due(&self) -> String {
        long_date(self.lang, self.filed.due_date)
    }

    /// What happens next, a sentence each: who handles it, by when, how the answer
    /// comes, what if it does not.
    pub fn next_steps(&self) -> Vec<String> {
        let h = &self.handler;
        let mut steps = Vec::new();
        steps.push(if h.unit.is_empty() {
            self.t("app-next-who-office")
        } else {
            self.t_args("app-next-who", &[("unit", h.unit.as_str().into())])
        });
        steps.push(self.t_args("app-next-when", &[("due", self.due().into())]));
        steps.push(self.t_args(
            "app-next-how",
            &[("code", self.filed.tracking_code.as_str().into())],
        ));
        let contact = [h.phone.as_str(), h.email.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        steps.push(if contact.is_empty() {
            self.t_args("app-next-late-office", &[("due", self.due().into())])
        } else {
            self.t_args(
                "app-next-late",
                &[("due", self.due().into()), ("contact", contact.into())],
            )
        });
        steps
    }

    /// The filed answers as people read them (option labels, not values).
    pub fn answers(&self) -> Vec<(String, String)> {
        self.filed
            .document
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.answer().to_owned()))
            .collect()
    }

    /// For the record: the register number and the hashes.
    pub fn record(&self) -> Vec<(String, String)> {
        let mut rows = vec![
            (
                self.t("app-register-number"),
                self.filed.register_number.clone(),
            ),
            (self.t("app-document-sha256"), self.filed.sha256.clone()),
        ];
        for f in &self.filed.document.files {
            rows.push((
                f.file_name.clone(),
                format!("{} B, SHA-256 {}", f.size_bytes, f.sha256),
            ));
        }
        rows
    }

    /// The printable confirmation.
    pub fn document(&self) -> PdfDocument {
        let filed = self.filed;
        let doc = &filed.document;
        let mut sections = vec![PdfSection {
            heading: None,
            rows: vec![
                (self.t("app-office"), doc.office.clone()),
                (
                    self.t("app-service"),
                    format!("{} ({})", doc.service_name, doc.service_card),
                ),
                (self.t("app-submitted-at"), self.submitted()),
                (self.t("app-znak"), filed.znak.clone()),
                (self.t("app-tracking-code"), filed.tracking_code.clone()),
                (self.t("app-due"), self.due()),
            ],
        }];
        sections.push(PdfSection {
            heading: Some(self.t("app-next-title")),
            rows: self
                .next_steps()
                .into_iter()
                .map(|s| (String::new(), s))
                .collect(),
        });
        sections.push(PdfSection {
            heading: Some(self.t("app-filed-fields")),
            rows: self.answers(),
        });
        sections.push(PdfSection {
            heading: Some(self.t("app-for-the-record")),
            rows: self.record(),
        });
        PdfDocument {
            title: self.t("app-confirmation-title"),
            lang: self.lang.code().to_owned(),
            created: filed.submitted_at.to_zoned(crate::WARSAW.clone()),
            sections,
            footer: vec![String::new(), self.t("app-integrity-note")],
        }
    }

    /// The confirmation as an e-mail to `to`: plain text and HTML with the same
    /// content, the PDF attached.
    pub fn mail(&self, to: &str) -> Result<RichMail, pdf::PdfError> {
        let filed = self.filed;
        let doc = &filed.document;
        let subject = self.t_args("app-mail-subject", &[("znak", filed.znak.as_str().into())]);
        let intro = self.t_args(
            "app-mail-intro",
            &[
                ("service", doc.service_name.as_str().into()),
                ("office", doc.office.as_str().into()),
                ("when", self.submitted().into()),
            ],
        );
        let facts = [
            (self.t("app-znak"), filed.znak.clone()),
            (self.t("app-tracking-code"), filed.tracking_code.clone()),
            (self.t("app-due"), self.due()),
        ];
        let mut text = format!("{intro}\n\n");
        for (k, v) in &facts {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push_str(&format!("\n{}\n", self.t("app-next-title")));
        for step in self.next_steps() {
            text.push_str(&format!("- {step}\n"));
        }
        text.push_str(&format!("\n{}\n", self.t("app-filed-fields")));
        for (k, v) in self.answers() {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push_str(&format!("\n{}\n", self.t("app-for-the-record")));
        for (k, v) in self.record() {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push_str(&format!("\n{}\n", self.t("app-mail-pdf-note")));

        let e = |s: &str| askama_escape(s);
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\
             <h1>{}</h1><p>{}</p><dl>",
            self.lang.code(),
            e(&subject),
            e(&self.t("app-confirmation-title")),
            e(&intro)
        );
        for (k, v) in &facts {
            html.push_str(&format!(
                "<dt>{}</dt><dd><strong>{}</strong></dd>",
                e(k),
                e(v)
            ));
        }
        html.push_str(&format!(
            "</dl><h2>{}</h2><ul>",
            e(&self.t("app-next-title"))
        ));
        for step in self.next_steps() {
            html.push_str(&format!("<li>{}</li>", e(&step)));
        }
        html.push_str(&format!(
            "</ul><h2>{}</h2><dl>",
            e(&self.t("app-filed-fields"))
        ));
        for (k, v) in self.answers() {
            html.push_str(&format!("<dt>{}</dt><dd>{}</dd>", e(&k), e(&v)));
        }
        html.push_str(&format!(
            "</dl><h2>{}</h2><dl>",
            e(&self.t("app-for-the-record"))
        ));
        for (k, v) in self.record() {
            html.push_str(&format!(
                "<dt>{}</dt><dd><code>{}</code></dd>",
                e(&k),
                e(&v)
            ));
        }
        html.push_str(&format!(
            "</dl><p>{}</p></body></html>",
            e(&self.t("app-mail-pdf-note"))
        ));
        let pdf = pdf::render(&self.document())?;
        Ok(Mail {
            to: to.to_owned(),
            subject,
            body: text,
        }
        .with_html(html)
        .with_attachment(Attachment {
            file_name: pdf_name(filed),
            content_type: "application/pdf".to_owned(),
            bytes: pdf,
        }))
    }
}

/// The PDF's file name: „potwierdzenie-<kod>.pdf”.
pub fn pdf_name(filed: &Filed) -> String {
    format!("potwierdzenie-{}.pdf", filed.tracking_code)
}

/// Text for HTML: the five characters that matter escaped.
fn askama_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
