//! Small-cell suppression: counts too small to publish without risking re-identification.

use crate::bucket::{Dimension, Measure};
use crate::codebook::{Code, CodeList, Codebook};
use crate::protocol::TrendRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
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
/// In JSON: `12`, `{"below": 5}` or `{"withheld": "complement"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReportedCount {
    /// At or above the threshold.
    Exact(u32),
    /// Below the threshold.
    Suppressed(Suppressed),
    /// At or above the threshold, but hidden so that a suppressed count cannot be worked out.
    Withheld(Withheld),
}

/// A count at or above the threshold that is still not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withheld {
    /// Why it is hidden.
    pub withheld: WithheldBecause,
}

/// Why a count that is not small is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WithheldBecause {
    /// With the total and the other shown cells it would give a suppressed count away.
    Complement,
    /// Units of a supply handed out in too few encounters to show.
    OnePersonsSupplies,
}

impl ReportedCount {
    /// The count, when it may be shown.
    pub fn exact(self) -> Option<u32> {
        match self {
            Self::Exact(n) => Some(n),
            Self::Suppressed(_) | Self::Withheld(_) => None,
        }
    }
}

impl fmt::Display for ReportedCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(n) => write!(f, "{n}"),
            Self::Suppressed(Suppressed { below }) => write!(f, "<{below}"),
            Self::Withheld(_) => f.write_str("hidden"),
        }
    }
}

/// Dimensions whose values split a place's encounters exactly (each encounter has one kind and
/// one reach), so their cells add up to the shown total.
const PARTITIONS: [Dimension; 2] = [Dimension::Kind, Dimension::Reach];

/// One day's count of a measure at one site, summed over phones: what the service stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteCount {
    /// Day.
    pub day: NaiveDate,
    /// Site or outreach area.
    pub site: Code,
    /// What is counted.
    pub measure: Measure,
    /// Sum over phones.
    pub count: u32,
}

/// `counts` as `codebook` codes them now: merged codes and sites counted as the code they were
/// merged into, promoted free tags as their need, summed where they meet.
pub fn as_currently_coded(counts: Vec<SiteCount>, codebook: &Codebook) -> Vec<SiteCount> {
    let mut sums: BTreeMap<(NaiveDate, Code, Measure), u32> = BTreeMap::new();
    for c in counts {
        let site = codebook.current(CodeList::Site, &c.site).clone();
        *sums
            .entry((c.day, site, c.measure.current(codebook)))
            .or_default() += c.count;
    }
    sums.into_iter()
        .map(|((day, site, measure), count)| SiteCount {
            day,
            site,
            measure,
            count,
        })
        .collect()
}

/// `rows` without the free tags that no shown count backs: a tag only a few encounters used
/// is words someone typed about a few people, so even its name stays hidden.
pub fn without_rare_free_tags(mut rows: Vec<TrendRow>) -> Vec<TrendRow> {
    let backed: BTreeSet<Measure> = rows
        .iter()
        .filter(|r| r.measure.dimension() == Dimension::FreeTag && r.count.exact().is_some())
        .map(|r| r.measure.clone())
        .collect();
    rows.retain(|r| r.measure.dimension() != Dimension::FreeTag || backed.contains(&r.measure));
    rows
}

/// Every site together: `(day, measure, count)` per day and measure.
pub fn over_all_sites(counts: &[SiteCount]) -> Vec<(NaiveDate, Measure, u32)> {
    let mut sums: BTreeMap<(NaiveDate, &Measure), u32> = BTreeMap::new();
    for c in counts {
        *sums.entry((c.day, &c.measure)).or_default() += c.count;
    }
    sums.into_iter()
        .map(|((day, measure), count)| (day, measure.clone(), count))
        .collect()
}

