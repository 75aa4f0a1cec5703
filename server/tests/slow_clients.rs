//! Slow and greedy clients over loopback, in bounded loops: a request head or body that never
//! comes is cut off, one address cannot take every connection, and one phone or session
//! cannot hold more than a few live streams, nor keep one after its access ends.

mod support;

use peerpulse_core::people::Role;
use peerpulse_server::connections::{HEADER_TIMEOUT, MAX_PER_ADDRESS};
use peerpulse_server::event_streams::MAX_PER_READER;
use peerpulse_server::routes::BODY_TIMEOUT;
use reqwest::{Method, StatusCode};
use std::net::SocketAddr;
use std::time::Duration;
use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn address(server: &TestServer) -> SocketAddr {
    server
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("the test server's address")
}

/// A connection to the service from `from` (any 127.x.y.z address on Linux).
async fn connect_from(server: &TestServer, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(address(server)).await.unwrap()
}

/// Whether the service closed `stream` (or answered and closed) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = vec![0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_request_head_or_body_that_never_comes_is_cut_off() {
    let server = TestServer::start(None).await;
    let mut heads = Vec::new();
    let mut bodies = Vec::new();
    for _ in 0..20 {
        let mut head = connect_from(&server, "127.0.0.3").await;
        head.write_all(b"GET /api/v1/trends HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        heads.push(head);
        let mut body = connect_from(&server, "127.0.0.3").await;
        body.write_all(
            b"POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"code\":",
        )
        .await
        .unwrap();
        bodies.push(body);
    }
    for head in &mut heads {
        assert!(
            closed_within(head, HEADER_TIMEOUT + Duration::from_secs(3)).await,
            "a half-sent head is cut off"
        );
    }
    for body in &mut bodies {
        assert!(
            closed_within(body, BODY_TIMEOUT + Duration::from_secs(3)).await,
            "a half-sent body is cut off"
        );
    }
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let server = TestServer::start(None).await;
    let mut held = Vec::new();
    for _ in 0..MAX_PER_ADDRESS {
        held.push(connect_from(&server, "127.0.0.4").await);
    }
    // Let the service admit them all.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut one_more = connect_from(&server, "127.0.0.4").await;
    assert!(
        closed_within(&mut one_more, Duration::from_secs(2)).await,
        "beyond its cap, an address's connection is closed at once"
    );
    // Everyone else is still served.
    let res = reqwest::get(server.at("/api/v1/nothing-here"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    drop(held);
}

#[tokio::test]
async fn a_reader_holds_a_few_live_streams_and_none_once_its_access_ends() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let phone = server.enrol(org).await;
    let open = |token: String| {
        let server = &server;
        async move {
            server
                .client
                .get(server.at("/api/v1/events"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let mut streams = Vec::new();
    for _ in 0..MAX_PER_READER {
        let res = open(phone.token.clone()).await;
        assert_eq!(res.status(), StatusCode::OK);
        streams.push(res);
    }
    let refused = open(phone.token.clone()).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    // Closing one frees its place.
    drop(streams.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let again = open(phone.token.clone()).await;
    assert_eq!(again.status(), StatusCode::OK);
    streams.push(again);
    // Revoking the phone ends its streams within a check.
    assert!(
        peerpulse_server::db::devices::revoke(&server.state.db, org, &phone.device_id)
            .await
            .unwrap()
    );
    for stream in streams {
        assert!(
            support::stream_ends(stream).await,
            "a revoked phone's stream ends"
        );
    }

    // A person's stream ends when they sign out.
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let stream = server
        .call(Method::GET, "/api/v1/events", Some(&viewer), None)
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    let out = server
        .call(Method::DELETE, "/api/v1/session", Some(&viewer), None)
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(
        support::stream_ends(stream).await,
        "a signed-out session's stream ends"
    );
}
