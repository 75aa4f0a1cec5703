//! The trend brief: one printable page about a period for partners (funders, health services):
//! top needs, what rose, what is new, how contacts were reached, what contacts told workers
//! (in counts, and in the notes a manager approved), and the CSV of every table. Built only
//! from published counts and approved notes, for a calendar period.

use crate::clock;
use crate::components::chart::bars::{Bar, BarChart};
use crate::components::disclosure::{DisclosureNote, not_listed};
use crate::components::period_picker::{Recent, describe, during, noun};
use crate::components::trends::{newest_rises, rise_text};
use crate::download;
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Codebook;
use peerpulse_core::field_notes::{NoteStatus, NotesQuery, OfferedNote, notes_csv};
use peerpulse_core::period::Period;
use peerpulse_core::privacy::free_tag;
use peerpulse_core::protocol::{AlertsQuery, AlertsResponse, TrendsQuery, TrendsResponse};
use peerpulse_core::trend_view::{alerts_csv, new_tags_csv, parts_csv, ranked, totals_csv};

/// Bars per list in the brief.
const TOP: usize = 8;

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

/// `/brief?period=2026-11` (a day, ISO week, month or quarter; by default this month).
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
    let data = LocalResource::new(move || {
        let asked = asked.get();
        async move {
            let period = asked.map_err(OrgError::Refused)?;
            load(TrendsQuery {
                period,
                ..TrendsQuery::default()
            })
            .await
        }
    });
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
                    href=format!("/brief?period={period}")
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
    view! {
        <header>
            <h1 id="brief-heading">{format!("Trend brief: {}", trends.org_name)}</h1>
            <p>{format!("{}, all sites. Encounters logged by peer workers: {encounters}.", first_letter_up(period.clone()))}</p>
            <DisclosureNote threshold parts />
        </header>
        {section("Top needs", Dimension::Need, "No need to show for this period.")}
        <section class="brief-part">
            <h2>"What rose"</h2>
            {if rose.is_empty() {
                view! { <p class="muted">"Nothing rose above its usual level (CDC EARS C1–C3 on daily counts)."</p> }.into_any()
            } else {
                view! { <ul>{rose}</ul> <p class="muted">"A rise is a day well above the week before it (CDC EARS C1–C3), over all sites together and noted on at least two phones. Each is listed once, on its latest day; the CSV has every day."</p> }.into_any()
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
        {section("Reach through networks", Dimension::Reach, "No way of reaching contacts to show.")}
        {section("What contacts told workers", Dimension::Insight, "No insight to show.")}
        <section class="brief-part">
            <h2>"In workers' words"</h2>
            {if quotes.is_empty() {
                view! { <p class="muted">"No note was approved for this period."</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">{quotes}</ul>
                    <p class="muted">"Notes workers offered from their encounters, with no names or places, each read and approved by a manager."</p>
                }.into_any()
            }}
        </section>
        {section("Supplies given", Dimension::Supply, "No supply to show.")}
        {section("Referrals made", Dimension::Referral, "No referral to show.")}
        <section class="brief-part no-print">
            <h2>"Tables"</h2>
            <div class="actions">{downloads}</div>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </section>
        <footer class="muted">{format!("Made with PeerPulse on {made}.")}</footer>
    }
}
