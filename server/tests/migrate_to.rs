//! Moving from SQLite to PostgreSQL with `migrate-to`: a service filled through its API on
//! SQLite, copied, and started on PostgreSQL answers as it did, byte for byte; every table of
//! the SQLite schema is copied; a target that is not empty, a running service, a table the
//! copy cannot place and a row PostgreSQL refuses each stop it with the target left empty.
//! Needs PostgreSQL: run under `scripts/with-postgres`.

mod support;

use chrono::{Days, Utc};
use peerpulse_core::people::Role;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::retention::KeepPhoneRows;
use peerpulse_server::db::Location;
use peerpulse_server::db::retention;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use support::people::Session;
use support::{TestDb, TestServer, day_at, day_at_van, today};

const BIN: &str = env!("CARGO_BIN_EXE_peerpulse-server");

/// A fresh, empty PostgreSQL database's URL; `None` without a PostgreSQL server to test on.
async fn empty_postgres() -> Option<(String, TestDb)> {
    if std::env::var("PEERPULSE_TEST_POSTGRES").is_err() {
        eprintln!("migrate-to needs PostgreSQL: run under scripts/with-postgres");
        return None;
    }
    let db = TestDb::fresh().await;
    match &db.location {
        Location::Postgres(url) => Some((url.clone(), db)),
        Location::SqliteIn(_) => None,
    }
}

/// A service on a fresh SQLite database.
async fn on_sqlite() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    TestServer::on(TestDb::sqlite_in(dir)).await
}

/// Runs `migrate-to url` on the SQLite database in `data_dir`: success, stdout, stderr.
fn migrate_to(data_dir: &Path, url: &str) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .arg("migrate-to")
        .arg(url)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Rows in every table of the database at `location` (but sqlx's own).
async fn row_counts(location: &Location) -> Vec<(String, i64)> {
    sqlx::any::install_default_drivers();
    let (url, tables) = match location {
        Location::SqliteIn(dir) => (
            format!("sqlite://{}?mode=ro", dir.join("peerpulse.db").display()),
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite%' AND name <> '_sqlx_migrations' ORDER BY name",
        ),
        Location::Postgres(url) => (
            url.clone(),
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations' ORDER BY 1",
        ),
    };
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar(tables).fetch_all(&pool).await.unwrap();
    let mut counts = Vec::new();
    for name in names {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{name}\""))
            .fetch_one(&pool)
            .await
            .unwrap();
        counts.push((name, n));
    }
    pool.close().await;
    counts
}

