//! Insight notes a worker offers for the organization's trend brief, and a manager's review.
//!
//! Counts are all that leave the phone by themselves. An insight note ("pink pills going
//! round, much stronger") leaves only when the worker ticks "offer this note" on that entry:
//! then its guarded text goes to the service dated by its week alone, with no site, no codes
//! and nothing else of the entry, and waits there until a manager approves it for the brief or
//! rejects it. The service runs the guard again on arrival. Correcting the note offers the
//! new words for review again; unticking it or deleting the entry withdraws it from the
//! service, whatever its review said.

use crate::csv::Column;
use crate::encounter::{Encounter, EncounterId, Note, NoteError};
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where phones offer notes and people list them.
pub const NOTES_PATH: &str = "/api/v1/notes";

/// Where a phone withdraws an entry's note: `DELETE {NOTE_OF_ENTRY_PATH}/{entry id}`.
pub const NOTE_OF_ENTRY_PATH: &str = "/api/v1/notes/of-entry";

/// The Monday of `day`'s week: all the date an offered note carries.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// What a phone sends for one entry whose insight note the worker offered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteOffer {
    /// The entry's id on the phone: sending it again stores nothing new.
    pub id: EncounterId,
    /// The Monday of the entry's week.
    pub week: NaiveDate,
    /// The note.
    pub text: Note,
}

/// Why the service refuses an offered note.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteOfferError {
    /// The week is not given by its Monday.
    #[error("week {0} is not a Monday: send the Monday of the entry's week")]
    NotAMonday(NaiveDate),
    /// The week has not started yet.
    #[error("week {0} has not started yet: check the phone's date")]
    InFuture(NaiveDate),
    /// The week ended longer ago than any entry is kept.
    #[error("week {0} ended more than {max} days ago: nothing that old is offered", max = crate::protocol::MAX_AGE_DAYS)]
    TooOld(NaiveDate),
    /// Blank text.
    #[error("the note is empty: offer only entries with an insight note")]
    Empty,
    /// The text fails the guard (it may have been written under an older, looser one).
    #[error("the note {0}")]
    Text(#[from] NoteError),
}

impl NoteOffer {
    /// The offer `encounter` makes, if its worker offered its insight note.
    pub fn of(encounter: &Encounter) -> Option<Self> {
        if !encounter.share_insight_note {
            return None;
        }
        encounter.insight_note.as_ref().map(|text| Self {
            id: encounter.id.clone(),
            week: week_of(encounter.day),
            text: text.clone(),
        })
    }

    /// Checks an offer as it arrives, on `today`, guarding its text again.
    pub fn check(&self, today: NaiveDate) -> Result<(), NoteOfferError> {
        if week_of(self.week) != self.week {
            return Err(NoteOfferError::NotAMonday(self.week));
        }
        if self.week > today {
            return Err(NoteOfferError::InFuture(self.week));
        }
        if self.week + Days::new(6 + crate::protocol::MAX_AGE_DAYS) < today {
            return Err(NoteOfferError::TooOld(self.week));
        }
        match Note::parse(self.text.as_str())? {
            Some(_) => Ok(()),
            None => Err(NoteOfferError::Empty),
        }
    }
}

/// What a phone still has to tell the service about one entry's insight note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteChange {
    /// Offer the note, or its corrected words.
    Offer(NoteOffer),
    /// Take back whatever was offered of this entry's note.
    Withdraw(EncounterId),
}

impl NoteChange {
    /// What the service must hear when an entry changes from `before` to `after` (`None`:
    /// not there yet, or deleted). `None` when nothing about its note changed.
    pub fn of_edit(before: Option<&Encounter>, after: Option<&Encounter>) -> Option<Self> {
        let offered = before.and_then(NoteOffer::of);
        match (after.and_then(NoteOffer::of), offered) {
            (Some(offer), Some(offered)) if offer == offered => None,
            (Some(offer), _) => Some(Self::Offer(offer)),
            (None, Some(offered)) => Some(Self::Withdraw(offered.id)),
            (None, None) => None,
        }
    }

    /// The entry the change is about.
    pub fn entry(&self) -> &EncounterId {
        match self {
            Self::Offer(offer) => &offer.id,
            Self::Withdraw(id) => id,
        }
    }
}

