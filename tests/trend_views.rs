//! What the trend views say around published counts: the calendar periods they offer and
//! how those read, what a table says it leaves out, and how rises over a period are listed
//! (`peerpulse::components::{period_picker, disclosure}`, `peerpulse::components::trends`), in
//! Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use peerpulse::components::disclosure::not_listed;
use peerpulse::components::period_picker::{Recent, choices, describe, during, named_from};
use peerpulse::components::trends::{newest_rises, rise_text};
use peerpulse_core::aberration::{Alert, Method};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{Code, CodeList, Codebook, CodebookEdit};
use peerpulse_core::protocol::{PublishedCount, TrendsResponse};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[wasm_bindgen_test]
fn each_choice_names_the_calendar_period_around_today() {
    let sunday = day(2026, 11, 29);
    let names: Vec<String> = choices(&Recent::FOR_PEOPLE, sunday)
        .into_iter()
        .map(|(period, label)| format!("{label}={period}"))
        .collect();
    assert_eq!(
        names,
        [
            "Today=2026-11-29",
            "This week=2026-W48",
            "Last week=2026-W47",
            "This month=2026-11",
            "Last month=2026-10",
            "This quarter=2026-Q4",
            "Last quarter=2026-Q3",
        ]
    );
    // New Year's Day: last month, last quarter and last week lie in the year before.
    let new_year = day(2027, 1, 1);
    assert_eq!(Recent::LastMonth.period(new_year).to_string(), "2026-12");
    assert_eq!(Recent::LastQuarter.period(new_year).to_string(), "2026-Q4");
    assert_eq!(Recent::ThisWeek.period(new_year).to_string(), "2026-W53");
    // A phone is never offered a single day.
    assert!(!Recent::FOR_PHONES.contains(&Recent::Today));
}

#[wasm_bindgen_test]
fn periods_read_as_dates_a_person_knows() {
    // As the browser's CLDR writes British dates (this suite's browser is en-GB, see
    // webdriver.json): ranges with an en dash, a full date with or without a comma after the
    // weekday by the CLDR version. Read in words, so the test holds across versions.
    let words = |s: String| {
        s.replace(" – ", " to ")
            .replace('–', " to ")
            .replace("day, ", "day ")
    };
    let parse = |s: &str| s.parse().unwrap();
    assert_eq!(
        words(describe(parse("2026-11-29"))),
        "Sunday 29 November 2026"
    );
    assert_eq!(
        words(describe(parse("2026-W48"))),
        "the week of 23 to 29 November 2026"
    );
    assert_eq!(
        words(describe(parse("2026-W40"))),
        "the week of 28 September to 4 October 2026"
    );
    assert_eq!(
        words(describe(parse("2026-W53"))),
        "the week of 28 December 2026 to 3 January 2027"
    );
    assert_eq!(words(describe(parse("2026-11"))), "November 2026");
    assert_eq!(
        words(describe(parse("2026-Q4"))),
        "October to December 2026"
    );
    assert_eq!(
        words(during(parse("2026-11-29"))),
        "on Sunday 29 November 2026"
    );
    assert_eq!(
        words(during(parse("2026-Q4"))),
        "from October to December 2026"
    );
    let sunday = day(2026, 11, 29);
    assert_eq!(
        named_from(parse("2026-W47"), sunday).as_deref(),
        Some("last week")
    );
    assert_eq!(named_from(parse("2026-W40"), sunday), None);
}

fn need(code: &str, count: u32) -> PublishedCount {
    PublishedCount {
        measure: Measure::Need(Code::new(code).unwrap()),
        count,
    }
}

#[wasm_bindgen_test]
fn a_table_names_what_it_leaves_out_only_when_anyone_could_name_it() {
    let trends = TrendsResponse {
        org_name: "Harbour".into(),
        threshold: 5,
        period: "2026-11".parse().unwrap(),
        site: None,
        totals: vec![
            need("housing", 40),
            need("food", 12),
            need("detox", 9),
            need("wound-care", 7),
            need("mental-health", 6),
            need("testing", 6),
            PublishedCount {
                measure: Measure::FreeTag(Code::new("dental-care").unwrap()),
                count: 8,
            },
        ],
        parts: vec![],
    };
    let book = Codebook::harm_reduction_default();
    assert_eq!(
        not_listed(&trends, Dimension::Need, &book).as_deref(),
        Some("Fewer than 5 each, or none: Legal aid and ID documents.")
    );
    // Words workers typed are never named unless published.
    assert_eq!(
        not_listed(&trends, Dimension::FreeTag, &book).as_deref(),
        Some("Other new needs: fewer than 5 each, or none.")
    );
    assert_eq!(
        not_listed(&trends, Dimension::Encounters, &book).as_deref(),
        Some("Encounters: fewer than 5, or none.")
    );
    assert!(
        not_listed(&trends, Dimension::Reach, &book)
            .unwrap()
            .ends_with("Walk-in, Returning, Referred by a peer and Through a contact's network.")
    );
}

#[wasm_bindgen_test]
fn each_name_left_out_is_isolated_on_its_own_so_an_arabic_label_first_keeps_the_lists_order() {
    // The organization wrote one of its labels in Arabic; it comes first in the list.
    let book = Codebook::harm_reduction_default()
        .edited(&CodebookEdit::Rename {
            list: CodeList::Need,
            code: Code::new("testing").unwrap(),
            label: "فحص".into(),
        })
        .unwrap();
    let trends = TrendsResponse {
        org_name: "Harbour".into(),
        threshold: 5,
        period: "2026-11".parse().unwrap(),
        site: None,
        totals: ["housing", "food", "detox", "wound-care", "mental-health"]
            .into_iter()
            .map(|code| need(code, 9))
            .collect(),
        parts: vec![],
    };
    let said = not_listed(&trends, Dimension::Need, &book).unwrap();
    // Isolated with the others, its right-to-left run would take ", Legal aid" with it and
    // the English list would read backwards; on its own (U+2068 … U+2069) it cannot.
    assert_eq!(
        said,
        "Fewer than 5 each, or none: \u{2068}\u{2068}\u{2068}فحص\u{2069}, Legal aid\u{2069} and ID documents\u{2069}."
    );
    assert_eq!(
        said.replace(['\u{2068}', '\u{2069}'], ""),
        "Fewer than 5 each, or none: فحص, Legal aid and ID documents."
    );
}

#[wasm_bindgen_test]
fn a_long_period_lists_each_rise_once_on_its_newest_day_above_the_usual_level() {
    let rise = |d: u32, code: &str, count: u32| Alert {
        day: day(2026, 11, d),
        measure: Measure::Need(Code::new(code).unwrap()),
        count,
        usual_per_day: 3,
        methods: vec![Method::C1],
    };
    let alerts = [
        rise(20, "housing", 9),
        rise(29, "food", 12),
        rise(24, "housing", 14),
        rise(21, "housing", 11),
        // C3 still signalling the day after a rise, at the usual level: not a rise to list.
        rise(25, "housing", 3),
    ];
    let listed: Vec<(u32, &str, usize)> = newest_rises(&alerts)
        .into_iter()
        .map(|(a, days)| (a.count, a.measure.value(), days))
        .collect();
    assert_eq!(listed, [(12, "food", 1), (14, "housing", 3)]);
    let today = day(2026, 11, 29);
    assert_eq!(
        rise_text(&alerts[2], 3, today, "this month"),
        ": 14 on Tue 24 Nov, usually about 3 a day (rose on 3 days this month)"
    );
    assert_eq!(
        rise_text(&alerts[1], 1, today, "this month"),
        ": 12 today, usually about 3 a day"
    );
}
