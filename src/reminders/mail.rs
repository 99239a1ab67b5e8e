//! The reminder e-mail: plain text, every string from `locales/*/reminders.ftl`.
//! Accounts have no language setting yet, so reminders go out in Polish; the English
//! messages are there for when they do.

use magistrat_domain::deadline::DeadlineStatus;

use super::rules::{Audience, Digest, Reminder};
use crate::mailer::Mail;
use crate::web::i18n::{Arg, Lang, long_date};

/// What the text needs besides the digest.
pub struct Letter<'a> {
    pub lang: Lang,
    pub name: &'a str,
    pub to: &'a str,
    pub today: jiff::civil::Date,
    pub days_ahead: u32,
    /// `public_url` from the configuration, for links to the cases.
    pub public_url: Option<&'a str>,
}

/// The subject, e.g. "Terminy spraw: 2 po terminie, 3 w ciągu 3 dni".
pub fn subject(letter: &Letter, digest: &Digest) -> String {
    let mut args = vec![
        ("overdue", Arg::Num(count(digest.overdue.len()))),
        ("soon", Arg::Num(count(digest.due_soon.len()))),
        ("days", Arg::Num(i64::from(letter.days_ahead))),
    ];
    match &digest.audience {
        Audience::Official => letter.lang.t_args("reminders-subject", &args),
        Audience::Head { unit_symbols } => {
            args.push(("units", Arg::Str(unit_symbols.join(", "))));
            letter.lang.t_args("reminders-subject-head", &args)
        }
    }
}

/// The whole message.
pub fn compose(letter: &Letter, digest: &Digest) -> Mail {
    let lang = letter.lang;
    let days = Arg::Num(i64::from(letter.days_ahead));
    let date = Arg::Str(long_date(lang, letter.today));
    let mut body = Vec::new();
    body.push(lang.t_args(
        "reminders-greeting",
        &[("name", Arg::Str(letter.name.to_owned()))],
    ));
    body.push(String::new());
    match &digest.audience {
        Audience::Official => {
            body.push(lang.t_args("reminders-intro", &[("days", days.clone()), ("date", date)]));
            section(
                &mut body,
                letter,
                "reminders-section-overdue",
                &digest.overdue,
            );
            section(
                &mut body,
                letter,
                "reminders-section-soon",
                &digest.due_soon,
            );
        }
        Audience::Head { unit_symbols } => {
            body.push(lang.t_args(
                "reminders-intro-head",
                &[
                    ("units", Arg::Str(unit_symbols.join(", "))),
                    ("days", days.clone()),
                    ("date", date),
                ],
            ));
            for (official, name, list) in digest.by_official() {
                body.push(String::new());
                body.push(String::new());
                let heading = match official {
                    Some(_) => name,
                    None => lang.t("reminders-unassigned"),
                };
                body.push(heading.to_uppercase());
                for reminder in list {
                    case_lines(&mut body, letter, reminder);
                }
            }
        }
    }
    body.push(String::new());
    body.push("-- ".to_owned());
    body.push(lang.t("reminders-footer"));
    Mail {
        to: letter.to.to_owned(),
        subject: subject(letter, digest),
        body: body.join("\n") + "\n",
    }
}

fn section(body: &mut Vec<String>, letter: &Letter, key: &str, list: &[Reminder]) {
    if list.is_empty() {
        return;
    }
    body.push(String::new());
    body.push(String::new());
    body.push(letter.lang.t_args(
        key,
        &[
            ("count", Arg::Num(count(list.len()))),
            ("days", Arg::Num(i64::from(letter.days_ahead))),
        ],
    ));
    for reminder in list {
        case_lines(body, letter, reminder);
    }
}

/// One case: znak and title, the due date and where it stands, the link.
fn case_lines(body: &mut Vec<String>, letter: &Letter, reminder: &Reminder) {
    let lang = letter.lang;
    let case = &reminder.case;
    body.push(String::new());
    body.push(format!("* {} — {}", case.znak, case.title));
    body.push(format!(
        "  {}",
        lang.t_args(
            "reminders-due",
            &[
                ("date", Arg::Str(long_date(lang, case.due))),
                ("status", Arg::Str(status_text(lang, reminder.status))),
            ],
        )
    ));
    if let Some(url) = letter.public_url {
        body.push(format!(
            "  {}/staff/cases/{}",
            url.trim_end_matches('/'),
            case.id
        ));
    }
}

