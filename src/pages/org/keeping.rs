//! Keeping data (admins): how long each phone's own counts are kept before they fold into the
//! organization's totals, and what that leaves as it was.

use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::org_api::{OrgSettings, RetentionUpdate, SessionInfo};
use peerpulse_core::retention::KeepPhoneRows;

/// The choices offered; the service takes any whole number of months from its minimum.
const MONTHS: [u16; 4] = [3, 6, 12, 24];

/// How long per-phone counts are kept, and the change of it.
#[component]
pub fn Keeping(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let save = Action::new_local(move |keep: &Option<KeepPhoneRows>| {
        let (info, update) = (
            info.get_value(),
            RetentionUpdate {
                keep_phone_rows_months: *keep,
            },
        );
        async move { org_client::set_retention(&info, &update).await }
    });
    let settings = LocalResource::new(move || {
        save.version().track();
        org_client::settings()
    });
    // The choice on screen: "always" or a number of months.
    let chosen = RwSignal::new(String::new());
    view! {
        <section id="keeping" aria-labelledby="keeping-heading">
            <h2 id="keeping-heading">"Keeping data"</h2>
            <p class="muted">
                "Each phone's own counts of a day show who captured what (oversight). After the months chosen here, they fold into the organization's totals: every published figure stays exactly as it was, and a phone's late correction of such a day is not counted again."
            </p>
            {move || settings.get().map(|loaded| match loaded {
                Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                Ok(now) => {
                    chosen.set(choice_of(&now));
                    view! { <KeepingForm now chosen save /> }.into_any()
                }
            })}
        </section>
    }
}

#[component]
fn KeepingForm(
    now: OrgSettings,
    chosen: RwSignal<String>,
    save: Action<Option<KeepPhoneRows>, Result<OrgSettings, OrgError>>,
) -> impl IntoView {
    // A setting made from the command line may be a number of months not offered here.
    let stored = now.keep_phone_rows_months.map(KeepPhoneRows::get);
    let mut months = MONTHS.to_vec();
    months.extend(stored.filter(|m| !MONTHS.contains(m)));
    months.sort_unstable();
    let options = std::iter::once(("always".to_owned(), "Always".to_owned()))
        .chain(months.into_iter().map(|m| (m.to_string(), format!("{m} months"))))
        .map(|(value, text)| view! { <option value=value.clone() selected=chosen.get_untracked() == value>{text}</option> })
        .collect_view();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let keep = chosen
            .get_untracked()
            .parse()
            .ok()
            .and_then(|m| KeepPhoneRows::months(m).ok());
        save.dispatch(keep);
    };
    let closed = now.closed_through.map(|day| {
        format!(
            "Days up to {} are kept as the organization's totals only.",
            day.format("%-d %B %Y")
        )
    });
    view! {
        <form class="keeping-form" on:submit=on_submit>
            <label for="keep-phone-rows">"Keep each phone's own counts for"</label>
            <div class="row">
                <select
                    id="keep-phone-rows"
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    {options}
                </select>
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    "Save"
                </button>
            </div>
            <p class="status" role="status">
                {move || match save.value().get() {
                    _ if save.pending().get() => "Saving…".to_owned(),
                    Some(Ok(_)) => "Saved. The next fold, within the hour, applies it.".to_owned(),
                    _ => String::new(),
                }}
            </p>
            {move || save.value().get().and_then(Result::err).map(|e| view! {
                <p role="alert" class="error">{e.to_string()}</p>
            })}
            <p class="muted">
                {format!(
                    "Counts smaller than {} are never published. Workers may date, correct or delete an entry up to {} days back.",
                    now.threshold, now.edit_window_days
                )}
            </p>
            {closed.map(|text| view! { <p class="muted">{text}</p> })}
        </form>
    }
}

/// The `<select>` value of the stored setting.
fn choice_of(settings: &OrgSettings) -> String {
    settings
        .keep_phone_rows_months
        .map_or_else(|| "always".to_owned(), |k| k.get().to_string())
}
