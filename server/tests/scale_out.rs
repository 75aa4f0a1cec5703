//! Several instances on one PostgreSQL behind a load balancer: a dashboard open on one hears
//! the syncs made through another, and a phone's request limit holds across them.

mod support;

use peerpulse_core::people::Role;
use peerpulse_server::db::Location;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use support::{TestServer, day_at_van};

/// Two instances on one database, each knowing there are two; `None` on SQLite, where one
/// process owns the database.
async fn two_instances() -> Option<(TestServer, TestServer)> {
    let a = TestServer::configured(|s| s.with_instances(2)).await;
    if matches!(a.location(), Location::SqliteIn(_)) {
        eprintln!("scale-out needs PostgreSQL: run under scripts/with-postgres");
        return None;
    }
    let b = a.beside_with(|s| s.with_instances(2)).await;
    Some((a, b))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_on_one_instance_sees_a_sync_through_another_within_two_seconds() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let org = a.org("Harbour").await;
    let manager = a.person(org, Role::Manager, "max").await;
    let phone = b.device(org).await;
    let mut stream = a
        .client
        .get(a.at("/api/v1/events"))
        .header("cookie", &manager.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    // The stream is open once its headers came; give its subscription a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for round in 1..=3u64 {
        let synced = Instant::now();
        b.sync(&phone, day_at_van(5 + round as u32, round, &[]))
            .await;
        let heard = tokio::time::timeout(Duration::from_secs(2), async {
            loop {
                let chunk = stream
                    .chunk()
                    .await
                    .unwrap()
                    .expect("the stream stays open");
                if String::from_utf8_lossy(&chunk).contains("event: changed") {
                    break;
                }
            }
        })
        .await;
        assert!(heard.is_ok(), "round {round}: no event within 2 s");
        eprintln!(
            "round {round}: heard on A {:?} after the sync through B",
            synced.elapsed()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phones_request_limit_holds_across_instances() {
    let Some((a, b)) = two_instances().await else {
        return;
    };
    let org = a.org("Harbour").await;
    let phone = a.device(org).await;
    let body = serde_json::json!({"buckets": [], "codebook_version": 1});
    let started = Instant::now();
    let (mut allowed, mut refused) = (0u32, 0u32);
    // A round-robin balancer: requests alternate between the instances.
    for i in 0..200 {
        let server = if i % 2 == 0 { &a } else { &b };
        let (status, _) = server.sync_raw(&phone, &body).await;
        match status {
            StatusCode::OK => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("{other}"),
        }
    }
    // The limit is a burst of 120 and 2 a second after it, for the phone over all instances.
    let refill = (started.elapsed().as_secs_f64() * 2.0).ceil() as u32 + 2;
    assert!(
        allowed <= peerpulse_server::RATE_BURST + refill,
        "{allowed} allowed in {:?}",
        started.elapsed()
    );
    assert!(allowed >= peerpulse_server::RATE_BURST - 2, "{allowed}");
    assert!(refused > 0);
}
