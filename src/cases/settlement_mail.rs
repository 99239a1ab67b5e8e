//! The settlement notice (issue 14; decision 0051): when a case is settled — on the
//! merits, or ended without examination (KPA art. 64 § 2, art. 261 § 2) — an applicant
//! who gave an e-mail address is told so, with the link to the status page and the
//! link to rate the service (`/case-status/{code}/rating`). Plain text and HTML with
//! the same content, in the language the application was filed in (Polish when the
//! case came another way). The notice is information only: the decision itself is
//! delivered as KPA requires, and the mail says so.
//!
//! Owed once: the step that settles a case moves its status conditionally on the
//! status read (`store::apply_step`), so exactly one transaction settles it, and that
//! transaction records the notice as owed in the mail outbox (`platform::outbox`,
//! decision 0057). The outbox sends it after the commit — never from inside the
//! transaction: a slow or refusing mail server holds nothing up and rolls nothing back
//! — and again at growing intervals until the server takes it, across a crash or a
//! restart.

use jiff::civil::Date;

use super::store::SqlDate;
use crate::db::Db;
use crate::mailer::{Mail, RichMail};
use crate::web::i18n::{Arg, Lang, long_date};
use crate::with_db;

/// What the notice says about one settled case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub to: String,
    pub lang: Lang,
    pub znak: String,
    pub tracking_code: String,
    pub settled_on: Date,
    /// Ended without examination (art. 64 § 2, art. 261 § 2) rather than settled.
    pub unexamined: bool,
    pub office: String,
}

/// The address links start with: `public_url`, or else the address the server
/// listens on (as the residents' sign-in link).
pub fn link_base(public_url: Option<&str>, listen: std::net::SocketAddr) -> String {
    match public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => format!("http://{listen}"),
    }
}

/// Text for HTML: the five characters that matter escaped.
fn escape(s: &str) -> String {
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

impl Notice {
    /// The rating page of the case.
    pub fn rating_link(&self, base: &str) -> String {
        format!("{base}/case-status/{}/rating", self.tracking_code)
    }

    /// The status page of the case.
    pub fn status_link(&self, base: &str) -> String {
        format!("{base}/case-status?code={}", self.tracking_code)
    }

    /// The message, links starting with `base`.
    pub fn mail(&self, base: &str) -> RichMail {
        let lang = self.lang;
        let args = |extra: Vec<(&'static str, Arg)>| {
            let mut a: Vec<(&'static str, Arg)> = vec![
                ("znak", self.znak.as_str().into()),
                ("office", self.office.as_str().into()),
                ("date", long_date(lang, self.settled_on).into()),
            ];
            a.extend(extra);
            a
        };
        let subject = lang.t_args("case-settled-mail-subject", &args(Vec::new()));
        let intro = lang.t_args(
            if self.unexamined {
                "case-settled-mail-intro-unexamined"
            } else {
                "case-settled-mail-intro"
            },
            &args(Vec::new()),
        );
        let delivery = lang.t("case-settled-mail-delivery");
        let (rating, status) = (self.rating_link(base), self.status_link(base));
        let rate = lang.t("case-settled-mail-rate");
        let rate_note = lang.t("case-settled-mail-rate-note");
        let status_text = lang.t("case-settled-mail-status");
        let auto = lang.t("case-settled-mail-automatic");
        let code = lang.t_args(
            "case-settled-mail-code",
            &[("code", self.tracking_code.as_str().into())],
        );
        let body = format!(
            "{intro}\n\n{delivery}\n\n{rate}\n{rating}\n{rate_note}\n\n{status_text}\n{status}\n{code}\n\n{auto}\n"
        );
        let html = format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>\
             <h1>{}</h1><p>{}</p><p>{}</p>\
             <p><strong><a href=\"{}\">{}</a></strong><br>{}</p>\
             <p><a href=\"{}\">{}</a><br>{}</p><p><small>{}</small></p></body></html>",
            lang.code(),
            escape(&subject),
            escape(&subject),
            escape(&intro),
            escape(&delivery),
            escape(&rating),
            escape(&rate),
            escape(&rate_note),
            escape(&status),
            escape(&status_text),
            escape(&code),
            escape(&auto),
        );
        Mail {
            to: self.to.clone(),
            subject,
            body,
        }
        .with_html(html)
    }
}

