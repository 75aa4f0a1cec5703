//! Views of the organization's published trends that both apps show: the intro saying what
//! the counts are, what rose, and the tables.

use crate::clock;
use crate::components::disclosure::{DisclosureNote, not_listed};
use crate::components::period_picker::{describe, when};
use chrono::NaiveDate;
use leptos::prelude::*;
use peerpulse_core::aberration::Alert;
use peerpulse_core::bucket::Dimension;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::privacy::free_tag::label as tag_label;
use peerpulse_core::protocol::{AlertsResponse, TrendsResponse};
use peerpulse_core::trend_view::ranked;

/// What the counts below are (whose, which period, where) and how they are protected;
/// `with_parts` when days or weeks are shown beside the totals.
pub fn intro(trends: &TrendsResponse, codebook: &Codebook, with_parts: bool) -> impl IntoView {
    let place = trends.site.as_ref().map_or_else(
        || "all sites".to_owned(),
        |site| codebook.label(CodeList::Site, site).to_owned(),
    );
    let parts = trends
        .parts
        .first()
        .filter(|_| with_parts)
        .map(|p| p.period.granularity());
    view! {
        <p class="trends-intro">
            {format!("{}, {}, {place}.", trends.org_name, describe(trends.period))}
        </p>
        <DisclosureNote threshold=trends.threshold parts />
    }
}

/// Each measure's newest rise and the number of days it rose on, newest rise first: a long
/// period lists what rose once, not every day it did. A day whose own count is not above its
/// usual level is left out: EARS C3 also signals on the days just after a rise, and "5 today,
/// usually about 12 a day" reads as the opposite of a rise (the CSV keeps every alert).
pub fn newest_rises(alerts: &[Alert]) -> Vec<(&Alert, usize)> {
    let mut newest_first: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.count > a.usual_per_day)
        .collect();
    newest_first.sort_by_key(|a| std::cmp::Reverse(a.day));
    let mut rises: Vec<(&Alert, usize)> = Vec::new();
    for alert in newest_first {
        match rises.iter_mut().find(|(a, _)| a.measure == alert.measure) {
            Some((_, days)) => *days += 1,
            None => rises.push((alert, 1)),
        }
    }
    rises
}

/// What follows a rise's label: ": 14 today, usually about 3 a day", and when it rose on more
/// than one day of the period (`period` as in "this month"), on how many.
pub fn rise_text(alert: &Alert, days: usize, today: NaiveDate, period: &str) -> String {
    let on = if alert.day == today {
        "today".to_owned()
    } else {
        format!("on {}", alert.day.format("%a %-d %b"))
    };
    let mut text = format!(
        ": {} {on}, usually about {} a day",
        alert.count, alert.usual_per_day
    );
    if days > 1 {
        text.push_str(&format!(" (rose on {days} days {period})"));
    }
    text
}

/// What rose on the days of a period (CDC EARS on daily counts) and the free tags first used
/// in it, as published; with `draft`, each rise offers to draft an alert about it.
#[component]
pub fn Rising(
    alerts: AlertsResponse,
    codebook: Codebook,
    #[prop(optional_no_strip)] draft: Option<Callback<Alert>>,
) -> impl IntoView {
    let today = clock::today();
    let period = when(alerts.period, today);
    let rising: Vec<_> = newest_rises(&alerts.alerts)
        .into_iter()
        .map(|(alert, days)| {
            let label = alert.measure.label(&codebook);
            let offer = draft.map(|draft| {
                let alert = alert.clone();
                view! {
                    <button type="button" class="secondary draft-from-rise"
                        aria-label=format!("Draft an alert about {label}")
                        on:click=move |_| draft.run(alert.clone())>
                        "Draft an alert"
                    </button>
                }
            });
            view! {
                <li>
                    <strong>{label.clone()}</strong>
                    {rise_text(alert, days, today, &period)}
                    {offer}
                </li>
            }
        })
        .collect();
    let new_tags = alerts
        .new_free_tags
        .iter()
        .map(|t| {
            view! {
                <li>
                    <strong>{tag_label(&t.tag)}</strong>
                    {format!(": {} {period}, first noted {}", t.count, t.first_seen.format("%a %-d %b"))}
                </li>
            }
        })
        .collect_view();
    let (none_rising, no_tags) = (rising.is_empty(), alerts.new_free_tags.is_empty());
    let heading = if period == "today" {
        "Rising today".to_owned()
    } else {
        format!("What rose {period}")
    };
    view! {
        <section class="rising" aria-labelledby="rising-heading">
            <h2 id="rising-heading">{heading}</h2>
            {if none_rising {
                view! { <p class="muted">{format!("Nothing rose above its usual level {period}.")}</p> }.into_any()
            } else {
                view! {
                    <ul>{rising}</ul>
                    <HowRisesAreDecided />
                }
                    .into_any()
            }}
            <h2>{format!("New needs {period}")}</h2>
            {if no_tags {
                view! { <p class="muted">"No new need that several workers typed."</p> }.into_any()
            } else {
                view! { <ul>{new_tags}</ul> }.into_any()
            }}
        </section>
    }
}

/// How a rise is decided, in words a funder reads, behind a disclosure: the method's name
/// comes last, for those who want to look it up.
#[component]
pub fn HowRisesAreDecided() -> impl IntoView {
    view! {
        <details class="method">
            <summary>"How is this decided?"</summary>
            <p>"Each day's published count is set against the week before it. A day is a rise when it is far above that week's usual level, given how much that week went up and down: a day's count more than three times the usual ups and downs above the average is flagged, and so is a rise that builds over three days."</p>
            <p>"One of the comparisons leaves out the two days just before, so a rise that began yesterday does not hide in its own baseline. Counts are of all sites together, and a rise must be noted on at least two phones: one worker's entries never raise it alone."</p>
            <p class="muted">"The method is the Early Aberration Reporting System (EARS C1, C2 and C3) of the US Centers for Disease Control and Prevention, used by health departments to spot outbreaks early."</p>
        </details>
    }
}

/// A table of each dimension's published totals, largest first, with what each leaves out.
#[component]
pub fn TrendTables(trends: TrendsResponse, codebook: Codebook) -> impl IntoView {
    let mut nothing_shown = Vec::new();
    let tables = Dimension::ALL
        .into_iter()
        .filter_map(|dimension| {
            let totals = ranked(&trends, dimension);
            if totals.is_empty() {
                nothing_shown.push(dimension.label());
                return None;
            }
            let body = totals
                .into_iter()
                .map(|c| {
                    view! {
                        <tr>
                            <th scope="row">{c.measure.label(&codebook)}</th>
                            <td class="count">{c.count}</td>
                        </tr>
                    }
                })
                .collect_view();
            let left_out = not_listed(&trends, dimension, &codebook)
                .map(|line| view! { <p class="muted not-listed">{line}</p> });
            Some(view! {
                <table data-dimension=dimension.as_str()>
                    <caption>{dimension.label()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"What"</th>
                            <th scope="col" class="count">"Count"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
                {left_out}
            })
        })
        .collect_view();
    let threshold = trends.threshold;
    let rest = (!nothing_shown.is_empty()).then(|| {
        let what = if trends.totals.is_empty() {
            format!("Nothing to show yet: each count is below {threshold}, or none was synced.")
        } else {
            format!(
                "Nothing to show, each below {threshold} or none: {}.",
                nothing_shown.join("; ")
            )
        };
        view! { <p class="muted not-listed">{what}</p> }
    });
    view! {
        {tables}
        {rest}
    }
}
