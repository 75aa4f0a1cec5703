//! A database made by an earlier version, with people signed in, upgraded by this one: every
//! account, session and code carries over, and organizations get their sign-in names.

mod support;

use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::people::{OrgHandle, Username};
use peerpulse_server::db::{self, Location, orgs, people};
use peerpulse_server::secrets::{self, CodeKey};
use sqlx::migrate::Migrator;
use std::path::Path;
use support::TestDb;

/// The last migration of each backend before usernames were scoped to organizations.
const BEFORE_SCOPED_USERNAMES: (i64, i64) = (9, 7);

async fn migrate_as_the_earlier_version(pool: &sqlx::AnyPool, location: &Location) {
    let (dir, last) = match location {
        Location::SqliteIn(_) => ("migrations/sqlite", BEFORE_SCOPED_USERNAMES.0),
        Location::Postgres(_) => ("migrations/postgres", BEFORE_SCOPED_USERNAMES.1),
    };
    let mut earlier = Migrator::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .await
        .expect("read the migrations");
    earlier.migrations = earlier
        .migrations
        .iter()
        .filter(|m| m.version <= last)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    earlier.run(pool).await.expect("the earlier migrations");
}

#[tokio::test]
async fn people_sessions_and_codes_of_an_earlier_version_carry_over() {
    let test_db = TestDb::fresh().await;
    sqlx::any::install_default_drivers();
    let url = match &test_db.location {
        Location::SqliteIn(dir) => {
            format!("sqlite://{}?mode=rwc", dir.join(db::FILE_NAME).display())
        }
        Location::Postgres(url) => url.clone(),
    };
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    migrate_as_the_earlier_version(&pool, &test_db.location).await;
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (name, created_at, cell_key_secret) \
         VALUES ('Harbour Outreach', '2026-01-01T00:00:00Z', 'secret') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (org_id, username, role, password_hash, created_at) \
         VALUES ($1, 'ana', 'admin', 'hash', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(org)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, 'csrf', '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')",
    )
    .bind(secrets::hash("session-token"))
    .bind(user)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO enrolment_codes (code_hash, org_id, created_at, expires_at) \
         VALUES ($1, $2, '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')",
    )
    .bind(secrets::hash(
        EnrolmentCode::from_random([3; 8]).canonical(),
    ))
    .bind(org)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let upgraded = db::open(&test_db.location).await.expect("upgrade");
    if let Location::SqliteIn(_) = test_db.location {
        let sessions: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'sessions'")
                .fetch_one(&upgraded)
                .await
                .unwrap();
        assert!(
            sessions.contains("REFERENCES \"users\"") && !sessions.contains("users_scoped"),
            "sessions refer to the rebuilt users table: {sessions}"
        );
    }
    let org = orgs::get(&upgraded, org).await.unwrap().unwrap();
    assert_eq!(org.handle, OrgHandle::new("harbour-outreach").unwrap());
    let person = people::session(&upgraded, "session-token")
        .await
        .unwrap()
        .expect("the session survived the upgrade");
    assert_eq!(person.username.as_str(), "ana");
    let ana = Username::new("ana").unwrap();
    assert!(
        people::account(&upgraded, &org.handle, &ana)
            .await
            .unwrap()
            .is_some()
    );
    // The same name is free in another organization now.
    let hills = orgs::create(&upgraded, "Hills").await.unwrap();
    people::create_user(
        &upgraded,
        hills,
        &ana,
        peerpulse_core::people::Role::Viewer,
        "hash",
    )
    .await
    .expect("ana at Hills is another person");
    let key = CodeKey::random().unwrap();
    let enrolled = db::devices::enrol(&upgraded, &key, &EnrolmentCode::from_random([3; 8]), None)
        .await
        .unwrap();
    assert!(enrolled.is_some(), "a code issued before still enrols");
}
