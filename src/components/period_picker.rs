//! Calendar periods to choose from, named from today ("This week", "Last month"), and how a
//! period and its parts read. Counts are published for calendar periods only, never for a
//! free run of days (see `peerpulse_core::period`), so these are the only choices offered.

use crate::clock;
use crate::components::chip_picker::SingleChoice;
use crate::i18n::{fill, intl, language, text};
use chrono::NaiveDate;
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

    /// Its stable name, which its texts' keys end in.
    fn name(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::ThisWeek => "this_week",
            Self::LastWeek => "last_week",
            Self::ThisMonth => "this_month",
            Self::LastMonth => "last_month",
            Self::ThisQuarter => "this_quarter",
            Self::LastQuarter => "last_quarter",
        }
    }

    /// What the chip says.
    pub fn label(self) -> String {
        text(&format!("period.{}", self.name()))
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

/// How `period` is called from `today` in a sentence ("today", "this week", "last month"),
/// if it is one of the periods people choose from.
pub fn named_from(period: Period, today: NaiveDate) -> Option<String> {
    Recent::FOR_PEOPLE
        .into_iter()
        .find(|r| r.period(today) == period)
        .map(|r| text(&format!("period.in_sentence.{}", r.name())))
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
        .map(|r| (r.period(today), r.label()))
        .collect()
}

const LONG_DAY: [(&str, &str); 3] = [("day", "numeric"), ("month", "long"), ("year", "numeric")];
const MONTH_YEAR: [(&str, &str); 2] = [("month", "long"), ("year", "numeric")];

/// How `period` reads in a sentence: "Sunday 29 November 2026", "the week of 23 to 29
/// November 2026", "November 2026", "October to December 2026" (in the language shown).
pub fn describe(period: Period) -> String {
    let (first, last) = (period.first_day(), period.last_day());
    let shown = language();
    match period.granularity() {
        Granularity::Day => intl::day(shown, first, &[("dateStyle", "full")]),
        Granularity::Week => fill(
            "period.week_of",
            &[("days", &intl::day_range(shown, first, last, &LONG_DAY))],
        ),
        Granularity::Month => intl::day(shown, first, &MONTH_YEAR),
        Granularity::Quarter => intl::day_range(shown, first, last, &MONTH_YEAR),
    }
}

/// `period` after a verb: "on Sunday 29 November 2026", "in November 2026", "from October to
/// December 2026".
pub fn during(period: Period) -> String {
    let key = match period.granularity() {
        Granularity::Day => "period.during_day",
        Granularity::Week => "period.during_week",
        Granularity::Month => "period.during_month",
        Granularity::Quarter => "period.during_quarter",
    };
    fill(key, &[("period", &describe(period))])
}

/// A part's short name for an axis tick or a column heading: "29" or "Sun 29" for a day (the
/// weekday when `with_weekday`), "5 Oct" for a week (its Monday).
pub fn part_label(part: Period, with_weekday: bool) -> String {
    let first = part.first_day();
    let style: &[(&str, &str)] = match part.granularity() {
        Granularity::Day if with_weekday => &[("weekday", "short"), ("day", "numeric")],
        Granularity::Day => &[("day", "numeric")],
        _ => &[("day", "numeric"), ("month", "short")],
    };
    intl::day(language(), first, style)
}

/// A part's full name, for a text alternative: "Sunday 29 November", "the week of 5 October".
pub fn part_name(part: Period) -> String {
    let first = part.first_day();
    let long = intl::day(
        language(),
        first,
        &[("weekday", "long"), ("day", "numeric"), ("month", "long")],
    );
    match part.granularity() {
        Granularity::Day => long,
        _ => fill(
            "period.week_starting",
            &[(
                "day",
                &intl::day(language(), first, &[("day", "numeric"), ("month", "long")]),
            )],
        ),
    }
}

/// A period of `granularity` as a person counts it: "day", "week", "month", "quarter".
pub fn noun(granularity: Granularity) -> String {
    text(match granularity {
        Granularity::Day => "period.noun.day",
        Granularity::Week => "period.noun.week",
        Granularity::Month => "period.noun.month",
        Granularity::Quarter => "period.noun.quarter",
    })
}

/// A part's name in a file name, the same in every language ("per-day"), so a file's name
/// does not change with the language it was saved in.
pub fn file_noun(granularity: Granularity) -> &'static str {
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
    /// The key of the question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the radio buttons.
    name: &'static str,
    /// The choices offered.
    recent: &'static [Recent],
    /// The period chosen.
    selected: RwSignal<Option<Period>>,
) -> impl IntoView {
    // Drawn again in a language switch; the choice is kept in `selected`.
    move || view! { <SingleChoice legend name options=choices(recent, clock::today()) selected /> }
}
