// An update downloads what changed, not the whole app again: after a deploy that changes only
// the stylesheet (every file re-copied, so every modification time is new), a phone with the
// app installed fetches the new stylesheet and the shell, never the wasm or its JavaScript,
// which its service worker already holds under the same hashed names (public/sw.js).
// The service runs here on its own copy of dist/, behind a proxy that sees every request the
// page, the service worker and the browser make (support/next-version.ts; the bench
// bench/update.bench.ts measures the bytes).
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  cachedVersionIs,
  CountingProxy,
  deploy,
  type Kind,
  nextVersion,
  openApp,
  startService,
} from "../support/next-version";

const DAY = 24 * 3600;

/** The shell of the version in `dir`. */
const shellIn = (dir: string) => readFileSync(join(dir, "index.html"), "utf8");

/** A phone with the current build installed, and the next version ready to deploy. */
interface InstalledPhone {
  context: BrowserContext;
  page: Page;
  url: string;
  proxy: CountingProxy;
  /** The installed version's files. */
  current: string;
  /** The next version's files. */
  next: string;
  /** The files the next version changes, as `nextVersion` names them. */
  changed: string[];
  /** Deploys the next version (every file re-copied, a day later) and opens the app again,
   *  the proxy counting afresh from the deploy on. */
  deployAndReopen: () => Promise<void>;
}

/**
 * Runs `body` on a phone that has installed the built app from the service (its own copy of
 * dist/, behind a counting proxy) and has its service worker's cache filled, with the next
 * version of kind `kind` made beside it; stops and removes everything afterwards.
 */
async function onInstalledPhone(browser: Browser, kind: Kind, body: (phone: InstalledPhone) => Promise<void>) {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), "peerpulse-update-test-"));
  const current = join(root, "current");
  cpSync(resolve(__dirname, "../../dist"), current, { recursive: true });
  const next = join(root, "next");
  const changed = nextVersion(current, next, kind);
  const site = join(root, "site");
  mkdirSync(site);
  const now = Math.floor(Date.now() / 1000);
  deploy(current, site, now - 2 * DAY);
  const { child, port } = await startService(site, join(root, "data"));
  const proxy = new CountingProxy(port);
  const url = await proxy.listen();
  const context = await browser.newContext({ locale: "en-GB", serviceWorkers: "allow" });
  try {
    const page = await context.newPage();
    await openApp(page, url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await cachedVersionIs(page, shellIn(current));
    const deployAndReopen = async () => {
      deploy(next, site, now - DAY);
      proxy.reset();
      await openApp(page, url);
    };
    await body({ context, page, url, proxy, current, next, changed, deployAndReopen });
  } finally {
    await context.close();
    proxy.close();
    child.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  }
}

test("a CSS-only update fetches the new stylesheet, not the unchanged wasm and JavaScript", async ({ browser }) => {
  await onInstalledPhone(browser, "css", async ({ page, proxy, current, next, changed, deployAndReopen }) => {
    await proxy.quiet(1500);

    await deployAndReopen();
    await cachedVersionIs(page, shellIn(next));
    await proxy.quiet(1500);

    const downloaded = proxy.fetched.filter((f) => f.status === 200).map((f) => f.path);
    const unchanged = readdirSync(current)
      .filter((f) => /^peerpulse-[0-9a-f]{1,16}(_bg\.wasm|\.js)$/.test(f))
      .map((f) => `/${f}`);
    expect(unchanged).toHaveLength(2);
    expect(downloaded).toContain(`/${changed.find((f) => f.endsWith(".css"))}`);
    for (const path of unchanged) expect(downloaded).not.toContain(path);
  });
});

// The main module, and a later page's chunk (src/later_pages.rs), which the service worker
// keeps and checks the same way.
for (const [kind, what] of [
  ["same-names", "the wasm"],
  ["same-names-chunk", "a later page's chunk"],
] as const) {
  test(`a rebuild that changes ${what} but not its name reaches the phone: the cached copy is checked against the shell's integrity`, async ({
    browser,
  }) => {
    await onInstalledPhone(browser, kind, async ({ context, page, url, current, next, changed, deployAndReopen }) => {
      const [, wasm] = changed;
      const cachedDigest = () =>
        page.evaluate(async (path) => {
          const cached = await caches.match(path);
          if (!cached) return "(not cached)";
          const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", await cached.arrayBuffer()));
          return "sha384-" + btoa(String.fromCharCode(...digest));
        }, `/${wasm}`);
      const integrity = (html: string) => new RegExp(`href="/${wasm}"[^>]*integrity="([^"]+)"`).exec(html)![1];
      expect(await cachedDigest()).toBe(integrity(shellIn(current)));

      await deployAndReopen();
      const wanted = integrity(shellIn(next));
      await expect.poll(cachedDigest, { timeout: 60_000 }).toBe(wanted);
      // The next start runs the new wasm, offline too.
      await context.setOffline(true);
      await openApp(page, url);
      expect(await cachedDigest()).toBe(wanted);
    });
  });
}
