//! The organization's trends: a period, a site and a dimension to look at; a line chart, bars
//! and a heat map; CSV of every table. Reloaded whenever a phone's sync lands.

use crate::components::chart::bars::{Bar, BarChart};
use crate::components::chart::heat_map::{HeatMap, HeatRow};
use crate::components::chart::line::{Line, LineChart};
use crate::components::chip_picker::SingleChoice;
use crate::download;
use crate::org_client::{self, OrgError};
use crate::pages::trends::Rising;
use leptos::prelude::*;
use peerpulse_core::bucket::Dimension;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::protocol::{AlertsQuery, EVENTS_PATH, TrendsQuery, TrendsResponse};
use peerpulse_core::trend_view::{daily_csv, daily_series, period_totals, totals_csv};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Lines drawn in the chart: the largest values of the dimension.
const LINES: usize = 5;
/// Rows of the heat map.
const HEAT_ROWS: usize = 10;

/// Which days to look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Period {
    /// The last N days, today included.
    Last(u32),
    /// From one chosen day to another.
    Between,
}

/// A counter that moves each time the service says a phone of the organization synced.
pub fn landed_syncs() -> RwSignal<u32> {
    let landed = RwSignal::new(0u32);
    if let Ok(source) = web_sys::EventSource::new(EVENTS_PATH) {
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            landed.update(|n| *n = n.wrapping_add(1));
        });
        if source
            .add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref())
            .is_ok()
        {
            let kept = StoredValue::new_local((source, on_change));
            on_cleanup(move || kept.with_value(|(source, _)| source.close()));
        }
    }
    landed
}

/// The query the filters describe, or what to fix in them.
fn query_of(period: Period, from: &str, to: &str, site: &str) -> Result<TrendsQuery, String> {
    let site = (!site.is_empty())
        .then(|| Code::new(site).map_err(|e| format!("Site: {e}")))
        .transpose()?;
    let day = |raw: &str, which: &str| {
        raw.parse()
            .map_err(|_| format!("Pick the {which} day of the period."))
    };
    Ok(match period {
        Period::Last(days) => TrendsQuery {
            days: Some(days),
            site,
            ..TrendsQuery::default()
        },
        Period::Between => TrendsQuery {
            from: Some(day(from, "first")?),
            to: Some(day(to, "last")?),
            site,
            ..TrendsQuery::default()
        },
    })
}

