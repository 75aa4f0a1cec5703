//! Calendar periods to choose from, named from today ("This week", "Last month"), and how a
//! period and its parts read. Counts are published for calendar periods only, never for a
//! free run of days (see `peerpulse_core::period`), so these are the only choices offered.

use crate::clock;
use crate::components::chip_picker::SingleChoice;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use peerpulse_core::period::{Granularity, Period};

/// A period named from today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recent {
    /// The day holding today.
    Today,
    /// The ISO week (Monday to Sunday) holding today.
    ThisWeek,
    /// The week before.
    LastWeek,
    /// The calendar month holding today.
    ThisMonth,
    /// The month before.
    LastMonth,
    /// The calendar quarter holding today.
    ThisQuarter,
    /// The quarter before.
    LastQuarter,
}

impl Recent {
    /// What a signed-in person chooses from.
    pub const FOR_PEOPLE: [Self; 7] = [
        Self::Today,
        Self::ThisWeek,
        Self::LastWeek,
        Self::ThisMonth,
        Self::LastMonth,
        Self::ThisQuarter,
        Self::LastQuarter,
    ];

    /// What a phone chooses from: the service gives a phone weeks and months, never one day.
    pub const FOR_PHONES: [Self; 4] = [
        Self::ThisWeek,
        Self::LastWeek,
        Self::ThisMonth,
        Self::LastMonth,
    ];

    /// What the chip says.
    pub fn label(self) -> &'static str {
        match self {
            Self::Today => "Today",
            Self::ThisWeek => "This week",
            Self::LastWeek => "Last week",
            Self::ThisMonth => "This month",
            Self::LastMonth => "Last month",
            Self::ThisQuarter => "This quarter",
            Self::LastQuarter => "Last quarter",
        }
    }

    /// The period it names on `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        let holding = |granularity| Period::containing(granularity, today);
        match self {
            Self::Today => holding(Granularity::Day),
            Self::ThisWeek => holding(Granularity::Week),
            Self::LastWeek => holding(Granularity::Week).previous(),
            Self::ThisMonth => holding(Granularity::Month),
            Self::LastMonth => holding(Granularity::Month).previous(),
            Self::ThisQuarter => holding(Granularity::Quarter),
            Self::LastQuarter => holding(Granularity::Quarter).previous(),
        }
    }
}

/// How `period` is called from `today` ("today", "this week", "last month"), if it is one of
/// the periods people choose from.
pub fn named_from(period: Period, today: NaiveDate) -> Option<String> {
    Recent::FOR_PEOPLE
        .into_iter()
        .find(|r| r.period(today) == period)
        .map(|r| r.label().to_lowercase())
}

/// `period` after a verb, by its name from `today` when it has one ("this week"), else by
/// its dates ("in November 2026").
pub fn when(period: Period, today: NaiveDate) -> String {
    named_from(period, today).unwrap_or_else(|| during(period))
}

/// Each of `recent` as of `today`, with its label.
pub fn choices(recent: &[Recent], today: NaiveDate) -> Vec<(Period, String)> {
    recent
        .iter()
        .map(|r| (r.period(today), r.label().to_owned()))
        .collect()
}

/// How `period` reads in a sentence: "Sunday 29 November 2026", "the week of 23 to 29
/// November 2026", "November 2026", "October to December 2026".
pub fn describe(period: Period) -> String {
    let (first, last) = (period.first_day(), period.last_day());
    match period.granularity() {
        Granularity::Day => first.format("%A %-d %B %Y").to_string(),
        Granularity::Week => {
            let start = if first.year() != last.year() {
                first.format("%-d %B %Y")
            } else if first.month() != last.month() {
                first.format("%-d %B")
            } else {
                first.format("%-d")
            };
            format!("the week of {start} to {}", last.format("%-d %B %Y"))
        }
        Granularity::Month => first.format("%B %Y").to_string(),
        Granularity::Quarter => format!("{} to {}", first.format("%B"), last.format("%B %Y")),
    }
}

/// `period` after a verb: "on Sunday 29 November 2026", "in November 2026", "from October to
/// December 2026".
pub fn during(period: Period) -> String {
    let preposition = match period.granularity() {
        Granularity::Day => "on",
        Granularity::Week | Granularity::Month => "in",
        Granularity::Quarter => "from",
    };
    format!("{preposition} {}", describe(period))
}

/// A part's short name for an axis tick or a column heading: "29" or "Sun 29" for a day (the
/// weekday when `with_weekday`), "5 Oct" for a week (its Monday).
pub fn part_label(part: Period, with_weekday: bool) -> String {
    let first = part.first_day();
    match part.granularity() {
        Granularity::Day if with_weekday => first.format("%a %-d").to_string(),
        Granularity::Day => first.format("%-d").to_string(),
        _ => first.format("%-d %b").to_string(),
    }
}

/// A part's full name, for a text alternative: "Sunday 29 November", "the week of 5 October".
pub fn part_name(part: Period) -> String {
    let first = part.first_day();
    match part.granularity() {
        Granularity::Day => first.format("%A %-d %B").to_string(),
        _ => format!("the week of {}", first.format("%-d %B")),
    }
}

/// A period of `granularity` as a person counts it: "day", "week", "month", "quarter".
pub fn noun(granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
        Granularity::Quarter => "quarter",
    }
}

/// Radio chips of the periods in `recent`, as of today.
#[component]
pub fn PeriodPicker(
    /// The question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the radio buttons.
    name: &'static str,
    /// The choices offered.
    recent: &'static [Recent],
    /// The period chosen.
    selected: RwSignal<Option<Period>>,
) -> impl IntoView {
    view! { <SingleChoice legend name options=choices(recent, clock::today()) selected /> }
}
