//! What the service keeps no longer than it needs, and keeps to itself.

mod support;

use peerpulse_core::people::Role;
use peerpulse_server::db::{Location, people};
use peerpulse_server::housekeeping::{Swept, sweep};
use reqwest::{Method, StatusCode};
use support::TestServer;

#[tokio::test]
async fn expired_sessions_codes_and_used_links_are_swept_and_live_ones_stay() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let live_session = server.person(org, Role::Admin, "ada").await;
    let live_code = server.code(org).await;
    let live_link = people::create_link(&server.state.db, org, Role::Viewer)
        .await
        .unwrap();
    let past = "2020-01-01T00:00:00Z";
    for sql in [
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         SELECT 'expired', id, 'x', $1, $1 FROM users LIMIT 1",
        "INSERT INTO enrolment_codes (code_hash, org_id, created_at, expires_at) \
         SELECT 'expired', id, $1, $1 FROM orgs LIMIT 1",
        "INSERT INTO sign_in_links (token_hash, org_id, role, created_at, expires_at) \
         SELECT 'expired', id, 'viewer', $1, $1 FROM orgs LIMIT 1",
    ] {
        sqlx::query(sql)
            .bind(past)
            .execute(&server.state.db)
            .await
            .unwrap();
    }
    // The admin's welcome link was used: it goes too.
    assert_eq!(
        sweep(&server.state.db).await.unwrap(),
        Swept {
            sessions: 1,
            enrolment_codes: 1,
            sign_in_links: 2,
            unused_devices: 0,
        }
    );
    assert_eq!(sweep(&server.state.db).await.unwrap(), Swept::default());
    let still = server
        .call(Method::GET, "/api/v1/session", Some(&live_session), None)
        .await;
    assert_eq!(still.status(), StatusCode::OK);
    assert!(
        people::link_is_open(&server.state.db, &live_link, people::LinkKind::NewAccount)
            .await
            .unwrap()
    );
    let enrolled = server
        .client
        .post(server.at("/api/v1/enrol"))
        .json(&serde_json::json!({ "code": live_code }))
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), StatusCode::CREATED);
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_the_services_alone() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let data = tempfile::TempDir::new_in(parent.path()).unwrap();
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = TestServer::on(support::TestDb::sqlite_in(data)).await;
    let Location::SqliteIn(dir) = server.location() else {
        unreachable!("a SQLite database was asked for")
    };
    let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{mode:o}");
}
