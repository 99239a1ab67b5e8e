//! Both registers as CSV for a spreadsheet (`platform::csv`: BOM, `;`): the list's
//! filters and order from the same URL (newest first unless the list is sorted by
//! another column), from the first item, up to [`EXPORT_LIMIT`] items.

use axum::extract::{Query, State};
use axum::response::Response;

use super::incoming::{self, ListQuery};
use super::list::{self, IncomingColumn, OutgoingColumn};
use super::outgoing;
use super::rules::{Channel, OutChannel};
use super::store::{self, ListFilter, Order, Slice};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::scope::UnitScope;
use crate::platform::csv::Csv;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;

const EXPORT_LIMIT: i64 = 5_000;

/// The filter of the URL in the user's scope; a wrong filter is the list's business
/// (it shows the problem at its field), here a 400.
async fn filter(scope: &UnitScope, query: &ListQuery, codes: &[&str]) -> AppResult<ListFilter> {
    scope.user().require(Permission::ViewCorrespondence)?;
    let units = scope.units(Permission::ViewCorrespondence).await?;
    let query = ListQuery {
        before: None,
        page: None,
        ..query.clone()
    };
    query
        .parse(codes, units.sql_filter())
        .map_err(|_| AppError::BadRequest("bad-request"))
}

/// The whole list in `order` (up to the limit), whatever page was shown.
fn slice(order: Order) -> Slice {
    Slice {
        order,
        limit: EXPORT_LIMIT,
        offset: 0,
    }
}

pub async fn incoming(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let codes: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let filter = filter(&scope, &query, &codes).await?;
    let order = list::order_of(list::sort_of::<IncomingColumn>(&query));
    let items = store::list_incoming(&state.db, &filter, slice(order)).await?;
    let lang = ctx.lang;
    let mut csv = Csv::new();
    csv.row(
        &[
            "corr-register-number",
            "corr-received",
            "corr-channel",
            "corr-sender",
            "corr-subject",
            "corr-unit",
        ]
        .map(|k| lang.t(k)),
    );
    for item in items {
        csv.row(&[
            item.row.register_number,
            item.received_at
                .in_warsaw()
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            incoming::channel_label(lang, &item.row.channel),
            item.row.party,
            item.row.subject,
            item.row.unit_symbol,
        ]);
    }
    let today = state.clock.today();
    Ok(csv.download(&format!("dziennik-wplywu-{today}.csv")))
}

pub async fn outgoing(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let codes: Vec<&str> = OutChannel::ALL.iter().map(|c| c.as_str()).collect();
    let filter = filter(&scope, &query, &codes).await?;
    let order = list::order_of(list::sort_of::<OutgoingColumn>(&query));
    let items = store::list_outgoing(&state.db, &filter, slice(order)).await?;
    let lang = ctx.lang;
    let mut csv = Csv::new();
    csv.row(
        &[
            "corr-register-number",
            "corr-sent",
            "corr-out-channel",
            "corr-recipient",
            "corr-subject",
            "corr-unit",
            "corr-delivered-on",
        ]
        .map(|k| lang.t(k)),
    );
    for item in items {
        csv.row(&[
            item.row.register_number,
            item.sent_on.to_jiff().to_string(),
            outgoing::channel_label(lang, &item.row.channel),
            item.row.party,
            item.row.subject,
            item.row.unit_symbol,
            item.delivered_on
                .map(|d| d.to_jiff().to_string())
                .unwrap_or_default(),
        ]);
    }
    let today = state.clock.today();
    Ok(csv.download(&format!("dziennik-wysylki-{today}.csv")))
}
