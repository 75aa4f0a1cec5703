// Collects one benchmark run: the PWA's weight from dist/ (as scripts/build-pwa leaves it) plus
// the figures the bench files wrote, stores them as bench/results/<time>.json and prints them
// beside the previous run.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [distDir, figuresFile, resultsDir] = process.argv.slice(2);

function weight() {
  // The pages other than Log are chunks fetched after the form is usable: index.html lists
  // them in its <template id="later-pages"> (scripts/place-wasm-chunks.mjs).
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const template = /<template id="later-pages">([\s\S]*?)<\/template>/.exec(html);
  const later = new Set(template ? [...template[1].matchAll(/href="\/([^"]+)"/g)].map((m) => m[1]) : []);
  const built = readdirSync(distDir).filter((f) => /\.(wasm|js|css)$/.test(f) && f !== "sw.js");
  const first = built.filter((f) => !later.has(f));
  const size = (file) => statSync(join(distDir, file)).size;
  const total = (files) => {
    let raw = 0;
    let gzip = 0;
    let brotli = 0;
    // The compressed copies scripts/build-pwa wrote beside each file: the bytes the service sends.
    for (const file of files) {
      raw += size(file);
      gzip += size(`${file}.gz`);
      brotli += size(`${file}.br`);
    }
    return { raw, gzip, brotli };
  };
  const { raw, gzip, brotli } = total(first);
  const method = `release build: ${first.join(", ")} (first load; the service worker script and the later pages excluded); compressed sizes are the .gz and .br copies the service sends`;
  const figures = [
    { name: "PWA weight, raw", value: raw / 1024, unit: "KiB", method },
    { name: "PWA weight, gzip -9", value: gzip / 1024, unit: "KiB", method },
    { name: "PWA weight, brotli 11", value: brotli / 1024, unit: "KiB", method },
  ];
  if (later.size > 0) {
    const rest = total([...later]);
    figures.push({
      name: "pages other than Log, fetched after the form, brotli 11",
      value: rest.brotli / 1024,
      unit: "KiB",
      method: `release build: ${[...later].join(", ")}, fetched once the form is usable (src/later_pages.rs)`,
    });
  }
  return [...figures, ...languages()];
}

// The first load carries English only; another language is one more file, fetched when a
// worker's language needs it (locales/<tag>.json, sent brotli-compressed).
function languages() {
  const dir = join(distDir, "locales");
  const method = "dist/locales/<tag>.json.br: the extra bytes a worker in that language downloads once after the first load (English is built into the wasm)";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "en.json")
    .sort()
    .map((f) => ({
      name: `language ${f.replace(".json", "")}, extra over the first load, brotli 11`,
      value: statSync(join(dir, `${f}.br`)).size / 1024,
      unit: "KiB",
      method,
    }));
}

const measured = readFileSync(figuresFile, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const run = { at: new Date().toISOString(), figures: [...weight(), ...measured] };

mkdirSync(resultsDir, { recursive: true });
const earlier = readdirSync(resultsDir).filter((f) => f.endsWith(".json")).sort();
const previous = earlier.length
  ? JSON.parse(readFileSync(join(resultsDir, earlier[earlier.length - 1]), "utf8"))
  : null;
const file = join(resultsDir, `${run.at.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(run, null, 2) + "\n");

const rows = run.figures.map((f) => {
  const before = previous?.figures.find((p) => p.name === f.name);
  const change = before
    ? `${f.value >= before.value ? "+" : ""}${(((f.value - before.value) / before.value) * 100).toFixed(1)}%`
    : "new";
  return [f.name, `${f.value.toFixed(1)} ${f.unit}`, change, f.method];
});
const header = ["figure", "value", "vs previous", "method"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(" | ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
rows.forEach((r) => console.log(line(r)));
console.log(`\nStored in ${file}${previous ? `; compared with ${earlier[earlier.length - 1]}` : ""}.`);
