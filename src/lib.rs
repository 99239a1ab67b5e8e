//! Magistrat: the office management system of a Polish municipal office.
//!
//! The code is organised by capability (see docs/architecture.md): `auth` (accounts,
//! sessions, roles), `org` (office, units, employees, locations), `audit` (the trail's
//! viewer), `home` (front pages), `correspondence` (the register of incoming and outgoing
//! items), `attachments` (the shared file store), `reminders` (the daily deadline e-mails); `db` is the storage layer over SQLite and PostgreSQL,
//! `web` what every page shares. Pure rules live in the `magistrat-domain` crate.

pub mod api;
pub mod app;
pub mod applications;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod cli;
pub mod config;
pub mod correspondence;
pub mod db;
pub mod demo;
pub mod home;
pub mod mailer;
pub mod org;
pub mod platform;
pub mod reminders;
pub mod residents;
pub mod service_cards;
pub mod web;

use std::sync::LazyLock;

/// The office's time zone: legal deadlines are calendar days in Poland.
pub static WARSAW: LazyLock<jiff::tz::TimeZone> = LazyLock::new(|| {
    // The tz database is bundled into the binary (jiff feature tzdb-bundle-always), so
    // the lookup cannot fail at run time; UTC is only a formal fallback.
    jiff::tz::TimeZone::get("Europe/Warsaw").unwrap_or(jiff::tz::TimeZone::UTC)
});
