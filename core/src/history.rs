//! The worker's own history: day summaries, filters, and exports of the raw entries.

use crate::codebook::{Code, CodeList, Codebook};
use crate::encounter::{Encounter, EncounterKind, Reach, TimeBand};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

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

/// A field of an entry, as the CSV of the worker's own entries heads its column(s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvField {
    /// The entry's id.
    Entry,
    /// Its date.
    Date,
    /// Its part of the day.
    PartOfDay,
    /// Its site or outreach area.
    Site,
    /// How it happened.
    Kind,
    /// How the contact was reached.
    Reach,
    /// Topics the worker shared.
    YouShared,
    /// Insights the contact shared.
    TheyShared,
    /// Codebook needs.
    Needs,
    /// Needs of the worker's own words (free tags).
    NeedsOfYourOwn,
    /// Supplies given, with quantities.
    Supplies,
    /// Referrals made.
    ReferredTo,
    /// The note on what the contact shared.
    InsightNote,
    /// The note that never leaves the phone.
    PrivateNote,
    /// The codebook version the entry was logged under.
    CodebookVersion,
}

/// The words of the CSV in the reader's language: its headers and the labels of the fixed
/// choices. Codes and dates are written as they are, so the file reads the same to a program
/// in every language; [`English`] words it in English.
pub trait CsvWords {
    /// The header of `field`'s column (of its labels, for a coded field).
    fn header(&self, field: CsvField) -> String;
    /// The header of the column of `field`'s codes, beside the column of its labels.
    fn code_header(&self, field: CsvField) -> String;
    /// A part of the day.
    fn time_band(&self, band: TimeBand) -> String;
    /// How an encounter happened.
    fn kind(&self, kind: EncounterKind) -> String;
    /// How a contact was reached.
    fn reach(&self, reach: Reach) -> String;
}

/// The CSV in English: the words the core's own labels give.
pub struct English;

impl CsvWords for English {
    fn header(&self, field: CsvField) -> String {
        match field {
            CsvField::Entry => "Entry",
            CsvField::Date => "Date",
            CsvField::PartOfDay => "Part of the day",
            CsvField::Site => "Site or area",
            CsvField::Kind => "How it happened",
            CsvField::Reach => "How the contact was reached",
            CsvField::YouShared => "You shared",
            CsvField::TheyShared => "They shared",
            CsvField::Needs => "Needs",
            CsvField::NeedsOfYourOwn => "Needs of your own",
            CsvField::Supplies => "Supplies given",
            CsvField::ReferredTo => "Referred to",
            CsvField::InsightNote => "Note on what they shared",
            CsvField::PrivateNote => "Private note",
            CsvField::CodebookVersion => "Codebook version",
        }
        .to_owned()
    }

    fn code_header(&self, field: CsvField) -> String {
        format!("{} (code)", self.header(field))
    }

    fn time_band(&self, band: TimeBand) -> String {
        band.label().to_owned()
    }

    fn kind(&self, kind: EncounterKind) -> String {
        kind.label().to_owned()
    }

    fn reach(&self, reach: Reach) -> String {
        reach.label().to_owned()
    }
}

