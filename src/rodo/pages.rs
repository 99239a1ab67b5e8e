//! The pages: `/rodo` (public: the clause), and for the inspektor ochrony danych and the
//! administrator (`KeepDataProtection`) `/staff/rodo` (the register, the retention
//! periods and the job's last run), the clause's editor, the register's entries and
//! its CSV. Every problem is said on the field with the error summary (422); nothing
//! is half-written.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::service::{self, Settings, ShownPart, part_key};
use super::store::{self, Activity, ActivityData, Clause};
use crate::app::AppState;
use crate::auth::session::Staff;
use crate::platform::csv::Csv;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Pairs, value};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use magistrat_domain::rodo::{self, ActivityField, ClausePart, TextError};

fn error_key(e: TextError) -> &'static str {
    match e {
        TextError::Missing => "form-required",
        TextError::TooLong => "rodo-error-too-long",
    }
}

// ---------------------------------------------------------------------------------
// Public

#[derive(Template, WebTemplate)]
#[template(path = "rodo/public.html")]
pub struct PublicPage {
    pub ctx: PageCtx,
    pub parts: Option<Vec<ShownPart>>,
}

/// `/rodo`: the office's information clause.
pub async fn public(State(state): State<AppState>, ctx: PageCtx) -> AppResult<PublicPage> {
    let parts = service::shown_clause(&state.db, ctx.lang).await?;
    Ok(PublicPage { ctx, parts })
}

// ---------------------------------------------------------------------------------
// The overview

pub struct RemovedRow {
    pub label: String,
    pub count: u64,
}

#[derive(Template, WebTemplate)]
#[template(path = "rodo/staff/index.html")]
pub struct IndexPage {
    pub ctx: PageCtx,
    pub clause_written: bool,
    pub activities: Vec<Activity>,
    pub settings: Settings,
    pub last_run: Option<(String, Vec<RemovedRow>)>,
}

pub async fn index(State(state): State<AppState>, ctx: PageCtx) -> AppResult<IndexPage> {
    let clause_written = store::clause(&state.db).await?.is_some();
    let activities = store::activities(&state.db).await?;
    let last_run = service::last_run(&state.db, state.clock.today())
        .await?
        .map(|(day, counts)| {
            (
                ctx.date(&day),
                counts
                    .into_iter()
                    .map(|(k, count)| RemovedRow {
                        label: ctx.t(&format!("rodo-removed-{}", k.replace('_', "-"))),
                        count,
                    })
                    .collect(),
            )
        });
    Ok(IndexPage {
        clause_written,
        activities,
        settings: Settings::from_config(&state.config),
        last_run,
        ctx,
    })
}

// ---------------------------------------------------------------------------------
// The clause

#[derive(Template, WebTemplate)]
#[template(path = "rodo/staff/clause.html")]
pub struct ClausePage {
    pub ctx: PageCtx,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
}

fn clause_page(ctx: PageCtx, clause: &Clause, errors: &FormErrors) -> ClausePage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let fields = ClausePart::ALL
        .into_iter()
        .map(|p| {
            let mut f = Field::text(lang, p.as_str(), &part_key(p), clause.part(p))
                .kind("textarea")
                .hint(lang, &format!("{}-hint", part_key(p)));
            if p.optional() {
                f = f.optional();
            }
            form.field(f)
        })
        .collect();
    ClausePage {
        error_summary: form.summary(),
        fields,
        ctx,
    }
}

pub async fn clause_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ClausePage> {
    let clause = store::clause(&state.db).await?.unwrap_or_default();
    Ok(clause_page(ctx, &clause, &FormErrors::new()))
}

fn read_clause(pairs: &Pairs, errors: &mut FormErrors) -> Clause {
    let get = |p: ClausePart| value(pairs, p.as_str()).trim().to_owned();
    for (part, e) in rodo::check_clause(get) {
        errors.add(part.as_str(), error_key(e));
    }
    Clause {
        controller: get(ClausePart::Controller),
        dpo_contact: get(ClausePart::DpoContact),
        purposes: get(ClausePart::Purposes),
        recipients: get(ClausePart::Recipients),
        transfers: get(ClausePart::Transfers),
        retention: get(ClausePart::Retention),
        rights: get(ClausePart::Rights),
        complaint: get(ClausePart::Complaint),
        requirement: get(ClausePart::Requirement),
        automated: get(ClausePart::Automated),
    }
}

