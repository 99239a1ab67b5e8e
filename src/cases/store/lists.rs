//! Lists and search: filtered, scoped and paged in SQL (decision 0014), the registers'
//! orders and the workload.

use jiff::civil::Date;
use magistrat_domain::deadline::CaseKind;
use magistrat_domain::text::fold;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::case::CASE_FROM;
use super::{SqlDate, sql_date};
use crate::cases::workflow::Status;
use crate::db::{Backend, Db};
use crate::platform::table::{Column, Sort};
use crate::with_db;

/// One line of a case list or register.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub znak: String,
    pub number: i32,
    #[sqlx(try_from = "String")]
    pub kind: CaseKind,
    pub title: String,
    pub party_name: String,
    pub publish_consent: bool,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub received_on: SqlDate,
    pub due_on: SqlDate,
    pub settled_on: Option<SqlDate>,
    pub outcome: String,
    pub forwarded_to: String,
    pub unit_id: i64,
    pub unit_symbol: String,
    pub official_name: String,
}

const ROW_COLUMNS: &str = "c.id, c.znak, c.jrwa_symbol, c.year, c.number, c.kind, c.title, c.party_name, \
    c.publish_consent, c.status, c.received_on, c.due_on, c.settled_on, c.outcome, \
    c.forwarded_to, c.unit_id, u.symbol AS unit_symbol, COALESCE(o.display_name, '') AS official_name";

/// Where a list looks; every condition becomes SQL (indexes do the work, not Rust).
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    /// `None`: the whole office.
    pub units: Option<Vec<i64>>,
    pub official_id: Option<i64>,
    pub statuses: Vec<Status>,
    pub kind: Option<CaseKind>,
    pub search: Option<String>,
    pub jrwa_symbol: Option<String>,
    pub year: Option<i32>,
    /// Only cases without an official (new in the unit, waiting to be assigned).
    pub unassigned: bool,
    /// Only cases whose due date falls in this window.
    pub due: Option<DueWindow>,
    pub limit: i64,
    pub offset: i64,
}

/// A window of due dates, the way the workbench counts today's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueWindow {
    /// Due before `today`.
    Overdue { today: Date },
    /// Due on `today`.
    Today { today: Date },
    /// Due from `today` to `today` + 7 days.
    Week { today: Date },
}

impl DueWindow {
    /// The window named `code` (`overdue`, `today`, `week`) as seen on `today`.
    pub fn parse(code: &str, today: Date) -> Option<Self> {
        match code {
            "overdue" => Some(DueWindow::Overdue { today }),
            "today" => Some(DueWindow::Today { today }),
            "week" => Some(DueWindow::Week { today }),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DueWindow::Overdue { .. } => "overdue",
            DueWindow::Today { .. } => "today",
            DueWindow::Week { .. } => "week",
        }
    }

    /// The first and last due date inside the window (`None`: open-ended).
    fn bounds(self) -> (Option<Date>, Option<Date>) {
        match self {
            DueWindow::Overdue { today } => (None, today.yesterday().ok()),
            DueWindow::Today { today } => (Some(today), Some(today)),
            DueWindow::Week { today } => (
                Some(today),
                today.checked_add(jiff::Span::new().days(7)).ok(),
            ),
        }
    }
}

/// The order of a case list (the platform's sortable list, sorted in the database).
pub type CaseSort = Sort<SortColumn>;

/// A column a case list may be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    Znak,
    Title,
    Party,
    Kind,
    Status,
    Official,
    Due,
}

impl Column for SortColumn {
    const ALL: &'static [SortColumn] = &[
        SortColumn::Znak,
        SortColumn::Title,
        SortColumn::Party,
        SortColumn::Kind,
        SortColumn::Status,
        SortColumn::Official,
        SortColumn::Due,
    ];

    fn code(self) -> &'static str {
        match self {
            SortColumn::Znak => "znak",
            SortColumn::Title => "title",
            SortColumn::Party => "party",
            SortColumn::Kind => "kind",
            SortColumn::Status => "status",
            SortColumn::Official => "official",
            SortColumn::Due => "due",
        }
    }
}

