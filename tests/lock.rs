//! The PIN lock against a real IndexedDB and WebCrypto in headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use indexed_db_futures::prelude::*;
use peerpulse::clock;
use peerpulse::store::lock::{self, LockError, LockState};
use peerpulse::store::schema::ENTRIES;
use peerpulse::store::{Store, StoreError, buckets, encounters};
use peerpulse_core::codebook::{Code, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterKind, Reach, TimeBand,
};
use peerpulse_core::pin::Pin;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 3).expect("valid test date")
}

fn encounter(note: &str) -> Encounter {
    EncounterDraft {
        site: Some(Code::new("van").unwrap()),
        kind: Some(EncounterKind::Outreach),
        reach: Some(Reach::WalkIn),
        needs: [Code::new("housing").unwrap()].into(),
        private_note: note.to_owned(),
        ..EncounterDraft::new(day(), TimeBand::Evening)
    }
    .validate(
        clock::new_encounter_id(),
        day(),
        EditWindow::default(),
        &Codebook::harm_reduction_default(),
    )
    .expect("valid test encounter")
}

fn pin(digits: &str) -> Pin {
    Pin::parse(digits).expect("valid test PIN")
}

/// The records as IndexedDB holds them, as JSON text.
async fn raw_entries(store: &Store) -> String {
    let db = indexed_db_futures::database::Database::open(&store.name())
        .await
        .unwrap();
    let tx = db.transaction(ENTRIES).build().unwrap();
    let all: Vec<JsValue> = tx
        .object_store(ENTRIES)
        .unwrap()
        .get_all::<JsValue>()
        .await
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let text = all
        .iter()
        .map(|v| js_sys::JSON::stringify(v).unwrap().as_string().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    drop(tx);
    db.close();
    text
}

async fn fresh_store() -> Store {
    Store::open(&format!("lock-{}", clock::new_encounter_id()))
        .await
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_pin_seals_every_entry_at_rest_and_a_wrong_pin_destroys_nothing() {
    let store = fresh_store().await;
    let before_pin = encounter("met near the old market, wants dental");
    encounters::save(&store, &before_pin, "2026-11-03T20:00:00+00:00")
        .await
        .unwrap();
    assert!(raw_entries(&store).await.contains("old market"));

    lock::enable(&store, &pin("409173")).await.unwrap();
    assert_eq!(lock::state(&store), LockState::Unlocked);
    let after_pin = encounter("second one, also dental");
    encounters::save(&store, &after_pin, "2026-11-03T21:00:00+00:00")
        .await
        .unwrap();
    let raw = raw_entries(&store).await;
    assert!(
        !raw.contains("old market") && !raw.contains("dental"),
        "{raw}"
    );
    assert!(
        !raw.contains("housing") && !raw.contains("saved_at"),
        "{raw}"
    );
    // Readable with the key in memory.
    let listed = encounters::all(&store).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].encounter, before_pin);

    lock::lock(&store);
    assert_eq!(
        encounters::on_day(&store, day()).await.unwrap_err(),
        StoreError::Locked
    );
    assert_eq!(
        encounters::save(&store, &encounter(""), "t")
            .await
            .unwrap_err(),
        StoreError::Locked
    );
    // Counts stay readable, so a locked phone still syncs.
    assert!(!buckets::all(&store).await.unwrap().is_empty());

    assert_eq!(
        lock::unlock(&store, &pin("409174")).await.unwrap_err(),
        LockError::WrongPin
    );
    assert_eq!(lock::state(&store), LockState::Locked);
    assert_eq!(raw_entries(&store).await, raw);

    // A reopened store starts locked and opens with the right PIN.
    let name = store.name();
    store.close();
    let reopened = Store::open(&name).await.unwrap();
    assert_eq!(lock::state(&reopened), LockState::Locked);
    lock::unlock(&reopened, &pin("409173")).await.unwrap();
    let listed = encounters::all(&reopened).await.unwrap();
    assert_eq!(
        listed.iter().map(|s| &s.encounter).collect::<Vec<_>>(),
        vec![&before_pin, &after_pin]
    );
}

#[wasm_bindgen_test]
async fn changing_and_removing_the_pin_keeps_every_entry() {
    let store = fresh_store().await;
    let entry = encounter("keep me");
    lock::enable(&store, &pin("409173")).await.unwrap();
    encounters::save(&store, &entry, "2026-11-03T20:00:00+00:00")
        .await
        .unwrap();

    assert_eq!(
        lock::change(&store, &pin("111222"), &pin("558031"))
            .await
            .unwrap_err(),
        LockError::WrongPin
    );
    lock::change(&store, &pin("409173"), &pin("558031"))
        .await
        .unwrap();
    lock::lock(&store);
    assert_eq!(
        lock::unlock(&store, &pin("409173")).await.unwrap_err(),
        LockError::WrongPin
    );
    lock::unlock(&store, &pin("558031")).await.unwrap();
    assert_eq!(
        encounters::get(&store, &entry.id)
            .await
            .unwrap()
            .unwrap()
            .encounter,
        entry
    );

    lock::disable(&store, &pin("558031")).await.unwrap();
    assert_eq!(lock::state(&store), LockState::Off);
    assert!(raw_entries(&store).await.contains("keep me"));
    let name = store.name();
    store.close();
    let reopened = Store::open(&name).await.unwrap();
    assert_eq!(lock::state(&reopened), LockState::Off);
    assert_eq!(encounters::all(&reopened).await.unwrap().len(), 1);
}
