//! Multi-row inserts for the benchmark seeds (`magistrat bench-seed`): rows of values
//! bound as parameters, many rows a statement, many statements a transaction, on both
//! backends. Not a production path: nothing but the bench seeds calls it.

use std::fmt::Write as _;

use sqlx::AssertSqlSafe;

use super::{Db, Pool, Tx, TxConn, UtcTime};

/// One value of a row.
#[derive(Clone, Debug)]
pub enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
    Text(String),
    Time(UtcTime),
    Date(jiff_sqlx::Date),
    Bool(bool),
}

/// Rows a statement: 500 rows of up to 40 columns stay under SQLite's 32,766 and
/// PostgreSQL's 65,535 parameters.
const BATCH: u64 = 500;
/// Statements a transaction: fewer commits (fsyncs) without holding the lock long.
const BATCHES_PER_TX: u64 = 20;

/// Inserts `n` rows into `table`, row `i` (0-based) made by `row(i)`, and returns `n`.
pub async fn insert(
    db: &Db,
    table: &str,
    columns: &[&str],
    n: u64,
    mut row: impl FnMut(u64) -> Vec<Val>,
) -> Result<u64, sqlx::Error> {
    let mut tx: Option<Tx> = None;
    let mut batches = 0;
    let mut i = 0;
    while i < n {
        if tx.is_none() {
            let mut t = db.begin().await?;
            if let TxConn::Sqlite(c) = &mut t.conn {
                sqlx::query("PRAGMA cache_size = -262144")
                    .execute(&mut **c)
                    .await?;
            }
            tx = Some(t);
        }
        let end = (i + BATCH).min(n);
        let rows: Vec<Vec<Val>> = (i..end).map(&mut row).collect();
        if let Some(t) = tx.as_mut() {
            insert_rows(t, table, columns, &rows).await?;
        }
        i = end;
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
    Ok(n)
}

/// One multi-row `INSERT` of `rows` in `tx`.
async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Val>],
) -> Result<u64, sqlx::Error> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut k = 0;
    for (i, r) in rows.iter().enumerate() {
        debug_assert_eq!(
            r.len(),
            columns.len(),
            "a row of {table} has the wrong width"
        );
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for j in 0..r.len() {
            if j > 0 {
                sql.push_str(", ");
            }
            k += 1;
            let _ = write!(sql, "${k}");
        }
        sql.push(')');
    }
    crate::with_tx!(tx, |c| {
        let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
        for r in rows {
            for v in r {
                q = match v {
                    Val::Int(x) => q.bind(*x),
                    Val::OptInt(x) => q.bind(*x),
                    Val::Real(x) => q.bind(*x),
                    Val::Text(x) => q.bind(x.clone()),
                    Val::Time(x) => q.bind(*x),
                    Val::Date(x) => q.bind(*x),
                    Val::Bool(x) => q.bind(*x),
                };
            }
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })
}

/// The next free `id` of `table` (rows seeded with explicit ids start here).
pub async fn next_id(db: &Db, table: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    crate::with_db!(db, |c| {
        sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql.clone()))
            .fetch_one(c)
            .await
    })
}

/// After rows with explicit ids: PostgreSQL's identity sequence moved past them (so the
/// application's next insert gets a free id), and the table vacuumed and analysed (the
/// planner's statistics, as autovacuum would do a minute later). SQLite needs neither.
pub async fn settle(db: &Db, table: &str, identity: bool) -> Result<(), sqlx::Error> {
    if let Pool::Postgres(pool) = &db.pool {
        if identity {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT MAX(id) FROM {table}))"
            )))
            .execute(pool)
            .await?;
        }
        sqlx::query(AssertSqlSafe(format!("VACUUM ANALYZE {table}")))
            .execute(pool)
            .await?;
    }
    Ok(())
}
