//! The daily deadline reminders: an e-mail to every official with cases overdue or due
//! within `reminder_days_ahead` days, and to every head of unit about their units.
//!
//! - [`rules`]: who gets which case (pure);
//! - [`mail`]: the text of the message (Fluent, plain text);
//! - [`store`]: reading cases and addresses, the day's record in `job_run`;
//! - [`run`]: one run for a day (the CLI `magistrat reminders send`); [`job`]: the
//!   platform job `serve` registers, daily at `reminder_hour` Europe/Warsaw.
//!
//! Several app servers on one database send once a day: each claims the day through
//! `platform::jobs` (`(job, period)` under a unique key in `job_run`), and only the one
//! whose insert succeeded sends (docs/decisions/0012-reminders-once-per-day.md, 0017).
//! Mail goes out after the claim is committed and outside any transaction (an SMTP
//! server may be slow; holding a SQLite write lock meanwhile would stop the office). A failed recipient is logged and
//! recorded in `job_run`; the next day's run includes their cases again.

pub mod mail;
pub mod rules;
pub mod store;

use jiff::civil::Date;

use crate::db::Db;
use crate::db::audit::{Actor, Change};
use crate::mailer::Mailer;
use crate::platform::jobs::{self, Job, Report, Schedule};
use crate::web::i18n::Lang;

pub use rules::{Audience, Digest, OpenCase};
pub use store::RunCounts;

/// What a run needs from the configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    pub days_ahead: u32,
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            days_ahead: config.reminder_days_ahead,
            public_url: config.public_url.clone(),
        }
    }
}

/// How to run.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    pub day: Date,
    /// Build the mails and report them; send nothing, claim nothing.
    pub dry_run: bool,
    /// Send even if the day was already claimed (the CLI's `--force`).
    pub force: bool,
}

/// One message of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub login: String,
    pub to: String,
    pub subject: String,
    pub head: bool,
    /// `None`: sent (or would be, in a dry run); `Some`: the mail server's error.
    pub error: Option<String>,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Another server (or an earlier run) has the day.
    AlreadyClaimed,
    Ran {
        mails: Vec<Outgoing>,
        /// Logins with something to be reminded of but no e-mail address.
        without_address: Vec<String>,
    },
}

/// Runs the reminders for `options.day`: claims the day (unless a dry run), mails and
/// records the result.
pub async fn run(
    db: &Db,
    mailer: &Mailer,
    settings: &Settings,
    options: RunOptions,
) -> anyhow::Result<Outcome> {
    if options.dry_run {
        return Ok(send(db, mailer, settings, options.day, true).await?.0);
    }
    let work = send(db, mailer, settings, options.day, false);
    let period = options.day.to_string();
    Ok(
        jobs::run_claimed(db, store::JOB, &period, options.force, work)
            .await?
            .unwrap_or(Outcome::AlreadyClaimed),
    )
}

/// The daily job for the server's runner: at `reminder_hour` every day, for that day.
pub fn job(config: &crate::config::Config, mailer: Mailer) -> Job {
    let settings = Settings::from_config(config);
    Job::new(
        store::JOB,
        Schedule::DailyAt {
            hour: config.reminder_hour,
        },
        move |db, period| {
            let (mailer, settings) = (mailer.clone(), settings.clone());
            async move {
                let (_, report) = send(&db, &mailer, &settings, period.day(), false).await?;
                Ok(report)
            }
        },
    )
}

/// Builds the digests of `day` and mails them (a dry run only builds them). An error
/// means nothing was sent (the claim may be given back); a mail server's refusal is a
/// result, not an error.
async fn send(
    db: &Db,
    mailer: &Mailer,
    settings: &Settings,
    day: Date,
    dry_run: bool,
) -> anyhow::Result<(Outcome, Report)> {
    let (digests, people) = gather(db, settings, day).await?;
    let mut mails = Vec::new();
    let mut without_address = Vec::new();
    for digest in &digests {
        // An inactive account is not in `people`: nobody to remind.
        let Some(person) = people.get(&digest.user_id) else {
            continue;
        };
        if person.email.is_empty() {
            without_address.push(person.login.clone());
            continue;
        }
        let letter = mail::Letter {
            lang: Lang::Pl,
            name: &person.name,
            to: &person.email,
            today: day,
            days_ahead: settings.days_ahead,
            public_url: settings.public_url.as_deref(),
        };
        let message = mail::compose(&letter, digest);
        let error = if dry_run {
            None
        } else {
            match mailer.send(&message).await {
                Ok(()) => None,
                Err(e) => {
                    tracing::error!(to = ?message.to, error = %e, "reminder not sent");
                    Some(e.to_string())
                }
            }
        };
        mails.push(Outgoing {
            login: person.login.clone(),
            to: message.to,
            subject: message.subject,
            head: matches!(digest.audience, Audience::Head { .. }),
            error,
        });
    }
    without_address.sort();
    without_address.dedup();

    let failed: Vec<String> = mails
        .iter()
        .filter(|m| m.error.is_some())
        .map(|m| m.to.clone())
        .collect();
    let counts = RunCounts {
        day: day.to_string(),
        officials: mails.iter().filter(|m| !m.head).count(),
        heads: mails.iter().filter(|m| m.head).count(),
        sent: mails.len() - failed.len(),
        failed: failed.len(),
        without_address: without_address.len(),
    };
    if !dry_run {
        tracing::info!(
            %day,
            sent = counts.sent,
            failed = counts.failed,
            without_address = counts.without_address,
            "deadline reminders done"
        );
    }
    // The record keeps the failed addresses for the operator (the next day's run mails
    // them again); the audit event has counts only.
    let report = Report {
        detail: store::detail(&counts, &failed),
        audit: Some((
            Actor::system("reminders"),
            Change::action("sent", "reminders", day).with_after(&counts),
        )),
    };
    Ok((
        Outcome::Ran {
            mails,
            without_address,
        },
        report,
    ))
}

/// The digests of `day` and the people they go to.
async fn gather(
    db: &Db,
    settings: &Settings,
    day: Date,
) -> anyhow::Result<(
    Vec<Digest>,
    std::collections::HashMap<i64, store::Recipient>,
)> {
    let last_day = day.checked_add(jiff::Span::new().days(i64::from(settings.days_ahead)))?;
    let cases = store::open_cases_due_by(db, last_day).await?;
    let heads = store::heads(db).await?;
    let people = store::recipients(db).await?;
    Ok((
        rules::digests(day, settings.days_ahead, &cases, &heads),
        people,
    ))
}
