//! Data that every request reads and that seldom changes (the service catalogue, the
//! BIP's search index), kept by each app server between requests and checked against
//! a version row in the database on every use: one cheap query when nothing changed, a
//! reload when anything did — on any app server, since the version is bumped in the
//! database by the write that changed the data.
//!
//! The version reads themselves are shared ([`SharedReads`]): requests that want the
//! version while one is being read wait for the next read and all take its answer, so
//! under load one round trip serves many requests — yet every request still sees a
//! version read *after* it arrived, so a change committed before it is never missed
//! (docs/decisions/0040-page-cost-second-pass.md).

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// What a [`Snapshots`] keeps: the data as loaded at a version of the database.
pub trait Versioned: Default {
    /// The database version this was loaded at. The default value's is 0, which the
    /// database never stores (its version rows start at 1): the first use loads.
    fn version(&self) -> i64;
}

/// One app server's current snapshot of `T`, shared by its requests.
pub struct Snapshots<T> {
    current: Arc<RwLock<Arc<T>>>,
    /// One reload at a time: requests arriving during a reload wait for it rather than
    /// each reading the whole data again.
    reloading: Arc<tokio::sync::Mutex<()>>,
    /// The version reads, shared by the requests waiting at the same time.
    versions: SharedReads,
}

impl<T> Clone for Snapshots<T> {
    fn clone(&self) -> Self {
        Self {
            current: self.current.clone(),
            reloading: self.reloading.clone(),
            versions: self.versions.clone(),
        }
    }
}

impl<T: Versioned> Default for Snapshots<T> {
    fn default() -> Self {
        Self {
            current: Arc::new(RwLock::new(Arc::new(T::default()))),
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            versions: SharedReads::default(),
        }
    }
}

/// Reads of a version number shared by concurrent requests, without ever answering a
/// request with a number read before it arrived.
///
/// Reads are numbered as they start and run one at a time. A request notes how many
/// had started when it arrived, then waits its turn (tokio's mutex is fair, first come
/// first served): if a read that started *after* its arrival has finished meanwhile, it
/// takes that read's number — the read saw every commit made before the request came —
/// otherwise it reads itself. So a lone request makes one read, as before, and under
/// load the requests that arrive during one read share the next one: one round trip
/// for a whole queue instead of one each (and one pooled connection busy, not one per
/// request). A failed read answers only the request that made it; the next in line
/// reads again.
#[derive(Clone, Default)]
pub struct SharedReads {
    /// How many reads have started (incremented when one starts, under `last`).
    started: Arc<AtomicU64>,
    /// The latest finished read: its number and what it read.
    last: Arc<tokio::sync::Mutex<(u64, i64)>>,
}

impl SharedReads {
    /// The version as of a moment after this call began: `read`'s own answer, or that of
    /// a read another request started later than this call and that already finished.
    /// `read` is only awaited when this request makes the read.
    pub async fn read<E>(&self, read: impl Future<Output = Result<i64, E>>) -> Result<i64, E> {
        let arrived = self.started.load(Ordering::SeqCst);
        let mut last = self.last.lock().await;
        if last.0 > arrived {
            return Ok(last.1);
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let version = read.await?;
        *last = (number, version);
        Ok(version)
    }
}

impl<T: Versioned> Snapshots<T> {
    fn cached(&self) -> Arc<T> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The data as the database has it now. `version` reads the version row (shared
    /// with concurrent requests, [`SharedReads`]); `load` reads the data at that version. The version is read *before* the data, so a
    /// snapshot is never older than its version says (a change committed during the
    /// load makes the next use load again).
    pub async fn get<E, L>(
        &self,
        version: impl Future<Output = Result<i64, E>>,
        load: impl FnOnce(i64) -> L,
    ) -> Result<Arc<T>, E>
    where
        L: Future<Output = Result<T, E>>,
    {
        let version = self.versions.read(version).await?;
        let cached = self.cached();
        if cached.version() == version {
            return Ok(cached);
        }
        let _turn = self.reloading.lock().await;
        let cached = self.cached();
        if cached.version() >= version {
            // Loaded by the request we waited for (at this version or a newer one).
            return Ok(cached);
        }
        let fresh = Arc::new(load(version).await?);
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if current.version() < version {
            *current = fresh.clone();
        }
        Ok(fresh)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Default)]
    struct Data(i64);
    impl Versioned for Data {
        fn version(&self) -> i64 {
            self.0
        }
    }

    #[tokio::test]
    async fn loads_once_per_version() {
        let snapshots = Snapshots::<Data>::default();
        let loads = AtomicUsize::new(0);
        let load = |v| {
            loads.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<_, ()>(Data(v)) }
        };
        for version in [1, 1, 1, 2, 2] {
            let got = snapshots.get(async { Ok(version) }, load).await.unwrap();
            assert_eq!(got.0, version);
        }
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn requests_during_a_read_share_the_next_read_never_an_earlier_one() {
        let reads = SharedReads::default();
        let made = Arc::new(AtomicUsize::new(0));
        let (finish_first, first_held) = tokio::sync::oneshot::channel::<()>();
        // The first request's read is held open; the database says 1.
        let first = {
            let (reads, made) = (reads.clone(), made.clone());
            tokio::spawn(async move {
                reads
                    .read(async move {
                        made.fetch_add(1, Ordering::SeqCst);
                        first_held.await.ok();
                        Ok::<_, ()>(1)
                    })
                    .await
            })
        };
        while made.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // Three requests arrive during that read; the database now says 2. The first
        // read may have missed what made it 2, so none of them may take its answer.
        let later: Vec<_> = (0..3)
            .map(|_| {
                let (reads, made) = (reads.clone(), made.clone());
                tokio::spawn(async move {
                    reads
                        .read(async move {
                            made.fetch_add(1, Ordering::SeqCst);
                            Ok::<_, ()>(2)
                        })
                        .await
                })
            })
            .collect();
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
        finish_first.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(1));
        for request in later {
            assert_eq!(request.await.unwrap(), Ok(2));
        }
        // One read for the three of them.
        assert_eq!(made.load(Ordering::SeqCst), 2);
        // A request after all that reads again.
        let after = reads.read(async { Ok::<_, ()>(3) }).await;
        assert_eq!(after, Ok(3));
    }

    #[tokio::test]
    async fn a_failed_read_answers_only_its_request() {
        let reads = SharedReads::default();
        assert_eq!(
            reads.read(async { Err::<i64, _>("down") }).await,
            Err("down")
        );
        assert_eq!(reads.read(async { Ok::<_, &str>(7) }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_failed_load_keeps_the_old_snapshot() {
        let snapshots = Snapshots::<Data>::default();
        snapshots
            .get(async { Ok::<_, ()>(1) }, |v| async move { Ok(Data(v)) })
            .await
            .unwrap();
        let failed = snapshots
            .get(async { Ok(2) }, |_| async { Err::<Data, _>("down") })
            .await;
        assert!(failed.is_err());
        assert_eq!(snapshots.cached().0, 1);
    }
}