/// What may be shown of the organization's daily counts at `site` (or every site together when
/// `None`), newest day first.
///
/// Every day is decided on its own, from all of that day's sites, so the same cell is shown or
/// hidden whatever period, site or dimension a view asks for, and views cannot be subtracted
/// from one another to recover a hidden count:
/// - counts below the threshold are suppressed;
/// - units of a supply are withheld unless the count of encounters they were handed out in is
///   shown: twenty syringes given to one person are still one person;
/// - complementary suppression: wherever cells add up to a shown total (the kinds or the reaches
///   of a place's encounters; one measure's sites adding up to every site), a lone hidden cell
///   gets the smallest shown cell beside it withheld too, until no total minus the shown cells
///   gives a hidden count away.
pub fn suppress_trends(
    threshold: SuppressionThreshold,
    counts: &[SiteCount],
    site: Option<&Code>,
) -> Vec<TrendRow> {
    let mut days: BTreeMap<NaiveDate, Vec<&SiteCount>> = BTreeMap::new();
    for count in counts {
        days.entry(count.day).or_default().push(count);
    }
    let mut rows = Vec::new();
    for (day, counts) in days.into_iter().rev() {
        let table = DayTable::new(&counts);
        let shown = table.reported(threshold);
        rows.extend(
            table
                .cells
                .iter()
                .zip(shown)
                .filter(|(cell, _)| cell.site.as_ref() == site)
                .map(|(cell, count)| TrendRow {
                    day,
                    measure: cell.measure.clone(),
                    count,
                }),
        );
    }
    rows
}

/// One cell of a day's table: a site's count, or every site's (`site: None`).
struct Cell {
    site: Option<Code>,
    measure: Measure,
    count: u32,
}

/// One day's counts at every site and in total, with the sums that tie them together.
struct DayTable {
    /// Sorted by place (every site first), then measure.
    cells: Vec<Cell>,
    /// Sets of cells that add up to a shown total.
    groups: Vec<Vec<usize>>,
    /// Units of a supply and the cell counting the encounters they were given in, if any.
    units: Vec<(usize, Option<usize>)>,
}

impl DayTable {
    fn new(counts: &[&SiteCount]) -> Self {
        let mut sums: BTreeMap<(Option<&Code>, &Measure), u32> = BTreeMap::new();
        for c in counts {
            *sums.entry((Some(&c.site), &c.measure)).or_default() += c.count;
            *sums.entry((None, &c.measure)).or_default() += c.count;
        }
        let cells: Vec<Cell> = sums
            .iter()
            .map(|(&(site, measure), &count)| Cell {
                site: site.cloned(),
                measure: measure.clone(),
                count,
            })
            .collect();
        let index: BTreeMap<(Option<&Code>, &Measure), usize> =
            sums.keys().enumerate().map(|(i, &key)| (key, i)).collect();
        let mut groups: BTreeMap<(Option<&Code>, Dimension), Vec<usize>> = BTreeMap::new();
        let mut across_sites: BTreeMap<&Measure, Vec<usize>> = BTreeMap::new();
        let mut units = Vec::new();
        for (&(site, measure), &i) in &index {
            if PARTITIONS.contains(&measure.dimension()) {
                groups
                    .entry((site, measure.dimension()))
                    .or_default()
                    .push(i);
            }
            if site.is_some() {
                across_sites.entry(measure).or_default().push(i);
            }
            if let Measure::SupplyUnits(item) = measure {
                let given_in = index.get(&(site, &Measure::Supply(item.clone()))).copied();
                units.push((i, given_in));
            }
        }
        Self {
            cells,
            groups: groups
                .into_values()
                .chain(across_sites.into_values())
                .collect(),
            units,
        }
    }

