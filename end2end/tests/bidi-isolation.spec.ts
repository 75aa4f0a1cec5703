// Names people type keep their own direction inside the app's sentences: in Arabic, an
// indicator named "‹img…> (A&B)" is isolated (U+2068 … U+2069) in the audit log's sentence, so
// its brackets stay where they were typed, and cells holding names are laid out by their own
// direction (<bdi>, dir="auto"); in English only a right-to-left name gets isolates, and the
// sentence reads as before once they are taken out.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { adminOf, newManager } from "../support/field-alerts";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;
const FSI = "\u2068";
const PDI = "\u2069";
/** A left-to-right name with punctuation at both ends, the kind an RTL sentence reorders. */
const LATIN = "‹img…> (A&B)";
/** A right-to-left name ending in a number, the kind an LTR sentence reorders. */
const ARABIC = "مؤشر (أ) 2";

async function showIn(page: Page, tag: string) {
  const kept = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/language") && r.ok());
  await page.locator("#language").selectOption(tag);
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await kept;
}

/** An organization whose indicators are named LATIN and ARABIC, with a manager. */
async function orgWithTypedNames(page: Page, org: string, admin: string, manager: string) {
  await newOrgAdmin(page, org, admin);
  const signed = await adminOf(page);
  await newManager(signed, manager);
  const starter = (await (await signed.api.get(`${url()}/api/v1/indicators`)).json()).starter;
  const adopted = await signed.api.put(`${url()}/api/v1/indicators`, {
    headers: { "x-csrf-token": signed.csrf },
    data: { base_version: 0, indicators: [{ ...starter[0], name: LATIN }, { ...starter[1], name: ARABIC }] },
  });
  expect(adopted.ok(), await adopted.text()).toBeTruthy();
  await page.goto(`${url()}/org`);
}

/** Where the browser drew `name`'s first and second characters, inside `cell`'s text: in
 * the order typed, the first is left of the second. */
async function firstTwoCharacters(cell: Locator, name: string) {
  return cell.evaluate((element, name) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(name);
      if (at < 0) continue;
      const x = (offset: number) => {
        const range = document.createRange();
        range.setStart(node!, offset);
        range.setEnd(node!, offset + 1);
        return range.getBoundingClientRect().left;
      };
      return { first: x(at), second: x(at + 1) };
    }
    throw new Error(`${name} is not in the cell`);
  }, name);
}

test.describe("an organization in Arabic", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("a typed name keeps its brackets in place in the audit log, and names are laid out by their own direction", async ({ page }, info) => {
    await orgWithTypedNames(page, "Bidi (A&B) Outreach", "bidi-admin", "bidi-mila");
    await showIn(page, "ar");

    const audit = page.getByRole("region", { name: "سجل التدقيق" });
    const row = audit.getByRole("row").filter({ hasText: LATIN });
    const what = row.locator("td").nth(2);
    // Each name is isolated on its own, and the list of them again as one value.
    await expect(what).toContainText(`${FSI}${LATIN}${PDI}`);
    await expect(what).toContainText(`${FSI}${ARABIC}${PDI}`);
    // Drawn, not only written: "‹" stays left of "i", as typed.
    const drawn = await firstTwoCharacters(what, LATIN);
    expect(drawn.first).toBeLessThan(drawn.second);
    // Who did it is a name: laid out by its own letters (<bdi>), the cell still aligned
    // with its column.
    await expect(row.locator("td").nth(1).locator("bdi")).toHaveText("bidi-admin");
    await audit.scrollIntoViewIfNeeded();
    await page.screenshot({ path: info.outputPath("audit-ar-1280.png") });

    // The organization's name in the bar, and each username in the people table.
    await expect(page.locator("#org-heading bdi")).toHaveText("Bidi (A&B) Outreach");
    const people = page.getByRole("region", { name: "الأشخاص" });
    await expect(people.getByRole("rowheader", { name: "bidi-mila" }).locator("bdi")).toHaveText("bidi-mila");
    await people.scrollIntoViewIfNeeded();
    await page.screenshot({ path: info.outputPath("people-ar-1280.png") });
    await showIn(page, "en");
  });

  test("in English the audit log's sentence reads as before, and only a right-to-left name is isolated", async ({ page }) => {
    await orgWithTypedNames(page, "Bidi English", "bidi-en-admin", "bidi-en-mila");
    await showIn(page, "en");
    const audit = page.getByRole("region", { name: "Audit log" });
    const what = audit.getByRole("row").filter({ hasText: LATIN }).locator("td").nth(2);
    const shown = await what.innerText();
    // The Latin name is bare; the Arabic one is isolated, and so is each value holding it.
    expect(shown).toBe(`Changed the indicators (version 1): ${FSI}added ${FSI}${LATIN}, ${FSI}${ARABIC}${PDI}${PDI}${PDI}`);
    expect(shown.replace(/[\u2068\u2069]/g, "")).toBe(`Changed the indicators (version 1): added ${LATIN}, ${ARABIC}`);
  });
});

test.describe("the worker's app in Arabic", () => {
  test.use({ locale: "ar", viewport: { width: 360, height: 740 } });

  test("a note with brackets keeps them in place in the history", async ({ page }, info) => {
    await page.goto(url());
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("link", { name: "السجل" })).toBeVisible();
    await page.evaluate(async (note) => {
      const db: IDBDatabase = await new Promise((ok, fail) => {
        const open = indexedDB.open("peerpulse");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const day = new Date().toISOString().slice(0, 10);
      await new Promise<void>((ok, fail) => {
        const tx = db.transaction("entries", "readwrite");
        tx.objectStore("entries").put({
          id: "bidi-1",
          day,
          version: 1,
          content: {
            plain: {
              encounter: {
                id: "bidi-1", day, time_band: "evening", site: "van", kind: "outreach", reach: "walk-in",
                topics: [], insights: [], needs: ["housing"], free_tags: [], supplies: [], referrals: [],
                insight_note: note, private_note: null, codebook_version: 1,
              },
              saved_at: `${day}T20:00:00+00:00`,
            },
          },
        });
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    }, LATIN);
    await page.getByRole("link", { name: "السجل" }).click();
    const note = page.locator(".entry .insight-note");
    await expect(note).toHaveText(LATIN);
    await expect(note).toHaveAttribute("dir", "auto");
    const drawn = await firstTwoCharacters(note, LATIN);
    expect(drawn.first).toBeLessThan(drawn.second);
    await page.screenshot({ path: info.outputPath("history-ar-360.png") });
  });
});
