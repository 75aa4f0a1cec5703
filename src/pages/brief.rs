//! The trend brief: one printable page about a period for partners (funders, health services):
//! top needs, what rose, what is new, how contacts were reached, what contacts told workers
//! (in counts, and in the notes a manager approved), and the CSV of every table. Built only
//! from suppressed counts and approved notes.

use crate::clock;
use crate::components::chart::bars::{Bar, BarChart};
use crate::download;
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Codebook;
use peerpulse_core::field_notes::{NoteStatus, NotesQuery, OfferedNote, notes_csv};
use peerpulse_core::privacy::free_tag;
use peerpulse_core::protocol::{AlertsQuery, AlertsResponse, TrendsQuery, TrendsResponse};
use peerpulse_core::trend_view::{
    PeriodTotal, alerts_csv, daily_csv, new_tags_csv, period_totals, totals_csv,
};

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
        from: Some(trends.from),
        to: Some(trends.to),
    })
    .await?;
    let codebook = org_client::codebook().await?;
    let notes = org_client::notes(&NotesQuery {
        status: Some(NoteStatus::Approved),
        from: Some(trends.from),
        to: Some(trends.to),
    })
    .await?;
    Ok(BriefData {
        trends,
        alerts,
        codebook,
        notes,
    })
}

/// `/brief?from=…&to=…` (by default the last 30 days).
#[component]
pub fn BriefPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| TrendsQuery {
            from: p.get("from").and_then(|d| d.parse().ok()),
            to: p.get("to").and_then(|d| d.parse().ok()),
            ..TrendsQuery::default()
        })
    });
    let data = LocalResource::new(move || load(query.get()));
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        if let Some(Ok(brief)) = data.get() {
            from.set(brief.trends.from.to_string());
            to.set(brief.trends.to.to_string());
        }
    });
    let navigate = use_navigate();
    let choose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &format!(
                "/brief?from={}&to={}",
                from.get_untracked(),
                to.get_untracked()
            ),
            Default::default(),
        );
    };
    view! {
        <article class="brief" aria-labelledby="brief-heading">
            <form class="filters no-print" on:submit=choose>
                <div class="date-range">
                    <label for="brief-from">"First day"</label>
                    <input id="brief-from" type="date" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) />
                    <label for="brief-to">"Last day"</label>
                    <input id="brief-to" type="date" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) />
                </div>
                <div class="actions">
                    <button type="submit" class="secondary">"Show this period"</button>
                    <button type="button" class="primary" on:click=|_| print()>"Print or save as PDF"</button>
                </div>
            </form>
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

fn bars(totals: &[PeriodTotal], codebook: &Codebook) -> Vec<Bar> {
    totals
        .iter()
        .take(TOP)
        .map(|t| Bar {
            label: t.measure.label(codebook),
            total: t.clone(),
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
    let period = format!(
        "{} to {}",
        trends.from.format("%a %d %b %Y"),
        trends.to.format("%a %d %b %Y")
    );
    let threshold = trends.suppression_threshold;
    let totals = |d| period_totals(&trends.rows, d);
    let encounters = totals(Dimension::Encounters)
        .first()
        .map_or_else(|| "none".to_owned(), PeriodTotal::label);
    let section = |heading: &'static str, dimension: Dimension, empty: &'static str| {
        let bars = bars(&totals(dimension), &codebook);
        view! {
            <section class="brief-part">
                <h2>{heading}</h2>
                {if bars.is_empty() {
                    view! { <p class="muted">{empty}</p> }.into_any()
                } else {
                    view! { <BarChart title=format!("{}, {period}", dimension.label()) bars /> }.into_any()
                }}
            </section>
        }
    };
    let rose = alerts
        .alerts
        .iter()
        .map(|a| {
            view! {
                <li>
                    <strong>{a.measure.label(&codebook)}</strong>
                    {format!(
                        " rose on {}: {} against about {} a day before.",
                        a.day.format("%a %d %b"),
                        a.count,
                        a.baseline_mean
                    )}
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
                    {format!(", noted on {} phones since {}", t.workers, t.first_seen.format("%a %d %b"))}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let label = {
        let codebook = codebook.clone();
        move |m: &Measure| m.label(&codebook)
    };
    let all_totals: Vec<PeriodTotal> = Dimension::ALL.into_iter().flat_map(totals).collect();
    let stem = format!("peerpulse-brief-{}-{}", trends.from, trends.to);
    let files = [
        (
            format!("{stem}-daily.csv"),
            "Daily counts",
            daily_csv(&trends.rows, &label),
        ),
        (
            format!("{stem}-totals.csv"),
            "Period totals",
            totals_csv(&all_totals, &label),
        ),
        (
            format!("{stem}-rose.csv"),
            "What rose",
            alerts_csv(&alerts.alerts, &label),
        ),
        (
            format!("{stem}-new.csv"),
            "What is new",
            new_tags_csv(&alerts.new_free_tags),
        ),
        (
            format!("{stem}-notes.csv"),
            "In workers' words",
            notes_csv(&notes),
        ),
    ];
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
    let made = clock::today().format("%d %b %Y").to_string();
    view! {
        <header>
            <h1 id="brief-heading">{format!("Trend brief: {}", trends.org_name)}</h1>
            <p>{format!("{period}, all sites. Encounters logged by peer workers: {encounters}.")}</p>
            <p class="muted">{format!(
                "Counts below {threshold} are never shown, and a count that would let one be worked out is held back too. Totals add up the days that may be shown; \"+ n small days\" says how many days were left out."
            )}</p>
        </header>
        {section("Top needs", Dimension::Need, "No needs were noted in this period.")}
        <section class="brief-part">
            <h2>"What rose"</h2>
            {if rose.is_empty() {
                view! { <p class="muted">"Nothing rose above its usual level (CDC EARS C1-C3 on daily counts)."</p> }.into_any()
            } else {
                view! { <ul>{rose}</ul> <p class="muted">"Rises are days above the baseline of the days before (CDC EARS C1-C3)."</p> }.into_any()
            }}
        </section>
        <section class="brief-part">
            <h2>"What is new"</h2>
            {if new_tags.is_empty() {
                view! { <p class="muted">"No new need was noted by several workers."</p> }.into_any()
            } else {
                view! { <ul>{new_tags}</ul> }.into_any()
            }}
        </section>
        {section("Reach through networks", Dimension::Reach, "No encounters in this period.")}
        {section("What contacts told workers", Dimension::Insight, "No insights were shared in this period.")}
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
        {section("Supplies given", Dimension::Supply, "No supplies were given in this period.")}
        {section("Referrals made", Dimension::Referral, "No referrals were made in this period.")}
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
