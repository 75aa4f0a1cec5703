// Memory of the phone app holding 100,000 entries with the History listing them: the JS heap
// after a garbage collection, the wasm linear memory and the DOM size, after the first page,
// after going five pages back, and after going back through all of them (History holds three
// pages at a time).
import { expect, test, type CDPSession, type Page } from "@playwright/test";
import { seed } from "../support/seed";
import { record } from "./figures";

const STORED = 100_000;
const MiB = 1024 * 1024;

interface Usage {
  heap: number;
  wasm: number;
  elements: number;
  entries: number;
}

async function usage(page: Page, cdp: CDPSession): Promise<Usage> {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  const [wasm, elements, entries] = await page.evaluate(() => [
    (window as unknown as { peerpulseWasm: { memory: WebAssembly.Memory } }).peerpulseWasm.memory.buffer
      .byteLength,
    document.getElementsByTagName("*").length,
    document.querySelectorAll(".history .entry").length,
  ]);
  return { heap: usedSize / MiB, wasm: wasm / MiB, elements, entries };
}

test(`memory with ${STORED} entries listed in History`, async ({ page, context }) => {
  // trunk's loader announces the started module; its exports hold the wasm memory.
  await page.addInitScript(() =>
    addEventListener("TrunkApplicationStarted", (e) => {
      (window as unknown as { peerpulseWasm: unknown }).peerpulseWasm = (e as CustomEvent).detail.wasm;
    }),
  );
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  await seed(page, STORED);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  const cdp = await context.newCDPSession(page);
  const idle = await usage(page, cdp);

  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("radio", { name: "Everything" }).check();
  const more = page.getByRole("button", { name: "Show earlier entries" });
  await expect(more).toBeVisible();
  const first = await usage(page, cdp);
  const oldestDay = page.getByTestId("history-day").last();
  let pages = 1;
  const goBack = async () => {
    const oldest = await oldestDay.textContent();
    await more.click();
    await expect(oldestDay).not.toHaveText(oldest ?? "");
    pages++;
  };
  while (pages < 5) await goBack();
  const five = await usage(page, cdp);
  while (await more.isVisible()) await goBack();
  // The seed's oldest day: every entry was listed on the way.
  await expect(oldestDay).toContainText("Monday 02 December");
  const all = await usage(page, cdp);

  const method = (what: string) =>
    `${STORED.toLocaleString("en")} entries seeded in IndexedDB; ${what}; CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage, wasm memory = WebAssembly.Memory byteLength; headless Chromium, 360×740`;
  for (const [label, at, what] of [
    ["Log screen", idle, "the Log screen open"],
    ["History, first page", first, `History → Everything, first page (${first.entries} entries)`],
    ["History, five pages", five, `History → Everything, five pages back (${five.entries} entries held)`],
    ["History, all pages", all, `History → Everything, back through all ${pages} pages (${all.entries} entries held)`],
  ] as const) {
    record({ name: `JS heap, ${label}`, value: at.heap, unit: "MiB", method: method(what) });
    record({ name: `wasm memory, ${label}`, value: at.wasm, unit: "MiB", method: method(what) });
    record({ name: `DOM elements, ${label}`, value: at.elements, unit: "elements", method: method(what) });
  }
});
