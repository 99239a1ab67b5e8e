//! The platform layer: what every capability builds on and nothing in it depends on a
//! capability (docs/architecture.md, "The dependency rule").
//!
//! - [`clock`]: the office's clock; every "now" and "today" comes from it.
//! - [`channel`]: how a letter or a case reached the office, one list for both registers.

pub mod channel;
pub mod clock;

pub use channel::Channel;
pub use clock::Clock;
