//! A real PeerPulse service on a loopback port with a real database, for integration tests: a
//! SQLite file, or a fresh database on the PostgreSQL server that `PEERPULSE_TEST_POSTGRES`
//! names (`scripts/with-postgres` starts one and sets it).
// Each test binary uses its own part of this module.
#![allow(dead_code)]

pub mod adversary;
pub mod codebook;
pub mod field_alerts;
pub mod indicators;
pub mod notes;
pub mod people;

use chrono::{Duration, NaiveDate, Utc};
use peerpulse_core::bucket::Measure;
use peerpulse_core::codebook::Code;
use peerpulse_core::encounter::{EncounterKind, Reach};
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::{
    BucketUpdate, EnrolResponse, SyncRequest, SyncResponse, TrendsResponse,
};
use peerpulse_server::db::{Location, enrolment, orgs};
use peerpulse_server::secrets::CodeKey;
use peerpulse_server::{AppState, serve};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

/// A fresh, empty database for one test.
pub struct TestDb {
    pub location: Location,
    /// The SQLite file's directory (also a scratch directory under PostgreSQL).
    pub dir: TempDir,
}

impl TestDb {
    pub async fn fresh() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = match std::env::var("PEERPULSE_TEST_POSTGRES") {
            Ok(server) => {
                let name = format!(
                    "t_{}",
                    dir.path()
                        .file_name()
                        .expect("a temp dir has a name")
                        .to_string_lossy()
                        .to_ascii_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "")
                );
                sqlx::any::install_default_drivers();
                let admin = sqlx::AnyPool::connect(&format!("{server}/postgres"))
                    .await
                    .expect("connect to the test PostgreSQL server");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin)
                    .await
                    .expect("create a test database");
                admin.close().await;
                Location::Postgres(format!("{server}/{name}"))
            }
            Err(_) => Location::SqliteIn(dir.path().to_owned()),
        };
        Self { location, dir }
    }

    /// A SQLite database in `dir` (which the caller may have mounted somewhere special).
    pub fn sqlite_in(dir: TempDir) -> Self {
        Self {
            location: Location::SqliteIn(dir.path().to_owned()),
            dir,
        }
    }

    /// What `--data-dir` and `DATABASE_URL` must be for the service binary to use it.
    pub fn cli_args(&self) -> (std::ffi::OsString, Option<String>) {
        let url = match &self.location {
            Location::Postgres(url) => Some(url.clone()),
            Location::SqliteIn(_) => None,
        };
        (self.dir.path().as_os_str().to_owned(), url)
    }
}

/// A running service and an HTTP client for it.
pub struct TestServer {
    pub url: String,
    pub client: reqwest::Client,
    pub state: AppState,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    db: std::sync::Arc<TestDb>,
}

impl TestServer {
    /// Starts a service with a fresh database and, optionally, a PWA build to serve.
    pub async fn start(static_dir: Option<PathBuf>) -> Self {
        Self::start_on(std::sync::Arc::new(TestDb::fresh().await), static_dir).await
    }

    /// A service that believes it is reached at `public_url` (links, QR codes, cookies).
    pub async fn reached_at(public_url: &str) -> Self {
        Self::start_with(
            std::sync::Arc::new(TestDb::fresh().await),
            None,
            Some(public_url),
        )
        .await
    }

    /// A service with a fresh database, its state set up by `configure` (a metrics token,
    /// say) before it starts.
    pub async fn configured(configure: impl FnOnce(AppState) -> AppState) -> Self {
        let db = std::sync::Arc::new(TestDb::fresh().await);
        let code_key = CodeKey::load_or_create(&db.dir.path().join("code-key")).expect("code key");
        let state = AppState::open(&db.location, code_key, None)
            .await
            .expect("open database");
        Self::serving(db, configure(state)).await
    }

    /// A service on `db`.
    pub async fn on(db: TestDb) -> Self {
        Self::start_on(std::sync::Arc::new(db), None).await
    }

    /// What `--data-dir` and `DATABASE_URL` must be for the service binary to use its
    /// database.
    pub fn cli_args(&self) -> (std::ffi::OsString, Option<String>) {
        self.db.cli_args()
    }

