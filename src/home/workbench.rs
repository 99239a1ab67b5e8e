//! The officials' workbench — the staff start page as today's work: my open cases by
//! deadline (overdue, due today, due this week), the unassigned cases of my units, the
//! letters waiting for their dekretacja, and for heads the units' overdue count. Each
//! count links to the case list filtered to exactly what it counted (the list keeps
//! its filters in the URL), so a number is never a dead end.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use magistrat_domain::deadline::{DeadlineStatus, deadline_status};

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::case_documents::store::{self as documents, AwaitingDekretacja};
use crate::cases::Status;
use crate::cases::store::{self as cases, COUNT_CAP, CaseFilter, CaseRow, DueWindow};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;

/// How many lines each section lists; the count links to the rest.
const LINES: i64 = 8;

/// A count as shown: „999+” past the cap, and the list it counted.
pub struct Count {
    pub label: String,
    pub shown: String,
    pub n: i64,
    pub href: String,
    /// Whether a non-zero count calls for attention (overdue).
    pub urgent: bool,
}

/// A case line of a section.
pub struct CaseLine {
    pub id: i64,
    pub znak: String,
    pub title: String,
    pub party: String,
    pub status: String,
    pub due: String,
    pub due_iso: String,
    /// `overdue`, `due_today` or `running`.
    pub deadline: &'static str,
    /// „3 dni po terminie”, „termin dziś”, „za 5 dni”.
    pub when: String,
    /// The reader may take this unassigned case with one click (`POST …/take`).
    pub takeable: bool,
}

