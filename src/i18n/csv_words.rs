//! The CSV of the worker's own entries, headed and labelled in the language shown; its codes
//! and dates stay as they are (see `peerpulse_core::history::to_csv`).

use super::{fill_plain, labels, text};
use peerpulse_core::encounter::{EncounterKind, Reach, TimeBand};
use peerpulse_core::history::{CsvField, CsvWords};

/// The words of the phone's CSV, from the translations.
pub struct WorkerCsv;

impl CsvWords for WorkerCsv {
    fn header(&self, field: CsvField) -> String {
        match field {
            CsvField::Entry => text("csv.entry"),
            CsvField::Date => text("csv.date"),
            CsvField::PartOfDay => text("csv.time_band"),
            CsvField::Site => text("form.site"),
            CsvField::Kind => text("form.kind"),
            CsvField::Reach => text("form.reach"),
            CsvField::YouShared => text("form.you_shared"),
            CsvField::TheyShared => text("form.they_shared"),
            CsvField::Needs => text("form.needs"),
            CsvField::NeedsOfYourOwn => text("form.needs_added"),
            CsvField::Supplies => text("form.supplies"),
            CsvField::ReferredTo => text("form.referrals"),
            CsvField::InsightNote => text("csv.insight_note"),
            CsvField::PrivateNote => text("csv.private_note"),
            CsvField::CodebookVersion => text("csv.codebook_version"),
        }
    }

    fn code_header(&self, field: CsvField) -> String {
        fill_plain("csv.code_of", &[("column", &self.header(field))])
    }

    fn time_band(&self, band: TimeBand) -> String {
        labels::time_band(band)
    }

    fn kind(&self, kind: EncounterKind) -> String {
        labels::kind(kind)
    }

    fn reach(&self, reach: Reach) -> String {
        labels::reach(reach)
    }
}
