//! The database: SQLite in a file under the data directory by default, or PostgreSQL when
//! `DATABASE_URL` is a `postgres://` URL. The same queries run on both (through sqlx's `Any`
//! driver, with `$1` placeholders both understand); each backend has its own migrations.

pub mod audit;
pub mod buckets;
pub mod devices;
pub mod enrolment;
pub mod field_alerts;
pub mod indicators;
pub mod notes;
pub mod orgs;
pub mod people;
pub mod retention;

use chrono::{SecondsFormat, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::{Executor, migrate::Migrator};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database pool every query runs on, whichever backend it is.
pub type Db = sqlx::AnyPool;

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "peerpulse.db";

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Where the database lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// `peerpulse.db` in this directory, created if needed.
    SqliteIn(PathBuf),
    /// A PostgreSQL database, by its `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// PostgreSQL when `database_url` is given, else SQLite under `data_dir`.
    pub fn new(data_dir: &Path, database_url: Option<&str>) -> Result<Self, DbError> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(Self::SqliteIn(data_dir.to_owned())),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(url.to_owned()))
            }
            Some(_) => Err(DbError::UnsupportedUrl),
        }
    }
}

/// A database failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// `DATABASE_URL` names something other than PostgreSQL.
    #[error(
        "DATABASE_URL must be a postgres:// URL; leave it unset to use SQLite under --data-dir"
    )]
    UnsupportedUrl,
    /// A query or connection failed.
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row holds something this build cannot read.
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
    /// Randomness for a secret was unavailable.
    #[error(transparent)]
    Random(#[from] crate::secrets::NoRandomness),
}

impl DbError {
    /// Whether the database cannot take this for now but may soon: a full disk, a lock held
    /// too long, a connection lost. Clients are told to try again (503), never that it failed
    /// for good, and never that it was stored.
    pub fn is_unavailable(&self) -> bool {
        let Self::Sql(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                match code.parse::<i64>() {
                    // SQLite's primary result codes: BUSY, LOCKED, IOERR, FULL.
                    Ok(sqlite) => matches!(sqlite & 0xff, 5 | 6 | 10 | 13),
                    // PostgreSQL's SQLSTATE classes: insufficient resources, connection
                    // exceptions, operator intervention, and serialization failures.
                    Err(_) => {
                        ["53", "08", "57P"].iter().any(|c| code.starts_with(c))
                            || code == "40001"
                            || code == "40P01"
                    }
                }
            }),
            _ => false,
        }
    }
}

/// Opens the database at `location`, creating a SQLite file if needed (in WAL mode), and runs
/// every migration of its backend.
pub async fn open(location: &Location) -> Result<Db, DbError> {
    sqlx::any::install_default_drivers();
    match location {
        Location::SqliteIn(data_dir) => {
            std::fs::create_dir_all(data_dir).map_err(|source| DbError::DataDir {
                path: data_dir.display().to_string(),
                source,
            })?;
            // Only the service's own user may read the database (and its WAL) at all.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(|source| DbError::DataDir {
                        path: data_dir.display().to_string(),
                        source,
                    })?;
            }
            let url = format!("sqlite://{}?mode=rwc", data_dir.join(FILE_NAME).display());
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
                .after_release(|conn, _| {
                    // A write that failed (a full disk) may leave its connection inside a
                    // transaction the database did not roll back: it would hold the write
                    // lock, and turn the next BEGIN on it into a savepoint that never
                    // commits. Such a connection is closed, never handed out again.
                    Box::pin(async move {
                        if conn.execute("BEGIN").await.is_err() {
                            return Ok(false);
                        }
                        Ok(conn.execute("ROLLBACK").await.is_ok())
                    })
                })
                .connect(&url)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            orgs::give_handles(&pool).await?;
            buckets::backfill_cell_keys(&pool).await?;
            Ok(pool)
        }
        Location::Postgres(url) => {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            orgs::give_handles(&pool).await?;
            buckets::backfill_cell_keys(&pool).await?;
            Ok(pool)
        }
    }
}

/// Whether `db` is PostgreSQL (else SQLite).
pub fn is_postgres(db: &Db) -> bool {
    db.connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
}

/// How a database's applied migrations compare with this build's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Migrations {
    /// Every migration of this build is applied, and no other.
    Current,
    /// Some of this build's migrations are not applied yet (they run at start).
    Behind {
        /// Their versions.
        missing: Vec<i64>,
    },
    /// The database holds migrations this build does not know: a newer build made it.
    Ahead {
        /// Their versions.
        unknown: Vec<i64>,
    },
}

/// How `db`'s applied migrations compare with this build's (a database with none applied is
/// one without any PeerPulse tables, and reads as an error).
pub async fn migrations(db: &Db) -> Result<Migrations, DbError> {
    let migrator = if is_postgres(db) {
        &POSTGRES_MIGRATIONS
    } else {
        &SQLITE_MIGRATIONS
    };
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(db)
            .await?;
    let known: Vec<i64> = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    let unknown: Vec<i64> = applied
        .iter()
        .copied()
        .filter(|v| !known.contains(v))
        .collect();
    let missing: Vec<i64> = known
        .iter()
        .copied()
        .filter(|v| !applied.contains(v))
        .collect();
    Ok(if !unknown.is_empty() {
        Migrations::Ahead { unknown }
    } else if !missing.is_empty() {
        Migrations::Behind { missing }
    } else {
        Migrations::Current
    })
}

/// Now, in the stored time format.
pub fn now() -> String {
    timestamp(Utc::now())
}

/// A time in the stored format: RFC 3339 UTC to the second, which sorts as time.
pub fn timestamp(time: chrono::DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}
