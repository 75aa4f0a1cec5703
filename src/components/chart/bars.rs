//! Bars of each value's total over a period, largest first.

use leptos::prelude::*;
use peerpulse_core::trend_view::PeriodTotal;

/// One bar: what it counts, and its total.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What a person reads.
    pub label: String,
    /// The total of the days that may be shown.
    pub total: PeriodTotal,
}

/// Horizontal bars as a list, so the numbers are read out with their labels.
#[component]
pub fn BarChart(
    /// What the bars count.
    title: String,
    /// The bars, largest first.
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.total.shown).max().unwrap_or(0).max(1);
    let items = bars
        .into_iter()
        .map(|bar| {
            let width = f64::from(bar.total.shown) * 100.0 / f64::from(max);
            view! {
                <li>
                    <span class="bar-label">{bar.label}</span>
                    <span class="bar-track" aria-hidden="true">
                        <span class="bar" style=format!("width: {width:.1}%")></span>
                    </span>
                    <span class="bar-value">{bar.total.label()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption><strong>{title}</strong></figcaption>
            <ol class="bars">{items}</ol>
        </figure>
    }
}
