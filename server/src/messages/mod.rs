//! Every message the service writes to a person, as typed values: a [`Message`] names what
//! happened and carries what the sentence needs; it becomes words only at the response
//! boundary, in the language the person reads ([`catalog`]), so a handler never composes text.
//!
//! Each message is a whole sentence in the catalog (`locales/service/<tag>.json`), not
//! English fragments glued together: translators see "This change cannot be made: the
//! {{list}} list already has {{code}}." and can order it as their language needs.

pub mod catalog;
mod core_errors;

use crate::dhis2_client::Dhis2Error;
use peerpulse_core::codebook::CodebookEditError;
use peerpulse_core::consistency::Inconsistency;
use peerpulse_core::field_alert::{AlertContentError, LifecycleError};
use peerpulse_core::field_notes::NoteOfferError;
use peerpulse_core::indicator::IndicatorError;
use peerpulse_core::protocol::{PeriodError, SyncRequestError};
use std::fmt;

/// A text of the catalog and what fills its placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// The catalog key, without a plural ending.
    pub key: &'static str,
    /// Each `{{name}}` placeholder's value.
    pub args: Vec<(&'static str, Arg)>,
}

/// What fills one placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// The number that chooses the plural form (the `count` placeholder).
    Count(u64),
    /// A number that does not choose the form.
    Number(u64),
    /// Something a person or a client sent, or a code or a date: shown as it is, never
    /// looked up or read for placeholders.
    Verbatim(String),
    /// Another text of the catalog, in the same language.
    Text(Box<Text>),
    /// Several texts, joined by the language's separator.
    Texts(Vec<Text>),
}

impl Text {
    /// A text with no placeholder.
    pub fn plain(key: &'static str) -> Self {
        Self { key, args: vec![] }
    }

    /// A text with placeholders.
    pub fn with(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self { key, args }
    }
}

/// Something a person or a client sent, quoted as the English messages always quoted it.
pub fn quoted(given: &str) -> Arg {
    Arg::Verbatim(format!("{given:?}"))
}

/// A code, a date or a number shown as it is.
pub fn shown(value: impl fmt::Display) -> Arg {
    Arg::Verbatim(value.to_string())
}

