//! Aggregation cost in the browser: recounting every bucket from 100,000 entries and the
//! bucket moves of one save, in the same wasm the phone runs, in headless Chromium (a worker). Run by
//! `scripts/bench` with wasm-bindgen-test-runner, which prints criterion's estimates.
#![cfg(target_arch = "wasm32")]

#[path = "../core/benches/sample_entries.rs"]
mod sample_entries;

use peerpulse_core::bucket::{Buckets, changes};
use std::hint::black_box;
use std::time::Duration;
use wasm_bindgen_test::{Criterion, wasm_bindgen_bench, wasm_bindgen_test_configure};

// In a dedicated worker: a recount holds its thread for a while, and the page the runner
// polls must stay responsive meanwhile. The wasm engine is the same.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[wasm_bindgen_bench]
fn recount(c: &mut Criterion) {
    // A recount takes a fifth of a second: ten samples keep the run well under a minute.
    *c = std::mem::take(c)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(16));
    let all = sample_entries::entries();
    c.bench_function("recount buckets of 100,000 entries (wasm)", |b| {
        b.iter(|| Buckets::of(black_box(&all)))
    });
    let mut next = all.iter().cycle();
    c.bench_function("bucket moves of one save (wasm)", |b| {
        b.iter(|| changes(None, Some(black_box(next.next().expect("cycled")))))
    });
}
