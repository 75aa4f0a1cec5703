//! PeerPulse service: device enrolment, exactly-once trend sync, suppressed trends, and the PWA.

pub mod attempts;
pub mod auth;
pub mod backup;
pub mod common_passwords;
pub mod connections;
pub mod db;
pub mod dhis2_client;
pub mod dhis2_send;
pub mod error;
pub mod event_streams;
pub mod forwarded;
pub mod housekeeping;
pub mod indicator_report;
pub mod metrics;
pub mod migrate_to;
pub mod openapi;
pub mod passwords;
pub mod rate_limit;
pub mod relay;
pub mod routes;
pub mod secrets;

use rate_limit::RateLimiter;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every request handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: db::Db,
    /// The built PWA, if there is one to serve.
    pub static_dir: Option<PathBuf>,
    /// Requests per device.
    pub rate_limit: Arc<RateLimiter>,
    /// The address people and phones reach the service at, for links and QR codes; session
    /// cookies are marked Secure when it is https.
    pub public_url: String,
    /// Organizations whose counts just changed, for live dashboards: this instance's streams
    /// hear them here. Raise them with [`AppState::changed_in`], which on PostgreSQL goes
    /// through the database to every instance (see [`relay`]).
    pub changes: tokio::sync::broadcast::Sender<i64>,
    /// Live event streams open now.
    pub open_streams: event_streams::OpenStreams,
    /// Organizations where someone's access just ended (a sign-out, a person's access taken
    /// away, a password reset, a phone revoked): their open streams check theirs at once
    /// rather than at their next periodic check.
    pub access_ended: tokio::sync::broadcast::Sender<i64>,
    /// Failed enrolments and sign-ins, per address and per account.
    pub failed_attempts: Arc<attempts::FailedAttempts>,
    /// The key enrolment codes are stored under (kept outside the database).
    pub code_key: secrets::CodeKey,
    /// What `/metrics` reports.
    pub metrics: Arc<metrics::Metrics>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` does not exist.
    pub metrics_token: Option<String>,
    /// The PostgreSQL every instance hears events through; none on SQLite.
    pub relay: Option<String>,
    /// The reverse proxies whose forwarding headers name a request's client (none: the
    /// headers are ignored).
    pub trusted_proxies: Arc<forwarded::TrustedProxies>,
    /// The DHIS2 server reports are sent to, if one is set up.
    pub dhis2: Option<Arc<dhis2_client::Dhis2Server>>,
}

/// Burst of requests a device may send at once (a large backlog syncs in many batches).
pub const RATE_BURST: u32 = 120;
/// Requests a device may send per minute on average.
pub const RATE_PER_MINUTE: u32 = 120;

impl AppState {
    /// Opens (creating and migrating if needed) the database at `location`; enrolment codes
    /// are stored under `code_key`.
    pub async fn open(
        location: &db::Location,
        code_key: secrets::CodeKey,
        static_dir: Option<PathBuf>,
    ) -> Result<Self, db::DbError> {
        Ok(Self {
            db: db::open(location).await?,
            static_dir,
            rate_limit: Arc::new(RateLimiter::new(RATE_BURST, RATE_PER_MINUTE)),
            public_url: DEFAULT_PUBLIC_URL.to_owned(),
            changes: tokio::sync::broadcast::channel(256).0,
            open_streams: event_streams::OpenStreams::default(),
            access_ended: tokio::sync::broadcast::channel(64).0,
            failed_attempts: Arc::default(),
            code_key,
            metrics: Arc::default(),
            metrics_token: None,
            relay: match location {
                db::Location::Postgres(url) => Some(url.clone()),
                db::Location::SqliteIn(_) => None,
            },
            trusted_proxies: Arc::default(),
            dhis2: None,
        })
    }

    /// The same state, sending reports to `server` (none: sending is not set up).
    pub fn with_dhis2(mut self, server: Option<dhis2_client::Dhis2Server>) -> Self {
        self.dhis2 = server.map(Arc::new);
        self
    }

    /// Tells the open streams of `org_id`, on every instance, that someone's access there
    /// ended.
    pub fn access_ended_in(&self, org_id: i64) {
        match self.relay {
            Some(_) => relay::announce(&self.db, relay::ACCESS_ENDED, org_id),
            // No stream open is no one to tell.
            None => drop(self.access_ended.send(org_id)),
        }
    }

    /// Tells the live dashboards of `org_id`, on every instance, that its counts changed.
    pub fn changed_in(&self, org_id: i64) {
        match self.relay {
            Some(_) => relay::announce(&self.db, relay::CHANGES, org_id),
            // Nobody listening is fine: live dashboards are optional.
            None => drop(self.changes.send(org_id)),
        }
    }

    /// The same state, one of `instances` behind a load balancer that spreads each phone's
    /// requests over them (round robin): each allows its share of a phone's request limit, so
    /// together they allow the limit, not `instances` times it.
    pub fn with_instances(mut self, instances: u32) -> Self {
        let n = instances.max(1);
        self.rate_limit = Arc::new(RateLimiter::new(
            (RATE_BURST / n).max(1),
            (RATE_PER_MINUTE / n).max(1),
        ));
        self
    }

    /// The same state, with `/metrics` open to scrapers that send `token` (none: no
    /// `/metrics`; an empty token counts as none).
    pub fn with_metrics_token(mut self, token: Option<&str>) -> Self {
        self.metrics_token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        self
    }

    /// The same state, behind the reverse proxies `trusted`: their forwarding headers name
    /// each request's client, for the audit log and the failed-attempt limits.
    pub fn with_trusted_proxies(mut self, trusted: forwarded::TrustedProxies) -> Self {
        self.trusted_proxies = Arc::new(trusted);
        self
    }

    /// The same state, reached at `url` (no trailing slash needed).
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = url.trim_end_matches('/').to_owned();
        self
    }
}

/// Largest request body accepted, in bytes: a full batch of buckets is far smaller. Every
/// body is read through an extractor, which stops at this size and answers 413 with a JSON
/// body; no separate limit layer in front, whose refusal would be plain text. A gzip body
/// (`Content-Encoding: gzip`, as phones send a sync) is held to it once unpacked.
pub const BODY_LIMIT: usize = 256 * 1024;

/// Where the service is reached when nothing else is said.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Serves the app on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let sweeping = housekeeping::spawn(state.db.clone());
    // Ends with this future, however it ends (a test aborts it): its connection goes too.
    let _relaying = state.relay.clone().map(|url| {
        AbortOnDrop(tokio::spawn(relay::listen(
            url,
            state.changes.clone(),
            state.access_ended.clone(),
        )))
    });
    let trusted = state.trusted_proxies.clone();
    let served = connections::serve(
        listener,
        routes::router(state),
        |peer| trusted.trusts(peer),
        shutdown_signal(),
    )
    .await;
    sweeping.abort();
    served
}

/// A task that ends when this is dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
