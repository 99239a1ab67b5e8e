//! The platform layer: what every capability builds on and nothing in it depends on a
//! capability (docs/architecture.md, "The dependency rule").
//!
//! - [`clock`]: the office's clock; every "now" and "today" comes from it.

pub mod clock;

pub use clock::Clock;
