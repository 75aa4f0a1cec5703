//! The guard against notes written as field workers write them: how many identifying notes it
//! refuses (recall) and how many plain notes it wrongly flags (false alarms).
//!
//! The notes live in `guard_corpus/identifying.txt` and `guard_corpus/plain.txt`, one a line.
//! Run with `-- --nocapture` to see the figures and every miss.

use peerpulse_core::privacy::guard;

fn notes(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

#[test]
fn the_guard_catches_identifying_notes_and_passes_plain_ones() {
    let identifying = notes(include_str!("guard_corpus/identifying.txt"));
    let plain = notes(include_str!("guard_corpus/plain.txt"));
    assert!(identifying.len() >= 200 && plain.len() >= 200);

    let missed: Vec<&str> = identifying
        .iter()
        .copied()
        .filter(|note| guard::check(note).is_ok())
        .collect();
    let alarms: Vec<String> = plain
        .iter()
        .filter_map(|note| guard::check(note).err())
        .map(|flagged| flagged.to_string())
        .collect();
    for note in &missed {
        println!("missed: {note}");
    }
    for alarm in &alarms {
        println!("false alarm: {alarm}");
    }
    let recall = 1.0 - missed.len() as f64 / identifying.len() as f64;
    let false_alarms = alarms.len() as f64 / plain.len() as f64;
    println!(
        "recall {:.1}% ({} of {} identifying notes refused), false alarms {:.1}% ({} of {} plain notes)",
        recall * 100.0,
        identifying.len() - missed.len(),
        identifying.len(),
        false_alarms * 100.0,
        alarms.len(),
        plain.len()
    );
    assert!(recall >= 0.90, "recall {recall:.3} is under 90%");
    assert!(
        false_alarms <= 0.05,
        "false alarms {false_alarms:.3} are over 5%"
    );
}
