//! The audit log: who signed in, exported, changed the codebook, reviewed notes, issued codes,
//! revoked phones, changed people's access and made reset links; read by admins, newest first;
//! never a note's words, a free tag, a token or a password.

mod support;

use chrono::Datelike;
use peerpulse_core::audit::{AuditDetail, AuditEvent, CodebookChange, NoteDecision, SignInWith};
use peerpulse_core::bucket::Measure;
use peerpulse_core::indicator_change::{IndicatorChange, Renamed};
use peerpulse_core::org_api::{AuditAction, AuditEntry, AuditPage, ExportKind};
use peerpulse_core::people::Role;
use peerpulse_core::people::Username;
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
    let res = server.sign_in("harbour", "ada", PASSWORD).await;
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
        .offer(&phones[0], "e1", &week.to_string(), NOTE)
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    // The manager reviews it and changes the codebook, promoting the free tag.
    let notes = server.notes(&manager, "?status=pending").await;
    let note_id = notes[0].id;
    let res = server.review(note_id, "approved", &manager).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = server
        .edit_codebook(
            &manager,
            json!({"base_version": 1, "edit": {"edit": "promote", "tag": FREE_TAG}}),
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
        .add_person(&admin, "vic", "viewer", "another long secret")
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
    let res = server.reset_link(&admin, "vic").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let reset: serde_json::Value = res.json().await.unwrap();
    let reset_link = reset["link"].as_str().unwrap().to_owned();
    let enrolled = server.enrol(org).await;
    let res = server.revoke_device(&admin, &enrolled.device_id).await;
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
    let seen: Vec<(&str, &AuditEvent)> = log
        .iter()
        .rev()
        .map(|e| match &e.detail {
            Some(AuditDetail::Event(event)) => {
                assert_eq!(event.action(), e.action, "{e:?}");
                (e.who.as_str(), event)
            }
            other => panic!("a new entry without its event: {other:?}"),
        })
        .collect();
    let vic = || Username::new("vic").unwrap();
    let expected = [
        (
            "ada",
            AuditEvent::SignedIn {
                with: SignInWith::WelcomeLink,
            },
        ),
        (
            "max",
            AuditEvent::SignedIn {
                with: SignInWith::WelcomeLink,
            },
        ),
        (
            "ada",
            AuditEvent::SignedIn {
                with: SignInWith::Password,
            },
        ),
        ("max", AuditEvent::EnrolmentCodeIssued),
        (
            "max",
            AuditEvent::NoteReviewed {
                note: note_id,
                decision: NoteDecision::Approved,
            },
        ),
        (
            "max",
            AuditEvent::CodebookChanged {
                change: CodebookChange::Promote,
                version: 2,
            },
        ),
        (
            "ada",
            AuditEvent::PersonAdded {
                person: vic(),
                role: Role::Viewer,
            },
        ),
        (
            "ada",
            AuditEvent::AccessChanged {
                person: vic(),
                role: Some(Role::Manager),
                access: None,
            },
        ),
        ("ada", AuditEvent::ResetLinkMade { person: vic() }),
        (
            "ada",
            AuditEvent::PhoneRevoked {
                phone: enrolled.device_id.clone(),
            },
        ),
        (
            "max",
            AuditEvent::Exported {
                what: ExportKind::TrendBrief,
            },
        ),
    ];
    let expected: Vec<(&str, &AuditEvent)> = expected.iter().map(|(w, e)| (*w, e)).collect();
    assert_eq!(seen, expected);
    for entry in &log {
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "{entry:?}");
        assert!(entry.at.ends_with('Z'), "{entry:?}");
    }

    // Nothing typed and nothing secret is kept: not in the API, not in the table.
    let api_text = serde_json::to_string(&log).unwrap();
    let table: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT org_id, who || ' ' || action || ' ' || at, COALESCE(address, ''), event \
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
    let starter = server.indicators(&manager).await.starter;
    let put = |base: u32, indicators: serde_json::Value| {
        server.edit_indicators(
            &manager,
            json!({"base_version": base, "indicators": indicators}),
        )
    };
    let res = put(0, json!(starter[..2])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut edited = json!(starter[1]);
    edited["name"] = json!("Syringes given out");
    edited["denominator"] = json!({"label": "estimate from the outreach diary", "value": 900.0});
    let res = put(1, json!([edited, starter[2]])).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Refused changes (an old version, an unknown code) are not logged as changes.
    assert_eq!(put(1, json!([])).await.status(), StatusCode::CONFLICT);
    let mut unknown = json!(starter[0]);
    unknown["sites"] = json!(["the-moon"]);
    assert_eq!(
        put(2, json!([unknown])).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let changes: Vec<(String, Option<AuditDetail>)> = server
        .audit_log(&admin, 50)
        .await
        .into_iter()
        .filter(|e| e.action == AuditAction::IndicatorsChanged)
        .map(|e| (e.who, e.detail))
        .collect();
    let changed = |change: IndicatorChange| {
        (
            "max".to_owned(),
            Some(AuditDetail::Event(AuditEvent::IndicatorsChanged { change })),
        )
    };
    let names = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
    assert_eq!(
        changes,
        [
            changed(IndicatorChange {
                version: 2,
                added: names(&["Naloxone kits distributed"]),
                removed: names(&["Contacts"]),
                renamed: vec![Renamed {
                    from: "Syringes and needles distributed".into(),
                    to: "Syringes given out".into(),
                }],
                ..Default::default()
            }),
            changed(IndicatorChange {
                version: 1,
                added: names(&["Contacts", "Syringes and needles distributed"]),
                ..Default::default()
            }),
        ]
    );
}

#[tokio::test]
async fn entries_written_before_details_were_typed_read_back_as_their_text() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    // As the service wrote them before: English words in `detail`, or nothing.
    for (action, detail) in [
        ("note_reviewed", Some("note 12 approved")),
        ("codebook_changed", Some("add (version 4)")),
        ("signed_in", None),
    ] {
        sqlx::query(
            "INSERT INTO audit_log (org_id, at, who, address, action, detail) \
             VALUES ($1, '2026-11-02T10:00:00Z', 'max', '10.0.0.7', $2, $3)",
        )
        .bind(org)
        .bind(action)
        .bind(detail)
        .execute(&server.state.db)
        .await
        .unwrap();
    }
    let log = server.audit_log(&admin, 50).await;
    let old: Vec<(AuditAction, Option<AuditDetail>)> = log
        .iter()
        .filter(|e| e.who == "max")
        .map(|e| (e.action, e.detail.clone()))
        .collect();
    assert_eq!(
        old,
        [
            (AuditAction::SignedIn, None),
            (
                AuditAction::CodebookChanged,
                Some(AuditDetail::Legacy("add (version 4)".into()))
            ),
            (
                AuditAction::NoteReviewed,
                Some(AuditDetail::Legacy("note 12 approved".into()))
            ),
        ]
    );
    // The API names the form, so an app tells old text from a typed event.
    let res = server
        .call(Method::GET, "/api/v1/audit", Some(&admin), None)
        .await;
    let page: serde_json::Value = res.json().await.unwrap();
    assert!(
        page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"] == json!({"legacy": "note 12 approved"})),
        "{page}"
    );
}

