//! Alerts that go back to the workers' phones: what the organization learned ("a strong batch
//! is going round the station: test your supply, don't use alone"), verified, approved by a
//! second person, in the workers' languages, until it expires or is withdrawn.
//!
//! An alert's life: a manager drafts it (from a rise, an approved note, or nothing); another
//! manager or admin approves it, and it is published (one person alone when the organization
//! allows it); it may be updated (a new version, approved again) or withdrawn. Phones hold the
//! published, unexpired ones; a withdrawn or expired alert leaves them at their next sync.

use crate::codebook::Code;
use crate::language::{LanguageTag, best_match};
use crate::privacy::guard::{self, FlaggedText};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// The drug supply: a strong or contaminated batch, a new substance.
    DrugSupply,
    /// A service closed, changed its hours, or opened.
    ServiceChange,
    /// Health: an outbreak, wound infections.
    Health,
    /// Safety: a danger in a place.
    Safety,
}

impl AlertKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [Self; 4] = [
        Self::DrugSupply,
        Self::ServiceChange,
        Self::Health,
        Self::Safety,
    ];

    /// The kind in a worker's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::DrugSupply => "Drug supply",
            Self::ServiceChange => "Service change",
            Self::Health => "Health",
            Self::Safety => "Safety",
        }
    }
}

/// How sure the organization is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// Several workers heard it.
    ReportedByWorkers,
    /// Drug checking confirmed it.
    ConfirmedByDrugChecking,
    /// A health authority announced it.
    Official,
}

impl Verification {
    /// Every status, least sure first.
    pub const ALL: [Self; 3] = [
        Self::ReportedByWorkers,
        Self::ConfirmedByDrugChecking,
        Self::Official,
    ];

    /// The status in a worker's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReportedByWorkers => "Reported by workers",
            Self::ConfirmedByDrugChecking => "Confirmed by drug checking",
            Self::Official => "Official",
        }
    }
}

/// What an alert says, as its author wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertContent {
    /// What it is about.
    pub kind: AlertKind,
    /// The sites it concerns (none: everywhere).
    #[serde(default)]
    pub sites: BTreeSet<Code>,
    /// The message with what to do, per language.
    pub messages: BTreeMap<LanguageTag, String>,
    /// How sure it is.
    pub verification: Verification,
    /// When it stops being shown.
    #[serde(with = "crate::date_wire::instant")]
    pub expires_at: DateTime<Utc>,
}

/// Most characters in one message: a phone screen, a poster.
pub const MAX_MESSAGE_CHARS: usize = 500;
/// Longest an alert may stay up before someone looks at it again.
pub const MAX_LIFE_DAYS: i64 = 90;

/// Why an alert's content cannot be kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AlertContentError {
    /// No message in any language.
    #[error("an alert needs a message in at least one language")]
    NoMessage,
    /// A message is empty, too long or hides characters.
    #[error("the {0} message is 1 to {MAX_MESSAGE_CHARS} visible characters")]
    Message(String),
    /// A message names or points at someone.
    #[error("the {language} message may identify someone: {flagged}")]
    Identifying {
        /// Its language.
        language: String,
        /// What the guard found.
        flagged: FlaggedText,
    },
    /// The expiry is past, or too far.
    #[error("an alert expires after now and within {MAX_LIFE_DAYS} days")]
    Expiry,
}

impl AlertContent {
    /// Checks it at `now`: messages present, visible, of a sane length, passing the guard;
    /// an expiry ahead and not too far.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), AlertContentError> {
        if self.messages.is_empty() {
            return Err(AlertContentError::NoMessage);
        }
        for (language, message) in &self.messages {
            let text = message.trim();
            if text.is_empty()
                || text.chars().count() > MAX_MESSAGE_CHARS
                || crate::privacy::fold::hidden_character(text).is_some()
            {
                return Err(AlertContentError::Message(language.as_str().to_owned()));
            }
            guard::check(text).map_err(|flagged| AlertContentError::Identifying {
                language: language.as_str().to_owned(),
                flagged,
            })?;
        }
        if self.expires_at <= now || self.expires_at > now + chrono::Days::new(MAX_LIFE_DAYS as u64)
        {
            return Err(AlertContentError::Expiry);
        }
        Ok(())
    }

    /// The message in `language` (or another of its region: `es` for `es-MX`), else in
    /// English, else in the first language it has.
    pub fn message_in(&self, language: &LanguageTag) -> Option<&str> {
        best_match([language, &LanguageTag::english()], &self.messages)
            .or_else(|| self.messages.iter().next())
            .map(|(_, message)| message.as_str())
    }
}

