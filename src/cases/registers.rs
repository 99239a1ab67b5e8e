//! The registers (the spis spraw itself is the archive's, `archive::spis`): the
//! workload of officials; the central register of complaints and motions (KPA art. 254); the
//! register of public-information requests; the public list of petitions and their
//! annual summary (ustawa o petycjach art. 8 and 14); the public case status.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use magistrat_domain::deadline::CaseKind;
use serde::Deserialize;

use super::pages::{ListItem, list_items};
use super::store::{self, CaseFilter, PublicCaseStatus, Workload};
use super::workflow::Status;
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::platform::csv::Csv;
use crate::platform::table::{Column, Key, Sort, SortHeader};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang, long_date, short_date};
use crate::web::page::PageCtx;

/// Longest register shown on one page (a year's register of complaints, of requests).
const REGISTER_LIMIT: i64 = 5_000;

pub struct WorkloadView {
    pub name: String,
    pub row: Workload,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/workload.html")]
pub struct WorkloadPage {
    pub ctx: PageCtx,
    pub rows: Vec<WorkloadView>,
    pub total: (i64, i64, i64),
}

pub async fn workload(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<WorkloadPage> {
    scope.user().require(Permission::ViewWorkload)?;
    let units = scope.unit_ids(Permission::ViewWorkload).await?;
    let rows = store::workload(&state.db, units.as_deref(), state.clock.today()).await?;
    let total = rows.iter().fold((0, 0, 0), |t, r| {
        (t.0 + r.open, t.1 + r.due_soon, t.2 + r.overdue)
    });
    let rows = rows
        .into_iter()
        .map(|row| WorkloadView {
            name: if row.official_id.is_none() {
                ctx.t("case-workload-unassigned")
            } else {
                row.official_name.clone()
            },
            row,
        })
        .collect();
    Ok(WorkloadPage { ctx, rows, total })
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// A register of one kind of case for a year, and how it is sorted.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    pub year: Option<i32>,
    pub sort: Option<String>,
    pub dir: Option<String>,
}

/// The registers kept by kind of case: complaints and motions (KPA art. 254: the organ
/// keeps a central register of them) and requests for public information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindRegister {
    Complaints,
    PublicInformation,
}

impl KindRegister {
    fn kind(self) -> CaseKind {
        match self {
            KindRegister::Complaints => CaseKind::ComplaintOrMotion,
            KindRegister::PublicInformation => CaseKind::PublicInformation,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            KindRegister::Complaints => "/staff/cases/complaints",
            KindRegister::PublicInformation => "/staff/cases/public-information",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            KindRegister::Complaints => "case-complaints-title",
            KindRegister::PublicInformation => "case-public-information-title",
        }
    }

    /// The exported file's name, as an office files it.
    fn file_stem(self) -> &'static str {
        match self {
            KindRegister::Complaints => "rejestr-skarg-i-wnioskow",
            KindRegister::PublicInformation => "rejestr-wnioskow-o-informacje-publiczna",
        }
    }
}

/// A column of a kind register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterColumn {
    Number,
    Received,
    From,
    Subject,
    Unit,
    Due,
    Settled,
}

impl Column for RegisterColumn {
    const ALL: &'static [RegisterColumn] = &[
        RegisterColumn::Number,
        RegisterColumn::Received,
        RegisterColumn::From,
        RegisterColumn::Subject,
        RegisterColumn::Unit,
        RegisterColumn::Due,
        RegisterColumn::Settled,
    ];

    fn code(self) -> &'static str {
        match self {
            RegisterColumn::Number => "no",
            RegisterColumn::Received => "received",
            RegisterColumn::From => "from",
            RegisterColumn::Subject => "subject",
            RegisterColumn::Unit => "unit",
            RegisterColumn::Due => "due",
            RegisterColumn::Settled => "settled",
        }
    }
}

impl RegisterColumn {
    fn label_id(self) -> &'static str {
        match self {
            RegisterColumn::Number => "case-register-no",
            RegisterColumn::Received => "case-received-on",
            RegisterColumn::From => "case-register-from",
            RegisterColumn::Subject => "case-subject",
            RegisterColumn::Unit => "case-unit",
            RegisterColumn::Due => "case-due",
            RegisterColumn::Settled => "case-register-settled",
        }
    }
}

