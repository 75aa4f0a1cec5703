//! What the service benches share: printing a figure and handing it to `scripts/bench`.

use std::io::Write;

/// Prints one figure and, with `PEERPULSE_BENCH_OUT` set (as `scripts/bench` does), appends it
/// there as a JSON line.
pub fn record(name: &str, value: f64, unit: &str, method: &str) {
    println!("{name:<48} {value:>12.1} {unit:<6} {method}");
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
