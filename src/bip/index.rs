//! The BIP's search index (issue 13, "Search"; docs/decisions/0038): every version of
//! every publication not removed, prepared once for `magistrat_domain::search` (title,
//! text, metadata and section, words and stems), kept in memory per app server and
//! rebuilt when the database's `bip_search_version` changes (migration 0035: triggers
//! bump it in every writing transaction, so an edit on any server is found on the next
//! search everywhere).
//!
//! The index holds scheduled versions too; a search asks with the office's clock and
//! sees, per publication, the newest version made available by then — the same rule as
//! the pages (`store::CURRENT_VERSION`), so a scheduled publication is found the moment it
//! appears, with no rebuild.

use std::sync::Arc;

use jiff::civil::Date;

use super::store::{self, StoreError};
use crate::db::{Db, UtcTime};
use crate::platform::snapshot::{Snapshots, Versioned};
use crate::web::i18n::Lang;
use magistrat_domain::bip;
use magistrat_domain::search::{self, Corpus, Document, Piece, Query, Weight};

/// One version as the search sees it.
#[derive(Debug)]
pub struct Entry {
    pub number: i64,
    pub title: String,
    /// The body as text (tags removed, entities decoded), for snippets.
    pub text: String,
    pub made_available_at: UtcTime,
}

/// A publication with its versions, oldest first.
#[derive(Debug)]
pub struct Indexed {
    pub id: i64,
    pub section: String,
    /// When its first version was (or will be) made available.
    pub first_available_at: UtcTime,
    /// That moment's day in the office's calendar (the date filters; worked out once,
    /// not for every publication on every search).
    first_day: Date,
    versions: Vec<Entry>,
    /// The corpus position of its first version; the others follow it.
    first_document: usize,
}

impl Indexed {
    /// The version the public reads at `now`: the newest made available by then.
    pub fn current(&self, now: UtcTime) -> Option<&Entry> {
        self.current_position(now).map(|i| &self.versions[i])
    }

    fn current_position(&self, now: UtcTime) -> Option<usize> {
        self.versions
            .iter()
            .rposition(|v| v.made_available_at <= now)
    }
}

/// The index at one version of the database.
#[derive(Debug, Default)]
pub struct Index {
    pub version: i64,
    /// Newest first (by first publication), so equally good matches show newest first.
    publications: Vec<Indexed>,
    /// Every version's words, in the order of `publications` and their versions (so
    /// document order is newest first too).
    corpus: Corpus,
    /// The publication of each corpus document (its position in `publications`).
    owners: Vec<usize>,
}

/// What a search asks for.
#[derive(Clone, Debug)]
pub struct SearchQuery<'a> {
    pub text: &'a str,
    /// Only publications in these sections (empty: every section).
    pub sections: Vec<&'a str>,
    /// Only publications first made available on or after / before or on these days
    /// (the office's calendar).
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub now: UtcTime,
    pub offset: usize,
    pub limit: usize,
}

/// One found publication with its title and a piece of its text, found words marked.
#[derive(Debug)]
pub struct Hit<'a> {
    pub publication: &'a Indexed,
    pub version: &'a Entry,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
}

/// A page of results.
#[derive(Debug)]
pub struct Found<'a> {
    pub hits: Vec<Hit<'a>>,
    /// How many publications match in all.
    pub total: usize,
    /// Whether they have every word typed (else: the ones with some).
    pub complete: bool,
}

/// The length of a snippet, in characters.
pub const SNIPPET: usize = 240;

