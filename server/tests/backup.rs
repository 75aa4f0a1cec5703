//! Backups that restore: `backup` copies a SQLite database consistently while phones sync,
//! `restore` puts it in place only where no service runs, and the service starts on it.

mod support;

use chrono::Days;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use support::{TestDb, TestServer, day_at, today};

const BIN: &str = env!("CARGO_BIN_EXE_peerpulse-server");

/// The service binary on the SQLite database in `data_dir`.
fn on_sqlite(data_dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL");
    command
}

fn run(mut command: Command) -> (bool, String, String) {
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

type Totals = BTreeMap<(i64, String, String, String, String), i64>;

/// The org totals as stored, and as the sums of the per-device rows.
async fn totals_and_device_sums(db_file: &Path) -> (Totals, Totals) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!("sqlite://{}?mode=ro", db_file.display()))
        .await
        .unwrap();
    let read = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let rows: Vec<(i64, String, String, String, String, i64)> =
                sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            rows.into_iter()
                .filter(|r| r.5 != 0)
                .map(|(o, d, s, dim, v, c)| ((o, d, s, dim, v), c))
                .collect::<Totals>()
        }
    };
    let totals =
        read("SELECT org_id, day, site, dimension, value, CAST(count AS BIGINT) FROM org_buckets")
            .await;
    let sums = read(
        "SELECT org_id, day, site, dimension, value, CAST(SUM(count) AS BIGINT) \
         FROM device_buckets GROUP BY org_id, day, site, dimension, value",
    )
    .await;
    pool.close().await;
    (totals, sums)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_sync_load_restores_whole_and_the_service_starts_on_it() {
    let live = tempfile::tempdir().unwrap();
    let live_dir = live.path().to_owned();
    let server = std::sync::Arc::new(TestServer::on(TestDb::sqlite_in(live)).await);
    let org = server.org("Harbour").await;
    let other = server.org("Night Van").await;
    let mut phones = Vec::new();
    for i in 0..8 {
        phones.push(server.device(if i % 2 == 0 { org } else { other }).await);
    }
    const ROUNDS: u64 = 60;
    let synced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let load: Vec<_> = phones
        .into_iter()
        .map(|token| {
            let server = server.clone();
            let synced = synced.clone();
            tokio::spawn(async move {
                for round in 1..=ROUNDS {
                    let day = today() - Days::new(round % 5);
                    let site = ["van", "hub"][usize::from(round % 3 == 0)];
                    let n = u32::try_from(round).unwrap() % 17 + 1;
                    server.sync(&token, day_at(day, site, n, round, &[])).await;
                    synced.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            })
        })
        .collect();
    // Well into the load: phones go on syncing while the copy is taken.
    while synced.load(std::sync::atomic::Ordering::SeqCst) < 8 * ROUNDS / 4 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("peerpulse-backup.db");
    let mut backup = on_sqlite(&live_dir);
    backup.arg("backup").arg(&file);
    let (ok, out, err) = tokio::task::spawn_blocking(move || run(backup))
        .await
        .unwrap();
    let during = synced.load(std::sync::atomic::Ordering::SeqCst);
    assert!(ok, "{err}");
    assert!(out.starts_with("Backed up to"), "{out}");
    for task in load {
        task.await.unwrap();
    }
    assert!(
        during < 8 * ROUNDS,
        "the copy was taken while phones synced"
    );
    let mut again = on_sqlite(&live_dir);
    again.arg("backup").arg(&file);
    let (ok, _, err) = run(again);
    assert!(!ok && err.contains("exists already"), "{err}");

    // Restored into a fresh directory: every org total is the sum of its phones' rows.
    let fresh = tempfile::tempdir().unwrap();
    let restore_into = |dir: &Path, backup: &Path| {
        let mut restore = on_sqlite(dir);
        restore.arg("restore").arg(backup);
        run(restore)
    };
    let (ok, out, err) = restore_into(fresh.path(), &file);
    assert!(ok, "{err}");
    assert!(out.starts_with("Restored"), "{out}");
    let restored = fresh.path().join("peerpulse.db");
    let (totals, sums) = totals_and_device_sums(&restored).await;
    assert!(
        !totals.is_empty(),
        "the copy holds the syncs made before it"
    );
    assert_eq!(totals, sums, "org totals equal the per-device rows");
    let (live_totals, live_sums) = totals_and_device_sums(&live_dir.join("peerpulse.db")).await;
    assert_eq!(live_totals, live_sums);

    // The service starts on it and is ready; meanwhile no restore replaces its database.
    let mut service = on_sqlite(fresh.path())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            "no-such-dir",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = BufReader::new(service.stdout.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .find_map(|l| {
            l.strip_prefix("PeerPulse is running at ")
                .map(str::to_owned)
        })
        .expect("the service starts");
    let ready = reqwest::get(format!("{url}/readyz")).await.unwrap();
    assert_eq!(ready.status(), reqwest::StatusCode::OK);
    let (ok, _, err) = restore_into(fresh.path(), &file);
    assert!(!ok, "a running service's database is never replaced");
    assert!(err.contains("service is running"), "{err}");
    service.kill().unwrap();
    service.wait().unwrap();

    // Once it stopped, a restore goes ahead and keeps what it replaced.
    let (ok, out, err) = restore_into(fresh.path(), &file);
    assert!(ok, "{err}");
    assert!(out.contains("The database it replaced is kept as"), "{out}");
}

#[tokio::test]
async fn restore_refuses_what_is_not_a_peerpulse_database_or_comes_from_a_newer_build() {
    let scratch = tempfile::tempdir().unwrap();
    let junk = scratch.path().join("notes.txt");
    std::fs::write(&junk, "not a database at all").unwrap();
    let target = tempfile::tempdir().unwrap();
    let mut restore = on_sqlite(target.path());
    restore.arg("restore").arg(&junk);
    let (ok, _, err) = run(restore);
    assert!(!ok && err.contains("is not a PeerPulse database"), "{err}");

    // A database a newer build migrated.
    let live = tempfile::tempdir().unwrap();
    let live_dir = live.path().to_owned();
    let server = TestServer::on(TestDb::sqlite_in(live)).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999, 'from the future', TRUE, X'00', 0)",
    )
    .execute(&server.state.db)
    .await
    .unwrap();
    let file = scratch.path().join("newer.db");
    let mut backup = on_sqlite(&live_dir);
    backup.arg("backup").arg(&file);
    assert!(run(backup).0);
    let mut restore = on_sqlite(target.path());
    restore.arg("restore").arg(&file);
    let (ok, _, err) = run(restore);
    assert!(
        !ok && err.contains("migrations this build does not know ([99999])"),
        "{err}"
    );
    assert!(!target.path().join("peerpulse.db").exists());
}

#[test]
fn on_postgresql_backup_and_restore_explain_pg_dump_and_pg_restore() {
    let scratch = tempfile::tempdir().unwrap();
    for command in ["backup", "restore"] {
        let (ok, _, err) = run({
            let mut c = Command::new(BIN);
            c.args([command, "some-file"])
                .arg("--data-dir")
                .arg(scratch.path())
                .env("DATABASE_URL", "postgres://127.0.0.1:1/peerpulse");
            c
        });
        assert!(!ok);
        assert!(
            err.contains("pg_dump") && err.contains("pg_restore"),
            "{err}"
        );
    }
}
