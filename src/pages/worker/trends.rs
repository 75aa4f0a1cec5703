//! The organization's trends on the phone: every phone's counts together, for a week or a
//! month, as the service publishes them.

use crate::clock;
use crate::components::period_picker::{PeriodPicker, Recent};
use crate::components::trends::{Rising, TrendTables, intro};
use crate::i18n::{errors, t};
use crate::job::Job;
use crate::state::use_app;
use crate::store::device;
use crate::sync::SyncError;
use crate::sync::client;
use leptos::prelude::*;

/// The trends dashboard.
#[component]
pub fn TrendsPage() -> impl IntoView {
    let app = use_app();
    let period = RwSignal::new(Some(Recent::ThisMonth.period(clock::today())));
    let trends = Job::new();
    trends.follow(move || {
        app.changed.track();
        let store = app.store();
        let period = period
            .get()
            .unwrap_or_else(|| Recent::ThisMonth.period(clock::today()));
        async move {
            let credentials = device::credentials(&store)
                .await?
                .ok_or(SyncError::NotEnrolled)?;
            let trends = client::trends(&credentials.token, period).await?;
            let alerts = client::alerts(&credentials.token, period).await?;
            Ok::<_, SyncError>((trends, alerts))
        }
    });
    let codebook = app.codebook();
    view! {
        <section class="trends" aria-labelledby="trends-heading">
            <h1 id="trends-heading">{t("nav.trends")}</h1>
            <PeriodPicker legend="trends.period" name="trends-period" recent=&Recent::FOR_PHONES selected=period />
            <button type="button" class="secondary" on:click=move |_| app.notify_changed()>
                {t("trends.refresh")}
            </button>
                {move || {
                    let codebook = codebook.clone();
                    trends
                        .value()
                        .map_or_else(|| view! { <p role="status">{t("trends.loading")}</p> }.into_any(), move |read| match read {
                            Err(e) => view! { <p role="alert" class="error">{errors::sync(&e)}</p> }.into_any(),
                            Ok((trends, alerts)) => view! {
                                {intro(&trends, &codebook, false)}
                                <Rising alerts codebook=codebook.clone() />
                                <TrendTables trends codebook />
                            }
                                .into_any(),
                        })
                }}
        </section>
    }
}
