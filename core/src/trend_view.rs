//! What the trend views draw, from suppressed rows only: a measure's daily series, its total
//! over a period, chart axes and the CSV of each table. Nothing here sees a raw count, so no
//! chart, table or export can show more than the service decided may be shown.

use crate::aberration::Alert;
use crate::bucket::{Dimension, Measure};
use crate::privacy::ReportedCount;
use crate::protocol::{NewFreeTag, TrendRow};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One day of a measure's series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayPoint {
    /// Day.
    pub day: NaiveDate,
    /// The day's count as it may be shown; a day without a row counted none.
    pub count: ReportedCount,
}

/// `measure` on every day from `from` to `to`, oldest first.
pub fn daily_series(
    rows: &[TrendRow],
    measure: &Measure,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<DayPoint> {
    let by_day: BTreeMap<NaiveDate, ReportedCount> = rows
        .iter()
        .filter(|r| r.measure == *measure)
        .map(|r| (r.day, r.count))
        .collect();
    from.iter_days()
        .take_while(|day| *day <= to)
        .map(|day| DayPoint {
            day,
            count: by_day.get(&day).copied().unwrap_or(ReportedCount::Exact(0)),
        })
        .collect()
}

/// A measure's total over a period, made of the days that may be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodTotal {
    /// What is counted.
    pub measure: Measure,
    /// Sum of the days shown.
    pub shown: u32,
    /// Days with a count too small to show (or withheld), left out of `shown`.
    pub hidden_days: u32,
}

impl PeriodTotal {
    /// What a person reads: "34", or "34 + 2 small days".
    pub fn label(&self) -> String {
        match self.hidden_days {
            0 => self.shown.to_string(),
            1 => format!("{} + 1 small day", self.shown),
            n => format!("{} + {n} small days", self.shown),
        }
    }
}

/// Each value of `dimension` over the rows' period, largest first.
///
/// A total is the sum of the days that may be shown, never of hidden ones: an exact period
/// total beside the shown days would give a hidden day away.
pub fn period_totals(rows: &[TrendRow], dimension: Dimension) -> Vec<PeriodTotal> {
    let mut totals: BTreeMap<&Measure, (u32, u32)> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.measure.dimension() == dimension) {
        let (shown, hidden) = totals.entry(&row.measure).or_default();
        match row.count.exact() {
            Some(n) => *shown += n,
            None => *hidden += 1,
        }
    }
    let mut totals: Vec<PeriodTotal> = totals
        .into_iter()
        .map(|(measure, (shown, hidden_days))| PeriodTotal {
            measure: measure.clone(),
            shown,
            hidden_days,
        })
        .collect();
    totals.sort_by(|a, b| {
        b.shown
            .cmp(&a.shown)
            .then(b.hidden_days.cmp(&a.hidden_days))
            .then(a.measure.cmp(&b.measure))
    });
    totals
}

/// Values of an axis from 0 to at least `max`, a round step apart (1, 2 or 5 times a power of
/// ten), at most six of them.
pub fn axis_ticks(max: u32) -> Vec<u32> {
    let max = max.max(1);
    let step = std::iter::successors(Some(1u32), |p| p.checked_mul(10))
        .flat_map(|power| [1, 2, 5].map(|m| m * power))
        .find(|&step| max.div_ceil(step) <= 5)
        .unwrap_or(max);
    (0..=max.div_ceil(step)).map(|i| i * step).collect()
}

/// The daily rows as CSV: day, dimension, value code, label and the count as shown.
pub fn daily_csv(rows: &[TrendRow], label: impl Fn(&Measure) -> String) -> String {
    crate::csv::table(
        ["day", "dimension", "value", "label", "count"],
        rows.iter().map(|r| {
            [
                r.day.to_string(),
                r.measure.dimension().as_str().to_owned(),
                r.measure.value().to_owned(),
                label(&r.measure),
                r.count.to_string(),
            ]
        }),
    )
}

/// Period totals as CSV: dimension, value code, label, the shown total and the small days.
pub fn totals_csv(totals: &[PeriodTotal], label: impl Fn(&Measure) -> String) -> String {
    crate::csv::table(
        [
            "dimension",
            "value",
            "label",
            "shown_total",
            "small_days_left_out",
        ],
        totals.iter().map(|t| {
            [
                t.measure.dimension().as_str().to_owned(),
                t.measure.value().to_owned(),
                label(&t.measure),
                t.shown.to_string(),
                t.hidden_days.to_string(),
            ]
        }),
    )
}

