//! The public catalogue: browse by unit, search, read and print a card, download its
//! forms. No sign-in; only published cards exist here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use std::sync::Arc;

use super::catalogue::{CardQuery, CatalogueCache, PublishedCard};
use super::form_definition::{FormDefinition, InputSpec};
use super::store::{self, CardFile, ServiceCard};
use crate::app::AppState;
use crate::org::store::{Location, OrgUnit};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    /// "1": only cards that can be filed online.
    #[serde(default)]
    pub online: String,
    pub page: Option<i64>,
}

/// How many cards an empty search suggests.
pub const SUGGESTIONS: usize = 5;

/// A card in a list, with its unit's name.
pub struct CardItem {
    pub card: Arc<ServiceCard>,
    pub unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "service_cards/catalogue.html")]
pub struct CataloguePage {
    pub ctx: PageCtx,
    pub q: String,
    pub unit: String,
    /// (symbol, "SA — Wydział …") of units with published cards.
    pub units: Vec<(String, String)>,
    pub items: Vec<CardItem>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub searched: bool,
    /// Only cards that can be filed online.
    pub online: bool,
    /// Whether the cards shown have every word typed (see [`super::catalogue::Found::complete`]).
    pub complete: bool,
    /// When nothing is found: the most used cards.
    pub suggestions: Vec<CardItem>,
}

impl CataloguePage {
    /// The link to another page of the same results.
    pub fn page_href(&self, page: &i64) -> String {
        format!(
            "/services?q={}&unit={}{}&page={page}",
            crate::web::error_pages::urlencode(&self.q),
            crate::web::error_pages::urlencode(&self.unit),
            if self.online { "&online=1" } else { "" }
        )
    }
}

/// The unit with `symbol` valid in `year`, or else the newest one with it.
pub fn unit_by_symbol<'a>(units: &'a [OrgUnit], symbol: &str, year: i32) -> Option<&'a OrgUnit> {
    let symbol = symbol.trim();
    units
        .iter()
        .filter(|u| u.symbol.eq_ignore_ascii_case(symbol))
        .max_by_key(|u| (u.is_valid_in(year), u.valid_from_year))
}

pub fn unit_name(units: &[OrgUnit], id: i64) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map(|u| format!("{} — {}", u.symbol, u.name))
        .unwrap_or_default()
}

pub async fn catalogue(
    State(state): State<AppState>,
    State(cache): State<CatalogueCache>,
    ctx: PageCtx,
    Query(query): Query<CatalogueQuery>,
) -> AppResult<CataloguePage> {
    let catalogue = cache.get().await?;
    let unit = unit_by_symbol(&catalogue.units, &query.unit, state.clock.year());
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let text = Some(query.q.trim().chars().take(100).collect::<String>()).filter(|s| !s.is_empty());
    let online = query.online == "1";
    let searched = text.is_some() || unit.is_some() || online;
    let page_size = PAGE_SIZE.unsigned_abs() as usize;
    let found = catalogue.find(&CardQuery {
        text,
        online,
        unit_id: unit.map(|u| u.id),
        offset: (page.unsigned_abs() as usize - 1) * page_size,
        limit: page_size,
    });
    let total = i64::try_from(found.total).unwrap_or(i64::MAX);
    let suggestions = if found.total == 0 {
        // The cards residents file most, then the catalogue's first: one query, only
        // when a search found nothing.
        let mut ids: Vec<i64> = crate::applications::store::counts_by_card(&state.db)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.extend(catalogue.cards.iter().map(|c| c.card.id));
        catalogue
            .cards_by_ids(&ids, SUGGESTIONS)
            .into_iter()
            .map(item)
            .collect()
    } else {
        Vec::new()
    };
    let items = found.cards.iter().copied().map(item).collect();
    Ok(CataloguePage {
        q: query.q.trim().to_owned(),
        unit: unit.map(|u| u.symbol.clone()).unwrap_or_default(),
        // The unit filter offers the units that have published cards.
        units: catalogue
            .units_with_cards()
            .iter()
            .map(|u| (u.symbol.clone(), format!("{} — {}", u.symbol, u.name)))
            .collect(),
        items,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total,
        page,
        searched,
        online,
        complete: found.complete,
        suggestions,
        ctx,
    })
}

fn item(c: &PublishedCard) -> CardItem {
    CardItem {
        card: c.card.clone(),
        unit: c.unit_label.clone(),
    }
}

/// One field of an e-service form as the preview shows it.
pub struct PreviewField {
    pub name: String,
    pub label: String,
    pub help: String,
    pub spec: InputSpec,
}

/// The fields of `def` in `lang`, ready for a template.
pub fn preview(def: &FormDefinition, lang: &str) -> Vec<PreviewField> {
    def.fields
        .iter()
        .map(|f| PreviewField {
            name: f.name.clone(),
            label: f.label.get(lang).to_owned(),
            help: f.help.get(lang).to_owned(),
            spec: f.input(lang, &def.attachments),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "service_cards/card.html")]
pub struct CardPage {
    pub ctx: PageCtx,
    pub card: Arc<ServiceCard>,
    pub unit: String,
    pub location: Option<Location>,
    pub files: Vec<CardFile>,
    pub form: Vec<PreviewField>,
    pub deadline_rule: String,
    /// The office's information clause (RODO art. 13).
    pub rodo: Option<Vec<crate::rodo::service::ShownPart>>,
    /// The transfer title for the card's fees (decision 0050).
    pub fee_title: String,
}

pub async fn card(
    State(cache): State<CatalogueCache>,
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<CardPage> {
    let catalogue = cache.get().await?;
    let published = catalogue.card(&code).ok_or(AppError::NotFound)?;
    let card = published.card.clone();
    let form = card
        .data
        .form()
        .map(|d| preview(&d, ctx.lang_code()))
        .unwrap_or_default();
    let kind = card.data.case_kind;
    let rodo = crate::rodo::service::shown_clause(&state.db, ctx.lang).await?;
    Ok(CardPage {
        rodo,
        fee_title: magistrat_domain::stamp_duty::transfer_title(&card.data.name),
        unit: published.unit_label.clone(),
        deadline_rule: format!("{} ({})", ctx.t(&case_kind_key(kind)), kind.source()),
        location: published.location.clone(),
        files: published.files.clone(),
        form,
        card,
        ctx,
    })
}

/// The Fluent id of a kind of case's name.
pub fn case_kind_key(kind: magistrat_domain::deadline::CaseKind) -> String {
    format!("sc-case-kind-{}", kind.as_str().replace('_', "-"))
}

/// A downloadable form: attachment, its real type, never sniffed by the browser.
pub async fn download(
    State(state): State<AppState>,
    Path((code, id, file_name)): Path<(String, i64, String)>,
) -> AppResult<Response> {
    let card = store::card_by_code(&state.db, &code)
        .await?
        .filter(|c| c.data.published)
        .ok_or(AppError::NotFound)?;
    let (file, bytes) = store::file_content(&state.db, card.id, id)
        .await?
        .filter(|(f, _)| f.file_name == file_name)
        .ok_or(AppError::NotFound)?;
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::web::error_pages::urlencode(&file.file_name).replace('+', "%20")
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}
