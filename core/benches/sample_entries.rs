//! A year of entries for the aggregation benches: the native one here and the wasm one in the
//! PWA crate (`benches/recount_in_wasm.rs`) measure the same work.

use chrono::{Days, NaiveDate};
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterId, EncounterKind, Quantity, Reach, TimeBand,
};

/// Entries a heavy phone holds: 100,000 over a year at 4 sites, with supplies.
pub const ENTRIES: usize = 100_000;

/// `ENTRIES` valid entries spread over the year before 24 Nov 2026.
pub fn entries() -> Vec<Encounter> {
    let book = Codebook::harm_reduction_default();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date");
    let code = |list, i: usize| {
        let entries = book.entries(list);
        entries[i % entries.len()].code.clone()
    };
    (0..ENTRIES)
        .map(|i| {
            let mut draft = EncounterDraft {
                site: Some(code(CodeList::Site, i)),
                kind: Some(EncounterKind::ALL[i % 5]),
                reach: Some(Reach::ALL[i % 4]),
                topics: [code(CodeList::Topic, i)].into(),
                insights: [code(CodeList::Insight, i / 3)].into(),
                needs: [code(CodeList::Need, i), code(CodeList::Need, i / 7)].into(),
                ..EncounterDraft::new(today, TimeBand::Evening)
            };
            draft
                .supplies
                .insert(code(CodeList::Supply, i), Quantity::new(10).expect("10"));
            draft
                .validate(
                    EncounterId::new(&format!("e{i}")).expect("id"),
                    today,
                    EditWindow::default(),
                    &book,
                )
                .map(|mut e| {
                    e.day = today - Days::new((i % 365) as u64);
                    e
                })
                .expect("valid")
        })
        .collect()
}
