//! One phone's year of entries synced from nothing to a real service over loopback HTTP:
//! wall time, requests, and bytes. Prints a table; with `PEERPULSE_BENCH_OUT` set (as
//! `scripts/bench` does) also appends the figures there. Not a test: nothing is asserted
//! about speed. With `PEERPULSE_TEST_POSTGRES` set, it runs on PostgreSQL too.

mod support;

use chrono::{Days, Utc};
use peerpulse_core::bucket::{BucketKey, Tally, changes};
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterId, EncounterKind, Quantity, Reach, TimeBand,
};
use peerpulse_core::protocol::{
    BucketUpdate, MAX_BATCH, SyncRequest, SyncResponse, whole_versions,
};
use peerpulse_server::db::{Location, devices, enrolment, orgs};
use peerpulse_server::{AppState, serve};
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;
use support::record;

const ENCOUNTERS: u64 = 5_000;

/// A small deterministic generator, so every run syncs the same year.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A year of realistic entries: one or two needs, often a topic, supplies half the time.
fn year_of_entries() -> Vec<Encounter> {
    let book = Codebook::harm_reduction_default();
    let mut rng = Rng(0x5eed_cafe);
    let today = Utc::now().date_naive();
    (0..ENCOUNTERS)
        .map(|n| {
            // Each entry is logged on its own day, so a window of 0 days is all it needs.
            let day = today - Days::new(n * 365 / ENCOUNTERS);
            let mut pick = |list| {
                let entries = book.entries(list);
                entries[rng.below(entries.len() as u64) as usize]
                    .code
                    .clone()
            };
            let mut draft = EncounterDraft {
                site: Some(pick(CodeList::Site)),
                needs: [pick(CodeList::Need)].into(),
                topics: [pick(CodeList::Topic)].into(),
                ..EncounterDraft::new(day, TimeBand::Evening)
            };
            draft.insights.insert(pick(CodeList::Insight));
            if n % 2 == 0 {
                draft
                    .supplies
                    .insert(pick(CodeList::Supply), Quantity::new(10).expect("10"));
            }
            draft.kind = Some(EncounterKind::ALL[(n % 5) as usize]);
            draft.reach = Some(Reach::ALL[(n % 4) as usize]);
            draft
                .validate(
                    EncounterId::new(&format!("e{n}")).expect("id"),
                    day,
                    EditWindow::new(0).expect("window"),
                    &book,
                )
                .expect("a valid encounter")
        })
        .collect()
}

/// The phone's buckets after saving every entry, one clock tick per save.
fn tallies(entries: &[Encounter]) -> BTreeMap<BucketKey, Tally> {
    let mut tallies: BTreeMap<BucketKey, Tally> = BTreeMap::new();
    for (clock, entry) in (1u64..).zip(entries) {
        for (key, change) in changes(None, Some(entry)) {
            let tally = tallies.entry(key.clone()).or_default();
            *tally = tally.changed(&key, change, clock).expect("counting up");
        }
    }
    tallies
}

struct Run {
    backend: &'static str,
    buckets: usize,
    requests: u32,
    request_bytes: usize,
    request_gzip_bytes: usize,
    response_bytes: usize,
    seconds: f64,
}

async fn sync_year(location: Location, backend: &'static str) -> Run {
    let state = AppState::open(
        &location,
        peerpulse_server::secrets::CodeKey::random().expect("a code key"),
        None,
    )
    .await
    .expect("open the database");
    let org = orgs::create(&state.db, "Bench").await.expect("org");
    let code = enrolment::create_code(&state.db, &state.code_key, org, chrono::Duration::days(1))
        .await
        .expect("code");
    let device = devices::enrol(&state.db, &state.code_key, &code, None)
        .await
        .expect("enrol")
        .expect("a fresh code enrols");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/api/v1/sync",
        listener.local_addr().expect("address")
    );
    tokio::spawn(serve(listener, state));

    let tallies = tallies(&year_of_entries());
    let mut pending: Vec<BucketUpdate> = tallies
        .iter()
        .map(|(key, tally)| BucketUpdate {
            day: key.day,
            site: key.site.clone(),
            measure: key.measure.clone(),
            count: tally.count,
            version: tally.version,
        })
        .collect();
    pending.sort_by_key(|u| u.version);
    let client = reqwest::Client::new();
    let (mut requests, mut request_bytes, mut request_gzip_bytes, mut response_bytes) =
        (0, 0, 0, 0);
    let mut acked = 0;
    let started = Instant::now();
    loop {
        let batch: Vec<BucketUpdate> = pending
            .iter()
            .filter(|u| u.version > acked)
            .take(MAX_BATCH)
            .cloned()
            .collect();
        let batch = whole_versions(batch, MAX_BATCH);
        if batch.is_empty() {
            break;
        }
        let body = serde_json::to_vec(&SyncRequest {
            buckets: batch,
            codebook_version: 1,
        })
        .expect("serialize");
        // Gzipped as the phone sends it (CompressionStream, zlib's default level).
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&body).expect("gzip");
        let packed = gz.finish().expect("gzip");
        request_gzip_bytes += packed.len();
        request_bytes += body.len();
        let answer = client
            .post(&url)
            .bearer_auth(&device.token)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(packed)
            .send()
            .await
            .expect("sync request");
        let bytes = answer.bytes().await.expect("answer");
        response_bytes += bytes.len();
        requests += 1;
        let answer: SyncResponse = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)));
        assert!(
            answer.acked_through > acked,
            "each batch moves the ack forward"
        );
        acked = answer.acked_through;
    }
    pending.retain(|u| u.version > acked);
    assert!(pending.is_empty(), "everything was acknowledged");
    Run {
        backend,
        buckets: tallies.len(),
        requests,
        request_bytes,
        request_gzip_bytes,
        response_bytes,
        seconds: started.elapsed().as_secs_f64(),
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut runs = vec![sync_year(Location::SqliteIn(dir.path().to_owned()), "SQLite").await];
    if let Ok(server) = std::env::var("PEERPULSE_TEST_POSTGRES") {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&format!("{server}/postgres"))
            .await
            .expect("postgres");
        sqlx::query("CREATE DATABASE bench_sync_year")
            .execute(&admin)
            .await
            .expect("create db");
        runs.push(
            sync_year(
                Location::Postgres(format!("{server}/bench_sync_year")),
                "PostgreSQL",
            )
            .await,
        );
    }
    for run in runs {
        let method = format!(
            "{ENCOUNTERS} encounters over 365 days -> {} buckets, synced from nothing in batches of {MAX_BATCH} over loopback HTTP to the release service on {}",
            run.buckets, run.backend
        );
        let b = run.backend;
        record(
            &format!("year sync ({b}), wall time"),
            run.seconds * 1000.0,
            "ms",
            &method,
        );
        record(
            &format!("year sync ({b}), requests"),
            f64::from(run.requests),
            "",
            &method,
        );
        record(
            &format!("year sync ({b}), request JSON before gzip"),
            run.request_bytes as f64 / 1024.0,
            "KiB",
            &method,
        );
        record(
            &format!("year sync ({b}), request bodies on the wire (gzip)"),
            run.request_gzip_bytes as f64 / 1024.0,
            "KiB",
            &method,
        );
        record(
            &format!("year sync ({b}), answers"),
            run.response_bytes as f64 / 1024.0,
            "KiB",
            &method,
        );
    }
}
