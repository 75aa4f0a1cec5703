//! Aggregation of encounters into trend buckets: `(day, site, measure) → count`.
//!
//! Buckets are all that leaves the phone. Each device owns its counters and stamps every
//! change with a version from its own monotonic clock, so the service can keep the newest
//! count per (device, bucket) and sum over devices without ever double counting.

use crate::codebook::{Code, CodeError};
use crate::encounter::{Encounter, EncounterKind, Reach};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// What a bucket counts, without its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    /// Encounters in total.
    Encounters,
    /// Encounters by how they happened.
    Kind,
    /// Encounters by how the contact was reached.
    Reach,
    /// Topics the worker shared.
    Topic,
    /// Insights the contact shared.
    Insight,
    /// Needs noted.
    Need,
    /// Needs the codebook does not know yet, as the workers tagged them.
    FreeTag,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Self; 7] = [
        Self::Encounters,
        Self::Kind,
        Self::Reach,
        Self::Topic,
        Self::Insight,
        Self::Need,
        Self::FreeTag,
    ];

    /// The stable name used in the API and the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Encounters => "encounters",
            Self::Kind => "kind",
            Self::Reach => "reach",
            Self::Topic => "topic",
            Self::Insight => "insight",
            Self::Need => "need",
            Self::FreeTag => "free-tag",
        }
    }

    /// What a person reads as a heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Encounters => "Encounters",
            Self::Kind => "How it happened",
            Self::Reach => "How contacts were reached",
            Self::Topic => "Topics shared by workers",
            Self::Insight => "Insights shared by contacts",
            Self::Need => "Needs",
            Self::FreeTag => "New needs (free tags)",
        }
    }
}

/// A string that names no [`Dimension`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown dimension {0:?}: expected one of encounters, kind, reach, topic, insight, need, free-tag"
)]
pub struct UnknownDimension(pub String);

impl FromStr for Dimension {
    type Err = UnknownDimension;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDimension(s.to_owned()))
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a bucket counts: a dimension and, except for the total, its value.
///
/// In JSON: `{"dimension": "need", "value": "housing"}` or `{"dimension": "encounters"}`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "dimension", content = "value", rename_all = "kebab-case")]
pub enum Measure {
    /// Encounters in total.
    Encounters,
    /// Encounters of one kind.
    Kind(EncounterKind),
    /// Encounters with one way of reaching the contact.
    Reach(Reach),
    /// Encounters where the worker shared this topic.
    Topic(Code),
    /// Encounters where the contact shared this insight.
    Insight(Code),
    /// Encounters where this need was noted.
    Need(Code),
    /// Encounters where a worker tagged this need the codebook does not have.
    FreeTag(Code),
}

/// A (dimension, value) pair that is not a valid [`Measure`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MeasureError {
    /// The value does not belong to the dimension's closed set.
    #[error("{value:?} is not a valid {dimension} value")]
    InvalidValue {
        /// The dimension.
        dimension: Dimension,
        /// The offending value.
        value: String,
    },
    /// The value is not a valid code.
    #[error("invalid code: {0}")]
    Code(#[from] CodeError),
}

impl Measure {
    /// The dimension this measure belongs to.
    pub fn dimension(&self) -> Dimension {
        match self {
            Self::Encounters => Dimension::Encounters,
            Self::Kind(_) => Dimension::Kind,
            Self::Reach(_) => Dimension::Reach,
            Self::Topic(_) => Dimension::Topic,
            Self::Insight(_) => Dimension::Insight,
            Self::Need(_) => Dimension::Need,
            Self::FreeTag(_) => Dimension::FreeTag,
        }
    }

    /// The value as stored in a database column (empty for the total).
    pub fn value(&self) -> &str {
        match self {
            Self::Encounters => "",
            Self::Kind(k) => k.as_str(),
            Self::Reach(r) => r.as_str(),
            Self::Topic(c) | Self::Insight(c) | Self::Need(c) | Self::FreeTag(c) => c.as_str(),
        }
    }

    /// Rebuilds a measure from its stored dimension and value.
    pub fn from_parts(dimension: Dimension, value: &str) -> Result<Self, MeasureError> {
        let invalid = || MeasureError::InvalidValue {
            dimension,
            value: value.to_owned(),
        };
        Ok(match dimension {
            Dimension::Encounters if value.is_empty() => Self::Encounters,
            Dimension::Encounters => return Err(invalid()),
            Dimension::Kind => Self::Kind(
                EncounterKind::ALL
                    .into_iter()
                    .find(|k| k.as_str() == value)
                    .ok_or_else(invalid)?,
            ),
            Dimension::Reach => Self::Reach(
                Reach::ALL
                    .into_iter()
                    .find(|r| r.as_str() == value)
                    .ok_or_else(invalid)?,
            ),
            Dimension::Topic => Self::Topic(Code::new(value)?),
            Dimension::Insight => Self::Insight(Code::new(value)?),
            Dimension::Need => Self::Need(Code::new(value)?),
            Dimension::FreeTag => Self::FreeTag(Code::new(value)?),
        })
    }
}

