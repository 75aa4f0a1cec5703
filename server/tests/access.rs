//! Access that can be taken away: an admin changes a person's role, or takes their access
//! away (their sessions and live streams end at once) and gives it back, and an organization
//! is never left without an admin.

mod support;

use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::TestServer;

#[tokio::test]
async fn an_admin_changes_roles_and_takes_access_away_at_once() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let change = |who: &'static str, body: serde_json::Value| {
        let (server, admin) = (&server, &admin);
        async move {
            server
                .call(
                    Method::PATCH,
                    &format!("/api/v1/users/{who}"),
                    Some(admin),
                    Some(body),
                )
                .await
                .status()
        }
    };
    // A manager issues enrolment codes; as a viewer, no longer.
    let issue = || {
        server.call(
            Method::POST,
            "/api/v1/enrolment-codes",
            Some(&manager),
            None,
        )
    };
    assert_eq!(issue().await.status(), StatusCode::CREATED);
    assert_eq!(
        change("mia", json!({"role": "viewer"})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(issue().await.status(), StatusCode::FORBIDDEN);
    // Taking access away ends the session and its live stream at once.
    let stream = server
        .call(Method::GET, "/api/v1/events", Some(&manager), None)
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(
        change("mia", json!({"disabled": true})).await,
        StatusCode::NO_CONTENT
    );
    let session = server
        .call(Method::GET, "/api/v1/session", Some(&manager), None)
        .await;
    assert_eq!(session.status(), StatusCode::UNAUTHORIZED);
    assert!(support::stream_ends(stream).await, "the stream ended");
    let sign_in = |password: &'static str| {
        server.call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "mia", "password": password})),
        )
    };
    assert_eq!(
        sign_in("a long enough secret").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let listed: Vec<serde_json::Value> = server
        .call(Method::GET, "/api/v1/users", Some(&admin), None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|u| u["username"] == "mia" && u["disabled"] == true)
    );
    // Given back, she signs in again, as the viewer she now is.
    assert_eq!(
        change("mia", json!({"disabled": false})).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sign_in("a long enough secret").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_organization_keeps_an_admin_and_others_are_out_of_reach() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let other_org = server.org("Hills").await;
    server.person(other_org, Role::Viewer, "hal").await;
    let change = |session: &'static str, who: &'static str, body: serde_json::Value| {
        let server = &server;
        let session = if session == "admin" { &admin } else { &viewer };
        async move {
            server
                .call(
                    Method::PATCH,
                    &format!("/api/v1/users/{who}"),
                    Some(session),
                    Some(body),
                )
                .await
        }
    };
    for body in [json!({"role": "manager"}), json!({"disabled": true})] {
        let res = change("admin", "ada", body).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "the last admin stays");
    }
    assert_eq!(
        change("admin", "hal", json!({"disabled": true}))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "another organization's person is out of reach"
    );
    assert_eq!(
        change("viewer", "ada", json!({"disabled": true}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        change("admin", "vic", json!({"role": "owner"}))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // With a second admin, the first may step down.
    assert_eq!(
        change("admin", "vic", json!({"role": "admin"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        change("admin", "ada", json!({"role": "manager"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_person() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let laptop = server.person(org, Role::Manager, "mia").await;
    let sign_in = server
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "mia", "password": "a long enough secret"})),
        )
        .await;
    assert_eq!(sign_in.status(), StatusCode::OK);
    let phone = support::people::session_of(sign_in).await;
    let colleague = server.person(org, Role::Viewer, "vic").await;
    let stream = server
        .call(Method::GET, "/api/v1/events", Some(&laptop), None)
        .await;
    let refused = server
        .call(
            Method::DELETE,
            "/api/v1/session?everywhere=yes",
            Some(&phone),
            None,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let out = server
        .call(
            Method::DELETE,
            "/api/v1/session?everywhere=true",
            Some(&phone),
            None,
        )
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    for session in [&laptop, &phone] {
        let res = server
            .call(Method::GET, "/api/v1/session", Some(session), None)
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(
        support::stream_ends(stream).await,
        "the laptop's live view ends"
    );
    let still = server
        .call(Method::GET, "/api/v1/session", Some(&colleague), None)
        .await;
    assert_eq!(still.status(), StatusCode::OK, "others stay signed in");
}
