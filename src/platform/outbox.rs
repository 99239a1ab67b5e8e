//! Mail owed to someone, kept until the mail server takes it (decision 0057).
//!
//! A capability that owes a message records it with [`owe`] in the transaction that
//! creates the debt (the step that settles a case writes the settlement notice's row
//! with the case's new state), so the debt and the change commit together or not at
//! all. The [`Outbox`] sends what is due: at once after the commit ([`Outbox::send_soon`])
//! and, for whatever failed or was left behind by a crash or a restart, on every run of
//! its job (`mail-outbox`, every minute, [`Outbox::job`]), retrying at growing intervals
//! ([`retry_delay`]) until [`MAX_ATTEMPTS`].
//!
//! The message is built when it is sent, from the data as it is then, by the composer
//! the capability registered for its purpose ([`Outbox::with`]); a composer that finds
//! nothing to send (no address) ends the row as `nothing`. Several app servers share the
//! table: a row is claimed for a while by one conditional update before it is sent, so
//! two servers never send it both; a server that dies while sending leaves the claim to
//! expire, and the row is sent again — at least once, at most once more after a crash
//! between the send and its record.
//!
//! This module knows no capability: purposes and composers come from the wiring.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use jiff::SignedDuration;

use crate::db::{Db, Tx, UtcTime};
use crate::mailer::{Mailer, RichMail};
use crate::platform::jobs::{Job, Report, Schedule};
use crate::{execute_tx, with_db};

/// Attempts before a message is given up (`failed`): with [`retry_delay`] the last one
/// comes about 29 hours after the first — a mail server down over a night and a day is
/// waited out.
pub const MAX_ATTEMPTS: i64 = 12;

/// The job's name in `job_run`.
pub const JOB: &str = "mail-outbox";

/// How long a sender holds a row it is sending: longer than any SMTP conversation.
const CLAIM: SignedDuration = SignedDuration::from_mins(5);

/// Rows a run sends at most (the rest wait for the next run or kick).
const BATCH: i64 = 100;

/// The wait before attempt `attempts + 1` after `attempts` failed ones: 1, 2, 4, 8 …
/// minutes, at most 12 hours: a mail server that is down is not knocked on every minute.
pub fn retry_delay(attempts: i64) -> SignedDuration {
    let doubling = u32::try_from(attempts.clamp(1, 11) - 1).unwrap_or(0);
    let minutes = (1_i64 << doubling).min(12 * 60);
    SignedDuration::from_mins(minutes)
}

/// Records in `tx` that the message of `purpose` about `subject_id` is owed; owing it
/// again is nothing new.
pub async fn owe(tx: &mut Tx, purpose: &str, subject_id: i64) -> Result<(), sqlx::Error> {
    let now = tx.now();
    execute_tx!(
        tx,
        "INSERT INTO mail_outbox (purpose, subject_id, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (purpose, subject_id) DO NOTHING",
        purpose,
        subject_id,
        now
    )?;
    Ok(())
}

/// What a composer says about a subject: the message, or nothing to send.
pub type Composed = Result<Option<RichMail>, String>;

/// Builds the message of one purpose for a subject, from the data as it is now.
pub type Composer =
    Arc<dyn Fn(i64) -> Pin<Box<dyn Future<Output = Composed> + Send>> + Send + Sync>;

/// The sender of owed mail (cloned cheaply; one per process).
#[derive(Clone)]
pub struct Outbox {
    db: Db,
    mailer: Mailer,
    composers: Arc<HashMap<&'static str, Composer>>,
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    pub sent: u64,
    pub nothing: u64,
    pub retried: u64,
    pub failed: u64,
}

/// One owed message as read for sending.
struct Owed {
    id: i64,
    purpose: String,
    subject_id: i64,
    attempts: i64,
}

impl Outbox {
    pub fn new(db: Db, mailer: Mailer) -> Self {
        Self {
            db,
            mailer,
            composers: Arc::default(),
        }
    }

    /// This outbox with `composer` building the messages of `purpose`.
    #[must_use]
    pub fn with(mut self, purpose: &'static str, composer: Composer) -> Self {
        Arc::make_mut(&mut self.composers).insert(purpose, composer);
        self
    }

    /// Sends what is due without holding up the caller (after a commit that owed mail).
    pub fn send_soon(&self) {
        let outbox = self.clone();
        tokio::spawn(async move {
            if let Err(error) = outbox.send_due().await {
                tracing::error!(%error, "owed mail not sent now; the outbox job retries");
            }
        });
    }

