// PeerPulse's worker app beside the tools it replaces and beside the floor of the link, in one
// run, on one phone profile (Slow 4G, 4x CPU, fresh profile, no HTTP cache), every app served by
// the same static server with the same brotli compression (peers/static-server.ts). Rounds
// alternate the apps, so drift on a shared machine falls on all of them alike; the ratios are
// the figures to read, the absolute times drift from run to run.
//
// Writes bench/results/peers/<time>.json (every load) and <time>.md (the table, the ratios, what
// is not like for like, and the breakdown of PeerPulse's median first load).
import { test } from "@playwright/test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { record } from "./figures";
import { CPU_SLOWDOWN, SLOW_4G } from "./phone";
import { PEERPULSE, PEERS } from "./peers/contenders";
import { firstLoad, floorLoad, wasmCompile } from "./peers/measure";
import { fitLine, median, medianLoad, type Measured, resourceTable, timeline } from "./peers/results";
import { serve } from "./peers/static-server";

const RUNS = 5;
/** Sizes of the floor page's one request; the fit over them gives ms per KiB. */
const FLOOR_KIB = [0, 100, 200, 400];

const METHOD = `${RUNS} rounds, each a fresh browser profile per load, apps alternating; Slow 4G (${SLOW_4G.latency} ms latency, 1.4 Mbit/s) and ${CPU_SLOWDOWN}x CPU slowdown via DevTools, HTTP cache off; every app served by one static server, text brotli 11; usable = the form's note field visible, enabled and not read-only (seen from inside the page on each DOM change and frame), then a typed key must land in it; bytes = Resource Timing transferSize (body as sent plus headers) of the page and every request done before usable; all = everything fetched until the network was quiet`;

const NOT_LIKE_FOR_LIKE = [
  "ODK Web Forms and Enketo are general form engines: they parse an XForm (ODK at run time in the browser; Enketo from HTML and a model an XSLT transform made ahead, as Enketo Express does on its server) and carry widgets this form never uses. PeerPulse's form is compiled for its one purpose. That generality is what the peers pay for; it is also what they offer.",
  "PeerPulse's usable moment comes after it opens IndexedDB (its entries, drafts and outbox) and restores a kept draft; the peers here store nothing. Save encounter enabled is PeerPulse's own, stricter moment, kept beside it.",
  "PeerPulse's page is its whole offline app (router, Log, History, Sync, Settings); each peer page is only a form renderer, with no storage, sync or submission to a server. An ODK Central or Enketo Express page around the same engine loads more.",
  "Each peer gets the form inline in its script (no request for it), which spares it a round trip a real server would cost.",
  "PeerPulse registers a service worker once started, which caches its files in the background on the same link; the peers have none. Its requests are not counted in the bytes (they are not the page's), but they share the link.",
  "Enketo is enketo-core 8.1.0, not 9.0.1: 9.0.1 needs openrosa-xpath-evaluator 3.2.0, which the npm registry does not have, and every version needs its own fork of Leaflet.draw from GitHub, replaced here by the registry's leaflet-draw 1.0.4 (an npm override; only the unused drawing widget uses it).",
  "DevTools' CPU slowdown throttles each page's main thread only. Work V8 does on background threads (compiling wasm, and compiling large scripts off the main thread) runs at this machine's speed for every app, so a phone pays more than measured, and more for the apps with more code.",
  "The floor is an empty page whose one request fetches N KiB of random (incompressible) bytes: two round trips plus the bytes, with nothing to run. It is a limit of the link, not an app.",
];

