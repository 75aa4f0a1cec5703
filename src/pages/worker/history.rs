//! The worker's history: what was logged, day by day, with filters and an export.

use crate::clock;
use crate::components::chip_picker::SingleChoice;
use crate::components::entry_item::{EntryItem, OfferState};
use crate::download;
use crate::i18n::csv_words::WorkerCsv;
use crate::i18n::{count, errors, fill, intl, language, t, text};
use crate::job::Job;
use crate::json;
use crate::state::use_app;
use crate::store::StoreError;
use crate::store::encounters::{self, EntryPage, StoredEncounter};
use crate::store::note_outbox;
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::encounter::{Encounter, EncounterId};
use peerpulse_core::field_notes::NoteChange;
use peerpulse_core::history::{DaySummary, Filter, day_summaries, to_csv};
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
    fn label(self) -> String {
        text(match self {
            Self::Today => "when.today",
            Self::Week => "history.week",
            Self::Everything => "history.everything",
        })
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
    // What the worker is looking for: one value, as core's filter defines it.
    let filter = RwSignal::new(Filter::default());

    let entries = Job::new();
    entries.follow(move || {
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
            let page = match chosen {
                Period::Today => encounters::on_day(&store, today).await.map(whole),
                Period::Week => encounters::between(&store, today - Days::new(6), today)
                    .await
                    .map(whole),
                Period::Everything => encounters::page_before(&store, None, PAGE).await,
            }?;
            // Which offered notes are still waiting to be sent (the rest the service has).
            let waiting: Vec<EncounterId> = note_outbox::waiting(&store)
                .await?
                .into_iter()
                .filter_map(|c| match c {
                    NoteChange::Offer(offer) => Some(offer.id),
                    NoteChange::Withdraw(_) => None,
                })
                .collect();
            Ok::<_, StoreError>((page, waiting))
        }
    });
    // What "Everything" holds: a few pages in a row (today's and the week's are one page).
    let window = RwSignal::new(None::<PageWindow<Vec<StoredEncounter>>>);
    Effect::new(move |_| {
        let first = entries.with_value(|read| match read {
            Some(Ok((first, _))) => Some(first.clone()),
            _ => None,
        });
        if let Some(first) = first {
            let span = PageSpan {
                from: first.older_before,
                before: None,
            };
            window.set(Some(PageWindow::new(PAGES_HELD, span, first.entries)));
        }
    });
    // Each read page goes straight into the window (which ignores one that no longer fits).
    let reading = Job::<Result<(), StoreError>>::new();
    let show_earlier = Callback::new(move |before: NaiveDate| {
        let store = app.store();
        reading.start(async move {
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
            Ok(())
        });
    });
    let show_newer = Callback::new(move |span: PageSpan| {
        let store = app.store();
        reading.start(async move {
            let entries = encounters::in_span(&store, span).await?;
            window.update(|w| {
                if let Some(w) = w {
                    w.push_newer(span, entries);
                }
            });
            Ok(())
        });
    });
    let older_before =
        Signal::derive(move || window.with(|w| w.as_ref().and_then(PageWindow::older_before)));
    let newer_span =
        Signal::derive(move || window.with(|w| w.as_ref().and_then(PageWindow::newer_span)));
    let held = move || window.with(|w| w.as_ref().map(PageWindow::held_span));

    let exported = Job::<Result<usize, ExportError>>::new();
    let export = move |format: Format| {
        let store = app.store();
        let codebook = app.codebook();
        exported.start(async move {
            let all: Vec<Encounter> = encounters::all(&store)
                .await
                .map_err(ExportError::Store)?
                .into_iter()
                .map(|s| s.encounter)
                .collect();
            let stamp = clock::today();
            let saved = match format {
                Format::Csv => download::save(
                    &format!("peerpulse-entries-{stamp}.csv"),
                    "text/csv",
                    &to_csv(&all, &codebook, &WorkerCsv),
                ),
                Format::Json => {
                    let json = json::to_string_pretty(&all)
                        .map_err(|e| ExportError::File(e.to_string()))?;
                    download::save(
                        &format!("peerpulse-entries-{stamp}.json"),
                        "application/json",
                        &json,
                    )
                }
            };
            saved
                .map_err(|e| ExportError::File(e.to_string()))
                .map(|()| all.len())
        });
    };

    let deleting = Job::<()>::new();
    let delete = Callback::new(move |id: EncounterId| {
        deleting.start(async move {
            // A failed delete leaves the entry listed; nothing else to say.
            let _ = app.delete(id).await;
        });
    });
    // Entries whose offered note has not reached the service yet (read with the entries).
    let offers_waiting = Signal::derive(move || {
        entries.with_value(|read| match read {
            Some(Ok((_, waiting))) => waiting.clone(),
            _ => Vec::new(),
        })
    });
    // "Correction saved." from the edit form, shown once.
    let notice = app.notice.get_untracked();
    app.notice.set(None);

    let book = codebook.clone();
    // The entries held, oldest first, that pass the filters.
    let shown = move || {
        let filter = filter.get();
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
            <h1 id="history-heading">{t("nav.history")}</h1>
            <p class="status saved" role="status" data-testid="notice">{notice.map(text)}</p>
            <SingleChoice
                legend="history.show"
                name="period"
                options=[Period::Today, Period::Week, Period::Everything]
                    .into_iter()
                    .map(|p| (p, p.label()))
                    .collect()
                selected=period
            />
            <div class="filters">
                <CodeSelect label="history.need" list=CodeList::Need codebook=codebook.clone() set=move |code| filter.update(|f| f.need = code) />
                <CodeSelect label="history.topic" list=CodeList::Topic codebook=codebook.clone() set=move |code| filter.update(|f| f.topic = code) />
                <label class="field">
                    {t("history.search")}
                    <input
                        type="search"
                        name="search"
                        prop:value=move || filter.with(|f| f.text.clone())
                        on:input=move |ev| filter.update(|f| f.text = event_target_value(&ev))
                    />
                </label>
            </div>
            <RemovalsWaiting />
            <Show when=move || newer_span.with(Option::is_some)>
                <div class="more">
                    <ReadPageButton label="history.newer" job=reading read=show_newer next=newer_span />
                </div>
            </Show>
            {
                let codebook = codebook.clone();
                move || {
                    let codebook = codebook.clone();
                    let read = entries.with_value(|read| match read {
                        None => None,
                        Some(Ok(_)) => Some(Ok(())),
                        Some(Err(e)) => Some(Err(errors::store(e))),
                    });
                    match read.map(|read| read.map(|()| shown())) {
                        None => view! { <p role="status">{t("history.loading")}</p> }.into_any(),
                        Some(Err(e)) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{t("history.no_match")}</p> }.into_any(),
                        Some(Ok(list)) => view! { <Days list codebook delete offers_waiting /> }.into_any(),
                    }
                }
            }
            <Show when=move || held().and_then(held_text).is_some()>
                <div class="more">
                    <p class="muted" role="status">{move || held().and_then(held_text)}</p>
                    <ReadPageButton label="history.earlier" job=reading read=show_earlier next=older_before />
                </div>
            </Show>
            <div class="export">
                <h2>{t("history.records")}</h2>
                <p class="muted">{t("history.records_explain")}</p>
                <div class="row">
                    <button type="button" class="secondary" on:click=move |_| export(Format::Csv)>
                        {t("history.export_csv")}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| export(Format::Json)>
                        {t("history.export_json")}
                    </button>
                </div>
                <p role="status" class:error=move || exported.with_value(|v| matches!(v, Some(Err(_))))>
                    {move || match exported.value() {
                        Some(Ok(n)) => count("history.exported", n as u64, &[]),
                        Some(Err(ExportError::Store(e))) => errors::store(&e),
                        Some(Err(ExportError::File(why))) => fill("history.export_failed", &[("why", &why)]),
                        None => String::new(),
                    }}
                </p>
            </div>
        </section>
    }
}

