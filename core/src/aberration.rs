//! Emerging needs: CDC's Early Aberration Reporting System (EARS) C1, C2 and C3 on daily
//! counts, as described by Hutwagner et al., "The Bioterrorism Preparedness and Response Early
//! Aberration Reporting System (EARS)", J Urban Health 2003, and implemented in the R package
//! `surveillance` (`earsC`).
//!
//! - C1: the day against the mean and standard deviation of the 7 days just before it.
//! - C2: the same with a 2-day guard band (baseline: days t-9 to t-3), so a rise that started
//!   yesterday does not hide in its own baseline.
//! - C3: the sum of how far C2 exceeded 1 on the day and the two days before it.
//!
//! An alert is C1 or C2 above 3, or C3 above 2. The baseline standard deviation is the sample
//! standard deviation (n - 1), floored at [`MIN_SIGMA`] so a flat baseline does not divide by
//! zero.

use crate::bucket::{Dimension, Measure};
use crate::privacy::DisclosureRule;
use crate::privacy::cell_key::KeyedCount;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days in every baseline.
pub const BASELINE_DAYS: usize = 7;
/// Days between the baseline and the day tested, in C2 and C3.
pub const GUARD_DAYS: usize = 2;
/// C1 and C2 alert above this.
pub const C1_C2_THRESHOLD: f64 = 3.0;
/// C3 alerts above this.
pub const C3_THRESHOLD: f64 = 2.0;
/// Smallest baseline standard deviation used.
pub const MIN_SIGMA: f64 = 0.5;

/// Which EARS method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Baseline: the 7 days before.
    C1,
    /// Baseline: 7 days, ending 3 days before.
    C2,
    /// Recent C2 excesses summed.
    C3,
}

/// The EARS statistics of the last day of a series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ears {
    /// C1 statistic.
    pub c1: f64,
    /// C2 statistic.
    pub c2: f64,
    /// C3 statistic.
    pub c3: f64,
}

impl Ears {
    /// The methods that signal an aberration, most sensitive to sudden rises first.
    pub fn alerts(&self) -> Vec<Method> {
        let mut methods = Vec::new();
        if self.c1 > C1_C2_THRESHOLD {
            methods.push(Method::C1);
        }
        if self.c2 > C1_C2_THRESHOLD {
            methods.push(Method::C2);
        }
        if self.c3 > C3_THRESHOLD {
            methods.push(Method::C3);
        }
        methods
    }
}

