//! The API for people who sign in: sessions, people, phone enrolment. Paths carry the version.

use crate::codebook::CodebookEdit;
use crate::enrolment::EnrolmentCode;
use crate::language::Language;
use crate::people::{NewPassword, OrgHandle, Role, Username};
use crate::phone_label::PhoneLabel;
use serde::{Deserialize, Serialize};
// Defined beside what they describe, and part of this API.
pub use crate::audit::{AuditAction, ExportKind};
pub use crate::indicator::IndicatorBook;

/// Turns a one-time sign-in link into an account and a session.
pub const WELCOME_PATH: &str = "/api/v1/welcome";
/// Turns a one-time password reset link into a new password and a session.
pub const PASSWORD_RESET_PATH: &str = "/api/v1/password-reset";
/// Sign in (POST), who is signed in (GET), sign out (DELETE).
pub const SESSION_PATH: &str = "/api/v1/session";
/// The signed-in person's own language on the organization's app (PUT).
pub const MY_LANGUAGE_PATH: &str = "/api/v1/me/language";
/// The organization's people (GET), a new person (POST).
pub const USERS_PATH: &str = "/api/v1/users";
/// A phone's own capture figures, as its managers see them (GET, with the device token).
pub const MY_OVERSIGHT_PATH: &str = "/api/v1/oversight/mine";
/// A new one-time code for a phone (POST).
pub const ENROLMENT_CODES_PATH: &str = "/api/v1/enrolment-codes";
/// Pages of the organization's app, a bundle of its own: the service answers them with its
/// shell (`org-app/index.html` in the build) and every other page with the worker's.
pub const ORG_APP_PATHS: [&str; 5] = ["/org", "/brief", "/reports", "/welcome", "/password"];
/// Where the organization's app's shell and assets are served from.
pub const ORG_APP_DIR: &str = "org-app";
/// Encounters each phone captured per day, and quiet phones (GET, managers).
pub const OVERSIGHT_PATH: &str = "/api/v1/oversight";
/// The organization's phones (GET); `/{id}/revoke` (POST) stops one.
pub const DEVICES_PATH: &str = "/api/v1/devices";
/// The organization's codebook (GET), one edit to it (POST, managers and admins).
pub const CODEBOOK_PATH: &str = "/api/v1/codebook";
/// The organization's audit log, newest first (GET, admins; `?before=ID&limit=N` pages on).
pub const AUDIT_PATH: &str = "/api/v1/audit";
/// Records that the caller exported something the browser made (POST, signed in).
pub const AUDIT_EXPORT_PATH: &str = "/api/v1/audit/export";
/// The header that must echo the session's CSRF token on every changing request.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pp_session";

/// `POST /api/v1/welcome` body: the link's token and the account to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WelcomeRequest {
    /// The token from the one-time link.
    pub token: String,
    /// The name to sign in with.
    pub username: Username,
    /// The password to sign in with.
    pub password: NewPassword,
}

/// `POST /api/v1/password-reset` body: the reset link's token and the new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// The token from the one-time reset link.
    pub token: String,
    /// The new password.
    pub password: NewPassword,
}

/// `POST /api/v1/users/{username}/reset-link` answer: a one-time link an admin hands to the
/// person, who chooses a new password with it. Issuing it ended their sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetLinkIssued {
    /// The link to hand over (its token is after the `#`).
    pub link: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

/// `POST /api/v1/session` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The organization's sign-in name: usernames are unique within it only.
    pub organization: OrgHandle,
    /// The name.
    pub username: Username,
    /// The password as typed.
    pub password: String,
}

/// Who is signed in, and the token their changing requests must carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The person's name.
    pub username: Username,
    /// What they may do.
    pub role: Role,
    /// Their organization.
    pub org_name: String,
    /// Their organization's sign-in name.
    pub org_handle: OrgHandle,
    /// Echo this in the `x-csrf-token` header of every POST and DELETE.
    pub csrf_token: String,
    /// The language they chose for the organization's app; none follows their browser.
    #[serde(default)]
    pub language: Option<Language>,
}

/// `PUT /api/v1/me/language` body: the signed-in person's language on the organization's
/// app, or `null` to follow their browser again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguageChoice {
    /// One of the interface's languages (`en`, `es`, `fr`, `pt`, `ar`), or `null`.
    pub language: Option<Language>,
}

/// `POST /api/v1/users` body: an admin adds a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// The name they sign in with.
    pub username: Username,
    /// What they may do.
    pub role: Role,
    /// A first password, handed over in person.
    pub password: NewPassword,
}

