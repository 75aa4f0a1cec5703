//! The worker's history: what was logged, day by day, with filters and an export.

use crate::app::use_app;
use crate::clock;
use crate::components::chip_picker::SingleChoice;
use crate::components::entry_item::EntryItem;
use crate::download;
use crate::json;
use crate::store::StoreError;
use crate::store::encounters::{self, EntryPage, StoredEncounter};
use crate::sync::scheduler::use_scheduler;
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::encounter::Encounter;
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::history::{Filter, day_summaries, to_csv};
use peerpulse_core::page_window::{PageSpan, PageWindow};

/// Entries read at a time when the history goes back through everything: whole days holding
/// at least this many, so a phone with a year of entries lists as quickly as a new one.
const PAGE: u32 = 200;

/// Pages "Everything" holds at once (about 600 entries): going further back lets go of the
/// newest, so memory and the page's size stay the same however far back the worker goes.
const PAGES_HELD: usize = 3;

/// Which days the history shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Period {
    Today,
    Week,
    Everything,
}

impl Period {
    fn label(self) -> &'static str {
        match self {
            Self::Today => "Today",
            Self::Week => "Last 7 days",
            Self::Everything => "Everything",
        }
    }
}

/// Which export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// The history screen.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let app = use_app();
    let codebook = app.codebook();
    let period = RwSignal::new(Some(Period::Week));
    let need = RwSignal::new(None::<Code>);
    let topic = RwSignal::new(None::<Code>);
    let text = RwSignal::new(String::new());

    let entries = LocalResource::new(move || {
        app.entries_changed.track();
        app.edit_window.track();
        let chosen = period.get().unwrap_or(Period::Week);
        let store = app.store();
        async move {
            let today = clock::today();
            let whole = |entries| EntryPage {
                entries,
                older_before: None,
            };
            match chosen {
                Period::Today => encounters::on_day(&store, today).await.map(whole),
                Period::Week => encounters::between(&store, today - Days::new(6), today)
                    .await
                    .map(whole),
                Period::Everything => encounters::page_before(&store, None, PAGE).await,
            }
        }
    });
    // What "Everything" holds: a few pages in a row (today's and the week's are one page).
    let window = RwSignal::new(None::<PageWindow<Vec<StoredEncounter>>>);
    Effect::new(move |_| {
        if let Some(Ok(first)) = entries.get() {
            let span = PageSpan {
                from: first.older_before,
                before: None,
            };
            window.set(Some(PageWindow::new(PAGES_HELD, span, first.entries)));
        }
    });
    // Each read page goes straight into the window (which ignores one that no longer fits).
    let show_earlier = Action::new_local(move |before: &NaiveDate| {
        let (store, before) = (app.store(), *before);
        async move {
            let page = encounters::page_before(&store, Some(before), PAGE).await?;
            let span = PageSpan {
                from: page.older_before,
                before: Some(before),
            };
            window.update(|w| {
                if let Some(w) = w {
                    w.push_older(span, page.entries);
                }
            });
            Ok::<_, StoreError>(())
        }
    });
    let show_newer = Action::new_local(move |span: &PageSpan| {
        let (store, span) = (app.store(), *span);
        async move {
            let entries = encounters::in_span(&store, span).await?;
            window.update(|w| {
                if let Some(w) = w {
                    w.push_newer(span, entries);
                }
            });
            Ok::<_, StoreError>(())
        }
    });
    let older_before =
        Signal::derive(move || window.with(|w| w.as_ref().and_then(PageWindow::older_before)));
    let newer_span =
        Signal::derive(move || window.with(|w| w.as_ref().and_then(PageWindow::newer_span)));
    let held = move || window.with(|w| w.as_ref().map(PageWindow::held_span));

    let export = Action::new_local(move |format: &Format| {
        let format = *format;
        let store = app.store();
        async move {
            let all: Vec<Encounter> = encounters::all(&store)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|s| s.encounter)
                .collect();
            let stamp = clock::today();
            let saved = match format {
                Format::Csv => download::save(
                    &format!("peerpulse-entries-{stamp}.csv"),
                    "text/csv",
                    &to_csv(&all),
                ),
                Format::Json => {
                    let json = json::to_string_pretty(&all).map_err(|e| e.to_string())?;
                    download::save(
                        &format!("peerpulse-entries-{stamp}.json"),
                        "application/json",
                        &json,
                    )
                }
            };
            saved.map_err(|e| e.to_string()).map(|()| all.len())
        }
    });

    let scheduler = use_scheduler();
    let delete = Action::new_local(move |id: &EncounterId| {
        let id = id.clone();
        let store = app.store();
        async move { encounters::delete(&store, &id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
            app.notify_entries_changed();
            scheduler.request();
        }
    });

    let book = codebook.clone();
    // The entries held, oldest first, that pass the filters.
    let shown = move || {
        let filter = Filter {
            need: need.get(),
            topic: topic.get(),
            text: text.get(),
        };
        window.with(|w| {
            w.iter()
                .flat_map(|w| w.pages().rev().flatten())
                .filter(|s| filter.matches(&s.encounter, &book))
                .cloned()
                .collect::<Vec<StoredEncounter>>()
        })
    };

    view! {
        <section class="history" aria-labelledby="history-heading">
            <h1 id="history-heading">"History"</h1>
            <SingleChoice
                legend="Show"
                name="period"
                options=[Period::Today, Period::Week, Period::Everything]
                    .into_iter()
                    .map(|p| (p, p.label().to_owned()))
                    .collect()
                selected=period
            />
            <div class="filters">
                <CodeSelect label="Need" list=CodeList::Need codebook=codebook.clone() selected=need />
                <CodeSelect label="Topic you shared" list=CodeList::Topic codebook=codebook.clone() selected=topic />
                <label class="field">
                    "Search"
                    <input
                        type="search"
                        name="search"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <Show when=move || newer_span.with(Option::is_some)>
                <div class="more">
                    <ReadPageButton label="Show newer entries" action=show_newer next=newer_span />
                </div>
            </Show>
            <Transition fallback=|| view! { <p role="status">"Loading history…"</p> }>
                {
                    let codebook = codebook.clone();
                    move || {
                        let codebook = codebook.clone();
                        entries
                            .get()
                            .map(|read| read.map(|_| shown()))
                            .map(move |read| match read {
                                Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                                Ok(list) if list.is_empty() => view! { <p class="muted">"No entries match."</p> }.into_any(),
                                Ok(list) => view! { <Days list codebook delete /> }.into_any(),
                            })
                    }
                }
            </Transition>
            <Show when=move || held().and_then(held_text).is_some()>
                <div class="more">
                    <p class="muted" role="status">{move || held().and_then(held_text)}</p>
                    <ReadPageButton label="Show earlier entries" action=show_earlier next=older_before />
                </div>
            </Show>
            <div class="export">
                <h2>"Your own records"</h2>
                <p class="muted">"Every entry on this phone, including private notes, as a file for you to keep."</p>
                <div class="row">
                    <button type="button" class="secondary" on:click=move |_| { export.dispatch(Format::Csv); }>
                        "Export CSV"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| { export.dispatch(Format::Json); }>
                        "Export JSON"
                    </button>
                </div>
                <p role="status" class:error=move || matches!(export.value().get(), Some(Err(_)))>
                    {move || match export.value().get() {
                        Some(Ok(n)) => format!("Exported {n} entries."),
                        Some(Err(e)) => e,
                        None => String::new(),
                    }}
                </p>
            </div>
        </section>
    }
}

