//! The PWA's own store module against a real IndexedDB in headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use peerpulse::clock;
use peerpulse::store::device::{self, Credentials};
use peerpulse::store::{Store, StoreError, buckets, encounters, note_outbox};
use peerpulse_core::bucket::{Buckets, Measure};
use peerpulse_core::codebook::{Code, Codebook};
use peerpulse_core::encounter::{EditWindow, Quantity, SupplyGiven};
use peerpulse_core::field_notes::NoteChange;
use peerpulse_core::page_window::PageSpan;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{code, encounter, fresh_store};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("valid test date")
}

#[wasm_bindgen_test]
async fn saved_encounters_are_listed_by_day_and_survive_reopening() {
    let store = fresh_store().await;
    let name = store.name();
    let a = encounter(day(3), &["housing"]);
    let b = encounter(day(3), &[]);
    let other_day = encounter(day(4), &[]);
    encounters::save(&store, &a, "2026-11-03T20:00:00+00:00")
        .await
        .unwrap();
    encounters::save(&store, &b, "2026-11-03T21:00:00+00:00")
        .await
        .unwrap();
    encounters::save(&store, &other_day, "2026-11-04T09:00:00+00:00")
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(&name).await.unwrap();
    let listed = encounters::on_day(&reopened, day(3)).await.unwrap();
    let ids: Vec<_> = listed.iter().map(|s| s.encounter.id.clone()).collect();
    assert_eq!(ids, vec![a.id.clone(), b.id.clone()]);
    assert_eq!(listed[0].encounter, a);
    assert_eq!(encounters::on_day(&reopened, day(5)).await.unwrap(), vec![]);
}

#[wasm_bindgen_test]
async fn buckets_stay_in_step_with_saved_encounters() {
    let store = fresh_store().await;
    let saved = [
        encounter(day(3), &["housing", "food"]),
        encounter(day(3), &["housing"]),
        encounter(day(4), &["food"]),
    ];
    for e in &saved {
        encounters::save(&store, e, "2026-11-03T20:00:00+00:00")
            .await
            .unwrap();
    }
    let stored = buckets::all(&store).await.unwrap();
    let expected = Buckets::of(&saved);
    assert_eq!(stored.len(), expected.iter().count());
    for record in &stored {
        assert_eq!(record.count, expected.get(&record.key), "{:?}", record.key);
    }
    let housing = stored
        .iter()
        .find(|r| r.key.day == day(3) && r.key.measure == Measure::Need(code("housing")))
        .unwrap();
    assert_eq!((housing.count, housing.version), (2, 2));
}

#[wasm_bindgen_test]
async fn waiting_counts_entries_changed_since_the_last_ack() {
    let store = fresh_store().await;
    for _ in 0..3 {
        encounters::save(&store, &encounter(day(3), &[]), "2026-11-03T20:00:00+00:00")
            .await
            .unwrap();
    }
    let state = device::sync_state(&store).await.unwrap();
    assert_eq!(state.clock, 3);
    assert_eq!(
        encounters::waiting(&store, state.acked_through)
            .await
            .unwrap(),
        3
    );

    let state = device::record_ack(&store, 2, "2026-11-03T22:00:00+00:00")
        .await
        .unwrap();
    assert_eq!(state.acked_through, 2);
    assert_eq!(
        encounters::waiting(&store, state.acked_through)
            .await
            .unwrap(),
        1
    );

    // A late answer to an older request never moves the ack backwards.
    let state = device::record_ack(&store, 1, "2026-11-03T22:01:00+00:00")
        .await
        .unwrap();
    assert_eq!(state.acked_through, 2);
}

