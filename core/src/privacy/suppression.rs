//! Small-cell suppression: counts too small to publish without risking re-identification.

use crate::bucket::{Dimension, Measure};
use crate::protocol::TrendRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
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

/// Dimensions whose values split a day's encounters exactly (each encounter has one kind and one
/// reach), so their cells add up to the shown total.
const PARTITIONS: [Dimension; 2] = [Dimension::Kind, Dimension::Reach];

/// What may be shown of a day's totals: small counts hidden, and where a dimension splits the
/// day's encounters, a second cell hidden beside a lone hidden one (complementary suppression),
/// so no hidden count can be recovered by subtracting the shown ones from the total. Units of a
/// supply are shown only beside a shown count of the encounters they were handed out in: twenty
/// syringes given to one person are still one person.
pub fn suppress_trends(
    threshold: SuppressionThreshold,
    totals: &[(NaiveDate, Measure, u32)],
) -> Vec<TrendRow> {
    let mut hidden: BTreeSet<usize> = totals
        .iter()
        .enumerate()
        .filter(|(_, (_, _, count))| *count < threshold.get())
        .map(|(i, _)| i)
        .collect();
    let days: BTreeSet<NaiveDate> = totals.iter().map(|(day, _, _)| *day).collect();
    for (i, (day, measure, _)) in totals.iter().enumerate() {
        if let Measure::SupplyUnits(item) = measure {
            let encounters = totals
                .iter()
                .position(|(d, m, _)| d == day && *m == Measure::Supply(item.clone()));
            if encounters.is_none_or(|j| hidden.contains(&j)) {
                hidden.insert(i);
            }
        }
    }
    for day in days {
        for dimension in PARTITIONS {
            let cells: Vec<usize> = (0..totals.len())
                .filter(|&i| totals[i].0 == day && totals[i].1.dimension() == dimension)
                .collect();
            let hidden_cells = cells.iter().filter(|i| hidden.contains(i)).count();
            if hidden_cells == 1 {
                let smallest_shown = cells
                    .iter()
                    .filter(|i| !hidden.contains(i))
                    .min_by_key(|&&i| totals[i].2);
                if let Some(&i) = smallest_shown {
                    hidden.insert(i);
                }
            }
        }
    }
    totals
        .iter()
        .enumerate()
        .map(|(i, (day, measure, count))| TrendRow {
            day: *day,
            measure: measure.clone(),
            count: if hidden.contains(&i) {
                ReportedCount::Suppressed(Suppressed {
                    below: threshold.get(),
                })
            } else {
                ReportedCount::Exact(*count)
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encounter::{EncounterKind, Reach};

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

    fn shown(rows: &[TrendRow]) -> Vec<String> {
        rows.iter().map(|r| r.count.to_string()).collect()
    }

    #[test]
    fn a_lone_hidden_cell_of_a_partition_gets_a_complement() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let totals = vec![
            (day, Measure::Encounters, 20),
            (day, Measure::Kind(EncounterKind::Outreach), 12),
            (day, Measure::Kind(EncounterKind::FixedSite), 6),
            (day, Measure::Kind(EncounterKind::Phone), 2),
            (day, Measure::Reach(Reach::WalkIn), 20),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &totals);
        // Phone (2) is hidden; without a complement it would be 20 - 12 - 6.
        assert_eq!(shown(&rows), ["20", "12", "<5", "<5", "20"]);
    }

    #[test]
    fn supply_units_are_hidden_with_the_encounters_they_were_given_in() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let code = |s| crate::codebook::Code::new(s).unwrap();
        let totals = vec![
            (day, Measure::Supply(code("needles-syringes")), 2),
            (day, Measure::SupplyUnits(code("needles-syringes")), 40),
            (day, Measure::Supply(code("naloxone-kit")), 6),
            (day, Measure::SupplyUnits(code("naloxone-kit")), 6),
            (day, Measure::SupplyUnits(code("condoms")), 50),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &totals);
        assert_eq!(shown(&rows), ["<5", "<5", "6", "6", "<5"]);
    }

    #[test]
    fn two_hidden_cells_need_no_complement_and_other_dimensions_are_left_alone() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let other_day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let totals = vec![
            (day, Measure::Encounters, 20),
            (day, Measure::Kind(EncounterKind::Outreach), 16),
            (day, Measure::Kind(EncounterKind::FixedSite), 3),
            (day, Measure::Kind(EncounterKind::Phone), 1),
            (
                day,
                Measure::Need(crate::codebook::Code::new("food").unwrap()),
                2,
            ),
            (
                day,
                Measure::Need(crate::codebook::Code::new("housing").unwrap()),
                9,
            ),
            (other_day, Measure::Kind(EncounterKind::Outreach), 7),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &totals);
        assert_eq!(shown(&rows), ["20", "16", "<5", "<5", "<5", "9", "7"]);
    }
}
