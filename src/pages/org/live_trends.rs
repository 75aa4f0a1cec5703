//! The organization's trends: a calendar period, a site and a dimension to look at; the
//! period's totals as bars, its days (or weeks) as a line chart and a heat map; CSV of every
//! table. Reloaded whenever a phone's sync lands.

use super::changes::use_changes;
use super::field_alerts::AlertDesk;
use crate::clock;
use crate::components::chart::bars::{Bar, BarChart};
use crate::components::chart::heat_map::{HeatMap, HeatRow};
use crate::components::chart::line::{Line, LineChart};
use crate::components::disclosure::not_listed;
use crate::components::period_picker::{PeriodPicker, Recent, describe, during, file_noun, noun};
use crate::components::trends::{Rising, intro};
use crate::download;
use crate::i18n::{fill, labels, org_errors, t};
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::aberration::Alert;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::period::Period;
use peerpulse_core::protocol::{AlertsQuery, TrendsQuery, TrendsResponse};
use peerpulse_core::trend_view::{PartPoint, parts_csv, ranked, series, totals_csv};

/// Lines drawn in the chart: the largest values of the dimension.
const LINES: usize = 5;
/// Rows of the heat map.
const HEAT_ROWS: usize = 10;

/// The query the filters describe, or what to fix in them.
fn query_of(period: Period, site: &str) -> Result<TrendsQuery, String> {
    let site = (!site.is_empty())
        .then(|| Code::new(site).map_err(|_| fill("org.brief.bad_site", &[("site", &site)])))
        .transpose()?;
    Ok(TrendsQuery {
        period: Some(period),
        site,
        ..TrendsQuery::default()
    })
}

