//! The worker's app state, and the one place that changes entries.
//!
//! Every page reads the state through [`use_app`]. Entries change only through the mutations
//! here ([`AppContext::save`], [`AppContext::correct`], [`AppContext::delete`],
//! [`AppContext::undo`]): each commits through the store, raises the change for every reader
//! and asks the sync scheduler, so no page can forget one of the three.

pub mod codebook_language;
pub mod draft;

use crate::clock;
use crate::state::codebook_language::codebook_languages;
use crate::store::device::{self, Credentials, SyncState};
use crate::store::encounters::{self, StoredEncounter};
use crate::store::field_alerts;
use crate::store::lock::{self, LockState};
use crate::store::{Store, StoreError};
use crate::sync::scheduler::Scheduler;
use crate::sync::{self, SyncError, SyncOutcome};
use leptos::prelude::*;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::encounter::{EditWindow, Encounter, EncounterId};
use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::usage::FrequentSnapshot;

/// The IndexedDB database name.
pub const DB_NAME: &str = "peerpulse";

/// What every page shares: the open store, the codebook, the sync scheduler and ticks raised
/// after each change.
#[derive(Clone, Copy)]
pub struct AppContext {
    store: StoredValue<Store, LocalStorage>,
    scheduler: Scheduler,
    /// The organization's codebook as this phone last received it (a sync brings a new one),
    /// as the worker reads it: its labels in the worker's codebook languages
    /// ([`codebook_languages`]) for the language shown now, so a switch relabels every code
    /// at once, with no sync or reload.
    pub codebook: Memo<Codebook>,
    /// The choices the form marks as this worker's frequent ones, fixed for the day.
    pub frequent: StoredValue<FrequentSnapshot>,
    /// How far back entries may be dated, edited or deleted, as the organization set it.
    pub edit_window: RwSignal<EditWindow>,
    /// Raised after every save or sync, so counters and trends re-read the store.
    pub changed: RwSignal<u32>,
    /// Raised when entries were saved, corrected, deleted or unlocked, or let go once counted
    /// (not by a sync itself, which leaves them as they are): lists of entries and the edit
    /// form re-read them, and nothing the worker is reading or typing resets when a sync lands.
    pub entries_changed: RwSignal<u32>,
    /// How far the service has confirmed this phone's changes, as of the last sync: each
    /// entry's receipt and the sync line read it.
    pub sync_state: RwSignal<SyncState>,
    /// A PIN is set and not entered: only the lock screen shows.
    pub locked: RwSignal<bool>,
    /// A newer version of the app took over storage in another tab: this one must reload.
    pub outdated: RwSignal<bool>,
    /// The browser says it has a network connection.
    pub online: RwSignal<bool>,
    /// The key of a short confirmation for the next screen ("Correction saved."), taken by
    /// the screen that shows it.
    pub notice: RwSignal<Option<&'static str>>,
}

/// What the app reads from storage before it shows anything.
#[derive(Clone)]
pub struct Opened {
    store: Store,
    codebook: Codebook,
    frequent: FrequentSnapshot,
    edit_window: EditWindow,
    sync_state: SyncState,
}

impl Opened {
    /// Opens the phone's storage and reads what every page needs, in one transaction. Today's
    /// frequent choices are taken here, once a day. Housekeeping waits for the first screen
    /// ([`AppContext::after_first_screen`]).
    pub async fn open() -> Result<Self, StoreError> {
        let store = Store::open(DB_NAME).await?;
        let device::AtStart {
            codebook,
            edit_window,
            sync_state,
            frequent: before,
            usage,
        } = device::read_at_start(&store).await?;
        let frequent = before.clone().for_day(clock::today(), &usage);
        if frequent != before {
            device::save_frequent(&store, &frequent).await?;
        }
        Ok(Self {
            store,
            codebook,
            frequent,
            edit_window,
            sync_state,
        })
    }
}

