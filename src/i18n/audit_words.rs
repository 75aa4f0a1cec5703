//! What an audit log entry records, in the language shown: each typed event through its
//! own sentence; an entry written before details were typed as its English text, as it was.
//! Names and ids (a username, a phone, an indicator's name) fill placeholders in one pass, so
//! a `{{…}}` or markup in a name stays text (and a view shows text, never markup).

use super::{count, fill, intl, isolated, language, org_labels, text};
use peerpulse_core::audit::{
    AccessChange, AuditDetail, AuditEvent, CodebookChange, Dhis2Outcome, NoteDecision, SignInWith,
};
use peerpulse_core::dhis2::ImportStatus;
use peerpulse_core::indicator_change::IndicatorChange;
use peerpulse_core::org_api::{AuditAction, AuditEntry, ExportKind};

/// What an entry says was done, in words.
pub fn what(entry: &AuditEntry) -> String {
    match &entry.detail {
        Some(AuditDetail::Event(event)) => event_words(event),
        Some(AuditDetail::Legacy(detail)) => legacy(entry.action, detail),
        None => org_labels::audit_action(entry.action),
    }
}

/// An entry written before details were typed, as the log showed it then.
fn legacy(action: AuditAction, detail: &str) -> String {
    let exported = ExportKind::parse(detail).filter(|_| action == AuditAction::Exported);
    match (action, exported) {
        (AuditAction::SignedIn, _) => fill("org.audit.signed_in_how", &[("how", &detail)]),
        (_, Some(kind)) => fill(
            "org.audit.exported_kind",
            &[("what", &org_labels::export_kind(kind))],
        ),
        _ => fill(
            "org.audit.with_detail",
            &[
                ("done", &org_labels::audit_action(action)),
                ("detail", &detail),
            ],
        ),
    }
}

/// A typed event in a sentence.
fn event_words(event: &AuditEvent) -> String {
    let number = |n: u64| intl::number(language(), n as f64);
    match event {
        AuditEvent::SignedIn { with } => text(match with {
            SignInWith::Password => "org.audit.event.signed_in_password",
            SignInWith::WelcomeLink => "org.audit.event.signed_in_welcome_link",
            SignInWith::ResetLink => "org.audit.event.signed_in_reset_link",
        }),
        AuditEvent::Exported { what } => fill(
            "org.audit.exported_kind",
            &[("what", &org_labels::export_kind(*what))],
        ),
        AuditEvent::CodebookChanged { change, version } => fill(
            "org.audit.event.codebook_changed",
            &[
                ("change", &codebook_change(*change)),
                ("version", &number(u64::from(*version))),
            ],
        ),
        AuditEvent::NoteReviewed { note, decision } => fill(
            match decision {
                NoteDecision::Approved => "org.audit.event.note_approved",
                NoteDecision::KeptOut => "org.audit.event.note_kept_out",
            },
            &[("note", note)],
        ),
        AuditEvent::EnrolmentCodeIssued => {
            org_labels::audit_action(AuditAction::EnrolmentCodeIssued)
        }
        AuditEvent::PhoneRevoked { phone } => {
            fill("org.audit.event.phone_revoked", &[("phone", phone)])
        }
        AuditEvent::PersonAdded { person, role } => fill(
            "org.audit.event.person_added",
            &[
                ("person", &person.as_str()),
                ("role", &org_labels::role(*role)),
            ],
        ),
        AuditEvent::AccessChanged {
            person,
            role,
            access,
        } => {
            let changes = [
                role.map(|r| fill("org.audit.access.role", &[("role", &org_labels::role(r))])),
                access.map(|a| {
                    text(match a {
                        AccessChange::TakenAway => "org.audit.access.taken_away",
                        AccessChange::GivenBack => "org.audit.access.given_back",
                    })
                }),
            ];
            fill(
                "org.audit.event.access_changed",
                &[
                    ("person", &person.as_str()),
                    (
                        "changes",
                        &joined(changes.into_iter().flatten(), "org.audit.separator"),
                    ),
                ],
            )
        }
        AuditEvent::ResetLinkMade { person } => fill(
            "org.audit.event.reset_link_made",
            &[("person", &person.as_str())],
        ),
        AuditEvent::IndicatorsChanged { change } => fill(
            "org.audit.event.indicators_changed",
            &[
                ("version", &number(u64::from(change.version))),
                ("changes", &indicator_changes(change)),
            ],
        ),
        AuditEvent::SentToDhis2 {
            period,
            values,
            dry_run,
            outcome,
        } => fill(
            if *dry_run {
                "org.audit.event.dhis2_dry_run"
            } else {
                "org.audit.event.dhis2_sent"
            },
            &[
                ("period", period),
                ("values", &number(u64::from(*values))),
                ("outcome", &dhis2_outcome(outcome)),
            ],
        ),
        AuditEvent::RetentionChanged {
            keep_phone_rows_months,
        } => match keep_phone_rows_months {
            Some(months) => fill(
                "org.audit.event.retention_months",
                &[(
                    "months",
                    &count("org.keeping.months", u64::from(months.get()), &[]),
                )],
            ),
            None => text("org.audit.event.retention_always"),
        },
    }
}

