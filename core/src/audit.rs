//! What an audit log entry records, typed: each kind of action with its particulars (a
//! username, a phone id, a note id, a codebook version, counts), so the organization's app
//! says it in the manager's language instead of showing the service's English.
//!
//! The service stores an [`AuditEvent`] as JSON beside the entry's action:
//! ```json
//! {"action": "note_reviewed", "note": 12, "decision": "approved"}
//! ```
//! Entries written before details were typed kept English text; they read back as
//! [`AuditDetail::Legacy`] and are shown as they were.
//!
//! An event holds names and ids only, never a note's words, a free tag, a label, a token or
//! a password; the one text a person typed that it carries is an indicator's name, which the
//! audit log showed before too.

pub use crate::codebook::CodebookChange;
use crate::dhis2::{ImportCounts, ImportStatus};
use crate::field_notes::NoteStatus;
use crate::indicator_change::IndicatorChange;
use crate::people::{Role, Username};
use crate::retention::KeepPhoneRows;
use serde::{Deserialize, Serialize};

/// One recorded action and its particulars.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AuditEvent {
    /// Signed in.
    SignedIn {
        /// With what.
        with: SignInWith,
    },
    /// Exported something.
    Exported {
        /// What.
        what: ExportKind,
    },
    /// Changed the codebook.
    CodebookChanged {
        /// The kind of change.
        change: CodebookChange,
        /// The version it stored.
        version: u32,
    },
    /// Approved a note for the brief or kept it out.
    NoteReviewed {
        /// The note's id.
        note: i64,
        /// What was decided.
        decision: NoteDecision,
    },
    /// Issued a phone's enrolment code (the code itself is never kept).
    EnrolmentCodeIssued,
    /// Revoked a phone.
    PhoneRevoked {
        /// The phone's id.
        phone: String,
    },
    /// Added a person.
    PersonAdded {
        /// Their username.
        person: Username,
        /// Their role.
        role: Role,
    },
    /// Changed a person's role, or took their access away or gave it back.
    AccessChanged {
        /// Their username.
        person: Username,
        /// Their new role, if it changed.
        role: Option<Role>,
        /// Their access taken away or given back, if that changed.
        access: Option<AccessChange>,
    },
    /// Made a one-time new password link for a person.
    ResetLinkMade {
        /// Their username.
        person: Username,
    },
    /// Changed the indicators or their DHIS2 mapping.
    IndicatorsChanged {
        /// What changed, by indicator name.
        change: IndicatorChange,
    },
    /// Sent a report to DHIS2, or checked it with a dry run.
    SentToDhis2 {
        /// The DHIS2 period code ("202611", "2026Q4").
        period: String,
        /// Values in the report.
        values: u32,
        /// A dry run (nothing stored in DHIS2).
        dry_run: bool,
        /// What DHIS2 counted.
        outcome: Dhis2Outcome,
    },
    /// Changed how long each phone's own counts are kept.
    RetentionChanged {
        /// Months kept; none: kept always.
        keep_phone_rows_months: Option<KeepPhoneRows>,
    },
}

impl AuditEvent {
    /// The action it records.
    pub fn action(&self) -> AuditAction {
        match self {
            Self::SignedIn { .. } => AuditAction::SignedIn,
            Self::Exported { .. } => AuditAction::Exported,
            Self::CodebookChanged { .. } => AuditAction::CodebookChanged,
            Self::NoteReviewed { .. } => AuditAction::NoteReviewed,
            Self::EnrolmentCodeIssued => AuditAction::EnrolmentCodeIssued,
            Self::PhoneRevoked { .. } => AuditAction::PhoneRevoked,
            Self::PersonAdded { .. } => AuditAction::PersonAdded,
            Self::AccessChanged { .. } => AuditAction::AccessChanged,
            Self::ResetLinkMade { .. } => AuditAction::ResetLinkMade,
            Self::IndicatorsChanged { .. } => AuditAction::IndicatorsChanged,
            Self::SentToDhis2 { .. } => AuditAction::SentToDhis2,
            Self::RetentionChanged { .. } => AuditAction::RetentionChanged,
        }
    }
}

/// What someone signed in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignInWith {
    /// Their password.
    Password,
    /// The welcome link that made their account.
    WelcomeLink,
    /// A one-time new password link.
    ResetLink,
}

/// A person's access taken away or given back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessChange {
    /// They can no longer sign in.
    TakenAway,
    /// They can sign in again.
    GivenBack,
}

impl AccessChange {
    /// The change a `disabled` setting makes.
    pub fn of_disabled(disabled: bool) -> Self {
        if disabled {
            Self::TakenAway
        } else {
            Self::GivenBack
        }
    }
}

/// What a manager decided of a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteDecision {
    /// Approved for the brief.
    Approved,
    /// Kept out of it.
    KeptOut,
}

impl NoteDecision {
    /// The decision a review's status makes (`None` for pending, which decides nothing).
    pub fn of(status: NoteStatus) -> Option<Self> {
        match status {
            NoteStatus::Pending => None,
            NoteStatus::Approved => Some(Self::Approved),
            NoteStatus::Rejected => Some(Self::KeptOut),
        }
    }
}