/// Why the service refused or failed a request, in terms a person can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    /// No valid session cookie.
    SignInRequired,
    /// Organization, username or password wrong.
    BadCredentials,
    /// The sign-in link is unknown, used or expired.
    SignInLinkInvalid,
    /// A new password is a common breached one.
    CommonPassword,
    /// The enrolment code is unknown, used or expired.
    EnrolmentCodeInvalid,
    /// No such API endpoint.
    NotFound,
    /// The endpoint exists but not for this method.
    MethodNotAllowed,
    /// Something failed inside the service.
    Internal,
    /// The database cannot take writes for now.
    Unavailable,
    /// Too many live event streams.
    TooManyStreams,
    /// Every password hashing thread is taken.
    Busy,
    /// No DHIS2 server is set up.
    Dhis2NotSetUp,
    /// A phone sent more requests than its limit; it retries after this many seconds.
    TooManyRequests {
        /// Seconds to wait.
        seconds: u64,
    },
    /// Too many failed attempts; wait this many seconds.
    TooManyAttempts {
        /// Seconds to wait.
        seconds: u64,
    },
    /// The device token is unknown or revoked.
    DeviceTokenUnknown,
    /// No `Authorization` header.
    DeviceTokenMissing,
    /// An `Authorization` header that is not `Bearer <token>`.
    AuthorizationMalformed,
    /// The metrics token is missing or wrong.
    MetricsTokenWrong,
    /// A change without the session's CSRF token.
    CsrfTokenMissing,
    /// The person's role does not allow this.
    RoleNotAllowed,
    /// No person of that username in the organization.
    NoSuchPerson,
    /// No such phone in the organization.
    NoSuchPhone,
    /// No such note in the organization.
    NoSuchNote,
    /// No such alert in the organization.
    NoSuchAlert,
    /// The username is taken.
    UsernameTaken,
    /// The change would leave no admin.
    LastAdmin,
    /// A reset link for someone whose access is taken away.
    AccessTakenAway,
    /// A codebook edit made on an old version.
    CodebookChanged {
        /// The current version.
        now: u32,
    },
    /// An indicators edit made on an old version.
    IndicatorsChanged {
        /// The current version.
        now: u32,
    },
    /// Someone changed the alert meanwhile.
    AlertChanged,
    /// The alert's lifecycle does not allow the step.
    AlertStep(LifecycleError),
    /// A path segment that is not a username.
    NotAUsername {
        /// What was sent.
        given: String,
    },
    /// A path segment that is not an entry id.
    NotAnEntryId {
        /// What was sent.
        given: String,
    },
    /// A note that cannot be offered.
    NoteRefused(NoteOfferError),
    /// The phone has this many notes waiting already.
    TooManyNotesWaiting {
        /// The most a phone may have waiting.
        max: u64,
    },
    /// A review that neither approves nor rejects.
    ReviewNeedsDecision,
    /// An alert that cannot go out as it is.
    AlertRefused(AlertContentError),
    /// An alert names a site the codebook does not have.
    AlertUnknownSite {
        /// The site sent.
        site: String,
    },
    /// More alert receipts than one request carries.
    TooManyReceipts {
        /// The most a request carries.
        max: u64,
    },
    /// A free tag used on fewer than two phones cannot become a need.
    FreeTagTooRare,
    /// A codebook edit that cannot be made.
    CodebookEditRefused(CodebookEditError),
    /// Indicators that cannot be kept.
    IndicatorsRefused(IndicatorError),
    /// A report asked for a period that is not a week, month or quarter.
    NotAReportPeriod,
    /// No value of the report goes to DHIS2.
    NothingToSend,
    /// A trends period that cannot be served.
    PeriodRefused(PeriodError),
    /// A query's `from` is after its `to`.
    FromAfterTo {
        /// The `from` sent.
        from: String,
        /// The `to` sent.
        to: String,
    },
    /// A query names a site the codebook does not have.
    QueryUnknownSite {
        /// The site sent.
        site: String,
    },
    /// The query string does not parse; the parser's words say where.
    QueryNotUnderstood {
        /// The parser's explanation (technical, in English).
        detail: String,
    },
    /// The body is larger than the service takes.
    BodyTooLarge {
        /// The limit in KiB.
        kib: u64,
    },
    /// The body is not JSON at all.
    BodyNotJson {
        /// The parser's explanation (technical, in English).
        detail: String,
    },
    /// The body is not declared as JSON.
    BodyNotDeclaredJson,
    /// The body is JSON but not of the expected shape.
    BodyNotUnderstood {
        /// The parser's explanation (technical, in English).
        detail: String,
    },
    /// The body could not be read.
    BodyUnreadable,
    /// A sync request is wrong as a whole.
    SyncRefused(SyncRequestError),
    /// A sync batch would leave one day's counts at one site contradicting each other.
    InconsistentCounts {
        /// The day.
        day: chrono::NaiveDate,
        /// The site.
        site: String,
        /// What contradicts.
        why: Inconsistency,
    },
    /// DHIS2 could not be reached.
    Dhis2Unreachable {
        /// The address asked.
        url: String,
        /// Why, as the HTTP client says it (technical, in English).
        detail: String,
    },
    /// DHIS2 refused the user name or password.
    Dhis2Unauthorized {
        /// Its HTTP status.
        status: u16,
    },
    /// DHIS2 answered with an error and no import summary.
    Dhis2Refused {
        /// Its HTTP status.
        status: u16,
        /// What it said.
        body: String,
    },
}

