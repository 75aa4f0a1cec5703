//! When to try a failed sync again: exponential backoff with jitter, so phones that lost the
//! service together do not all come back in the same second.

use std::time::Duration;

/// Retry delays doubling from `base` up to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failure.
    pub base: Duration,
    /// Longest delay.
    pub max: Duration,
}

impl Backoff {
    /// The phone's sync policy: 5 s after a first failure, then doubling to 5 minutes.
    pub const SYNC: Self = Self {
        base: Duration::from_secs(5),
        max: Duration::from_secs(300),
    };

    /// The delay before the next try after `failures` consecutive failures (at least 1).
    ///
    /// `jitter` in `[0, 1)` spreads the delay over its upper half ("equal jitter"), so a retry
    /// never comes sooner than half the nominal delay.
    pub fn delay(self, failures: u32, jitter: f64) -> Duration {
        let exponent = failures.saturating_sub(1).min(20);
        let nominal = self.base.saturating_mul(1 << exponent).min(self.max);
        let jitter = jitter.clamp(0.0, 1.0);
        nominal.mul_f64(0.5 + jitter / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_the_base_up_to_the_cap() {
        let b = Backoff::SYNC;
        let full = |n| b.delay(n, 1.0);
        assert_eq!(full(1), Duration::from_secs(5));
        assert_eq!(full(2), Duration::from_secs(10));
        assert_eq!(full(3), Duration::from_secs(20));
        assert_eq!(full(7), Duration::from_secs(300));
        assert_eq!(full(1_000), Duration::from_secs(300));
    }

    #[test]
    fn jitter_spreads_over_the_upper_half_of_the_delay() {
        let b = Backoff::SYNC;
        assert_eq!(b.delay(2, 0.0), Duration::from_secs(5));
        assert_eq!(b.delay(2, 0.5), Duration::from_millis(7_500));
        assert_eq!(b.delay(2, 7.0), Duration::from_secs(10));
        assert_eq!(b.delay(0, 0.0), b.delay(1, 0.0));
    }
}
