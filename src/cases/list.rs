//! The case list: its filters kept in the URL (so a link from the workbench opens the
//! list it counted), sorted by a column header in the database (`aria-sort` on the
//! sorted one), exported as CSV with the same filters, and several cases assigned to
//! one official at once — all or none, each case checked and audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::pages::{ListItem, PAGE_SIZE, kind_label, kind_options, list_items, officials};
use super::store::{self, CaseFilter, CaseSort, DueWindow, SortColumn, Step, StepOutcome};
use super::workflow::{Action, Status};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::platform::csv::Csv;
use crate::platform::form::{self, FormErrors, value};
use crate::platform::table::{Column, SortHeader};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The most rows one export holds; a larger list is narrowed by its filters first.
const EXPORT_LIMIT: i64 = 5_000;

/// The list's filters and order as the URL carries them.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    pub view: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub q: Option<String>,
    /// `overdue`, `today` or `week` (the workbench's counts).
    pub due: Option<String>,
    /// A column code ([`SortColumn::code`]) and `asc`/`desc`.
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<i64>,
}

impl ListQuery {
    /// The query as a bulk-assignment form sent it back (hidden fields).
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let text = |name: &str| Some(value(pairs, name).to_owned()).filter(|v| !v.is_empty());
        ListQuery {
            view: text("view"),
            status: text("status"),
            kind: text("kind"),
            q: text("q"),
            due: text("due"),
            sort: text("sort"),
            dir: text("dir"),
            page: text("page").and_then(|p| p.parse().ok()),
        }
    }
}

/// The filters as chosen, each with its value in the URL.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub view: String,
    pub status: String,
    pub kind: String,
    pub q: String,
    pub due: String,
    pub sort: CaseSort,
    pub page: i64,
}

impl Chosen {
    /// The URL query of these filters, sorted by `sort`, on `page`.
    fn query_with(&self, sort: CaseSort, page: i64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("view", &self.view)
            .append_pair("status", &self.status)
            .append_pair("kind", &self.kind)
            .append_pair("q", &self.q)
            .append_pair("due", &self.due);
        sort.append_to(&mut query);
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        query.finish()
    }

    pub fn query(&self) -> String {
        self.query_with(self.sort, 1)
    }

    /// The hidden fields that carry the filters through a form.
    pub fn hidden(&self) -> Vec<(&'static str, String)> {
        vec![
            ("view", self.view.clone()),
            ("status", self.status.clone()),
            ("kind", self.kind.clone()),
            ("q", self.q.clone()),
            ("due", self.due.clone()),
            ("sort", self.sort.column.code().to_owned()),
            ("dir", self.sort.dir().to_owned()),
        ]
    }
}

/// Reads the URL into a filter in the user's scope (`limit`/`offset` for one page).
async fn read(
    state: &AppState,
    scope: &UnitScope,
    query: &ListQuery,
) -> AppResult<(CaseFilter, Chosen)> {
    let user = scope.user();
    user.require(Permission::ViewCases)?;
    let units = scope.unit_ids(Permission::ViewCases).await?;
    // Heads see their units' cases first; officials their own.
    let is_head = user.can(Permission::AssignCases);
    let view = match query.view.as_deref() {
        Some("mine") => "mine",
        Some("unit") => "unit",
        Some("unassigned") => "unassigned",
        _ if is_head => "unit",
        _ => "mine",
    };
    let status = query.status.clone().unwrap_or_else(|| "open".to_owned());
    let statuses = match status.as_str() {
        "open" => Status::OPEN.to_vec(),
        "" | "all" => Vec::new(),
        s => s.parse::<Status>().map(|s| vec![s]).unwrap_or_default(),
    };
    let kind = query.kind.clone().unwrap_or_default();
    let q = query.q.clone().unwrap_or_default();
    let due = DueWindow::parse(query.due.as_deref().unwrap_or(""), state.clock.today());
    let sort = CaseSort::from_query(
        query.sort.as_deref(),
        query.dir.as_deref(),
        store::DEFAULT_SORT,
    );
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    let filter = CaseFilter {
        units,
        official_id: (view == "mine").then_some(user.id),
        unassigned: view == "unassigned",
        statuses,
        kind: kind.parse().ok(),
        due,
        search: Some(q.chars().take(100).collect()),
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
        ..CaseFilter::default()
    };
    let chosen = Chosen {
        view: view.to_owned(),
        status,
        kind,
        q,
        due: due.map(|d| d.code().to_owned()).unwrap_or_default(),
        sort,
        page,
    };
    Ok((filter, chosen))
}

