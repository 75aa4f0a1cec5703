// Update cost: the bytes a worker's phone downloads when it opens the app after a new version
// was deployed, until the service worker has the new version cached and ready. Counted on the
// wire by a proxy between the browser and the real service, so the page's fetches, the service
// worker's own fetches and the browser's check of sw.js are all in the count.
//
// The next version is made from the built dist/ without recompiling (see ../support/next-version.ts):
// a code change (wasm + js) or a CSS-only change.
// A deploy replaces every file of the site, as copying a new build does: every file gets the
// deploy's modification time, changed or not. One more case keeps the times of the files that
// did not change, as a deploy that copies only changed files would.
//
// Writes the figures into the bench table and bench/results/update/<time>.json (every request).
import { test } from "@playwright/test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { record } from "./figures";
import { onPhone } from "./phone";
import {
  cachedVersionIs,
  CountingProxy,
  deploy,
  type Fetched,
  type Kind,
  nextVersion,
  openApp,
  startService,
} from "../support/next-version";

const end2end = resolve(__dirname, "..");
const DIST = resolve(end2end, "../dist");
const DAY = 24 * 3600;

interface Case {
  name: string;
  kind: Kind;
  keepUnchangedTimes: boolean;
}

const CASES: Case[] = [
  { name: "code change (wasm + js)", kind: "code", keepUnchangedTimes: false },
  { name: "CSS-only change", kind: "css", keepUnchangedTimes: false },
  { name: "code change, unchanged files keep their times", kind: "code", keepUnchangedTimes: true },
];

const brSize = (dir: string, file: string) => statSync(join(dir, `${file}.br`)).size;
const sum = (xs: Fetched[]) => xs.reduce((n, f) => n + f.bytes, 0);
const kib = (n: number) => n / 1024;

test("update cost: bytes downloaded when a new version is deployed", async ({ browser }) => {
  const root = mkdtempSync(join(tmpdir(), "peerpulse-update-"));
  const current = join(root, "current");
  cpSync(DIST, current, { recursive: true });
  const site = join(root, "site");
  mkdirSync(site);
  const now = Math.floor(Date.now() / 1000);
  deploy(current, site, now - 2 * DAY);
  const { child, port } = await startService(site, join(root, "data"));
  const proxy = new CountingProxy(port);
  const url = await proxy.listen();
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      const next = join(root, `next-${c.kind}`);
      rmSync(next, { recursive: true, force: true });
      const changed = nextVersion(current, next, c.kind);
      deploy(current, site, now - 2 * DAY);
      const context = await browser.newContext({ locale: "en-GB", serviceWorkers: "allow" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await onPhone(cdp);
      // A phone keeps its HTTP cache between opens; only the link and CPU are the phone's.
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });

      // The current version installed: first load, then the service worker's caching.
      proxy.reset();
      await openApp(page, url);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await cachedVersionIs(page, readFileSync(join(current, "index.html"), "utf8"));
      await proxy.quiet();
      const install = [...proxy.fetched];

      // An open with no new version, for comparison.
      proxy.reset();
      await openApp(page, url);
      await proxy.quiet();
      const sameOpen = [...proxy.fetched];

      // The deploy, then the open that brings the new version.
      deploy(next, site, now - DAY, (rel) => c.keepUnchangedTimes && !changed.includes(rel.replace(/\.(br|gz)$/, "")));
      proxy.reset();
      await openApp(page, url);
      await cachedVersionIs(page, readFileSync(join(next, "index.html"), "utf8"));
      await proxy.quiet();
      const update = [...proxy.fetched];
      await context.close();

      const minimum = changed.reduce((n, f) => n + brSize(next, f), 0);
      const changedPaths = changed.map((f) => (f === "index.html" ? "/" : `/${f}`));
      const unchangedFetched = update.filter(
        (f) => f.status === 200 && !changedPaths.includes(f.path) && f.path !== "/index.html",
      );
      results.push({
        case: c.name,
        changed,
        minimumBrotliBytes: minimum,
        installBytes: sum(install),
        openWithoutNewVersionBytes: sum(sameOpen),
        updateBytes: sum(update),
        unchangedFilesDownloadedAgain: unchangedFetched.map((f) => `${f.path} (${f.bytes} B)`),
        install,
        openWithoutNewVersion: sameOpen,
        update,
      });
      const method = `a phone (fresh Chromium profile, HTTP cache on, en-GB) installs the current build, then opens the app once after a deploy of the next version (${c.kind === "code" ? "the wasm with a custom section appended and the js with a comment, new hashed names and SRI in index.html" : "a comment appended to the stylesheet, new hashed name and SRI"}${c.keepUnchangedTimes ? "; unchanged files keep their modification times" : "; every file re-copied, new modification times"}); every response the page, the service worker and the browser's sw.js check get, counted on the wire (headers + body) by a proxy in front of the real service, until the service worker's cache holds the new version and the link is quiet 3 s`;
      record({ name: `update download, ${c.name}`, value: kib(sum(update)), unit: "KiB", method });
      record({
        name: `update minimum, ${c.name}`,
        value: kib(minimum),
        unit: "KiB",
        method: `the brotli 11 copies of the files that changed (index.html and ${c.kind === "code" ? "the wasm and its JavaScript" : "the stylesheet"}), bodies only: what an update that fetches only changed files would download`,
      });
      if (c.kind === "code" && !c.keepUnchangedTimes) {
        record({
          name: "open with no new version, download",
          value: kib(sum(sameOpen)),
          unit: "KiB",
          method: "the same phone opening the installed app again with nothing deployed in between, counted on the wire like the update",
        });
      }
    }
  } finally {
    proxy.close();
    child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  }
  const out = resolve(end2end, "../bench/results/update");
  mkdirSync(out, { recursive: true });
  const file = join(out, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  for (const r of results) {
    console.log(
      `${r.case}: update ${(kib(r.updateBytes as number)).toFixed(1)} KiB on the wire, minimum ${kib(r.minimumBrotliBytes as number).toFixed(1)} KiB; downloaded again although unchanged: ${(r.unchangedFilesDownloadedAgain as string[]).join(", ") || "nothing"}`,
    );
  }
});
