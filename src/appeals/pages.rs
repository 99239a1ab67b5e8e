//! The pages of appeals and ponaglenia: the case's list with the form to register one,
//! one appeal with the organ's disposition, and the list of those still to be passed
//! on, by the organ's last day (the official's deadline list).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jiff::civil::Date;
use magistrat_domain::appeals::{self, Challenge, Disposition};
use magistrat_domain::deadline::deadline_status;
use serde::Deserialize;

use super::rules::{AppealForm, DisposeForm};
use super::store::{self, AppealRow, DeliveredDecision, NewAppeal};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::cases::store::CaseFile;
use crate::db::Db;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

type Pairs = [(String, String)];

/// The case, after checking the user may see it (403 outside their scope).
async fn visible_case(db: &Db, scope: &UnitScope, id: i64) -> AppResult<CaseFile> {
    scope.user().require(Permission::ViewCases)?;
    let case = crate::cases::store::case_by_id(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope.allows(Permission::ViewCases, case.unit_id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

/// Whether the user acts on the case: its official, or the head over its unit.
async fn may_handle(scope: &UnitScope, case: &CaseFile) -> AppResult<bool> {
    if scope.allows(Permission::AssignCases, case.unit_id).await? {
        return Ok(true);
    }
    Ok(case.official_id == Some(scope.user().id)
        && scope.allows(Permission::HandleCases, case.unit_id).await?)
}

/// One appeal or ponaglenie as a list shows it.
pub struct AppealLine {
    pub id: i64,
    pub case_id: i64,
    pub znak: String,
    pub case_title: String,
    pub kind: String,
    pub decision: String,
    pub lodged_by: String,
    pub received: String,
    pub posted: String,
    /// "" for a ponaglenie (no party's term), else the words for in term / late.
    pub term: String,
    /// An appeal lodged after the party's term (art. 129 § 2): still forwarded, the
    /// appeal body declares it late (art. 134).
    pub late_appeal: bool,
    pub forward_by: String,
    /// "running", "due_today", "overdue" while pending; "" once disposed.
    pub deadline: &'static str,
    pub disposition: String,
    pub disposed: String,
    pub late: bool,
    pub higher_body: String,
    pub position: String,
}

fn line(ctx: &PageCtx, today: Date, row: AppealRow) -> AppealLine {
    let lang = ctx.lang;
    let term = match row.kind {
        Challenge::Ponaglenie => String::new(),
        Challenge::Appeal if row.in_term => lang.t("appeal-in-term"),
        Challenge::Appeal => lang.t("appeal-late"),
    };
    AppealLine {
        id: row.id,
        case_id: row.case_id,
        znak: row.znak,
        case_title: row.case_title,
        kind: lang.t(&row.kind.label_key()),
        decision: row.decision,
        lodged_by: row.lodged_by,
        received: ctx.date(&row.received_on.to_jiff()),
        posted: row
            .posted_on
            .map(|d| ctx.date(&d.to_jiff()))
            .unwrap_or_default(),
        term,
        late_appeal: row.kind == Challenge::Appeal && !row.in_term,
        forward_by: ctx.date(&row.forward_by.to_jiff()),
        deadline: if row.disposition == Disposition::Pending {
            deadline_status(row.forward_by.to_jiff(), today).code()
        } else {
            ""
        },
        disposition: lang.t(&row.disposition.label_key()),
        disposed: row
            .disposed_on
            .map(|d| ctx.date(&d.to_jiff()))
            .unwrap_or_default(),
        late: row.disposed_late,
        higher_body: row.higher_body,
        position: row.position,
    }
}

// ---------------------------------------------------------------------------------
// The case's appeals and ponaglenia

pub struct RegisterFormView {
    pub kind: Field,
    pub letter_id: Field,
    pub lodged_by: Field,
    pub received_on: Field,
    pub posted_on: Field,
    pub higher_body: Field,
}

#[derive(Template, WebTemplate)]
#[template(path = "appeals/case.html")]
pub struct CaseAppealsPage {
    pub ctx: PageCtx,
    pub case: CaseFile,
    pub lines: Vec<AppealLine>,
    pub form: Option<RegisterFormView>,
    pub error_summary: Vec<(String, String)>,
}

fn register_form(
    lang: Lang,
    builder: &mut FormBuilder<'_>,
    pairs: &Pairs,
    decisions: &[DeliveredDecision],
) -> RegisterFormView {
    let decision_options = decisions.iter().map(|d| {
        (
            d.letter_id.to_string(),
            format!("{} — {}", d.identifier, d.title),
        )
    });
    let kinds = Challenge::ALL
        .into_iter()
        .map(|c| (c.as_str().to_owned(), lang.t(&c.label_key())))
        .collect();
    let kind = match value(pairs, "kind") {
        "" => "appeal",
        k => k,
    };
    RegisterFormView {
        kind: builder.field(Field::text(lang, "kind", "appeal-kind", kind).select(kinds)),
        letter_id: builder.field(
            Field::text(
                lang,
                "letter_id",
                "appeal-decision",
                value(pairs, "letter_id"),
            )
            .select_after(lang, "appeal-choose-decision", decision_options)
            .optional()
            .hint(lang, "appeal-decision-hint"),
        ),
        lodged_by: builder.field(Field::text(
            lang,
            "lodged_by",
            "appeal-lodged-by",
            value(pairs, "lodged_by"),
        )),
        received_on: builder.field(
            Field::text(
                lang,
                "received_on",
                "appeal-received-on",
                value(pairs, "received_on"),
            )
            .kind("date")
            .hint(lang, "appeal-received-on-hint"),
        ),
        posted_on: builder.field(
            Field::text(
                lang,
                "posted_on",
                "appeal-posted-on",
                value(pairs, "posted_on"),
            )
            .kind("date")
            .optional()
            .hint(lang, "appeal-posted-on-hint"),
        ),
        higher_body: builder.field(
            Field::text(
                lang,
                "higher_body",
                "appeal-higher-body",
                value(pairs, "higher_body"),
            )
            .hint(lang, "appeal-higher-body-hint"),
        ),
    }
}

async fn case_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    case: CaseFile,
    pairs: &Pairs,
    errors: &FormErrors,
) -> AppResult<CaseAppealsPage> {
    let today = state.clock.today();
    let mut builder = FormBuilder::new(ctx.lang, errors);
    let form = if may_handle(scope, &case).await? {
        let decisions = store::delivered_decisions(&state.db, case.id).await?;
        Some(register_form(ctx.lang, &mut builder, pairs, &decisions))
    } else {
        None
    };
    let lines = store::appeals_of_case(&state.db, case.id)
        .await?
        .into_iter()
        .map(|r| line(&ctx, today, r))
        .collect();
    Ok(CaseAppealsPage {
        lines,
        form,
        error_summary: builder.summary(),
        case,
        ctx,
    })
}

pub async fn case_appeals(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<CaseAppealsPage> {
    let case = visible_case(&state.db, &scope, id).await?;
    case_page(&state, &scope, ctx, case, &[], &FormErrors::new()).await
}

pub async fn register(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let case = visible_case(&state.db, &scope, id).await?;
    if !may_handle(&scope, &case).await? {
        return Err(AppError::Forbidden);
    }
    let decisions = store::delivered_decisions(&state.db, case.id).await?;
    let today = state.clock.today();
    let new = match NewAppeal::try_from(AppealForm {
        pairs: &pairs,
        decisions: &decisions,
        initiated_on: case.received(),
        today,
    }) {
        Ok(new) => new,
        Err(errors) => {
            let page = case_page(&state, &scope, ctx, case, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let appeal_id = store::register(&mut tx, &actor, &case, &new, today).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/appeals/{appeal_id}"),
        "appeal-registered",
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// One appeal and its disposition

pub struct DisposeFormView {
    pub action: Field,
    pub on: Field,
    pub position: Field,
}

#[derive(Template, WebTemplate)]
#[template(path = "appeals/show.html")]
pub struct AppealPage {
    pub ctx: PageCtx,
    pub line: AppealLine,
    pub is_appeal: bool,
    pub source: &'static str,
    pub form: Option<DisposeFormView>,
    pub error_summary: Vec<(String, String)>,
}

async fn appeal_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    row: AppealRow,
    case: &CaseFile,
    pairs: &Pairs,
    errors: &FormErrors,
) -> AppResult<AppealPage> {
    let lang = ctx.lang;
    let mut builder = FormBuilder::new(lang, errors);
    let pending = row.disposition == Disposition::Pending;
    let form = if pending && may_handle(scope, case).await? {
        let mut actions = vec![("forward".to_owned(), lang.t("appeal-action-forward"))];
        if row.kind == Challenge::Appeal {
            actions.push((
                "self_review".to_owned(),
                lang.t("appeal-action-self-review"),
            ));
        }
        let action = match value(pairs, "action") {
            "" => "forward",
            a => a,
        };
        let on = match value(pairs, "on") {
            "" => state.clock.today().to_string(),
            d => d.to_owned(),
        };
        let position_hint = match row.kind {
            Challenge::Ponaglenie => "appeal-position-hint-ponaglenie",
            Challenge::Appeal => "appeal-position-hint-appeal",
        };
        let mut position = Field::text(
            lang,
            "position",
            "appeal-position",
            value(pairs, "position"),
        )
        .kind("textarea")
        .hint(lang, position_hint);
        if row.kind == Challenge::Appeal {
            position = position.optional();
        }
        Some(DisposeFormView {
            action: builder
                .field(Field::text(lang, "action", "appeal-action", action).select(actions)),
            on: builder.field(Field::text(lang, "on", "appeal-disposed-on", on).kind("date")),
            position: builder.field(position),
        })
    } else {
        None
    };
    let is_appeal = row.kind == Challenge::Appeal;
    Ok(AppealPage {
        source: row.kind.forward_term().source(),
        is_appeal,
        line: line(&ctx, state.clock.today(), row),
        form,
        error_summary: builder.summary(),
        ctx,
    })
}

async fn visible_appeal(db: &Db, scope: &UnitScope, id: i64) -> AppResult<(AppealRow, CaseFile)> {
    scope.user().require(Permission::ViewCases)?;
    let row = store::appeal(db, id).await?.ok_or(AppError::NotFound)?;
    let case = visible_case(db, scope, row.case_id).await?;
    Ok((row, case))
}

pub async fn show(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<AppealPage> {
    let (row, case) = visible_appeal(&state.db, &scope, id).await?;
    appeal_page(&state, &scope, ctx, row, &case, &[], &FormErrors::new()).await
}

pub async fn dispose(
    State(state): State<AppState>,
    Staff(_, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (row, case) = visible_appeal(&state.db, &scope, id).await?;
    if !may_handle(&scope, &case).await? {
        return Err(AppError::Forbidden);
    }
    if row.disposition != Disposition::Pending {
        return Err(AppError::Conflict(
            appeals::AppealError::AlreadyDisposed.message_key(),
        ));
    }
    let today = state.clock.today();
    let act = match appeals::Act::try_from(DisposeForm {
        pairs: &pairs,
        kind: row.kind,
        disposition: row.disposition,
        received_on: row.received_on.to_jiff(),
        forward_by: row.forward_by.to_jiff(),
        today,
    }) {
        Ok(act) => act,
        Err(errors) => {
            let page = appeal_page(&state, &scope, ctx, row, &case, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    store::dispose(&mut tx, &actor, id, &act, today).await?;
    tx.commit().await?;
    let flash = match act {
        appeals::Act::Forward { .. } => "appeal-forwarded",
        appeals::Act::SelfReview { .. } => "appeal-self-reviewed",
    };
    Ok(redirect_with_flash(
        &format!("/staff/appeals/{id}"),
        flash,
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// The deadline list

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub view: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "appeals/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub view: &'static str,
    pub lines: Vec<AppealLine>,
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    let user = scope.user();
    user.require(Permission::ViewCases)?;
    let units = scope.unit_ids(Permission::ViewCases).await?;
    // Officials see their own cases first, heads their units' (as the case list).
    let view = match query.view.as_deref() {
        Some("mine") => "mine",
        Some("unit") => "unit",
        _ if user.can(Permission::AssignCases) => "unit",
        _ => "mine",
    };
    let official = (view == "mine").then_some(user.id);
    let today = state.clock.today();
    let lines = store::pending(&state.db, units.as_deref(), official)
        .await?
        .into_iter()
        .map(|r| line(&ctx, today, r))
        .collect();
    Ok(ListPage { ctx, view, lines })
}
