// The phone's start-up housekeeping (letting go of counted entries the worker chose not to
// keep, src/state/mod.rs) waits for the form: on a phone holding many old entries it scans them
// all, and that once held the first screen back (5,000 old unsent entries: 1.5 s to the form
// at 4x CPU instead of 0.7 s). Read from inside the page: when the form became usable and when
// the first entry was deleted.
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { seed } from "../support/seed";

const SEEDED = 40;

/** Entries on the phone, read straight from IndexedDB. */
async function entriesOnPhone(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const open = indexedDB.open("peerpulse");
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const count: number = await new Promise((ok, fail) => {
      const request = db.transaction("entries").objectStore("entries").count();
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    db.close();
    return count;
  });
}

/** Writes `records` (key → value) into the phone's `meta` store, as the app keeps them. */
async function putMeta(page: Page, records: Record<string, unknown>) {
  await page.evaluate(async (records) => {
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const open = indexedDB.open("peerpulse");
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    await new Promise<void>((ok, fail) => {
      const tx = db.transaction("meta", "readwrite");
      for (const [key, value] of Object.entries(records)) tx.objectStore("meta").put(value, key);
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
    db.close();
  }, records);
}

/** The sync state of a phone whose `changes` changes the service has all confirmed. */
const settled = (changes: number) => ({
  clock: changes,
  acked_through: changes,
  sent_through: changes,
  last_synced_at: null,
});

test("counted entries the worker lets go are deleted after the form is usable, not before", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
  // Old entries (2025), every change of them confirmed by the service, and "after 30 days"
  // chosen: the next start lets them all go.
  await seed(page, SEEDED);
  await putMeta(page, { "keep-entries": "month", sync: settled(SEEDED) });
  expect(await entriesOnPhone(page)).toBe(SEEDED);

  await page.addInitScript(() => {
    const marks = { usable: -1, deleted: -1 };
    (window as unknown as { marks: typeof marks }).marks = marks;
    const remove = IDBObjectStore.prototype.delete;
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      if (marks.deleted < 0 && this.name === "entries") marks.deleted = performance.now();
      return remove.call(this, key);
    };
    new MutationObserver((_, observer) => {
      for (const button of document.querySelectorAll("button")) {
        if (button.textContent?.trim() === "Save encounter" && !button.disabled) {
          marks.usable = performance.now();
          observer.disconnect();
          return;
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
  await expect.poll(() => entriesOnPhone(page)).toBe(0);
  const marks = await page.evaluate(() => (window as unknown as { marks: { usable: number; deleted: number } }).marks);
  expect(marks.usable, "the form became usable").toBeGreaterThan(0);
  expect(marks.deleted, "an entry was deleted").toBeGreaterThan(0);
  expect(marks.deleted).toBeGreaterThan(marks.usable);
});

test("counted entries let go after a sync leave the open History at once, with no reload", async ({ page }) => {
  await newOrgAdmin(page, "Tidy Phone Outreach", "tomas");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  await page.goto(process.env.PEERPULSE_URL!);
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced", { timeout: 20_000 });

  // While the app runs: old entries whose every change the service confirmed, kept for now.
  const SETTLED = 5;
  await seed(page, SETTLED);
  await putMeta(page, { sync: settled(SETTLED) });
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { name: "History", level: 1 })).toBeVisible();
  await page.getByRole("radio", { name: "Everything" }).check();
  await expect(page.getByTestId("history-day").locator(".entry").first()).toBeVisible();

  // Then "after 30 days" is chosen (behind the app's back, so the start's housekeeping does
  // not run): the next sync (as the service worker's Background Sync wakes the page) lets them
  // go, and the History on screen follows.
  await putMeta(page, { "keep-entries": "month" });
  await page.evaluate(() => window.dispatchEvent(new Event("peerpulse-sync")));
  await expect.poll(() => entriesOnPhone(page)).toBe(0);
  await expect(page.getByTestId("history-day").locator(".entry")).toHaveCount(0);
});