test("PeerPulse beside ODK Web Forms, Enketo and the floor of the link, phone profile", async ({ browser }) => {
  const end2end = resolve(__dirname, "..");
  const dist = resolve(end2end, "../dist");
  const peersDist = join(__dirname, "peers/dist");
  const pages = [join(dist, "index.html"), ...PEERS.map((p) => join(peersDist, p.path, "index.html"))];
  for (const page of pages.filter((p) => !existsSync(p))) {
    throw new Error(`${page} is not built: run scripts/bench, which builds it`);
  }
  const wasmFile = readdirSync(dist).find((f) => f.endsWith("_bg.wasm"));
  const { urls, stop } = await serve({ peerpulse: { files: dist }, peers: { files: peersDist }, floor: { floor: true } });
  const measured: Measured[] = [PEERPULSE, ...PEERS].map((app) => ({ key: app.key, name: app.name, label: app.label, loads: [] }));
  const floor: { kib: number; ms: number }[] = [];
  const compile: number[] = [];
  try {
    for (let round = 0; round < RUNS; round++) {
      measured[0].loads.push(await firstLoad(browser, `${urls.peerpulse}/`, PEERPULSE));
      for (const [i, peer] of PEERS.entries()) {
        measured[i + 1].loads.push(await firstLoad(browser, `${urls.peers}${peer.path}`, peer));
      }
      for (const kib of FLOOR_KIB) floor.push({ kib, ms: await floorLoad(browser, urls.floor, kib) });
      if (wasmFile) compile.push(await wasmCompile(browser, urls.peerpulse, `/${wasmFile}`));
    }
  } finally {
    await stop();
  }

  const line = fitLine(floor.map((f) => ({ x: f.kib, y: f.ms })));
  const floorAt = (bytes: number) => line.intercept + line.slope * (bytes / 1024);
  const summary = measured.map((m) => {
    const bytes = median(m.loads.map((l) => l.bytesToUsable));
    return {
      key: m.key,
      name: m.name,
      label: m.label,
      bytes,
      bytesAll: median(m.loads.map((l) => l.bytesAll)),
      usable: median(m.loads.map((l) => l.usable)),
      usableMax: Math.max(...m.loads.map((l) => l.usable)),
      fcp: median(m.loads.map((l) => l.firstContentfulPaint ?? NaN)),
      floor: floorAt(bytes),
    };
  });
  const ours = summary[0];

  for (const s of summary) {
    const method = `${s.label}; ${METHOD}`;
    record({ name: `peers: ${s.name}, bytes to usable`, value: s.bytes / 1024, unit: "KiB", method });
    record({ name: `peers: ${s.name}, note usable p50`, value: s.usable, unit: "ms", method });
    if (s !== ours) {
      record({ name: `peers: ${s.name} ÷ PeerPulse, bytes`, value: s.bytes / ours.bytes, unit: "×", method });
      record({ name: `peers: ${s.name} ÷ PeerPulse, note usable`, value: s.usable / ours.usable, unit: "×", method });
    }
  }
  const floorMethod = `empty page whose one request fetches N KiB of random bytes, N in ${FLOOR_KIB.join(", ")}, ${RUNS} rounds, same phone profile and server; least-squares line ms = a + b·KiB`;
  record({ name: "floor: empty page + one request", value: line.intercept, unit: "ms", method: floorMethod });
  record({ name: "floor: each further 100 KiB", value: line.slope * 100, unit: "ms", method: floorMethod });
  record({ name: "floor at PeerPulse's bytes to usable", value: ours.floor, unit: "ms", method: floorMethod });
  record({ name: "PeerPulse ÷ floor at its bytes, note usable", value: ours.usable / ours.floor, unit: "×", method: floorMethod });
  if (compile.length) {
    record({
      name: "PeerPulse wasm compile from memory p50",
      value: median(compile),
      unit: "ms",
      method: "WebAssembly.compile of the release .wasm, bytes already in memory; V8 compiles on background threads, which the DevTools CPU slowdown does not slow, and lazily, so a lower bound",
    });
  }

  const at = new Date().toISOString();
  const out = resolve(end2end, "../bench/results/peers");
  mkdirSync(out, { recursive: true });
  const stamp = at.replace(/[:.]/g, "-");
  writeFileSync(
    join(out, `${stamp}.json`),
    JSON.stringify({ at, method: METHOD, floorMethod, notLikeForLike: NOT_LIKE_FOR_LIKE, summary, floor: { samples: floor, line }, wasmCompileMs: compile, loads: measured }, null, 2) + "\n",
  );
  const typical = medianLoad(measured[0].loads);
  const md = [
    `# PeerPulse beside its peers, ${at}`,
    "",
    METHOD + ".",
    "",
    "| app | on the wire to usable (KiB) | × PeerPulse | all fetched (KiB) | note usable p50 (ms) | max (ms) | × PeerPulse | first paint p50 (ms) | floor at its bytes (ms) | × floor |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...summary.map(
      (s) =>
        `| ${s.label} | ${(s.bytes / 1024).toFixed(1)} | ${(s.bytes / ours.bytes).toFixed(2)} | ${(s.bytesAll / 1024).toFixed(1)} | ${s.usable.toFixed(0)} | ${s.usableMax.toFixed(0)} | ${(s.usable / ours.usable).toFixed(2)} | ${s.fcp.toFixed(0)} | ${s.floor.toFixed(0)} | ${(s.usable / s.floor).toFixed(2)} |`,
    ),
    "",
    `PeerPulse's "Save encounter" enabled, p50: ${median(measured[0].loads.map((l) => l.saveEnabled ?? NaN)).toFixed(0)} ms.`,
    "",
    `**The floor of the link** (${floorMethod}): an empty page plus one request takes ${line.intercept.toFixed(0)} ms; each further 100 KiB costs ${(line.slope * 100).toFixed(0)} ms.`,
    "",
    "| request size (KiB) | p50 (ms) |",
    "| ---: | ---: |",
    ...FLOOR_KIB.map((k) => `| ${k} | ${median(floor.filter((f) => f.kib === k).map((f) => f.ms)).toFixed(0)} |`),
    "",
    "## Not like for like",
    "",
    ...NOT_LIKE_FOR_LIKE.map((n) => `- ${n}`),
    "",
    `## Where PeerPulse's first load goes (its median load: ${typical.usable.toFixed(0)} ms, ${(typical.bytesToUsable / 1024).toFixed(1)} KiB to usable)`,
    "",
    ...resourceTable(typical),
    "",
    ...timeline(typical, compile.length ? median(compile) : null),
    "",
  ].join("\n");
  writeFileSync(join(out, `${stamp}.md`), md);
  console.log(md);
});
