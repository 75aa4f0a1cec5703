//! Upgrading a phone's database from every earlier schema version, in headless Chromium.
//!
//! Each test builds the database exactly as an earlier release left it, then opens it with
//! this build's store.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse::clock;
use peerpulse::store::{Store, StoreError, buckets, device, encounters};
use peerpulse_core::bucket::Measure;
use peerpulse_core::codebook::Code;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("valid test JSON")
}

/// A database as release 1 (schema version 1) wrote it: two entries, one of them edited,
/// their buckets, a sync state, and one record that is not an encounter at all.
async fn version_1_database(name: &str) {
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            let encounters = db
                .create_object_store("encounters")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            encounters
                .create_index("by_day", KeyPath::One("day"))
                .build()?;
            encounters
                .create_index("by_version", KeyPath::One("version"))
                .build()?;
            let buckets = db
                .create_object_store("buckets")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            buckets
                .create_index("by_version", KeyPath::One("version"))
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .expect("create a version 1 database");
    let tx = db
        .transaction(["encounters", "buckets", "meta"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let encounters = tx.object_store("encounters").unwrap();
    for record in [
        r#"{"id":"a1","day":"2026-11-03","time_band":"evening","site":"van","kind":"outreach","reach":"walk-in","topics":[],"insights":[],"needs":["housing"],"free_tags":[],"insight_note":"pink pills, strong","private_note":null,"codebook_version":1,"version":1,"saved_at":"2026-11-03T20:00:00+00:00"}"#,
        r#"{"id":"b2","day":"2026-11-03","time_band":"night","site":"van","kind":"outreach","reach":"returning","topics":[],"insights":[],"needs":["food"],"codebook_version":1,"version":3,"saved_at":"2026-11-03T23:10:00+00:00"}"#,
        r#"{"id":"zz","day":"sometime","note":"not an encounter"}"#,
    ] {
        encounters.put(json(record)).await.unwrap();
    }
    let buckets = tx.object_store("buckets").unwrap();
    for record in [
        r#"{"id":"2026-11-03|van|encounters|","day":"2026-11-03","site":"van","dimension":"encounters","count":2,"version":3}"#,
        r#"{"id":"2026-11-03|van|kind|outreach","day":"2026-11-03","site":"van","dimension":"kind","value":"outreach","count":2,"version":3}"#,
        r#"{"id":"2026-11-03|van|reach|walk-in","day":"2026-11-03","site":"van","dimension":"reach","value":"walk-in","count":1,"version":1}"#,
        r#"{"id":"2026-11-03|van|reach|returning","day":"2026-11-03","site":"van","dimension":"reach","value":"returning","count":1,"version":3}"#,
        r#"{"id":"2026-11-03|van|need|housing","day":"2026-11-03","site":"van","dimension":"need","value":"housing","count":1,"version":1}"#,
        r#"{"id":"2026-11-03|van|need|food","day":"2026-11-03","site":"van","dimension":"need","value":"food","count":1,"version":3}"#,
    ] {
        buckets.put(json(record)).await.unwrap();
    }
    tx.object_store("meta")
        .unwrap()
        .put(json(
            r#"{"clock":3,"acked_through":1,"last_synced_at":"2026-11-03T22:00:00+00:00"}"#,
        ))
        .with_key("sync")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn version_1_entries_counts_and_sync_position_survive_the_upgrade() {
    let name = format!("migrate-{}", clock::new_encounter_id());
    version_1_database(&name).await;

    let store = Store::open(&name)
        .await
        .expect("upgrade to the current version");
    let listed = encounters::all(&store).await.unwrap();
    let ids: Vec<_> = listed.iter().map(|s| s.encounter.id.to_string()).collect();
    assert_eq!(ids, ["a1", "b2"]);
    let first = &listed[0];
    assert_eq!(first.version, 1);
    assert_eq!(first.saved_at, "2026-11-03T20:00:00+00:00");
    assert_eq!(
        first.encounter.insight_note.as_ref().map(|n| n.as_str()),
        Some("pink pills, strong")
    );
    assert!(first.encounter.supplies.is_empty());
    let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    assert_eq!(encounters::on_day(&store, day).await.unwrap().len(), 2);

    // Version 4 gave the phone an installation id for enrolment.
    assert!(device::installation_id(&store).await.is_ok());

    // The record that was never an encounter is kept aside, not lost and not in the way.
    assert_eq!(encounters::unreadable(&store).await.unwrap(), 1);

    // What was waiting to sync is still waiting: entry b2 and the buckets of version 3.
    let state = device::sync_state(&store).await.unwrap();
    assert_eq!((state.clock, state.acked_through), (3, 1));
    assert_eq!(encounters::waiting(&store, 1).await.unwrap(), 1);
    let batch = buckets::next_batch(&store, 1).await.unwrap();
    assert_eq!(batch.len(), 4);

    // And the upgraded store keeps working: deleting a1 lowers its counts.
    encounters::delete(&store, &first.encounter.id)
        .await
        .unwrap();
    let housing = buckets::all(&store)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.key.measure == Measure::Need(Code::new("housing").unwrap()))
        .unwrap();
    assert_eq!((housing.count, housing.version), (0, 4));
}

/// A database as release 2 or 3 (schema version 2 or 3) left it: enrolled and synced.
async fn version_2_or_3_database(name: &str, version: u32) {
    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |_, db| {
            let entries = db
                .create_object_store("entries")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            entries
                .create_index("by_day", KeyPath::One("day"))
                .build()?;
            entries
                .create_index("by_version", KeyPath::One("version"))
                .build()?;
            let buckets = db
                .create_object_store("buckets")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            buckets
                .create_index("by_version", KeyPath::One("version"))
                .build()?;
            db.create_object_store("meta").build()?;
            db.create_object_store("unreadable")
                .with_auto_increment(true)
                .build()?;
            if version == 3 {
                db.create_object_store("note_outbox")
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
            }
            Ok(())
        })
        .await
        .expect("create a version 2 or 3 database");
    let tx = db
        .transaction(["meta"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    meta.put(json(
        r#"{"device_id":"dev-1","token":"secret-token","org_name":"Harbour Outreach"}"#,
    ))
    .with_key("credentials")
    .await
    .unwrap();
    meta.put(json(
        r#"{"clock":7,"acked_through":7,"last_synced_at":"2026-11-03T22:00:00+00:00"}"#,
    ))
    .with_key("sync")
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn version_2_and_3_credentials_survive_and_the_phone_gets_one_installation_id_that_lasts() {
    for version in [2, 3] {
        upgrade_keeps_credentials_and_makes_one_installation_id(version).await;
    }
}

async fn upgrade_keeps_credentials_and_makes_one_installation_id(version: u32) {
    let name = format!("migrate{version}-{}", clock::new_encounter_id());
    version_2_or_3_database(&name, version).await;
    let store = Store::open(&name)
        .await
        .expect("upgrade from version 2 or 3");
    let credentials = device::credentials(&store).await.unwrap().unwrap();
    assert_eq!(credentials.org_name, "Harbour Outreach");
    assert_eq!(device::sync_state(&store).await.unwrap().acked_through, 7);
    let id = device::installation_id(&store).await.unwrap();
    assert!(id.as_str().len() >= 22);
    store.close();

    // Opening again keeps the same id; another phone has another.
    let again = Store::open(&name).await.unwrap();
    assert_eq!(device::installation_id(&again).await.unwrap(), id);
    let other = Store::open(&format!("other-{}", clock::new_encounter_id()))
        .await
        .unwrap();
    assert_ne!(device::installation_id(&other).await.unwrap(), id);
}

#[wasm_bindgen_test]
async fn a_new_phone_starts_at_the_current_version_with_nothing_unreadable() {
    let store = Store::open(&format!("fresh-{}", clock::new_encounter_id()))
        .await
        .unwrap();
    assert!(encounters::all(&store).await.unwrap().is_empty());
    assert_eq!(encounters::unreadable(&store).await.unwrap(), 0);
}

#[wasm_bindgen_test]
async fn an_open_phone_steps_aside_when_a_newer_version_upgrades() {
    let name = format!("newer-{}", clock::new_encounter_id());
    let store = Store::open(&name).await.unwrap();
    let yielded = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = yielded.clone();
    let waiting = store.clone();
    wasm_bindgen_futures::spawn_local(async move { flag.set(waiting.yield_to_upgrade().await) });
    // Without the first connection closing, this upgrade would stay blocked.
    let newer = Database::open(&name)
        .with_version(peerpulse::store::schema::VERSION + 1)
        .with_on_upgrade_needed(|_, _| Ok(()))
        .await
        .expect("the newer version upgrades");
    assert!(yielded.get());
    newer.close();
}

#[wasm_bindgen_test]
async fn an_upgrade_that_fails_says_which_step_and_leaves_the_phone_as_it_was() {
    // A version 1 database that lost its encounter store (as a browser's storage clean-up
    // might leave it): step 2, which moves the encounters, cannot run.
    let name = format!("migrate-{}", clock::new_encounter_id());
    let db = Database::open(name.as_str())
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("buckets")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .expect("create a damaged version 1 database");
    let tx = db
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put(json(r#"{"clock":3,"acked_through":1}"#))
        .with_key("sync")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    let Err(error) = Store::open(&name).await else {
        panic!("the upgrade cannot succeed without the encounter store");
    };
    let StoreError::Upgrade { version, cause } = &error else {
        panic!("a failed upgrade is told as one, not as {error:?}");
    };
    assert_eq!(*version, 2);
    assert!(
        cause.contains("NotFoundError"),
        "the browser's reason: {cause}"
    );
    assert!(error.to_string().contains("version 2"), "{error}");

    // Nothing of the failed upgrade stayed: the database is version 1, as it was.
    let db = Database::open(name.as_str()).await.unwrap();
    assert_eq!(db.version() as u32, 1);
    let mut stores: Vec<String> = db.object_store_names().collect();
    stores.sort();
    assert_eq!(stores, ["buckets", "meta"]);
    let kept: Option<JsValue> = {
        let tx = db.transaction("meta").build().unwrap();
        tx.object_store("meta").unwrap().get("sync").await.unwrap()
    };
    assert!(kept.is_some(), "the sync position is kept");
    db.close();
}
