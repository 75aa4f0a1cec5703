//! Today's encounters on this phone, newest last.

use crate::clock;
use crate::components::entry_item::EntryItem;
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
            <h2 id="today-heading">"Today"</h2>
                {move || {
                    let codebook = codebook.clone();
                    today
                        .value()
                        .map(move |read| match read {
                            Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="muted">"Nothing logged yet today."</p> }.into_any()
                            }
                            Ok(list) => {
                                let count = list.len();
                                view! {
                                    <p class="muted" data-testid="today-count">
                                        {format!("{count} logged today")}
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
