//! The organization's codebook: the fixed vocabulary an encounter is recorded in.

use crate::language::{LanguageTag, best_match};
use crate::privacy::guard::{self, FlaggedText};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Longest code accepted, in bytes.
pub const MAX_CODE_LEN: usize = 40;

/// A codebook code: a short lowercase slug such as `naloxone` or `drug-checking`.
///
/// Codes are what travels to the service; labels stay in the codebook.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// Why a string is not a valid [`Code`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code is empty.
    #[error("a code cannot be empty")]
    Empty,
    /// The code is longer than [`MAX_CODE_LEN`].
    #[error("a code can be at most {MAX_CODE_LEN} characters long")]
    TooLong,
    /// The code contains something other than `a-z`, `0-9` and inner hyphens.
    #[error("a code may only contain a-z, 0-9 and single inner hyphens, found {0:?}")]
    InvalidCharacter(char),
}

impl Code {
    /// Parses a code, refusing anything that is not a lowercase slug.
    pub fn new(raw: &str) -> Result<Self, CodeError> {
        if raw.is_empty() {
            return Err(CodeError::Empty);
        }
        if raw.len() > MAX_CODE_LEN {
            return Err(CodeError::TooLong);
        }
        if let Some(bad) = raw
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(CodeError::InvalidCharacter(bad));
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(CodeError::InvalidCharacter('-'));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Code {
    /// A code made from a label: lowercase letters and digits, words joined by hyphens.
    /// The code's words, spaced, the first capitalized: how a free tag is read
    /// ("dental-care" is "Dental care").
    pub fn as_words(&self) -> String {
        let words = self.0.replace('-', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }

    pub fn from_label(label: &str) -> Result<Self, CodeError> {
        let slug = label
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let cut = slug
            .char_indices()
            .nth(MAX_CODE_LEN)
            .map_or(slug.len(), |(i, _)| i);
        Self::new(slug[..cut].trim_end_matches('-'))
    }
}

impl FromStr for Code {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for Code {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> Self {
        code.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The lists a codebook holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CodeList {
    /// Sites and outreach areas.
    Site,
    /// Knowledge the worker shared.
    Topic,
    /// Knowledge the contact shared.
    Insight,
    /// Emerging needs.
    Need,
    /// Supplies handed out.
    Supply,
    /// Kinds of service a contact is referred to.
    Referral,
}

impl CodeList {
    /// Every list, in form order.
    pub const ALL: [CodeList; 6] = [
        Self::Site,
        Self::Topic,
        Self::Insight,
        Self::Need,
        Self::Supply,
        Self::Referral,
    ];

    /// What a person calls this list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Site => "site",
            Self::Topic => "topic",
            Self::Insight => "insight",
            Self::Need => "need",
            Self::Supply => "supply",
            Self::Referral => "referral",
        }
    }
}

/// One code with the label a person reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodebookEntry {
    /// The stable code.
    pub code: Code,
    /// The human label.
    pub label: String,
    /// No longer offered for new entries; kept so past entries and counts still read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
    /// The code this one was merged into: its past counts count there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<Code>,
    /// The label in other languages than the codebook's own. Counts never see them: a code is
    /// a code in every language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<LanguageTag, String>,
}

impl CodebookEntry {
    /// The label to show someone who reads `languages`, best first, in a codebook written in
    /// `own`: the first of them the code has a label in, matched exactly or by language alone
    /// (`es-MX` reads `es`), else the label in the codebook's own language.
    pub fn label_for(&self, languages: &[LanguageTag], own: &LanguageTag) -> &str {
        let offered = std::iter::once((own, self.label.as_str())).chain(
            self.translations
                .iter()
                .map(|(tag, label)| (tag, label.as_str())),
        );
        best_match(languages, offered).map_or(&self.label, |(_, label)| label)
    }
}

/// Most codes one list may hold, retired ones included: keeps the buckets one encounter
/// touches well below a sync batch (see `protocol::MAX_BATCH`).
pub const MAX_CODES_PER_LIST: usize = 100;

/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 60;

/// Why a codebook cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodebookError {
    /// A list repeats a code.
    #[error("the {} list has the code {code} twice", list.label())]
    DuplicateCode {
        /// The list.
        list: CodeList,
        /// The repeated code.
        code: Code,
    },
    /// A label is empty or too long.
    #[error("the label of {code} in the {} list must be 1 to {MAX_LABEL_CHARS} characters", list.label())]
    BadLabel {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
    },
    /// A label holds a control character or an invisible one (a zero-width space or joiner, a
    /// bidi override, a direction mark...), so it could show other than it reads.
    #[error(
        "the label of {code} in the {} list holds a hidden character (U+{:04X}), such as a zero-width space or a direction mark: type the label again without it",
        list.label(),
        u32::from(*found)
    )]
    HiddenCharacter {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
        /// The first such character.
        found: char,
    },
    /// A list holds more than [`MAX_CODES_PER_LIST`] codes.
    #[error("the {} list has more than {MAX_CODES_PER_LIST} codes: retire and merge some", list.label())]
    TooManyCodes {
        /// The list.
        list: CodeList,
    },
    /// A translation is empty, too long or holds a hidden character.
    #[error(
        "the {language} label of {code} in the {} list {problem}",
        list.label()
    )]
    BadTranslation {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
        /// The translation's language.
        language: LanguageTag,
        /// What is wrong with it.
        problem: LabelProblem,
    },
    /// A list offers nothing.
    #[error("the {} list needs at least one code that is not retired", list.label())]
    EmptyList {
        /// The list.
        list: CodeList,
    },
}