/// Where an alert is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AlertStatus {
    /// Written, waiting for a second person (or for its author, when one is enough).
    Draft,
    /// On the phones until it expires.
    Published,
    /// Taken back: it leaves the phones.
    Withdrawn,
}

/// Something done to an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertAction {
    /// Publish the current version.
    Approve,
    /// Change what it says (a new version, a draft again).
    Update,
    /// Take it back.
    Withdraw,
}

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The organization asks a second person to approve, and this is the version's author.
    #[error("a second person approves what you wrote: ask another manager or admin")]
    SamePerson,
    /// Only a draft can be approved.
    #[error("only a draft can be approved")]
    NotADraft,
    /// A withdrawn alert stays withdrawn: write a new one.
    #[error("this alert was withdrawn: write a new one")]
    Withdrawn,
    /// It expired: write a new one.
    #[error("this alert has expired: write a new one")]
    Expired,
}

/// Whether `action` may be done by `actor` on an alert in `status`, whose current version
/// `author` wrote, expiring at `expires_at`, at `now`, when `two_person` approval is asked.
pub fn may(
    action: AlertAction,
    status: AlertStatus,
    author: &str,
    actor: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
    two_person: bool,
) -> Result<AlertStatus, LifecycleError> {
    if status == AlertStatus::Withdrawn {
        return Err(LifecycleError::Withdrawn);
    }
    match action {
        AlertAction::Withdraw => Ok(AlertStatus::Withdrawn),
        AlertAction::Update => Ok(AlertStatus::Draft),
        AlertAction::Approve => {
            if status != AlertStatus::Draft {
                Err(LifecycleError::NotADraft)
            } else if expires_at <= now {
                Err(LifecycleError::Expired)
            } else if two_person && author == actor {
                Err(LifecycleError::SamePerson)
            } else {
                Ok(AlertStatus::Published)
            }
        }
    }
}

/// An alert as phones receive it: published and not expired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedAlert {
    /// Its id.
    pub id: i64,
    /// Its version: an update makes a new one, which phones show in place of the old.
    pub version: u32,
    /// What it says.
    pub content: AlertContent,
    /// When this version was published.
    #[serde(with = "crate::date_wire::instant")]
    pub published_at: DateTime<Utc>,
}

