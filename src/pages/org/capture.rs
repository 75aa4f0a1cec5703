//! Capture oversight: encounters each phone logged per week, and on how many days.

use super::changes::use_changes;
use crate::components::disclosure::DisclosureNote;
use crate::components::phone_week::{Reader, status, week_cell, week_heading};
use crate::i18n::{org_errors, t};
use crate::org_client;
use leptos::prelude::*;

/// Encounters each phone captured per week for eight weeks: a table whose cells shade with
/// the days something was logged, with quiet phones first.
#[component]
pub fn Capture() -> impl IntoView {
    let changes = use_changes();
    let grid = LocalResource::new(move || {
        changes.track();
        org_client::oversight()
    });
    view! {
        <section id="capture" aria-labelledby="capture-heading">
            <h2 id="capture-heading">{t("org.capture.title")}</h2>
            <Transition fallback=|| view! { <p>{t("org.capture.loading")}</p> }>
                {move || grid.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                    Ok(grid) if grid.devices.is_empty() => view! { <p class="muted">{t("org.capture.none")}</p> }.into_any(),
                    Ok(grid) => {
                        let threshold = grid.threshold;
                        let header = grid.weeks.iter().map(|&w| week_heading(w)).collect_view();
                        let rows = grid.devices.into_iter().map(|device| {
                            let cells = device.weeks.iter().map(|&w| week_cell(w, threshold)).collect_view();
                            let status = status(&device, Reader::Manager);
                            let name = device.label.as_ref().map_or_else(|| device.device_id.clone(), ToString::to_string);
                            let id = device.label.is_some().then(|| device.device_id.clone());
                            view! {
                                <tr class:quiet=device.quiet.is_some()>
                                    <th scope="row">{name}{id.map(|id| view! { " " <span class="muted">{id}</span> })}<br /><span class="muted">{status}</span></th>
                                    {cells}
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <p class="muted">{t("org.capture.explain")}</p>
                            <DisclosureNote threshold parts=None />
                            <div class="scroll" role="region" aria-label=t("org.capture.table") tabindex="0">
                                <table class="capture">
                                    <caption class="visually-hidden">{t("org.capture.table")}</caption>
                                    <thead><tr><th scope="col">{t("org.capture.phone")}</th>{header}</tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
