//! Most-used choices first: what this phone's worker picks most often comes first in the form.

use crate::codebook::{Code, CodeList, Codebook, CodebookEntry};
use crate::encounter::{Encounter, EncounterKind, Reach};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One thing a worker can pick in the form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    fn of_code(list: CodeList, code: Code) -> Self {
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

    /// The codes a form offers for `list`, most used first, codebook order among equals.
    pub fn order<'a>(&self, codebook: &'a Codebook, list: CodeList) -> Vec<&'a CodebookEntry> {
        let mut entries: Vec<&CodebookEntry> = codebook.offered(list).collect();
        entries
            .sort_by_key(|e| std::cmp::Reverse(self.count(&Choice::of_code(list, e.code.clone()))));
        entries
    }

    /// Every kind, most used first.
    pub fn kinds(&self) -> Vec<EncounterKind> {
        let mut kinds = EncounterKind::ALL.to_vec();
        kinds.sort_by_key(|k| std::cmp::Reverse(self.count(&Choice::Kind(*k))));
        kinds
    }

    /// Every way of reaching a contact, most used first.
    pub fn reaches(&self) -> Vec<Reach> {
        let mut reaches = Reach::ALL.to_vec();
        reaches.sort_by_key(|r| std::cmp::Reverse(self.count(&Choice::Reach(*r))));
        reaches
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn most_used_choices_come_first_and_ties_keep_codebook_order() {
        let book = Codebook::harm_reduction_default();
        let mut usage = Usage::default();
        assert_eq!(usage.order(&book, CodeList::Site)[0].code, code("drop-in"));
        usage.record(&encounter("street", EncounterKind::Phone, &["food"]));
        usage.record(&encounter(
            "street",
            EncounterKind::Phone,
            &["food", "detox"],
        ));
        usage.record(&encounter("van", EncounterKind::Outreach, &["detox"]));
        let sites: Vec<_> = usage
            .order(&book, CodeList::Site)
            .iter()
            .map(|e| e.code.to_string())
            .collect();
        assert_eq!(sites, ["street", "van", "drop-in", "online"]);
        let needs: Vec<_> = usage
            .order(&book, CodeList::Need)
            .iter()
            .take(3)
            .map(|e| e.code.to_string())
            .collect();
        assert_eq!(needs, ["food", "detox", "housing"]);
        assert_eq!(
            usage.kinds()[..2],
            [EncounterKind::Phone, EncounterKind::Outreach]
        );
        assert_eq!(usage.reaches()[0], Reach::Returning);
    }

    #[test]
    fn usage_round_trips_through_json() {
        let mut usage = Usage::default();
        usage.record(&encounter("van", EncounterKind::Outreach, &["food"]));
        let json = serde_json::to_string(&usage).unwrap();
        assert_eq!(serde_json::from_str::<Usage>(&json).unwrap(), usage);
    }
}
