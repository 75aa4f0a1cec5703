//! The words of a folded text as the guard reads them: each with its place in the text, so a
//! finding can point at what was typed.

/// A whitespace-separated word with surrounding punctuation trimmed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'a> {
    /// The word, trimmed.
    pub text: &'a str,
    /// Where it starts in the text, in bytes.
    pub start: usize,
    /// Whether a sentence starts with it: first in the text, or after `.`, `!`, `?`, `:`, `;`
    /// or a line break (a period after a lone initial, as in "J. Morales", ends nothing).
    pub opens_sentence: bool,
    /// Whether a comma or other punctuation stands between it and the word before.
    pub after_pause: bool,
}

impl Word<'_> {
    /// The byte after its last.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The word in lowercase.
    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }

    /// Whether it starts with a capital, as names do ("NA", "HIV": acronyms do not count).
    pub fn is_capitalized(&self) -> bool {
        let first_upper = self.text.chars().next().is_some_and(char::is_uppercase);
        let acronym = self.text.chars().count() <= 4 && !self.text.chars().any(char::is_lowercase);
        first_upper && (!acronym || self.text.chars().count() == 1)
    }

    /// How many ASCII digits it holds.
    pub fn digits(&self) -> usize {
        self.text.chars().filter(char::is_ascii_digit).count()
    }

    /// How many letters it holds.
    pub fn letters(&self) -> usize {
        self.text.chars().filter(|c| c.is_alphabetic()).count()
    }

    /// A single capital letter: an initial ("J" of "J. Morales").
    pub fn is_initial(&self) -> bool {
        let mut chars = self.text.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
    }
}

/// The words of `text`, in order.
pub(crate) fn words(text: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    let mut offset = 0;
    for raw in text.split_whitespace() {
        let start = offset
            + text[offset..]
                .find(raw)
                .expect("split_whitespace yields substrings");
        offset = start + raw.len();
        let trim = |c: char| !(c.is_alphanumeric() || c == '@' || c == '+');
        let trimmed = raw.trim_start_matches(trim);
        let lead = raw.len() - trimmed.len();
        let trimmed = trimmed.trim_end_matches(trim);
        if trimmed.is_empty() {
            continue;
        }
        let start = start + lead;
        let (opens_sentence, after_pause) = match out.last() {
            None => (true, false),
            Some(before) => {
                let between = &text[before.end()..start];
                let stop = between.contains(['.', '!', '?', ':', ';', '\n']);
                let initial = before.is_initial() && between.trim_start().starts_with('.');
                (
                    stop && !initial,
                    between.chars().any(|c| !c.is_whitespace()) && !initial,
                )
            }
        };
        out.push(Word {
            text: trimmed,
            start,
            opens_sentence,
            after_pause,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_open_after_stops_but_not_after_initials() {
        let text = "Saw J. Morales today. Then, Ana";
        let opens: Vec<(&str, bool, bool)> = words(text)
            .iter()
            .map(|w| (w.text, w.opens_sentence, w.after_pause))
            .collect();
        assert_eq!(
            opens,
            vec![
                ("Saw", true, false),
                ("J", false, false),
                ("Morales", false, false),
                ("today", false, false),
                ("Then", true, true),
                ("Ana", false, true),
            ]
        );
    }

    #[test]
    fn acronyms_are_not_capitalized_words() {
        let caps: Vec<bool> = words("NA HIV Ana ANDERSON a J")
            .iter()
            .map(Word::is_capitalized)
            .collect();
        assert_eq!(caps, vec![false, false, true, true, false, true]);
    }
}
