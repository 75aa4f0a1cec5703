//! Program indicators, their reports and the DHIS2 export, over HTTP on a real database:
//! roles, versions, the disclosure rule on every value, and the documents' shapes.

mod support;

use chrono::Datelike;
use peerpulse_core::bucket::Measure;
use peerpulse_core::dhis2::Uid;
use peerpulse_core::indicator::Report;
use peerpulse_core::org_api::IndicatorBook;
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

/// This month as the API names it (`2026-11`), and as DHIS2 does (`202611`).
fn this_month() -> (String, String) {
    let today = support::today();
    (
        format!("{}-{:02}", today.year(), today.month()),
        format!("{}{:02}", today.year(), today.month()),
    )
}

#[tokio::test]
async fn managers_define_indicators_everyone_reads_the_report_and_managers_export_it_to_dhis2() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let first = server.device(org).await;
    let second = server.device(org).await;
    let syringes = (
        Measure::Supply(support::code("needles-syringes")),
        Measure::SupplyUnits(support::code("needles-syringes")),
    );
    server
        .sync(
            &first,
            support::day_at_van(
                20,
                1,
                &[(syringes.0.clone(), 12), (syringes.1.clone(), 240)],
            ),
        )
        .await;
    server.sync(&second, support::day_at_van(10, 1, &[])).await;
    // Two street encounters: below the threshold, so neither shown nor exported.
    server
        .sync(
            &second,
            support::day_at(support::today(), "street", 2, 1, &[]),
        )
        .await;

    let offered = server.indicators(&viewer).await;
    assert_eq!(offered.book, IndicatorBook::default());
    let mut indicators = serde_json::to_value(&offered.starter).unwrap();
    indicators[0]["dhis2"] = json!({"data_element": "dEContacts1", "period_type": "monthly"});
    let put = |who, base: u32, indicators: &Value| {
        server.edit_indicators(
            who,
            json!({
                "base_version": base,
                "indicators": indicators,
                "dhis2": {"org_unit": "OrgUnitAll1", "site_org_units": {"van": "OrgUnitVan1", "street": "OrgUnitStr1"}},
            }),
        )
    };
    assert_eq!(
        put(&viewer, 0, &indicators).await.status(),
        StatusCode::FORBIDDEN
    );
    let stored = put(&manager, 0, &indicators).await;
    assert_eq!(stored.status(), StatusCode::OK);
    let stored: IndicatorBook = stored.json().await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(
        put(&manager, 0, &indicators).await.status(),
        StatusCode::CONFLICT
    );
    let mut unknown = indicators.clone();
    unknown[1]["sites"] = json!(["the-moon"]);
    assert_eq!(
        put(&manager, 1, &unknown).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut bad_uid = indicators.clone();
    bad_uid[0]["dhis2"]["data_element"] = json!("short");
    assert_eq!(
        put(&manager, 1, &bad_uid).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let (month, dhis2_month) = this_month();
    let report: Report = server
        .call(
            Method::GET,
            &format!("/api/v1/reports?period={month}"),
            Some(&viewer),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let contacts = &report.indicators[0];
    support::assert_near(contacts.total.value, 32);
    let street = contacts
        .by_site
        .iter()
        .find(|(site, _)| site.as_str() == "street")
        .unwrap();
    assert_eq!(street.1.value, None, "2 street contacts are not shown");
    let syringes = &report.indicators[1];
    support::assert_near(syringes.total.value, 240);

    let day = server
        .call(
            Method::GET,
            &format!("/api/v1/reports?period={}", support::today()),
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(day.status(), StatusCode::BAD_REQUEST);

    let export = |who, format: &'static str| {
        let path = format!("/api/v1/reports/dhis2?period={month}&format={format}");
        let server = &server;
        async move { server.call(Method::GET, &path, Some(who), None).await }
    };
    assert_eq!(
        export(&viewer, "json").await.status(),
        StatusCode::FORBIDDEN
    );
    let set: Value = export(&manager, "json").await.json().await.unwrap();
    let values = set["dataValues"].as_array().unwrap();
    let units: Vec<&str> = values
        .iter()
        .map(|v| v["orgUnit"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        ["OrgUnitAll1", "OrgUnitVan1"],
        "the street value is not exported"
    );
    for value in values {
        assert_eq!(value["period"], dhis2_month.as_str());
        assert!(Uid::new(value["dataElement"].as_str().unwrap()).is_ok());
        let shown: u32 = value["value"]
            .as_str()
            .expect("a string value")
            .parse()
            .unwrap();
        assert!(shown >= report.threshold);
    }
    assert_eq!(
        values[0]["value"],
        contacts.total.value.unwrap().to_string()
    );
    let adx = export(&manager, "adx").await;
    assert!(
        adx.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/adx+xml")
    );
    let adx = adx.text().await.unwrap();
    assert!(
        adx.contains("<adx xmlns=\"urn:ihe:qrph:adx:2015\">"),
        "{adx}"
    );
    assert!(adx.contains("orgUnit=\"OrgUnitVan1\""));
    assert!(!adx.contains("OrgUnitStr1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_indicator_edits_on_one_version_store_one() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let offered = server.indicators(&manager).await;
    let edits = (0..8).map(|n| {
        let chosen: Vec<_> = offered.starter.iter().take(1 + n % 6).cloned().collect();
        server.edit_indicators(&manager, json!({"base_version": 0, "indicators": chosen}))
    });
    let answers = futures_util::future::join_all(edits).await;
    let ok = answers
        .iter()
        .filter(|a| a.status() == StatusCode::OK)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status() == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, refused), (1, 7));
}
