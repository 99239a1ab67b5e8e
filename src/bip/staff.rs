//! The BIP editor for staff: the list of publications, a new publication, the draft
//! editor with preview, review by a second person, publishing now or at a set moment,
//! removing, the withheld-information form and the BIP settings. Drafts may be
//! incomplete; publishing checks every rule (`magistrat_domain::bip::check_version`)
//! and answers the editor again with every problem (422) when one fails.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::public::{MenuEntry, PublicationPage, VersionView, menu, section_label};
use super::service::{self, BipError, Editor};
use super::store::{self, Draft, Settings, StaffItem};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, FormReader, Pairs, value};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;
use magistrat_domain::bip::{self, Refusal, SECTIONS, Status, VersionInput, WithheldInput};

fn editor(staff: &Staff) -> Editor {
    let Staff(user, visitor) = staff;
    Editor {
        user_id: user.id,
        name: user.display_name.clone(),
        actor: visitor.actor(),
    }
}

/// A publication in the editors' list.
pub struct Row {
    pub item: StaffItem,
    pub section: String,
    pub status_label: String,
    pub scheduled: bool,
    pub last: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/staff/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<Row>,
    pub review_required: bool,
    pub can_configure: bool,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ListPage> {
    let now = state.clock.now();
    let settings = store::settings(&state.db).await?;
    let rows = store::staff_list(&state.db)
        .await?
        .into_iter()
        .map(|item| Row {
            section: section_label(&ctx, &item.section),
            status_label: ctx.t(&status_key(item.status)),
            scheduled: service::is_scheduled(item.status, item.last_available_at, now),
            last: item
                .last_available_at
                .as_ref()
                .map(|t| ctx.datetime(t))
                .unwrap_or_default(),
            item,
        })
        .collect();
    Ok(ListPage {
        can_configure: ctx.can(Permission::ConfigureBip),
        ctx,
        rows,
        review_required: settings.review_required,
    })
}

fn status_key(status: Status) -> String {
    format!("bip-status-{}", status.as_str().replace('_', "-"))
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/staff/edit.html")]
pub struct EditPage {
    pub ctx: PageCtx,
    /// `None`: a new publication.
    pub id: Option<i64>,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
    pub status_label: String,
    pub status: Option<Status>,
    pub version_count: i64,
    pub has_draft: bool,
    pub in_review: bool,
    pub review_required: bool,
    /// Whether this user submitted the draft in review (and so may not approve it).
    pub own_review: bool,
    pub publish_at: String,
    pub publish_at_error: Option<String>,
    pub remove_error: Option<String>,
}

impl EditPage {
    pub fn action(&self) -> String {
        self.id.map_or_else(
            || "/staff/bip/new".to_owned(),
            |id| format!("/staff/bip/{id}"),
        )
    }
}

/// The editor's fields, filled with `d` and marked with `errors`.
fn fields(
    ctx: &PageCtx,
    form: &mut FormBuilder<'_>,
    section: Option<&str>,
    d: &Draft,
    first_version: bool,
) -> Vec<Field> {
    let lang = ctx.lang;
    let mut out = Vec::new();
    if let Some(section) = section {
        let options = SECTIONS
            .iter()
            .map(|s| {
                let label = match s.parent {
                    Some(p) => format!("{} › {}", section_label(ctx, p), ctx.t(s.label_key)),
                    None => ctx.t(s.label_key),
                };
                (s.slug.to_owned(), label)
            })
            .collect();
        out.push(form.field(
            Field::text(lang, "section", "bip-field-section", section.to_owned()).select(options),
        ));
    }
    out.push(form.field(Field::text(
        lang,
        "title",
        "bip-field-title",
        d.title.clone(),
    )));
    out.push(
        form.field(
            Field::text(lang, "body", "bip-field-body", d.body_html.clone())
                .kind("textarea")
                .hint(lang, "bip-field-body-hint"),
        ),
    );
    out.push(
        form.field(
            Field::text(
                lang,
                "produced_by",
                "bip-field-produced-by",
                d.produced_by.clone(),
            )
            .hint(lang, "bip-field-produced-by-hint"),
        ),
    );
    out.push(
        form.field(
            Field::text(
                lang,
                "produced_on",
                "bip-field-produced-on",
                d.produced_on.map(|d| d.to_string()).unwrap_or_default(),
            )
            .kind("date"),
        ),
    );
    out.push(
        form.field(
            Field::text(
                lang,
                "responsible",
                "bip-field-responsible",
                d.responsible.clone(),
            )
            .hint(lang, "bip-field-responsible-hint"),
        ),
    );
    let reason = Field::text(lang, "reason", "bip-field-reason", d.reason.clone())
        .kind("textarea")
        .hint(lang, "bip-field-reason-hint");
    out.push(form.field(if first_version {
        reason.optional()
    } else {
        reason
    }));
    out
}

#[allow(clippy::too_many_arguments, reason = "the editor page's parts, named")]
async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    user_id: i64,
    id: Option<i64>,
    section: Option<&str>,
    draft: &Draft,
    errors: &FormErrors,
    publish_at: &str,
) -> AppResult<EditPage> {
    let settings = store::settings(&state.db).await?;
    let publication = match id {
        Some(id) => Some(
            store::publication(&state.db, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let has_draft = match id {
        Some(id) => store::draft(&state.db, id).await?.is_some(),
        None => false,
    };
    let version_count = publication.as_ref().map_or(0, |p| p.version_count);
    let mut form = FormBuilder::new(ctx.lang, errors);
    let fields = fields(&ctx, &mut form, section, draft, version_count == 0);
    form.label("publish_at", "bip-field-publish-at");
    form.label("remove_reason", "bip-field-remove-reason");
    let error_summary = form.summary();
    let status = publication.as_ref().map(|p| p.status);
    Ok(EditPage {
        status_label: status.map(|s| ctx.t(&status_key(s))).unwrap_or_default(),
        in_review: status.is_some_and(Status::in_review),
        own_review: draft.submitted_by == Some(user_id),
        publish_at_error: errors.get("publish_at").map(|k| ctx.t(k)),
        remove_error: errors.get("remove_reason").map(|k| ctx.t(k)),
        publish_at: publish_at.to_owned(),
        review_required: settings.review_required,
        ctx,
        id,
        fields,
        error_summary,
        status,
        version_count,
        has_draft,
    })
}

/// The typed draft: every field as sent, the date parsed when it can be; with the
/// problems found (none when the draft may be saved).
fn read_draft(pairs: &Pairs) -> (Draft, FormErrors) {
    let mut form = FormReader::new(pairs);
    let produced_on = form.optional("produced_on", form::parse::date);
    let title = value(pairs, "title");
    if bip::collapse(title).is_empty() {
        form.error("title", "bip-error-title-missing");
    }
    let draft = Draft {
        title: bip::collapse(title),
        body_html: bip::sanitize(value(pairs, "body")),
        produced_by: bip::collapse(value(pairs, "produced_by")),
        produced_on,
        responsible: bip::collapse(value(pairs, "responsible")),
        reason: bip::collapse(value(pairs, "reason")),
        submitted_by: None,
    };
    match form.finish(Some(())) {
        Ok(()) => (draft, FormErrors::new()),
        Err(errors) => (draft, errors),
    }
}

fn input_of(d: &Draft) -> VersionInput {
    VersionInput {
        title: d.title.clone(),
        body_html: d.body_html.clone(),
        produced_by: d.produced_by.clone(),
        produced_on: d.produced_on,
        responsible: d.responsible.clone(),
        reason: d.reason.clone(),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<EditPage> {
    let draft = Draft {
        produced_on: Some(state.clock.today()),
        ..Draft::default()
    };
    edit_page(
        &state,
        ctx,
        user.id,
        None,
        Some("ogloszenia"),
        &draft,
        &FormErrors::new(),
        "",
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let section = value(&pairs, "section").to_owned();
    let (draft, mut errors) = read_draft(&pairs);
    if bip::section_by_slug(&section).is_none() {
        errors.add("section", "bip-error-section");
    }
    if !errors.is_empty() {
        let page = edit_page(
            &state,
            ctx,
            staff.0.id,
            None,
            Some(&section),
            &draft,
            &errors,
            "",
        )
        .await?;
        return Ok(form::respond(&errors, page));
    }
    let id = service::create(&state.db, &editor(&staff), &section, &input_of(&draft))
        .await
        .map_err(map_error)?;
    Ok(redirect_with_flash(
        &format!("/staff/bip/{id}"),
        "bip-draft-saved",
        state.config.behind_tls(),
    ))
}

/// The working copy to show: the draft, or else a fresh copy of the newest version
/// (without a reason: the next change needs its own).
async fn working_copy(state: &AppState, id: i64) -> AppResult<Draft> {
    if let Some(d) = store::draft(&state.db, id).await? {
        return Ok(d);
    }
    let versions = store::versions(&state.db, id, None).await?;
    Ok(versions.last().map_or_else(Draft::default, |v| Draft {
        title: v.title.clone(),
        body_html: v.body_html.clone(),
        produced_by: v.produced_by.clone(),
        produced_on: Some(v.produced_on),
        responsible: v.responsible.clone(),
        reason: String::new(),
        submitted_by: None,
    }))
}

pub async fn edit(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<EditPage> {
    let draft = working_copy(&state, id).await?;
    edit_page(
        &state,
        ctx,
        user.id,
        Some(id),
        None,
        &draft,
        &FormErrors::new(),
        "",
    )
    .await
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (draft, errors) = read_draft(&pairs);
    if !errors.is_empty() {
        let page = edit_page(&state, ctx, staff.0.id, Some(id), None, &draft, &errors, "").await?;
        return Ok(form::respond(&errors, page));
    }
    match service::save(&state.db, &editor(&staff), id, &input_of(&draft)).await {
        Ok(()) => {}
        Err(BipError::Refused(r)) => {
            return refused(&state, ctx, staff.0.id, id, "title", refusal_key(r)).await;
        }
        Err(e) => return Err(map_error(e)),
    }
    Ok(redirect_with_flash(
        &format!("/staff/bip/{id}"),
        "bip-draft-saved",
        state.config.behind_tls(),
    ))
}

/// An editor's step the state machine refused: said on the editor page, 409.
async fn refused(
    state: &AppState,
    ctx: PageCtx,
    user_id: i64,
    id: i64,
    field: &'static str,
    key: String,
) -> AppResult<Response> {
    let mut errors = FormErrors::new();
    errors.add(field, key);
    let draft = working_copy(state, id).await?;
    let page = edit_page(state, ctx, user_id, Some(id), None, &draft, &errors, "").await?;
    Ok((axum::http::StatusCode::CONFLICT, page).into_response())
}

fn refusal_key(r: Refusal) -> String {
    format!("bip-error-{}", r.code().trim_start_matches("bip."))
}

/// Errors that are not the form's: the store's and "no such publication".
fn map_error(e: BipError) -> AppError {
    match e {
        BipError::NotFound | BipError::UnknownSection => AppError::NotFound,
        BipError::Store(e) => e.into(),
        other => AppError::Internal(anyhow::anyhow!("{other}")),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let typed_at = value(&pairs, "publish_at").trim().to_owned();
    let publish_at = if typed_at.is_empty() {
        None
    } else {
        match parse_local(&typed_at) {
            Some(at) => Some(at),
            None => {
                return refused(
                    &state,
                    ctx,
                    staff.0.id,
                    id,
                    "publish_at",
                    "bip-error-publish-at".into(),
                )
                .await;
            }
        }
    };
    match service::publish(&state.db, &editor(&staff), id, publish_at).await {
        Ok(_) => Ok(redirect_with_flash(
            &format!("/staff/bip/{id}"),
            if publish_at.is_some() {
                "bip-scheduled"
            } else {
                "bip-published"
            },
            state.config.behind_tls(),
        )),
        Err(BipError::Invalid(problems)) => {
            let mut errors = FormErrors::new();
            for p in problems {
                errors.add(
                    p.field(),
                    format!("bip-error-{}", p.code().trim_start_matches("bip.")),
                );
            }
            let draft = working_copy(&state, id).await?;
            let page = edit_page(
                &state,
                ctx,
                staff.0.id,
                Some(id),
                None,
                &draft,
                &errors,
                &typed_at,
            )
            .await?;
            Ok(form::respond(&errors, page))
        }
        Err(BipError::PublishAtPassed) => {
            refused(
                &state,
                ctx,
                staff.0.id,
                id,
                "publish_at",
                "bip-error-publish-at-passed".into(),
            )
            .await
        }
        Err(BipError::NoDraft) => {
            refused(
                &state,
                ctx,
                staff.0.id,
                id,
                "title",
                "bip-error-no-draft".into(),
            )
            .await
        }
        Err(BipError::Refused(r)) => {
            refused(&state, ctx, staff.0.id, id, "publish_at", refusal_key(r)).await
        }
        Err(e) => Err(map_error(e)),
    }
}

/// `YYYY-MM-DDTHH:MM` as a browser's datetime-local sends it, in Europe/Warsaw.
fn parse_local(s: &str) -> Option<jiff::Timestamp> {
    let dt: jiff::civil::DateTime = s.parse().ok()?;
    dt.to_zoned(crate::WARSAW.clone())
        .ok()
        .map(|z| z.timestamp())
}

pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    review_step(state, staff, ctx, id, true).await
}

pub async fn return_draft(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    review_step(state, staff, ctx, id, false).await
}

async fn review_step(
    state: AppState,
    staff: Staff,
    ctx: PageCtx,
    id: i64,
    submit: bool,
) -> AppResult<Response> {
    match service::review(&state.db, &editor(&staff), id, submit).await {
        Ok(()) => Ok(redirect_with_flash(
            &format!("/staff/bip/{id}"),
            if submit {
                "bip-submitted"
            } else {
                "bip-returned"
            },
            state.config.behind_tls(),
        )),
        Err(BipError::Refused(r)) => {
            refused(&state, ctx, staff.0.id, id, "publish_at", refusal_key(r)).await
        }
        Err(BipError::NoDraft) => {
            refused(
                &state,
                ctx,
                staff.0.id,
                id,
                "title",
                "bip-error-no-draft".into(),
            )
            .await
        }
        Err(e) => Err(map_error(e)),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let reason = value(&pairs, "remove_reason");
    match service::remove(&state.db, &editor(&staff), id, reason).await {
        Ok(()) => Ok(redirect_with_flash(
            "/staff/bip",
            "bip-removed",
            state.config.behind_tls(),
        )),
        Err(BipError::RemovalReason) => {
            let mut errors = FormErrors::new();
            errors.add("remove_reason", "bip-error-remove-reason");
            let draft = working_copy(&state, id).await?;
            let page =
                edit_page(&state, ctx, staff.0.id, Some(id), None, &draft, &errors, "").await?;
            Ok(form::respond(&errors, page))
        }
        Err(BipError::Refused(r)) => {
            refused(&state, ctx, staff.0.id, id, "remove_reason", refusal_key(r)).await
        }
        Err(e) => Err(map_error(e)),
    }
}

/// The draft as the public will see it, with the metadata it will carry.
pub async fn preview(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<PublicationPage> {
    let publication = store::publication(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = working_copy(&state, id).await?;
    let versions = store::versions(&state.db, id, None).await?;
    let not_yet = ctx.t("bip-preview-not-yet");
    let shown = VersionView {
        number: publication.version_count + i64::from(store::draft(&state.db, id).await?.is_some()),
        title: draft.title.clone(),
        body_html: bip::sanitize(&draft.body_html),
        produced_by: draft.produced_by.clone(),
        produced_on: draft
            .produced_on
            .map(|d| ctx.date(&d))
            .unwrap_or_else(|| not_yet.clone()),
        produced_on_iso: draft.produced_on.map(|d| d.to_string()).unwrap_or_default(),
        responsible: draft.responsible.clone(),
        entered_by: user.display_name.clone(),
        entered_at: not_yet.clone(),
        approved_by: None,
        made_available: not_yet,
        made_available_iso: String::new(),
        reason: draft.reason.clone(),
    };
    let menu: Vec<MenuEntry> = menu(&ctx, Some(&publication.section));
    Ok(PublicationPage {
        menu,
        id,
        section_slug: publication.section.clone(),
        section: section_label(&ctx, &publication.section),
        current_number: versions.last().map_or(0, |v| v.number),
        shown,
        archived: false,
        register: Vec::new(),
        removed_at: String::new(),
        publication,
        print: false,
        preview: true,
        ctx,
        share: None,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/staff/withheld.html")]
pub struct WithheldFormPage {
    pub ctx: PageCtx,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
}

fn withheld_page(ctx: PageCtx, pairs: &Pairs, errors: &FormErrors) -> WithheldFormPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let v = |n| value(pairs, n).to_owned();
    let fields = vec![
        form.field(
            Field::text(lang, "scope", "bip-withheld-scope", v("scope"))
                .kind("textarea")
                .hint(lang, "bip-withheld-scope-hint"),
        ),
        form.field(Field::text(
            lang,
            "legal_basis",
            "bip-withheld-basis",
            v("legal_basis"),
        )),
        form.field(Field::text(
            lang,
            "decided_by",
            "bip-withheld-decided-by",
            v("decided_by"),
        )),
        form.field(
            Field::text(
                lang,
                "in_interest_of",
                "bip-withheld-in-interest-of",
                v("in_interest_of"),
            )
            .optional()
            .hint(lang, "bip-withheld-in-interest-of-hint"),
        ),
        form.field(
            Field::text(
                lang,
                "decided_on",
                "bip-withheld-decided-on",
                v("decided_on"),
            )
            .kind("date"),
        ),
    ];
    let error_summary = form.summary();
    WithheldFormPage {
        ctx,
        fields,
        error_summary,
    }
}

pub async fn withheld_form(ctx: PageCtx) -> AppResult<WithheldFormPage> {
    Ok(withheld_page(ctx, &Vec::new(), &FormErrors::new()))
}

pub async fn add_withheld(
    State(state): State<AppState>,
    staff: Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut form = FormReader::new(&pairs);
    let decided_on = form.optional("decided_on", form::parse::date);
    let mut errors = form.errors().clone();
    let input = WithheldInput {
        scope: value(&pairs, "scope").to_owned(),
        legal_basis: value(&pairs, "legal_basis").to_owned(),
        decided_by: value(&pairs, "decided_by").to_owned(),
        in_interest_of: value(&pairs, "in_interest_of").to_owned(),
        decided_on,
    };
    if errors.is_empty() {
        match service::add_withheld(&state.db, &editor(&staff), &input, state.clock.today()).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    "/bip/informacje-nieudostepnione",
                    "bip-withheld-added",
                    state.config.behind_tls(),
                ));
            }
            Err(BipError::WithheldInvalid(problems)) => {
                for p in problems {
                    errors.add(
                        p.field(),
                        format!("bip-error-{}", p.code().trim_start_matches("bip.")),
                    );
                }
            }
            Err(e) => return Err(map_error(e)),
        }
    }
    let page = withheld_page(ctx, &pairs, &errors);
    Ok(form::respond(&errors, page))
}

#[derive(Template, WebTemplate)]
#[template(path = "bip/staff/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub review_required: bool,
    pub fields: Vec<Field>,
    pub error_summary: Vec<(String, String)>,
}

fn settings_page(ctx: PageCtx, s: &Settings, errors: &FormErrors) -> SettingsPage {
    let mut form = FormBuilder::new(ctx.lang, errors);
    let fields = settings_fields(&mut form, &ctx, s);
    let error_summary = form.summary();
    SettingsPage {
        review_required: s.review_required,
        ctx,
        fields,
        error_summary,
    }
}

/// The settings form's fields: the editorial address and the accessibility
/// declaration's data.
fn settings_fields(form: &mut FormBuilder, ctx: &PageCtx, s: &Settings) -> Vec<Field> {
    let lang = ctx.lang;
    let date = |name: &'static str, label: &'static str, on: Option<jiff::civil::Date>| {
        let value = on.map(|d| d.to_string()).unwrap_or_default();
        Field::text(lang, name, label, value).kind("date")
    };
    let statuses = ["zgodna", "czesciowo", "niezgodna"]
        .into_iter()
        .map(|k| (k.to_owned(), ctx.t(&format!("a11y-status-{k}"))))
        .collect();
    vec![
        form.field(
            Field::text(
                lang,
                "editorial_address",
                "bip-settings-address",
                s.editorial_address.clone(),
            )
            .optional()
            .hint(lang, "bip-settings-address-hint"),
        ),
        form.field(
            Field::text(
                lang,
                "a11y_status",
                "a11y-status-heading",
                s.a11y_status.clone(),
            )
            .select(statuses),
        ),
        form.field(date(
            "a11y_published_on",
            "a11y-published-on",
            s.a11y_published_on,
        )),
        form.field(date(
            "a11y_updated_on",
            "a11y-updated-on",
            s.a11y_updated_on,
        )),
        form.field(date(
            "a11y_prepared_on",
            "a11y-prepared-on",
            s.a11y_prepared_on,
        )),
        form.field(date(
            "a11y_reviewed_on",
            "a11y-reviewed-on",
            s.a11y_reviewed_on,
        )),
        form.field(
            Field::text(
                lang,
                "a11y_not_accessible",
                "a11y-not-accessible",
                s.a11y_not_accessible.clone(),
            )
            .kind("textarea")
            .optional()
            .hint(lang, "bip-settings-lines-hint"),
        ),
        form.field(Field::text(
            lang,
            "a11y_contact_person",
            "bip-settings-contact-person",
            s.a11y_contact_person.clone(),
        )),
        form.field(
            Field::text(lang, "a11y_email", "bip-email", s.a11y_email.clone()).kind("email"),
        ),
        form.field(Field::text(
            lang,
            "a11y_phone",
            "bip-phone",
            s.a11y_phone.clone(),
        )),
        form.field(
            Field::text(lang, "a11y_apps", "a11y-apps", s.a11y_apps.clone())
                .kind("textarea")
                .optional(),
        ),
    ]
}

pub async fn settings_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<SettingsPage> {
    let s = store::settings(&state.db).await?;
    Ok(settings_page(ctx, &s, &FormErrors::new()))
}

pub async fn save_settings(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ConfigureBip)?;
    let mut form = FormReader::new(&pairs);
    let date = |form: &mut FormReader<'_>, n| form.optional(n, form::parse::date);
    let s = Settings {
        review_required: form.checked("review_required"),
        editorial_address: form.optional_text("editorial_address", 500),
        a11y_status: {
            let v = form.value("a11y_status");
            if ["zgodna", "czesciowo", "niezgodna"].contains(&v) {
                v.to_owned()
            } else {
                form.error("a11y_status", "bip-error-a11y-status");
                "czesciowo".to_owned()
            }
        },
        a11y_published_on: date(&mut form, "a11y_published_on"),
        a11y_updated_on: date(&mut form, "a11y_updated_on"),
        a11y_prepared_on: date(&mut form, "a11y_prepared_on"),
        a11y_reviewed_on: date(&mut form, "a11y_reviewed_on"),
        a11y_not_accessible: value(&pairs, "a11y_not_accessible")
            .trim()
            .chars()
            .take(5000)
            .collect(),
        a11y_contact_person: form.text("a11y_contact_person", 200),
        a11y_email: form
            .required("a11y_email", |v| form::parse::email(v, 200))
            .unwrap_or_default(),
        a11y_phone: form.text("a11y_phone", 50),
        a11y_apps: value(&pairs, "a11y_apps")
            .trim()
            .chars()
            .take(5000)
            .collect(),
    };
    let errors = form.errors().clone();
    if !errors.is_empty() {
        let page = settings_page(ctx, &s, &errors);
        return Ok(form::respond(&errors, page));
    }
    let before = store::settings(&state.db).await?;
    if before != s {
        let mut tx = state.db.begin().await?;
        store::save_settings(&mut tx, &visitor.actor(), &before, &s).await?;
        tx.commit().await?;
    }
    Ok(redirect_with_flash(
        "/staff/bip",
        "bip-settings-saved",
        state.config.behind_tls(),
    ))
}