/// What is wrong with a label's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelProblem {
    /// Empty or longer than [`MAX_LABEL_CHARS`].
    #[error("must be 1 to {MAX_LABEL_CHARS} characters")]
    Length,
    /// A control character or an invisible one.
    #[error(
        "holds a hidden character (U+{:04X}), such as a zero-width space or a direction mark: type it again without it",
        u32::from(*.0)
    )]
    Hidden(char),
}

impl LabelProblem {
    /// What is wrong with `label`, if anything.
    pub fn of(label: &str) -> Option<Self> {
        let len = label.trim().chars().count();
        if len == 0 || len > MAX_LABEL_CHARS {
            return Some(Self::Length);
        }
        crate::privacy::fold::hidden_character(label).map(Self::Hidden)
    }
}

/// An organization's versioned codebook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Raised on every change, so phones know when to fetch it again.
    pub version: u32,
    /// Sites and outreach areas.
    pub sites: Vec<CodebookEntry>,
    /// Knowledge the worker shares.
    pub topics: Vec<CodebookEntry>,
    /// Knowledge the contact shares.
    pub insights: Vec<CodebookEntry>,
    /// Emerging needs.
    pub needs: Vec<CodebookEntry>,
    /// Supplies handed out; codebooks written before this list existed get the default one.
    #[serde(default = "default_supplies")]
    pub supplies: Vec<CodebookEntry>,
    /// Kinds of service contacts are referred to; codebooks written before this list existed get
    /// the default one.
    #[serde(default = "default_referrals")]
    pub referrals: Vec<CodebookEntry>,
    /// The language the labels are written in; phones whose languages have no translation
    /// show these. Codebooks from before translations are English, and an English one leaves
    /// the field out, so phones that predate it still read the codebook.
    #[serde(
        default = "LanguageTag::english",
        skip_serializing_if = "LanguageTag::is_english"
    )]
    pub language: LanguageTag,
}

impl Codebook {
    /// The entries of one list.
    pub fn entries(&self, list: CodeList) -> &[CodebookEntry] {
        match list {
            CodeList::Site => &self.sites,
            CodeList::Topic => &self.topics,
            CodeList::Insight => &self.insights,
            CodeList::Need => &self.needs,
            CodeList::Supply => &self.supplies,
            CodeList::Referral => &self.referrals,
        }
    }

    /// Whether `code` belongs to `list`, retired or not: what past entries may carry.
    pub fn knows(&self, list: CodeList, code: &Code) -> bool {
        self.entries(list).iter().any(|e| &e.code == code)
    }

    /// Whether `code` may be chosen for a new entry.
    pub fn offers(&self, list: CodeList, code: &Code) -> bool {
        self.entries(list)
            .iter()
            .any(|e| &e.code == code && !e.retired)
    }

    /// The entries a form offers: every code not retired, in codebook order.
    pub fn offered(&self, list: CodeList) -> impl Iterator<Item = &CodebookEntry> {
        self.entries(list).iter().filter(|e| !e.retired)
    }

