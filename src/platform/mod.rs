//! The platform layer: what every capability builds on and nothing in it depends on a
//! capability (docs/architecture.md, "The dependency rule").
//!
//! - [`clock`]: the office's clock; every "now" and "today" comes from it.
//! - [`write_queue`]: group commit — queued writes share one transaction, each in its
//!   own savepoint.

pub mod clock;
pub mod write_queue;

pub use clock::Clock;