/// A kind of codebook change ("added a code").
fn codebook_change(change: CodebookChange) -> String {
    text(match change {
        CodebookChange::Add => "org.audit.codebook.add",
        CodebookChange::Rename => "org.audit.codebook.rename",
        CodebookChange::Retire => "org.audit.codebook.retire",
        CodebookChange::Restore => "org.audit.codebook.restore",
        CodebookChange::Promote => "org.audit.codebook.promote",
        CodebookChange::Merge => "org.audit.codebook.merge",
        CodebookChange::Translate => "org.audit.codebook.translate",
        CodebookChange::Untranslate => "org.audit.codebook.untranslate",
        CodebookChange::SetLanguage => "org.audit.codebook.set_language",
        CodebookChange::Import => "org.audit.codebook.import",
    })
}

/// What a change did to the indicators ("added Contacts; renamed “Kits” to “Naloxone kits”").
fn indicator_changes(change: &IndicatorChange) -> String {
    let names = |names: &[String]| joined(names.iter().map(|n| isolated(n)), "org.audit.separator");
    let listed = |key: &str, list: &[String]| {
        (!list.is_empty()).then(|| fill(key, &[("names", &names(list))]))
    };
    let mut parts: Vec<String> = [
        listed("org.audit.indicators.added", &change.added),
        listed("org.audit.indicators.removed", &change.removed),
    ]
    .into_iter()
    .flatten()
    .collect();
    parts.extend(change.renamed.iter().map(|r| {
        fill(
            "org.audit.indicators.renamed",
            &[("from", &r.from), ("to", &r.to)],
        )
    }));
    parts.extend(listed("org.audit.indicators.changed", &change.changed));
    if change.reordered {
        parts.push(text("org.audit.indicators.reordered"));
    }
    if change.dhis2_settings {
        parts.push(text("org.audit.indicators.dhis2_settings"));
    }
    if parts.is_empty() {
        parts.push(text("org.audit.indicators.no_change"));
    }
    joined(parts.into_iter(), "org.audit.parts_separator")
}

/// What DHIS2 counted of a send.
fn dhis2_outcome(outcome: &Dhis2Outcome) -> String {
    let number = |n: u64| intl::number(language(), n as f64);
    fill(
        "org.audit.dhis2_outcome",
        &[
            (
                "status",
                &text(match outcome.status {
                    ImportStatus::Success => "org.audit.dhis2_status.success",
                    ImportStatus::Warning => "org.audit.dhis2_status.warning",
                    ImportStatus::Error => "org.audit.dhis2_status.error",
                }),
            ),
            ("imported", &number(outcome.imported)),
            ("updated", &number(outcome.updated)),
            ("ignored", &number(outcome.ignored)),
            ("deleted", &number(outcome.deleted)),
            ("conflicts", &number(outcome.conflicts)),
        ],
    )
}

/// `parts` one after another, with the language's separator of key `separator` between.
fn joined(parts: impl Iterator<Item = String>, separator: &str) -> String {
    parts.collect::<Vec<_>>().join(&text(separator))
}
