//! A phone drops entries older than the worker's choice once the service counted them,
//! against a real IndexedDB in headless Chromium: unconfirmed entries stay, and the counts
//! the phone holds and sends never move.
#![cfg(target_arch = "wasm32")]

use chrono::Days;
use peerpulse::clock;
use peerpulse::store::{Store, buckets, device, encounters};
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::retention::KeepEntries;
use std::collections::BTreeSet;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{code, encounter, fresh_store};

async fn ids(store: &Store) -> BTreeSet<EncounterId> {
    encounters::all(store)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.encounter.id)
        .collect()
}

/// Everything the service has confirmed so far, as a sync's answer records it.
async fn confirm_all(store: &Store) {
    let state = device::sync_state(store).await.unwrap();
    device::record_ack(store, state.clock, "2026-11-30T10:00:00Z")
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn old_counted_entries_go_unconfirmed_and_recent_ones_stay_and_no_count_moves() {
    let store = fresh_store().await;
    let today = clock::today();
    let old = today - Days::new(40);
    let recent = today - Days::new(2);
    let old_counted = encounter(old, &["housing"]);
    let recent_counted = encounter(recent, &["detox"]);
    let mut corrected = encounter(old, &[]);
    for e in [&old_counted, &recent_counted, &corrected] {
        encounters::save(&store, e, "2026-11-30T09:00:00Z")
            .await
            .unwrap();
    }
    confirm_all(&store).await;
    // Logged after the last sync: not confirmed yet, though just as old.
    let old_unsent = encounter(old, &["housing"]);
    encounters::save(&store, &old_unsent, "2026-11-30T11:00:00Z")
        .await
        .unwrap();
    // Corrected after the last sync: its new counts are not confirmed either.
    corrected.needs = [code("detox")].into();
    encounters::replace(&store, &corrected).await.unwrap();

    let counts = buckets::all(&store).await.unwrap();
    let state = device::sync_state(&store).await.unwrap();
    let to_send = buckets::next_batch(&store, state.acked_through)
        .await
        .unwrap();
    assert!(!to_send.is_empty());

    assert_eq!(
        encounters::drop_counted(&store, KeepEntries::Always, today)
            .await
            .unwrap(),
        0,
        "off by default"
    );
    assert_eq!(
        encounters::drop_counted(&store, KeepEntries::Quarter, today)
            .await
            .unwrap(),
        0,
        "40 days is within 90"
    );
    assert_eq!(
        encounters::drop_counted(&store, KeepEntries::Month, today)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        ids(&store).await,
        [
            recent_counted.id.clone(),
            old_unsent.id.clone(),
            corrected.id.clone()
        ]
        .into(),
        "only the old entry the service confirmed went"
    );
    assert_eq!(
        buckets::all(&store).await.unwrap(),
        counts,
        "the counts this phone holds are as they were"
    );
    assert_eq!(
        buckets::next_batch(&store, state.acked_through)
            .await
            .unwrap(),
        to_send,
        "what the next sync sends is as it was"
    );
    assert_eq!(device::sync_state(&store).await.unwrap(), state);

    // Once the rest is confirmed, it goes too; the recent one stays.
    confirm_all(&store).await;
    assert_eq!(
        encounters::drop_counted(&store, KeepEntries::Week, today)
            .await
            .unwrap(),
        2
    );
    assert_eq!(ids(&store).await, [recent_counted.id.clone()].into());
    assert_eq!(buckets::all(&store).await.unwrap(), counts);
    store.close();
}

#[wasm_bindgen_test]
async fn the_choice_is_kept_and_off_until_made() {
    let store = fresh_store().await;
    assert_eq!(
        device::keep_entries(&store).await.unwrap(),
        KeepEntries::Always
    );
    device::save_keep_entries(&store, KeepEntries::Month)
        .await
        .unwrap();
    let name = store.name();
    store.close();
    let reopened = Store::open(&name).await.unwrap();
    assert_eq!(
        device::keep_entries(&reopened).await.unwrap(),
        KeepEntries::Month
    );
}
