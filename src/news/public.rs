//! News for everyone: the list at `/aktualnosci` with its pages, each item's page, and
//! the items' pictures. Only what is public by the office's clock is shown; a draft,
//! a withdrawn item or one scheduled for later is "not found" here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::service::{self, Card, cards, kind_key};
use super::store::{self, Image, Item};
use crate::app::AppState;
use crate::attachments;
use crate::db::Db;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use magistrat_domain::bip;
use magistrat_domain::news::{self, PER_PAGE};

#[derive(Template, WebTemplate)]
#[template(path = "news/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub cards: Vec<Card>,
    pub page: usize,
    pub pages: usize,
}

#[derive(Deserialize)]
pub struct ListQuery {
    strona: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<ListPage> {
    let now = state.clock.now();
    let number = match q.strona.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(s) => s.parse::<usize>().map_err(|_| AppError::NotFound)?,
    };
    let total = store::public_count(&state.db, now).await?;
    let page = news::page(usize::try_from(total).unwrap_or(0), number).ok_or(AppError::NotFound)?;
    let listed = service::page_of(
        &state.db,
        now,
        PER_PAGE as i64,
        i64::try_from(page.offset).unwrap_or(0),
    )
    .await?;
    Ok(ListPage {
        cards: cards(&ctx, listed),
        page: page.number,
        pages: page.count,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "news/item.html")]
pub struct ItemPage {
    pub ctx: PageCtx,
    pub item: Item,
    pub body_html: String,
    pub kind_label: String,
    pub published: String,
    pub published_iso: String,
    pub images: Vec<ImageView>,
    /// `Some(staff link)` when an editor previews an item not (yet) public.
    pub preview: Option<String>,
    /// Share links of a public item (none on a preview).
    pub share: Option<crate::web::share::Share>,
}

/// An image with the address it is served at.
pub struct ImageView {
    pub src: String,
    pub alt: String,
}

/// The item's page, for the public (`preview` None) or an editor's preview.
pub async fn item_page(
    db: &Db,
    ctx: PageCtx,
    item: Item,
    preview: Option<String>,
) -> AppResult<ItemPage> {
    let images = store::images(db, item.id)
        .await?
        .into_iter()
        .map(|i| ImageView {
            src: if preview.is_some() {
                format!("/staff/news/images/{}", i.id)
            } else {
                format!("/aktualnosci/obrazy/{}", i.id)
            },
            alt: i.alt,
        })
        .collect();
    let (published, published_iso) = item.published_at.as_ref().map_or_else(
        || (String::new(), String::new()),
        |t| (ctx.datetime(t), t.to_canonical()),
    );
    Ok(ItemPage {
        body_html: bip::sanitize(&item.body_html),
        kind_label: ctx.t(kind_key(item.kind)),
        published,
        published_iso,
        images,
        preview,
        share: None,
        item,
        ctx,
    })
}

pub async fn item(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ItemPage> {
    let item = service::public_item(&state.db, state.clock.now(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut page = item_page(&state.db, ctx, item, None).await?;
    let url = format!(
        "{}/aktualnosci/{id}",
        crate::bip::feeds::base_url(&state, &headers)
    );
    page.share = Some(crate::web::share::Share::of(
        &page.item.title,
        &url,
        state.config.share_mastodon_instance.as_deref(),
    ));
    Ok(page)
}

/// A public item's picture: inline, with the type its bytes proved, `nosniff` and a
/// sandboxing CSP.
pub async fn image(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let image = store::image(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    service::public_item(&state.db, state.clock.now(), image.news_id)
        .await?
        .ok_or(AppError::NotFound)?;
    serve(&state.db, &image, "public, max-age=300").await
}

/// The picture's bytes as a response (public or staff).
pub async fn serve(db: &Db, image: &Image, cache: &'static str) -> AppResult<Response> {
    let file = attachments::load(db, image.attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = match file.content_type.as_str() {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        file.content,
    )
        .into_response())
}