fn mean_and_sigma(baseline: &[u32]) -> (f64, f64) {
    let n = baseline.len() as f64;
    let mean = baseline.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let variance = baseline
        .iter()
        .map(|&x| (f64::from(x) - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    (mean, variance.sqrt().max(MIN_SIGMA))
}

/// `(x - mean) / sigma` of the day at `t` against the 7 days ending `lag` days before it.
fn statistic(daily: &[u32], t: usize, lag: usize) -> Option<f64> {
    let end = t.checked_sub(lag - 1)?;
    let start = end.checked_sub(BASELINE_DAYS)?;
    let (mean, sigma) = mean_and_sigma(&daily[start..end]);
    Some((f64::from(daily[t]) - mean) / sigma)
}

/// EARS statistics of the last day of `daily` (oldest first, one count per day, no gaps).
/// `None` until there is enough history: C3 needs the day, the 2 days before it, the guard
/// band and the baseline of the earliest of them (12 days in all).
pub fn ears(daily: &[u32]) -> Option<Ears> {
    let t = daily.len().checked_sub(1)?;
    let c1 = statistic(daily, t, 1)?;
    let c2_at = |day: usize| statistic(daily, day, 1 + GUARD_DAYS);
    let c2 = c2_at(t)?;
    let c3 = (0..=GUARD_DAYS)
        .map(|back| {
            t.checked_sub(back)
                .and_then(c2_at)
                .map(|c| (c - 1.0).max(0.0))
        })
        .sum::<Option<f64>>()?;
    Some(Ears { c1, c2, c3 })
}

/// Days of history an alert check reads: the day, the two before it, the guard band and the
/// earliest day's baseline.
pub const HISTORY_DAYS: usize = BASELINE_DAYS + 2 * GUARD_DAYS + 1;

/// Dimensions watched for emerging rises: what contacts need and tell.
pub const WATCHED: [Dimension; 3] = [Dimension::Need, Dimension::Insight, Dimension::FreeTag];

/// A measure rising above its baseline on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// The day it rose on.
    #[serde(with = "crate::date_wire::day")]
    pub day: NaiveDate,
    /// What rose.
    #[serde(flatten)]
    pub measure: Measure,
    /// The day's published count (an alert needs one: a day that may not be published
    /// raises nothing).
    pub count: u32,
    /// About how many a day the C2 baseline (days t-9 to t-3) held, rounded to a whole
    /// number, from its perturbed daily counts: never an exact sum.
    pub usual_per_day: u32,
    /// The methods that signalled.
    pub methods: Vec<Method>,
}

/// Rises on `day` among the watched measures of `totals` (day, measure, cell over every
/// site; missing days count zero). EARS runs on each day's perturbed count
/// ([`DisclosureRule::perturbed`]), never the exact one. A rise is reported only when the
/// day's count may be published and at least two phones counted it that day (`phones`), so
/// no alert rests on one worker's entries, and only when the day's count is above the usual
/// level it is shown against.
pub fn rising(
    rule: DisclosureRule,
    totals: &[(NaiveDate, Measure, KeyedCount)],
    day: NaiveDate,
    phones: &BTreeMap<Measure, u32>,
) -> Vec<Alert> {
    let first = day - Days::new(HISTORY_DAYS as u64 - 1);
    let mut series: BTreeMap<&Measure, Vec<KeyedCount>> = BTreeMap::new();
    for (d, measure, cell) in totals {
        if *d < first || *d > day || !WATCHED.contains(&measure.dimension()) {
            continue;
        }
        let slot = usize::try_from((*d - first).num_days()).expect("within the window");
        series
            .entry(measure)
            .or_insert_with(|| vec![KeyedCount::default(); HISTORY_DAYS])[slot] += *cell;
    }
    series
        .into_iter()
        .filter_map(|(measure, cells)| {
            let count = rule.publish(*cells.last().expect("a full window"))?;
            if phones.get(measure).copied().unwrap_or(0) < 2 {
                return None;
            }
            let daily: Vec<u32> = cells.iter().map(|&c| rule.perturbed(c)).collect();
            let methods = ears(&daily)?.alerts();
            let baseline = &daily
                [HISTORY_DAYS - 1 - GUARD_DAYS - BASELINE_DAYS..HISTORY_DAYS - 1 - GUARD_DAYS];
            let mean = f64::from(baseline.iter().sum::<u32>()) / BASELINE_DAYS as f64;
            // C1 and C3 read other baselines than the usual level shown: a day no higher than
            // that level is not reported as a rise, whatever they say.
            (!methods.is_empty() && f64::from(count) > mean).then(|| Alert {
                day,
                measure: measure.clone(),
                count,
                usual_per_day: mean.round() as u32,
                methods,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::cell_key::CellKey;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn c1_compares_the_day_with_the_seven_days_before() {
        // Baseline 2,3,2,4,3,2,3: mean 19/7 = 2.7143, sample sd 0.7559.
        // Today 8: C1 = (8 - 2.7143) / 0.7559 = 6.992.
        let daily = [5, 5, 5, 5, 5, 2, 3, 2, 4, 3, 2, 3, 8];
        let e = ears(&daily).unwrap();
        assert!(close(e.c1, 6.992), "{}", e.c1);
        assert!(e.alerts().contains(&Method::C1));
    }

    #[test]
    fn c2_skips_a_two_day_guard_band() {
        // Days t-9..t-3 are 2,3,2,4,3,2,3 (mean 2.7143, sd 0.7559); t-2 and t-1 (9, 9) are the
        // guard band. Today 6: C2 = (6 - 2.7143) / 0.7559 = 4.347.
        let daily = [4, 4, 4, 2, 3, 2, 4, 3, 2, 3, 9, 9, 6];
        let e = ears(&daily).unwrap();
        assert!(close(e.c2, 4.347), "{}", e.c2);
        // C1's baseline holds the two 9s, so today looks ordinary to it.
        assert!(e.c1 < C1_C2_THRESHOLD, "{}", e.c1);
        assert_eq!(e.alerts(), vec![Method::C2, Method::C3]);
    }

    #[test]
    fn c3_sums_recent_c2_excesses_over_one() {
        // A flat baseline of 4 (sd floored at 0.5), then 5, 5, 5: each C2 is (5 - 4) / 0.5 = 2,
        // so C3 = 3 * (2 - 1) = 3 > 2 while C1 and C2 stay at or under 3.
        let daily = [4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5];
        let e = ears(&daily).unwrap();
        assert!(close(e.c2, 2.0), "{}", e.c2);
        assert!(close(e.c3, 3.0), "{}", e.c3);
        assert_eq!(e.alerts(), vec![Method::C3]);
    }

    fn code(s: &str) -> crate::codebook::Code {
        crate::codebook::Code::new(s).unwrap()
    }

    #[test]
    fn rising_finds_the_need_that_jumped_and_never_a_small_count_or_one_phone() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut totals = Vec::new();
        let cell = |count: u32, key: u64| KeyedCount::new(count, CellKey(key as u32 * 7_919));
        for back in 0..HISTORY_DAYS as u64 {
            let day = today - Days::new(back);
            let (housing, food, detox) = if back == 0 { (40, 3, 4) } else { (3, 0, 0) };
            totals.push((day, Measure::Need(code("housing")), cell(housing, back)));
            totals.push((day, Measure::Need(code("food")), cell(food, back + 50)));
            totals.push((day, Measure::Need(code("detox")), cell(detox, back + 90)));
            totals.push((day, Measure::Topic(code("naloxone")), cell(housing, back)));
            totals.push((
                day,
                Measure::Insight(code("new-substance")),
                cell(housing, back + 3),
            ));
        }
        let phones: BTreeMap<Measure, u32> = [
            (Measure::Need(code("housing")), 3),
            (Measure::Need(code("detox")), 2),
            (Measure::Insight(code("new-substance")), 1),
        ]
        .into();
        let rule = DisclosureRule::default();
        let alerts = rising(rule, &totals, today, &phones);
        // Housing rose; detox also jumped from nothing, but 4 is below the threshold of 5;
        // the new substance rose on one phone only; topics are not watched.
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].measure, Measure::Need(code("housing")));
        assert_eq!(
            Some(alerts[0].count),
            rule.publish(cell(40, 0)),
            "the published count, not the exact one"
        );
        assert!(alerts[0].usual_per_day <= 5, "{alerts:?}");
        assert!(alerts[0].methods.contains(&Method::C2));
    }

    #[test]
    fn a_day_below_its_usual_level_is_no_rise_though_c3_still_remembers_a_spike() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let food = Measure::Need(code("food"));
        // Days t-11 to t: two quiet days, seven days of 48, a spike of 240 two days running,
        // then 20 today.
        let daily = [0, 0, 48, 48, 48, 48, 48, 48, 48, 240, 240, 20];
        let totals: Vec<_> = daily
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let day = today - Days::new(11 - i as u64);
                (
                    day,
                    food.clone(),
                    KeyedCount::new(n, CellKey(i as u32 * 104_729)),
                )
            })
            .collect();
        let perturbed: Vec<u32> = totals
            .iter()
            .map(|(_, _, c)| DisclosureRule::default().perturbed(*c))
            .collect();
        assert!(
            ears(&perturbed).unwrap().alerts().contains(&Method::C3),
            "the spike still counts in C3"
        );
        let phones = [(food.clone(), 3)].into();
        assert_eq!(
            rising(DisclosureRule::default(), &totals, today, &phones),
            vec![]
        );
    }

    #[test]
    fn steady_counts_raise_nothing_and_short_series_give_no_answer() {
        let steady = [3, 4, 3, 5, 4, 3, 4, 3, 4, 5, 4, 3];
        assert_eq!(ears(&steady).unwrap().alerts(), vec![]);
        assert_eq!(ears(&steady[..11]), None);
        assert_eq!(ears(&[]), None);
    }
}
