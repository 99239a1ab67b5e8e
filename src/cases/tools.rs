//! The JRWA page (the wykaz per year as a tree; import for administrators: a file or
//! pasted text, all or nothing with line-numbered errors) and the deadline calculator.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequest, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use magistrat_domain::calendar::{holiday_on, is_saturday};
use magistrat_domain::deadline::{CaseKind, DueDate, Term, explain_due_date, parse_date};
use serde::Deserialize;

use super::jrwa::{LineError, parse_csv};
use super::pages::{kind_label, kind_options};
use super::store::{self, JrwaClassRow};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// Largest import file accepted, in bytes (a full wykaz is well under 200 kB).
const MAX_IMPORT_BYTES: usize = 1_000_000;

#[derive(Debug, Default, Deserialize)]
pub struct JrwaQuery {
    pub year: Option<i32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/jrwa.html")]
pub struct JrwaPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub years: Vec<i32>,
    /// (depth, class)
    pub classes: Vec<(usize, JrwaClassRow)>,
    pub can_import: bool,
    pub errors: Vec<String>,
    pub import_year: String,
    pub text: String,
}

async fn jrwa_page(
    state: &AppState,
    ctx: PageCtx,
    can_import: bool,
    year: i32,
    errors: Vec<String>,
    text: String,
) -> AppResult<JrwaPage> {
    let classes = store::jrwa_classes(&state.db, year)
        .await?
        .into_iter()
        .map(|c| (c.symbol.len().saturating_sub(1), c))
        .collect();
    Ok(JrwaPage {
        years: store::jrwa_years(&state.db).await?,
        classes,
        can_import,
        errors,
        import_year: year.to_string(),
        text,
        year,
        ctx,
    })
}

pub async fn jrwa(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Query(q): Query<JrwaQuery>,
) -> AppResult<JrwaPage> {
    user.require(Permission::StaffArea)?;
    let year = q.year.unwrap_or_else(|| state.clock.year());
    jrwa_page(
        &state,
        ctx,
        user.can(Permission::ManageJrwa),
        year,
        Vec::new(),
        String::new(),
    )
    .await
}

/// Line-numbered messages for the page and the CLI.
pub fn line_messages(lang: Lang, errors: &[LineError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            lang.t_args(
                "jrwa-error-line",
                &[
                    ("line", Arg::Num(i64::try_from(e.line).unwrap_or(0))),
                    ("message", Arg::Str(lang.t(e.key))),
                ],
            )
        })
        .collect()
}

pub async fn import(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    request: axum::extract::Request,
) -> AppResult<Response> {
    user.require(Permission::ManageJrwa)?;
    // Read only after the permission check, so that others get 403 whatever they send.
    let mut multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?;
    let mut year_text = String::new();
    let mut text = String::new();
    let mut file = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("bad-request"))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::BadRequest("bad-request"))?;
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(AppError::BadRequest("payload-too-large"));
        }
        let value = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "year" => year_text = value,
            "text" => text = value,
            "file" => file = value,
            _ => {}
        }
    }
    let lang = ctx.lang;
    let content = if file.trim().is_empty() {
        text.clone()
    } else {
        file
    };
    let year = year_text
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    let errors = match year {
        None => vec![lang.t("jrwa-error-year")],
        Some(year) => match parse_csv(&content) {
            Err(errors) => line_messages(lang, &errors),
            Ok(entries) => {
                let mut tx = state.db.begin().await?;
                match store::import_jrwa(&mut tx, &visitor.actor(), year, &entries).await? {
                    Ok(_) => {
                        tx.commit().await?;
                        return Ok(redirect_with_flash(
                            &format!("/staff/jrwa?year={year}"),
                            "jrwa-imported",
                            state.config.behind_tls(),
                        ));
                    }
                    Err(missing) => vec![lang.t_args(
                        "jrwa-error-in-use",
                        &[("classes", Arg::Str(missing.join(", ")))],
                    )],
                }
            }
        },
    };
    let shown = year.unwrap_or_else(|| state.clock.year());
    let mut page = jrwa_page(&state, ctx, true, shown, errors, text).await?;
    page.import_year = year_text;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// =======================================================================================
// The deadline calculator
// =======================================================================================

