//! Views of the organization's published trends that both apps show: the intro saying what
//! the counts are, what rose, and the tables.

use crate::clock;
use crate::components::disclosure::{DisclosureNote, not_listed};
use crate::components::period_picker::{describe, when};
use crate::i18n::{count, fill, intl, labels, language, t, text};
use chrono::NaiveDate;
use leptos::prelude::*;
use peerpulse_core::aberration::Alert;
use peerpulse_core::bucket::Dimension;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::privacy::free_tag::label as tag_label;
use peerpulse_core::protocol::{AlertsResponse, TrendsResponse};
use peerpulse_core::trend_view::ranked;

/// What the counts below are (whose, which period, where) and how they are protected;
/// `with_parts` when days or weeks are shown beside the totals.
pub fn intro(trends: &TrendsResponse, codebook: &Codebook, with_parts: bool) -> impl IntoView {
    let place = trends.site.as_ref().map_or_else(
        || text("trends.all_sites"),
        |site| codebook.label(CodeList::Site, site).to_owned(),
    );
    let parts = trends
        .parts
        .first()
        .filter(|_| with_parts)
        .map(|p| p.period.granularity());
    view! {
        <p class="trends-intro">
            {fill(
                "trends.intro",
                &[("org", &trends.org_name), ("period", &describe(trends.period)), ("place", &place)],
            )}
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
        text("period.in_sentence.today")
    } else {
        fill(
            "period.during_day",
            &[(
                "period",
                &intl::day(
                    language(),
                    alert.day,
                    &[("weekday", "short"), ("day", "numeric"), ("month", "short")],
                ),
            )],
        )
    };
    let mut said = fill(
        "trends.rise",
        &[
            ("count", &intl::number(language(), f64::from(alert.count))),
            ("on", &on),
            (
                "usual",
                &intl::number(language(), f64::from(alert.usual_per_day)),
            ),
        ],
    );
    if days > 1 {
        said.push_str(&count(
            "trends.rose_on_days",
            days as u64,
            &[("period", &period)],
        ));
    }
    said
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
            let label = labels::measure(&alert.measure, &codebook);
            let offer = draft.map(|draft| {
                let alert = alert.clone();
                view! {
                    <button type="button" class="secondary draft-from-rise"
                        aria-label=fill("org.trends.draft_about", &[("what", &label)])
                        on:click=move |_| draft.run(alert.clone())>
                        {t("org.trends.draft")}
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
                    {fill(
                        "trends.new_tag",
                        &[
                            ("count", &intl::number(language(), f64::from(t.count))),
                            ("period", &period),
                            ("first", &intl::day(language(), t.first_seen, &[("weekday", "short"), ("day", "numeric"), ("month", "short")])),
                        ],
                    )}
                </li>
            }
        })
        .collect_view();
    let (none_rising, no_tags) = (rising.is_empty(), alerts.new_free_tags.is_empty());
    let is_today = alerts.period == Period::containing(Granularity::Day, today);
    let heading = if is_today {
        text("trends.rising_today")
    } else {
        fill("trends.what_rose", &[("period", &period)])
    };
    view! {
        <section class="rising" aria-labelledby="rising-heading">
            <h2 id="rising-heading">{heading}</h2>
            {if none_rising {
                view! { <p class="muted">{fill("trends.nothing_rose", &[("period", &period)])}</p> }.into_any()
            } else {
                view! {
                    <ul>{rising}</ul>
                    <HowRisesAreDecided />
                }
                    .into_any()
            }}
            <h2>{fill("trends.new_needs", &[("period", &period)])}</h2>
            {if no_tags {
                view! { <p class="muted">{t("trends.no_new_needs")}</p> }.into_any()
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
            <summary>{t("trends.how_decided")}</summary>
            <p>{t("trends.how_1")}</p>
            <p>{t("trends.how_2")}</p>
            <p class="muted">{t("trends.how_method")}</p>
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
                nothing_shown.push(labels::dimension(dimension));
                return None;
            }
            let body = totals
                .into_iter()
                .map(|c| {
                    view! {
                        <tr>
                            <th scope="row">{labels::measure(&c.measure, &codebook)}</th>
                            <td class="count">{intl::number(language(), f64::from(c.count))}</td>
                        </tr>
                    }
                })
                .collect_view();
            let left_out = not_listed(&trends, dimension, &codebook)
                .map(|line| view! { <p class="muted not-listed">{line}</p> });
            Some(view! {
                <table data-dimension=dimension.as_str()>
                    <caption>{labels::dimension(dimension)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("trends.what")}</th>
                            <th scope="col" class="count">{t("trends.count")}</th>
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
            fill("trends.nothing_yet", &[("threshold", &threshold)])
        } else {
            fill(
                "trends.nothing_for",
                &[
                    ("threshold", &threshold),
                    ("what", &nothing_shown.join("; ")),
                ],
            )
        };
        view! { <p class="muted not-listed">{what}</p> }
    });
    view! {
        {tables}
        {rest}
    }
}
