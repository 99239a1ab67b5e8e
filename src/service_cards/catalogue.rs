//! The published catalogue kept in memory: every published card with its unit, location
//! and files, as the public pages and the API show them (issue 9, "Speed";
//! docs/decisions/0021-speed.md).
//!
//! A public page used to read the cards (every column), count them, read the unit tree,
//! the units with cards, the card's location and its files: four to six queries per
//! request. Now it reads one number, the catalogue's version, and uses the snapshot
//! built at that version. Triggers bump the version in the transaction of every change
//! to cards, card files, units and locations (migration 0016), whoever writes — this
//! server, another app server on the same database, a CLI command — so a published or
//! edited card shows on the very next request everywhere, and no writer has to remember
//! to invalidate anything.
//!
//! The cache is the service-cards capability's own state, reached by handlers through
//! `State<CatalogueCache>` (axum's `FromRef` on `AppState`).

use std::sync::Arc;

use magistrat_domain::collation;
use magistrat_domain::search::{self, Document, Query, Weight};

use super::store::{self, CardFile, ServiceCard};
use crate::db::Db;
use crate::org::store::{self as org, Location, OrgUnit};
use crate::platform::snapshot::{Snapshots, Versioned};

/// A published card and what its page shows with it.
#[derive(Debug)]
pub struct PublishedCard {
    pub card: Arc<ServiceCard>,
    /// "SA — Wydział Spraw Administracyjnych" (empty when the unit is gone).
    pub unit_label: String,
    pub location: Option<Location>,
    pub files: Vec<CardFile>,
    /// The card as the search sees it (code, name, keywords, description), prepared
    /// once per snapshot.
    search: Document,
}

impl PublishedCard {
    fn new(
        card: ServiceCard,
        unit_label: String,
        location: Option<Location>,
        files: Vec<CardFile>,
    ) -> Self {
        let d = &card.data;
        let search = Document::new()
            .field(&d.code, Weight::CODE)
            .field(&d.name, Weight::TITLE)
            .field(&d.keywords, Weight::TITLE)
            .field(&d.description, Weight::TEXT);
        PublishedCard {
            card: Arc::new(card),
            unit_label,
            location,
            files,
            search,
        }
    }
}

/// The published catalogue at one version.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub version: i64,
    /// Every unit, of every year (for the unit filter and unit names).
    pub units: Vec<OrgUnit>,
    /// Published cards by name and code, in Polish alphabetical order.
    pub cards: Vec<PublishedCard>,
}

/// What a list asks for.
#[derive(Clone, Debug, Default)]
pub struct CardQuery {
    /// Words to find in the code, name, keywords or description ([`search`]: case,
    /// diacritics and inflection ignored, word beginnings found).
    pub text: Option<String>,
    /// Only cards that can be filed online (with an e-service form).
    pub online: bool,
    /// Only this unit's cards (an id no card has finds none).
    pub unit_id: Option<i64>,
    /// From 0.
    pub offset: usize,
    pub limit: usize,
}

impl Catalogue {
    async fn load(db: &Db, version: i64) -> Result<Self, sqlx::Error> {
        let units = org::units(db).await?;
        let locations = org::locations(db).await?;
        let mut files = store::published_files(db).await?;
        let mut cards: Vec<PublishedCard> = store::published_cards(db)
            .await?
            .into_iter()
            .map(|(card, _folded)| {
                let unit_label = label_of(&units, card.data.org_unit_id);
                let location = card
                    .data
                    .location_id
                    .and_then(|id| locations.iter().find(|l| l.id == id).cloned());
                let (own, rest): (Vec<_>, Vec<_>) =
                    files.drain(..).partition(|f| f.card_id == card.id);
                files = rest;
                PublishedCard::new(card, unit_label, location, own)
            })
            .collect();
        // Polish order („Zaświadczenie” before „Zawarcie”), which neither database
        // collates by default.
        cards.sort_by(|a, b| {
            collation::compare(&a.card.data.name, &b.card.data.name)
                .then_with(|| a.card.data.code.cmp(&b.card.data.code))
        });
        Ok(Self {
            version,
            units,
            cards,
        })
    }