/// The steps of a due date in words: start not counted, nominal end, excluded days,
/// moves off Saturdays and holidays.
pub fn explain(lang: Lang, d: &DueDate) -> Vec<String> {
    let s = |d: jiff::civil::Date| Arg::Str(d.to_string());
    if d.term.is_immediate() {
        return vec![lang.t_args("deadline-explain-immediate", &[("start", s(d.start))])];
    }
    let mut lines = vec![
        lang.t_args("deadline-explain-start", &[("start", s(d.start))]),
        lang.t_args(
            "deadline-explain-nominal",
            &[
                ("term", Arg::Str(d.term.to_string())),
                ("end", s(d.nominal_end)),
            ],
        ),
    ];
    if d.excluded_days > 0 {
        lines.push(lang.t_args(
            "deadline-explain-excluded",
            &[
                ("days", Arg::Num(d.excluded_days)),
                ("end", s(d.end_before_shift)),
            ],
        ));
    }
    let mut day = d.end_before_shift;
    while day < d.due {
        let why = match holiday_on(day) {
            Some(h) => match lang {
                Lang::Pl => h.name_pl.to_owned(),
                Lang::En => h.name_en.to_owned(),
            },
            None if is_saturday(day) => lang.t("deadline-saturday"),
            None => lang.t("deadline-sunday"),
        };
        lines.push(lang.t_args(
            "deadline-explain-moved",
            &[("day", s(day)), ("why", Arg::Str(why))],
        ));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    lines.push(lang.t_args("deadline-explain-due", &[("due", s(d.due))]));
    lines
}

#[derive(Debug, Default, Deserialize)]
pub struct DeadlineQuery {
    pub from: Option<String>,
    pub term: Option<String>,
    pub kind: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/deadline.html")]
pub struct DeadlinePage {
    pub ctx: PageCtx,
    pub from: String,
    pub term: String,
    pub kind: String,
    pub kinds: Vec<(String, String)>,
    pub error: Option<String>,
    pub due: Option<String>,
    pub explanation: Vec<String>,
    pub closing_days: Vec<(String, String)>,
}

/// Parses the calculator's input: (start, term) or a Fluent id of the problem.
pub fn parse_calculation(
    from: &str,
    term: &str,
    kind: &str,
) -> Result<(jiff::civil::Date, Term, Option<CaseKind>), &'static str> {
    let start = parse_date(from.trim()).map_err(|_| "deadline-error-date")?;
    let kind = if kind.trim().is_empty() {
        None
    } else {
        Some(
            kind.trim()
                .parse::<CaseKind>()
                .map_err(|_| "deadline-error-kind")?,
        )
    };
    let term = match (kind, term.trim()) {
        (Some(k), "") => k.term(),
        (Some(_), _) => return Err("deadline-error-both"),
        (None, "") => return Err("deadline-error-term-missing"),
        (None, t) => t.parse::<Term>().map_err(|_| "deadline-error-term")?,
    };
    Ok((start, term, kind))
}

pub async fn deadline(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Query(q): Query<DeadlineQuery>,
) -> AppResult<Response> {
    user.require(Permission::StaffArea)?;
    let lang = ctx.lang;
    let from = q.from.clone().unwrap_or_default();
    let term = q.term.clone().unwrap_or_default();
    let kind = q.kind.clone().unwrap_or_default();
    let asked = q.from.is_some();
    let mut error = None;
    let mut due = None;
    let mut explanation = Vec::new();
    let mut closing_days = Vec::new();
    if asked {
        match parse_calculation(&from, &term, &kind) {
            Ok((start, t, _)) => match explain_due_date(start, t, &[]) {
                Ok(d) => {
                    due = Some(d.due.to_string());
                    explanation = explain(lang, &d);
                    // Office closing days are shown, but do not move a term (KPA art. 57 § 4
                    // names only statutory days off and Saturdays).
                    closing_days = closing_days_between(&state, d.start, d.due).await?;
                }
                Err(_) => error = Some(lang.t("deadline-error-range")),
            },
            Err(key) => error = Some(lang.t(key)),
        }
    }
    let mut kinds = vec![(String::new(), lang.t("deadline-kind-none"))];
    kinds.extend(kind_options(lang));
    let page = DeadlinePage {
        from: if asked {
            from
        } else {
            state.clock.today().to_string()
        },
        term,
        kind,
        kinds,
        error: error.clone(),
        due,
        explanation,
        closing_days,
        ctx,
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page).into_response())
}

async fn closing_days_between(
    state: &AppState,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> AppResult<Vec<(String, String)>> {
    let db = &state.db;
    let rows: Vec<(jiff_sqlx::Date, String, String)> = crate::with_db!(db, |c| {
        sqlx::query_as(
            "SELECT lc.day, l.name, lc.reason FROM location_closure lc JOIN location l ON l.id = lc.location_id \
             WHERE lc.day > $1 AND lc.day <= $2 ORDER BY lc.day",
        )
        .bind(jiff_sqlx::Date::from(from))
        .bind(jiff_sqlx::Date::from(to))
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(d, place, reason)| (d.to_jiff().to_string(), format!("{place}: {reason}")))
        .collect())
}

/// The kind's label, for the CLI's explanation.
pub fn kind_name(lang: Lang, kind: CaseKind) -> String {
    kind_label(lang, kind.as_str())
}
