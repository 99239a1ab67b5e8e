//! The JRWA (jednolity rzeczowy wykaz akt) per year: its classes, the import that
//! replaces a year's wykaz whole, and the shipped wykaz for gminas.

use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::cases::jrwa::JrwaEntry;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Tx};
use crate::{with_db, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JrwaClassRow {
    pub symbol: String,
    pub title: String,
    /// The category in the leading unit (komórka macierzysta); leaves only.
    pub category: Option<String>,
    /// The category in the other units (inne komórki); leaves only.
    pub category_other: Option<String>,
}

impl JrwaClassRow {
    /// A leaf class (klasa końcowa): the one kind that carries categories and holds
    /// cases, at level 3, 4 or 5 (`magistrat_domain::jrwa_csv`).
    pub fn is_leaf(&self) -> bool {
        self.category.is_some()
    }
}

/// The wykaz of `year`, in symbol order (which is tree order for decimal symbols).
#[tracing::instrument(level = "debug", skip_all, fields(year))]
pub async fn jrwa_classes(db: &Db, year: i32) -> Result<Vec<JrwaClassRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT symbol, title, category, category_other FROM jrwa_class WHERE year = $1 ORDER BY symbol",
        )
        .bind(year)
        .fetch_all(c)
        .await
    })
}

/// The years that have a wykaz, latest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn jrwa_years(db: &Db) -> Result<Vec<i32>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_scalar("SELECT DISTINCT year FROM jrwa_class ORDER BY year DESC")
            .fetch_all(c)
            .await
    })
}

/// Replaces the wykaz of `year` with `entries` (the caller parsed the whole file
/// first). Classes already holding cases must stay: the new wykaz has to keep them as
/// leaves, or the import is refused (`Err(symbols)`).
#[tracing::instrument(level = "debug", skip_all, fields(year))]
pub async fn import_jrwa(
    tx: &mut Tx,
    actor: &Actor,
    year: i32,
    entries: &[JrwaEntry],
) -> Result<Result<usize, Vec<String>>, sqlx::Error> {
    let used: Vec<String> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT DISTINCT jrwa_symbol FROM case_file WHERE year = $1")
            .bind(year)
            .fetch_all(c)
            .await
    })?;
    let missing: Vec<String> = used
        .into_iter()
        .filter(|s| !entries.iter().any(|e| &e.symbol == s && e.is_leaf()))
        .collect();
    if !missing.is_empty() {
        return Ok(Err(missing));
    }
    let before: i64 = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT COUNT(*) FROM jrwa_class WHERE year = $1")
            .bind(year)
            .fetch_one(c)
            .await
    })?;
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM jrwa_class WHERE year = $1")
            .bind(year)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    for chunk in entries.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO jrwa_class (year, symbol, title, category, category_other, parent_symbol) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        with_tx!(tx, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for e in chunk {
                q = q
                    .bind(year)
                    .bind(e.symbol.clone())
                    .bind(e.title.clone())
                    .bind(e.category.map(|c| c.to_string()))
                    .bind(e.category_other.map(|c| c.to_string()))
                    .bind(e.parent().map(str::to_owned));
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let summary = serde_json::json!({
        "year": year,
        "classes": entries.len(),
        "replaced": before,
    });
    audit::record(
        tx,
        actor,
        Change::action("import", "jrwa", year).with_after(&summary),
    )
    .await?;
    Ok(Ok(entries.len()))
}

/// Whether `symbol` is a leaf class of the wykaz of `year`.
#[tracing::instrument(level = "debug", skip_all, fields(year))]
pub async fn is_leaf_class(db: &Db, year: i32, symbol: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM jrwa_class WHERE year = $1 AND symbol = $2 AND category IS NOT NULL",
        )
        .bind(year)
        .bind(symbol)
        .fetch_one(c)
        .await
    })?;
    Ok(n > 0)
}

/// The shipped wykaz, used by the demo and the bulk seeder when a year has none.
pub const SHIPPED_JRWA: &str = include_str!("../../../data/jrwa/gmina-2026.csv");

/// Imports the shipped wykaz for `year` unless that year already has one.
#[tracing::instrument(level = "debug", skip_all, fields(year))]
pub async fn ensure_jrwa(db: &Db, actor: &Actor, year: i32) -> anyhow::Result<()> {
    if !jrwa_classes(db, year).await?.is_empty() {
        return Ok(());
    }
    let entries = crate::cases::jrwa::parse_csv(SHIPPED_JRWA)
        .map_err(|e| anyhow::anyhow!("the shipped JRWA is not valid: {e:?}"))?;
    let mut tx = db.begin().await?;
    import_jrwa(&mut tx, actor, year, &entries)
        .await?
        .map_err(|m| anyhow::anyhow!("classes in use are missing: {m:?}"))?;
    tx.commit().await?;
    Ok(())
}

/// How many cases `units` have numbered in each JRWA class, over every year (the spis
/// spraw's counters: one row per unit, class and year, so this reads a handful of rows
/// whatever the number of cases). Nothing for no units.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn class_use(db: &Db, units: &[i64]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let framed = format!(
        ",{},",
        units
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    with_db!(db, |c| {
        sqlx::query_as(
            "SELECT jrwa_symbol, CAST(SUM(last_number) AS BIGINT) FROM case_counter \
             WHERE $1 LIKE '%,' || unit_id || ',%' GROUP BY jrwa_symbol",
        )
        .bind(&framed)
        .fetch_all(c)
        .await
    })
}
