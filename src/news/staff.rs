//! The news editor for staff (`/staff/news…`, `Permission::EditBip`): the list, a new
//! item, the editor with its pictures (alt text required, "decorative" only when
//! ticked), preview, publishing now or at a set moment, withdrawing. Every problem is
//! said on the field with the error summary (422); nothing is half-written.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};

use super::public::{ItemPage, item_page, serve};
use super::service::{self, NewsError, kind_key};
use super::store::{self, Image, Item, ItemData};
use crate::app::AppState;
use crate::attachments::{self, check_uploads, read_multipart};
use crate::auth::session::Staff;
use crate::db::audit::Actor;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Pairs, checked, value};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use magistrat_domain::news::{self, Kind, Status};

fn actor(staff: &Staff) -> Actor {
    staff.1.actor()
}

/// An item in the editors' list.
pub struct Row {
    pub item: Item,
    pub kind_label: String,
    pub status_label: String,
    pub when: String,
}

fn status_label(ctx: &PageCtx, item: &Item, now: crate::db::UtcTime) -> String {
    match item.status {
        Status::Published if item.published_at.is_some_and(|t| t > now) => {
            ctx.t("news-status-scheduled")
        }
        Status::Published => ctx.t("news-status-published"),
        Status::Draft => ctx.t("news-status-draft"),
        Status::Withdrawn => ctx.t("news-status-withdrawn"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "news/staff/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<Row>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ListPage> {
    let now = state.clock.now();
    let rows = store::staff_list(&state.db)
        .await?
        .into_iter()
        .map(|item| Row {
            kind_label: ctx.t(kind_key(item.kind)),
            status_label: status_label(&ctx, &item, now),
            when: item
                .published_at
                .as_ref()
                .map(|t| ctx.datetime(t))
                .unwrap_or_default(),
            item,
        })
        .collect();
    Ok(ListPage { ctx, rows })
}

/// A picture on the editor page.
pub struct ImageRow {
    pub image: Image,
    pub alt_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "news/staff/edit.html")]
pub struct EditPage {
    pub ctx: PageCtx,
    /// `None`: a new item.
    pub item: Option<Item>,
    pub status_label: String,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
    pub images: Vec<ImageRow>,
    pub can_add_image: bool,
    pub image_file_error: Option<String>,
    pub image_alt_error: Option<String>,
    pub image_alt: String,
    pub image_decorative: bool,
    pub image_hint: String,
    pub publish_at: String,
    pub publish_at_error: Option<String>,
    pub public: bool,
}

impl EditPage {
    pub fn action(&self) -> String {
        self.item.as_ref().map_or_else(
            || "/staff/news/new".to_owned(),
            |i| format!("/staff/news/{}", i.id),
        )
    }

    pub fn published(&self) -> bool {
        self.item
            .as_ref()
            .is_some_and(|i| i.status == Status::Published)
    }
}

/// What the page shows besides the item's own fields.
#[derive(Default)]
struct Shown<'a> {
    errors: FormErrors,
    image_alt: &'a str,
    image_decorative: bool,
    publish_at: &'a str,
}

async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    item: Option<Item>,
    data: &ItemData,
    shown: &Shown<'_>,
) -> AppResult<EditPage> {
    let lang = ctx.lang;
    let errors = &shown.errors;
    let mut form = FormBuilder::new(lang, errors);
    let kinds = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), ctx.t(kind_key(*k))))
        .collect();
    let fields = vec![
        form.field(Field::text(lang, "kind", "news-field-kind", data.kind.as_str()).select(kinds)),
        form.field(Field::text(
            lang,
            "title",
            "news-field-title",
            data.title.clone(),
        )),
        form.field(
            Field::text(lang, "lead", "news-field-lead", data.lead.clone())
                .kind("textarea")
                .hint(lang, "news-field-lead-hint"),
        ),
        form.field(
            Field::text(lang, "body", "news-field-body", data.body_html.clone())
                .kind("textarea")
                .optional()
                .hint(lang, "bip-field-body-hint"),
        ),
    ];
    form.label("image", "news-field-image");
    form.label("alt", "news-field-alt");
    form.label("publish_at", "news-field-publish-at");
    let error_summary = form.summary();
    let images: Vec<ImageRow> = match &item {
        Some(i) => store::images(&state.db, i.id)
            .await?
            .into_iter()
            .map(|image| ImageRow {
                alt_text: if image.decorative {
                    ctx.t("news-image-decorative")
                } else {
                    image.alt.clone()
                },
                image,
            })
            .collect(),
        None => Vec::new(),
    };
    let now = state.clock.now();
    let limits = state.config.attachment_limits();
    Ok(EditPage {
        status_label: item
            .as_ref()
            .map(|i| status_label(&ctx, i, now))
            .unwrap_or_default(),
        public: item
            .as_ref()
            .is_some_and(|i| news::is_public(i.status, i.published_at.map(|t| t.0), now.0)),
        can_add_image: images.len() < news::IMAGES_MAX,
        images,
        image_file_error: form.error("image"),
        image_alt_error: form.error("alt"),
        image_alt: shown.image_alt.to_owned(),
        image_decorative: shown.image_decorative,
        image_hint: ctx.t1(
            "news-field-image-hint",
            "size",
            attachments::limit_text(limits.max_file_bytes),
        ),
        publish_at: shown.publish_at.to_owned(),
        publish_at_error: form.error("publish_at"),
        fields,
        error_summary,
        item,
        ctx,
    })
}

