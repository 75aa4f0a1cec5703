//! Async work the worker starts (a save, a delete, an export, an unlock), with whether it is
//! running and what it last gave: what leptos's `Action` gives, at a fraction of the weight.
//!
//! Each `Action` type carries its own copy of the action machinery (input, version and value
//! signals, dispatch bookkeeping) into the wasm the phone downloads; a `Job` is two signals and
//! the future itself, and the follow-up runs in the same future instead of in an `Effect`
//! watching the value.

use leptos::prelude::*;
use std::future::Future;

/// One piece of async work at a time, its pending flag and its last result.
pub struct Job<O: 'static> {
    pending: RwSignal<bool>,
    value: RwSignal<Option<O>, LocalStorage>,
    /// Raised by each start: only the latest run's result is kept.
    runs: StoredValue<u32>,
}

impl<O> Clone for Job<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for Job<O> {}

impl<O: Clone + 'static> Job<O> {
    /// A job that has not run.
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
            value: RwSignal::new_local(None),
            runs: StoredValue::new(0),
        }
    }

    /// Whether the work is running (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// Whether the work is running, untracked (in event handlers).
    pub fn pending_untracked(&self) -> bool {
        self.pending.get_untracked()
    }

    /// What the last run gave, if any (tracked).
    pub fn value(&self) -> Option<O> {
        self.value.get()
    }

    /// Reads what the last run gave (tracked).
    pub fn with_value<R>(&self, f: impl FnOnce(&Option<O>) -> R) -> R {
        self.value.with(f)
    }

    /// Forgets the last result.
    pub fn clear(&self) {
        self.value.set(None);
    }

    /// Runs `work`; its result becomes [`Job::value`] unless another run started meanwhile.
    /// A screen left meanwhile drops the result.
    pub fn start(&self, work: impl Future<Output = O> + 'static) {
        let Self {
            pending,
            value,
            runs,
        } = *self;
        let run = runs.try_update_value(|n| {
            *n = n.wrapping_add(1);
            *n
        });
        pending.set(true);
        leptos::task::spawn_local(async move {
            let out = work.await;
            if runs.try_get_value() == run {
                value.try_set(Some(out));
                pending.try_set(false);
            }
        });
    }

    /// Runs `work()` now and again whenever a signal it reads before its first `.await`
    /// changes: a resource's behaviour, and like a `Transition` the last result stays shown
    /// until the next one is in.
    pub fn follow<Fut: Future<Output = O> + 'static>(&self, work: impl Fn() -> Fut + 'static) {
        let job = *self;
        Effect::new(move |_| job.start(work()));
    }
}

impl<O: Clone + 'static> Default for Job<O> {
    fn default() -> Self {
        Self::new()
    }
}
