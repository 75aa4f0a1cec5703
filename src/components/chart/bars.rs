//! Bars of each value's published total over a period, largest first.

use crate::i18n::{intl, language};
use leptos::prelude::*;

/// One bar: what it counts, and its published total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// What a person reads.
    pub label: String,
    /// The published total.
    pub count: u32,
}

/// Horizontal bars as a list, so the numbers are read out with their labels.
#[component]
pub fn BarChart(
    /// What the bars count.
    title: String,
    /// The bars, largest first.
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let items = bars
        .into_iter()
        .map(|bar| {
            let width = f64::from(bar.count) * 100.0 / f64::from(max);
            view! {
                <li>
                    <span class="bar-label">{bar.label}</span>
                    <span class="bar-track" aria-hidden="true">
                        <span class="bar" style:width=format!("{width:.1}%")></span>
                    </span>
                    <span class="bar-value">{intl::number(language(), f64::from(bar.count))}</span>
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
