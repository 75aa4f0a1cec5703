//! "At a glance": the figures a manager reads first, each linking to its section: encounters
//! this week against last week (published counts), phones logging as usual, what is rising
//! today and notes waiting for review. Read again whenever something changes.

use super::changes::use_changes;
use crate::clock;
use crate::components::period_picker::Recent;
use crate::components::trends::newest_rises;
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::bucket::Measure;
use peerpulse_core::field_notes::{NoteStatus, NotesQuery};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::protocol::{AlertsQuery, TrendsQuery, TrendsResponse};

/// What the summary row shows.
#[derive(Clone)]
struct Glance {
    this_week: TrendsResponse,
    last_week: TrendsResponse,
    rising: Vec<String>,
    phones: Option<OversightResponse>,
    notes_waiting: Option<usize>,
}

async fn load(may_oversee: bool, may_review: bool) -> Result<Glance, OrgError> {
    let today = clock::today();
    let week = |recent: Recent| TrendsQuery {
        period: Some(recent.period(today)),
        ..TrendsQuery::default()
    };
    let this_week = org_client::trends(&week(Recent::ThisWeek)).await?;
    let last_week = org_client::trends(&week(Recent::LastWeek)).await?;
    let alerts = org_client::alerts(&AlertsQuery {
        period: Some(Recent::Today.period(today)),
    })
    .await?;
    let codebook = org_client::codebook().await?;
    let rising = newest_rises(&alerts.alerts)
        .into_iter()
        .map(|(alert, _)| alert.measure.label(&codebook))
        .collect();
    let phones = if may_oversee {
        Some(org_client::oversight().await?)
    } else {
        None
    };
    let notes_waiting = if may_review {
        Some(
            org_client::notes(&NotesQuery {
                status: Some(NoteStatus::Pending),
                ..NotesQuery::default()
            })
            .await?
            .len(),
        )
    } else {
        None
    };
    Ok(Glance {
        this_week,
        last_week,
        rising,
        phones,
        notes_waiting,
    })
}

/// A published total as a reader says it: the number, or "fewer than 5".
fn shown(trends: &TrendsResponse) -> String {
    trends.total(&Measure::Encounters).map_or_else(
        || format!("fewer than {}", trends.threshold),
        |n| n.to_string(),
    )
}

/// One figure of the row: what it is, the figure, a line that puts it in context, and the
/// section that tells more.
fn card(
    term: &'static str,
    figure: String,
    context: String,
    section: &'static str,
) -> impl IntoView {
    view! {
        <div class="glance-card">
            <dt>{term}</dt>
            <dd class="glance-figure">{figure}</dd>
            <dd class="glance-context">{context} " " <a href=format!("#{section}") rel="external">"See more"<span class="visually-hidden">{format!(" about {}", term.to_lowercase())}</span></a></dd>
        </div>
    }
}

/// The summary row at the top of the organization page.
#[component]
pub fn AtAGlance(may_oversee: bool, may_review: bool) -> impl IntoView {
    let changes = use_changes();
    let glance = LocalResource::new(move || {
        changes.track();
        load(may_oversee, may_review)
    });
    view! {
        <section id="glance" class="glance" aria-labelledby="glance-heading">
            <h2 id="glance-heading">"At a glance"</h2>
            <Transition fallback=|| view! { <p>"Loading the summary…"</p> }>
                {move || glance.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(g) => {
                        let encounters = card(
                            "Encounters this week",
                            shown(&g.this_week),
                            format!("Last week: {}.", shown(&g.last_week)),
                            "trends",
                        );
                        let rising = card(
                            "Rising today",
                            match g.rising.len() {
                                0 => "Nothing".to_owned(),
                                n => n.to_string(),
                            },
                            if g.rising.is_empty() {
                                "Nothing is above its usual level.".to_owned()
                            } else {
                                format!("{}.", g.rising.join(", "))
                            },
                            "trends",
                        );
                        let phones = g.phones.map(|grid| {
                            let current: Vec<_> = grid.devices.iter().filter(|d| !d.revoked).collect();
                            let quiet = current.iter().filter(|d| d.quiet.is_some()).count();
                            card(
                                "Phones logging as usual",
                                format!("{} of {}", current.len() - quiet, current.len()),
                                match quiet {
                                    0 => "None has gone quiet.".to_owned(),
                                    1 => "1 has gone quiet: a chance to check in.".to_owned(),
                                    n => format!("{n} have gone quiet: a chance to check in."),
                                },
                                "capture",
                            )
                        });
                        let notes = g.notes_waiting.map(|n| {
                            card(
                                "Notes waiting",
                                n.to_string(),
                                match n {
                                    0 => "Nothing to review.".to_owned(),
                                    _ => "Offered by workers for the trend brief.".to_owned(),
                                },
                                "notes",
                            )
                        });
                        view! { <dl class="glance-row">{encounters}{phones}{rising}{notes}</dl> }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
