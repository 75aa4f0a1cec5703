//! Backups of a SQLite database taken while the service runs, and restoring them into a data
//! directory no service is using. (PostgreSQL has its own tools: `pg_dump` and `pg_restore`.)
//!
//! A running service holds a shared lock on `peerpulse.lock` in its data directory (several
//! services may share a directory); a restore needs the lock exclusively, so it is refused
//! while any service runs there, and a service refuses to start while a restore is under way.

use crate::db::{self, Location, Migrations};
use std::fs::File;
use std::path::{Path, PathBuf};

/// The file a running service holds its lock on, in the data directory.
pub const LOCK_FILE: &str = "peerpulse.lock";

/// What `backup` and `restore` tell a PostgreSQL operator.
pub const USE_PG_DUMP: &str = "on PostgreSQL, back up with `pg_dump --format=custom --file=FILE \"$DATABASE_URL\"` \
     (consistent while the service runs) and restore into an empty database with \
     `pg_restore --no-owner --dbname=\"$DATABASE_URL\" FILE` while no service runs on it";

/// Why a backup or a restore was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL.
    #[error("{USE_PG_DUMP}")]
    Postgres,
    /// The backup would overwrite a file.
    #[error("{0} exists already: give a new file name")]
    Exists(PathBuf),
    /// There is no database to back up.
    #[error("there is no database at {0}")]
    NoDatabase(PathBuf),
    /// A service runs on the data directory (or another restore is under way).
    #[error(
        "a PeerPulse service is running on {0}: stop it first (restoring under a running service would lose what it writes and confuse its connections)"
    )]
    Running(PathBuf),
    /// The file is not a PeerPulse database this build can use.
    #[error("{path} is not a PeerPulse database: {why}")]
    NotPeerPulse {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The file was made by a newer build.
    #[error(
        "{path} holds migrations this build does not know ({unknown:?}): restore it with the build that made it, or a newer one"
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// The unknown migration versions.
        unknown: Vec<i64>,
    },
    /// A file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] db::DbError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e.into())
    }
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

/// A lock on a data directory's [`LOCK_FILE`], released when dropped (or when the process
/// ends, however it ends).
#[derive(Debug)]
pub struct DataDirLock(#[allow(dead_code)] File);

impl DataDirLock {
    /// The shared lock a running service holds; `None` while a restore holds it.
    pub fn for_service(data_dir: &Path) -> Result<Option<Self>, BackupError> {
        Self::take(data_dir, libc::LOCK_SH)
    }

    /// The exclusive lock a restore holds; `None` while a service holds it.
    pub fn for_restore(data_dir: &Path) -> Result<Option<Self>, BackupError> {
        Self::take(data_dir, libc::LOCK_EX)
    }

    fn take(data_dir: &Path, mode: libc::c_int) -> Result<Option<Self>, BackupError> {
        use std::os::fd::AsRawFd;
        std::fs::create_dir_all(data_dir)
            .map_err(io(format!("cannot create {}", data_dir.display())))?;
        let path = data_dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(format!("cannot open {}", path.display())))?;
        // SAFETY: flock on a descriptor this function owns; it touches no memory.
        let taken = unsafe { libc::flock(file.as_raw_fd(), mode | libc::LOCK_NB) } == 0;
        Ok(taken.then_some(Self(file)))
    }
}

/// A SQLite URL for `file`, with `options`.
fn sqlite_url(file: &Path, options: &str) -> String {
    format!("sqlite://{}?{options}", file.display())
}

/// Writes a consistent copy of the SQLite database at `location` to `file` while the service
/// may be running: `VACUUM INTO` reads one snapshot, so a sync committing meanwhile is in the
/// copy whole or not at all. The copy is readable by this user only.
pub async fn backup(location: &Location, file: &Path) -> Result<(), BackupError> {
    let Location::SqliteIn(data_dir) = location else {
        return Err(BackupError::Postgres);
    };
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    let source = data_dir.join(db::FILE_NAME);
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    sqlx::any::install_default_drivers();
    let mut conn =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&sqlite_url(&source, "mode=rw")).await?;
    sqlx::query("PRAGMA busy_timeout = 5000")
        .execute(&mut conn)
        .await?;
    sqlx::query("VACUUM INTO $1")
        .bind(file.display().to_string())
        .execute(&mut conn)
        .await?;
    sqlx::Connection::close(conn).await?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
            .map_err(io(format!("cannot restrict {}", file.display())))?;
    }
    Ok(())
}

/// Checks that `file` is a whole PeerPulse database this build can run on (it may be older:
/// its missing migrations run at start).
pub async fn check(file: &Path) -> Result<(), BackupError> {
    let not_ours = |why: String| BackupError::NotPeerPulse {
        path: file.to_owned(),
        why,
    };
    if !file.is_file() {
        return Err(not_ours("no such file".into()));
    }
    sqlx::any::install_default_drivers();
    // Immutable: the file is read as it is, without a lock or a journal of its own.
    let pool = sqlx::AnyPool::connect(&sqlite_url(file, "immutable=true"))
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let checked = async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .map_err(|e| not_ours(e.to_string()))?;
        if integrity != "ok" {
            return Err(not_ours(format!("it is damaged ({integrity})")));
        }
        match db::migrations(&pool).await {
            Err(_) => Err(not_ours("it has no PeerPulse migrations".into())),
            Ok(Migrations::Ahead { unknown }) => Err(BackupError::Newer {
                path: file.to_owned(),
                unknown,
            }),
            Ok(Migrations::Current | Migrations::Behind { .. }) => Ok(()),
        }
    }
    .await;
    pool.close().await;
    checked
}

/// Restores the backup `file` as the SQLite database of `location`, unless a service runs
/// there. The database it replaces is kept beside it, renamed; returns that name.
pub async fn restore(location: &Location, file: &Path) -> Result<Option<PathBuf>, BackupError> {
    let Location::SqliteIn(data_dir) = location else {
        return Err(BackupError::Postgres);
    };
    check(file).await?;
    let _lock = DataDirLock::for_restore(data_dir)?
        .ok_or_else(|| BackupError::Running(data_dir.clone()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(io(format!("cannot restrict {}", data_dir.display())))?;
    }
    let target = data_dir.join(db::FILE_NAME);
    let incoming = data_dir.join(format!("{}.restoring", db::FILE_NAME));
    std::fs::copy(file, &incoming).map_err(io(format!("cannot copy {}", file.display())))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io("cannot flush the restored copy"))?;
    // The old database goes aside with its journal files, which belong to it alone: left in
    // place, SQLite would replay the old write-ahead log into the restored file.
    let replaced = if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = data_dir.join(format!("{}.replaced-{stamp}", db::FILE_NAME));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                std::fs::rename(&from, &to)
                    .map_err(io(format!("cannot move {} aside", from.display())))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, &target).map_err(io("cannot put the restored copy in place"))?;
    File::open(data_dir)
        .and_then(|d| d.sync_all())
        .map_err(io(format!("cannot flush {}", data_dir.display())))?;
    Ok(replaced)
}
