//! Bulk seeding for benchmarks (`magistrat bench-seed --visits N`): finished visits
//! (tickets served yesterday) whose e-ticket tokens are known in advance,
//! `bench-visit-0000000` … — a benchmark rates each once through
//! `POST /api/v1/tickets/{token}/rating`. Not a production path: nothing but the CLI's
//! `bench-seed` calls it.

use jiff::SignedDuration;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::bulk::{self, Val};
use crate::with_db;

/// The token of seeded visit `i`.
pub fn visit_token(i: u64) -> String {
    format!("bench-visit-{i:07}")
}

/// Adds `n` finished visits at the first service point, in its first category (one
/// audit event records the seed); returns `n`.
pub async fn seed_bulk(db: &Db, n: u64) -> anyhow::Result<u64> {
    let category: Option<(i64, i64, String)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, location_id, code FROM sp_category WHERE active ORDER BY id LIMIT 1",
        )
        .fetch_optional(c)
        .await
    })?;
    let (category, location, code) = category
        .ok_or_else(|| anyhow::anyhow!("no ticket category: run `magistrat demo` first"))?;
    let official: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT MIN(e.user_id) FROM employee e JOIN org_unit u ON u.id = e.org_unit_id \
             WHERE e.user_id IS NOT NULL",
        )
        .fetch_one(c)
        .await
    })?;
    let at = db
        .clock()
        .now()
        .checked_add(SignedDuration::from_hours(-24));
    let day = super::store::day_of(at);
    let last: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT CAST(MAX(number) AS BIGINT) FROM sp_ticket \
             WHERE issued_category_id = $1 AND day = $2",
        )
        .bind(category)
        .bind(&day)
        .fetch_one(c)
        .await
    })?;
    let first = last.unwrap_or(0) + 1;
    let actor = Actor::system("bench-seed");
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "sp_ticket", "visits")
            .with_after(&serde_json::json!({ "visits": n, "day": day })),
    )
    .await?;
    tx.commit().await?;
    let columns = [
        "location_id",
        "category_id",
        "issued_category_id",
        "day",
        "number",
        "label",
        "token",
        "priority",
        "state",
        "official_id",
        "issued_at",
        "queued_at",
        "called_at",
        "finished_at",
    ];
    bulk::insert(db, "sp_ticket", &columns, n, |i| {
        let number = first + i64::try_from(i).unwrap_or(0);
        vec![
            Val::Int(location),
            Val::Int(category),
            Val::Int(category),
            Val::Text(day.clone()),
            Val::Int(number),
            Val::Text(format!("{code}{number:03}")),
            Val::Text(visit_token(i)),
            Val::Bool(false),
            Val::Text("done".to_owned()),
            Val::OptInt(official),
            Val::Time(at),
            Val::Time(at),
            Val::Time(at),
            Val::Time(at),
        ]
    })
    .await?;
    bulk::settle(db, "sp_ticket", false).await?;
    Ok(n)
}