    /// Checks that every list offers something, repeats no code, and labels every code.
    pub fn check(&self) -> Result<(), CodebookError> {
        for list in CodeList::ALL {
            let entries = self.entries(list);
            if self.offered(list).next().is_none() {
                return Err(CodebookError::EmptyList { list });
            }
            if entries.len() > MAX_CODES_PER_LIST {
                return Err(CodebookError::TooManyCodes { list });
            }
            for (i, entry) in entries.iter().enumerate() {
                if entries[..i].iter().any(|e| e.code == entry.code) {
                    return Err(CodebookError::DuplicateCode {
                        list,
                        code: entry.code.clone(),
                    });
                }
                let len = entry.label.trim().chars().count();
                if len == 0 || len > MAX_LABEL_CHARS {
                    return Err(CodebookError::BadLabel {
                        list,
                        code: entry.code.clone(),
                    });
                }
                if let Some(found) = crate::privacy::fold::hidden_character(&entry.label) {
                    return Err(CodebookError::HiddenCharacter {
                        list,
                        code: entry.code.clone(),
                        found,
                    });
                }
                for (language, label) in &entry.translations {
                    if let Some(problem) = LabelProblem::of(label) {
                        return Err(CodebookError::BadTranslation {
                            list,
                            code: entry.code.clone(),
                            language: language.clone(),
                            problem,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// The code counts of `code` in `list` count as: the code it was merged into, or itself.
    pub fn current<'a>(&'a self, list: CodeList, code: &'a Code) -> &'a Code {
        self.entries(list)
            .iter()
            .find(|e| &e.code == code)
            .and_then(|e| e.merged_into.as_ref())
            .unwrap_or(code)
    }

    /// The label of `code` in `list`, or the code itself when the codebook does not know it.
    pub fn label<'a>(&'a self, list: CodeList, code: &'a Code) -> &'a str {
        self.entries(list)
            .iter()
            .find(|e| &e.code == code)
            .map_or(code.as_str(), |e| e.label.as_str())
    }

    /// The label of `code` in `list` for someone who reads `languages`, best first, falling
    /// back to the codebook's own language, then to the code itself.
    pub fn label_for<'a>(
        &'a self,
        list: CodeList,
        code: &'a Code,
        languages: &[LanguageTag],
    ) -> &'a str {
        self.entries(list)
            .iter()
            .find(|e| &e.code == code)
            .map_or(code.as_str(), |e| e.label_for(languages, &self.language))
    }

    /// The codebook as someone who reads `languages` sees it: every label in the best of
    /// them it has. What a phone shows; codes, and so counts, are the same in every language.
    pub fn shown_in(&self, languages: &[LanguageTag]) -> Self {
        let mut shown = self.clone();
        for list in CodeList::ALL {
            for entry in shown.entries_mut(list) {
                entry.label = entry.label_for(languages, &self.language).to_owned();
            }
        }
        shown
    }

    /// The harm-reduction codebook every organization starts from.
    pub fn harm_reduction_default() -> Self {
        Self {
            version: 1,
            sites: entries(&[
                ("drop-in", "Drop-in centre"),
                ("van", "Outreach van"),
                ("street", "Street outreach"),
                ("online", "Online"),
            ]),
            topics: entries(&[
                ("safer-use", "Safer use"),
                ("overdose-response", "Overdose response"),
                ("naloxone", "Naloxone"),
                ("drug-checking", "Drug checking"),
                ("hepatitis-c", "Hepatitis C"),
                ("hiv-prep", "HIV / PrEP"),
                ("wound-care", "Wound care"),
                ("housing", "Housing"),
                ("mental-health", "Mental health"),
                ("legal", "Legal rights"),
            ]),
            insights: entries(&[
                ("market-change", "Drug market change"),
                ("new-substance", "New substance"),
                ("adverse-reaction", "Adverse reaction"),
                ("service-gap", "Service gap"),
                ("policing", "Policing"),
                ("network-news", "Network news"),
            ]),
            needs: entries(&[
                ("housing", "Housing"),
                ("food", "Food"),
                ("detox", "Detox / treatment"),
                ("wound-care", "Wound care"),
                ("mental-health", "Mental health"),
                ("testing", "Testing (HIV, hep C)"),
                ("legal-aid", "Legal aid"),
                ("id-documents", "ID documents"),
            ]),
            supplies: default_supplies(),
            referrals: default_referrals(),
            language: LanguageTag::english(),
        }
    }
}

/// One change a manager makes to the codebook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "edit", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CodebookEdit {
    /// A new code in `list`, its code made from the label.
    Add {
        /// The list.
        list: CodeList,
        /// What people read.
        label: String,
    },
    /// A new label for a code; the code, and so every past count, stays.
    Rename {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
        /// The new label.
        label: String,
    },
    /// No longer offered for new entries; past entries and counts still read.
    Retire {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
    },
    /// Offered again.
    Restore {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
    },
    /// A free tag workers used becomes a need in the codebook, keeping its code; its past
    /// counts as a free tag count as that need.
    Promote {
        /// The free tag.
        tag: Code,
    },
    /// Two codes that mean the same: `code` is retired and its past counts count as `into`.
    /// Restoring `code` undoes the merge.
    Merge {
        /// The list.
        list: CodeList,
        /// The code merged away.
        code: Code,
        /// The code it is merged into, offered and not merged itself.
        into: Code,
    },
    /// The label of a code in another language, added or replaced.
    Translate {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
        /// The translation's language, not the codebook's own.
        language: LanguageTag,
        /// The label in that language.
        label: String,
    },
    /// A code's label in one language taken away: that language shows the codebook's own.
    Untranslate {
        /// The list.
        list: CodeList,
        /// The code.
        code: Code,
        /// The language.
        language: LanguageTag,
    },
    /// The language the labels are written in. Codes translated into it take that
    /// translation as their label and keep the old label as a translation in the old
    /// language; codes without one keep their label, the fallback for every language.
    SetLanguage {
        /// The new language.
        language: LanguageTag,
    },
}

impl CodebookEdit {
    /// What kind of change it is, naming none of its words: what an audit log may keep of it.
    pub fn change(&self) -> CodebookChange {
        match self {
            Self::Add { .. } => CodebookChange::Add,
            Self::Rename { .. } => CodebookChange::Rename,
            Self::Retire { .. } => CodebookChange::Retire,
            Self::Restore { .. } => CodebookChange::Restore,
            Self::Promote { .. } => CodebookChange::Promote,
            Self::Merge { .. } => CodebookChange::Merge,
            Self::Translate { .. } => CodebookChange::Translate,
            Self::Untranslate { .. } => CodebookChange::Untranslate,
            Self::SetLanguage { .. } => CodebookChange::SetLanguage,
        }
    }
}

/// Why an edit cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodebookEditError {
    /// The label makes no code.
    #[error("the label must contain letters or digits")]
    NoCode(#[from] CodeError),
    /// The code is already in the list.
    #[error("the {} list already has {code}", list.label())]
    Exists {
        /// The code.
        code: Code,
        /// The list.
        list: CodeList,
    },
    /// The code is not in the list.
    #[error("the {} list has no code {code}", list.label())]
    Missing {
        /// The code.
        code: Code,
        /// The list.
        list: CodeList,
    },
    /// A merge into itself, or into a retired code.
    #[error(
        "{code} cannot be merged into {into}: pick another entry of the list that is still offered"
    )]
    BadMerge {
        /// The code merged away.
        code: Code,
        /// The code asked for.
        into: Code,
    },
    /// A translation in the codebook's own language: that is the label, renamed instead.
    #[error(
        "the codebook is written in {language}: rename the code to change its {language} label"
    )]
    OwnLanguage {
        /// The codebook's language.
        language: LanguageTag,
    },
    /// A new label or translation reads as something that identifies a person: labels go to
    /// every phone.
    #[error("{0}")]
    Identifying(FlaggedText),
    /// The result would not be a usable codebook.
    #[error(transparent)]
    Invalid(#[from] CodebookError),
}

impl Codebook {
    fn entries_mut(&mut self, list: CodeList) -> &mut Vec<CodebookEntry> {
        match list {
            CodeList::Site => &mut self.sites,
            CodeList::Topic => &mut self.topics,
            CodeList::Insight => &mut self.insights,
            CodeList::Need => &mut self.needs,
            CodeList::Supply => &mut self.supplies,
            CodeList::Referral => &mut self.referrals,
        }
    }

