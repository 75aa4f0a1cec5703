//! Sending a report to DHIS2. No DHIS2 server can run here, so a small HTTP server in this
//! test stands in for one: it checks each request as DHIS2's Web API documents
//! `POST /api/dataValueSets` (basic auth, JSON, `dryRun`, each value's UIDs, period code and
//! string value) and answers with an import summary in DHIS2 2.37+'s web message shape.

mod support;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use peerpulse_core::dhis2::{DataValueSet, Uid};
use peerpulse_core::org_api::IndicatorsResponse;
use peerpulse_core::people::Role;
use peerpulse_server::dhis2_client::{self, Dhis2Error, Dhis2Server};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use support::TestServer;

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

#[tokio::test]
async fn a_report_goes_to_dhis2_as_a_dry_run_then_for_real() {
    let received: Received = Arc::default();
    let stand_in = axum::Router::new()
        .route("/api/dataValueSets", post(data_value_sets))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dhis2_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, stand_in).await });

    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    server.sync(&phone, support::day_at_van(30, 1, &[])).await;
    let offered: IndicatorsResponse = server
        .call(Method::GET, "/api/v1/indicators", Some(&manager), None)
        .await
        .json()
        .await
        .unwrap();
    let mut indicators = serde_json::to_value(&offered.starter[..1]).unwrap();
    indicators[0]["dhis2"] = json!({"data_element": "dEContacts1", "period_type": "monthly"});
    let stored = server
        .call(
            Method::PUT,
            "/api/v1/indicators",
            Some(&manager),
            Some(json!({"base_version": 0, "indicators": indicators,
                "dhis2": {"org_unit": "OrgUnitAll1", "site_org_units": {"van": "OrgUnitVan1"}}})),
        )
        .await;
    assert_eq!(stored.status(), StatusCode::OK);
    let today = support::today();
    let set: DataValueSet = server
        .call(
            Method::GET,
            &format!("/api/v1/reports/dhis2?period={}", today.format("%Y-%m")),
            Some(&manager),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(set.data_values.len(), 2);

    let dhis2 = Dhis2Server {
        base_url: format!("{dhis2_url}/"),
        username: "pulse".into(),
        password: "district".into(),
    };
    let checked = dhis2_client::send(&dhis2, &set, true).await.unwrap();
    assert_eq!((checked.status.as_str(), checked.imported), ("SUCCESS", 0));
    let sent = dhis2_client::send(&dhis2, &set, false).await.unwrap();
    assert_eq!((sent.status.as_str(), sent.imported), ("SUCCESS", 2));
    assert_eq!(*received.lock().unwrap(), [(true, 2), (false, 2)]);

    let wrong = Dhis2Server {
        password: "guess".into(),
        ..dhis2.clone()
    };
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
