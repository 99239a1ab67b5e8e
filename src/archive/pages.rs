//! The archive's staff pages: a unit's spisy spraw by year with their closing and its
//! files with their transfer (`KeepRegisters`, the head of the unit); the spis
//! zdawczo-odbiorczy as a page, CSV and PDF; the archiwum zakładowe's files, the
//! consents of the state archive and the destructions (`KeepArchive`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use magistrat_domain::archive::{self as rules_of, TransferError};
use serde::Deserialize;

use super::export;
use super::rules::{ConsentForm, TransferForm, destroyed_on, file_key};
use super::store::{self, ArchiveFile, NewConsent, Pick, Transfer, UnitFile};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::platform::form::{self, FormErrors, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Lang, long_date};
use crate::web::page::PageCtx;
use crate::web::pdf::{PdfDocument, PdfSection};
use crate::web::redirect_with_flash;

#[derive(Debug, Default, Deserialize)]
pub struct UnitQuery {
    pub unit: Option<i64>,
}

pub struct YearView {
    pub year: i32,
    pub cases: i64,
    pub open_cases: i64,
    pub closed_on: String,
    pub closable: bool,
}

pub struct FileView {
    pub key: String,
    pub symbol: String,
    pub year: i32,
    pub title: String,
    pub cases: i64,
    pub open_cases: i64,
    pub categories: String,
    pub state: String,
    pub transferable: bool,
}

pub struct TransferView {
    pub id: i64,
    pub label: String,
    pub unit: String,
    pub on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "archive/overview.html")]
pub struct OverviewPage {
    pub ctx: PageCtx,
    pub units: Vec<(i64, String)>,
    pub unit: Option<i64>,
    pub years: Vec<YearView>,
    pub files: Vec<FileView>,
    pub transfers: Vec<TransferView>,
    pub error_summary: Vec<(String, String)>,
}

/// The units whose registers the user keeps, and the one chosen (403 for another).
async fn units_of(
    scope: &UnitScope,
    chosen: Option<i64>,
) -> AppResult<(Vec<(i64, String, String)>, Option<i64>)> {
    scope.user().require(Permission::KeepRegisters)?;
    let allowed = scope.unit_ids(Permission::KeepRegisters).await?;
    let units: Vec<(i64, String, String)> = scope
        .tree()
        .await?
        .units
        .iter()
        .filter(|u| allowed.as_ref().is_none_or(|a| a.contains(&u.id)))
        .map(|u| (u.id, u.symbol.clone(), format!("{} — {}", u.symbol, u.name)))
        .collect();
    let unit = match chosen {
        Some(id) if units.iter().any(|(u, _, _)| *u == id) => Some(id),
        Some(_) => return Err(AppError::Forbidden),
        None => units.first().map(|(id, _, _)| *id),
    };
    Ok((units, unit))
}

fn file_state(lang: Lang, f: &UnitFile) -> String {
    if f.archived > 0 {
        return lang.t("archive-file-archived");
    }
    match rules_of::check_transfer(f.state()) {
        Ok(()) => lang.t("archive-file-ready"),
        Err(TransferError::YearOpen) => lang.t("archive-file-year-open"),
        Err(TransferError::CaseOpen) => lang.t("archive-file-case-open"),
        Err(TransferError::Empty) => String::new(),
    }
}

fn transfer_label(lang: Lang, t: &Transfer) -> String {
    format!("{} {}/{}", lang.t("archive-spis-zo"), t.number, t.year)
}

