// One first load of one app on the phone profile, seen from inside the page: when its note field
// became usable, what it fetched before that (bytes on the wire, from Resource Timing), and, for
// PeerPulse, when its wasm was compiled, when the app started and when storage opened.
import { expect, type Browser } from "@playwright/test";
import { CPU_SLOWDOWN, onPhone } from "../phone";

/** An app measured by the peers bench. */
export interface Contender {
  /** Short key used in results. */
  key: string;
  /** Its name in figure names, the same from version to version so runs compare. */
  name: string;
  /** What it is, with its version. */
  label: string;
  /** Selector of the form's free-text note field: the input every form here has. */
  note: string;
  /** Whether the page has PeerPulse's "Save encounter" button to wait for as well. */
  save: boolean;
}

/** One request of a first load, in ms since navigation start. */
export interface Fetched {
  path: string;
  start: number;
  firstByte: number;
  end: number;
  /** Bytes on the wire: compressed body plus headers. */
  wire: number;
  /** The body as it arrived (compressed) and as the page got it. */
  encoded: number;
  decoded: number;
}

/** A span of work inside the page, in ms since navigation start. */
export interface Span {
  what: string;
  start: number;
  end: number | null;
}

/** One first load. */
export interface Load {
  /** The note field visible, enabled and not read-only. */
  usable: number;
  /** PeerPulse only: "Save encounter" enabled (storage open). */
  saveEnabled: number | null;
  firstContentfulPaint: number | null;
  /** TrunkApplicationStarted: the wasm app's main() has run. */
  appStarted: number | null;
  /** Everything the page fetched, the page itself first. */
  fetched: Fetched[];
  /** Bytes on the wire of the page and of the requests done before the note was usable. */
  bytesToUsable: number;
  /** Bytes on the wire of everything the page fetched until the network went quiet. */
  bytesAll: number;
  wasm: Span[];
  storage: Span[];
}

interface Watch {
  usableAt: number | null;
  saveAt: number | null;
  startedAt: number | null;
  wasm: Span[];
  storage: Span[];
}

/**
 * Runs in the page before its own scripts: records when the note field (and PeerPulse's Save)
 * becomes usable, checked on every DOM change and every frame, and times each
 * WebAssembly compile and each IndexedDB open the app makes.
 */
function watchPage({ note, save }: { note: string; save: boolean }) {
  const watch: Watch = { usableAt: null, saveAt: null, startedAt: null, wasm: [], storage: [] };
  (window as unknown as { benchWatch: Watch }).benchWatch = watch;

  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
    const span: Span = { what: `open IndexedDB "${args[0]}"`, start: performance.now(), end: null };
    watch.storage.push(span);
    const request = open.apply(this, args);
    request.addEventListener("success", () => (span.end = performance.now()));
    return request;
  };
  const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ["instantiateStreaming", "compileStreaming", "instantiate", "compile"]) {
    const original = wasm[name];
    if (typeof original !== "function") continue;
    wasm[name] = function (...args: unknown[]) {
      const span: Span = { what: `WebAssembly.${name}`, start: performance.now(), end: null };
      watch.wasm.push(span);
      return original.apply(this, args).then((result) => {
        span.end = performance.now();
        return result;
      });
    };
  }
  addEventListener("TrunkApplicationStarted", () => (watch.startedAt = performance.now()));

  const usable = (field: Element | null) => {
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return false;
    if (field.disabled || field.readOnly || field.closest("[inert], fieldset:disabled")) return false;
    const box = field.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(field).visibility === "visible";
  };
  const check = () => {
    const now = performance.now();
    if (watch.usableAt === null && usable(document.querySelector(note))) watch.usableAt = now;
    if (save && watch.saveAt === null) {
      for (const button of document.querySelectorAll("button")) {
        if (button.textContent?.trim() === "Save encounter" && !button.disabled) watch.saveAt = now;
      }
    }
    return watch.usableAt !== null && (!save || watch.saveAt !== null);
  };
  const observer = new MutationObserver(() => check() && observer.disconnect());
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const everyFrame = () => {
    if (!check()) requestAnimationFrame(everyFrame);
  };
  requestAnimationFrame(everyFrame);
}

/** Reads Resource Timing and the watch once the load has settled. */
function readPage(): { watch: Watch; fetched: Fetched[]; fcp: number | null } {
  const path = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };
  const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
  const entries = [navigation, ...(performance.getEntriesByType("resource") as PerformanceResourceTiming[])];
  const fetched = entries.map((e) => ({
    path: path(e.name),
    start: e.startTime,
    firstByte: e.responseStart,
    end: e.responseEnd,
    wire: e.transferSize,
    encoded: e.encodedBodySize,
    decoded: e.decodedBodySize,
  }));
  const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
  return { watch: (window as unknown as { benchWatch: Watch }).benchWatch, fetched, fcp };
}

/** Loads `url` in a fresh profile on the phone profile and measures it. */
export async function firstLoad(browser: Browser, url: string, app: Contender): Promise<Load> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(watchPage, { note: app.note, save: app.save });
    await onPhone(await context.newCDPSession(page));
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(
      (save) => {
        const watch = (window as unknown as { benchWatch?: Watch }).benchWatch;
        return watch && watch.usableAt !== null && (!save || watch.saveAt !== null);
      },
      app.save,
      { timeout: 120_000, polling: 250 },
    );
    // Usable means it takes a keystroke, not only that it is there.
    const note = page.locator(app.note).first();
    await note.click();
    await page.keyboard.type("x");
    await expect(note).toHaveValue(/x$/);
    // Let requests started before usable finish, so their sizes are known.
    await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => undefined);
    const { watch, fetched, fcp } = await page.evaluate(readPage);
    const usable = watch.usableAt!;
    return {
      usable,
      saveEnabled: watch.saveAt,
      firstContentfulPaint: fcp,
      appStarted: watch.startedAt,
      fetched,
      bytesToUsable: fetched.filter((f) => f.end <= usable).reduce((sum, f) => sum + f.wire, 0),
      bytesAll: fetched.reduce((sum, f) => sum + f.wire, 0),
      wasm: watch.wasm,
      storage: watch.storage,
    };
  } finally {
    await context.close();
  }
}

/**
 * The CPU cost alone of compiling `wasmPath` on the phone's CPU: its bytes fetched over an
 * unthrottled link, then WebAssembly.compile timed in the page with the CPU slowdown on.
 */
export async function wasmCompile(browser: Browser, origin: string, wasmPath: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/manifest.webmanifest`);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    return await page.evaluate(async (path) => {
      const bytes = await (await fetch(path)).arrayBuffer();
      const start = performance.now();
      await WebAssembly.compile(bytes);
      return performance.now() - start;
    }, wasmPath);
  } finally {
    await context.close();
  }
}

/** Milliseconds until an empty page's one request of `kb` KiB has arrived, on the phone profile. */
export async function floorLoad(browser: Browser, floorOrigin: string, kb: number): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await onPhone(await context.newCDPSession(page));
    await page.goto(`${floorOrigin}/floor?kb=${kb}`, { waitUntil: "commit" });
    await page.waitForFunction(() => "floorDoneAt" in window, null, { timeout: 120_000, polling: 100 });
    return await page.evaluate(() => (window as unknown as { floorDoneAt: number }).floorDoneAt);
  } finally {
    await context.close();
  }
}