/// The address of one trend bucket.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BucketKey {
    /// Local date of the encounters counted.
    pub day: NaiveDate,
    /// Site or outreach area.
    pub site: Code,
    /// What is counted.
    #[serde(flatten)]
    pub measure: Measure,
}

impl Encounter {
    /// The buckets this encounter counts once in.
    pub fn bucket_keys(&self) -> Vec<BucketKey> {
        let key = |measure| BucketKey {
            day: self.day,
            site: self.site.clone(),
            measure,
        };
        let mut keys = vec![
            key(Measure::Encounters),
            key(Measure::Kind(self.kind)),
            key(Measure::Reach(self.reach)),
        ];
        keys.extend(self.topics.iter().cloned().map(Measure::Topic).map(key));
        keys.extend(self.insights.iter().cloned().map(Measure::Insight).map(key));
        keys.extend(self.needs.iter().cloned().map(Measure::Need).map(key));
        keys.extend(
            self.free_tags
                .iter()
                .cloned()
                .map(Measure::FreeTag)
                .map(key),
        );
        keys
    }
}

/// One device's count in one bucket, stamped with the device clock at its last change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Encounters counted.
    pub count: u32,
    /// Device clock value of the last change; newer versions replace older ones on the service.
    pub version: u64,
}

/// A tally that would go below zero: the phone's buckets disagree with its entries.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bucket {key:?} is already zero and cannot be lowered")]
pub struct Underflow {
    /// The bucket concerned.
    pub key: BucketKey,
}

impl Tally {
    /// The tally after one more encounter, stamped `version`.
    pub fn incremented(self, version: u64) -> Self {
        Self {
            count: self.count.saturating_add(1),
            version,
        }
    }

    /// The tally after one encounter less (an edit or a delete), stamped `version`.
    pub fn decremented(self, key: &BucketKey, version: u64) -> Result<Self, Underflow> {
        let count = self
            .count
            .checked_sub(1)
            .ok_or_else(|| Underflow { key: key.clone() })?;
        Ok(Self { count, version })
    }
}

/// Which way one bucket moves when an entry is saved, edited or deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// One more encounter counted.
    Up,
    /// One encounter less.
    Down,
}

/// The bucket moves that turn `before` into `after`: a save has no `before`, a delete no
/// `after`, an edit both. Buckets both count are left alone.
pub fn changes(before: Option<&Encounter>, after: Option<&Encounter>) -> Vec<(BucketKey, Change)> {
    let old: BTreeSet<BucketKey> = before
        .map(Encounter::bucket_keys)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let new: BTreeSet<BucketKey> = after
        .map(Encounter::bucket_keys)
        .unwrap_or_default()
        .into_iter()
        .collect();
    old.difference(&new)
        .map(|k| (k.clone(), Change::Down))
        .chain(new.difference(&old).map(|k| (k.clone(), Change::Up)))
        .collect()
}

impl Tally {
    /// The tally after `change`, stamped `version`.
    pub fn changed(self, key: &BucketKey, change: Change, version: u64) -> Result<Self, Underflow> {
        match change {
            Change::Up => Ok(self.incremented(version)),
            Change::Down => self.decremented(key, version),
        }
    }
}

/// Bucket counts of a set of encounters: the aggregate the phone keeps in step with its entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Buckets(BTreeMap<BucketKey, u32>);