    /// Where its database is.
    pub fn location(&self) -> &Location {
        &self.db.location
    }

    /// Another instance on the same database, its state set up by `configure`.
    pub async fn beside_with(&self, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let code_key =
            CodeKey::load_or_create(&self.db.dir.path().join("code-key")).expect("code key");
        let state = AppState::open(&self.db.location, code_key, None)
            .await
            .expect("open database");
        Self::serving(self.db.clone(), configure(state)).await
    }

    /// A second instance of the service on the same database, as behind a load balancer.
    pub async fn beside(&self) -> Self {
        Self::start_on(self.db.clone(), None).await
    }

    async fn start_on(db: std::sync::Arc<TestDb>, static_dir: Option<PathBuf>) -> Self {
        Self::start_with(db, static_dir, None).await
    }

    async fn start_with(
        db: std::sync::Arc<TestDb>,
        static_dir: Option<PathBuf>,
        public_url: Option<&str>,
    ) -> Self {
        // Where the service binary keeps it too (`--data-dir`), so restarts and the CLI agree.
        let code_key = CodeKey::load_or_create(&db.dir.path().join("code-key")).expect("code key");
        let mut state = AppState::open(&db.location, code_key, static_dir)
            .await
            .expect("open database");
        if let Some(url) = public_url {
            state = state.with_public_url(url);
        }
        Self::serving(db, state).await
    }