/// The worker's own entries as CSV (RFC 4180), one row per encounter, headed in `words`'
/// language. Values stay machine-readable: ISO dates, and each coded field as two columns, its
/// codes and beside them its labels as the worker reads them (`codebook` as shown, "Outreach",
/// "Needles and syringes × 20"). Several choices in one cell are separated by "; ", a supply's
/// code from its quantity by ":" (`needles-syringes:20`).
pub fn to_csv<'a>(
    encounters: impl IntoIterator<Item = &'a Encounter>,
    codebook: &Codebook,
    words: &impl CsvWords,
) -> String {
    use CsvField::*;
    let (h, c) = (|f| words.header(f), |f| words.code_header(f));
    let header = [
        h(Entry),
        h(Date),
        c(PartOfDay),
        h(PartOfDay),
        c(Site),
        h(Site),
        c(Kind),
        h(Kind),
        c(Reach),
        h(Reach),
        c(YouShared),
        h(YouShared),
        c(TheyShared),
        h(TheyShared),
        c(Needs),
        h(Needs),
        h(NeedsOfYourOwn),
        c(Supplies),
        h(Supplies),
        c(ReferredTo),
        h(ReferredTo),
        h(InsightNote),
        h(PrivateNote),
        h(CodebookVersion),
    ];
    let joined = |cells: Vec<String>| cells.join("; ");
    let codes = |codes: &BTreeSet<Code>| joined(codes.iter().map(Code::to_string).collect());
    let labels = |list: CodeList, codes: &BTreeSet<Code>| {
        joined(
            codes
                .iter()
                .map(|c| codebook.label(list, c).to_owned())
                .collect(),
        )
    };
    crate::csv::table(
        header.each_ref().map(String::as_str),
        encounters.into_iter().map(|e| {
            [
                e.id.to_string(),
                e.day.to_string(),
                e.time_band.as_str().to_owned(),
                words.time_band(e.time_band),
                e.site.to_string(),
                codebook.label(CodeList::Site, &e.site).to_owned(),
                e.kind.as_str().to_owned(),
                words.kind(e.kind),
                e.reach.as_str().to_owned(),
                words.reach(e.reach),
                codes(&e.topics),
                labels(CodeList::Topic, &e.topics),
                codes(&e.insights),
                labels(CodeList::Insight, &e.insights),
                codes(&e.needs),
                labels(CodeList::Need, &e.needs),
                joined(
                    e.free_tags
                        .iter()
                        .map(crate::privacy::free_tag::label)
                        .collect(),
                ),
                joined(
                    e.supplies
                        .iter()
                        .map(|s| format!("{}:{}", s.item, s.quantity.get()))
                        .collect(),
                ),
                joined(
                    e.supplies
                        .iter()
                        .map(|s| {
                            format!(
                                "{} × {}",
                                codebook.label(CodeList::Supply, &s.item),
                                s.quantity.get()
                            )
                        })
                        .collect(),
                ),
                codes(&e.referrals),
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
        let csv = to_csv([&e], &Codebook::harm_reduction_default(), &English);
        let mut lines = csv.split("\r\n");
        assert!(
            lines.next().unwrap().starts_with(
                "Entry,Date,Part of the day (code),Part of the day,Site or area (code),Site or area,How it happened (code)"
            )
        );
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(
                "a,2026-11-24,evening,Evening,van,Outreach van,outreach,Outreach,walk-in,Walk-in,naloxone,Naloxone,,,food; housing,Food; Housing,,"
            ),
            "{row}"
        );
        assert!(
            row.contains(
                ",needles-syringes:20,Needles and syringes × 20,drug-treatment,Drug treatment,"
            ),
            "{row}"
        );
        assert!(row.contains("\"strong, \"\"pink\"\" ones\""), "{row}");
        assert!(row.contains(",'=HYPERLINK(x),"), "{row}");
    }

    /// Words in another language, as the phone's translations give them.
    struct Shouting;

    impl CsvWords for Shouting {
        fn header(&self, field: CsvField) -> String {
            English.header(field).to_uppercase()
        }
        fn code_header(&self, field: CsvField) -> String {
            format!("{} #", self.header(field))
        }
        fn time_band(&self, band: TimeBand) -> String {
            band.label().to_uppercase()
        }
        fn kind(&self, kind: EncounterKind) -> String {
            kind.label().to_uppercase()
        }
        fn reach(&self, reach: Reach) -> String {
            reach.label().to_uppercase()
        }
    }

    #[test]
    fn csv_words_follow_the_reader_and_its_codes_and_dates_do_not() {
        let mut e = encounter("a", 24, &["housing"], "");
        e.referrals.insert(code("drug-treatment"));
        let book = Codebook::harm_reduction_default();
        let english = to_csv([&e], &book, &English);
        let other = to_csv([&e], &book, &Shouting);
        let (english_head, english_row) = english.split_once("\r\n").unwrap();
        let (other_head, other_row) = other.split_once("\r\n").unwrap();
        assert!(
            other_head.starts_with("ENTRY,DATE,PART OF THE DAY #,PART OF THE DAY,"),
            "{other_head}"
        );
        assert_eq!(
            english_head.split(',').count(),
            other_head.split(',').count()
        );
        assert!(other_row.contains(",evening,EVENING,"), "{other_row}");
        assert!(other_row.contains(",housing,Housing,"), "{other_row}");
        // Every column of codes and dates is the same whatever the words.
        let cells = |row: &str| row.split(',').map(str::to_owned).collect::<Vec<_>>();
        let (english_cells, other_cells) = (cells(english_row), cells(other_row));
        let heads = cells(english_head);
        for (at, head) in heads.iter().enumerate() {
            if head.ends_with("(code)") || head == "Date" || head == "Entry" {
                assert_eq!(english_cells[at], other_cells[at], "{head}");
            }
        }
    }
}
