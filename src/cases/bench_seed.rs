//! Bulk seeding for benchmarks (`magistrat bench-seed`): a million cases in minutes.
//! Not a production path: nothing but the CLI's `bench-seed` (and the search test that
//! needs more cases than a page) calls it.

use magistrat_domain::deadline::CaseKind;
use sqlx::AssertSqlSafe;

use super::store::{
    Channel, SqlDate, build_znak, ensure_jrwa, new_tracking_code, search_text, sql_date,
};
use crate::cases::workflow::Status;
use crate::db::audit::{self, Actor, Change};
use crate::db::{Db, Pool, Tx, TxConn};
use crate::{with_db, with_tx};

/// Adds `n` cases to the unit with `unit_symbol` in class 5310 of this year, with
/// multi-row inserts in batches (for benchmarks: a million rows take minutes). Numbers
/// are reserved from the counter first (a seed that fails halfway leaves a gap: this is
/// benchmark data, not a register anyone keeps); one audit
/// event records the whole seed. Returns the number of cases added.
#[allow(
    clippy::too_many_lines,
    reason = "benchmark data only, kept apart from the register's store: one batch loop that reserves numbers, builds rows and inserts them in step; splitting it would only pass the batch state around"
)]
pub async fn seed_bulk(db: &Db, unit_symbol: &str, n: u64) -> anyhow::Result<u64> {
    const CLASS: &str = "5310";
    const BATCH: usize = 500;
    // Batches per transaction: fewer commits (fsyncs) without holding the lock long.
    const BATCHES_PER_TX: usize = 20;
    let actor = Actor::system("bench-seed");
    let today = db.clock().today();
    let year = i32::from(today.year());
    ensure_jrwa(db, &actor, year).await?;
    let unit_id: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT id FROM org_unit WHERE symbol = $1 ORDER BY valid_from_year DESC LIMIT 1",
        )
        .bind(unit_symbol)
        .fetch_optional(c)
        .await
    })?;
    let unit_id = unit_id.ok_or_else(|| anyhow::anyhow!("no unit with symbol {unit_symbol}"))?;
    let officials: Vec<i64> = with_db!(db, |c| {
        sqlx::query_scalar(
            "SELECT user_id FROM employee WHERE org_unit_id = $1 AND user_id IS NOT NULL ORDER BY user_id",
        )
        .bind(unit_id)
        .fetch_all(c)
        .await
    })?;
    let count = i32::try_from(n).map_err(|_| anyhow::anyhow!("too many cases at once"))?;
    // Reserve the numbers in one short transaction.
    let mut tx = db.begin().await?;
    let last: i32 = with_tx!(&mut tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO case_counter (unit_id, jrwa_symbol, year, last_number) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (unit_id, jrwa_symbol, year) \
             DO UPDATE SET last_number = case_counter.last_number + $4 RETURNING last_number",
        )
        .bind(unit_id)
        .bind(CLASS)
        .bind(year)
        .bind(count)
        .fetch_one(c)
        .await
    })?;
    let summary =
        serde_json::json!({ "unit": unit_symbol, "class": CLASS, "year": year, "cases": n });
    audit::record(
        &mut tx,
        &actor,
        Change::action("bench_seed", "case_file", unit_symbol).with_after(&summary),
    )
    .await?;
    tx.commit().await?;
    let first = last - count + 1;
    let now = db.clock().now();
    let statuses = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::InProgress,
        Status::Settled,
        Status::Closed,
    ];
    let mut number = first;
    let mut tx: Option<Tx> = None;
    let mut batches = 0;
    while number <= last {
        if tx.is_none() {
            let mut t = db.begin().await?;
            if let TxConn::Sqlite(c) = &mut t.conn {
                // A big page cache for this connection: the random tracking codes
                // and the indexes otherwise make each batch re-read pages from disk.
                sqlx::query("PRAGMA cache_size = -262144")
                    .execute(&mut **c)
                    .await?;
            }
            tx = Some(t);
        }
        let end = (number + BATCH as i32 - 1).min(last);
        let rows = usize::try_from(end - number + 1).unwrap_or(0);
        let mut sql = String::from(
            "INSERT INTO case_file (unit_id, jrwa_symbol, year, number, znak, kind, title, \
             party_name, party_address, party_email, channel, official_id, status, received_on, \
             statutory_due_on, due_on, tracking_code, registered_at, search_text) VALUES ",
        );
        const COLS: usize = 19;
        for i in 0..rows {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * COLS;
            let ps: Vec<String> = (1..=COLS).map(|k| format!("${}", b + k)).collect();
            sql.push('(');
            sql.push_str(&ps.join(", "));
            sql.push(')');
        }
        struct Row {
            number: i32,
            znak: String,
            official: Option<i64>,
            status: &'static str,
            received: SqlDate,
            due: SqlDate,
            code: String,
        }
        let mut data = Vec::with_capacity(rows);
        for k in number..=end {
            let received = today
                .checked_sub(jiff::Span::new().days(i64::from(k % 120)))
                .unwrap_or(today);
            let due = CaseKind::AdministrativeSimple
                .due_date(received, &[])
                .unwrap_or(received);
            let status = statuses[usize::try_from(k).unwrap_or(0) % statuses.len()];
            data.push(Row {
                number: k,
                znak: build_znak(unit_symbol, CLASS, k, year, None)
                    .unwrap_or_else(|| format!("{unit_symbol}.{CLASS}.{k}.{year}")),
                official: (status != Status::Registered && !officials.is_empty())
                    .then(|| officials[usize::try_from(k).unwrap_or(0) % officials.len()]),
                status: status.as_str(),
                received: sql_date(received),
                due: sql_date(due),
                code: new_tracking_code(),
            });
        }
        let Some(t) = tx.as_mut() else {
            continue;
        };
        with_tx!(t, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for r in &data {
                let title = format!("Zameldowanie na pobyt stały nr {}", r.number);
                let party = format!("Mieszkaniec {}", r.number);
                let text = search_text(&r.znak, &title, &party);
                q = q
                    .bind(unit_id)
                    .bind(CLASS)
                    .bind(year)
                    .bind(r.number)
                    .bind(r.znak.clone())
                    .bind(CaseKind::AdministrativeSimple.as_str())
                    .bind(title)
                    .bind(party)
                    .bind("ul. Testowa 1, 62-300 Borowiec")
                    .bind("")
                    .bind(Channel::Post.as_str())
                    .bind(r.official)
                    .bind(r.status)
                    .bind(r.received)
                    .bind(r.due)
                    .bind(r.due)
                    .bind(r.code.clone())
                    .bind(now)
                    .bind(text);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        number = end + 1;
        batches += 1;
        if batches % BATCHES_PER_TX == 0
            && let Some(t) = tx.take()
        {
            t.commit().await?;
        }
    }
    if let Some(t) = tx.take() {
        t.commit().await?;
    }
    if let Pool::Postgres(pool) = &db.pool {
        // What autovacuum would do within a minute or two, done now so a benchmark
        // started right after the seed sees a settled database: planner statistics
        // (the search's plans depend on them) and the GIN index's pending list merged.
        sqlx::query("VACUUM ANALYZE case_file")
            .execute(pool)
            .await?;
    }
    Ok(n)
}