async fn overview_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    chosen: Option<i64>,
    errors: &FormErrors,
) -> AppResult<OverviewPage> {
    let (units, unit) = units_of(scope, chosen).await?;
    let lang = ctx.lang;
    let today = state.clock.today();
    let (mut years, mut files) = (Vec::new(), Vec::new());
    if let Some(u) = unit {
        for y in store::register_years(&state.db, u).await? {
            let closable = y.closed_at.is_none()
                && i16::try_from(y.year).is_ok_and(|yr| rules_of::check_closing(yr, today).is_ok());
            years.push(YearView {
                year: y.year,
                cases: y.cases,
                open_cases: y.open_cases,
                closed_on: y
                    .closed_at
                    .map(|t| long_date(lang, t.in_warsaw().date()))
                    .unwrap_or_default(),
                closable,
            });
        }
        for f in store::unit_files(&state.db, u).await? {
            let categories = match (&f.category, &f.category_other) {
                (Some(a), Some(b)) if a != b => format!("{a} / {b}"),
                (Some(a), _) => a.clone(),
                _ => String::new(),
            };
            files.push(FileView {
                key: file_key(&f.jrwa_symbol, f.year),
                state: file_state(lang, &f),
                transferable: f.transferable(),
                symbol: f.jrwa_symbol.clone(),
                year: f.year,
                title: f.title.clone().unwrap_or_default(),
                cases: f.cases,
                open_cases: f.open_cases,
                categories,
            });
        }
    }
    let ids: Vec<i64> = units.iter().map(|(id, _, _)| *id).collect();
    let transfers = store::transfers(&state.db, Some(&ids))
        .await?
        .into_iter()
        .filter(|t| Some(t.unit_id) == unit)
        .map(|t| TransferView {
            id: t.id,
            label: transfer_label(lang, &t),
            unit: t.unit_symbol.clone(),
            on: long_date(lang, t.transferred_on.to_jiff()),
        })
        .collect();
    let mut builder = form::FormBuilder::new(lang, errors);
    builder.label("file", "archive-files-caption");
    Ok(OverviewPage {
        units: units
            .into_iter()
            .map(|(id, _, label)| (id, label))
            .collect(),
        unit,
        years,
        files,
        transfers,
        error_summary: builder.summary(),
        ctx,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<UnitQuery>,
) -> AppResult<OverviewPage> {
    overview_page(&state, &scope, ctx, q.unit, &FormErrors::new()).await
}

fn unit_field(pairs: &[(String, String)]) -> AppResult<i64> {
    value(pairs, "unit_id")
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("archive-unit-invalid"))
}

/// Closes a year of the unit's spis spraw.
pub async fn close_year(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let unit = unit_field(&pairs)?;
    let (_, unit) = units_of(&scope, Some(unit)).await?;
    let unit = unit.ok_or(AppError::Forbidden)?;
    let year = value(&pairs, "year")
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::BadRequest("archive-year-invalid"))?;
    let mut tx = state.db.begin().await?;
    store::close_year(&mut tx, &visitor.actor(), unit, year, state.clock.today()).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/archive?unit={unit}"),
        "archive-year-closed",
        state.config.behind_tls(),
    ))
}

