//! When the phone syncs by itself: at start, when the network comes back, after each save, on
//! a timer, and after a failure again with backoff. One sync runs at a time.

use super::client::ServiceError;
use super::{SyncError, SyncOutcome, sync_now};
use crate::app::AppContext;
use crate::clock;
use leptos::prelude::*;
use peerpulse_core::backoff::Backoff;
use std::time::Duration;

/// How often an idle phone checks in.
const PERIOD: Duration = Duration::from_secs(300);

/// The one sync runner of the app, shared through context.
#[derive(Clone, Copy)]
pub struct Scheduler {
    action: Action<(), Result<SyncOutcome, SyncError>>,
}

impl Scheduler {
    /// The running or last sync, for showing progress and results.
    pub fn action(&self) -> Action<(), Result<SyncOutcome, SyncError>> {
        self.action
    }

    /// Syncs now, unless a sync is already running (it will pick up the change too).
    pub fn request(&self) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch(());
        }
    }
}

/// The scheduler shared by every page.
pub fn use_scheduler() -> Scheduler {
    expect_context::<Scheduler>()
}

/// Failures worth retrying by themselves; the others need the worker (enrol again).
fn retryable(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Service(ServiceError::Offline | ServiceError::Busy | ServiceError::Server(_))
    )
}

/// Starts syncing by itself and returns the scheduler to share.
pub fn start(app: AppContext) -> Scheduler {
    let action = Action::new_local(move |_: &()| {
        let store = app.store();
        async move { sync_now(&store, clock::now_rfc3339).await }
    });
    let scheduler = Scheduler { action };
    let failures = StoredValue::new(0u32);
    let retry = StoredValue::new_local(None::<TimeoutHandle>);

    Effect::new(move |_| {
        let Some(result) = action.value().get() else {
            return;
        };
        // A sync that never started (no credentials) changed nothing stored.
        if !matches!(result, Err(SyncError::NotEnrolled)) {
            app.notify_changed();
        }
        // Only one retry is ever pending, whatever triggered the failed sync.
        if let Some(pending) = retry.try_update_value(Option::take).flatten() {
            pending.clear();
        }
        match result {
            Err(e) if retryable(&e) => {
                failures.update_value(|f| *f = f.saturating_add(1));
                let delay = Backoff::SYNC.delay(failures.get_value(), js_sys::Math::random());
                match set_timeout_with_handle(move || scheduler.request(), delay) {
                    Ok(handle) => retry.set_value(Some(handle)),
                    Err(e) => leptos::logging::warn!("could not schedule a sync retry: {e:?}"),
                }
            }
            Ok(outcome) => {
                failures.set_value(0);
                // Every answer carries the window; readers hear of it only when it changed.
                if let Some(window) = outcome.edit_window
                    && window != app.edit_window.get_untracked()
                {
                    app.edit_window.set(window);
                }
                if let Some(codebook) = outcome.codebook {
                    app.codebook.set(codebook);
                }
            }
            Err(_) => {}
        }
    });

    // The handle lives as long as the app: the listener is never removed.
    let _online = window_event_listener(leptos::ev::online, move |_| scheduler.request());
    // The service worker's Background Sync wakes the page through this event (index.html).
    let _woken = window_event_listener_untyped("peerpulse-sync", move |_| scheduler.request());
    set_interval(move || scheduler.request(), PERIOD);
    scheduler.request();
    scheduler
}
