//! Sending a report to DHIS2. No DHIS2 server can run here, so a small HTTP server in this
//! test stands in for one: it checks each request as DHIS2's Web API documents
//! `POST /api/dataValueSets` (basic auth, JSON, `dryRun`, each value's UIDs, period code and
//! string value) and answers with an import summary in DHIS2 2.37+'s web message shape.
//! The service sends through it from `POST /api/v1/reports/dhis2/send` and from the
//! `dhis2-send` command, each with a dry run first, and records each send in the audit log.

mod support;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use peerpulse_core::audit::{AuditDetail, AuditEvent, Dhis2Outcome};
use peerpulse_core::dhis2::{DataValueSet, ImportStatus, Uid};
use peerpulse_core::org_api::{AuditAction, AuditPage, Dhis2SendResponse};
use peerpulse_core::people::Role;
use peerpulse_server::dhis2_client::{self, Dhis2Error, Dhis2Server};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use support::TestServer;
use support::people::Session;

/// What the stand-in received: each request's `dryRun` and number of values.
type Received = Arc<Mutex<Vec<(bool, usize)>>>;

/// Whether `period` is a DHIS2 period code of a week, month or quarter.
fn is_period_code(period: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match (period.get(..4), period.get(4..)) {
        (Some(year), Some(rest)) if digits(year) => {
            (rest.len() == 2 && digits(rest))
                || rest
                    .strip_prefix('Q')
                    .is_some_and(|q| ["1", "2", "3", "4"].contains(&q))
                || rest
                    .strip_prefix('W')
                    .is_some_and(|w| digits(w) && w.len() <= 2)
        }
        _ => false,
    }
}

async fn data_value_sets(
    State(received): State<Received>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    // "pulse:district" in base64.
    if headers.get("authorization").and_then(|h| h.to_str().ok())
        != Some("Basic cHVsc2U6ZGlzdHJpY3Q=")
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"httpStatusCode": 401})),
        );
    }
    let values = body["dataValues"].as_array().cloned().unwrap_or_default();
    let well_formed = values.iter().all(|v| {
        v["dataElement"]
            .as_str()
            .is_some_and(|u| Uid::new(u).is_ok())
            && v["orgUnit"].as_str().is_some_and(|u| Uid::new(u).is_ok())
            && v["period"].as_str().is_some_and(is_period_code)
            && v["value"].is_string()
    });
    if !well_formed || values.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"status": "ERROR", "message": "bad dataValues"})),
        );
    }
    let dry_run = query.get("dryRun").map(String::as_str) == Some("true");
    received.lock().unwrap().push((dry_run, values.len()));
    let imported = if dry_run { 0 } else { values.len() };
    (
        StatusCode::OK,
        Json(
            json!({"httpStatus": "OK", "httpStatusCode": 200, "status": "OK",
            "response": {"responseType": "ImportSummary", "status": "SUCCESS",
                "importCount": {"imported": imported, "updated": 0, "ignored": 0, "deleted": 0},
                "conflicts": []}}),
        ),
    )
}

/// A stand-in DHIS2 listening on a free port: its base URL and what it received.
async fn stand_in() -> (String, Received) {
    let received: Received = Arc::default();
    let stand_in = axum::Router::new()
        .route("/api/dataValueSets", post(data_value_sets))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, stand_in).await });
    (url, received)
}

/// The stand-in's user, with the password it takes (or not).
fn dhis2_at(url: &str, password: &str) -> Dhis2Server {
    Dhis2Server {
        base_url: format!("{url}/"),
        username: "pulse".into(),
        password: password.into(),
    }
}

/// An organization whose phone logged 30 encounters at the van today, with "Contacts"
/// mapped to DHIS2 monthly for the totals and the van: two values a month. Its manager.
async fn mapped_org(server: &TestServer) -> (i64, Session) {
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    server.sync(&phone, support::day_at_van(30, 1, &[])).await;
    let offered = server.indicators(&manager).await;
    let mut indicators = serde_json::to_value(&offered.starter[..1]).unwrap();
    indicators[0]["dhis2"] = json!({"data_element": "dEContacts1", "period_type": "monthly"});
    let stored = server
        .edit_indicators(
            &manager,
            json!({"base_version": 0, "indicators": indicators,
                "dhis2": {"org_unit": "OrgUnitAll1", "site_org_units": {"van": "OrgUnitVan1"}}}),
        )
        .await;
    assert_eq!(stored.status(), StatusCode::OK);
    (org, manager)
}

