//! The fixed choices of the organization's pages, in the language shown: roles, codebook
//! lists, exports and what the audit log records. Each is matched whole, so a new choice in
//! core fails to build until it has words here.

use super::text;
use peerpulse_core::codebook::CodeList;
use peerpulse_core::org_api::{AuditAction, ExportKind};
use peerpulse_core::people::Role;

/// A person's role.
pub fn role(role: Role) -> String {
    text(match role {
        Role::Admin => "org.role.admin",
        Role::Manager => "org.role.manager",
        Role::Viewer => "org.role.viewer",
    })
}

/// A codebook list, as the heading of its entries.
pub fn code_list(list: CodeList) -> String {
    text(match list {
        CodeList::Site => "org.codebook.lists.site",
        CodeList::Topic => "org.codebook.lists.topic",
        CodeList::Insight => "org.codebook.lists.insight",
        CodeList::Need => "org.codebook.lists.need",
        CodeList::Supply => "org.codebook.lists.supply",
        CodeList::Referral => "org.codebook.lists.referral",
    })
}

/// What was exported, as the audit log says it: "the indicator report as CSV".
pub fn export_kind(kind: ExportKind) -> String {
    text(match kind {
        ExportKind::TrendsCsv => "org.export.trends_csv",
        ExportKind::TrendBrief => "org.export.trend_brief",
        ExportKind::OversightCsv => "org.export.oversight_csv",
        ExportKind::ReportCsv => "org.export.report_csv",
        ExportKind::ReportPrint => "org.export.report_print",
        ExportKind::Dhis2Json => "org.export.dhis2_json",
        ExportKind::Dhis2Adx => "org.export.dhis2_adx",
    })
}

/// What an audit entry records as done.
pub fn audit_action(action: AuditAction) -> String {
    text(match action {
        AuditAction::SignedIn => "org.audit.did.signed_in",
        AuditAction::Exported => "org.audit.did.exported",
        AuditAction::CodebookChanged => "org.audit.did.codebook_changed",
        AuditAction::NoteReviewed => "org.audit.did.note_reviewed",
        AuditAction::EnrolmentCodeIssued => "org.audit.did.enrolment_code_issued",
        AuditAction::PhoneRevoked => "org.audit.did.phone_revoked",
        AuditAction::PersonAdded => "org.audit.did.person_added",
        AuditAction::AccessChanged => "org.audit.did.access_changed",
        AuditAction::ResetLinkMade => "org.audit.did.reset_link_made",
        AuditAction::IndicatorsChanged => "org.audit.did.indicators_changed",
        AuditAction::SentToDhis2 => "org.audit.did.sent_to_dhis2",
        AuditAction::RetentionChanged => "org.audit.did.retention_changed",
    })
}
