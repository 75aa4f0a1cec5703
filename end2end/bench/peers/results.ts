// Turns the peers bench's loads into what a reader acts on: medians, ratios to PeerPulse, the
// floor of the link fitted as a line (ms = a + b · KiB), and the breakdown of one first load.
import type { Load } from "./measure";

/** The measured loads of one app. */
export interface Measured {
  key: string;
  name: string;
  label: string;
  loads: Load[];
}

/** A straight line through (x, y) points by least squares. */
export interface Line {
  intercept: number;
  slope: number;
}

export function fitLine(points: { x: number; y: number }[]): Line {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The load whose time to usable is the median one (the lower middle for an even count). */
export function medianLoad(loads: Load[]): Load {
  const sorted = [...loads].sort((a, b) => a.usable - b.usable);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number | null) => (value === null ? "–" : value.toFixed(0));
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/** The requests of one load and what each cost, for the breakdown. */
export function resourceTable(load: Load): string[] {
  const lines = [
    row(["request", "on the wire (KiB)", "body as sent / as used (KiB)", "start (ms)", "first byte (ms)", "done (ms)", "took (ms)", "done before usable"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---"]),
  ];
  for (const f of [...load.fetched].sort((a, b) => a.start - b.start)) {
    lines.push(
      row([
        `\`${f.path}\``,
        kib(f.wire),
        `${kib(f.encoded)} / ${kib(f.decoded)}`,
        ms(f.start),
        ms(f.firstByte),
        ms(f.end),
        ms(f.end - f.start),
        f.end <= load.usable ? "yes" : "no",
      ]),
    );
  }
  return lines;
}

/** The moments of one load in order, each with the time since the one before. */
export function timeline(load: Load, wasmCompileMs: number | null): string[] {
  const moments: { what: string; at: number }[] = [];
  const add = (what: string, at: number | null) => at !== null && moments.push({ what, at });
  for (const f of load.fetched) add(`\`${f.path}\` arrived`, f.end);
  for (const span of load.wasm) {
    add(`${span.what} called`, span.start);
    add(`${span.what} done (compiled and instantiated)`, span.end);
  }
  add("app started (TrunkApplicationStarted: main() ran)", load.appStarted);
  add("first contentful paint", load.firstContentfulPaint);
  for (const span of load.storage) {
    add(`${span.what} called`, span.start);
    add(`${span.what} succeeded`, span.end);
  }
  add("**note field usable**", load.usable);
  add("**Save encounter enabled**", load.saveEnabled);
  moments.sort((a, b) => a.at - b.at);
  const lines = [row(["moment", "at (ms)", "since the one before (ms)"]), row(["---", "---:", "---:"])];
  let before = 0;
  for (const m of moments) {
    lines.push(row([m.what, ms(m.at), ms(m.at - before)]));
    before = m.at;
  }
  if (wasmCompileMs !== null) {
    lines.push(
      "",
      `WebAssembly.compile of the same .wasm from bytes in memory: ${ms(wasmCompileMs)} ms (median). The CPU slowdown throttles the page's main thread only and V8 compiles wasm on background threads, lazily (a function is compiled when first called, inside main()), so this is a lower bound of what a phone spends, not the phone's figure.`,
    );
  }
  return lines;
}
