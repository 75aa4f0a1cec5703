//! Whether this phone's entries are safe from the browser clearing them, and how full storage is.

use crate::i18n::{errors, fill, intl, language, text};
use crate::job::Job;
use crate::store::persistence;
use leptos::prelude::*;

fn megabytes(bytes: f64) -> String {
    let rounded = (bytes / 100_000.0).round() / 10.0;
    fill(
        "storage.megabytes",
        &[("n", &intl::number(language(), rounded))],
    )
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
                        Err(e) => view! { <p class="error" role="alert">{move || errors::store(&e)}</p> }.into_any(),
                        Ok(h) => {
                            let warn = !h.persisted || h.nearly_full();
                            let line = move || {
                            let usage = match (h.usage, h.quota) {
                                (Some(u), Some(q)) => fill("storage.using", &[("used", &megabytes(u)), ("quota", &megabytes(q))]),
                                _ => String::new(),
                            };
                            let safety = text(if h.persisted {
                                "storage.persisted"
                            } else {
                                "storage.not_persisted"
                            });
                            let full = h.nearly_full().then(|| text("storage.nearly_full"));
                            [safety, usage, full.unwrap_or_default()].join(" ").trim().to_owned()
                            };
                            view! {
                                <p class="storage muted" class:error=warn data-testid="storage">
                                    {line}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
    }
}
