//! The sync scheduler in headless Chromium, with a stand-in for the service: a save that lands
//! while a sync is running is sent by that sync or the next one at once, never left for the
//! five-minute timer.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use leptos::prelude::*;
use peerpulse::store::{buckets, device, encounters};
use peerpulse::sync::SyncOutcome;
use peerpulse::sync::scheduler::Scheduler;
use peerpulse_core::codebook::Code;
use peerpulse_core::encounter::{Encounter, EncounterDraft, EncounterKind, Reach, TimeBand};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{fresh_store, saved};

fn encounter(need: &str) -> Encounter {
    let day = NaiveDate::from_ymd_opt(2026, 11, 3).expect("valid test date");
    saved(EncounterDraft {
        site: Some(Code::new("van").expect("code")),
        kind: Some(EncounterKind::Outreach),
        reach: Some(Reach::WalkIn),
        needs: [Code::new(need).expect("code")].into(),
        ..EncounterDraft::new(day, TimeBand::Evening)
    })
}

/// Waits `ms` milliseconds on the browser's timer.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("a timer");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("the timer fires");
}

/// Polls `done` every 10 ms for up to `ms` milliseconds.
async fn within(ms: i32, done: impl Fn() -> bool) -> bool {
    for _ in 0..ms / 10 {
        if done() {
            return true;
        }
        sleep(10).await;
    }
    done()
}

#[wasm_bindgen_test]
async fn a_save_after_the_last_batch_read_of_a_running_sync_is_sent_at_once() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let store = fresh_store().await;

    // The stand-in service: each sync sends every unacknowledged batch as `sync_now` does,
    // acknowledges it, and stops at the first empty read. The first sync then stalls after
    // that read until `released`, the moment a save can slip in unseen.
    let sent = Rc::new(RefCell::new(Vec::<u64>::new()));
    let runs = Rc::new(Cell::new(0u32));
    let stalled = Rc::new(Cell::new(false));
    let released = Rc::new(Cell::new(false));
    let scheduler = {
        let (store, sent, runs) = (store.clone(), sent.clone(), runs.clone());
        let (stalled, released) = (stalled.clone(), released.clone());
        Scheduler::new(move || {
            let (store, sent, runs) = (store.clone(), sent.clone(), runs.clone());
            let (stalled, released) = (stalled.clone(), released.clone());
            async move {
                runs.set(runs.get() + 1);
                loop {
                    let state = device::sync_state(&store).await?;
                    let batch = buckets::next_batch(&store, state.acked_through).await?;
                    let Some(through) = batch.iter().map(|b| b.version).max() else {
                        break;
                    };
                    sent.borrow_mut().push(through);
                    device::record_ack(&store, through, "t").await?;
                }
                if runs.get() == 1 {
                    stalled.set(true);
                    while !released.get() {
                        sleep(10).await;
                    }
                }
                Ok(SyncOutcome::default())
            }
        })
    };

    encounters::save(&store, &encounter("food"), "t")
        .await
        .expect("first save");
    scheduler.request();
    assert!(within(2_000, || stalled.get()).await, "the first sync ran");
    assert_eq!(*sent.borrow(), vec![1]);

    // A save after the sync's last read, asking for a sync as every save does.
    encounters::save(&store, &encounter("housing"), "t")
        .await
        .expect("second save");
    scheduler.request();
    released.set(true);

    assert!(
        within(2_000, || sent.borrow().contains(&2)).await,
        "the save made during the sync was sent without waiting for the timer (sent: {:?})",
        sent.borrow()
    );
    assert_eq!(runs.get(), 2, "one more round, not one per request");
    assert!(
        within(500, || !scheduler.pending_untracked()).await,
        "the scheduler settles"
    );
    let state = device::sync_state(&store).await.expect("sync state");
    assert_eq!(state.acked_through, 2);
    drop(owner);
}

#[wasm_bindgen_test]
async fn requests_while_idle_each_start_a_sync_and_requests_while_busy_fold_into_one() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    let runs = Rc::new(Cell::new(0u32));
    let scheduler = {
        let runs = runs.clone();
        Scheduler::new(move || {
            let runs = runs.clone();
            async move {
                runs.set(runs.get() + 1);
                sleep(50).await;
                Ok(SyncOutcome::default())
            }
        })
    };
    scheduler.request();
    for _ in 0..5 {
        scheduler.request();
    }
    assert!(
        within(2_000, || runs.get() == 2 && !scheduler.pending_untracked()).await,
        "five requests during one sync make one more sync (runs: {})",
        runs.get()
    );
    scheduler.request();
    assert!(
        within(2_000, || runs.get() == 3).await,
        "an idle request syncs"
    );
    drop(owner);
}
