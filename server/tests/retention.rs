//! Retention: an organization keeps each phone's own counts for some months, then folds them
//! into its totals. Every published figure stays exactly as it was (noise included), a late
//! sync of a folded day is answered "closed" and counted once, and folding is safe to repeat
//! and to run while phones sync. Over HTTP, on SQLite and PostgreSQL.

mod support;

use chrono::{Days, NaiveDate};
use peerpulse_core::audit::{AuditDetail, AuditEvent};
use peerpulse_core::bucket::{BucketKey, Measure};
use peerpulse_core::indicator::{Counted, Indicator};
use peerpulse_core::org_api::{AuditAction, AuditPage, OrgSettings};
use peerpulse_core::people::Role;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::{BucketUpdate, SyncResponse};
use peerpulse_core::retention::KeepPhoneRows;
use peerpulse_server::db::retention;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use support::people::Session;
use support::{TestServer, code, day_at, today};

/// Days of data each phone holds, back from yesterday: twice the three months kept.
const HISTORY_DAYS: u64 = 200;

/// The last day three months of retention fold today.
fn closed_through() -> NaiveDate {
    KeepPhoneRows::months(3).unwrap().folded_through(today())
}

/// Phone `p`'s consistent counts of the day `back` days ago, or none that day. Phones 0 and 1
/// type the free tag "dental-pain" on different days, so whether it may be named (two phones
/// in the period) depends on who typed it when, not on any one day's total.
fn phone_day(p: usize, back: u64, version: u64) -> Vec<BucketUpdate> {
    if !(back as usize + p).is_multiple_of(3) {
        return Vec::new();
    }
    let n = 3 + ((back as u32) * 7 + (p as u32) * 3) % 9;
    let site = if (back as usize + p).is_multiple_of(2) {
        "van"
    } else {
        "street"
    };
    let mut extras = vec![(Measure::Need(code("detox")), n.min(2))];
    if (p == 0 && back.is_multiple_of(10)) || (p == 1 && back % 10 == 5) {
        extras.push((Measure::FreeTag(code("dental-pain")), n));
    }
    day_at(today() - Days::new(back), site, n, version, &extras)
}

/// A service whose organization has `phones` phones, each holding [`HISTORY_DAYS`] of data,
/// with an admin and the phones' tokens.
async fn org_with_history(phones: usize) -> (TestServer, i64, Session, Vec<String>) {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let mut tokens = Vec::new();
    for p in 0..phones {
        let token = server.device(org).await;
        let buckets: Vec<BucketUpdate> = (1..=HISTORY_DAYS)
            .rev()
            .flat_map(|back| phone_day(p, back, HISTORY_DAYS + 1 - back))
            .collect();
        for batch in buckets.chunks(900) {
            server.sync(&token, batch.to_vec()).await;
        }
        tokens.push(token);
    }
    (server, org, admin, tokens)
}

