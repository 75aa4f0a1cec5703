//! The core's typed errors as catalog texts: one function per error type, beside each other,
//! so a new variant is a compile error here until it has its words. The errors' English
//! `Display` stays in core for logs.

use super::{Arg, Text, quoted, shown};
use chrono::NaiveDate;
use peerpulse_core::codebook::{
    CodeList, CodebookEditError, CodebookError, LabelProblem, MAX_CODE_LEN, MAX_CODES_PER_LIST,
    MAX_LABEL_CHARS,
};
use peerpulse_core::consistency::Inconsistency;
use peerpulse_core::dhis2::MappingError;
use peerpulse_core::encounter::{MAX_QUANTITY, NoteError};
use peerpulse_core::field_alert::{
    AlertContentError, LifecycleError, MAX_LIFE_DAYS, MAX_MESSAGE_CHARS,
};
use peerpulse_core::field_notes::NoteOfferError;
use peerpulse_core::indicator::{IndicatorError, MAX_INDICATORS, MAX_NAME_CHARS};
use peerpulse_core::privacy::guard::FlaggedText;
use peerpulse_core::protocol::{MAX_AGE_DAYS, MAX_BATCH, PeriodError, SyncRequestError};

fn number(n: impl TryInto<u64>) -> Arg {
    Arg::Number(n.try_into().unwrap_or(u64::MAX))
}

fn count(n: impl TryInto<u64>) -> Arg {
    Arg::Count(n.try_into().unwrap_or(u64::MAX))
}

fn text(inner: Text) -> Arg {
    Arg::Text(Box::new(inner))
}

/// A hidden character as `U+200B`.
fn code_point(c: char) -> Arg {
    Arg::Verbatim(format!("U+{:04X}", u32::from(c)))
}

/// The name of a codebook list, as a sentence about one of its codes reads it.
fn list_name(list: CodeList) -> Arg {
    text(Text::plain(match list {
        CodeList::Site => "list.site",
        CodeList::Topic => "list.topic",
        CodeList::Insight => "list.insight",
        CodeList::Need => "list.need",
        CodeList::Supply => "list.supply",
        CodeList::Referral => "list.referral",
    }))
}

/// What the free-text guard found, and the plea to rephrase.
fn flagged(flagged: &FlaggedText) -> Arg {
    let found = flagged
        .findings
        .iter()
        .map(|f| {
            let what = f.identifier.message_key();
            Text::with(
                "guard.looks_like",
                vec![
                    ("text", Arg::Verbatim(f.excerpt(&flagged.text).to_owned())),
                    ("what", text(Text::plain(what))),
                ],
            )
        })
        .collect();
    text(Text::with(
        "guard.rephrase",
        vec![("found", Arg::Texts(found))],
    ))
}

/// An alert step its lifecycle refuses.
pub fn alert_step(e: LifecycleError) -> Text {
    Text::plain(match e {
        LifecycleError::SamePerson => "alert.same_person",
        LifecycleError::NotADraft => "alert.not_a_draft",
        LifecycleError::Withdrawn => "alert.withdrawn",
        LifecycleError::Expired => "alert.expired",
    })
}

/// An alert that cannot go out as it is.
pub fn alert_content(e: &AlertContentError) -> Text {
    match e {
        AlertContentError::NoMessage => Text::plain("alert.no_message"),
        AlertContentError::Message(language) => Text::with(
            "alert.message_length",
            vec![
                ("language", Arg::Verbatim(language.clone())),
                ("max", number(MAX_MESSAGE_CHARS)),
            ],
        ),
        AlertContentError::Identifying {
            language,
            flagged: found,
        } => Text::with(
            "alert.identifying",
            vec![
                ("language", Arg::Verbatim(language.clone())),
                ("found", flagged(found)),
            ],
        ),
        AlertContentError::Expiry => {
            Text::with("alert.expiry", vec![("count", count(MAX_LIFE_DAYS))])
        }
    }
}

/// A note that cannot be offered.
pub fn note_offer(e: &NoteOfferError) -> Text {
    match e {
        NoteOfferError::NotAMonday(week) => {
            Text::with("note.not_a_monday", vec![("week", shown(week))])
        }
        NoteOfferError::InFuture(week) => Text::with("note.in_future", vec![("week", shown(week))]),
        NoteOfferError::TooOld(week) => Text::with(
            "note.too_old",
            vec![("week", shown(week)), ("count", count(MAX_AGE_DAYS))],
        ),
        NoteOfferError::Empty => Text::plain("note.empty"),
        NoteOfferError::Text(NoteError::TooLong { len, max }) => Text::with(
            "note.too_long",
            vec![("count", count(*len)), ("max", number(*max))],
        ),
        NoteOfferError::Text(NoteError::Identifying(found)) => {
            Text::with("note.identifying", vec![("found", flagged(found))])
        }
    }
}

/// A codebook edit that cannot be made.
pub fn codebook_edit(e: &CodebookEditError) -> Text {
    match e {
        CodebookEditError::NoCode(_) => {
            Text::with("codebook.no_code", vec![("max", number(MAX_CODE_LEN))])
        }
        CodebookEditError::Exists { code, list } => Text::with(
            "codebook.exists",
            vec![("list", list_name(*list)), ("code", shown(code))],
        ),
        CodebookEditError::Missing { code, list } => Text::with(
            "codebook.missing",
            vec![("list", list_name(*list)), ("code", shown(code))],
        ),
        CodebookEditError::BadMerge { code, into } => Text::with(
            "codebook.bad_merge",
            vec![("code", shown(code)), ("into", shown(into))],
        ),
        CodebookEditError::OwnLanguage { language } => {
            Text::with("codebook.own_language", vec![("language", shown(language))])
        }
        CodebookEditError::Identifying(found) => {
            Text::with("codebook.identifying", vec![("found", flagged(found))])
        }
        CodebookEditError::Invalid(e) => codebook(e),
    }
}

