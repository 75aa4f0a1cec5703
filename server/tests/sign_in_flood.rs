//! A flood of sign-ins and welcome links, unauthenticated, over HTTP: password hashing is
//! bounded, so the flood is answered quickly (401, 403 or 503) and the process's memory does
//! not grow with it. Its own test binary, so the memory measured is this test's alone.

mod support;

use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::TestServer;

/// A figure of the process's `/proc/self/status`, in MiB.
fn status_mib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("read /proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect(field)
        / 1024
}

/// The process's peak resident memory so far, in MiB.
fn peak_mib() -> u64 {
    status_mib("VmHWM:")
}

#[tokio::test]
async fn a_flood_of_sign_ins_is_answered_quickly_without_taking_memory() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    server.person(org, Role::Admin, "ada").await;
    let (before, resident_before) = (peak_mib(), status_mib("VmRSS:"));
    let started = std::time::Instant::now();
    let sign_ins = (0..64).map(|i| {
        let body = json!({"organization": "harbour", "username": if i % 2 == 0 { "ada" } else { "nobody" }, "password": format!("guess number {i}")});
        server.call(Method::POST, "/api/v1/session", None, Some(body))
    });
    let welcomes = (0..64).map(|i| {
        let body = json!({"token": format!("{i:064x}"), "username": format!("user{i}"), "password": "a long enough secret"});
        server.call(Method::POST, "/api/v1/welcome", None, Some(body))
    });
    let (sign_ins, welcomes) = tokio::join!(
        futures_util::future::join_all(sign_ins),
        futures_util::future::join_all(welcomes)
    );
    let elapsed = started.elapsed();
    let mut busy = 0;
    for res in &sign_ins {
        match res.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(res.headers().contains_key("retry-after"));
                busy += 1;
            }
            other => panic!("a sign-in answered {other}"),
        }
    }
    assert!(
        busy > 0,
        "beyond the hashing threads and their queue, sign-ins are told to wait"
    );
    // An unknown link is refused before any password is hashed for it.
    for res in &welcomes {
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let grown = peak_mib().saturating_sub(before);
    println!(
        "128 requests answered in {elapsed:?}; peak memory grew {grown} MiB; {busy} told to wait"
    );
    // One argon2 hash takes 19 MiB: unbounded, 64 at once took over 1 GiB.
    assert!(grown < 150, "peak memory grew {grown} MiB");
    // And it goes back: the hashes' blocks are returned to the system when freed, not kept
    // in the hashing threads' heaps (before, a flood left ~160 MiB behind for good).
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let kept = status_mib("VmRSS:").saturating_sub(resident_before);
    println!("{kept} MiB kept after the flood");
    assert!(kept < 60, "{kept} MiB kept after the flood");
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
}