    /// What may be reported of each cell, in the order of `cells`.
    fn reported(&self, threshold: SuppressionThreshold) -> Vec<ReportedCount> {
        let mut shown: Vec<ReportedCount> = self
            .cells
            .iter()
            .map(|c| threshold.apply(c.count))
            .collect();
        let hidden = |r: &ReportedCount| !matches!(r, ReportedCount::Exact(_));
        let mut changed = true;
        while changed {
            changed = false;
            for &(units, given_in) in &self.units {
                if !hidden(&shown[units]) && given_in.is_none_or(|j| hidden(&shown[j])) {
                    shown[units] = ReportedCount::Withheld(Withheld {
                        withheld: WithheldBecause::OnePersonsSupplies,
                    });
                    changed = true;
                }
            }
            for group in &self.groups {
                if group.iter().filter(|&&i| hidden(&shown[i])).count() != 1 {
                    continue;
                }
                let smallest_shown = group
                    .iter()
                    .filter(|&&i| !hidden(&shown[i]))
                    .min_by_key(|&&i| self.cells[i].count);
                if let Some(&i) = smallest_shown {
                    shown[i] = ReportedCount::Withheld(Withheld {
                        withheld: WithheldBecause::Complement,
                    });
                    changed = true;
                }
            }
        }
        shown
    }
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

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn at(d: u32, site: &str, measure: Measure, count: u32) -> SiteCount {
        SiteCount {
            day: day(d),
            site: code(site),
            measure,
            count,
        }
    }

    fn shown(rows: &[TrendRow]) -> Vec<String> {
        rows.iter().map(|r| r.count.to_string()).collect()
    }

    /// What `rows` show of `measure` on `d`.
    fn of(rows: &[TrendRow], d: u32, measure: Measure) -> String {
        rows.iter()
            .find(|r| r.day == day(d) && r.measure == measure)
            .map(|r| r.count.to_string())
            .expect("a row for the measure")
    }

    #[test]
    fn a_lone_hidden_cell_of_a_partition_gets_a_complement() {
        let counts = [
            at(24, "park", Measure::Encounters, 20),
            at(24, "park", Measure::Kind(EncounterKind::Outreach), 12),
            at(24, "park", Measure::Kind(EncounterKind::FixedSite), 6),
            at(24, "park", Measure::Kind(EncounterKind::Phone), 2),
            at(24, "park", Measure::Reach(Reach::WalkIn), 20),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &counts, None);
        // Phone (2) is hidden; without a complement it would be 20 - 12 - 6.
        assert_eq!(of(&rows, 24, Measure::Kind(EncounterKind::Phone)), "<5");
        assert_eq!(
            of(&rows, 24, Measure::Kind(EncounterKind::FixedSite)),
            "hidden"
        );
        assert_eq!(of(&rows, 24, Measure::Kind(EncounterKind::Outreach)), "12");
        assert_eq!(of(&rows, 24, Measure::Encounters), "20");
        assert_eq!(of(&rows, 24, Measure::Reach(Reach::WalkIn)), "20");
        let fixed_site = rows
            .iter()
            .find(|r| r.measure == Measure::Kind(EncounterKind::FixedSite))
            .unwrap();
        assert_eq!(
            fixed_site.count,
            ReportedCount::Withheld(Withheld {
                withheld: WithheldBecause::Complement
            })
        );
        let at_park = suppress_trends(
            SuppressionThreshold::default(),
            &counts,
            Some(&code("park")),
        );
        assert_eq!(
            at_park, rows,
            "one site's view is the same table as every site's"
        );
    }

    #[test]
    fn supply_units_are_withheld_with_the_encounters_they_were_given_in() {
        let counts = [
            at(24, "park", Measure::Supply(code("needles-syringes")), 2),
            at(
                24,
                "park",
                Measure::SupplyUnits(code("needles-syringes")),
                40,
            ),
            at(24, "park", Measure::Supply(code("naloxone-kit")), 6),
            at(24, "park", Measure::SupplyUnits(code("naloxone-kit")), 6),
            at(24, "park", Measure::SupplyUnits(code("condoms")), 50),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &counts, None);
        let units = |c| Measure::SupplyUnits(code(c));
        assert_eq!(
            of(&rows, 24, Measure::Supply(code("needles-syringes"))),
            "<5"
        );
        assert_eq!(of(&rows, 24, units("needles-syringes")), "hidden");
        assert_eq!(of(&rows, 24, units("naloxone-kit")), "6");
        assert_eq!(of(&rows, 24, units("condoms")), "hidden");
    }