impl Buckets {
    /// Counts every encounter of `encounters`.
    pub fn of<'a>(encounters: impl IntoIterator<Item = &'a Encounter>) -> Self {
        let mut buckets = Self::default();
        for encounter in encounters {
            buckets.add(encounter);
        }
        buckets
    }

    /// Counts one more encounter.
    pub fn add(&mut self, encounter: &Encounter) {
        for key in encounter.bucket_keys() {
            *self.0.entry(key).or_default() += 1;
        }
    }

    /// Uncounts an encounter that was counted before; buckets that reach zero disappear.
    pub fn remove(&mut self, encounter: &Encounter) -> Result<(), Underflow> {
        let keys = encounter.bucket_keys();
        if let Some(key) = keys.iter().find(|k| !self.0.contains_key(k)) {
            return Err(Underflow { key: key.clone() });
        }
        for key in keys {
            let count = self.0.get_mut(&key).expect("checked above");
            *count -= 1;
            if *count == 0 {
                self.0.remove(&key);
            }
        }
        Ok(())
    }

    /// The count of one bucket (zero when absent).
    pub fn get(&self, key: &BucketKey) -> u32 {
        self.0.get(key).copied().unwrap_or(0)
    }

    /// Every non-empty bucket with its count, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&BucketKey, u32)> {
        self.0.iter().map(|(k, c)| (k, *c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::{CodeList, Codebook};
    use crate::encounter::{EncounterId, TimeBand};
    use proptest::prelude::*;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn encounter(id: &str, day: u32, needs: &[&str]) -> Encounter {
        Encounter {
            id: EncounterId::new(id).unwrap(),
            day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            time_band: TimeBand::Evening,
            site: code("van"),
            kind: EncounterKind::Outreach,
            reach: Reach::WalkIn,
            topics: [code("naloxone")].into(),
            insights: BTreeSet::new(),
            needs: needs.iter().map(|n| code(n)).collect(),
            free_tags: BTreeSet::new(),
            insight_note: None,
            private_note: None,
            codebook_version: 1,
        }
    }

    fn key(day: u32, measure: Measure) -> BucketKey {
        BucketKey {
            day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            site: code("van"),
            measure,
        }
    }

    #[test]
    fn an_encounter_counts_once_in_total_kind_reach_and_each_code() {
        let keys = encounter("a", 3, &["housing", "food"]).bucket_keys();
        let measures: Vec<_> = keys.iter().map(|k| k.measure.clone()).collect();
        assert_eq!(
            measures,
            vec![
                Measure::Encounters,
                Measure::Kind(EncounterKind::Outreach),
                Measure::Reach(Reach::WalkIn),
                Measure::Topic(code("naloxone")),
                Measure::Need(code("food")),
                Measure::Need(code("housing")),
            ]
        );
    }

    #[test]
    fn free_tags_are_counted_in_their_own_dimension() {
        let mut e = encounter("a", 3, &[]);
        e.free_tags.insert(code("dental-care"));
        let keys = e.bucket_keys();
        assert_eq!(
            keys.last().map(|k| &k.measure),
            Some(&Measure::FreeTag(code("dental-care")))
        );
        let m = Measure::FreeTag(code("dental-care"));
        assert_eq!(Measure::from_parts(m.dimension(), m.value()), Ok(m));
    }

    #[test]
    fn an_edit_moves_only_the_buckets_that_differ() {
        let before = encounter("a", 3, &["housing", "food"]);
        let mut after = before.clone();
        after.needs = [code("food"), code("detox")].into();
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                (key(3, Measure::Need(code("housing"))), Change::Down),
                (key(3, Measure::Need(code("detox"))), Change::Up),
            ]
        );
        assert_eq!(changes(Some(&before), Some(&before)), vec![]);
        assert_eq!(
            changes(None, Some(&before)).len(),
            before.bucket_keys().len()
        );
        assert!(
            changes(Some(&before), None)
                .iter()
                .all(|(_, c)| *c == Change::Down)
        );
    }

    #[test]
    fn buckets_count_per_day_and_value() {
        let buckets = Buckets::of(&[
            encounter("a", 3, &["housing"]),
            encounter("b", 3, &["housing", "food"]),
            encounter("c", 4, &["food"]),
        ]);
        assert_eq!(buckets.get(&key(3, Measure::Encounters)), 2);
        assert_eq!(buckets.get(&key(3, Measure::Need(code("housing")))), 2);
        assert_eq!(buckets.get(&key(3, Measure::Need(code("food")))), 1);
        assert_eq!(buckets.get(&key(4, Measure::Need(code("housing")))), 0);
    }

    #[test]
    fn removing_an_encounter_never_counted_is_refused_and_changes_nothing() {
        let mut buckets = Buckets::of(&[encounter("a", 3, &[])]);
        let before = buckets.clone();
        let err = buckets
            .remove(&encounter("b", 3, &["housing"]))
            .unwrap_err();
        assert_eq!(err.key, key(3, Measure::Need(code("housing"))));
        assert_eq!(buckets, before);
    }

    #[test]
    fn tally_versions_follow_the_device_clock_and_never_go_negative() {
        let k = key(3, Measure::Encounters);
        let t = Tally::default().incremented(7);
        assert_eq!(
            t,
            Tally {
                count: 1,
                version: 7
            }
        );
        let t = t.decremented(&k, 9).unwrap();
        assert_eq!(
            t,
            Tally {
                count: 0,
                version: 9
            }
        );
        assert_eq!(t.decremented(&k, 10), Err(Underflow { key: k }));
    }

    #[test]
    fn measures_round_trip_through_their_stored_parts() {
        let book = Codebook::harm_reduction_default();
        let mut all = vec![Measure::Encounters];
        all.extend(EncounterKind::ALL.map(Measure::Kind));
        all.extend(Reach::ALL.map(Measure::Reach));
        all.extend(
            book.entries(CodeList::Need)
                .iter()
                .map(|e| Measure::Need(e.code.clone())),
        );
        for m in all {
            assert_eq!(Measure::from_parts(m.dimension(), m.value()), Ok(m.clone()));
        }
        assert!(Measure::from_parts(Dimension::Kind, "teleport").is_err());
        assert!(Measure::from_parts(Dimension::Encounters, "x").is_err());
        assert!(Measure::from_parts(Dimension::Need, "Bad").is_err());
    }

    #[test]
    fn bucket_keys_serialize_flat() {
        let k = key(3, Measure::Need(code("food")));
        let json = serde_json::to_value(&k).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"day": "2026-11-03", "site": "van", "dimension": "need", "value": "food"})
        );
        let total = serde_json::to_value(key(3, Measure::Encounters)).unwrap();
        assert_eq!(
            total,
            serde_json::json!({"day": "2026-11-03", "site": "van", "dimension": "encounters"})
        );
        assert_eq!(serde_json::from_value::<BucketKey>(json).unwrap(), k);
    }

    fn arb_encounter() -> impl Strategy<Value = Encounter> {
        let book = Codebook::harm_reduction_default();
        let codes = |list| {
            book.entries(list)
                .iter()
                .map(|e| e.code.clone())
                .collect::<Vec<_>>()
        };
        let (sites, topics, insights, needs) = (
            codes(CodeList::Site),
            codes(CodeList::Topic),
            codes(CodeList::Insight),
            codes(CodeList::Need),
        );
        (
            1u32..=28,
            proptest::sample::select(sites),
            proptest::sample::select(EncounterKind::ALL.to_vec()),
            proptest::sample::select(Reach::ALL.to_vec()),
            proptest::sample::subsequence(topics.clone(), 0..=topics.len()),
            proptest::sample::subsequence(insights.clone(), 0..=insights.len()),
            proptest::sample::subsequence(needs.clone(), 0..=needs.len()),
            "[a-f0-9]{8}",
        )
            .prop_map(
                |(day, site, kind, reach, topics, insights, needs, id)| Encounter {
                    id: EncounterId::new(&id).unwrap(),
                    day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                    time_band: TimeBand::Afternoon,
                    site,
                    kind,
                    reach,
                    topics: topics.into_iter().collect(),
                    insights: insights.into_iter().collect(),
                    needs: needs.into_iter().collect(),
                    free_tags: BTreeSet::new(),
                    insight_note: None,
                    private_note: None,
                    codebook_version: 1,
                },
            )
    }

    proptest! {
        #[test]
        fn buckets_sum_to_what_was_counted(encounters in proptest::collection::vec(arb_encounter(), 0..40)) {
            let buckets = Buckets::of(&encounters);
            let total: u32 = buckets
                .iter()
                .filter(|(k, _)| k.measure == Measure::Encounters)
                .map(|(_, c)| c)
                .sum();
            prop_assert_eq!(total as usize, encounters.len());
            let needs_noted: usize = encounters.iter().map(|e| e.needs.len()).sum();
            let need_total: u32 = buckets
                .iter()
                .filter(|(k, _)| k.measure.dimension() == Dimension::Need)
                .map(|(_, c)| c)
                .sum();
            prop_assert_eq!(need_total as usize, needs_noted);
            let all_keys: usize = encounters.iter().map(|e| e.bucket_keys().len()).sum();
            let all_counts: u32 = buckets.iter().map(|(_, c)| c).sum();
            prop_assert_eq!(all_counts as usize, all_keys);
        }

        #[test]
        fn adding_then_removing_an_encounter_restores_the_buckets_exactly(
            encounters in proptest::collection::vec(arb_encounter(), 0..30),
            extra in arb_encounter(),
        ) {
            let before = Buckets::of(&encounters);
            let mut buckets = before.clone();
            buckets.add(&extra);
            prop_assert_ne!(&buckets, &before);
            buckets.remove(&extra).unwrap();
            prop_assert_eq!(buckets, before);
        }

        #[test]
        fn aggregation_does_not_depend_on_order(mut encounters in proptest::collection::vec(arb_encounter(), 0..30)) {
            let forward = Buckets::of(&encounters);
            encounters.reverse();
            prop_assert_eq!(Buckets::of(&encounters), forward);
        }
    }
}
