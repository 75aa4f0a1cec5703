//! A flood of sign-ins from many addresses at once, each with its own unknown username, so
//! neither throttle stops it and every request asks for a password hash: how long the flood
//! takes to be answered, how many are told to come back (503), how far the service's peak
//! memory grows, and how much of it stays once the flood is over. The service runs as its
//! own process (the release binary), so the memory read from `/proc` is the service's alone.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::record;

/// Sign-ins sent at once.
const FLOOD: usize = 512;

/// A figure of `/proc/<pid>/status` in MiB.
fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `FLOOD` sign-ins at once, each from its own address (127.0.x.y) with its own unknown
/// username; returns how long they took and how many were told to come back.
async fn flood(url: &str, clients: &[reqwest::Client]) -> (Duration, usize) {
    let started = Instant::now();
    let answers = futures_util::future::join_all(clients.iter().enumerate().map(|(i, client)| {
        client
            .post(url)
            .json(&serde_json::json!({
                "organization": "peerpulse-demo",
                "username": format!("guess{i}"),
                "password": format!("guess number {i}"),
            }))
            .send()
    }))
    .await;
    let busy = answers
        .iter()
        .filter(|a| a.as_ref().is_ok_and(|r| r.status() == 503))
        .count();
    (started.elapsed(), busy)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut service = Command::new(env!("CARGO_BIN_EXE_peerpulse-server"))
        .args(["serve", "--addr", "127.0.0.1:0", "--static-dir", "none"])
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the service");
    let pid = service.id();
    let base = BufReader::new(service.stdout.take().expect("its output"))
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("PeerPulse is running at ")
                .map(str::to_owned)
        })
        .expect("the service started");
    let url = format!("{base}/api/v1/session");
    let clients: Vec<reqwest::Client> = (0..FLOOD)
        .map(|i| {
            let address = format!("127.0.{}.{}", 1 + i / 250, 1 + i % 250);
            reqwest::Client::builder()
                .local_address(Some(address.parse().expect("an address")))
                .build()
                .expect("a client")
        })
        .collect();
    // One sign-in first, so the hashing threads exist before the baseline.
    let _ = flood(&url, &clients[..1]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (peak_before, resident_before) = (status_mib(pid, "VmHWM:"), status_mib(pid, "VmRSS:"));
    let (answered, busy) = flood(&url, &clients).await;
    let peak_growth = status_mib(pid, "VmHWM:") - peak_before;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let kept = status_mib(pid, "VmRSS:") - resident_before;
    let _ = service.kill();
    let _ = service.wait();
    let method = format!(
        "{FLOOD} sign-ins at once over loopback HTTP, each from its own address with its own unknown username (no throttle applies); the release service on SQLite, its memory from /proc"
    );
    record(
        "sign-in flood answered in",
        answered.as_secs_f64() * 1000.0,
        "ms",
        &method,
    );
    record(
        "sign-in flood told to come back (503)",
        busy as f64,
        "req",
        &method,
    );
    record(
        "sign-in flood service peak memory growth",
        peak_growth,
        "MiB",
        &method,
    );
    record(
        "sign-in flood service memory kept 2 s after",
        kept,
        "MiB",
        "the service's resident memory 2 s after the flood minus before it",
    );
}