#[tokio::test]
async fn a_name_carrying_markup_or_placeholders_is_kept_as_typed_and_changes_no_other_entry() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "max").await;
    let offered = server.indicators(&manager).await;
    let mut indicator = offered.starter[0].clone();
    let res = server
        .edit_indicators(
            &manager,
            json!({"base_version": 0, "indicators": [indicator]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let before = server.audit_log(&admin, 50).await;

    // A name that closes the stored JSON, claims another action, and carries markup and the
    // placeholders the app's sentences use.
    const HOSTILE: &str =
        r#"<img src=x>{{done}}{{names}}","action":"signed_in","with":"password"}"#;
    indicator.name = HOSTILE.to_owned();
    let res = server
        .call(
            Method::PUT,
            "/api/v1/indicators",
            Some(&manager),
            Some(json!({"base_version": 1, "indicators": [indicator]})),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );

    let after = server.audit_log(&admin, 50).await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[1..], before[..], "older entries are untouched");
    let newest = &after[0];
    assert_eq!(newest.action, AuditAction::IndicatorsChanged);
    let Some(AuditDetail::Event(AuditEvent::IndicatorsChanged { change })) = &newest.detail else {
        panic!("{newest:?}");
    };
    assert_eq!(
        change.renamed,
        [Renamed {
            from: offered.starter[0].name.clone(),
            to: HOSTILE.to_owned(),
        }]
    );
}
