//! The organization's trends, reloaded whenever a phone's sync lands.

use crate::app::use_app;
use crate::org_client::{self, OrgError};
use crate::pages::trends::{DAYS, Rising, TrendTables};
use leptos::prelude::*;
use peerpulse_core::protocol::EVENTS_PATH;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The organization's trends, reloaded whenever a phone's sync lands (server-sent events).
#[component]
pub fn LiveTrends() -> impl IntoView {
    let app = use_app();
    let landed = RwSignal::new(0u32);
    if let Ok(source) = web_sys::EventSource::new(EVENTS_PATH) {
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            landed.update(|n| *n = n.wrapping_add(1));
        });
        if source
            .add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref())
            .is_ok()
        {
            let kept = StoredValue::new_local((source, on_change));
            on_cleanup(move || kept.with_value(|(source, _)| source.close()));
        }
    }
    let data = LocalResource::new(move || {
        landed.track();
        async move {
            let trends = org_client::trends(DAYS).await?;
            let alerts = org_client::alerts().await?;
            Ok::<_, OrgError>((trends, alerts))
        }
    });
    view! {
        <section aria-labelledby="live-heading">
            <h2 id="live-heading">"Trends, live"</h2>
            <Transition fallback=|| view! { <p>"Loading trends…"</p> }>
                {move || {
                    let codebook = app.codebook();
                    data.get().map(|read| match read {
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
