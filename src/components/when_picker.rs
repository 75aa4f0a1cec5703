//! When the encounter happened: a date (today by default, back to the org's edit window) and a
//! coarse part of the day.

use crate::components::chip_picker::{Picked, SingleChoice};
use crate::i18n::{intl, labels, language, t, text};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use peerpulse_core::encounter::{EditWindow, TimeBand};
use peerpulse_core::iso_date;

/// "Today", "Yesterday" or "Mon 23 Nov": the day as the form's folded "When" line says it.
pub fn long_day(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        text("when.today")
    } else if day.succ_opt() == Some(today) {
        text("when.yesterday")
    } else {
        intl::day(
            language(),
            day,
            &[("weekday", "short"), ("day", "numeric"), ("month", "short")],
        )
    }
}

/// Date and part of the day, with one-tap "Today" and "Yesterday".
#[component]
pub fn WhenPicker(
    /// The date (set only to a whole date the field holds).
    #[prop(into)]
    day: Picked<NaiveDate>,
    /// The part of the day.
    #[prop(into)]
    time_band: Picked<Option<TimeBand>>,
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
                aria-pressed=move || (day.get() == date).to_string()
                on:click=move |_| day.set(date)
            >
                {t(label)}
            </button>
        }
    };
    view! {
        <fieldset class="when">
            <legend>{t("when.legend")}</legend>
            <div class="row">
                <label for="encounter-day" class="visually-hidden">{t("when.date")}</label>
                <input
                    id="encounter-day"
                    name="day"
                    type="date"
                    min=iso_date::write(window.earliest(today))
                    max=iso_date::write(today)
                    prop:value=move || iso_date::write(day.get())
                    on:input=move |ev| {
                        // A date input holds a whole day or nothing: a partly typed day is
                        // not taken.
                        if let Ok(date) = iso_date::read(event_target_value(&ev).trim()) {
                            day.set(date);
                        }
                    }
                />
                {shortcut("when.today", today)}
                {(window.days() > 0).then(|| shortcut("when.yesterday", yesterday))}
            </div>
            {move || view! {
                <SingleChoice
                    legend="when.part_of_day"
                    name="time-band"
                    options=[TimeBand::Morning, TimeBand::Afternoon, TimeBand::Evening, TimeBand::Night]
                        .into_iter()
                        .map(|b| (b, labels::time_band(b)))
                        .collect()
                    selected=time_band
                />
            }}
        </fieldset>
    }
}