    /// The codebook after `edit` (same version: the service raises it when storing).
    pub fn edited(&self, edit: &CodebookEdit) -> Result<Self, CodebookEditError> {
        let mut book = self.clone();
        let find = |book: &mut Self, list: CodeList, code: &Code| {
            let position = book.entries(list).iter().position(|e| &e.code == code);
            position.ok_or_else(|| CodebookEditError::Missing {
                code: code.clone(),
                list,
            })
        };
        let typed = match edit {
            CodebookEdit::Add { label, .. }
            | CodebookEdit::Rename { label, .. }
            | CodebookEdit::Translate { label, .. } => Some(label),
            _ => None,
        };
        if let Some(label) = typed {
            guard::check(label).map_err(CodebookEditError::Identifying)?;
        }
        match edit {
            CodebookEdit::Add { list, label } => {
                let code = Code::from_label(label)?;
                book.add(*list, code, label)?;
            }
            CodebookEdit::Promote { tag } => {
                book.add(CodeList::Need, tag.clone(), &tag.as_words())?;
            }
            CodebookEdit::Rename { list, code, label } => {
                let i = find(&mut book, *list, code)?;
                book.entries_mut(*list)[i].label = label.trim().to_owned();
            }
            CodebookEdit::Retire { list, code } => {
                let i = find(&mut book, *list, code)?;
                book.entries_mut(*list)[i].retired = true;
            }
            CodebookEdit::Restore { list, code } => {
                let i = find(&mut book, *list, code)?;
                let entry = &mut book.entries_mut(*list)[i];
                entry.retired = false;
                entry.merged_into = None;
            }
            CodebookEdit::Merge { list, code, into } => {
                let i = find(&mut book, *list, code)?;
                let target = find(&mut book, *list, into)?;
                if i == target || book.entries(*list)[target].retired {
                    return Err(CodebookEditError::BadMerge {
                        code: code.clone(),
                        into: into.clone(),
                    });
                }
                // Codes merged into this one follow it, so a merge is never a chain.
                for entry in book.entries_mut(*list) {
                    if entry.merged_into.as_ref() == Some(code) || entry.code == *code {
                        entry.merged_into = Some(into.clone());
                        entry.retired = true;
                    }
                }
            }
            CodebookEdit::Translate {
                list,
                code,
                language,
                label,
            } => {
                if *language == book.language {
                    return Err(CodebookEditError::OwnLanguage {
                        language: language.clone(),
                    });
                }
                let i = find(&mut book, *list, code)?;
                book.entries_mut(*list)[i]
                    .translations
                    .insert(language.clone(), label.trim().to_owned());
            }
            CodebookEdit::Untranslate {
                list,
                code,
                language,
            } => {
                let i = find(&mut book, *list, code)?;
                book.entries_mut(*list)[i].translations.remove(language);
            }
            CodebookEdit::SetLanguage { language } => {
                let old = std::mem::replace(&mut book.language, language.clone());
                for list in CodeList::ALL {
                    for entry in book.entries_mut(list) {
                        if let Some(label) = entry.translations.remove(language) {
                            let before = std::mem::replace(&mut entry.label, label);
                            entry.translations.insert(old.clone(), before);
                        }
                    }
                }
            }
        }
        book.check()?;
        Ok(book)
    }

