//! What other capabilities may ask of the correspondence register beside registering
//! items: the check of a numer nadania as the register reads it (the letters' dispatch
//! form uses the same rule as the register's own form).

pub use super::rules::tracking_number;
