//! Capture oversight: encounters each phone logged per day.

use crate::org_client;
use leptos::prelude::*;

/// Days of the capture grid shown.
const CAPTURE_DAYS: usize = 14;

/// Encounters each phone captured per day: a table whose cells shade like a calendar heat map.
#[component]
pub fn Capture() -> impl IntoView {
    let grid = LocalResource::new(org_client::oversight);
    view! {
        <section aria-labelledby="capture-heading">
            <h2 id="capture-heading">"Captured per phone"</h2>
            <Transition fallback=|| view! { <p>"Loading captures…"</p> }>
                {move || grid.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(grid) if grid.devices.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
                    Ok(grid) => {
                        let skip = grid.days.len().saturating_sub(CAPTURE_DAYS);
                        let header = grid.days.iter().skip(skip).map(|d| view! {
                            <th scope="col" abbr=d.format("%A %d %B").to_string()>{d.format("%d").to_string()}</th>
                        }).collect_view();
                        let rows = grid.devices.into_iter().map(|device| {
                            let cells = device.daily.iter().skip(skip).map(|&n| {
                                let level = match n { 0 => 0, 1..=2 => 1, 3..=5 => 2, 6..=9 => 3, _ => 4 };
                                view! { <td class=format!("heat heat-{level}")>{n}</td> }
                            }).collect_view();
                            let status = if device.quiet {
                                format!("Quiet: last sync {}", device.last_sync_at.clone().unwrap_or_else(|| "never".into()))
                            } else {
                                format!("Last sync {}", device.last_sync_at.clone().unwrap_or_default())
                            };
                            view! {
                                <tr class:quiet=device.quiet>
                                    <th scope="row">{device.device_id.clone()}<br /><span class="muted">{status}</span></th>
                                    {cells}
                                    <td class="count">{device.last_week}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <div class="scroll" role="region" aria-label="Encounters per phone and day" tabindex="0">
                                <table class="capture">
                                    <caption class="muted">"Encounters logged per day, last 14 days; totals only, nothing about any contact."</caption>
                                    <thead><tr><th scope="col">"Phone"</th>{header}<th scope="col">"7 days"</th></tr></thead>
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
