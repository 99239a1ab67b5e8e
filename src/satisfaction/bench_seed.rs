//! Bulk seeding for benchmarks (`magistrat bench-seed --ratings N`): ratings that repeat
//! the demo's (their channels, locations, categories, units, officials and scores) over
//! the last year, without comments. Not a production path: nothing but the CLI's
//! `bench-seed` calls it.

use jiff::ToSpan;

use crate::db::Db;
use crate::db::audit::{self, Actor, Change};
use crate::db::bulk::{self, Val};
use crate::with_db;

type Template = (
    String,
    String,
    Option<i64>,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    i64,
);

/// Adds `n` ratings (one audit event records the seed); returns `n`.
pub async fn seed_bulk(db: &Db, n: u64) -> anyhow::Result<u64> {
    let templates: Vec<Template> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT subject, channel, location_id, category, unit_id, official_id, \
             CAST(service_score AS BIGINT), CAST(official_score AS BIGINT), CAST(nps AS BIGINT) \
             FROM sat_rating ORDER BY id",
        )
        .fetch_all(c)
        .await
    })?;
    anyhow::ensure!(
        !templates.is_empty(),
        "no rating to copy: run `magistrat demo` first"
    );
    let actor = Actor::system("bench-seed");
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "sat_rating", "ratings")
            .with_after(&serde_json::json!({ "ratings": n })),
    )
    .await?;
    tx.commit().await?;
    let today = db.clock().today();
    let days: Vec<String> = (1..=365_i64)
        .map(|d| today.checked_sub(d.days()).unwrap_or(today).to_string())
        .collect();
    let columns = [
        "subject",
        "channel",
        "location_id",
        "category",
        "unit_id",
        "official_id",
        "service_on",
        "service_score",
        "official_score",
        "nps",
        "comment",
        "comment_state",
    ];
    bulk::insert(db, "sat_rating", &columns, n, |i| {
        let k = usize::try_from(i).unwrap_or(0);
        let t = &templates[k % templates.len()];
        vec![
            Val::Text(t.0.clone()),
            Val::Text(t.1.clone()),
            Val::OptInt(t.2),
            Val::Text(t.3.clone()),
            Val::OptInt(t.4),
            Val::OptInt(t.5),
            Val::Text(days[k % days.len()].clone()),
            Val::Int(t.6),
            Val::Int(t.7),
            Val::Int(t.8),
            Val::Text(String::new()),
            Val::Text("none".to_owned()),
        ]
    })
    .await?;
    bulk::settle(db, "sat_rating", false).await?;
    Ok(n)
}
