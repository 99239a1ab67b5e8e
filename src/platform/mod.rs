//! The platform layer: what every capability builds on and nothing in it depends on a
//! capability (docs/architecture.md, "The dependency rule").
//!
//! - [`clock`]: the office's clock; every "now" and "today" comes from it.
//! - [`form`]: the form kit — parsers, field errors, the form-page builder, unique
//!   constraints as field errors.

pub mod clock;
pub mod form;

pub use clock::Clock;
