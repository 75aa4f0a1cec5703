//! The service under load: 50 phones syncing at once over loopback HTTP (bucket upserts per
//! second), then the trends query over everything stored (p95), again once the database holds
//! 10 million device bucket rows, and the process's resident memory. Prints a table; with `PEERPULSE_BENCH_OUT` set also appends the figures. With
//! `PEERPULSE_TEST_POSTGRES` set, runs on PostgreSQL too.

mod support;

use chrono::{Days, Utc};
use peerpulse_core::bucket::Measure;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::{BucketUpdate, MAX_BATCH, SyncRequest};
use peerpulse_server::db::{Location, devices, enrolment, orgs};
use peerpulse_server::{AppState, serve};
use std::time::Instant;
use support::record;

const DEVICES: usize = 50;
const BATCHES_PER_DEVICE: u64 = 20;
const TREND_QUERIES: usize = 50;
/// Device bucket rows stored for the second trends figure.
const LARGE: u64 = 10_000_000;
/// Measures per day and site in the rows added to reach [`LARGE`] (a large codebook).
const FILL_MEASURES: u64 = 129;
/// Sites in the added rows.
const FILL_SITES: u64 = 4;

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
    let state = AppState::open(
        &location,
        peerpulse_server::secrets::CodeKey::random().expect("a code key"),
        None,
    )
    .await
    .expect("open the database");
    let org = orgs::create(&state.db, "Bench").await.expect("org");
    let (mut tokens, mut device_ids) = (Vec::new(), Vec::new());
    for _ in 0..DEVICES {
        let code =
            enrolment::create_code(&state.db, &state.code_key, org, chrono::Duration::days(1))
                .await
                .expect("code");
        let enrolled = devices::enrol(&state.db, &state.code_key, &code, None)
            .await
            .expect("enrol")
            .expect("enrolled");
        tokens.push(enrolled.token);
        device_ids.push(enrolled.device_id);
    }
    let db = state.db.clone();
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

    let rows = DEVICES as u64 * (BATCHES_PER_DEVICE * MAX_BATCH as u64).min(365 * 32);
    let p95 = trends_p95(&client, &base, &tokens).await;
    record(
        &format!("trends query p95 ({backend})"),
        p95,
        "ms",
        &format!(
            "{TREND_QUERIES} GET /api/v1/trends?period=<last month> over {rows} stored device bucket rows on {backend}"
        ),
    );

    // Every phone a year of a large codebook more, written straight into the database (the
    // triggers keep the organization's totals as a sync would), up to 10 million rows.
    let per_device = (LARGE - rows).div_ceil(DEVICES as u64);
    let filling = Instant::now();
    for device in &device_ids {
        fill(&db, org, device, per_device, backend).await;
    }
    let stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM device_buckets")
        .fetch_one(&db)
        .await
        .expect("count rows");
    println!(
        "filled to {stored} device bucket rows in {:.0} s",
        filling.elapsed().as_secs_f64()
    );
    let p95 = trends_p95(&client, &base, &tokens).await;
    record(
        &format!("trends query p95 at 10M rows ({backend})"),
        p95,
        "ms",
        &format!(
            "{TREND_QUERIES} GET /api/v1/trends?period=<last month> over {stored} stored device bucket rows \
             (50 phones, a year, {FILL_SITES} sites x {FILL_MEASURES} measures each) on {backend}; \
             read from the organization totals the triggers keep"
        ),
    );
    record(
        &format!("peak resident memory ({backend})"),
        resident_mib(),
        "MiB",
        "VmHWM of the bench process (service, load generator and database client together)",
    );
}

/// p95 in milliseconds of [`TREND_QUERIES`] requests for last month's trends by week (what a
/// phone reads; a person's read of the month by day costs the same query).
async fn trends_p95(client: &reqwest::Client, base: &str, tokens: &[String]) -> f64 {
    let last_month = Period::containing(Granularity::Month, Utc::now().date_naive()).previous();
    let mut times = Vec::new();
    for i in 0..TREND_QUERIES {
        let started = Instant::now();
        let res = client
            .get(format!("{base}/api/v1/trends?period={last_month}"))
            .bearer_auth(&tokens[i % tokens.len()])
            .send()
            .await
            .expect("trends");
        assert!(res.status().is_success());
        res.bytes().await.expect("trends body");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times[(times.len() * 95).div_ceil(100) - 1]
}

/// Adds `count` rows for `device` of `org`: a day after another going back from today, each
/// with every fill site and measure.
async fn fill(db: &sqlx::AnyPool, org: i64, device: &str, count: u64, backend: &str) {
    let per_day = FILL_SITES * FILL_MEASURES;
    let sql = if backend == "SQLite" {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $3) \
             INSERT INTO device_buckets \
               (device_id, org_id, day, site, dimension, value, count, version, cell_key, updated_at) \
             SELECT $1, $2, date('now', '-' || (i / {per_day}) || ' days'), \
               'fill-site-' || (i % {FILL_SITES}), 'need', 'fill-' || ((i / {FILL_SITES}) % {FILL_MEASURES}), \
               1 + i % 7, 1, abs(random() % 4294967296), '2026-01-01T00:00:00Z' FROM n"
        )
    } else {
        format!(
            "INSERT INTO device_buckets \
               (device_id, org_id, day, site, dimension, value, count, version, updated_at) \
             SELECT $1, $2, to_char(current_date - (i / {per_day})::int, 'YYYY-MM-DD'), \
               'fill-site-' || (i % {FILL_SITES}), 'need', 'fill-' || ((i / {FILL_SITES}) % {FILL_MEASURES}), \
               1 + i % 7, 1, '2026-01-01T00:00:00Z' FROM generate_series(0, $3 - 1) AS i"
        )
    };
    sqlx::query(&sql)
        .bind(device)
        .bind(org)
        .bind(i64::try_from(count).expect("row count fits"))
        .execute(db)
        .await
        .expect("fill rows");
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