/// The item as typed; `None` kind is a problem on the field.
fn read_item(pairs: &Pairs, errors: &mut FormErrors) -> ItemData {
    let kind = Kind::parse(value(pairs, "kind").trim()).unwrap_or_else(|| {
        errors.add("kind", "form-choice-unknown");
        Kind::News
    });
    let data = service::cleaned(
        kind,
        value(pairs, "title"),
        value(pairs, "lead"),
        value(pairs, "body"),
    );
    for e in news::check_item(&news::ItemInput {
        title: data.title.clone(),
        lead: data.lead.clone(),
        body_html: data.body_html.clone(),
    }) {
        errors.add(e.field(), error_key(e.code()));
    }
    data
}

/// `news.alt_missing` → `news-error-alt-missing`.
fn error_key(code: &str) -> String {
    format!(
        "news-error-{}",
        code.trim_start_matches("news.").replace('_', "-")
    )
}

fn data_of(item: &Item) -> ItemData {
    ItemData {
        kind: item.kind,
        title: item.title.clone(),
        lead: item.lead.clone(),
        body_html: item.body_html.clone(),
    }
}

async fn existing(state: &AppState, id: i64) -> AppResult<Item> {
    store::item(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn new_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<EditPage> {
    let data = ItemData {
        kind: Kind::News,
        title: String::new(),
        lead: String::new(),
        body_html: String::new(),
    };
    edit_page(&state, ctx, None, &data, &Shown::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let data = read_item(&pairs, &mut errors);
    if !errors.is_empty() {
        let shown = Shown {
            errors,
            ..Shown::default()
        };
        let page = edit_page(&state, ctx, None, &data, &shown).await?;
        return Ok(form::respond(&shown.errors, page));
    }
    let id = service::create(&state.db, &actor(&staff), &data)
        .await
        .map_err(map_error)?;
    Ok(redirect_with_flash(
        &format!("/staff/news/{id}"),
        "news-saved",
        state.config.behind_tls(),
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<EditPage> {
    let item = existing(&state, id).await?;
    let data = data_of(&item);
    edit_page(&state, ctx, Some(item), &data, &Shown::default()).await
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let item = existing(&state, id).await?;
    let mut errors = FormErrors::new();
    let data = read_item(&pairs, &mut errors);
    if !errors.is_empty() {
        let shown = Shown {
            errors,
            ..Shown::default()
        };
        let page = edit_page(&state, ctx, Some(item), &data, &shown).await?;
        return Ok(form::respond(&shown.errors, page));
    }
    service::save(&state.db, &actor(&staff), id, &data)
        .await
        .map_err(map_error)?;
    Ok(redirect_with_flash(
        &format!("/staff/news/{id}"),
        "news-saved",
        state.config.behind_tls(),
    ))
}

/// The item's public page as it will look, for an editor (any status).
pub async fn preview(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ItemPage> {
    let item = existing(&state, id).await?;
    item_page(&state.db, ctx, item, Some(format!("/staff/news/{id}"))).await
}

/// An image of any item, for the editor and the preview.
pub async fn image(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let image = store::image(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    serve(&state.db, &image, "private, no-store").await
}

/// The page again with one problem on `field`, answered with `status`.
async fn again(
    state: &AppState,
    ctx: PageCtx,
    item: Item,
    shown: Shown<'_>,
    status: axum::http::StatusCode,
) -> AppResult<Response> {
    let data = data_of(&item);
    let page = edit_page(state, ctx, Some(item), &data, &shown).await?;
    Ok((status, page).into_response())
}

const UNPROCESSABLE: axum::http::StatusCode = axum::http::StatusCode::UNPROCESSABLE_ENTITY;

pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let item = existing(&state, id).await?;
    let typed = value(&pairs, "publish_at").trim();
    let at = if typed.is_empty() {
        None
    } else if let Some(at) = parse_local(typed) {
        Some(at)
    } else {
        let shown = Shown {
            errors: FormErrors::one("publish_at", "news-error-publish-at"),
            publish_at: typed,
            ..Shown::default()
        };
        return again(&state, ctx, item, shown, UNPROCESSABLE).await;
    };
    match service::publish(&state.db, &actor(&staff), id, at).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/staff/news/{id}"),
            if at.is_some() {
                "news-scheduled"
            } else {
                "news-published"
            },
            state.config.behind_tls(),
        )),
        Err(NewsError::PublishAtPassed) => {
            let shown = Shown {
                errors: FormErrors::one("publish_at", "news-error-publish-at-passed"),
                publish_at: typed,
                ..Shown::default()
            };
            again(&state, ctx, item, shown, UNPROCESSABLE).await
        }
        Err(NewsError::Invalid(problems)) => {
            let mut errors = FormErrors::new();
            for p in problems {
                errors.add(p.field(), error_key(p.code()));
            }
            let shown = Shown {
                errors,
                ..Shown::default()
            };
            again(&state, ctx, item, shown, UNPROCESSABLE).await
        }
        Err(e) => Err(map_error(e)),
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match service::withdraw(&state.db, &actor(&staff), id).await {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/staff/news/{id}"),
            "news-withdrawn",
            state.config.behind_tls(),
        )),
        Err(NewsError::NotPublished) => Err(AppError::Conflict("news-error-not-published")),
        Err(e) => Err(map_error(e)),
    }
}

/// Adds a picture: the file checked by its content (PNG or JPEG only), the alt text
/// required unless "decorative" is ticked.
pub async fn add_image(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<Response> {
    let item = existing(&state, id).await?;
    let upload = read_multipart(request).await?;
    let limits = state.config.attachment_limits();
    let mut errors = FormErrors::new();
    let files = check_uploads(upload.files_of("image"), "image", &limits, &mut errors);
    let alt = value(&upload.fields, "alt");
    let decorative = checked(&upload.fields, "decorative");
    if files.is_empty() && errors.get("image").is_none() {
        errors.add("image", "news-error-image-missing");
    } else if files.len() > 1 {
        errors.add("image", "news-error-image-one");
    } else if files.first().is_some_and(|f| !service::is_picture(f)) {
        errors.add("image", "news-error-image-type");
    }
    if let Err(e) = news::check_alt(alt, decorative) {
        errors.add("alt", error_key(e.code()));
    }
    let (Some(file), true) = (files.first(), errors.is_empty()) else {
        let shown = Shown {
            errors,
            image_alt: alt,
            image_decorative: decorative,
            ..Shown::default()
        };
        return again(&state, ctx, item, shown, UNPROCESSABLE).await;
    };
    match service::add_image(&state.db, &actor(&staff), id, file, alt, decorative).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/staff/news/{id}#h-images"),
            "news-image-added",
            state.config.behind_tls(),
        )),
        Err(NewsError::TooManyImages) => {
            let shown = Shown {
                errors: FormErrors::one("image", "news-error-image-too-many"),
                image_alt: alt,
                image_decorative: decorative,
                ..Shown::default()
            };
            again(&state, ctx, item, shown, UNPROCESSABLE).await
        }
        Err(e) => Err(map_error(e)),
    }
}

pub async fn remove_image(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, image_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    service::remove_image(&state.db, &actor(&staff), id, image_id)
        .await
        .map_err(map_error)?;
    Ok(redirect_with_flash(
        &format!("/staff/news/{id}#h-images"),
        "news-image-removed",
        state.config.behind_tls(),
    ))
}

fn map_error(e: NewsError) -> AppError {
    match e {
        NewsError::NotFound => AppError::NotFound,
        NewsError::Db(e) => e.into(),
        other => AppError::Internal(anyhow::anyhow!("{other}")),
    }
}

/// `YYYY-MM-DDTHH:MM` as a browser's datetime-local sends it, in Europe/Warsaw.
fn parse_local(s: &str) -> Option<jiff::Timestamp> {
    let dt: jiff::civil::DateTime = s.parse().ok()?;
    dt.to_zoned(crate::WARSAW.clone())
        .ok()
        .map(|z| z.timestamp())
}
