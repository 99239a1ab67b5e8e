//! The spis spraw of one unit, JRWA class and year, in the columns of the instrukcja
//! kancelaryjna (annex 1 to the regulation of 18 January 2011): Lp., the case (sprawa),
//! od kogo wpłynęła (the sender, the znak of their letter and its date), the date of
//! initiation, the date of final settlement and remarks (how it was settled). A page,
//! a CSV file and a PDF; the year's closing is shown with it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::export;
use super::store::{self, SpisLine};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::cases::Status;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Lang, short_date};
use crate::web::page::PageCtx;
use crate::web::pdf::{PdfDocument, PdfSection};

/// Lines of the spis spraw on one page (a printed register is read page by page too).
const PAGE: i64 = 1_000;
/// The longest spis written to one CSV or PDF file.
const WHOLE: i64 = 100_000;

#[derive(Debug, Default, Deserialize)]
pub struct SpisQuery {
    pub unit: Option<i64>,
    pub class: Option<String>,
    pub year: Option<i32>,
    pub page: Option<i64>,
}

/// A line as shown and exported: every column as text.
pub struct SpisRow {
    pub id: i64,
    pub number: i32,
    pub znak: String,
    pub title: String,
    pub sender: String,
    pub sender_reference: String,
    pub sender_dated_on: String,
    pub started_on: String,
    pub settled_on: String,
    pub remarks: String,
}

fn row(lang: Lang, line: SpisLine) -> SpisRow {
    let status = line
        .status
        .parse::<Status>()
        .map(|s| lang.t(s.label_id()))
        .unwrap_or_else(|_| line.status.clone());
    let mut remarks = status;
    for extra in [&line.outcome, &line.forwarded_to] {
        if !extra.is_empty() {
            remarks.push_str(": ");
            remarks.push_str(extra);
        }
    }
    SpisRow {
        id: line.id,
        number: line.number,
        znak: line.znak,
        title: line.title,
        sender: line.party_name,
        sender_reference: line.sender_reference.unwrap_or_default(),
        sender_dated_on: line
            .sender_dated_on
            .map(|d| short_date(d.to_jiff()))
            .unwrap_or_default(),
        started_on: short_date(line.received_on.to_jiff()),
        settled_on: line
            .settled_on
            .map(|d| short_date(d.to_jiff()))
            .unwrap_or_default(),
        remarks,
    }
}

/// Which spis the query names, within the user's scope.
struct Chosen {
    units: Vec<(i64, String)>,
    unit: Option<i64>,
    unit_symbol: String,
    keys: Vec<(String, i32)>,
    class: String,
    year: i32,
    title: String,
    closed: bool,
}

async fn choose(state: &AppState, scope: &UnitScope, q: &SpisQuery) -> AppResult<Chosen> {
    scope.user().require(Permission::ViewCases)?;
    let allowed = scope.unit_ids(Permission::ViewCases).await?;
    let tree = scope.tree().await?;
    let visible: Vec<_> = tree
        .units
        .iter()
        .filter(|u| allowed.as_ref().is_none_or(|a| a.contains(&u.id)))
        .collect();
    let units: Vec<(i64, String)> = visible
        .iter()
        .map(|u| (u.id, format!("{} — {}", u.symbol, u.name)))
        .collect();
    let unit = match q.unit {
        Some(id) if units.iter().any(|(u, _)| *u == id) => Some(id),
        Some(_) => return Err(AppError::Forbidden),
        None => units.first().map(|(id, _)| *id),
    };
    let unit_symbol = visible
        .iter()
        .find(|u| Some(u.id) == unit)
        .map(|u| u.symbol.clone())
        .unwrap_or_default();
    let keys = match unit {
        Some(u) => crate::cases::store::register_keys(&state.db, u).await?,
        None => Vec::new(),
    };
    let year = q.year.unwrap_or_else(|| state.clock.year());
    let class = q
        .class
        .clone()
        .or_else(|| {
            keys.iter()
                .find(|(_, y)| *y == year)
                .map(|(c, _)| c.clone())
        })
        .unwrap_or_default();
    let title = crate::cases::store::jrwa_classes(&state.db, year)
        .await?
        .into_iter()
        .find(|c| c.symbol == class)
        .map(|c| c.title)
        .unwrap_or_default();
    let closed = match unit {
        Some(u) => store::register_years(&state.db, u)
            .await?
            .iter()
            .any(|y| y.year == year && y.closed_at.is_some()),
        None => false,
    };
    Ok(Chosen {
        units,
        unit,
        unit_symbol,
        keys,
        class,
        year,
        title,
        closed,
    })
}

