//! Capture oversight: encounters each phone logged per week, and on how many days.

use crate::components::disclosure::DisclosureNote;
use crate::org_client;
use chrono::{DateTime, Local};
use leptos::prelude::*;
use peerpulse_core::oversight::{DeviceActivity, Quiet, WeekActivity};

/// When a phone last synced, as a manager reads it: "Sun 29 Nov, 21:34" in this browser's
/// time.
fn synced_at(at: Option<&str>) -> String {
    match at.map(DateTime::parse_from_rfc3339) {
        None => "never".to_owned(),
        Some(Ok(at)) => at
            .with_timezone(&Local)
            .format("%a %-d %b, %H:%M")
            .to_string(),
        Some(Err(_)) => at.unwrap_or_default().to_owned(),
    }
}

/// "1 day", "3 days".
fn days(n: impl Into<u32>) -> String {
    match n.into() {
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// What a manager reads beside a phone: why it is flagged, against its own rhythm, or when it
/// last synced.
fn status(device: &DeviceActivity) -> String {
    let synced = synced_at(device.last_sync_at.as_deref());
    let rhythm = device
        .usual_gap_days
        .map(|g| match g {
            0 | 1 => " (it usually logs every day)".to_owned(),
            g => format!(" (it usually logs every {})", days(g)),
        })
        .unwrap_or_default();
    match device.quiet {
        _ if device.revoked => "Revoked: its counts stay".to_owned(),
        Some(Quiet::NeverSynced) => "Never synced since it enrolled".to_owned(),
        Some(Quiet::NotSynced { days: n }) => {
            format!("Not synced for {}: last sync {synced}", days(n))
        }
        Some(Quiet::NothingLogged { days: Some(n) }) => {
            format!("Nothing logged for {}{rhythm}", days(n))
        }
        Some(Quiet::NothingLogged { days: None }) => "Nothing logged in these 8 weeks".to_owned(),
        None => format!("Last sync {synced}"),
    }
}

/// One phone's week: its published count (or "fewer than"), and the days it logged on,
/// shaded by those days so gaps stand out.
fn week_cell(week: WeekActivity, threshold: u32) -> impl IntoView {
    let level = match week.days_active {
        0 => 0,
        1..=2 => 1,
        3..=4 => 2,
        5..=6 => 3,
        _ => 4,
    };
    let (count, active) = match (week.days_active, week.encounters) {
        (0, _) => ("none".to_owned(), None),
        (d, Some(n)) => (n.to_string(), Some(days(d))),
        (d, None) => (format!("fewer than {threshold}"), Some(days(d))),
    };
    view! {
        <td class=format!("heat heat-{level}")>
            <span class="week-count">{count}</span>
            {active.map(|d| view! { <span class="week-days">{d}</span> })}
        </td>
    }
}

/// Encounters each phone captured per week for eight weeks: a table whose cells shade with
/// the days something was logged, with quiet phones first.
#[component]
pub fn Capture() -> impl IntoView {
    let grid = LocalResource::new(org_client::oversight);
    view! {
        <section aria-labelledby="capture-heading">
            <h2 id="capture-heading">"Captured per phone"</h2>
            <Transition fallback=|| view! { <p>"Loading captures…"</p> }>
                {move || grid.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(grid) if grid.devices.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
                    Ok(grid) => {
                        let threshold = grid.threshold;
                        let header = grid.weeks.iter().map(|w| {
                            let monday = w.first_day();
                            view! {
                                <th scope="col" abbr=format!("Week of {}", monday.format("%A %-d %B"))>
                                    {monday.format("%-d %b").to_string()}
                                </th>
                            }
                        }).collect_view();
                        let rows = grid.devices.into_iter().map(|device| {
                            let cells = device.weeks.iter().map(|&w| week_cell(w, threshold)).collect_view();
                            let status = status(&device);
                            let name = device.label.as_ref().map_or_else(|| device.device_id.clone(), ToString::to_string);
                            let id = device.label.is_some().then(|| device.device_id.clone());
                            view! {
                                <tr class:quiet=device.quiet.is_some()>
                                    <th scope="row">{name}{id.map(|id| view! { " " <span class="muted">{id}</span> })}<br /><span class="muted">{status}</span></th>
                                    {cells}
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <p class="muted">"Encounters each phone logged in each of the last 8 weeks (columns start on the Monday shown), and on how many days. Totals only, nothing about any contact."</p>
                            <DisclosureNote threshold parts=None />
                            <div class="scroll" role="region" aria-label="Encounters per phone and week" tabindex="0">
                                <table class="capture">
                                    <caption class="visually-hidden">"Encounters per phone and week"</caption>
                                    <thead><tr><th scope="col">"Phone"</th>{header}</tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
