//! The JRWA import file: parsed and checked as a whole before anything is stored (all
//! or nothing). The parser is pure and lives in the domain crate
//! (`magistrat_domain::jrwa_csv`), where the fuzz target `jrwa_csv` reaches it.

pub use magistrat_domain::jrwa_csv::{JrwaEntry, LineError, is_symbol, parse_csv};