/// Why the export did not happen.
#[derive(Clone, Debug, PartialEq)]
enum ExportError {
    /// The entries could not be read.
    Store(StoreError),
    /// The file could not be written or handed to the browser.
    File(String),
}

/// "12 encounters, 3 needs noted, 1 new need".
fn summary_sentence(summary: &DaySummary) -> String {
    let mut parts = vec![count("history.encounters", summary.encounters as u64, &[])];
    if summary.needs_noted > 0 {
        parts.push(count(
            "history.needs_noted",
            summary.needs_noted as u64,
            &[],
        ));
    }
    if summary.new_needs > 0 {
        parts.push(count("history.new_needs", summary.new_needs as u64, &[]));
    }
    parts.join(&text("list.separator"))
}

/// Which days the listed pages cover, when that is not every day: "Showing entries from 9
/// August 2025 on." (`None` when everything is listed).
fn held_text(span: PageSpan) -> Option<String> {
    let long = |day: NaiveDate| intl::day(language(), day, &[("dateStyle", "long")]);
    let last = |before: NaiveDate| long(before.pred_opt().unwrap_or(before));
    match (span.from, span.before) {
        (Some(from), None) => Some(fill("history.from", &[("from", &long(from))])),
        (Some(from), Some(before)) => Some(fill(
            "history.from_to",
            &[("from", &long(from)), ("to", &last(before))],
        )),
        (None, Some(before)) => Some(fill("history.up_to", &[("to", &last(before))])),
        (None, None) => None,
    }
}