impl SortColumn {
    /// The columns of the ORDER BY (ours, never typed by a user).
    fn columns(self) -> &'static [&'static str] {
        match self {
            SortColumn::Znak => &["c.jrwa_symbol", "c.year", "c.number"],
            SortColumn::Title => &["c.title"],
            SortColumn::Party => &["c.party_name"],
            SortColumn::Kind => &["c.kind"],
            SortColumn::Status => &["c.status"],
            SortColumn::Official => &["official_name"],
            SortColumn::Due => &["c.due_on"],
        }
    }
}

/// By deadline, the nearest first: the official's work list.
pub const DEFAULT_SORT: CaseSort = Sort {
    column: SortColumn::Due,
    descending: false,
};

/// The ORDER BY, the id last so that equal values keep one order across pages.
fn order_by(sort: CaseSort) -> String {
    let dir = if sort.descending { " DESC" } else { "" };
    let mut parts: Vec<String> = sort
        .column
        .columns()
        .iter()
        .map(|c| format!("{c}{dir}"))
        .collect();
    parts.push(format!("c.id{dir}"));
    parts.join(", ")
}

enum Param {
    Int(i64),
    Text(String),
    Date(SqlDate),
}

/// The WHERE clause and its parameters.
fn where_clause(path: &SearchPath, f: &CaseFilter) -> (String, Vec<Param>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    // With the matches' ids, they must drive the query: SQLite would otherwise walk
    // the scope's index (a million rows) and look each one up in the match list (150
    // ms instead of 2). A unary `+` keeps a column from using an index (SQLite only).
    let p = if matches!(path, SearchPath::Ids(_)) {
        "+"
    } else {
        ""
    };
    if let Some(units) = &f.units {
        if units.is_empty() {
            clauses.push("1 = 0".to_owned());
        } else {
            // Ids from the database, written as numbers: nothing a user typed.
            let list: Vec<String> = units.iter().map(i64::to_string).collect();
            if let [one] = list.as_slice() {
                clauses.push(format!("{p}c.unit_id = {one}"));
            } else {
                clauses.push(format!("{p}c.unit_id IN ({})", list.join(", ")));
            }
        }
    }
    if let Some(official) = f.official_id {
        params.push(Param::Int(official));
        clauses.push(format!("{p}c.official_id = ${}", params.len()));
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        clauses.push(format!("{p}c.status IN ({})", list.join(", ")));
    }
    if let Some(kind) = f.kind {
        params.push(Param::Text(kind.as_str().to_owned()));
        clauses.push(format!("{p}c.kind = ${}", params.len()));
    }
    if let Some(symbol) = &f.jrwa_symbol {
        params.push(Param::Text(symbol.clone()));
        clauses.push(format!("{p}c.jrwa_symbol = ${}", params.len()));
    }
    if let Some(year) = f.year {
        params.push(Param::Int(i64::from(year)));
        clauses.push(format!("{p}c.year = ${}", params.len()));
    }
    if f.unassigned {
        clauses.push(format!("{p}c.official_id IS NULL"));
    }
    if let Some(window) = f.due {
        let (from, to) = window.bounds();
        if let Some(from) = from {
            params.push(Param::Date(sql_date(from)));
            clauses.push(format!("{p}c.due_on >= ${}", params.len()));
        }
        if let Some(to) = to {
            params.push(Param::Date(sql_date(to)));
            clauses.push(format!("{p}c.due_on <= ${}", params.len()));
        }
    }
    if let Some(text) = f.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let (clause, texts) = search_clause(path, text, params.len() + 1);
        params.extend(texts.into_iter().map(Param::Text));
        clauses.push(clause);
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, params)
}

/// The folded text a case is found by: znak, title and party name, lowercase and
/// without diacritics ([`fold`], as the service-card search), so „Łódź” is found by
/// „łódź”, „ŁÓDŹ” and „lodz”. Stored in `case_file.search_text` (migration 0008).
pub fn search_text(znak: &str, title: &str, party_name: &str) -> String {
    fold(&format!("{znak} {title} {party_name}"))
}

