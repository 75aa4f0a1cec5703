//! The worker's app shell: storage opening, shared context, navigation and routes. The
//! organization's pages are another bundle (`crate::org_app`).

use crate::components::lock_screen::LockScreen;
use crate::idle_lock;
use crate::pages::{
    capture::CapturePage, edit::EditPage, enrol::EnrolPage, history::HistoryPage, phone::PhonePage,
    trends::TrendsPage,
};
use crate::store::lock::{self, LockState};
use crate::store::{Store, StoreError, device};
use crate::sync::scheduler;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::usage::Usage;

/// The IndexedDB database name.
pub const DB_NAME: &str = "peerpulse";

/// What every page shares: the open store, the codebook, and a tick raised after each change.
#[derive(Clone, Copy)]
pub struct AppContext {
    store: StoredValue<Store, LocalStorage>,
    /// The organization's codebook as this phone last received it.
    pub codebook: RwSignal<Codebook>,
    /// How often this worker picked each choice: the form puts the most used first.
    pub usage: RwSignal<Usage>,
    /// How far back entries may be dated, edited or deleted, as the organization set it.
    pub edit_window: RwSignal<EditWindow>,
    /// Raised after every save or sync, so counters and trends re-read the store.
    pub changed: RwSignal<u32>,
    /// Raised when entries were saved, corrected, deleted or unlocked (not by a sync, which
    /// leaves them as they are): lists of entries and the edit form re-read them, and
    /// nothing the worker is reading or typing resets when a sync lands.
    pub entries_changed: RwSignal<u32>,
    /// A PIN is set and not entered: only the lock screen shows.
    pub locked: RwSignal<bool>,
    /// A newer version of the app took over storage in another tab: this one must reload.
    pub outdated: RwSignal<bool>,
}

impl AppContext {
    /// The open store.
    pub fn store(&self) -> Store {
        self.store.get_value()
    }

    /// The codebook in use now (forms read it when they open).
    pub fn codebook(&self) -> Codebook {
        self.codebook.get_untracked()
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
}

/// The shared context; every page is rendered inside it.
pub fn use_app() -> AppContext {
    expect_context::<AppContext>()
}

fn reload() {
    if let Some(window) = web_sys::window() {
        // A failed reload leaves the message up; the worker can reload by hand.
        let _ = window.location().reload();
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let opened = LocalResource::new(|| async {
        let store = Store::open(DB_NAME).await?;
        let codebook = device::codebook(&store).await?;
        let usage = device::usage(&store).await?;
        let edit_window = device::edit_window(&store).await?;
        Ok::<_, StoreError>(Opened {
            store,
            codebook,
            usage,
            edit_window,
        })
    });
    view! {
        <Router>
            <header class="topbar">
                <span class="brand">"PeerPulse"</span>
                <nav aria-label="Main">
                    <A href="/">"Log"</A>
                    <A href="/history">"History"</A>
                    <A href="/trends">"Trends"</A>
                    <A href="/phone">"Phone"</A>
                </nav>
            </header>
            <main id="main">
                <Suspense fallback=|| view! { <OpeningStorage /> }>
                    {move || {
                        opened
                            .get()
                            .map(|result| match result {
                                Ok(opened) => view! { <Ready opened /> }.into_any(),
                                Err(e) => {
                                    view! { <p role="alert" class="error">{e.to_string()}</p> }
                                        .into_any()
                                }
                            })
                    }}
                </Suspense>
            </main>
        </Router>
    }
}

/// What the app reads from storage before it shows anything.
#[derive(Clone)]
struct Opened {
    store: Store,
    codebook: Codebook,
    usage: Usage,
    edit_window: EditWindow,
}

/// Shown while storage opens; an upgrade waiting for another tab gets a hint after a moment.
#[component]
fn OpeningStorage() -> impl IntoView {
    let slow = RwSignal::new(false);
    set_timeout(move || slow.set(true), std::time::Duration::from_secs(3));
    view! {
        <p role="status">"Opening storage…"</p>
        <Show when=move || slow.get()>
            <p role="alert">
                "This is taking long: if PeerPulse is open in another tab or window, close it so this update can finish. Your entries are kept."
            </p>
        </Show>
    }
}

/// The routes, once storage is open.
#[component]
fn Ready(opened: Opened) -> impl IntoView {
    let locked = lock::state(&opened.store) == LockState::Locked;
    let app = AppContext {
        locked: RwSignal::new(locked),
        outdated: RwSignal::new(false),
        store: StoredValue::new_local(opened.store),
        codebook: RwSignal::new(opened.codebook),
        usage: RwSignal::new(opened.usage),
        edit_window: RwSignal::new(opened.edit_window),
        changed: RwSignal::new(0),
        entries_changed: RwSignal::new(0),
    };
    provide_context(app);
    provide_context(scheduler::start(app));
    idle_lock::start(app);
    leptos::task::spawn_local(async move {
        if app.store().yield_to_upgrade().await {
            app.outdated.set(true);
        }
    });
    // While locked, the pages stay mounted but hidden, so a half-filled form survives the lock.
    view! {
        <Show when=move || app.outdated.get()>
            <div class="error" role="alert">
                <p>"PeerPulse was updated in another tab. Reload this one to go on: your entries are kept."</p>
                <button type="button" class="primary" on:click=|_| reload()>"Reload"</button>
            </div>
        </Show>
        <Show when=move || app.locked.get()>
            <LockScreen />
        </Show>
        <div hidden=move || app.locked.get()>
            <Routes fallback=|| view! { <p>"This page does not exist."</p> }>
                <Route path=path!("/") view=CapturePage />
                <Route path=path!("/history") view=HistoryPage />
                <Route path=path!("/edit/:id") view=EditPage />
                <Route path=path!("/trends") view=TrendsPage />
                <Route path=path!("/phone") view=PhonePage />
                <Route path=path!("/enrol") view=EnrolPage />
            </Routes>
        </div>
    }
}