/// One person of the organization, as admins see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Their name.
    pub username: Username,
    /// Their role.
    pub role: Role,
    /// When the account was made (RFC 3339).
    pub created_at: String,
    /// Whether their access was taken away (they can no longer sign in).
    #[serde(default)]
    pub disabled: bool,
}

/// `PATCH /api/v1/users/{username}` body: an admin changes a person's role, or takes their
/// access away (ending every session they have at once) or gives it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// Their new role.
    pub role: Option<Role>,
    /// `true` takes their access away; `false` gives it back.
    pub disabled: Option<bool>,
}

/// `POST /api/v1/enrolment-codes` answer: a one-time code for a phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentCodeIssued {
    /// The code to type in.
    pub code: EnrolmentCode,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// The address a phone's camera opens to enrol itself.
    pub enrol_url: String,
    /// That address as a QR code (SVG markup).
    pub qr_svg: String,
}

/// One phone of the organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSummary {
    /// The public device id.
    pub id: String,
    /// What the organization's managers call it, if they named it.
    #[serde(default)]
    pub label: Option<PhoneLabel>,
    /// When it enrolled (RFC 3339).
    pub enrolled_at: String,
    /// When it last synced, if ever.
    pub last_sync_at: Option<String>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// `PATCH /api/v1/devices/{id}` body: a manager names a phone, or (with `null`) takes its
/// name away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceUpdate {
    /// The phone's new label.
    pub label: Option<PhoneLabel>,
}

/// `POST /api/v1/codebook` body: one edit to the version the editor saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodebookEditRequest {
    /// The version the edit was made on; a newer stored one refuses it.
    pub base_version: u32,
    /// The change.
    pub edit: CodebookEdit,
}

/// An organization's indicators (GET, anyone signed in; PUT, managers and admins).
pub const INDICATORS_PATH: &str = "/api/v1/indicators";
/// A report of the indicators for a period (GET, anyone signed in).
pub const REPORTS_PATH: &str = "/api/v1/reports";
/// A report in DHIS2's forms (GET, managers and admins): `?period=2026-11&format=json|adx`.
pub const DHIS2_EXPORT_PATH: &str = "/api/v1/reports/dhis2";

/// Sends a report to the DHIS2 server the service is set up with (POST, managers and
/// admins): always a dry run first, then, unless asked for the dry run only or DHIS2 refused
/// it, for real.
pub const DHIS2_SEND_PATH: &str = "/api/v1/reports/dhis2/send";

/// `POST /api/v1/reports/dhis2/send` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dhis2SendRequest {
    /// The week, month or quarter to send (`2026-Q4`).
    pub period: crate::period::Period,
    /// Only check it with DHIS2 (nothing is stored there).
    pub dry_run: bool,
}

/// `POST /api/v1/reports/dhis2/send` answer: what DHIS2 said of the dry run, and of the real
/// send when there was one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dhis2SendResponse {
    /// The period as DHIS2 writes it (`2026Q4`).
    pub period: String,
    /// How many values went.
    pub values: usize,
    /// The dry run's counts.
    pub dry_run: crate::dhis2::ImportCounts,
    /// The real send's counts (none when only a dry run was asked for, or DHIS2 refused it).
    pub sent: Option<crate::dhis2::ImportCounts>,
}

/// `GET /api/v1/indicators` answer: the stored book, and the starter set a manager can
/// adopt (what of it the codebook has codes for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorsResponse {
    /// The organization's indicators.
    pub book: IndicatorBook,
    /// The starter set.
    pub starter: Vec<crate::indicator::Indicator>,
}

/// `PUT /api/v1/indicators` body: the whole book as edited on version `base_version`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorsUpdate {
    /// The version the edit was made on.
    pub base_version: u32,
    /// The indicators.
    pub indicators: Vec<crate::indicator::Indicator>,
    /// The DHIS2 settings.
    #[serde(default)]
    pub dhis2: crate::dhis2::Dhis2Settings,
}

/// `GET /api/v1/reports` and `/reports/dhis2` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// A week, month or quarter (`2026-W48`, `2026-11`, `2026-Q4`); this month by default.
    pub period: Option<crate::period::Period>,
    /// For `/reports/dhis2`: `json` (dataValueSets, the default) or `adx`.
    #[serde(default)]
    pub format: Option<Dhis2Format>,
}

/// The form of a DHIS2 export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Dhis2Format {
    /// A `dataValueSets` JSON document.
    Json,
    /// An ADX XML document.
    Adx,
}