/// Hands the picked files of the unit to the archive as one spis zdawczo-odbiorczy.
pub async fn transfer(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let unit = unit_field(&pairs)?;
    let (units, unit) = units_of(&scope, Some(unit)).await?;
    let unit = unit.ok_or(AppError::Forbidden)?;
    let symbol = units
        .iter()
        .find(|(id, _, _)| *id == unit)
        .map(|(_, s, _)| s.clone())
        .unwrap_or_default();
    // Every file of the unit not yet archived may be named; the store checks each is
    // closed, and one that is not refuses the whole transfer.
    let offered: Vec<(String, i32)> = store::unit_files(&state.db, unit)
        .await?
        .into_iter()
        .filter(|f| f.archived == 0)
        .map(|f| (f.jrwa_symbol, f.year))
        .collect();
    let picks = match Vec::<Pick>::try_from(TransferForm {
        pairs: &pairs,
        offered: &offered,
    }) {
        Ok(p) => p,
        Err(errors) => {
            let page = overview_page(&state, &scope, ctx, Some(unit), &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let mut tx = state.db.begin().await?;
    let id = store::transfer(
        &mut tx,
        &visitor.actor(),
        unit,
        &symbol,
        &picks,
        state.clock.today(),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("/staff/archive/transfers/{id}"),
        "archive-transferred",
        state.config.behind_tls(),
    ))
}

// ---------------------------------------------------------------------------------
// The spis zdawczo-odbiorczy

pub struct LineView {
    pub position: i32,
    pub znak: String,
    pub title: String,
    pub dates: String,
    pub category: String,
    pub cases: i32,
    pub kept: String,
    pub remarks: String,
}

fn kept(lang: Lang, f: &ArchiveFile) -> String {
    match f.destroy_from {
        None => lang.t("archive-kept-forever"),
        Some(d) => format!("{} {}", lang.t("archive-kept-until"), d.to_jiff()),
    }
}

fn line_view(lang: Lang, f: &ArchiveFile) -> LineView {
    let mut remarks = if f.leading_unit {
        lang.t("archive-leading-unit")
    } else {
        lang.t("archive-other-unit")
    };
    if let Some(d) = f.destroyed_on {
        remarks = format!(
            "{remarks}; {} {}",
            lang.t("archive-destroyed-on"),
            d.to_jiff()
        );
    }
    LineView {
        position: f.position,
        znak: f.znak.clone(),
        title: f.title.clone(),
        dates: format!("{} – {}", f.first_on.to_jiff(), f.last_on.to_jiff()),
        category: f.category.clone(),
        cases: f.cases,
        kept: kept(lang, f),
        remarks,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "archive/transfer.html")]
pub struct TransferPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub heading: String,
    pub unit: String,
    pub on: String,
    pub by: String,
    pub lines: Vec<LineView>,
}

/// A transfer the user may read: the archive's keeper, or who keeps the unit's
/// registers.
async fn visible_transfer(
    state: &AppState,
    scope: &UnitScope,
    id: i64,
) -> AppResult<(Transfer, Vec<ArchiveFile>)> {
    let user = scope.user();
    if !user.can(Permission::KeepArchive) && !user.can(Permission::KeepRegisters) {
        return Err(AppError::Forbidden);
    }
    let (head, lines) = store::transfer_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.can(Permission::KeepArchive)
        && !scope
            .allows(Permission::KeepRegisters, head.unit_id)
            .await?
    {
        return Err(AppError::Forbidden);
    }
    Ok((head, lines))
}

pub async fn transfer_page(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<TransferPage> {
    let (head, lines) = visible_transfer(&state, &scope, id).await?;
    let lang = ctx.lang;
    Ok(TransferPage {
        id,
        heading: transfer_label(lang, &head),
        unit: format!("{} — {}", head.unit_symbol, head.unit_name),
        on: long_date(lang, head.transferred_on.to_jiff()),
        by: head.transferred_by_name.clone(),
        lines: lines.iter().map(|f| line_view(lang, f)).collect(),
        ctx,
    })
}

fn spis_headers(lang: Lang) -> Vec<String> {
    [
        "case-register-no",
        "archive-znak-teczki",
        "archive-file-title",
        "archive-dates",
        "archive-category",
        "archive-cases",
        "archive-kept",
        "case-register-remarks",
    ]
    .iter()
    .map(|k| lang.t(k))
    .collect()
}

pub async fn transfer_csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (head, lines) = visible_transfer(&state, &scope, id).await?;
    let lang = ctx.lang;
    let records = lines.iter().map(|f| {
        let l = line_view(lang, f);
        vec![
            l.position.to_string(),
            l.znak,
            l.title,
            l.dates,
            l.category,
            l.cases.to_string(),
            l.kept,
            l.remarks,
        ]
    });
    let bytes = export::csv(&spis_headers(lang), records);
    let name = export::file_stem(&format!(
        "spis-zdawczo-odbiorczy-{}-{}-{}.csv",
        head.unit_symbol, head.number, head.year
    ));
    Ok(export::download(bytes, "text/csv; charset=utf-8", &name).into_response())
}

pub async fn transfer_pdf(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (head, lines) = visible_transfer(&state, &scope, id).await?;
    let lang = ctx.lang;
    let h = spis_headers(lang);
    let mut sections = vec![PdfSection {
        heading: None,
        rows: vec![
            (
                lang.t("archive-transferring-unit"),
                format!("{} — {}", head.unit_symbol, head.unit_name),
            ),
            (
                lang.t("archive-transferred-on"),
                head.transferred_on.to_jiff().to_string(),
            ),
            (
                lang.t("archive-transferred-by"),
                head.transferred_by_name.clone(),
            ),
        ],
    }];
    for f in &lines {
        let l = line_view(lang, f);
        sections.push(PdfSection {
            heading: Some(format!("{}. {} {}", l.position, l.znak, l.title)),
            rows: vec![
                (h[3].clone(), l.dates),
                (h[4].clone(), l.category),
                (h[5].clone(), l.cases.to_string()),
                (h[6].clone(), l.kept),
                (h[7].clone(), l.remarks),
            ],
        });
    }
    let doc = PdfDocument {
        title: transfer_label(lang, &head),
        lang: lang.code().to_owned(),
        created: state.clock.now_in_warsaw(),
        sections,
        footer: vec![lang.t("archive-spis-source")],
    };
    let bytes = crate::web::pdf::render(&doc).map_err(|e| AppError::Internal(e.into()))?;
    let name = export::file_stem(&format!(
        "spis-zdawczo-odbiorczy-{}-{}-{}.pdf",
        head.unit_symbol, head.number, head.year
    ));
    Ok(export::download(bytes, "application/pdf", &name).into_response())
}

// ---------------------------------------------------------------------------------
// The archiwum zakładowe: files, consents, destruction

pub struct ArchivedView {
    pub id: i64,
    pub line: LineView,
    pub year: i32,
    pub due: bool,
    pub consent: String,
    pub destroyed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "archive/files.html")]
