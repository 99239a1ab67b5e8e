//! # magistrat-domain — the pure rules of Magistrat
//!
//! This crate holds the rules of a Polish municipal office that the law (or a
//! well-established standard) decides, as plain functions and types: **no I/O, no
//! clock, no database, no global state**. The web platform, the CLI and the storage
//! layer are thin shells around it; whatever they show about a deadline, a holiday or a
//! case number comes from here. Callers pass "today" in when it matters.
//!
//! Conventions:
//! - Legal numbers live in one table, [`rules`], each row naming its source (article,
//!   act, Dz.U.) and how well that source is checked; facts the research marks
//!   *\[VERIFY\]* are rows of data there, not logic.
//! - Every parser returns a typed error (`thiserror`) with a `code()` — a stable machine
//!   code such as `pesel.checksum` or `term.zero` that the web layer maps to a
//!   translated message. Nothing here panics on any input (the parsers and the deadline
//!   engine are fuzzed, see `fuzz/`).
//! - Dates are civil dates ([`jiff::civil::Date`]) in the Europe/Warsaw sense: the
//!   caller converts instants to the local date before asking.
//! - Every rule is tested with real dates in tables and with property tests.
//!
//! Modules:
//! - [`accessibility`] — the demand for accessibility (special-needs act art. 30–31,
//!   digital accessibility act art. 18–19) and its deadlines.
//! - [`bip`] — BIP publishing: the subject menu, the metadata of UDIP art. 8 ust. 6, the
//!   change register's rules, the publication state machine, editors' HTML policy.
//! - [`calendar`] — statutory public holidays (ustawa o dniach wolnych od pracy), Easter,
//!   Saturdays, and the office's own closing days kept apart ([`calendar::WorkCalendar`]).
//! - [`date`] — the one parser of `YYYY-MM-DD` dates.
//! - [`deadline`] — the legal deadline engine: terms (`14d`, `1m`), kinds of case and
//!   their terms, due dates by KPA art. 57 with art. 35 § 5 excluded periods, delay
//!   notices (art. 36), status on a given day.
//! - [`identifiers`] — PESEL, NIP, REGON and postal codes.
//! - [`attachment`] — accepted file formats (by content), size limits, safe file names.
//! - [`case_number`] — znak sprawy (instrukcja kancelaryjna of 2011) and its parts.
//! - [`form_definition`] — e-service form definitions and the check of a filled-in
//!   form against them; [`file_type`] — the kinds of file a service card deals in.
//! - [`email`] — e-mail addresses the office accepts (parsed, no control characters).
//! - [`local_path`] — what a redirect may point at: a path on this site, by parsing.
//! - [`jrwa`] — archival categories of JRWA classes (A, Bn, BEn, Bc).
//! - [`jrwa_csv`] — the JRWA import file (`symbol;title;category`), checked whole.
//! - [`password`] — the password policy for staff accounts.
//! - [`queue`] — the service point's queue: call-next order, wait estimate, capacity
//!   before closing.
//! - [`queue_stats`] — the service point's statistics: waits, service times, served,
//!   no-shows and transfers per category, desk, official, hour and day.
//! - [`rules`] — the rules table: terms per kind of case, the holiday list, limits.
//! - [`text`] — text as people search it (case and diacritics folded).
//! - [`search`] — search by everyday words: a light Polish stemmer, word-beginning
//!   matching and ranking; one engine for the catalogue and the BIP.
//! - [`collation`] — Polish alphabetical order („Zaświadczenie” before „Zawarcie”).
//! - [`tracking_code`] — the code a resident follows a case by.
//! - [`intake`] — the intake of a request: the e-mail warning, the start of the term
//!   (ex officio, after formal defects), the 7 days of art. 64 § 2, the posting date of
//!   art. 57 § 5 pkt 2, parties and the pełnomocnik who receives their letters.
//! - [`post`] — the numer nadania of registered mail (Poczta Polska, UPU S10).
//! - [`satisfaction`] — residents' ratings: scores, CSAT and NPS with their intervals,
//!   suppression of small groups.
//! - [`satisfaction_trend`] — the same per year or quarter: gaps filled, small periods
//!   suppressed, the change between neighbouring periods with its interval.
//! - [`news`] — news and announcements of the public home page: required fields, the
//!   alt-text rule for images (WCAG 1.1.1), when the public sees an item, pages.
//! - [`rodo`] — personal data protection: the information clause (RODO art. 13, KPA
//!   art. 61 § 5), the register of processing activities (art. 30), retention periods.
//! - [`fediverse`] — ActivityPub: HTTP Signatures as Mastodon uses them, WebFinger's
//!   `acct:` resource, the delivery retry schedule.
#![warn(missing_docs)]

pub mod accessibility;
pub mod appeals;
pub mod archive;
pub mod attachment;
pub mod bip;
pub mod booking;
pub mod calendar;
pub mod case_number;
pub mod collation;
pub mod date;
mod days;
pub mod deadline;
pub mod email;
pub mod fediverse;
pub mod file_type;
pub mod form_definition;
pub mod identifiers;
pub mod intake;
pub mod jrwa;
pub mod jrwa_csv;
pub mod letters;
pub mod local_path;
pub mod metryka;
pub mod news;
pub mod party_terms;
pub mod password;
pub mod post;
pub mod problem_report;
pub mod queue;
pub mod queue_stats;
pub mod rodo;
pub mod rules;
pub mod satisfaction;
pub mod satisfaction_trend;
pub mod search;
pub mod stamp_duty;
pub mod survey;
pub mod text;
pub mod tracking_code;
