//! Setting up a location's service point: its ticket categories (prefix, matters
//! covered, bookable, typical service time, daily quota) and its desks (the categories
//! each serves). Opening hours and closing days are the location's own (org).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::rules::{CategoryForm, DeskForm};
use super::store::{self, Category, CategoryData, Desk, DeskData, Source};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::org::store::{self as org, Location};
use crate::platform::form::{self, Checkbox, Choices, Field, FormBuilder, FormErrors, on_unique};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

async fn location(state: &AppState, id: i64) -> AppResult<Location> {
    org::location(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub location: Location,
    pub categories: Vec<Category>,
    pub desks: Vec<Desk>,
}

impl SetupPage {
    pub fn codes(&self, desk: &Desk) -> String {
        self.categories
            .iter()
            .filter(|k| desk.categories.contains(&k.id))
            .map(|k| k.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn page(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<SetupPage> {
    user.require(Permission::ManageServicePoints)?;
    let location = location(&state, id).await?;
    Ok(SetupPage {
        ctx,
        categories: store::categories(Source::Db(&state.db), id).await?,
        desks: store::desks(Source::Db(&state.db), id).await?,
        location,
    })
}

/// Where the form of a new (`editing` None) or existing category or desk is sent.
fn form_action(id: i64, what: &str, editing: Option<i64>) -> String {
    match editing {
        Some(one) => format!("/staff/service-points/{id}/{what}/{one}"),
        None => format!("/staff/service-points/{id}/{what}/new"),
    }
}

fn back_to_setup(state: &AppState, id: i64, flash: &'static str) -> Response {
    redirect_with_flash(
        &format!("/staff/service-points/{id}/setup"),
        flash,
        state.config.behind_tls(),
    )
}

// ---------------------------------------------------------------- categories

#[derive(Template, WebTemplate)]
#[template(path = "service_point/category_form.html")]
pub struct CategoryPage {
    pub ctx: PageCtx,
    pub location: Location,
    pub action: String,
    pub editing: bool,
    pub code: Field,
    pub name: Field,
    pub service_minutes: Field,
    pub daily_quota: Field,
    pub position: Field,
    pub bookable: Checkbox,
    pub active: Checkbox,
    pub cards: Choices,
    pub error_summary: Vec<(String, String)>,
}

fn category_page(
    ctx: PageCtx,
    location: Location,
    action: String,
    editing: bool,
    pairs: &[(String, String)],
    cards: Vec<(i64, String)>,
    errors: &FormErrors,
) -> CategoryPage {
    let lang: Lang = ctx.lang;
    let mut f = FormBuilder::with_values(lang, errors, pairs);
    let code = f.field(
        Field::text(lang, "code", "sp-category-code", f.value("code"))
            .hint(lang, "sp-category-code-hint"),
    );
    let name = f.field(Field::text(
        lang,
        "name",
        "sp-category-name",
        f.value("name"),
    ));
    let service_minutes = f.field(
        Field::text(
            lang,
            "service_minutes",
            "sp-category-minutes",
            f.value("service_minutes"),
        )
        .kind("number"),
    );
    let daily_quota = f.field(
        Field::text(
            lang,
            "daily_quota",
            "sp-category-quota",
            f.value("daily_quota"),
        )
        .kind("number")
        .optional()
        .hint(lang, "sp-category-quota-hint"),
    );
    let position = f.input("position", "sp-category-position").kind("number");
    let bookable = f.checkbox("bookable", "sp-category-bookable");
    let active = f.checkbox("active", "sp-active");
    let cards = f.choices(
        "cards",
        "sp-category-cards",
        cards.into_iter().map(|(id, n)| (id.to_string(), n)),
    );
    CategoryPage {
        location,
        action,
        editing,
        code,
        name,
        service_minutes,
        daily_quota,
        position,
        bookable,
        active,
        cards,
        error_summary: f.summary(),
        ctx,
    }
}

async fn card_choices(state: &AppState) -> AppResult<Vec<(i64, String)>> {
    Ok(crate::service_cards::store::published_cards(&state.db)
        .await?
        .into_iter()
        .map(|(c, _)| (c.id, format!("{} — {}", c.data.code, c.data.name)))
        .collect())
}

fn category_pairs(k: &Category, cards: &[i64]) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("code".to_owned(), k.code.clone()),
        ("name".to_owned(), k.name.clone()),
        ("service_minutes".to_owned(), k.service_minutes.to_string()),
        (
            "daily_quota".to_owned(),
            k.daily_quota.map(|q| q.to_string()).unwrap_or_default(),
        ),
        ("position".to_owned(), k.position.to_string()),
    ];
    if k.bookable {
        pairs.push(("bookable".to_owned(), "on".to_owned()));
    }
    if k.active {
        pairs.push(("active".to_owned(), "on".to_owned()));
    }
    pairs.extend(cards.iter().map(|c| ("cards".to_owned(), c.to_string())));
    pairs
}

pub async fn new_category(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<CategoryPage> {
    user.require(Permission::ManageServicePoints)?;
    let location = location(&state, id).await?;
    let pairs = vec![
        ("service_minutes".to_owned(), "10".to_owned()),
        ("active".to_owned(), "on".to_owned()),
    ];
    Ok(category_page(
        ctx,
        location,
        form_action(id, "categories", None),
        false,
        &pairs,
        card_choices(&state).await?,
        &FormErrors::new(),
    ))
}

async fn save_category(
    state: &AppState,
    staff: Staff,
    ctx: PageCtx,
    id: i64,
    editing: Option<i64>,
    pairs: Vec<(String, String)>,
) -> AppResult<Response> {
    let Staff(user, visitor) = staff;
    user.require(Permission::ManageServicePoints)?;
    let location = location(state, id).await?;
    let categories = store::categories(Source::Db(&state.db), id).await?;
    if let Some(k) = editing
        && !categories.iter().any(|c| c.id == k)
    {
        return Err(AppError::NotFound);
    }
    let choices = card_choices(state).await?;
    let card_ids: Vec<i64> = choices.iter().map(|(c, _)| *c).collect();
    let form = CategoryForm {
        pairs: &pairs,
        editing,
        categories: &categories,
        cards: &card_ids,
    };
    let errors = match CategoryData::try_from(form) {
        Ok(data) => {
            let mut tx = state.db.begin().await?;
            match store::save_category(&mut tx, &visitor.actor(), id, editing, &data).await {
                Ok(_) => {
                    tx.commit().await?;
                    return Ok(back_to_setup(state, id, "sp-category-saved"));
                }
                Err(e) => on_unique(e, CategoryForm::UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let action = form_action(id, "categories", editing);
    let page = category_page(
        ctx,
        location,
        action,
        editing.is_some(),
        &pairs,
        choices,
        &errors,
    );
    Ok(form::respond(&errors, page))
}

pub async fn create_category(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_category(&state, staff, ctx, id, None, pairs).await
}

pub async fn edit_category(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path((id, category)): Path<(i64, i64)>,
) -> AppResult<CategoryPage> {
    user.require(Permission::ManageServicePoints)?;
    let location = location(&state, id).await?;
    let k = store::categories(Source::Db(&state.db), id)
        .await?
        .into_iter()
        .find(|k| k.id == category)
        .ok_or(AppError::NotFound)?;
    let cards: Vec<i64> = store::category_cards(&state.db, id)
        .await?
        .into_iter()
        .filter(|(c, _)| *c == category)
        .map(|(_, card)| card)
        .collect();
    Ok(category_page(
        ctx,
        location,
        form_action(id, "categories", Some(category)),
        true,
        &category_pairs(&k, &cards),
        card_choices(&state).await?,
        &FormErrors::new(),
    ))
}

pub async fn update_category(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path((id, category)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_category(&state, staff, ctx, id, Some(category), pairs).await
}

// ---------------------------------------------------------------- desks

#[derive(Template, WebTemplate)]
#[template(path = "service_point/desk_form.html")]
pub struct DeskPage {
    pub ctx: PageCtx,
    pub location: Location,
    pub action: String,
    pub editing: bool,
    pub name: Field,
    pub active: Checkbox,
    pub categories: Choices,
    pub error_summary: Vec<(String, String)>,
}

fn desk_page(
    ctx: PageCtx,
    location: Location,
    action: String,
    editing: bool,
    pairs: &[(String, String)],
    categories: &[Category],
    errors: &FormErrors,
) -> DeskPage {
    let lang = ctx.lang;
    let mut f = FormBuilder::with_values(lang, errors, pairs);
    let name = f.input("name", "sp-desk-name").required();
    let active = f.checkbox("active", "sp-active");
    let categories = f.choices(
        "categories",
        "sp-desk-categories",
        categories
            .iter()
            .map(|k| (k.id.to_string(), format!("{} — {}", k.code, k.name))),
    );
    DeskPage {
        location,
        action,
        editing,
        name,
        active,
        categories,
        error_summary: f.summary(),
        ctx,
    }
}

pub async fn new_desk(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<DeskPage> {
    user.require(Permission::ManageServicePoints)?;
    let location = location(&state, id).await?;
    let categories = store::categories(Source::Db(&state.db), id).await?;
    Ok(desk_page(
        ctx,
        location,
        form_action(id, "desks", None),
        false,
        &[("active".to_owned(), "on".to_owned())],
        &categories,
        &FormErrors::new(),
    ))
}

async fn save_desk(
    state: &AppState,
    staff: Staff,
    ctx: PageCtx,
    id: i64,
    editing: Option<i64>,
    pairs: Vec<(String, String)>,
) -> AppResult<Response> {
    let Staff(user, visitor) = staff;
    user.require(Permission::ManageServicePoints)?;
    let location = location(state, id).await?;
    let categories = store::categories(Source::Db(&state.db), id).await?;
    if let Some(d) = editing
        && !store::desks(Source::Db(&state.db), id)
            .await?
            .iter()
            .any(|x| x.row.id == d)
    {
        return Err(AppError::NotFound);
    }
    let form = DeskForm {
        pairs: &pairs,
        categories: &categories,
    };
    let errors = match DeskData::try_from(form) {
        Ok(data) => {
            let mut tx = state.db.begin().await?;
            match store::save_desk(&mut tx, &visitor.actor(), id, editing, &data).await {
                Ok(_) => {
                    tx.commit().await?;
                    return Ok(back_to_setup(state, id, "sp-desk-saved"));
                }
                Err(e) => on_unique(e, DeskForm::UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let action = form_action(id, "desks", editing);
    let page = desk_page(
        ctx,
        location,
        action,
        editing.is_some(),
        &pairs,
        &categories,
        &errors,
    );
    Ok(form::respond(&errors, page))
}

pub async fn create_desk(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_desk(&state, staff, ctx, id, None, pairs).await
}

pub async fn edit_desk(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path((id, desk)): Path<(i64, i64)>,
) -> AppResult<DeskPage> {
    user.require(Permission::ManageServicePoints)?;
    let location = location(&state, id).await?;
    let categories = store::categories(Source::Db(&state.db), id).await?;
    let d = store::desks(Source::Db(&state.db), id)
        .await?
        .into_iter()
        .find(|d| d.row.id == desk)
        .ok_or(AppError::NotFound)?;
    let mut pairs = vec![("name".to_owned(), d.row.name.clone())];
    if d.row.active {
        pairs.push(("active".to_owned(), "on".to_owned()));
    }
    pairs.extend(
        d.categories
            .iter()
            .map(|k| ("categories".to_owned(), k.to_string())),
    );
    Ok(desk_page(
        ctx,
        location,
        form_action(id, "desks", Some(desk)),
        true,
        &pairs,
        &categories,
        &FormErrors::new(),
    ))
}

pub async fn update_desk(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path((id, desk)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save_desk(&state, staff, ctx, id, Some(desk), pairs).await
}
