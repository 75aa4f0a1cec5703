//! "Delete entries after sending": how long this phone keeps entries once the service has
//! counted them. Their counts stay as they are; only the entries themselves go.

use crate::clock;
use crate::i18n::{count, errors, t, text};
use crate::job::Job;
use crate::state::use_app;
use crate::store::{StoreError, device, encounters};
use leptos::prelude::*;
use peerpulse_core::retention::KeepEntries;

/// The choice, saved as soon as it is made; older counted entries go at once.
#[component]
pub fn KeepEntriesChoice() -> impl IntoView {
    let app = use_app();
    let chosen = RwSignal::new(None::<KeepEntries>);
    let load = Job::new();
    load.start({
        let store = app.store();
        async move {
            let keep = device::keep_entries(&store).await;
            if let Ok(keep) = &keep {
                chosen.try_set(Some(*keep));
            }
            keep.map(|_| ())
        }
    });
    let save = Job::<Result<u32, StoreError>>::new();
    let choose = move |keep: KeepEntries| {
        chosen.set(Some(keep));
        let store = app.store();
        save.start(async move {
            device::save_keep_entries(&store, keep).await?;
            encounters::drop_counted(&store, keep, clock::today()).await
        });
    };
    let choice = move |keep: KeepEntries| {
        let id = format!("keep-entries-{}", keep.as_str());
        let label_for = id.clone();
        view! {
            <label class="choice" for=label_for>
                <input
                    type="radio"
                    name="keep-entries"
                    id=id
                    value=keep.as_str()
                    prop:checked=move || chosen.get() == Some(keep)
                    disabled=move || chosen.get().is_none()
                    on:change=move |_| choose(keep)
                />
                {t(match keep {
                    KeepEntries::Always => "keep.always",
                    KeepEntries::Week => "keep.week",
                    KeepEntries::Month => "keep.month",
                    KeepEntries::Quarter => "keep.quarter",
                })}
            </label>
        }
    };
    view! {
        <fieldset class="keep-entries" aria-describedby="keep-entries-help">
            <legend>{t("keep.legend")}</legend>
            <p id="keep-entries-help" class="muted">
                {t("keep.help")}
            </p>
            {KeepEntries::ALL.into_iter().map(choice).collect_view()}
            <p role="status" class="status" data-testid="keep-entries-status">
                {move || match (load.value(), save.value()) {
                    (Some(Err(e)), _) | (_, Some(Err(e))) => errors::store(&e),
                    (_, Some(Ok(0))) => text("keep.saved"),
                    (_, Some(Ok(n))) => count("keep.saved_deleted", u64::from(n), &[]),
                    _ => String::new(),
                }}
            </p>
        </fieldset>
    }
}
