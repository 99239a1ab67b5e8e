//! Named periodic jobs, each run once per period across all app servers (decision 0017,
//! generalising 0012).
//!
//! A [`Job`] has a name, a [`Schedule`] (daily at an hour in Europe/Warsaw, or every N
//! minutes) and an async task. [`spawn`] (started by `serve`) runs every registered job:
//! at each scheduled moment, read from the office's clock, it claims `(job, period)` in
//! `job_run` in its own short transaction — of several app servers on one database only
//! one insert succeeds — runs the task and records what it reported. A task that fails
//! says it did nothing that must not be repeated: the claim is given back and the
//! runner tries the same period again a little later. Errors are logged; the server
//! keeps running.
//!
//! Capabilities register their jobs in the wiring (`cli::serve`); this module knows
//! none of them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, UtcTime};
use crate::{with_db, with_tx};

/// When a job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Every day at this hour (0–23) on the office's wall clock (Europe/Warsaw). On the
    /// day the clocks go forward an hour that does not exist runs an hour later; on the
    /// day they go back an hour that exists twice runs once, the first time.
    DailyAt { hour: u8 },
    /// Every N minutes (at least 1), in periods counted from the Unix epoch, so that
    /// every server agrees on them.
    EveryMinutes(u32),
}

/// One period of a schedule: what a run is claimed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// The key in `job_run`: the Warsaw date (`2026-12-07`) of a daily job, the UTC
    /// start (`2026-12-07T06:10:00Z`) of an every-N-minutes one.
    pub key: String,
    /// When the period starts (the scheduled moment).
    pub starts: Zoned,
}

impl Period {
    /// The day a daily job runs for: the period's date in Warsaw.
    pub fn day(&self) -> Date {
        self.starts.date()
    }
}

impl Schedule {
    /// The period due at `now`, if any: for a daily job, today's once its hour has come
    /// (a server started later in the day still runs it; yesterday's is not made up the
    /// next morning); for an every-N-minutes job, the one `now` falls in.
    pub fn due(&self, now: &Zoned) -> Option<Period> {
        let now = now.with_time_zone(crate::WARSAW.clone());
        match *self {
            Schedule::DailyAt { hour } => {
                let today = daily_moment(now.date(), hour)?;
                (today <= now).then(|| Period {
                    key: now.date().to_string(),
                    starts: today,
                })
            }
            Schedule::EveryMinutes(minutes) => {
                let length = period_seconds(minutes);
                let second = now.timestamp().as_second();
                let start = second - second.rem_euclid(length);
                let starts = Timestamp::from_second(start).ok()?;
                Some(Period {
                    key: starts.to_string(),
                    starts: starts.to_zoned(crate::WARSAW.clone()),
                })
            }
        }
    }

    /// The next scheduled moment after `now`.
    pub fn next_after(&self, now: &Zoned) -> Zoned {
        let now = now.with_time_zone(crate::WARSAW.clone());
        match *self {
            Schedule::DailyAt { hour } => {
                match daily_moment(now.date(), hour) {
                    Some(today) if today > now => return today,
                    _ => {}
                }
                now.date()
                    .tomorrow()
                    .ok()
                    .and_then(|d| daily_moment(d, hour))
                    .unwrap_or_else(|| now.clone())
            }
            Schedule::EveryMinutes(minutes) => {
                let length = period_seconds(minutes);
                let second = now.timestamp().as_second();
                let next = second - second.rem_euclid(length) + length;
                Timestamp::from_second(next)
                    .map(|t| t.to_zoned(crate::WARSAW.clone()))
                    .unwrap_or(now)
            }
        }
    }
}

fn period_seconds(minutes: u32) -> i64 {
    i64::from(minutes.max(1)) * 60
}

/// `hour`:00 on `day` in Warsaw; jiff's compatible rule resolves the missing hour of
/// the spring change forward and the repeated one of the autumn change to the first.
fn daily_moment(day: Date, hour: u8) -> Option<Zoned> {
    day.at(i8::try_from(hour.min(23)).unwrap_or(0), 0, 0, 0)
        .to_zoned(crate::WARSAW.clone())
        .ok()
}