/// What DHIS2 counted of a send: numbers only (its conflict messages are counted, never
/// kept: they may quote values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dhis2Outcome {
    /// How it went.
    pub status: ImportStatus,
    /// Values created.
    pub imported: u64,
    /// Values changed.
    pub updated: u64,
    /// Values left out.
    pub ignored: u64,
    /// Values deleted.
    pub deleted: u64,
    /// Conflicts DHIS2 reported.
    pub conflicts: u64,
}

impl From<&ImportCounts> for Dhis2Outcome {
    fn from(counts: &ImportCounts) -> Self {
        Self {
            status: counts.status,
            imported: counts.imported,
            updated: counts.updated,
            ignored: counts.ignored,
            deleted: counts.deleted,
            conflicts: counts.conflicts.len() as u64,
        }
    }
}

/// An entry's particulars as read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditDetail {
    /// Written since details are typed.
    Event(AuditEvent),
    /// Written before, as English text: shown as it was.
    Legacy(String),
}

impl AuditDetail {
    /// The particulars of a stored entry: its typed event when it has one, else the text
    /// kept before details were typed, else nothing beyond the action.
    pub fn stored(event: Option<AuditEvent>, text: Option<String>) -> Option<Self> {
        event.map(Self::Event).or(text.map(Self::Legacy))
    }
}

/// What an audit log entry says someone did. Stored by the name serde gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Signed in (with a password, a welcome link or a reset link).
    SignedIn,
    /// Exported something (a CSV, the trend brief).
    Exported,
    /// Changed the codebook.
    CodebookChanged,
    /// Approved a note for the brief or kept it out.
    NoteReviewed,
    /// Issued a phone's enrolment code.
    EnrolmentCodeIssued,
    /// Revoked a phone.
    PhoneRevoked,
    /// Added a person.
    PersonAdded,
    /// Changed a person's role, or took their access away or gave it back.
    AccessChanged,
    /// Made a one-time new password link for a person.
    ResetLinkMade,
    /// Changed the indicators or their DHIS2 mapping.
    IndicatorsChanged,
    /// Sent a report to DHIS2 (or checked it with a dry run).
    SentToDhis2,
    /// Changed how long each phone's own counts are kept.
    RetentionChanged,
}

impl AuditAction {
    /// Every action, in the order above.
    pub const ALL: [Self; 12] = [
        Self::SignedIn,
        Self::Exported,
        Self::CodebookChanged,
        Self::NoteReviewed,
        Self::EnrolmentCodeIssued,
        Self::PhoneRevoked,
        Self::PersonAdded,
        Self::AccessChanged,
        Self::ResetLinkMade,
        Self::IndicatorsChanged,
        Self::SentToDhis2,
        Self::RetentionChanged,
    ];

    /// Its stored and wire name (`signed_in`), the one serde uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed_in",
            Self::Exported => "exported",
            Self::CodebookChanged => "codebook_changed",
            Self::NoteReviewed => "note_reviewed",
            Self::EnrolmentCodeIssued => "enrolment_code_issued",
            Self::PhoneRevoked => "phone_revoked",
            Self::PersonAdded => "person_added",
            Self::AccessChanged => "access_changed",
            Self::ResetLinkMade => "reset_link_made",
            Self::IndicatorsChanged => "indicators_changed",
            Self::SentToDhis2 => "sent_to_dhis2",
            Self::RetentionChanged => "retention_changed",
        }
    }

    /// The action of a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// What was exported (`POST /api/v1/audit/export`): the browser makes the file, the service
/// records that it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// A trends table as CSV.
    TrendsCsv,
    /// The printed trend brief.
    TrendBrief,
    /// The oversight grid as CSV.
    OversightCsv,
    /// An indicator report as CSV.
    ReportCsv,
    /// An indicator report printed (or saved as PDF).
    ReportPrint,
    /// An indicator report as a DHIS2 `dataValueSets` JSON document.
    Dhis2Json,
    /// An indicator report as DHIS2 ADX XML.
    Dhis2Adx,
}