impl Message {
    /// The message as a catalog text with its arguments.
    pub fn text(&self) -> Text {
        use Message::*;
        match self {
            SignInRequired => Text::plain("error.sign_in_required"),
            BadCredentials => Text::plain("error.bad_credentials"),
            SignInLinkInvalid => Text::plain("error.sign_in_link_invalid"),
            CommonPassword => Text::plain("error.common_password"),
            EnrolmentCodeInvalid => Text::plain("error.enrolment_code_invalid"),
            NotFound => Text::plain("error.not_found"),
            MethodNotAllowed => Text::plain("error.method_not_allowed"),
            Internal => Text::plain("error.internal"),
            Unavailable => Text::plain("error.unavailable"),
            TooManyStreams => Text::plain("error.too_many_streams"),
            Busy => Text::plain("error.busy"),
            Dhis2NotSetUp => Text::plain("error.dhis2_not_set_up"),
            TooManyRequests { seconds } => Text::with(
                "error.too_many_requests",
                vec![("count", Arg::Count(*seconds))],
            ),
            TooManyAttempts { seconds } => Text::with(
                "error.too_many_attempts",
                vec![("count", Arg::Count(*seconds))],
            ),
            DeviceTokenUnknown => Text::plain("auth.device_token_unknown"),
            DeviceTokenMissing => Text::plain("auth.device_token_missing"),
            AuthorizationMalformed => Text::plain("auth.authorization_malformed"),
            MetricsTokenWrong => Text::plain("auth.metrics_token_wrong"),
            CsrfTokenMissing => Text::plain("auth.csrf_token_missing"),
            RoleNotAllowed => Text::plain("auth.role_not_allowed"),
            NoSuchPerson => Text::plain("record.no_such_person"),
            NoSuchPhone => Text::plain("record.no_such_phone"),
            NoSuchNote => Text::plain("record.no_such_note"),
            NoSuchAlert => Text::plain("record.no_such_alert"),
            UsernameTaken => Text::plain("people.username_taken"),
            LastAdmin => Text::plain("people.last_admin"),
            AccessTakenAway => Text::plain("people.access_taken_away"),
            NotAUsername { given } => {
                Text::with("people.not_a_username", vec![("given", quoted(given))])
            }
            CodebookChanged { now } => Text::with(
                "codebook.changed",
                vec![("version", Arg::Number(u64::from(*now)))],
            ),
            IndicatorsChanged { now } => Text::with(
                "indicators.changed",
                vec![("version", Arg::Number(u64::from(*now)))],
            ),
            AlertChanged => Text::plain("alert.changed"),
            AlertStep(e) => core_errors::alert_step(*e),
            NotAnEntryId { given } => {
                Text::with("note.not_an_entry_id", vec![("given", quoted(given))])
            }
            NoteRefused(e) => core_errors::note_offer(e),
            TooManyNotesWaiting { max } => {
                Text::with("note.too_many_waiting", vec![("count", Arg::Count(*max))])
            }
            ReviewNeedsDecision => Text::plain("note.review_needs_decision"),
            AlertRefused(e) => core_errors::alert_content(e),
            AlertUnknownSite { site } => {
                Text::with("alert.unknown_site", vec![("site", quoted(site))])
            }
            TooManyReceipts { max } => {
                Text::with("alert.too_many_receipts", vec![("count", Arg::Count(*max))])
            }
            FreeTagTooRare => Text::plain("codebook.free_tag_too_rare"),
            CodebookEditRefused(e) => core_errors::codebook_edit(e),
            IndicatorsRefused(e) => core_errors::indicator(e),
            NotAReportPeriod => Text::plain("report.not_a_report_period"),
            NothingToSend => Text::plain("dhis2.nothing_to_send"),
            PeriodRefused(e) => core_errors::period(e),
            FromAfterTo { from, to } => Text::with(
                "query.from_after_to",
                vec![
                    ("from", Arg::Verbatim(from.clone())),
                    ("to", Arg::Verbatim(to.clone())),
                ],
            ),
            QueryUnknownSite { site } => {
                Text::with("query.unknown_site", vec![("site", quoted(site))])
            }
            QueryNotUnderstood { detail } => Text::with(
                "query.not_understood",
                vec![("detail", Arg::Verbatim(detail.clone()))],
            ),
            BodyTooLarge { kib } => Text::with("body.too_large", vec![("kib", Arg::Number(*kib))]),
            BodyNotJson { detail } => Text::with(
                "body.not_json",
                vec![("detail", Arg::Verbatim(detail.clone()))],
            ),
            BodyNotDeclaredJson => Text::plain("body.not_declared_json"),
            BodyNotUnderstood { detail } => Text::with(
                "body.not_understood",
                vec![("detail", Arg::Verbatim(detail.clone()))],
            ),
            BodyUnreadable => Text::plain("body.unreadable"),
            SyncRefused(e) => core_errors::sync_request(e),
            InconsistentCounts { day, site, why } => core_errors::inconsistent(*day, site, why),
            Dhis2Unreachable { url, detail } => Text::with(
                "dhis2.unreachable",
                vec![
                    ("url", Arg::Verbatim(url.clone())),
                    ("detail", Arg::Verbatim(detail.clone())),
                ],
            ),
            Dhis2Unauthorized { status } => Text::with(
                "dhis2.unauthorized",
                vec![("status", Arg::Number(u64::from(*status)))],
            ),
            Dhis2Refused { status, body } => Text::with(
                "dhis2.refused",
                vec![
                    ("status", Arg::Number(u64::from(*status))),
                    ("body", Arg::Verbatim(body.clone())),
                ],
            ),
        }
    }