/// What a finished run reports: stored in `job_run.detail`, and an audit event when the
/// run changed something people must be able to trace (mail sent), recorded in the
/// same transaction.
#[derive(Debug)]
pub struct Report {
    pub detail: serde_json::Value,
    pub audit: Option<(Actor, Change<'static>)>,
}

impl Report {
    pub fn detail(detail: serde_json::Value) -> Self {
        Self {
            detail,
            audit: None,
        }
    }
}

type TaskFuture = Pin<Box<dyn Future<Output = anyhow::Result<Report>> + Send>>;
type Task = Arc<dyn Fn(Db, Period) -> TaskFuture + Send + Sync>;

/// A named periodic job.
#[derive(Clone)]
pub struct Job {
    pub name: &'static str,
    pub schedule: Schedule,
    task: Task,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

impl Job {
    /// A job running `task` for each period. The task must return an error only when it
    /// did nothing that may not be done twice (the period is then tried again).
    pub fn new<F, Fut>(name: &'static str, schedule: Schedule, task: F) -> Self
    where
        F: Fn(Db, Period) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<Report>> + Send + 'static,
    {
        Self {
            name,
            schedule,
            task: Arc::new(move |db, period| Box::pin(task(db, period))),
        }
    }

    /// Claims `period` and runs the task: `Ok(true)` when this call ran it, `Ok(false)`
    /// when another runner has the period.
    pub async fn run_period(&self, db: &Db, period: &Period) -> anyhow::Result<bool> {
        let task = (self.task)(db.clone(), period.clone());
        let ran = run_claimed(db, self.name, &period.key, false, async move {
            task.await.map(|report| ((), report))
        })
        .await?;
        Ok(ran.is_some())
    }
}

/// Claims `(job, period)`, runs `work` and records its report; `Ok(None)` when the
/// period was already claimed. `force` takes over an existing claim (its record reset).
/// When `work` fails the claim is given back.
pub async fn run_claimed<T>(
    db: &Db,
    job: &str,
    period: &str,
    force: bool,
    work: impl Future<Output = anyhow::Result<(T, Report)>>,
) -> anyhow::Result<Option<T>> {
    if !claim(db, job, period, force).await? {
        return Ok(None);
    }
    match work.await {
        Ok((value, report)) => {
            finish(db, job, period, report).await?;
            Ok(Some(value))
        }
        Err(e) => {
            if let Err(release_error) = release(db, job, period).await {
                tracing::error!(job, period, error = %release_error, "claim not given back");
            }
            Err(e)
        }
    }
}

/// Claims the period: inserts `(job, period)` in its own transaction. Of several
/// servers (or a server and the CLI) only one insert succeeds; the others get `false`
/// (on PostgreSQL a concurrent insert of the same key waits for the first transaction
/// and then affects nothing; SQLite serialises writers). With `force` an existing row
/// is taken over.
pub async fn claim(db: &Db, job: &str, period: &str, force: bool) -> Result<bool, sqlx::Error> {
    let sql = if force {
        "INSERT INTO job_run (job, period, started_at) VALUES ($1, $2, $3) \
         ON CONFLICT (job, period) DO UPDATE SET started_at = excluded.started_at, \
         finished_at = NULL, detail = '{}'"
    } else {
        "INSERT INTO job_run (job, period, started_at) VALUES ($1, $2, $3) \
         ON CONFLICT (job, period) DO NOTHING"
    };
    let mut tx = db.begin().await?;
    let now = tx.now();
    let inserted = with_tx!(&mut tx, |c| {
        sqlx::query(sql)
            .bind(job)
            .bind(period)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    tx.commit().await?;
    Ok(inserted == 1)
}

/// Gives back a claimed period on which nothing was done.
pub async fn release(db: &Db, job: &str, period: &str) -> Result<(), sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query("DELETE FROM job_run WHERE job = $1 AND period = $2 AND finished_at IS NULL")
            .bind(job)
            .bind(period)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records the end of a run and its audit event, in one transaction.
pub async fn finish(db: &Db, job: &str, period: &str, report: Report) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let now = tx.now();
    with_tx!(&mut tx, |c| {
        sqlx::query(
            "UPDATE job_run SET finished_at = $1, detail = $2 WHERE job = $3 AND period = $4",
        )
        .bind(now)
        .bind(report.detail.to_string())
        .bind(job)
        .bind(period)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    if let Some((actor, change)) = report.audit {
        audit::record(&mut tx, &actor, change).await?;
    }
    tx.commit().await
}

/// A recorded run.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRun {
    pub started_at: UtcTime,
    pub finished_at: Option<UtcTime>,
    pub detail: serde_json::Value,
}

/// The record of `(job, period)`, if claimed.
pub async fn recorded(db: &Db, job: &str, period: &str) -> Result<Option<JobRun>, sqlx::Error> {
    let row: Option<(UtcTime, Option<UtcTime>, String)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT started_at, finished_at, detail FROM job_run WHERE job = $1 AND period = $2",
        )
        .bind(job)
        .bind(period)
        .fetch_optional(c)
        .await
    })?;
    Ok(row.map(|(started_at, finished_at, detail)| JobRun {
        started_at,
        finished_at,
        detail: serde_json::from_str(&detail).unwrap_or_default(),
    }))
}

/// Forgets the runs of `job` that started before `before` (a job every few minutes
/// would otherwise grow `job_run` by a row each time).
async fn forget_runs(db: &Db, job: &str, before: UtcTime) -> Result<u64, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query("DELETE FROM job_run WHERE job = $1 AND started_at < $2")
            .bind(job)
            .bind(before)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
}

/// How long the runs of an every-N-minutes job stay in `job_run`.
const MINUTE_JOB_HISTORY: SignedDuration = SignedDuration::from_hours(7 * 24);

/// A failed period is tried again after this long (if it is still due).
const RETRY: Duration = Duration::from_secs(300);

/// The longest a runner sleeps before it looks at the clock again: the office's clock
/// may be set or the system clock corrected meanwhile.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);

/// The running jobs of this server; dropping it stops them.
#[derive(Debug)]
pub struct Runner {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Runner {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts one task per job on this server.
pub fn spawn(db: &Db, jobs: Vec<Job>) -> Runner {
    let tasks = jobs
        .into_iter()
        .map(|job| tokio::spawn(keep_running(db.clone(), job)))
        .collect();
    Runner { tasks }
}

/// Runs the job's due period whenever there is one this runner has not yet seen done,
/// then sleeps until the next scheduled moment.
async fn keep_running(db: Db, job: Job) {
    let mut done: Option<String> = None;
    let mut retry_at: Option<Timestamp> = None;
    loop {
        let now = db.clock().now_in_warsaw();
        let waiting = retry_at.is_some_and(|at| now.timestamp() < at);
        if let Some(period) = job.schedule.due(&now)
            && done.as_ref() != Some(&period.key)
            && !waiting
        {
            // In a task of its own: a panic in the job is an error of this run, not the
            // end of the runner.
            let run = {
                let (db, job, period) = (db.clone(), job.clone(), period.clone());
                tokio::spawn(async move { job.run_period(&db, &period).await })
            };
            let result = run
                .await
                .unwrap_or_else(|e| Err(anyhow::anyhow!("the job panicked: {e}")));
            match result {
                Ok(ran) => {
                    if !ran {
                        tracing::info!(job = job.name, period = %period.key, "job already run by another server");
                    }
                    done = Some(period.key);
                    retry_at = None;
                    if ran && matches!(job.schedule, Schedule::EveryMinutes(_)) {
                        let before = db.clock().now().checked_add(-MINUTE_JOB_HISTORY);
                        if let Err(e) = forget_runs(&db, job.name, before).await {
                            tracing::warn!(job = job.name, error = %e, "old job runs not removed");
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(job = job.name, period = %period.key, error = %e, "job failed; will try again");
                    retry_at = now.timestamp().checked_add(RETRY).ok();
                }
            }
        }
        let now = db.clock().now_in_warsaw();
        let mut wake = job.schedule.next_after(&now).timestamp();
        if let Some(at) = retry_at {
            wake = wake.min(at);
        }
        let wait = Duration::try_from(now.timestamp().duration_until(wake))
            .unwrap_or(Duration::ZERO)
            .min(LONGEST_SLEEP);
        tokio::time::sleep(wait.max(Duration::from_millis(10))).await;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn warsaw(s: &str) -> Zoned {
        format!("{s}[Europe/Warsaw]").parse().unwrap()
    }

    #[test]
    fn daily_next_run() {
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
            // Leap day.
            (
                "2028-02-28T09:00:00",
                7,
                "2028-02-29T07:00:00+01:00[Europe/Warsaw]",
            ),
            // Clocks go forward on 29 March 2026 at 02:00: 02:00 does not exist.
            (
                "2026-03-29T01:00:00",
                2,
                "2026-03-29T03:00:00+02:00[Europe/Warsaw]",
            ),
            // The day after, 02:00 is summer time.
            (
                "2026-03-29T04:00:00",
                2,
                "2026-03-30T02:00:00+02:00[Europe/Warsaw]",
            ),
            // Back on 25 October 2026: 07:00 exists once, in winter time.
            (
                "2026-10-24T08:00:00",
                7,
                "2026-10-25T07:00:00+01:00[Europe/Warsaw]",
            ),
            // 02:00 exists twice on 25 October: the first (summer time) one.
            (
                "2026-10-25T00:30:00",
                2,
                "2026-10-25T02:00:00+02:00[Europe/Warsaw]",
            ),
        ];
        for (now, hour, expected) in table {
            assert_eq!(
                Schedule::DailyAt { hour }
                    .next_after(&warsaw(now))
                    .to_string(),
                expected,
                "{now} at {hour}"
            );
        }
        // From UTC: 06:30 UTC is 07:30 in Warsaw in winter, so the next 07:00 is tomorrow.
        let utc: Zoned = "2026-11-30T06:30:00+00:00[UTC]".parse().unwrap();
        assert_eq!(
            Schedule::DailyAt { hour: 7 }.next_after(&utc).to_string(),
            "2026-12-01T07:00:00+01:00[Europe/Warsaw]"
        );
    }

    #[test]
    fn daily_due_period() {
        let table = [
            // Before the hour nothing is due (yesterday's is not made up).
            ("2026-11-30T06:59:59", 7, None),
            ("2026-11-30T07:00:00", 7, Some("2026-11-30")),
            ("2026-11-30T23:59:59", 7, Some("2026-11-30")),
            // 23:30 UTC on 31 December is 00:30 on 1 January in Warsaw.
            ("2027-01-01T00:30:00", 0, Some("2027-01-01")),
            // Spring forward: a 02:00 job is due from 03:00 summer time.
            ("2026-03-29T03:00:00", 2, Some("2026-03-29")),
            // Autumn back: a 02:00 job is due from the first 02:00 (summer time).
            ("2026-10-25T02:30:00+02:00", 2, Some("2026-10-25")),
            ("2026-10-25T01:59:00", 2, None),
        ];
        for (now, hour, expected) in table {
            let due = Schedule::DailyAt { hour }.due(&warsaw(now));
            assert_eq!(
                due.as_ref().map(|p| p.key.as_str()),
                expected,
                "{now} at {hour}"
            );
            if let Some(p) = due {
                assert_eq!(p.day().to_string(), p.key);
            }
        }
        // A server on UTC computes the Warsaw date: 23:30 UTC on 31 December.
        let utc: Zoned = "2026-12-31T23:30:00+00:00[UTC]".parse().unwrap();
        assert_eq!(
            Schedule::DailyAt { hour: 0 }.due(&utc).unwrap().key,
            "2027-01-01"
        );
    }

    #[test]
    fn every_minutes_periods() {
        let table = [
            // (now, minutes, due key, next run)
            (
                "2026-12-07T07:10:00+01:00",
                10,
                "2026-12-07T06:10:00Z",
                "2026-12-07T06:20:00Z",
            ),
            (
                "2026-12-07T07:19:59+01:00",
                10,
                "2026-12-07T06:10:00Z",
                "2026-12-07T06:20:00Z",
            ),
            (
                "2026-12-07T07:59:00+01:00",
                60,
                "2026-12-07T06:00:00Z",
                "2026-12-07T07:00:00Z",
            ),
            // Across the autumn change the periods go on evenly (they count UTC).
            (
                "2026-10-25T02:30:00+01:00",
                60,
                "2026-10-25T01:00:00Z",
                "2026-10-25T02:00:00Z",
            ),
            (
                "2026-10-25T02:30:00+02:00",
                60,
                "2026-10-25T00:00:00Z",
                "2026-10-25T01:00:00Z",
            ),
            // Across midnight and the year.
            (
                "2027-01-01T00:59:00+01:00",
                90,
                "2026-12-31T22:30:00Z",
                "2027-01-01T00:00:00Z",
            ),
            // Zero minutes counts as one.
            (
                "2026-12-07T07:10:30+01:00",
                0,
                "2026-12-07T06:10:00Z",
                "2026-12-07T06:11:00Z",
            ),
        ];
        for (now, minutes, key, next) in table {
            let now = warsaw(now);
            let schedule = Schedule::EveryMinutes(minutes);
            let due = schedule.due(&now).unwrap();
            assert_eq!(due.key, key, "{now} every {minutes}");
            assert_eq!(due.starts.timestamp().to_string(), key);
            assert_eq!(
                schedule.next_after(&now).timestamp().to_string(),
                next,
                "{now} every {minutes}"
            );
        }
    }
}
