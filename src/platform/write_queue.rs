//! Group commit: writes that arrive while the database is busy share one transaction and
//! one fsync, each in its own savepoint.
//!
//! A caller [`submit`]s a job (a closure over the shared [`Tx`]). Jobs queue in arrival
//! order; one leader task per [`Db`] takes everything queued, opens one transaction,
//! runs each job between `SAVEPOINT` and `RELEASE` — a job that fails is rolled back to
//! its savepoint alone, taking back whatever it wrote (a register number included, so
//! numbering stays gapless) — and commits once (a batch of one needs no savepoint: a
//! failed lone job rolls the whole transaction back). Only then does each caller hear its
//! answer: nothing is acknowledged before it is durable (docs/decisions/0002). A lone job
//! runs at once in a batch of one, so group commit costs nothing when there is no queue;
//! under load, filings per second exceed the disk's fsync rate (docs/decisions/0021).
//!
//! The jobs run in the leader task, not in the caller's: a client that hangs up mid-way
//! does not cancel a batch that holds other people's filings.
//!
//! Knows nothing of what the jobs write.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

use crate::db::{Db, Tx};
use crate::with_tx;

/// At most this many jobs share one transaction: one slow batch must not hold back a
/// long queue's first answers for too long.
pub const MAX_BATCH: usize = 64;

/// A job's future, borrowing the shared transaction.
pub type JobFuture<'t, T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 't>>;

/// The queue of one database (held by [`Db`]; clones share it).
#[derive(Clone, Default)]
pub struct WriteQueue {
    shared: Arc<Mutex<Queue>>,
    counts: Arc<Counts>,
}

/// What the queue has done since the process started (also exported on /metrics as
/// `magistrat_group_commit_jobs`, one sample per batch).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Transactions committed (or failed) for queued jobs.
    pub batches: u64,
    /// Jobs run in them.
    pub jobs: u64,
    /// The most jobs one transaction held.
    pub largest_batch: u64,
    /// Jobs waiting now.
    pub queued: u64,
}

#[derive(Default)]
struct Counts {
    batches: AtomicU64,
    jobs: AtomicU64,
    largest_batch: AtomicU64,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Box<dyn Job>>,
    /// A leader task is running (it takes new jobs before it stops).
    leading: bool,
}

impl fmt::Debug for WriteQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WriteQueue")
    }
}

/// Runs `job` in a savepoint of a transaction shared with other queued jobs and answers
/// once that transaction is committed: `Ok` only when the job's writes are durable; the
/// job's own error when it failed (its writes undone, the others' kept); a commit
/// failure as `E::from` of a database error.
pub async fn submit<T, E, F>(db: &Db, job: F) -> Result<T, E>
where
    F: for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, T, E> + Send + 'static,
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    let (answer, answered) = oneshot::channel();
    db.write_queue().push(db, Box::new(Queued { job, answer }));
    answered
        .await
        .unwrap_or_else(|_| Err(E::from(sqlx::Error::WorkerCrashed)))
}

impl WriteQueue {
    pub fn stats(&self) -> Stats {
        let queued = self.lock().jobs.len() as u64;
        Stats {
            batches: self.counts.batches.load(Ordering::Relaxed),
            jobs: self.counts.jobs.load(Ordering::Relaxed),
            largest_batch: self.counts.largest_batch.load(Ordering::Relaxed),
            queued,
        }
    }

    fn counted(&self, size: usize) {
        let size = size as u64;
        self.counts.batches.fetch_add(1, Ordering::Relaxed);
        self.counts.jobs.fetch_add(size, Ordering::Relaxed);
        self.counts.largest_batch.fetch_max(size, Ordering::Relaxed);
        #[allow(clippy::cast_precision_loss)]
        metrics::histogram!("magistrat_group_commit_jobs").record(size as f64);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, db: &Db, job: Box<dyn Job>) {
        let mut queue = self.lock();
        queue.jobs.push_back(job);
        if !queue.leading {
            queue.leading = true;
            tokio::spawn(lead(db.clone()));
        }
    }

    /// Whether nothing is queued; if so the leader stops (a later `push` starts another).
    fn stop_if_idle(&self) -> bool {
        let mut queue = self.lock();
        if queue.jobs.is_empty() {
            queue.leading = false;
        }
        !queue.leading
    }

    /// The next batch: what queued, oldest first.
    fn take(&self) -> Vec<Box<dyn Job>> {
        let mut queue = self.lock();
        let n = queue.jobs.len().min(MAX_BATCH);
        queue.jobs.drain(..n).collect()
    }
}

/// The leader: batches until the queue is empty.
async fn lead(db: Db) {
    let queue = db.write_queue().clone();
    let _succession = Succession(db.clone());
    while !queue.stop_if_idle() {
        // Wait for the write lock first, then take what queued meanwhile: that is what
        // makes batches grow exactly when writers wait. (Only the leader takes, so the
        // queue is not empty here.)
        let tx = db.begin().await;
        let batch = queue.take();
        queue.counted(batch.len());
        match tx {
            Ok(tx) => run_batch(tx, batch).await,
            Err(e) => {
                tracing::error!(error = %e, "group commit: cannot begin a transaction");
                for job in batch {
                    job.fail(&e);
                }
            }
        }
    }
}