/// Which days the listed pages cover, when that is not every day: "Showing entries from 9
/// August 2025 on." (`None` when everything is listed).
fn held_text(span: PageSpan) -> Option<String> {
    let long = |day: NaiveDate| day.format("%d %B %Y").to_string();
    let last = |before: NaiveDate| long(before.pred_opt().unwrap_or(before));
    match (span.from, span.before) {
        (Some(from), None) => Some(format!("Showing entries from {} on.", long(from))),
        (Some(from), Some(before)) => Some(format!(
            "Showing entries from {} to {}.",
            long(from),
            last(before)
        )),
        (None, Some(before)) => Some(format!("Showing entries up to {}.", last(before))),
        (None, None) => None,
    }
}

/// A button reading the page `next` names into the history (hidden when there is none), and
/// what went wrong if the read failed.
#[component]
fn ReadPageButton<I: Clone + Send + Sync + 'static>(
    label: &'static str,
    action: Action<I, Result<(), StoreError>>,
    next: Signal<Option<I>>,
) -> impl IntoView {
    view! {
        <Show when=move || next.with(Option::is_some)>
            <button
                type="button"
                class="secondary"
                disabled=move || action.pending().get()
                on:click=move |_| {
                    if let Some(page) = next.get_untracked() {
                        action.dispatch(page);
                    }
                }
            >
                {label}
            </button>
        </Show>
        {move || {
            action.value().with(|value| match value {
                Some(Err(e)) => Some(view! { <p role="alert" class="error">{e.to_string()}</p> }),
                _ => None,
            })
        }}
    }
}

