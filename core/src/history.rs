//! The worker's own history: day summaries, filters, and exports of the raw entries.

use crate::codebook::{Code, CodeList, Codebook};
use crate::encounter::Encounter;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What one day looked like: the answer to "did you write it down?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySummary {
    /// The day.
    pub day: NaiveDate,
    /// Encounters logged.
    pub encounters: usize,
    /// Codebook needs noted, counting each encounter's needs.
    pub needs_noted: usize,
    /// Needs the codebook does not know, noted as free tags.
    pub new_needs: usize,
}

/// Summaries per day, newest day first.
pub fn day_summaries<'a>(encounters: impl IntoIterator<Item = &'a Encounter>) -> Vec<DaySummary> {
    let mut by_day: BTreeMap<NaiveDate, DaySummary> = BTreeMap::new();
    for e in encounters {
        let summary = by_day.entry(e.day).or_insert(DaySummary {
            day: e.day,
            encounters: 0,
            needs_noted: 0,
            new_needs: 0,
        });
        summary.encounters += 1;
        summary.needs_noted += e.needs.len();
        summary.new_needs += e.free_tags.len();
    }
    by_day.into_values().rev().collect()
}

/// Narrows a history to the entries a worker is looking for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only entries noting this need (a codebook need or a free tag).
    pub need: Option<Code>,
    /// Only entries where the worker shared this topic.
    pub topic: Option<Code>,
    /// Only entries whose labels or notes contain these words (case-insensitive).
    pub text: String,
}

impl Filter {
    /// Whether `encounter` is one the worker is looking for.
    pub fn matches(&self, encounter: &Encounter, codebook: &Codebook) -> bool {
        let need_ok = self
            .need
            .as_ref()
            .is_none_or(|n| encounter.needs.contains(n) || encounter.free_tags.contains(n));
        let topic_ok = self
            .topic
            .as_ref()
            .is_none_or(|t| encounter.topics.contains(t));
        let words = self.text.trim().to_lowercase();
        let text_ok = words.is_empty() || {
            let haystack = searchable_text(encounter, codebook).to_lowercase();
            words.split_whitespace().all(|w| haystack.contains(w))
        };
        need_ok && topic_ok && text_ok
    }
}

/// Every label and note of an entry, as one text to search in.
fn searchable_text(e: &Encounter, codebook: &Codebook) -> String {
    let mut parts = vec![
        codebook.label(CodeList::Site, &e.site).to_owned(),
        e.kind.label().to_owned(),
        e.reach.label().to_owned(),
    ];
    parts.extend(
        e.topics
            .iter()
            .map(|c| codebook.label(CodeList::Topic, c).to_owned()),
    );
    parts.extend(
        e.insights
            .iter()
            .map(|c| codebook.label(CodeList::Insight, c).to_owned()),
    );
    parts.extend(
        e.needs
            .iter()
            .map(|c| codebook.label(CodeList::Need, c).to_owned()),
    );
    parts.extend(e.free_tags.iter().map(|t| t.as_str().replace('-', " ")));
    parts.extend(
        e.supplies
            .iter()
            .map(|s| codebook.label(CodeList::Supply, &s.item).to_owned()),
    );
    parts.extend(
        e.referrals
            .iter()
            .map(|c| codebook.label(CodeList::Referral, c).to_owned()),
    );
    parts.extend(e.insight_note.iter().map(|n| n.as_str().to_owned()));
    parts.extend(e.private_note.iter().cloned());
    parts.join(" ")
}

