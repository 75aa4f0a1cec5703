//! Moving a service from SQLite to PostgreSQL: `migrate-to POSTGRES_URL` copies every row of
//! every table, ids included, into an empty PostgreSQL database migrated by this build, so
//! that the service started on PostgreSQL answers as it did on SQLite.
//!
//! The copy knows no table by name: it reads the tables and their columns from the SQLite
//! schema and asks PostgreSQL for the same ones, so a table a later migration adds is copied
//! too, and one missing on either side stops the copy before anything is written. Sessions are
//! copied with the rest: people stay signed in, and sign-in links already sent still work.
//!
//! Everything is written in one transaction: a failure leaves the target as empty as it was.
//! The rows are copied as stored, with the target's triggers off: the organization totals are
//! copied, not summed again from the per-device rows (which would count them twice).

use crate::backup::{BackupError, DataDirLock};
use crate::db::{self, DbError, Location};
use futures_util::TryStreamExt;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Most values bound in one INSERT (PostgreSQL allows 65 535).
const VALUES_PER_INSERT: usize = 20_000;

/// Why nothing was copied.
#[derive(Debug, thiserror::Error)]
pub enum MigrateToError {
    /// The target is not a PostgreSQL URL.
    #[error("migrate-to copies into PostgreSQL: give a postgres:// URL")]
    NotPostgres,
    /// There is no SQLite database to copy.
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    /// A service runs on the SQLite database (or a restore is under way).
    #[error(
        "a PeerPulse service is running on {0}: stop it first, or rows it writes during the copy would be lost"
    )]
    Running(PathBuf),
    /// The target holds rows already.
    #[error(
        "the PostgreSQL database is not empty ({}): give an empty database; nothing was copied",
        .0.join(", ")
    )]
    NotEmpty(Vec<String>),
    /// The two schemas differ, so some rows would not fit or be lost.
    #[error("the SQLite and PostgreSQL schemas differ ({0}); nothing was copied")]
    SchemaDiffers(String),
    /// A PostgreSQL column type the copy does not know how to fill.
    #[error("cannot copy {table}.{column}: PostgreSQL type {kind} is not one the copy knows")]
    UnknownType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Its PostgreSQL type.
        kind: String,
    },
    /// The data directory's lock could not be taken.
    #[error(transparent)]
    Lock(#[from] BackupError),
    /// A database failed; on the target, the transaction rolled back.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for MigrateToError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e.into())
    }
}

/// What was copied: each table with its row count, in the order written.
pub type Copied = Vec<(String, u64)>;

/// How a PostgreSQL column is filled from SQLite's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
    Boolean,
    Real,
    Bytes,
}

impl Kind {
    /// The kind for a PostgreSQL type as `format_type` names it.
    fn of(pg_type: &str) -> Option<Self> {
        match pg_type {
            "bigint" | "integer" | "smallint" => Some(Self::Integer),
            "text" => Some(Self::Text),
            "boolean" => Some(Self::Boolean),
            "double precision" | "real" => Some(Self::Real),
            "bytea" => Some(Self::Bytes),
            t if t.starts_with("character") => Some(Self::Text),
            _ => None,
        }
    }
}

/// One column of a table on the target.
#[derive(Debug)]
struct Column {
    name: String,
    kind: Kind,
    pg_type: String,
    identity: bool,
}

/// One table to copy, with its columns as both databases name them.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<Column>,
}

/// A value read from SQLite, ready to bind on PostgreSQL.
enum Value {
    Integer(Option<i64>),
    Text(Option<String>),
    Boolean(Option<bool>),
    Real(Option<f64>),
    Bytes(Option<Vec<u8>>),
}