pub async fn save_clause(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let clause = read_clause(&pairs, &mut errors);
    if !errors.is_empty() {
        let page = clause_page(ctx, &clause, &errors);
        return Ok(form::respond(&errors, page));
    }
    let mut tx = state.db.begin().await?;
    store::save_clause(&mut tx, &visitor.actor(), &clause).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/rodo",
        "rodo-clause-saved",
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// The register of processing activities

fn field_key(f: ActivityField) -> String {
    format!("rodo-activity-{}", f.as_str().replace('_', "-"))
}

#[derive(Template, WebTemplate)]
#[template(path = "rodo/staff/activity.html")]
pub struct ActivityPage {
    pub ctx: PageCtx,
    /// `None`: a new entry.
    pub id: Option<i64>,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
}

impl ActivityPage {
    pub fn action(&self) -> String {
        self.id.map_or_else(
            || "/staff/rodo/activities/new".to_owned(),
            |id| format!("/staff/rodo/activities/{id}"),
        )
    }
}

fn activity_page(
    ctx: PageCtx,
    id: Option<i64>,
    data: &ActivityData,
    errors: &FormErrors,
) -> ActivityPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let fields = ActivityField::ALL
        .into_iter()
        .map(|f| {
            let mut field = Field::text(lang, f.as_str(), &field_key(f), data.field(f))
                .hint(lang, &format!("{}-hint", field_key(f)));
            if f != ActivityField::Name {
                field = field.kind("textarea");
            }
            if f.optional() {
                field = field.optional();
            }
            form.field(field)
        })
        .collect();
    ActivityPage {
        error_summary: form.summary(),
        fields,
        id,
        ctx,
    }
}

fn read_activity(pairs: &Pairs, errors: &mut FormErrors) -> ActivityData {
    let get = |f: ActivityField| value(pairs, f.as_str()).trim().to_owned();
    for (field, e) in rodo::check_activity(get) {
        errors.add(field.as_str(), error_key(e));
    }
    ActivityData {
        name: get(ActivityField::Name),
        purposes: get(ActivityField::Purposes),
        data_subjects: get(ActivityField::DataSubjects),
        data_categories: get(ActivityField::DataCategories),
        recipients: get(ActivityField::Recipients),
        transfers: get(ActivityField::Transfers),
        erasure: get(ActivityField::Erasure),
        security: get(ActivityField::Security),
    }
}

pub async fn new_activity(ctx: PageCtx) -> ActivityPage {
    activity_page(ctx, None, &ActivityData::default(), &FormErrors::new())
}

pub async fn create_activity(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    let data = read_activity(&pairs, &mut errors);
    if !errors.is_empty() {
        let page = activity_page(ctx, None, &data, &errors);
        return Ok(form::respond(&errors, page));
    }
    let mut tx = state.db.begin().await?;
    store::create_activity(&mut tx, &visitor.actor(), &data).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/rodo",
        "rodo-activity-saved",
        state.config.behind_tls(),
    ))
}

pub async fn edit_activity(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ActivityPage> {
    let activity = store::activity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(activity_page(
        ctx,
        Some(id),
        &activity.data,
        &FormErrors::new(),
    ))
}

pub async fn save_activity(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    store::activity(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let data = read_activity(&pairs, &mut errors);
    if !errors.is_empty() {
        let page = activity_page(ctx, Some(id), &data, &errors);
        return Ok(form::respond(&errors, page));
    }
    let mut tx = state.db.begin().await?;
    let saved = store::update_activity(&mut tx, &visitor.actor(), id, &data).await?;
    if saved.is_none() {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/rodo",
        "rodo-activity-saved",
        state.config.behind_tls(),
    ))
}

pub async fn delete_activity(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let deleted = store::delete_activity(&mut tx, &visitor.actor(), id).await?;
    if deleted.is_none() {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/rodo",
        "rodo-activity-deleted",
        state.config.behind_tls(),
    ))
}

/// The register as CSV (RODO art. 30 ust. 3: kept in writing, electronic form
/// included; ust. 4: made available to the Prezes UODO on request): the controller and
/// the data protection officer first (lit. a), then one row per activity.
pub async fn register_csv(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let clause = store::clause(&state.db).await?.unwrap_or_default();
    let mut csv = Csv::new();
    csv.row(&[ctx.t("rodo-part-controller"), clause.controller.clone()]);
    csv.row(&[ctx.t("rodo-part-dpo-contact"), clause.dpo_contact.clone()]);
    csv.row::<String>(&[]);
    let header: Vec<String> = ActivityField::ALL
        .into_iter()
        .map(|f| ctx.t(&field_key(f)))
        .collect();
    csv.row(&header);
    for a in store::activities(&state.db).await? {
        let row: Vec<&str> = ActivityField::ALL
            .into_iter()
            .map(|f| a.data.field(f))
            .collect();
        csv.row(&row);
    }
    Ok(csv
        .download("rejestr-czynnosci-przetwarzania.csv")
        .into_response())
}