/// The worker's own entries as CSV (RFC 4180), one row per encounter, in the words the
/// worker saw in the form: codebook labels as `codebook` has them now, "Outreach", "Night",
/// "Needles and syringes × 20". Several choices in one cell are separated by "; ".
pub fn to_csv<'a>(
    encounters: impl IntoIterator<Item = &'a Encounter>,
    codebook: &Codebook,
) -> String {
    const HEADER: [&str; 15] = [
        "Entry",
        "Date",
        "Part of the day",
        "Site or area",
        "How it happened",
        "How the contact was reached",
        "You shared",
        "They shared",
        "Needs",
        "Needs of your own",
        "Supplies given",
        "Referred to",
        "Note on what they shared",
        "Private note",
        "Codebook version",
    ];
    let labels = |list: CodeList, codes: &std::collections::BTreeSet<Code>| {
        codes
            .iter()
            .map(|c| codebook.label(list, c))
            .collect::<Vec<_>>()
            .join("; ")
    };
    crate::csv::table(
        HEADER,
        encounters.into_iter().map(|e| {
            [
                e.id.to_string(),
                e.day.to_string(),
                e.time_band.label().to_owned(),
                codebook.label(CodeList::Site, &e.site).to_owned(),
                e.kind.label().to_owned(),
                e.reach.label().to_owned(),
                labels(CodeList::Topic, &e.topics),
                labels(CodeList::Insight, &e.insights),
                labels(CodeList::Need, &e.needs),
                e.free_tags
                    .iter()
                    .map(crate::privacy::free_tag::label)
                    .collect::<Vec<_>>()
                    .join("; "),
                e.supplies
                    .iter()
                    .map(|s| {
                        format!(
                            "{} × {}",
                            codebook.label(CodeList::Supply, &s.item),
                            s.quantity.get()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                labels(CodeList::Referral, &e.referrals),
                e.insight_note
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
                e.private_note.clone().unwrap_or_default(),
                e.codebook_version.to_string(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encounter::{
        EditWindow, EncounterDraft, EncounterId, EncounterKind, Quantity, Reach, SupplyGiven,
        TimeBand,
    };

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn encounter(id: &str, day: u32, needs: &[&str], note: &str) -> Encounter {
        EncounterDraft {
            site: Some(code("van")),
            kind: Some(EncounterKind::Outreach),
            reach: Some(Reach::WalkIn),
            topics: [code("naloxone")].into(),
            needs: needs.iter().map(|n| code(n)).collect(),
            insight_note: note.to_owned(),
            ..EncounterDraft::new(
                NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                TimeBand::Evening,
            )
        }
        .validate(
            EncounterId::new(id).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            EditWindow::default(),
            &Codebook::harm_reduction_default(),
        )
        .unwrap()
    }

    #[test]
    fn day_summaries_count_encounters_and_needs_newest_first() {
        let mut tagged = encounter("c", 23, &[], "");
        tagged.free_tags.insert(code("dental-care"));
        let all = [
            encounter("a", 24, &["housing", "food"], ""),
            encounter("b", 24, &["food"], ""),
            tagged,
        ];
        let summaries = day_summaries(&all);
        assert_eq!(summaries.len(), 2);
        let counts = |s: &DaySummary| (s.encounters, s.needs_noted, s.new_needs);
        assert_eq!(counts(&summaries[0]), (2, 3, 0));
        assert_eq!(counts(&summaries[1]), (1, 0, 1));
    }

    #[test]
    fn filters_match_need_topic_and_words() {
        let book = Codebook::harm_reduction_default();
        let e = encounter("a", 24, &["housing"], "pink pills around");
        let by_need = Filter {
            need: Some(code("housing")),
            ..Filter::default()
        };
        assert!(by_need.matches(&e, &book));
        let other_need = Filter {
            need: Some(code("food")),
            ..Filter::default()
        };
        assert!(!other_need.matches(&e, &book));
        let words = Filter {
            text: "PINK van".into(),
            ..Filter::default()
        };
        assert!(words.matches(&e, &book));
        let topic = Filter {
            topic: Some(code("drug-checking")),
            ..Filter::default()
        };
        assert!(!topic.matches(&e, &book));
    }

    #[test]
    fn csv_has_a_header_quotes_and_defused_formulas() {
        let mut e = encounter("a", 24, &["housing", "food"], "strong, \"pink\" ones");
        e.private_note = Some("=HYPERLINK(x)".into());
        e.supplies = vec![SupplyGiven {
            item: code("needles-syringes"),
            quantity: Quantity::new(20).unwrap(),
        }];
        e.referrals.insert(code("drug-treatment"));
        let csv = to_csv([&e], &Codebook::harm_reduction_default());
        let mut lines = csv.split("\r\n");
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("Entry,Date,Part of the day,Site or area,How it happened")
        );
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(
                "a,2026-11-24,Evening,Outreach van,Outreach,Walk-in,Naloxone,,Food; Housing,,"
            ),
            "{row}"
        );
        assert!(
            row.contains(",Needles and syringes × 20,Drug treatment,"),
            "{row}"
        );
        assert!(row.contains("\"strong, \"\"pink\"\" ones\""), "{row}");
        assert!(row.contains(",'=HYPERLINK(x),"), "{row}");
    }
}
