//! The interface's language: the browser's by default, or one the person picks. The choice is
//! kept in this browser (and, in the organization's app, on the person's account); whatever is
//! typed stays as it is, since every text redraws in place.

use crate::i18n::choice::{self, Choice};
use crate::i18n::{t, text};
use crate::job::Job;
use leptos::prelude::*;
use peerpulse_core::language::Language;

/// A labelled `<select>` of the languages, each in its own name.
///
/// `browser` is the key of the "follow the browser" option's text; `chosen_by` (if given) hears
/// each choice once its language has loaded and shows, so it can keep it elsewhere too, and
/// `not_kept` (if given) says, beside the control, why it could not.
#[component]
pub fn LanguagePicker(
    browser: &'static str,
    #[prop(optional)] chosen_by: Option<Callback<Choice>>,
    #[prop(optional, into)] not_kept: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let switching = Job::<Result<(), choice::LoadError>>::new();
    let pick = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let wanted = value
            .parse::<Language>()
            .map_or(Choice::Browser, Choice::Chosen);
        switching.start(async move {
            let result = choice::apply(wanted).await;
            if result.is_ok()
                && let Some(chosen_by) = chosen_by
            {
                chosen_by.run(wanted);
            }
            result
        });
    };
    view! {
        <div class="language">
            <label for="language">{t("phone.language")}</label>
            <select id="language" on:change=pick aria-describedby="language-status">
                <option value="" prop:selected=move || choice::chosen() == Choice::Browser>
                    {t(browser)}
                </option>
                {Language::ALL
                    .into_iter()
                    .map(|l| view! {
                        <option value=l.tag() lang=l.tag() prop:selected=move || choice::chosen() == Choice::Chosen(l)>
                            {l.own_name()}
                        </option>
                    })
                    .collect_view()}
            </select>
            <p id="language-status" role="status" class="hint muted">
                {move || match switching.value() {
                    _ if switching.pending() => text("phone.language_loading"),
                    Some(Err(_)) => text("phone.language_failed"),
                    _ => String::new(),
                }}
            </p>
            // Only when there is something to say: an empty alert would stand beside every
            // other alert of the page.
            {move || not_kept.and_then(|not_kept| not_kept.get()).map(|why| view! {
                <p role="alert" class="hint error">{why}</p>
            })}
        </div>
    }
}
