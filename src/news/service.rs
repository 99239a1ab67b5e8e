//! What editors do with news items, each in one transaction: the rules
//! (`magistrat_domain::news`) are asked first, then the store writes, audited. A refused
//! step writes nothing. Other capabilities (the home page, the feeds, the sitemap) read
//! news only through [`latest`] and [`all_public`].

use jiff::Timestamp;

use super::store::{self, Image, Item, ItemData};
use crate::attachments::{self, CheckedFile};
use crate::db::audit::Actor;
use crate::db::{Db, UtcTime};
use crate::web::page::PageCtx;
use magistrat_domain::bip;
use magistrat_domain::news::{self, AltError, IMAGES_MAX, ItemError, ItemInput, Kind, Status};

/// Why an editor's step did not happen.
#[derive(Debug, thiserror::Error)]
pub enum NewsError {
    #[error("no such item")]
    NotFound,
    #[error("the item breaks the rules")]
    Invalid(Vec<ItemError>),
    #[error("the image's alt text breaks the rules")]
    Alt(AltError),
    #[error("the image is not a PNG or JPEG picture")]
    NotAnImage,
    #[error("the item has the most images it may have")]
    TooManyImages,
    #[error("the moment of publication has passed")]
    PublishAtPassed,
    #[error("the item is not published")]
    NotPublished,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The item as typed, cleaned: title and lead collapsed, the body through the BIP's HTML
/// policy (`bip::sanitize`), so nothing stored is markup the public page would not show.
pub fn cleaned(kind: Kind, title: &str, lead: &str, body: &str) -> ItemData {
    ItemData {
        kind,
        title: bip::collapse(title),
        lead: bip::collapse(lead),
        body_html: bip::sanitize(body),
    }
}

fn check(data: &ItemData) -> Result<(), NewsError> {
    let problems = news::check_item(&ItemInput {
        title: data.title.clone(),
        lead: data.lead.clone(),
        body_html: data.body_html.clone(),
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(NewsError::Invalid(problems))
    }
}

/// Starts an item as a draft.
pub async fn create(db: &Db, actor: &Actor, data: &ItemData) -> Result<i64, NewsError> {
    check(data)?;
    let mut tx = db.begin().await?;
    let id = store::create(&mut tx, actor, data).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an item's fields (a published item changes in place: news are not BIP
/// publications, which keep versions).
pub async fn save(db: &Db, actor: &Actor, id: i64, data: &ItemData) -> Result<(), NewsError> {
    check(data)?;
    let mut tx = db.begin().await?;
    store::update(&mut tx, actor, id, data)
        .await?
        .ok_or(NewsError::NotFound)?;
    tx.commit().await?;
    Ok(())
}

/// Publishes an item now or at `at` (which must be ahead of now).
pub async fn publish(
    db: &Db,
    actor: &Actor,
    id: i64,
    at: Option<Timestamp>,
) -> Result<UtcTime, NewsError> {
    let mut tx = db.begin().await?;
    let now = tx.now();
    let item = store::item_for_update(&mut tx, id)
        .await?
        .ok_or(NewsError::NotFound)?;
    check(&ItemData {
        kind: item.kind,
        title: item.title.clone(),
        lead: item.lead.clone(),
        body_html: item.body_html.clone(),
    })?;
    let at = match at {
        Some(at) if at <= now.0 => return Err(NewsError::PublishAtPassed),
        Some(at) => UtcTime::from_timestamp(at),
        None => now,
    };
    store::set_status(&mut tx, actor, &item, Status::Published, Some(at)).await?;
    tx.commit().await?;
    Ok(at)
}

/// Takes a published (or scheduled) item off the public pages.
pub async fn withdraw(db: &Db, actor: &Actor, id: i64) -> Result<(), NewsError> {
    let mut tx = db.begin().await?;
    let item = store::item_for_update(&mut tx, id)
        .await?
        .ok_or(NewsError::NotFound)?;
    if item.status != Status::Published {
        return Err(NewsError::NotPublished);
    }
    store::set_status(&mut tx, actor, &item, Status::Withdrawn, item.published_at).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a checked picture with its alt text (required unless `decorative`, explicitly).
/// The file is stored as an attachment (audited with its hash) and linked in the same
/// transaction: a refused image leaves nothing behind.
pub async fn add_image(
    db: &Db,
    actor: &Actor,
    id: i64,
    file: &CheckedFile,
    alt: &str,
    decorative: bool,
) -> Result<i64, NewsError> {
    let alt = news::check_alt(alt, decorative).map_err(NewsError::Alt)?;
    if !is_picture(file) {
        return Err(NewsError::NotAnImage);
    }
    let mut tx = db.begin().await?;
    store::item_for_update(&mut tx, id)
        .await?
        .ok_or(NewsError::NotFound)?;
    if store::image_count(&mut tx, id).await? >= IMAGES_MAX as i64 {
        return Err(NewsError::TooManyImages);
    }
    let attachment = attachments::store(&mut tx, actor, file).await?;
    let image = store::add_image(&mut tx, actor, id, attachment.0, &alt, decorative).await?;
    tx.commit().await?;
    Ok(image)
}

/// Whether the bytes proved a picture a browser shows (PNG or JPEG).
pub fn is_picture(file: &CheckedFile) -> bool {
    matches!(
        file.kind,
        attachments::FileKind::Png | attachments::FileKind::Jpeg
    )
}

/// Removes an image from its item.
pub async fn remove_image(db: &Db, actor: &Actor, id: i64, image_id: i64) -> Result<(), NewsError> {
    let image = store::image(db, image_id)
        .await?
        .filter(|i| i.news_id == id)
        .ok_or(NewsError::NotFound)?;
    let mut tx = db.begin().await?;
    store::remove_image(&mut tx, actor, &image).await?;
    tx.commit().await?;
    Ok(())
}

/// A public item with its first image, for lists, the home page and the feed.
#[derive(Clone, Debug)]
pub struct Listed {
    pub item: Item,
    pub image: Option<Image>,
}

/// The newest `limit` public items at `now`, with their first images.
pub async fn latest(db: &Db, now: UtcTime, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    page_of(db, now, limit, 0).await
}

/// Public items at `now`, `limit` from `offset`, with their first images.
pub async fn page_of(
    db: &Db,
    now: UtcTime,
    limit: i64,
    offset: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let items = store::public_page(db, now, limit, offset).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let images = store::first_images(db, &ids).await?;
    Ok(items
        .into_iter()
        .map(|item| Listed {
            image: images.iter().find(|i| i.news_id == item.id).cloned(),
            item,
        })
        .collect())
}

/// The pictures of each of `ids`, by item and in order (for the feed).
pub async fn images_of(db: &Db, ids: &[i64]) -> Result<Vec<Image>, sqlx::Error> {
    store::images_of(db, ids).await
}

/// Every public item at `now` (for the sitemap), newest first.
pub async fn all_public(db: &Db, now: UtcTime) -> Result<Vec<Item>, sqlx::Error> {
    store::public_page(db, now, i64::MAX, 0).await
}

/// An item if the public may see it at `now`.
pub async fn public_item(db: &Db, now: UtcTime, id: i64) -> Result<Option<Item>, sqlx::Error> {
    Ok(store::item(db, id)
        .await?
        .filter(|i| news::is_public(i.status, i.published_at.map(|t| t.0), now.0)))
}

/// An item in a list, ready to show.
pub struct Card {
    pub id: i64,
    pub title: String,
    pub lead: String,
    pub kind_label: String,
    pub announcement: bool,
    pub published: String,
    pub published_iso: String,
    pub image: Option<Image>,
}

/// The Fluent id of a kind's name.
pub fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::News => "news-kind-news",
        Kind::Announcement => "news-kind-announcement",
    }
}

/// Items as the lists show them (the news list and the home page).
pub fn cards(ctx: &PageCtx, listed: Vec<Listed>) -> Vec<Card> {
    listed
        .into_iter()
        .map(|l| Card {
            id: l.item.id,
            kind_label: ctx.t(kind_key(l.item.kind)),
            announcement: l.item.kind == Kind::Announcement,
            published: l
                .item
                .published_at
                .as_ref()
                .map(|t| ctx.date(&t.in_warsaw().date()))
                .unwrap_or_default(),
            published_iso: l
                .item
                .published_at
                .as_ref()
                .map(|t| t.in_warsaw().date().to_string())
                .unwrap_or_default(),
            title: l.item.title,
            lead: l.item.lead,
            image: l.image,
        })
        .collect()
}
