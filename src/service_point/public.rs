//! The public pages of a service point: the list, the live status (open desks, people
//! waiting, estimated wait per category), the kiosk, the e-ticket with its QR code, the
//! display board, and the point's stream of live events. Every page renders complete
//! without JavaScript; `static/service-point.js` keeps the live parts current.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::live::LiveSnapshots;
use super::service::{self, Point, PointSummary, TicketStatus};
use super::store::{ServicePointError, Snapshot, topic};
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::platform::events;
use crate::platform::form::{Pairs, value};
use crate::platform::sse::{self, LastEventId};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "service_point/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub points: Vec<PointSummary>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ListPage> {
    let points = service::summaries(&state.db).await?;
    Ok(ListPage { ctx, points })
}

/// The live-status page.
#[derive(Template, WebTemplate)]
#[template(path = "service_point/status.html")]
pub struct StatusPage {
    pub ctx: PageCtx,
    pub point: Point,
    pub snapshot: Snapshot,
    pub live_from: i64,
}

impl StatusPage {
    /// Whether visits can be booked at the point.
    pub fn takes_bookings(&self) -> bool {
        self.snapshot.categories.iter().any(|k| k.bookable)
    }
}

async fn point_and_snapshot(state: &AppState, id: i64) -> AppResult<(Point, Snapshot, i64)> {
    let point = service::point(&state.db, id).await?;
    // The event id first: a change committed after it arrives over the stream.
    let live_from = events::last_id(&state.db, &topic(id)).await?;
    let snapshot = service::snapshot(&state.db, &point).await?;
    Ok((point, snapshot, live_from))
}

pub async fn status(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<StatusPage> {
    let (point, snapshot, live_from) = point_and_snapshot(&state, id).await?;
    Ok(StatusPage {
        ctx,
        point,
        snapshot,
        live_from,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/kiosk.html")]
pub struct KioskPage {
    pub ctx: PageCtx,
    pub point: Point,
    pub snapshot: Snapshot,
    /// The category names covered cards, by category id.
    pub cards: Vec<(i64, Vec<String>)>,
    /// A refusal to show (Fluent id).
    pub problem: Option<String>,
    pub live_from: i64,
}

impl KioskPage {
    pub fn cards_of(&self, category: &i64) -> Vec<String> {
        self.cards
            .iter()
            .find(|(k, _)| k == category)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }
}

pub(super) async fn kiosk_page(
    state: &AppState,
    ctx: PageCtx,
    id: i64,
    problem: Option<String>,
) -> AppResult<KioskPage> {
    let (point, snapshot, live_from) = point_and_snapshot(state, id).await?;
    let links = super::store::category_cards(&state.db, id).await?;
    let published = crate::service_cards::store::published_cards(&state.db).await?;
    let cards = snapshot
        .categories
        .iter()
        .map(|k| {
            let names = links
                .iter()
                .filter(|(c, _)| *c == k.id)
                .filter_map(|(_, card)| published.iter().find(|(p, _)| p.id == *card))
                .map(|(p, _)| p.data.name.clone())
                .collect();
            (k.id, names)
        })
        .collect();
    Ok(KioskPage {
        ctx,
        point,
        snapshot,
        cards,
        problem,
        live_from,
    })
}

pub async fn kiosk(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<KioskPage> {
    kiosk_page(&state, ctx, id, None).await
}

/// The kiosk's button: a ticket of the chosen category, then its page (print it or
/// scan its QR code).
pub async fn take_ticket(
    _turn: super::rations::TicketTurn,
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let pairs: &Pairs = &pairs;
    let code = value(pairs, "category").trim().to_owned();
    let priority = crate::platform::form::checked(pairs, "priority");
    let refused = |status: StatusCode, key: &str| (status, key.to_owned());
    let (status, key) =
        match service::issue_ticket(&state.db, &visitor.actor(), id, &code, priority).await {
            Ok(issued) => {
                return Ok(
                    Redirect::to(&format!("/tickets/{}", issued.ticket.token)).into_response()
                );
            }
            Err(ServicePointError::UnknownCategory) => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "sp-kiosk-unknown-category",
            ),
            Err(ServicePointError::Closed) => refused(StatusCode::CONFLICT, "sp-kiosk-closed"),
            Err(ServicePointError::OverQuota) => refused(StatusCode::CONFLICT, "sp-kiosk-quota"),
            Err(ServicePointError::NoCapacity) => {
                refused(StatusCode::CONFLICT, "sp-kiosk-capacity")
            }
            Err(e) => return Err(e.into()),
        };
    let page = kiosk_page(&state, ctx, id, Some(key)).await?;
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/ticket.html")]
pub struct TicketPage {
    pub ctx: PageCtx,
    pub point: Point,
    pub status: TicketStatus,
    /// The QR code of the page's address, as SVG.
    pub qr_svg: String,
    pub url: String,
}

/// The page's own address for the QR code: `public_url` when configured, else the
/// address the visitor used.
fn absolute(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    let base = state.config.public_url.clone().unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    });
    format!("{}{path}", base.trim_end_matches('/'))
}

/// A QR code of `text` as an SVG image.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(168, 168)
                .quiet_zone(true)
                .build();
            // Inline in HTML: no XML declaration; the caption beside it carries the
            // link for people and screen readers, so the picture is hidden from them.
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1)
        }
        // Only a text too long for any QR code fails; the link under it remains.
        Err(_) => String::new(),
    }
}