#[wasm_bindgen_test]
async fn next_batch_sends_only_unacknowledged_buckets_oldest_first() {
    let store = fresh_store().await;
    encounters::save(&store, &encounter(day(3), &["housing"]), "t")
        .await
        .unwrap();
    encounters::save(&store, &encounter(day(3), &["food"]), "t")
        .await
        .unwrap();

    let all = buckets::next_batch(&store, 0).await.unwrap();
    let versions: Vec<u64> = all.iter().map(|b| b.version).collect();
    let mut sorted = versions.clone();
    sorted.sort_unstable();
    assert_eq!(versions, sorted);
    let total = all
        .iter()
        .find(|b| b.measure == Measure::Encounters)
        .unwrap();
    assert_eq!((total.count, total.version), (2, 2));

    let after_first = buckets::next_batch(&store, 1).await.unwrap();
    assert!(after_first.iter().all(|b| b.version == 2));
    assert!(
        after_first
            .iter()
            .any(|b| b.measure == Measure::Need(code("food")))
    );
    assert!(
        !after_first
            .iter()
            .any(|b| b.measure == Measure::Need(code("housing")))
    );
    assert!(buckets::next_batch(&store, 2).await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn an_ack_beyond_the_device_clock_is_refused_and_changes_nothing() {
    let store = fresh_store().await;
    encounters::save(&store, &encounter(day(3), &[]), "t")
        .await
        .unwrap();
    let err = device::record_ack(&store, 9, "t").await.unwrap_err();
    assert!(matches!(err, StoreError::Inconsistent(_)), "{err:?}");
    assert_eq!(device::sync_state(&store).await.unwrap().acked_through, 0);
}

#[wasm_bindgen_test]
async fn credentials_are_absent_until_enrolment_then_kept() {
    let store = fresh_store().await;
    assert_eq!(device::credentials(&store).await.unwrap(), None);
    let credentials = Credentials {
        device_id: "dev-1".into(),
        token: "secret".into(),
        org_name: "Org".into(),
    };
    device::save_credentials(&store, &credentials)
        .await
        .unwrap();
    assert_eq!(
        device::credentials(&store).await.unwrap(),
        Some(credentials)
    );
}

#[wasm_bindgen_test]
async fn a_duplicate_encounter_id_is_refused_without_touching_the_buckets() {
    let store = fresh_store().await;
    let e = encounter(day(3), &["housing"]);
    encounters::save(&store, &e, "t").await.unwrap();
    let before = buckets::all(&store).await.unwrap();
    let err = encounters::save(&store, &e, "t").await.unwrap_err();
    assert!(matches!(err, StoreError::Request(_)), "{err:?}");
    assert_eq!(buckets::all(&store).await.unwrap(), before);
    assert_eq!(device::sync_state(&store).await.unwrap().clock, 1);
}

#[wasm_bindgen_test]
async fn deleting_an_entry_uncounts_it_and_leaves_zero_counts_to_sync() {
    let store = fresh_store().await;
    let kept = encounter(day(3), &["food"]);
    let undone = encounter(day(3), &["housing"]);
    encounters::save(&store, &kept, "t").await.unwrap();
    encounters::save(&store, &undone, "t").await.unwrap();
    device::record_ack(&store, 2, "t").await.unwrap();

    let removed = encounters::delete(&store, &undone.id).await.unwrap();
    assert_eq!(removed.encounter, undone);
    let listed = encounters::on_day(&store, day(3)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].encounter, kept);

    // The housing bucket drops to zero at a new version, so the next sync lowers the service's count.
    let batch = buckets::next_batch(&store, 2).await.unwrap();
    let housing = batch
        .iter()
        .find(|b| b.measure == Measure::Need(code("housing")))
        .unwrap();
    assert_eq!((housing.count, housing.version), (0, 3));
    let total = batch
        .iter()
        .find(|b| b.measure == Measure::Encounters)
        .unwrap();
    assert_eq!(total.count, 1);
    assert!(
        !batch
            .iter()
            .any(|b| b.measure == Measure::Need(code("food")))
    );
    assert_eq!(encounters::waiting(&store, 2).await.unwrap(), 0);
    assert_eq!(
        buckets::changed(&store, 2).await.unwrap(),
        batch.len() as u32
    );

    let again = encounters::delete(&store, &undone.id).await.unwrap_err();
    assert!(matches!(again, StoreError::Missing(_)), "{again:?}");
    assert_eq!(device::sync_state(&store).await.unwrap().clock, 3);
}

#[wasm_bindgen_test]
async fn the_built_in_codebook_is_used_until_the_service_sends_one() {
    let store = fresh_store().await;
    assert_eq!(
        device::codebook(&store).await.unwrap(),
        Codebook::harm_reduction_default()
    );
    let mut newer = Codebook::harm_reduction_default();
    newer.version = 4;
    newer.needs[0].retired = true;
    device::save_codebook(&store, &newer).await.unwrap();
    assert_eq!(device::codebook(&store).await.unwrap(), newer);
}

#[wasm_bindgen_test]
async fn the_start_reads_what_each_record_holds_in_one_go() {
    use peerpulse_core::usage::FrequentSnapshot;
    let store = fresh_store().await;
    let fresh = device::read_at_start(&store).await.unwrap();
    assert_eq!(fresh.codebook, Codebook::harm_reduction_default());
    assert_eq!(fresh.edit_window, EditWindow::default());
    assert_eq!(fresh.sync_state, Default::default());
    assert_eq!(fresh.frequent, FrequentSnapshot::default());
    assert_eq!(fresh.usage, Default::default());

    encounters::save(&store, &encounter(day(3), &["food"]), "t")
        .await
        .unwrap();
    let mut newer = Codebook::harm_reduction_default();
    newer.version = 4;
    device::save_codebook(&store, &newer).await.unwrap();
    device::save_edit_window(&store, EditWindow::new(14).unwrap())
        .await
        .unwrap();
    let usage = device::usage(&store).await.unwrap();
    let frequent = FrequentSnapshot::default().for_day(day(4), &usage);
    device::save_frequent(&store, &frequent).await.unwrap();

    let read = device::read_at_start(&store).await.unwrap();
    assert_eq!(read.codebook, newer);
    assert_eq!(read.edit_window, EditWindow::new(14).unwrap());
    assert_eq!(read.sync_state, device::sync_state(&store).await.unwrap());
    assert_eq!(read.sync_state.clock, 1);
    assert_eq!(read.frequent, frequent);
    assert_ne!(read.frequent, FrequentSnapshot::default());
    assert_eq!(read.usage, usage);
}

#[wasm_bindgen_test]
async fn saving_learns_which_choices_this_worker_uses_most() {
    use peerpulse_core::usage::Choice;
    let store = fresh_store().await;
    assert_eq!(device::usage(&store).await.unwrap(), Default::default());
    encounters::save(&store, &encounter(day(3), &["food"]), "t")
        .await
        .unwrap();
    encounters::save(&store, &encounter(day(3), &["food", "detox"]), "t")
        .await
        .unwrap();
    let usage = device::usage(&store).await.unwrap();
    assert_eq!(usage.count(&Choice::Need(code("food"))), 2);
    assert_eq!(usage.count(&Choice::Site(code("van"))), 2);
    let frequent = usage.frequent();
    assert!(frequent.contains(&Choice::Need(code("food"))));
    assert!(
        !frequent.contains(&Choice::Need(code("detox"))),
        "used once"
    );
}

/// Puts `records` (key, JSON) into the meta store as an earlier version of the app left them.
async fn put_meta(store: Store, records: &[(&str, &str)]) -> Store {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let name = store.name();
    store.close();
    let db = Database::open(&name).await.unwrap();
    let tx = db
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    for (key, json) in records {
        meta.put(js_sys::JSON::parse(json).unwrap())
            .with_key(*key)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
    Store::open(&name).await.unwrap()
}

#[wasm_bindgen_test]
async fn usage_counts_and_marks_kept_by_earlier_versions_still_read() {
    use peerpulse_core::encounter::EncounterKind;
    use peerpulse_core::usage::Choice;
    let store = put_meta(
        fresh_store().await,
        &[
            (
                "usage",
                r#"[[{"list":"need","value":"food"},3],[{"value":"outreach","list":"kind"},2]]"#,
            ),
            (
                "frequent",
                r#"{"day":"2026-11-24","choices":[{"list":"site","value":"van"}]}"#,
            ),
        ],
    )
    .await;
    let usage = device::usage(&store).await.unwrap();
    assert_eq!(usage.count(&Choice::Need(code("food"))), 3);
    assert_eq!(usage.count(&Choice::Kind(EncounterKind::Outreach)), 2);
    let marks = device::frequent(&store).await.unwrap();
    assert_eq!(marks.day, Some(day(24)));
    assert!(marks.marks(&Choice::Site(code("van"))));

    let before_any = put_meta(store, &[("frequent", r#"{"day":null,"choices":[]}"#)]).await;
    assert_eq!(device::frequent(&before_any).await.unwrap().day, None);
}

#[wasm_bindgen_test]
async fn a_usage_record_this_app_cannot_read_is_an_error_that_names_it() {
    for (record, named) in [
        (
            r#"[[{"list":"mood","value":"x"},1]]"#,
            "\"mood\" is not a list",
        ),
        (r#"[[{"list":"kind","value":"teleport"},1]]"#, "not a kind"),
        (r#"{"day":"24/11/2026","choices":[]}"#, "YYYY-MM-DD"),
    ] {
        let key = if record.starts_with('[') {
            "usage"
        } else {
            "frequent"
        };
        let store = put_meta(fresh_store().await, &[(key, record)]).await;
        let error = if key == "usage" {
            device::usage(&store).await.map(drop).unwrap_err()
        } else {
            device::frequent(&store).await.map(drop).unwrap_err()
        };
        assert!(error.to_string().contains(named), "{record}: {error}");
    }
}

#[wasm_bindgen_test]
async fn editing_an_entry_moves_only_the_buckets_that_changed() {
    let store = fresh_store().await;
    let original = encounter(day(3), &["housing", "food"]);
    encounters::save(&store, &original, "2026-11-03T20:00:00+00:00")
        .await
        .unwrap();
    device::record_ack(&store, 1, "t").await.unwrap();

    let mut corrected = original.clone();
    corrected.needs = [code("food"), code("detox")].into();
    let stored = encounters::replace(&store, &corrected).await.unwrap();
    assert_eq!(stored.saved_at, "2026-11-03T20:00:00+00:00");
    assert_eq!(
        encounters::get(&store, &original.id)
            .await
            .unwrap()
            .unwrap()
            .encounter,
        corrected
    );
    let batch = buckets::next_batch(&store, 1).await.unwrap();
    let moved: Vec<_> = batch.iter().map(|b| (b.measure.clone(), b.count)).collect();
    assert_eq!(moved.len(), 2, "{moved:?}");
    assert!(moved.contains(&(Measure::Need(code("housing")), 0)));
    assert!(moved.contains(&(Measure::Need(code("detox")), 1)));
    assert_eq!(encounters::waiting(&store, 1).await.unwrap(), 1);

    let mut stranger = corrected.clone();
    stranger.id = clock::new_encounter_id();
    assert!(matches!(
        encounters::replace(&store, &stranger).await.unwrap_err(),
        StoreError::Missing(_)
    ));
}

#[wasm_bindgen_test]
async fn correcting_a_supply_quantity_sends_the_new_unit_count() {
    let store = fresh_store().await;
    let mut original = encounter(day(3), &[]);
    original.supplies = vec![SupplyGiven {
        item: code("needles-syringes"),
        quantity: Quantity::new(20).unwrap(),
    }];
    original.referrals.insert(code("drug-treatment"));
    encounters::save(&store, &original, "2026-11-03T20:00:00+00:00")
        .await
        .unwrap();
    device::record_ack(&store, 1, "t").await.unwrap();

    let mut corrected = original.clone();
    corrected.supplies[0].quantity = Quantity::new(15).unwrap();
    encounters::replace(&store, &corrected).await.unwrap();
    let reread = encounters::get(&store, &original.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reread.encounter.supplies, corrected.supplies);
    assert_eq!(reread.encounter.referrals, corrected.referrals);
    let batch = buckets::next_batch(&store, 1).await.unwrap();
    let moved: Vec<_> = batch.iter().map(|b| (b.measure.clone(), b.count)).collect();
    assert_eq!(
        moved,
        vec![(Measure::SupplyUnits(code("needles-syringes")), 15)]
    );
}

#[wasm_bindgen_test]
async fn the_org_edit_window_is_kept_and_defaults_to_a_week() {
    let store = fresh_store().await;
    assert_eq!(
        device::edit_window(&store).await.unwrap(),
        EditWindow::default()
    );
    let fortnight = EditWindow::new(14).unwrap();
    device::save_edit_window(&store, fortnight).await.unwrap();
    assert_eq!(device::edit_window(&store).await.unwrap(), fortnight);
}

#[wasm_bindgen_test]
async fn changes_to_an_offered_note_wait_in_the_outbox_with_their_entry() {
    let store = fresh_store().await;
    let note = |text: &str, share: bool| {
        let mut e = encounter(day(24), &["housing"]);
        e.insight_note = peerpulse_core::encounter::Note::parse(text).unwrap();
        e.share_insight_note = share;
        e
    };
    let kept = note("pink pills, very strong", false);
    encounters::save(&store, &kept, "2026-11-24T20:00:00Z")
        .await
        .unwrap();
    assert!(note_outbox::waiting(&store).await.unwrap().is_empty());

    let offered = note("new batch of blue ones going round", true);
    encounters::save(&store, &offered, "2026-11-24T20:05:00Z")
        .await
        .unwrap();
    let offer = |waiting: &[NoteChange]| match waiting {
        [NoteChange::Offer(offer)] => offer.clone(),
        other => panic!("one offer should wait: {other:?}"),
    };
    let first = offer(&note_outbox::waiting(&store).await.unwrap());
    assert_eq!(first.id, offered.id);
    assert_eq!(first.week, day(23), "only the Monday of its week leaves");
    assert_eq!(first.text.as_str(), "new batch of blue ones going round");

    // Corrected: the new words wait instead of the first ones.
    let mut corrected = offered.clone();
    corrected.insight_note =
        peerpulse_core::encounter::Note::parse("new batch of blue ones, stronger").unwrap();
    encounters::replace(&store, &corrected).await.unwrap();
    let waiting = note_outbox::waiting(&store).await.unwrap();
    assert_eq!(
        offer(&waiting).text.as_str(),
        "new batch of blue ones, stronger"
    );
    // The first words' answer arriving late leaves the correction waiting.
    note_outbox::done(&store, &NoteChange::Offer(first))
        .await
        .unwrap();
    assert_eq!(note_outbox::waiting(&store).await.unwrap(), waiting);

    // Deleted: a withdrawal waits instead, whether or not an offer had left.
    encounters::delete(&store, &offered.id).await.unwrap();
    let withdrawal = NoteChange::Withdraw(offered.id.clone());
    assert_eq!(
        note_outbox::waiting(&store).await.unwrap(),
        vec![withdrawal.clone()]
    );
    note_outbox::done(&store, &withdrawal).await.unwrap();
    assert!(note_outbox::waiting(&store).await.unwrap().is_empty());

    // Once the service has it, it leaves the outbox and the entry keeps its note; a correction
    // that leaves the note as it was sends nothing again.
    let again = note("someone cutting with something new", true);
    encounters::save(&store, &again, "2026-11-24T21:00:00Z")
        .await
        .unwrap();
    let waiting = note_outbox::waiting(&store).await.unwrap();
    note_outbox::done(&store, &waiting[0]).await.unwrap();
    assert!(note_outbox::waiting(&store).await.unwrap().is_empty());
    let mut moved = again.clone();
    moved.needs = [Code::new("food").unwrap()].into();
    encounters::replace(&store, &moved).await.unwrap();
    assert!(note_outbox::waiting(&store).await.unwrap().is_empty());
    // Unticked after it left: withdrawn.
    moved.share_insight_note = false;
    encounters::replace(&store, &moved).await.unwrap();
    assert_eq!(
        note_outbox::waiting(&store).await.unwrap(),
        vec![NoteChange::Withdraw(again.id.clone())]
    );
    let stored = encounters::get(&store, &again.id).await.unwrap().unwrap();
    assert_eq!(
        stored.encounter.insight_note.as_ref().map(|n| n.as_str()),
        Some("someone cutting with something new")
    );
}

#[wasm_bindgen_test]
async fn history_pages_are_whole_days_newest_first_until_none_remain() {
    let store = fresh_store().await;
    // Days 20 to 24, with 1, 2, 3, 1 and 2 entries.
    for (d, n) in [(20, 1), (21, 2), (22, 3), (23, 1), (24, 2)] {
        for _ in 0..n {
            encounters::save(
                &store,
                &encounter(day(d), &["housing"]),
                "2026-11-24T20:00:00Z",
            )
            .await
            .unwrap();
        }
    }
    let days = |page: &encounters::EntryPage| -> Vec<u32> {
        page.entries
            .iter()
            .map(|s| chrono::Datelike::day(&s.encounter.day))
            .collect()
    };
    // At least 3: day 24's two and day 23's one.
    let first = encounters::page_before(&store, None, 3).await.unwrap();
    assert_eq!(days(&first), [23, 24, 24]);
    assert_eq!(first.older_before, Some(day(23)));
    // At least 3 more: day 22 holds exactly 3.
    let second = encounters::page_before(&store, first.older_before, 3)
        .await
        .unwrap();
    assert_eq!(days(&second), [22, 22, 22]);
    assert_eq!(second.older_before, Some(day(22)));
    // Fewer than asked remain: the rest, and nothing older.
    let last = encounters::page_before(&store, second.older_before, 10)
        .await
        .unwrap();
    assert_eq!(days(&last), [20, 21, 21]);
    assert_eq!(last.older_before, None);
    // A page that ends a day boundary exactly still says whether older entries remain.
    let exact = encounters::page_before(&store, Some(day(21)), 1)
        .await
        .unwrap();
    assert_eq!((days(&exact), exact.older_before), (vec![20], None));
    let everything = encounters::page_before(&store, None, 100).await.unwrap();
    assert_eq!(everything.entries.len(), 9);
    assert_eq!(everything.older_before, None);
    // A page let go is read again by its span.
    let span = |from: Option<u32>, before: Option<u32>| PageSpan {
        from: from.map(day),
        before: before.map(day),
    };
    let again = |span| {
        let store = &store;
        async move { encounters::in_span(store, span).await.unwrap() }
    };
    assert_eq!(again(span(Some(23), None)).await, first.entries);
    assert_eq!(again(span(Some(22), Some(23))).await, second.entries);
    assert_eq!(again(span(None, Some(22))).await, last.entries);
    assert_eq!(again(span(None, None)).await, everything.entries);
    let empty = fresh_store().await;
    assert_eq!(
        encounters::page_before(&empty, None, 3).await.unwrap(),
        encounters::EntryPage {
            entries: vec![],
            older_before: None
        }
    );
}

#[wasm_bindgen_test]
async fn note_changes_as_earlier_versions_stored_them_are_read_and_a_record_of_neither_form_is_named()
 {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let name = format!("test-{}", clock::new_encounter_id());
    let store = Store::open(&name).await.unwrap();
    let put_raw = |record: String| {
        let name = name.clone();
        async move {
            let db = Database::open(&name).await.unwrap();
            let tx = db
                .transaction("note_outbox")
                .with_mode(TransactionMode::Readwrite)
                .build()
                .unwrap();
            let outbox = tx.object_store("note_outbox").unwrap();
            outbox
                .put(js_sys::JSON::parse(&record).unwrap())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            db.close();
        }
    };
    let (offered, withdrawn) = (clock::new_encounter_id(), clock::new_encounter_id());
    put_raw(format!(
        r#"{{"id":"{}","week":"2026-11-23","text":"new batch going round"}}"#,
        offered.as_str()
    ))
    .await;
    put_raw(format!(
        r#"{{"id":"{}","withdraw":true}}"#,
        withdrawn.as_str()
    ))
    .await;
    let mut waiting = note_outbox::waiting(&store).await.unwrap();
    waiting.sort_by(|a, b| a.entry().cmp(b.entry()));
    let mut expected = vec![
        NoteChange::Offer(peerpulse_core::field_notes::NoteOffer {
            id: offered,
            week: day(23),
            text: peerpulse_core::encounter::Note::parse("new batch going round")
                .unwrap()
                .unwrap(),
        }),
        NoteChange::Withdraw(withdrawn),
    ];
    expected.sort_by(|a, b| a.entry().cmp(b.entry()));
    assert_eq!(waiting, expected);

    let broken = clock::new_encounter_id();
    put_raw(format!(
        r#"{{"id":"{}","week":"2026-11-23"}}"#,
        broken.as_str()
    ))
    .await;
    match note_outbox::waiting(&store).await {
        Err(StoreError::Corrupt(message)) => assert!(
            message.contains(broken.as_str())
                && message.contains("neither an offer nor a withdrawal"),
            "{message}"
        ),
        other => panic!("a record of neither form was read: {other:?}"),
    }
}
