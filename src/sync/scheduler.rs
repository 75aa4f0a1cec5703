//! When the phone syncs by itself: at start, when the network comes back, after each save, on
//! a timer, and after a failure again with backoff. One sync runs at a time, and a sync asked
//! for while one runs is never dropped: it runs as soon as the running one ends.
//!
//! Why that matters: a sync reads the changed buckets batch by batch and stops at the first
//! empty read. A save that commits after that last read is not in this sync; before, the
//! request it made was ignored because a sync was running, and it waited for the five-minute
//! timer. Now that request marks the running sync to go round once more.

use super::{SyncError, SyncOutcome};
use crate::job::Job;
use leptos::prelude::*;
use peerpulse_core::backoff::Backoff;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

/// How often an idle phone checks in.
const PERIOD: Duration = Duration::from_secs(300);

/// A sync run, boxed so the scheduler is one type whatever runs the sync.
type Run = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<SyncOutcome, SyncError>>>>>;

/// The one sync runner of the app, shared through the app's state.
#[derive(Clone, Copy)]
pub struct Scheduler {
    job: Job<Result<SyncOutcome, SyncError>>,
    run: StoredValue<Run, LocalStorage>,
    /// A sync was asked for while one was running: run again as soon as it ends.
    again: StoredValue<bool>,
}

impl Scheduler {
    /// A scheduler that syncs by calling `run`; nothing runs until [`Scheduler::request`] (or
    /// [`Scheduler::start`]).
    pub fn new<F, Fut>(run: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<SyncOutcome, SyncError>> + 'static,
    {
        let run: Run = Rc::new(move || Box::pin(run()));
        Self {
            job: Job::new(),
            run: StoredValue::new_local(run),
            again: StoredValue::new(false),
        }
    }

    /// Whether a sync is running (tracked).
    pub fn pending(&self) -> bool {
        self.job.pending()
    }

    /// Whether a sync is running, untracked.
    pub fn pending_untracked(&self) -> bool {
        self.job.pending_untracked()
    }

    /// Reads what the last finished sync gave (tracked; `None` before the first).
    pub fn with_last<R>(&self, f: impl FnOnce(&Option<Result<SyncOutcome, SyncError>>) -> R) -> R {
        self.job.with_value(f)
    }

    /// Syncs now; if a sync is running, it goes round once more when it ends, so whatever
    /// changed meanwhile is sent by it at once.
    pub fn request(&self) {
        if self.job.pending_untracked() {
            self.again.set_value(true);
            return;
        }
        self.again.set_value(false);
        let (run, again) = (self.run.get_value(), self.again);
        self.job.start(async move {
            let mut result = run().await;
            // Requests made while this sync ran: once more, at once. A failed sync is left
            // to the retry with backoff, except one that found no credentials: the request
            // then came from the enrolment that just gave them, and nothing else would retry.
            while matches!(result, Ok(_) | Err(SyncError::NotEnrolled))
                && again.try_update_value(std::mem::take) == Some(true)
            {
                result = run().await;
            }
            result
        });
    }

    /// Syncs now and from then on by itself: when the network comes back, when the service
    /// worker wakes the page, every [`PERIOD`], and after a retryable failure with backoff.
    pub fn start(self) -> Self {
        let scheduler = self;
        let failures = StoredValue::new(0u32);
        let retry = StoredValue::new_local(None::<TimeoutHandle>);
        Effect::new(move |_| {
            let Some(result) = scheduler.job.value() else {
                return;
            };
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
                Ok(_) => failures.set_value(0),
                Err(_) => {}
            }
        });
        // The handles live as long as the app: the listeners are never removed.
        let _online = window_event_listener(leptos::ev::online, move |_| scheduler.request());
        // The service worker's Background Sync wakes the page through this event (index.html).
        let _woken = window_event_listener_untyped("peerpulse-sync", move |_| scheduler.request());
        set_interval(move || scheduler.request(), PERIOD);
        scheduler.request();
        scheduler
    }
}

/// Failures worth retrying by themselves; the others need the worker (enrol again).
fn retryable(error: &SyncError) -> bool {
    match error {
        SyncError::Service(e) => e.is_transient(),
        SyncError::CodeNotFetched => true,
        SyncError::NotEnrolled | SyncError::Store(_) => false,
    }
}
