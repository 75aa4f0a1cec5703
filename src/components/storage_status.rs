//! Whether this phone's entries are safe from the browser clearing them, and how full storage is.

use crate::job::Job;
use crate::store::persistence;
use leptos::prelude::*;

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1_000_000.0)
}

/// A line under today's entries; a warning when entries could be lost.
#[component]
pub fn StorageStatus() -> impl IntoView {
    // Read once when the screen opens.
    let health = Job::new();
    health.start(persistence::ensure_persistent());
    view! {
            {move || {
                health
                    .value()
                    .map(|read| match read {
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        Ok(h) => {
                            let usage = match (h.usage, h.quota) {
                                (Some(u), Some(q)) => format!("Using {} of {}.", megabytes(u), megabytes(q)),
                                _ => String::new(),
                            };
                            let safety = if h.persisted {
                                "Entries on this phone are protected from automatic clearing."
                            } else {
                                "This browser may clear entries when space runs low: connect and sync often."
                            };
                            let warn = !h.persisted || h.nearly_full();
                            let full = h
                                .nearly_full()
                                .then_some(" Storage is nearly full: sync, then free some space.");
                            view! {
                                <p class="storage muted" class:error=warn data-testid="storage">
                                    {format!("{safety} {usage}{}", full.unwrap_or_default())}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
    }
}
