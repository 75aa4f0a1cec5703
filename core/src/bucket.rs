//! Aggregation of encounters into trend buckets: `(day, site, measure) → count`.
//!
//! Buckets are all that leaves the phone. Each device owns its counters and stamps every
//! change with a version from its own monotonic clock, so the service can keep the newest
//! count per (device, bucket) and sum over devices without ever double counting.

use crate::codebook::{Code, CodeError, CodeList, Codebook};
use crate::encounter::{Encounter, EncounterKind, Reach};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

mod measure_wire;
pub use measure_wire::MeasureFormError;

/// What a bucket counts, without its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Encounters where a supply was handed out.
    Supply,
    /// Units of a supply handed out.
    SupplyUnits,
    /// Referrals made, by kind of service.
    Referral,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Self; 10] = [
        Self::Encounters,
        Self::Kind,
        Self::Reach,
        Self::Topic,
        Self::Insight,
        Self::Need,
        Self::FreeTag,
        Self::Supply,
        Self::SupplyUnits,
        Self::Referral,
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
            Self::Supply => "supply",
            Self::SupplyUnits => "supply-units",
            Self::Referral => "referral",
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
            Self::Supply => "Encounters with supplies given",
            Self::SupplyUnits => "Supplies given (units)",
            Self::Referral => "Referrals made",
        }
    }
}

/// A string that names no [`Dimension`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown dimension {0:?}: expected one of encounters, kind, reach, topic, insight, need, free-tag, supply, supply-units, referral"
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
/// In JSON: `{"dimension": "need", "value": "housing"}` or `{"dimension": "encounters"}`; read
/// by [`measure_wire`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Encounters where this supply was handed out.
    Supply(Code),
    /// Units of this supply handed out.
    SupplyUnits(Code),
    /// Encounters where the contact was referred to this kind of service.
    Referral(Code),
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
            Self::Supply(_) => Dimension::Supply,
            Self::SupplyUnits(_) => Dimension::SupplyUnits,
            Self::Referral(_) => Dimension::Referral,
        }
    }

    /// The value as stored in a database column (empty for the total).
    pub fn value(&self) -> &str {
        match self {
            Self::Encounters => "",
            Self::Kind(k) => k.as_str(),
            Self::Reach(r) => r.as_str(),
            Self::Topic(c)
            | Self::Insight(c)
            | Self::Need(c)
            | Self::FreeTag(c)
            | Self::Supply(c)
            | Self::SupplyUnits(c)
            | Self::Referral(c) => c.as_str(),
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
            Dimension::Supply => Self::Supply(Code::new(value)?),
            Dimension::SupplyUnits => Self::SupplyUnits(Code::new(value)?),
            Dimension::Referral => Self::Referral(Code::new(value)?),
        })
    }

    /// The largest count one device can plausibly hold in a bucket of this measure (one site,
    /// one day): encounters for every measure but supply units, which count items.
    pub fn max_count(&self) -> u32 {
        const MOST_ENCOUNTERS: u32 = 5_000;
        match self {
            Self::SupplyUnits(_) => MOST_ENCOUNTERS * u32::from(crate::encounter::MAX_QUANTITY),
            _ => MOST_ENCOUNTERS,
        }
    }
}

impl Measure {
    /// What this measure counts as under `codebook`: a merged code as the code it was merged
    /// into, a free tag promoted into a need as that need.
    pub fn current(&self, codebook: &Codebook) -> Self {
        let now = |list, code: &Code| codebook.current(list, code).clone();
        match self {
            Self::Encounters | Self::Kind(_) | Self::Reach(_) => self.clone(),
            Self::Topic(c) => Self::Topic(now(CodeList::Topic, c)),
            Self::Insight(c) => Self::Insight(now(CodeList::Insight, c)),
            Self::Need(c) => Self::Need(now(CodeList::Need, c)),
            Self::FreeTag(tag) if codebook.knows(CodeList::Need, tag) => {
                Self::Need(now(CodeList::Need, tag))
            }
            Self::FreeTag(_) => self.clone(),
            Self::Supply(c) => Self::Supply(now(CodeList::Supply, c)),
            Self::SupplyUnits(c) => Self::SupplyUnits(now(CodeList::Supply, c)),
            Self::Referral(c) => Self::Referral(now(CodeList::Referral, c)),
        }
    }

