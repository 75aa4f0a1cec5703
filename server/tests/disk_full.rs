//! A full disk and a dropped database connection never lose a sync the service acknowledged:
//! phones keep syncing through the fault, and once the fault is gone, without a restart, the
//! organization's totals equal what the phones hold.

mod support;

use chrono::Days;
use peerpulse_core::bucket::Measure;
use peerpulse_core::protocol::{BucketUpdate, SyncRequest, SyncResponse};
use peerpulse_server::db::Location;
use reqwest::StatusCode;
use sqlx::{Connection, Executor};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{TestDb, TestServer, code, day_at, today};

/// A tmpfs of `size` mounted on a fresh directory for one test, unmounted when dropped.
struct SmallDisk {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl SmallDisk {
    fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_owned();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "this test mounts a small tmpfs and needs root (as CI and the dev machines run)"
        );
        Self {
            dir: Some(dir),
            path,
        }
    }

    /// Fills the disk with a file of zeros until fewer than `left` bytes remain.
    fn fill_leaving(&self, left: u64) {
        let filler = self.path.join("filler");
        let free = free_bytes(&self.path);
        let size = free.saturating_sub(left);
        let status = Command::new("dd")
            .args(["if=/dev/zero", "bs=4096"])
            .arg(format!("of={}", filler.display()))
            .arg(format!("count={}", size / 4096))
            .stderr(std::process::Stdio::null())
            .status()
            .expect("run dd");
        assert!(status.success());
    }

    fn free(&self) {
        std::fs::remove_file(self.path.join("filler")).expect("remove the filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        drop(self.dir.take());
    }
}

fn free_bytes(path: &Path) -> u64 {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(path)
        .output()
        .expect("run df");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("df prints the free bytes")
}

/// A phone: its current counts, each stamped with the version of its last change, and the
/// version the service acknowledged.
struct Phone {
    token: String,
    clock: u64,
    acked: u64,
    state: BTreeMap<(chrono::NaiveDate, String, Measure), (u32, u64)>,
}

impl Phone {
    /// Logs `n` more encounters with housing on `back` days ago at `site`.
    fn log(&mut self, back: u64, site: &str, n: u32) {
        self.clock += 1;
        let day = today() - Days::new(back);
        let current = |m: &Measure, state: &BTreeMap<_, (u32, u64)>| {
            state
                .get(&(day, site.to_owned(), m.clone()))
                .map_or(0, |(c, _)| *c)
        };
        let encounters = current(&Measure::Encounters, &self.state) + n;
        for u in day_at(
            day,
            site,
            encounters,
            self.clock,
            &[(Measure::Need(code("housing")), encounters)],
        ) {
            self.state
                .insert((u.day, u.site.to_string(), u.measure), (u.count, u.version));
        }
    }

    fn pending(&self) -> SyncRequest {
        let mut buckets: Vec<BucketUpdate> = self
            .state
            .iter()
            .filter(|(_, (_, v))| *v > self.acked)
            .map(|((day, site, measure), (count, version))| BucketUpdate {
                day: *day,
                site: code(site),
                measure: measure.clone(),
                count: *count,
                version: *version,
            })
            .collect();
        buckets.sort_by_key(|b| b.version);
        SyncRequest {
            buckets,
            codebook_version: 1,
        }
    }
}

/// One sync as a phone makes it: acknowledged (the phone moves on), or refused for now.
async fn sync(server: &TestServer, phone: &mut Phone) -> StatusCode {
    let request = phone.pending();
    let res = tokio::time::timeout(
        Duration::from_secs(15),
        server
            .client
            .post(server.at("/api/v1/sync"))
            .bearer_auth(&phone.token)
            .json(&request)
            .send(),
    )
    .await
    .expect("the service answers within 15 s, full disk or not")
    .expect("an answer");
    let status = res.status();
    if status == StatusCode::OK {
        let answer: SyncResponse = res.json().await.expect("sync answer");
        phone.acked = answer.acked_through;
    } else {
        // Refused for now: the phone keeps its counts and tries again later.
        assert!(
            status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}: {}",
            res.text().await.unwrap_or_default()
        );
    }
    status
}

