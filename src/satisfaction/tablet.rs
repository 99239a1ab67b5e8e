//! The desk's rating tablet (issue 11): an optional tablet on the desk, signed in as the
//! point's front desk (`ServeDesk`: it sits on the desk, not in a resident's hand),
//! that waits for its desk's `done` event over the point's live events and then asks
//! the resident just served for the same rating as the e-ticket — the same questions,
//! stored by the same [`service::rate`], once per visit.
//!
//! The visit is never chosen by the page: the server offers only the visit the desk
//! finished last, while it ended with service less than
//! `service_point::service::TABLET_MINUTES` ago and is not rated; a post naming any
//! other ticket (an older visit, one the next resident's `done` replaced) is refused
//! with 409 and stores nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::RatingTurn;
use super::rate::{Question, form_parts};
use super::rules::{Answers, COMMENT_MAX, RatingForm};
use super::service::{self, RateError};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormErrors, Pairs, value};
use crate::service_point::service::{DeskPlace, TABLET_MINUTES, desk_place};
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

#[derive(Template, WebTemplate)]
#[template(path = "satisfaction/tablet.html")]
pub struct TabletPage {
    pub ctx: PageCtx,
    pub place: DeskPlace,
    /// The visit to rate: (ticket id, its number); None while the tablet waits.
    pub visit: Option<(i64, String)>,
    /// Why the post was refused (a newer visit, rated already).
    pub refused: Option<String>,
    pub questions: Vec<Question>,
    pub comment: Field,
    pub comment_max: usize,
    pub error_summary: Vec<(String, String)>,
    /// Seconds after which the page goes back to waiting.
    pub idle_after: i64,
}

fn action(place: &DeskPlace) -> String {
    format!(
        "/service-points/{}/desks/{}/tablet",
        place.location_id, place.desk_id
    )
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    place: DeskPlace,
    pairs: &Pairs,
    errors: &FormErrors,
    refused: Option<&str>,
) -> AppResult<TabletPage> {
    let visit = service::visit_at_desk(&state.db, place.desk_id)
        .await?
        .and_then(|v| v.ticket_id.map(|id| (id, v.label)));
    let (questions, comment, error_summary) = form_parts(ctx.lang, pairs, errors);
    Ok(TabletPage {
        refused: refused.map(|k| ctx.t(k)),
        place,
        visit,
        questions,
        comment,
        comment_max: COMMENT_MAX,
        error_summary,
        idle_after: TABLET_MINUTES * 60,
        ctx,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path((id, desk)): Path<(i64, i64)>,
) -> AppResult<TabletPage> {
    user.require(Permission::ServeDesk)?;
    let place = desk_place(&state.db, id, desk).await?;
    page(&state, ctx, place, &[], &FormErrors::new(), None).await
}

pub async fn rate(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    turn: RatingTurn,
    ctx: PageCtx,
    Path((id, desk)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ServeDesk)?;
    let place = desk_place(&state.db, id, desk).await?;
    let back = action(&place);
    let posted: Option<i64> = value(&pairs, "ticket").trim().parse().ok();
    let subject = service::visit_at_desk(&state.db, place.desk_id).await?;
    // Only the visit the desk finished just now, and only the one the form was shown
    // for.
    let Some(subject) = subject.filter(|s| posted.is_some() && s.ticket_id == posted) else {
        let page = page(
            &state,
            ctx,
            place,
            &[],
            &FormErrors::new(),
            Some("sat-tablet-stale"),
        )
        .await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    };
    let answers = match Answers::try_from(RatingForm { pairs: &pairs }) {
        Ok(a) => a,
        Err(errors) => {
            let page = page(&state, ctx, place, &pairs, &errors, None).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    match service::rate(&state.db, &subject, answers).await {
        Ok(_) => {
            turn.used(&state);
            Ok(redirect_with_flash(
                &back,
                "sat-thanks",
                state.config.behind_tls(),
            ))
        }
        Err(RateError::AlreadyRated) => {
            let page = page(
                &state,
                ctx,
                place,
                &[],
                &FormErrors::new(),
                Some("sat-already-rated"),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