fn headers(lang: Lang, chosen: &Chosen) -> Vec<SortHeader> {
    chosen.sort.headers(
        lang,
        |column| lang.t(&format!("case-column-{}", column.code())),
        |next| format!("/staff/cases?{}", chosen.query_with(next, 1)),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub items: Vec<ListItem>,
    pub chosen: Chosen,
    pub has_next: bool,
    pub views: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub dues: Vec<(String, String)>,
    pub headers: Vec<SortHeader>,
    pub can_register: bool,
    /// The officials a head may assign the listed cases to (empty: no bulk form).
    pub officials: Vec<(String, String)>,
    pub chosen_official: String,
    pub chosen_cases: Vec<i64>,
    pub error_summary: Vec<(String, String)>,
}

impl ListPage {
    pub fn page_href(&self, page: i64) -> String {
        format!(
            "/staff/cases?{}",
            self.chosen.query_with(self.chosen.sort, page)
        )
    }

    pub fn export_href(&self) -> String {
        format!("/staff/cases/export?{}", self.chosen.query())
    }

    pub fn is_chosen(&self, id: &i64) -> bool {
        self.chosen_cases.contains(id)
    }
}

fn options(lang: Lang, first: &[(&str, &str)]) -> Vec<(String, String)> {
    first
        .iter()
        .map(|(code, key)| ((*code).to_owned(), lang.t(key)))
        .collect()
}

/// The list page for `query`, with a bulk form sent back (its choices and problems).
async fn list_page(
    state: &AppState,
    scope: &UnitScope,
    ctx: PageCtx,
    query: &ListQuery,
    sent: &[(String, String)],
    errors: &FormErrors,
) -> AppResult<ListPage> {
    let (filter, chosen) = read(state, scope, query).await?;
    let mut rows = store::cases_sorted(&state.db, &filter, chosen.sort).await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(50));
    let lang = ctx.lang;
    let mut statuses = options(
        lang,
        &[("open", "case-filter-open"), ("all", "case-filter-all")],
    );
    statuses.extend(
        Status::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), lang.t(s.label_id()))),
    );
    let mut kinds = vec![(String::new(), lang.t("case-filter-any-kind"))];
    kinds.extend(kind_options(lang));
    let user = scope.user();
    let officials = match scope.unit_ids(Permission::AssignCases).await {
        Ok(units) => officials(&state.db, units.as_deref()).await?,
        Err(AppError::Forbidden) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut form = form::FormBuilder::new(lang, errors);
    form.label("case_id", "case-bulk-cases");
    form.label("official_id", "case-bulk-official");
    Ok(ListPage {
        items: list_items(lang, state.clock.today(), rows),
        headers: headers(lang, &chosen),
        has_next,
        views: options(
            lang,
            &[
                ("mine", "case-view-mine"),
                ("unit", "case-view-unit"),
                ("unassigned", "case-view-unassigned"),
            ],
        ),
        statuses,
        kinds,
        dues: options(
            lang,
            &[
                ("", "case-due-any"),
                ("overdue", "case-due-overdue"),
                ("today", "case-due-today-filter"),
                ("week", "case-due-week"),
            ],
        ),
        can_register: user.can(Permission::RegisterCases),
        officials,
        chosen_official: value(sent, "official_id").to_owned(),
        chosen_cases: sent
            .iter()
            .filter(|(k, _)| k == "case_id")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        error_summary: form.summary(),
        chosen,
        ctx,
    })
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<ListPage> {
    list_page(&state, &scope, ctx, &query, &[], &FormErrors::new()).await
}

/// The list as CSV: the same filters and order, every page (up to [`EXPORT_LIMIT`]).
pub async fn export(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let (filter, chosen) = read(&state, &scope, &query).await?;
    let filter = CaseFilter {
        limit: EXPORT_LIMIT,
        offset: 0,
        ..filter
    };
    let rows = store::cases_sorted(&state.db, &filter, chosen.sort).await?;
    let lang = ctx.lang;
    let mut csv = Csv::new();
    let mut head: Vec<String> = SortColumn::ALL
        .iter()
        .map(|c| lang.t(&format!("case-column-{}", c.code())))
        .collect();
    head.push(lang.t("case-received-on"));
    head.push(lang.t("case-unit"));
    csv.row(&head);
    for row in rows {
        csv.row(&[
            row.znak,
            row.title,
            row.party_name,
            kind_label(lang, row.kind),
            lang.t(row.status.label_id()),
            row.official_name,
            row.due_on.to_jiff().to_string(),
            row.received_on.to_jiff().to_string(),
            row.unit_symbol,
        ]);
    }
    let today = state.clock.today();
    Ok(csv.download(&format!("sprawy-{today}.csv")))
}

/// Assigns every chosen case to one official, in one transaction: each case must be in
/// a unit the user heads (403 for the whole request otherwise) and at a step where it
/// may be assigned (409 otherwise); nothing is written unless all are.
pub async fn bulk_assign(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    scope: UnitScope,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::AssignCases)?;
    let query = ListQuery::from_pairs(&pairs);
    let mut ids: Vec<i64> = Vec::new();
    let mut errors = FormErrors::new();
    for (_, v) in pairs.iter().filter(|(k, _)| k == "case_id") {
        match v.parse() {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => return Err(AppError::BadRequest("bad-request")),
        }
    }
    if ids.is_empty() {
        errors.add("case_id", "case-bulk-none");
    }
    if ids.len() > 500 {
        errors.add("case_id", "case-bulk-too-many");
    }
    let units = scope.unit_ids(Permission::AssignCases).await?;
    let eligible = officials(&state.db, units.as_deref()).await?;
    let official = value(&pairs, "official_id");
    let official_id = eligible
        .iter()
        .find(|(id, _)| id == official)
        .and_then(|(id, _)| id.parse::<i64>().ok());
    if official_id.is_none() {
        errors.add("official_id", "case-error-official");
    }
    let Some(official_id) = official_id.filter(|_| errors.is_empty()) else {
        let page = list_page(&state, &scope, ctx, &query, &pairs, &errors).await?;
        return Ok(form::respond(&errors, page));
    };
    // Every case checked before anything is written: a forbidden one refuses all.
    for id in &ids {
        let case = store::case_by_id(&state.db, *id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !scope.allows(Permission::AssignCases, case.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        if super::workflow::next(case.status, Action::Assign).is_none() {
            return Err(AppError::Conflict("case-bulk-not-assignable"));
        }
    }
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    for id in &ids {
        let step = Step::Assign { official_id };
        let outcome = store::apply_step(&mut tx, &actor, *id, step).await?;
        // Another official moved a case meanwhile: none is assigned.
        if matches!(outcome, StepOutcome::Conflict) {
            return Err(AppError::Conflict("case-bulk-not-assignable"));
        }
    }
    tx.commit().await?;
    let (_, chosen) = read(&state, &scope, &query).await?;
    Ok(redirect_with_flash(
        &format!("/staff/cases?{}", chosen.query()),
        "case-bulk-assigned",
        state.config.behind_tls(),
    ))
}