/// The alerts a phone keeps after a sync that brought `current` (every alert its
/// organization has up now): exactly those, unexpired at `now`. A withdrawn or expired alert
/// is simply no longer among them.
pub fn kept(current: Vec<PublishedAlert>, now: DateTime<Utc>) -> Vec<PublishedAlert> {
    let mut kept: Vec<_> = current
        .into_iter()
        .filter(|a| a.content.expires_at > now)
        .collect();
    kept.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(a.id.cmp(&b.id)));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-30T20:00:00Z".parse().unwrap()
    }

    fn content(message: &str, days: u64) -> AlertContent {
        AlertContent {
            kind: AlertKind::DrugSupply,
            sites: BTreeSet::new(),
            messages: BTreeMap::from([(LanguageTag::english(), message.to_owned())]),
            verification: Verification::ReportedByWorkers,
            expires_at: now() + chrono::Days::new(days),
        }
    }

    #[test]
    fn plain_messages_with_a_near_expiry_are_kept_and_others_say_why_not() {
        assert_eq!(
            content(
                "Strong batch at the station: test your supply, don't use alone.",
                7
            )
            .check(now()),
            Ok(())
        );
        assert_eq!(
            content("   ", 7).check(now()),
            Err(AlertContentError::Message("en".into()))
        );
        assert_eq!(
            content(&"x".repeat(501), 7).check(now()),
            Err(AlertContentError::Message("en".into()))
        );
        assert!(matches!(
            content("Ask Maria Lopez at 0412 345 678", 7).check(now()),
            Err(AlertContentError::Identifying { .. })
        ));
        assert_eq!(
            content("Test your supply", 91).check(now()),
            Err(AlertContentError::Expiry)
        );
        let mut past = content("Test your supply", 1);
        past.expires_at = now();
        assert_eq!(past.check(now()), Err(AlertContentError::Expiry));
        let mut none = content("x", 1);
        none.messages.clear();
        assert_eq!(none.check(now()), Err(AlertContentError::NoMessage));
    }

    #[test]
    fn a_second_person_approves_unless_the_organization_allows_one() {
        let later = now() + chrono::Days::new(3);
        let approve = |author, actor, two| {
            may(
                AlertAction::Approve,
                AlertStatus::Draft,
                author,
                actor,
                later,
                now(),
                two,
            )
        };
        assert_eq!(approve("mia", "mia", true), Err(LifecycleError::SamePerson));
        assert_eq!(approve("mia", "ada", true), Ok(AlertStatus::Published));
        assert_eq!(approve("mia", "mia", false), Ok(AlertStatus::Published));
        assert_eq!(
            may(
                AlertAction::Approve,
                AlertStatus::Draft,
                "mia",
                "ada",
                now(),
                now(),
                true
            ),
            Err(LifecycleError::Expired)
        );
        assert_eq!(
            may(
                AlertAction::Approve,
                AlertStatus::Published,
                "mia",
                "ada",
                later,
                now(),
                true
            ),
            Err(LifecycleError::NotADraft)
        );
        for action in [
            AlertAction::Approve,
            AlertAction::Update,
            AlertAction::Withdraw,
        ] {
            assert_eq!(
                may(
                    action,
                    AlertStatus::Withdrawn,
                    "mia",
                    "ada",
                    later,
                    now(),
                    true
                ),
                Err(LifecycleError::Withdrawn)
            );
        }
        assert_eq!(
            may(
                AlertAction::Update,
                AlertStatus::Published,
                "mia",
                "ada",
                later,
                now(),
                true
            ),
            Ok(AlertStatus::Draft)
        );
    }

    #[test]
    fn a_phone_keeps_exactly_the_current_unexpired_alerts_newest_first() {
        let alert = |id, published: &str, days| PublishedAlert {
            id,
            version: 1,
            content: content("Test your supply", days),
            published_at: published.parse().unwrap(),
        };
        let mut expired = alert(3, "2026-11-20T10:00:00Z", 1);
        expired.content.expires_at = now() - chrono::Days::new(1);
        let kept = kept(
            vec![
                alert(1, "2026-11-28T10:00:00Z", 5),
                alert(2, "2026-11-29T10:00:00Z", 5),
                expired,
            ],
            now(),
        );
        let ids: Vec<i64> = kept.iter().map(|a| a.id).collect();
        assert_eq!(ids, [2, 1]);
    }

    #[test]
    fn a_worker_reads_the_alert_in_their_language_else_english() {
        let tag = |t: &str| LanguageTag::new(t).unwrap();
        let mut c = content("Test your supply", 3);
        c.messages.insert(tag("es"), "Prueba tu sustancia".into());
        assert_eq!(c.message_in(&tag("es")), Some("Prueba tu sustancia"));
        assert_eq!(c.message_in(&tag("es-MX")), Some("Prueba tu sustancia"));
        assert_eq!(c.message_in(&tag("ar")), Some("Test your supply"));
        c.messages.remove(&tag("en"));
        assert_eq!(c.message_in(&tag("ar")), Some("Prueba tu sustancia"));
        assert!(LanguageTag::new("english").is_err());
    }

    #[test]
    fn an_alert_stored_before_the_language_tag_reads_and_writes_back_the_same() {
        // As the service stored and sent alerts when messages were keyed by a language type of
        // the alert's own.
        let before = r#"{"id":7,"version":2,"content":{"kind":"drug-supply","sites":["van"],"messages":{"ar":"اختبر","en":"Test your supply","es":"Prueba tu sustancia"},"verification":"reported-by-workers","expires_at":"2026-12-01T20:00:00Z"},"published_at":"2026-11-29T10:00:00Z"}"#;
        let read: PublishedAlert = serde_json::from_str(before).unwrap();
        assert_eq!(
            read.content.message_in(&LanguageTag::new("es").unwrap()),
            Some("Prueba tu sustancia")
        );
        assert_eq!(serde_json::to_string(&read).unwrap(), before);
        // A language written in capitals, as some authors did, still reads as its tag.
        let shouted = before.replace(r#""es":"#, r#""ES":"#);
        let read: PublishedAlert = serde_json::from_str(&shouted).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), before);
    }
}
