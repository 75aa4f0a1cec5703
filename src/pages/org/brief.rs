//! The trend brief: one printed A4 page about a period and a site for partners (funders,
//! health services). It leads with the story (what rose, what is new, notes a manager approved
//! in workers' words), then the counts (needs, reach, what contacts told workers, supplies,
//! referrals); a header names the period, the site and the organization, and a footer says how
//! the counts are protected and how a rise is decided. The CSV of every table is offered on
//! screen. Built only from published counts and approved notes, for a calendar period.

use crate::clock;
use crate::components::chart::bars::{Bar, BarChart};
use crate::components::disclosure::not_listed;
use crate::components::period_picker::{Recent, describe, during, noun};
use crate::components::trends::{newest_rises, rise_text};
use crate::download;
use crate::org_client::{self, OrgError};
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

/// Everything a brief is made of.
#[derive(Clone)]
struct BriefData {
    trends: TrendsResponse,
    alerts: AlertsResponse,
    codebook: Codebook,
    notes: Vec<OfferedNote>,
}

async fn load(query: TrendsQuery) -> Result<BriefData, OrgError> {
    if org_client::current().await?.is_none() {
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
                .map(|raw| raw.parse::<Period>().map_err(|e| e.to_string()))
                .transpose()
        })
    });
    let site = Memo::new(move |_| {
        params.with(|p| {
            p.get("site")
                .filter(|raw| !raw.is_empty())
                .map(|raw| Code::new(&raw).map_err(|e| format!("Site: {e}")))
                .transpose()
        })
    });
    let data = LocalResource::new(move || {
        let (asked, site) = (asked.get(), site.get());
        async move {
            let period = asked.map_err(OrgError::Refused)?;
            let site = site.map_err(OrgError::Refused)?;
            load(TrendsQuery {
                period,
                site,
                ..TrendsQuery::default()
            })
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
                <p class="period-links-label" id="brief-period">"Period"</p>
                <nav class="period-links" aria-labelledby="brief-period">{choices}</nav>
                <div class="inline-field brief-site">
                    <label for="brief-site">"Site"</label>
                    <select
                        id="brief-site"
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            let to = address(shown(), (!chosen.is_empty()).then_some(chosen));
                            navigate(&to, Default::default());
                        }
                    >
                        <option value="" selected=move || site_code().is_none()>"All sites"</option>
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
                    <button type="button" class="primary" on:click=|_| print()>"Print or save as PDF"</button>
                </div>
            </div>
            <Transition fallback=|| view! { <p role="status">"Preparing the brief…"</p> }>
                {move || data.get().map(|read| match read {
                    Err(OrgError::SignedOut(_)) => view! {
                        <h1 id="brief-heading">"Trend brief"</h1>
                        <p role="alert">"Sign in on the " <a href="/org">"Organization page"</a> " to see the brief."</p>
                    }.into_any(),
                    Err(e) => view! {
                        <h1 id="brief-heading">"Trend brief"</h1>
                        <p role="alert" class="error">{e.to_string()}</p>
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
            label: c.measure.label(codebook),
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
    let encounters = trends.total(&Measure::Encounters).map_or_else(
        || format!("fewer than {threshold}, or none"),
        |n| n.to_string(),
    );
    let parts = trends.parts.first().map(|p| p.period.granularity());
    let section = |heading: &'static str, dimension: Dimension, empty: &'static str| {
        let bars = bars(&trends, dimension, &codebook);
        let more = ranked(&trends, dimension).len().saturating_sub(bars.len());
        let left_out = not_listed(&trends, dimension, &codebook)
            .map(|line| view! { <p class="muted not-listed">{line}</p> });
        view! {
            <section class="brief-part">
                <h2>{heading}</h2>
                {if bars.is_empty() {
                    view! { <p class="muted">{format!("{empty} Each was fewer than {threshold}, or none.")}</p> }.into_any()
                } else {
                    view! {
                        <BarChart title=format!("{}, {period}", dimension.label()) bars />
                        {(more > 0).then(|| view! { <p class="muted">{format!("{more} more in the period totals (CSV).")}</p> })}
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
                    <strong>{alert.measure.label(&codebook)}</strong>
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
                    <strong>{free_tag::label(&t.tag)}</strong>
                    {format!(": {} {during}, first noted {}.", t.count, t.first_seen.format("%a %-d %b"), during = during(trends.period))}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let label = {
        let codebook = codebook.clone();
        move |m: &Measure| m.label(&codebook)
    };
    let stem = format!("peerpulse-brief-{}", trends.period);
    let mut files = Vec::new();
    if let Some(parts) = parts {
        let noun = noun(parts);
        files.push((
            format!("{stem}-per-{noun}.csv"),
            format!("Counts per {noun}"),
            parts_csv(&trends, &label),
        ));
    }
    files.extend([
        (
            format!("{stem}-totals.csv"),
            "Period totals".to_owned(),
            totals_csv(&trends, &label),
        ),
        (
            format!("{stem}-rose.csv"),
            "What rose".to_owned(),
            alerts_csv(&alerts.alerts, &label),
        ),
        (
            format!("{stem}-new.csv"),
            "What is new".to_owned(),
            new_tags_csv(&alerts.new_free_tags),
        ),
        (
            format!("{stem}-notes.csv"),
            "In workers' words".to_owned(),
            notes_csv(&notes),
        ),
    ]);
    let quotes = notes
        .iter()
        .map(|n| {
            view! {
                <li>
                    <blockquote>{n.text.clone()}</blockquote>
                    <p class="muted">{format!("Week of {}", n.week.format("%d %b %Y"))}</p>
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
                    problem.set(download::save(&name, "text/csv", &contents).err().map(|e| e.to_string()));
                }>{format!("{what} (CSV)")}</button>
            }
        })
        .collect_view();
    let made = today.format("%-d %B %Y").to_string();
    let first_letter_up = |s: String| {
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    let site = trends.site.as_ref().map_or_else(
        || "All sites".to_owned(),
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
            <p class="brief-kicker">"Trend brief"</p>
            <h1 id="brief-heading">{trends.org_name.clone()}</h1>
            <p class="brief-scope">
                <span>{first_letter_up(period.clone())}</span>
                <span>{site.clone()}</span>
                <span>{format!("Encounters logged by peer workers: {encounters}")}</span>
            </p>
        </header>
        <div class="brief-story">
            <section class="brief-part">
                <h2>"What rose"</h2>
                {if rose.is_empty() {
                    view! { <p class="muted">"Nothing rose above its usual level."</p> }.into_any()
                } else {
                    view! { <ul>{rose}</ul> }.into_any()
                }}
            </section>
            <section class="brief-part">
                <h2>"What is new"</h2>
                {if new_tags.is_empty() {
                    view! { <p class="muted">"No new need that several workers typed."</p> }.into_any()
                } else {
                    view! { <ul>{new_tags}</ul> }.into_any()
                }}
            </section>
            <section class="brief-part brief-words">
                <h2>"In workers' words"</h2>
                {if quotes.is_empty() {
                    view! { <p class="muted">"No note was approved for this period."</p> }.into_any()
                } else {
                    view! { <ul class="notes">{quotes}</ul> }.into_any()
                }}
            </section>
        </div>
        <div class="brief-counts">
            {section("Top needs", Dimension::Need, "No need to show for this period.")}
            {section("Reach through networks", Dimension::Reach, "No way of reaching contacts to show.")}
            {section("What contacts told workers", Dimension::Insight, "No insight to show.")}
            {section("Supplies given", Dimension::Supply, "No supply to show.")}
            {section("Referrals made", Dimension::Referral, "No referral to show.")}
        </div>
        <section class="brief-part no-print">
            <h2>"Tables"</h2>
            <div class="actions">{downloads}</div>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </section>
        <footer class="brief-method">
            <p>
                <strong>"How counts are protected. "</strong>
                {format!("Workers log encounters on their phones with no names; only counts leave the phone. Each count is nudged up or down at random by up to {noise}, always the same way for the same figure, and counts below {threshold} are left out, so no one can be picked out and parts need not add up to totals.")}
            </p>
            <p>
                <strong>"How a rise is decided. "</strong>
                "A day rises when its count is far above the week before it (CDC's EARS C1–C3), counted over all sites together and noted on at least two phones. Notes are offered by workers and approved by a manager before they are quoted."
            </p>
            <p>{format!("{} · {site} · made with PeerPulse on {made}.", trends.org_name)}</p>
        </footer>
    }
}
