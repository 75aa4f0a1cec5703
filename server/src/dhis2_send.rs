//! Sending an organization's report for a period to its DHIS2 server, from the reports page
//! or the command line: always a dry run first, then, unless only the dry run was asked for
//! or DHIS2 refused it, for real. Each answer DHIS2 gives is recorded in the audit log (its
//! counts only).

use crate::db::orgs::Org;
use crate::db::{Db, DbError, audit};
use crate::dhis2_client::{self, Dhis2Error, Dhis2Server};
use crate::indicator_report::{ReportError, report_of};
use peerpulse_core::audit::{AuditEvent, Dhis2Outcome};
use peerpulse_core::dhis2::{ImportCounts, ImportStatus, period_code};
use peerpulse_core::dhis2_export::data_value_set;
use peerpulse_core::org_api::Dhis2SendResponse;
use peerpulse_core::period::Period;

/// Why nothing (more) was sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The report could not be made.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// No value of the report goes to DHIS2: none is mapped for this kind of period, or every
    /// mapped one is below the threshold.
    #[error(
        "no value of this report goes to DHIS2: map indicators with this kind of period and their organisation units on the codebook page (values below the threshold are never sent)"
    )]
    NothingToSend,
    /// DHIS2 failed or refused the request.
    #[error(transparent)]
    Dhis2(#[from] Dhis2Error),
    /// The audit log could not be written.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Who asked for a send, for the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Sender<'a> {
    /// A username, or [`audit::COMMAND_LINE`].
    pub who: &'a str,
    /// Where from (none on the command line).
    pub address: Option<&'a str>,
}

/// Sends `org`'s report for `period` to `server`: a dry run, then (unless `dry_run_only` or
/// the dry run's status is an error) the real send.
pub async fn send_report(
    db: &Db,
    server: &Dhis2Server,
    org: &Org,
    period: Period,
    dry_run_only: bool,
    sender: Sender<'_>,
) -> Result<Dhis2SendResponse, SendError> {
    let (report, settings) = report_of(db, org, period).await?;
    let set = data_value_set(&report, &settings);
    if set.data_values.is_empty() {
        return Err(SendError::NothingToSend);
    }
    let code = period_code(period);
    let values = set.data_values.len();
    let record = |dry_run: bool, counts: &ImportCounts| {
        let event = AuditEvent::SentToDhis2 {
            period: code.clone(),
            values: u32::try_from(values).unwrap_or(u32::MAX),
            dry_run,
            outcome: Dhis2Outcome::from(counts),
        };
        async move { audit::record(db, org.id, sender.who, sender.address, &event).await }
    };
    let dry_run = dhis2_client::send(server, &set, true).await?;
    record(true, &dry_run).await?;
    let sent = if dry_run_only || dry_run.status == ImportStatus::Error {
        None
    } else {
        let sent = dhis2_client::send(server, &set, false).await?;
        record(false, &sent).await?;
        Some(sent)
    };
    Ok(Dhis2SendResponse {
        period: code,
        values,
        dry_run,
        sent,
    })
}
