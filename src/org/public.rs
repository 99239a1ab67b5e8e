//! What the public pages show of the office — its name, locations and opening hours —
//! read on every public page and changed a few times a year, so kept in memory.
//!
//! The cache is the org capability's own state, reached by handlers through
//! `State<PublicOfficeCache>` (axum's `FromRef` on `AppState`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use super::store::{self, Location, Office, OpeningHours};
use crate::db::Db;

/// How long another app server's edit may take to show here (this server's own edits
/// show at once: the editing handler calls [`PublicOfficeCache::forget`]).
const FRESH_FOR: Duration = Duration::from_secs(60);

/// What the public pages show of the office.
#[derive(Debug, Default)]
pub struct PublicOffice {
    pub office: Option<Office>,
    pub locations: Vec<Location>,
    pub hours: Vec<OpeningHours>,
}

impl PublicOffice {
    async fn load(db: &Db) -> Result<Self, sqlx::Error> {
        Ok(Self {
            office: store::office(db).await?,
            locations: store::locations(db).await?,
            hours: store::opening_hours(db).await?,
        })
    }
}

/// The office as last read, and when.
type Cached = Option<(Instant, Arc<PublicOffice>)>;

/// The office, read at most once a minute per app server.
#[derive(Clone)]
pub struct PublicOfficeCache {
    db: Db,
    cached: Arc<RwLock<Cached>>,
}

impl PublicOfficeCache {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            cached: Arc::new(RwLock::new(None)),
        }
    }

    /// The office, read at most once a minute. A failed read is not cached, so a
    /// database hiccup does not stick.
    pub async fn get(&self) -> Arc<PublicOffice> {
        if let Some((at, office)) = self.cached.read().await.as_ref()
            && at.elapsed() < FRESH_FOR
        {
            return office.clone();
        }
        match PublicOffice::load(&self.db).await {
            Ok(office) => {
                let office = Arc::new(office);
                *self.cached.write().await = Some((Instant::now(), office.clone()));
                office
            }
            Err(e) => {
                tracing::error!(error = %e, "loading the office failed");
                Arc::new(PublicOffice::default())
            }
        }
    }

    /// The office's name for page headers.
    pub async fn office_name(&self) -> String {
        self.get()
            .await
            .office
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "Magistrat".to_owned())
    }

    /// Drops what was read, after this server changed the office or its locations.
    pub async fn forget(&self) {
        *self.cached.write().await = None;
    }
}