impl ExportKind {
    /// Every kind, in the order above.
    pub const ALL: [Self; 7] = [
        Self::TrendsCsv,
        Self::TrendBrief,
        Self::OversightCsv,
        Self::ReportCsv,
        Self::ReportPrint,
        Self::Dhis2Json,
        Self::Dhis2Adx,
    ];

    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TrendsCsv => "trends_csv",
            Self::TrendBrief => "trend_brief",
            Self::OversightCsv => "oversight_csv",
            Self::ReportCsv => "report_csv",
            Self::ReportPrint => "report_print",
            Self::Dhis2Json => "dhis2_json",
            Self::Dhis2Adx => "dhis2_adx",
        }
    }

    /// The kind of a wire name (as the audit log's detail holds it).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator_change::Renamed;

    fn person(name: &str) -> Username {
        Username::new(name).unwrap()
    }

    /// One event of every action.
    fn one_of_each() -> Vec<AuditEvent> {
        vec![
            AuditEvent::SignedIn {
                with: SignInWith::WelcomeLink,
            },
            AuditEvent::Exported {
                what: ExportKind::ReportCsv,
            },
            AuditEvent::CodebookChanged {
                change: CodebookChange::Promote,
                version: 4,
            },
            AuditEvent::NoteReviewed {
                note: 12,
                decision: NoteDecision::KeptOut,
            },
            AuditEvent::EnrolmentCodeIssued,
            AuditEvent::PhoneRevoked {
                phone: "d-7f3a".into(),
            },
            AuditEvent::PersonAdded {
                person: person("vic"),
                role: Role::Viewer,
            },
            AuditEvent::AccessChanged {
                person: person("vic"),
                role: Some(Role::Manager),
                access: Some(AccessChange::TakenAway),
            },
            AuditEvent::ResetLinkMade {
                person: person("vic"),
            },
            AuditEvent::IndicatorsChanged {
                change: IndicatorChange {
                    version: 3,
                    added: vec!["Contacts".into()],
                    renamed: vec![Renamed {
                        from: "Kits".into(),
                        to: "Naloxone kits".into(),
                    }],
                    ..Default::default()
                },
            },
            AuditEvent::SentToDhis2 {
                period: "2026Q4".into(),
                values: 4,
                dry_run: true,
                outcome: Dhis2Outcome {
                    status: ImportStatus::Success,
                    imported: 0,
                    updated: 0,
                    ignored: 0,
                    deleted: 0,
                    conflicts: 1,
                },
            },
            AuditEvent::RetentionChanged {
                keep_phone_rows_months: Some(KeepPhoneRows::months(6).unwrap()),
            },
        ]
    }

    #[test]
    fn every_action_has_an_event_that_names_it_as_the_log_stores_it_and_reads_back() {
        let events = one_of_each();
        let actions: Vec<AuditAction> = events.iter().map(AuditEvent::action).collect();
        assert_eq!(actions, AuditAction::ALL);
        for event in events {
            let stored = serde_json::to_value(&event).unwrap();
            assert_eq!(stored["action"], event.action().as_str(), "{stored}");
            assert_eq!(serde_json::from_value::<AuditEvent>(stored).unwrap(), event);
        }
    }

    #[test]
    fn the_stored_form_is_stable() {
        let event = AuditEvent::NoteReviewed {
            note: 12,
            decision: NoteDecision::Approved,
        };
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"action":"note_reviewed","note":12,"decision":"approved"}"#
        );
        let sent: AuditEvent = serde_json::from_str(
            r#"{"action":"sent_to_dhis2","period":"202611","values":1,"dry_run":false,
                "outcome":{"status":"SUCCESS","imported":1,"updated":0,"ignored":0,
                "deleted":0,"conflicts":0}}"#,
        )
        .unwrap();
        assert_eq!(sent.action(), AuditAction::SentToDhis2);
    }

    #[test]
    fn an_old_entry_reads_as_its_text_and_a_new_one_as_its_event() {
        assert_eq!(
            AuditDetail::stored(None, Some("note 12 approved".into())),
            Some(AuditDetail::Legacy("note 12 approved".into()))
        );
        assert_eq!(AuditDetail::stored(None, None), None);
        assert_eq!(
            AuditDetail::stored(Some(AuditEvent::EnrolmentCodeIssued), None),
            Some(AuditDetail::Event(AuditEvent::EnrolmentCodeIssued))
        );
    }

    #[test]
    fn a_stored_event_with_a_username_that_is_not_one_is_refused() {
        let forged = r#"{"action":"reset_link_made","person":"<b>{{detail}}</b>"}"#;
        assert!(serde_json::from_str::<AuditEvent>(forged).is_err());
    }

    #[test]
    fn a_review_that_decides_nothing_makes_no_decision() {
        assert_eq!(NoteDecision::of(NoteStatus::Pending), None);
        assert_eq!(
            NoteDecision::of(NoteStatus::Rejected),
            Some(NoteDecision::KeptOut)
        );
    }

    #[test]
    fn conflicts_are_counted_not_quoted() {
        let counts = ImportCounts {
            status: ImportStatus::Warning,
            imported: 1,
            updated: 2,
            ignored: 1,
            deleted: 0,
            conflicts: vec!["value 'Jo Bloggs' is not valid".into()],
        };
        let outcome = Dhis2Outcome::from(&counts);
        assert_eq!(outcome.conflicts, 1);
        assert!(!serde_json::to_string(&outcome).unwrap().contains("Bloggs"));
    }

    #[test]
    fn every_audit_action_is_named_as_serde_names_it_and_parses_back() {
        for action in AuditAction::ALL {
            let wire = serde_json::to_value(action).unwrap();
            assert_eq!(wire, serde_json::Value::from(action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }

    #[test]
    fn every_export_kind_is_named_as_serde_names_it_and_parses_back() {
        for kind in ExportKind::ALL {
            let wire = serde_json::to_value(kind).unwrap();
            assert_eq!(wire, serde_json::Value::from(kind.as_str()));
            assert_eq!(ExportKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ExportKind::parse("my diary"), None);
    }
}
