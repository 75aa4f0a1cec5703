//! What went wrong, in the worker's language. Each typed error maps to a message key here, at
//! the view; the errors' English `Display` stays for logs.

use super::{count, fill, intl, language, text};
use crate::store::StoreError;
use crate::store::lock::{LockError, NotNow};
use crate::sync::SyncError;
use crate::sync::client::ServiceError;
use peerpulse_core::codebook::{CodeList, Codebook, MAX_CODE_LEN};
use peerpulse_core::encounter::{EncounterError, MAX_FREE_TAGS, NoteError};
use peerpulse_core::enrolment::InvalidEnrolmentCode;
use peerpulse_core::pin::{MAX_PIN_DIGITS, MIN_PIN_DIGITS, PinError};
use peerpulse_core::privacy::free_tag::FreeTagError;
use peerpulse_core::privacy::guard::{FlaggedText, Identifier};

/// A storage failure.
pub fn store(error: &StoreError) -> String {
    let (key, detail) = match error {
        StoreError::Open(d) => ("error.store.open", d.as_str()),
        StoreError::Request(d) => ("error.store.request", d.as_str()),
        StoreError::Corrupt(d) => ("error.store.corrupt", d.as_str()),
        StoreError::Missing(d) => ("error.store.missing", d.as_str()),
        StoreError::Inconsistent(d) => ("error.store.inconsistent", d.as_str()),
        StoreError::Locked => ("error.store.locked", ""),
        StoreError::Crypto(d) => ("error.store.crypto", d.as_str()),
        StoreError::Upgrade { version, cause } => {
            return fill(
                "error.store.upgrade",
                &[("version", version), ("detail", cause)],
            );
        }
    };
    fill(key, &[("detail", &detail)])
}

/// A call to the service that did not succeed.
pub fn service(error: &ServiceError) -> String {
    match error {
        ServiceError::Offline => text("error.service.offline"),
        ServiceError::Unauthorized => text("error.service.unauthorized"),
        // The service's own words about an enrolment code (unknown, used, expired).
        ServiceError::CodeRefused(why) => why.clone(),
        ServiceError::Refused(why) => fill("error.service.refused", &[("detail", why)]),
        ServiceError::Busy => text("error.service.busy"),
        ServiceError::Server(status) => fill("error.service.server", &[("status", status)]),
        ServiceError::BadAnswer(d) => fill("error.service.bad_answer", &[("detail", d)]),
    }
}

/// A sync that did not complete.
pub fn sync(error: &SyncError) -> String {
    match error {
        SyncError::NotEnrolled => text("error.sync.not_enrolled"),
        SyncError::Service(e) => service(e),
        SyncError::Store(e) => store(e),
        SyncError::CodeNotFetched => text("error.sync.code_not_fetched"),
    }
}

/// A PIN lock change or unlock that did not happen.
pub fn lock(error: &LockError) -> String {
    match error {
        LockError::WrongPin => text("error.lock.wrong_pin"),
        LockError::Wait(seconds) => fill(
            "error.lock.wait",
            &[("wait", &intl::duration(language(), *seconds))],
        ),
        LockError::NotNow(NotNow::NotLocked) => text("error.lock.not_locked"),
        LockError::NotNow(NotNow::HasPin) => text("error.lock.has_pin"),
        LockError::NotNow(NotNow::Locked) => text("error.lock.locked"),
        LockError::NotNow(NotNow::NoPin) => text("error.lock.no_pin"),
        LockError::Store(e) => store(e),
    }
}

/// A PIN typed in a shape that cannot be a PIN.
pub fn pin(error: &PinError) -> String {
    match error {
        PinError::NotDigits => text("error.pin.not_digits"),
        PinError::TooShort => count("error.pin.too_short", MIN_PIN_DIGITS as u64, &[]),
        PinError::TooLong => count("error.pin.too_long", MAX_PIN_DIGITS as u64, &[]),
        PinError::TooEasy => text("error.pin.too_easy"),
        PinError::Mismatch => text("error.pin.mismatch"),
    }
}