/// This month, as reports name it.
fn this_month() -> String {
    support::today().format("%Y-%m").to_string()
}

#[tokio::test]
async fn a_report_goes_to_dhis2_as_a_dry_run_then_for_real() {
    let (dhis2_url, received) = stand_in().await;
    let server = TestServer::start(None).await;
    let (_, manager) = mapped_org(&server).await;
    let set: DataValueSet = server
        .call(
            Method::GET,
            &format!("/api/v1/reports/dhis2?period={}", this_month()),
            Some(&manager),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(set.data_values.len(), 2);

    let dhis2 = dhis2_at(&dhis2_url, "district");
    let checked = dhis2_client::send(&dhis2, &set, true).await.unwrap();
    assert_eq!(
        (checked.status, checked.imported),
        (ImportStatus::Success, 0)
    );
    let sent = dhis2_client::send(&dhis2, &set, false).await.unwrap();
    assert_eq!((sent.status, sent.imported), (ImportStatus::Success, 2));
    assert_eq!(*received.lock().unwrap(), [(true, 2), (false, 2)]);

    let wrong = dhis2_at(&dhis2_url, "guess");
    assert!(matches!(
        dhis2_client::send(&wrong, &set, true).await,
        Err(Dhis2Error::Unauthorized(401))
    ));
    let nowhere = Dhis2Server {
        base_url: "http://127.0.0.1:9".into(),
        ..dhis2
    };
    assert!(matches!(
        dhis2_client::send(&nowhere, &set, true).await,
        Err(Dhis2Error::Unreachable { .. })
    ));
}

/// `who` asks the service to send this month's report, as a dry run only or for real.
async fn send(server: &TestServer, who: &Session, dry_run: bool) -> reqwest::Response {
    server
        .call(
            Method::POST,
            "/api/v1/reports/dhis2/send",
            Some(who),
            Some(json!({"period": this_month(), "dry_run": dry_run})),
        )
        .await
}

#[tokio::test]
async fn managers_send_from_the_service_a_dry_run_first_and_each_send_is_audited() {
    let (dhis2_url, received) = stand_in().await;
    let server =
        TestServer::configured(|s| s.with_dhis2(Some(dhis2_at(&dhis2_url, "district")))).await;
    let (org, manager) = mapped_org(&server).await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let admin = server.person(org, Role::Admin, "ada").await;

    let res = send(&server, &viewer, true).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        received.lock().unwrap().is_empty(),
        "a viewer sends nothing"
    );

    let res = send(&server, &manager, true).await;
    assert_eq!(res.status(), StatusCode::OK);
    let checked: Dhis2SendResponse = res.json().await.unwrap();
    assert_eq!((checked.values, checked.sent.as_ref()), (2, None));
    assert_eq!(checked.period, support::today().format("%Y%m").to_string());
    assert_eq!(
        checked.dry_run.in_words(true),
        "DHIS2 would import 0 new values, update 0 and ignore 0; no conflicts."
    );
    assert_eq!(*received.lock().unwrap(), [(true, 2)], "a dry run only");

    let res = send(&server, &manager, false).await;
    assert_eq!(res.status(), StatusCode::OK);
    let sent: Dhis2SendResponse = res.json().await.unwrap();
    assert_eq!(sent.sent.map(|s| s.imported), Some(2));
    assert_eq!(
        *received.lock().unwrap(),
        [(true, 2), (true, 2), (false, 2)],
        "the real send comes after its own dry run"
    );

    // A day is no report period, and a period with nothing mapped sends nothing.
    let res = server
        .call(
            Method::POST,
            "/api/v1/reports/dhis2/send",
            Some(&manager),
            Some(json!({"period": support::today().to_string(), "dry_run": true})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let quarter = peerpulse_core::period::Period::containing(
        peerpulse_core::period::Granularity::Quarter,
        support::today(),
    );
    let res = server
        .call(
            Method::POST,
            "/api/v1/reports/dhis2/send",
            Some(&manager),
            Some(json!({"period": quarter, "dry_run": false})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("No value of this report goes to DHIS2")
    );
    assert_eq!(received.lock().unwrap().len(), 3);

    let page: AuditPage = server
        .call(Method::GET, "/api/v1/audit", Some(&admin), None)
        .await
        .json()
        .await
        .unwrap();
    let sends: Vec<(String, Option<AuditDetail>)> = page
        .entries
        .into_iter()
        .filter(|e| e.action == AuditAction::SentToDhis2)
        .map(|e| (e.who, e.detail))
        .collect();
    let month = support::today().format("%Y%m").to_string();
    let entry = |dry_run: bool, imported: u64| {
        (
            "mia".to_owned(),
            Some(AuditDetail::Event(AuditEvent::SentToDhis2 {
                period: month.clone(),
                values: 2,
                dry_run,
                outcome: Dhis2Outcome {
                    status: ImportStatus::Success,
                    imported,
                    updated: 0,
                    ignored: 0,
                    deleted: 0,
                    conflicts: 0,
                },
            })),
        )
    };
    assert_eq!(sends, [entry(false, 2), entry(true, 0), entry(true, 0)]);
}

#[tokio::test]
async fn a_send_fails_clearly_without_a_dhis2_server_or_with_the_wrong_password() {
    let (dhis2_url, received) = stand_in().await;
    let unset = TestServer::start(None).await;
    let (_, manager) = mapped_org(&unset).await;
    let res = send(&unset, &manager, false).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["error"], "dhis2_not_set_up");

    let wrong = TestServer::configured(|s| s.with_dhis2(Some(dhis2_at(&dhis2_url, "guess")))).await;
    let (_, manager) = mapped_org(&wrong).await;
    let res = send(&wrong, &manager, false).await;
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["error"], "dhis2_failed");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("refused the user name or password"),
        "{answer}"
    );
    assert!(received.lock().unwrap().is_empty());
}

