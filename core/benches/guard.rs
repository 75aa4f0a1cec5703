//! The free-text guard's cost per note, over the notes of `tests/guard_corpus` (identifying
//! and plain), with the name lexicon loaded. Native code on this machine; the phone runs the
//! same code compiled to wasm. Prints a table; with `PEERPULSE_BENCH_OUT` set (as
//! `scripts/bench` does) appends the figures.

use peerpulse_core::privacy::guard;
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

fn record(name: &str, value: f64, unit: &str, method: &str) {
    println!("{name:<40} {value:>10.4} {unit:<3} {method}");
    if let Ok(path) = std::env::var("PEERPULSE_BENCH_OUT") {
        let line =
            serde_json::json!({"name": name, "value": value, "unit": unit, "method": method});
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("open the figures file");
        writeln!(file, "{line}").expect("write a figure");
    }
}

fn main() {
    let notes: Vec<&str> = [
        include_str!("../tests/guard_corpus/identifying.txt"),
        include_str!("../tests/guard_corpus/plain.txt"),
    ]
    .iter()
    .flat_map(|text| text.lines())
    .filter(|line| !line.is_empty() && !line.starts_with('#'))
    .collect();
    let started = Instant::now();
    black_box(guard::check("loads the lexicon: Maria Lopez").is_err());
    record(
        "guard: first note (parses the lexicon)",
        started.elapsed().as_secs_f64() * 1000.0,
        "ms",
        "one guard::check including the one-time parse of core/data/names.txt, native release build",
    );
    let mut per_note: Vec<f64> = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        for note in &notes {
            black_box(guard::check(black_box(note)).is_err());
        }
        per_note.push(started.elapsed().as_secs_f64() * 1000.0 / notes.len() as f64);
    }
    per_note.sort_by(f64::total_cmp);
    let median = per_note[per_note.len() / 2];
    record(
        "guard: time per note",
        median,
        "ms",
        &format!(
            "median of 20 rounds over the {} corpus notes, guard::check, native release build",
            notes.len()
        ),
    );
    let longest = "Told John Smith about the new site, call 0412 345 678. ".repeat(5);
    let started = Instant::now();
    for _ in 0..1_000 {
        black_box(guard::check(black_box(&longest)).is_err());
    }
    record(
        "guard: a 280-character note",
        started.elapsed().as_secs_f64(),
        "ms",
        "mean of 1,000 guard::check of a note at the offered-note limit, native release build",
    );
}
