//! How many tickets one client address may ask for (issue 11): a ticket takes a place
//! in a real queue, and a booking code can be guessed at the check-in, so a flood from
//! one address is refused before anything is read — `tickets_per_address_per_hour`
//! attempts per address per hour of the office's clock (the kiosk's button, `POST
//! /api/v1/service-points/{id}/tickets`, the kiosk's check-in), beyond them 429 with
//! `Retry-After` (the seconds left in the hour). The office's own kiosks
//! (`kiosk_addresses`) are not limited: every resident at a kiosk comes from its
//! address. The platform's throttle counts (decision 0023: a ration, never a lockout).

use std::net::IpAddr;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;
use jiff::Timestamp;

use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::config::Config;
use crate::platform::throttle::{Ration, address_key};
use crate::web::error::AppError;
use crate::web::refusals;

pub struct TicketRations {
    ration: Ration,
    kiosks: Vec<IpNet>,
}

impl TicketRations {
    pub fn new(config: &Config) -> Self {
        Self {
            ration: Ration::new(config.tickets_per_address_per_hour),
            kiosks: config.kiosk_addresses.clone(),
        }
    }

    /// Takes one of `ip`'s tickets of this hour, or says how many seconds are left of
    /// the hour. A kiosk's address always has one.
    pub fn take(&self, ip: Option<&str>, now: Timestamp) -> Result<(), u64> {
        let kiosk = ip
            .and_then(|ip| ip.parse::<IpAddr>().ok())
            .is_some_and(|ip| self.kiosks.iter().any(|net| net.contains(&ip)));
        if kiosk {
            return Ok(());
        }
        let second = now.as_second();
        if self.ration.take(&address_key(ip), second.div_euclid(3600)) {
            Ok(())
        } else {
            Err(u64::try_from(3600 - second.rem_euclid(3600)).unwrap_or(3600))
        }
    }
}

/// Present in a handler's arguments (before the body's extractor) when the client may
/// still ask for a ticket this hour; otherwise the request ends with 429.
pub struct TicketTurn;

impl FromRequestParts<AppState> for TicketTurn {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let rations = std::sync::Arc::<TicketRations>::from_ref(app);
        let ip = parts.extensions.get::<Visitor>().and_then(|v| v.ip.clone());
        match rations.take(ip.as_deref(), app.clock.timestamp()) {
            Ok(()) => Ok(TicketTurn),
            Err(seconds) => {
                refusals::note(app, "ticket-rate", ip.as_deref(), "POST", parts.uri.path());
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
    fn an_hour_ration_per_address_and_kiosks_free() {
        let rations = TicketRations::new(&Config {
            tickets_per_address_per_hour: 2,
            kiosk_addresses: vec!["10.0.5.0/24".parse().unwrap()],
            ..Config::default()
        });
        let t: Timestamp = "2026-12-08T09:45:00Z".parse().unwrap();
        let ip = Some("203.0.113.9");
        assert_eq!(rations.take(ip, t), Ok(()));
        assert_eq!(rations.take(ip, t), Ok(()));
        // 09:45: a quarter of an hour left.
        assert_eq!(rations.take(ip, t), Err(900));
        assert_eq!(rations.take(Some("203.0.113.10"), t), Ok(()));
        for _ in 0..10 {
            assert_eq!(rations.take(Some("10.0.5.7"), t), Ok(()));
        }
        let next: Timestamp = "2026-12-08T10:00:00Z".parse().unwrap();
        assert_eq!(rations.take(ip, next), Ok(()));
    }
}
