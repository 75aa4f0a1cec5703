//! One anonymous encounter between a peer worker and a contact.

use crate::codebook::{Code, CodeList, Codebook};
use crate::privacy::guard::{self, FlaggedText};
use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A random identifier the phone gives each encounter; it never leaves the phone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EncounterId(String);

/// Why a string is not a valid [`EncounterId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an encounter id is 1 to 64 characters of a-z, A-Z, 0-9 and '-'")]
pub struct EncounterIdError;

impl EncounterId {
    /// Parses an id such as a UUID.
    pub fn new(raw: &str) -> Result<Self, EncounterIdError> {
        let valid = (1..=64).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(EncounterIdError)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EncounterId {
    type Error = EncounterIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<EncounterId> for String {
    fn from(id: EncounterId) -> Self {
        id.0
    }
}

impl fmt::Display for EncounterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the encounter happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncounterKind {
    /// At a fixed site such as a drop-in or a needle and syringe program.
    FixedSite,
    /// On outreach, on foot or from a van.
    Outreach,
    /// Supplies or knowledge passed on by a peer (secondary distribution).
    PeerDelivered,
    /// Online: chat, social media.
    Online,
    /// By phone.
    Phone,
}

impl EncounterKind {
    /// Every kind, in form order.
    pub const ALL: [Self; 5] = [
        Self::FixedSite,
        Self::Outreach,
        Self::PeerDelivered,
        Self::Online,
        Self::Phone,
    ];

    /// The stable name used in the API and the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FixedSite => "fixed-site",
            Self::Outreach => "outreach",
            Self::PeerDelivered => "peer-delivered",
            Self::Online => "online",
            Self::Phone => "phone",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::FixedSite => "Fixed site",
            Self::Outreach => "Outreach",
            Self::PeerDelivered => "Peer-delivered",
            Self::Online => "Online",
            Self::Phone => "Phone",
        }
    }
}

/// How the contact was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// Came in on their own.
    WalkIn,
    /// Has been here before.
    Returning,
    /// Sent by a peer.
    PeerReferral,
    /// Reached through another contact's network.
    ContactNetwork,
}

impl Reach {
    /// Every way of reaching a contact, in form order.
    pub const ALL: [Self; 4] = [
        Self::WalkIn,
        Self::Returning,
        Self::PeerReferral,
        Self::ContactNetwork,
    ];

    /// The stable name used in the API and the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WalkIn => "walk-in",
            Self::Returning => "returning",
            Self::PeerReferral => "peer-referral",
            Self::ContactNetwork => "contact-network",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::WalkIn => "Walk-in",
            Self::Returning => "Returning",
            Self::PeerReferral => "Referred by a peer",
            Self::ContactNetwork => "Through a contact's network",
        }
    }
}

/// The part of the day an encounter happened in: coarse on purpose, so a time cannot single anyone out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeBand {
    /// 00:00 to 05:59.
    Night,
    /// 06:00 to 11:59.
    Morning,
    /// 12:00 to 17:59.
    Afternoon,
    /// 18:00 to 23:59.
    Evening,
}

impl TimeBand {
    /// The band a time of day falls in.
    pub fn of(time: NaiveTime) -> Self {
        match time.hour() {
            0..=5 => Self::Night,
            6..=11 => Self::Morning,
            12..=17 => Self::Afternoon,
            _ => Self::Evening,
        }
    }

    /// The stable name used in exports (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Night => "night",
            Self::Morning => "morning",
            Self::Afternoon => "afternoon",
            Self::Evening => "evening",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Night => "Night",
            Self::Morning => "Morning",
            Self::Afternoon => "Afternoon",
            Self::Evening => "Evening",
        }
    }
}

/// Days after which an entry can no longer be edited or deleted on the phone.
pub const EDIT_WINDOW_DAYS: u64 = 7;

/// Whether an entry of `day` may still be edited or deleted on `today`.
pub fn editable(day: NaiveDate, today: NaiveDate) -> bool {
    day <= today && today - chrono::Days::new(EDIT_WINDOW_DAYS) <= day
}

/// Most free tags one encounter may carry.
pub const MAX_FREE_TAGS: usize = 10;

/// Longest note that syncs nowhere but may one day be shared (an insight note), in characters.
pub const MAX_NOTE_CHARS: usize = 280;
/// Longest private note, in characters.
pub const MAX_PRIVATE_NOTE_CHARS: usize = 1_000;

/// A short free-text note that passed the privacy guard when it was written.
///
/// Reading a stored note does not re-run the guard: a later, stricter guard must not make old
/// entries unreadable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Note(String);