/// A button reading the page `next` names into the history (hidden when there is none), and
/// what went wrong if the read failed.
#[component]
fn ReadPageButton<I: Clone + Send + Sync + 'static>(
    label: &'static str,
    job: Job<Result<(), StoreError>>,
    read: Callback<I>,
    next: Signal<Option<I>>,
) -> impl IntoView {
    view! {
        <Show when=move || next.with(Option::is_some)>
            <button
                type="button"
                class="secondary"
                disabled=move || job.pending()
                on:click=move |_| {
                    if let Some(page) = next.get_untracked() {
                        read.run(page);
                    }
                }
            >
                {t(label)}
            </button>
        </Show>
        {move || {
            job.with_value(|value| match value {
                Some(Err(e)) => Some(view! { <p role="alert" class="error">{errors::store(e)}</p> }),
                _ => None,
            })
        }}
    }
}

/// Deleted entries whose removal the service has not counted yet: each goes once it has.
#[component]
fn RemovalsWaiting() -> impl IntoView {
    let app = use_app();
    move || {
        app.sync_state.with(|state| {
            let rows: Vec<_> = state
                .removals_waiting()
                .map(|removal| {
                    let receipt = state.receipt(removal.version);
                    view! {
                        <li class="entry removal">
                            <span class="time">{intl::day(language(), removal.day, &[("weekday", "long"), ("day", "numeric"), ("month", "long")])}</span>
                            <span class="receipt" data-receipt=receipt.name()>
                                <span class="receipt-mark" aria-hidden="true">{receipt.mark()}</span>
                                " "
                                {text(receipt.removal_key())}
                            </span>
                        </li>
                    }
                })
                .collect();
            (!rows.is_empty()).then(|| {
                view! {
                    <section class="removals" aria-labelledby="removals-heading">
                        <h2 id="removals-heading">{t("history.removals")}</h2>
                        <ul class="entries">{rows}</ul>
                    </section>
                }
            })
        })
    }
}

/// Entries grouped by day, each day headed by its summary; recent entries can be corrected.
#[component]
fn Days(
    list: Vec<StoredEncounter>,
    codebook: Codebook,
    delete: Callback<EncounterId>,
    offers_waiting: Signal<Vec<EncounterId>>,
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
                        {intl::day(language(), summary.day, &[("weekday", "long"), ("day", "numeric"), ("month", "long")])}
                        <span class="summary">{summary_sentence(&summary)}</span>
                    </h2>
                    <ul class="entries">
                        {day_entries
                            .into_iter()
                            .map(|stored| {
                                let id = stored.encounter.id.clone();
                                let may_change = window.allows(stored.encounter.day, today);
                                let offer = if offers_waiting.with_untracked(|w| w.contains(&id)) {
                                    OfferState::Waiting
                                } else {
                                    OfferState::Sent
                                };
                                view! {
                                    <EntryItem stored codebook=codebook.clone() offer>
                                        <Show when=move || may_change>
                                            <A href=format!("/edit/{id}")>{t("history.edit")}</A>
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

/// Deletes an entry after the worker confirms, in the page itself: "Delete" turns into the
/// question with "Yes, delete" and "Keep it" in its place.
#[component]
fn DeleteButton(id: EncounterId, delete: Callback<EncounterId>) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                view! {
                    <button type="button" class="secondary" on:click=move |_| asking.set(true)>
                        {t("history.delete")}
                    </button>
                }
            }
        >
            {
                let id = id.clone();
                view! {
                    <span class="confirm" role="group" aria-label=t("history.delete_question")>
                        <span class="confirm-question">
                            {t("history.delete_explain")}
                        </span>
                        <button
                            type="button"
                            class="danger"
                            on:click={
                                let id = id.clone();
                                move |_| {
                                    delete.run(id.clone());
                                }
                            }
                        >
                            {t("history.yes_delete")}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| asking.set(false)>
                            {t("history.keep_it")}
                        </button>
                    </span>
                }
            }
        </Show>
    }
}

/// A drop-down of one codebook list, with "any" first.
#[component]
fn CodeSelect(
    label: &'static str,
    list: CodeList,
    codebook: Codebook,
    /// Takes the code chosen ("any" is none).
    set: impl Fn(Option<Code>) + 'static,
) -> impl IntoView {
    let options = codebook
        .entries(list)
        .iter()
        .map(|e| view! { <option value=e.code.to_string()>{e.label.clone()}</option> })
        .collect_view();
    view! {
        <label class="field">
            {t(label)}
            <select on:change=move |ev| set(Code::new(&event_target_value(&ev)).ok())>
                <option value="">{t("history.any")}</option>
                {options}
            </select>
        </label>
    }
}
