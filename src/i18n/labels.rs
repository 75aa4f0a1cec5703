//! The fixed choices of an encounter and an alert, in the worker's language. Each key is the
//! choice's stable name, so a new choice in core shows up as a missing key in the tests.

use super::text;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Codebook;
use peerpulse_core::csv::Column;
use peerpulse_core::encounter::{EncounterKind, Reach, TimeBand};
use peerpulse_core::field_alert::{AlertKind, Verification};

/// How an encounter happened.
pub fn kind(kind: EncounterKind) -> String {
    text(&format!("kind.{}", kind.as_str()))
}

/// How a contact was reached.
pub fn reach(reach: Reach) -> String {
    text(&format!("reach.{}", reach.as_str()))
}

/// A part of the day.
pub fn time_band(band: TimeBand) -> String {
    text(&format!("time_band.{}", band.as_str()))
}

/// What an alert is about.
pub fn alert_kind(kind: AlertKind) -> String {
    text(match kind {
        AlertKind::DrugSupply => "alert_kind.drug_supply",
        AlertKind::ServiceChange => "alert_kind.service_change",
        AlertKind::Health => "alert_kind.health",
        AlertKind::Safety => "alert_kind.safety",
    })
}

/// How sure the organization is of an alert.
pub fn verification(status: Verification) -> String {
    text(match status {
        Verification::ReportedByWorkers => "verification.reported_by_workers",
        Verification::ConfirmedByDrugChecking => "verification.confirmed_by_drug_checking",
        Verification::Official => "verification.official",
    })
}

/// A table's heading: what its counts are of.
pub fn dimension(dimension: Dimension) -> String {
    text(&format!("dimension.{}", dimension.as_str()))
}

/// The value a count is of: the fixed choices in the language shown, codebook entries in
/// the codebook's words.
pub fn measure(measure: &Measure, codebook: &Codebook) -> String {
    match measure {
        Measure::Encounters => text("measure.encounters"),
        Measure::Kind(k) => kind(*k),
        Measure::Reach(r) => reach(*r),
        other => other.label(codebook),
    }
}

/// A column's header in the organization's CSV exports; its values stay codes and ISO dates.
pub fn csv_column(column: Column) -> String {
    text(&format!("org.csv.{}", column.key()))
}
