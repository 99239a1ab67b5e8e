//! The staff side of the queue: the overview of the points (their desks for officials,
//! their setup for administrators) and the desk console, where an official opens,
//! pauses and closes the desk and calls, recalls, serves, finishes, transfers or marks
//! a no-show. Every act is one POST, audited and announced in one transaction.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::service::{self, Point};
use super::store::{self, Act, Category, Desk, ServicePointError, Snapshot, Source};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::org::store as org;
use crate::platform::form::value;
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// One location on the overview.
pub struct OverviewRow {
    pub location: org::Location,
    pub desks: Vec<Desk>,
    pub categories: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/overview.html")]
pub struct OverviewPage {
    pub ctx: PageCtx,
    pub rows: Vec<OverviewRow>,
    pub can_serve: bool,
    pub can_manage: bool,
    pub can_see_stats: bool,
}

pub async fn overview(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<OverviewPage> {
    let can_serve = user.can(Permission::ServeDesk);
    let can_manage = user.can(Permission::ManageServicePoints);
    let can_see_stats = user.can(Permission::ViewServicePointStats);
    if !can_serve && !can_manage && !can_see_stats {
        return Err(AppError::Forbidden);
    }
    let mut rows = Vec::new();
    for location in org::locations(&state.db).await? {
        let categories = store::categories(Source::Db(&state.db), location.id)
            .await?
            .len();
        let desks = store::desks(Source::Db(&state.db), location.id).await?;
        // An official sees the points that exist; an administrator every location.
        if can_manage || categories > 0 {
            rows.push(OverviewRow {
                location,
                desks,
                categories,
            });
        }
    }
    Ok(OverviewPage {
        ctx,
        rows,
        can_serve,
        can_manage,
        can_see_stats,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/console.html")]
pub struct ConsolePage {
    pub ctx: PageCtx,
    pub point: Point,
    pub desk: Desk,
    pub snapshot: Snapshot,
    pub categories: Vec<Category>,
    /// The ticket at the desk: (label, state).
    pub current: Option<(String, String)>,
    /// Other desks of the point (transfer targets).
    pub others: Vec<Desk>,
    /// The published service cards (to note the matter handled): (id, name).
    pub cards: Vec<(i64, String)>,
}

impl ConsolePage {
    pub fn serves(&self, category: &i64) -> bool {
        self.desk.categories.contains(category)
    }
}

pub async fn console(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<ConsolePage> {
    user.require(Permission::ServeDesk)?;
    let desk = store::desk(&state.db, id).await?;
    let point = service::point(&state.db, desk.row.location_id).await?;
    let snapshot = service::snapshot(&state.db, &point).await?;
    let categories = store::categories(Source::Db(&state.db), point.location.id).await?;
    let others = store::desks(Source::Db(&state.db), point.location.id)
        .await?
        .into_iter()
        .filter(|d| d.row.id != id && d.row.active)
        .collect();
    let current = snapshot
        .desks
        .iter()
        .find(|d| d.id == id)
        .and_then(|d| d.ticket.clone())
        .map(|label| {
            let state = snapshot
                .called
                .iter()
                .find(|c| c.ticket == label)
                .map(|c| c.state.clone())
                .unwrap_or_default();
            (label, state)
        });
    let links = store::category_cards(&state.db, point.location.id).await?;
    let cards = crate::service_cards::store::published_cards(&state.db)
        .await?
        .into_iter()
        .filter(|(c, _)| {
            links
                .iter()
                .any(|(k, card)| *card == c.id && desk.categories.contains(k))
        })
        .map(|(c, _)| (c.id, c.data.name))
        .collect();
    Ok(ConsolePage {
        ctx,
        point,
        desk,
        snapshot,
        categories,
        current,
        others,
        cards,
    })
}

/// The flash message of a refusal (`flash-sp-refused-…`).
fn refusal_flash(code: &'static str) -> &'static str {
    code
}

pub async fn act(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    Path((id, act)): Path<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ServeDesk)?;
    let optional_id = |name: &str| -> AppResult<Option<i64>> {
        let v = value(&pairs, name).trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("bad-request"))
    };
    let act = match act.as_str() {
        "open" => Act::Open,
        "pause" => Act::Pause,
        "close" => Act::Close,
        "call" => Act::CallNext,
        "recall" => Act::Recall,
        "start" => Act::Start,
        "finish" => Act::Finish {
            card_id: optional_id("card")?,
        },
        "no-show" => Act::NoShow,
        "transfer" => Act::Transfer {
            category_id: optional_id("category")?,
            desk_id: optional_id("desk")?,
        },
        _ => return Err(AppError::NotFound),
    };
    let back = format!("/staff/desks/{id}");
    let secure = state.config.behind_tls();
    let flash = match service::desk_act(&state.db, &visitor.actor(), id, &act).await {
        Ok(done) => match (&act, done.ticket) {
            (Act::CallNext, None) => "sp-queue-empty",
            (Act::CallNext, Some(_)) => "sp-called",
            (Act::Open, _) => "sp-desk-opened",
            (Act::Pause, _) => "sp-desk-paused",
            (Act::Close, _) => "sp-desk-closed",
            (Act::Recall, _) => "sp-recalled",
            (Act::Start, _) => "sp-started",
            (Act::Finish { .. }, _) => "sp-finished",
            (Act::NoShow, _) => "sp-no-show",
            (Act::Transfer { .. }, _) => "sp-transferred",
        },
        Err(ServicePointError::Refused(code)) => refusal_flash(code),
        Err(e) => return Err(e.into()),
    };
    Ok(redirect_with_flash(&back, flash, secure))
}
