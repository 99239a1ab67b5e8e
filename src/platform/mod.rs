//! The platform layer: what every capability builds on and nothing in it depends on a
//! capability (docs/architecture.md, "The dependency rule").
//!
//! - [`clock`]: the office's clock; every "now" and "today" comes from it.
//! - [`csv`]: lists exported for a spreadsheet (BOM, `;`, formulas guarded).
//! - [`channel`]: how a letter or a case reached the office, one list for both registers.
//! - [`form`]: the form kit — parsers, field errors, the form-page builder, unique
//!   constraints as field errors.
//! - [`input`]: the input boundary — control characters in queries and forms refused
//!   once for every field.
//! - [`kept`]: reference data kept at the version of the data it was read from.
//! - [`jobs`]: named periodic jobs, each run once per period across all app servers.
//! - [`events`]: live events, published inside the writer's transaction, delivered
//!   between app servers (PostgreSQL LISTEN/NOTIFY) or in-process (SQLite).
//! - [`sse`]: a Server-Sent Events response for a topic (heartbeats, resume).
//! - [`table`]: lists sorted by a column header (URL, `aria-sort`, Polish order).
//! - [`throttle`]: growing delays after failures and rations per period, in memory, on
//!   the office clock.
//! - [`write_queue`]: group commit — queued writes share one transaction, each in its
//!   own savepoint.

pub mod channel;
pub mod clock;
pub mod csv;
pub mod events;
pub mod form;
pub mod input;
pub mod jobs;
pub mod kept;
pub mod outbox;
pub mod snapshot;
pub mod sse;
pub mod table;
pub mod throttle;
pub mod write_queue;

pub use channel::Channel;
pub use clock::Clock;
