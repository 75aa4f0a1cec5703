//! One anonymous encounter between a peer worker and a contact.

use crate::codebook::{Code, CodeList, Codebook};
use crate::privacy::guard::{self, FlaggedText};
use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A random identifier the phone gives each encounter; it never leaves the phone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// How many days back an entry may be dated, edited or deleted on the phone: an org setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u16", into = "u16")]
pub struct EditWindow(u16);

/// Longest edit window an organization may set, in days.
pub const MAX_EDIT_WINDOW_DAYS: u16 = 60;

/// An edit window longer than [`MAX_EDIT_WINDOW_DAYS`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an edit window can be 0 to {MAX_EDIT_WINDOW_DAYS} days, got {0}")]
pub struct EditWindowTooLong(pub u16);

impl EditWindow {
    /// A window of `days` days (0: only today's entries can change).
    pub fn new(days: u16) -> Result<Self, EditWindowTooLong> {
        if days > MAX_EDIT_WINDOW_DAYS {
            Err(EditWindowTooLong(days))
        } else {
            Ok(Self(days))
        }
    }

    /// The window in days.
    pub fn days(self) -> u16 {
        self.0
    }

    /// The oldest day an entry may have on `today`.
    pub fn earliest(self, today: NaiveDate) -> NaiveDate {
        today - chrono::Days::new(u64::from(self.0))
    }

    /// Whether an entry of `day` may still be dated, edited or deleted on `today`.
    pub fn allows(self, day: NaiveDate, today: NaiveDate) -> bool {
        day <= today && self.earliest(today) <= day
    }
}

impl Default for EditWindow {
    fn default() -> Self {
        Self(7)
    }
}

impl TryFrom<u16> for EditWindow {
    type Error = EditWindowTooLong;
    fn try_from(days: u16) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<EditWindow> for u16 {
    fn from(window: EditWindow) -> Self {
        window.0
    }
}

/// Most units of one supply one encounter may record.
pub const MAX_QUANTITY: u16 = 500;

/// How many of one supply were handed out: 1 to [`MAX_QUANTITY`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u16", into = "u16")]
pub struct Quantity(u16);

/// A quantity of zero or above [`MAX_QUANTITY`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a quantity is 1 to {MAX_QUANTITY}, got {0}")]
pub struct QuantityOutOfRange(pub u32);

impl Quantity {
    /// One unit.
    pub const ONE: Self = Self(1);

    /// A quantity of `n` units.
    pub fn new(n: u32) -> Result<Self, QuantityOutOfRange> {
        match u16::try_from(n) {
            Ok(q) if (1..=MAX_QUANTITY).contains(&q) => Ok(Self(q)),
            _ => Err(QuantityOutOfRange(n)),
        }
    }

    /// The number of units.
    pub fn get(self) -> u16 {
        self.0
    }

    /// What a quantity field holds: blank or 0 means none given.
    pub fn parse_field(raw: &str) -> Result<Option<Self>, QuantityFieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<u32>() {
            Ok(0) => Ok(None),
            Ok(n) => Self::new(n).map(Some).map_err(|_| QuantityFieldError),
            Err(_) => Err(QuantityFieldError),
        }
    }

    /// One more or one less than `current`, staying within 0 (none) and [`MAX_QUANTITY`].
    pub fn step(current: Option<Self>, up: bool) -> Option<Self> {
        let now = current.map_or(0, |q| q.0);
        let next = if up {
            now.saturating_add(1).min(MAX_QUANTITY)
        } else {
            now.saturating_sub(1)
        };
        Self::new(u32::from(next)).ok()
    }
}

/// A quantity field that holds something other than a count.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("type a number from 0 to {MAX_QUANTITY}")]
pub struct QuantityFieldError;

impl TryFrom<u16> for Quantity {
    type Error = QuantityOutOfRange;
    fn try_from(n: u16) -> Result<Self, Self::Error> {
        Self::new(u32::from(n))
    }
}

impl From<Quantity> for u16 {
    fn from(q: Quantity) -> Self {
        q.0
    }
}

