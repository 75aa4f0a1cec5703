//! What every view of published counts says about them: that they are nudged at random and
//! small ones are left out, and which values of a table are not listed.

use crate::i18n::{fill, isolated_list, labels, text};
use leptos::prelude::*;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::encounter::{EncounterKind, Reach};
use peerpulse_core::period::Granularity;
use peerpulse_core::privacy::cell_key::NoiseTable;
use peerpulse_core::protocol::TrendsResponse;

/// One sentence on how counts are protected, and when parts (days, weeks) are shown beside
/// totals, that they need not add up to them.
#[component]
pub fn DisclosureNote(
    /// No count below this is shown.
    threshold: u32,
    /// How long the parts shown beside totals are, if any are.
    parts: Option<Granularity>,
) -> impl IntoView {
    let noise = NoiseTable::reaching(threshold).max();
    let mut said = fill(
        "disclosure.note",
        &[("noise", &noise), ("threshold", &threshold)],
    );
    if let Some(parts) = parts {
        said.push(' ');
        said.push_str(&text(match parts {
            Granularity::Day => "disclosure.parts.day",
            Granularity::Week => "disclosure.parts.week",
            Granularity::Month => "disclosure.parts.month",
            Granularity::Quarter => "disclosure.parts.quarter",
        }));
    }
    view! { <p class="muted disclosure">{said}</p> }
}

/// Every value of `dimension` a person could expect in a table, when they can be named
/// without naming anything a worker typed: codebook entries still offered, and the fixed
/// kinds and ways of reaching. `None` for free tags (and for the total of encounters).
fn nameable(dimension: Dimension, codebook: &Codebook) -> Option<Vec<Measure>> {
    let coded = |list: CodeList, measure: fn(peerpulse_core::codebook::Code) -> Measure| {
        codebook
            .offered(list)
            .map(|e| measure(e.code.clone()))
            .collect()
    };
    Some(match dimension {
        Dimension::Encounters | Dimension::FreeTag => return None,
        Dimension::Kind => EncounterKind::ALL.into_iter().map(Measure::Kind).collect(),
        Dimension::Reach => Reach::ALL.into_iter().map(Measure::Reach).collect(),
        Dimension::Topic => coded(CodeList::Topic, Measure::Topic),
        Dimension::Insight => coded(CodeList::Insight, Measure::Insight),
        Dimension::Need => coded(CodeList::Need, Measure::Need),
        Dimension::Supply => coded(CodeList::Supply, Measure::Supply),
        Dimension::SupplyUnits => coded(CodeList::Supply, Measure::SupplyUnits),
        Dimension::Referral => coded(CodeList::Referral, Measure::Referral),
    })
}

/// `names` as a sentence's list: "Food", "Food and Detox", "Food, Detox and Wound care".
/// Each name is isolated on its own (an organization writes its labels in any script).
fn listed(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => fill(
            "list.and",
            &[("rest", &isolated_list(rest)), ("last", last)],
        ),
    }
}

/// The line under a table of `dimension` saying what it leaves out, or `None` when it leaves
/// nothing out. Values fewer than the threshold are never listed, so this names them only
/// when anyone could name them anyway (codebook entries, fixed choices), and otherwise says
/// "Other …: fewer than 5 each, or none".
pub fn not_listed(
    trends: &TrendsResponse,
    dimension: Dimension,
    codebook: &Codebook,
) -> Option<String> {
    let threshold = trends.threshold;
    let shown = |m: &Measure| trends.total(m).is_some();
    match dimension {
        Dimension::Encounters => (!shown(&Measure::Encounters))
            .then(|| fill("disclosure.encounters_fewer", &[("threshold", &threshold)])),
        Dimension::FreeTag => {
            let any = trends
                .totals
                .iter()
                .any(|c| c.measure.dimension() == Dimension::FreeTag);
            Some(fill(
                if any {
                    "disclosure.other_new_needs_fewer"
                } else {
                    "disclosure.new_needs_fewer"
                },
                &[("threshold", &threshold)],
            ))
        }
        _ => {
            let missing: Vec<String> = nameable(dimension, codebook)
                .unwrap_or_default()
                .into_iter()
                .filter(|m| !shown(m))
                .map(|m| labels::measure(&m, codebook))
                .collect();
            (!missing.is_empty()).then(|| {
                fill(
                    "disclosure.fewer_each",
                    &[("threshold", &threshold), ("names", &listed(&missing))],
                )
            })
        }
    }
}
