//! The optional PIN that locks a shared phone: what a PIN may be, and when an idle app locks.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Fewest digits a PIN may have.
pub const MIN_PIN_DIGITS: usize = 6;
/// Most digits a PIN may have.
pub const MAX_PIN_DIGITS: usize = 12;

/// How long the app may sit untouched before it locks again.
pub const IDLE_LOCK_AFTER: Duration = Duration::from_secs(5 * 60);

/// A PIN the worker chose: 6 to 12 digits, not one a stranger would try first.
///
/// `Debug` never shows the digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

/// Why typed text is not a usable PIN, phrased for the worker.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Something other than digits.
    #[error("Use digits only.")]
    NotDigits,
    /// Too few digits.
    #[error("Use at least {MIN_PIN_DIGITS} digits.")]
    TooShort,
    /// Too many digits.
    #[error("Use at most {MAX_PIN_DIGITS} digits.")]
    TooLong,
    /// The same digit repeated, or a run such as 123456: the first PINs anyone tries.
    #[error("That PIN is too easy to guess: avoid repeated digits and runs like 123456.")]
    TooEasy,
    /// The two entries differ.
    #[error("The two PINs are not the same: type the new PIN twice.")]
    Mismatch,
}

impl Pin {
    /// Checks a PIN the worker typed to unlock: only its shape, since the lock itself decides
    /// whether it is right.
    pub fn parse(raw: &str) -> Result<Self, PinError> {
        let digits = raw.trim();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PinError::NotDigits);
        }
        if digits.len() < MIN_PIN_DIGITS {
            return Err(PinError::TooShort);
        }
        if digits.len() > MAX_PIN_DIGITS {
            return Err(PinError::TooLong);
        }
        Ok(Self(digits.to_owned()))
    }

    /// Checks a new PIN typed twice, refusing ones too easy to guess.
    pub fn choose(first: &str, again: &str) -> Result<Self, PinError> {
        let pin = Self::parse(first)?;
        if pin.is_easy() {
            return Err(PinError::TooEasy);
        }
        if first.trim() != again.trim() {
            return Err(PinError::Mismatch);
        }
        Ok(pin)
    }

    /// The digits, for key derivation.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    fn is_easy(&self) -> bool {
        let d: Vec<i16> = self.0.bytes().map(|b| i16::from(b - b'0')).collect();
        let steps: Vec<i16> = d.windows(2).map(|w| (w[1] - w[0] + 10) % 10).collect();
        // All equal steps: 000000 (step 0), 123456 (step 1), 987654 (step 9), 890123 (wraps).
        steps.windows(2).all(|w| w[0] == w[1]) && matches!(steps[0], 0 | 1 | 9)
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

/// Whether an app last touched at `last_activity_ms` should be locked at `now_ms`
/// (milliseconds on the same clock).
pub fn idle_expired(last_activity_ms: f64, now_ms: f64) -> bool {
    now_ms - last_activity_ms >= IDLE_LOCK_AFTER.as_millis() as f64
}

/// Wrong PINs in a row that cost no wait: a tired thumb slips.
pub const FREE_WRONG_PINS: u32 = 3;
/// The wait after the first wrong PIN beyond the free ones; each further one doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait: long enough to make guessing a 6-digit PIN take years, short enough that
/// a worker who mistyped a few times is not locked out of a shift.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);

/// Wrong PINs typed in a row on this phone, kept across reloads, and the wait they impose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PinAttempts {
    /// Wrong PINs since the last right one.
    pub wrong: u32,
    /// When the last wrong PIN was typed (milliseconds since the Unix epoch).
    pub last_wrong_ms: f64,
}

impl PinAttempts {
    /// The attempts after one more wrong PIN at `now_ms`.
    pub fn after_wrong(self, now_ms: f64) -> Self {
        Self {
            wrong: self.wrong.saturating_add(1),
            last_wrong_ms: now_ms,
        }
    }

    /// How long the wait after these wrong PINs is: none for the first few, then 30 s,
    /// doubling up to [`LONGEST_WAIT`].
    pub fn wait(self) -> Duration {
        let Some(beyond) = self.wrong.checked_sub(FREE_WRONG_PINS + 1) else {
            return Duration::ZERO;
        };
        FIRST_WAIT
            .checked_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX))
            .map_or(LONGEST_WAIT, |w| w.min(LONGEST_WAIT))
    }

    /// Whole seconds left to wait at `now_ms` before the next PIN may be tried (0: try now).
    /// A clock set back never makes the wait longer than [`Self::wait`].
    pub fn seconds_left(self, now_ms: f64) -> u64 {
        let elapsed = (now_ms - self.last_wrong_ms).max(0.0);
        let left = self.wait().as_millis() as f64 - elapsed;
        if left <= 0.0 {
            0
        } else {
            (left / 1000.0).ceil() as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_pins_beyond_three_wait_longer_and_longer_up_to_a_cap() {
        let mut attempts = PinAttempts::default();
        let mut waits = Vec::new();
        for _ in 0..12 {
            attempts = attempts.after_wrong(0.0);
            waits.push(attempts.wait().as_secs());
        }
        assert_eq!(waits, [0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900, 900]);
        let many = PinAttempts {
            wrong: u32::MAX,
            last_wrong_ms: 0.0,
        };
        assert_eq!(many.wait(), LONGEST_WAIT);
    }

    #[test]
    fn the_wait_counts_down_from_the_last_wrong_pin() {
        let attempts = PinAttempts {
            wrong: 4,
            last_wrong_ms: 1_000_000.0,
        };
        assert_eq!(attempts.seconds_left(1_000_000.0), 30);
        assert_eq!(attempts.seconds_left(1_029_500.0), 1);
        assert_eq!(attempts.seconds_left(1_030_000.0), 0);
        // A clock set back does not lengthen the wait.
        assert_eq!(attempts.seconds_left(0.0), 30);
    }

    #[test]
    fn a_pin_is_six_to_twelve_digits() {
        assert_eq!(Pin::parse("12ab56"), Err(PinError::NotDigits));
        assert_eq!(Pin::parse(""), Err(PinError::NotDigits));
        assert_eq!(Pin::parse("40917"), Err(PinError::TooShort));
        assert_eq!(Pin::parse("4091735521337"), Err(PinError::TooLong));
        assert_eq!(Pin::parse(" 409173 ").unwrap().as_bytes(), b"409173");
    }

    #[test]
    fn new_pins_must_be_typed_twice_and_not_be_the_first_guesses() {
        for easy in ["000000", "123456", "987654", "890123", "11111111"] {
            assert_eq!(Pin::choose(easy, easy), Err(PinError::TooEasy), "{easy}");
        }
        assert_eq!(Pin::choose("409173", "409137"), Err(PinError::Mismatch));
        assert!(Pin::choose("409173", "409173").is_ok());
        assert!(Pin::choose("112233", "112233").is_ok());
    }

    #[test]
    fn debug_output_hides_the_digits() {
        let pin = Pin::parse("409173").unwrap();
        assert!(!format!("{pin:?}").contains("409173"));
    }

    #[test]
    fn the_app_locks_after_five_idle_minutes() {
        let minute = 60_000.0;
        assert!(!idle_expired(0.0, 4.9 * minute));
        assert!(idle_expired(0.0, 5.0 * minute));
        assert!(idle_expired(1_000.0, 1_000.0 + 30.0 * minute));
    }
}
