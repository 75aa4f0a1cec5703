//! Failed attempts at something guessable (an enrolment code, a password), per address or
//! per account, with an escalating wait: a few mistakes are free, then each further try waits
//! twice as long as the one before, up to an hour. A success forgets them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before any wait.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(60 * 60);
/// Failures are forgotten after this long without another.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// Keys kept before forgotten ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// Failed attempts per key.
#[derive(Debug, Default)]
pub struct FailedAttempts(Mutex<HashMap<String, (u32, Instant)>>);

impl FailedAttempts {
    /// How long `key` must still wait before its next attempt, if at all.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        let records = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let &(failures, last) = records.get(key)?;
        let wait = wait_after(failures);
        let waited = now.saturating_duration_since(last);
        (waited < wait).then(|| wait - waited)
    }

    /// Records a failed attempt of `key`.
    pub fn failed(&self, key: &str, now: Instant) {
        let mut records = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if records.len() > SWEEP_ABOVE {
            records.retain(|_, (_, last)| now.saturating_duration_since(*last) < FORGET_AFTER);
        }
        let record = records.entry(key.to_owned()).or_insert((0, now));
        if now.saturating_duration_since(record.1) >= FORGET_AFTER {
            record.0 = 0;
        }
        *record = (record.0.saturating_add(1), now);
    }

    /// Forgets `key`'s failures after a success.
    pub fn succeeded(&self, key: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// The wait after `failures` failures: none for the first [`FREE_FAILURES`], then 1 s, 2 s,
/// 4 s... up to [`MAX_WAIT`].
fn wait_after(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES + 1) {
        None => Duration::ZERO,
        Some(beyond) => Duration::from_secs(1u64 << beyond.min(12)).min(MAX_WAIT),
    }
}

/// The part of an address that one client controls: the address itself for IPv4, its /64
/// network for IPv6 (one home or phone gets a whole /64).
pub fn client_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_failures_are_free_then_each_waits_twice_as_long() {
        let attempts = FailedAttempts::default();
        let start = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert_eq!(attempts.wait("a", start), None);
            attempts.failed("a", start);
        }
        assert_eq!(attempts.wait("a", start), None, "five mistakes are free");
        attempts.failed("a", start);
        assert_eq!(attempts.wait("a", start), Some(Duration::from_secs(1)));
        attempts.failed("a", start);
        assert_eq!(attempts.wait("a", start), Some(Duration::from_secs(2)));
        let later = start + Duration::from_secs(2);
        assert_eq!(attempts.wait("a", later), None);
        assert_eq!(attempts.wait("b", start), None, "others are not slowed");
        for _ in 0..40 {
            attempts.failed("a", start);
        }
        assert_eq!(attempts.wait("a", start), Some(MAX_WAIT));
        attempts.succeeded("a");
        assert_eq!(attempts.wait("a", start), None);
    }

    #[test]
    fn an_ipv6_client_is_its_whole_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_eq!(client_key("10.1.2.3".parse().unwrap()), "10.1.2.3");
    }
}
