//! The one disclosure rule every published count goes through: the org page, its charts and
//! CSVs, the brief, alerts, oversight and the phone's Trends page.
//!
//! A cell (a [`Period`], a site or every site, a measure) is published as its count plus the
//! noise of its key ([`super::cell_key`]), and only when both the count and the published
//! value reach the organization's threshold. A cell that may not be published is left out:
//! a reader cannot tell a small count from none.
//!
//! What this guarantees, and what it does not, is in the README ("How counts are
//! protected").

use super::SuppressionThreshold;
use super::cell_key::{KeyedCount, NoiseTable};
use crate::bucket::{Dimension, Measure};
use crate::codebook::{Code, CodeList, Codebook};
use crate::period::{Granularity, Period};
use crate::protocol::{PublishedCount, TrendPart};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The organization's rule: its threshold, and noise reaching as far as the threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DisclosureRule {
    threshold: SuppressionThreshold,
}

impl DisclosureRule {
    /// The rule of an organization with `threshold`.
    pub fn new(threshold: SuppressionThreshold) -> Self {
        Self { threshold }
    }

    /// Counts below this are never published.
    pub fn threshold(self) -> SuppressionThreshold {
        self.threshold
    }

    /// The perturbation table: noise reaches as far as the threshold, so a difference of
    /// two published cells is never known to within less than the threshold for certain.
    pub fn noise(self) -> NoiseTable {
        NoiseTable::reaching(self.threshold.get())
    }

    /// What may be published of `cell`: its perturbed count, when the count and the
    /// perturbed count both reach the threshold.
    pub fn publish(self, cell: KeyedCount) -> Option<u32> {
        let published = self.perturbed(cell);
        (cell.count >= self.threshold.get() && published >= self.threshold.get())
            .then_some(published)
    }

    /// The cell's perturbed count (never below zero; an empty cell stays empty). Only
    /// [`Self::publish`] may show it; statistics such as alerts are computed from it so that
    /// they, too, rest on noisy counts.
    pub fn perturbed(self, cell: KeyedCount) -> u32 {
        if cell.count == 0 {
            return 0;
        }
        let value = i64::from(cell.count) + self.noise().noise(cell.key);
        u32::try_from(value.max(0)).unwrap_or(u32::MAX)
    }
}

/// One day's count of a measure at one site, summed over phones, with its key: what the
/// service stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteCount {
    /// Day.
    pub day: NaiveDate,
    /// Site or outreach area.
    pub site: Code,
    /// What is counted.
    pub measure: Measure,
    /// Sum over phones, and its key.
    pub cell: KeyedCount,
}

/// `counts` as `codebook` codes them now: merged codes and sites counted as the code they were
/// merged into, promoted free tags as their need, summed (keys too) where they meet.
pub fn as_currently_coded(counts: Vec<SiteCount>, codebook: &Codebook) -> Vec<SiteCount> {
    let mut sums: BTreeMap<(NaiveDate, Code, Measure), KeyedCount> = BTreeMap::new();
    for c in counts {
        let site = codebook.current(CodeList::Site, &c.site).clone();
        *sums
            .entry((c.day, site, c.measure.current(codebook)))
            .or_default() += c.cell;
    }
    sums.into_iter()
        .map(|((day, site, measure), cell)| SiteCount {
            day,
            site,
            measure,
            cell,
        })
        .collect()
}

/// The cells of one period: one per measure.
pub type Cells<'a> = BTreeMap<&'a Measure, KeyedCount>;

/// Each day's cells at `site` (every site together when `None`).
fn days_at<'a>(counts: &'a [SiteCount], site: Option<&Code>) -> BTreeMap<NaiveDate, Cells<'a>> {
    let mut days: BTreeMap<NaiveDate, Cells<'a>> = BTreeMap::new();
    for c in counts {
        if site.is_none_or(|s| *s == c.site) {
            *days
                .entry(c.day)
                .or_default()
                .entry(&c.measure)
                .or_default() += c.cell;
        }
    }
    days
}

/// The cells of `period`, from each day's.
fn cells_over<'a>(days: &BTreeMap<NaiveDate, Cells<'a>>, period: Period) -> Cells<'a> {
    let mut cells = Cells::new();
    for day in days
        .range(period.first_day()..=period.last_day())
        .map(|(_, d)| d)
    {
        for (&measure, &cell) in day {
            *cells.entry(measure).or_default() += cell;
        }
    }
    cells
}

