//! Schema parity: the two migration folders build the same database. A fresh SQLite and a
//! fresh PostgreSQL database are migrated and read back from their catalogs (SQLite's
//! `pragma_*` table functions, PostgreSQL's `information_schema` and `pg_catalog`), each
//! schema written as a set of lines — tables, columns (name, nullability, type family),
//! primary keys, named indexes, unique constraints and foreign keys — and the two sets
//! must be equal but for the differences listed in [`INTENDED`], each with its reason.
//! A difference that is neither equal nor listed fails the test with both sides shown.

// The catalog queries read rows as tuples, typed where they are read.
#![allow(clippy::type_complexity)]

use std::collections::{BTreeMap, BTreeSet};

use magistrat::db::{Db, Pool};
use sqlx::{PgPool, SqlitePool};

use crate::helpers::{Backend, ScratchDatabase};

/// Which side has a line the other lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Only {
    Sqlite,
    Postgres,
}

/// Every intended difference between the two schemas: the side that has the line, the
/// line as the catalogs render it, and why it differs. Nothing else may differ.
const INTENDED: &[(Only, &str, &str)] = &[
    (
        Only::Sqlite,
        "table case_search",
        "case search on SQLite is an FTS5 trigram index, a virtual table kept by triggers \
         (migration 0008, docs/decisions/0014); PostgreSQL uses the pg_trgm GIN index below",
    ),
    (
        Only::Postgres,
        "index case_file.case_file_search_trgm (search_text) using gin",
        "case search on PostgreSQL is pg_trgm's GIN index on search_text (migration 0008); \
         SQLite uses the FTS5 table case_search above",
    ),
];

/// The one type family SQLite cannot declare: instants and civil dates are text there
/// (`src/db/time.rs` writes and reads them in a sortable form), so a PostgreSQL `time`
/// column (`timestamptz`, `date`) is compared as the `text` SQLite stores it in.
fn as_sqlite_stores(family: &'static str) -> &'static str {
    if family == "time" { "text" } else { family }
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite_scratch = ScratchDatabase::create(Backend::Sqlite)
        .await
        .expect("a SQLite scratch database");
    let Some(pg_scratch) = ScratchDatabase::create(Backend::Postgres).await else {
        return;
    };
    let sqlite = migrated(&sqlite_scratch.url).await;
    let postgres = migrated(&pg_scratch.url).await;
    let sqlite_lines = match &sqlite.pool {
        Pool::Sqlite(pool) => sqlite_schema(pool).await,
        Pool::Postgres(_) => unreachable!("a sqlite:// URL opens SQLite"),
    };
    let pg_lines = match &postgres.pool {
        Pool::Postgres(pool) => postgres_schema(pool).await,
        Pool::Sqlite(_) => unreachable!("a postgres:// URL opens PostgreSQL"),
    };
    sqlite.close().await;
    postgres.close().await;

    let problems = compare(&sqlite_lines, &pg_lines);
    assert!(
        problems.is_empty(),
        "the SQLite and PostgreSQL schemas differ (fix the migration, or list the \
         difference with its reason in INTENDED):\n{}",
        problems.join("\n")
    );
}

async fn migrated(url: &str) -> Db {
    let db = Db::connect(url, 1).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

/// The lines only one side has and no entry of [`INTENDED`] explains, and the entries
/// that no longer match anything (a stale allowance hides nothing but misleads).
fn compare(sqlite: &BTreeSet<String>, postgres: &BTreeSet<String>) -> Vec<String> {
    let mut differences: BTreeSet<(Only, String)> = BTreeSet::new();
    for line in sqlite.difference(postgres) {
        differences.insert((Only::Sqlite, line.clone()));
    }
    for line in postgres.difference(sqlite) {
        differences.insert((Only::Postgres, line.clone()));
    }
    let mut problems = Vec::new();
    for (side, line, _) in INTENDED {
        if !differences.remove(&(*side, (*line).to_owned())) {
            problems.push(format!(
                "  INTENDED lists \"{line}\" as {side:?} only, but the schemas do not differ so"
            ));
        }
    }
    for (side, line) in differences {
        let (here, there) = match side {
            Only::Sqlite => ("SQLite", "PostgreSQL"),
            Only::Postgres => ("PostgreSQL", "SQLite"),
        };
        problems.push(format!("  {here} has, {there} lacks: {line}"));
    }
    problems
}

/// A column's type reduced to the family both backends share.
fn sqlite_family(declared: &str) -> &'static str {
    let declared = declared.to_ascii_uppercase();
    if declared.contains("INT") {
        "integer"
    } else if declared.contains("BOOL") {
        "boolean"
    } else if declared.contains("CHAR") || declared.contains("TEXT") || declared.contains("CLOB") {
        "text"
    } else if declared.contains("REAL") || declared.contains("FLOA") || declared.contains("DOUB") {
        "real"
    } else if declared.contains("BLOB") {
        "blob"
    } else if declared.contains("JSON") {
        "json"
    } else {
        "untyped"
    }
}

fn postgres_family(data_type: &str) -> &'static str {
    match data_type {
        "text" | "character varying" | "character" => "text",
        "smallint" | "integer" | "bigint" => "integer",
        "real" | "double precision" | "numeric" => "real",
        "boolean" => "boolean",
        "bytea" => "blob",
        "json" | "jsonb" => "json",
        t if t.starts_with("timestamp") || t.starts_with("time") || t == "date" => "time",
        _ => "untyped",
    }
}

