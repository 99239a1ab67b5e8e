//! How many filings one client address may make: anonymous filings create real cases
//! with statutory deadlines, so a flood of them is refused before its body is read
//! (docs/decisions/0023-throttling-without-lockout.md).
//!
//! - `POST /api/v1/applications`: `api_filings_per_minute` attempts per client address
//!   per minute of the office's clock; beyond them 429 with `Retry-After` (the seconds
//!   left in the minute), in the API's error format. The API has no keys or accounts,
//!   so the client address is the only thing to count by.
//! - The web form: `web_filings_per_day` filings per client address per day in Poland;
//!   beyond them a translated 429 page, `Retry-After` until midnight in Warsaw. Only
//!   filings made count, so a resident correcting a form is not charged for it.
//!
//! Each refusal is counted like the other anonymous refusals (`web::refusals`): on
//! `/metrics` by reason at once, in the audit trail once per minute and address.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use jiff::{Timestamp, Zoned};

use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::config::Config;
use crate::platform::throttle::{Ration, address_key};
use crate::web::error::AppError;
use crate::web::refusals;

pub struct FilingRations {
    api: Ration,
    web: Ration,
}

impl FilingRations {
    pub fn new(config: &Config) -> Self {
        Self {
            api: Ration::new(config.api_filings_per_minute),
            web: Ration::new(config.web_filings_per_day),
        }
    }

    /// Takes one of `ip`'s API filings of this minute, or says how many seconds are
    /// left of the minute.
    pub fn take_api(&self, ip: Option<&str>, now: Timestamp) -> Result<(), u64> {
        let second = now.as_second();
        if self.api.take(&address_key(ip), second.div_euclid(60)) {
            Ok(())
        } else {
            Err(u64::try_from(60 - second.rem_euclid(60)).unwrap_or(60))
        }
    }

    /// Whether `ip` may still file through the web form today, or the seconds until
    /// the day ends in Poland.
    pub fn web_left(&self, ip: Option<&str>, now: &Zoned) -> Result<(), u64> {
        if self.web.has_left(&address_key(ip), day_number(now)) {
            Ok(())
        } else {
            Err(seconds_to_midnight(now))
        }
    }

    /// Counts a filing made through the web form.
    pub fn web_filed(&self, ip: Option<&str>, now: &Zoned) {
        // Counting a filing already made cannot refuse it; the next one is checked.
        let _ = self.web.take(&address_key(ip), day_number(now));
    }
}

/// The day in Poland as a number (year and day of the year).
fn day_number(now: &Zoned) -> i64 {
    i64::from(now.year()) * 1000 + i64::from(now.day_of_year())
}

/// Whole seconds from `now` to the next midnight where `now` is, rounded up (waiting
/// the number given is always enough), at least 1.
fn seconds_to_midnight(now: &Zoned) -> u64 {
    let seconds = now
        .tomorrow()
        .and_then(|d| d.start_of_day())
        .map_or(3600, |midnight| {
            let left = midnight.timestamp().duration_since(now.timestamp());
            left.as_secs() + i64::from(left.subsec_nanos() > 0)
        });
    u64::try_from(seconds.max(1)).unwrap_or(1)
}

/// Present in a handler's arguments (before the body's extractor) when the client
/// still has an API filing this minute; otherwise the request ends with 429 before
/// its body is read.
pub struct ApiFilingTurn;

impl FromRequestParts<AppState> for ApiFilingTurn {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let rations = std::sync::Arc::<FilingRations>::from_ref(app);
        let ip = parts.extensions.get::<Visitor>().and_then(|v| v.ip.clone());
        match rations.take_api(ip.as_deref(), app.clock.timestamp()) {
            Ok(()) => Ok(ApiFilingTurn),
            Err(seconds) => {
                refusals::note(
                    app,
                    "api-filing-rate",
                    ip.as_deref(),
                    "POST",
                    parts.uri.path(),
                );
                Err(AppError::TooManyRequests(seconds))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_api_ration_is_per_minute_and_says_what_is_left_of_it() {
        let rations = FilingRations::new(&Config {
            api_filings_per_minute: 2,
            ..Config::default()
        });
        let t: Timestamp = "2026-12-03T10:00:45Z".parse().unwrap();
        let ip = Some("203.0.113.9");
        assert_eq!(rations.take_api(ip, t), Ok(()));
        assert_eq!(rations.take_api(ip, t), Ok(()));
        // 10:00:45: 15 s left of the minute.
        assert_eq!(rations.take_api(ip, t), Err(15));
        assert_eq!(rations.take_api(Some("203.0.113.10"), t), Ok(()));
        let next: Timestamp = "2026-12-03T10:01:00Z".parse().unwrap();
        assert_eq!(rations.take_api(ip, next), Ok(()));
    }

    #[test]
    fn the_web_quota_is_per_day_in_poland() {
        let rations = FilingRations::new(&Config {
            web_filings_per_day: 1,
            ..Config::default()
        });
        let warsaw = |s: &str| {
            s.parse::<Timestamp>()
                .unwrap()
                .to_zoned(crate::WARSAW.clone())
        };
        let ip = Some("203.0.113.9");
        // 22:30 UTC on 3 December is 23:30 in Warsaw (UTC+1): half an hour to midnight.
        let evening = warsaw("2026-12-03T22:30:00Z");
        assert_eq!(rations.web_left(ip, &evening), Ok(()));
        rations.web_filed(ip, &evening);
        assert_eq!(rations.web_left(ip, &evening), Err(1800));
        // A fraction of a second before the hour still waits the whole second.
        assert_eq!(
            rations.web_left(ip, &warsaw("2026-12-03T22:59:59.250Z")),
            Err(1)
        );
        // 23:10 UTC is already 4 December in Warsaw: a new day.
        assert_eq!(
            rations.web_left(ip, &warsaw("2026-12-03T23:10:00Z")),
            Ok(())
        );
    }
}
