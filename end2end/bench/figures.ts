// Where a benchmark file leaves its figures for scripts/bench to collect.
import { appendFileSync } from "node:fs";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  method: string;
}

export function record(figure: Figure) {
  const out = process.env.PEERPULSE_BENCH_OUT;
  if (!out) throw new Error("PEERPULSE_BENCH_OUT is not set: run benchmarks with scripts/bench");
  appendFileSync(out, JSON.stringify(figure) + "\n");
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