    /// Sends every message due now (up to a batch), each claimed first.
    pub async fn send_due(&self) -> Result<Run, sqlx::Error> {
        let now = self.db.clock().now();
        let due: Vec<(i64, String, i64, i64)> = with_db!(self.db, |c| {
            sqlx::query_as(
                "SELECT id, purpose, subject_id, CAST(attempts AS BIGINT) FROM mail_outbox \
                 WHERE state = 'pending' AND next_attempt_at <= $1 \
                 AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY id LIMIT $2",
            )
            .bind(now)
            .bind(BATCH)
            .fetch_all(c)
            .await
        })?;
        let mut run = Run::default();
        for (id, purpose, subject_id, attempts) in due {
            let owed = Owed {
                id,
                purpose,
                subject_id,
                attempts,
            };
            if self.claim(&owed, now).await? {
                self.send_one(&owed, &mut run).await?;
            }
        }
        Ok(run)
    }

    /// Takes the row for this sender; false when another took it first.
    async fn claim(&self, owed: &Owed, now: UtcTime) -> Result<bool, sqlx::Error> {
        let until = UtcTime::from_timestamp(now.0.checked_add(CLAIM).unwrap_or(now.0));
        let taken = with_db!(self.db, |c| {
            sqlx::query(
                "UPDATE mail_outbox SET claimed_until = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND state = 'pending' AND attempts = $3 \
                 AND (claimed_until IS NULL OR claimed_until < $4)",
            )
            .bind(until)
            .bind(owed.id)
            .bind(owed.attempts)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(taken == 1)
    }

    async fn send_one(&self, owed: &Owed, run: &mut Run) -> Result<(), sqlx::Error> {
        let attempt = owed.attempts + 1;
        let composed = match self.composers.get(owed.purpose.as_str()) {
            Some(compose) => compose(owed.subject_id).await,
            None => Err(format!("no composer for `{}`", owed.purpose)),
        };
        let outcome = match composed {
            Ok(None) => Ok(false),
            Ok(Some(mail)) => self
                .mailer
                .send_rich(&mail)
                .await
                .map(|()| true)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let (purpose, subject_id) = (owed.purpose.as_str(), owed.subject_id);
        match outcome {
            Ok(true) => {
                self.finish(owed.id, "sent", "").await?;
                run.sent += 1;
                tracing::info!(purpose, subject_id, "owed mail sent");
            }
            Ok(false) => {
                self.finish(owed.id, "nothing", "").await?;
                run.nothing += 1;
            }
            Err(error) if attempt >= MAX_ATTEMPTS => {
                self.finish(owed.id, "failed", &error).await?;
                run.failed += 1;
                tracing::error!(purpose, subject_id, attempt, %error, "owed mail given up");
            }
            Err(error) => {
                self.retry_later(owed.id, attempt, &error).await?;
                run.retried += 1;
                tracing::warn!(purpose, subject_id, attempt, %error, "owed mail not sent; retried later");
            }
        }
        Ok(())
    }

    async fn finish(&self, id: i64, state: &str, error: &str) -> Result<(), sqlx::Error> {
        let now = self.db.clock().now();
        with_db!(self.db, |c| {
            sqlx::query(
                "UPDATE mail_outbox SET state = $1, done_at = $2, claimed_until = NULL, \
                 last_error = $3 WHERE id = $4",
            )
            .bind(state)
            .bind(now)
            .bind(error)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    async fn retry_later(&self, id: i64, attempt: i64, error: &str) -> Result<(), sqlx::Error> {
        let now = self.db.clock().now();
        let next =
            UtcTime::from_timestamp(now.0.checked_add(retry_delay(attempt)).unwrap_or(now.0));
        with_db!(self.db, |c| {
            sqlx::query(
                "UPDATE mail_outbox SET next_attempt_at = $1, claimed_until = NULL, \
                 last_error = $2 WHERE id = $3",
            )
            .bind(next)
            .bind(error)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The job that sends what is due every minute (decision 0017's runner: one server
    /// a minute; the rows' claims keep it apart from kicks on other servers).
    pub fn job(&self) -> Job {
        let outbox = self.clone();
        Job::new(JOB, Schedule::EveryMinutes(1), move |_db, _period| {
            let outbox = outbox.clone();
            async move {
                let run = outbox.send_due().await?;
                Ok(Report::detail(serde_json::json!({
                    "sent": run.sent,
                    "nothing": run.nothing,
                    "retried": run.retried,
                    "failed": run.failed,
                })))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_half_a_day() {
        let table = [
            (1, 1),
            (2, 2),
            (3, 4),
            (4, 8),
            (5, 16),
            (6, 32),
            (7, 64),
            (8, 128),
            (9, 256),
            (10, 512),
            (11, 720),
            (50, 720),
        ];
        for (attempts, minutes) in table {
            assert_eq!(
                retry_delay(attempts),
                SignedDuration::from_mins(minutes),
                "after {attempts} attempts"
            );
        }
    }

    #[test]
    fn the_last_attempt_comes_about_29_hours_after_the_first() {
        let total: i64 = (1..MAX_ATTEMPTS).map(|a| retry_delay(a).as_mins()).sum();
        // 1 + 2 + … + 512 minutes, then 720.
        assert_eq!(total, 1023 + 720);
    }
}
