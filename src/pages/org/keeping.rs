//! Keeping data (admins): how long each phone's own counts are kept before they fold into the
//! organization's totals, and what that leaves as it was.

use crate::i18n::{count, fill, intl, language, org_errors, t, text};
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
    view! {
        <section id="keeping" aria-labelledby="keeping-heading">
            <h2 id="keeping-heading">{t("org.keeping.title")}</h2>
            <p class="muted">{t("org.keeping.explain")}</p>
            {move || settings.get().map(|loaded| match loaded {
                Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                Ok(now) => view! { <KeepingForm now save /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn KeepingForm(
    now: OrgSettings,
    save: Action<Option<KeepPhoneRows>, Result<OrgSettings, OrgError>>,
) -> impl IntoView {
    // The choice on screen, "always" or a number of months: the form's own draft, started
    // from the settings it shows.
    let chosen = RwSignal::new(choice_of(&now));
    // A setting made from the command line may be a number of months not offered here.
    let stored = now.keep_phone_rows_months.map(KeepPhoneRows::get);
    let mut months = MONTHS.to_vec();
    months.extend(stored.filter(|m| !MONTHS.contains(m)));
    months.sort_unstable();
    let always = view! {
        <option value="always" selected=chosen.get_untracked() == "always">{t("org.keeping.always")}</option>
    };
    let options = months
        .into_iter()
        .map(|m| {
            let value = m.to_string();
            let selected = chosen.get_untracked() == value;
            view! { <option value=value selected=selected>{move || count("org.keeping.months", u64::from(m), &[])}</option> }
        })
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
    let (threshold, window) = (now.threshold, now.edit_window_days);
    let closed = now.closed_through.map(|day| {
        move || {
            fill(
                "org.keeping.closed_through",
                &[("day", &intl::day(language(), day, &[("dateStyle", "long")]))],
            )
        }
    });
    view! {
        <form class="keeping-form" on:submit=on_submit>
            <label for="keep-phone-rows">{t("org.keeping.label")}</label>
            <div class="row">
                <select
                    id="keep-phone-rows"
                    on:change=move |ev| chosen.set(event_target_value(&ev))
                >
                    {always}
                    {options}
                </select>
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {t("org.keeping.save")}
                </button>
            </div>
            <p class="status" role="status">
                {move || match save.value().get() {
                    _ if save.pending().get() => text("org.keeping.saving"),
                    Some(Ok(_)) => text("org.keeping.saved"),
                    _ => String::new(),
                }}
            </p>
            {move || save.value().get().and_then(Result::err).map(|e| view! {
                <p role="alert" class="error">{org_errors::call(&e)}</p>
            })}
            <p class="muted">
                {move || count(
                    "org.keeping.rules",
                    u64::from(window),
                    &[("threshold", &intl::number(language(), f64::from(threshold)))],
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