/// What the organization's people and phones read: each endpoint with its status and body.
async fn answers(
    server: &TestServer,
    admin: &Session,
    manager: &Session,
    phone: &str,
) -> Vec<(String, StatusCode, String)> {
    let week = Period::containing(Granularity::Week, today());
    let month = Period::containing(Granularity::Month, today());
    let mut read = Vec::new();
    for (path, who) in [
        (format!("/api/v1/trends?period={week}"), manager),
        (format!("/api/v1/trends?period={month}&site=van"), manager),
        (format!("/api/v1/alerts?period={week}"), manager),
        ("/api/v1/oversight".to_owned(), manager),
        ("/api/v1/audit".to_owned(), admin),
        ("/api/v1/devices".to_owned(), admin),
        ("/api/v1/users".to_owned(), admin),
        ("/api/v1/notes".to_owned(), manager),
        ("/api/v1/notes?status=pending".to_owned(), manager),
        ("/api/v1/codebook".to_owned(), manager),
        ("/api/v1/indicators".to_owned(), manager),
        (format!("/api/v1/reports?period={month}"), manager),
        ("/api/v1/field-alerts".to_owned(), manager),
        ("/api/v1/session".to_owned(), manager),
    ] {
        let res = server.call(Method::GET, &path, Some(who), None).await;
        read.push((path, res.status(), res.text().await.unwrap()));
    }
    for path in [
        format!("/api/v1/trends?period={week}"),
        "/api/v1/field-alerts/current".to_owned(),
    ] {
        let res = server
            .client
            .get(server.at(&path))
            .bearer_auth(phone)
            .send()
            .await
            .unwrap();
        read.push((
            format!("{path} (phone)"),
            res.status(),
            res.text().await.unwrap(),
        ));
    }
    read
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_moved_to_postgresql_answers_as_it_did_on_sqlite() {
    let Some((url, target)) = empty_postgres().await else {
        return;
    };
    let server = on_sqlite().await;
    let org = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    server.person(hills, Role::Admin, "hal").await;

    // People made through the API, one of them later disabled.
    for (username, role) in [("vic", "viewer"), ("max", "manager")] {
        let res = server
            .add_person(&admin, username, role, "first password here")
            .await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }
    // Phones sync, over several days and sites, and one is revoked afterwards.
    let phone = server.device(org).await;
    let second = server.device(org).await;
    let lost = server.enrol(org).await;
    let elsewhere = server.device(hills).await;
    let yesterday = today() - Days::new(1);
    server.sync(&phone, day_at_van(14, 1, &[])).await;
    server.sync(&phone, day_at_van(17, 2, &[])).await;
    server
        .sync(&second, day_at(yesterday, "street", 9, 1, &[]))
        .await;
    server.sync(&second, day_at_van(6, 1, &[])).await;
    server.sync(&lost.token, day_at_van(3, 1, &[])).await;
    server.sync(&elsewhere, day_at_van(8, 1, &[])).await;
    // Hills keeps per-phone rows for three months: a day long ago folds into its totals.
    server
        .sync(
            &elsewhere,
            day_at(today() - Days::new(200), "van", 5, 2, &[]),
        )
        .await;
    let three_months = KeepPhoneRows::months(3).expect("three months is allowed");
    retention::set_keep_phone_rows(&server.state.db, hills, Some(three_months))
        .await
        .unwrap();
    let folded = retention::fold(&server.state.db, hills, today())
        .await
        .unwrap();
    assert!(folded.is_some_and(|f| f.rows > 0), "the old day folds");
    let revoked = server.revoke_device(&admin, &lost.device_id).await;
    assert!(revoked.status().is_success());
    let issued = server
        .call(Method::POST, "/api/v1/enrolment-codes", Some(&admin), None)
        .await;
    assert!(issued.status().is_success());

    // Notes offered and reviewed.
    let week = peerpulse_core::field_notes::week_of(today()).to_string();
    for (id, text) in [
        ("e1", "quiet night at the van"),
        ("e2", "new batch going round"),
    ] {
        let res = server.offer(&phone, id, &week, text).await;
        assert!(res.status().is_success());
    }
    let notes = server.notes(&manager, "?status=pending").await;
    let reviewed = server.review(notes[0].id, "approved", &manager).await;
    assert!(reviewed.status().is_success());

    // A codebook edit, the starter indicators, and an alert drafted and approved.
    let edited = server
        .edit_codebook(&manager, json!({"base_version": 1, "edit": {"edit": "add", "list": "need", "label": "Dental care"}}))
        .await;
    assert!(edited.status().is_success());
    let starter = server.indicators(&manager).await.starter;
    let adopted = server
        .edit_indicators(&admin, json!({"base_version": 0, "indicators": starter}))
        .await;
    assert!(
        adopted.status().is_success(),
        "{}",
        adopted.text().await.unwrap()
    );
    let drafted = server
        .draft_alert(
            &manager,
            json!({
                "kind": "drug-supply",
                "sites": ["van"],
                "messages": {"en": "Test your supply. Do not use alone."},
                "verification": "reported-by-workers",
                "expires_at": Utc::now() + Days::new(7),
            }),
        )
        .await;
    let approved = server.approve_alert(&admin, drafted.id).await;
    assert!(approved.status().is_success());
    let received = server
        .alert_receipts(
            &phone,
            json!({"received": [[drafted.id, 1]], "passed_on": [drafted.id]}),
        )
        .await;
    assert!(received.is_success());

    let before = answers(&server, &admin, &manager, &phone).await;
    let sqlite = server.stop().await;
    let counts_before = row_counts(&sqlite.location).await;

    let (ok, out, err) = migrate_to(sqlite.dir.path(), &url);
    assert!(ok, "{err}");
    // Every table of the SQLite schema is copied whole, and said so.
    let counts_after = row_counts(&target.location).await;
    assert_eq!(counts_after, counts_before);
    for (table, rows) in &counts_before {
        assert!(
            out.contains(&format!("  {table}: {rows} rows")),
            "{table} not reported: {out}"
        );
    }
    assert!(
        counts_before.iter().all(|(_, n)| *n > 0),
        "the fill reaches every table: {counts_before:?}"
    );

    // The same code key (the same data directory), on PostgreSQL now.
    let moved = TestServer::on(TestDb {
        location: target.location.clone(),
        dir: sqlite.dir,
    })
    .await;
    let after = answers(&moved, &admin, &manager, &phone).await;
    for ((path, status, body), (_, status_after, body_after)) in before.iter().zip(&after) {
        assert_eq!(*status, StatusCode::OK, "{path}: {body}");
        assert_eq!(
            (status, body),
            (status_after, body_after),
            "{path} answers differently"
        );
    }

    // Ids carry on after the copied ones; the phones and the codebook carry on too.
    moved.sync(&phone, day_at_van(20, 3, &[])).await;
    let res = moved.offer(&second, "e9", &week, "a third note").await;
    assert!(res.status().is_success());
    let notes_after = moved.notes(&manager, "?status=pending").await;
    let newest = notes_after.iter().map(|n| n.id).max().unwrap();
    assert!(notes.iter().all(|n| n.id < newest));
    let (status, _) = moved
        .sync_raw(&lost.token, &json!({"buckets": [], "codebook_version": 1}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a revoked phone stays revoked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_with_rows_is_refused_and_keeps_them() {
    let Some((url, target)) = empty_postgres().await else {
        return;
    };
    let source = on_sqlite().await;
    source.org("Harbour").await;
    let sqlite = source.stop().await;
    let occupied = TestServer::on(target).await;
    occupied.org("Already here").await;
    let target = occupied.stop().await;
    let counts = row_counts(&target.location).await;

    let (ok, _, err) = migrate_to(sqlite.dir.path(), &url);
    assert!(!ok);
    assert!(err.contains("not empty") && err.contains("orgs"), "{err}");
    assert_eq!(row_counts(&target.location).await, counts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_service_on_the_sqlite_database_is_refused() {
    let Some((url, target)) = empty_postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut service = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .args(["serve", "--addr", "127.0.0.1:0", "--static-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(service.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().starts_with("PeerPulse is running") {
            break;
        }
    }

    let (ok, _, err) = migrate_to(dir.path(), &url);
    service.kill().unwrap();
    service.wait().unwrap();
    assert!(!ok);
    assert!(err.contains("service is running"), "{err}");
    let rows: i64 = row_counts(&target.location)
        .await
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(rows, 0);

    let (ok, out, err) = migrate_to(dir.path(), &url);
    assert!(ok, "once it stopped, the copy goes ahead: {err}");
    assert!(out.contains("  orgs: 1 rows"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_only_sqlite_has_stops_the_copy_before_anything_is_written() {
    let Some((url, target)) = empty_postgres().await else {
        return;
    };
    let source = on_sqlite().await;
    source.org("Harbour").await;
    // As if a migration added a table on SQLite only.
    sqlx::query("CREATE TABLE retention_marks (org_id INTEGER NOT NULL, day TEXT NOT NULL)")
        .execute(&source.state.db)
        .await
        .unwrap();
    let sqlite = source.stop().await;

    let (ok, _, err) = migrate_to(sqlite.dir.path(), &url);
    assert!(!ok);
    assert!(
        err.contains("table retention_marks is only in SQLite"),
        "{err}"
    );
    let rows: i64 = row_counts(&target.location)
        .await
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(rows, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_postgresql_refuses_midway_leaves_the_target_empty() {
    let Some((url, target)) = empty_postgres().await else {
        return;
    };
    let source = on_sqlite().await;
    let org = source.org("Harbour").await;
    let phone = source.device(org).await;
    source.sync(&phone, day_at_van(12, 1, &[])).await;
    // SQLite holds a NUL in text; PostgreSQL refuses it. The notes come after the orgs, the
    // devices and the buckets, which are written first and must be rolled back.
    let week = peerpulse_core::field_notes::week_of(today()).to_string();
    let res = source.offer(&phone, "e1", &week, "a note").await;
    assert!(res.status().is_success());
    sqlx::query("UPDATE offered_notes SET text = 'a' || char(0) || 'b'")
        .execute(&source.state.db)
        .await
        .unwrap();
    let sqlite = source.stop().await;

    let (ok, _, err) = migrate_to(sqlite.dir.path(), &url);
    assert!(!ok, "PostgreSQL takes no NUL in text");
    assert!(err.contains("database error"), "{err}");
    let rows: i64 = row_counts(&target.location)
        .await
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(rows, 0, "nothing of the failed copy stays");
}
