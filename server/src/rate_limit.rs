//! Per-device request limits: a token bucket per device, so one runaway phone cannot flood the
//! service. Kept in memory per instance: with several instances each allows the same rate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket per key.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    /// Allows bursts of `capacity` requests and `per_minute` requests a minute on average.
    pub fn new(capacity: u32, per_minute: u32) -> Self {
        Self {
            capacity: f64::from(capacity),
            per_second: f64::from(per_minute) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request for `key` at `now`; when none is left, how long until one is.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        // A poisoned lock only means another request panicked mid-update; the counts are still usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (tokens, last) = buckets
            .entry(key.to_owned())
            .or_insert((self.capacity, now));
        let refilled = (*tokens
            + now.saturating_duration_since(*last).as_secs_f64() * self.per_second)
            .min(self.capacity);
        *last = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / self.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_up_to_capacity_then_refills_at_the_rate() {
        let limiter = RateLimiter::new(3, 60);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take("a", t0), Ok(()));
        }
        let wait = limiter.take("a", t0).unwrap_err();
        assert!((wait.as_secs_f64() - 1.0).abs() < 1e-6, "{wait:?}");
        // Another device has its own bucket.
        assert_eq!(limiter.take("b", t0), Ok(()));
        assert_eq!(limiter.take("a", t0 + Duration::from_secs(1)), Ok(()));
        assert!(limiter.take("a", t0 + Duration::from_secs(1)).is_err());
    }
}
