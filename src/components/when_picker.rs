//! When the encounter happened: a date (today by default, back to the org's edit window) and a
//! coarse part of the day.

use crate::components::chip_picker::SingleChoice;
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use peerpulse_core::encounter::{EditWindow, TimeBand};

/// The date as a date input holds it.
pub fn date_value(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The date a date input holds, if it holds a whole one.
pub fn parse_date_value(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// Date and part of the day, with one-tap "Today" and "Yesterday".
#[component]
pub fn WhenPicker(
    /// The date as typed (`YYYY-MM-DD`; empty while the worker clears it).
    day: RwSignal<String>,
    /// The part of the day.
    time_band: RwSignal<Option<TimeBand>>,
    /// Today on this phone.
    today: NaiveDate,
    /// How far back the organization allows.
    window: EditWindow,
) -> impl IntoView {
    let yesterday = today - Days::new(1);
    let shortcut = move |label: &'static str, date: NaiveDate| {
        view! {
            <button
                type="button"
                class="secondary"
                aria-pressed=move || (parse_date_value(&day.get()) == Some(date)).to_string()
                on:click=move |_| day.set(date_value(date))
            >
                {label}
            </button>
        }
    };
    view! {
        <fieldset class="when">
            <legend>"When"</legend>
            <div class="row">
                <label for="encounter-day" class="visually-hidden">"Date"</label>
                <input
                    id="encounter-day"
                    name="day"
                    type="date"
                    min=date_value(window.earliest(today))
                    max=date_value(today)
                    prop:value=move || day.get()
                    on:input=move |ev| day.set(event_target_value(&ev))
                />
                {shortcut("Today", today)}
                {(window.days() > 0).then(|| shortcut("Yesterday", yesterday))}
            </div>
            <SingleChoice
                legend="Part of the day"
                name="time-band"
                options=[TimeBand::Morning, TimeBand::Afternoon, TimeBand::Evening, TimeBand::Night]
                    .into_iter()
                    .map(|b| (b, b.label().to_owned()))
                    .collect()
                selected=time_band
            />
        </fieldset>
    }
}
