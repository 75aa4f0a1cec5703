//! What went wrong on the organization's pages, in the language shown. Each typed error maps
//! to a message key of the organization catalog here, at the view; the errors' English
//! `Display` stays for logs. The service's own words (a refusal, a sign-in that ended, a
//! change made meanwhile) arrive already in the person's language and are shown as they are.

use super::{count, fill, text};
use crate::download::DownloadError;
use crate::org_client::OrgError;
use peerpulse_core::dhis2::MappingError;
use peerpulse_core::indicator::{IndicatorError, MAX_INDICATORS, MAX_NAME_CHARS};
use peerpulse_core::period::InvalidPeriod;

/// A call to the service that did not succeed.
pub fn org(error: &OrgError) -> String {
    match error {
        OrgError::Offline => text("org.error.offline"),
        OrgError::SignedOut(why) | OrgError::Refused(why) | OrgError::Changed(why) => why.clone(),
        OrgError::Server(detail) => fill("org.error.server", &[("detail", detail)]),
    }
}

/// A file the browser would not save (its detail is the browser's, for the log).
pub fn download(_: &DownloadError) -> String {
    text("org.error.download")
}

/// A period in an address that is not one.
pub fn period(error: &InvalidPeriod) -> String {
    fill("org.error.period", &[("period", &error.0)])
}

/// Why an indicator cannot be kept, as core's check says.
pub fn indicator(error: &IndicatorError) -> String {
    match error {
        IndicatorError::Name => count("org.error.indicator.name", MAX_NAME_CHARS as u64, &[]),
        IndicatorError::UnknownCode(code) => {
            fill("org.error.indicator.unknown_code", &[("code", code)])
        }
        IndicatorError::FreeTag => text("org.error.indicator.free_tag"),
        IndicatorError::Denominator => text("org.error.indicator.denominator"),
        IndicatorError::Duplicate(name) => fill("org.error.indicator.duplicate", &[("name", name)]),
        IndicatorError::TooMany => {
            count("org.error.indicator.too_many", MAX_INDICATORS as u64, &[])
        }
        IndicatorError::Dhis2(MappingError::Uid(_)) => text("org.indicators.problem.uid"),
    }
}
