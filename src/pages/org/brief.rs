//! The trend brief: one printed A4 page about a period and a site for partners (funders,
//! health services). It leads with the story (what rose, what is new, notes a manager approved
//! in workers' words), then the counts (needs, reach, what contacts told workers, supplies,
//! referrals); a header names the period, the site and the organization, and a footer says how
//! the counts are protected and how a rise is decided. The CSV of every table is offered on
//! screen. Built only from published counts and approved notes, for a calendar period.

use crate::clock;
use crate::components::chart::bars::{Bar, BarChart};
use crate::components::disclosure::not_listed;
use crate::components::period_picker::{Recent, describe, during, file_noun, noun};
use crate::components::trends::{newest_rises, rise_text};
use crate::download;
use crate::i18n::{count, fill, intl, labels, language, org_errors, t, text};
use crate::org_client::{self, OrgError};
use crate::org_session::OrgSession;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::field_notes::{NoteStatus, NotesQuery, OfferedNote, notes_csv};
use peerpulse_core::period::Period;
use peerpulse_core::privacy::cell_key::NoiseTable;
use peerpulse_core::privacy::free_tag;
use peerpulse_core::protocol::{AlertsQuery, AlertsResponse, TrendsQuery, TrendsResponse};
use peerpulse_core::trend_view::{alerts_csv, new_tags_csv, parts_csv, ranked, totals_csv};

/// Bars per list in the brief: enough to tell the story, few enough for one page.
const TOP: usize = 5;

/// A day written out in full ("29 November 2026", "29 de noviembre de 2026").
const LONG_DAY: [(&str, &str); 3] = [("day", "numeric"), ("month", "long"), ("year", "numeric")];

/// A day short ("23 Nov 2026", "23 nov 2026").
const SHORT_DAY: [(&str, &str); 3] = [("day", "2-digit"), ("month", "short"), ("year", "numeric")];

/// Everything a brief is made of.
#[derive(Clone)]
struct BriefData {
    trends: TrendsResponse,
    alerts: AlertsResponse,
    codebook: Codebook,
    notes: Vec<OfferedNote>,
}

async fn load(signed_in: OrgSession, query: TrendsQuery) -> Result<BriefData, OrgError> {
    if signed_in.signed_in().await?.is_none() {
        return Err(OrgError::SignedOut("not signed in".to_owned()));
    }
    let trends = org_client::trends(&query).await?;
    let alerts = org_client::alerts(&AlertsQuery {
        period: Some(trends.period),
    })
    .await?;
    let codebook = org_client::codebook().await?;
    let notes = org_client::notes(&NotesQuery {
        status: Some(NoteStatus::Approved),
        from: Some(trends.period.first_day()),
        to: Some(trends.period.last_day()),
    })
    .await?;
    Ok(BriefData {
        trends,
        alerts,
        codebook,
        notes,
    })
}

/// `/brief?period=2026-11&site=van` (a day, ISO week, month or quarter; by default this
/// month; all sites unless one is named).
#[component]
pub fn BriefPage() -> impl IntoView {
    let params = use_query_map();
    let asked = Memo::new(move |_| {
        params.with(|p| {
            p.get("period")
                .map(|raw| raw.parse::<Period>().map_err(|e| org_errors::period(&e)))
                .transpose()
        })
    });
    let site = Memo::new(move |_| {
        params.with(|p| {
            p.get("site")
                .filter(|raw| !raw.is_empty())
                .map(|raw| {
                    Code::new(&raw).map_err(|_| fill("org.brief.bad_site", &[("site", &raw)]))
                })
                .transpose()
        })
    });
    let signed_in = OrgSession::get();
    let data = LocalResource::new(move || {
        let (asked, site) = (asked.get(), site.get());
        async move {
            let period = asked.map_err(OrgError::Refused)?;
            let site = site.map_err(OrgError::Refused)?;
            load(
                signed_in,
                TrendsQuery {
                    period,
                    site,
                    ..TrendsQuery::default()
                },
            )
            .await
        }
    });
    let sites = LocalResource::new(org_client::codebook);
    let navigate = use_navigate();
    let site_code = move || site.get().ok().flatten().map(|c| c.to_string());
    let address = move |period: Period, site: Option<String>| match site {
        Some(site) => format!("/brief?period={period}&site={site}"),
        None => format!("/brief?period={period}"),
    };
    let today = clock::today();
    let shown = move || {
        asked
            .get()
            .ok()
            .flatten()
            .unwrap_or_else(|| Recent::ThisMonth.period(today))
    };
    let choices = Recent::FOR_PEOPLE
        .into_iter()
        .map(|recent| {
            let period = recent.period(today);
            view! {
                <a
                    class="chip-link"
                    href=move || address(period, site_code())
                    aria-current=move || (shown() == period).then_some("page")
                >
                    {recent.label()}
                </a>
            }
        })
        .collect_view();
    view! {
        <article class="brief" aria-labelledby="brief-heading">
            <div class="no-print">
                <p class="period-links-label" id="brief-period">{t("trends.period")}</p>
                <nav class="period-links" aria-labelledby="brief-period">{choices}</nav>
                <div class="inline-field brief-site">
                    <label for="brief-site">{t("org.brief.site")}</label>
                    <select
                        id="brief-site"
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            let to = address(shown(), (!chosen.is_empty()).then_some(chosen));
                            navigate(&to, Default::default());
                        }
                    >
                        <option value="" selected=move || site_code().is_none()>{t("org.brief.all_sites")}</option>
                        {move || sites.get().and_then(Result::ok).map(|book| {
                            book.entries(CodeList::Site)
                                .iter()
                                .map(|entry| {
                                    let code = entry.code.to_string();
                                    let label = entry.label.clone();
                                    view! { <option value=code.clone() selected=move || site_code().as_deref() == Some(code.as_str())>{label}</option> }
                                })
                                .collect_view()
                        })}
                    </select>
                </div>
                <div class="actions">
                    <button type="button" class="primary" on:click=|_| print()>{t("org.brief.print")}</button>
                </div>
            </div>
            <Transition fallback=|| view! { <p role="status">{t("org.brief.preparing")}</p> }>
                {move || data.get().map(|read| match read {
                    Err(OrgError::SignedOut(_)) => view! {
                        <h1 id="brief-heading">{t("org.brief.title")}</h1>
                        <p role="alert"><a href="/org">{t("org.brief.sign_in")}</a></p>
                    }.into_any(),
                    Err(e) => view! {
                        <h1 id="brief-heading">{t("org.brief.title")}</h1>
                        <p role="alert" class="error">{org_errors::call(&e)}</p>
                    }.into_any(),
                    Ok(brief) => view! { <Brief brief /> }.into_any(),
                })}
            </Transition>
        </article>
    }
}