impl AppContext {
    /// The state of the opened storage, provided to every page below the caller, with syncing
    /// started.
    pub fn provide(opened: Opened) -> Self {
        let Opened {
            store,
            codebook,
            frequent,
            edit_window,
            sync_state,
        } = opened;
        let locked = lock::state(&store) == LockState::Locked;
        let store = StoredValue::new_local(store);
        // As received, labels as the organization wrote them; only a sync changes it.
        let received = RwSignal::new(codebook);
        let codebook = Memo::new(move |_| {
            let languages = codebook_languages(crate::i18n::language());
            received.with(|codebook| codebook.shown_in(&languages))
        });
        let edit_window = RwSignal::new(edit_window);
        let changed = RwSignal::new(0);
        let sync_state = RwSignal::new(sync_state);
        let entries_changed = RwSignal::new(0u32);
        // Each finished sync is taken in where it ends, not by an effect watching for it.
        let scheduler = Scheduler::new(move || {
            let store = store.get_value();
            async move {
                let result = sync::sync(store.clone()).await;
                // Entries this sync got counted may go now: lists must not show them after.
                if result.is_ok() && drop_counted_entries(&store).await > 0 {
                    entries_changed.update(|n| *n = n.wrapping_add(1));
                }
                // A failed sync may have sent changes whose answer was lost: read it either way.
                if let Ok(state) = device::sync_state(&store).await {
                    sync_state.try_set(state);
                }
                take_in(&result, received, edit_window, changed);
                result
            }
        });
        let app = Self {
            store,
            scheduler,
            codebook,
            frequent: StoredValue::new(frequent),
            edit_window,
            changed,
            entries_changed,
            sync_state,
            locked: RwSignal::new(locked),
            outdated: RwSignal::new(false),
            online: RwSignal::new(navigator_online()),
            notice: RwSignal::new(None),
        };
        provide_context(app);
        app.follow_network();
        scheduler.start();
        app
    }

    /// What waits until the first screen is drawn: letting go of the entries the worker lets go
    /// once counted, so that scanning them never delays the form. Lists re-read when some went.
    pub fn after_first_screen(self) {
        leptos::task::spawn_local(async move {
            if drop_counted_entries(&self.store()).await > 0 {
                self.notify_entries_changed();
            }
        });
    }

    /// The open store.
    pub fn store(&self) -> Store {
        self.store.get_value()
    }

    /// The codebook in use now (forms read it when they open).
    pub fn codebook(&self) -> Codebook {
        self.codebook.get_untracked()
    }

    /// The sync runner, for "Sync now" and showing progress and results.
    pub fn scheduler(&self) -> Scheduler {
        self.scheduler
    }

    /// Tells every reader that the store changed.
    pub fn notify_changed(&self) {
        self.changed.update(|n| *n = n.wrapping_add(1));
    }

    /// Tells every reader that entries changed (and so the store).
    pub fn notify_entries_changed(&self) {
        self.entries_changed.update(|n| *n = n.wrapping_add(1));
        self.notify_changed();
    }

    /// What every committed change of entries is followed by.
    fn committed(&self) {
        self.notify_entries_changed();
        self.scheduler.request();
    }

    /// Saves a new encounter, counts it, and has it synced.
    pub async fn save(self, encounter: Encounter) -> Result<StoredEncounter, StoreError> {
        let stored = encounters::save(&self.store(), &encounter, &clock::now_rfc3339()).await?;
        self.committed();
        Ok(stored)
    }

    /// Replaces a past entry with its correction, moves its counts, and has it synced.
    pub async fn correct(self, encounter: Encounter) -> Result<StoredEncounter, StoreError> {
        let stored = encounters::replace(&self.store(), &encounter).await?;
        self.committed();
        Ok(stored)
    }

    /// Deletes an entry, takes back its counts, and has that synced.
    pub async fn delete(self, id: EncounterId) -> Result<StoredEncounter, StoreError> {
        let removed = encounters::delete(&self.store(), &id).await?;
        // History shows the removal waiting at once, also offline, before any sync runs.
        if let Ok(state) = device::sync_state(&self.store()).await {
            self.sync_state.try_set(state);
        }
        self.committed();
        Ok(removed)
    }