    /// The published cards registered as `kind` of case (the accessibility
    /// declaration links the cards of the demands for accessibility).
    pub fn cards_of_kind(
        &self,
        kind: magistrat_domain::deadline::CaseKind,
    ) -> impl Iterator<Item = &PublishedCard> {
        self.cards
            .iter()
            .filter(move |c| c.card.data.case_kind == kind)
    }

    /// The published card with exactly this code.
    pub fn card(&self, code: &str) -> Option<&PublishedCard> {
        self.cards.iter().find(|c| c.card.data.code == code)
    }

    /// The cards matching `q` on the page it asks for, and how many match in all. With
    /// words, best match first ([`search::search`]); without, in catalogue order.
    pub fn find(&self, q: &CardQuery) -> Found<'_> {
        let query = q.text.as_deref().and_then(Query::parse);
        let filtered = self.cards.iter().filter(|c| {
            q.unit_id.is_none_or(|u| c.card.data.org_unit_id == u)
                && (!q.online || c.card.data.channels.eservice)
        });
        let (matching, complete) = match &query {
            Some(query) => {
                let hits = search::search(query, filtered, |c| &c.search);
                (hits.items, hits.complete)
            }
            None if q.text.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
                // Typed, but no word in it („–”, „?”): nothing matches.
                (Vec::new(), true)
            }
            None => (filtered.collect(), true),
        };
        Found {
            total: matching.len(),
            cards: matching.into_iter().skip(q.offset).take(q.limit).collect(),
            complete,
        }
    }

    /// Up to `n` published cards with the given ids, in that order, each once (ids of
    /// cards no longer published are skipped).
    pub fn cards_by_ids(&self, ids: &[i64], n: usize) -> Vec<&PublishedCard> {
        let mut out: Vec<&PublishedCard> = Vec::with_capacity(n);
        for id in ids {
            if out.len() == n {
                break;
            }
            if out.iter().any(|c| c.card.id == *id) {
                continue;
            }
            if let Some(card) = self.cards.iter().find(|c| c.card.id == *id) {
                out.push(card);
            }
        }
        out
    }

    /// The units that have published cards, by symbol.
    pub fn units_with_cards(&self) -> Vec<&OrgUnit> {
        let mut units: Vec<&OrgUnit> = self
            .units
            .iter()
            .filter(|u| self.cards.iter().any(|c| c.card.data.org_unit_id == u.id))
            .collect();
        units.sort_by(|a, b| a.symbol.cmp(&b.symbol));
        units
    }
}

/// A page of [`Catalogue::find`].
#[derive(Debug)]
pub struct Found<'a> {
    pub cards: Vec<&'a PublishedCard>,
    /// How many match in all.
    pub total: usize,
    /// Whether the cards have every word typed; `false` when none has all of them and
    /// the cards with some are shown instead.
    pub complete: bool,
}

/// "SA — Wydział …" of the unit with `id`, or empty.
fn label_of(units: &[OrgUnit], id: i64) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map(|u| format!("{} — {}", u.symbol, u.name))
        .unwrap_or_default()
}

/// The catalogue of one app server, checked against the database's version on every
/// use.
#[derive(Clone)]
pub struct CatalogueCache {
    db: Db,
    snapshots: Snapshots<Catalogue>,
}

impl Versioned for Catalogue {
    fn version(&self) -> i64 {
        self.version
    }
}

impl CatalogueCache {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            snapshots: Snapshots::default(),
        }
    }

    /// The catalogue as the database has it now: one query when nothing changed, a
    /// reload when something did (see [`Snapshots::get`]).
    pub async fn get(&self) -> Result<Arc<Catalogue>, sqlx::Error> {
        self.snapshots
            .get(store::catalogue_version(&self.db), |version| {
                Catalogue::load(&self.db, version)
            })
            .await
    }
}