pub async fn ticket(
    State(state): State<AppState>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<TicketPage> {
    let (point, status) = service::ticket_status(&state.db, &token)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = absolute(&state, &headers, &format!("/tickets/{token}"));
    Ok(TicketPage {
        ctx,
        point,
        qr_svg: qr_svg(&url),
        url,
        status,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/board.html")]
pub struct BoardPage {
    pub ctx: PageCtx,
    pub point: Point,
    pub snapshot: Snapshot,
    pub live_from: i64,
}

pub async fn board(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<BoardPage> {
    let (point, snapshot, live_from) = point_and_snapshot(&state, id).await?;
    Ok(BoardPage {
        ctx,
        point,
        snapshot,
        live_from,
    })
}

/// What an e-ticket's stream adds to the point's: the label it follows.
#[derive(Debug, serde::Deserialize)]
pub struct Follow {
    pub ticket: Option<String>,
}

/// The point's live events (`text/event-stream`): every change of its queue, each
/// with the snapshot after it (`{"change": {kind, ticket, desk}, "snapshot": …}`; with
/// `?ticket=A007` also that ticket's `"ticket": {ahead, estimated_wait_minutes}`, null
/// once it left the queue), resumed after `Last-Event-ID`. The snapshot is read once
/// per change by this server and shared by its streams (`super::live`, decision 0055).
pub async fn events(
    State(state): State<AppState>,
    State(live): State<LiveSnapshots>,
    Path(id): Path<i64>,
    LastEventId(last): LastEventId,
    Query(follow): Query<Follow>,
) -> AppResult<Response> {
    let point = service::point(&state.db, id).await?;
    let topic = topic(point.location.id);
    let after = match last {
        Some(id) => id,
        None => events::last_id(&state.db, &topic).await?,
    };
    // A label is a letter and a few digits; anything longer follows nothing.
    let ticket = follow.ticket.filter(|t| !t.is_empty() && t.len() <= 16);
    let subscription = events::subscribe(&state.db, &topic, Some(after)).await?;
    let db = state.db.clone();
    Ok(sse::respond_with_reads(
        subscription,
        state.config.live_heartbeat(),
        move |event| {
            let (db, live, ticket) = (db.clone(), live.clone(), ticket.clone());
            async move {
                match live.frame(&db, id, &event).await {
                    Ok(frame) => Ok(frame.map(|f| f.data(ticket.as_deref()))),
                    Err(e) => {
                        tracing::warn!(error = %e, point = id, "live snapshot unreadable; the stream ends");
                        Err(())
                    }
                }
            }
        },
    ))
}
