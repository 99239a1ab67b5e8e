//! The daily deadline reminders: an e-mail to every official with cases overdue or due
//! within `reminder_days_ahead` days, and to every head of unit about their units.
//!
//! - [`rules`]: who gets which case (pure);
//! - [`mail`]: the text of the message (Fluent, plain text);
//! - [`store`]: reading cases and addresses, claiming the day in `job_run`;
//! - [`run`]: one run for a day (the CLI `magistrat reminders send` and the server's
//!   daily task both call it); [`spawn_daily`]: the task `serve` starts, waking at
//!   `reminder_hour` Europe/Warsaw.
//!
//! Several app servers on one database send once a day: each claims the day by
//! inserting `(job, day)` under a unique key, and only the one whose insert succeeded
//! sends (docs/decisions/0012-reminders-once-per-day.md). Mail goes out after the claim
//! is committed and outside any transaction (an SMTP server may be slow; holding a
//! SQLite write lock meanwhile would stop the office). A failed recipient is logged and
//! recorded in `job_run`; the next day's run includes their cases again.

pub mod mail;
pub mod rules;
pub mod store;

use std::time::Duration;

use jiff::civil::Date;

use crate::app::AppState;
use crate::db::Db;
use crate::db::audit::Actor;
use crate::mailer::Mailer;
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

/// Runs the reminders for `options.day`.
pub async fn run(
    db: &Db,
    mailer: &Mailer,
    settings: &Settings,
    options: RunOptions,
) -> anyhow::Result<Outcome> {
    if !options.dry_run && !store::claim_day(db, options.day, options.force).await? {
        return Ok(Outcome::AlreadyClaimed);
    }
    let (digests, people) = match gather(db, settings, options.day).await {
        Ok(found) => found,
        Err(e) => {
            // Nothing was sent: give the day back so a later run (a restart, the CLI)
            // can do it.
            if !options.dry_run {
                let _ = store::release_day(db, options.day).await;
            }
            return Err(e);
        }
    };
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
            today: options.day,
            days_ahead: settings.days_ahead,
            public_url: settings.public_url.as_deref(),
        };
        let message = mail::compose(&letter, digest);
        let error = if options.dry_run {
            None
        } else {
            match mailer.send(&message).await {
                Ok(()) => None,
                Err(e) => {
                    tracing::error!(to = %message.to, error = %e, "reminder not sent");
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

    if !options.dry_run {
        let failed: Vec<String> = mails
            .iter()
            .filter(|m| m.error.is_some())
            .map(|m| m.to.clone())
            .collect();
        let counts = RunCounts {
            day: options.day.to_string(),
            officials: mails.iter().filter(|m| !m.head).count(),
            heads: mails.iter().filter(|m| m.head).count(),
            sent: mails.len() - failed.len(),
            failed: failed.len(),
            without_address: without_address.len(),
        };
        store::finish_day(
            db,
            &Actor::system("reminders"),
            options.day,
            &counts,
            &failed,
        )
        .await?;
        tracing::info!(
            day = %options.day,
            sent = counts.sent,
            failed = counts.failed,
            without_address = counts.without_address,
            "deadline reminders done"
        );
    }
    Ok(Outcome::Ran {
        mails,
        without_address,
    })
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

/// The next moment at `hour`:00 Warsaw time strictly after `now`. On a spring-forward
/// day an hour that does not exist is taken as the first instant after the gap.
pub fn next_run(now: &jiff::Zoned, hour: u8) -> jiff::Zoned {
    let tz = crate::WARSAW.clone();
    let now = now.with_time_zone(tz.clone());
    let at = |day: Date| {
        day.at(i8::try_from(hour.min(23)).unwrap_or(0), 0, 0, 0)
            .to_zoned(tz.clone())
    };
    match at(now.date()) {
        Ok(today) if today > now => today,
        _ => now
            .date()
            .tomorrow()
            .and_then(at)
            .unwrap_or_else(|_| now.clone()),
    }
}

/// Starts the daily task: at `reminder_hour` (Warsaw) every day it runs the reminders
/// for that day. When the server starts after the hour it runs for today at once (the
/// claim makes that a no-op if someone already did). Errors are logged; the server
/// keeps running.
pub fn spawn_daily(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let hour = state.config.reminder_hour;
        let settings = Settings::from_config(&state.config);
        let now = jiff::Zoned::now().with_time_zone(crate::WARSAW.clone());
        if now.hour() >= i8::try_from(hour).unwrap_or(0) {
            daily_run(&state, &settings).await;
        }
        loop {
            let now = jiff::Zoned::now();
            let next = next_run(&now, hour);
            let wait = now
                .duration_until(&next)
                .try_into()
                .unwrap_or(Duration::from_secs(3600));
            tokio::time::sleep(wait).await;
            daily_run(&state, &settings).await;
        }
    })
}

async fn daily_run(state: &AppState, settings: &Settings) {
    let options = RunOptions {
        day: state.clock.today(),
        dry_run: false,
        force: false,
    };
    match run(&state.db, &state.mailer, settings, options).await {
        Ok(Outcome::AlreadyClaimed) => {
            tracing::info!(day = %options.day, "deadline reminders already sent today");
        }
        Ok(Outcome::Ran { .. }) => {}
        Err(e) => tracing::error!(error = %e, "deadline reminders failed"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn warsaw(s: &str) -> jiff::Zoned {
        format!("{s}[Europe/Warsaw]").parse().unwrap()
    }

    #[test]
    fn next_run_times() {
        let table = [
            (
                "2026-11-30T06:59:59",
                7,
                "2026-11-30T07:00:00+01:00[Europe/Warsaw]",
            ),
            (
                "2026-11-30T07:00:00",
                7,
                "2026-12-01T07:00:00+01:00[Europe/Warsaw]",
            ),
            (
                "2026-11-30T23:30:00",
                0,
                "2026-12-01T00:00:00+01:00[Europe/Warsaw]",
            ),
            // Year end.
            (
                "2026-12-31T08:00:00",
                7,
                "2027-01-01T07:00:00+01:00[Europe/Warsaw]",
            ),
            // Clocks go forward on 29 March 2026 at 02:00: 02:00 does not exist.
            (
                "2026-03-29T01:00:00",
                2,
                "2026-03-29T03:00:00+02:00[Europe/Warsaw]",
            ),
            // Back on 25 October 2026: 07:00 exists once, in winter time.
            (
                "2026-10-24T08:00:00",
                7,
                "2026-10-25T07:00:00+01:00[Europe/Warsaw]",
            ),
        ];
        for (now, hour, expected) in table {
            assert_eq!(
                next_run(&warsaw(now), hour).to_string(),
                expected,
                "{now} at {hour}"
            );
        }
        // From UTC: 06:30 UTC is 07:30 in Warsaw in winter, so the next 07:00 is tomorrow.
        let utc: jiff::Zoned = "2026-11-30T06:30:00+00:00[UTC]".parse().unwrap();
        assert_eq!(
            next_run(&utc, 7).to_string(),
            "2026-12-01T07:00:00+01:00[Europe/Warsaw]"
        );
    }
}