/// One supply handed out, with how many.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyGiven {
    /// The supply's code.
    pub item: Code,
    /// Units handed out.
    pub quantity: Quantity,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Encounter {
    /// The phone's id for this entry.
    pub id: EncounterId,
    /// Local date of the encounter.
    #[serde(with = "crate::date_wire::day")]
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
    /// Supplies handed out, one line per item, in code order.
    #[serde(default)]
    pub supplies: Vec<SupplyGiven>,
    /// Kinds of service the contact was referred to.
    #[serde(default)]
    pub referrals: BTreeSet<Code>,
    /// What the contact shared, in the worker's words.
    #[serde(default)]
    pub insight_note: Option<Note>,
    /// The worker offered the insight note for the organization's trend brief (see
    /// [`crate::field_notes`]); otherwise it never leaves the phone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub share_insight_note: bool,
    /// The worker's own note; it never leaves the phone.
    #[serde(default)]
    pub private_note: Option<String>,
    /// The codebook version the entry was made with.
    pub codebook_version: u32,
}

/// What the form holds before validation: every choice may still be missing.
///
/// The form keeps exactly one of these; it is also what a half-filled entry is kept as across
/// a reload (on the phone only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EncounterDraft {
    /// Local date of the encounter (the form starts at today).
    #[serde(with = "crate::date_wire::day")]
    pub day: NaiveDate,
    /// Part of the day (the form starts at the current one).
    pub time_band: TimeBand,
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
    /// Supplies handed out, with how many of each.
    pub supplies: BTreeMap<Code, Quantity>,
    /// Kinds of service the contact was referred to.
    pub referrals: BTreeSet<Code>,
    /// The insight note as typed.
    pub insight_note: String,
    /// The worker offers the insight note for the trend brief.
    pub share_insight_note: bool,
    /// The private note as typed.
    pub private_note: String,
    /// The worker chose to keep a private note the guard flagged.
    pub keep_flagged_private_note: bool,
}

impl EncounterDraft {
    /// An empty form for an encounter at `day` in `time_band`.
    pub fn new(day: NaiveDate, time_band: TimeBand) -> Self {
        Self {
            day,
            time_band,
            site: None,
            kind: None,
            reach: None,
            topics: BTreeSet::new(),
            insights: BTreeSet::new(),
            needs: BTreeSet::new(),
            free_tags: BTreeSet::new(),
            supplies: BTreeMap::new(),
            referrals: BTreeSet::new(),
            insight_note: String::new(),
            share_insight_note: false,
            private_note: String::new(),
            keep_flagged_private_note: false,
        }
    }

    /// The form filled with a stored encounter, for editing it.
    pub fn from_encounter(encounter: &Encounter) -> Self {
        Self {
            day: encounter.day,
            time_band: encounter.time_band,
            site: Some(encounter.site.clone()),
            kind: Some(encounter.kind),
            reach: Some(encounter.reach),
            topics: encounter.topics.clone(),
            insights: encounter.insights.clone(),
            needs: encounter.needs.clone(),
            free_tags: encounter.free_tags.clone(),
            supplies: encounter
                .supplies
                .iter()
                .map(|s| (s.item.clone(), s.quantity))
                .collect(),
            referrals: encounter.referrals.clone(),
            insight_note: encounter
                .insight_note
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            share_insight_note: encounter.share_insight_note,
            private_note: encounter.private_note.clone().unwrap_or_default(),
            keep_flagged_private_note: false,
        }
    }

    /// The form for the next contact after this one was saved: when, site and kind stay (a
    /// worker logs a run of contacts at one place), everything about the contact is cleared.
    pub fn next_contact(&self) -> Self {
        Self {
            site: self.site.clone(),
            kind: self.kind,
            ..Self::new(self.day, self.time_band)
        }
    }

    /// Whether the worker has picked or typed anything about a contact yet (when, site and
    /// kind aside, which carry over from the last entry).
    pub fn has_contact_details(&self) -> bool {
        *self != self.next_contact()
    }
}

impl Default for EncounterDraft {
    /// A draft dated at the Unix epoch: only for reading stored drafts with missing fields.
    fn default() -> Self {
        Self::new(NaiveDate::default(), TimeBand::Night)
    }
}