impl Index {
    async fn load(db: &Db, version: i64) -> Result<Self, StoreError> {
        let rows = store::searchable(db).await?;
        let mut publications: Vec<Indexed> = Vec::new();
        let mut documents: Vec<Vec<Document>> = Vec::new();
        for row in rows {
            let text = bip::summary(&row.body_html, usize::MAX);
            // The section's Polish name: „zarządzenie” or „przetarg” typed finds the
            // publications of that page too.
            let section = bip::section_by_slug(&row.section)
                .map(|s| Lang::Pl.t(s.label_key))
                .unwrap_or_default();
            let document = Document::new()
                .field(&row.title, Weight::TITLE)
                .field(&text, Weight::TEXT)
                .field(&row.produced_by, Weight::TEXT)
                .field(&row.responsible, Weight::TEXT)
                .field(&section, Weight::TEXT);
            let entry = Entry {
                number: row.number,
                title: row.title,
                text,
                made_available_at: row.made_available_at,
            };
            match publications.last_mut() {
                Some(p) if p.id == row.publication_id => {
                    p.versions.push(entry);
                    if let Some(docs) = documents.last_mut() {
                        docs.push(document);
                    }
                }
                _ => {
                    publications.push(Indexed {
                        id: row.publication_id,
                        section: row.section,
                        first_available_at: entry.made_available_at,
                        first_day: entry.made_available_at.in_warsaw().date(),
                        versions: vec![entry],
                        first_document: 0,
                    });
                    documents.push(vec![document]);
                }
            }
        }
        // Newest first, the documents moved along with their publications.
        let mut order: Vec<usize> = (0..publications.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&publications[a], &publications[b]);
            b.first_available_at
                .cmp(&a.first_available_at)
                .then(b.id.cmp(&a.id))
        });
        let mut slots: Vec<Option<(Indexed, Vec<Document>)>> =
            publications.into_iter().zip(documents).map(Some).collect();
        let mut publications = Vec::with_capacity(slots.len());
        let mut ordered_documents = Vec::new();
        let mut owners = Vec::new();
        for i in order {
            let Some((mut publication, docs)) = slots[i].take() else {
                continue;
            };
            publication.first_document = ordered_documents.len();
            owners.extend(std::iter::repeat_n(publications.len(), docs.len()));
            ordered_documents.extend(docs);
            publications.push(publication);
        }
        Ok(Self {
            version,
            publications,
            corpus: Corpus::new(ordered_documents),
            owners,
        })
    }

    /// The publications matching `q`, best first, on the page it asks for. Typos of
    /// five letters or more are forgiven; operators and punctuation are only text
    /// (`Query::parse` keeps words alone).
    pub fn find(&self, q: &SearchQuery<'_>) -> Found<'_> {
        let Some(query) = Query::parse(q.text) else {
            return Found {
                hits: Vec::new(),
                total: 0,
                complete: true,
            };
        };
        // Typos forgiven against the indexed words (`Corpus::forgiving`).
        let query = self.corpus.forgiving(query);
        // The documents the public may find now: each publication's current version,
        // of the publications the filters keep.
        let mut admitted = vec![false; self.corpus.len()];
        for p in self
            .publications
            .iter()
            .filter(|p| q.sections.is_empty() || q.sections.contains(&p.section.as_str()))
            .filter(|p| {
                q.from.is_none_or(|f| p.first_day >= f) && q.to.is_none_or(|t| p.first_day <= t)
            })
        {
            if let Some(i) = p.current_position(q.now) {
                admitted[p.first_document + i] = true;
            }
        }
        // Only the page shown is put in order (`Corpus::search`).
        let found = self
            .corpus
            .search(&query, |d| admitted[d], q.offset, q.limit);
        Found {
            total: found.total,
            complete: found.complete,
            hits: found
                .documents
                .into_iter()
                .filter_map(|d| {
                    let publication = &self.publications[*self.owners.get(d)?];
                    let version = publication.versions.get(d - publication.first_document)?;
                    Some(Hit {
                        publication,
                        version,
                        title: search::snippet(&query, &version.title, usize::MAX),
                        snippet: search::snippet(&query, &version.text, SNIPPET),
                    })
                })
                .collect(),
        }
    }
}

/// The index of one app server, checked against the database's version on every use
/// (platform::snapshot, as the service catalogue).
#[derive(Clone)]
pub struct BipIndex {
    db: Db,
    snapshots: Snapshots<Index>,
}

impl Versioned for Index {
    fn version(&self) -> i64 {
        self.version
    }
}

impl BipIndex {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            snapshots: Snapshots::default(),
        }
    }

    /// The index as the database has it now (see [`Snapshots::get`]).
    pub async fn get(&self) -> Result<Arc<Index>, StoreError> {
        self.snapshots
            .get(store::search_version(&self.db), |version| {
                Index::load(&self.db, version)
            })
            .await
    }
}