fn print() {
    if let Some(window) = web_sys::window() {
        // Printing is the browser's own dialog; nothing to report if it is refused.
        let _ = window.print();
    }
}

/// The largest published totals of `dimension`, as bars.
fn bars(trends: &TrendsResponse, dimension: Dimension, codebook: &Codebook) -> Vec<Bar> {
    ranked(trends, dimension)
        .into_iter()
        .take(TOP)
        .map(|c| Bar {
            label: labels::measure(&c.measure, codebook),
            count: c.count,
        })
        .collect()
}

#[component]
fn Brief(brief: BriefData) -> impl IntoView {
    let BriefData {
        trends,
        alerts,
        codebook,
        notes,
    } = brief;
    let today = clock::today();
    let period = describe(trends.period);
    let threshold = trends.threshold;
    let shown = language();
    let encounters = trends.total(&Measure::Encounters).map_or_else(
        || fill("org.brief.fewer_or_none", &[("threshold", &threshold)]),
        |n| intl::number(shown, f64::from(n)),
    );
    let parts = trends.parts.first().map(|p| p.period.granularity());
    let section = |heading: &'static str, dimension: Dimension, empty: &'static str| {
        let bars = bars(&trends, dimension, &codebook);
        let more = ranked(&trends, dimension).len().saturating_sub(bars.len());
        let left_out = not_listed(&trends, dimension, &codebook)
            .map(|line| view! { <p class="muted not-listed">{line}</p> });
        view! {
            <section class="brief-part">
                <h2>{text(heading)}</h2>
                {if bars.is_empty() {
                    view! { <p class="muted">{fill(empty, &[("threshold", &threshold)])}</p> }.into_any()
                } else {
                    view! {
                        <BarChart title=fill("org.brief.chart_title", &[("what", &labels::dimension(dimension)), ("period", &period)]) bars />
                        {(more > 0).then(|| view! { <p class="muted">{count("org.brief.more", more as u64, &[])}</p> })}
                        {left_out}
                    }
                        .into_any()
                }}
            </section>
        }
    };
    let rose = newest_rises(&alerts.alerts)
        .into_iter()
        .map(|(alert, days)| {
            view! {
                <li>
                    <strong>{labels::measure(&alert.measure, &codebook)}</strong>
                    {rise_text(alert, days, today, &during(trends.period))}"."
                </li>
            }
        })
        .collect::<Vec<_>>();
    let new_tags = alerts
        .new_free_tags
        .iter()
        .map(|t| {
            view! {
                <li>
                    <strong dir="auto">{free_tag::label(&t.tag)}</strong>
                    {fill(
                        "trends.new_tag",
                        &[
                            ("count", &intl::number(shown, f64::from(t.count))),
                            ("period", &during(trends.period)),
                            // The month in full: the sentence's full stop follows, and a short month may end in one ("nov.").
                            ("first", &intl::day(shown, t.first_seen, &[("weekday", "short"), ("day", "numeric"), ("month", "long")])),
                        ],
                    )}"."
                </li>
            }
        })
        .collect::<Vec<_>>();
    let label = {
        let codebook = codebook.clone();
        move |m: &Measure| labels::measure(m, &codebook)
    };
    let heading = labels::csv_column;
    let stem = format!("peerpulse-brief-{}", trends.period);
    let mut files = Vec::new();
    if let Some(parts) = parts {
        files.push((
            format!("{stem}-per-{}.csv", file_noun(parts)),
            fill("org.brief.table_parts", &[("part", &noun(parts))]),
            parts_csv(&trends, &label, heading),
        ));
    }
    files.extend([
        (
            format!("{stem}-totals.csv"),
            text("org.brief.table_totals"),
            totals_csv(&trends, &label, heading),
        ),
        (
            format!("{stem}-rose.csv"),
            text("org.brief.what_rose"),
            alerts_csv(&alerts.alerts, &label, heading),
        ),
        (
            format!("{stem}-new.csv"),
            text("org.brief.what_is_new"),
            new_tags_csv(&alerts.new_free_tags, heading),
        ),
        (
            format!("{stem}-notes.csv"),
            text("org.brief.in_workers_words"),
            notes_csv(&notes, heading),
        ),
    ]);
    let quotes = notes
        .iter()
        .map(|n| {
            view! {
                <li>
                    <blockquote>{n.text.clone()}</blockquote>
                    <p class="muted">{fill("org.brief.week_of", &[("day", &intl::day(shown, n.week, &SHORT_DAY))])}</p>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let problem = RwSignal::new(None::<String>);
    let downloads = files
        .into_iter()
        .map(|(name, what, contents)| {
            view! {
                <button type="button" class="secondary" on:click=move |_| {
                    problem.set(download::save(&name, "text/csv", &contents).err().map(|e| org_errors::download(&e)));
                }>{fill("org.brief.csv_button", &[("table", &what)])}</button>
            }
        })
        .collect_view();
    let made = intl::day(shown, today, &LONG_DAY);
    let first_letter_up = |s: String| {
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    let site = trends.site.as_ref().map_or_else(
        || text("org.brief.all_sites"),
        |code| {
            codebook
                .entries(CodeList::Site)
                .iter()
                .find(|e| e.code == *code)
                .map_or_else(|| code.to_string(), |e| e.label.clone())
        },
    );
    let noise = NoiseTable::reaching(threshold).max();
    view! {
        <header class="brief-head">
            <p class="brief-kicker">{t("org.brief.title")}</p>
            <h1 id="brief-heading"><bdi>{trends.org_name.clone()}</bdi></h1>
            <p class="brief-scope">
                <span>{first_letter_up(period.clone())}</span>
                <span>{site.clone()}</span>
                <span>{fill("org.brief.encounters", &[("count", &encounters)])}</span>
            </p>
        </header>
        <div class="brief-story">
            <section class="brief-part">
                <h2>{t("org.brief.what_rose")}</h2>
                {if rose.is_empty() {
                    view! { <p class="muted">{t("org.brief.nothing_rose")}</p> }.into_any()
                } else {
                    view! { <ul>{rose}</ul> }.into_any()
                }}
            </section>
            <section class="brief-part">
                <h2>{t("org.brief.what_is_new")}</h2>
                {if new_tags.is_empty() {
                    view! { <p class="muted">{t("trends.no_new_needs")}</p> }.into_any()
                } else {
                    view! { <ul>{new_tags}</ul> }.into_any()
                }}
            </section>
            <section class="brief-part brief-words">
                <h2>{t("org.brief.in_workers_words")}</h2>
                {if quotes.is_empty() {
                    view! { <p class="muted">{t("org.brief.no_notes")}</p> }.into_any()
                } else {
                    view! { <ul class="notes">{quotes}</ul> }.into_any()
                }}
            </section>
        </div>
        <div class="brief-counts">
            {section("org.brief.top_needs", Dimension::Need, "org.brief.no_needs")}
            {section("org.brief.reach", Dimension::Reach, "org.brief.no_reach")}
            {section("org.brief.insights", Dimension::Insight, "org.brief.no_insights")}
            {section("org.brief.supplies", Dimension::Supply, "org.brief.no_supplies")}
            {section("org.brief.referrals", Dimension::Referral, "org.brief.no_referrals")}
        </div>
        <section class="brief-part no-print">
            <h2>{t("org.brief.tables")}</h2>
            <div class="actions">{downloads}</div>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </section>
        <footer class="brief-method">
            <p>
                <strong>{t("org.brief.protected_heading")}</strong>" "
                {fill("org.brief.protected", &[("noise", &noise), ("threshold", &threshold)])}
            </p>
            <p>
                <strong>{t("org.brief.rise_heading")}</strong>" "
                {t("org.brief.rise")}
            </p>
            <p>{fill("org.brief.made", &[("org", &trends.org_name), ("site", &site), ("day", &made)])}</p>
        </footer>
    }
}
