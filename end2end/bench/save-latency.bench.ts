// Tap Save to "Saved" (the entry committed in IndexedDB), with many entries already stored.
import { expect, test, type Page } from "@playwright/test";
import { seed } from "../support/seed";
import { percentile, record } from "./figures";

const SAVES = 40;
const WARM_UP = 5;

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