    /// What a person reads for the value counted ("Housing", "Outreach"), in `codebook`'s words.
    pub fn label(&self, codebook: &Codebook) -> String {
        match self {
            Self::Encounters => "All encounters".to_owned(),
            Self::Kind(k) => k.label().to_owned(),
            Self::Reach(r) => r.label().to_owned(),
            Self::Topic(c) => codebook.label(CodeList::Topic, c).to_owned(),
            Self::Insight(c) => codebook.label(CodeList::Insight, c).to_owned(),
            Self::Need(c) => codebook.label(CodeList::Need, c).to_owned(),
            Self::FreeTag(tag) => crate::privacy::free_tag::label(tag),
            Self::Supply(c) | Self::SupplyUnits(c) => {
                codebook.label(CodeList::Supply, c).to_owned()
            }
            Self::Referral(c) => codebook.label(CodeList::Referral, c).to_owned(),
        }
    }
}

/// The address of one trend bucket.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BucketKey {
    /// Local date of the encounters counted.
    #[serde(with = "crate::date_wire::day")]
    pub day: NaiveDate,
    /// Site or outreach area.
    pub site: Code,
    /// What is counted.
    #[serde(flatten)]
    pub measure: Measure,
}

impl Encounter {
    /// The buckets this encounter counts in, each with how much it adds: one encounter, or the
    /// units of a supply.
    pub fn counts(&self) -> Vec<(BucketKey, u32)> {
        let key = |measure| BucketKey {
            day: self.day,
            site: self.site.clone(),
            measure,
        };
        let once = |measure| (key(measure), 1);
        let mut counts = vec![
            once(Measure::Encounters),
            once(Measure::Kind(self.kind)),
            once(Measure::Reach(self.reach)),
        ];
        counts.extend(self.topics.iter().cloned().map(Measure::Topic).map(once));
        counts.extend(
            self.insights
                .iter()
                .cloned()
                .map(Measure::Insight)
                .map(once),
        );
        counts.extend(self.needs.iter().cloned().map(Measure::Need).map(once));
        counts.extend(
            self.free_tags
                .iter()
                .cloned()
                .map(Measure::FreeTag)
                .map(once),
        );
        for supply in &self.supplies {
            counts.push(once(Measure::Supply(supply.item.clone())));
            counts.push((
                key(Measure::SupplyUnits(supply.item.clone())),
                u32::from(supply.quantity.get()),
            ));
        }
        counts.extend(
            self.referrals
                .iter()
                .cloned()
                .map(Measure::Referral)
                .map(once),
        );
        counts
    }
}

/// One device's count in one bucket, stamped with the device clock at its last change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// How one bucket moves when an entry is saved, edited or deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Counted up by this much.
    Up(u32),
    /// Counted down by this much.
    Down(u32),
}

/// The bucket moves that turn `before` into `after`: a save has no `before`, a delete no
/// `after`, an edit both. Buckets both count the same are left alone.
pub fn changes(before: Option<&Encounter>, after: Option<&Encounter>) -> Vec<(BucketKey, Change)> {
    // Each bucket's count before and after, in bucket order. Built by insertion, not collected:
    // collecting into a map sorts, and every sorted element type is one more copy of the sort
    // in the phone's wasm.
    let mut counts: BTreeMap<BucketKey, (u32, u32)> = BTreeMap::new();
    for (key, n) in before.map(Encounter::counts).unwrap_or_default() {
        counts.entry(key).or_default().0 = n;
    }
    for (key, n) in after.map(Encounter::counts).unwrap_or_default() {
        counts.entry(key).or_default().1 = n;
    }
    // Downs first: a reader of the list sees what an edit removed before what it added.
    let (mut moves, ups): (Vec<_>, Vec<_>) = counts
        .into_iter()
        .filter_map(|(key, (was, is))| match was.cmp(&is) {
            std::cmp::Ordering::Less => Some((key, Change::Up(is - was))),
            std::cmp::Ordering::Greater => Some((key, Change::Down(was - is))),
            std::cmp::Ordering::Equal => None,
        })
        .partition(|(_, change)| matches!(change, Change::Down(_)));
    moves.extend(ups);
    moves
}

