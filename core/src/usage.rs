//! What this phone's worker picks most often, to mark in the form as "frequent".
//!
//! The form never reorders its choices by use: a choice that moves between one encounter and
//! the next is tapped by mistake (10 naloxone kits logged where needles were meant). Choices
//! keep the codebook's order; the few this worker uses most are marked where they stand, and
//! the marks come from a [`FrequentSnapshot`] taken at most once a day, so even they never
//! change during a shift's run of entries.

use crate::codebook::{Code, CodeList};
use crate::encounter::{Encounter, EncounterKind, Reach};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod choice_wire;
pub use choice_wire::ChoiceFormError;

/// How many choices of one list are marked frequent at most.
pub const FREQUENT_PER_LIST: usize = 3;

/// One thing a worker can pick in the form; read by [`choice_wire`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "list", content = "value", rename_all = "kebab-case")]
pub enum Choice {
    /// A site.
    Site(Code),
    /// How it happened.
    Kind(EncounterKind),
    /// How the contact was reached.
    Reach(Reach),
    /// A topic shared.
    Topic(Code),
    /// An insight received.
    Insight(Code),
    /// A need noted.
    Need(Code),
    /// A supply handed out.
    Supply(Code),
    /// A referral made.
    Referral(Code),
}

impl Choice {
    /// Which list the choice belongs to, as a rank in the form.
    fn list_rank(&self) -> u8 {
        match self {
            Self::Site(_) => 0,
            Self::Kind(_) => 1,
            Self::Reach(_) => 2,
            Self::Topic(_) => 3,
            Self::Insight(_) => 4,
            Self::Need(_) => 5,
            Self::Supply(_) => 6,
            Self::Referral(_) => 7,
        }
    }

    /// The choice of `code` in `list`.
    pub fn of_code(list: CodeList, code: Code) -> Self {
        match list {
            CodeList::Site => Self::Site(code),
            CodeList::Topic => Self::Topic(code),
            CodeList::Insight => Self::Insight(code),
            CodeList::Need => Self::Need(code),
            CodeList::Supply => Self::Supply(code),
            CodeList::Referral => Self::Referral(code),
        }
    }
}

/// How often each choice was picked on this phone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<(Choice, u32)>", into = "Vec<(Choice, u32)>")]
pub struct Usage(BTreeMap<Choice, u32>);

impl From<Vec<(Choice, u32)>> for Usage {
    fn from(pairs: Vec<(Choice, u32)>) -> Self {
        Self(pairs.into_iter().collect())
    }
}

impl From<Usage> for Vec<(Choice, u32)> {
    fn from(usage: Usage) -> Self {
        usage.0.into_iter().collect()
    }
}

impl Usage {
    /// Counts every choice of a saved encounter.
    pub fn record(&mut self, e: &Encounter) {
        let choices = [
            Choice::Site(e.site.clone()),
            Choice::Kind(e.kind),
            Choice::Reach(e.reach),
        ]
        .into_iter()
        .chain(e.topics.iter().cloned().map(Choice::Topic))
        .chain(e.insights.iter().cloned().map(Choice::Insight))
        .chain(e.needs.iter().cloned().map(Choice::Need))
        .chain(e.supplies.iter().map(|s| Choice::Supply(s.item.clone())))
        .chain(e.referrals.iter().cloned().map(Choice::Referral));
        for choice in choices {
            let n = self.0.entry(choice).or_default();
            *n = n.saturating_add(1);
        }
    }

    /// How often `choice` was picked.
    pub fn count(&self, choice: &Choice) -> u32 {
        self.0.get(choice).copied().unwrap_or(0)
    }

    /// The choices marked frequent: in each list, the [`FREQUENT_PER_LIST`] picked most
    /// often (at least twice, so one odd entry marks nothing), ties to the earlier choice.
    pub fn frequent(&self) -> Vec<Choice> {
        // Picked by repeated scans rather than a sort: this runs on the phone, where every
        // monomorphized sort is weight, and the lists are short.
        let mut picked = Vec::new();
        for rank in 0..8 {
            let mut in_list: Vec<(&Choice, u32)> = self
                .0
                .iter()
                .filter(|(c, n)| c.list_rank() == rank && **n >= 2)
                .map(|(c, n)| (c, *n))
                .collect();
            for _ in 0..FREQUENT_PER_LIST {
                let mut best: Option<usize> = None;
                for (i, (_, n)) in in_list.iter().enumerate() {
                    if best.is_none_or(|b| *n > in_list[b].1) {
                        best = Some(i);
                    }
                }
                let Some(best) = best else { break };
                picked.push(in_list.remove(best).0.clone());
            }
        }
        picked
    }
}

