//! A heat map of values by day: a table whose cells shade with the count.

use leptos::prelude::*;
use peerpulse_core::trend_view::DayPoint;

/// One row: a value and its days, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatRow {
    /// What a person reads.
    pub label: String,
    /// The days.
    pub points: Vec<DayPoint>,
}

/// Shade 0 to 4 of `count` against the largest shown count.
fn level(count: u32, max: u32) -> u32 {
    if count == 0 {
        0
    } else {
        1 + (count * 3).div_ceil(max.max(1)).min(3)
    }
}

/// Values down, days across; hidden cells read as they are reported ("<5", "hidden").
#[component]
pub fn HeatMap(
    /// What the table shows.
    caption: String,
    /// The rows.
    rows: Vec<HeatRow>,
) -> impl IntoView {
    let max = rows
        .iter()
        .flat_map(|r| r.points.iter().filter_map(|p| p.count.exact()))
        .max()
        .unwrap_or(0);
    let header = rows.first().map(|r| {
        r.points
            .iter()
            .map(|p| {
                view! {
                    <th scope="col" abbr=p.day.format("%A %d %B").to_string()>
                        {p.day.format("%d").to_string()}
                    </th>
                }
            })
            .collect_view()
    });
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .points
                .iter()
                .map(|p| match p.count.exact() {
                    Some(n) => view! { <td class=format!("heat heat-{}", level(n, max))>{n}</td> }
                        .into_any(),
                    None => {
                        view! { <td class="heat heat-hidden">{p.count.to_string()}</td> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{row.label}</th>{cells}</tr> }
        })
        .collect_view();
    let region = caption.clone();
    view! {
        <div class="scroll" role="region" aria-label=region tabindex="0">
            <table class="heat-map">
                <caption class="muted">{caption}</caption>
                <thead><tr><th scope="col">"What"</th>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