/// "zostały 2 dni", "termin upływa dziś", "10 dni po terminie".
pub fn status_text(lang: Lang, status: DeadlineStatus) -> String {
    match status {
        DeadlineStatus::Running { days_left } => {
            lang.t_args("reminders-days-left", &[("days", Arg::Num(days_left))])
        }
        DeadlineStatus::DueToday => lang.t("reminders-due-today"),
        DeadlineStatus::Overdue { days_overdue } => lang.t_args(
            "reminders-days-overdue",
            &[("days", Arg::Num(days_overdue))],
        ),
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::rules::{Head, OpenCase, digests};
    use jiff::civil::date;

    fn open(id: i64, official: Option<i64>, due: jiff::civil::Date) -> OpenCase {
        OpenCase {
            id,
            znak: format!("SA.6733.{id}.2026"),
            title: format!("Decyzja o warunkach zabudowy {id}"),
            unit_id: 1,
            official_id: official,
            official_name: "Jan Kowalski".to_owned(),
            due,
            suspended: false,
        }
    }

    fn letter(lang: Lang, public_url: Option<&str>) -> Letter<'_> {
        Letter {
            lang,
            name: "Jan Kowalski",
            to: "jan@example.pl",
            today: date(2026, 11, 30),
            days_ahead: 3,
            public_url,
        }
    }

    #[test]
    fn polish_subject_body_and_plurals() {
        let today = date(2026, 11, 30);
        let cases = vec![
            open(1, Some(5), date(2026, 11, 20)),
            open(2, Some(5), date(2026, 11, 29)),
            open(3, Some(5), today),
            open(4, Some(5), date(2026, 12, 1)),
            open(5, Some(5), date(2026, 12, 3)),
            open(6, None, date(2026, 12, 3)),
        ];
        let heads = [Head {
            user_id: 9,
            unit_symbols: vec!["SA".to_owned()],
            units: vec![1],
        }];
        let d = digests(today, 3, &cases, &heads);
        let l = letter(Lang::Pl, Some("https://urzad.example.pl/"));
        let mail = compose(&l, &d[0]);
        assert_eq!(
            mail.subject,
            "Terminy spraw: 2 po terminie, 3 w ciągu 3 dni"
        );
        assert_eq!(mail.to, "jan@example.pl");
        for expected in [
            "Dzień dobry, Jan Kowalski.",
            "30 listopada 2026",
            "* SA.6733.1.2026 — Decyzja o warunkach zabudowy 1",
            "20 listopada 2026 — 10 dni po terminie",
            "29 listopada 2026 — 1 dzień po terminie",
            "termin upływa dziś",
            "został 1 dzień",
            "zostały 3 dni",
            "https://urzad.example.pl/staff/cases/4",
        ] {
            assert!(
                mail.body.contains(expected),
                "{expected:?} in\n{}",
                mail.body
            );
        }
        // Overdue cases come before those due soon.
        assert!(mail.body.find("SA.6733.2.2026") < mail.body.find("SA.6733.3.2026"));
        let head = compose(&l, &d[1]);
        assert_eq!(
            head.subject,
            "Terminy spraw (SA): 2 po terminie, 4 w ciągu 3 dni"
        );
        assert!(head.body.contains("JAN KOWALSKI"), "{}", head.body);
        assert!(head.body.contains("NIEPRZYDZIELONE"), "{}", head.body);
    }

    #[test]
    fn english_and_no_links_without_public_url() {
        let today = date(2026, 11, 30);
        let d = digests(today, 1, &[open(1, Some(5), date(2026, 12, 1))], &[]);
        let l = Letter {
            days_ahead: 1,
            ..letter(Lang::En, None)
        };
        let mail = compose(&l, &d[0]);
        assert_eq!(mail.subject, "Case deadlines: 0 overdue, 1 within 1 day");
        assert!(mail.body.contains("1 day left"), "{}", mail.body);
        assert!(!mail.body.contains("/staff/cases/"), "{}", mail.body);
        let pl = compose(
            &Letter {
                days_ahead: 1,
                ..letter(Lang::Pl, None)
            },
            &d[0],
        );
        assert_eq!(pl.subject, "Terminy spraw: 0 po terminie, 1 w ciągu 1 dnia");
    }

    #[test]
    fn polish_day_counts() {
        let left = |n| status_text(Lang::Pl, DeadlineStatus::Running { days_left: n });
        assert_eq!(left(1), "został 1 dzień");
        assert_eq!(left(2), "zostały 2 dni");
        assert_eq!(left(5), "zostało 5 dni");
        assert_eq!(left(22), "zostały 22 dni");
        let late = |n| status_text(Lang::Pl, DeadlineStatus::Overdue { days_overdue: n });
        assert_eq!(late(1), "1 dzień po terminie");
        assert_eq!(late(12), "12 dni po terminie");
    }
}
