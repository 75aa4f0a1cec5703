//! What one change to an organization's indicators did, as the audit log keeps it:
//! indicator names and what happened to them, nothing else a manager typed (a denominator's
//! label stays out).

use crate::indicator::{Indicator, IndicatorBook};
use serde::{Deserialize, Serialize};

/// The difference between two versions of an indicator book, by indicator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorChange {
    /// The version stored by the change.
    pub version: u32,
    /// Names of the indicators added.
    pub added: Vec<String>,
    /// Names of the indicators removed.
    pub removed: Vec<String>,
    /// Indicators renamed (whatever else changed in them).
    pub renamed: Vec<Renamed>,
    /// Names of the indicators changed in what they count, their sites, denominator or DHIS2
    /// mapping, under the same name.
    pub changed: Vec<String>,
    /// The order of the indicators that stayed changed.
    pub reordered: bool,
    /// The DHIS2 organisation units or data set changed.
    pub dhis2_settings: bool,
}

impl IndicatorChange {
    /// What changed from `before` to `after` (the book as stored, with its new version).
    pub fn between(before: &IndicatorBook, after: &IndicatorBook) -> Self {
        fn find<'a>(list: &'a [Indicator], wanted: &Indicator) -> Option<&'a Indicator> {
            list.iter().find(|i| i.id == wanted.id)
        }
        let added = after
            .indicators
            .iter()
            .filter(|i| find(&before.indicators, i).is_none())
            .map(|i| i.name.clone())
            .collect();
        let removed = before
            .indicators
            .iter()
            .filter(|i| find(&after.indicators, i).is_none())
            .map(|i| i.name.clone())
            .collect();
        let stayed = || {
            after
                .indicators
                .iter()
                .filter_map(|new| Some((find(&before.indicators, new)?, new)))
        };
        let renamed = stayed()
            .filter(|(old, new)| old.name != new.name)
            .map(|(old, new)| Renamed {
                from: old.name.clone(),
                to: new.name.clone(),
            })
            .collect();
        let changed = stayed()
            .filter(|(old, new)| old.name == new.name && old != new)
            .map(|(_, new)| new.name.clone())
            .collect();
        let kept = |list: &[Indicator], other: &[Indicator]| -> Vec<_> {
            list.iter()
                .filter(|i| find(other, i).is_some())
                .map(|i| i.id.clone())
                .collect()
        };
        Self {
            version: after.version,
            added,
            removed,
            renamed,
            changed,
            reordered: kept(&before.indicators, &after.indicators)
                != kept(&after.indicators, &before.indicators),
            dhis2_settings: before.dhis2 != after.dhis2,
        }
    }
}

/// An indicator's name before and after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Renamed {
    /// The name before.
    pub from: String,
    /// The name after.
    pub to: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::dhis2::Uid;
    use crate::indicator::{Denominator, starter_set};

    fn book(version: u32, indicators: Vec<Indicator>) -> IndicatorBook {
        IndicatorBook {
            version,
            indicators,
            dhis2: Default::default(),
        }
    }

    #[test]
    fn a_change_names_the_indicators_added_removed_changed_and_renamed() {
        let starter = starter_set(&Codebook::harm_reduction_default());
        let before = book(2, starter[..3].to_vec());
        let mut after = vec![starter[0].clone(), starter[2].clone(), starter[3].clone()];
        after[0].name = "Contacts made".into();
        after[1].denominator = Some(Denominator {
            label: "people who inject in the area, a secret estimate".into(),
            value: 1200.0,
            per_year: true,
        });
        let mut after = book(3, after);
        after.dhis2.org_unit = Some(Uid::new("OrgUnitAll1").unwrap());
        let change = IndicatorChange::between(&before, &after);
        assert_eq!(change.added, ["Referrals to drug treatment"]);
        assert_eq!(change.removed, ["Syringes and needles distributed"]);
        assert_eq!(
            change.renamed,
            [Renamed {
                from: "Contacts".into(),
                to: "Contacts made".into()
            }]
        );
        assert_eq!(change.changed, ["Naloxone kits distributed"]);
        assert!(!change.reordered);
        assert!(change.dhis2_settings);
        assert_eq!(change.version, 3);
        let kept = serde_json::to_string(&change).unwrap();
        assert!(!kept.contains("secret"), "a denominator's label stays out");
    }

    #[test]
    fn a_reorder_and_no_change_are_said_too() {
        let starter = starter_set(&Codebook::harm_reduction_default());
        let before = book(1, starter[..2].to_vec());
        let swapped = book(2, vec![starter[1].clone(), starter[0].clone()]);
        assert_eq!(
            IndicatorChange::between(&before, &swapped),
            IndicatorChange {
                version: 2,
                reordered: true,
                ..Default::default()
            }
        );
        let same = book(2, starter[..2].to_vec());
        assert_eq!(
            IndicatorChange::between(&before, &same),
            IndicatorChange {
                version: 2,
                ..Default::default()
            }
        );
    }
}
