//! Small-cell suppression: counts too small to publish without risking re-identification.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The smallest count an organization may show; thresholds below it are refused.
pub const MIN_THRESHOLD: u32 = 3;

/// Counts below this are never shown or exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct SuppressionThreshold(u32);

/// A threshold below [`MIN_THRESHOLD`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a suppression threshold must be at least {MIN_THRESHOLD}, got {0}")]
pub struct ThresholdTooLow(pub u32);

impl SuppressionThreshold {
    /// Builds a threshold, refusing one that would expose small groups.
    pub fn new(value: u32) -> Result<Self, ThresholdTooLow> {
        if value < MIN_THRESHOLD {
            Err(ThresholdTooLow(value))
        } else {
            Ok(Self(value))
        }
    }

    /// The threshold as a number.
    pub fn get(self) -> u32 {
        self.0
    }

    /// What may be reported of `count`.
    pub fn apply(self, count: u32) -> ReportedCount {
        if count < self.0 {
            ReportedCount::Suppressed(Suppressed { below: self.0 })
        } else {
            ReportedCount::Exact(count)
        }
    }
}

impl Default for SuppressionThreshold {
    fn default() -> Self {
        Self(5)
    }
}

impl TryFrom<u32> for SuppressionThreshold {
    type Error = ThresholdTooLow;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<SuppressionThreshold> for u32 {
    fn from(t: SuppressionThreshold) -> Self {
        t.0
    }
}

/// A count hidden because it is below the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// The threshold it is below.
    pub below: u32,
}

/// A count as it may be shown: exact, or only known to be small.
///
/// In JSON: `12` or `{"below": 5}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReportedCount {
    /// At or above the threshold.
    Exact(u32),
    /// Below the threshold.
    Suppressed(Suppressed),
}

impl fmt::Display for ReportedCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(n) => write!(f, "{n}"),
            Self::Suppressed(Suppressed { below }) => write!(f, "<{below}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_the_threshold_are_suppressed() {
        let t = SuppressionThreshold::default();
        assert_eq!(t.apply(4).to_string(), "<5");
        assert_eq!(t.apply(1).to_string(), "<5");
        assert_eq!(t.apply(5), ReportedCount::Exact(5));
        assert_eq!(t.apply(120).to_string(), "120");
    }

    #[test]
    fn thresholds_below_three_are_refused() {
        assert_eq!(SuppressionThreshold::new(2), Err(ThresholdTooLow(2)));
        assert_eq!(SuppressionThreshold::new(3).unwrap().get(), 3);
        assert!(serde_json::from_str::<SuppressionThreshold>("1").is_err());
    }

    #[test]
    fn reported_counts_serialize_as_number_or_bound() {
        let t = SuppressionThreshold::default();
        assert_eq!(serde_json::to_string(&t.apply(9)).unwrap(), "9");
        assert_eq!(
            serde_json::to_string(&t.apply(2)).unwrap(),
            r#"{"below":5}"#
        );
        let back: ReportedCount = serde_json::from_str(r#"{"below":5}"#).unwrap();
        assert_eq!(back, t.apply(2));
    }
}
