//! The sync and trends API over real HTTP against a real SQLite database.

mod support;

use chrono::Days;
use peerpulse_core::bucket::Measure;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::{BucketUpdate, TrendsResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestServer, assert_near, code, day_at, day_at_van, reported, today, update};

#[tokio::test]
async fn synced_counts_show_in_the_org_trends() {
    let (server, _, token) = TestServer::with_device("Harbour Health").await;
    let answer = server
        .sync(
            &token,
            day_at_van(27, 3, &[(Measure::Need(code("housing")), 16)]),
        )
        .await;
    assert_eq!(
        (answer.acked_through, answer.applied, answer.unchanged),
        (3, 4, 0)
    );
    assert!(answer.rejected.is_empty());
    let trends = server.trends(&token).await;
    assert_eq!(trends.org_name, "Harbour Health");
    assert_near(reported(&trends, &Measure::Encounters), 27);
    assert_near(reported(&trends, &Measure::Need(code("housing"))), 16);
}

#[tokio::test]
async fn stored_totals_that_cannot_be_read_are_skipped_and_the_rest_still_shows() {
    let (server, org, token) = TestServer::with_device("Org").await;
    server
        .sync(
            &token,
            day_at_van(27, 3, &[(Measure::Need(code("housing")), 16)]),
        )
        .await;
    let before = server.trends(&token).await;
    // Rows no sync could write: an unknown dimension, a value that is no code, a value holding
    // the separators the query packs counts with, a negative count and an unreadable site.
    for (site, dimension, value, count) in [
        ("van", "mood", "calm", 9),
        ("van", "need", "Not A Code", 9),
        ("van", "need", "food\u{1f}9\u{1e}need\u{1f}food", 9),
        ("van", "need\u{1f}food\u{1f}9\u{1e}need", "food", 9),
        ("Van Site", "need", "food", 9),
    ] {
        sqlx::query(
            "INSERT INTO org_buckets (org_id, day, site, dimension, value, count) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org)
        .bind(today().to_string())
        .bind(site)
        .bind(dimension)
        .bind(value)
        .bind(count)
        .execute(&server.state.db)
        .await
        .unwrap();
    }
    let trends = server.trends(&token).await;
    assert_eq!(
        trends, before,
        "the unreadable rows change nothing published"
    );
    assert_eq!(reported(&trends, &Measure::Need(code("food"))), None);
}

#[tokio::test]
async fn the_same_sync_sent_twice_changes_nothing() {
    let (server, _, token) = TestServer::with_device("Org").await;
    let batch = day_at_van(19, 4, &[]);
    server.sync(&token, batch.clone()).await;
    let before = server.trends(&token).await;
    let again = server.sync(&token, batch).await;
    assert_eq!((again.applied, again.unchanged), (0, 3));
    assert_eq!(server.trends(&token).await, before);
}

#[tokio::test]
async fn an_older_version_arriving_late_does_not_overwrite_a_newer_one() {
    let (server, org, token) = TestServer::with_device("Org").await;
    server.sync(&token, day_at_van(8, 10, &[])).await;
    let late = server.sync(&token, day_at_van(5, 6, &[])).await;
    assert_eq!((late.applied, late.unchanged), (0, 3));
    assert_eq!(server.stored(org, &Measure::Encounters).await, 8);
    // A newer, lower count (an entry deleted on the phone) does lower the total.
    server.sync(&token, day_at_van(6, 11, &[])).await;
    assert_eq!(server.stored(org, &Measure::Encounters).await, 6);
}

#[tokio::test]
async fn devices_of_one_org_sum_and_another_org_sees_none_of_it() {
    let server = TestServer::start(None).await;
    let org = server.org("Org A").await;
    let other = server.org("Org B").await;
    let (a1, a2, b) = (
        server.device(org).await,
        server.device(org).await,
        server.device(other).await,
    );
    server.sync(&a1, day_at_van(14, 1, &[])).await;
    server.sync(&a2, day_at_van(13, 1, &[])).await;
    assert_eq!(server.stored(org, &Measure::Encounters).await, 27);
    assert_near(
        reported(&server.trends(&a1).await, &Measure::Encounters),
        27,
    );
    let theirs = server.trends(&b).await;
    assert_eq!(theirs.org_name, "Org B");
    assert!(theirs.totals.is_empty(), "{:?}", theirs.totals);
}

#[tokio::test]
async fn counts_below_the_threshold_are_not_published_and_look_like_none() {
    let (server, _, token) = TestServer::with_device("Org").await;
    server
        .sync(
            &token,
            day_at_van(
                30,
                2,
                &[
                    (Measure::Need(code("food")), 4),
                    (Measure::Need(code("housing")), 0),
                ],
            ),
        )
        .await;
    let trends = server.trends(&token).await;
    assert_eq!(trends.threshold, 5);
    assert_near(reported(&trends, &Measure::Encounters), 30);
    // Four and none read the same: not listed.
    assert_eq!(reported(&trends, &Measure::Need(code("food"))), None);
    assert_eq!(reported(&trends, &Measure::Need(code("housing"))), None);
}

async fn assert_json_error(res: reqwest::Response, status: StatusCode, error: &str) -> String {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.expect("JSON error body");
    assert_eq!(body["error"], error, "{body}");
    let message = body["message"].as_str().expect("message").to_owned();
    assert!(!message.is_empty());
    message
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401_with_a_json_error() {
    let server = TestServer::start(None).await;
    let none = server
        .client
        .post(server.at("/api/v1/sync"))
        .json(&json!({"buckets": []}))
        .send()
        .await
        .unwrap();
    let message = assert_json_error(none, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(message.contains("Bearer"), "{message}");

    let wrong = server
        .client
        .get(server.at("/api/v1/trends"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_json_error(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let org = server.org("Org").await;
    let token = server.device(org).await;
    let trends_with = |authorization: String| {
        server
            .client
            .get(server.at("/api/v1/trends"))
            .header("authorization", authorization)
            .send()
    };
    let other_scheme = trends_with(format!("Basic {token}")).await.unwrap();
    let message = assert_json_error(other_scheme, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(message.contains("Bearer <token>"), "{message}");
    // The scheme name is case-insensitive in HTTP.
    let lower = trends_with(format!("bearer {token}")).await.unwrap();
    assert_eq!(lower.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_enrolment_code_works_once() {
    let server = TestServer::start(None).await;
    let org = server.org("Org").await;
    let code = server.code(org).await;
    let enrol = || {
        server
            .client
            .post(server.at("/api/v1/enrol"))
            .json(&json!({ "code": code.to_lowercase() }))
            .send()
    };
    assert_eq!(enrol().await.unwrap().status(), StatusCode::CREATED);
    let second = enrol().await.unwrap();
    let message = assert_json_error(second, StatusCode::FORBIDDEN, "enrolment_code_invalid").await;
    assert!(message.contains("ask your manager"), "{message}");
}

#[tokio::test]
async fn an_expired_or_malformed_enrolment_code_is_refused() {
    let server = TestServer::start(None).await;
    let org = server.org("Org").await;
    let expired = peerpulse_server::db::enrolment::create_code(
        &server.state.db,
        &server.state.code_key,
        org,
        chrono::Duration::seconds(-1),
    )
    .await
    .unwrap();
    let res = server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&json!({ "code": expired.to_string() }))
        .send()
        .await
        .unwrap();
    assert_json_error(res, StatusCode::FORBIDDEN, "enrolment_code_invalid").await;

    let res = server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&json!({ "code": "0000" }))
        .send()
        .await
        .unwrap();
    let message = assert_json_error(res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    assert!(message.contains("8 letters and digits"), "{message}");
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_reasons_and_store_nothing() {
    let (server, _, token) = TestServer::with_device("Org").await;
    let day = today().to_string();
    let cases = [
        (
            json!({"buckets": [{"day": day, "site": "van", "dimension": "encounters", "count": -3, "version": 1}]}),
            "count",
        ),
        (
            json!({"buckets": [{"day": day, "site": "van", "dimension": "encounters", "count": 9, "version": 1, "name": "Jo"}]}),
            "name",
        ),
        (
            json!({"buckets": [{"day": day, "site": "van", "dimension": "encounters", "count": "many", "version": 1}]}),
            "many",
        ),
        (json!({"buckets": "all of them"}), "buckets"),
    ];
    for (body, mentions) in cases {
        let (status, answer) = server.sync_raw(&token, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"], "invalid_body");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(mentions), "{message}");
    }
    let broken = server
        .client
        .post(server.at("/api/v1/sync"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"buckets\": [")
        .send()
        .await
        .unwrap();
    assert_json_error(broken, StatusCode::BAD_REQUEST, "invalid_body").await;
    assert!(server.trends(&token).await.totals.is_empty());
}

#[tokio::test]
async fn an_invalid_bucket_is_rejected_alone_while_the_rest_land() {
    let (server, org, token) = TestServer::with_device("Org").await;
    let answer = server
        .sync(
            &token,
            day_at_van(
                6,
                2,
                &[
                    (Measure::Topic(code("astrology")), 6),
                    (Measure::Need(code("food")), 999_999),
                ],
            ),
        )
        .await;
    assert_eq!(answer.applied, 3);
    assert_eq!(answer.acked_through, 2);
    let reasons: Vec<Value> = answer
        .rejected
        .iter()
        .map(|r| serde_json::to_value(r).unwrap()["reason"].clone())
        .collect();
    assert_eq!(reasons, vec![json!("unknown-code"), json!("absurd-count")]);
    assert_eq!(server.stored(org, &Measure::Encounters).await, 6);
    assert_eq!(server.stored(org, &Measure::Need(code("food"))).await, 0);
}

#[tokio::test]
async fn oversized_bodies_and_batches_are_refused_with_json() {
    let (server, _, token) = TestServer::with_device("Org").await;
    // Just over the limit, and far over it, to an endpoint with and one without a token.
    for (path, kib) in [
        ("/api/v1/sync", 300),
        ("/api/v1/sync", 1024),
        ("/api/v1/enrol", 1024),
    ] {
        let huge = server
            .client
            .post(server.at(path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(format!(
                "{{\"buckets\": [], \"pad\": \"{}\"}}",
                "x".repeat(kib * 1024)
            ))
            .send()
            .await
            .unwrap();
        let message =
            assert_json_error(huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert!(message.contains("256 KiB"), "{path} {kib} KiB: {message}");
    }

    let sites = ["van", "street", "drop-in"];
    let many: Vec<_> = (0..=peerpulse_core::protocol::MAX_BATCH as u64)
        .map(|i| {
            let mut u = update(Measure::Encounters, 1, i + 1);
            u.day = today() - chrono::Days::new(i % 400);
            u.site = code(sites[usize::try_from(i / 400).unwrap()]);
            u
        })
        .collect();
    let (status, answer) = server.sync_raw(&token, &json!({ "buckets": many })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(answer["error"], "batch_too_large");
    assert!(server.trends(&token).await.totals.is_empty());
}

#[tokio::test]
async fn trends_periods_must_be_calendar_periods() {
    let (server, _, token) = TestServer::with_device("Org").await;
    for query in [
        "days=30",
        "from=2026-11-01&to=2026-11-20",
        "period=soon",
        "period=2026-W60",
        "weeks=2",
    ] {
        let res = server
            .client
            .get(server.at(&format!("/api/v1/trends?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_json_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json_errors() {
    let server = TestServer::start(None).await;
    let res = server
        .client
        .get(server.at("/api/v2/sync"))
        .send()
        .await
        .unwrap();
    assert_json_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = server
        .client
        .get(server.at("/api/v1/sync"))
        .send()
        .await
        .unwrap();
    assert_json_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn the_pwa_is_served_with_client_routes_falling_back_to_their_shells() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>shell</html>").unwrap();
    std::fs::write(dist.path().join("sw.js"), "// worker").unwrap();
    std::fs::create_dir(dist.path().join("org-app")).unwrap();
    std::fs::write(
        dist.path().join("org-app/index.html"),
        "<html>organization</html>",
    )
    .unwrap();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    let shell = server
        .client
        .get(server.at("/trends"))
        .send()
        .await
        .unwrap();
    assert_eq!(shell.status(), StatusCode::OK);
    assert_eq!(shell.headers()["cache-control"], "no-cache");
    assert_eq!(shell.text().await.unwrap(), "<html>shell</html>");
    let worker = server.client.get(server.at("/sw.js")).send().await.unwrap();
    assert_eq!(worker.text().await.unwrap(), "// worker");
    // The organization's pages are another bundle with its own shell.
    for path in ["/org", "/brief?from=2026-11-01&to=2026-11-07", "/welcome"] {
        let page = server.client.get(server.at(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache");
        assert_eq!(page.text().await.unwrap(), "<html>organization</html>");
    }
    // The API's own namespace never falls back to the shell, not even at its root.
    for path in ["/api", "/api/", "/api/nothing"] {
        let api = server.client.get(server.at(path)).send().await.unwrap();
        assert_json_error(api, StatusCode::NOT_FOUND, "not_found").await;
    }
}

#[tokio::test]
async fn the_pwa_sends_the_precompressed_copy_the_browser_accepts() {
    let dist = tempfile::tempdir().unwrap();
    for (name, body) in [
        ("index.html", "<html>shell</html>"),
        ("index.html.br", "brotli shell"),
        ("app.wasm", "raw wasm"),
        ("app.wasm.br", "brotli wasm"),
        ("app.wasm.gz", "gzip wasm"),
    ] {
        std::fs::write(dist.path().join(name), body).unwrap();
    }
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    let fetch = |path: &'static str, accepts: &'static str| {
        server
            .client
            .get(server.at(path))
            .header("accept-encoding", accepts)
            .send()
    };
    let res = fetch("/app.wasm", "gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["vary"], "accept-encoding");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.text().await.unwrap(), "brotli wasm");
    let res = fetch("/app.wasm", "gzip").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert_eq!(res.text().await.unwrap(), "gzip wasm");
    let res = fetch("/app.wasm", "identity").await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.headers()["vary"], "accept-encoding");
    assert_eq!(res.text().await.unwrap(), "raw wasm");
    // A client route's shell too.
    let res = fetch("/history", "br").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["content-type"], "text/html");
    assert_eq!(res.text().await.unwrap(), "brotli shell");
}

#[tokio::test]
async fn a_revoked_device_is_refused_while_its_past_counts_stay() {
    use peerpulse_server::db::devices;
    let server = TestServer::start(None).await;
    let org = server.org("Org").await;
    let lost = server.enrol(org).await;
    let other = server.enrol(org).await;
    server.sync(&lost.token, day_at_van(16, 1, &[])).await;
    assert!(
        devices::revoke(&server.state.db, org, &lost.device_id)
            .await
            .unwrap()
    );

    let (status, answer) = server.sync_raw(&lost.token, &json!({"buckets": []})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(answer["message"].as_str().unwrap().contains("revoked"));
    assert_near(
        reported(&server.trends(&other.token).await, &Measure::Encounters),
        16,
    );
    let listed = devices::list(&server.state.db, org).await.unwrap();
    let revoked: Vec<_> = listed.iter().filter(|d| d.revoked_at.is_some()).collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].id, lost.device_id);

    // Revoking is scoped by organization: another org cannot revoke this one's devices.
    let stranger = server.org("Other").await;
    assert!(
        !devices::revoke(&server.state.db, stranger, &other.device_id)
            .await
            .unwrap()
    );
    assert!(
        !devices::revoke(&server.state.db, org, &lost.device_id)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_device_sending_too_many_requests_gets_429_with_retry_after() {
    let (server, org, token) = TestServer::with_device("Org").await;
    let mut limited = None;
    // The bucket refills 2 a second while the burst is spent, so allow for a slow machine.
    for _ in 0..2 * peerpulse_server::RATE_BURST {
        let res = server
            .client
            .get(server.at("/api/v1/trends"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the limit is reached soon after the burst");
    assert!(res.headers().contains_key("retry-after"));
    assert_json_error(res, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    // Another device of the same org is not slowed down.
    let fresh = server.device(org).await;
    assert_eq!(server.trends(&fresh).await.org_name, "Org");
}

#[tokio::test]
async fn a_new_org_codebook_reaches_phones_once_and_governs_validation() {
    use peerpulse_core::codebook::{Codebook, CodebookEntry};
    use peerpulse_core::protocol::SyncRequest;
    use peerpulse_server::db::orgs;
    let (server, org, token) = TestServer::with_device("Org").await;

    // A phone with the built-in codebook gets nothing new.
    let first = server.sync(&token, vec![]).await;
    assert_eq!(
        (first.codebook_version, first.codebook.is_some()),
        (1, false)
    );

    let mut book = Codebook::harm_reduction_default();
    book.needs.push(CodebookEntry {
        code: code("dental-care"),
        label: "Dental care".into(),
        retired: false,
        merged_into: None,
        translations: Default::default(),
    });
    book.needs
        .iter_mut()
        .find(|e| e.code == code("food"))
        .unwrap()
        .retired = true;
    assert_eq!(
        orgs::set_codebook(&server.state.db, org, book, None)
            .await
            .unwrap(),
        2
    );

    let body = serde_json::to_value(SyncRequest {
        buckets: day_at_van(
            5,
            1,
            &[
                (Measure::Need(code("dental-care")), 5),
                (Measure::Need(code("food")), 5),
            ],
        ),
        codebook_version: 1,
    })
    .unwrap();
    let (status, answer) = server.sync_raw(&token, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let answer: peerpulse_core::protocol::SyncResponse = serde_json::from_value(answer).unwrap();
    // The new code is accepted, and so is the retired one (entries made before it retired).
    assert_eq!((answer.applied, answer.rejected.len()), (5, 0));
    let sent = answer.codebook.expect("the newer codebook is sent");
    assert_eq!(sent.version, 2);
    assert!(sent.needs.iter().any(|e| e.code == code("dental-care")));

    let body = serde_json::to_value(SyncRequest {
        buckets: vec![],
        codebook_version: 2,
    })
    .unwrap();
    let (_, again) = server.sync_raw(&token, &body).await;
    assert!(again.get("codebook").is_none(), "{again}");

    let mut broken = Codebook::harm_reduction_default();
    broken.sites.clear();
    assert!(
        orgs::set_codebook(&server.state.db, org, broken, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_org_edit_window_travels_on_every_sync() {
    use peerpulse_core::encounter::EditWindow;
    use peerpulse_server::db::orgs;
    let (server, org, token) = TestServer::with_device("Org").await;
    assert_eq!(
        server.sync(&token, vec![]).await.edit_window,
        EditWindow::default()
    );
    let three_days = EditWindow::new(3).unwrap();
    assert!(
        orgs::set_edit_window(&server.state.db, org, three_days)
            .await
            .unwrap()
    );
    assert_eq!(server.sync(&token, vec![]).await.edit_window, three_days);
}

#[tokio::test]
async fn supplies_count_units_and_unknown_supplies_are_refused_alone() {
    let (server, _, token) = TestServer::with_device("Org").await;
    let answer = server
        .sync(
            &token,
            day_at_van(
                16,
                1,
                &[
                    (Measure::Supply(code("needles-syringes")), 16),
                    (Measure::SupplyUnits(code("needles-syringes")), 320),
                    (Measure::Referral(code("drug-treatment")), 15),
                    (Measure::SupplyUnits(code("moon-rocks")), 3),
                ],
            ),
        )
        .await;
    assert_eq!(answer.applied, 6);
    assert_eq!(answer.rejected.len(), 1);
    assert!(
        answer.rejected[0]
            .reason
            .to_string()
            .contains("\"moon-rocks\" is not a supply")
    );
    let trends = server.trends(&token).await;
    assert_near(
        reported(&trends, &Measure::SupplyUnits(code("needles-syringes"))),
        320,
    );
    assert_near(
        reported(&trends, &Measure::Referral(code("drug-treatment"))),
        15,
    );
}

#[tokio::test]
async fn two_service_instances_on_one_database_serve_the_same_counts() {
    let (first, org, token) = TestServer::with_device("Org").await;
    let second = first.beside().await;
    first.sync(&token, day_at_van(17, 1, &[])).await;
    let later = second.sync(&token, day_at_van(19, 2, &[])).await;
    assert_eq!(later.applied, 3);
    // A late duplicate through the other instance changes nothing.
    let replay = first.sync(&token, day_at_van(17, 1, &[])).await;
    assert_eq!((replay.applied, replay.unchanged), (0, 3));
    assert_eq!(first.stored(org, &Measure::Encounters).await, 19);
    let published = first.trends(&token).await;
    assert_near(reported(&published, &Measure::Encounters), 19);
    assert_eq!(second.trends(&token).await, published);
}

#[tokio::test]
async fn a_need_that_jumps_on_two_phones_is_an_alert_and_a_tag_two_phones_use_is_new() {
    use peerpulse_core::protocol::AlertsResponse;
    let (server, org, token) = TestServer::with_device("Org").await;
    let other = server.device(org).await;
    let housing = || Measure::Need(code("housing"));
    let tag = |t: &str| Measure::FreeTag(code(t));
    let mut history = Vec::new();
    for back in 1..12u64 {
        history.extend(day_at(
            today() - Days::new(back),
            "van",
            3,
            1,
            &[(housing(), 3)],
        ));
    }
    server.sync(&token, history).await;
    // Today both phones log housing and dental care; bus fares stay under the threshold;
    // winter coats are typed on one phone only.
    server
        .sync(
            &token,
            day_at_van(
                30,
                2,
                &[
                    (housing(), 20),
                    (tag("dental-care"), 10),
                    (tag("bus-fares"), 2),
                    (tag("winter-coats"), 30),
                ],
            ),
        )
        .await;
    server
        .sync(
            &other,
            day_at_van(
                20,
                1,
                &[
                    (housing(), 20),
                    (tag("dental-care"), 10),
                    (tag("bus-fares"), 2),
                ],
            ),
        )
        .await;
    let alerts_of = |query: String, token: String| {
        let server = &server;
        async move {
            let res = server
                .client
                .get(server.at(&format!("/api/v1/alerts{query}")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<AlertsResponse>().await.unwrap()
        }
    };
    let alerts = alerts_of(String::new(), other.clone()).await;
    let risen: Vec<&Measure> = alerts.alerts.iter().map(|a| &a.measure).collect();
    assert_eq!(risen, [&housing(), &tag("dental-care")], "{alerts:?}");
    assert_near(Some(alerts.alerts[0].count), 40);
    assert!(alerts.alerts[0].usual_per_day <= 8, "{alerts:?}");
    assert_eq!(alerts.alerts[0].day, today());
    let new: Vec<&str> = alerts
        .new_free_tags
        .iter()
        .map(|t| t.tag.as_str())
        .collect();
    assert_eq!(new, ["dental-care"], "one phone's word is never named");
    assert_near(Some(alerts.new_free_tags[0].count), 20);

    // The day before: no jump, and no new tag yet.
    let yesterday = today() - Days::new(1);
    let before = alerts_of(format!("?period={yesterday}"), other.clone()).await;
    assert_eq!(before.period.to_string(), yesterday.to_string());
    assert!(before.alerts.is_empty(), "{before:?}");
    assert!(before.new_free_tags.is_empty());
    let refused = server
        .client
        .get(server.at("/api/v1/alerts?from=2026-11-01"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_json_error(refused, StatusCode::BAD_REQUEST, "invalid_query").await;

    // Another organization sees none of it.
    let stranger_org = server.org("Elsewhere").await;
    let stranger = server.device(stranger_org).await;
    let theirs = alerts_of(String::new(), stranger).await;
    assert!(theirs.alerts.is_empty() && theirs.new_free_tags.is_empty());
}

#[tokio::test]
async fn a_sync_reaches_open_dashboards_of_its_organization_only() {
    let (server, org, token) = TestServer::with_device("Org").await;
    let other_org = server.org("Elsewhere").await;
    let stranger = server.device(other_org).await;
    let listen = |token: &str| {
        server
            .client
            .get(server.at("/api/v1/events"))
            .bearer_auth(token)
            .send()
    };
    let mut ours = listen(&token).await.unwrap();
    let mut theirs = listen(&stranger).await.unwrap();
    assert_eq!(
        ours.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let phone = server.device(org).await;
    server.sync(&phone, day_at_van(3, 1, &[])).await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(2), ours.chunk())
        .await
        .expect("an event within 2 s")
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&chunk).contains("event: changed"),
        "{chunk:?}"
    );
    let nothing = tokio::time::timeout(std::time::Duration::from_millis(300), theirs.chunk()).await;
    assert!(nothing.is_err(), "another organization hears nothing");
}

/// The trends of `query` as the device sees them.
async fn trends_of(server: &TestServer, token: &str, query: &str) -> TrendsResponse {
    let res = server
        .client
        .get(server.at(&format!("/api/v1/trends?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn trends_filter_by_period_site_and_dimension_and_publish_each_cell_alike() {
    let (server, _, token) = TestServer::with_device("Org").await;
    let housing = || Measure::Need(code("housing"));
    let week = Period::containing(Granularity::Week, today());
    let mut state = day_at(today(), "van", 20, 2, &[(housing(), 10)]);
    state.extend(day_at(today(), "drop-in", 6, 2, &[(housing(), 2)]));
    state.extend(day_at(today(), "street", 30, 2, &[(housing(), 30)]));
    state.extend(day_at(week.previous().first_day(), "van", 18, 2, &[]));
    server.sync(&token, state).await;
    let everywhere = trends_of(&server, &token, &format!("period={week}&dimension=need")).await;
    assert_eq!(everywhere.site, None);
    assert_eq!(everywhere.totals.len(), 1, "{everywhere:?}");
    assert_near(reported(&everywhere, &housing()), 42);
    // A filter shows the same cells as without it, and asking again shows the same again.
    let all = trends_of(&server, &token, &format!("period={week}")).await;
    assert_eq!(
        reported(&all, &housing()),
        reported(&everywhere, &housing())
    );
    assert_eq!(
        trends_of(&server, &token, &format!("period={week}")).await,
        all
    );
    let drop_in = trends_of(&server, &token, &format!("period={week}&site=drop-in")).await;
    assert_eq!(drop_in.site, Some(code("drop-in")));
    assert_eq!(reported(&drop_in, &housing()), None, "2 is not published");
    let van = trends_of(
        &server,
        &token,
        &format!("period={week}&site=van&dimension=need"),
    )
    .await;
    assert_near(reported(&van, &housing()), 10);
    let last_week = trends_of(&server, &token, &format!("period={}", week.previous())).await;
    assert_eq!(last_week.period, week.previous());
    assert_near(reported(&last_week, &Measure::Encounters), 18);
    assert_eq!(reported(&last_week, &housing()), None);
    // A phone reads a month by week, never by day.
    let month = Period::containing(Granularity::Month, today());
    let by_week = trends_of(&server, &token, &format!("period={month}")).await;
    assert!(
        by_week
            .parts
            .iter()
            .all(|p| p.period.granularity() == Granularity::Week),
        "{by_week:?}"
    );
}

#[tokio::test]
async fn trends_filters_say_what_is_wrong() {
    let (server, _, token) = TestServer::with_device("Org").await;
    let next_month = Period::containing(Granularity::Month, today())
        .next()
        .next();
    for (query, says) in [
        ("site=moon".to_owned(), "not in the codebook"),
        ("site=Not A Code".to_owned(), "site"),
        ("dimension=colour".to_owned(), "dimension"),
        ("days=7".to_owned(), "days"),
        ("period=2026-13".to_owned(), "not a period"),
        (format!("period={next_month}"), "has not started"),
        ("period=2020-01".to_owned(), "nothing that old"),
        (format!("period={}", today()), "not single days"),
    ] {
        let res = server
            .client
            .get(server.at(&format!("/api/v1/trends?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let message = assert_json_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
        assert!(message.contains(says), "{query}: {message}");
    }
}

#[tokio::test]
async fn organization_totals_stay_the_sum_of_its_phones_under_concurrent_syncs() {
    let (server, org, first) = TestServer::with_device("Org").await;
    let mut phones = vec![first];
    for _ in 1..8 {
        phones.push(server.device(org).await);
    }
    let needs = ["housing", "food", "detox", "testing"];
    // Every phone counts the same buckets, then a later version of each lowers or raises them.
    let state = |phone: usize, version: u64| -> Vec<BucketUpdate> {
        (0..20u64)
            .flat_map(|i| {
                let needs: Vec<(Measure, u32)> = needs
                    .iter()
                    .enumerate()
                    .map(|(n, need)| {
                        let count = (phone as u64 * 7 + (i + n as u64) * version) % 13;
                        (Measure::Need(code(need)), u32::try_from(count).unwrap())
                    })
                    .collect();
                day_at(
                    today() - Days::new(i % 10),
                    ["van", "street"][(i / 10) as usize],
                    12 + u32::try_from(version).unwrap(),
                    version,
                    &needs,
                )
            })
            .collect()
    };
    let syncs = phones.iter().enumerate().flat_map(|(n, token)| {
        [1, 2, 3].map(|version| {
            let (server, token, buckets) = (&server, token.clone(), state(n, version));
            async move { server.sync(&token, buckets).await }
        })
    });
    futures_util::future::join_all(syncs).await;

    let totals = peerpulse_server::db::buckets::site_counts(
        &server.state.db,
        org,
        today() - Days::new(9),
        today(),
    )
    .await
    .unwrap();
    let summed: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT day, site, dimension, value, CAST(SUM(count) AS BIGINT) FROM device_buckets \
         WHERE org_id = $1 GROUP BY day, site, dimension, value HAVING SUM(count) > 0 \
         ORDER BY day, site, dimension, value",
    )
    .bind(org)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    let mut kept: Vec<(String, String, String, String, i64)> = totals
        .iter()
        .map(|t| {
            (
                t.day.to_string(),
                t.site.to_string(),
                t.measure.dimension().as_str().to_owned(),
                t.measure.value().to_owned(),
                i64::from(t.cell.count),
            )
        })
        .collect();
    kept.sort();
    assert!(!summed.is_empty());
    assert_eq!(kept, summed);
}

/// `body` gzipped, as a phone sends a sync.
fn gzipped(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body).unwrap();
    gz.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_sync_lands_and_a_broken_or_oversized_one_is_refused_with_json() {
    let (server, org, token) = TestServer::with_device("Org").await;
    let post = |body: Vec<u8>| {
        server
            .client
            .post(server.at("/api/v1/sync"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(body)
            .send()
    };
    let request = peerpulse_core::protocol::SyncRequest {
        buckets: day_at_van(6, 1, &[]),
        codebook_version: 1,
    };
    let sent = post(gzipped(&serde_json::to_vec(&request).unwrap()))
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    assert_eq!(server.stored(org, &Measure::Encounters).await, 6);

    let broken = post(b"not gzip at all".to_vec()).await.unwrap();
    assert_json_error(broken, StatusCode::BAD_REQUEST, "invalid_body").await;
    // 300 KiB of spaces compress to almost nothing; unpacked they are over the limit.
    let mut bomb = b"{\"buckets\": [], \"codebook_version\": 1".to_vec();
    bomb.extend(std::iter::repeat_n(b' ', 300 * 1024));
    bomb.push(b'}');
    let packed = gzipped(&bomb);
    assert!(packed.len() < 2 * 1024);
    let refused = post(packed).await.unwrap();
    assert_json_error(refused, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn buckets_stored_before_cell_keys_get_them_at_start_and_the_totals_follow() {
    use peerpulse_server::db::{buckets, orgs};
    let (server, org, token) = TestServer::with_device("Org").await;
    server.sync(&token, day_at_van(12, 1, &[])).await;
    // As an earlier version stored them: no keys, and totals without key sums.
    sqlx::query("UPDATE device_buckets SET cell_key = NULL")
        .execute(&server.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE org_buckets SET cell_key = 0")
        .execute(&server.state.db)
        .await
        .unwrap();
    assert_eq!(
        buckets::backfill_cell_keys(&server.state.db).await.unwrap(),
        3
    );
    let secret = orgs::get(&server.state.db, org)
        .await
        .unwrap()
        .unwrap()
        .cell_key_secret;
    let stored: Vec<(String, i64)> =
        sqlx::query_as("SELECT device_id, cell_key FROM device_buckets WHERE dimension = $1")
            .bind("encounters")
            .fetch_all(&server.state.db)
            .await
            .unwrap();
    let expected = buckets::bucket_key(
        &secret,
        &stored[0].0,
        today(),
        "van",
        &Measure::Encounters,
        12,
    );
    assert_eq!(stored[0].1, i64::from(expected.0));
    let total: i64 = sqlx::query_scalar(
        "SELECT cell_key FROM org_buckets WHERE org_id = $1 AND dimension = 'encounters'",
    )
    .bind(org)
    .fetch_one(&server.state.db)
    .await
    .unwrap();
    assert_eq!(
        total, stored[0].1,
        "the organization total carries its bucket's key"
    );
    assert_eq!(
        buckets::backfill_cell_keys(&server.state.db).await.unwrap(),
        0
    );
}