/// An identifier, quoted for both databases.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Copies the SQLite database in `data_dir` into the empty PostgreSQL database at
/// `postgres_url`, unless a service runs on the SQLite database. Both are first migrated to
/// this build's schema.
pub async fn migrate_to(data_dir: &Path, postgres_url: &str) -> Result<Copied, MigrateToError> {
    let target = match Location::new(data_dir, Some(postgres_url)) {
        Ok(Location::Postgres(url)) => Location::Postgres(url),
        _ => return Err(MigrateToError::NotPostgres),
    };
    let file = data_dir.join(db::FILE_NAME);
    if !file.is_file() {
        return Err(MigrateToError::NoDatabase(file));
    }
    // Held to the end: no service starts on the SQLite database while it is copied.
    let _lock = DataDirLock::for_restore(data_dir)?
        .ok_or_else(|| MigrateToError::Running(data_dir.to_owned()))?;
    let source = db::open(&Location::SqliteIn(data_dir.to_owned())).await?;
    let target = db::open(&target).await?;
    let copied = copy(&source, &target).await;
    source.close().await;
    target.close().await;
    copied
}

/// The user tables of the SQLite database `source`, parents before the tables that refer to
/// them.
async fn sqlite_tables(source: &db::Db) -> Result<Vec<String>, MigrateToError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(source)
    .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let referred: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(name)
                .fetch_all(source)
                .await?;
        parents.insert(
            name.clone(),
            referred.into_iter().filter(|p| p != name).collect(),
        );
    }
    let mut ordered: Vec<String> = Vec::with_capacity(names.len());
    while ordered.len() < names.len() {
        let ready: Vec<String> = names
            .iter()
            .filter(|n| !ordered.contains(n))
            .filter(|n| parents[*n].iter().all(|p| ordered.contains(p)))
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(MigrateToError::SchemaDiffers(
                "the SQLite tables refer to each other in a circle".into(),
            ));
        }
        ordered.extend(ready);
    }
    Ok(ordered)
}

/// The tables to copy, checked against the target: the same tables, the same columns.
async fn tables(source: &db::Db, target: &db::Db) -> Result<Vec<Table>, MigrateToError> {
    let in_sqlite = sqlite_tables(source).await?;
    let in_postgres: BTreeSet<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(target)
    .await?
    .into_iter()
    .collect();
    let sqlite_set: BTreeSet<String> = in_sqlite.iter().cloned().collect();
    if let Some(only) = sqlite_set.symmetric_difference(&in_postgres).next() {
        let side = if in_postgres.contains(only) {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        return Err(MigrateToError::SchemaDiffers(format!(
            "table {only} is only in {side}"
        )));
    }
    let mut tables = Vec::with_capacity(in_sqlite.len());
    for name in in_sqlite {
        let sqlite_columns: BTreeSet<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(&name)
                .fetch_all(source)
                .await?
                .into_iter()
                .collect();
        let rows = sqlx::query(
            "SELECT CAST(a.attname AS TEXT) AS name, \
                    format_type(a.atttypid, a.atttypmod) AS pg_type, \
                    CAST(CASE WHEN a.attidentity <> '' THEN 1 ELSE 0 END AS BIGINT) AS identity \
             FROM pg_attribute a \
             WHERE a.attrelid = CAST(quote_ident($1) AS regclass) \
               AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
        )
        .bind(&name)
        .fetch_all(target)
        .await?;
        let mut columns = Vec::with_capacity(rows.len());
        for row in rows {
            let column: String = row.try_get("name")?;
            let pg_type: String = row.try_get("pg_type")?;
            let identity: i64 = row.try_get("identity")?;
            let kind = Kind::of(&pg_type).ok_or_else(|| MigrateToError::UnknownType {
                table: name.clone(),
                column: column.clone(),
                kind: pg_type.clone(),
            })?;
            columns.push(Column {
                name: column,
                kind,
                pg_type,
                identity: identity != 0,
            });
        }
        let postgres_columns: BTreeSet<String> = columns.iter().map(|c| c.name.clone()).collect();
        if let Some(only) = sqlite_columns
            .symmetric_difference(&postgres_columns)
            .next()
        {
            let side = if postgres_columns.contains(only) {
                "PostgreSQL"
            } else {
                "SQLite"
            };
            return Err(MigrateToError::SchemaDiffers(format!(
                "column {name}.{only} is only in {side}"
            )));
        }
        tables.push(Table { name, columns });
    }
    Ok(tables)
}

/// Copies every table of `source` into `target` in one transaction.
async fn copy(source: &db::Db, target: &db::Db) -> Result<Copied, MigrateToError> {
    let tables = tables(source, target).await?;
    let mut tx = target.begin().await?;
    let mut not_empty = Vec::new();
    for table in &tables {
        let rows: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) AS any_row",
            quoted(&table.name)
        ))
        .fetch_one(&mut *tx)
        .await?;
        if rows > 0 {
            not_empty.push(table.name.clone());
        }
    }
    if !not_empty.is_empty() {
        return Err(MigrateToError::NotEmpty(not_empty));
    }
    for table in &tables {
        // Copied rows are final: no trigger may derive rows from them again.
        sqlx::query(&format!(
            "ALTER TABLE {} DISABLE TRIGGER USER",
            quoted(&table.name)
        ))
        .execute(&mut *tx)
        .await?;
    }
    let mut copied = Vec::with_capacity(tables.len());
    for table in &tables {
        let rows = copy_table(source, &mut tx, table).await?;
        copied.push((table.name.clone(), rows));
    }
    for table in &tables {
        sqlx::query(&format!(
            "ALTER TABLE {} ENABLE TRIGGER USER",
            quoted(&table.name)
        ))
        .execute(&mut *tx)
        .await?;
        // New rows get ids after the copied ones.
        for column in table.columns.iter().filter(|c| c.identity) {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), \
                 (SELECT COALESCE(MAX({col}), 0) + 1 FROM {table}), false)",
                col = quoted(&column.name),
                table = quoted(&table.name),
            ))
            .bind(quoted(&table.name))
            .bind(&column.name)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(copied)
}

