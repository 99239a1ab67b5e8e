//! Storage: one code path over SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! [`Db`] holds a native pool of either kind. Queries are written once and run through
//! [`with_db!`] or [`with_tx!`], which expand the same expression for each backend, so
//! every bound and decoded type is checked against both at compile time, while the SQL
//! text is checked by the test suite running on both (see docs/decisions/0001).

pub mod audit;
pub mod bulk;
pub mod row;
mod time;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::platform::Clock;
use crate::platform::events::{Event, EventHub};
use crate::platform::write_queue::WriteQueue;

pub use time::UtcTime;

/// Runs `$body` with `$c` bound to the backend's pool (`&SqlitePool` or `&PgPool`).
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$c:ident| $body:expr) => {
        match &$db.pool {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.conn {
            $crate::db::TxConn::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::TxConn::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Runs one write in the transaction, on either backend: `$sql` with the arguments bound
/// in order; the number of rows it changed (`Result<u64, sqlx::Error>`).
///
/// ```ignore
/// execute_tx!(tx, "UPDATE case_file SET closed_at = $1 WHERE id = $2", now, case_id)?;
/// ```
#[macro_export]
macro_rules! execute_tx {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::with_tx!($tx, |c| {
            sqlx::query($sql)
                $(.bind($arg))*
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })
    };
}

/// The database: a pool of either backend, the office's clock, so that every stored
/// moment comes from one clock (a test or a demo may set it), and this process's hub of
/// live events (`platform::events`).
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: Pool,
    clock: Clock,
    /// SQLite's single write lock, handed out in arrival order (see [`Db::begin`]).
    write_turn: Arc<Semaphore>,
    /// Group commit (platform::write_queue).
    write_queue: WriteQueue,
    events: EventHub,
}

/// A native connection pool of either backend.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either backend, with the moment it began: every row and audit
/// event it writes carries that one moment (as kanidm's write transactions carry their
/// current time). Dropped without [`Tx::commit`] it rolls back, so an error anywhere in
/// a handler leaves nothing half-written.
pub struct Tx {
    pub conn: TxConn,
    now: UtcTime,
    /// SQLite: this process's turn to write, given back when the transaction ends.
    _turn: Option<OwnedSemaphorePermit>,
    /// Live events published in this transaction, handed to this process's hub after
    /// the commit (SQLite; PostgreSQL delivers its notifications at commit itself).
    after_commit: Vec<Event>,
    events: EventHub,
    /// The audit chain's head as this transaction has moved it (`db::audit`): read and
    /// locked at the first event, written back once, at commit.
    audit_head: audit::HeadState,
}

/// The state of a [`Tx`] at a savepoint (see [`Tx::savepoint_mark`]).
pub(crate) struct SavepointMark(audit::HeadState);

/// The native transaction inside a [`Tx`].
pub enum TxConn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database address, parsed: `sqlite://PATH` (`sqlite::memory:` for tests) or
/// `postgres://…` / `postgresql://…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    SqliteMemory,
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
#[error("unsupported database URL (expected sqlite://PATH or postgres://…)")]
pub struct UnsupportedUrl;

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, UnsupportedUrl> {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            return Ok(Self::SqliteMemory);
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(UnsupportedUrl);
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        Err(UnsupportedUrl)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Url(#[from] UnsupportedUrl),
    #[error("cannot create the directory for the database file {0}: {1}")]
    Directory(PathBuf, std::io::Error),
    #[error("cannot open the database: {0}")]
    Open(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Opens a pool. For SQLite: WAL, foreign keys on, `synchronous=FULL` so that a
    /// committed case number or ticket survives a power loss, not only a process crash
    /// (docs/decisions/0002), and a busy timeout so writers queue instead of failing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, ConnectError> {
        match DatabaseUrl::parse(url)? {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| ConnectError::Directory(dir.into(), e))?;
                }
                let options = sqlite_options(SqliteConnectOptions::new().filename(&path))
                    .create_if_missing(true);
                // A file on this machine cannot go away under an open connection, so
                // the ping sqlx makes before handing out each connection is pure cost.
                let pool = SqlitePoolOptions::new()
                    .max_connections(max_connections)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(ConnectError::Open)?;
                Ok(Db::new(Pool::Sqlite(pool)))
            }
            DatabaseUrl::SqliteMemory => {
                // One connection: every in-memory connection would be its own database.
                let options = sqlite_options(
                    SqliteConnectOptions::from_str("sqlite::memory:")
                        .map_err(ConnectError::Open)?,
                );
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await
                    .map_err(ConnectError::Open)?;
                Ok(Db::new(Pool::Sqlite(pool)))
            }
            DatabaseUrl::Postgres(url) => {
                let options = PgConnectOptions::from_str(&url).map_err(ConnectError::Open)?;
                // No ping before handing out a connection either: sqlx already pings
                // every connection when it comes back to the pool (and closes it if
                // that fails), so the second ping only cost each query one more round
                // trip to a PostgreSQL backend (docs/decisions/0040). A connection
                // that died while idle fails its next query, as any query can fail.
                let pool = PgPoolOptions::new()
                    .max_connections(max_connections)
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await
                    .map_err(ConnectError::Open)?;
                Ok(Db::new(Pool::Postgres(pool)))
            }
        }
    }

    /// A handle on `pool` reading the system clock.
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            clock: Clock::system(),
            write_turn: Arc::new(Semaphore::new(1)),
            write_queue: WriteQueue::default(),
            events: EventHub::default(),
        }
    }

    /// The same database read through `clock` (from `MAGISTRAT_CLOCK`, or a test's).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The group-commit queue of this database (platform::write_queue::submit).
    pub fn write_queue(&self) -> &WriteQueue {
        &self.write_queue
    }

    /// This process's hub of live events.
    pub fn events(&self) -> &EventHub {
        &self.events
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations of this backend's folder.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
    /// SQLITE_BUSY when another writer got in between, instead of waiting its turn.
    ///
    /// SQLite has one writer at a time, and its busy handler makes the others sleep and
    /// retry with a back-off of up to 100 ms: whoever happens to retry at the right
    /// moment wins, so under load some writers lose again and again (a filing's p99 was
    /// 1.6 s at 4 concurrent writers, docs/decisions/0021). So the writers of this
    /// process first wait for their turn in arrival order (tokio's semaphore is fair)
    /// and only then open the transaction; the busy timeout is left for other processes
    /// (the CLI). A transaction must therefore never be begun while the same task holds
    /// another one: it would wait for itself.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let (conn, turn) = match &self.pool {
            Pool::Sqlite(pool) => {
                let turn = Arc::clone(&self.write_turn)
                    .acquire_owned()
                    .await
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                let conn = TxConn::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?);
                (conn, Some(turn))
            }
            Pool::Postgres(pool) => (TxConn::Postgres(pool.begin().await?), None),
        };
        Ok(Tx {
            conn,
            now: self.clock.now(),
            _turn: turn,
            after_commit: Vec::new(),
            events: self.events.clone(),
            audit_head: audit::HeadState::default(),
        })
    }

    /// Answers whether the database takes queries (readiness probe).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_db!(self, |c| sqlx::query("SELECT 1")
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn close(&self) {
        with_db!(self, |c| c.close().await);
    }
}

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

