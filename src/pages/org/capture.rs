//! Capture oversight: encounters each phone logged per week, and on how many days.

use super::changes::use_changes;
use crate::components::disclosure::DisclosureNote;
use crate::components::phone_week::{Reader, status, week_cell, week_heading};
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
            <h2 id="capture-heading">"Captured per phone"</h2>
            <Transition fallback=|| view! { <p>"Loading captures…"</p> }>
                {move || grid.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(grid) if grid.devices.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
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
                            <p class="muted">"Encounters each phone logged in each of the last 8 weeks (columns start on the Monday shown), and on how many days. Totals only, nothing about any contact."</p>
                            <DisclosureNote threshold parts=None />
                            <div class="scroll" role="region" aria-label="Encounters per phone and week" tabindex="0">
                                <table class="capture">
                                    <caption class="visually-hidden">"Encounters per phone and week"</caption>
                                    <thead><tr><th scope="col">"Phone"</th>{header}</tr></thead>
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
