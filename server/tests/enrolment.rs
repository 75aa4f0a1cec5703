//! Enrolment on a bad link: a phone that lost the answer to its enrolment asks again with the
//! same code and gets the same device and token; nobody else gets anything from a used code;
//! devices that enrolled and never synced are cleaned up once their code's life is over.

mod support;

use peerpulse_core::protocol::EnrolResponse;
use peerpulse_server::housekeeping::sweep;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::TestServer;

const PHONE: &str = "k3J9-installation_0001ab";
const OTHER_PHONE: &str = "zz99-installation_0002cd";

async fn enrol(server: &TestServer, code: &str, installation: Option<&str>) -> reqwest::Response {
    let mut body = json!({ "code": code });
    if let Some(id) = installation {
        body["installation_id"] = json!(id);
    }
    server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retry_from_the_same_phone_gets_the_same_device_and_nobody_else_gets_anything() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let code = server.code(org).await;
    let first = enrol(&server, &code, Some(PHONE)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: EnrolResponse = first.json().await.unwrap();
    // The answer was lost on the way: the phone asks again, as often as it takes.
    for _ in 0..3 {
        let again = enrol(&server, &code, Some(PHONE)).await;
        assert_eq!(again.status(), StatusCode::CREATED);
        assert_eq!(again.json::<EnrolResponse>().await.unwrap(), first);
    }
    server
        .sync(&first.token, support::day_at_van(6, 1, &[]))
        .await;
    // The used code is worth nothing to another phone, or to one that sends no installation.
    for installation in [Some(OTHER_PHONE), None] {
        let res = enrol(&server, &code, installation).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{installation:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "enrolment_code_invalid");
    }
    // A malformed installation id is refused before anything else.
    assert_eq!(
        enrol(&server, &code, Some("short")).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn no_retry_once_the_code_expired_or_the_phone_was_revoked() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let code = server.code(org).await;
    let enrolled: EnrolResponse = enrol(&server, &code, Some(PHONE))
        .await
        .json()
        .await
        .unwrap();
    sqlx::query("UPDATE enrolment_codes SET expires_at = '2020-01-01T00:00:00Z'")
        .execute(&server.state.db)
        .await
        .unwrap();
    assert_eq!(
        enrol(&server, &code, Some(PHONE)).await.status(),
        StatusCode::FORBIDDEN
    );

    let code = server.code(org).await;
    let enrolled_again: EnrolResponse = enrol(&server, &code, Some(PHONE))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(
        enrolled_again.device_id, enrolled.device_id,
        "a new code, a new device"
    );
    assert!(
        peerpulse_server::db::devices::revoke(&server.state.db, org, &enrolled_again.device_id)
            .await
            .unwrap()
    );
    assert_eq!(
        enrol(&server, &code, Some(PHONE)).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn phones_that_enrolled_and_never_synced_are_swept_after_the_codes_life() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let used: EnrolResponse = enrol(&server, &server.code(org).await, Some(PHONE))
        .await
        .json()
        .await
        .unwrap();
    let never: EnrolResponse = enrol(&server, &server.code(org).await, Some(OTHER_PHONE))
        .await
        .json()
        .await
        .unwrap();
    server
        .sync(&used.token, support::day_at_van(6, 1, &[]))
        .await;
    assert_eq!(
        sweep(&server.state.db).await.unwrap().unused_devices,
        0,
        "too soon"
    );
    sqlx::query("UPDATE devices SET enrolled_at = '2020-01-01T00:00:00Z'")
        .execute(&server.state.db)
        .await
        .unwrap();
    assert_eq!(sweep(&server.state.db).await.unwrap().unused_devices, 1);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM devices")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert_eq!(ids, [used.device_id]);
    assert_ne!(never.device_id, ids[0]);
}
