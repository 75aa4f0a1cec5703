//! A line chart of daily counts, one line per value, gaps where a day is hidden.

use super::SERIES;
use leptos::prelude::*;
use peerpulse_core::trend_view::{DayPoint, axis_ticks};

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// One line: a label and its days, oldest first (every series has the same days).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// What a person reads in the legend.
    pub label: String,
    /// The days.
    pub points: Vec<DayPoint>,
}

/// How the text alternative describes a line.
fn describe(line: &Line) -> String {
    let shown: Vec<(chrono::NaiveDate, u32)> = line
        .points
        .iter()
        .filter_map(|p| p.count.exact().map(|n| (p.day, n)))
        .collect();
    let hidden = line.points.len() - shown.len();
    let peak = shown.iter().max_by_key(|(day, n)| (*n, *day));
    let last = line.points.last().map(|p| p.count.to_string());
    let mut text = format!(
        "{}: {} on the last day",
        line.label,
        last.unwrap_or_default()
    );
    if let Some((day, n)) = peak {
        text.push_str(&format!(", highest {n} on {}", day.format("%a %d %b")));
    }
    if hidden > 0 {
        text.push_str(&format!(", {hidden} days too small to show"));
    }
    text
}

/// Daily counts as lines over a shared day axis.
#[component]
pub fn LineChart(
    /// Id prefix for the title and description.
    id: &'static str,
    /// What the chart shows.
    title: String,
    /// The lines, at most five.
    lines: Vec<Line>,
) -> impl IntoView {
    let days = lines.first().map_or(0, |l| l.points.len());
    let max = lines
        .iter()
        .flat_map(|l| l.points.iter().filter_map(|p| p.count.exact()))
        .max()
        .unwrap_or(0);
    let ticks = axis_ticks(max);
    let top_tick = f64::from(*ticks.last().unwrap_or(&1)).max(1.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |i: usize| LEFT + plot_w * i as f64 / (days.max(2) - 1) as f64;
    let y = move |n: u32| TOP + plot_h * (1.0 - f64::from(n) / top_tick);
    let grid = ticks
        .iter()
        .map(|&t| {
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y(t) y2=y(t) />
                <text class="tick" x=LEFT - 6.0 y=y(t) + 4.0 text-anchor="end">{t}</text>
            }
        })
        .collect_view();
    let day_labels = lines.first().map(|l| {
        let last = l.points.len().saturating_sub(1);
        [0, last / 2, last]
            .into_iter()
            .filter_map(|i| l.points.get(i).map(|p| (i, p.day)))
            .map(|(i, day)| {
                let anchor = if i == 0 {
                    "start"
                } else if i == last {
                    "end"
                } else {
                    "middle"
                };
                view! {
                    <text class="tick" x=x(i) y=HEIGHT - 8.0 text-anchor=anchor>
                        {day.format("%d %b").to_string()}
                    </text>
                }
            })
            .collect_view()
    });
    let paths = lines
        .iter()
        .zip(SERIES)
        .map(|(line, (colour, dash))| {
            let mut d = String::new();
            let mut pen_down = false;
            let mut hidden_marks = Vec::new();
            for (i, point) in line.points.iter().enumerate() {
                match point.count.exact() {
                    Some(n) => {
                        d.push_str(&format!(
                            "{}{:.1} {:.1} ",
                            if pen_down { "L" } else { "M" },
                            x(i),
                            y(n)
                        ));
                        pen_down = true;
                    }
                    None => {
                        pen_down = false;
                        hidden_marks.push(x(i));
                    }
                }
            }
            let marks = hidden_marks
                .into_iter()
                .map(|mx| view! { <line class="hidden-day" x1=mx x2=mx y1=y(0) y2=y(0) - 8.0 stroke=colour /> })
                .collect_view();
            view! {
                <path d=d fill="none" stroke=colour stroke-width="2.5" stroke-dasharray=dash />
                {marks}
            }
        })
        .collect_view();
    let legend = lines
        .iter()
        .zip(SERIES)
        .map(|(line, (colour, dash))| {
            view! {
                <li>
                    <svg class="swatch" viewBox="0 0 32 8" aria-hidden="true">
                        <line x1="0" x2="32" y1="4" y2="4" stroke=colour stroke-width="3" stroke-dasharray=dash />
                    </svg>
                    {line.label.clone()}
                </li>
            }
        })
        .collect_view();
    let description = lines.iter().map(describe).collect::<Vec<_>>().join(". ");
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=labelled_by
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {grid}
                {day_labels}
                {paths}
            </svg>
            <figcaption>
                <strong>{title}</strong>
                <ul class="legend">{legend}</ul>
                <span class="muted">"Short ticks on the axis: days too small to show."</span>
            </figcaption>
        </figure>
    }
}
