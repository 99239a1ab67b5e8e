//! The BIP for everyone: the subject menu, section pages, a publication with its
//! metadata (UDIP art. 8 ust. 6) and its change register, every version, a print
//! view, the change register of the whole BIP, the register of removed pages, the
//! information not made available, the editors and the instruction. No sign-in, no
//! advertising (reg. 2007 § 11 ust. 2): these pages carry nothing but the bulletin.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::store::{self, ChangeLine, Editor, Listed, Publication, Removed, Version, Withheld};
use crate::app::AppState;
use crate::org::store as org_store;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use magistrat_domain::bip::{self, SECTIONS, Section};

/// A menu entry with its children, for the subject menu.
pub struct MenuEntry {
    pub slug: &'static str,
    pub label: String,
    pub current: bool,
    pub children: Vec<MenuEntry>,
}

/// The subject menu (menu przedmiotowe), `current` marked.
pub fn menu(ctx: &PageCtx, current: Option<&str>) -> Vec<MenuEntry> {
    bip::children(None)
        .map(|s| MenuEntry {
            slug: s.slug,
            label: ctx.t(s.label_key),
            current: current == Some(s.slug),
            children: bip::children(Some(s.slug))
                .map(|c| MenuEntry {
                    slug: c.slug,
                    label: ctx.t(c.label_key),
                    current: current == Some(c.slug),
                    children: Vec::new(),
                })
                .collect(),
        })
        .collect()
}

/// The name of a section for people.
pub fn section_label(ctx: &PageCtx, slug: &str) -> String {
    bip::section_by_slug(slug).map_or_else(|| slug.to_owned(), |s| ctx.t(s.label_key))
}

/// The Polish name of a section, for feeds (they have no visitor's language).
pub fn section_label_plain(slug: &str) -> String {
    bip::section_by_slug(slug).map_or_else(|| slug.to_owned(), |s| Lang::Pl.t(s.label_key))
}

/// A publication in a list, ready to show.
pub struct Item {
    pub id: i64,
    pub title: String,
    pub section: String,
    pub summary: String,
    pub first_available: String,
    pub first_available_iso: String,
    pub changed: bool,
}