async fn get_json(server: &TestServer, path: &str, session: Option<&Session>) -> Value {
    let res = server.call(Method::GET, path, session, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

async fn phone_get(server: &TestServer, path: &str, token: &str) -> Value {
    let res = server
        .client
        .get(server.at(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

/// Every calendar period from [`HISTORY_DAYS`] ago to today, of each granularity.
fn periods() -> Vec<Period> {
    let first = today() - Days::new(HISTORY_DAYS);
    let mut all = Vec::new();
    for granularity in [Granularity::Week, Granularity::Month, Granularity::Quarter] {
        let mut period = Period::containing(granularity, first);
        while period.first_day() <= today() {
            all.push(period);
            period = period.next();
        }
    }
    // Days around the closing day, and one long closed.
    for back in [0u64, 1, 2, 40] {
        all.push(Period::Day(closed_through() - Days::new(back)));
    }
    all.push(Period::Day(closed_through() + Days::new(1)));
    all
}

/// Everything the organization's people and a phone read of it: trends of every period (all
/// sites, one site, free tags), alerts and reports of each month, and the oversight grid.
async fn everything_published(
    server: &TestServer,
    admin: &Session,
    phone: &str,
) -> BTreeMap<String, Value> {
    let mut read = BTreeMap::new();
    for period in periods() {
        for query in [
            format!("period={period}"),
            format!("period={period}&site=van"),
            format!("period={period}&dimension=free-tag"),
        ] {
            let path = format!("/api/v1/trends?{query}");
            read.insert(path.clone(), get_json(server, &path, Some(admin)).await);
        }
        if !matches!(period, Period::Day(_)) {
            let path = format!("/api/v1/trends?period={period}");
            read.insert(
                format!("phone {path}"),
                phone_get(server, &path, phone).await,
            );
            let path = format!("/api/v1/reports?period={period}");
            read.insert(path.clone(), get_json(server, &path, Some(admin)).await);
        }
        if matches!(period, Period::Month(_) | Period::Day(_)) {
            let path = format!("/api/v1/alerts?period={period}");
            read.insert(path.clone(), get_json(server, &path, Some(admin)).await);
        }
    }
    let oversight = get_json(server, "/api/v1/oversight", Some(admin)).await;
    read.insert("oversight".into(), oversight["devices"].clone());
    read
}

/// Per-phone rows stored for days on or before `day`.
async fn phone_rows_through(server: &TestServer, org: i64, day: NaiveDate) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM device_buckets WHERE org_id = $1 AND day <= $2",
    )
    .bind(org)
    .bind(day.to_string())
    .fetch_one(&server.state.db)
    .await
    .unwrap()
}

/// Sets the retention through the API, as an admin does.
async fn keep_months(server: &TestServer, admin: &Session, months: Value) -> reqwest::Response {
    server
        .call(
            Method::PUT,
            "/api/v1/settings",
            Some(admin),
            Some(json!({ "keep_phone_rows_months": months })),
        )
        .await
}

/// The starter indicators and "phones active", which counts distinct phones over a period.
async fn indicators_with_phones_active(server: &TestServer, admin: &Session) {
    let mut indicators = server.indicators(admin).await.starter;
    indicators.push(Indicator {
        id: code("phones-active"),
        name: "Phones active".into(),
        counted: Counted::PhonesActive,
        sites: BTreeSet::new(),
        denominator: None,
        dhis2: None,
    });
    let stored = server
        .edit_indicators(
            admin,
            json!({ "base_version": 0, "indicators": indicators }),
        )
        .await;
    assert_eq!(stored.status(), StatusCode::OK);
}

#[tokio::test]
async fn folding_leaves_every_published_figure_exactly_as_it_was() {
    let (server, org, admin, phones) = org_with_history(4).await;
    indicators_with_phones_active(&server, &admin).await;
    let before = everything_published(&server, &admin, &phones[0]).await;
    let named_before = before
        .iter()
        .filter(|(path, answer)| {
            path.contains("dimension=free-tag")
                && answer["totals"].as_array().is_some_and(|t| !t.is_empty())
        })
        .count();
    assert!(named_before > 0, "the data names the free tag somewhere");

    assert_eq!(
        keep_months(&server, &admin, json!(3)).await.status(),
        StatusCode::OK
    );
    let rows_before = phone_rows_through(&server, org, closed_through()).await;
    assert!(rows_before > 0);
    let folded = retention::fold(&server.state.db, org, today())
        .await
        .unwrap()
        .expect("the organization keeps phone rows three months");
    assert_eq!(folded.closed_through, closed_through());
    assert_eq!(folded.rows as i64, rows_before);
    assert_eq!(phone_rows_through(&server, org, closed_through()).await, 0);
    assert!(
        phone_rows_through(&server, org, today()).await > 0,
        "the last three months keep their per-phone rows"
    );

    let after = everything_published(&server, &admin, &phones[0]).await;
    for (path, answer) in &before {
        assert_eq!(
            Some(answer),
            after.get(path),
            "{path} changed with the fold"
        );
    }

    // Again: nothing left to fold, nothing changes.
    let again = retention::fold(&server.state.db, org, today())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.rows, 0);
    assert_eq!(again.closed_through, closed_through());
    assert_eq!(
        everything_published(&server, &admin, &phones[0]).await,
        before
    );

    let settings: OrgSettings =
        serde_json::from_value(get_json(&server, "/api/v1/settings", Some(&admin)).await).unwrap();
    assert_eq!(
        settings.keep_phone_rows_months,
        KeepPhoneRows::months(3).ok()
    );
    assert_eq!(settings.closed_through, Some(closed_through()));
    let oversight = get_json(&server, "/api/v1/oversight", Some(&admin)).await;
    assert_eq!(
        oversight["folded_through"],
        json!(closed_through().to_string())
    );
}

#[tokio::test]
async fn a_late_sync_of_a_folded_day_is_answered_closed_and_counted_once() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let phone = server.device(org).await;
    let old = closed_through() - Days::new(10);
    let recent = today() - Days::new(3);
    server.sync(&phone, day_at(old, "van", 6, 1, &[])).await;
    let total = |day: NaiveDate| {
        let server = &server;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(count AS BIGINT) FROM org_buckets \
                 WHERE org_id = $1 AND day = $2 AND dimension = 'encounters'",
            )
            .bind(org)
            .bind(day.to_string())
            .fetch_optional(&server.state.db)
            .await
            .unwrap()
        }
    };
    assert_eq!(total(old).await, Some(6));

    assert_eq!(
        keep_months(&server, &admin, json!(3)).await.status(),
        StatusCode::OK
    );
    retention::fold(&server.state.db, org, today())
        .await
        .unwrap();

    // The phone counted two more entries on that old day, and one on a day never sent, and
    // logged a recent day: one batch.
    let forgotten = closed_through() - Days::new(20);
    let mut batch = day_at(old, "van", 8, 2, &[]);
    batch.extend(day_at(forgotten, "street", 1, 2, &[]));
    batch.extend(day_at(recent, "van", 4, 2, &[]));
    let (status, raw) = server
        .sync_raw(&phone, &json!({ "buckets": batch, "codebook_version": 1 }))
        .await;
    assert_eq!(status, StatusCode::OK, "{raw}");
    let answer: SyncResponse = serde_json::from_value(raw.clone()).unwrap();
    let closed: BTreeSet<BucketKey> = answer.closed.iter().cloned().collect();
    let expected: BTreeSet<BucketKey> = batch
        .iter()
        .filter(|u| u.day <= closed_through())
        .map(BucketUpdate::key)
        .collect();
    assert_eq!(
        closed, expected,
        "every bucket of a folded day, and only those"
    );
    assert_eq!(answer.closed_through, Some(closed_through()));
    assert_eq!(answer.applied, 3, "the recent day lands");
    assert_eq!(answer.unchanged, 0);
    assert!(answer.rejected.is_empty());
    assert_eq!(
        answer.acked_through, 2,
        "settled: the phone does not send them again"
    );
    assert_eq!(
        raw["closed"][0]["day"],
        json!(forgotten.to_string()),
        "closed buckets are named as keys on the wire: {raw}"
    );

    assert_eq!(
        total(old).await,
        Some(6),
        "the folded total is kept, not counted twice"
    );
    assert_eq!(
        total(forgotten).await,
        None,
        "nothing is stored for a closed day"
    );
    assert_eq!(total(recent).await, Some(4));
    assert_eq!(phone_rows_through(&server, org, closed_through()).await, 0);

    // Sending it again changes nothing either.
    let again = server.sync(&phone, day_at(old, "van", 9, 3, &[])).await;
    assert_eq!(again.closed.len(), 3);
    assert_eq!(total(old).await, Some(6));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn folding_while_phones_sync_loses_nothing_and_counts_nothing_twice() {
    let server = Arc::new(TestServer::start(None).await);
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    assert_eq!(
        keep_months(&server, &admin, json!(3)).await.status(),
        StatusCode::OK
    );
    let old = closed_through() - Days::new(5);
    let recent = today() - Days::new(5);
    const ROUNDS: u32 = 25;
    let mut load = Vec::new();
    for p in 0..4u32 {
        let token = server.device(org).await;
        let server = server.clone();
        load.push(tokio::spawn(async move {
            // What the service holds of each of this phone's buckets: the last count it took.
            let mut held: BTreeMap<BucketKey, u32> = BTreeMap::new();
            for round in 1..=ROUNDS {
                let n = 3 + (round + p) % 7;
                let mut batch = day_at(old, "van", n, u64::from(round), &[]);
                batch.extend(day_at(recent, "van", n, u64::from(round), &[]));
                let answer = server.sync(&token, batch.clone()).await;
                let closed: BTreeSet<BucketKey> = answer.closed.into_iter().collect();
                for update in batch {
                    if !closed.contains(&update.key()) {
                        held.insert(update.key(), update.count);
                    }
                }
            }
            held
        }));
    }
    let folder = {
        let server = server.clone();
        tokio::spawn(async move {
            for _ in 0..10 {
                tokio::time::sleep(std::time::Duration::from_millis(15)).await;
                retention::fold(&server.state.db, org, today())
                    .await
                    .expect("a fold while phones sync succeeds");
            }
        })
    };
    let mut expected: BTreeMap<BucketKey, u32> = BTreeMap::new();
    for phone in load {
        for (key, count) in phone.await.unwrap() {
            *expected.entry(key).or_default() += count;
        }
    }
    folder.await.unwrap();
    retention::fold(&server.state.db, org, today())
        .await
        .unwrap();

    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT day, site, dimension, value, CAST(count AS BIGINT) FROM org_buckets \
         WHERE org_id = $1",
    )
    .bind(org)
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    let stored: BTreeMap<(String, String, String, String), u32> = rows
        .into_iter()
        .map(|(d, s, dim, v, c)| ((d, s, dim, v), u32::try_from(c).unwrap()))
        .collect();
    let expected: BTreeMap<(String, String, String, String), u32> = expected
        .into_iter()
        .map(|(k, c)| {
            (
                (
                    k.day.to_string(),
                    k.site.to_string(),
                    k.measure.dimension().as_str().to_owned(),
                    k.measure.value().to_owned(),
                ),
                c,
            )
        })
        .collect();
    assert_eq!(
        stored, expected,
        "each total is the sum of what each phone was told the service holds"
    );
    assert_eq!(phone_rows_through(&server, org, closed_through()).await, 0);
}

