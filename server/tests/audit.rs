//! The audit log: who signed in, exported, changed the codebook, reviewed notes, issued codes,
//! revoked phones, changed people's access and made reset links; read by admins, newest first;
//! never a note's words, a free tag, a token or a password.

mod support;

use chrono::Datelike;
use peerpulse_core::bucket::Measure;
use peerpulse_core::org_api::{AuditAction, AuditEntry, AuditPage};
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::people::{Session, session_of};
use support::{TestServer, code, day_at_van, today};

const NOTE: &str = "the blue pills at the station are much stronger this week";
const FREE_TAG: &str = "tent-cluster-east";
const PASSWORD: &str = "a long enough secret";

impl TestServer {
    /// Every entry `admin` reads, newest first, through pages of `limit`.
    async fn audit_log(&self, admin: &Session, limit: u32) -> Vec<AuditEntry> {
        let mut all = Vec::new();
        let mut before: Option<i64> = None;
        loop {
            let query = match before {
                Some(id) => format!("/api/v1/audit?limit={limit}&before={id}"),
                None => format!("/api/v1/audit?limit={limit}"),
            };
            let res = self.call(Method::GET, &query, Some(admin), None).await;
            assert_eq!(res.status(), StatusCode::OK);
            let page: AuditPage = res.json().await.unwrap();
            assert!(page.entries.len() <= limit as usize);
            all.extend(page.entries);
            match page.next_before {
                Some(id) => before = Some(id),
                None => return all,
            }
        }
    }
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_from_where_and_never_words_or_secrets() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "max").await;

    // A password sign-in.
    let res = server
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"organization": "harbour", "username": "ada", "password": PASSWORD})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let signed_in = session_of(res).await;

    // A code issued, phones syncing a free tag and offering a note.
    let res = server
        .call(
            Method::POST,
            "/api/v1/enrolment-codes",
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let issued: serde_json::Value = res.json().await.unwrap();
    let issued_code = issued["code"].as_str().unwrap().to_owned();
    let phones = [server.device(org).await, server.device(org).await];
    for phone in &phones {
        server
            .sync(
                phone,
                day_at_van(9, 1, &[(Measure::FreeTag(code(FREE_TAG)), 9)]),
            )
            .await;
    }
    let week = today() - chrono::Days::new(u64::from(today().weekday().num_days_from_monday()));
    let res = server
        .client
        .post(server.at("/api/v1/notes"))
        .bearer_auth(&phones[0])
        .json(&json!({"id": "e1", "week": week.to_string(), "text": NOTE}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    // The manager reviews it and changes the codebook, promoting the free tag.
    let notes: Vec<serde_json::Value> = server
        .call(
            Method::GET,
            "/api/v1/notes?status=pending",
            Some(&manager),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let note_id = notes[0]["id"].as_i64().unwrap();
    let res = server
        .call(
            Method::POST,
            &format!("/api/v1/notes/{note_id}/review"),
            Some(&manager),
            Some(json!({"status": "approved"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = server
        .call(
            Method::POST,
            "/api/v1/codebook",
            Some(&manager),
            Some(json!({"base_version": 1, "edit": {"edit": "promote", "tag": FREE_TAG}})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );

    // The admin adds a person, changes their access, makes a reset link, revokes a phone;
    // the manager exports the brief.
    let res = server
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"username": "vic", "role": "viewer", "password": "another long secret"})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let res = server
        .call(
            Method::PATCH,
            "/api/v1/users/vic",
            Some(&admin),
            Some(json!({"role": "manager"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = server
        .call(
            Method::POST,
            "/api/v1/users/vic/reset-link",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let reset: serde_json::Value = res.json().await.unwrap();
    let reset_link = reset["link"].as_str().unwrap().to_owned();
    let enrolled = server.enrol(org).await;
    let res = server
        .call(
            Method::POST,
            &format!("/api/v1/devices/{}/revoke", enrolled.device_id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = server
        .call(
            Method::POST,
            "/api/v1/audit/export",
            Some(&manager),
            Some(json!({"what": "trend_brief"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = server
        .call(
            Method::POST,
            "/api/v1/audit/export",
            Some(&manager),
            Some(json!({"what": "my diary"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Read back in pages of 3, newest first.
    let log = server.audit_log(&admin, 3).await;
    let ids: Vec<i64> = log.iter().map(|e| e.id).collect();
    let mut newest_first = ids.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, newest_first);
    let seen: Vec<(AuditAction, &str, Option<&str>)> = log
        .iter()
        .rev()
        .map(|e| (e.action, e.who.as_str(), e.detail.as_deref()))
        .collect();
    let some = |d: &str| Some(d.to_owned());
    let expected: Vec<(AuditAction, &str, Option<String>)> = vec![
        (AuditAction::SignedIn, "ada", some("welcome link")),
        (AuditAction::SignedIn, "max", some("welcome link")),
        (AuditAction::SignedIn, "ada", None),
        (AuditAction::EnrolmentCodeIssued, "max", None),
        (
            AuditAction::NoteReviewed,
            "max",
            Some(format!("note {note_id} approved")),
        ),
        (
            AuditAction::CodebookChanged,
            "max",
            some("promote (version 2)"),
        ),
        (AuditAction::PersonAdded, "ada", some("vic as viewer")),
        (AuditAction::AccessChanged, "ada", some("vic: role manager")),
        (AuditAction::ResetLinkMade, "ada", some("vic")),
        (AuditAction::PhoneRevoked, "ada", some(&enrolled.device_id)),
        (AuditAction::Exported, "max", some("trend_brief")),
    ];
    let seen_owned: Vec<(AuditAction, &str, Option<String>)> = seen
        .iter()
        .map(|(a, w, d)| (*a, *w, d.map(str::to_owned)))
        .collect();
    assert_eq!(seen_owned, expected);
    for entry in &log {
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "{entry:?}");
        assert!(entry.at.ends_with('Z'), "{entry:?}");
    }

    // Nothing typed and nothing secret is kept: not in the API, not in the table.
    let api_text = serde_json::to_string(&log).unwrap();
    let table: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT org_id, who || ' ' || action || ' ' || at, COALESCE(address, ''), detail \
         FROM audit_log",
    )
    .fetch_all(&server.state.db)
    .await
    .unwrap();
    let table_text = format!("{table:?}");
    let reset_token = reset_link.rsplit('#').next().unwrap();
    let secrets = [
        NOTE,
        FREE_TAG,
        PASSWORD,
        "another long secret",
        &phones[0],
        &phones[1],
        &enrolled.token,
        &issued_code,
        reset_token,
        admin.cookie.split('=').nth(1).unwrap(),
        &admin.csrf,
        signed_in.cookie.split('=').nth(1).unwrap(),
        &signed_in.csrf,
    ];
    for secret in secrets {
        assert!(!api_text.contains(secret), "{secret} in the API's log");
        assert!(!table_text.contains(secret), "{secret} in the stored log");
    }
}

#[tokio::test]
async fn only_admins_read_the_audit_log_and_only_their_own_organizations() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let other = server.org("Night Van").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "max").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let stranger = server.person(other, Role::Admin, "sam").await;
    for who in [&manager, &viewer] {
        let res = server
            .call(Method::GET, "/api/v1/audit", Some(who), None)
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res = server.call(Method::GET, "/api/v1/audit", None, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = server
        .call(Method::GET, "/api/v1/audit?limit=ten", Some(&admin), None)
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let ours = server.audit_log(&admin, 50).await;
    assert_eq!(ours.len(), 3, "{ours:?}");
    assert!(ours.iter().all(|e| e.who != "sam"));
    let theirs = server.audit_log(&stranger, 50).await;
    assert_eq!(
        theirs.iter().map(|e| e.who.as_str()).collect::<Vec<_>>(),
        ["sam"]
    );
}

#[tokio::test]
async fn indicator_changes_are_logged_by_who_and_which_indicators_and_refused_ones_are_not() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "max").await;
    let offered: serde_json::Value = server
        .call(Method::GET, "/api/v1/indicators", Some(&manager), None)
        .await
        .json()
        .await
        .unwrap();
    let starter = offered["starter"].as_array().unwrap().clone();
    let put = |base: u32, indicators: serde_json::Value| {
        server.call(
            Method::PUT,
            "/api/v1/indicators",
            Some(&manager),
            Some(json!({"base_version": base, "indicators": indicators})),
        )
    };
    let res = put(0, json!(starter[..2])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut edited = starter[1].clone();
    edited["name"] = json!("Syringes given out");
    edited["denominator"] = json!({"label": "estimate from the outreach diary", "value": 900.0});
    let res = put(1, json!([edited, starter[2]])).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Refused changes (an old version, an unknown code) are not logged as changes.
    assert_eq!(put(1, json!([])).await.status(), StatusCode::CONFLICT);
    let mut unknown = starter[0].clone();
    unknown["sites"] = json!(["the-moon"]);
    assert_eq!(
        put(2, json!([unknown])).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let changes: Vec<(String, Option<String>)> = server
        .audit_log(&admin, 50)
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::IndicatorsChanged)
        .map(|e| (e.who, e.detail))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "max".to_owned(),
                Some(
                    "version 2: added Naloxone kits distributed; removed Contacts; changed \
                     Syringes and needles distributed → Syringes given out"
                        .to_owned()
                )
            ),
            (
                "max".to_owned(),
                Some("version 1: added Contacts, Syringes and needles distributed".to_owned())
            ),
        ]
    );
}
