//! Sign-in, roles and organization isolation for people, over real HTTP.

mod support;

use peerpulse_core::org_api::{EnrolmentCodeIssued, SessionInfo, UserSummary};
use peerpulse_core::people::Role;
use peerpulse_server::db::people;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use support::people::{Session, session_of};

async fn error_code(res: reqwest::Response) -> String {
    let body: Value = res.json().await.unwrap();
    body["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_sign_in_link_works_once_and_sets_a_strict_http_only_cookie() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let token = people::create_link(&server.state.db, org, Role::Admin)
        .await
        .unwrap();
    let body = json!({"token": token, "username": "Ana", "password": "a long enough secret"});
    let res = server
        .call(Method::POST, "/api/v1/welcome", None, Some(body.clone()))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    for part in ["pp_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");
    let info: SessionInfo = res.json().await.unwrap();
    assert_eq!(
        (info.username.as_str(), info.role, info.org_name.as_str()),
        ("ana", Role::Admin, "Harbour")
    );

    let again = server
        .call(Method::POST, "/api/v1/welcome", None, Some(body))
        .await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(again).await, "sign_in_link_invalid");

    let weak = server
        .call(
            Method::POST,
            "/api/v1/welcome",
            None,
            Some(json!({"token": "x", "username": "bo", "password": "short"})),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_code(weak).await == "invalid_body");
}

