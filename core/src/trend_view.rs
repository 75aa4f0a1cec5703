//! What the trend views draw, from published counts only: a measure's series over a
//! period's parts, its ranking by total, chart axes and the CSV of each table. Nothing here
//! sees an exact count, so no chart, table or export can show more than the service
//! published.

use crate::aberration::Alert;
use crate::bucket::{Dimension, Measure};
use crate::csv::Column;
use crate::period::Period;
use crate::protocol::{NewFreeTag, PublishedCount, TrendsResponse};

/// One part of a measure's series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartPoint {
    /// The part (a day, or a week of a quarter).
    pub period: Period,
    /// Its published count; `None`: fewer than the threshold, or none.
    pub count: Option<u32>,
}

/// `measure` on every part of the trends' period, oldest first.
pub fn series(trends: &TrendsResponse, measure: &Measure) -> Vec<PartPoint> {
    trends
        .parts
        .iter()
        .map(|part| PartPoint {
            period: part.period,
            count: part
                .counts
                .iter()
                .find(|c| c.measure == *measure)
                .map(|c| c.count),
        })
        .collect()
}

/// The published totals of `dimension`, largest first.
pub fn ranked(trends: &TrendsResponse, dimension: Dimension) -> Vec<&PublishedCount> {
    let mut totals: Vec<&PublishedCount> = trends
        .totals
        .iter()
        .filter(|c| c.measure.dimension() == dimension)
        .collect();
    totals.sort_by(|a, b| b.count.cmp(&a.count).then(a.measure.cmp(&b.measure)));
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

/// The site column of an export: the site's code, or `all` for every site together.
fn site_column(trends: &TrendsResponse) -> String {
    trends
        .site
        .as_ref()
        .map_or_else(|| "all".to_owned(), ToString::to_string)
}

/// The columns of a counts export.
const COUNT_COLUMNS: [Column; 6] = [
    Column::Period,
    Column::Site,
    Column::Dimension,
    Column::Value,
    Column::Label,
    Column::Count,
];

/// The parts' published counts as CSV: period, site, dimension, value code, label, count,
/// under headers `heading` writes. Counts that may not be published have no row.
pub fn parts_csv(
    trends: &TrendsResponse,
    label: impl Fn(&Measure) -> String,
    heading: impl Fn(Column) -> String,
) -> String {
    let site = site_column(trends);
    crate::csv::headed(
        COUNT_COLUMNS,
        heading,
        trends.parts.iter().flat_map(|part| {
            let site = site.clone();
            let label = &label;
            part.counts.iter().map(move |c| {
                [
                    part.period.to_string(),
                    site.clone(),
                    c.measure.dimension().as_str().to_owned(),
                    c.measure.value().to_owned(),
                    label(&c.measure),
                    c.count.to_string(),
                ]
            })
        }),
    )
}

/// The period's published totals as CSV: period, site, dimension, value code, label, count,
/// under headers `heading` writes.
pub fn totals_csv(
    trends: &TrendsResponse,
    label: impl Fn(&Measure) -> String,
    heading: impl Fn(Column) -> String,
) -> String {
    let site = site_column(trends);
    crate::csv::headed(
        COUNT_COLUMNS,
        heading,
        trends.totals.iter().map(|c| {
            [
                trends.period.to_string(),
                site.clone(),
                c.measure.dimension().as_str().to_owned(),
                c.measure.value().to_owned(),
                label(&c.measure),
                c.count.to_string(),
            ]
        }),
    )
}

/// Alerts as CSV: the day, what rose, its published count, about how many a day it usually
/// was, and the methods, under headers `heading` writes.
pub fn alerts_csv(
    alerts: &[Alert],
    label: impl Fn(&Measure) -> String,
    heading: impl Fn(Column) -> String,
) -> String {
    crate::csv::headed(
        [
            Column::Day,
            Column::Dimension,
            Column::Value,
            Column::Label,
            Column::Count,
            Column::UsualPerDay,
            Column::Methods,
        ],
        heading,
        alerts.iter().map(|a| {
            [
                a.day.to_string(),
                a.measure.dimension().as_str().to_owned(),
                a.measure.value().to_owned(),
                label(&a.measure),
                a.count.to_string(),
                a.usual_per_day.to_string(),
                a.methods
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(";"),
            ]
        }),
    )
}

/// New free tags as CSV: the tag, its published count over the period, and since when,
/// under headers `heading` writes.
pub fn new_tags_csv(tags: &[NewFreeTag], heading: impl Fn(Column) -> String) -> String {
    crate::csv::headed(
        [Column::Tag, Column::Label, Column::Count, Column::FirstSeen],
        heading,
        tags.iter().map(|t| {
            [
                t.tag.to_string(),
                crate::privacy::free_tag::label(&t.tag),
                t.count.to_string(),
                t.first_seen.to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Code;
    use crate::protocol::TrendPart;
    use chrono::NaiveDate;

    /// Headers in no language: each column's machine name.
    fn machine(column: Column) -> String {
        column.name().to_owned()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn need(c: &str) -> Measure {
        Measure::Need(Code::new(c).unwrap())
    }

    fn published(measure: Measure, count: u32) -> PublishedCount {
        PublishedCount { measure, count }
    }

    fn trends() -> TrendsResponse {
        TrendsResponse {
            org_name: "Harbour".into(),
            threshold: 5,
            period: "2026-W47".parse().unwrap(),
            site: None,
            totals: vec![
                published(Measure::Encounters, 60),
                published(need("food"), 31),
                published(need("housing"), 24),
            ],
            parts: (16..=22)
                .map(|d| TrendPart {
                    period: Period::Day(day(d)),
                    counts: match d {
                        20 => vec![published(need("housing"), 9)],
                        22 => vec![published(need("food"), 29), published(need("housing"), 13)],
                        _ => vec![],
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn a_series_has_every_part_and_nothing_where_nothing_may_be_shown() {
        let series = series(&trends(), &need("housing"));
        let shown: Vec<Option<u32>> = series.iter().map(|p| p.count).collect();
        assert_eq!(shown, [None, None, None, None, Some(9), None, Some(13)]);
        assert_eq!(series[0].period, Period::Day(day(16)));
    }

    #[test]
    fn totals_rank_one_dimension_largest_first() {
        let trends = trends();
        let needs: Vec<(&str, u32)> = ranked(&trends, Dimension::Need)
            .iter()
            .map(|c| (c.measure.value(), c.count))
            .collect();
        assert_eq!(needs, [("food", 31), ("housing", 24)]);
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
    fn csv_exports_hold_the_published_counts_with_codes_beside_labels() {
        let trends = trends();
        let label = |m: &Measure| m.value().to_uppercase();
        let parts = parts_csv(&trends, label, machine);
        assert_eq!(
            parts,
            "period,site,dimension,value,label,count\r\n\
             2026-11-20,all,need,housing,HOUSING,9\r\n\
             2026-11-22,all,need,food,FOOD,29\r\n\
             2026-11-22,all,need,housing,HOUSING,13\r\n"
        );
        let totals = totals_csv(&trends, label, machine);
        assert!(
            totals.contains("2026-W47,all,need,housing,HOUSING,24\r\n"),
            "{totals}"
        );
        assert!(
            totals.contains("2026-W47,all,encounters,,,60\r\n"),
            "{totals}"
        );
    }

    #[test]
    fn csv_headers_follow_the_language_asked_for_while_values_stay_codes_and_iso_dates() {
        let trends = trends();
        let spanish = |c: Column| {
            match c {
                Column::Period => "periodo",
                Column::Site => "lugar",
                Column::Dimension => "dimensión",
                Column::Value => "código",
                Column::Label => "etiqueta",
                _ => "recuento",
            }
            .to_owned()
        };
        let parts = parts_csv(&trends, |m| m.value().to_uppercase(), spanish);
        assert_eq!(
            parts.lines().next(),
            Some("periodo,lugar,dimensión,código,etiqueta,recuento")
        );
        assert!(
            parts.contains("\r\n2026-11-22,all,need,food,FOOD,29\r\n"),
            "{parts}"
        );
    }

    #[test]
    fn alerts_and_new_tags_export_as_csv() {
        let alert = Alert {
            day: day(22),
            measure: need("housing"),
            count: 14,
            usual_per_day: 3,
            methods: vec![crate::aberration::Method::C1, crate::aberration::Method::C3],
        };
        let csv = alerts_csv(&[alert], |m| m.value().to_uppercase(), machine);
        assert_eq!(
            csv,
            "day,dimension,value,label,count,usual_per_day,methods\r\n2026-11-22,need,housing,HOUSING,14,3,C1;C3\r\n"
        );
        let tags = new_tags_csv(
            &[NewFreeTag {
                tag: Code::new("dental-care").unwrap(),
                count: 12,
                first_seen: day(20),
            }],
            machine,
        );
        assert!(
            tags.ends_with("dental-care,Dental care,12,2026-11-20\r\n"),
            "{tags}"
        );
    }
}
