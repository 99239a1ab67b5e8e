//! Reference data kept by this process at the version it was read at.
//!
//! The office's reference data — the unit tree, the JRWA classes cases are registered
//! under, locations — changes a few times a year, yet staff pages read it on every
//! request. Migrations 0016 and 0049 give it one number, `catalogue_version`, that the
//! database's triggers bump in the transaction of every change, whoever makes it (this
//! server, another app server, a CLI command, SQL by hand); every staff request already
//! reads that number with its session (`CurrentUser::units_version`). A [`Kept`] value
//! is used while the request's version is the one it was read at, and read again on the
//! first request that brings a newer one — so a change shows on the very next request on
//! every app server, as if nothing were kept (docs/decisions/0021-speed.md, 0053).
//!
//! Unlike [`super::snapshot`], which reads the version row itself, a [`Kept`] value is
//! given the version by its caller: it adds no round trip.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, PoisonError, RwLock};

/// Values of `T` per key `K` (a year, a language: a handful of keys), each at the
/// version it was read at.
pub struct Kept<K, T>(Arc<RwLock<HashMap<K, AtVersion<T>>>>);

/// A value and the version it was read at.
type AtVersion<T> = (i64, Arc<T>);

impl<K, T> Clone for Kept<K, T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, T> Default for Kept<K, T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<K: Hash + Eq + Clone, T> Kept<K, T> {
    /// The value for `key` at `version`: the kept one if it was read at that version,
    /// else `load`ed now. The caller read `version` before `load` reads the data, so a
    /// value is never older than the number it is kept under.
    pub async fn get<E>(
        &self,
        version: i64,
        key: K,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E> {
        if let Some((at, value)) = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            && *at == version
        {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(load.await?);
        let mut kept = self.0.write().unwrap_or_else(PoisonError::into_inner);
        // Versions only grow: a slower request that read an older one keeps out.
        let newer = kept.get(&key).is_none_or(|(at, _)| *at <= version);
        if newer {
            kept.insert(key, (version, Arc::clone(&value)));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn load(reads: &AtomicUsize, value: &str) -> Result<String, ()> {
        reads.fetch_add(1, Ordering::SeqCst);
        Ok(value.to_owned())
    }

    #[tokio::test]
    async fn a_value_is_read_once_per_version_and_key() {
        let kept: Kept<i32, String> = Kept::default();
        let reads = AtomicUsize::new(0);
        let a = kept.get(7, 2026, load(&reads, "a")).await.unwrap();
        let again = kept.get(7, 2026, load(&reads, "not read")).await.unwrap();
        assert_eq!((a.as_str(), again.as_str()), ("a", "a"));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Another key is read on its own; a newer version reads again.
        let other = kept.get(7, 2027, load(&reads, "b")).await.unwrap();
        let newer = kept.get(8, 2026, load(&reads, "c")).await.unwrap();
        assert_eq!((other.as_str(), newer.as_str()), ("b", "c"));
        assert_eq!(reads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_older_version_is_answered_but_never_replaces_a_newer_one() {
        let kept: Kept<(), String> = Kept::default();
        let reads = AtomicUsize::new(0);
        kept.get(9, (), load(&reads, "new")).await.unwrap();
        // A request that read version 8 before the change gets what it asked for…
        let old = kept.get(8, (), load(&reads, "old")).await.unwrap();
        assert_eq!(old.as_str(), "old");
        // …and the kept value stays the newer one.
        let kept_now = kept.get(9, (), load(&reads, "not read")).await.unwrap();
        assert_eq!(kept_now.as_str(), "new");
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_read_keeps_nothing() {
        let kept: Kept<(), String> = Kept::default();
        let failed: Result<_, &str> = kept.get(1, (), async { Err("down") }).await;
        assert_eq!(failed.err(), Some("down"));
        let reads = AtomicUsize::new(0);
        let value = kept.get(1, (), load(&reads, "up")).await.unwrap();
        assert_eq!((value.as_str(), reads.load(Ordering::SeqCst)), ("up", 1));
    }
}
