//! Where a phone lands after scanning a manager's QR code: it enrols itself with the code in
//! the link (after the `#`, so the code never reaches server logs).

use crate::app::use_app;
use crate::sync::{self, scheduler::use_scheduler};
use leptos::prelude::*;
use leptos_router::components::A;
use peerpulse_core::enrolment::EnrolmentCode;

/// The text after `#` in the address bar.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Enrols this phone with the code in the link.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let app = use_app();
    let scheduler = use_scheduler();
    let outcome = LocalResource::new(move || {
        let store = app.store();
        async move {
            let code: EnrolmentCode = fragment().parse().map_err(|_| {
                "This link holds no valid enrolment code. Type the code from your manager on the Log screen instead.".to_owned()
            })?;
            sync::enrol(&store, code).await.map_err(|e| e.to_string())
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            app.notify_changed();
            scheduler.request();
        }
    });
    view! {
        <section aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">"Connecting this phone"</h1>
            <Suspense fallback=|| view! { <p role="status">"Connecting…"</p> }>
                {move || {
                    outcome
                        .get()
                        .map(|result| match result {
                            Ok(credentials) => view! {
                                <p role="status" class="status saved">
                                    {format!("This phone is connected to {}. It syncs by itself from now on.", credentials.org_name)}
                                </p>
                            }
                                .into_any(),
                            Err(why) => view! { <p role="alert" class="error">{why}</p> }.into_any(),
                        })
                }}
            </Suspense>
            <A href="/">"Start logging"</A>
        </section>
    }
}
