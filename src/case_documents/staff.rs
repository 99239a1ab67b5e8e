//! The staff pages that keep the office's side of the letters: the templates (wzory
//! pism) and the register of authorisations to sign (KPA art. 268a).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use magistrat_domain::letters::{Element, LetterKind, PLACEHOLDERS};

use super::rules::{AuthorisationForm, TemplateForm};
use super::store::{self, AuthorisationRow, NewAuthorisation, TemplateData, TemplateRow};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::db::Db;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use crate::with_db;

// ---------------------------------------------------------------------------------
// Templates

pub struct TemplateLine {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/templates.html")]
pub struct TemplatesPage {
    pub ctx: PageCtx,
    pub templates: Vec<TemplateLine>,
}

pub async fn templates(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<TemplatesPage> {
    user.require(Permission::ManageLetterTemplates)?;
    let lang = ctx.lang;
    Ok(TemplatesPage {
        templates: store::templates(&state.db)
            .await?
            .into_iter()
            .map(|t| TemplateLine {
                id: t.id,
                kind: format!("{} ({})", lang.t(&t.kind.label_key()), t.kind.source()),
                name: t.name,
                active: t.active,
            })
            .collect(),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/template_form.html")]
pub struct TemplateFormPage {
    pub ctx: PageCtx,
    /// None: a new template.
    pub id: Option<i64>,
    pub kind: Field,
    pub name: Field,
    pub fields: Vec<Field>,
    pub active: bool,
    pub placeholders: String,
    pub error_summary: Vec<(String, String)>,
}

fn template_values(t: &TemplateRow) -> AppResult<Vec<(String, String)>> {
    let mut pairs = vec![
        ("kind".to_owned(), t.kind.as_str().to_owned()),
        ("name".to_owned(), t.name.clone()),
    ];
    if t.active {
        pairs.push(("active".to_owned(), "on".to_owned()));
    }
    for (e, text) in t.sections()? {
        pairs.push((e.as_str().to_owned(), text));
    }
    Ok(pairs)
}

fn template_form(
    ctx: PageCtx,
    id: Option<i64>,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> TemplateFormPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let mut kinds = vec![(String::new(), lang.t("letter-choose"))];
    kinds.extend(LetterKind::ALL.iter().map(|k| {
        (
            k.as_str().to_owned(),
            format!("{} ({})", lang.t(&k.label_key()), k.source()),
        )
    }));
    let kind = form.field(
        Field::text(lang, "kind", "letter-kind", value(pairs, "kind"))
            .select(kinds)
            .hint(lang, "letter-kind-hint"),
    );
    let name = form.field(Field::text(
        lang,
        "name",
        "letter-template-name",
        value(pairs, "name"),
    ));
    let chosen: Option<LetterKind> = value(pairs, "kind").parse().ok();
    // The elements of the chosen kind; of every kind for a new template.
    let elements: Vec<Element> = match chosen {
        Some(kind) => kind.elements().to_vec(),
        None => Element::ALL.to_vec(),
    };
    let fields = elements
        .into_iter()
        .map(|e| {
            form.field(
                Field::text(lang, e.as_str(), &e.label_key(), value(pairs, e.as_str()))
                    .kind(if e.is_short() { "text" } else { "textarea" })
                    .optional(),
            )
        })
        .collect();
    TemplateFormPage {
        error_summary: form.summary(),
        id,
        kind,
        name,
        fields,
        active: form::checked(pairs, "active"),
        placeholders: PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", "),
        ctx,
    }
}

pub async fn new_template(Staff(user, _): Staff, ctx: PageCtx) -> AppResult<TemplateFormPage> {
    user.require(Permission::ManageLetterTemplates)?;
    let defaults = vec![("active".to_owned(), "on".to_owned())];
    Ok(template_form(ctx, None, &defaults, &FormErrors::new()))
}

pub async fn create_template(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageLetterTemplates)?;
    let data = match TemplateData::try_from(TemplateForm { pairs: &pairs }) {
        Ok(d) => d,
        Err(errors) => {
            return Ok(form::respond(
                &errors,
                template_form(ctx, None, &pairs, &errors),
            ));
        }
    };
    let mut tx = state.db.begin().await?;
    let created = store::create_template(&mut tx, &visitor.actor(), &data).await;
    let id = match created {
        Ok(id) => id,
        Err(e) if is_unique(&e) => {
            drop(tx);
            let errors = FormErrors::one("name", "letter-template-name-taken");
            return Ok(form::respond(
                &errors,
                template_form(ctx, None, &pairs, &errors),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/letter-templates/{id}"),
        "letter-template-saved",
        state.config.behind_tls(),
    ))
}

fn is_unique(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

pub async fn edit_template(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<TemplateFormPage> {
    user.require(Permission::ManageLetterTemplates)?;
    let t = store::template(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(template_form(
        ctx,
        Some(id),
        &template_values(&t)?,
        &FormErrors::new(),
    ))
}

pub async fn update_template(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageLetterTemplates)?;
    let before = store::template(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = match TemplateData::try_from(TemplateForm { pairs: &pairs }) {
        Ok(d) => d,
        Err(errors) => {
            return Ok(form::respond(
                &errors,
                template_form(ctx, Some(id), &pairs, &errors),
            ));
        }
    };
    let mut tx = state.db.begin().await?;
    match store::update_template(&mut tx, &visitor.actor(), &before, &data).await {
        Ok(()) => {}
        Err(e) if is_unique(&e) => {
            drop(tx);
            let errors = FormErrors::one("name", "letter-template-name-taken");
            return Ok(form::respond(
                &errors,
                template_form(ctx, Some(id), &pairs, &errors),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/letter-templates/{id}"),
        "letter-template-saved",
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// The register of authorisations

pub struct AuthorisationLine {
    pub row: AuthorisationRow,
    pub period: String,
    pub valid: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "case_documents/authorisations.html")]
pub struct AuthorisationsPage {
    pub ctx: PageCtx,
    pub lines: Vec<AuthorisationLine>,
    pub user_id: Field,
    pub org_unit_id: Field,
    pub jrwa_symbol: Field,
    pub reference: Field,
    pub valid_from: Field,
    pub valid_to: Field,
    pub error_summary: Vec<(String, String)>,
}

/// Staff accounts that may sign: active, with an employee record (the signature names
/// their position, KPA art. 107 § 1 pkt 8).
async fn signers(db: &Db) -> AppResult<Vec<(String, String)>> {
    let rows: Vec<(i64, String, String)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT a.id, a.display_name, e.position FROM app_user a \
             JOIN employee e ON e.user_id = a.id WHERE a.active AND e.active \
             ORDER BY a.display_name",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, name, position)| (id.to_string(), format!("{name} — {position}")))
        .collect())
}

async fn unit_options(db: &Db) -> AppResult<Vec<(String, String)>> {
    Ok(crate::org::store::units(db)
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), format!("{} — {}", u.symbol, u.name)))
        .collect())
}

async fn authorisations_page(
    state: &AppState,
    ctx: PageCtx,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<AuthorisationsPage> {
    let lang: Lang = ctx.lang;
    let today = state.clock.today();
    let lines = store::authorisations(&state.db)
        .await?
        .into_iter()
        .map(|row| {
            let rule = row.rule();
            let valid = rule.revoked_or_expired(today);
            AuthorisationLine {
                period: match row.valid_to {
                    Some(to) => format!("{} – {}", row.valid_from.to_jiff(), to.to_jiff()),
                    None => format!("{} –", row.valid_from.to_jiff()),
                },
                valid: !valid,
                row,
            }
        })
        .collect();
    let mut form = FormBuilder::new(lang, errors);
    let choose = |mut options: Vec<(String, String)>| {
        options.insert(0, (String::new(), lang.t("letter-choose")));
        options
    };
    Ok(AuthorisationsPage {
        user_id: form.field(
            Field::text(lang, "user_id", "auth-person", value(pairs, "user_id"))
                .select(choose(signers(&state.db).await?)),
        ),
        org_unit_id: form.field(
            Field::text(
                lang,
                "org_unit_id",
                "auth-unit",
                value(pairs, "org_unit_id"),
            )
            .select(choose(unit_options(&state.db).await?))
            .hint(lang, "auth-unit-hint"),
        ),
        jrwa_symbol: form.field(
            Field::text(
                lang,
                "jrwa_symbol",
                "auth-jrwa",
                value(pairs, "jrwa_symbol"),
            )
            .optional()
            .hint(lang, "auth-jrwa-hint"),
        ),
        reference: form.field(
            Field::text(
                lang,
                "reference",
                "auth-reference",
                value(pairs, "reference"),
            )
            .hint(lang, "auth-reference-hint"),
        ),
        valid_from: form.field(
            Field::text(
                lang,
                "valid_from",
                "auth-valid-from",
                value(pairs, "valid_from"),
            )
            .kind("date"),
        ),
        valid_to: form.field(
            Field::text(lang, "valid_to", "auth-valid-to", value(pairs, "valid_to"))
                .kind("date")
                .optional(),
        ),
        error_summary: form.summary(),
        lines,
        ctx,
    })
}

pub async fn authorisations(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<AuthorisationsPage> {
    user.require(Permission::ManageAuthorisations)?;
    let defaults = vec![("valid_from".to_owned(), state.clock.today().to_string())];
    authorisations_page(&state, ctx, &defaults, &FormErrors::new()).await
}

pub async fn add_authorisation(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageAuthorisations)?;
    let users = signers(&state.db).await?;
    let units = unit_options(&state.db).await?;
    let new = match NewAuthorisation::try_from(AuthorisationForm {
        pairs: &pairs,
        users: &users,
        units: &units,
    }) {
        Ok(n) => n,
        Err(errors) => {
            let page = authorisations_page(&state, ctx, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let mut tx = state.db.begin().await?;
    store::add_authorisation(&mut tx, &visitor.actor(), &new).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/authorisations",
        "auth-added",
        state.config.behind_tls(),
    ))
}

pub async fn revoke_authorisation(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageAuthorisations)?;
    if !store::authorisations(&state.db)
        .await?
        .iter()
        .any(|a| a.id == id)
    {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    store::revoke_authorisation(&mut tx, &visitor.actor(), id).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/authorisations",
        "auth-revoked-flash",
        state.config.behind_tls(),
    ))
}
