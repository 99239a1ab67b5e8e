//! The staff pages of report categories: the list, a new category and editing one
//! (name, public description, unit, service-level term, keywords, group, whether
//! residents may choose it, and its attributes — Open311 attribute definitions).
//!
//! Who may (src/auth/policy.rs): `ManageServiceCards` — the office's catalogue of what
//! residents can ask for, report categories included. An administrator holds it for
//! the whole office; a head of unit for their units and below: they see and edit the
//! categories of those units only, and give a category only one of them (a category
//! without a unit is the whole office's).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::category_form::{
    BLANK_ROWS, CategoryForm, CategoryInput, DATATYPES, ROW_INPUTS, values_text,
};
use super::service::{self, CategoryData};
use super::store::{Attribute, Category};
use crate::app::AppState;
use crate::auth::policy::{Permission, Scope};
use crate::auth::scope::{ScopedUnits, UnitScope};
use crate::auth::session::Staff;
use crate::db::audit::Actor;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Pairs, Unique, on_unique};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// A category's code is unique: one saved meanwhile with the same code is told at the
/// code field.
const CODE_UNIQUE: &[Unique] = &[Unique {
    constraint: "report_category_code",
    columns: "report_category.code",
    field: "code",
    message: "rcat-code-taken",
}];

/// The categories a user may edit: all, or those of their units.
struct Editable {
    units: ScopedUnits,
}

impl Editable {
    async fn load(scope: &UnitScope) -> AppResult<Editable> {
        scope.user().require(Permission::ManageServiceCards)?;
        Ok(Editable {
            units: scope.units(Permission::ManageServiceCards).await?,
        })
    }

    fn office_wide(&self) -> bool {
        matches!(self.units.scope, Scope::Office)
    }

    fn covers(&self, unit: Option<i64>) -> bool {
        match unit {
            None => self.office_wide(),
            Some(unit) => self.units.allows(unit),
        }
    }

