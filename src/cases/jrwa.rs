//! The JRWA import file: parsed and checked as a whole before anything is stored (all
//! or nothing). The parser is pure and lives in the domain crate
//! (`magistrat_domain::jrwa_csv`), where the fuzz target `jrwa_csv` reaches it.

pub use magistrat_domain::jrwa_csv::{JrwaEntry, LineError, is_symbol, parse_csv};

/// A JRWA choice ordered for an official: the classes their units register cases under
/// first, the most used first (equal use in the wykaz's order), then every other class
/// in the wykaz's order. `classes` come in the wykaz's order; `used` is (symbol, cases
/// numbered in it); a used symbol that is not among `classes` (a class of another
/// year's wykaz) is left out.
pub fn own_first<T>(
    classes: Vec<T>,
    symbol: impl Fn(&T) -> &str,
    used: &[(String, i64)],
) -> (Vec<T>, Vec<T>) {
    let uses = |c: &T| {
        used.iter()
            .find(|(s, n)| s == symbol(c) && *n > 0)
            .map(|(_, n)| *n)
    };
    let (mut own, other): (Vec<T>, Vec<T>) = classes.into_iter().partition(|c| uses(c).is_some());
    // Stable: equal use keeps the wykaz's order.
    own.sort_by_key(|c| std::cmp::Reverse(uses(c).unwrap_or(0)));
    (own, other)
}

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

#[cfg(test)]
mod tests {
    use super::own_first;

    fn split(
        classes: &[&'static str],
        used: &[(&str, i64)],
    ) -> (Vec<&'static str>, Vec<&'static str>) {
        let used: Vec<(String, i64)> = used.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect();
        own_first(classes.to_vec(), |c| c, &used)
    }

    /// (the unit's use, its classes expected, the others expected)
    type Case<'a> = (&'a [(&'a str, i64)], &'a [&'a str], &'a [&'a str]);

    #[test]
    fn the_units_classes_come_first_most_used_first() {
        let wykaz = ["0120", "1510", "5340", "6220", "7021"];
        let cases: &[Case<'_>] = &[
            // Nothing registered yet: no group of one's own, the wykaz as it is.
            (&[], &[], &wykaz),
            // Most used first, the rest in the wykaz's order.
            (
                &[("5340", 3), ("1510", 12)],
                &["1510", "5340"],
                &["0120", "6220", "7021"],
            ),
            // Equal use: the wykaz's order.
            (
                &[("7021", 2), ("0120", 2)],
                &["0120", "7021"],
                &["1510", "5340", "6220"],
            ),
            // A class of an older wykaz, or one never numbered, is not offered as the unit's.
            (&[("9999", 40), ("6220", 0), ("6220x", 1)], &[], &wykaz),
        ];
        for (used, own, other) in cases {
            let (o, r) = split(&wykaz, used);
            assert_eq!((&o[..], &r[..]), (*own, *other), "{used:?}");
        }
    }
}