/// Entries grouped by day, each day headed by its summary; recent entries can be corrected.
#[component]
fn Days(
    list: Vec<StoredEncounter>,
    codebook: Codebook,
    delete: Action<EncounterId, Result<StoredEncounter, StoreError>>,
) -> impl IntoView {
    let window = use_app().edit_window.get_untracked();
    let today = clock::today();
    let summaries = day_summaries(list.iter().map(|s| &s.encounter));
    summaries
        .into_iter()
        .map(|summary| {
            let day_entries: Vec<StoredEncounter> = list
                .iter()
                .filter(|s| s.encounter.day == summary.day)
                .rev()
                .cloned()
                .collect();
            let codebook = codebook.clone();
            view! {
                <section class="day" data-testid="history-day">
                    <h2>
                        {summary.day.format("%A %d %B").to_string()}
                        <span class="summary">{summary.sentence()}</span>
                    </h2>
                    <ul class="entries">
                        {day_entries
                            .into_iter()
                            .map(|stored| {
                                let id = stored.encounter.id.clone();
                                let may_change = window.allows(stored.encounter.day, today);
                                view! {
                                    <EntryItem stored codebook=codebook.clone()>
                                        <Show when=move || may_change>
                                            <A href=format!("/edit/{id}")>"Edit"</A>
                                            <DeleteButton id=id.clone() delete />
                                        </Show>
                                    </EntryItem>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
}

/// Deletes an entry after the worker confirms.
#[component]
fn DeleteButton(
    id: EncounterId,
    delete: Action<EncounterId, Result<StoredEncounter, StoreError>>,
) -> impl IntoView {
    let confirm = move || {
        web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(
                    "Delete this entry? Its counts are taken back on the next sync.",
                )
                .ok()
            })
            .unwrap_or(false)
    };
    view! {
        <button
            type="button"
            class="secondary"
            on:click=move |_| {
                if confirm() {
                    delete.dispatch(id.clone());
                }
            }
        >
            "Delete"
        </button>
    }
}

/// A drop-down of one codebook list, with "any" first.
#[component]
fn CodeSelect(
    label: &'static str,
    list: CodeList,
    codebook: Codebook,
    selected: RwSignal<Option<Code>>,
) -> impl IntoView {
    let options = codebook
        .entries(list)
        .iter()
        .map(|e| view! { <option value=e.code.to_string()>{e.label.clone()}</option> })
        .collect_view();
    view! {
        <label class="field">
            {label}
            <select on:change=move |ev| selected.set(Code::new(&event_target_value(&ev)).ok())>
                <option value="">"Any"</option>
                {options}
            </select>
        </label>
    }
}