/// What the service stores per device bucket against what each phone holds.
async fn assert_stored_equals_phones(server: &TestServer, phones: &[Phone], ids: &[String]) {
    for (phone, id) in phones.iter().zip(ids) {
        let stored: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT day, site, dimension, value, CAST(count AS BIGINT) FROM device_buckets \
             WHERE device_id = $1",
        )
        .bind(id)
        .fetch_all(&server.state.db)
        .await
        .expect("read stored buckets");
        let stored: BTreeMap<(String, String, String, String), i64> = stored
            .into_iter()
            .map(|(d, s, dim, v, c)| ((d, s, dim, v), c))
            .collect();
        let held: BTreeMap<(String, String, String, String), i64> = phone
            .state
            .iter()
            .map(|((day, site, m), (count, _))| {
                (
                    (
                        day.to_string(),
                        site.clone(),
                        m.dimension().as_str().to_owned(),
                        m.value().to_owned(),
                    ),
                    i64::from(*count),
                )
            })
            .collect();
        assert_eq!(stored, held, "device {id}");
    }
    let org_total: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM org_buckets WHERE dimension = 'encounters'",
    )
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    let held: i64 = phones
        .iter()
        .flat_map(|p| p.state.iter())
        .filter(|((_, _, m), _)| *m == Measure::Encounters)
        .map(|(_, (c, _))| i64::from(*c))
        .sum();
    assert_eq!(
        org_total, held,
        "the organization's totals are the phones' sums"
    );
}

/// Enrols `n` phones of `org`.
async fn phones_of(server: &TestServer, org: i64, n: usize) -> (Vec<Phone>, Vec<String>) {
    let mut phones = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..n {
        let enrolled = server.enrol(org).await;
        ids.push(enrolled.device_id);
        phones.push(Phone {
            token: enrolled.token,
            clock: 0,
            acked: 0,
            state: BTreeMap::new(),
        });
    }
    (phones, ids)
}

#[tokio::test]
async fn a_full_disk_answers_503_and_loses_no_acknowledged_sync() {
    let disk = SmallDisk::mount("3m");
    let dir = tempfile::TempDir::new_in(&disk.path).expect("a data dir on the small disk");
    let server = TestServer::on(TestDb::sqlite_in(dir)).await;
    let org = server.org("Harbour").await;
    let (mut phones, ids) = phones_of(&server, org, 4).await;
    disk.fill_leaving(256 * 1024);
    let sites = ["van", "street", "drop-in"];
    let mut refused = 0;
    for round in 0..30u64 {
        for (p, phone) in phones.iter_mut().enumerate() {
            for back in 0..10 {
                phone.log(back + round % 30, sites[(p + back as usize) % 3], 1);
            }
            if sync(&server, phone).await == StatusCode::SERVICE_UNAVAILABLE {
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the disk filled up and syncs were refused");
    // Space comes back; no restart. Phones sync what they still hold unacknowledged.
    disk.free();
    for phone in &mut phones {
        assert_eq!(sync(&server, phone).await, StatusCode::OK);
    }
    assert_stored_equals_phones(&server, &phones, &ids).await;
}

/// A fault on the database for `hold`: on PostgreSQL every connection of the service is
/// terminated again and again (a connection dropped mid-transaction); on SQLite another
/// connection holds the write lock longer than the service waits for it.
async fn database_fault(location: &Location, hold: Duration) {
    let started = std::time::Instant::now();
    match location {
        Location::Postgres(url) => {
            let killer = sqlx::AnyPool::connect(url).await.expect("connect");
            while started.elapsed() < hold {
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .execute(&killer)
                .await
                .expect("terminate the service's connections");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            killer.close().await;
        }
        Location::SqliteIn(dir) => {
            let url = format!(
                "sqlite://{}",
                dir.join(peerpulse_server::db::FILE_NAME).display()
            );
            let mut lock = sqlx::AnyConnection::connect(&url).await.expect("connect");
            lock.execute("BEGIN IMMEDIATE")
                .await
                .expect("take the write lock");
            tokio::time::sleep(hold).await;
            lock.execute("ROLLBACK").await.expect("let it go");
        }
    }
}

#[tokio::test]
async fn a_lost_or_locked_database_connection_answers_503_and_loses_nothing() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let (mut phones, ids) = phones_of(&server, org, 3).await;
    let fault = tokio::spawn({
        let location = server.location().clone();
        async move { database_fault(&location, Duration::from_secs(7)).await }
    });
    let mut refused = 0;
    let mut round = 0u64;
    while !fault.is_finished() {
        for (p, phone) in phones.iter_mut().enumerate() {
            phone.log(round % 20, ["van", "street"][p % 2], 2);
            if sync(&server, phone).await == StatusCode::SERVICE_UNAVAILABLE {
                refused += 1;
            }
        }
        round += 1;
        // A phone's pace: its rate limit allows a burst, not a loop at full speed.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fault.await.expect("the fault ran");
    assert!(refused > 0, "the fault refused some syncs");
    for phone in &mut phones {
        assert_eq!(sync(&server, phone).await, StatusCode::OK);
    }
    assert_stored_equals_phones(&server, &phones, &ids).await;
}
