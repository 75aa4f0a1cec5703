//! What Prometheus scrapes from `/metrics`: requests by route and status, sync batches and
//! buckets, the trends query's latency, open event streams and the database pool.
//!
//! Built on the `prometheus` crate with a registry per service state (no global recorder), so
//! two instances in one test process count apart, and the text format is the crate's own.

use prometheus::{
    Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// The service's counters, gauges and histograms.
#[derive(Clone, Debug)]
pub struct Metrics {
    registry: Registry,
    /// Requests answered, by matched route template (never the raw path), method and status.
    pub requests: IntCounterVec,
    /// Sync batches accepted (answered 200).
    pub sync_batches: IntCounter,
    /// Buckets of those batches, by outcome: applied, unchanged or rejected.
    pub sync_buckets: IntCounterVec,
    /// How long a trends read takes, in seconds.
    pub trends_seconds: Histogram,
    /// Live event streams open now.
    pub event_streams: IntGauge,
    /// Database connections held by the pool now.
    pub db_connections: IntGauge,
    /// Of those, idle now.
    pub db_idle: IntGauge,
}

/// How a bucket of a sync batch fared.
#[derive(Clone, Copy, Debug)]
pub enum BucketOutcome {
    /// Newer than stored: counted.
    Applied,
    /// Not newer: nothing changed.
    Unchanged,
    /// Invalid: refused alone.
    Rejected,
    /// Of a day the organization closed: kept as counted before.
    Closed,
}

impl BucketOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Unchanged => "unchanged",
            Self::Rejected => "rejected",
            Self::Closed => "closed",
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh set, registered in its own registry.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "peerpulse_http_requests_total",
                "Requests answered, by route template, method and status",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let sync_batches = IntCounter::new(
            "peerpulse_sync_batches_total",
            "Sync batches accepted from phones",
        )
        .expect("valid metric");
        let sync_buckets = IntCounterVec::new(
            Opts::new(
                "peerpulse_sync_buckets_total",
                "Buckets in accepted sync batches, by outcome",
            ),
            &["outcome"],
        )
        .expect("valid metric");
        let trends_seconds = Histogram::with_opts(HistogramOpts::new(
            "peerpulse_trends_query_seconds",
            "Time to answer a trends read, in seconds",
        ))
        .expect("valid metric");
        let event_streams = IntGauge::new(
            "peerpulse_event_streams_open",
            "Live dashboard event streams (SSE) open now",
        )
        .expect("valid metric");
        let db_connections = IntGauge::new(
            "peerpulse_db_pool_connections",
            "Database connections the pool holds now",
        )
        .expect("valid metric");
        let db_idle = IntGauge::new(
            "peerpulse_db_pool_idle_connections",
            "Database connections idle in the pool now",
        )
        .expect("valid metric");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(sync_batches.clone()),
            Box::new(sync_buckets.clone()),
            Box::new(trends_seconds.clone()),
            Box::new(event_streams.clone()),
            Box::new(db_connections.clone()),
            Box::new(db_idle.clone()),
        ] {
            registry
                .register(collector)
                .expect("each metric is registered once");
        }
        Self {
            registry,
            requests,
            sync_batches,
            sync_buckets,
            trends_seconds,
            event_streams,
            db_connections,
            db_idle,
        }
    }

    /// Counts `n` buckets of an accepted batch as `outcome`.
    pub fn buckets(&self, outcome: BucketOutcome, n: u64) {
        self.sync_buckets
            .with_label_values(&[outcome.label()])
            .inc_by(n);
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self) -> String {
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .expect("the text format encodes any gathered metric")
    }
}

/// One of what a gauge counts (an open stream): counted in while held, out when dropped.
#[derive(Debug)]
pub struct Counted(IntGauge);

impl Counted {
    /// Counts one more in `gauge`.
    pub fn new(gauge: &IntGauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.dec();
    }
}
