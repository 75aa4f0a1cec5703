// Reads the output of the wasm benches (wasm-bindgen-test's criterion) on stdin, echoes it, and
// appends each benchmark's central estimate to the figures file named by PEERPULSE_BENCH_OUT.
import { appendFileSync, readFileSync } from "node:fs";

const METHOD =
  "criterion in wasm-bindgen-test (central estimate of 10 samples), release wasm in headless Chromium (a dedicated worker); same entries as the native bench";
const TO_MS = { ns: 1e-6, "µs": 1e-3, us: 1e-3, ms: 1, s: 1000 };

const text = readFileSync(0, "utf8");
process.stdout.write(text);
const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
const found = [...plain.matchAll(/^(\S[^\n]*?)\s*\n\s*time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]/gm)];
if (found.length === 0) throw new Error("no benchmark estimates in the wasm bench output");
for (const [, name, value, unit] of found) {
  if (!(unit in TO_MS)) throw new Error(`unknown time unit ${unit} for ${name}`);
  const figure = { name: name.trim(), value: Number(value) * TO_MS[unit], unit: "ms", method: METHOD };
  appendFileSync(process.env.PEERPULSE_BENCH_OUT, JSON.stringify(figure) + "\n");
}
