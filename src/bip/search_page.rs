//! The BIP's search page (`/bip/szukaj`; reg. 2007 § 11 ust. 1 pkt 6 asks every BIP for
//! a search): publications by the words people type, in any inflected form, with or
//! without Polish letters, small typos forgiven; filtered by section and by the day of
//! publication; each result with its title and a piece of its text, the found words
//! marked; matching service cards alongside. Whatever is typed is only text: the words
//! are taken out of it and nothing else is read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;

use super::index::{BipIndex, SearchQuery};
use super::public::{MenuEntry, menu, section_label};
use crate::app::AppState;
use crate::service_cards::catalogue::{CardQuery, CatalogueCache};
use crate::web::error::AppResult;
use crate::web::error_pages::urlencode;
use crate::web::page::PageCtx;
use magistrat_domain::bip;
use magistrat_domain::search::Piece;

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// The most characters of a query read (a pasted page searches by its beginning).
pub const MAX_QUERY: usize = 200;
/// Service cards shown beside the publications.
const CARDS: usize = 5;

/// The form's fields, as typed; all text, so no value is refused by the extractor
/// before the page can say what is wrong with it.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: String,
}

/// A found publication, ready to show.
pub struct ResultView {
    pub id: i64,
    pub section: String,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
    pub number: i64,
    pub made_available: String,
    pub made_available_iso: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/search.html")]
pub struct SearchPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub q: String,
    pub section: String,
    pub from: String,
    pub to: String,
    /// Every section of the subject menu: slug, name, whether it is a sub-page.
    pub sections: Vec<(&'static str, String, bool)>,
    /// Field id and message.
    pub errors: Vec<(&'static str, String)>,
    pub searched: bool,
    pub results: Vec<ResultView>,
    pub total: i64,
    pub complete: bool,
    pub page: usize,
    pub pages: usize,
    /// The number of the page's first result (the list's `start`).
    pub start: usize,
    /// Service cards matching the words: code and name.
    pub cards: Vec<(String, String)>,
}

impl SearchPage {
    /// Whether the field with this id has an error (for `aria-invalid`).
    pub fn invalid(&self, id: &str) -> bool {
        self.errors.iter().any(|e| e.0 == id)
    }

    /// The address of another page of the same search.
    pub fn page_href(&self, page: &usize) -> String {
        format!(
            "/bip/szukaj?q={}&section={}&from={}&to={}&page={page}",
            urlencode(&self.q),
            urlencode(&self.section),
            urlencode(&self.from),
            urlencode(&self.to),
        )
    }
}

/// A day typed into a date field: empty is none, anything but `YYYY-MM-DD` an error.
fn day(text: &str) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Date>().map(Some).map_err(|_| ())
}

/// The filters read from the form, and the messages for what could not be read.
struct Filters {
    q: String,
    section: Option<&'static bip::Section>,
    from: Option<Date>,
    to: Option<Date>,
    page: usize,
    errors: Vec<(&'static str, String)>,
}

fn filters(ctx: &PageCtx, params: &SearchParams) -> Filters {
    let mut errors = Vec::new();
    let slug = params.section.trim();
    let section = if slug.is_empty() {
        None
    } else {
        let found = bip::section_by_slug(slug);
        if found.is_none() {
            errors.push(("f-section", ctx.t("bip-search-error-section")));
        }
        found
    };
    let from = day(&params.from).unwrap_or_else(|()| {
        errors.push(("f-from", ctx.t("bip-search-error-date")));
        None
    });
    let to = day(&params.to).unwrap_or_else(|()| {
        errors.push(("f-to", ctx.t("bip-search-error-date")));
        None
    });
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.push(("f-to", ctx.t("bip-search-error-order")));
    }
    Filters {
        q: params.q.trim().chars().take(MAX_QUERY).collect(),
        section,
        from,
        to,
        page: params
            .page
            .trim()
            .parse::<usize>()
            .unwrap_or(1)
            .clamp(1, 10_000),
        errors,
    }
}

/// The service cards with every word of `q`: code and name.
async fn matching_cards(catalogue: &CatalogueCache, q: &str) -> AppResult<Vec<(String, String)>> {
    let catalogue = catalogue.get().await?;
    let cards = catalogue.find(&CardQuery {
        text: Some(q.to_owned()),
        online: false,
        unit_id: None,
        offset: 0,
        limit: CARDS,
    });
    // Only cards with every word: a card with some of them is noise beside the
    // bulletin's results.
    if !cards.complete {
        return Ok(Vec::new());
    }
    Ok(cards
        .cards
        .into_iter()
        .map(|c| (c.card.data.code.clone(), c.card.data.name.clone()))
        .collect())
}

pub async fn search(
    State(state): State<AppState>,
    State(index): State<BipIndex>,
    State(catalogue): State<CatalogueCache>,
    ctx: PageCtx,
    Query(params): Query<SearchParams>,
) -> AppResult<Response> {
    let f = filters(&ctx, &params);
    let mut view = SearchPage {
        menu: menu(&ctx, None),
        sections: bip::SECTIONS
            .iter()
            .map(|s| (s.slug, ctx.t(s.label_key), s.parent.is_some()))
            .collect(),
        searched: !f.q.is_empty() && f.errors.is_empty(),
        q: f.q,
        section: params.section.trim().to_owned(),
        from: params.from.trim().to_owned(),
        to: params.to.trim().to_owned(),
        errors: f.errors,
        results: Vec::new(),
        total: 0,
        complete: true,
        page: f.page,
        pages: 1,
        start: (f.page - 1) * PAGE_SIZE + 1,
        cards: Vec::new(),
        ctx,
    };
    if !view.errors.is_empty() {
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    }
    if !view.searched {
        return Ok(view.into_response());
    }
    // A top entry of the menu covers the entries below it, as its page lists them.
    let mut sections: Vec<&str> = Vec::new();
    if let Some(s) = f.section {
        sections.push(s.slug);
        sections.extend(bip::children(Some(s.slug)).map(|c| c.slug));
    }
    let index = index.get().await?;
    let found = index.find(&SearchQuery {
        text: &view.q,
        sections,
        from: f.from,
        to: f.to,
        now: state.clock.now(),
        offset: (f.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    });
    view.results = found
        .hits
        .into_iter()
        .map(|hit| ResultView {
            id: hit.publication.id,
            section: section_label(&view.ctx, &hit.publication.section),
            title: hit.title,
            snippet: hit.snippet,
            number: hit.version.number,
            made_available: view.ctx.datetime(&hit.publication.first_available_at),
            made_available_iso: hit.publication.first_available_at.to_canonical(),
        })
        .collect();
    view.total = i64::try_from(found.total).unwrap_or(i64::MAX);
    view.complete = found.complete;
    view.pages = found.total.div_ceil(PAGE_SIZE).max(1);
    // The office's matters by the same words, on the first page of an unfiltered
    // search: „dowód osobisty” typed into the BIP finds the card too.
    if f.page == 1 && f.section.is_none() && f.from.is_none() && f.to.is_none() {
        view.cards = matching_cards(&catalogue, &view.q).await?;
    }
    Ok(view.into_response())
}