/// The frequent choices as the form marks them today: taken from the usage when the app first
/// opens on a new day, and kept all day, so no mark appears or goes between two entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequentSnapshot {
    /// The day it was taken (none before the first).
    #[serde(default, with = "crate::date_wire::optional_day")]
    pub day: Option<NaiveDate>,
    /// The choices marked (a list: a set type would be more code on the phone for a few items).
    pub choices: Vec<Choice>,
}

impl FrequentSnapshot {
    /// Today's snapshot: this one if it was taken today, else a new one of `usage`.
    pub fn for_day(self, today: NaiveDate, usage: &Usage) -> Self {
        if self.day == Some(today) {
            self
        } else {
            Self {
                day: Some(today),
                choices: usage.frequent(),
            }
        }
    }

    /// Whether `choice` is marked frequent.
    pub fn marks(&self, choice: &Choice) -> bool {
        self.choices.contains(choice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::encounter::{EditWindow, EncounterDraft, EncounterId, TimeBand};
    use chrono::NaiveDate;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn encounter(site: &str, kind: EncounterKind, needs: &[&str]) -> Encounter {
        EncounterDraft {
            site: Some(code(site)),
            kind: Some(kind),
            reach: Some(Reach::Returning),
            needs: needs.iter().map(|n| code(n)).collect(),
            ..EncounterDraft::new(day(), TimeBand::Night)
        }
        .validate(
            EncounterId::new("a").unwrap(),
            day(),
            EditWindow::default(),
            &Codebook::harm_reduction_default(),
        )
        .unwrap()
    }

    #[test]
    fn the_most_used_choices_of_each_list_are_frequent_and_single_uses_are_not() {
        let mut usage = Usage::default();
        usage.record(&encounter("street", EncounterKind::Phone, &["food"]));
        usage.record(&encounter(
            "street",
            EncounterKind::Phone,
            &["food", "detox"],
        ));
        usage.record(&encounter("van", EncounterKind::Outreach, &["detox"]));
        let frequent = usage.frequent();
        assert!(frequent.contains(&Choice::Site(code("street"))));
        assert!(!frequent.contains(&Choice::Site(code("van"))));
        assert!(frequent.contains(&Choice::Need(code("food"))));
        assert!(frequent.contains(&Choice::Need(code("detox"))));
        assert!(frequent.contains(&Choice::Kind(EncounterKind::Phone)));
        assert!(frequent.contains(&Choice::Reach(Reach::Returning)));
    }

    #[test]
    fn at_most_three_choices_of_a_list_are_frequent() {
        let mut usage = Usage::default();
        for _ in 0..3 {
            usage.record(&encounter(
                "van",
                EncounterKind::Outreach,
                &["food", "detox", "housing", "legal-aid"],
            ));
        }
        let needs = usage
            .frequent()
            .into_iter()
            .filter(|c| matches!(c, Choice::Need(_)))
            .count();
        assert_eq!(needs, FREQUENT_PER_LIST);
    }

    #[test]
    fn the_snapshot_changes_only_on_a_new_day() {
        let mut usage = Usage::default();
        let today = day();
        let snapshot = FrequentSnapshot::default().for_day(today, &usage);
        assert!(snapshot.choices.is_empty());
        for _ in 0..5 {
            usage.record(&encounter("van", EncounterKind::Outreach, &["food"]));
        }
        let same_day = snapshot.clone().for_day(today, &usage);
        assert_eq!(
            same_day, snapshot,
            "entries of the day never change its marks"
        );
        let tomorrow = snapshot.for_day(today.succ_opt().unwrap(), &usage);
        assert!(tomorrow.marks(&Choice::Need(code("food"))));
    }

    #[test]
    fn usage_round_trips_through_json() {
        let mut usage = Usage::default();
        usage.record(&encounter("van", EncounterKind::Outreach, &["food"]));
        let json = serde_json::to_string(&usage).unwrap();
        assert_eq!(serde_json::from_str::<Usage>(&json).unwrap(), usage);
    }
}