async fn lines(
    state: &AppState,
    lang: Lang,
    chosen: &Chosen,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<SpisRow>> {
    let Some(unit) = chosen.unit.filter(|_| !chosen.class.is_empty()) else {
        return Ok(Vec::new());
    };
    Ok(
        store::spis_spraw(&state.db, unit, &chosen.class, chosen.year, limit, offset)
            .await?
            .into_iter()
            .map(|l| row(lang, l))
            .collect(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "archive/spis.html")]
pub struct SpisPage {
    pub ctx: PageCtx,
    pub units: Vec<(i64, String)>,
    pub unit: Option<i64>,
    pub keys: Vec<(String, i32)>,
    pub class: String,
    pub year: i32,
    pub title: String,
    pub closed: bool,
    pub rows: Vec<SpisRow>,
    pub page: i64,
    pub has_next: bool,
    /// The query of this spis, for the links to its files and pages.
    pub query: String,
}

pub async fn page(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SpisQuery>,
) -> AppResult<SpisPage> {
    let chosen = choose(&state, &scope, &q).await?;
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let mut rows = lines(&state, ctx.lang, &chosen, PAGE + 1, (page - 1) * PAGE).await?;
    let has_next = rows.len() as i64 > PAGE;
    rows.truncate(usize::try_from(PAGE).unwrap_or(1_000));
    let query = format!(
        "unit={}&class={}&year={}",
        chosen.unit.map(|u| u.to_string()).unwrap_or_default(),
        chosen.class,
        chosen.year
    );
    Ok(SpisPage {
        units: chosen.units,
        unit: chosen.unit,
        keys: chosen.keys,
        class: chosen.class,
        year: chosen.year,
        title: chosen.title,
        closed: chosen.closed,
        rows,
        page,
        has_next,
        query,
        ctx,
    })
}

fn headers(lang: Lang) -> Vec<String> {
    [
        "case-register-no",
        "case-znak",
        "spis-case",
        "spis-sender",
        "spis-sender-reference",
        "spis-sender-dated",
        "case-register-started",
        "case-register-settled",
        "case-register-remarks",
    ]
    .iter()
    .map(|k| lang.t(k))
    .collect()
}

fn file_name(chosen: &Chosen, ext: &str) -> String {
    export::file_stem(&format!(
        "spis-spraw-{}-{}-{}.{ext}",
        chosen.unit_symbol, chosen.class, chosen.year
    ))
}

/// The whole spis as CSV (UTF-8 with a byte-order mark, so that a spreadsheet reads
/// the Polish letters; `;`-separated, as Polish spreadsheets expect).
pub async fn csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SpisQuery>,
) -> AppResult<Response> {
    let chosen = choose(&state, &scope, &q).await?;
    let rows = lines(&state, ctx.lang, &chosen, WHOLE, 0).await?;
    let records = rows.into_iter().map(|r| {
        vec![
            r.number.to_string(),
            r.znak,
            r.title,
            r.sender,
            r.sender_reference,
            r.sender_dated_on,
            r.started_on,
            r.settled_on,
            r.remarks,
        ]
    });
    let bytes = export::csv(&headers(ctx.lang), records);
    Ok(
        export::download(bytes, "text/csv; charset=utf-8", &file_name(&chosen, "csv"))
            .into_response(),
    )
}

/// The whole spis as PDF: one section per case, its columns labelled.
pub async fn pdf(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SpisQuery>,
) -> AppResult<Response> {
    let chosen = choose(&state, &scope, &q).await?;
    let lang = ctx.lang;
    let rows = lines(&state, lang, &chosen, WHOLE, 0).await?;
    let h = headers(lang);
    let mut sections = vec![PdfSection {
        heading: None,
        rows: vec![
            (lang.t("case-unit"), chosen.unit_symbol.clone()),
            (
                lang.t("case-jrwa"),
                format!("{} {}", chosen.class, chosen.title),
            ),
            (lang.t("case-year"), chosen.year.to_string()),
        ],
    }];
    for r in rows {
        let mut fields = vec![(h[1].clone(), r.znak), (h[3].clone(), r.sender)];
        if !r.sender_reference.is_empty() {
            fields.push((h[4].clone(), r.sender_reference));
        }
        if !r.sender_dated_on.is_empty() {
            fields.push((h[5].clone(), r.sender_dated_on));
        }
        fields.push((h[6].clone(), r.started_on));
        if !r.settled_on.is_empty() {
            fields.push((h[7].clone(), r.settled_on));
        }
        fields.push((h[8].clone(), r.remarks));
        sections.push(PdfSection {
            heading: Some(format!("{}. {}", r.number, r.title)),
            rows: fields,
        });
    }
    let doc = PdfDocument {
        title: format!(
            "{} {} — {}",
            lang.t("case-register-title"),
            chosen.class,
            chosen.year
        ),
        lang: lang.code().to_owned(),
        created: state.clock.now_in_warsaw(),
        sections,
        footer: vec![lang.t("spis-source")],
    };
    let bytes = crate::web::pdf::render(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok(export::download(bytes, "application/pdf", &file_name(&chosen, "pdf")).into_response())
}