#[tokio::test]
async fn only_admins_set_the_retention_and_never_below_three_months() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let settings: OrgSettings =
        serde_json::from_value(get_json(&server, "/api/v1/settings", Some(&manager)).await)
            .unwrap();
    assert_eq!(settings.keep_phone_rows_months, None, "off by default");
    assert_eq!(
        keep_months(&server, &manager, json!(3)).await.status(),
        StatusCode::FORBIDDEN
    );
    for bad in [json!(2), json!(0), json!(-1), json!("3"), json!(121)] {
        let res = keep_months(&server, &admin, bad.clone()).await;
        assert!(res.status().is_client_error(), "{bad} accepted");
    }
    let unknown = server
        .call(
            Method::PUT,
            "/api/v1/settings",
            Some(&admin),
            Some(json!({ "threshold": 1 })),
        )
        .await;
    assert!(unknown.status().is_client_error());
    assert!(
        retention::fold(&server.state.db, org, today())
            .await
            .unwrap()
            .is_none(),
        "nothing folds while the setting is off"
    );
    let set = keep_months(&server, &admin, json!(6)).await;
    assert_eq!(set.status(), StatusCode::OK);
    let set: OrgSettings = set.json().await.unwrap();
    assert_eq!(set.keep_phone_rows_months, KeepPhoneRows::months(6).ok());
    let off: OrgSettings = keep_months(&server, &admin, Value::Null)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(off.keep_phone_rows_months, None);
    // The audit log holds each change made, by whom, and none of the refused ones.
    let audit: AuditPage =
        serde_json::from_value(get_json(&server, "/api/v1/audit?limit=50", Some(&admin)).await)
            .unwrap();
    let changes: Vec<(&str, Option<AuditDetail>)> = audit
        .entries
        .iter()
        .filter(|e| e.action == AuditAction::RetentionChanged)
        .map(|e| (e.who.as_str(), e.detail.clone()))
        .collect();
    let kept = |months: Option<u16>| {
        Some(AuditDetail::Event(AuditEvent::RetentionChanged {
            keep_phone_rows_months: months.map(|m| KeepPhoneRows::months(m).unwrap()),
        }))
    };
    assert_eq!(changes, [("ada", kept(None)), ("ada", kept(Some(6)))]);
}
