//! The JRWA import file: parsed and checked as a whole before anything is stored (all
//! or nothing). The parser is pure and lives in the domain crate
//! (`magistrat_domain::jrwa_csv`), where the fuzz target `jrwa_csv` reaches it.

pub use magistrat_domain::jrwa_csv::{JrwaEntry, LineError, is_symbol, parse_csv};

use std::sync::Arc;

use crate::db::Db;
use crate::platform::kept::Kept;

/// The classes of a year's wykaz that a case may be registered under (those with an
/// archival category: `store::JrwaClassRow::is_leaf`), as (symbol, "symbol — title")
/// for a select, kept by this process at the reference-data version (migration 0049:
/// an import bumps it) — the card editor offered all ≈ 250 of them by reading the
/// whole wykaz on every request (docs/decisions/0053).
#[derive(Clone, Default)]
pub struct RegistrableClasses(Kept<i32, Vec<(String, String)>>);

impl RegistrableClasses {
    /// The classes of `year` at `version`, the reference-data version the request's
    /// session read (`CurrentUser::units_version`).
    pub async fn of_year(
        &self,
        db: &Db,
        year: i32,
        version: i64,
    ) -> Result<Arc<Vec<(String, String)>>, sqlx::Error> {
        self.0
            .get(version, year, async {
                Ok(super::store::jrwa_classes(db, year)
                    .await?
                    .into_iter()
                    .filter(super::store::JrwaClassRow::is_leaf)
                    .map(|c| {
                        let label = format!("{} — {}", c.symbol, c.title);
                        (c.symbol, label)
                    })
                    .collect())
            })
            .await
    }
}
