//! Behind a TLS-terminating reverse proxy: the client a trusted proxy names is the one the
//! audit log records and the failed-attempt limits count, and its request id is kept; with no
//! proxy trusted, a client that writes those headers itself changes nothing.

mod support;

use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::org_api::{AuditAction, AuditPage};
use peerpulse_core::people::Role;
use peerpulse_server::db::people;
use peerpulse_server::forwarded::{ForwardedHeader, TrustedProxies};
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::TestServer;

/// A service that trusts a proxy on loopback (where the tests connect from) naming clients in
/// `header`.
async fn behind_proxy(header: ForwardedHeader) -> TestServer {
    TestServer::configured(|s| {
        s.with_trusted_proxies(TrustedProxies {
            proxies: vec!["127.0.0.1/32".parse().unwrap(), "::1".parse().unwrap()],
            header,
        })
    })
    .await
}

/// A new admin signs in through a welcome link, sending `headers`; the answer's request id and
/// the address the audit log recorded for the sign-in.
async fn sign_in_with(server: &TestServer, headers: &[(&str, &str)]) -> (String, String) {
    sign_in_from(server, &server.client, headers).await
}

/// [`sign_in_with`] over `client`'s connection.
async fn sign_in_from(
    server: &TestServer,
    client: &reqwest::Client,
    headers: &[(&str, &str)],
) -> (String, String) {
    let org = server.org("Harbour").await;
    let token = people::create_link(&server.state.db, org, Role::Admin)
        .await
        .unwrap();
    let mut request = client
        .post(server.at("/api/v1/welcome"))
        .json(&json!({"token": token, "username": "ada", "password": "a long enough secret"}));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let res = request.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let admin = support::people::session_of(res).await;
    let page: AuditPage = server
        .call(Method::GET, "/api/v1/audit", Some(&admin), None)
        .await
        .json()
        .await
        .unwrap();
    let signed_in = page
        .entries
        .iter()
        .find(|e| e.action == AuditAction::SignedIn)
        .expect("the sign-in is audited");
    (request_id, signed_in.address.clone().unwrap())
}

/// Sends `n` enrolments with a wrong code, naming `client` in X-Forwarded-For; the last status.
async fn wrong_codes(
    server: &TestServer,
    n: usize,
    client: impl Fn(usize) -> String,
) -> StatusCode {
    let mut status = StatusCode::OK;
    for i in 0..n {
        status = server
            .client
            .post(server.at("/api/v1/enrol"))
            .header("x-forwarded-for", client(i))
            .json(&json!({"code": EnrolmentCode::from_random([i as u8; 8]).to_string()}))
            .send()
            .await
            .unwrap()
            .status();
    }
    status
}

#[tokio::test]
async fn with_no_proxy_trusted_a_client_cannot_choose_its_address_or_its_request_id() {
    let server = TestServer::start(None).await;
    let (request_id, address) = sign_in_with(
        &server,
        &[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.9"),
            ("x-request-id", "chosen-by-the-client"),
        ],
    )
    .await;
    assert_eq!(address, "127.0.0.1");
    assert_ne!(request_id, "chosen-by-the-client");
    assert_eq!(request_id.len(), 36, "the service's own id: {request_id}");

    // A new made-up address for every wrong code does not escape the limit.
    let last = wrong_codes(&server, 7, |i| format!("198.51.100.{i}")).await;
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
    let server = behind_proxy(ForwardedHeader::XForwardedFor).await;
    // The client wrote 1.2.3.4 itself; the proxy appended the address it saw.
    let (request_id, address) = sign_in_with(
        &server,
        &[
            ("x-forwarded-for", "1.2.3.4, 203.0.113.9"),
            ("forwarded", "for=192.0.2.1"),
            ("x-request-id", "edge-7f3a9c"),
        ],
    )
    .await;
    assert_eq!(address, "203.0.113.9");
    assert_eq!(request_id, "edge-7f3a9c", "the proxy's id is kept");

    // Failed codes count per client: one client waits, another behind the same proxy does not.
    let blocked = wrong_codes(&server, 7, |_| "203.0.113.9".to_owned()).await;
    assert_eq!(blocked, StatusCode::TOO_MANY_REQUESTS);
    let other = wrong_codes(&server, 1, |_| "1.2.3.4, 198.51.100.7".to_owned()).await;
    assert_eq!(other, StatusCode::FORBIDDEN, "only a wrong code, no wait");
    // Prepending the blocked address does not make another client wait, nor the reverse.
    let spoofed = wrong_codes(&server, 1, |_| "203.0.113.9, 198.51.100.8".to_owned()).await;
    assert_eq!(spoofed, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_proxy_speaking_forwarded_names_the_client_there_and_nowhere_else() {
    let server = behind_proxy(ForwardedHeader::Forwarded).await;
    let (_, address) = sign_in_with(
        &server,
        &[
            (
                "forwarded",
                "for=192.0.2.1, for=\"[2001:db8:cafe::17]:4711\";proto=https",
            ),
            ("x-forwarded-for", "203.0.113.9"),
        ],
    )
    .await;
    assert_eq!(address, "2001:db8:cafe::17");
}

#[tokio::test]
async fn a_request_id_too_long_or_with_spaces_is_replaced_even_from_a_trusted_proxy() {
    let server = behind_proxy(ForwardedHeader::XForwardedFor).await;
    for sent in ["a b", &"x".repeat(200)] {
        let res = server
            .client
            .get(server.at("/healthz"))
            .header("x-request-id", sent)
            .send()
            .await
            .unwrap();
        let kept = res.headers()["x-request-id"].to_str().unwrap();
        assert_ne!(kept, sent);
        assert_eq!(kept.len(), 36);
    }
}

#[tokio::test]
async fn a_client_connecting_past_the_trusted_proxy_is_its_own_address() {
    let server = behind_proxy(ForwardedHeader::XForwardedFor).await;
    // Only 127.0.0.1 is trusted: a client reaching the service from 127.0.0.5 directly.
    let direct = reqwest::Client::builder()
        .local_address(Some("127.0.0.5".parse().unwrap()))
        .build()
        .unwrap();
    let (request_id, address) = sign_in_from(
        &server,
        &direct,
        &[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-request-id", "chosen-by-the-client"),
        ],
    )
    .await;
    assert_eq!(address, "127.0.0.5");
    assert_ne!(request_id, "chosen-by-the-client");
}
