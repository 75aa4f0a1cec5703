//! An organization's indicator report for a period, as the reports page, the DHIS2 exports
//! and the DHIS2 send all read it: from the published counts, through the disclosure rule.

use crate::db::orgs::Org;
use crate::db::{Db, DbError, buckets, indicators};
use peerpulse_core::dhis2::Dhis2Settings;
use peerpulse_core::indicator::{self, Report};
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::privacy::DisclosureRule;
use peerpulse_core::privacy::disclosure::as_currently_coded;

/// Why no report was made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reports cover calendar weeks, months and quarters, not days.
    #[error("a report covers a week, a month or a quarter (2026-W48, 2026-11, 2026-Q4)")]
    NotAReportPeriod,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The report of `org`'s indicators for `period` (compared with the period before), and its
/// DHIS2 settings.
pub async fn report_of(
    db: &Db,
    org: &Org,
    period: Period,
) -> Result<(Report, Dhis2Settings), ReportError> {
    if period.granularity() == Granularity::Day {
        return Err(ReportError::NotAReportPeriod);
    }
    let book = indicators::get(db, org.id).await?;
    let previous = period.previous();
    let counts = as_currently_coded(
        buckets::site_counts(db, org.id, previous.first_day(), period.last_day()).await?,
        &org.codebook,
    );
    let phones =
        indicators::ActivePhones::read(db, org.id, previous.first_day(), period.last_day()).await?;
    let report = indicator::report(
        DisclosureRule::new(org.threshold),
        &book.indicators,
        &org.codebook,
        &counts,
        &phones,
        period,
    );
    Ok((report, book.dhis2))
}