/// What the service says to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteOfferAnswer {
    /// False when the service already had these words for this entry: nothing changed.
    pub stored: bool,
}

/// Where an offered note stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum NoteStatus {
    /// Waiting for a manager.
    Pending,
    /// Approved for the trend brief.
    Approved,
    /// Kept out of the brief.
    Rejected,
}

/// A status name that is none of [`NoteStatus`]'s.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown note status {0:?}: use pending, approved or rejected")]
pub struct UnknownNoteStatus(pub String);

impl NoteStatus {
    /// The stable name used in the API and the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
}

impl fmt::Display for NoteStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoteStatus {
    type Err = UnknownNoteStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownNoteStatus(s.to_owned()))
    }
}

/// An offered note as people see it: no phone, no entry id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferedNote {
    /// The service's id for it.
    pub id: i64,
    /// The Monday of its week.
    pub week: NaiveDate,
    /// The note.
    pub text: String,
    /// Where it stands.
    pub status: NoteStatus,
}

/// `GET /api/v1/notes` query: notes of one status (managers may ask for any; viewers see
/// approved ones only), optionally only those whose week overlaps `from..=to`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotesQuery {
    /// Which notes (default: approved).
    pub status: Option<NoteStatus>,
    /// First day of the period.
    pub from: Option<NaiveDate>,
    /// Last day of the period.
    pub to: Option<NaiveDate>,
}

impl NotesQuery {
    /// The status asked for.
    pub fn status(&self) -> NoteStatus {
        self.status.unwrap_or(NoteStatus::Approved)
    }