/// Should a job panic, the leader's task ends mid-batch: that batch's transaction rolls
/// back and its callers get an error (their answers are dropped), and this hands the
/// queue to a new leader, so later writers are not left waiting for one that is gone.
struct Succession(Db);

impl Drop for Succession {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let queue = self.0.write_queue();
        let mut waiting = queue.lock();
        if waiting.jobs.is_empty() {
            waiting.leading = false;
        } else {
            tokio::spawn(lead(self.0.clone()));
        }
    }
}

async fn run_batch(mut tx: Tx, mut batch: Vec<Box<dyn Job>>) {
    let size = batch.len();
    if size == 1
        && let Some(job) = batch.pop()
    {
        return run_alone(tx, job).await;
    }
    let mut ran: Vec<Box<dyn Ran>> = Vec::with_capacity(size);
    let mut jobs = batch.into_iter();
    let mut broken = None;
    for job in jobs.by_ref() {
        let mark = tx.savepoint_mark();
        if let Err(e) = execute(&mut tx, "SAVEPOINT write_job").await {
            job.fail(&e);
            broken = Some(e);
            break;
        }
        let done = job.run(&mut tx).await;
        let end = if done.kept() {
            execute(&mut tx, "RELEASE SAVEPOINT write_job").await
        } else {
            match execute(&mut tx, "ROLLBACK TO SAVEPOINT write_job").await {
                Ok(()) => {
                    tx.rolled_back_to(mark);
                    execute(&mut tx, "RELEASE SAVEPOINT write_job").await
                }
                Err(e) => Err(e),
            }
        };
        ran.push(done);
        if let Err(e) = end {
            broken = Some(e);
            break;
        }
    }
    let committed = match broken {
        // The transaction is unusable: roll it all back (dropping it does) and fail
        // whatever was not run.
        Some(e) => {
            drop(tx);
            for job in jobs {
                job.fail(&e);
            }
            Err(e)
        }
        None => tx.commit().await,
    };
    tracing::debug!(size, ok = committed.is_ok(), "group commit");
    for done in ran {
        done.answer(committed.as_ref().err());
    }
}

/// A batch of one needs no savepoint: the transaction is the job's alone, so a failed
/// job rolls the transaction back instead of its savepoint — the same outcome with two
/// statements fewer (and on SQLite no FTS5 flush at a `SAVEPOINT`;
/// docs/decisions/0021-speed.md). This is every write when there is no queue.
async fn run_alone(mut tx: Tx, job: Box<dyn Job>) {
    let done = job.run(&mut tx).await;
    let committed = if done.kept() {
        tx.commit().await
    } else {
        if let Err(e) = tx.rollback().await {
            tracing::warn!(error = %e, "group commit: rollback of a failed job failed");
        }
        Ok(())
    };
    tracing::debug!(size = 1, ok = committed.is_ok(), "group commit");
    done.answer(committed.as_ref().err());
}

async fn execute(tx: &mut Tx, sql: &'static str) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(sql).execute(c).await.map(drop))
}

/// A database error told to every job of a failed batch (sqlx's errors are not `Clone`).
fn shared_error(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(format!("group commit failed: {e}")))
}

/// A queued job, its type erased.
trait Job: Send {
    fn run<'t>(
        self: Box<Self>,
        tx: &'t mut Tx,
    ) -> Pin<Box<dyn Future<Output = Box<dyn Ran>> + Send + 't>>;
    /// Answers without running (the batch could not start).
    fn fail(self: Box<Self>, error: &sqlx::Error);
}

/// A job that ran, waiting for its batch's commit.
trait Ran: Send {
    /// Its writes stay (it succeeded).
    fn kept(&self) -> bool;
    fn answer(self: Box<Self>, commit_error: Option<&sqlx::Error>);
}

struct Queued<F, T, E> {
    job: F,
    answer: oneshot::Sender<Result<T, E>>,
}

struct Finished<T, E> {
    result: Result<T, E>,
    answer: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Job for Queued<F, T, E>
where
    F: for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, T, E> + Send + 'static,
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    fn run<'t>(
        self: Box<Self>,
        tx: &'t mut Tx,
    ) -> Pin<Box<dyn Future<Output = Box<dyn Ran>> + Send + 't>> {
        let Queued { job, answer } = *self;
        Box::pin(async move {
            let result = job(tx).await;
            Box::new(Finished { result, answer }) as Box<dyn Ran>
        })
    }

    fn fail(self: Box<Self>, error: &sqlx::Error) {
        // The caller may have gone (a closed connection): nobody to tell.
        let _ = self.answer.send(Err(E::from(shared_error(error))));
    }
}

impl<T, E> Ran for Finished<T, E>
where
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    fn kept(&self) -> bool {
        self.result.is_ok()
    }

    fn answer(self: Box<Self>, commit_error: Option<&sqlx::Error>) {
        let result = match (self.result, commit_error) {
            (Ok(_), Some(e)) => Err(E::from(shared_error(e))),
            (result, _) => result,
        };
        let _ = self.answer.send(result);
    }
}