fn foreign_key_line(
    table: &str,
    columns: &[String],
    target: &str,
    target_columns: &[String],
    on_delete: &str,
) -> String {
    format!(
        "foreign key {table} ({}) references {target} ({}) on delete {}",
        columns.join(", "),
        target_columns.join(", "),
        on_delete.to_ascii_lowercase()
    )
}

async fn sqlite_schema(pool: &SqlitePool) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    // `pragma_table_list` tells real tables from virtual ones and their shadow tables
    // (an FTS5 index's storage, which belongs to the virtual table's line).
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, type FROM pragma_table_list WHERE schema = 'main' \
         AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut primary_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, kind) in &tables {
        lines.insert(format!("table {table}"));
        if kind == "virtual" {
            continue;
        }
        let columns: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, pk) in columns {
            // A primary key column is NOT NULL on both (SQLite's INTEGER PRIMARY KEY is
            // the rowid, which pragma_table_info reports as nullable).
            let nullability = if not_null || pk > 0 {
                "not null"
            } else {
                "null"
            };
            lines.insert(format!(
                "column {table}.{name} {} {nullability}",
                sqlite_family(&declared)
            ));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        let key: Vec<String> = key.into_iter().map(|(_, name)| name).collect();
        if !key.is_empty() {
            lines.insert(format!("primary key {table} ({})", key.join(", ")));
        }
        primary_keys.insert(table.clone(), key);
        sqlite_indexes(pool, table, &mut lines).await;
    }
    for (table, kind) in &tables {
        if kind == "table" {
            sqlite_foreign_keys(pool, table, &primary_keys, &mut lines).await;
        }
    }
    lines
}

async fn sqlite_indexes(pool: &SqlitePool, table: &str, lines: &mut BTreeSet<String>) {
    let indexes: Vec<(String, bool, String, bool)> = sqlx::query_as(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
    )
    .bind(table)
    .fetch_all(pool)
    .await
    .unwrap();
    for (index, unique, origin, partial) in indexes {
        let columns: Vec<(Option<String>,)> =
            sqlx::query_as("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .bind(&index)
                .fetch_all(pool)
                .await
                .unwrap();
        let columns: Vec<String> = columns
            .into_iter()
            .map(|(name,)| name.unwrap_or_else(|| "(expression)".to_owned()))
            .collect();
        match origin.as_str() {
            // A UNIQUE constraint: SQLite names its index sqlite_autoindex_*, so it is
            // compared by table and columns.
            "u" => {
                lines.insert(format!("unique {table} ({})", columns.join(", ")));
            }
            // A non-integer primary key's index; the key itself is its own line.
            "pk" => {}
            _ => {
                lines.insert(index_line(table, &index, &columns, unique, partial, None));
            }
        }
    }
}

async fn sqlite_foreign_keys(
    pool: &SqlitePool,
    table: &str,
    primary_keys: &BTreeMap<String, Vec<String>>,
    lines: &mut BTreeSet<String>,
) {
    let rows: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, \"table\", \"from\", \"to\", on_delete \
         FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
    )
    .bind(table)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut keys: BTreeMap<i64, (String, String, Vec<String>, Vec<Option<String>>)> =
        BTreeMap::new();
    for (id, target, from, to, on_delete) in rows {
        let key = keys
            .entry(id)
            .or_insert_with(|| (target, on_delete, Vec::new(), Vec::new()));
        key.2.push(from);
        key.3.push(to);
    }
    for (target, on_delete, from, to) in keys.into_values() {
        // `REFERENCES t` without columns means t's primary key.
        let to: Vec<String> = if to.iter().all(Option::is_none) {
            primary_keys.get(&target).cloned().unwrap_or_default()
        } else {
            to.into_iter().map(Option::unwrap_or_default).collect()
        };
        lines.insert(foreign_key_line(table, &from, &target, &to, &on_delete));
    }
}