pub struct LetterLine {
    pub id: i64,
    pub register_number: String,
    pub received: String,
    pub sender: String,
    pub subject: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/staff.html")]
pub struct WorkbenchPage {
    pub ctx: PageCtx,
    pub roles: Vec<String>,
    /// Empty for staff who do not work on cases.
    pub my_counts: Vec<Count>,
    pub my_cases: Vec<CaseLine>,
    pub my_all_href: String,
    pub unassigned: Option<Count>,
    pub unassigned_cases: Vec<CaseLine>,
    /// Some unassigned case may be taken: the list gets an action column.
    pub takes: bool,
    /// Heads of unit: their units' overdue cases.
    pub unit_overdue: Option<Count>,
    pub letters: Option<Count>,
    pub letter_lines: Vec<LetterLine>,
}

fn shown(n: i64) -> String {
    if n >= COUNT_CAP {
        format!("{}+", COUNT_CAP - 1)
    } else {
        n.to_string()
    }
}

fn case_lines(ctx: &PageCtx, today: jiff::civil::Date, rows: Vec<CaseRow>) -> Vec<CaseLine> {
    rows.into_iter()
        .map(|row| {
            let due = row.due_on.to_jiff();
            let status = deadline_status(due, today);
            let when = match status {
                DeadlineStatus::Overdue { days_overdue } => {
                    ctx.t1("workbench-days-overdue", "n", days_overdue)
                }
                DeadlineStatus::DueToday => ctx.t("case-due-today"),
                DeadlineStatus::Running { days_left } => {
                    ctx.t1("workbench-days-left", "n", days_left)
                }
            };
            CaseLine {
                id: row.id,
                znak: row.znak,
                title: row.title,
                party: row.party_name,
                status: ctx.t(row.status.label_id()),
                due: ctx.date(&due),
                due_iso: due.to_string(),
                deadline: status.code(),
                when,
                takeable: false,
            }
        })
        .collect()
}

fn letter_lines(ctx: &PageCtx, items: Vec<AwaitingDekretacja>) -> Vec<LetterLine> {
    items
        .into_iter()
        .map(|i| LetterLine {
            id: i.id,
            register_number: i.register_number,
            received: ctx.date(&i.received_at.in_warsaw().date()),
            sender: i.sender_name,
            subject: i.subject,
        })
        .collect()
}

/// The case list's URL for a view and a due window (open cases).
fn list_href(view: &str, due: &str) -> String {
    format!("/staff/cases?view={view}&status=open&due={due}")
}

pub async fn page(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<WorkbenchPage> {
    let user = scope.user().clone();
    let roles = user
        .grants
        .iter()
        .map(|g| ctx.t(&g.role.label_key()))
        .collect();
    let mut page = WorkbenchPage {
        roles,
        my_counts: Vec::new(),
        my_cases: Vec::new(),
        my_all_href: list_href("mine", ""),
        unassigned: None,
        unassigned_cases: Vec::new(),
        takes: false,
        unit_overdue: None,
        letters: None,
        letter_lines: Vec::new(),
        ctx,
    };
    if user.can(Permission::ViewCases) {
        cases_sections(&state, &scope, &mut page).await?;
    }
    if user.can(Permission::ViewCorrespondence) {
        letters_section(&state, &scope, &mut page).await?;
    }
    Ok(page)
}

fn count(page: &WorkbenchPage, key: &str, n: i64, href: String, urgent: bool) -> Count {
    Count {
        label: page.ctx.t(key),
        shown: shown(n),
        n,
        href,
        urgent,
    }
}

/// My cases by deadline, the unassigned cases of my units, and for heads the units'
/// overdue count.
async fn cases_sections(
    state: &AppState,
    scope: &UnitScope,
    page: &mut WorkbenchPage,
) -> AppResult<()> {
    let user = scope.user();
    let today = state.clock.today();
    let open = CaseFilter {
        units: scope.unit_ids(Permission::ViewCases).await?,
        statuses: Status::OPEN.to_vec(),
        limit: LINES,
        ..CaseFilter::default()
    };
    let mine = CaseFilter {
        official_id: Some(user.id),
        ..open.clone()
    };
    for (code, key, urgent) in [
        ("overdue", "workbench-my-overdue", true),
        ("today", "workbench-my-today", true),
        ("week", "workbench-my-week", false),
        ("", "workbench-my-open", false),
    ] {
        let filter = CaseFilter {
            due: DueWindow::parse(code, today),
            ..mine.clone()
        };
        let n = cases::count_cases(&state.db, &filter).await?;
        let c = count(page, key, n, list_href("mine", code), urgent);
        page.my_counts.push(c);
    }
    let rows = cases::cases_sorted(&state.db, &mine, cases::DEFAULT_SORT).await?;
    page.my_cases = case_lines(&page.ctx, today, rows);
    let unassigned = CaseFilter {
        unassigned: true,
        ..open.clone()
    };
    let n = cases::count_cases(&state.db, &unassigned).await?;
    page.unassigned = Some(count(
        page,
        "workbench-unassigned",
        n,
        list_href("unassigned", ""),
        false,
    ));
    let rows = cases::cases_sorted(&state.db, &unassigned, cases::DEFAULT_SORT).await?;
    let mut takeable = Vec::with_capacity(rows.len());
    for row in &rows {
        takeable.push(scope.allows(Permission::HandleCases, row.unit_id).await?);
    }
    page.unassigned_cases = case_lines(&page.ctx, today, rows);
    for (line, may) in page.unassigned_cases.iter_mut().zip(takeable) {
        line.takeable = may;
    }
    page.takes = page.unassigned_cases.iter().any(|l| l.takeable);
    if user.can(Permission::ViewWorkload) || user.can(Permission::AssignCases) {
        let overdue = CaseFilter {
            due: DueWindow::parse("overdue", today),
            ..open
        };
        let n = cases::count_cases(&state.db, &overdue).await?;
        page.unit_overdue = Some(count(
            page,
            "workbench-unit-overdue",
            n,
            list_href("unit", "overdue"),
            true,
        ));
    }
    Ok(())
}

/// The letters of my units waiting for their dekretacja.
async fn letters_section(
    state: &AppState,
    scope: &UnitScope,
    page: &mut WorkbenchPage,
) -> AppResult<()> {
    let units = scope.unit_ids(Permission::ViewCorrespondence).await?;
    let (items, n) =
        documents::awaiting_dekretacja(&state.db, units.as_deref(), LINES, COUNT_CAP).await?;
    page.letters = Some(count(
        page,
        "workbench-letters",
        n,
        "/staff/correspondence".to_owned(),
        false,
    ));
    page.letter_lines = letter_lines(&page.ctx, items);
    Ok(())
}