/// Filters, alerts and charts of the organization's trends, live.
#[component]
pub fn LiveTrends() -> impl IntoView {
    let landed = landed_syncs();
    let period = RwSignal::new(Some(Period::Last(30)));
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let site = RwSignal::new(String::new());
    let dimension = RwSignal::new(Dimension::Need);
    let query = Memo::new(move |_| {
        query_of(
            period.get().unwrap_or(Period::Last(30)),
            &from.get(),
            &to.get(),
            &site.get(),
        )
    });
    let codebook = LocalResource::new(move || {
        landed.track();
        org_client::codebook()
    });
    let data = LocalResource::new(move || {
        landed.track();
        let query = query.get();
        async move {
            let query = query?;
            let trends = org_client::trends(&query).await;
            let alerts = org_client::alerts(&AlertsQuery::default()).await;
            trends
                .and_then(|t| alerts.map(|a| (t, a)))
                .map_err(|e: OrgError| e.to_string())
        }
    });
    let site_options = move || {
        codebook.get().and_then(Result::ok).map(|book| {
            book.entries(CodeList::Site)
                .iter()
                .map(|entry| {
                    let code = entry.code.to_string();
                    let label = if entry.retired {
                        format!("{} (retired)", entry.label)
                    } else {
                        entry.label.clone()
                    };
                    view! { <option value=code.clone() selected=move || site.get() == code>{label}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <section aria-labelledby="live-heading">
            <h2 id="live-heading">"Trends, live"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <SingleChoice
                    legend="Period"
                    name="trend-period"
                    options=vec![
                        (Period::Last(7), "7 days".to_owned()),
                        (Period::Last(30), "30 days".to_owned()),
                        (Period::Last(90), "90 days".to_owned()),
                        (Period::Between, "Choose days".to_owned()),
                    ]
                    selected=period
                />
                <Show when=move || period.get() == Some(Period::Between)>
                    <div class="date-range">
                        <label for="trend-from">"First day"</label>
                        <input id="trend-from" type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                        <label for="trend-to">"Last day"</label>
                        <input id="trend-to" type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <label for="trend-site">"Site"</label>
                <select id="trend-site" on:change=move |ev| site.set(event_target_value(&ev))>
                    <option value="" selected=move || site.get().is_empty()>"All sites"</option>
                    {site_options}
                </select>
                <label for="trend-dimension">"What to look at"</label>
                <select
                    id="trend-dimension"
                    on:change=move |ev| {
                        if let Ok(chosen) = event_target_value(&ev).parse() {
                            dimension.set(chosen);
                        }
                    }
                >
                    {Dimension::ALL
                        .into_iter()
                        .map(|d| view! { <option value=d.as_str() selected=move || dimension.get() == d>{d.label()}</option> })
                        .collect_view()}
                </select>
            </form>
            <Transition fallback=|| view! { <p>"Loading trends…"</p> }>
                {move || {
                    let book = match codebook.get()? {
                        Ok(book) => book,
                        Err(e) => return Some(view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any()),
                    };
                    data.get().map(|read| match read {
                        Err(e) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                        Ok((trends, alerts)) => view! {
                            <Rising alerts codebook=book.clone() />
                            <TrendCharts trends codebook=book dimension=dimension.get() />
                        }
                            .into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}

/// Charts, heat map and downloads of one dimension of `trends`.
#[component]
fn TrendCharts(trends: TrendsResponse, codebook: Codebook, dimension: Dimension) -> impl IntoView {
    let threshold = trends.suppression_threshold;
    let place = trends.site.as_ref().map_or_else(
        || "all sites".to_owned(),
        |site| codebook.label(CodeList::Site, site).to_owned(),
    );
    let period = format!(
        "{} to {}",
        trends.from.format("%a %d %b %Y"),
        trends.to.format("%a %d %b %Y")
    );
    let intro = format!(
        "{}, {period}, {place}. Counts below {threshold} show as \"<{threshold}\"; \"hidden\" marks a count held back so a small one cannot be worked out from the others.",
        trends.org_name
    );
    let totals = period_totals(&trends.rows, dimension);
    let series = |count: usize| {
        totals
            .iter()
            .take(count)
            .map(|t| {
                (
                    t.measure.label(&codebook),
                    daily_series(&trends.rows, &t.measure, trends.from, trends.to),
                )
            })
            .collect::<Vec<_>>()
    };
    let lines: Vec<Line> = series(LINES)
        .into_iter()
        .map(|(label, points)| Line { label, points })
        .collect();
    let heat_rows: Vec<HeatRow> = series(HEAT_ROWS)
        .into_iter()
        .map(|(label, points)| HeatRow { label, points })
        .collect();
    let bars: Vec<Bar> = totals
        .iter()
        .map(|t| Bar {
            label: t.measure.label(&codebook),
            total: t.clone(),
        })
        .collect();
    let empty = totals.is_empty();
    let label = {
        let codebook = codebook.clone();
        move |m: &peerpulse_core::bucket::Measure| m.label(&codebook)
    };
    let daily = daily_csv(&trends.rows, &label);
    let all_totals: Vec<_> = Dimension::ALL
        .into_iter()
        .flat_map(|d| period_totals(&trends.rows, d))
        .collect();
    let totals_file = totals_csv(&all_totals, &label);
    let stem = format!(
        "peerpulse-trends-{}-{}{}",
        trends.from,
        trends.to,
        trends
            .site
            .as_ref()
            .map(|s| format!("-{s}"))
            .unwrap_or_default()
    );
    let problem = RwSignal::new(None::<String>);
    let offer = move |name: String, contents: String| {
        problem.set(
            download::save(&name, "text/csv", &contents)
                .err()
                .map(|e| e.to_string()),
        );
    };
    let (daily_name, totals_name) = (format!("{stem}-daily.csv"), format!("{stem}-totals.csv"));
    let brief = format!("/brief?from={}&to={}", trends.from, trends.to);
    view! {
        <p class="muted">{intro}</p>
        {if empty {
            view! { <p>{format!("No {} counted in this period.", dimension.label().to_lowercase())}</p> }.into_any()
        } else {
            view! {
                <LineChart id="trend-line" title=format!("{} per day", dimension.label()) lines />
                <BarChart title=format!("{}, {period}", dimension.label()) bars />
                <HeatMap caption=format!("{} per day, most frequent first", dimension.label()) rows=heat_rows />
            }
                .into_any()
        }}
        <div class="actions">
            <button type="button" class="secondary" on:click={
                let (name, contents) = (daily_name, daily);
                move |_| offer(name.clone(), contents.clone())
            }>"Download daily counts (CSV)"</button>
            <button type="button" class="secondary" on:click={
                let (name, contents) = (totals_name, totals_file);
                move |_| offer(name.clone(), contents.clone())
            }>"Download period totals (CSV)"</button>
            <a class="button secondary" href=brief>"Printable trend brief"</a>
        </div>
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
        </Show>
    }
}
