//! The service under load: 50 phones syncing at once over loopback HTTP (bucket upserts per
//! second), then the trends query over everything stored (p95), and the process's resident
//! memory. Prints a table; with `PEERPULSE_BENCH_OUT` set also appends the figures. With
//! `PEERPULSE_TEST_POSTGRES` set, runs on PostgreSQL too.

mod support;

use chrono::{Days, Utc};
use peerpulse_core::bucket::Measure;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::protocol::{BucketUpdate, MAX_BATCH, SyncRequest};
use peerpulse_server::db::{Location, devices, enrolment, orgs};
use peerpulse_server::{AppState, serve};
use std::time::Instant;
use support::record;

const DEVICES: usize = 50;
const BATCHES_PER_DEVICE: u64 = 20;
const TREND_QUERIES: usize = 50;

/// Batch `n` of a device: 1,000 distinct buckets (day, site, need), version `n + 1`.
fn batch(n: u64, book: &Codebook) -> SyncRequest {
    let today = Utc::now().date_naive();
    let sites: Vec<_> = book
        .entries(CodeList::Site)
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let needs: Vec<_> = book
        .entries(CodeList::Need)
        .iter()
        .map(|e| e.code.clone())
        .collect();
    let per_day = (sites.len() * needs.len()) as u64;
    let buckets = (0..MAX_BATCH as u64)
        .map(|i| {
            let slot = (n * MAX_BATCH as u64 + i) % (365 * per_day);
            BucketUpdate {
                day: today - Days::new(slot / per_day),
                site: sites[(slot % per_day) as usize / needs.len()].clone(),
                measure: Measure::Need(needs[(slot % per_day) as usize % needs.len()].clone()),
                count: 1 + (i % 7) as u32,
                version: n + 1,
            }
        })
        .collect();
    SyncRequest {
        buckets,
        codebook_version: 1,
    }
}

fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn load(location: Location, backend: &str) {
    let state = AppState::open(&location, None)
        .await
        .expect("open the database");
    let org = orgs::create(&state.db, "Bench").await.expect("org");
    let mut tokens = Vec::new();
    for _ in 0..DEVICES {
        let code = enrolment::create_code(&state.db, org, chrono::Duration::days(1))
            .await
            .expect("code");
        tokens.push(
            devices::enrol(&state.db, &code)
                .await
                .expect("enrol")
                .expect("enrolled")
                .token,
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(serve(listener, state));
    let book = Codebook::harm_reduction_default();
    let bodies: Vec<Vec<u8>> = (0..BATCHES_PER_DEVICE)
        .map(|n| serde_json::to_vec(&batch(n, &book)).expect("serialize"))
        .collect();
    let bodies = std::sync::Arc::new(bodies);
    let client = reqwest::Client::new();

    let started = Instant::now();
    let phones: Vec<_> = tokens
        .iter()
        .map(|token| {
            let (client, token, bodies, url) = (
                client.clone(),
                token.clone(),
                bodies.clone(),
                format!("{base}/api/v1/sync"),
            );
            tokio::spawn(async move {
                for body in bodies.iter() {
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .expect("sync");
                    let status = res.status();
                    assert!(
                        status.is_success(),
                        "sync refused: {status} {}",
                        res.text().await.unwrap_or_default()
                    );
                }
            })
        })
        .collect();
    for phone in phones {
        phone.await.expect("a phone's syncs");
    }
    let seconds = started.elapsed().as_secs_f64();
    let upserts = (DEVICES as u64 * BATCHES_PER_DEVICE * MAX_BATCH as u64) as f64;
    let method = format!(
        "{DEVICES} phones at once, {BATCHES_PER_DEVICE} requests of {MAX_BATCH} buckets each over loopback HTTP, service and load generator in one process on {backend} (bench profile)"
    );
    record(
        &format!("bucket upserts per second ({backend})"),
        upserts / seconds,
        "/s",
        &method,
    );

    let mut times = Vec::new();
    for i in 0..TREND_QUERIES {
        let started = Instant::now();
        let res = client
            .get(format!("{base}/api/v1/trends?days=30"))
            .bearer_auth(&tokens[i % DEVICES])
            .send()
            .await
            .expect("trends");
        assert!(res.status().is_success());
        res.bytes().await.expect("trends body");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let p95 = times[(times.len() * 95).div_ceil(100) - 1];
    let rows = DEVICES as u64 * (BATCHES_PER_DEVICE * MAX_BATCH as u64).min(365 * 32);
    record(
        &format!("trends query p95 ({backend})"),
        p95,
        "ms",
        &format!(
            "{TREND_QUERIES} GET /api/v1/trends?days=30 over {rows} stored device bucket rows on {backend}"
        ),
    );
    record(
        &format!("peak resident memory ({backend})"),
        resident_mib(),
        "MiB",
        "VmHWM of the bench process (service, load generator and database client together)",
    );
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_env_filter("error").init();
    let dir = tempfile::tempdir().expect("temp dir");
    load(Location::SqliteIn(dir.path().to_owned()), "SQLite").await;
    if let Ok(server) = std::env::var("PEERPULSE_TEST_POSTGRES") {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&format!("{server}/postgres"))
            .await
            .expect("postgres");
        sqlx::query("CREATE DATABASE bench_load")
            .execute(&admin)
            .await
            .expect("create db");
        load(
            Location::Postgres(format!("{server}/bench_load")),
            "PostgreSQL",
        )
        .await;
    }
}
