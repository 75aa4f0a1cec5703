//! Where a phone lands after scanning a manager's QR code: it enrols itself with the code in
//! the link (after the `#`, so the code never reaches server logs).

use crate::address::fragment;
use crate::components::sync_panel::Connecting;
use crate::job::Job;
use crate::state::use_app;
use leptos::prelude::*;
use leptos_router::components::A;
use peerpulse_core::enrolment::EnrolmentCode;

/// Enrols this phone with the code in the link.
#[component]
pub fn EnrolPage() -> impl IntoView {
    let app = use_app();
    // Enrols once, when the page opens.
    let outcome = Job::new();
    let retries = RwSignal::new(0u32);
    outcome.start(async move {
        let code: EnrolmentCode = fragment().parse().map_err(|_| {
            "This link holds no valid enrolment code. Type the code from your manager on the Log screen instead.".to_owned()
        })?;
        app.enrol(code, retries).await.map_err(|e| e.to_string())
    });
    view! {
        <section aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">"Connecting this phone"</h1>
                {move || {
                    outcome
                        .value()
                        .map_or_else(|| view! { <Connecting retries /> }.into_any(), |result| match result {
                            Ok(credentials) => view! {
                                <p role="status" class="status saved">
                                    {format!("This phone is connected to {}. It syncs by itself from now on.", credentials.org_name)}
                                </p>
                            }
                                .into_any(),
                            Err(why) => view! { <p role="alert" class="error">{why}</p> }.into_any(),
                        })
                }}
            <A href="/">"Start logging"</A>
        </section>
    }
}