/// An edit whose result would not be a usable codebook.
fn codebook(e: &CodebookError) -> Text {
    match e {
        CodebookError::DuplicateCode { list, code } => Text::with(
            "codebook.duplicate_code",
            vec![("list", list_name(*list)), ("code", shown(code))],
        ),
        CodebookError::BadLabel { list, code } => Text::with(
            "codebook.bad_label",
            vec![
                ("list", list_name(*list)),
                ("code", shown(code)),
                ("max", number(MAX_LABEL_CHARS)),
            ],
        ),
        CodebookError::HiddenCharacter { list, code, found } => Text::with(
            "codebook.hidden_character",
            vec![
                ("list", list_name(*list)),
                ("code", shown(code)),
                ("character", code_point(*found)),
            ],
        ),
        CodebookError::TooManyCodes { list } => Text::with(
            "codebook.too_many_codes",
            vec![
                ("list", list_name(*list)),
                ("max", number(MAX_CODES_PER_LIST)),
            ],
        ),
        CodebookError::BadTranslation {
            list,
            code,
            language,
            problem: LabelProblem::Length,
        } => Text::with(
            "codebook.translation_length",
            vec![
                ("list", list_name(*list)),
                ("code", shown(code)),
                ("language", shown(language)),
                ("max", number(MAX_LABEL_CHARS)),
            ],
        ),
        CodebookError::BadTranslation {
            list,
            code,
            language,
            problem: LabelProblem::Hidden(found),
        } => Text::with(
            "codebook.translation_hidden_character",
            vec![
                ("list", list_name(*list)),
                ("code", shown(code)),
                ("language", shown(language)),
                ("character", code_point(*found)),
            ],
        ),
        CodebookError::EmptyList { list } => {
            Text::with("codebook.empty_list", vec![("list", list_name(*list))])
        }
    }
}

/// Indicators that cannot be kept.
pub fn indicator(e: &IndicatorError) -> Text {
    match e {
        IndicatorError::Name => {
            Text::with("indicators.name", vec![("max", number(MAX_NAME_CHARS))])
        }
        IndicatorError::UnknownCode(code) => {
            Text::with("indicators.unknown_code", vec![("code", quoted(code))])
        }
        IndicatorError::FreeTag => Text::plain("indicators.free_tag"),
        IndicatorError::Denominator => Text::plain("indicators.denominator"),
        IndicatorError::Duplicate(name) => {
            Text::with("indicators.duplicate", vec![("name", quoted(name))])
        }
        IndicatorError::TooMany => Text::with(
            "indicators.over_the_limit",
            vec![("max", number(MAX_INDICATORS))],
        ),
        IndicatorError::Dhis2(MappingError::Uid(uid)) => {
            Text::with("indicators.dhis2_uid", vec![("uid", quoted(uid.given()))])
        }
    }
}

/// A trends or report period that cannot be served.
pub fn period(e: &PeriodError) -> Text {
    match e {
        PeriodError::InFuture(period) => {
            Text::with("period.in_future", vec![("period", shown(period))])
        }
        PeriodError::TooOld(period) => Text::with(
            "period.too_old",
            vec![("period", shown(period)), ("count", count(MAX_AGE_DAYS))],
        ),
        PeriodError::TooFineForAPhone => Text::plain("period.too_fine_for_a_phone"),
    }
}

/// A sync request wrong as a whole.
pub fn sync_request(e: &SyncRequestError) -> Text {
    match e {
        SyncRequestError::BatchTooLarge(buckets) => Text::with(
            "sync.batch_too_large",
            vec![("count", count(*buckets)), ("max", number(MAX_BATCH))],
        ),
        SyncRequestError::DuplicateBucket(key) => Text::with(
            "sync.duplicate_bucket",
            vec![
                ("day", shown(key.day)),
                ("site", shown(&key.site)),
                ("measure", Arg::Verbatim(format!("{:?}", key.measure))),
            ],
        ),
    }
}

/// A batch that would leave one day's counts at one site contradicting each other.
pub fn inconsistent(day: NaiveDate, site: &str, why: &Inconsistency) -> Text {
    let mut args = vec![
        ("day", shown(day)),
        ("site", Arg::Verbatim(site.to_owned())),
    ];
    let key = match why {
        Inconsistency::PartitionSum {
            dimension,
            sum,
            encounters,
        } => {
            args.extend([
                ("dimension", shown(dimension)),
                ("sum", number(*sum)),
                ("count", count(*encounters)),
            ]);
            "sync.inconsistent_sum"
        }
        Inconsistency::MoreThanEncounters {
            measure,
            count: counted,
            encounters,
        } => {
            args.extend([
                ("measure", Arg::Verbatim(format!("{measure:?}"))),
                ("counted", number(*counted)),
                ("count", count(*encounters)),
            ]);
            "sync.inconsistent_more_than_encounters"
        }
        Inconsistency::Units {
            item,
            units,
            encounters,
        } => {
            args.extend([
                ("item", Arg::Verbatim(item.clone())),
                ("units", number(*units)),
                ("count", count(*encounters)),
                ("max", number(MAX_QUANTITY)),
            ]);
            "sync.inconsistent_units"
        }
    };
    Text::with(key, args)
}