/// The cells of `period` at `site` (every site when `None`), one per measure.
pub fn cells_of<'a>(counts: &'a [SiteCount], period: Period, site: Option<&Code>) -> Cells<'a> {
    cells_over(&days_at(counts, site), period)
}

/// What may be published of `cells`, in measure order. Units of a supply are published only
/// beside the count of encounters they were handed out in: twenty syringes given to one
/// person are still one person.
pub fn publish_cells(rule: DisclosureRule, cells: &Cells<'_>) -> Vec<PublishedCount> {
    let published: BTreeMap<&Measure, u32> = cells
        .iter()
        .filter_map(|(&m, &cell)| rule.publish(cell).map(|n| (m, n)))
        .collect();
    published
        .iter()
        .filter(|(measure, _)| match measure {
            Measure::SupplyUnits(item) => published.contains_key(&Measure::Supply(item.clone())),
            _ => true,
        })
        .map(|(&measure, &count)| PublishedCount {
            measure: measure.clone(),
            count,
        })
        .collect()
}

/// A published period at a place: its totals, and its parts for a chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedTrends {
    /// One count per measure over the whole period.
    pub totals: Vec<PublishedCount>,
    /// The period's parts (see [`Period::parts`]), oldest first, each with its own counts.
    pub parts: Vec<TrendPart>,
}

/// What may be published of `period` at `site` (every site when `None`), split into parts of
/// `parts` for a chart. Free tags are named only when they are in `on_two_phones`, the tags
/// at least two phones used in the period: a word one phone typed stays on that phone.
pub fn publish_trends(
    rule: DisclosureRule,
    counts: &[SiteCount],
    period: Period,
    parts: Option<Granularity>,
    site: Option<&Code>,
    on_two_phones: &BTreeSet<Code>,
) -> PublishedTrends {
    let named = |published: Vec<PublishedCount>| -> Vec<PublishedCount> {
        published
            .into_iter()
            .filter(|p| match &p.measure {
                Measure::FreeTag(tag) => on_two_phones.contains(tag),
                _ => true,
            })
            .collect()
    };
    let days = days_at(counts, site);
    let totals = named(publish_cells(rule, &cells_over(&days, period)));
    let parts = parts
        .map(|granularity| period.parts(granularity))
        .unwrap_or_default()
        .into_iter()
        .map(|part| TrendPart {
            period: part,
            counts: named(publish_cells(rule, &cells_over(&days, part))),
        })
        .collect();
    PublishedTrends { totals, parts }
}