/// Alerts as CSV: the day, what rose, its count, the baseline mean and the methods.
pub fn alerts_csv(alerts: &[Alert], label: impl Fn(&Measure) -> String) -> String {
    crate::csv::table(
        [
            "day",
            "dimension",
            "value",
            "label",
            "count",
            "baseline_mean",
            "methods",
        ],
        alerts.iter().map(|a| {
            [
                a.day.to_string(),
                a.measure.dimension().as_str().to_owned(),
                a.measure.value().to_owned(),
                label(&a.measure),
                a.count.to_string(),
                a.baseline_mean.to_string(),
                a.methods
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        }),
    )
}

/// New free tags as CSV: the tag, how many phones used it, and since when.
pub fn new_tags_csv(tags: &[NewFreeTag]) -> String {
    crate::csv::table(
        ["tag", "label", "phones", "first_seen"],
        tags.iter().map(|t| {
            [
                t.tag.to_string(),
                crate::privacy::free_tag::label(&t.tag),
                t.workers.to_string(),
                t.first_seen.to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Code;
    use crate::privacy::SuppressionThreshold;
    use crate::privacy::suppression::{SiteCount, suppress_trends};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn need(c: &str) -> Measure {
        Measure::Need(Code::new(c).unwrap())
    }

    fn rows() -> Vec<TrendRow> {
        let at = |d, m: Measure, count| SiteCount {
            day: day(d),
            site: Code::new("park").unwrap(),
            measure: m,
            count,
        };
        let counts = [
            at(20, need("housing"), 9),
            at(21, need("housing"), 2),
            at(22, need("housing"), 12),
            at(22, need("food"), 30),
            at(21, Measure::Encounters, 40),
        ];
        suppress_trends(SuppressionThreshold::default(), &counts, None)
    }

    #[test]
    fn a_series_has_every_day_and_zero_where_nothing_was_counted() {
        let series = daily_series(&rows(), &need("housing"), day(19), day(22));
        let shown: Vec<String> = series.iter().map(|p| p.count.to_string()).collect();
        assert_eq!(shown, ["0", "9", "<5", "12"]);
        assert_eq!(series[0].day, day(19));
    }

    #[test]
    fn period_totals_leave_small_days_out_and_say_so() {
        let totals = period_totals(&rows(), Dimension::Need);
        assert_eq!(totals[0].measure, need("food"));
        assert_eq!(totals[0].label(), "30");
        assert_eq!(totals[1].measure, need("housing"));
        assert_eq!((totals[1].shown, totals[1].hidden_days), (21, 1));
        assert_eq!(totals[1].label(), "21 + 1 small day");
        assert_eq!(totals.len(), 2, "other dimensions are not mixed in");
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(axis_ticks(0), [0, 1]);
        assert_eq!(axis_ticks(4), [0, 1, 2, 3, 4]);
        assert_eq!(axis_ticks(7), [0, 2, 4, 6, 8]);
        assert_eq!(axis_ticks(12), [0, 5, 10, 15]);
        assert_eq!(axis_ticks(230), [0, 50, 100, 150, 200, 250]);
        assert_eq!(axis_ticks(1_000_001), [0, 500_000, 1_000_000, 1_500_000]);
    }

    #[test]
    fn csv_exports_only_what_may_be_shown() {
        let rows = rows();
        let label = |m: &Measure| m.value().to_owned();
        let daily = daily_csv(&rows, label);
        assert!(daily.starts_with("day,dimension,value,label,count\r\n"));
        assert!(daily.contains("2026-11-21,need,housing,housing,<5\r\n"));
        assert!(!daily.contains(",2\r\n"), "no small count leaks: {daily}");
        let totals = totals_csv(&period_totals(&rows, Dimension::Need), label);
        assert!(totals.contains("need,housing,housing,21,1\r\n"));
        assert!(!totals.contains(",23,"), "the hidden day is not summed in");
    }

    #[test]
    fn alerts_and_new_tags_export_as_csv() {
        let alert = Alert {
            day: day(22),
            measure: need("housing"),
            count: 14,
            baseline_mean: 3.0,
            methods: vec![crate::aberration::Method::C1, crate::aberration::Method::C3],
        };
        let csv = alerts_csv(&[alert], |m| m.value().to_uppercase());
        assert_eq!(
            csv,
            "day,dimension,value,label,count,baseline_mean,methods\r\n2026-11-22,need,housing,HOUSING,14,3,C1;C3\r\n"
        );
        let tags = new_tags_csv(&[NewFreeTag {
            tag: Code::new("dental-care").unwrap(),
            workers: 3,
            first_seen: day(20),
        }]);
        assert!(
            tags.ends_with("dental-care,Dental care,3,2026-11-20\r\n"),
            "{tags}"
        );
    }
}
