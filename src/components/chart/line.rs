//! A line chart of a period's parts, one line per value. A part that may not be shown is a
//! gap in its line, drawn inside a band marking the counts that are never shown.

use super::SERIES;
use crate::components::period_picker::part_name;
use crate::i18n::{count, fill, intl, isolated_list, language};
use leptos::prelude::*;
use peerpulse_core::period::Granularity;
use peerpulse_core::trend_view::{PartPoint, axis_ticks};

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// One line: a label and its parts, oldest first (every line has the same parts).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// What a person reads in the legend.
    pub label: String,
    /// The parts.
    pub points: Vec<PartPoint>,
}

/// The parts a chart is drawn over: days, or weeks (of a quarter).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parts {
    Days,
    Weeks,
}

impl Parts {
    /// The key of a text that names the parts: `base` then `.day` or `.week`.
    fn key(self, base: &str) -> String {
        match self {
            Self::Days => format!("{base}.day"),
            Self::Weeks => format!("{base}.week"),
        }
    }
}

/// A published count written the language's way.
fn number(n: u32) -> String {
    intl::number(language(), f64::from(n))
}

/// How the text alternative describes a line.
fn describe(line: &Line, parts: Parts, threshold: u32) -> String {
    let shown: Vec<&PartPoint> = line.points.iter().filter(|p| p.count.is_some()).collect();
    let fewer = line.points.len() - shown.len();
    let last = match line.points.last().and_then(|p| p.count) {
        Some(n) => number(n),
        None => fill("org.chart.fewer_than", &[("threshold", &threshold)]),
    };
    let mut text = fill(
        &parts.key("org.chart.on_the_last"),
        &[("label", &line.label), ("last", &last)],
    );
    if let Some(peak) = shown.iter().max_by_key(|p| (p.count, p.period)) {
        text.push_str(&fill(
            "org.chart.highest",
            &[
                ("count", &number(peak.count.unwrap_or_default())),
                ("part", &part_name(peak.period)),
            ],
        ));
    }
    if fewer > 0 {
        text.push_str(&count(
            &parts.key("org.chart.fewer_parts"),
            fewer as u64,
            &[("threshold", &threshold)],
        ));
    }
    text
}

/// Published counts as lines over a shared axis of parts (days or weeks).
#[component]
pub fn LineChart(
    /// Id prefix for the title and description.
    id: &'static str,
    /// What the chart shows.
    title: String,
    /// The lines, at most five.
    lines: Vec<Line>,
    /// No count below this is shown.
    threshold: u32,
) -> impl IntoView {
    let parts_are = match lines
        .first()
        .and_then(|l| l.points.first())
        .map(|p| p.period.granularity())
    {
        Some(Granularity::Week) => Parts::Weeks,
        _ => Parts::Days,
    };
    // A line with no part to draw is named under the chart instead of an empty legend entry.
    let (lines, undrawn): (Vec<Line>, Vec<Line>) = lines
        .into_iter()
        .partition(|l| l.points.iter().any(|p| p.count.is_some()));
    let undrawn =
        (!undrawn.is_empty()).then(|| isolated_list(undrawn.into_iter().map(|l| l.label)));
    let parts = lines.first().map_or(0, |l| l.points.len());
    let Some(max) = lines
        .iter()
        .flat_map(|l| l.points.iter().filter_map(|p| p.count))
        .max()
    else {
        // Nothing may be shown: no axis running over nothing, just what it means.
        return view! {
            <figure class="chart">
                <figcaption><strong>{title}</strong></figcaption>
                <p class="muted">{fill(&parts_are.key("org.chart.no_line"), &[("threshold", &threshold)])}</p>
            </figure>
        }
        .into_any();
    };
    let ticks = axis_ticks(max.max(threshold));
    let top_tick = f64::from(*ticks.last().unwrap_or(&1)).max(1.0);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |i: usize| LEFT + plot_w * i as f64 / (parts.max(2) - 1) as f64;
    let y = move |n: u32| TOP + plot_h * (1.0 - f64::from(n) / top_tick);
    let grid = ticks
        .iter()
        .map(|&t| {
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y(t) y2=y(t) />
                <text class="tick" x=LEFT - 6.0 y=y(t) + 4.0 text-anchor="end">{number(t)}</text>
            }
        })
        .collect_view();
    // The counts that are never shown: a band, named inside when it is tall enough.
    let band_top = y(threshold);
    let band_label = (y(0) - band_top >= 14.0).then(|| {
        view! {
            <text class="few-label" x=LEFT + 6.0 y=y(0) - 4.0>
                {fill("org.chart.below", &[("threshold", &threshold)])}
            </text>
        }
    });
    let band = view! {
        <rect class="few-band" x=LEFT y=band_top width=plot_w height=y(0) - band_top />
        {band_label}
    };
    let part_ticks = lines.first().map(|l| {
        let last = l.points.len().saturating_sub(1);
        let mut shown = vec![0, last / 2, last];
        shown.dedup();
        shown
            .into_iter()
            .filter_map(|i| l.points.get(i).map(|p| (i, p.period)))
            .map(|(i, period)| {
                let anchor = if last == 0 {
                    "middle"
                } else if i == 0 {
                    "start"
                } else if i == last {
                    "end"
                } else {
                    "middle"
                };
                view! {
                    <text class="tick" x=x(i) y=HEIGHT - 8.0 text-anchor=anchor>
                        {intl::day(language(), period.first_day(), &[("day", "numeric"), ("month", "short")])}
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
            let mut dots = Vec::new();
            for (i, point) in line.points.iter().enumerate() {
                match point.count {
                    Some(n) => {
                        d.push_str(&format!(
                            "{}{:.1} {:.1} ",
                            if pen_down { "L" } else { "M" },
                            x(i),
                            y(n)
                        ));
                        pen_down = true;
                        dots.push((x(i), y(n)));
                    }
                    None => pen_down = false,
                }
            }
            // A dot on each shown part, so a part between two gaps is seen too.
            let dots = dots
                .into_iter()
                .map(|(cx, cy)| view! { <circle cx=cx cy=cy r="3" fill=colour /> })
                .collect_view();
            view! {
                <path d=d fill="none" stroke=colour stroke-width="2.5" stroke-dasharray=dash />
                {dots}
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
    let description = lines
        .iter()
        .map(|l| describe(l, parts_are, threshold))
        .collect::<Vec<_>>()
        .join(". ");
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                direction="ltr"
                aria-labelledby=labelled_by
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {band}
                {grid}
                {part_ticks}
                {paths}
            </svg>
            <figcaption>
                <strong>{title}</strong>
                <ul class="legend">{legend}</ul>
                <span class="muted">{fill(&parts_are.key("org.chart.gap"), &[("threshold", &threshold)])}</span>
                {undrawn.map(|names| view! {
                    " "
                    <span class="muted">{fill(&parts_are.key("org.chart.no_line_for"), &[("names", &names), ("threshold", &threshold)])}</span>
                })}
            </figcaption>
        </figure>
    }
    .into_any()
}
