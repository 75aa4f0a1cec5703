// Tap Save to "Saved" (the entry committed in IndexedDB), with many entries already stored.
import { expect, test, type Page } from "@playwright/test";
import { percentile, record } from "./figures";

const SAVES = 40;
const WARM_UP = 5;

/** Writes `count` entries as the app stores them (schema v2, unsealed), spread over a year. */
async function seed(page: Page, count: number) {
  await page.evaluate(async (count) => {
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const open = indexedDB.open("peerpulse");
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const needs = ["housing", "food", "detox", "wound-care", "testing"];
    for (let start = 0; start < count; start += 5_000) {
      await new Promise<void>((ok, fail) => {
        const tx = db.transaction("entries", "readwrite");
        const entries = tx.objectStore("entries");
        for (let i = start; i < Math.min(count, start + 5_000); i++) {
          const day = new Date(Date.UTC(2025, 11, 1) - (i % 365) * 86_400_000).toISOString().slice(0, 10);
          const id = `seed-${i}`;
          entries.put({
            id,
            day,
            version: i + 1,
            content: {
              plain: {
                encounter: {
                  id,
                  day,
                  time_band: "evening",
                  site: "van",
                  kind: "outreach",
                  reach: "walk-in",
                  topics: ["naloxone"],
                  insights: [],
                  needs: [needs[i % needs.length]],
                  free_tags: [],
                  supplies: [{ item: "needles-syringes", quantity: 10 }],
                  referrals: [],
                  insight_note: null,
                  private_note: null,
                  codebook_version: 1,
                },
                saved_at: `${day}T20:00:00+00:00`,
              },
            },
          });
        }
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
      });
    }
    db.close();
  }, count);
}

/** Milliseconds from the Save tap to "Saved at …" in the status line. */
async function timedSave(page: Page): Promise<number> {
  await page.getByRole("radio", { name: "Walk-in" }).check();
  return page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const status = document.querySelector(".save-bar [role=status]")!;
        const button = document.querySelector<HTMLButtonElement>(".save-bar button[type=submit]")!;
        let saving = false;
        const observer = new MutationObserver(() => {
          const text = status.textContent ?? "";
          if (text.startsWith("Saving")) saving = true;
          if (saving && text.startsWith("Saved at")) {
            observer.disconnect();
            ok(performance.now() - start);
          }
        });
        observer.observe(status, { childList: true, characterData: true, subtree: true });
        const start = performance.now();
        button.click();
      }),
  );
}

for (const stored of [0, 10_000, 100_000]) {
  test(`save latency with ${stored} entries stored`, async ({ page }) => {
    await page.goto(process.env.PEERPULSE_URL!);
    await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
    await seed(page, stored);
    await page.reload();
    await page.getByRole("radio", { name: "Outreach van" }).check();
    await page.getByRole("radio", { name: "Outreach", exact: true }).check();
    const samples: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      const ms = await timedSave(page);
      if (i >= WARM_UP) samples.push(ms);
    }
    await expect(page.getByTestId("today-count")).toHaveText(`${SAVES} logged today`);
    const method = `${SAVES - WARM_UP} saves after ${WARM_UP} warm-up, Save click to "Saved at" in the status line, headless Chromium, 360×740`;
    record({ name: `save p50, ${stored} stored`, value: percentile(samples, 50), unit: "ms", method });
    record({ name: `save p95, ${stored} stored`, value: percentile(samples, 95), unit: "ms", method });
  });
}