/// The notice of case `case_id`, when it is settled and its applicant gave an e-mail
/// address; None otherwise.
pub async fn notice(db: &Db, case_id: i64, office: &str) -> Result<Option<Notice>, sqlx::Error> {
    type Row = (
        String,
        String,
        Option<SqlDate>,
        String,
        String,
        Option<String>,
    );
    let row: Option<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.znak, c.tracking_code, c.settled_on, c.closing_kind, \
             COALESCE(p.email, c.party_email), a.lang FROM case_file c \
             LEFT JOIN case_party p ON p.case_id = c.id AND p.position = 1 \
             LEFT JOIN application a ON a.case_id = c.id WHERE c.id = $1",
        )
        .bind(case_id)
        .fetch_optional(c)
        .await
    })?;
    let Some((znak, tracking_code, settled_on, closing_kind, email, lang)) = row else {
        return Ok(None);
    };
    let email = email.trim().to_owned();
    let Some(settled_on) = settled_on.filter(|_| !email.is_empty() && !tracking_code.is_empty())
    else {
        return Ok(None);
    };
    Ok(Some(Notice {
        to: email,
        lang: lang
            .as_deref()
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Pl),
        znak,
        tracking_code,
        settled_on: settled_on.to_jiff(),
        unexamined: closing_kind == "left_unexamined",
        office: office.to_owned(),
    }))
}

/// The notice's purpose in the mail outbox (`platform::outbox`).
pub const PURPOSE: &str = "settlement_notice";

/// Records in `tx` — the transaction that settles case `case_id` — that its notice is
/// owed; the outbox sends it after the commit (`AppState::outbox`), and again until the
/// mail server takes it.
pub async fn owe(tx: &mut crate::db::Tx, case_id: i64) -> Result<(), sqlx::Error> {
    crate::platform::outbox::owe(tx, PURPOSE, case_id).await
}

/// Builds the notice of a settled case for the outbox: nothing when the applicant gave
/// no address.
pub fn composer(
    db: &Db,
    office: &crate::org::public::PublicOfficeCache,
    config: &crate::config::Config,
) -> crate::platform::outbox::Composer {
    let (db, office) = (db.clone(), office.clone());
    let base = link_base(config.public_url.as_deref(), config.listen);
    std::sync::Arc::new(move |case_id| {
        let (db, office, base) = (db.clone(), office.clone(), base.clone());
        Box::pin(async move {
            let office = office.office_name().await;
            notice(&db, case_id, &office)
                .await
                .map(|n| n.map(|n| n.mail(&base)))
                .map_err(|e| e.to_string())
        })
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn notice(lang: Lang, unexamined: bool) -> Notice {
        Notice {
            to: "jan@example.pl".into(),
            lang,
            znak: "SA.5340.1.2026".into(),
            tracking_code: "ABCD-EFGH-JKLM".into(),
            settled_on: jiff::civil::date(2026, 12, 8),
            unexamined,
            office: "Urząd Miasta <Borowiec>".into(),
        }
    }

    #[test]
    fn the_notice_links_to_the_rating_in_text_and_html() {
        let mail = notice(Lang::Pl, false).mail("https://urzad.example.pl");
        let rating = "https://urzad.example.pl/case-status/ABCD-EFGH-JKLM/rating";
        assert_eq!(mail.mail.to, "jan@example.pl");
        assert!(mail.mail.subject.contains("SA.5340.1.2026"));
        assert!(mail.mail.body.contains(rating), "{}", mail.mail.body);
        assert!(
            mail.mail.body.contains("8 grudnia 2026"),
            "{}",
            mail.mail.body
        );
        let html = mail.html.unwrap();
        assert!(html.contains(&format!("href=\"{rating}\"")), "{html}");
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"pl\">"));
        // The office's name is text, not markup.
        assert!(html.contains("&lt;Borowiec&gt;") && !html.contains("<Borowiec>"));
    }

    #[test]
    fn english_and_unexamined_cases_say_so() {
        let en = notice(Lang::En, false).mail("http://x");
        assert!(
            en.html
                .unwrap()
                .starts_with("<!DOCTYPE html><html lang=\"en\">")
        );
        assert!(en.mail.body.contains("8 December 2026"), "{}", en.mail.body);
        let settled = notice(Lang::Pl, false).mail("http://x").mail.body;
        let unexamined = notice(Lang::Pl, true).mail("http://x").mail.body;
        assert_ne!(settled, unexamined);
        assert!(unexamined.contains("bez rozpoznania"), "{unexamined}");
    }

    #[test]
    fn links_start_with_the_public_url_or_the_listening_address() {
        let listen: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(
            link_base(Some("https://urzad.example.pl/"), listen),
            "https://urzad.example.pl"
        );
        assert_eq!(link_base(None, listen), "http://127.0.0.1:8080");
    }
}
