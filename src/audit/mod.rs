//! The audit viewer: administrators and security officers read the trail, filtered by
//! actor, entity and date, newest first, a page at a time. The chain itself lives in
//! `db::audit`; [`anchor`] signs checkpoints of its head with a key kept outside the
//! database and [`publish`] puts them out of the database's reach (daily job, public
//! page, the security officer's mail).

pub mod anchor;
pub mod publish;
pub mod words;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use jiff::civil::Date;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::db::audit::AuditEvent;
use crate::db::{Db, UtcTime};
use crate::platform::form::{Field, FormErrors};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::routes::{Access, Routes};
use crate::with_db;

pub fn routes() -> Routes {
    Routes::site()
        .get("/staff/audit", Access::Staff(Permission::ViewAudit), viewer)
        .get(
            "/staff/audit/export",
            Access::Staff(Permission::ViewAudit),
            export,
        )
        .merge(publish::routes())
}

pub const PAGE_SIZE: i64 = 50;
/// Events in one CSV export: the filter narrows a bigger trail (a month of a busy office
/// is tens of thousands of events; the file says when it was cut).
pub const EXPORT_LIMIT: i64 = 20_000;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub entity_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Show events with `seq` below this (the next page).
    pub before: Option<i64>,
}

/// The filter, validated.
#[derive(Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Inclusive range of Warsaw calendar days, as UTC instants [from, to).
    pub from: Option<UtcTime>,
    pub to: Option<UtcTime>,
    pub before: Option<i64>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The first instant of a Warsaw calendar day.
fn day_start(day: Date) -> Option<UtcTime> {
    day.to_zoned(crate::WARSAW.clone())
        .ok()
        .map(|z| UtcTime::from_timestamp(z.timestamp()))
}

impl AuditQuery {
    pub fn parse(&self) -> Result<AuditFilter, FormErrors> {
        let mut errors = FormErrors::new();
        let mut date = |field: &'static str, value: &str| -> Option<Date> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            match value.parse::<Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, "form-date-invalid");
                    None
                }
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.add("to", "audit-range-reversed");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditFilter {
            actor: non_empty(&self.actor),
            entity_type: non_empty(&self.entity_type),
            entity_id: non_empty(&self.entity_id),
            from: from.and_then(day_start),
            to: to.and_then(|d| d.tomorrow().ok()).and_then(day_start),
            before: self.before.filter(|b| *b > 0),
        })
    }
}

