//! Where a phone lands after scanning a manager's QR code: it enrols itself with the code in
//! the link (after the `#`, so the code never reaches server logs).

use crate::address::fragment;
use crate::components::sync_panel::Connecting;
use crate::i18n::{errors, fill, t, text};
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
        let code: EnrolmentCode = fragment().parse().map_err(|_| text("enrol.bad_link"))?;
        app.enrol(code, retries).await.map_err(|e| errors::sync(&e))
    });
    view! {
        <section aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">{t("enrol.title")}</h1>
                {move || {
                    outcome
                        .value()
                        .map_or_else(|| view! { <Connecting retries /> }.into_any(), |result| match result {
                            Ok(credentials) => view! {
                                <p role="status" class="status saved">
                                    {fill("enrol.connected", &[("org", &credentials.org_name)])}
                                </p>
                            }
                                .into_any(),
                            Err(why) => view! { <p role="alert" class="error">{why}</p> }.into_any(),
                        })
                }}
            <A href="/">{t("enrol.start")}</A>
        </section>
    }
}
