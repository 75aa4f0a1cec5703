//! Today's encounters on this phone, newest last.

use crate::clock;
use crate::components::entry_item::EntryItem;
use crate::i18n::{self, errors, t};
use crate::job::Job;
use crate::state::use_app;
use crate::store::encounters;
use leptos::prelude::*;

/// The list under the form: what was logged today.
#[component]
pub fn TodayList() -> impl IntoView {
    let app = use_app();
    let codebook = app.codebook();
    let today = Job::new();
    today.follow(move || {
        app.entries_changed.track();
        let store = app.store();
        async move { encounters::on_day(&store, clock::today()).await }
    });
    view! {
        <section class="today" aria-labelledby="today-heading">
            <h2 id="today-heading">{t("when.today")}</h2>
                {move || {
                    let codebook = codebook.clone();
                    today
                        .value()
                        .map(move |read| match read {
                            Err(e) => view! { <p role="alert" class="error">{move || errors::store(&e)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="muted">{t("today.nothing")}</p> }.into_any()
                            }
                            Ok(list) => {
                                let count = list.len();
                                view! {
                                    <p class="muted" data-testid="today-count">
                                        {move || i18n::count("today.logged", count as u64, &[])}
                                    </p>
                                    <ul class="entries">
                                        {list
                                            .into_iter()
                                            .rev()
                                            .map(|stored| {
                                                view! { <EntryItem stored codebook=codebook.clone() /> }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
        </section>
    }
}