/// `published` without the dimensions other than `dimension`.
pub fn only(dimension: Option<Dimension>, published: &mut PublishedTrends) {
    if let Some(dimension) = dimension {
        published
            .totals
            .retain(|c| c.measure.dimension() == dimension);
        for part in &mut published.parts {
            part.counts.retain(|c| c.measure.dimension() == dimension);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encounter::EncounterKind;
    use crate::privacy::cell_key::CellKey;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn at(d: u32, site: &str, measure: Measure, count: u32, key: u32) -> SiteCount {
        SiteCount {
            day: day(d),
            site: code(site),
            measure,
            cell: KeyedCount::new(count, CellKey(key)),
        }
    }

    #[test]
    fn counts_below_the_threshold_are_never_published_and_the_rest_carry_bounded_noise() {
        let rule = DisclosureRule::default();
        for key in 0..5_000u32 {
            let key = CellKey(key.wrapping_mul(0x9e37_79b9));
            for count in 0..5 {
                assert_eq!(rule.publish(KeyedCount::new(count, key)), None);
            }
            for count in [5u32, 6, 9, 40, 1_000] {
                if let Some(shown) = rule.publish(KeyedCount::new(count, key)) {
                    assert!(shown >= 5, "{count} shown as {shown}");
                    assert!(shown.abs_diff(count) <= 5, "{count} shown as {shown}");
                }
            }
            assert!(rule.publish(KeyedCount::new(1_000, key)).is_some());
        }
        assert_eq!(rule.perturbed(KeyedCount::new(0, CellKey(7))), 0);
    }

    #[test]
    fn most_published_counts_are_not_the_exact_count() {
        let rule = DisclosureRule::default();
        let moved = (0..10_000u32)
            .filter(|&k| {
                let cell = KeyedCount::new(100, CellKey(k.wrapping_mul(0x9e37_79b9)));
                rule.publish(cell) != Some(100)
            })
            .count();
        // Noise 0 has weight 32 of 94: about two thirds move.
        assert!((6_000..7_300).contains(&moved), "{moved} of 10,000 moved");
    }

    #[test]
    fn the_same_cell_is_published_the_same_whatever_view_asks_for_it() {
        let housing = Measure::Need(code("housing"));
        let counts = [
            at(24, "park", housing.clone(), 9, 11),
            at(25, "park", housing.clone(), 8, 23),
        ];
        let rule = DisclosureRule::default();
        let week = Period::containing(Granularity::Week, day(24));
        let none = BTreeSet::new();
        let everywhere = publish_trends(rule, &counts, week, Some(Granularity::Day), None, &none);
        let at_park = publish_trends(
            rule,
            &counts,
            week,
            Some(Granularity::Day),
            Some(&code("park")),
            &none,
        );
        // Only the park has counts: every site is the same cells, so the same values.
        assert_eq!(everywhere, at_park);
        let total = everywhere.totals[0].count;
        assert_eq!(Some(total), rule.publish(KeyedCount::new(17, CellKey(34))));
        assert_eq!(everywhere.parts.len(), 7);
        assert_eq!(
            everywhere.parts[1].counts[0].count,
            rule.publish(KeyedCount::new(9, CellKey(11))).unwrap()
        );
    }

    #[test]
    fn supply_units_are_published_only_beside_the_encounters_they_were_given_in() {
        let syringes = code("needles-syringes");
        let counts = [
            at(24, "park", Measure::Supply(syringes.clone()), 2, 1),
            at(24, "park", Measure::SupplyUnits(syringes.clone()), 400, 2),
            at(24, "park", Measure::Supply(code("naloxone-kit")), 60, 3),
            at(
                24,
                "park",
                Measure::SupplyUnits(code("naloxone-kit")),
                60,
                4,
            ),
            at(24, "park", Measure::SupplyUnits(code("condoms")), 500, 5),
        ];
        let cells = cells_of(&counts, Period::Day(day(24)), None);
        let published: Vec<Measure> = publish_cells(DisclosureRule::default(), &cells)
            .into_iter()
            .map(|p| p.measure)
            .collect();
        assert_eq!(
            published,
            [
                Measure::Supply(code("naloxone-kit")),
                Measure::SupplyUnits(code("naloxone-kit"))
            ]
        );
    }

    #[test]
    fn a_free_tag_is_named_only_when_two_phones_used_it_and_its_count_may_be_shown() {
        let counts = [
            at(24, "van", Measure::FreeTag(code("dental-pain")), 40, 1),
            at(24, "van", Measure::FreeTag(code("bus-fares")), 40, 2),
            at(24, "van", Measure::FreeTag(code("winter-coats")), 2, 3),
        ];
        let two: BTreeSet<Code> = [code("bus-fares"), code("winter-coats")].into();
        let published = publish_trends(
            DisclosureRule::default(),
            &counts,
            Period::Day(day(24)),
            None,
            None,
            &two,
        );
        let named: Vec<&str> = published.totals.iter().map(|p| p.measure.value()).collect();
        assert_eq!(named, ["bus-fares"]);
    }

    #[test]
    fn merged_codes_and_promoted_tags_count_as_their_current_code_keys_and_all() {
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
            at(24, "van", Measure::Need(code("housing")), 4, 10),
            at(24, "street", Measure::Need(code("shelter")), 3, u32::MAX),
            at(24, "van", Measure::FreeTag(code("dental-care")), 2, 5),
            at(24, "van", Measure::FreeTag(code("bus-fares")), 1, 6),
        ];
        assert_eq!(
            as_currently_coded(counts, &book),
            [
                at(24, "van", Measure::Need(code("dental-care")), 2, 5),
                at(24, "van", Measure::Need(code("housing")), 7, 9),
                at(24, "van", Measure::FreeTag(code("bus-fares")), 1, 6),
            ]
        );
    }

    #[test]
    fn a_dimension_filter_keeps_the_values_it_keeps_unchanged() {
        let counts = [
            at(24, "van", Measure::Encounters, 30, 1),
            at(24, "van", Measure::Kind(EncounterKind::Outreach), 30, 1),
        ];
        let none = BTreeSet::new();
        let all = publish_trends(
            DisclosureRule::default(),
            &counts,
            Period::Day(day(24)),
            None,
            None,
            &none,
        );
        let mut kinds = all.clone();
        only(Some(Dimension::Kind), &mut kinds);
        assert_eq!(kinds.totals.len(), 1);
        assert_eq!(kinds.totals[0], all.totals[1]);
        // Same records, same key: the total and the one kind they all were show alike.
        assert_eq!(all.totals[0].count, all.totals[1].count);
    }
}