/// How a search of three or more characters is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
enum SearchPath {
    /// SQLite: the ids of the cases containing the text, fewer than
    /// [`COMMON_MATCHES`], read once from the FTS5 trigram table; the list then looks
    /// them up by id, keeps those in scope and sorts them.
    Ids(Vec<i64>),
    /// PostgreSQL: the pg_trgm GIN index looked up by `key`, a word of the text (the
    /// rarest), the whole text checked on the rows it finds. A trigram found in most
    /// cases makes GIN read a posting list of a million entries: looking up
    /// „mieszkaniec 42424” whole took ~75 ms at a million cases, „42424” alone 1 ms.
    Gin { key: String },
    /// Checked on each row the list walks in its order (scope index), stopping after a
    /// page: for text so common that the index would hand over most of the register.
    Scan,
}

/// More matches than this in the whole register, and a search is [`SearchPath::Scan`]:
/// the index would hand over (and the list sort) up to a million ids, where walking
/// the scope in order fills a page after a few rows. Under it, the index's matches
/// are few enough to sort.
const COMMON_MATCHES: i64 = 2_000;

/// The text folded as [`search_text`], if it has a trigram (3 characters).
fn folded_search(text: &str) -> Option<String> {
    let folded = fold(text.trim());
    (folded.chars().count() >= 3).then_some(folded)
}

/// A LIKE pattern finding `folded` anywhere (`\` escapes the wildcards).
fn like_anywhere(folded: &str) -> String {
    let mut pattern = String::from("%");
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The path for `filter`'s search, from capped counts in the trigram index (each
/// stops at [`COMMON_MATCHES`], so it costs little even for text in every case).
async fn search_path(db: &Db, filter: &CaseFilter) -> Result<SearchPath, sqlx::Error> {
    let Some(folded) = filter.search.as_deref().and_then(folded_search) else {
        return Ok(SearchPath::Scan);
    };
    match db.backend() {
        Backend::Sqlite => {
            // One FTS5 string (a phrase of consecutive trigrams: the text as a
            // substring), a `"` inside doubled, so nothing typed is query syntax.
            let phrase = format!("\"{}\"", folded.replace('"', "\"\""));
            let sql = format!(
                "SELECT rowid FROM case_search WHERE case_search MATCH $1 LIMIT {COMMON_MATCHES}"
            );
            let ids: Vec<i64> = with_db!(db, |c| {
                sqlx::query_scalar(AssertSqlSafe(sql.clone()))
                    .bind(&phrase)
                    .fetch_all(c)
                    .await
            })?;
            Ok(
                if ids.len() >= usize::try_from(COMMON_MATCHES).unwrap_or(usize::MAX) {
                    SearchPath::Scan
                } else {
                    SearchPath::Ids(ids)
                },
            )
        }
        Backend::Postgres => {
            // The words pg_trgm indexes (runs of letters and digits), 3+ characters.
            let mut words: Vec<String> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_owned)
                .collect();
            words.sort();
            words.dedup();
            words.truncate(4);
            let mut best: Option<(i64, String)> = None;
            for word in words {
                let n = pg_matches(db, &word).await?;
                if best.as_ref().is_none_or(|(m, _)| n < *m) {
                    best = Some((n, word));
                }
            }
            // Every word common (or none): the whole text may still be rare.
            if best.as_ref().is_none_or(|(m, _)| *m >= COMMON_MATCHES) {
                let n = pg_matches(db, &folded).await?;
                best = Some((n, folded));
            }
            Ok(match best {
                Some((n, key)) if n < COMMON_MATCHES => SearchPath::Gin { key },
                _ => SearchPath::Scan,
            })
        }
    }
}

/// How many cases (up to [`COMMON_MATCHES`]) contain `folded`, on PostgreSQL.
async fn pg_matches(db: &Db, folded: &str) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM case_file WHERE search_text LIKE $1 \
         ESCAPE '\\' LIMIT {COMMON_MATCHES}) AS m"
    );
    with_db!(db, |c| {
        sqlx::query_scalar(AssertSqlSafe(sql.clone()))
            .bind(like_anywhere(folded))
            .fetch_one(c)
            .await
    })
}