/// Why a note cannot be saved as typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// Longer than allowed.
    #[error("is {len} characters long; keep it under {max}.")]
    TooLong {
        /// Characters typed.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// Something in it could identify a person.
    #[error("{0}")]
    Identifying(FlaggedText),
}

impl Note {
    /// A guarded note from what was typed; blank text is no note.
    pub fn parse(raw: &str) -> Result<Option<Self>, NoteError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let len = text.chars().count();
        if len > MAX_NOTE_CHARS {
            return Err(NoteError::TooLong {
                len,
                max: MAX_NOTE_CHARS,
            });
        }
        guard::check(text).map_err(NoteError::Identifying)?;
        Ok(Some(Self(text.to_owned())))
    }

    /// The note's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The worker's private note: it never leaves the phone, so the worker may keep it even when
/// the guard flags something, after being warned.
fn private_note(raw: &str, keep_flagged: bool) -> Result<Option<String>, NoteError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let len = text.chars().count();
    if len > MAX_PRIVATE_NOTE_CHARS {
        return Err(NoteError::TooLong {
            len,
            max: MAX_PRIVATE_NOTE_CHARS,
        });
    }
    if !keep_flagged {
        guard::check(text).map_err(NoteError::Identifying)?;
    }
    Ok(Some(text.to_owned()))
}

/// A validated, anonymous encounter as the phone stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    /// The phone's id for this entry.
    pub id: EncounterId,
    /// Local date of the encounter.
    pub day: NaiveDate,
    /// Part of the day.
    pub time_band: TimeBand,
    /// Site or outreach area.
    pub site: Code,
    /// How it happened.
    pub kind: EncounterKind,
    /// How the contact was reached.
    pub reach: Reach,
    /// Topics the worker shared.
    pub topics: BTreeSet<Code>,
    /// Insights the contact shared.
    pub insights: BTreeSet<Code>,
    /// Needs noted.
    pub needs: BTreeSet<Code>,
    /// Needs the codebook does not know yet, normalized (see [`crate::privacy::free_tag`]).
    #[serde(default)]
    pub free_tags: BTreeSet<Code>,
    /// What the contact shared, in the worker's words.
    #[serde(default)]
    pub insight_note: Option<Note>,
    /// The worker's own note; it never leaves the phone.
    #[serde(default)]
    pub private_note: Option<String>,
    /// The codebook version the entry was made with.
    pub codebook_version: u32,
}

/// What the form holds before validation: every choice may still be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncounterDraft {
    /// Site or outreach area.
    pub site: Option<Code>,
    /// How it happened.
    pub kind: Option<EncounterKind>,
    /// How the contact was reached.
    pub reach: Option<Reach>,
    /// Topics the worker shared.
    pub topics: BTreeSet<Code>,
    /// Insights the contact shared.
    pub insights: BTreeSet<Code>,
    /// Needs noted.
    pub needs: BTreeSet<Code>,
    /// Free tags, already normalized when they were added.
    pub free_tags: BTreeSet<Code>,
    /// The insight note as typed.
    pub insight_note: String,
    /// The private note as typed.
    pub private_note: String,
    /// The worker chose to keep a private note the guard flagged.
    pub keep_flagged_private_note: bool,
}

/// One thing wrong with a draft, phrased for the worker.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncounterError {
    /// No site was chosen.
    #[error("Choose the site or outreach area.")]
    MissingSite,
    /// No kind was chosen.
    #[error("Choose how the encounter happened.")]
    MissingKind,
    /// No reach was chosen.
    #[error("Choose how the contact was reached.")]
    MissingReach,
    /// A code is not in the codebook's list.
    #[error("\"{code}\" is not a {} in your codebook: pick one from the list.", list.label())]
    UnknownCode {
        /// The list that was checked.
        list: CodeList,
        /// The code that was not found.
        code: Code,
    },
    /// More free tags than [`MAX_FREE_TAGS`].
    #[error("Add at most {MAX_FREE_TAGS} needs of your own to one encounter.")]
    TooManyFreeTags,
    /// The note about what the contact shared cannot be saved as typed.
    #[error("Note on what they shared: {0}")]
    InsightNote(NoteError),
    /// The private note cannot be saved as typed.
    #[error("Private note: {0}")]
    PrivateNote(NoteError),
}

/// Every problem found in a draft, so the form can show them all at once.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the encounter has {} problem(s): {}", .0.len(), join(.0))]
pub struct InvalidEncounter(pub Vec<EncounterError>);