/// Filters, alerts and charts of the organization's trends, live.
#[component]
pub fn LiveTrends() -> impl IntoView {
    let landed = use_changes();
    let this_month = Recent::ThisMonth.period(clock::today());
    let period = RwSignal::new(Some(this_month));
    let site = RwSignal::new(String::new());
    let dimension = RwSignal::new(Dimension::Need);
    let chosen = Memo::new(move |_| period.get().unwrap_or(this_month));
    let query = Memo::new(move |_| query_of(chosen.get(), &site.get()));
    let codebook = LocalResource::new(move || {
        landed.track();
        org_client::codebook()
    });
    let data = LocalResource::new(move || {
        landed.track();
        let (query, period) = (query.get(), chosen.get());
        async move {
            let query = query?;
            let trends = org_client::trends(&query).await;
            let alerts = org_client::alerts(&AlertsQuery {
                period: Some(period),
            })
            .await;
            trends
                .and_then(|t| alerts.map(|a| (t, a)))
                .map_err(|e: OrgError| org_errors::call(&e))
        }
    });
    // Someone who may draft alerts gets "Draft an alert" beside each rise, for the site chosen.
    let draft = move |book: Codebook| {
        AlertDesk::of_page().map(|desk| {
            Callback::new(move |rise: Alert| {
                let site = Code::new(&site.get_untracked()).ok();
                desk.draft_from_rise(&labels::measure(&rise.measure, &book), rise.day, site);
            })
        })
    };
    let site_options = move || {
        codebook.get().and_then(Result::ok).map(|book| {
            book.entries(CodeList::Site)
                .iter()
                .map(|entry| {
                    let code = entry.code.to_string();
                    let label = if entry.retired {
                        fill("org.trends.retired", &[("site", &entry.label)])
                    } else {
                        entry.label.clone()
                    };
                    view! { <option value=code.clone() selected=move || site.get() == code>{label}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <section id="trends" aria-labelledby="live-heading">
            <h2 id="live-heading">{t("org.trends.heading")}</h2>
            <form class="trend-filters" aria-label=t("org.trends.filters") on:submit=|ev| ev.prevent_default()>
                <PeriodPicker legend="trends.period" name="trend-period" recent=&Recent::FOR_PEOPLE selected=period />
                <div class="inline-field">
                    <label for="trend-site">{t("org.brief.site")}</label>
                    <select id="trend-site" on:change=move |ev| site.set(event_target_value(&ev))>
                        <option value="" selected=move || site.get().is_empty()>{t("org.brief.all_sites")}</option>
                        {site_options}
                    </select>
                </div>
                <div class="inline-field">
                    <label for="trend-dimension">{t("org.trends.what_to_look_at")}</label>
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
                            .map(|d| view! { <option value=d.as_str() selected=move || dimension.get() == d>{move || labels::dimension(d)}</option> })
                            .collect_view()}
                    </select>
                </div>
            </form>
            <Transition fallback=|| view! { <p>{t("trends.loading")}</p> }>
                {move || {
                    let book = match codebook.get()? {
                        Ok(book) => book,
                        Err(e) => return Some(view! { <p role="alert" class="error">{org_errors::call(&e)}</p> }.into_any()),
                    };
                    data.get().map(|read| match read {
                        Err(e) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                        Ok((trends, alerts)) => view! {
                            {intro(&trends, &book, true)}
                            <Rising alerts codebook=book.clone() draft=draft(book.clone()) />
                            <TrendCharts trends codebook=book dimension=dimension.get() />
                        }
                            .into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}

/// `measure`'s parts up to today: a part that has not begun is not drawn as "fewer than".
fn series_so_far(trends: &TrendsResponse, measure: &Measure) -> Vec<PartPoint> {
    let today = clock::today();
    series(trends, measure)
        .into_iter()
        .filter(|p| p.period.first_day() <= today)
        .collect()
}

/// Totals, charts, heat map and downloads of one dimension of `trends`.
#[component]
fn TrendCharts(trends: TrendsResponse, codebook: Codebook, dimension: Dimension) -> impl IntoView {
    let threshold = trends.threshold;
    let period = describe(trends.period);
    let parts = trends.parts.first().map(|p| p.period.granularity());
    let totals = ranked(&trends, dimension);
    let lines_of = |count: usize| {
        totals
            .iter()
            .take(count)
            .map(|t| {
                (
                    labels::measure(&t.measure, &codebook),
                    series_so_far(&trends, &t.measure),
                )
            })
            .collect::<Vec<_>>()
    };
    let line = parts.map(|parts| {
        let lines: Vec<Line> = lines_of(LINES)
            .into_iter()
            .map(|(label, points)| Line { label, points })
            .collect();
        let title = fill(
            "org.trends.per_part",
            &[
                ("what", &labels::dimension(dimension)),
                ("part", &noun(parts)),
            ],
        );
        view! { <LineChart id="trend-line" title lines threshold /> }
    });
    let heat_map = parts.map(|parts| {
        let rows: Vec<HeatRow> = lines_of(HEAT_ROWS)
            .into_iter()
            .map(|(label, points)| HeatRow { label, points })
            .collect();
        let caption = fill(
            "org.trends.per_part_ranked",
            &[
                ("what", &labels::dimension(dimension)),
                ("part", &noun(parts)),
            ],
        );
        view! { <HeatMap caption rows threshold /> }
    });
    let bars: Vec<Bar> = totals
        .iter()
        .map(|t| Bar {
            label: labels::measure(&t.measure, &codebook),
            count: t.count,
        })
        .collect();
    let left_out = not_listed(&trends, dimension, &codebook)
        .map(|line| view! { <p class="muted not-listed">{line}</p> });
    let empty = totals.is_empty();
    let label = {
        let codebook = codebook.clone();
        move |m: &Measure| labels::measure(m, &codebook)
    };
    let stem = format!(
        "peerpulse-trends-{}{}",
        trends.period,
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
                .map(|e| org_errors::download(&e)),
        );
    };
    let heading = labels::csv_column;
    let parts_download = parts.map(|parts| {
        let (name, contents) = (
            format!("{stem}-per-{}.csv", file_noun(parts)),
            parts_csv(&trends, &label, heading),
        );
        view! {
            <button type="button" class="secondary" on:click=move |_| offer(name.clone(), contents.clone())>
                {fill("org.trends.download_parts", &[("part", &noun(parts))])}
            </button>
        }
    });
    let (totals_name, totals_file) = (
        format!("{stem}-totals.csv"),
        totals_csv(&trends, &label, heading),
    );
    let brief = match &trends.site {
        Some(site) => format!("/brief?period={}&site={site}", trends.period),
        None => format!("/brief?period={}", trends.period),
    };
    let nothing = fill(
        "org.trends.nothing",
        &[
            ("what", &labels::dimension(dimension).to_lowercase()),
            ("period", &during(trends.period)),
            ("threshold", &threshold),
        ],
    );
    view! {
        {if empty {
            view! { <p>{nothing}</p> {left_out} }.into_any()
        } else {
            view! {
                <div class="trend-figures">
                    <div>
                        <BarChart title=fill("org.brief.chart_title", &[("what", &labels::dimension(dimension)), ("period", &period)]) bars />
                        {left_out}
                    </div>
                    {line}
                </div>
                {heat_map}
            }
                .into_any()
        }}
        <div class="actions">
            {parts_download}
            <button type="button" class="secondary" on:click=move |_| offer(totals_name.clone(), totals_file.clone())>
                {t("org.trends.download_totals")}
            </button>
            <a class="button secondary" href=brief>{t("org.trends.printable_brief")}</a>
        </div>
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
        </Show>
    }
}