/// The condition finding `text` anywhere in a case's [`search_text`], and its
/// parameters (`$n`, `$n+1`), by `path` (docs/decisions/0014-case-search-index.md).
/// With a GIN key, the whole text is written `search_text || ''`, an expression no
/// index covers, so it is checked on the rows the key found (the planner would else
/// look all its trigrams up in the index as well). Text under three characters has no trigram: a LIKE checked on the
/// rows the other conditions (scope, status) walk in order, which stops after a page
/// as such short text is common.
fn search_clause(path: &SearchPath, text: &str, n: usize) -> (String, Vec<String>) {
    let folded = fold(text.trim());
    let whole = like_anywhere(&folded);
    if folded.chars().count() < 3 {
        return (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole]);
    }
    match path {
        SearchPath::Ids(ids) if ids.is_empty() => ("1 = 0".to_owned(), Vec::new()),
        // Ids from the database, written as numbers: nothing a user typed.
        SearchPath::Ids(ids) => (
            format!(
                "c.id IN ({})",
                ids.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Vec::new(),
        ),
        SearchPath::Gin { key } if *key == folded => {
            (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole])
        }
        SearchPath::Gin { key } => (
            format!(
                "c.search_text LIKE ${n} ESCAPE '\\' AND (c.search_text || '') LIKE ${m} ESCAPE '\\'",
                m = n + 1
            ),
            vec![like_anywhere(key), whole],
        ),
        // PostgreSQL's planner, knowing from its statistics that the text is common,
        // walks the scope's ordered index and checks it on each row.
        SearchPath::Scan => (format!("c.search_text LIKE ${n} ESCAPE '\\'"), vec![whole]),
    }
}

macro_rules! bind_params {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(s) => q.bind(s.clone()),
                Param::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}

/// Cases matching `filter`, `order` being an ORDER BY of this module's choosing (its
/// columns prefixed `c.`). Scoped to units, the query is one ordered, limited
/// subquery per unit, merged: each runs down an index in order and stops after a
/// page, where `unit_id IN (…)` would sort every matching row (a unit with a million
/// cases: ~1.5 s instead of under a millisecond).
async fn list(db: &Db, filter: &CaseFilter, order: &str) -> Result<Vec<CaseRow>, sqlx::Error> {
    let path = search_path(db, filter).await?;
    let limit = filter.limit.clamp(1, 10_000);
    let offset = filter.offset.max(0);
    let sql = match &filter.units {
        None => {
            let (clause, _) = where_clause(&path, filter);
            format!(
                "SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            )
        }
        Some(units) if units.is_empty() => return Ok(Vec::new()),
        // One official's cases: their index is walked in order, the units filtered on
        // the way (a subquery per unit would walk it once per unit).
        Some(_) if filter.official_id.is_some() => {
            let (clause, _) = where_clause(&path, filter);
            format!(
                "SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            )
        }
        Some(units) => {
            let outer_order = order.replace("c.", "");
            let parts: Vec<String> = units
                .iter()
                .enumerate()
                .map(|(i, unit)| {
                    let one = CaseFilter {
                        units: Some(vec![*unit]),
                        ..filter.clone()
                    };
                    let (clause, _) = where_clause(&path, &one);
                    format!(
                        "SELECT * FROM (SELECT {ROW_COLUMNS} {CASE_FROM} {clause} ORDER BY {order} \
                         LIMIT {}) AS s{i}",
                        limit + offset
                    )
                })
                .collect();
            format!(
                "{} ORDER BY {outer_order} LIMIT {limit} OFFSET {offset}",
                parts.join(" UNION ALL ")
            )
        }
    };
    // The parameters are numbered the same in every subquery.
    let (_, params) = where_clause(&path, filter);
    with_db!(db, |c| {
        bind_params!(sqlx::query_as(AssertSqlSafe(sql.clone())), &params)
            .fetch_all(c)
            .await
    })
}

/// Cases by deadline (the official's work list).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_by_deadline(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.due_on, c.id").await
}

/// Cases sorted as the list's reader chose (a column header).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_sorted(
    db: &Db,
    filter: &CaseFilter,
    sort: CaseSort,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, &order_by(sort)).await
}

