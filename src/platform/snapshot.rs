//! Data that every request reads and that seldom changes (the service catalogue, the
//! BIP's search index), kept by each app server between requests and checked against
//! a version row in the database on every use: one cheap query when nothing changed, a
//! reload when anything did — on any app server, since the version is bumped in the
//! database by the write that changed the data.

use std::future::Future;
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
}

impl<T> Clone for Snapshots<T> {
    fn clone(&self) -> Self {
        Self {
            current: self.current.clone(),
            reloading: self.reloading.clone(),
        }
    }
}

impl<T: Versioned> Default for Snapshots<T> {
    fn default() -> Self {
        Self {
            current: Arc::new(RwLock::new(Arc::new(T::default()))),
            reloading: Arc::new(tokio::sync::Mutex::new(())),
        }
    }
}

impl<T: Versioned> Snapshots<T> {
    fn cached(&self) -> Arc<T> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The data as the database has it now. `version` reads the version row; `load`
    /// reads the data at that version. The version is read *before* the data, so a
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
        let version = version.await?;
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