/// One thing wrong with a draft, phrased for the worker.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncounterError {
    /// The date is after today.
    #[error("The date {day} is in the future: choose today or an earlier day.")]
    DayInFuture {
        /// The date chosen.
        day: NaiveDate,
    },
    /// The date is before the edit window.
    #[error("The date {day} is too far back: entries can be dated back to {earliest}.")]
    DayTooFarBack {
        /// The date chosen.
        day: NaiveDate,
        /// The oldest date allowed.
        earliest: NaiveDate,
    },
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
    /// Turns the draft into an [`Encounter`] when every choice is made, every code is known and
    /// the date lies within `window` of `today`.
    pub fn validate(
        self,
        id: EncounterId,
        today: NaiveDate,
        window: EditWindow,
        codebook: &Codebook,
    ) -> Result<Encounter, InvalidEncounter> {
        let mut errors = Vec::new();
        if self.day > today {
            errors.push(EncounterError::DayInFuture { day: self.day });
        } else if !window.allows(self.day, today) {
            errors.push(EncounterError::DayTooFarBack {
                day: self.day,
                earliest: window.earliest(today),
            });
        }
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
        let supplies: BTreeSet<Code> = self.supplies.keys().cloned().collect();
        errors.extend(unknown(CodeList::Supply, &supplies));
        errors.extend(unknown(CodeList::Referral, &self.referrals));
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
                day: self.day,
                time_band: self.time_band,
                site,
                kind,
                reach,
                topics: self.topics,
                insights: self.insights,
                needs: self.needs,
                free_tags: self.free_tags,
                supplies: self
                    .supplies
                    .into_iter()
                    .map(|(item, quantity)| SupplyGiven { item, quantity })
                    .collect(),
                referrals: self.referrals,
                share_insight_note: self.share_insight_note && insight_note.is_some(),
                insight_note,
                private_note,
                codebook_version: codebook.version,
            }),
            _ => Err(InvalidEncounter(errors)),
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    #[test]
    fn the_next_contact_keeps_when_site_and_kind_and_clears_the_rest() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut draft = EncounterDraft::new(day, TimeBand::Night);
        draft.site = Some(Code::new("van").unwrap());
        draft.kind = Some(EncounterKind::Outreach);
        assert!(!draft.has_contact_details());
        draft.reach = Some(Reach::Returning);
        draft.needs.insert(Code::new("food").unwrap());
        draft.private_note = "tired".into();
        assert!(draft.has_contact_details());
        let next = draft.next_contact();
        assert_eq!((next.day, next.time_band), (day, TimeBand::Night));
        assert_eq!(next.site, draft.site);
        assert_eq!(next.kind, draft.kind);
        assert_eq!(next.reach, None);
        assert!(next.needs.is_empty() && next.private_note.is_empty());
    }

    #[test]
    fn a_draft_round_trips_through_json_and_reads_with_missing_fields() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut draft = EncounterDraft::new(day, TimeBand::Evening);
        draft.supplies.insert(
            Code::new("naloxone-kit").unwrap(),
            Quantity::new(2).unwrap(),
        );
        draft.insight_note = "new pills".into();
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(
            serde_json::from_str::<EncounterDraft>(&json).unwrap(),
            draft
        );
        let partial: EncounterDraft =
            serde_json::from_str(r#"{"day":"2026-11-24","time_band":"evening"}"#).unwrap();
        assert_eq!(partial, EncounterDraft::new(day, TimeBand::Evening));
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
            self.validate(
                EncounterId::new("a").unwrap(),
                day(),
                EditWindow::default(),
                book,
            )
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
            ..EncounterDraft::new(day(), TimeBand::Night)
        }
    }

    #[test]
    fn complete_draft_becomes_an_encounter_with_the_codebook_version() {
        let book = Codebook::harm_reduction_default();
        let id = EncounterId::new("a1").unwrap();
        let enc = full_draft()
            .validate(id.clone(), day(), EditWindow::default(), &book)
            .unwrap();
        assert_eq!(enc.id, id);
        assert_eq!(enc.site, code("van"));
        assert_eq!(enc.codebook_version, book.version);
        assert!(enc.needs.contains(&code("housing")));
    }

    #[test]
    fn empty_draft_reports_every_missing_choice() {
        let book = Codebook::harm_reduction_default();
        let err = EncounterDraft::new(day(), TimeBand::Night)
            .check_with(&book)
            .unwrap_err();
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
    fn entries_are_editable_within_the_org_window() {
        let today = day();
        let week = EditWindow::default();
        assert_eq!(week.days(), 7);
        assert!(week.allows(today, today));
        assert!(week.allows(today - chrono::Days::new(7), today));
        assert!(!week.allows(today - chrono::Days::new(8), today));
        assert!(!week.allows(today + chrono::Days::new(1), today));
        let same_day = EditWindow::new(0).unwrap();
        assert!(same_day.allows(today, today));
        assert!(!same_day.allows(today - chrono::Days::new(1), today));
        assert_eq!(
            EditWindow::new(MAX_EDIT_WINDOW_DAYS + 1),
            Err(EditWindowTooLong(MAX_EDIT_WINDOW_DAYS + 1))
        );
        assert!(serde_json::from_str::<EditWindow>("61").is_err());
    }

    #[test]
    fn the_date_may_be_moved_back_within_the_window_but_not_forward() {
        let book = Codebook::harm_reduction_default();
        let mut yesterday = full_draft();
        yesterday.day = day() - chrono::Days::new(1);
        yesterday.time_band = TimeBand::Evening;
        let enc = yesterday.check_with(&book).unwrap();
        assert_eq!(enc.day, day() - chrono::Days::new(1));
        assert_eq!(enc.time_band, TimeBand::Evening);

        let mut tomorrow = full_draft();
        tomorrow.day = day() + chrono::Days::new(1);
        let err = tomorrow.check_with(&book).unwrap_err();
        assert!(matches!(&err.0[..], [EncounterError::DayInFuture { .. }]));

        let mut long_ago = full_draft();
        long_ago.day = day() - chrono::Days::new(30);
        let err = long_ago.check_with(&book).unwrap_err();
        assert!(err.to_string().contains("can be dated back to 2026-11-17"));
    }

    #[test]
    fn supplies_keep_their_quantities_and_referrals_their_codes() {
        let book = Codebook::harm_reduction_default();
        let mut draft = full_draft();
        draft
            .supplies
            .insert(code("needles-syringes"), Quantity::new(20).unwrap());
        draft.supplies.insert(code("naloxone-kit"), Quantity::ONE);
        draft.referrals.insert(code("drug-treatment"));
        let enc = draft.clone().check_with(&book).unwrap();
        assert_eq!(
            enc.supplies,
            vec![
                SupplyGiven {
                    item: code("naloxone-kit"),
                    quantity: Quantity::ONE
                },
                SupplyGiven {
                    item: code("needles-syringes"),
                    quantity: Quantity::new(20).unwrap()
                },
            ]
        );
        assert_eq!(EncounterDraft::from_encounter(&enc), draft);

        let mut wrong = full_draft();
        wrong.supplies.insert(code("naloxone"), Quantity::ONE);
        wrong.referrals.insert(code("moon-base"));
        let err = wrong.check_with(&book).unwrap_err();
        assert!(err.to_string().contains("\"naloxone\" is not a supply"));
        assert!(err.to_string().contains("\"moon-base\" is not a referral"));
    }

    #[test]
    fn quantity_fields_read_blank_and_zero_as_none_and_refuse_the_rest() {
        assert_eq!(Quantity::parse_field(""), Ok(None));
        assert_eq!(Quantity::parse_field("0"), Ok(None));
        assert_eq!(Quantity::parse_field(" 12 "), Ok(Quantity::new(12).ok()));
        assert_eq!(Quantity::parse_field("501"), Err(QuantityFieldError));
        assert_eq!(Quantity::parse_field("-1"), Err(QuantityFieldError));
        assert_eq!(Quantity::parse_field("ten"), Err(QuantityFieldError));
        assert_eq!(
            QuantityFieldError.to_string(),
            "type a number from 0 to 500"
        );
    }

    #[test]
    fn steps_stop_at_none_and_the_maximum() {
        let most = Quantity::new(u32::from(MAX_QUANTITY)).unwrap();
        assert_eq!(Quantity::step(None, false), None);
        assert_eq!(Quantity::step(None, true), Some(Quantity::ONE));
        assert_eq!(Quantity::step(Some(Quantity::ONE), false), None);
        assert_eq!(Quantity::step(Some(most), true), Some(most));
    }

    #[test]
    fn quantities_are_one_to_five_hundred() {
        assert_eq!(Quantity::new(0), Err(QuantityOutOfRange(0)));
        assert_eq!(Quantity::new(501), Err(QuantityOutOfRange(501)));
        assert_eq!(Quantity::new(500).unwrap().get(), 500);
        assert!(serde_json::from_str::<Quantity>("0").is_err());
        assert!(serde_json::from_str::<Quantity>("70000").is_err());
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
        let mut draft = full_draft();
        draft
            .supplies
            .insert(code("condoms"), Quantity::new(12).unwrap());
        draft.referrals.insert(code("primary-care"));
        let enc = draft
            .validate(
                EncounterId::new("x-1").unwrap(),
                day(),
                EditWindow::default(),
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