    fn add(&mut self, list: CodeList, code: Code, label: &str) -> Result<(), CodebookEditError> {
        if self.knows(list, &code) {
            return Err(CodebookEditError::Exists { code, list });
        }
        let mut label = label.trim().to_owned();
        if let Some(first) = label.get(..1) {
            label = first.to_uppercase() + &label[1..];
        }
        self.entries_mut(list).push(CodebookEntry {
            code,
            label,
            retired: false,
            merged_into: None,
            translations: BTreeMap::new(),
        });
        Ok(())
    }
}

fn default_supplies() -> Vec<CodebookEntry> {
    entries(&[
        ("needles-syringes", "Needles and syringes"),
        ("naloxone-kit", "Naloxone kit"),
        ("safer-smoking-kit", "Safer smoking kit"),
        ("fentanyl-test-strips", "Fentanyl test strips"),
        ("sharps-container", "Sharps container"),
        ("wound-care-kit", "Wound care kit"),
        ("condoms", "Condoms and lube"),
        ("food-water", "Food or water"),
    ])
}

fn default_referrals() -> Vec<CodebookEntry> {
    entries(&[
        ("primary-care", "Doctor or health clinic"),
        ("drug-treatment", "Drug treatment"),
        ("mental-health-service", "Mental health service"),
        ("housing-service", "Housing service"),
        ("testing-service", "HIV or hep C testing"),
        ("legal-service", "Legal service"),
        ("income-support", "Income support"),
    ])
}

fn entries(pairs: &[(&str, &str)]) -> Vec<CodebookEntry> {
    pairs
        .iter()
        .map(|(code, label)| CodebookEntry {
            merged_into: None,
            code: Code::new(code).expect("built-in codes are valid slugs"),
            label: (*label).to_owned(),
            retired: false,
            translations: BTreeMap::new(),
        })
        .collect()
}

/// A kind of codebook change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodebookChange {
    /// A code added.
    Add,
    /// A code's label changed.
    Rename,
    /// A code retired.
    Retire,
    /// A retired code brought back.
    Restore,
    /// A free tag promoted into the codebook.
    Promote,
    /// A code merged into another.
    Merge,
    /// A label translated.
    Translate,
    /// A translation taken away.
    Untranslate,
    /// The codebook's languages changed.
    SetLanguage,
    /// A whole codebook imported on the command line.
    Import,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_accepts_lowercase_slugs() {
        assert_eq!(
            Code::new("drug-checking").unwrap().as_str(),
            "drug-checking"
        );
        assert_eq!(Code::new("hiv2").unwrap().as_str(), "hiv2");
    }

    #[test]
    fn code_refuses_what_is_not_a_slug() {
        assert_eq!(Code::new(""), Err(CodeError::Empty));
        assert_eq!(Code::new("Naloxone"), Err(CodeError::InvalidCharacter('N')));
        assert_eq!(Code::new("a b"), Err(CodeError::InvalidCharacter(' ')));
        assert_eq!(Code::new("-x"), Err(CodeError::InvalidCharacter('-')));
        assert_eq!(Code::new("a--b"), Err(CodeError::InvalidCharacter('-')));
        assert_eq!(Code::new(&"a".repeat(41)), Err(CodeError::TooLong));
    }

    #[test]
    fn code_deserialization_validates() {
        let bad: Result<Code, _> = serde_json::from_str("\"Bad Code\"");
        assert!(bad.unwrap_err().to_string().contains("a-z"));
        let good: Code = serde_json::from_str("\"food\"").unwrap();
        assert_eq!(good.as_str(), "food");
    }

