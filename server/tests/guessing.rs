//! Guessing enrolment codes and passwords over HTTP: a few failures are free, then each
//! further try from the same address (or at the same account) must wait twice as long, while
//! other addresses and accounts are not slowed.

mod support;

use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::people::Role;
use peerpulse_server::attempts::FREE_FAILURES;
use peerpulse_server::secrets::{self, CodeKey};
use reqwest::StatusCode;
use serde_json::json;
use support::TestServer;

/// An HTTP client whose requests come from `address` (any 127.x.y.z on Linux).
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(Some(address.parse().unwrap()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn guessing_enrolment_codes_from_one_address_slows_to_a_crawl() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let guesser = client_from("127.0.0.5");
    let guess = |client: &reqwest::Client, code: &str| {
        client
            .post(server.at("/api/v1/enrol"))
            .json(&json!({ "code": code }))
            .send()
    };
    for n in 0..=FREE_FAILURES {
        let wrong = EnrolmentCode::from_random([n as u8; 8]).to_string();
        let res = guess(&guesser, &wrong).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "guess {n}");
    }
    let slowed = guess(&guesser, &EnrolmentCode::from_random([99; 8]).to_string())
        .await
        .unwrap();
    assert_eq!(slowed.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(slowed.headers().contains_key("retry-after"));
    // Even the right code waits from there; from elsewhere it works.
    let code = server.code(org).await;
    assert_eq!(
        guess(&guesser, &code).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let phone = client_from("127.0.0.6");
    assert_eq!(
        guess(&phone, &code).await.unwrap().status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn guessing_a_password_slows_the_account_and_the_address_not_others() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    server.person(org, Role::Admin, "ada").await;
    server.person(org, Role::Viewer, "vic").await;
    let sign_in = |client: reqwest::Client, username: &'static str, password: &'static str| {
        let url = server.at("/api/v1/session");
        async move {
            client
                .post(url)
                .json(&json!({ "organization": "harbour", "username": username, "password": password }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let guesser = client_from("127.0.0.7");
    for _ in 0..=FREE_FAILURES {
        assert_eq!(
            sign_in(guesser.clone(), "ada", "not her password").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(guesser.clone(), "ada", "a long enough secret").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the right password waits too, so a lucky guess is not confirmed"
    );
    // The account is slowed from another address too; other accounts are not.
    let colleague = client_from("127.0.0.8");
    assert_eq!(
        sign_in(colleague.clone(), "ada", "a long enough secret").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sign_in(colleague, "vic", "a long enough secret").await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_stolen_database_without_the_key_file_reveals_no_enrolment_code() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let code: EnrolmentCode = server.code(org).await.parse().unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM enrolment_codes")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    // Whoever holds the database tries every code's plain hash, or a key of their own: no
    // candidate matches what is stored. Only the service's key does.
    assert_ne!(stored[0], secrets::hash(code.canonical()));
    assert_ne!(stored[0], CodeKey::random().unwrap().seal(&code));
    assert_eq!(stored[0], server.state.code_key.seal(&code));

    // A second instance, as after a restart, reads the same key file and takes the code.
    let restarted = server.beside().await;
    let res = restarted
        .client
        .post(restarted.at("/api/v1/enrol"))
        .json(&json!({ "code": code.to_string() }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_code_issued_before_codes_were_keyed_still_enrols_until_it_expires() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let code = EnrolmentCode::from_random([7; 8]);
    sqlx::query(
        "INSERT INTO enrolment_codes (code_hash, org_id, created_at, expires_at) \
         VALUES ($1, $2, '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')",
    )
    .bind(secrets::hash(code.canonical()))
    .bind(org)
    .execute(&server.state.db)
    .await
    .unwrap();
    let enrol = || {
        server
            .client
            .post(server.at("/api/v1/enrol"))
            .json(&json!({ "code": code.to_string() }))
            .send()
    };
    assert_eq!(enrol().await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(enrol().await.unwrap().status(), StatusCode::FORBIDDEN);
}