fn identifier(kind: Identifier) -> String {
    text(kind.message_key())
}

/// What the privacy guard found in a text, and what to do about it.
pub fn flagged(flagged: &FlaggedText) -> String {
    let found: Vec<String> = flagged
        .findings
        .iter()
        .map(|f| {
            fill(
                "guard.looks_like",
                &[
                    ("text", &f.excerpt(&flagged.text)),
                    ("what", &identifier(f.identifier)),
                ],
            )
        })
        .collect();
    fill("guard.rephrase", &[("found", &found.join("; "))])
}

fn note(error: &NoteError) -> String {
    match error {
        NoteError::TooLong { len, max } => {
            count("error.note.too_long", *len as u64, &[("max", max)])
        }
        NoteError::Identifying(found) => flagged(found),
    }
}

/// The name of a codebook list, as a problem with one of its codes reads it.
fn list_name(list: CodeList) -> String {
    text(match list {
        CodeList::Site => "list.site",
        CodeList::Topic => "list.topic",
        CodeList::Insight => "list.insight",
        CodeList::Need => "list.need",
        CodeList::Supply => "list.supply",
        CodeList::Referral => "list.referral",
    })
}

/// One thing that stops an encounter from being saved.
pub fn encounter(error: &EncounterError, codebook: &Codebook) -> String {
    let long = |day| intl::day(language(), day, &[("dateStyle", "long")]);
    match error {
        EncounterError::DayInFuture { day } => {
            fill("error.encounter.day_in_future", &[("day", &long(*day))])
        }
        EncounterError::DayTooFarBack { day, earliest } => fill(
            "error.encounter.day_too_far_back",
            &[("day", &long(*day)), ("earliest", &long(*earliest))],
        ),
        EncounterError::MissingSite => text("error.encounter.missing_site"),
        EncounterError::MissingKind => text("error.encounter.missing_kind"),
        EncounterError::MissingReach => text("error.encounter.missing_reach"),
        EncounterError::UnknownCode { list, code } => fill(
            "error.encounter.unknown_code",
            &[
                ("code", &codebook.label(*list, code)),
                ("list", &list_name(*list)),
            ],
        ),
        EncounterError::TooManyFreeTags => count(
            "error.encounter.too_many_free_tags",
            MAX_FREE_TAGS as u64,
            &[],
        ),
        EncounterError::InsightNote(e) => {
            fill("error.encounter.insight_note", &[("why", &note(e))])
        }
        EncounterError::PrivateNote(e) => {
            fill("error.encounter.private_note", &[("why", &note(e))])
        }
    }
}

/// Why a PIN did not open, set or change the lock.
#[derive(Clone, Debug, PartialEq)]
pub enum PinProblem {
    /// The lock refused it.
    Lock(LockError),
    /// It is not shaped like a PIN.
    Shape(PinError),
}

/// A PIN problem, in the worker's words.
pub fn pin_problem(problem: &PinProblem) -> String {
    match problem {
        PinProblem::Lock(e) => lock(e),
        PinProblem::Shape(e) => pin(e),
    }
}

/// A need typed by the worker that cannot be a tag.
pub fn free_tag(error: &FreeTagError) -> String {
    match error {
        FreeTagError::Empty => text("error.free_tag.empty"),
        FreeTagError::TooLong => count("error.free_tag.too_long", MAX_CODE_LEN as u64, &[]),
        FreeTagError::Identifying(found) => flagged(found),
    }
}

/// An enrolment code typed in a shape no code has.
pub fn enrolment_code(error: &InvalidEnrolmentCode) -> String {
    match error {
        InvalidEnrolmentCode::Empty => text("error.enrolment.empty"),
        InvalidEnrolmentCode::WrongLength(n) => {
            count("error.enrolment.wrong_length", *n as u64, &[])
        }
        InvalidEnrolmentCode::NotInCodes(what) => {
            fill("error.enrolment.not_in_codes", &[("what", what)])
        }
    }
}