    /// The category by id, if the user may edit it: 404 unknown, 403 another unit's.
    async fn category(&self, state: &AppState, id: i64) -> AppResult<Category> {
        let k = service::category_by_id(&state.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.covers(k.org_unit_id) {
            return Err(AppError::Forbidden);
        }
        Ok(k)
    }

    /// The unit select's options: "none" for the whole office (office-wide editors
    /// only), then the units in scope valid this year.
    fn unit_options(&self, lang: Lang) -> Vec<(String, String)> {
        let mut options = Vec::new();
        if self.office_wide() {
            options.push((String::new(), lang.t("rcat-unit-none")));
        }
        options.extend(
            self.units
                .all()
                .iter()
                .filter(|u| self.units.allows(u.id) && u.is_valid_in(self.units.year))
                .map(|u| (u.id.to_string(), format!("{} — {}", u.symbol, u.name))),
        );
        options
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/categories.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub categories: Vec<Category>,
}

impl ListPage {
    pub fn attribute_count(&self, k: &Category) -> usize {
        k.attribute_list().len()
    }
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<ListPage> {
    let editable = Editable::load(&scope).await?;
    let categories = service::categories(&state.db)
        .await?
        .into_iter()
        .filter(|k| editable.covers(k.org_unit_id))
        .collect();
    Ok(ListPage { ctx, categories })
}

/// One input of an attribute row.
pub struct RowInput {
    pub name: &'static str,
    pub id: String,
    pub value: String,
    pub error: Option<String>,
    /// The Fluent id of its label (with the row number).
    pub label_key: String,
}

/// An attribute row of the form: its five inputs, in [`ROW_INPUTS`] order.
pub struct AttributeRow {
    pub number: usize,
    pub inputs: Vec<RowInput>,
}

#[derive(Template, WebTemplate)]
#[template(path = "problem_reports/category_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    /// None: a new category.
    pub category: Option<Category>,
    pub action: String,
    pub code: Option<Field>,
    pub name: Field,
    pub description: Field,
    pub org_unit_id: Field,
    pub term_days: Field,
    pub keywords: Field,
    pub group_name: Field,
    pub active: bool,
    pub rows: Vec<AttributeRow>,
    pub datatypes: [&'static str; 6],
    pub error_summary: Vec<(String, String)>,
}

/// The form's values for an existing category (or a new one's defaults).
fn values_of(k: Option<&Category>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut push = |name: &str, value: String| pairs.push((name.to_owned(), value));
    match k {
        None => {
            push("term_days", "14".to_owned());
            push("active", "on".to_owned());
        }
        Some(k) => {
            push("code", k.code.clone());
            push("name", k.name.clone());
            push("description", k.description.clone());
            push(
                "org_unit_id",
                k.org_unit_id.map(|u| u.to_string()).unwrap_or_default(),
            );
            push("term_days", k.term_days.to_string());
            push("keywords", k.keywords.clone());
            push("group_name", k.group_name.clone());
            if k.active {
                push("active", "on".to_owned());
            }
            for a in k.attribute_list() {
                push("attr_code", a.code.clone());
                push("attr_datatype", a.datatype.clone());
                push(
                    "attr_required",
                    if a.required { "yes" } else { "no" }.to_owned(),
                );
                push("attr_description", a.description.clone());
                push("attr_values", values_text(&a.values));
            }
        }
    }
    pairs
}

fn form_page(
    ctx: PageCtx,
    editable: &Editable,
    category: Option<Category>,
    values: &Pairs,
    errors: &FormErrors,
) -> FormPage {
    let lang = ctx.lang;
    let mut f = FormBuilder::with_values(lang, errors, values);
    let code = category.is_none().then(|| {
        let field = f.input("code", "rcat-code").required();
        Field {
            hint: Some(lang.t("rcat-code-hint")),
            ..field
        }
    });
    let name = f.input("name", "rcat-name").required();
    let description = f
        .input("description", "rcat-description")
        .required()
        .kind("textarea")
        .hint(lang, "rcat-description-hint");
    let unit_field = Field::text(lang, "org_unit_id", "rcat-unit", f.value("org_unit_id"))
        .optional()
        .select(editable.unit_options(lang));
    let org_unit_id = f.field(unit_field);
    let term_days = f
        .input("term_days", "rcat-term-days")
        .required()
        .kind("number")
        .hint(lang, "rcat-term-days-hint");
    let keywords = f.input("keywords", "rcat-keywords");
    let group_name = f.input("group_name", "rcat-group");
    let active = form::checked(values, "active");
    // The rows as sent (or stored), and blank ones to add attributes with.
    let column = |name: &str| -> Vec<String> {
        values
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let columns: Vec<Vec<String>> = ROW_INPUTS.iter().map(|n| column(n)).collect();
    let filled = columns.iter().map(Vec::len).max().unwrap_or(0);
    let rows = (0..filled + BLANK_ROWS)
        .map(|i| AttributeRow {
            number: i + 1,
            inputs: ROW_INPUTS
                .iter()
                .enumerate()
                .map(|(c, name)| {
                    let key = format!("{name}-{i}");
                    let error = f.error(&key);
                    let label_key = format!("rcat-{}", name.replace('_', "-"));
                    if error.is_some() {
                        f.label_as(
                            key.clone(),
                            lang.t_args(
                                &label_key,
                                &[("row", i64::try_from(i + 1).unwrap_or(0).into())],
                            ),
                        );
                    }
                    RowInput {
                        name,
                        id: form::field_id(&key),
                        value: columns[c].get(i).cloned().unwrap_or_else(|| match *name {
                            "attr_datatype" => "string".to_owned(),
                            "attr_required" => "no".to_owned(),
                            _ => String::new(),
                        }),
                        error,
                        label_key,
                    }
                })
                .collect(),
        })
        .collect();
    FormPage {
        action: match &category {
            Some(k) => format!("/staff/report-categories/{}", k.id),
            None => "/staff/report-categories/new".to_owned(),
        },
        error_summary: f.summary(),
        category,
        code,
        name,
        description,
        org_unit_id,
        term_days,
        keywords,
        group_name,
        active,
        rows,
        datatypes: DATATYPES,
        ctx,
    }
}

pub async fn new(scope: UnitScope, ctx: PageCtx) -> AppResult<FormPage> {
    let editable = Editable::load(&scope).await?;
    Ok(form_page(
        ctx,
        &editable,
        None,
        &values_of(None),
        &FormErrors::new(),
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let editable = Editable::load(&scope).await?;
    let k = editable.category(&state, id).await?;
    let values = values_of(Some(&k));
    Ok(form_page(
        ctx,
        &editable,
        Some(k),
        &values,
        &FormErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    save(state, visitor.actor(), ctx, editable, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let editable = Editable::load(&scope).await?;
    let k = editable.category(&state, id).await?;
    save(state, visitor.actor(), ctx, editable, Some(k), pairs).await
}

async fn save(
    state: AppState,
    actor: Actor,
    ctx: PageCtx,
    editable: Editable,
    before: Option<Category>,
    pairs: Vec<(String, String)>,
) -> AppResult<Response> {
    let input = CategoryInput::try_from(CategoryForm {
        pairs: &pairs,
        creating: before.is_none(),
    })
    .and_then(|input| {
        // Only a unit the page offered (in scope, valid this year; or none for an
        // office-wide editor).
        let offered = editable.unit_options(ctx.lang);
        let chosen = input.org_unit_id.map(|u| u.to_string()).unwrap_or_default();
        if offered.iter().any(|(v, _)| *v == chosen) {
            Ok(input)
        } else {
            Err(FormErrors::one("org_unit_id", "rcat-unit-invalid"))
        }
    });
    let input = match input {
        Ok(input) => input,
        Err(errors) => {
            let page = form_page(ctx, &editable, before, &pairs, &errors);
            return Ok(form::respond(&errors, page));
        }
    };
    let data = data_of(&input, before.as_ref());
    match service::save_category(&state.db, &actor, before.as_ref(), &data).await {
        Ok(_) => Ok(redirect_with_flash(
            "/staff/report-categories",
            "rcat-saved",
            state.config.behind_tls(),
        )),
        Err(e) => {
            let errors = on_unique(e, CODE_UNIQUE)?;
            let page = form_page(ctx, &editable, before, &pairs, &errors);
            Ok(form::respond(&errors, page).into_response())
        }
    }
}

fn data_of(input: &CategoryInput, before: Option<&Category>) -> CategoryData {
    let attributes: Vec<Attribute> = input.attributes.clone();
    CategoryData {
        code: match before {
            Some(k) => k.code.clone(),
            None => input.code.clone().unwrap_or_default(),
        },
        name: input.name.clone(),
        org_unit_id: input.org_unit_id,
        description: input.description.clone(),
        keywords: input.keywords.clone(),
        group_name: input.group_name.clone(),
        attributes,
        term_days: input.term_days,
        active: input.active,
        position: before.map_or(i32::MAX / 2, |k| k.position),
    }
}
