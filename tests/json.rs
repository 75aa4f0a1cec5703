//! JSON through the browser's JSON.parse and JSON.stringify (`peerpulse::json`), in Chromium.
#![cfg(target_arch = "wasm32")]

use peerpulse::json;
use peerpulse_core::codebook::Code;
use peerpulse_core::encounter::Encounter;
use peerpulse_core::protocol::{RejectionReason, SyncResponse};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// An entry as serde_json wrote it in earlier versions of the app: PIN-sealed entries on
/// phones hold exactly these bytes.
const EARLIER: &str = r#"{"id":"5f0c2a7e-0b1d-4c8e-9a3f-6d2e1b7c4a90","day":"2026-11-03","time_band":"evening","site":"van","kind":"outreach","reach":"walk-in","topics":["naloxone"],"insights":["new-substance"],"needs":["housing"],"free_tags":["dental-care"],"supplies":[{"item":"naloxone-kit","quantity":2},{"item":"needles-syringes","quantity":20}],"referrals":["primary-care"],"insight_note":"new batch is stronger","share_insight_note":true,"private_note":"asked about the clinic hours","codebook_version":1}"#;

#[wasm_bindgen_test]
fn entries_written_by_earlier_versions_read_back_and_write_the_same_bytes() {
    let entry: Encounter = json::from_str(EARLIER).unwrap();
    assert_eq!(entry.id.as_str(), "5f0c2a7e-0b1d-4c8e-9a3f-6d2e1b7c4a90");
    assert_eq!(entry.site, Code::new("van").unwrap());
    let syringes = Code::new("needles-syringes").unwrap();
    let given = entry.supplies.iter().find(|s| s.item == syringes);
    assert_eq!(given.map(|s| s.quantity.get()), Some(20));
    assert_eq!(
        entry.private_note.as_deref(),
        Some("asked about the clinic hours")
    );
    assert_eq!(json::to_string(&entry).unwrap(), EARLIER);
}

#[wasm_bindgen_test]
fn pretty_json_is_indented_for_people() {
    let entry: Encounter = json::from_str(EARLIER).unwrap();
    let pretty = json::to_string_pretty(&[&entry]).unwrap();
    assert!(
        pretty.starts_with("[\n  {\n    \"id\": \"5f0c2a7e"),
        "{pretty}"
    );
    let back: Vec<Encounter> = json::from_str(&pretty).unwrap();
    assert_eq!(back, vec![entry]);
}

#[wasm_bindgen_test]
fn unreadable_json_says_what_is_wrong() {
    let broken = json::from_str::<Encounter>(r#"{"id": 5"#).unwrap_err();
    assert!(broken.to_string().contains("JSON"), "{broken}");
    let incomplete = json::from_str::<Encounter>("{}").unwrap_err();
    assert!(
        incomplete.to_string().contains("missing field `id`"),
        "{incomplete}"
    );
    let misdated = EARLIER.replace("2026-11-03", "yesterday");
    assert!(json::from_str::<Encounter>(&misdated).is_err());
}

/// A sync answer as the service writes it: a day-out-of-range rejection names `day` twice.
const ANSWER: &str = r#"{"acked_through":7,"applied":1,"unchanged":0,"rejected":[{"day":"2025-01-02","site":"van","dimension":"need","value":"housing","reason":"day-out-of-range","day":"2025-01-02","earliest":"2025-10-26","latest":"2026-12-01"},{"day":"2026-11-30","site":"van","dimension":"encounters","reason":"absurd-count","count":9999,"max":5000}],"codebook_version":0,"edit_window":7}"#;

#[wasm_bindgen_test]
fn rejections_in_a_sync_answer_are_read_through_the_browsers_json() {
    let answer: SyncResponse = json::from_str(ANSWER).unwrap();
    let reasons: Vec<&RejectionReason> = answer.rejected.iter().map(|r| &r.reason).collect();
    assert!(
        matches!(
            reasons[..],
            [
                RejectionReason::DayOutOfRange { .. },
                RejectionReason::AbsurdCount {
                    count: 9999,
                    max: 5000
                }
            ]
        ),
        "{reasons:?}"
    );
    assert_eq!(answer.rejected[0].key.day.to_string(), "2025-01-02");
    let unknown = ANSWER.replace("absurd-count", "too-happy");
    let error = json::from_str::<SyncResponse>(&unknown).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("\"too-happy\" is not a rejection reason"),
        "{error}"
    );
}
