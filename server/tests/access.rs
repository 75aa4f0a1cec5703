//! Access that can be taken away: an admin changes a person's role, or takes their access
//! away (their sessions and live streams end at once) and gives it back, and an organization
//! is never left without an admin.

mod support;

use peerpulse_core::org_api::{ResetLinkIssued, SessionInfo};
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
    assert!(
        support::stream_ends_at_once(stream).await,
        "the stream ended"
    );
    let sign_in = |password: &'static str| server.sign_in("harbour", "mia", password);
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
        .sign_in("harbour", "mia", "a long enough secret")
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
        support::stream_ends_at_once(stream).await,
        "the laptop's live view ends"
    );
    let still = server
        .call(Method::GET, "/api/v1/session", Some(&colleague), None)
        .await;
    assert_eq!(still.status(), StatusCode::OK, "others stay signed in");
}

/// The token of a reset link as the service hands it out.
fn token_of(issued: &ResetLinkIssued, public_url: &str) -> String {
    issued
        .link
        .strip_prefix(&format!("{public_url}/password#"))
        .expect("a link to the password page at the public URL")
        .to_owned()
}

#[tokio::test]
async fn an_admin_resets_a_password_with_a_one_time_link_that_ends_the_old_sessions() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let hills = server.org("Hills").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let other_admin = server.person(hills, Role::Admin, "hal").await;
    let reset = |token: &str, password: &str| {
        server.call(
            Method::POST,
            "/api/v1/password-reset",
            None,
            Some(json!({"token": token, "password": password})),
        )
    };
    // Only an admin, and only of the person's own organization.
    assert_eq!(
        server.reset_link(&manager, "ada").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.reset_link(&other_admin, "mia").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server.reset_link(&admin, "nobody").await.status(),
        StatusCode::NOT_FOUND
    );

    let stream = server
        .call(Method::GET, "/api/v1/events", Some(&manager), None)
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    let first = server.reset_link(&admin, "mia").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: ResetLinkIssued = first.json().await.unwrap();
    // Whoever holds the old password's session is out at once, live view included.
    let session = server
        .call(Method::GET, "/api/v1/session", Some(&manager), None)
        .await;
    assert_eq!(session.status(), StatusCode::UNAUTHORIZED);
    assert!(
        support::stream_ends_at_once(stream).await,
        "the stream ended"
    );

    let old_password = server
        .sign_in("harbour", "mia", "a long enough secret")
        .await;
    assert_eq!(
        old_password.status(),
        StatusCode::UNAUTHORIZED,
        "the old password stops working as the link is made"
    );
    // A newer link replaces the older one.
    let second: ResetLinkIssued = server.reset_link(&admin, "mia").await.json().await.unwrap();
    let (first, second) = (
        token_of(&first, &server.state.public_url),
        token_of(&second, &server.state.public_url),
    );
    assert_eq!(
        reset(&first, "a brand new secret").await.status(),
        StatusCode::FORBIDDEN
    );
    // A reset link creates no account, and a new-account link resets nobody's password.
    let welcome = server
        .call(
            Method::POST,
            "/api/v1/welcome",
            None,
            Some(json!({"token": second, "username": "eve", "password": "a brand new secret"})),
        )
        .await;
    assert_eq!(welcome.status(), StatusCode::FORBIDDEN);
    let account_link =
        peerpulse_server::db::people::create_link(&server.state.db, org, Role::Admin)
            .await
            .unwrap();
    assert_eq!(
        reset(&account_link, "a brand new secret").await.status(),
        StatusCode::FORBIDDEN
    );
    // A common password is refused and the link still works.
    assert_eq!(
        reset(&second, "password12").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let done = reset(&second, "a brand new secret").await;
    assert_eq!(
        done.status(),
        StatusCode::OK,
        "signed in with the new password"
    );
    let info: SessionInfo = done.json().await.unwrap();
    assert_eq!(info.username.as_str(), "mia");
    assert_eq!(
        reset(&second, "yet another secret").await.status(),
        StatusCode::FORBIDDEN,
        "the link works once"
    );
    let sign_in = |password: &'static str| server.sign_in("harbour", "mia", password);
    assert_eq!(
        sign_in("a long enough secret").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sign_in("a brand new secret").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn taking_access_away_voids_a_reset_link_and_none_is_made_for_a_disabled_person() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let admin = server.person(org, Role::Admin, "ada").await;
    server.person(org, Role::Viewer, "vic").await;
    let issued: ResetLinkIssued = server.reset_link(&admin, "vic").await.json().await.unwrap();
    let disable = server
        .call(
            Method::PATCH,
            "/api/v1/users/vic",
            Some(&admin),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(disable.status(), StatusCode::NO_CONTENT);
    let res = server
        .call(
            Method::POST,
            "/api/v1/password-reset",
            None,
            Some(
                json!({"token": token_of(&issued, &server.state.public_url), "password": "a brand new secret"}),
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let again = server.reset_link(&admin, "vic").await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}
