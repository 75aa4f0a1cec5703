//! The worker's app shell: navigation and routes, once storage is open. The state every page
//! shares lives in `crate::state`; the organization's pages are another bundle
//! (`crate::org_app`).

use crate::components::lock_screen::LockScreen;
use crate::i18n::{errors, t};
use crate::idle_lock;
use crate::job::Job;
use crate::later_pages::{self, Later, LaterPage};
use crate::pages::worker::capture::CapturePage;
use crate::state::{AppContext, Opened};
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

fn reload() {
    if let Some(window) = web_sys::window() {
        // A failed reload leaves the message up; the worker can reload by hand.
        let _ = window.location().reload();
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let opened = Job::new();
    opened.start(Opened::open());
    view! {
        <Router>
            <header class="topbar">
                <span class="brand">"PeerPulse"</span>
                <nav aria-label=t("nav.label")>
                    <A href="/">{t("nav.log")}</A>
                    <A href="/history">{t("nav.history")}</A>
                    <A href="/trends">{t("nav.trends")}</A>
                    <A href="/phone">{t("nav.phone")}</A>
                </nav>
            </header>
            <main id="main">
                {move || match opened.value() {
                    // Routes even while storage opens: a tap on the nav then still moves the
                    // address (the router writes it only once a route answers), so the page it
                    // shows and a reload agree.
                    None => {
                        view! {
                            <Routes fallback=OpeningStorage>
                                <Route path=path!("/*any") view=OpeningStorage />
                            </Routes>
                        }
                            .into_any()
                    }
                    Some(Ok(opened)) => view! { <Ready opened /> }.into_any(),
                    Some(Err(e)) => {
                        view! { <p role="alert" class="error">{move || errors::store(&e)}</p> }.into_any()
                    }
                }}
            </main>
        </Router>
    }
}

/// Shown while storage opens; an upgrade waiting for another tab gets a hint after a moment.
#[component]
fn OpeningStorage() -> impl IntoView {
    let slow = RwSignal::new(false);
    set_timeout(move || slow.set(true), std::time::Duration::from_secs(3));
    view! {
        <p role="status">{t("app.opening_storage")}</p>
        <Show when=move || slow.get()>
            <p role="alert">
                {t("app.opening_slow")}
            </p>
        </Show>
    }
}

/// The routes, once storage is open.
#[component]
fn Ready(opened: Opened) -> impl IntoView {
    let app = AppContext::provide(opened);
    idle_lock::start(app);
    leptos::task::spawn_local(async move {
        if app.store().yield_to_upgrade().await {
            app.outdated.set(true);
        }
    });
    // The form is up with this view: the other pages' code can come now, and housekeeping.
    later_pages::prefetch();
    app.after_first_screen();
    // While locked, the pages stay mounted but hidden, so a half-filled form survives the lock.
    view! {
        <Show when=move || app.outdated.get()>
            <div class="error" role="alert">
                <p>{t("app.updated_elsewhere")}</p>
                <button type="button" class="primary" on:click=|_| reload()>{t("app.reload")}</button>
            </div>
        </Show>
        <Show when=move || app.locked.get()>
            <LockScreen />
        </Show>
        <div hidden=move || app.locked.get()>
            <Routes fallback=|| view! { <p>{t("app.no_such_page")}</p> }>
                <Route path=path!("/") view=CapturePage />
                <Route path=path!("/history") view=|| view! { <Later page=LaterPage::History /> } />
                <Route path=path!("/edit/:id") view=|| view! { <Later page=LaterPage::Edit /> } />
                <Route path=path!("/trends") view=|| view! { <Later page=LaterPage::Trends /> } />
                <Route path=path!("/phone") view=|| view! { <Later page=LaterPage::Phone /> } />
                <Route path=path!("/enrol") view=|| view! { <Later page=LaterPage::Enrol /> } />
            </Routes>
        </div>
    }
}
