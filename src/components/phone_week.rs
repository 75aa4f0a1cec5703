//! One phone's capture as the service publishes it: the weeks it logged in, and why it is
//! flagged against its own rhythm. The organization's "Captured per phone" and the worker's
//! "Your phone's week" show the same figures, told to a manager or to the worker.

use crate::i18n::{count, fill, intl, language, text};
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
/// browser's time and language, or "never" when there is none.
pub fn moment(at: Option<&str>) -> String {
    match at {
        None => text("week.never"),
        Some(at) => {
            let shown = intl::moment(language(), at);
            if shown.is_empty() {
                at.to_owned()
            } else {
                shown
            }
        }
    }
}

/// Why a phone is flagged, against its own rhythm, or when it last synced, in plain words.
pub fn status(device: &DeviceActivity, reader: Reader) -> String {
    let synced = moment(device.last_sync_at.as_deref());
    let who = match reader {
        Reader::Manager => "week.manager",
        Reader::Worker => "week.worker",
    };
    let key = |what: &str| format!("{who}.{what}");
    let rhythm = device
        .usual_gap_days
        .map(|g| count(&key("usually_every"), u64::from(g.max(1)), &[]))
        .unwrap_or_default();
    match device.quiet {
        _ if device.revoked => text("week.revoked"),
        Some(Quiet::NeverSynced) => text("week.never_synced"),
        Some(Quiet::NotSynced { days: n }) => {
            count("week.not_synced", u64::from(n), &[("synced", &synced)])
        }
        Some(Quiet::NothingLogged { days: Some(n) }) => {
            count("week.nothing_logged", u64::from(n), &[("rhythm", &rhythm)])
        }
        Some(Quiet::NothingLogged { days: None }) => text("week.nothing_in_8_weeks"),
        None => fill("week.last_sync", &[("synced", &synced)]),
    }
}

/// A week's column heading: "23 Nov" that never wraps, read as "Week of Monday 23 November".
pub fn week_heading(week: Period) -> impl IntoView {
    let monday = week.first_day();
    view! {
        <th
            scope="col"
            abbr=move || fill(
                "week.of",
                &[("day", &intl::day(language(), monday, &[("weekday", "long"), ("day", "numeric"), ("month", "long")]))],
            )
        >
            <span class="week-date">
                {move || intl::day(language(), monday, &[("day", "numeric"), ("month", "short")])}
            </span>
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
    let figure = move || match (week.days_active, week.encounters) {
        (0, _) => text("week.none"),
        (_, Some(n)) => intl::number(language(), f64::from(n)),
        (_, None) => count("week.fewer_than", u64::from(threshold), &[]),
    };
    let active = week.days_active;
    view! {
        <td class=format!("heat heat-{level}")>
            <span class="week-count">{figure}</span>
            {(active > 0).then(|| view! {
                <span class="week-days">{move || count("week.days", u64::from(active), &[])}</span>
            })}
        </td>
    }
    .into_any()
}