    /// What a person reads of a failed DHIS2 send.
    pub fn of_dhis2(e: &Dhis2Error) -> Self {
        match e {
            Dhis2Error::Unreachable { url, source } => Self::Dhis2Unreachable {
                url: url.clone(),
                detail: source.to_string(),
            },
            Dhis2Error::Unauthorized(status) => Self::Dhis2Unauthorized { status: *status },
            Dhis2Error::Refused { status, body } => Self::Dhis2Refused {
                status: *status,
                body: body.clone(),
            },
        }
    }

    /// The message in `language`.
    pub fn render(&self, language: peerpulse_core::language::Language) -> String {
        catalog::render(&self.text(), language)
    }
}

/// English, for logs and for `ApiError`'s `Display`.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&catalog::render_plain(
            &self.text(),
            peerpulse_core::language::Language::En,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use peerpulse_core::bucket::{BucketKey, Dimension, Measure};
    use peerpulse_core::codebook::{Code, CodeList, CodebookError, LabelProblem};
    use peerpulse_core::dhis2::{MappingError, Uid};
    use peerpulse_core::encounter::NoteError;
    use peerpulse_core::language::{Language, LanguageTag};
    use peerpulse_core::period::Period;
    use peerpulse_core::privacy::guard::{Finding, FlaggedText, Identifier};
    use peerpulse_core::translations::split_plural;
    use std::collections::BTreeSet;

    fn code(raw: &str) -> Code {
        Code::new(raw).expect("a valid code")
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date")
    }

    fn flagged() -> FlaggedText {
        FlaggedText {
            text: "call Ana at 555 0101".into(),
            findings: vec![
                Finding {
                    identifier: Identifier::Name,
                    span: 5..8,
                },
                Finding {
                    identifier: Identifier::PhoneNumber,
                    span: 12..20,
                },
            ],
        }
    }

    /// One of each message, with each variant of each core error: a new variant without its
    /// words fails [`every_message_has_words_in_every_language`] through the key set.
    fn every_message() -> Vec<Message> {
        use Message::*;
        let list = CodeList::Need;
        let es = LanguageTag::new("es").expect("a tag");
        let mut all = vec![
            SignInRequired,
            BadCredentials,
            SignInLinkInvalid,
            CommonPassword,
            EnrolmentCodeInvalid,
            NotFound,
            MethodNotAllowed,
            Internal,
            Unavailable,
            TooManyStreams,
            Busy,
            Dhis2NotSetUp,
            TooManyRequests { seconds: 3 },
            TooManyAttempts { seconds: 1 },
            DeviceTokenUnknown,
            DeviceTokenMissing,
            AuthorizationMalformed,
            MetricsTokenWrong,
            CsrfTokenMissing,
            RoleNotAllowed,
            NoSuchPerson,
            NoSuchPhone,
            NoSuchNote,
            NoSuchAlert,
            UsernameTaken,
            LastAdmin,
            AccessTakenAway,
            CodebookChanged { now: 7 },
            IndicatorsChanged { now: 2 },
            AlertChanged,
            NotAUsername {
                given: "A B".into(),
            },
            NotAnEntryId {
                given: "x y".into(),
            },
            TooManyNotesWaiting { max: 200 },
            ReviewNeedsDecision,
            AlertUnknownSite {
                site: "pier".into(),
            },
            TooManyReceipts { max: 500 },
            FreeTagTooRare,
            NotAReportPeriod,
            NothingToSend,
            FromAfterTo {
                from: "2026-W48".into(),
                to: "2026-W40".into(),
            },
            QueryUnknownSite {
                site: "pier".into(),
            },
            QueryNotUnderstood {
                detail: "unknown field `x`".into(),
            },
            BodyTooLarge { kib: 512 },
            BodyNotJson {
                detail: "EOF at line 1".into(),
            },
            BodyNotDeclaredJson,
            BodyNotUnderstood {
                detail: "missing field `day`".into(),
            },
            BodyUnreadable,
            Dhis2Unreachable {
                url: "https://dhis2.example".into(),
                detail: "timed out".into(),
            },
            Dhis2Unauthorized { status: 401 },
            Dhis2Refused {
                status: 500,
                body: "oops".into(),
            },
        ];
        all.extend(CodeList::ALL.map(|list| {
            CodebookEditRefused(CodebookEditError::Invalid(CodebookError::EmptyList {
                list,
            }))
        }));
        let each_identifier = [
            Identifier::Email,
            Identifier::ProfileLink,
            Identifier::Handle,
            Identifier::DateOfBirth,
            Identifier::StreetAddress,
            Identifier::NationalId,
            Identifier::PhoneNumber,
            Identifier::VehiclePlate,
            Identifier::IdNumber,
            Identifier::Name,
        ];
        all.push(CodebookEditRefused(CodebookEditError::Identifying(
            FlaggedText {
                text: "x".into(),
                findings: each_identifier
                    .into_iter()
                    .map(|identifier| Finding {
                        identifier,
                        span: 0..1,
                    })
                    .collect(),
            },
        )));
        all.extend(
            [
                LifecycleError::SamePerson,
                LifecycleError::NotADraft,
                LifecycleError::Withdrawn,
                LifecycleError::Expired,
            ]
            .map(AlertStep),
        );
        all.extend(
            [
                NoteOfferError::NotAMonday(day()),
                NoteOfferError::InFuture(day()),
                NoteOfferError::TooOld(day()),
                NoteOfferError::Empty,
                NoteOfferError::Text(NoteError::TooLong { len: 900, max: 500 }),
                NoteOfferError::Text(NoteError::Identifying(flagged())),
            ]
            .map(NoteRefused),
        );
        all.extend(
            [
                AlertContentError::NoMessage,
                AlertContentError::Message("es".into()),
                AlertContentError::Identifying {
                    language: "es".into(),
                    flagged: flagged(),
                },
                AlertContentError::Expiry,
            ]
            .map(AlertRefused),
        );
        let invalid = |e| CodebookEditError::Invalid(e);
        all.extend(
            [
                CodebookEditError::NoCode(peerpulse_core::codebook::CodeError::Empty),
                CodebookEditError::Exists {
                    code: code("housing"),
                    list,
                },
                CodebookEditError::Missing {
                    code: code("housing"),
                    list,
                },
                CodebookEditError::BadMerge {
                    code: code("a"),
                    into: code("a"),
                },
                CodebookEditError::OwnLanguage {
                    language: es.clone(),
                },
                CodebookEditError::Identifying(flagged()),
                invalid(CodebookError::DuplicateCode {
                    list,
                    code: code("a"),
                }),
                invalid(CodebookError::BadLabel {
                    list,
                    code: code("a"),
                }),
                invalid(CodebookError::HiddenCharacter {
                    list,
                    code: code("a"),
                    found: '\u{200B}',
                }),
                invalid(CodebookError::TooManyCodes { list }),
                invalid(CodebookError::BadTranslation {
                    list,
                    code: code("a"),
                    language: es.clone(),
                    problem: LabelProblem::Length,
                }),
                invalid(CodebookError::BadTranslation {
                    list,
                    code: code("a"),
                    language: es,
                    problem: LabelProblem::Hidden('\u{202E}'),
                }),
                invalid(CodebookError::EmptyList { list }),
            ]
            .map(CodebookEditRefused),
        );
        all.extend(
            [
                IndicatorError::Name,
                IndicatorError::UnknownCode("x".into()),
                IndicatorError::FreeTag,
                IndicatorError::Denominator,
                IndicatorError::Duplicate("Contacts".into()),
                IndicatorError::TooMany,
                IndicatorError::Dhis2(MappingError::Uid(Uid::new("nope").expect_err("not a UID"))),
            ]
            .map(IndicatorsRefused),
        );
        all.extend(
            [
                PeriodError::InFuture(Period::Week(day())),
                PeriodError::TooOld(Period::Week(day())),
                PeriodError::TooFineForAPhone,
            ]
            .map(PeriodRefused),
        );
        all.extend(
            [
                SyncRequestError::BatchTooLarge(1001),
                SyncRequestError::DuplicateBucket(BucketKey {
                    day: day(),
                    site: code("pier"),
                    measure: Measure::Encounters,
                }),
            ]
            .map(SyncRefused),
        );
        all.extend(
            [
                Inconsistency::PartitionSum {
                    dimension: Dimension::Kind,
                    sum: 5,
                    encounters: 3,
                },
                Inconsistency::MoreThanEncounters {
                    measure: Measure::Encounters,
                    count: 5,
                    encounters: 3,
                },
                Inconsistency::Units {
                    item: "naloxone".into(),
                    units: 900,
                    encounters: 1,
                },
            ]
            .map(|why| InconsistentCounts {
                day: day(),
                site: "pier".into(),
                why,
            }),
        );
        all
    }

    fn keys(text: &Text, found: &mut BTreeSet<&'static str>) {
        found.insert(text.key);
        for (_, arg) in &text.args {
            match arg {
                Arg::Text(inner) => keys(inner, found),
                Arg::Texts(texts) => texts.iter().for_each(|t| keys(t, found)),
                _ => {}
            }
        }
    }

    #[test]
    fn every_message_has_words_in_every_language() {
        // The separator of a list of findings is read by the renderer, not by a message.
        let mut used = BTreeSet::from(["list.separator"]);
        for message in every_message() {
            keys(&message.text(), &mut used);
            for language in Language::ALL {
                let written = message.render(language);
                assert!(
                    !written.contains("{{") && !written.contains(message.text().key),
                    "{language}: {message:?} reads {written:?}"
                );
            }
        }
        let english: BTreeSet<&str> = catalog::catalog(Language::En)
            .keys()
            .map(|k| split_plural(k).0)
            .collect();
        let missing: Vec<_> = used.iter().filter(|k| !english.contains(*k)).collect();
        let unused: Vec<_> = english.iter().filter(|k| !used.contains(*k)).collect();
        assert!(missing.is_empty(), "no words for {missing:?}");
        assert!(unused.is_empty(), "no message uses {unused:?}");
    }

    #[test]
    fn counted_messages_take_each_languages_plural_form() {
        let wait = |seconds, language| Message::TooManyRequests { seconds }.render(language);
        assert!(wait(1, Language::En).ends_with("in 1 second."));
        assert!(wait(2, Language::En).ends_with("in 2 seconds."));
        assert!(
            wait(2, Language::Ar).contains("ثانيتين"),
            "{}",
            wait(2, Language::Ar)
        );
        assert!(
            // The number is isolated, as every value in a right-to-left sentence; with no
            // letter to take a direction from, it takes the sentence's (RLI).
            wait(5, Language::Ar).contains("\u{2067}5\u{2069} ثوانٍ"),
            "{}",
            wait(5, Language::Ar)
        );
        assert!(wait(30, Language::Es).contains("30 segundos"));
    }

    #[test]
    fn what_a_person_sent_is_shown_as_it_is_and_never_read_as_a_placeholder() {
        let message = Message::NotAUsername {
            given: "{{count}} <b>x</b> {{given}}".into(),
        };
        let written = message.render(Language::Es);
        assert!(
            written.starts_with("\"{{count}} <b>x</b> {{given}}\" no es un nombre de usuario"),
            "{written}"
        );
    }

    #[test]
    fn what_another_system_sent_is_isolated_and_its_override_cannot_turn_the_sentence() {
        // A DHIS2 answer carrying U+202E and a stray U+2069 of its own.
        let message = Message::Dhis2Refused {
            status: 409,
            body: "x\u{2069}\u{202E}gnp.exe".into(),
        };
        for language in Language::ALL {
            let written = message.render(language);
            assert!(
                written.contains("\u{2068}x\u{202E}gnp.exe\u{2069}"),
                "{language}: {written:?}"
            );
        }
        // Arabic isolates every value; English only those that could reorder.
        assert!(message.render(Language::Ar).contains("\u{2067}409\u{2069}"));
        assert!(!message.render(Language::En).contains("\u{2068}409"));
        // A log line is for a program: no isolates, the value as sent.
        assert!(message.to_string().contains("x\u{2069}\u{202E}gnp.exe"));
    }

    #[test]
    fn a_guard_finding_lists_each_part_in_the_language() {
        let written = Message::NoteRefused(NoteOfferError::Text(NoteError::Identifying(flagged())))
            .render(Language::Fr);
        assert!(
            written.contains("« Ana » ressemble à un nom ; « 555 0101 »"),
            "{written}"
        );
    }
}
