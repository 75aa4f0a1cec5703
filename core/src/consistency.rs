//! What one phone's counts of one day and site must agree on, since they all come from the
//! same encounters: each encounter has one kind and one reach, and counts a code at most
//! once. A sync batch that breaks this was not written by the app; the service refuses it
//! whole, so a device cannot feed the published counts impossible states.
//!
//! The check reads one batch's counts of a day and site, never the batch merged with what
//! the service stored before. Every count in a batch is the phone's count at the moment it
//! built the batch, so counts in one batch must agree. A stored count may be older: a phone
//! with a long backlog sends it in several batches, and between them its stored counts and
//! its new ones can disagree while every state the phone ever held was consistent (an entry
//! logged, then given a need, then a second entry logged: a first batch may carry the need
//! but not yet the encounters). Checking against stored counts would refuse such a phone for
//! good. So kinds and reaches are checked to add up to no more than the encounters; that they
//! add up to exactly the encounters can only be checked when a batch holds all of them.

use crate::bucket::{Dimension, Measure};
use crate::encounter::MAX_QUANTITY;
use std::collections::BTreeMap;

/// Why one phone's counts of a day and site cannot all be true.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Inconsistency {
    /// Every encounter has one kind and one reach: they add up to no more than the encounters.
    #[error("the {dimension} counts add up to {sum}, but the phone logged {encounters} encounters")]
    PartitionSum {
        /// Kind or reach.
        dimension: Dimension,
        /// Their sum.
        sum: u32,
        /// The encounters.
        encounters: u32,
    },
    /// A code is counted once per encounter at most.
    #[error("{measure:?} is counted in {count} encounters, but the phone logged {encounters}")]
    MoreThanEncounters {
        /// The measure.
        measure: Measure,
        /// Its count.
        count: u32,
        /// The encounters.
        encounters: u32,
    },
    /// Units of a supply come 1 to [`MAX_QUANTITY`] per encounter it was given in.
    #[error(
        "{units} units of {item} cannot have been given in {encounters} encounters (1 to {MAX_QUANTITY} each)"
    )]
    Units {
        /// The supply item.
        item: String,
        /// Units counted.
        units: u32,
        /// Encounters it was given in.
        encounters: u32,
    },
}

/// Checks the counts one sync batch carries for one day and site. Counts bounded by the
/// encounters are checked when the batch carries the encounters too; units of a supply when
/// it carries the encounters they were given in.
pub fn check(counts: &BTreeMap<Measure, u32>) -> Result<(), Inconsistency> {
    for (measure, &n) in counts {
        if let Measure::SupplyUnits(item) = measure
            && let Some(&given_in) = counts.get(&Measure::Supply(item.clone()))
            && (n < given_in || n > given_in.saturating_mul(u32::from(MAX_QUANTITY)))
        {
            return Err(Inconsistency::Units {
                item: item.to_string(),
                units: n,
                encounters: given_in,
            });
        }
    }
    let Some(&encounters) = counts.get(&Measure::Encounters) else {
        return Ok(());
    };
    for dimension in [Dimension::Kind, Dimension::Reach] {
        let sum = counts
            .iter()
            .filter(|(m, _)| m.dimension() == dimension)
            .map(|(_, &n)| n)
            .fold(0u32, u32::saturating_add);
        if sum > encounters {
            return Err(Inconsistency::PartitionSum {
                dimension,
                sum,
                encounters,
            });
        }
    }
    for (measure, &n) in counts {
        match measure {
            Measure::Encounters
            | Measure::Kind(_)
            | Measure::Reach(_)
            | Measure::SupplyUnits(_) => {}
            _ if n > encounters => {
                return Err(Inconsistency::MoreThanEncounters {
                    measure: measure.clone(),
                    count: n,
                    encounters,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Code;
    use crate::encounter::{EncounterKind, Reach};

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn state(counts: &[(Measure, u32)]) -> BTreeMap<Measure, u32> {
        counts.iter().cloned().collect()
    }

    fn consistent() -> Vec<(Measure, u32)> {
        vec![
            (Measure::Encounters, 3),
            (Measure::Kind(EncounterKind::Outreach), 2),
            (Measure::Kind(EncounterKind::Phone), 1),
            (Measure::Reach(Reach::WalkIn), 3),
            (Measure::Need(code("housing")), 3),
            (Measure::Supply(code("needles-syringes")), 2),
            (Measure::SupplyUnits(code("needles-syringes")), 40),
        ]
    }

    #[test]
    fn what_the_app_writes_is_consistent_and_an_empty_day_too() {
        assert_eq!(check(&state(&consistent())), Ok(()));
        assert_eq!(check(&BTreeMap::new()), Ok(()));
        let every_encounter_deleted = state(&[
            (Measure::Encounters, 0),
            (Measure::Kind(EncounterKind::Outreach), 0),
            (Measure::Reach(Reach::WalkIn), 0),
        ]);
        assert_eq!(check(&every_encounter_deleted), Ok(()));
    }

    #[test]
    fn a_code_counted_in_more_encounters_than_were_logged_is_refused() {
        let mut probe = consistent();
        probe.push((Measure::Need(code("food")), 8));
        assert!(matches!(
            check(&state(&probe)),
            Err(Inconsistency::MoreThanEncounters {
                count: 8,
                encounters: 3,
                ..
            })
        ));
        let none_logged = state(&[
            (Measure::Encounters, 0),
            (Measure::Insight(code("new-substance")), 5),
        ]);
        assert!(
            check(&none_logged).is_err(),
            "an insight with no encounters"
        );
    }

    #[test]
    fn kinds_and_reaches_add_up_to_no_more_than_the_encounters() {
        let mut kinds = consistent();
        kinds[2].1 = 4;
        let error = check(&state(&kinds)).unwrap_err();
        assert_eq!(
            error,
            Inconsistency::PartitionSum {
                dimension: Dimension::Kind,
                sum: 6,
                encounters: 3
            }
        );
        assert!(error.to_string().contains("add up to 6"), "{error}");
        let mut reaches = consistent();
        reaches.push((Measure::Reach(Reach::Returning), 1));
        assert!(check(&state(&reaches)).is_err());
        // A kind the batch does not carry may hold the rest.
        let mut partial = consistent();
        partial.remove(2);
        assert_eq!(check(&state(&partial)), Ok(()));
    }

    #[test]
    fn a_batch_without_the_encounters_bounds_nothing_by_them() {
        // A phone's backlog in several batches: a need added to an entry whose encounter
        // count travels in the next batch.
        let need_only = state(&[(Measure::Need(code("food")), 1)]);
        assert_eq!(check(&need_only), Ok(()));
    }

    #[test]
    fn supply_units_must_fit_the_encounters_they_were_given_in() {
        let mut none = consistent();
        none[6].1 = 1;
        assert!(matches!(
            check(&state(&none)),
            Err(Inconsistency::Units { .. })
        ));
        let mut too_many = consistent();
        too_many[6].1 = 2 * u32::from(MAX_QUANTITY) + 1;
        assert!(check(&state(&too_many)).is_err());
    }
}
