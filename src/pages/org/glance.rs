//! "At a glance": the figures a manager reads first, each linking to its section: encounters
//! this week against last week (published counts), phones logging as usual, what is rising
//! today and notes waiting for review. Read again whenever something changes.

use super::changes::use_changes;
use crate::clock;
use crate::components::period_picker::Recent;
use crate::components::trends::newest_rises;
use crate::i18n::{count, fill, intl, isolated_list, labels, language, org_errors, t, text};
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::bucket::Measure;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::field_notes::{NoteStatus, NotesQuery};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::protocol::{AlertsQuery, TrendsQuery, TrendsResponse};

/// What the summary row shows.
#[derive(Clone)]
struct Glance {
    this_week: TrendsResponse,
    last_week: TrendsResponse,
    rising: Vec<Measure>,
    codebook: Codebook,
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
        .map(|(alert, _)| alert.measure.clone())
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
        codebook,
        phones,
        notes_waiting,
    })
}

/// A published total as a reader says it: the number, or "fewer than 5".
fn shown(trends: &TrendsResponse) -> String {
    trends.total(&Measure::Encounters).map_or_else(
        || count("week.fewer_than", u64::from(trends.threshold), &[]),
        |n| intl::number(language(), f64::from(n)),
    )
}

/// One figure of the row: what it is, the figure, a line that puts it in context, and the
/// section that tells more.
fn card(term: String, figure: String, context: String, section: &'static str) -> impl IntoView {
    let about = fill("org.glance.about", &[("what", &term.to_lowercase())]);
    view! {
        <div class="glance-card">
            <dt>{term}</dt>
            <dd class="glance-figure">{figure}</dd>
            <dd class="glance-context">{context} " " <a href=format!("#{section}") rel="external">{text("org.glance.see_more")}<span class="visually-hidden">" "{about}</span></a></dd>
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
            <h2 id="glance-heading">{t("org.glance.title")}</h2>
            <Transition fallback=|| view! { <p>{t("org.glance.loading")}</p> }>
                {move || glance.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{org_errors::call(&e)}</p> }.into_any(),
                    Ok(g) => {
                        let encounters = card(
                            text("org.glance.encounters"),
                            shown(&g.this_week),
                            fill("org.glance.last_week", &[("count", &shown(&g.last_week))]),
                            "trends",
                        );
                        let names: Vec<String> = g.rising.iter().map(|m| labels::measure(m, &g.codebook)).collect();
                        let rising = card(
                            text("org.glance.rising"),
                            match names.len() {
                                0 => text("org.glance.nothing"),
                                n => intl::number(language(), n as f64),
                            },
                            if names.is_empty() {
                                text("org.glance.nothing_rising")
                            } else {
                                fill("org.glance.rising_names", &[("names", &isolated_list(&names))])
                            },
                            "trends",
                        );
                        let phones = g.phones.map(|grid| {
                            let current: Vec<_> = grid.devices.iter().filter(|d| !d.revoked).collect();
                            let quiet = current.iter().filter(|d| d.quiet.is_some()).count();
                            let number = |n: usize| intl::number(language(), n as f64);
                            card(
                                text("org.glance.phones"),
                                fill("org.glance.of", &[("part", &number(current.len() - quiet)), ("all", &number(current.len()))]),
                                match quiet {
                                    0 => text("org.glance.none_quiet"),
                                    n => count("org.glance.gone_quiet", n as u64, &[]),
                                },
                                "capture",
                            )
                        });
                        let notes = g.notes_waiting.map(|n| {
                            card(
                                text("org.glance.notes"),
                                intl::number(language(), n as f64),
                                match n {
                                    0 => text("org.glance.nothing_to_review"),
                                    _ => text("org.glance.notes_offered"),
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
