//! The front doors: the public home page (the office, its locations and opening hours,
//! every resident task), the staff start page — the officials' workbench
//! ([`workbench`]) — and the language switch.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use std::sync::Arc;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::{LANG_COOKIE, build_cookie};
use crate::org::public::PublicOfficeCache;
use crate::org::store::{Location, Office, OpeningHours};
use crate::service_point::live::{Board, LiveSnapshots};
use crate::service_point::service as service_point;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::routes::{Access, Routes};

pub mod workbench;

pub fn routes() -> Routes {
    Routes::site()
        .get("/", Access::Public, home)
        .get(
            "/staff",
            Access::Staff(Permission::StaffArea),
            workbench::page,
        )
        .get("/lang/{code}", Access::Public, switch_language)
}

/// A location with its week written out for people.
pub struct LocationView {
    pub location: Location,
    pub kind_label: String,
    /// (day name, "08:00–16:00" or "closed")
    pub week: Vec<(String, String)>,
}

pub fn weekday_key(weekday: i32) -> String {
    format!("weekday-{weekday}")
}

pub fn location_views(
    ctx: &PageCtx,
    locations: Vec<Location>,
    hours: &[OpeningHours],
) -> Vec<LocationView> {
    locations
        .into_iter()
        .filter(|l| l.active)
        .map(|location| {
            let week = (1..=7)
                .map(|day| {
                    let text = hours
                        .iter()
                        .find(|h| h.location_id == location.id && h.weekday == day)
                        .map(|h| format!("{}–{}", h.opens, h.closes))
                        .unwrap_or_else(|| ctx.t("hours-closed"));
                    (ctx.t(&weekday_key(day)), text)
                })
                .collect();
            LocationView {
                kind_label: ctx.t(&format!(
                    "location-kind-{}",
                    location.kind.replace('_', "-")
                )),
                location,
                week,
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "home/public.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub office: Option<Office>,
    pub locations: Vec<LocationView>,
    /// The newest news and announcements (`news::service::latest`).
    pub news: Vec<crate::news::service::Card>,
    /// The service points' queues now.
    pub points: Vec<PointView>,
}

/// A service point on the home page: its queue in figures when open, its next opening
/// when closed.
pub struct PointView {
    pub location_id: i64,
    pub name: String,
    /// The point's public live-status page.
    pub href: String,
    /// The queue's figures while the point is open.
    pub board: Option<Arc<Board>>,
    /// "Opens on Monday 7 December at 08:00" (or that no opening is set) when closed.
    pub closed_note: Option<String>,
}

/// Each point's queue from the snapshot the service point keeps per change
/// ([`LiveSnapshots::board`]): one small query per point when nothing changed, never
/// the day's tickets. A closed point reads its hours for the next opening instead.
async fn point_views(
    ctx: &PageCtx,
    state: &AppState,
) -> Result<Vec<PointView>, crate::service_point::store::ServicePointError> {
    let live = LiveSnapshots::from_ref(state);
    let mut out = Vec::new();
    for point in service_point::points(&state.db).await? {
        let (board, closed_note) = if point.is_open() {
            (Some(live.board(&state.db, &point).await?), None)
        } else {
            let note = match service_point::next_opening(&state.db, point.location.id).await? {
                Some((day, opens)) => ctx.lang.t_args(
                    "home-queue-closed-opens",
                    &[("day", ctx.date(&day).into()), ("time", opens.into())],
                ),
                None => ctx.t("home-queue-closed"),
            };
            (None, Some(note))
        };
        out.push(PointView {
            location_id: point.location.id,
            href: format!("/service-points/{}", point.location.id),
            name: point.location.name,
            board,
            closed_note,
        });
    }
    Ok(out)
}

/// How many news items the home page shows.
pub const HOME_NEWS: i64 = 3;

pub async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<HomePage> {
    let public = PublicOfficeCache::from_ref(&state).get().await;
    let office = public.office.clone();
    let locations = location_views(&ctx, public.locations.clone(), &public.hours);
    let latest = crate::news::service::latest(&state.db, state.clock.now(), HOME_NEWS).await?;
    let points = point_views(&ctx, &state).await?;
    Ok(HomePage {
        points,
        news: crate::news::service::cards(&ctx, latest),
        ctx,
        office,
        locations,
    })
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page (works without JavaScript).
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<SwitchQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::from_code(&code).ok_or(AppError::NotFound)?;
    let next = crate::web::local_or(q.next.as_deref(), "/");
    let mut response = Redirect::to(&next).into_response();
    let one_year = 365 * 24 * 3600;
    response.headers_mut().append(
        header::SET_COOKIE,
        build_cookie(
            LANG_COOKIE,
            lang.code().to_owned(),
            state.config.behind_tls(),
            Some(one_year),
        ),
    );
    Ok(response)
}