/// The most a count on the workbench counts: past it the page says „999+”, and a
/// count costs at most this many index entries.
pub const COUNT_CAP: i64 = 1_000;

/// How many cases match `filter` (its search, limit and offset aside), up to
/// [`COUNT_CAP`].
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_cases(db: &Db, filter: &CaseFilter) -> Result<i64, sqlx::Error> {
    if filter.units.as_ref().is_some_and(Vec::is_empty) {
        return Ok(0);
    }
    let plain = CaseFilter {
        search: None,
        ..filter.clone()
    };
    let (clause, params) = where_clause(&SearchPath::Scan, &plain);
    let sql =
        format!("SELECT COUNT(*) FROM (SELECT 1 FROM case_file c {clause} LIMIT {COUNT_CAP}) AS m");
    with_db!(db, |c| {
        bind_params!(sqlx::query_scalar(AssertSqlSafe(sql.clone())), &params)
            .fetch_one(c)
            .await
    })
}

/// Cases in register order (spis spraw: by number).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_by_number(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.jrwa_symbol, c.number, c.id").await
}

/// Cases by date of receipt (complaints, petitions, public-information registers).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cases_by_receipt(db: &Db, filter: &CaseFilter) -> Result<Vec<CaseRow>, sqlx::Error> {
    list(db, filter, "c.received_on, c.id").await
}

/// (class, year) pairs that have cases in a unit, for the register's selects.
#[tracing::instrument(level = "debug", skip_all, fields(unit_id))]
pub async fn register_keys(db: &Db, unit_id: i64) -> Result<Vec<(String, i32)>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT jrwa_symbol, year FROM case_counter WHERE unit_id = $1 \
             ORDER BY year DESC, jrwa_symbol",
        )
        .bind(unit_id)
        .fetch_all(c)
        .await
    })
}

/// One official's load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Workload {
    pub official_id: Option<i64>,
    pub official_name: String,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

/// Open cases per official in `units` (None: everywhere): how many, how many due within
/// the week from `today`, how many overdue. Suspended cases count as open only.
///
/// Read from `case_open_tally` (migration 0008): open cases counted per unit, official,
/// status and due date by triggers on `case_file`, so this sums a few rows per official
/// and due date instead of grouping every open case (2–3 s at a million).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn workload(
    db: &Db,
    units: Option<&[i64]>,
    today: Date,
) -> Result<Vec<Workload>, sqlx::Error> {
    let scope = match units {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        // Ids from the database, written as numbers: nothing a user typed.
        Some(units) => format!(
            "AND t.unit_id IN ({})",
            units
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // official_id 0 is the tally's "nobody yet" (a key column cannot be NULL). The
    // sums are cast: PostgreSQL sums BIGINT into NUMERIC.
    let sql = format!(
        "SELECT NULLIF(t.official_id, 0) AS official_id, \
         COALESCE(MAX(o.display_name), '') AS official_name, \
         CAST(SUM(t.cases) AS BIGINT) AS open, \
         CAST(SUM(CASE WHEN t.status <> 'suspended' AND t.due_on >= $1 AND t.due_on <= $2 \
         THEN t.cases ELSE 0 END) AS BIGINT) AS due_soon, \
         CAST(SUM(CASE WHEN t.status <> 'suspended' AND t.due_on < $1 \
         THEN t.cases ELSE 0 END) AS BIGINT) AS overdue \
         FROM case_open_tally t LEFT JOIN app_user o ON o.id = t.official_id \
         WHERE t.cases > 0 {scope} GROUP BY t.official_id ORDER BY official_name"
    );
    let soon = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    with_db!(db, |c| {
        sqlx::query_as(AssertSqlSafe(sql.clone()))
            .bind(sql_date(today))
            .bind(sql_date(soon))
            .fetch_all(c)
            .await
    })
}
