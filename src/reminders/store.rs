//! What the reminder job reads (open cases, addresses, heads of unit) and what it keeps
//! of a day in `job_run` (claimed through `platform::jobs`).

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::rules::{Head, OpenCase};
use crate::auth::policy::Role;
use crate::db::Db;
use crate::with_db;

type SqlDate = jiff_sqlx::Date;

/// The name of the reminder job in `job_run`.
pub const JOB: &str = "deadline_reminders";

/// Open cases (suspended ones included: the rules decide) due on or before `last_day`.
/// The condition matches the partial index `case_file_open_due`.
pub async fn open_cases_due_by(db: &Db, last_day: Date) -> Result<Vec<OpenCase>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        i64,
        Option<i64>,
        String,
        SqlDate,
        String,
    );
    let rows: Vec<Row> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.id, c.znak, c.title, c.unit_id, c.official_id, \
             COALESCE(o.display_name, '') AS official_name, c.due_on, c.status \
             FROM case_file c LEFT JOIN app_user o ON o.id = c.official_id \
             WHERE c.status IN ('registered', 'assigned', 'in_progress', 'suspended') \
             AND c.due_on <= $1 ORDER BY c.due_on, c.id",
        )
        .bind(SqlDate::from(last_day))
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(id, znak, title, unit_id, official_id, official_name, due, status)| OpenCase {
                id,
                znak,
                title,
                unit_id,
                official_id,
                official_name,
                due: due.to_jiff(),
                suspended: status == "suspended",
            },
        )
        .collect())
}

/// A person who may get a reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i64,
    pub login: String,
    pub name: String,
    /// The account's address, else the employee record's; empty when neither is set.
    pub email: String,
}

/// Active accounts with their addresses.
pub async fn recipients(db: &Db) -> Result<HashMap<i64, Recipient>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT u.id, u.login, u.display_name, u.email, e.email \
             FROM app_user u LEFT JOIN employee e ON e.user_id = u.id WHERE u.active",
        )
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(user_id, login, name, own, employee)| {
            let email = if own.trim().is_empty() {
                employee.unwrap_or_default()
            } else {
                own
            };
            (
                user_id,
                Recipient {
                    user_id,
                    login,
                    name,
                    email: email.trim().to_owned(),
                },
            )
        })
        .collect())
}

/// Heads of unit: active accounts with a manager grant limited to a unit. A manager
/// grant for the whole office is not a head of unit (the office-wide view is the
/// workload page, not a daily mail of every late case).
pub async fn heads(db: &Db) -> Result<Vec<Head>, sqlx::Error> {
    let grants: Vec<(i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT r.user_id, r.org_unit_id FROM user_role r JOIN app_user u ON u.id = r.user_id \
             WHERE r.role = $1 AND r.org_unit_id IS NOT NULL AND u.active \
             ORDER BY r.user_id, r.org_unit_id",
        )
        .bind(Role::Manager.as_str())
        .fetch_all(c)
        .await
    })?;
    let units = crate::org::store::units(db).await?;
    let parents = crate::org::parent_map(&units);
    let mut heads: Vec<Head> = Vec::new();
    for (user_id, unit) in grants {
        let symbol = units
            .iter()
            .find(|u| u.id == unit)
            .map(|u| u.symbol.clone())
            .unwrap_or_default();
        let below = super::rules::subtree(unit, &parents);
        match heads.iter_mut().find(|h| h.user_id == user_id) {
            Some(head) => {
                head.unit_symbols.push(symbol);
                head.units.extend(below);
                head.units.sort_unstable();
                head.units.dedup();
            }
            None => heads.push(Head {
                user_id,
                unit_symbols: vec![symbol],
                units: below,
            }),
        }
    }
    Ok(heads)
}

/// The audited summary of a run: counts only, no case contents or addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunCounts {
    pub day: String,
    pub officials: usize,
    pub heads: usize,
    pub sent: usize,
    pub failed: usize,
    pub without_address: usize,
}

/// What `job_run.detail` keeps of a day's run: the counts and the addresses the mail
/// server did not take.
pub fn detail(counts: &RunCounts, failed: &[String]) -> serde_json::Value {
    let mut detail = serde_json::to_value(counts).unwrap_or_default();
    detail["failed_recipients"] = failed.join(", ").into();
    detail
}

/// The recorded result of a day: (sent, failed, failed recipients, finished).
pub async fn day_result(
    db: &Db,
    day: Date,
) -> Result<Option<(i64, i64, String, bool)>, sqlx::Error> {
    let run = crate::platform::jobs::recorded(db, JOB, &day.to_string()).await?;
    Ok(run.map(|run| {
        let number = |key: &str| run.detail[key].as_i64().unwrap_or(0);
        (
            number("sent"),
            number("failed"),
            run.detail["failed_recipients"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            run.finished_at.is_some(),
        )
    }))
}