/// Copies the rows of `table` from `source` into the transaction `tx`; returns how many.
async fn copy_table(
    source: &db::Db,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &Table,
) -> Result<u64, MigrateToError> {
    let names: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let select = format!("SELECT {} FROM {}", names.join(", "), quoted(&table.name));
    let per_insert = (VALUES_PER_INSERT / table.columns.len().max(1)).max(1);
    let mut rows = sqlx::query(&select).fetch(source);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_insert);
    let mut copied = 0u64;
    while let Some(row) = rows.try_next().await? {
        let mut values = Vec::with_capacity(table.columns.len());
        for (i, column) in table.columns.iter().enumerate() {
            values.push(match column.kind {
                Kind::Integer => Value::Integer(row.try_get(i)?),
                Kind::Text => Value::Text(row.try_get(i)?),
                Kind::Boolean => Value::Boolean(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
                Kind::Real => Value::Real(row.try_get(i)?),
                Kind::Bytes => Value::Bytes(row.try_get(i)?),
            });
        }
        batch.push(values);
        if batch.len() == per_insert {
            copied += insert(tx, table, &names, std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        copied += insert(tx, table, &names, batch).await?;
    }
    Ok(copied)
}

/// Inserts `batch` into `table` in one statement, ids as they were.
async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &Table,
    names: &[String],
    batch: Vec<Vec<Value>>,
) -> Result<u64, MigrateToError> {
    let mut n = 0;
    let tuples: Vec<String> = batch
        .iter()
        .map(|_| {
            let params: Vec<String> = table
                .columns
                .iter()
                .map(|c| {
                    n += 1;
                    format!("CAST(${n} AS {})", c.pg_type)
                })
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let overriding = if table.columns.iter().any(|c| c.identity) {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO {} ({}){overriding} VALUES {}",
        quoted(&table.name),
        names.join(", "),
        tuples.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for value in batch.into_iter().flatten() {
        query = match value {
            Value::Integer(v) => query.bind(v),
            Value::Text(v) => query.bind(v),
            Value::Boolean(v) => query.bind(v),
            Value::Real(v) => query.bind(v),
            Value::Bytes(v) => query.bind(v),
        };
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_type_the_migrations_use_has_a_kind_and_others_are_refused() {
        for t in ["bigint", "integer", "text", "boolean", "bytea"] {
            assert!(Kind::of(t).is_some(), "{t}");
        }
        assert_eq!(Kind::of("character varying(40)"), Some(Kind::Text));
        assert_eq!(Kind::of("numeric(10,2)"), None);
        assert_eq!(Kind::of("jsonb"), None);
    }

    #[test]
    fn identifiers_are_quoted_whatever_they_hold() {
        assert_eq!(quoted("count"), "\"count\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