    /// Takes back the entry just saved (the same as deleting it).
    pub async fn undo(self, id: EncounterId) -> Result<StoredEncounter, StoreError> {
        self.delete(id).await
    }

    /// Connects this phone to its organization with a code, and syncs. While no answer
    /// comes it asks again by itself, counting the failed tries in `retries`.
    pub async fn enrol(
        self,
        code: EnrolmentCode,
        retries: RwSignal<u32>,
    ) -> Result<Credentials, SyncError> {
        retries.set(0);
        let retrying = Box::new(move |n| {
            retries.try_set(n);
        });
        let credentials = sync::enrol_phone(self.store(), code, retrying).await?;
        self.notify_changed();
        self.scheduler.request();
        Ok(credentials)
    }

    /// Marks an alert passed on (or takes the mark back); the next sync reports it.
    pub async fn mark_passed_on(self, id: i64, passed_on: bool) -> Result<(), StoreError> {
        field_alerts::mark_passed_on(&self.store(), id, passed_on).await?;
        self.notify_changed();
        self.scheduler.request();
        Ok(())
    }

    /// Keeps [`AppContext::online`] true to the browser's connection.
    fn follow_network(self) {
        let online = self.online;
        // The handles live as long as the app: the listeners are never removed.
        let _on = window_event_listener(leptos::ev::online, move |_| online.set(true));
        let _off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    }
}

/// Deletes the entries the worker lets go once counted (see [`encounters::drop_counted`]):
/// once the first screen is up and after each sync. A failure keeps every entry and stops
/// nothing else. Returns how many went.
async fn drop_counted_entries(store: &Store) -> u32 {
    let dropped = match device::keep_entries(store).await {
        Ok(keep) => encounters::drop_counted(store, keep, clock::today()).await,
        Err(e) => Err(e),
    };
    dropped.unwrap_or_else(|e| {
        leptos::logging::warn!("could not drop counted entries: {e}");
        0
    })
}

/// Takes in what a finished sync brought: new counts for every reader, the codebook and the
/// edit window the service sent.
fn take_in(
    result: &Result<SyncOutcome, SyncError>,
    received: RwSignal<Codebook>,
    edit_window: RwSignal<EditWindow>,
    changed: RwSignal<u32>,
) {
    // A sync that never started (no credentials) changed nothing stored.
    if !matches!(result, Err(SyncError::NotEnrolled)) {
        changed.update(|n| *n = n.wrapping_add(1));
    }
    if let Ok(outcome) = result {
        announce(&outcome.new_alerts);
        // Every answer carries the window; readers hear of it only when it changed.
        if let Some(window) = outcome.edit_window
            && window != edit_window.get_untracked()
        {
            edit_window.set(window);
        }
        if let Some(new) = &outcome.codebook {
            received.set(new.clone());
        }
    }
}

/// A system notification for each alert this phone had not held, when the worker allowed
/// them: in the worker's language, one per alert.
fn announce(new: &[peerpulse_core::field_alert::PublishedAlert]) {
    if new.is_empty() || !crate::notification::allowed() {
        return;
    }
    let language = worker_language();
    for alert in new {
        let title = crate::i18n::fill(
            "alerts.notification_title",
            &[("kind", &crate::i18n::labels::alert_kind(alert.content.kind))],
        );
        let body = alert
            .content
            .message_in(&language)
            .unwrap_or_default()
            .to_owned();
        let tag = format!("peerpulse-alert-{}", alert.id);
        leptos::task::spawn_local(async move {
            crate::notification::show(&title, &body, &tag).await;
        });
    }
}

/// The worker's language, as chosen on the Phone page (the browser's when none was chosen).
pub fn worker_language() -> peerpulse_core::language::LanguageTag {
    let tag = crate::i18n::choice::resolve(crate::i18n::choice::kept()).tag();
    peerpulse_core::language::LanguageTag::new(tag).expect("every interface language is a tag")
}

/// Whether the browser says it is online (true when it cannot tell).
fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The shared state; every page of the worker's app is rendered inside it.
pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}