    async fn serving(db: std::sync::Arc<TestDb>, state: AppState) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("bound address"));
        let task = tokio::spawn(serve(listener, state.clone()));
        Self {
            url,
            client: reqwest::Client::new(),
            state,
            task,
            db,
        }
    }

    /// Kills the service wherever it is (requests in flight included) and starts it again on
    /// the same database, at a new address.
    pub async fn restart(self) -> Self {
        self.task.abort();
        // An aborted task may still be finishing a poll: wait until it is really gone.
        let _ = self.task.await;
        self.state.db.close().await;
        Self::start_on(self.db, None).await
    }

    /// Kills the service and hands back its database, closed, for another to use.
    pub async fn stop(self) -> TestDb {
        self.task.abort();
        let _ = self.task.await;
        self.state.db.close().await;
        std::sync::Arc::try_unwrap(self.db)
            .unwrap_or_else(|_| panic!("another instance still runs on this database"))
    }

    /// A fresh service with one organization named `org_name` and one enrolled device:
    /// the service, the org id and the device token.
    pub async fn with_device(org_name: &str) -> (Self, i64, String) {
        let server = Self::start(None).await;
        let org = server.org(org_name).await;
        let token = server.device(org).await;
        (server, org, token)
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// Creates an organization and returns its id.
    pub async fn org(&self, name: &str) -> i64 {
        orgs::create(&self.state.db, name)
            .await
            .expect("create org")
    }

    /// A fresh one-time code for `org`.
    pub async fn code(&self, org: i64) -> String {
        enrolment::create_code(&self.state.db, &self.state.code_key, org, Duration::days(1))
            .await
            .expect("create code")
            .to_string()
    }

    /// Enrols a new device in `org` and returns its token.
    pub async fn device(&self, org: i64) -> String {
        self.enrol(org).await.token
    }

    /// Enrols a new device in `org` and returns what enrolment answered.
    pub async fn enrol(&self, org: i64) -> EnrolResponse {
        let code = self.code(org).await;
        let res = self
            .client
            .post(self.at("/api/v1/enrol"))
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .expect("enrol request");
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<EnrolResponse>().await.expect("enrol answer")
    }

    /// Posts a sync body as raw JSON and returns the status and the JSON answer.
    pub async fn sync_raw(&self, token: &str, body: &Value) -> (StatusCode, Value) {
        let res = self
            .client
            .post(self.at("/api/v1/sync"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("sync request");
        let status = res.status();
        (status, res.json().await.expect("JSON answer"))
    }

    /// Syncs `buckets` and expects success.
    pub async fn sync(&self, token: &str, buckets: Vec<BucketUpdate>) -> SyncResponse {
        let body = serde_json::to_value(SyncRequest {
            buckets,
            codebook_version: 1,
        })
        .expect("serialize");
        let (status, answer) = self.sync_raw(token, &body).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        serde_json::from_value(answer).expect("sync answer")
    }

    /// The org trends of the ISO week holding today, as the device sees them.
    pub async fn trends(&self, token: &str) -> TrendsResponse {
        let week = Period::containing(Granularity::Week, today());
        let res = self
            .client
            .get(self.at(&format!("/api/v1/trends?period={week}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("trends request");
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("trends answer")
    }

    /// The organization's exact stored total of `measure` today over every site: what sync
    /// stored, which only the service itself ever sees.
    pub async fn stored(&self, org: i64, measure: &Measure) -> u32 {
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(count) AS BIGINT) FROM org_buckets \
             WHERE org_id = $1 AND day = $2 AND dimension = $3 AND value = $4",
        )
        .bind(org)
        .bind(today().to_string())
        .bind(measure.dimension().as_str())
        .bind(measure.value())
        .fetch_one(&self.state.db)
        .await
        .expect("read the stored total");
        u32::try_from(total.unwrap_or(0)).expect("a count")
    }
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn code(s: &str) -> Code {
    Code::new(s).expect("valid code")
}

/// A bucket update for today at the van.
pub fn update(measure: Measure, count: u32, version: u64) -> BucketUpdate {
    BucketUpdate {
        day: today(),
        site: code("van"),
        measure,
        count,
        version,
    }
}

/// One phone's consistent counts of `day` at `site`: `n` outreach encounters with walk-in
/// contacts, and `extras` among them, all at `version`.
pub fn day_at(
    day: NaiveDate,
    site: &str,
    n: u32,
    version: u64,
    extras: &[(Measure, u32)],
) -> Vec<BucketUpdate> {
    [
        (Measure::Encounters, n),
        (Measure::Kind(EncounterKind::Outreach), n),
        (Measure::Reach(Reach::WalkIn), n),
    ]
    .into_iter()
    .chain(extras.iter().cloned())
    .map(|(measure, count)| BucketUpdate {
        day,
        site: code(site),
        measure,
        count,
        version,
    })
    .collect()
}

/// [`day_at`] today at the van.
pub fn day_at_van(n: u32, version: u64, extras: &[(Measure, u32)]) -> Vec<BucketUpdate> {
    day_at(today(), "van", n, version, extras)
}

/// The published total of `measure` over the trends' period, if it may be shown.
pub fn reported(trends: &TrendsResponse, measure: &Measure) -> Option<u32> {
    trends.total(measure)
}

/// The threshold of a new organization.
pub const THRESHOLD: u32 = 5;

/// Asserts `published` is what the disclosure rule may show of a true count `truth` that is
/// well above the threshold: shown, within the noise (at most the threshold either way).
pub fn assert_near(published: Option<u32>, truth: u32) {
    let shown = published.unwrap_or_else(|| panic!("a count of {truth} is published"));
    assert!(
        shown >= THRESHOLD && shown.abs_diff(truth) <= THRESHOLD,
        "{truth} published as {shown}"
    );
}

/// Whether the service ends the live event stream `stream` within a check of its access
/// (and a little more), as it must once that access is gone.
pub async fn stream_ends(stream: reqwest::Response) -> bool {
    let within = peerpulse_server::event_streams::CHECK_EVERY + std::time::Duration::from_secs(3);
    stream_ends_within(stream, within).await
}

/// Whether the service ends `stream` at once (well before its periodic check), as it does
/// when the access was ended through this instance.
pub async fn stream_ends_at_once(stream: reqwest::Response) -> bool {
    stream_ends_within(stream, std::time::Duration::from_secs(1)).await
}

async fn stream_ends_within(mut stream: reqwest::Response, within: std::time::Duration) -> bool {
    tokio::time::timeout(within, async {
        while let Ok(Some(_)) = stream.chunk().await {}
    })
    .await
    .is_ok()
}
