//! Alerts from the organization kept in the phone's IndexedDB, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Duration, Utc};
use peerpulse::clock;
use peerpulse::store::device::{Receipt, SyncState};
use peerpulse::store::{Store, field_alerts};
use peerpulse_core::field_alert::{AlertContent, AlertKind, PublishedAlert, Verification};
use peerpulse_core::language::LanguageTag;
use std::collections::{BTreeMap, BTreeSet};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store() -> Store {
    Store::open(&format!("alerts-{}", clock::new_encounter_id()))
        .await
        .expect("open a fresh database")
}

fn alert(id: i64, version: u32, expires_at: DateTime<Utc>, message: &str) -> PublishedAlert {
    PublishedAlert {
        id,
        version,
        content: AlertContent {
            kind: AlertKind::DrugSupply,
            sites: BTreeSet::new(),
            messages: BTreeMap::from([
                (LanguageTag::new("en").unwrap(), message.to_owned()),
                (LanguageTag::new("es").unwrap(), format!("es: {message}")),
            ]),
            verification: Verification::ReportedByWorkers,
            expires_at,
        },
        published_at: Utc::now() - Duration::minutes(id),
    }
}

#[wasm_bindgen_test]
async fn a_sync_replaces_the_kept_alerts_keeps_passed_on_marks_and_expired_ones_are_not_shown() {
    let store = fresh_store().await;
    let now = Utc::now();
    let soon = now + Duration::hours(2);

    let new = field_alerts::replace(
        &store,
        &[
            alert(1, 1, soon, "Test your supply"),
            alert(2, 1, soon, "Van closed tonight"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(new.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 2]);
    field_alerts::mark_passed_on(&store, 1, true).await.unwrap();
    let receipts = field_alerts::receipts(&store).await.unwrap();
    assert_eq!(receipts.received, [(1, 1), (2, 1)]);
    assert_eq!(receipts.passed_on, [1]);

    // Alert 1 updated (version 2), alert 2 withdrawn: 1 keeps its mark, 2 is gone, nothing new.
    let new = field_alerts::replace(&store, &[alert(1, 2, soon, "Confirmed: test your supply")])
        .await
        .unwrap();
    assert!(new.is_empty());
    let shown = field_alerts::shown(&store, now).await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].alert.version, 2);
    assert!(shown[0].passed_on);
    assert_eq!(
        shown[0]
            .alert
            .content
            .message_in(&LanguageTag::new("es").unwrap()),
        Some("es: Confirmed: test your supply")
    );

    // Offline past its expiry, the alert is no longer shown, with no sync needed.
    assert!(
        field_alerts::shown(&store, soon + Duration::seconds(1))
            .await
            .unwrap()
            .is_empty()
    );
}

#[wasm_bindgen_test]
fn a_change_is_on_the_phone_then_sent_then_counted() {
    let state = SyncState {
        clock: 9,
        acked_through: 5,
        sent_through: 7,
        last_synced_at: None,
        removals: Vec::new(),
    };
    assert_eq!(state.receipt(5), Receipt::Counted);
    assert_eq!(state.receipt(6), Receipt::Sent);
    assert_eq!(state.receipt(8), Receipt::OnPhone);
}
