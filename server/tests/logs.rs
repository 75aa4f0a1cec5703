//! Structured logs: JSON lines when asked, each line of a request carrying its id, and no
//! token, cookie, code, password, note text or free tag anywhere in a whole run's logs.

mod support;

use chrono::Datelike;
use peerpulse_core::bucket::Measure;
use peerpulse_core::protocol::{EnrolResponse, SyncRequest};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use support::{TestDb, code, day_at_van, today};

const BIN: &str = env!("CARGO_BIN_EXE_peerpulse-server");
const NOTE: &str = "a new batch of pressed pills went round the shelter tonight";
const FREE_TAG: &str = "bridge-camp-north";
const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_run_logs_json_lines_with_request_ids_and_never_a_secret_or_a_word_typed() {
    let db = TestDb::fresh().await;
    let (data_dir, url) = db.cli_args();
    let log_file = db.dir.path().join("service.log");
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(&data_dir)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            "no-such-dir",
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "debug,hyper=info,h2=info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_file).unwrap());
    match url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    let mut service = command.spawn().unwrap();
    let mut lines = BufReader::new(service.stdout.take().unwrap()).lines();
    let mut next_line = || lines.next().unwrap().unwrap();
    let enrol_code = next_line()
        .strip_prefix("Enrolment code for a phone: ")
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let admin_link = next_line();
    let welcome_token = admin_link.rsplit('#').next().unwrap().to_owned();
    let base = next_line()
        .strip_prefix("PeerPulse is running at ")
        .unwrap()
        .to_owned();
    let client = reqwest::Client::new();
    let at = |path: &str| format!("{base}{path}");

    // A phone enrols, syncs a free tag and offers a note.
    let res = client
        .post(at("/api/v1/enrol"))
        .json(&json!({ "code": enrol_code }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let phone: EnrolResponse = res.json().await.unwrap();
    let sync = SyncRequest {
        buckets: day_at_van(7, 1, &[(Measure::FreeTag(code(FREE_TAG)), 7)]),
        codebook_version: 1,
    };
    let res = client
        .post(at("/api/v1/sync"))
        .bearer_auth(&phone.token)
        .json(&sync)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let week = today() - chrono::Days::new(u64::from(today().weekday().num_days_from_monday()));
    let res = client
        .post(at("/api/v1/notes"))
        .bearer_auth(&phone.token)
        .json(&json!({"id": "e1", "week": week.to_string(), "text": NOTE}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());

    // The admin welcomes themself in, signs in (once wrongly), reads, resets someone.
    let res = client
        .post(at("/api/v1/welcome"))
        .json(&json!({"token": welcome_token, "username": "ada", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let wrong = client
        .post(at("/api/v1/session"))
        .json(&json!({"organization": "peerpulse-demo", "username": "ada", "password": "not my password at all"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let res = client
        .post(at("/api/v1/session"))
        .json(&json!({"organization": "peerpulse-demo", "username": "ada", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let session_token = cookie.split('=').nth(1).unwrap().to_owned();
    let info: Value = res.json().await.unwrap();
    let csrf = info["csrf_token"].as_str().unwrap().to_owned();
    let signed = |method: reqwest::Method, path: &str| {
        client
            .request(method, at(path))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
    };
    let res = signed(reqwest::Method::POST, "/api/v1/users")
        .json(&json!({"username": "vic", "role": "viewer", "password": "another fine long secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = signed(reqwest::Method::POST, "/api/v1/users/vic/reset-link")
        .send()
        .await
        .unwrap();
    let reset: Value = res.json().await.unwrap();
    let reset_token = reset["link"]
        .as_str()
        .unwrap()
        .rsplit('#')
        .next()
        .unwrap()
        .to_owned();
    let res = signed(reqwest::Method::POST, "/api/v1/enrolment-codes")
        .send()
        .await
        .unwrap();
    let second_code = res.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/api/v1/trends?period=2026-W10",
        "/api/v1/notes?status=pending",
        "/api/v1/audit",
    ] {
        signed(reqwest::Method::GET, path).send().await.unwrap();
    }
    let stream = client
        .get(at("/api/v1/events"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    drop(stream);
    // A request with a bad token is logged too, and its token must not be.
    let forged = "f0rged-t0ken-that-must-not-be-logged";
    client
        .post(at("/api/v1/sync"))
        .bearer_auth(forged)
        .json(&sync)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    service.kill().unwrap();
    service.wait().unwrap();

    let logs = std::fs::read_to_string(&log_file).unwrap();
    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.len() > 20, "{logs}");
    // Every line written while serving a request names it; the enrolment's lines carry the
    // id it answered with.
    let in_requests: Vec<&Value> = lines.iter().filter(|l| l.get("span").is_some()).collect();
    assert!(in_requests.len() > 10, "{logs}");
    for line in &in_requests {
        let id = line["span"]["request_id"].as_str().unwrap_or_default();
        assert!(id.len() >= 32, "a line without its request id: {line}");
    }
    assert!(
        in_requests
            .iter()
            .any(|l| l["span"]["request_id"] == request_id.as_str()),
        "{logs}"
    );
    let without_dash = enrol_code.replace('-', "");
    for secret in [
        enrol_code.as_str(),
        &without_dash,
        &second_code,
        &phone.token,
        &welcome_token,
        &session_token,
        &csrf,
        &reset_token,
        PASSWORD,
        "another fine long secret",
        "not my password at all",
        forged,
        NOTE,
        FREE_TAG,
    ] {
        assert!(!logs.contains(secret), "{secret} is in the logs");
    }
}
