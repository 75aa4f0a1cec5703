//! The organization's threshold: counts below it are never published.

use serde::{Deserialize, Serialize};

/// The smallest count an organization may show; thresholds below it are refused.
pub const MIN_THRESHOLD: u32 = 3;

/// Counts below this are never shown or exported (see [`super::disclosure`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_below_three_are_refused() {
        assert_eq!(SuppressionThreshold::new(2), Err(ThresholdTooLow(2)));
        assert_eq!(SuppressionThreshold::new(3).unwrap().get(), 3);
        assert!(serde_json::from_str::<SuppressionThreshold>("1").is_err());
        assert_eq!(SuppressionThreshold::default().get(), 5);
    }
}