impl Tx {
    /// Commits, then announces the live events published inside (nothing is announced
    /// that did not commit; a transaction dropped without commit announces nothing).
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        audit::write_head(&mut self).await?;
        if self.after_commit.is_empty() {
            return match self.conn {
                TxConn::Sqlite(t) => t.commit().await,
                TxConn::Postgres(t) => t.commit().await,
            };
        }
        // In commit order: a later publisher's commit waits until these are handed out.
        let _turn = self.events.commit_turn().await;
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        self.events.deliver(self.after_commit);
        Ok(())
    }

    /// Rolls back on purpose (dropping the transaction does the same) and gives up the
    /// write turn at once; its live events are never announced.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.conn {
            TxConn::Sqlite(t) => t.rollback().await,
            TxConn::Postgres(t) => t.rollback().await,
        }
    }

    /// What a savepoint must restore besides the database's rows: the audit head this
    /// transaction holds. Take it before `SAVEPOINT`, give it to
    /// [`Tx::rolled_back_to`] after `ROLLBACK TO SAVEPOINT` (platform::write_queue).
    pub(crate) fn savepoint_mark(&self) -> SavepointMark {
        SavepointMark(self.audit_head.clone())
    }

    /// The savepoint of `mark` was rolled back: so is the audit head (its events are
    /// gone, and on PostgreSQL so is the head's row lock if it was taken after it).
    pub(crate) fn rolled_back_to(&mut self, mark: SavepointMark) {
        self.audit_head = mark.0;
    }

    pub(crate) fn audit_head(&mut self) -> &mut audit::HeadState {
        &mut self.audit_head
    }

    /// Keeps `event` for this process's subscribers until the commit.
    pub(crate) fn after_commit(&mut self, event: Event) {
        self.after_commit.push(event);
    }

    pub(crate) fn is_sqlite(&self) -> bool {
        matches!(self.conn, TxConn::Sqlite(_))
    }

    /// The moment the transaction began, by the office's clock.
    pub fn now(&self) -> UtcTime {
        self.now
    }
}

/// The migration versions of each backend; a test keeps the two folders in step.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    let versions = |m: &sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect();
    (versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS))
}

/// Writes a consistent copy of a live SQLite database to `path` (`VACUUM INTO` reads
/// one snapshot while writers go on).
pub async fn backup_sqlite(db: &Db, path: &std::path::Path) -> Result<(), sqlx::Error> {
    let Pool::Sqlite(pool) = &db.pool else {
        return Err(sqlx::Error::Configuration(
            "backup_sqlite needs a SQLite database".into(),
        ));
    };
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().into_owned())
        .execute(pool)
        .await
        .map(|r| r.rows_affected())?;
    Ok(())
}

/// Whether an error is a unique-constraint violation (a duplicate login, symbol, …).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_database_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/m.db").unwrap(),
            DatabaseUrl::Sqlite("data/m.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/m.db?mode=rwc").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/m.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").unwrap(),
            DatabaseUrl::SqliteMemory
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://root@127.0.0.1/test").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn migration_folders_stay_in_step() {
        let (sqlite, postgres) = migration_versions();
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
