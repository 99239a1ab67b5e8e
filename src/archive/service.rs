//! What other capabilities may ask the archive.

use crate::db::Tx;

/// Whether the unit's spis spraw of `year` is closed: registering a case in that year
/// is then refused (`cases::register_case` asks in its transaction).
pub async fn is_year_closed(tx: &mut Tx, unit_id: i64, year: i32) -> Result<bool, sqlx::Error> {
    super::store::is_year_closed(tx, unit_id, year).await
}