impl Tally {
    /// The tally after `change`, stamped `version`.
    pub fn changed(self, key: &BucketKey, change: Change, version: u64) -> Result<Self, Underflow> {
        let count = match change {
            Change::Up(n) => self.count.saturating_add(n),
            Change::Down(n) => self
                .count
                .checked_sub(n)
                .ok_or_else(|| Underflow { key: key.clone() })?,
        };
        Ok(Self { count, version })
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
        for (key, n) in encounter.counts() {
            *self.0.entry(key).or_default() += n;
        }
    }

    /// Uncounts an encounter that was counted before; buckets that reach zero disappear.
    pub fn remove(&mut self, encounter: &Encounter) -> Result<(), Underflow> {
        let counts = encounter.counts();
        if let Some((key, _)) = counts.iter().find(|(k, n)| self.get(k) < *n) {
            return Err(Underflow { key: key.clone() });
        }
        for (key, n) in counts {
            let count = self.0.get_mut(&key).expect("checked above");
            *count -= n;
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
    use crate::encounter::{EncounterId, Quantity, SupplyGiven, TimeBand};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

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
            supplies: Vec::new(),
            referrals: BTreeSet::new(),
            insight_note: None,
            share_insight_note: false,
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
        let counts = encounter("a", 3, &["housing", "food"]).counts();
        assert!(counts.iter().all(|(_, n)| *n == 1));
        let measures: Vec<_> = counts.iter().map(|(k, _)| k.measure.clone()).collect();
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
        let counts = e.counts();
        assert_eq!(
            counts.last().map(|(k, _)| &k.measure),
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
                (key(3, Measure::Need(code("housing"))), Change::Down(1)),
                (key(3, Measure::Need(code("detox"))), Change::Up(1)),
            ]
        );
        assert_eq!(changes(Some(&before), Some(&before)), vec![]);
        assert_eq!(changes(None, Some(&before)).len(), before.counts().len());
        assert!(
            changes(Some(&before), None)
                .iter()
                .all(|(_, c)| *c == Change::Down(1))
        );
    }

    fn with_supplies(mut e: Encounter, supplies: &[(&str, u32)]) -> Encounter {
        e.supplies = supplies
            .iter()
            .map(|(item, n)| SupplyGiven {
                item: code(item),
                quantity: Quantity::new(*n).unwrap(),
            })
            .collect();
        e
    }

    #[test]
    fn supplies_count_encounters_and_units_and_referrals_count_once() {
        let mut e = with_supplies(
            encounter("a", 3, &[]),
            &[("needles-syringes", 20), ("naloxone-kit", 1)],
        );
        e.referrals.insert(code("drug-treatment"));
        let buckets = Buckets::of([
            &e,
            &with_supplies(encounter("b", 3, &[]), &[("needles-syringes", 5)]),
        ]);
        assert_eq!(
            buckets.get(&key(3, Measure::Supply(code("needles-syringes")))),
            2
        );
        assert_eq!(
            buckets.get(&key(3, Measure::SupplyUnits(code("needles-syringes")))),
            25
        );
        assert_eq!(
            buckets.get(&key(3, Measure::SupplyUnits(code("naloxone-kit")))),
            1
        );
        assert_eq!(
            buckets.get(&key(3, Measure::Referral(code("drug-treatment")))),
            1
        );
    }