pub fn items(ctx: &PageCtx, listed: &[Listed]) -> Vec<Item> {
    listed
        .iter()
        .map(|l| Item {
            id: l.id,
            title: l.title.clone(),
            section: section_label(ctx, &l.section),
            summary: bip::summary(&l.body_html, 200),
            first_available: ctx.datetime(&l.first_available_at),
            first_available_iso: l.first_available_at.to_canonical(),
            changed: l.number > 1,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub latest: Vec<Item>,
    pub office: org_store::Office,
}

pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<HomePage> {
    let now = state.clock.now();
    let latest = store::latest(&state.db, now, None, 10).await?;
    let office = org_store::office(&state.db).await?.unwrap_or_default();
    Ok(HomePage {
        menu: menu(&ctx, None),
        latest: items(&ctx, &latest),
        office,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/section.html")]
pub struct SectionPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub section: &'static Section,
    pub title: String,
    pub parent: Option<(&'static str, String)>,
    pub children: Vec<(&'static str, String)>,
    pub items: Vec<Item>,
    /// This page's number and how many there are (1-based, as people read them).
    pub page: usize,
    pub pages: usize,
    /// How many publications the section holds, on all its pages.
    pub total: i64,
    /// „strona 2 z 278”: where the reader is, in words.
    pub page_of: String,
}

impl SectionPage {
    /// The address of another page of this section (the first has no number).
    pub fn page_href(&self, page: &usize) -> String {
        if *page <= 1 {
            format!("/bip/dzial/{}", self.section.slug)
        } else {
            format!("/bip/dzial/{}?page={page}", self.section.slug)
        }
    }
}

/// `?page=` of a section's list, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct SectionQuery {
    pub page: Option<String>,
}

/// The slugs a section's page and feed list: a top entry lists its own publications
/// and those of the entries below it.
pub fn listed_sections(section: &'static Section) -> Vec<&'static str> {
    let mut slugs = vec![section.slug];
    slugs.extend(bip::children(Some(section.slug)).map(|c| c.slug));
    slugs
}

/// A section's list, [`bip::LIST_PAGE`] publications a page, newest first: the count
/// and the page are read from the index (`store::in_sections`), never the whole
/// section. A page number that is not a number, or beyond the last page, is not found.
pub async fn section(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(query): Query<SectionQuery>,
) -> AppResult<SectionPage> {
    let section = bip::section_by_slug(&slug).ok_or(AppError::NotFound)?;
    let number = match query.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(text) => text.parse::<usize>().map_err(|_| AppError::NotFound)?,
    };
    let slugs = listed_sections(section);
    let now = state.clock.now();
    let total = store::count_in_sections(&state.db, now, &slugs).await?;
    let page =
        bip::list_page(usize::try_from(total).unwrap_or(0), number).ok_or(AppError::NotFound)?;
    let listed = store::in_sections(
        &state.db,
        now,
        &slugs,
        i64::try_from(page.offset).unwrap_or(i64::MAX),
        bip::LIST_PAGE as i64,
    )
    .await?;
    Ok(SectionPage {
        menu: menu(&ctx, Some(section.slug)),
        title: ctx.t(section.label_key),
        parent: section.parent.map(|p| (p, section_label(&ctx, p))),
        children: bip::children(Some(section.slug))
            .map(|c| (c.slug, ctx.t(c.label_key)))
            .collect(),
        items: items(&ctx, &listed),
        page_of: ctx.lang.t_args(
            "bip-section-page-of",
            &[
                (
                    "page",
                    Arg::Num(i64::try_from(page.number).unwrap_or(i64::MAX)),
                ),
                (
                    "pages",
                    Arg::Num(i64::try_from(page.count).unwrap_or(i64::MAX)),
                ),
            ],
        ),
        page: page.number,
        pages: page.count,
        total,
        section,
        ctx,
    })
}

/// A version with its metadata written out for people.
pub struct VersionView {
    pub number: i64,
    pub title: String,
    pub body_html: String,
    pub produced_by: String,
    pub produced_on: String,
    pub produced_on_iso: String,
    pub responsible: String,
    pub entered_by: String,
    pub entered_at: String,
    pub approved_by: Option<String>,
    pub made_available: String,
    pub made_available_iso: String,
    pub reason: String,
}

pub fn version_view(ctx: &PageCtx, v: &Version) -> VersionView {
    VersionView {
        number: v.number,
        title: v.title.clone(),
        // Cleaned when it was published; cleaned again on the way out, so a row put
        // into the database by any other road cannot carry a script to a reader.
        body_html: bip::sanitize(&v.body_html),
        produced_by: v.produced_by.clone(),
        produced_on: ctx.date(&v.produced_on),
        produced_on_iso: v.produced_on.to_string(),
        responsible: v.responsible.clone(),
        entered_by: v.entered_by.clone(),
        entered_at: ctx.datetime(&v.entered_at),
        approved_by: v.approved_by.clone(),
        made_available: ctx.datetime(&v.made_available_at),
        made_available_iso: v.made_available_at.to_canonical(),
        reason: v.reason.clone(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/publication.html")]
pub struct PublicationPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub id: i64,
    pub section_slug: String,
    pub section: String,
    pub shown: VersionView,
    /// The version shown is not the current one (an archived version).
    pub archived: bool,
    pub current_number: i64,
    /// Every version made available so far, newest first: the Rejestr zmian.
    pub register: Vec<VersionView>,
    pub publication: Publication,
    pub removed_at: String,
    /// Reached from the print handler (which renders its own page).
    pub print: bool,
    /// An editor's preview of a draft.
    pub preview: bool,
    /// Share links of the current version (none on a preview, an archived version or a
    /// removed publication).
    pub share: Option<crate::web::share::Share>,
}

async fn publication_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    number: Option<i64>,
    print: bool,
) -> AppResult<PublicationPage> {
    let publication = store::publication(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = store::versions(&state.db, id, Some(state.clock.now())).await?;
    let current = versions.last().ok_or(AppError::NotFound)?;
    let shown = match number {
        None => current,
        Some(n) => versions
            .iter()
            .find(|v| v.number == n)
            .ok_or(AppError::NotFound)?,
    };
    Ok(PublicationPage {
        menu: menu(&ctx, Some(&publication.section)),
        id,
        section_slug: publication.section.clone(),
        section: section_label(&ctx, &publication.section),
        shown: version_view(&ctx, shown),
        archived: shown.number != current.number,
        current_number: current.number,
        register: versions
            .iter()
            .rev()
            .map(|v| version_view(&ctx, v))
            .collect(),
        removed_at: publication
            .removed_at
            .as_ref()
            .map(|t| ctx.datetime(t))
            .unwrap_or_default(),
        publication,
        print,
        preview: false,
        share: None,
        ctx,
    })
}

pub async fn publication(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<PublicationPage> {
    let mut page = publication_page(&state, ctx, id, None, false).await?;
    if page.publication.removed_at.is_none() {
        let url = format!(
            "{}/bip/publikacje/{id}",
            super::feeds::base_url(&state, &headers)
        );
        page.share = Some(crate::web::share::Share::of(
            &page.shown.title,
            &url,
            state.config.share_mastodon_instance.as_deref(),
        ));
    }
    Ok(page)
}

pub async fn version(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, number)): Path<(i64, i64)>,
) -> AppResult<PublicationPage> {
    publication_page(&state, ctx, id, Some(number), false).await
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/print.html")]
pub struct PrintPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub section: String,
    pub shown: VersionView,
    pub printed_at: String,
}

/// The print view: the current version and its metadata only, with the address and
/// the moment of printing (as BIPs print them).
pub async fn print(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<PrintPage> {
    let page = publication_page(&state, ctx, id, None, true).await?;
    Ok(PrintPage {
        printed_at: page.ctx.datetime(&state.clock.now()),
        id,
        section: page.section,
        shown: page.shown,
        ctx: page.ctx,
    })
}

pub const REGISTER_PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

pub struct ChangeView {
    pub line: ChangeLine,
    pub at: String,
    pub at_iso: String,
    pub section: String,
    pub kind_label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/changes.html")]
pub struct ChangesPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub lines: Vec<ChangeView>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

pub async fn change_register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(query): Query<PageQuery>,
) -> AppResult<ChangesPage> {
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let (lines, total) = store::changes(
        &state.db,
        state.clock.now(),
        (page - 1) * REGISTER_PAGE,
        REGISTER_PAGE,
    )
    .await?;
    let lines = lines
        .into_iter()
        .map(|line| ChangeView {
            at: ctx.datetime(&line.changed_at),
            at_iso: line.changed_at.to_canonical(),
            section: section_label(&ctx, &line.section),
            kind_label: ctx.t(&format!("bip-change-{}", line.kind)),
            line,
        })
        .collect();
    Ok(ChangesPage {
        menu: menu(&ctx, None),
        lines,
        page,
        pages: ((total + REGISTER_PAGE - 1) / REGISTER_PAGE).max(1),
        total,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/removed.html")]
pub struct RemovedPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub removed: Vec<(Removed, String, String)>,
}

pub async fn removed(State(state): State<AppState>, ctx: PageCtx) -> AppResult<RemovedPage> {
    let removed = store::removed(&state.db)
        .await?
        .into_iter()
        .map(|r| {
            let at = ctx.datetime(&r.removed_at);
            let section = section_label(&ctx, &r.section);
            (r, at, section)
        })
        .collect();
    Ok(RemovedPage {
        menu: menu(&ctx, None),
        removed,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/withheld.html")]
pub struct WithheldPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub records: Vec<(Withheld, String)>,
}

pub async fn withheld(State(state): State<AppState>, ctx: PageCtx) -> AppResult<WithheldPage> {
    let records = store::withheld(&state.db)
        .await?
        .into_iter()
        .map(|w| {
            let d = ctx.date(&w.decided_on);
            (w, d)
        })
        .collect();
    Ok(WithheldPage {
        menu: menu(&ctx, None),
        records,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/editors.html")]
pub struct EditorsPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub editors: Vec<Editor>,
    pub office: org_store::Office,
    pub editorial_address: String,
}

pub async fn editors(State(state): State<AppState>, ctx: PageCtx) -> AppResult<EditorsPage> {
    let settings = store::settings(&state.db).await?;
    Ok(EditorsPage {
        menu: menu(&ctx, None),
        editors: store::editors(&state.db).await?,
        office: org_store::office(&state.db).await?.unwrap_or_default(),
        editorial_address: settings.editorial_address,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/instruction.html")]
pub struct InstructionPage {
    pub ctx: PageCtx,
    pub menu: Vec<MenuEntry>,
    pub sections: usize,
}

pub async fn instruction(ctx: PageCtx) -> AppResult<InstructionPage> {
    Ok(InstructionPage {
        menu: menu(&ctx, None),
        sections: SECTIONS.len(),
        ctx,
    })
}
