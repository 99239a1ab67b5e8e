//! The integration tests: one binary (one link step), one module per capability. Each
//! test runs on SQLite and on PostgreSQL (see helpers.rs).

// A failing test should stop loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]
// A scenario test reads top to bottom as the story it checks; split, it would not.
#![allow(clippy::too_many_lines)]

mod helpers;
mod smtp_sink;

mod access;
mod api_applications;
mod api_v1;
mod appeals;
mod applications;
mod archive;
mod audit_anchor;
mod audit_trail;
mod auth;
mod bench_seed;
mod bip;
mod bip_lists;
mod bip_search;
mod booking;
mod case_documents;
mod case_search;
mod cases;
mod catalogue_cache;
mod cli;
mod clock;
mod confirmation;
mod correspondence;
mod crash;
mod dependency_rule;
mod everyday_search;
mod fediverse;
mod fees;
mod forms;
mod hardening;
mod home;
mod intake;
mod live_events;
mod mail;
mod multipart;
mod news;
mod open311;
mod org;
mod platform;
mod postgres_notice;
mod pwa;
mod raw_codes;
mod refusals;
mod reminders;
mod report_categories;
mod resident_api;
mod residents;
mod rodo;
mod satisfaction;
mod satisfaction_trends;
mod schema_parity;
mod scope;
mod service_cards;
mod service_point;
mod service_point_stats;
mod sitemap;
mod surveys;
mod throttling;
mod workbench;
mod write_queue;
