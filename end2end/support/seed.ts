// Many entries at once for tests and benches, without tapping through the form.
import type { Page } from "@playwright/test";

/** Writes `count` entries straight into the phone's IndexedDB as the app stores them
 * (unsealed envelopes), one day after another going back from 1 Dec 2025 and round again
 * after a year. The app must have opened the database first. */
export async function seed(page: Page, count: number) {
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
