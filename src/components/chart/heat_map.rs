//! A heat map of values by part of a period: a table whose cells shade with the count.

use crate::components::period_picker::{part_label, part_name};
use crate::i18n::{fill, intl, language, t, text};
use leptos::prelude::*;
use peerpulse_core::period::Granularity;
use peerpulse_core::trend_view::PartPoint;

/// One row: a value and its parts, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatRow {
    /// What a person reads.
    pub label: String,
    /// The parts.
    pub points: Vec<PartPoint>,
}

/// Shade 1 to 4 of a shown `count` against the largest shown count.
fn level(count: u32, max: u32) -> u32 {
    1 + (count * 3 / max.max(1)).min(3)
}

/// Values down, parts across. A part that may not be shown is an empty cell, read out as
/// "fewer than" the threshold.
#[component]
pub fn HeatMap(
    /// What the table shows.
    caption: String,
    /// The rows.
    rows: Vec<HeatRow>,
    /// No count below this is shown.
    threshold: u32,
) -> impl IntoView {
    let max = rows
        .iter()
        .flat_map(|r| r.points.iter().filter_map(|p| p.count))
        .max()
        .unwrap_or(0);
    let header = rows.first().map(|r| {
        let with_weekday = r.points.len() <= 7;
        r.points
            .iter()
            .map(|p| {
                view! {
                    <th scope="col" abbr=part_name(p.period)>
                        {part_label(p.period, with_weekday)}
                    </th>
                }
            })
            .collect_view()
    });
    let by_week = rows
        .first()
        .and_then(|r| r.points.first())
        .is_some_and(|p| p.period.granularity() == Granularity::Week);
    let fewer = fill("org.chart.fewer_or_none", &[("threshold", &threshold)]);
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .points
                .iter()
                .map(|p| match p.count {
                    Some(n) => view! { <td class=format!("heat heat-{}", level(n, max))>{intl::number(language(), f64::from(n))}</td> }
                        .into_any(),
                    None => view! {
                        <td class="heat heat-none">
                            <span aria-hidden="true">"–"</span>
                            <span class="visually-hidden">{fewer.clone()}</span>
                        </td>
                    }
                    .into_any(),
                })
                .collect_view();
            view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
        })
        .collect_view();
    let region = caption.clone();
    let dash = fill("org.chart.dash_means", &[("fewer", &fewer)]);
    let key = if by_week {
        format!("{} {dash}", text("org.chart.weeks_start"))
    } else {
        dash
    };
    view! {
        <div class="scroll" role="region" aria-label=region tabindex="0">
            <table class="heat-map">
                <caption class="muted">{caption}</caption>
                <thead><tr><th scope="col">{t("trends.what")}</th>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <p class="muted heat-key">{key}</p>
    }
}