fn join(errors: &[EncounterError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl EncounterDraft {
    /// Turns the draft into an [`Encounter`] when every choice is made and every code is known.
    pub fn validate(
        self,
        id: EncounterId,
        day: NaiveDate,
        time_band: TimeBand,
        codebook: &Codebook,
    ) -> Result<Encounter, InvalidEncounter> {
        let mut errors = Vec::new();
        let unknown = |list, codes: &BTreeSet<Code>| -> Vec<EncounterError> {
            codes
                .iter()
                .filter(|c| !codebook.offers(list, c))
                .map(|c| EncounterError::UnknownCode {
                    list,
                    code: c.clone(),
                })
                .collect()
        };
        match &self.site {
            None => errors.push(EncounterError::MissingSite),
            Some(site) if !codebook.offers(CodeList::Site, site) => {
                errors.push(EncounterError::UnknownCode {
                    list: CodeList::Site,
                    code: site.clone(),
                });
            }
            Some(_) => {}
        }
        if self.kind.is_none() {
            errors.push(EncounterError::MissingKind);
        }
        if self.reach.is_none() {
            errors.push(EncounterError::MissingReach);
        }
        errors.extend(unknown(CodeList::Topic, &self.topics));
        errors.extend(unknown(CodeList::Insight, &self.insights));
        errors.extend(unknown(CodeList::Need, &self.needs));
        if self.free_tags.len() > MAX_FREE_TAGS {
            errors.push(EncounterError::TooManyFreeTags);
        }
        let insight_note = Note::parse(&self.insight_note)
            .map_err(|e| errors.push(EncounterError::InsightNote(e)))
            .ok()
            .flatten();
        let private_note = private_note(&self.private_note, self.keep_flagged_private_note)
            .map_err(|e| errors.push(EncounterError::PrivateNote(e)))
            .ok()
            .flatten();
        match (self.site, self.kind, self.reach) {
            (Some(site), Some(kind), Some(reach)) if errors.is_empty() => Ok(Encounter {
                id,
                day,
                time_band,
                site,
                kind,
                reach,
                topics: self.topics,
                insights: self.insights,
                needs: self.needs,
                free_tags: self.free_tags,
                insight_note,
                private_note,
                codebook_version: codebook.version,
            }),
            _ => Err(InvalidEncounter(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    /// Validation with the id, day and band these tests share.
    trait CheckWith {
        fn check_with(self, book: &Codebook) -> Result<Encounter, InvalidEncounter>;
    }

    impl CheckWith for EncounterDraft {
        fn check_with(self, book: &Codebook) -> Result<Encounter, InvalidEncounter> {
            self.validate(EncounterId::new("a").unwrap(), day(), TimeBand::Night, book)
        }
    }

    fn full_draft() -> EncounterDraft {
        EncounterDraft {
            site: Some(code("van")),
            kind: Some(EncounterKind::Outreach),
            reach: Some(Reach::ContactNetwork),
            topics: [code("naloxone")].into(),
            insights: [code("new-substance")].into(),
            needs: [code("housing")].into(),
            ..EncounterDraft::default()
        }
    }

    #[test]
    fn complete_draft_becomes_an_encounter_with_the_codebook_version() {
        let book = Codebook::harm_reduction_default();
        let id = EncounterId::new("a1").unwrap();
        let enc = full_draft()
            .validate(id.clone(), day(), TimeBand::Evening, &book)
            .unwrap();
        assert_eq!(enc.id, id);
        assert_eq!(enc.site, code("van"));
        assert_eq!(enc.codebook_version, book.version);
        assert!(enc.needs.contains(&code("housing")));
    }

    #[test]
    fn empty_draft_reports_every_missing_choice() {
        let book = Codebook::harm_reduction_default();
        let err = EncounterDraft::default().check_with(&book).unwrap_err();
        assert_eq!(
            err.0,
            vec![
                EncounterError::MissingSite,
                EncounterError::MissingKind,
                EncounterError::MissingReach
            ]
        );
    }

    #[test]
    fn codes_outside_the_codebook_are_refused_with_their_list() {
        let book = Codebook::harm_reduction_default();
        let mut draft = full_draft();
        draft.site = Some(code("moon"));
        draft.needs.insert(code("naloxone"));
        let err = draft.check_with(&book).unwrap_err();
        assert_eq!(
            err.0,
            vec![
                EncounterError::UnknownCode {
                    list: CodeList::Site,
                    code: code("moon")
                },
                EncounterError::UnknownCode {
                    list: CodeList::Need,
                    code: code("naloxone")
                },
            ]
        );
        assert!(err.to_string().contains("\"moon\" is not a site"));
    }

    #[test]
    fn notes_are_guarded_and_trimmed() {
        let book = Codebook::harm_reduction_default();
        let mut draft = full_draft();
        draft.insight_note = "  new pills, pink, very strong  ".into();
        let enc = draft.check_with(&book).unwrap();
        assert_eq!(
            enc.insight_note.as_ref().map(Note::as_str),
            Some("new pills, pink, very strong")
        );
        assert_eq!(enc.private_note, None);

        let mut flagged = full_draft();
        flagged.insight_note = "got them from a guy named Tony".into();
        let err = flagged.check_with(&book).unwrap_err();
        assert!(matches!(
            &err.0[..],
            [EncounterError::InsightNote(NoteError::Identifying(_))]
        ));
        assert!(err.to_string().contains("\"Tony\" looks like a name"));

        let mut long = full_draft();
        long.insight_note = "x".repeat(MAX_NOTE_CHARS + 1);
        assert!(long.check_with(&book).is_err());
    }

    #[test]
    fn a_flagged_private_note_is_kept_only_when_the_worker_insists() {
        let book = Codebook::harm_reduction_default();
        let mut draft = full_draft();
        draft.private_note = "follow up with Mr Lee on 0412 345 678".into();
        let refused = draft.clone().check_with(&book).unwrap_err();
        assert!(matches!(
            &refused.0[..],
            [EncounterError::PrivateNote(NoteError::Identifying(_))]
        ));
        draft.keep_flagged_private_note = true;
        let kept = draft.check_with(&book).unwrap();
        assert_eq!(
            kept.private_note.as_deref(),
            Some("follow up with Mr Lee on 0412 345 678")
        );
    }

    #[test]
    fn records_saved_before_notes_and_tags_existed_still_load() {
        let old = serde_json::json!({
            "id": "a1", "day": "2026-11-24", "time_band": "night", "site": "van",
            "kind": "outreach", "reach": "walk-in", "topics": [], "insights": [],
            "needs": ["food"], "codebook_version": 1
        });
        let enc: Encounter = serde_json::from_value(old).unwrap();
        assert!(enc.free_tags.is_empty());
        assert_eq!(enc.insight_note, None);
    }

    #[test]
    fn entries_are_editable_for_a_week() {
        let today = day();
        assert!(editable(today, today));
        assert!(editable(today - chrono::Days::new(EDIT_WINDOW_DAYS), today));
        assert!(!editable(
            today - chrono::Days::new(EDIT_WINDOW_DAYS + 1),
            today
        ));
        assert!(!editable(today + chrono::Days::new(1), today));
    }

    #[test]
    fn time_bands_split_the_day_in_four() {
        let at = |h| TimeBand::of(NaiveTime::from_hms_opt(h, 30, 0).unwrap());
        assert_eq!(at(0), TimeBand::Night);
        assert_eq!(at(5), TimeBand::Night);
        assert_eq!(at(6), TimeBand::Morning);
        assert_eq!(at(12), TimeBand::Afternoon);
        assert_eq!(at(18), TimeBand::Evening);
        assert_eq!(at(23), TimeBand::Evening);
    }

    #[test]
    fn encounter_round_trips_through_json_with_kebab_case_enums() {
        let book = Codebook::harm_reduction_default();
        let enc = full_draft()
            .validate(
                EncounterId::new("x-1").unwrap(),
                day(),
                TimeBand::Morning,
                &book,
            )
            .unwrap();
        let json = serde_json::to_string(&enc).unwrap();
        assert!(json.contains("\"contact-network\""));
        assert!(json.contains("\"outreach\""));
        let back: Encounter = serde_json::from_str(&json).unwrap();
        assert_eq!(back, enc);
    }

    #[test]
    fn stable_names_equal_the_serde_names() {
        for kind in EncounterKind::ALL {
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        for band in [
            TimeBand::Night,
            TimeBand::Morning,
            TimeBand::Afternoon,
            TimeBand::Evening,
        ] {
            assert_eq!(
                serde_json::to_string(&band).unwrap(),
                format!("\"{}\"", band.as_str())
            );
        }
        for reach in Reach::ALL {
            assert_eq!(
                serde_json::to_string(&reach).unwrap(),
                format!("\"{}\"", reach.as_str())
            );
        }
    }

    #[test]
    fn encounter_ids_refuse_odd_characters() {
        assert!(EncounterId::new("").is_err());
        assert!(EncounterId::new("a b").is_err());
        assert!(EncounterId::new(&"a".repeat(65)).is_err());
        assert!(EncounterId::new("0f8a-12").is_ok());
    }
}