    /// The first and last week (Mondays) whose notes fall in the period; unbounded sides are
    /// `None`.
    pub fn weeks(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.from.map(week_of), self.to.map(week_of))
    }

    /// The query string for this query ("" when empty, else starting with `?`).
    pub fn to_query_string(&self) -> String {
        let parts: Vec<String> = [
            self.status.map(|s| format!("status={s}")),
            self.from.map(|d| format!("from={d}")),
            self.to.map(|d| format!("to={d}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// `POST /api/v1/notes/{id}/review` body: a manager's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteReview {
    /// Approved or rejected; a decision can be changed later.
    pub status: NoteStatus,
}

/// Approved notes as CSV: week and text, text defused for spreadsheets.
pub fn notes_csv(notes: &[OfferedNote], heading: impl Fn(Column) -> String) -> String {
    crate::csv::headed(
        [Column::WeekOf, Column::Note],
        heading,
        notes.iter().map(|n| [n.week.to_string(), n.text.clone()]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encounter::EncounterDraft;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn encounter(note: &str, share: bool) -> Encounter {
        let book = crate::codebook::Codebook::harm_reduction_default();
        let today = day("2026-11-26");
        let mut draft = EncounterDraft::new(today, crate::encounter::TimeBand::Evening);
        draft.site = Some(crate::codebook::Code::new("van").unwrap());
        draft.kind = Some(crate::encounter::EncounterKind::Outreach);
        draft.reach = Some(crate::encounter::Reach::ContactNetwork);
        draft.insight_note = note.into();
        draft.share_insight_note = share;
        draft
            .validate(
                EncounterId::new("e1").unwrap(),
                today,
                crate::encounter::EditWindow::default(),
                &book,
            )
            .unwrap()
    }

    #[test]
    fn edits_offer_new_words_and_withdraw_what_is_no_longer_offered() {
        let offered = encounter("blue ones going round", true);
        let private = encounter("blue ones going round", false);
        let reworded = encounter("blue ones, much stronger", true);
        let offer = |e: &Encounter| Some(NoteChange::Offer(NoteOffer::of(e).unwrap()));
        let withdrawal = NoteChange::Withdraw(EncounterId::new("e1").unwrap());
        let withdraw = Some(withdrawal.clone());
        // Saved, corrected, unticked, deleted.
        assert_eq!(NoteChange::of_edit(None, Some(&offered)), offer(&offered));
        assert_eq!(NoteChange::of_edit(None, Some(&private)), None);
        assert_eq!(NoteChange::of_edit(Some(&offered), Some(&offered)), None);
        assert_eq!(
            NoteChange::of_edit(Some(&offered), Some(&reworded)),
            offer(&reworded)
        );
        assert_eq!(
            NoteChange::of_edit(Some(&private), Some(&offered)),
            offer(&offered)
        );
        assert_eq!(
            NoteChange::of_edit(Some(&offered), Some(&private)),
            withdraw
        );
        assert_eq!(NoteChange::of_edit(Some(&offered), None), withdraw);
        assert_eq!(NoteChange::of_edit(Some(&private), None), None);
        assert_eq!(withdrawal.entry().as_str(), "e1");
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_of(day("2026-11-26")), day("2026-11-23"));
        assert_eq!(week_of(day("2026-11-23")), day("2026-11-23"));
        assert_eq!(week_of(day("2026-11-22")), day("2026-11-16"));
    }

    #[test]
    fn only_an_offered_note_leaves_and_only_with_its_week() {
        assert_eq!(NoteOffer::of(&encounter("pink pills, strong", false)), None);
        assert_eq!(NoteOffer::of(&encounter("", true)), None);
        let offer = NoteOffer::of(&encounter("pink pills, strong", true)).unwrap();
        assert_eq!(offer.week, day("2026-11-23"));
        assert_eq!(offer.text.as_str(), "pink pills, strong");
        assert_eq!(
            serde_json::to_value(&offer).unwrap(),
            serde_json::json!({"id": "e1", "week": "2026-11-23", "text": "pink pills, strong"})
        );
    }

    #[test]
    fn an_offer_is_checked_again_on_arrival() {
        let today = day("2026-11-26");
        let offer = |week: &str, text: &str| -> NoteOffer {
            serde_json::from_value(serde_json::json!({"id": "e1", "week": week, "text": text}))
                .unwrap()
        };
        assert_eq!(offer("2026-11-23", "pink pills").check(today), Ok(()));
        assert_eq!(
            offer("2026-11-24", "pink pills").check(today),
            Err(NoteOfferError::NotAMonday(day("2026-11-24")))
        );
        assert_eq!(
            offer("2026-11-30", "pink pills").check(today),
            Err(NoteOfferError::InFuture(day("2026-11-30")))
        );
        assert_eq!(
            offer("2001-01-01", "pink pills").check(today),
            Err(NoteOfferError::TooOld(day("2001-01-01")))
        );
        assert_eq!(offer("2025-10-20", "pink pills").check(today), Ok(()));
        assert_eq!(
            offer("2026-11-23", "  ").check(today),
            Err(NoteOfferError::Empty)
        );
        let flagged = offer("2026-11-23", "call Tony Lee on 0412 345 678").check(today);
        assert!(
            matches!(
                flagged,
                Err(NoteOfferError::Text(NoteError::Identifying(_)))
            ),
            "{flagged:?}"
        );
        assert_eq!(
            flagged.unwrap_err().to_string(),
            "the note \"Tony Lee\" looks like a name; \"0412 345 678\" looks like a phone number. \
             Please rephrase without details that could identify someone."
        );
    }

    #[test]
    fn notes_export_with_their_week_and_formulas_defused() {
        let note = |text: &str| OfferedNote {
            id: 1,
            week: day("2026-11-23"),
            text: text.to_owned(),
            status: NoteStatus::Approved,
        };
        assert_eq!(
            notes_csv(
                &[note("pink pills, stronger"), note("=1+1 \"quoted\"")],
                |c| c.name().to_owned()
            ),
            "week_of,note\r\n2026-11-23,\"pink pills, stronger\"\r\n2026-11-23,\"'=1+1 \"\"quoted\"\"\"\r\n"
        );
    }

    #[test]
    fn statuses_and_queries_read_and_write_their_names() {
        for status in [
            NoteStatus::Pending,
            NoteStatus::Approved,
            NoteStatus::Rejected,
        ] {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        assert!("maybe".parse::<NoteStatus>().is_err());
        let query = NotesQuery {
            status: Some(NoteStatus::Pending),
            from: Some(day("2026-11-26")),
            to: None,
        };
        assert_eq!(query.to_query_string(), "?status=pending&from=2026-11-26");
        assert_eq!(query.weeks(), (Some(day("2026-11-23")), None));
        assert_eq!(NotesQuery::default().status(), NoteStatus::Approved);
        assert_eq!(NotesQuery::default().to_query_string(), "");
    }
}
