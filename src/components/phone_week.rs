//! One phone's capture as the service publishes it: the weeks it logged in, and why it is
//! flagged against its own rhythm. The organization's "Captured per phone" and the worker's
//! "Your phone's week" show the same figures, told to a manager or to the worker.

use chrono::{DateTime, Local};
use leptos::prelude::*;
use peerpulse_core::oversight::{DeviceActivity, Quiet, WeekActivity};
use peerpulse_core::period::Period;

/// Who reads the figures: a manager about a phone, or the worker about their own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// A manager, about one of the organization's phones.
    Manager,
    /// The worker, about the phone in their hand.
    Worker,
}

/// A moment the service sent (RFC 3339) as a reader says it: "Sun 29 Nov, 21:34" in this
/// browser's time, or `never` when there is none.
pub fn moment(at: Option<&str>) -> String {
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
pub fn days(n: impl Into<u32>) -> String {
    match n.into() {
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// Why a phone is flagged, against its own rhythm, or when it last synced, in plain words.
pub fn status(device: &DeviceActivity, reader: Reader) -> String {
    let synced = moment(device.last_sync_at.as_deref());
    let (it, logs) = match reader {
        Reader::Manager => ("it", "logs"),
        Reader::Worker => ("you", "log"),
    };
    let rhythm = device
        .usual_gap_days
        .map(|g| match g {
            0 | 1 => format!(" ({it} usually {logs} every day)"),
            g => format!(" ({it} usually {logs} every {})", days(g)),
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

/// A week's column heading: "23 Nov" that never wraps, read as "Week of Monday 23 November".
pub fn week_heading(week: Period) -> impl IntoView {
    let monday = week.first_day();
    view! {
        <th scope="col" abbr=format!("Week of {}", monday.format("%A %-d %B"))>
            <span class="week-date">{monday.format("%-d %b").to_string()}</span>
        </th>
    }
}

/// One phone's week: its published count (or "fewer than"), and the days it logged on,
/// shaded by those days so gaps stand out; a week whose per-phone counts the organization
/// folded into its totals says so, never "none".
pub fn week_cell(week: WeekActivity, threshold: u32) -> AnyView {
    if week.folded {
        return view! {
            <td class="heat folded">
                <span class="week-count">"not kept per phone"</span>
            </td>
        }
        .into_any();
    }
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
    .into_any()
}
