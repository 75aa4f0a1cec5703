//! What went wrong on the organization's pages, in the language shown. Each typed error maps
//! to a message key here, at the view, one function per error type; the errors' English
//! `Display` stays for logs. The service's own reasons (a refusal, a sign-out, a conflict)
//! arrive already in the person's language and are shown as they are.

use super::errors::flagged;
use super::{count, fill, text};
use crate::download::DownloadError;
use crate::org_client::OrgError;
use peerpulse_core::dhis2::MappingError;
use peerpulse_core::indicator::{IndicatorError, MAX_INDICATORS, MAX_NAME_CHARS};
use peerpulse_core::language::LanguageTagError;
use peerpulse_core::people::{
    InvalidOrgHandle, InvalidUsername, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, WeakPassword,
};
use peerpulse_core::period::InvalidPeriod;
use peerpulse_core::phone_label::{InvalidPhoneLabel, PhoneLabel};

/// A call to the service that did not succeed.
pub fn call(error: &OrgError) -> String {
    match error {
        OrgError::Offline => text("org.error.offline"),
        OrgError::SignedOut(why) | OrgError::Refused(why) | OrgError::Changed(why) => why.clone(),
        OrgError::Server(detail) => fill("org.error.server", &[("detail", detail)]),
    }
}

/// An organization sign-in name typed in a shape no name has.
pub fn org_handle(_: &InvalidOrgHandle) -> String {
    text("org.error.org_handle")
}

/// A username typed in a shape no username has.
pub fn username(_: &InvalidUsername) -> String {
    text("org.error.username")
}

/// A password too short or too long to be chosen.
pub fn password(_: &WeakPassword) -> String {
    fill(
        "org.error.password",
        &[("min", &MIN_PASSWORD_CHARS), ("max", &MAX_PASSWORD_CHARS)],
    )
}

/// A phone's name that cannot be one.
pub fn phone_label(error: &InvalidPhoneLabel) -> String {
    match error {
        InvalidPhoneLabel::Length => count(
            "org.error.phone_label.length",
            PhoneLabel::MAX_CHARS as u64,
            &[],
        ),
        InvalidPhoneLabel::Hidden => text("org.error.phone_label.hidden"),
        InvalidPhoneLabel::Identifying(found) => fill(
            "org.error.phone_label.identifying",
            &[("why", &flagged(found))],
        ),
    }
}

/// A language tag typed in a shape no tag has.
pub fn language_tag(error: &LanguageTagError) -> String {
    match error {
        LanguageTagError::Empty => text("org.error.language_tag.empty"),
        LanguageTagError::BadLanguage(typed) => {
            fill("org.error.language_tag.bad_language", &[("typed", typed)])
        }
        LanguageTagError::BadRegion(typed) => {
            fill("org.error.language_tag.bad_region", &[("typed", typed)])
        }
        LanguageTagError::TooManyParts(typed) => {
            fill("org.error.language_tag.too_many_parts", &[("typed", typed)])
        }
    }
}

/// Why an account form (sign-in, welcome, new password, a new person) was not sent or not
/// accepted: kept typed, so its words follow a language switch.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountProblem {
    /// The organization's sign-in name.
    Organization(InvalidOrgHandle),
    /// The username.
    Username(InvalidUsername),
    /// The (new) password.
    Password(WeakPassword),
    /// The first password an admin gives a new person.
    FirstPassword(WeakPassword),
    /// The two passwords typed differ.
    Mismatch,
    /// The service did not take it.
    Call(OrgError),
}

/// An account form's problem, naming the field it is about.
pub fn account(problem: &AccountProblem) -> String {
    let field = |key: &str, why: String| fill(key, &[("why", &why)]);
    match problem {
        AccountProblem::Organization(e) => field("org.error.field.organization", org_handle(e)),
        AccountProblem::Username(e) => field("org.error.field.username", username(e)),
        AccountProblem::Password(e) => field("org.error.field.password", password(e)),
        AccountProblem::FirstPassword(e) => field("org.error.field.first_password", password(e)),
        AccountProblem::Mismatch => text("org.error.password_mismatch"),
        AccountProblem::Call(e) => call(e),
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