fn index_line(
    table: &str,
    index: &str,
    columns: &[String],
    unique: bool,
    partial: bool,
    method: Option<&str>,
) -> String {
    let mut line = format!(
        "{}index {table}.{index} ({})",
        if unique { "unique " } else { "" },
        columns.join(", ")
    );
    if partial {
        line.push_str(" partial");
    }
    if let Some(method) = method.filter(|m| *m != "btree") {
        line.push_str(" using ");
        line.push_str(method);
    }
    line
}

async fn postgres_schema(pool: &PgPool) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table,) in &tables {
        lines.insert(format!("table {table}"));
    }
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND c.table_name NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, name, data_type, nullable) in columns {
        let nullability = if nullable == "YES" {
            "null"
        } else {
            "not null"
        };
        lines.insert(format!(
            "column {table}.{name} {} {nullability}",
            as_sqlite_stores(postgres_family(&data_type))
        ));
    }
    postgres_constraints(pool, &mut lines).await;
    postgres_indexes(pool, &mut lines).await;
    lines
}

/// Primary keys, unique constraints and foreign keys from `pg_constraint`, with their
/// columns in key order.
async fn postgres_constraints(pool: &PgPool, lines: &mut BTreeSet<String>) {
    let rows: Vec<(
        String,
        String,
        Vec<String>,
        Option<String>,
        Vec<String>,
        String,
    )> = sqlx::query_as(
        "SELECT con.contype::text, rel.relname::text, \
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n \
                     ORDER BY k.o), \
               ref.relname::text, \
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n \
                     ORDER BY k.o), \
               CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' \
                 WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END \
             FROM pg_constraint con \
             JOIN pg_class rel ON rel.oid = con.conrelid \
             JOIN pg_namespace ns ON ns.oid = rel.relnamespace \
             LEFT JOIN pg_class ref ON ref.oid = con.confrelid \
             WHERE ns.nspname = 'public' AND con.contype IN ('p', 'u', 'f') \
             AND rel.relname NOT LIKE '\\_sqlx\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (kind, table, columns, target, target_columns, on_delete) in rows {
        let line = match kind.as_str() {
            "p" => format!("primary key {table} ({})", columns.join(", ")),
            "u" => format!("unique {table} ({})", columns.join(", ")),
            _ => foreign_key_line(
                &table,
                &columns,
                &target.unwrap_or_default(),
                &target_columns,
                &on_delete,
            ),
        };
        lines.insert(line);
    }
}

/// Indexes made by CREATE INDEX (not the ones backing a primary key or unique
/// constraint, which are lines of their own above).
async fn postgres_indexes(pool: &PgPool, lines: &mut BTreeSet<String>) {
    let rows: Vec<(String, String, Vec<Option<String>>, bool, bool, String)> = sqlx::query_as(
        "SELECT rel.relname::text, idx.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) \
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n \
                 ORDER BY k.o), \
           i.indisunique, i.indpred IS NOT NULL, am.amname::text \
         FROM pg_index i \
         JOIN pg_class idx ON idx.oid = i.indexrelid \
         JOIN pg_class rel ON rel.oid = i.indrelid \
         JOIN pg_am am ON am.oid = idx.relam \
         JOIN pg_namespace ns ON ns.oid = rel.relnamespace \
         WHERE ns.nspname = 'public' AND rel.relname NOT LIKE '\\_sqlx\\_%' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid \
                         AND con.contype IN ('p', 'u'))",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index, columns, unique, partial, method) in rows {
        let columns: Vec<String> = columns
            .into_iter()
            .map(|c| c.unwrap_or_else(|| "(expression)".to_owned()))
            .collect();
        lines.insert(index_line(
            &table,
            &index,
            &columns,
            unique,
            partial,
            Some(&method),
        ));
    }
}
