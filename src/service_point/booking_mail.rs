//! The mail of a booking: the confirmation (sent when it is made) and the reminder (the
//! day before), plain text with the documents to bring from the service card, the
//! booking code for the kiosk, the cancellation link, and the visit as an iCalendar
//! event (RFC 5545) to put in a calendar.

use magistrat_domain::booking::{CalendarEvent, ics, ics_utc};

use super::booking::BookingView;
use crate::db::UtcTime;
use crate::mailer::{Attachment, Mail, RichMail};
use crate::web::i18n::{Arg, Lang};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Confirmation,
    Reminder,
}

fn utc(t: UtcTime) -> String {
    ics_utc(jiff::tz::Offset::UTC.to_datetime(t.0))
}

/// The message for `view`'s resident; `base` starts the links (`https://urzad…`).
pub fn compose(
    lang: Lang,
    kind: Kind,
    view: &BookingView,
    base: &str,
    grace_minutes: u32,
    now: UtcTime,
) -> RichMail {
    let b = &view.booking;
    let when = view.starts_text(&lang);
    let t1 = |key: &str, name: &'static str, value: Arg| lang.t_args(key, &[(name, value)]);
    let subject = match kind {
        Kind::Confirmation => t1(
            "booking-mail-subject-confirmation",
            "when",
            when.clone().into(),
        ),
        Kind::Reminder => t1("booking-mail-subject-reminder", "when", when.clone().into()),
    };
    let page = format!("{base}/bookings/{}", b.token);
    let matter = view
        .matter
        .as_ref()
        .map_or_else(|| view.category_name.clone(), |m| m.name.clone());
    let mut body = vec![
        t1("booking-mail-greeting", "name", b.name.as_str().into()),
        String::new(),
        lang.t(match kind {
            Kind::Confirmation => "booking-mail-confirmation-intro",
            Kind::Reminder => "booking-mail-reminder-intro",
        }),
        String::new(),
        t1("booking-mail-when", "when", when.clone().into()),
        lang.t_args(
            "booking-mail-where",
            &[
                ("place", view.point.location.name.as_str().into()),
                ("address", view.point.address().into()),
            ],
        ),
        t1("booking-mail-matter", "matter", matter.as_str().into()),
        t1("booking-mail-code", "code", b.code.as_str().into()),
        String::new(),
        lang.t("booking-mail-documents"),
    ];
    let documents = view
        .matter
        .as_ref()
        .map(|m| m.documents.clone())
        .unwrap_or_default();
    if documents.is_empty() {
        body.push(lang.t("booking-mail-no-documents"));
    }
    body.extend(documents.iter().map(|d| format!("- {d}")));
    body.extend([
        String::new(),
        t1("booking-mail-grace", "minutes", grace_minutes.into()),
        t1(
            "booking-mail-cancel",
            "url",
            format!("{page}#cancel").into(),
        ),
        String::new(),
        lang.t("booking-mail-ics"),
    ]);
    let calendar = calendar(lang, view, &page, &matter, &documents, now);
    RichMail {
        mail: Mail {
            to: b.email.clone(),
            subject,
            body: body.join("\n"),
        },
        html: None,
        attachments: vec![calendar],
    }
}

/// The visit as an iCalendar event (`wizyta.ics`).
fn calendar(
    lang: Lang,
    view: &BookingView,
    page: &str,
    matter: &str,
    documents: &[String],
    now: UtcTime,
) -> Attachment {
    let b = &view.booking;
    let description = format!(
        "{}\n{}\n{}\n{}",
        lang.t_args("booking-mail-code", &[("code", b.code.as_str().into())]),
        lang.t("booking-mail-documents"),
        documents
            .iter()
            .map(|d| format!("- {d}"))
            .collect::<Vec<_>>()
            .join("\n"),
        page
    );
    let summary = lang.t_args("booking-ics-summary", &[("matter", matter.into())]);
    let location = format!("{}, {}", view.point.location.name, view.point.address());
    let uid = format!("booking-{}@magistrat", b.token);
    let text = ics(&CalendarEvent {
        uid: &uid,
        stamp: &utc(now),
        start: &utc(b.starts_at),
        end: &utc(b.ends_at),
        summary: &summary,
        location: &location,
        description: &description,
    });
    Attachment {
        file_name: "wizyta.ics".to_owned(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        bytes: text.into_bytes(),
    }
}
