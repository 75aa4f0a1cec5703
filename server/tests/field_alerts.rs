//! Field alerts over HTTP on a real database: roles, two-person approval, the guard on every
//! message, organization isolation, what phones receive (and stop receiving), updates that
//! keep the approved version up, and reach shown only from the threshold.

mod support;

use chrono::{Days, Utc};
use peerpulse_core::field_alert::{AlertStatus, PublishedAlert};
use peerpulse_core::org_api::FieldAlertSummary;
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use support::people::Session;

fn alert(message: &str) -> Value {
    json!({
        "kind": "drug-supply",
        "sites": ["van"],
        "messages": {"en": message, "es": "Prueba tu sustancia. No consumas solo."},
        "verification": "reported-by-workers",
        "expires_at": Utc::now() + Days::new(7),
    })
}

async fn act(
    server: &TestServer,
    who: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    server.call(method, path, Some(who), body).await
}

async fn on_phone(server: &TestServer, token: &str) -> Vec<PublishedAlert> {
    server
        .client
        .get(server.at("/api/v1/field-alerts/current"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_second_person_approves_then_phones_get_it_until_it_is_withdrawn() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let mia = server.person(org, Role::Manager, "mia").await;
    let ada = server.person(org, Role::Admin, "ada").await;
    let vic = server.person(org, Role::Viewer, "vic").await;
    let hal = server.person(hills, Role::Admin, "hal").await;
    let phone = server.device(org).await;
    let elsewhere = server.device(hills).await;

    let path = "/api/v1/field-alerts";
    let refused = act(
        &server,
        &vic,
        Method::POST,
        path,
        Some(alert("Test your supply")),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    for (body, what) in [
        (
            alert("Ask Maria Lopez, 0412 345 678"),
            "a name and a number",
        ),
        (alert(" "), "an empty message"),
        (
            json!({"kind": "drug-supply", "messages": {"en": "x"}, "verification": "official", "expires_at": Utc::now() - Days::new(1)}),
            "an expiry in the past",
        ),
        (
            json!({"kind": "rumour", "messages": {"en": "x"}, "verification": "official", "expires_at": Utc::now() + Days::new(1)}),
            "an unknown kind",
        ),
        (
            json!({"kind": "drug-supply", "messages": {"en": "x"}, "verification": "official", "expires_at": "2099-01-01 10:00:00 UTC"}),
            "an expiry not written as RFC 3339 (chrono's lenient form)",
        ),
        (
            json!({"kind": "drug-supply", "messages": {"en": "x"}, "verification": "official", "expires_at": "2099-01-01T10:00:00+0100"}),
            "an expiry whose offset has no colon",
        ),
        (
            json!({"kind": "drug-supply", "messages": {"en": "x"}, "verification": "official", "expires_at": "9".repeat(1_000_000)}),
            "a megabyte of digits for an expiry",
        ),
    ] {
        let res = act(&server, &mia, Method::POST, path, Some(body)).await;
        assert!(res.status().is_client_error(), "{what}: {}", res.status());
    }
    let mut moon = alert("Test your supply");
    moon["sites"] = json!(["the-moon"]);
    let res = act(&server, &mia, Method::POST, path, Some(moon)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let drafted = act(
        &server,
        &mia,
        Method::POST,
        path,
        Some(alert(
            "Strong batch at the van: test your supply, don't use alone.",
        )),
    )
    .await;
    assert_eq!(drafted.status(), StatusCode::CREATED);
    let drafted: FieldAlertSummary = drafted.json().await.unwrap();
    assert_eq!(drafted.status, AlertStatus::Draft);
    assert!(
        on_phone(&server, &phone).await.is_empty(),
        "a draft stays off the phones"
    );

    let approve = format!("{path}/{}/approve", drafted.id);
    let own = act(&server, &mia, Method::POST, &approve, None).await;
    assert_eq!(
        own.status(),
        StatusCode::CONFLICT,
        "the author does not approve alone"
    );
    let other_org = act(&server, &hal, Method::POST, &approve, None).await;
    assert_eq!(other_org.status(), StatusCode::NOT_FOUND);
    let approved = act(&server, &ada, Method::POST, &approve, None).await;
    assert_eq!(approved.status(), StatusCode::OK);
    let received = on_phone(&server, &phone).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].version, 1);
    assert!(
        on_phone(&server, &elsewhere).await.is_empty(),
        "Hills' phones get nothing of Harbour"
    );

    // Drug checking confirms it: version 2 waits for approval while version 1 stays up.
    let mut confirmed = alert(
        "Confirmed by drug checking: fentanyl in the pills sold at the van. Test your supply.",
    );
    confirmed["verification"] = json!("confirmed-by-drug-checking");
    let updated = act(
        &server,
        &ada,
        Method::PUT,
        &format!("{path}/{}", drafted.id),
        Some(confirmed),
    )
    .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(on_phone(&server, &phone).await[0].version, 1);
    let approved = act(&server, &mia, Method::POST, &approve, None).await;
    assert_eq!(
        approved.status(),
        StatusCode::OK,
        "mia did not write version 2"
    );
    assert_eq!(on_phone(&server, &phone).await[0].version, 2);

    let withdrawn = act(
        &server,
        &mia,
        Method::POST,
        &format!("{path}/{}/withdraw", drafted.id),
        None,
    )
    .await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert!(
        on_phone(&server, &phone).await.is_empty(),
        "a withdrawn alert leaves the phones"
    );
    let again = act(&server, &ada, Method::POST, &approve, None).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let listed: Vec<FieldAlertSummary> = act(&server, &mia, Method::GET, path, None)
        .await
        .json()
        .await
        .unwrap();
    let history: Vec<(String, String)> = listed[0]
        .history
        .iter()
        .map(|e| {
            (
                serde_json::to_value(e.action)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                e.by.clone(),
            )
        })
        .collect();
    let expected = [
        ("drafted", "mia"),
        ("approved", "ada"),
        ("updated", "ada"),
        ("approved", "mia"),
        ("withdrawn", "mia"),
    ];
    assert_eq!(history, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    let text = serde_json::to_string(&listed).unwrap();
    assert!(
        !text.contains("dev-"),
        "the history names people, never phones"
    );
}

#[tokio::test]
async fn reach_is_shown_only_from_the_threshold() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let mia = server.person(org, Role::Manager, "mia").await;
    let ada = server.person(org, Role::Admin, "ada").await;
    let drafted = server.draft_alert(&mia, alert("Test your supply")).await;
    server.approve_alert(&ada, drafted.id).await;
    let mut phones = Vec::new();
    for _ in 0..5 {
        phones.push(server.device(org).await);
    }
    let reach = || async { server.field_alerts(&mia).await[0].reach };
    for (n, phone) in phones.iter().enumerate() {
        let passed_on = if n < 2 { vec![drafted.id] } else { vec![] };
        let status = server
            .alert_receipts(
                phone,
                json!({"received": [[drafted.id, 1]], "passed_on": passed_on}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let shown = reach().await;
        assert_eq!(
            shown.received,
            (n + 1 >= 5).then_some(5),
            "after {} phones",
            n + 1
        );
    }
    let shown = reach().await;
    assert_eq!(
        (shown.received, shown.passed_on, shown.threshold),
        (Some(5), None, 5)
    );
    // Receipts for an alert of another organization are ignored.
    let hills = server.org("Hills").await;
    let outsider = server.device(hills).await;
    let status = server
        .alert_receipts(&outsider, json!({"received": [[drafted.id, 1]]}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(reach().await.received, Some(5));
}