    #[test]
    fn default_codebook_has_every_list_filled_without_duplicates() {
        let book = Codebook::harm_reduction_default();
        for list in CodeList::ALL {
            let entries = book.entries(list);
            assert!(!entries.is_empty(), "{list:?} is empty");
            let mut codes: Vec<_> = entries.iter().map(|e| &e.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), entries.len(), "{list:?} repeats a code");
        }
    }

    #[test]
    fn codebooks_saved_before_supplies_and_referrals_get_the_default_lists() {
        let mut old = serde_json::to_value(Codebook::harm_reduction_default()).unwrap();
        let object = old.as_object_mut().unwrap();
        object.remove("supplies");
        object.remove("referrals");
        let book: Codebook = serde_json::from_value(old).unwrap();
        assert_eq!(book.check(), Ok(()));
        assert!(book.offers(CodeList::Supply, &Code::new("naloxone-kit").unwrap()));
        assert!(book.offers(CodeList::Referral, &Code::new("drug-treatment").unwrap()));
    }

    #[test]
    fn managers_add_rename_retire_restore_and_promote_codes() {
        let book = Codebook::harm_reduction_default();
        let added = book
            .edited(&CodebookEdit::Add {
                list: CodeList::Need,
                label: "Dental care / teeth".into(),
            })
            .unwrap();
        let dental = Code::new("dental-care-teeth").unwrap();
        assert!(added.offers(CodeList::Need, &dental));
        assert_eq!(
            added.edited(&CodebookEdit::Add {
                list: CodeList::Need,
                label: "dental care teeth".into()
            }),
            Err(CodebookEditError::Exists {
                code: dental.clone(),
                list: CodeList::Need
            })
        );
        let renamed = added
            .edited(&CodebookEdit::Rename {
                list: CodeList::Need,
                code: dental.clone(),
                label: "Dental care".into(),
            })
            .unwrap();
        assert_eq!(renamed.label(CodeList::Need, &dental), "Dental care");
        let retired = renamed
            .edited(&CodebookEdit::Retire {
                list: CodeList::Need,
                code: dental.clone(),
            })
            .unwrap();
        assert!(retired.knows(CodeList::Need, &dental) && !retired.offers(CodeList::Need, &dental));
        let restored = retired
            .edited(&CodebookEdit::Restore {
                list: CodeList::Need,
                code: dental.clone(),
            })
            .unwrap();
        assert!(restored.offers(CodeList::Need, &dental));
        let tag = Code::new("sleeping-bags").unwrap();
        let promoted = book
            .edited(&CodebookEdit::Promote { tag: tag.clone() })
            .unwrap();
        assert_eq!(promoted.label(CodeList::Need, &tag), "Sleeping bags");
        assert!(matches!(
            book.edited(&CodebookEdit::Add {
                list: CodeList::Site,
                label: " / ".into()
            }),
            Err(CodebookEditError::NoCode(_))
        ));
        // Retiring every site would leave nothing to choose: refused.
        let mut one_site = book.clone();
        one_site.sites.truncate(1);
        let only = one_site.sites[0].code.clone();
        assert!(matches!(
            one_site.edited(&CodebookEdit::Retire {
                list: CodeList::Site,
                code: only
            }),
            Err(CodebookEditError::Invalid(_))
        ));
    }

    #[test]
    fn merged_codes_count_as_their_target_until_restored() {
        let code = |s| Code::new(s).unwrap();
        let merge = |code: Code, into: Code| CodebookEdit::Merge {
            list: CodeList::Need,
            code,
            into,
        };
        let book = Codebook::harm_reduction_default()
            .edited(&CodebookEdit::Add {
                list: CodeList::Need,
                label: "Shelter".into(),
            })
            .unwrap();
        let merged = book
            .edited(&merge(code("shelter"), code("housing")))
            .unwrap();
        assert_eq!(
            merged.current(CodeList::Need, &code("shelter")),
            &code("housing")
        );
        assert!(!merged.offers(CodeList::Need, &code("shelter")));
        assert_eq!(merged.current(CodeList::Need, &code("food")), &code("food"));
        // Merging the target on keeps every merge one step long.
        let again = merged
            .edited(&merge(code("housing"), code("food")))
            .unwrap();
        assert_eq!(
            again.current(CodeList::Need, &code("shelter")),
            &code("food")
        );
        assert_eq!(
            again.current(CodeList::Need, &code("housing")),
            &code("food")
        );
        // Into itself, or into a code no longer offered: refused with a reason.
        assert!(matches!(
            merged.edited(&merge(code("food"), code("food"))),
            Err(CodebookEditError::BadMerge { .. })
        ));
        let refused = merged
            .edited(&merge(code("food"), code("shelter")))
            .unwrap_err();
        assert!(refused.to_string().contains("still offered"), "{refused}");
        assert!(matches!(
            merged.edited(&merge(code("food"), code("nowhere"))),
            Err(CodebookEditError::Missing { .. })
        ));
        let restored = merged
            .edited(&CodebookEdit::Restore {
                list: CodeList::Need,
                code: code("shelter"),
            })
            .unwrap();
        assert_eq!(
            restored.current(CodeList::Need, &code("shelter")),
            &code("shelter")
        );
        assert!(restored.offers(CodeList::Need, &code("shelter")));
    }

    #[test]
    fn label_falls_back_to_the_code_for_unknown_codes() {
        let book = Codebook::harm_reduction_default();
        let naloxone = Code::new("naloxone").unwrap();
        assert_eq!(book.label(CodeList::Topic, &naloxone), "Naloxone");
        let retired = Code::new("retired-thing").unwrap();
        assert_eq!(book.label(CodeList::Topic, &retired), "retired-thing");
        assert!(!book.knows(CodeList::Need, &naloxone));
    }

    #[test]
    fn retired_codes_are_known_but_no_longer_offered() {
        let mut book = Codebook::harm_reduction_default();
        book.needs[0].retired = true;
        let retired = book.needs[0].code.clone();
        assert!(book.knows(CodeList::Need, &retired));
        assert!(!book.offers(CodeList::Need, &retired));
        assert!(!book.offered(CodeList::Need).any(|e| e.code == retired));
        assert_eq!(book.label(CodeList::Need, &retired), "Housing");
        assert_eq!(book.check(), Ok(()));
    }

    #[test]
    fn broken_codebooks_are_refused() {
        let book = Codebook::harm_reduction_default();
        assert_eq!(book.check(), Ok(()));
        let mut dup = book.clone();
        dup.topics.push(dup.topics[0].clone());
        assert!(matches!(
            dup.check(),
            Err(CodebookError::DuplicateCode { .. })
        ));
        let mut unlabeled = book.clone();
        unlabeled.sites[0].label = " ".into();
        assert!(matches!(
            unlabeled.check(),
            Err(CodebookError::BadLabel { .. })
        ));
        let mut hidden = book.clone();
        hidden.sites[0].label = "Van\u{200B}".into();
        assert!(matches!(
            hidden.check(),
            Err(CodebookError::HiddenCharacter {
                found: '\u{200B}',
                ..
            })
        ));
        let mut empty = book;
        empty.sites.iter_mut().for_each(|e| e.retired = true);
        assert_eq!(
            empty.check(),
            Err(CodebookError::EmptyList {
                list: CodeList::Site
            })
        );
    }

    #[test]
    fn labels_with_control_bidi_or_zero_width_characters_are_refused() {
        let book = Codebook::harm_reduction_default();
        for (label, found) in [
            ("Shel\u{200B}ter", '\u{200B}'),
            ("Shelter\u{2060}", '\u{2060}'),
            ("\u{202E}retlehS", '\u{202E}'),
            ("Shelter \u{2066}now\u{2069}", '\u{2066}'),
            ("Shelter\u{200F}", '\u{200F}'),
            ("Shel\u{00AD}ter", '\u{00AD}'),
            ("Shelter\u{FEFF}", '\u{FEFF}'),
            ("Shel\tter", '\t'),
            ("Shelter\u{7}", '\u{7}'),
        ] {
            let add = CodebookEdit::Add {
                list: CodeList::Need,
                label: label.into(),
            };
            let refused = book.edited(&add);
            assert!(
                matches!(
                    &refused,
                    Err(CodebookEditError::Invalid(CodebookError::HiddenCharacter {
                        list: CodeList::Need,
                        found: f,
                        ..
                    })) if *f == found
                ),
                "{label:?}: {refused:?}"
            );
        }
        let housing = Code::new("housing").unwrap();
        let rename = CodebookEdit::Rename {
            list: CodeList::Need,
            code: housing,
            label: "Hous\u{2060}ing".into(),
        };
        let err = book.edited(&rename).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the label of housing in the need list holds a hidden character (U+2060), such as a zero-width space or a direction mark: type the label again without it"
        );
        // Accents, other scripts and emoji show as themselves.
        for label in [
            "Vivienda o albergue",
            "سكن",
            "Logement d'urgence",
            "🩹 Plaster",
            // Persian spells with the zero-width non-joiner; emoji sequences use the joiner.
            "می\u{200C}خواهم",
            "🧑\u{200D}⚕️ Nurse",
        ] {
            let rename = CodebookEdit::Rename {
                list: CodeList::Need,
                code: Code::new("housing").unwrap(),
                label: label.into(),
            };
            assert!(book.edited(&rename).is_ok(), "{label}");
        }
    }

    fn tag(raw: &str) -> LanguageTag {
        LanguageTag::new(raw).unwrap()
    }

    fn translate(list: CodeList, code: &str, language: &str, label: &str) -> CodebookEdit {
        CodebookEdit::Translate {
            list,
            code: Code::new(code).unwrap(),
            language: tag(language),
            label: label.into(),
        }
    }

    #[test]
    fn a_code_shows_in_the_best_language_it_has_and_falls_back_to_the_codebooks_own() {
        let book = Codebook::harm_reduction_default()
            .edited(&translate(CodeList::Need, "housing", "es", "Vivienda"))
            .unwrap()
            .edited(&translate(CodeList::Need, "housing", "pt-BR", "Moradia"))
            .unwrap()
            .edited(&translate(CodeList::Need, "housing", "ar", "سكن"))
            .unwrap();
        let housing = Code::new("housing").unwrap();
        let shown = |languages: &[&str]| {
            let languages: Vec<LanguageTag> = languages.iter().map(|l| tag(l)).collect();
            book.label_for(CodeList::Need, &housing, &languages)
                .to_owned()
        };
        assert_eq!(shown(&["es"]), "Vivienda");
        assert_eq!(shown(&["es-MX", "en"]), "Vivienda");
        assert_eq!(shown(&["pt-PT"]), "Moradia");
        assert_eq!(shown(&["ar"]), "سكن");
        assert_eq!(shown(&["fr", "es"]), "Vivienda");
        assert_eq!(shown(&["en-GB", "es"]), "Housing");
        assert_eq!(shown(&["fr"]), "Housing");
        assert_eq!(shown(&[]), "Housing");
        // A code with no translation shows its own label in every language.
        let food = Code::new("food").unwrap();
        assert_eq!(book.label_for(CodeList::Need, &food, &[tag("es")]), "Food");
        let spanish = book.shown_in(&[tag("es")]);
        assert_eq!(spanish.label(CodeList::Need, &housing), "Vivienda");
        assert_eq!(spanish.label(CodeList::Need, &food), "Food");
    }

    #[test]
    fn counts_never_depend_on_the_language_a_phone_shows() {
        use crate::bucket::{BucketKey, Buckets, Measure};
        use crate::encounter::{Encounter, EncounterId, EncounterKind, Reach, TimeBand};
        use std::collections::BTreeSet;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let book = Codebook::harm_reduction_default()
            .edited(&translate(CodeList::Topic, "naloxone", "es", "Naloxona"))
            .unwrap();
        // Two phones, one in Spanish and one in English, each tap the label they read.
        let mut recorded = Vec::new();
        for (phone, languages, label) in [
            ("es-phone", vec![tag("es")], "Naloxona"),
            ("en-phone", vec![tag("en")], "Naloxone"),
        ] {
            let shown = book.shown_in(&languages);
            let tapped = shown
                .offered(CodeList::Topic)
                .find(|e| e.label == label)
                .expect("the phone shows the label");
            recorded.push(Encounter {
                id: EncounterId::new(phone).unwrap(),
                day,
                time_band: TimeBand::Evening,
                site: Code::new("van").unwrap(),
                kind: EncounterKind::Outreach,
                reach: Reach::WalkIn,
                topics: [tapped.code.clone()].into(),
                insights: BTreeSet::new(),
                needs: BTreeSet::new(),
                free_tags: BTreeSet::new(),
                supplies: Vec::new(),
                referrals: BTreeSet::new(),
                insight_note: None,
                share_insight_note: false,
                private_note: None,
                codebook_version: book.version,
            });
        }
        assert_eq!(recorded[0].counts(), recorded[1].counts());
        let naloxone = BucketKey {
            day,
            site: Code::new("van").unwrap(),
            measure: Measure::Topic(Code::new("naloxone").unwrap()),
        };
        assert_eq!(Buckets::of(&recorded).get(&naloxone), 2);
    }

    #[test]
    fn translations_pass_the_checks_labels_pass() {
        let book = Codebook::harm_reduction_default();
        for (label, problem) in [
            ("", LabelProblem::Length),
            (&*"x".repeat(MAX_LABEL_CHARS + 1), LabelProblem::Length),
            ("Vivi\u{200B}enda", LabelProblem::Hidden('\u{200B}')),
        ] {
            let refused = book.edited(&translate(CodeList::Need, "housing", "es", label));
            assert!(
                matches!(
                    &refused,
                    Err(CodebookEditError::Invalid(CodebookError::BadTranslation { problem: p, .. }))
                        if *p == problem
                ),
                "{label:?}: {refused:?}"
            );
        }
        for identifying in ["se llama Lupita", "llamar al 612 34 56 78", "اسمه يوسف"] {
            let refused = book.edited(&translate(CodeList::Need, "housing", "es", identifying));
            assert!(
                matches!(refused, Err(CodebookEditError::Identifying(_))),
                "{identifying}"
            );
        }
        let renamed = book.edited(&CodebookEdit::Rename {
            list: CodeList::Need,
            code: Code::new("housing").unwrap(),
            label: "Maria Lopez".into(),
        });
        assert!(matches!(renamed, Err(CodebookEditError::Identifying(_))));
        assert!(matches!(
            book.edited(&translate(CodeList::Need, "nowhere", "es", "Nada")),
            Err(CodebookEditError::Missing { .. })
        ));
        assert_eq!(
            book.edited(&translate(CodeList::Need, "housing", "en", "Homes")),
            Err(CodebookEditError::OwnLanguage {
                language: LanguageTag::english()
            })
        );
    }

    #[test]
    fn a_new_default_language_swaps_in_its_translations_and_keeps_the_old_labels() {
        let book = Codebook::harm_reduction_default()
            .edited(&translate(CodeList::Need, "housing", "es", "Vivienda"))
            .unwrap()
            .edited(&CodebookEdit::SetLanguage {
                language: tag("es"),
            })
            .unwrap();
        let housing = Code::new("housing").unwrap();
        assert_eq!(book.language, tag("es"));
        assert_eq!(book.label(CodeList::Need, &housing), "Vivienda");
        assert_eq!(
            book.label_for(CodeList::Need, &housing, &[tag("en")]),
            "Housing"
        );
        let untranslated = book
            .edited(&CodebookEdit::Untranslate {
                list: CodeList::Need,
                code: housing.clone(),
                language: tag("en"),
            })
            .unwrap();
        assert_eq!(
            untranslated.label_for(CodeList::Need, &housing, &[tag("en")]),
            "Vivienda"
        );
    }

    #[test]
    fn codebooks_stored_before_translations_read_as_english_and_english_ones_write_as_before() {
        let mut old = serde_json::to_value(Codebook::harm_reduction_default()).unwrap();
        assert!(old.get("language").is_none());
        assert!(old["needs"][0].get("translations").is_none());
        old.as_object_mut().unwrap().remove("supplies");
        let book: Codebook = serde_json::from_value(old).unwrap();
        assert_eq!(book.language, LanguageTag::english());
        let translated = book
            .edited(&translate(CodeList::Need, "housing", "fr", "Logement"))
            .unwrap();
        let json = serde_json::to_value(&translated).unwrap();
        assert_eq!(json["needs"][0]["translations"]["fr"], "Logement");
        let back: Codebook = serde_json::from_value(json).unwrap();
        assert_eq!(back, translated);
        let mut bad = serde_json::to_value(&translated).unwrap();
        bad["needs"][0]["translations"]["french"] = "Logement".into();
        assert!(serde_json::from_value::<Codebook>(bad).is_err());
    }
}
