//! Aggregation cost: recounting every bucket from 100,000 entries, and the bucket moves of one
//! save. Native code on this machine (the phone runs the same code compiled to wasm). Prints
//! a table; with `PEERPULSE_BENCH_OUT` set (as `scripts/bench` does) appends the figures.

use peerpulse_core::bucket::{Buckets, changes};
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

#[path = "sample_entries.rs"]
mod sample_entries;

use sample_entries::entries;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn record(name: &str, value: f64, unit: &str, method: &str) {
    println!("{name:<40} {value:>10.3} {unit:<3} {method}");
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
    let all = entries();
    let full: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            black_box(Buckets::of(black_box(&all)));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    record(
        "recount buckets of 100,000 entries",
        median(full),
        "ms",
        "median of 5, Buckets::of over 100,000 entries (a year, 4 sites, supplies), native release build",
    );
    let one: Vec<f64> = all
        .iter()
        .take(10_000)
        .map(|e| {
            let started = Instant::now();
            black_box(changes(None, Some(black_box(e))));
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    record(
        "bucket moves of one save",
        median(one),
        "ms",
        "median of 10,000 saves, bucket::changes(None, entry), native release build",
    );
}
