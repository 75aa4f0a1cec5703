//! Operating the service: `/healthz`, `/readyz` and a Prometheus `/metrics` behind a token.

mod support;

use peerpulse_core::bucket::Measure;
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use support::{TestServer, day_at_van};

const TOKEN: &str = "scrape-me-0123456789";

/// The value of the sample `series` (name and labels exactly as written) in `text`.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

async fn scrape(server: &TestServer) -> String {
    let res = server
        .client
        .get(server.at("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    res.text().await.unwrap()
}

#[tokio::test]
async fn healthz_answers_while_up_and_readyz_only_with_every_migration_applied() {
    let server = TestServer::start(None).await;
    let get = |path: &'static str| server.client.get(server.at(path)).send();
    let health = get("/healthz").await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.headers()["cache-control"], "no-store");
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.text().await.unwrap(), r#"{"status":"ready"}"#);

    // A database whose last migration is not applied is not ready; the process is still up.
    let last: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET version = $1 WHERE version = $2")
        .bind(last + 1000)
        .bind(last)
        .execute(&server.state.db)
        .await
        .unwrap();
    let ahead = get("/readyz").await.unwrap();
    assert_eq!(ahead.status(), StatusCode::SERVICE_UNAVAILABLE);
    let reason = ahead.text().await.unwrap();
    assert!(
        reason.contains("migrations this build does not know"),
        "{reason}"
    );
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(last + 1000)
        .execute(&server.state.db)
        .await
        .unwrap();
    let behind = get("/readyz").await.unwrap();
    assert_eq!(behind.status(), StatusCode::SERVICE_UNAVAILABLE);
    let reason = behind.text().await.unwrap();
    assert!(
        reason.contains(&format!("migrations not applied: [{last}]")),
        "{reason}"
    );
    assert_eq!(get("/healthz").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_do_not_exist_without_a_token_set_and_need_it_when_set() {
    let open = TestServer::start(None).await;
    let res = open.client.get(open.at("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let guarded = TestServer::configured(|s| s.with_metrics_token(Some(TOKEN))).await;
    for sent in [None, Some("wrong"), Some("scrape-me-012345678")] {
        let mut request = guarded.client.get(guarded.at("/metrics"));
        if let Some(token) = sent {
            request = request.bearer_auth(token);
        }
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{sent:?}");
    }
    scrape(&guarded).await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_sync_buckets_trends_streams_and_the_pool() {
    let server = TestServer::configured(|s| s.with_metrics_token(Some(TOKEN))).await;
    let org = server.org("Harbour").await;
    let token = server.device(org).await;
    let applied = server.sync(&token, day_at_van(6, 1, &[])).await;
    let again = server.sync(&token, day_at_van(6, 1, &[])).await;
    server.trends(&token).await;
    server.trends(&token).await;
    let admin = server.person(org, Role::Admin, "ada").await;
    for name in ["someone-1", "someone-2"] {
        let res = server
            .call(
                Method::PATCH,
                &format!("/api/v1/users/{name}"),
                Some(&admin),
                Some(serde_json::json!({"role": "viewer"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    server
        .client
        .get(server.at("/no/such/page-4711"))
        .send()
        .await
        .unwrap();
    let stream = server
        .client
        .get(server.at("/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    let text = scrape(&server).await;
    let requests = |route: &str, method: &str, status: u16| {
        sample(
            &text,
            &format!(
                "peerpulse_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("/api/v1/sync", "POST", 200), Some(2.0), "{text}");
    assert_eq!(requests("/api/v1/trends", "GET", 200), Some(2.0));
    assert_eq!(
        requests("/api/v1/users/{username}", "PATCH", 404),
        Some(2.0)
    );
    assert_eq!(requests("unmatched", "GET", 404), Some(1.0), "{text}");
    // Raw paths never become labels.
    assert!(
        !text.contains("someone-1") && !text.contains("page-4711"),
        "{text}"
    );

    let buckets = |outcome: &str| {
        sample(
            &text,
            &format!("peerpulse_sync_buckets_total{{outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(sample(&text, "peerpulse_sync_batches_total"), Some(2.0));
    assert_eq!(buckets("applied"), Some(f64::from(applied.applied)));
    assert_eq!(buckets("unchanged"), Some(f64::from(again.unchanged)));
    assert_eq!(applied.applied, 3);
    assert_eq!(
        sample(&text, "peerpulse_trends_query_seconds_count"),
        Some(2.0)
    );
    assert_eq!(sample(&text, "peerpulse_event_streams_open"), Some(1.0));
    assert!(sample(&text, "peerpulse_db_pool_connections").is_some_and(|n| n >= 1.0));
    assert!(sample(&text, "peerpulse_db_pool_idle_connections").is_some());
    assert_eq!(server.stored(org, &Measure::Encounters).await, 6);

    drop(stream);
    let closed = async {
        loop {
            if sample(&scrape(&server).await, "peerpulse_event_streams_open") == Some(0.0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), closed)
        .await
        .expect("a closed stream is counted out");
}