#[tokio::test]
async fn cookies_are_secure_when_the_service_is_reached_over_https() {
    let server = TestServer::reached_at("https://pulse.example.org").await;
    let org = server.org("Harbour").await;
    let token = people::create_link(&server.state.db, org, Role::Viewer)
        .await
        .unwrap();
    let res = server
        .call(
            Method::POST,
            "/api/v1/welcome",
            None,
            Some(json!({"token": token, "username": "vic", "password": "a long enough secret"})),
        )
        .await;
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn signing_in_checks_the_password_without_saying_which_part_was_wrong() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    server.person(org, Role::Manager, "mia").await;
    for (username, password) in [
        ("mia", "not the secret at all"),
        ("nobody", "a long enough secret"),
    ] {
        let res = server.sign_in("harbour", username, password).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "bad_credentials");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("do not match an account")
        );
    }
    let ok = server
        .sign_in("Harbour", "MIA", "a long enough secret")
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let session = session_of(ok).await;
    let me = server
        .call(Method::GET, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(me.status(), StatusCode::OK);

    let out = server
        .call(Method::DELETE, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let gone = server
        .call(Method::GET, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(gone).await, "sign_in_required");
}

#[tokio::test]
async fn changes_need_the_csrf_token_not_just_the_cookie() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ana").await;
    let forged = Session {
        cookie: admin.cookie.clone(),
        csrf: "guessed".into(),
    };
    let res = server
        .call(Method::POST, "/api/v1/enrolment-codes", Some(&forged), None)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("x-csrf-token"));
    let res = server
        .call(Method::POST, "/api/v1/enrolment-codes", Some(&admin), None)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn each_role_does_only_what_it_may() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ana").await;
    let created = server
        .add_person(&admin, "vic", "viewer", "first password here")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let taken = server
        .add_person(&admin, "vic", "manager", "first password here")
        .await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let viewer = session_of(
        server
            .sign_in("harbour", "vic", "first password here")
            .await,
    )
    .await;
    let manager = server.person(org, Role::Manager, "mia").await;

    for who in [&viewer, &manager] {
        let res = server
            .call(Method::GET, "/api/v1/users", Some(who), None)
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res = server
        .call(Method::POST, "/api/v1/enrolment-codes", Some(&viewer), None)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let issued: EnrolmentCodeIssued = server
        .call(
            Method::POST,
            "/api/v1/enrolment-codes",
            Some(&manager),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(issued.qr_svg.starts_with("<?xml") && issued.qr_svg.contains("<svg"));
    assert!(
        issued
            .enrol_url
            .ends_with(&format!("/enrol#{}", issued.code))
    );
    let device = server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&json!({"code": issued.code.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(device.status(), StatusCode::CREATED);
    let device: Value = device.json().await.unwrap();
    let device_id = device["device_id"].as_str().unwrap();

    let revoke = format!("/api/v1/devices/{device_id}/revoke");
    let res = server
        .call(Method::POST, &revoke, Some(&manager), None)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = server.call(Method::POST, &revoke, Some(&admin), None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let users: Vec<UserSummary> = server
        .call(Method::GET, "/api/v1/users", Some(&admin), None)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<_> = users
        .iter()
        .map(|u| (u.username.as_str(), u.role))
        .collect();
    assert_eq!(
        names,
        [
            ("ana", Role::Admin),
            ("mia", Role::Manager),
            ("vic", Role::Viewer)
        ]
    );
}

#[tokio::test]
async fn nobody_reads_or_changes_anything_of_another_organization() {
    let server = TestServer::start(None).await;
    let harbour = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let harbour_device = server.enrol(harbour).await;
    let hills_admin = server.person(hills, Role::Admin, "hal").await;
    server.person(harbour, Role::Admin, "ana").await;

    let revoke = format!("/api/v1/devices/{}/revoke", harbour_device.device_id);
    let res = server
        .call(Method::POST, &revoke, Some(&hills_admin), None)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The Harbour phone still syncs.
    server.sync(&harbour_device.token, vec![]).await;

    let devices: Vec<Value> = server
        .call(Method::GET, "/api/v1/devices", Some(&hills_admin), None)
        .await
        .json()
        .await
        .unwrap();
    assert!(devices.is_empty());
    let users: Vec<UserSummary> = server
        .call(Method::GET, "/api/v1/users", Some(&hills_admin), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].username.as_str(), "hal");

    // A code Hills issues enrols a phone into Hills only.
    let issued: EnrolmentCodeIssued = server
        .call(
            Method::POST,
            "/api/v1/enrolment-codes",
            Some(&hills_admin),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let res = server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&json!({"code": issued.code.to_string()}))
        .send()
        .await
        .unwrap();
    let enrolled: Value = res.json().await.unwrap();
    assert_eq!(enrolled["org_name"], "Hills");
}

#[tokio::test]
async fn signed_in_people_read_their_own_organizations_trends_and_alerts() {
    let server = TestServer::start(None).await;
    let harbour = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let viewer = server.person(hills, Role::Viewer, "vic").await;
    let phone = server.device(harbour).await;
    server.sync(&phone, support::day_at_van(29, 1, &[])).await;
    for path in ["/api/v1/trends", "/api/v1/alerts"] {
        let res = server.call(Method::GET, path, Some(&viewer), None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body: Value = res.json().await.unwrap();
        let empty = body.get("totals").or(body.get("alerts")).unwrap();
        assert_eq!(empty, &json!([]), "{path}: Hills sees nothing of Harbour");
    }
    let anonymous = server.call(Method::GET, "/api/v1/trends", None, None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn managers_see_each_phones_weekly_captures_and_viewers_do_not() {
    use peerpulse_core::oversight::OversightResponse;
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let phone = server.enrol(org).await;
    let mut state = support::day_at_van(14, 1, &[]);
    state.extend(support::day_at(support::today(), "street", 13, 1, &[]));
    server.sync(&phone.token, state).await;

    let grid: OversightResponse = server
        .call(Method::GET, "/api/v1/oversight", Some(&manager), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(grid.weeks.len(), 8);
    assert!(grid.weeks[7].contains(support::today()));
    assert_eq!(grid.devices.len(), 1);
    let activity = &grid.devices[0];
    assert_eq!(activity.device_id, phone.device_id);
    assert_eq!(activity.quiet, None);
    support::assert_near(activity.weeks[7].encounters, 27);
    assert_eq!(activity.weeks[7].days_active, 1);
    assert!(activity.weeks[..7].iter().all(|w| w.encounters.is_none()));

    let res = server
        .call(Method::GET, "/api/v1/oversight", Some(&viewer), None)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The worker's own phone reads exactly its own row, as its managers see it.
    let mine: OversightResponse = server
        .client
        .get(server.at("/api/v1/oversight/mine"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.devices, grid.devices);
    let other = server.enrol(org).await;
    let theirs: OversightResponse = server
        .client
        .get(server.at("/api/v1/oversight/mine"))
        .bearer_auth(&other.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs.devices.len(), 1);
    assert_eq!(theirs.devices[0].device_id, other.device_id);
    assert!(theirs.devices[0].weeks.iter().all(|w| w.days_active == 0));
}

#[tokio::test]
async fn managers_name_phones_with_an_alias_the_guard_accepts_and_nobody_else_can() {
    use peerpulse_core::oversight::OversightResponse;
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let elsewhere = server.person(hills, Role::Admin, "hal").await;
    let phone = server.enrol(org).await;
    let path = format!("/api/v1/devices/{}", phone.device_id);
    let named = server
        .call(
            Method::PATCH,
            &path,
            Some(&manager),
            Some(json!({"label": " Van team "})),
        )
        .await;
    assert_eq!(named.status(), StatusCode::OK);
    let named: Value = named.json().await.unwrap();
    assert_eq!(named["label"], "Van team");
    for identifying in ["call 0412 345 678", "ana@example.org", ""] {
        let res = server
            .call(
                Method::PATCH,
                &path,
                Some(&manager),
                Some(json!({ "label": identifying })),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{identifying:?}"
        );
    }
    for (who, status) in [
        (&viewer, StatusCode::FORBIDDEN),
        (&elsewhere, StatusCode::NOT_FOUND),
    ] {
        let res = server
            .call(
                Method::PATCH,
                &path,
                Some(who),
                Some(json!({"label": "Mine now"})),
            )
            .await;
        assert_eq!(res.status(), status);
    }
    let grid: OversightResponse = server
        .call(Method::GET, "/api/v1/oversight", Some(&manager), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(grid.devices[0].label.as_ref().unwrap().as_str(), "Van team");
    let cleared = server
        .call(
            Method::PATCH,
            &path,
            Some(&manager),
            Some(json!({"label": null})),
        )
        .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let cleared: Value = cleared.json().await.unwrap();
    assert_eq!(cleared["label"], Value::Null);
}

#[tokio::test]
async fn managers_edit_the_codebook_version_by_version_and_phones_get_it() {
    use peerpulse_core::codebook::{CodeList, Codebook};
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let phone = server.device(org).await;
    let add =
        json!({"base_version": 1, "edit": {"edit": "add", "list": "need", "label": "Dental care"}});

    let refused = server.edit_codebook(&viewer, add.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let res = server.edit_codebook(&manager, add.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let book: Codebook = res.json().await.unwrap();
    assert_eq!(book.version, 2);
    let dental = support::code("dental-care");
    assert!(book.offers(CodeList::Need, &dental));

    // An edit made on an older version is refused, not merged blindly.
    let stale = server.edit_codebook(&manager, add).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let missing = server
        .edit_codebook(&manager, json!({"base_version": 2, "edit": {"edit": "retire", "list": "need", "code": "moon-dust"}}))
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.text().await.unwrap().contains("no code moon-dust"));

    // The phone gets version 2 on its next sync, and may count the new need.
    let answer = server
        .sync(
            &phone,
            support::day_at_van(5, 1, &[(peerpulse_core::bucket::Measure::Need(dental), 5)]),
        )
        .await;
    assert_eq!((answer.applied, answer.codebook_version), (4, 2));
    assert!(answer.codebook.is_some());

    // Another organization's codebook is untouched.
    let hills = server.org("Hills").await;
    let hills_phone = server.device(hills).await;
    assert_eq!(server.sync(&hills_phone, vec![]).await.codebook_version, 1);
}

/// Today's published need counts as the viewer reads them: `(value, count)` of each.
async fn needs_seen(server: &TestServer, session: &Session) -> Vec<(String, u32)> {
    let res = server
        .call(
            Method::GET,
            &format!("/api/v1/trends?period={}&dimension=need", support::today()),
            Some(session),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let trends: peerpulse_core::protocol::TrendsResponse = res.json().await.unwrap();
    trends
        .totals
        .iter()
        .map(|c| (c.measure.value().to_owned(), c.count))
        .collect()
}

/// Asserts the need counts seen are these codes, each within the noise of its true count.
fn assert_needs_near(seen: &[(String, u32)], truth: &[(&str, u32)]) {
    let codes: Vec<&str> = seen.iter().map(|(c, _)| c.as_str()).collect();
    let expected: Vec<&str> = truth.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, expected, "{seen:?}");
    for ((_, shown), (_, n)) in seen.iter().zip(truth) {
        support::assert_near(Some(*shown), *n);
    }
}

#[tokio::test]
async fn merged_codes_and_promoted_tags_count_as_one_need_past_counts_included() {
    use peerpulse_core::bucket::Measure;
    use peerpulse_core::protocol::AlertsResponse;
    use support::{code, day_at_van, update};
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let edit = |base: u64, edit: Value| json!({"base_version": base, "edit": edit});
    let add_shelter = edit(
        1,
        json!({"edit": "add", "list": "need", "label": "Shelter"}),
    );
    let res = server.edit_codebook(&manager, add_shelter).await;
    assert_eq!(res.status(), StatusCode::OK);

    let (ours, theirs) = (server.device(org).await, server.device(org).await);
    server
        .sync(
            &ours,
            day_at_van(
                20,
                1,
                &[
                    (Measure::Need(code("housing")), 14),
                    (Measure::FreeTag(code("dental-care")), 8),
                ],
            ),
        )
        .await;
    server
        .sync(
            &theirs,
            day_at_van(
                20,
                1,
                &[
                    (Measure::Need(code("shelter")), 13),
                    (Measure::FreeTag(code("dental-care")), 8),
                ],
            ),
        )
        .await;
    let new_tags = |alerts: AlertsResponse| -> Vec<String> {
        alerts
            .new_free_tags
            .iter()
            .map(|t| t.tag.as_str().to_owned())
            .collect()
    };
    let alerts = || async {
        let res = server
            .call(Method::GET, "/api/v1/alerts", Some(&viewer), None)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<AlertsResponse>().await.unwrap()
    };
    assert_eq!(new_tags(alerts().await), ["dental-care"]);
    assert_needs_near(
        &needs_seen(&server, &viewer).await,
        &[("housing", 14), ("shelter", 13)],
    );

    let merge = edit(
        2,
        json!({"edit": "merge", "list": "need", "code": "shelter", "into": "housing"}),
    );
    let refused = server.edit_codebook(&viewer, merge.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let into_itself = edit(
        2,
        json!({"edit": "merge", "list": "need", "code": "shelter", "into": "shelter"}),
    );
    let res = server.edit_codebook(&manager, into_itself).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("pick another entry"));
    for change in [
        merge,
        edit(3, json!({"edit": "promote", "tag": "dental-care"})),
    ] {
        let res = server.edit_codebook(&manager, change).await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    // Past counts follow: shelter's 13 join housing's 14, the tag's 16 are the new need's.
    assert_needs_near(
        &needs_seen(&server, &viewer).await,
        &[("dental-care", 16), ("housing", 27)],
    );
    assert!(
        new_tags(alerts().await).is_empty(),
        "a promoted tag is no longer new"
    );
    // A phone still counting the merged code is accepted: its entries were made before.
    let late = server
        .sync(&theirs, vec![update(Measure::Need(code("shelter")), 14, 2)])
        .await;
    assert_eq!((late.applied, late.codebook_version), (1, 4));
    assert_needs_near(
        &needs_seen(&server, &viewer).await,
        &[("dental-care", 16), ("housing", 28)],
    );
}

#[tokio::test]
async fn usernames_belong_to_their_organization_and_signing_in_names_it() {
    let server = TestServer::start(None).await;
    let harbour = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let harbour_admin = server.person(harbour, Role::Admin, "admin").await;
    // The same name in another organization is another person, not a taken name that
    // tells Hills who works at Harbour.
    let hills_admin = server.welcome(hills, Role::Admin, "admin").await;
    assert_eq!(hills_admin.status(), StatusCode::OK);
    let info: SessionInfo = hills_admin.json().await.unwrap();
    assert_eq!(info.org_handle.as_str(), "hills");
    for (org, username, status) in [
        ("Harbour", "vic", StatusCode::CREATED),
        ("Harbour", "vic", StatusCode::CONFLICT),
    ] {
        let res = server
            .add_person(&harbour_admin, username, "viewer", "first password here")
            .await;
        assert_eq!(res.status(), status, "{org} {username}");
    }

    let ok = server
        .sign_in("harbour", "admin", "a long enough secret")
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let info: SessionInfo = ok.json().await.unwrap();
    assert_eq!(
        (info.org_name.as_str(), info.org_handle.as_str()),
        ("Harbour", "harbour")
    );
    // Harbour's viewer does not exist at Hills; an unknown organization is refused in the
    // same words as a wrong password.
    for (org, username) in [("hills", "vic"), ("nowhere", "admin")] {
        let res = server.sign_in(org, username, "first password here").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{org} {username}");
        assert_eq!(error_code(res).await, "bad_credentials");
    }
    let unparsable = server
        .sign_in("not a handle", "admin", "a long enough secret")
        .await;
    assert_eq!(unparsable.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn passwords_on_the_common_breached_list_are_refused_and_the_link_still_works() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let token = people::create_link(&server.state.db, org, Role::Admin)
        .await
        .unwrap();
    for common in ["password12", "aaaaaaaaaa", "Qwertyuiop"] {
        let res = server
            .call(
                Method::POST,
                "/api/v1/welcome",
                None,
                Some(json!({"token": token, "username": "ana", "password": common})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{common}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "common_password", "{common}");
        assert!(body["message"].as_str().unwrap().contains("choose another"));
    }
    let admin = server
        .call(
            Method::POST,
            "/api/v1/welcome",
            None,
            Some(json!({"token": token, "username": "ana", "password": "harbour lantern tuesday"})),
        )
        .await;
    assert_eq!(admin.status(), StatusCode::OK, "the link was not used up");
    let admin = session_of(admin).await;
    let res = server
        .add_person(&admin, "vic", "viewer", "1234567890")
        .await;
    assert_eq!(error_code(res).await, "common_password");
}

#[tokio::test]
async fn each_organization_gets_its_own_handle_from_its_name() {
    let server = TestServer::start(None).await;
    let mut handles = Vec::new();
    for name in ["Médecins du Monde", "Harbour", "Harbour", "مركز الأمل"] {
        let org = server.org(name).await;
        let stored = peerpulse_server::db::orgs::get(&server.state.db, org)
            .await
            .unwrap()
            .unwrap();
        handles.push(stored.handle.to_string());
    }
    assert_eq!(
        handles,
        ["medecins-du-monde", "harbour", "harbour-2", "org"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_codebook_edits_on_one_version_store_one_and_refuse_the_rest() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let labels: Vec<String> = (0..8).map(|i| format!("Need number {i}")).collect();
    let edits = labels.iter().map(|label| {
        server.edit_codebook(
            &manager,
            json!({"base_version": 1, "edit": {"edit": "add", "list": "need", "label": label}}),
        )
    });
    let answers = futures_util::future::join_all(edits).await;
    let statuses: Vec<StatusCode> = answers.iter().map(reqwest::Response::status).collect();
    let stored = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((stored, refused), (1, 7), "{statuses:?}");

    // Version 2 holds exactly the one change that was acknowledged, and phones get it.
    let phone = server.device(org).await;
    let synced = server.sync(&phone, vec![]).await;
    let book = synced
        .codebook
        .expect("a phone on version 0 gets the codebook");
    assert_eq!(book.version, 2);
    let added: Vec<&str> = book
        .needs
        .iter()
        .map(|e| e.label.as_str())
        .filter(|l| l.starts_with("Need number"))
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_codebook_write_is_a_compare_and_set_in_the_database() {
    use peerpulse_core::codebook::{CodeList, Codebook, CodebookEdit};
    use peerpulse_server::db::orgs;
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    // Every writer read version 1 before any wrote: only the database can tell them apart.
    let writers = (0..16).map(|i| {
        let db = server.state.db.clone();
        let book = Codebook::harm_reduction_default()
            .edited(&CodebookEdit::Add {
                list: CodeList::Need,
                label: format!("Need number {i}"),
            })
            .unwrap();
        tokio::spawn(async move { orgs::set_codebook(&db, org, book, Some(1)).await })
    });
    let results = futures_util::future::join_all(writers).await;
    let stored = results.iter().filter(|r| matches!(r, Ok(Ok(2)))).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Ok(Err(orgs::SetCodebookError::Changed { .. }))))
        .count();
    assert_eq!((stored, refused), (1, 15));
}
