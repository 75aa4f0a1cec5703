//! What the wasm tests share: a fresh store per test and the encounters they save in it.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use chrono::NaiveDate;
use peerpulse::clock;
use peerpulse::store::Store;
use peerpulse_core::codebook::{Code, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterKind, Reach, TimeBand,
};

/// A fresh database per test, so tests cannot see each other's data.
pub async fn fresh_store() -> Store {
    let name = format!("test-{}", clock::new_encounter_id());
    Store::open(&name).await.expect("open a fresh database")
}

pub fn code(s: &str) -> Code {
    Code::new(s).expect("valid test code")
}

/// An outreach encounter with a walk-in at the van on `day`'s evening, naloxone talked
/// about and `needs` met.
pub fn encounter(day: NaiveDate, needs: &[&str]) -> Encounter {
    saved(EncounterDraft {
        site: Some(code("van")),
        kind: Some(EncounterKind::Outreach),
        reach: Some(Reach::WalkIn),
        topics: [code("naloxone")].into(),
        needs: needs.iter().map(|n| code(n)).collect(),
        ..EncounterDraft::new(day, TimeBand::Evening)
    })
}

/// `draft` as the phone saves it on its own day, with a new id and the default codebook.
pub fn saved(draft: EncounterDraft) -> Encounter {
    let day = draft.day;
    draft
        .validate(
            clock::new_encounter_id(),
            day,
            EditWindow::default(),
            &Codebook::harm_reduction_default(),
        )
        .expect("valid test encounter")
}
