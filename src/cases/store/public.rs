//! The public view of a case, by its tracking code: no party data, no notes, no
//! official's name.

use jiff::civil::Date;
use serde::Serialize;

use super::register::normalize_tracking_code;
use super::{CaseStoreError, SqlDate};
use crate::cases::workflow::Status;
use crate::db::{Db, UtcTime, row};
use crate::with_db;

/// What anyone holding the tracking code may see: no party data, no internal notes, no
/// official's name — only the unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicCaseStatus {
    pub znak: String,
    pub title: String,
    pub status: Status,
    pub unit_name: String,
    pub registered_on: Date,
    pub due_date: Date,
    /// (day, status) of each status change, oldest first.
    pub history: Vec<(Date, Status)>,
    /// The tracking code, normalised.
    pub tracking_code: String,
    /// The newest event of the case's [`status_topic`] when this was read: a live view
    /// resumes after it (read first, so no change can fall between the two).
    pub live_from: i64,
    /// The opłata skarbowa still to pay, in grosze (0: nothing): the amount only, no
    /// party data (decision 0050). Not in the API's JSON (its schema is fixed).
    #[serde(skip)]
    pub fee_due_grosze: i64,
}

/// The live-event topic of a case's public status: `apply_step` publishes each status
/// change there (the status only, what the public status page shows).
pub fn status_topic(tracking_code: &str) -> String {
    format!("case.{tracking_code}")
}

/// The public status of the case with this tracking code (typed loosely: see
/// [`normalize_tracking_code`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn public_status(
    db: &Db,
    tracking_code: &str,
) -> Result<Option<PublicCaseStatus>, CaseStoreError> {
    let Some(code) = normalize_tracking_code(tracking_code) else {
        return Ok(None);
    };
    let live_from = crate::platform::events::last_id(db, &status_topic(&code)).await?;
    let row: Option<(i64, String, String, String, String, UtcTime, SqlDate)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT c.id, c.znak, c.title, c.status, u.name, c.registered_at, c.due_on \
             FROM case_file c JOIN org_unit u ON u.id = c.unit_id WHERE c.tracking_code = $1",
        )
        .bind(&code)
        .fetch_optional(c)
        .await
    })?;
    let Some((id, znak, title, status, unit_name, registered_at, due_on)) = row else {
        return Ok(None);
    };
    let status: Status = row::column("status", status)?;
    let events: Vec<(UtcTime, String)> = with_db!(db, |c| {
        sqlx::query_as("SELECT occurred_at, status FROM case_event WHERE case_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(c)
            .await
    })?;
    let mut history: Vec<(Date, Status)> = Vec::new();
    for (at, status) in events {
        let status: Status = row::column("status", status)?;
        if history.last().is_none_or(|(_, s)| *s != status) {
            history.push((at.in_warsaw().date(), status));
        }
    }
    let fee_due_grosze = super::fees::amount_due(db, id).await?;
    Ok(Some(PublicCaseStatus {
        fee_due_grosze,
        znak,
        // Whoever holds the code sees no PESEL, NIP, account or e-mail address an
        // official may have written into the title (issue 15).
        title: magistrat_domain::text::mask_identifiers(&title),
        status,
        unit_name,
        registered_on: registered_at.in_warsaw().date(),
        due_date: due_on.to_jiff(),
        history,
        tracking_code: code,
        live_from,
    }))
}