/// Events matching `filter`, newest first, at most `limit`.
pub async fn search(
    db: &Db,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditEvent>, sqlx::Error> {
    // Each condition is "NULL or matches", so one static SQL string serves every
    // combination of filters on both backends.
    const SQL: &str = "SELECT * FROM audit_event WHERE ($1 IS NULL OR actor_login = $1) \
         AND ($2 IS NULL OR entity_type = $2) AND ($3 IS NULL OR entity_id = $3) \
         AND ($4 IS NULL OR occurred_at >= $4) AND ($5 IS NULL OR occurred_at < $5) \
         AND ($6 IS NULL OR seq < $6) ORDER BY seq DESC LIMIT CAST($7 AS BIGINT)";
    with_db!(db, |c| {
        sqlx::query_as(SQL)
            .bind(&filter.actor)
            .bind(&filter.entity_type)
            .bind(&filter.entity_id)
            .bind(filter.from)
            .bind(filter.to)
            .bind(filter.before)
            .bind(limit)
            .fetch_all(c)
            .await
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/viewer.html")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub actor: Field,
    pub entity_type: Field,
    pub entity_id: Field,
    pub from: Field,
    pub to: Field,
    pub events: Vec<EventRow>,
    /// Query string of the next (older) page, if there is one.
    pub next_page: Option<String>,
    /// Query string of the CSV export: the same filters, from the newest event.
    pub export_query: String,
}

/// An event as the viewer shows it: who and what in words, the object with a link
/// where it has a page; the stored data kept verbatim as the technical record.
pub struct EventRow {
    pub seq: i64,
    pub occurred_at: UtcTime,
    pub actor: String,
    pub ip: Option<String>,
    pub action: String,
    pub object: String,
    pub object_link: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

impl EventRow {
    fn of(lang: crate::web::i18n::Lang, e: AuditEvent) -> Self {
        Self {
            seq: e.seq,
            occurred_at: e.occurred_at,
            actor: words::actor(lang, &e.actor_login),
            ip: e.ip,
            action: words::action(lang, &e.action),
            object: words::object(lang, &e.entity_type, &e.entity_id),
            object_link: words::object_link(&e.entity_type, &e.entity_id),
            before_json: e.before_json,
            after_json: e.after_json,
        }
    }
}

/// The kinds of object for the filter, in words, sorted as the reader's language sorts.
fn kind_options(lang: crate::web::i18n::Lang) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = words::KINDS
        .iter()
        .map(|k| ((*k).to_owned(), words::kind(lang, k)))
        .collect();
    kinds.sort_by(|a, b| magistrat_domain::collation::compare(&a.1, &b.1));
    kinds
}

pub async fn viewer(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Query(query): Query<AuditQuery>,
) -> AppResult<AuditPage> {
    user.require(Permission::ViewAudit)?;
    let lang = ctx.lang;
    let (events, errors) = match query.parse() {
        Ok(filter) => (
            search(&state.db, &filter, PAGE_SIZE + 1).await?,
            FormErrors::new(),
        ),
        Err(errors) => (Vec::new(), errors),
    };
    let mut events = events;
    let next_page = if events.len() as i64 > PAGE_SIZE {
        events.truncate(PAGE_SIZE as usize);
        events.last().map(|last| next_page_query(&query, last.seq))
    } else {
        None
    };
    let field = |name, key, value: &str| {
        Field::text(lang, name, key, value)
            .optional()
            .errors(lang, &errors)
    };
    Ok(AuditPage {
        actor: field("actor", "audit-filter-actor", &query.actor),
        entity_type: field(
            "entity_type",
            "audit-filter-entity-type",
            &query.entity_type,
        )
        .select_after(lang, "audit-filter-entity-any", kind_options(lang)),
        entity_id: field("entity_id", "audit-filter-entity-id", &query.entity_id),
        from: field("from", "audit-filter-from", &query.from).kind("date"),
        to: field("to", "audit-filter-to", &query.to).kind("date"),
        events: events.into_iter().map(|e| EventRow::of(lang, e)).collect(),
        next_page,
        export_query: filter_query(&query).finish(),
        ctx,
    })
}

/// The filtered trail as a spreadsheet, newest first, in words with the stored codes
/// beside them (an auditor filters by either); a wrong filter is a 400, never the whole
/// trail.
pub async fn export(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Query(query): Query<AuditQuery>,
) -> AppResult<axum::response::Response> {
    user.require(Permission::ViewAudit)?;
    let lang = ctx.lang;
    let Ok(filter) = query.parse() else {
        return Err(crate::web::error::AppError::BadRequest(
            "audit-export-bad-filter",
        ));
    };
    let events = search(&state.db, &filter, EXPORT_LIMIT + 1).await?;
    let mut csv = crate::platform::csv::Csv::new();
    csv.row(&[
        "#".to_owned(),
        lang.t("audit-col-time"),
        lang.t("audit-col-actor"),
        lang.t("audit-col-address"),
        lang.t("audit-col-action"),
        lang.t("audit-col-entity"),
        lang.t("audit-col-code"),
        lang.t("audit-before"),
        lang.t("audit-after"),
    ]);
    for e in events.iter().take(EXPORT_LIMIT as usize) {
        let code = format!("{} {} {}", e.action, e.entity_type, e.entity_id);
        let row = EventRow::of(lang, e.clone());
        csv.row(&[
            row.seq.to_string(),
            // Office time with its offset, as a spreadsheet reads it.
            row.occurred_at
                .in_warsaw()
                .strftime("%Y-%m-%d %H:%M:%S%:z")
                .to_string(),
            row.actor,
            row.ip.unwrap_or_default(),
            row.action,
            row.object,
            code,
            row.before_json.unwrap_or_default(),
            row.after_json.unwrap_or_default(),
        ]);
    }
    if events.len() as i64 > EXPORT_LIMIT {
        csv.row(&[lang.t_args(
            "audit-export-cut",
            &[("n", crate::web::i18n::Arg::Num(EXPORT_LIMIT))],
        )]);
    }
    Ok(csv.download(&format!("dziennik-zdarzen-{}.csv", state.clock.today())))
}

fn filter_query(q: &AuditQuery) -> form_urlencoded::Serializer<'static, String> {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("actor", &q.actor)
        .append_pair("entity_type", &q.entity_type)
        .append_pair("entity_id", &q.entity_id)
        .append_pair("from", &q.from)
        .append_pair("to", &q.to);
    query
}

fn next_page_query(q: &AuditQuery, before: i64) -> String {
    filter_query(q)
        .append_pair("before", &before.to_string())
        .finish()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters() {
        let q = AuditQuery {
            actor: " admin ".into(),
            from: "2026-03-29".into(),
            to: "2026-03-29".into(),
            ..AuditQuery::default()
        };
        let f = q.parse().unwrap();
        assert_eq!(f.actor.as_deref(), Some("admin"));
        // 29 March 2026 is the day Poland moves to summer time: 23 hours long.
        assert_eq!(
            f.from.unwrap().to_canonical(),
            "2026-03-28T23:00:00.000000Z"
        );
        assert_eq!(f.to.unwrap().to_canonical(), "2026-03-29T22:00:00.000000Z");
        assert!(f.entity_type.is_none());
    }

    #[test]
    fn rejects_bad_dates() {
        let q = AuditQuery {
            from: "2026-02-30".into(),
            ..AuditQuery::default()
        };
        assert!(q.parse().unwrap_err().get("from").is_some());
        let q = AuditQuery {
            from: "2026-05-02".into(),
            to: "2026-05-01".into(),
            ..AuditQuery::default()
        };
        assert!(q.parse().unwrap_err().get("to").is_some());
    }
}
