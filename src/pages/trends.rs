//! The organization's trends, summed over every phone and suppressed below the threshold.

use crate::app::use_app;
use crate::store::device;
use crate::sync::SyncError;
use crate::sync::client;
use leptos::prelude::*;
use peerpulse_core::bucket::Dimension;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::privacy::free_tag::label as tag_label;
use peerpulse_core::protocol::{AlertsResponse, TrendRow, TrendsResponse};

/// Days of trends shown.
pub const DAYS: u32 = 30;

/// The trends dashboard.
#[component]
pub fn TrendsPage() -> impl IntoView {
    let app = use_app();
    let trends = LocalResource::new(move || {
        app.changed.track();
        let store = app.store();
        async move {
            let credentials = device::credentials(&store)
                .await?
                .ok_or(SyncError::NotEnrolled)?;
            let trends = client::trends(&credentials.token, DAYS).await?;
            let alerts = client::alerts(&credentials.token).await?;
            Ok::<_, SyncError>((trends, alerts))
        }
    });
    let codebook = app.codebook();
    view! {
        <section class="trends" aria-labelledby="trends-heading">
            <h1 id="trends-heading">"Trends"</h1>
            <button type="button" class="secondary" on:click=move |_| app.notify_changed()>
                "Refresh"
            </button>
            <Transition fallback=|| view! { <p role="status">"Loading trends…"</p> }>
                {move || {
                    let codebook = codebook.clone();
                    trends
                        .get()
                        .map(move |read| match read {
                            Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                            Ok((trends, alerts)) => view! {
                                <Rising alerts codebook=codebook.clone() />
                                <TrendTables trends codebook />
                            }
                                .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

/// What is rising today (CDC EARS on daily counts) and the free tags new this week.
#[component]
pub fn Rising(alerts: AlertsResponse, codebook: Codebook) -> impl IntoView {
    let rising = alerts
        .alerts
        .iter()
        .map(|alert| {
            let methods = alert
                .methods
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <li>
                    <strong>{alert.measure.label(&codebook)}</strong>
                    {format!(
                        ": {} today against about {} a day before (EARS {methods})",
                        alert.count, alert.baseline_mean
                    )}
                </li>
            }
        })
        .collect_view();
    let new_tags = alerts
        .new_free_tags
        .iter()
        .map(|t| view! { <li>{format!("{} (used on {} phones since {})", tag_label(&t.tag), t.workers, t.first_seen.format("%a %d %b"))}</li> })
        .collect_view();
    let (none_rising, no_tags) = (alerts.alerts.is_empty(), alerts.new_free_tags.is_empty());
    view! {
        <section class="rising" aria-labelledby="rising-heading">
            <h2 id="rising-heading">"Rising today"</h2>
            {if none_rising {
                view! { <p class="muted">"Nothing is rising above its usual level today."</p> }.into_any()
            } else {
                view! { <ul>{rising}</ul> }.into_any()
            }}
            <h2>"New needs this week"</h2>
            {if no_tags {
                view! { <p class="muted">"No new needs that several workers noted."</p> }.into_any()
            } else {
                view! { <ul>{new_tags}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn TrendTables(trends: TrendsResponse, codebook: Codebook) -> impl IntoView {
    let threshold = trends.suppression_threshold;
    let intro = format!(
        "{}, last {DAYS} days, all sites. Counts below {threshold} show as \"<{threshold}\" so no one can be singled out.",
        trends.org_name
    );
    let empty = trends.rows.is_empty();
    let tables = Dimension::ALL
        .into_iter()
        .filter_map(|dimension| {
            let rows: Vec<&TrendRow> = trends
                .rows
                .iter()
                .filter(|r| r.measure.dimension() == dimension)
                .collect();
            (!rows.is_empty()).then(|| {
                let body = rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr>
                                <td>{row.day.format("%a %d %b").to_string()}</td>
                                <td>{row.measure.label(&codebook)}</td>
                                <td class="count">{row.count.to_string()}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table data-dimension=dimension.as_str()>
                        <caption>{dimension.label()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Day"</th>
                                <th scope="col">"What"</th>
                                <th scope="col" class="count">"Count"</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                }
            })
        })
        .collect_view();
    view! {
        <p class="muted">{intro}</p>
        <Show when=move || empty>
            <p>"No counts synced yet."</p>
        </Show>
        {tables}
    }
}
