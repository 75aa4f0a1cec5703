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

/** Puts encounter `id` of today, with `fields` over a plain one's, straight into the phone's
 * store as the app keeps it. */
async function putEntry(page: Page, id: string, fields: Record<string, unknown>) {
  await page.evaluate(
    async ({ id, fields }) => {
      const db: IDBDatabase = await new Promise((ok, fail) => {
        const open = indexedDB.open("peerpulse");
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const day = new Date().toISOString().slice(0, 10);
      await new Promise<void>((ok, fail) => {
        const tx = db.transaction("entries", "readwrite");
        tx.objectStore("entries").put({
          id,
          day,
          version: 1,
          content: {
            plain: {
              encounter: {
                id, day, time_band: "evening", site: "van", kind: "outreach", reach: "walk-in",
                topics: [], insights: [], needs: ["housing"], free_tags: [], supplies: [], referrals: [],
                insight_note: null, private_note: null, codebook_version: 1,
                ...fields,
              },
              saved_at: `${day}T20:00:00+00:00`,
            },
          },
        });
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
      });
      db.close();
    },
    { id, fields },
  );
}

/** Where the browser drew the first character of `label` inside `cell`: the middle of its
 * box from the left, and the top of its line. */
async function firstCharacterAt(cell: Locator, label: string) {
  return cell.evaluate((element, label) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(label);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, top: box.top, height: box.height };
    }
    throw new Error(`${label} is not in the cell`);
  }, label);
}

/** Checks that `labels` are drawn in `cell` in their order for a reader going from the right,
 * line by line: each starts left of the one before on its line, or on a line below. */
async function expectReadFromTheRight(cell: Locator, labels: string[]) {
  const drawn = [];
  for (const label of labels) drawn.push(await firstCharacterAt(cell, label));
  for (let i = 1; i < labels.length; i++) {
    const [before, after] = [drawn[i - 1], drawn[i]];
    const sameLine = Math.abs(after.top - before.top) < before.height / 2;
    const next = sameLine ? after.x < before.x : after.top > before.top;
    expect(next, `${labels[i]} after ${labels[i - 1]}: ${JSON.stringify(drawn)}`).toBe(true);
  }
}

test.describe("the worker's app in Arabic", () => {
  test.use({ locale: "ar", viewport: { width: 360, height: 740 } });

  test("a note with brackets keeps them in place in the history", async ({ page }, info) => {
    await page.goto(url());
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.getByRole("link", { name: "السجل" })).toBeVisible();
    await putEntry(page, "bidi-1", { insight_note: LATIN });
    await page.getByRole("link", { name: "السجل" }).click();
    const note = page.locator(".entry .insight-note");
    await expect(note).toHaveText(LATIN);
    await expect(note).toHaveAttribute("dir", "auto");
    const drawn = await firstTwoCharacters(note, LATIN);
    expect(drawn.first).toBeLessThan(drawn.second);
    await page.screenshot({ path: info.outputPath("history-ar-360.png") });
  });

  test("an entry's labels, Latin and Arabic mixed, read from the right in the order logged", async ({ page, browser }, info) => {
    // The organization translated two of its codes into Arabic and left the rest in English,
    // as an organization writing its own codebook does.
    const office = await browser.newContext({ locale: "en-GB" });
    const admin = await office.newPage();
    await newOrgAdmin(admin, "Bidi Labels Outreach", "bidi-labels-admin");
    const signed = await adminOf(admin);
    let version: number = (await (await signed.api.get(`${url()}/api/v1/codebook`)).json()).version;
    for (const [list, code, label] of [["need", "housing", "سكن"], ["supply", "needles-syringes", "إبر وحقن"]]) {
      const edited = await signed.api.post(`${url()}/api/v1/codebook`, {
        headers: { "x-csrf-token": signed.csrf },
        data: { base_version: version, edit: { edit: "translate", list, code, language: "ar", label } },
      });
      expect(edited.ok(), await edited.text()).toBeTruthy();
      version = (await edited.json()).version;
    }
    const issued = await signed.api.post(`${url()}/api/v1/enrolment-codes`, { headers: { "x-csrf-token": signed.csrf } });
    expect(issued.status(), await issued.text()).toBe(201);
    const code: string = (await issued.json()).code;
    await office.close();

    const enrolled = page.waitForResponse((r) => r.url().endsWith("/api/v1/enrol"));
    await page.goto(`${url()}/enrol#${code}`);
    expect((await enrolled).ok()).toBeTruthy();
    await page.goto(url());
    // The codebook has come: its Arabic label is offered.
    await expect(page.getByRole("checkbox", { name: "سكن" })).toBeVisible();
    await putEntry(page, "bidi-labels", {
      needs: ["food", "housing", "testing"],
      supplies: [{ item: "naloxone-kit", quantity: 2 }, { item: "needles-syringes", quantity: 3 }],
      referrals: ["drug-treatment"],
      codebook_version: version,
    });
    await page.getByRole("link", { name: "السجل" }).click();
    const entry = page.locator(".entry");
    const needs = entry.locator(".needs");
    await expect(needs).toContainText("Testing (HIV, hep C)");
    // Read from the right, as logged, whatever script each label is in.
    await expectReadFromTheRight(needs, ["Food", "سكن", "Testing (HIV, hep C)"]);
    // A Latin label keeps its brackets where they were typed: ")" right of "C".
    const [c, bracket] = [await firstCharacterAt(needs, "C)"), await firstCharacterAt(needs, ")")];
    expect(bracket.x).toBeGreaterThan(c.x);
    await expect(needs).toHaveText("Food، سكن، Testing (HIV, hep C)");

    const given = entry.locator(".given");
    await expectReadFromTheRight(given, ["Naloxone kit", "إبر وحقن", "Drug treatment"]);
    await expect(given).toHaveText("Naloxone kit ×2، إبر وحقن ×3، ← Drug treatment");
    await entry.scrollIntoViewIfNeeded();
    await page.screenshot({ path: info.outputPath("entry-labels-ar-360.png") });
  });
});
