//! The guard against notes written as field workers write them: how many identifying notes it
//! refuses (recall) and how many plain notes it wrongly flags (false alarms), overall and in
//! each language.
//!
//! The notes live in `guard_corpus/`, one a line: `identifying.txt` and `plain.txt` at the top
//! are mostly English, with a few notes in other languages; `es/`, `fr/`, `pt/` and `ar/` hold
//! notes in Spanish, French, Portuguese and Arabic. Run with `-- --nocapture` to see the figures
//! and every miss.

use peerpulse_core::privacy::guard;

/// Most identifying notes the guard may let through, and most plain notes it may flag.
const MIN_RECALL: f64 = 0.90;
const MAX_FALSE_ALARMS: f64 = 0.05;

/// One language's notes.
struct Corpus {
    language: &'static str,
    identifying: Vec<&'static str>,
    plain: Vec<&'static str>,
}

/// What the guard made of one language's notes.
struct Figures {
    missed: Vec<&'static str>,
    alarms: Vec<String>,
    identifying: usize,
    plain: usize,
}

impl Figures {
    fn recall(&self) -> f64 {
        1.0 - self.missed.len() as f64 / self.identifying as f64
    }

    fn false_alarms(&self) -> f64 {
        self.alarms.len() as f64 / self.plain as f64
    }

    fn line(&self, language: &str) -> String {
        format!(
            "{language}: recall {:.1}% ({} of {} identifying notes refused), false alarms {:.1}% ({} of {} plain notes)",
            self.recall() * 100.0,
            self.identifying - self.missed.len(),
            self.identifying,
            self.false_alarms() * 100.0,
            self.alarms.len(),
            self.plain
        )
    }
}

fn notes(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

fn corpora() -> Vec<Corpus> {
    macro_rules! corpus {
        ($language:literal, $dir:literal) => {
            Corpus {
                language: $language,
                identifying: notes(include_str!(concat!(
                    "guard_corpus/",
                    $dir,
                    "identifying.txt"
                ))),
                plain: notes(include_str!(concat!("guard_corpus/", $dir, "plain.txt"))),
            }
        };
    }
    vec![
        corpus!("en", ""),
        corpus!("es", "es/"),
        corpus!("fr", "fr/"),
        corpus!("pt", "pt/"),
        corpus!("ar", "ar/"),
    ]
}

fn figures(identifying: &[&'static str], plain: &[&'static str]) -> Figures {
    Figures {
        missed: identifying
            .iter()
            .copied()
            .filter(|note| guard::check(note).is_ok())
            .collect(),
        alarms: plain
            .iter()
            .filter_map(|note| guard::check(note).err())
            .map(|flagged| flagged.to_string())
            .collect(),
        identifying: identifying.len(),
        plain: plain.len(),
    }
}

#[test]
fn the_guard_catches_identifying_notes_and_passes_plain_ones_in_every_language() {
    let corpora = corpora();
    let mut failures = Vec::new();
    let (mut all_identifying, mut all_plain) = (Vec::new(), Vec::new());
    for corpus in &corpora {
        let minimum = if corpus.language == "en" { 200 } else { 30 };
        assert!(
            corpus.identifying.len() >= minimum && corpus.plain.len() >= minimum,
            "{}: fewer than {minimum} notes of a kind",
            corpus.language
        );
        let figures = figures(&corpus.identifying, &corpus.plain);
        for note in &figures.missed {
            println!("{} missed: {note}", corpus.language);
        }
        for alarm in &figures.alarms {
            println!("{} false alarm: {alarm}", corpus.language);
        }
        println!("{}", figures.line(corpus.language));
        if figures.recall() < MIN_RECALL || figures.false_alarms() > MAX_FALSE_ALARMS {
            failures.push(figures.line(corpus.language));
        }
        all_identifying.extend(&corpus.identifying);
        all_plain.extend(&corpus.plain);
    }
    let overall = figures(&all_identifying, &all_plain);
    println!("{}", overall.line("all"));
    if overall.recall() < MIN_RECALL || overall.false_alarms() > MAX_FALSE_ALARMS {
        failures.push(overall.line("all"));
    }
    assert!(
        failures.is_empty(),
        "under {:.0}% recall or over {:.0}% false alarms:\n{}",
        MIN_RECALL * 100.0,
        MAX_FALSE_ALARMS * 100.0,
        failures.join("\n")
    );
}
