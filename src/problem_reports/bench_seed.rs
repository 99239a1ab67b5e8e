//! Bulk seeding for benchmarks (`magistrat bench-seed --reports N`): problem reports
//! spread over the office's area, its categories, the three statuses and the last
//! year. Not a production path: nothing but the CLI's `bench-seed` calls it.

use jiff::SignedDuration;

use crate::db::audit::{self, Actor, Change};
use crate::db::bulk::{self, Val};
use crate::db::{Db, UtcTime};
use crate::with_db;

/// Adds `n` reports (one audit event records the seed); returns `n`.
pub async fn seed_bulk(db: &Db, n: u64) -> anyhow::Result<u64> {
    let categories: Vec<(i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
            "SELECT id, CAST(term_days AS BIGINT) FROM report_category WHERE active ORDER BY id",
        )
        .fetch_all(c)
        .await
    })?;
    anyhow::ensure!(
        !categories.is_empty(),
        "no report category: run `magistrat demo` first"
    );
    let area = super::store::area(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no report area: run `magistrat demo` first"))?;
    let actor = Actor::system("bench-seed");
    let mut tx = db.begin().await?;
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "problem_report", "reports")
            .with_after(&serde_json::json!({ "reports": n })),
    )
    .await?;
    tx.commit().await?;
    let first = bulk::next_id(db, "problem_report").await?;
    let now = db.clock().now();
    let statuses = ["open", "in_progress", "closed"];
    let columns = [
        "id",
        "token",
        "category_id",
        "status",
        "lat",
        "lon",
        "address",
        "description",
        "attributes",
        "channel",
        "requested_at",
        "updated_at",
        "expected_at",
        "status_notes",
    ];
    bulk::insert(db, "problem_report", &columns, n, |i| {
        let id = first + i64::try_from(i).unwrap_or(0);
        let (category, term) = categories[usize::try_from(i).unwrap_or(0) % categories.len()];
        // A step through the area that covers it evenly (golden-ratio sequence).
        let fx = (i as f64 * 0.618_033_988_75).fract();
        let fy = (i as f64 * 0.754_877_666_25).fract();
        // Spread over the last 365 days, minute by minute.
        let requested = now.checked_add(SignedDuration::from_mins(
            -i64::try_from(i % 525_600).unwrap_or(0),
        ));
        let status = statuses[usize::try_from(i).unwrap_or(0) % statuses.len()];
        vec![
            Val::Int(id),
            Val::Text(format!("bench-report-{id:09}")),
            Val::Int(category),
            Val::Text(status.to_owned()),
            Val::Real(area.south + fy * (area.north - area.south)),
            Val::Real(area.west + fx * (area.east - area.west)),
            Val::Text(format!("ul. Testowa {}, Borowiec", i % 200 + 1)),
            Val::Text(format!("Uszkodzona nawierzchnia przy posesji nr {i}")),
            Val::Text("{}".to_owned()),
            Val::Text("open311".to_owned()),
            Val::Time(requested),
            Val::Time(requested),
            Val::Time(UtcTime::from_timestamp(
                requested.0 + SignedDuration::from_hours(24 * term),
            )),
            Val::Text(if status == "open" {
                String::new()
            } else {
                "Przyjęte do realizacji.".to_owned()
            }),
        ]
    })
    .await?;
    bulk::settle(db, "problem_report", true).await?;
    Ok(n)
}