/// The organization's field alerts (GET, managers; POST a draft, managers); `/{id}` (PUT a
/// new version), `/{id}/approve` and `/{id}/withdraw` (POST).
pub const FIELD_ALERTS_PATH: &str = "/api/v1/field-alerts";
/// The alerts up now for the calling phone (GET, device token).
pub const CURRENT_FIELD_ALERTS_PATH: &str = "/api/v1/field-alerts/current";
/// What the calling phone received and passed on (POST, device token).
pub const FIELD_ALERT_RECEIPTS_PATH: &str = "/api/v1/field-alerts/receipts";

/// One step in an alert's life, for its audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertEvent {
    /// `drafted`, `updated`, `approved` or `withdrawn`.
    pub action: AlertEventAction,
    /// The version it concerned.
    pub version: u32,
    /// Who did it.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// What was done to an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AlertEventAction {
    /// Written.
    Drafted,
    /// Changed (a new version).
    Updated,
    /// Approved and published.
    Approved,
    /// Taken back.
    Withdrawn,
}

impl AlertEventAction {
    /// Every action.
    pub const ALL: [Self; 4] = [
        Self::Drafted,
        Self::Updated,
        Self::Approved,
        Self::Withdrawn,
    ];

    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Drafted => "drafted",
            Self::Updated => "updated",
            Self::Approved => "approved",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// How far an alert reached, under the threshold: `None` is fewer than it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertReach {
    /// Phones that received its current version.
    pub received: Option<u32>,
    /// Phones whose worker marked it passed on.
    pub passed_on: Option<u32>,
    /// No figure below this is shown.
    pub threshold: u32,
}

/// One alert as managers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldAlertSummary {
    /// Its id.
    pub id: i64,
    /// Its current version.
    pub version: u32,
    /// Where it is in its life.
    pub status: crate::field_alert::AlertStatus,
    /// What it says.
    pub content: crate::field_alert::AlertContent,
    /// Who wrote the current version.
    pub author: String,
    /// The version phones show, if one was approved (an update waiting for approval leaves
    /// the last approved one up).
    pub published_version: Option<u32>,
    /// When that version went out.
    pub published_at: Option<String>,
    /// How far it reached.
    pub reach: AlertReach,
    /// Its life, oldest first.
    pub history: Vec<AlertEvent>,
}

/// `POST /api/v1/field-alerts/receipts` body: what a phone holds and what its worker passed on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertReceipts {
    /// Alerts (id and version) the phone holds.
    #[serde(default)]
    pub received: Vec<(i64, u32)>,
    /// Alerts the worker marked passed on.
    #[serde(default)]
    pub passed_on: Vec<i64>,
}

/// `POST /api/v1/audit/export` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportRecord {
    /// What was exported.
    pub what: ExportKind,
}

/// One entry of the audit log. It holds names and ids only: never a note's words, a free tag,
/// a token or a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its id; entries are listed newest (highest) first.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who: a username, or `command line` for the service's management commands.
    pub who: String,
    /// The address the request came from (behind a trusted reverse proxy, the client it names);
    /// none for a management command.
    pub address: Option<String>,
    /// What they did.
    pub action: AuditAction,
    /// To what, typed (a username, a phone id, a note id, a codebook version and kind of
    /// change); the English text of an entry written before details were typed; none when
    /// such an entry said nothing more.
    pub detail: Option<crate::audit::AuditDetail>,
}

/// `GET /api/v1/audit` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries older than this id (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Most entries on the page (default 50, at most 200).
    pub limit: Option<u32>,
}

/// `GET /api/v1/audit` answer: a page of entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; none on the last.
    pub next_before: Option<i64>,
}

/// `GET` an organization's settings (people signed in); `PUT` its retention (admins).
pub const SETTINGS_PATH: &str = "/api/v1/settings";

/// `GET /api/v1/settings` answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSettings {
    /// No published count is smaller.
    pub threshold: u32,
    /// Days back a worker may date, edit or delete an entry.
    pub edit_window_days: u16,
    /// Months each phone's own counts of a day are kept before they fold into the
    /// organization's totals (`None`: kept always).
    pub keep_phone_rows_months: Option<crate::retention::KeepPhoneRows>,
    /// The last day folded so far: a sync of that day or an earlier one is answered "closed".
    pub closed_through: Option<chrono::NaiveDate>,
}

/// `PUT /api/v1/settings` body: how long each phone's own counts are kept.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionUpdate {
    /// Months to keep them (at least [`crate::retention::MIN_KEEP_MONTHS`]); `null` keeps
    /// them always. Days already folded stay folded.
    pub keep_phone_rows_months: Option<crate::retention::KeepPhoneRows>,
}