// Several threads: the command blocks one while the stand-in answers on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_sends_with_the_password_from_a_file_and_says_what_dhis2_counted() {
    let (dhis2_url, received) = stand_in().await;
    let server = TestServer::start(None).await;
    mapped_org(&server).await;
    let password_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(password_file.path(), "district\n").unwrap();
    let (data_dir, database_url) = server.cli_args();
    let run = |extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_peerpulse-server"));
        command
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["dhis2-send", "--org", "harbour", "--period", &this_month()])
            .args(extra)
            .env("PEERPULSE_DHIS2_URL", &dhis2_url)
            .env("PEERPULSE_DHIS2_USERNAME", "pulse")
            .env("PEERPULSE_DHIS2_PASSWORD_FILE", password_file.path());
        match &database_url {
            Some(url) => command.env("DATABASE_URL", url),
            None => command.env_remove("DATABASE_URL"),
        };
        command.output().unwrap()
    };

    let dry = run(&["--dry-run"]);
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(
        said.contains(
            "Dry run: DHIS2 would import 0 new values, update 0 and ignore 0; no conflicts."
        ),
        "{said}"
    );
    assert!(
        said.contains("Nothing was sent: this was a dry run only."),
        "{said}"
    );
    assert_eq!(*received.lock().unwrap(), [(true, 2)]);

    let real = run(&[]);
    let said = String::from_utf8_lossy(&real.stdout);
    assert!(real.status.success(), "{said}");
    assert!(
        said.contains("Sent: DHIS2 imported 2 new values, updated 0 and ignored 0; no conflicts."),
        "{said}"
    );
    assert_eq!(
        *received.lock().unwrap(),
        [(true, 2), (true, 2), (false, 2)]
    );

    // Half the settings is an error, not a send to nowhere.
    let half = {
        let mut command = Command::new(env!("CARGO_BIN_EXE_peerpulse-server"));
        command
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["dhis2-send", "--org", "harbour", "--period", &this_month()])
            .env("PEERPULSE_DHIS2_URL", &dhis2_url)
            .env_remove("PEERPULSE_DHIS2_USERNAME")
            .env_remove("PEERPULSE_DHIS2_PASSWORD_FILE");
        command.output().unwrap()
    };
    assert!(!half.status.success());
    assert!(String::from_utf8_lossy(&half.stderr).contains("all three"));
    assert_eq!(received.lock().unwrap().len(), 3);
}