    #[test]
    fn a_small_site_cannot_be_worked_out_from_every_site_minus_the_others() {
        let housing = Measure::Need(code("housing"));
        let counts = [
            at(24, "park", housing.clone(), 10),
            at(24, "station", housing.clone(), 2),
            at(24, "market", housing.clone(), 30),
        ];
        let t = SuppressionThreshold::default();
        assert_eq!(shown(&suppress_trends(t, &counts, None)), ["42"]);
        assert_eq!(
            shown(&suppress_trends(t, &counts, Some(&code("station")))),
            ["<5"]
        );
        // 42 - 30 would give the park and station together; hiding the park as well leaves
        // 12 split between a hidden park and a station below 5.
        assert_eq!(
            shown(&suppress_trends(t, &counts, Some(&code("park")))),
            ["hidden"]
        );
        assert_eq!(
            shown(&suppress_trends(t, &counts, Some(&code("market")))),
            ["30"]
        );
    }

    #[test]
    fn two_hidden_cells_need_no_complement_and_other_dimensions_are_left_alone() {
        let counts = [
            at(24, "park", Measure::Encounters, 20),
            at(24, "park", Measure::Kind(EncounterKind::Outreach), 16),
            at(24, "park", Measure::Kind(EncounterKind::FixedSite), 3),
            at(24, "park", Measure::Kind(EncounterKind::Phone), 1),
            at(24, "park", Measure::Need(code("food")), 2),
            at(24, "park", Measure::Need(code("housing")), 9),
            at(23, "park", Measure::Kind(EncounterKind::Outreach), 7),
        ];
        let rows = suppress_trends(SuppressionThreshold::default(), &counts, None);
        assert_eq!(of(&rows, 24, Measure::Kind(EncounterKind::Outreach)), "16");
        assert_eq!(of(&rows, 24, Measure::Kind(EncounterKind::FixedSite)), "<5");
        assert_eq!(of(&rows, 24, Measure::Kind(EncounterKind::Phone)), "<5");
        assert_eq!(of(&rows, 24, Measure::Need(code("food"))), "<5");
        assert_eq!(of(&rows, 24, Measure::Need(code("housing"))), "9");
        assert_eq!(of(&rows, 24, Measure::Encounters), "20");
        assert_eq!(of(&rows, 23, Measure::Kind(EncounterKind::Outreach)), "7");
        assert_eq!(rows[0].day, day(24), "newest day first");
        assert_eq!(rows[6].day, day(23));
    }

    fn measures() -> Vec<Measure> {
        let mut all = vec![Measure::Encounters];
        all.extend(EncounterKind::ALL.into_iter().map(Measure::Kind));
        all.extend(Reach::ALL.into_iter().map(Measure::Reach));
        all.extend(["food", "housing"].map(|c| Measure::Need(code(c))));
        all.push(Measure::Supply(code("naloxone-kit")));
        all.push(Measure::SupplyUnits(code("naloxone-kit")));
        all
    }

    #[test]
    fn merged_codes_and_promoted_tags_count_as_their_current_code() {
        let mut book = Codebook::harm_reduction_default();
        let edits = [
            crate::codebook::CodebookEdit::Add {
                list: CodeList::Need,
                label: "Shelter".into(),
            },
            crate::codebook::CodebookEdit::Merge {
                list: CodeList::Need,
                code: code("shelter"),
                into: code("housing"),
            },
            crate::codebook::CodebookEdit::Promote {
                tag: code("dental-care"),
            },
            crate::codebook::CodebookEdit::Merge {
                list: CodeList::Site,
                code: code("street"),
                into: code("van"),
            },
        ];
        for edit in &edits {
            book = book.edited(edit).unwrap();
        }
        let counts = vec![
            at(24, "van", Measure::Need(code("housing")), 4),
            at(24, "street", Measure::Need(code("shelter")), 3),
            at(24, "van", Measure::FreeTag(code("dental-care")), 2),
            at(24, "van", Measure::FreeTag(code("bus-fares")), 1),
        ];
        assert_eq!(
            as_currently_coded(counts, &book),
            [
                at(24, "van", Measure::Need(code("dental-care")), 2),
                at(24, "van", Measure::Need(code("housing")), 7),
                at(24, "van", Measure::FreeTag(code("bus-fares")), 1),
            ]
        );
    }