/// One entry of a register: its number is its place in the order of receipt, whatever
/// order the page is sorted in (the register's numbering does not change with a click).
pub struct RegisterLine {
    pub number: usize,
    pub item: ListItem,
    pub received: String,
    pub due: String,
    /// The day and outcome of settling, or the status of a case still open.
    pub settled: String,
}

fn register_key(line: &RegisterLine, column: RegisterColumn) -> Key<'_> {
    let row = &line.item.row;
    match column {
        RegisterColumn::Number => Key::Number(i64::try_from(line.number).unwrap_or(i64::MAX)),
        RegisterColumn::Received => Key::Day(Some(row.received_on.to_jiff())),
        RegisterColumn::From => Key::Text(&row.party_name),
        RegisterColumn::Subject => Key::Text(&row.title),
        RegisterColumn::Unit => Key::Text(&row.unit_symbol),
        RegisterColumn::Due => Key::Day(Some(row.due_on.to_jiff())),
        RegisterColumn::Settled => Key::Day(row.settled_on.map(|d| d.to_jiff())),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/kind_register.html")]
pub struct KindRegisterPage {
    pub ctx: PageCtx,
    pub heading: String,
    pub caption: String,
    pub path: &'static str,
    pub year: i32,
    pub sort: Sort<RegisterColumn>,
    pub headers: Vec<SortHeader>,
    pub lines: Vec<RegisterLine>,
}

impl KindRegisterPage {
    pub fn export_href(&self) -> String {
        format!("{}.csv?{}", self.path, register_query(self.year, self.sort))
    }
}

fn register_query(year: i32, sort: Sort<RegisterColumn>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("year", &year.to_string());
    sort.append_to(&mut query);
    query.finish()
}

/// The register's entries of `year` in the user's scope, numbered in the order of
/// receipt, then sorted as asked.
async fn register_lines(
    state: &AppState,
    scope: &UnitScope,
    lang: Lang,
    register: KindRegister,
    year: i32,
    sort: Sort<RegisterColumn>,
) -> AppResult<Vec<RegisterLine>> {
    scope.user().require(Permission::ViewCases)?;
    let units = scope.unit_ids(Permission::ViewCases).await?;
    let filter = CaseFilter {
        units,
        kind: Some(register.kind()),
        year: Some(year),
        limit: REGISTER_LIMIT,
        ..CaseFilter::default()
    };
    let rows = store::cases_by_receipt(&state.db, &filter).await?;
    let mut lines: Vec<RegisterLine> = list_items(lang, state.clock.today(), rows)
        .into_iter()
        .enumerate()
        .map(|(i, item)| RegisterLine {
            number: i + 1,
            received: short_date(item.row.received_on.to_jiff()),
            due: short_date(item.row.due_on.to_jiff()),
            settled: match item.row.settled_on {
                Some(day) => format!("{}: {}", short_date(day.to_jiff()), item.row.outcome),
                None => item.status.clone(),
            },
            item,
        })
        .collect();
    sort.apply(&mut lines, register_key);
    Ok(lines)
}

fn register_sort(q: &RegisterQuery) -> Sort<RegisterColumn> {
    Sort::from_query(
        q.sort.as_deref(),
        q.dir.as_deref(),
        Sort::ascending(RegisterColumn::Number),
    )
}

async fn kind_register(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    register: KindRegister,
    q: RegisterQuery,
) -> AppResult<KindRegisterPage> {
    let year = q.year.unwrap_or_else(|| state.clock.year());
    let sort = register_sort(&q);
    let lines = register_lines(state, scope, ctx.lang, register, year, sort).await?;
    let lang = ctx.lang;
    let path = register.path();
    let heading = ctx.t(register.heading());
    Ok(KindRegisterPage {
        caption: format!("{heading} {year}"),
        heading,
        path,
        year,
        sort,
        headers: sort.headers(
            lang,
            |column| lang.t(column.label_id()),
            |next| format!("{path}?{}", register_query(year, next)),
        ),
        lines,
        ctx,
    })
}

/// The register as a spreadsheet: the page's columns and order.
async fn kind_register_csv(
    state: &AppState,
    scope: &UnitScope,
    lang: Lang,
    register: KindRegister,
    q: RegisterQuery,
) -> AppResult<Response> {
    let year = q.year.unwrap_or_else(|| state.clock.year());
    let sort = register_sort(&q);
    let lines = register_lines(state, scope, lang, register, year, sort).await?;
    let mut csv = Csv::new();
    let mut head: Vec<String> = RegisterColumn::ALL
        .iter()
        .map(|c| lang.t(c.label_id()))
        .collect();
    head.insert(4, lang.t("case-znak"));
    csv.row(&head);
    for line in lines {
        let row = line.item.row;
        csv.row(&[
            line.number.to_string(),
            line.received,
            row.party_name,
            row.title,
            row.znak,
            row.unit_symbol,
            line.due,
            line.settled,
        ]);
    }
    Ok(csv.download(&format!("{}-{year}.csv", register.file_stem())))
}

pub async fn complaints(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<RegisterQuery>,
) -> AppResult<KindRegisterPage> {
    kind_register(&state, &scope, ctx, KindRegister::Complaints, q).await
}

pub async fn complaints_csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    kind_register_csv(&state, &scope, ctx.lang, KindRegister::Complaints, q).await
}

