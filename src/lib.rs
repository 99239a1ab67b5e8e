//! Magistrat: the office management system of a Polish municipal office.
//!
//! The code is organised by capability (see docs/architecture.md, which also states the
//! dependency rule):
//! - `auth`: accounts, sessions, roles, the unit scope of a request;
//! - `org`: office, units, employees, locations, the public office cache;
//! - `audit`: the audit trail's viewer;
//! - `home`: the public home page, the staff dashboard, the language switch;
//! - `cases`: JRWA, the case register (spis spraw), deadlines, the workflow;
//! - `correspondence`: the registers of incoming and outgoing items;
//! - `attachments`: the shared file store;
//! - `service_cards`: karty usług and e-service form definitions;
//! - `applications`: e-service filings, from the web form and the API alike;
//! - `residents`: optional resident accounts (`/my-cases`);
//! - `reminders`: the daily deadline e-mails;
//! - `mailer`: outgoing mail;
//! - `bip`: the Biuletyn Informacji Publicznej, feeds, sitemap and the accessibility
//!   declaration;
//! - `news`: news and announcements of the public home page;
//! - `pwa`: the web app manifest, the service worker and the offline page;
//! - `api`: the public JSON API, a thin shell over the capabilities' services.
//!
//! Shared by all: `platform` (the clock; what every capability builds on), `db` (the
//! storage layer over SQLite and PostgreSQL, the audit chain) and `web` (what every page
//! shares). `app` wires them into one router; `cli` and `demo` drive them. Pure rules
//! live in the `magistrat-domain` crate.

pub mod api;
pub mod app;
pub mod appeals;
pub mod applications;
pub mod archive;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bip;
pub mod case_documents;
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
pub mod pwa;
pub mod reminders;
pub mod residents;
pub mod satisfaction;
pub mod service_cards;
pub mod service_point;
pub mod web;

use std::sync::LazyLock;

/// The office's time zone: legal deadlines are calendar days in Poland.
pub static WARSAW: LazyLock<jiff::tz::TimeZone> = LazyLock::new(|| {
    // The tz database is bundled into the binary (jiff feature tzdb-bundle-always), so
    // the lookup cannot fail at run time; UTC is only a formal fallback.
    jiff::tz::TimeZone::get("Europe/Warsaw").unwrap_or(jiff::tz::TimeZone::UTC)
});
pub mod api_keys;
pub mod fediverse;
pub mod news;
pub mod problem_reports;
pub mod rodo;
pub mod surveys;