    #[test]
    fn a_free_tag_without_a_shown_count_is_not_named() {
        let counts = [
            at(23, "van", Measure::FreeTag(code("bus-fares")), 2),
            at(24, "van", Measure::FreeTag(code("dental-care")), 2),
            at(23, "van", Measure::FreeTag(code("dental-care")), 6),
            at(24, "van", Measure::Need(code("food")), 1),
        ];
        let rows = without_rare_free_tags(suppress_trends(
            SuppressionThreshold::default(),
            &counts,
            None,
        ));
        let named: Vec<String> = rows
            .iter()
            .map(|r| format!("{} {} {}", r.day, r.measure.value(), r.count))
            .collect();
        assert_eq!(
            named,
            [
                "2026-11-24 food <5",
                "2026-11-24 dental-care <5",
                "2026-11-23 dental-care 6"
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn no_hidden_count_is_left_alone_where_cells_add_up(
            table in proptest::collection::vec((1u32..=3, 0usize..3, 0usize..13, 1u32..12), 1..60),
        ) {
            let sites = ["park", "station", "market"];
            let measures = measures();
            let mut counts: BTreeMap<(u32, usize, usize), u32> = BTreeMap::new();
            for (d, s, m, n) in table {
                *counts.entry((d, s, m % measures.len())).or_default() += n;
            }
            let counts: Vec<SiteCount> = counts
                .into_iter()
                .map(|((d, s, m), n)| at(d, sites[s], measures[m].clone(), n))
                .collect();
            let t = SuppressionThreshold::default();
            let mut views: Vec<(Option<Code>, Vec<TrendRow>)> =
                vec![(None, suppress_trends(t, &counts, None))];
            for site in sites {
                views.push((Some(code(site)), suppress_trends(t, &counts, Some(&code(site)))));
            }
            let reported = |site: &Option<Code>, d: NaiveDate, m: &Measure| {
                views.iter().find(|(s, _)| s == site).and_then(|(_, rows)| {
                    rows.iter().find(|r| r.day == d && r.measure == *m).map(|r| r.count)
                })
            };
            let hidden = |r: Option<ReportedCount>| r.is_some_and(|r| r.exact().is_none());
            for (site, rows) in &views {
                for row in rows {
                    if let Some(n) = row.count.exact() {
                        proptest::prop_assert!(n >= t.get(), "{n} shown");
                    }
                }
                for d in 1..=3 {
                    for dimension in PARTITIONS {
                        let cells: Vec<&TrendRow> = rows
                            .iter()
                            .filter(|r| r.day == day(d) && r.measure.dimension() == dimension)
                            .collect();
                        let hidden_cells = cells.iter().filter(|r| r.count.exact().is_none()).count();
                        if cells.len() > 1 {
                            proptest::prop_assert_ne!(hidden_cells, 1, "{:?} {} {:?}", site, d, dimension);
                        }
                    }
                }
            }
            for d in 1..=3 {
                for m in &measures {
                    let present = sites
                        .iter()
                        .filter(|s| reported(&Some(code(s)), day(d), m).is_some())
                        .count();
                    let hidden_sites = sites
                        .iter()
                        .filter(|s| hidden(reported(&Some(code(s)), day(d), m)))
                        .count();
                    if present > 1 {
                        proptest::prop_assert_ne!(hidden_sites, 1, "day {} {:?}", d, m);
                    }
                }
            }
            // A day's verdicts do not depend on the other days in the view.
            let last_day: Vec<SiteCount> = counts.iter().filter(|c| c.day == day(3)).cloned().collect();
            let alone = suppress_trends(t, &last_day, None);
            let within: Vec<TrendRow> = views[0].1.iter().filter(|r| r.day == day(3)).cloned().collect();
            proptest::prop_assert_eq!(alone, within);
        }
    }
}
