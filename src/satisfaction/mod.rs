//! Residents' satisfaction (issue 14, decision 0034): a rating after a visit at the
//! service point or after a settled case, the results with their 95 % intervals and
//! small groups suppressed, the public page, the staff's own and unit figures, and the
//! moderation of comments.
//!
//! - `store.rs` — a rating and its "rated" mark in one transaction (the two share no
//!   column: a rating names nobody), the sums per group, comments and moderation;
//! - `service.rs` — rate a visit or a case (refusals: not ended, not settled, rated
//!   already), the results of groups: what the pages and the API call;
//! - `rules.rs` — the rating form and body read into checked answers, approved
//!   comments grouped by unit and category (pure);
//! - `rate.rs` — the resident's rating pages (`/tickets/{token}/rating`,
//!   `/case-status/{code}/rating`);
//! - `results.rs` — the public `/satisfaction` page and its CSVs (results, trends);
//! - `trends.rs` — year-on-year (or quarterly) trends as charts, tables and CSV rows
//!   (decision 0051);
//! - `report.rs` — the staff's PDF report (`/staff/satisfaction/report.pdf`);
//! - `staff.rs` — `/staff/satisfaction` (own, unit and per-official figures, CSV) and
//!   the moderation of comments;
//! - `tablet.rs` — the desk's rating tablet
//!   (`/service-points/{id}/desks/{desk}/tablet`): the visit the desk just finished,
//!   offered over the point's live events;
//! - `demo.rs` — a year of ratings for the demo office.
//!
//! The statistics (CSAT with Wilson intervals, NPS with its multinomial interval,
//! suppression) are pure, in `magistrat_domain::satisfaction`.

pub mod bench_seed;
pub mod demo;
pub mod rate;
pub mod report;
pub mod results;
pub mod rules;
pub mod service;
pub mod staff;
pub mod store;
pub mod tablet;
pub mod trends;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use jiff::Timestamp;

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Visitor;
use crate::platform::throttle::{Ration, address_key};
use crate::web::error::AppError;
use crate::web::refusals;
use crate::web::routes::{Access, Routes};

/// Ratings one client address may give per minute (the form and the API together):
/// enough for a family at one phone, too few for a flood to move the results. Only
/// ratings stored count (as with the web filings, decision 0023): a refused post
/// writes nothing, and a token is 128 random bits, so guessing needs no ration.
pub const RATINGS_PER_MINUTE: u32 = 5;

/// The per-address ration of ratings.
pub struct RatingRations(Ration);

impl Default for RatingRations {
    fn default() -> Self {
        Self(Ration::new(RATINGS_PER_MINUTE))
    }
}

impl RatingRations {
    /// Whether `ip` may still rate this minute, or the seconds left of the minute.
    pub fn left(&self, ip: Option<&str>, now: Timestamp) -> Result<(), u64> {
        let second = now.as_second();
        if self.0.has_left(&address_key(ip), second.div_euclid(60)) {
            Ok(())
        } else {
            Err(u64::try_from(60 - second.rem_euclid(60)).unwrap_or(60))
        }
    }

    /// Counts a rating stored for `ip`.
    pub fn rated(&self, ip: Option<&str>, now: Timestamp) {
        // Counting a rating already stored cannot refuse it; the next post is checked.
        let _ = self
            .0
            .take(&address_key(ip), now.as_second().div_euclid(60));
    }
}

/// Present in a handler's arguments (before the body) when the client may still rate
/// this minute; otherwise the request ends with 429 before its body is read. The
/// handler calls [`RatingTurn::used`] once a rating is stored.
pub struct RatingTurn {
    ip: Option<String>,
}

impl RatingTurn {
    pub fn used(&self, app: &AppState) {
        std::sync::Arc::<RatingRations>::from_ref(app)
            .rated(self.ip.as_deref(), app.clock.timestamp());
    }
}

impl FromRequestParts<AppState> for RatingTurn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, AppError> {
        let rations = std::sync::Arc::<RatingRations>::from_ref(app);
        let ip = parts.extensions.get::<Visitor>().and_then(|v| v.ip.clone());
        match rations.left(ip.as_deref(), app.clock.timestamp()) {
            Ok(()) => Ok(RatingTurn { ip }),
            Err(seconds) => {
                refusals::note(app, "rating-rate", ip.as_deref(), "POST", parts.uri.path());
                Err(AppError::TooManyRequests(seconds))
            }
        }
    }
}

pub fn routes() -> Routes {
    Routes::site()
        .get("/tickets/{token}/rating", Access::Public, rate::visit_form)
        .post("/tickets/{token}/rating", Access::Public, rate::rate_visit)
        .get(
            "/case-status/{code}/rating",
            Access::Public,
            rate::case_form,
        )
        .post(
            "/case-status/{code}/rating",
            Access::Public,
            rate::rate_case,
        )
        .get("/satisfaction", Access::Public, results::page)
        .get("/satisfaction/results.csv", Access::Public, results::csv)
        .get(
            "/satisfaction/trends.csv",
            Access::Public,
            results::trends_csv,
        )
        .get(
            "/staff/satisfaction",
            Access::Staff(Permission::StaffArea),
            staff::page,
        )
        .get(
            "/staff/satisfaction/officials.csv",
            Access::Staff(Permission::ViewUnitRatings),
            staff::csv,
        )
        .get(
            "/staff/satisfaction/trends.csv",
            Access::Staff(Permission::ViewUnitRatings),
            staff::trends_csv,
        )
        .get(
            "/staff/satisfaction/report.pdf",
            Access::Staff(Permission::ViewUnitRatings),
            report::pdf,
        )
        .get(
            "/staff/satisfaction/comments",
            Access::Staff(Permission::ModerateRatings),
            staff::comments,
        )
        .post(
            "/staff/satisfaction/comments/{id}/{verdict}",
            Access::Staff(Permission::ModerateRatings),
            staff::moderate,
        )
        .get(
            "/service-points/{id}/desks/{desk}/tablet",
            Access::Staff(Permission::ServeDesk),
            tablet::show,
        )
        .post(
            "/service-points/{id}/desks/{desk}/tablet",
            Access::Staff(Permission::ServeDesk),
            tablet::rate,
        )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_ration_is_per_address_and_minute() {
        let rations = RatingRations::default();
        let t: Timestamp = "2026-12-03T10:00:50Z".parse().unwrap();
        let ip = Some("203.0.113.9");
        for _ in 0..RATINGS_PER_MINUTE {
            assert_eq!(rations.left(ip, t), Ok(()));
            rations.rated(ip, t);
        }
        assert_eq!(rations.left(ip, t), Err(10));
        assert_eq!(rations.left(Some("203.0.113.10"), t), Ok(()));
        let next: Timestamp = "2026-12-03T10:01:00Z".parse().unwrap();
        assert_eq!(rations.left(ip, next), Ok(()));
    }
}