pub async fn public_information(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<RegisterQuery>,
) -> AppResult<KindRegisterPage> {
    kind_register(&state, &scope, ctx, KindRegister::PublicInformation, q).await
}

pub async fn public_information_csv(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    kind_register_csv(&state, &scope, ctx.lang, KindRegister::PublicInformation, q).await
}

/// A petition as the public sees it: the petitioner's name only with their consent
/// (ustawa o petycjach art. 8 ust. 1).
pub struct PetitionView {
    pub znak: String,
    pub subject: String,
    pub received: String,
    pub petitioner: Option<String>,
    pub status: String,
    pub outcome: String,
}

fn petition_views(ctx: &PageCtx, rows: Vec<store::CaseRow>) -> Vec<PetitionView> {
    rows.into_iter()
        .map(|r| PetitionView {
            znak: r.znak,
            subject: r.title,
            received: short_date(r.received_on.to_jiff()),
            petitioner: r.publish_consent.then_some(r.party_name),
            status: ctx.lang.t(r.status.label_id()),
            outcome: r.outcome,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/petitions.html")]
pub struct PetitionsPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub petitions: Vec<PetitionView>,
    pub summary: bool,
    pub settled: usize,
}

/// The petitions received in `year` (the public list), or — for the annual summary —
/// those considered in `year` (ustawa o petycjach art. 14: "petycje rozpatrzone w roku
/// poprzednim", published by 30 June of the next year), whenever they came in: a
/// petition of December is considered in the next year's summary. Considered means
/// settled by this organ (a petition forwarded to the competent one is not).
async fn petitions_of(
    state: &AppState,
    ctx: PageCtx,
    year: i32,
    summary: bool,
) -> AppResult<PetitionsPage> {
    // A petition is considered within 3 months (art. 10 ust. 1), at most 3 more with a
    // notice (ust. 2): the summary's petitions came in this year or the last.
    let received_in = if summary {
        year - 1..=year
    } else {
        year..=year
    };
    let mut rows = Vec::new();
    for received in received_in {
        let filter = CaseFilter {
            kind: Some(CaseKind::Petition),
            year: Some(received),
            limit: REGISTER_LIMIT,
            ..CaseFilter::default()
        };
        rows.extend(store::cases_by_receipt(&state.db, &filter).await?);
    }
    // A petition transferred inside the office shows once, where it is handled now.
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| r.status != Status::Transferred)
        .filter(|r| {
            !summary
                || (matches!(r.status, Status::Settled | Status::Closed)
                    && r.settled_on
                        .is_some_and(|d| i32::from(d.to_jiff().year()) == year))
        })
        .collect();
    let settled = rows
        .iter()
        .filter(|r| matches!(r.status.as_str(), "settled" | "closed" | "forwarded"))
        .count();
    Ok(PetitionsPage {
        petitions: petition_views(&ctx, rows),
        year,
        summary,
        settled,
        ctx,
    })
}

pub async fn petitions(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<YearQuery>,
) -> AppResult<PetitionsPage> {
    let year = q.year.unwrap_or_else(|| state.clock.year());
    petitions_of(&state, ctx, year, false).await
}

pub async fn petitions_summary(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(year): Path<i32>,
) -> AppResult<PetitionsPage> {
    if !(2015..=9999).contains(&year) {
        return Err(AppError::NotFound);
    }
    petitions_of(&state, ctx, year, true).await
}

#[derive(Debug, Default, Deserialize)]
pub struct TrackQuery {
    pub code: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/track.html")]
pub struct TrackPage {
    pub ctx: PageCtx,
    pub code: String,
    pub searched: bool,
    pub found: Option<PublicCaseStatus>,
    pub status: String,
    /// The public steps, oldest first: (date, status, what it means).
    pub history: Vec<(String, String, String)>,
    /// What each status means, by its name (for steps the page learns live).
    pub meanings_json: String,
    pub registered_on: String,
    pub due: String,
    /// „Opłata skarbowa: do zapłaty 17,00 zł” and the account line, when a fee is
    /// due (the amount only: no party data, decision 0050).
    pub fee_due: Option<(String, String)>,
}

/// The Fluent id of the sentence saying what a status means to the resident.
fn meaning_id(status: Status) -> String {
    format!("{}-means", status.label_id())
}

/// The public case status by tracking code: no sign-in, nothing personal.
pub async fn track(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<TrackQuery>,
) -> AppResult<Response> {
    let code: String = q.code.unwrap_or_default().chars().take(40).collect();
    let found = if code.trim().is_empty() {
        None
    } else {
        store::public_status(&state.db, &code).await?
    };
    let status = found
        .as_ref()
        .map(|f| ctx.lang.t(f.status.label_id()))
        .unwrap_or_default();
    let history = found
        .as_ref()
        .map(|f| {
            f.history
                .iter()
                .map(|(d, s)| {
                    (
                        long_date(ctx.lang, *d),
                        ctx.lang.t(s.label_id()),
                        ctx.lang.t(&meaning_id(*s)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let meanings: std::collections::BTreeMap<String, String> = Status::ALL
        .iter()
        .map(|s| (ctx.lang.t(s.label_id()), ctx.lang.t(&meaning_id(*s))))
        .collect();
    let registered_on = found
        .as_ref()
        .map(|f| long_date(ctx.lang, f.registered_on))
        .unwrap_or_default();
    let due = found
        .as_ref()
        .map(|f| long_date(ctx.lang, f.due_date))
        .unwrap_or_default();
    let fee_due = match found.as_ref().filter(|f| f.fee_due_grosze > 0) {
        Some(f) => {
            let amount = magistrat_domain::stamp_duty::format_zloty(f.fee_due_grosze);
            let account = store::office_fee_account(&state.db).await?;
            let account = magistrat_domain::identifiers::Nrb::parse(&account)
                .map(|n| n.formatted())
                .unwrap_or(account);
            let line = if account.is_empty() {
                String::new()
            } else {
                ctx.lang.t_args(
                    "fee-public-account",
                    &[
                        ("account", Arg::Str(account)),
                        (
                            "title",
                            Arg::Str(magistrat_domain::stamp_duty::transfer_title(&f.znak)),
                        ),
                    ],
                )
            };
            Some((
                ctx.lang
                    .t_args("fee-public-to-pay", &[("amount", Arg::Str(amount))]),
                line,
            ))
        }
        None => None,
    };
    let searched = !code.trim().is_empty();
    // An unknown code is a 404 (the page still explains it and offers the form again).
    let status_code = if searched && found.is_none() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let page = TrackPage {
        searched,
        code,
        found,
        status,
        history,
        meanings_json: serde_json::to_string(&meanings).unwrap_or_default(),
        registered_on,
        due,
        fee_due,
        ctx,
    };
    Ok((status_code, page).into_response())
}