pub struct FilesPage {
    pub ctx: PageCtx,
    pub files: Vec<ArchivedView>,
    /// Due for destruction, no consent yet.
    pub due: Vec<ArchivedView>,
    /// With a consent, not yet destroyed.
    pub consented: Vec<ArchivedView>,
    pub archive_name: form::Field,
    pub reference: form::Field,
    pub granted_on: form::Field,
    pub file_error: Option<String>,
    pub today: String,
    pub error_summary: Vec<(String, String)>,
}

async fn files_page(
    state: &AppState,
    ctx: PageCtx,
    pairs: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<FilesPage> {
    let lang = ctx.lang;
    let today = state.clock.today();
    let consents = store::consents(&state.db).await?;
    let views: Vec<ArchivedView> = store::archive_files(&state.db)
        .await?
        .iter()
        .map(|f| ArchivedView {
            id: f.id,
            line: line_view(lang, f),
            year: f.year,
            due: f.destroy_from.is_some_and(|d| d.to_jiff() <= today),
            consent: f
                .consent_id
                .and_then(|c| consents.iter().find(|k| k.id == c))
                .map(|k| {
                    format!(
                        "{}, {} ({})",
                        k.archive_name,
                        k.reference,
                        k.granted_on.to_jiff()
                    )
                })
                .unwrap_or_default(),
            destroyed: f.destroyed_on.is_some(),
        })
        .collect();
    let (mut due, mut consented, mut files) = (Vec::new(), Vec::new(), Vec::new());
    for v in views {
        if v.destroyed {
            files.push(v);
        } else if !v.consent.is_empty() {
            consented.push(v);
        } else if v.due {
            due.push(v);
        } else {
            files.push(v);
        }
    }
    let mut b = form::FormBuilder::with_values(lang, errors, pairs);
    let archive_name = b
        .input("archive_name", "archive-consent-archive")
        .required()
        .hint(lang, "archive-consent-archive-hint");
    let reference = b.input("reference", "archive-consent-reference").required();
    let granted_on = b
        .input("granted_on", "archive-consent-date")
        .kind("date")
        .required();
    b.label("file", "archive-due-caption");
    b.label("destroyed_on", "archive-destroyed-on");
    Ok(FilesPage {
        file_error: b.error("file"),
        error_summary: b.summary(),
        files,
        due,
        consented,
        archive_name,
        reference,
        granted_on,
        today: today.to_string(),
        ctx,
    })
}

pub async fn files(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<FilesPage> {
    user.require(Permission::KeepArchive)?;
    files_page(&state, ctx, &[], &FormErrors::new()).await
}

pub async fn consent(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::KeepArchive)?;
    let today = state.clock.today();
    let due: Vec<i64> = store::archive_files(&state.db)
        .await?
        .iter()
        .filter(|f| {
            f.consent_id.is_none()
                && f.destroyed_on.is_none()
                && f.destroy_from.is_some_and(|d| d.to_jiff() <= today)
        })
        .map(|f| f.id)
        .collect();
    let new = match NewConsent::try_from(ConsentForm {
        pairs: &pairs,
        due: &due,
        today,
    }) {
        Ok(n) => n,
        Err(errors) => {
            let page = files_page(&state, ctx, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let mut tx = state.db.begin().await?;
    store::record_consent(&mut tx, &visitor.actor(), &new, today).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/archive/files",
        "archive-consent-recorded",
        state.config.behind_tls(),
    ))
}

pub async fn destroyed(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::KeepArchive)?;
    let today = state.clock.today();
    let on = match destroyed_on(&pairs, today) {
        Ok(d) => d,
        Err(errors) => {
            let page = files_page(&state, ctx, &[], &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let mut tx = state.db.begin().await?;
    store::record_destroyed(&mut tx, &visitor.actor(), id, on, today).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/archive/files",
        "archive-destroyed",
        state.config.behind_tls(),
    ))
}