    #[test]
    fn changing_a_quantity_moves_only_the_units_bucket_by_the_difference() {
        let before = with_supplies(encounter("a", 3, &[]), &[("needles-syringes", 20)]);
        let after = with_supplies(encounter("a", 3, &[]), &[("needles-syringes", 15)]);
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![(
                key(3, Measure::SupplyUnits(code("needles-syringes"))),
                Change::Down(5)
            )]
        );
        assert_eq!(
            changes(Some(&after), Some(&before)),
            vec![(
                key(3, Measure::SupplyUnits(code("needles-syringes"))),
                Change::Up(5)
            )]
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
        let t = Tally::default().changed(&k, Change::Up(3), 7).unwrap();
        assert_eq!(
            t,
            Tally {
                count: 3,
                version: 7
            }
        );
        let t = t.changed(&k, Change::Down(3), 9).unwrap();
        assert_eq!(
            t,
            Tally {
                count: 0,
                version: 9
            }
        );
        assert_eq!(
            t.changed(&k, Change::Down(1), 10),
            Err(Underflow { key: k })
        );
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
        let (sites, topics, insights, needs, supplies, referrals) = (
            codes(CodeList::Site),
            codes(CodeList::Topic),
            codes(CodeList::Insight),
            codes(CodeList::Need),
            codes(CodeList::Supply),
            codes(CodeList::Referral),
        );
        let given = proptest::sample::subsequence(supplies.clone(), 0..=supplies.len())
            .prop_flat_map(|items| {
                let n = items.len();
                (
                    Just(items),
                    proptest::collection::vec(1..=u32::from(crate::encounter::MAX_QUANTITY), n),
                )
            })
            .prop_map(|(items, quantities)| {
                items
                    .into_iter()
                    .zip(quantities)
                    .map(|(item, n)| SupplyGiven {
                        item,
                        quantity: Quantity::new(n).unwrap(),
                    })
                    .collect::<Vec<_>>()
            });
        (
            (
                1u32..=28,
                proptest::sample::select(sites),
                proptest::sample::select(EncounterKind::ALL.to_vec()),
                proptest::sample::select(Reach::ALL.to_vec()),
            ),
            proptest::sample::subsequence(topics.clone(), 0..=topics.len()),
            proptest::sample::subsequence(insights.clone(), 0..=insights.len()),
            proptest::sample::subsequence(needs.clone(), 0..=needs.len()),
            given,
            proptest::sample::subsequence(referrals.clone(), 0..=referrals.len()),
            "[a-f0-9]{8}",
        )
            .prop_map(
                |((day, site, kind, reach), topics, insights, needs, supplies, referrals, id)| {
                    Encounter {
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
                        supplies,
                        referrals: referrals.into_iter().collect(),
                        insight_note: None,
                        share_insight_note: false,
                        private_note: None,
                        codebook_version: 1,
                    }
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
            let all_added: u32 = encounters.iter().flat_map(Encounter::counts).map(|(_, n)| n).sum();
            let all_counts: u32 = buckets.iter().map(|(_, c)| c).sum();
            prop_assert_eq!(all_counts, all_added);
            let units_given: u32 = encounters
                .iter()
                .flat_map(|e| &e.supplies)
                .map(|s| u32::from(s.quantity.get()))
                .sum();
            let units_counted: u32 = buckets
                .iter()
                .filter(|(k, _)| k.measure.dimension() == Dimension::SupplyUnits)
                .map(|(_, c)| c)
                .sum();
            prop_assert_eq!(units_counted, units_given);
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
        fn applying_the_changes_of_an_edit_gives_the_buckets_of_the_edited_entries(
            others in proptest::collection::vec(arb_encounter(), 0..20),
            before in arb_encounter(),
            after in arb_encounter(),
        ) {
            let mut buckets = Buckets::of(others.iter().chain([&before]));
            for (key, change) in changes(Some(&before), Some(&after)) {
                let tally = Tally { count: buckets.get(&key), version: 0 };
                let count = tally.changed(&key, change, 1).unwrap().count;
                if count == 0 {
                    buckets.0.remove(&key);
                } else {
                    buckets.0.insert(key, count);
                }
            }
            prop_assert_eq!(buckets, Buckets::of(others.iter().chain([&after])));
        }

        #[test]
        fn an_edit_lists_each_bucket_once_removals_first_each_part_in_bucket_order(
            before in arb_encounter(),
            after in arb_encounter(),
        ) {
            let moves = changes(Some(&before), Some(&after));
            let downs = moves.iter().take_while(|(_, c)| matches!(c, Change::Down(_))).count();
            prop_assert!(moves[downs..].iter().all(|(_, c)| matches!(c, Change::Up(_))));
            for part in [&moves[..downs], &moves[downs..]] {
                prop_assert!(part.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", part);
            }
        }

        #[test]
        fn aggregation_does_not_depend_on_order(mut encounters in proptest::collection::vec(arb_encounter(), 0..30)) {
            let forward = Buckets::of(&encounters);
            encounters.reverse();
            prop_assert_eq!(Buckets::of(&encounters), forward);
        }
    }
}
