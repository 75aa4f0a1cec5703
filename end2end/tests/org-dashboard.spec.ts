// Issue 17, the organization's pages as a manager and a funder meet them: a dashboard read
// at a glance, live sections, oversight as support (the worker sees the same figures), the
// method in words, named buttons and an in-page confirm, and a one-page A4 brief.
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { pagesOf } from "../support/pdf";
import { expectPublished, firstNumber } from "../support/published";

const url = () => process.env.PEERPULSE_URL!;
const shots = `${__dirname}/../screenshots`;
const laptop = { width: 1280, height: 800 };
const narrow = { width: 320, height: 740 };

function day(back: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the ISO week holding today (UTC). */
function monday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function newCode(page: Page): Promise<string> {
  const shown = page.locator(".issued-code");
  const before = (await shown.count()) ? await shown.textContent() : null;
  await page.getByRole("button", { name: "New enrolment code" }).click();
  if (before) await expect(shown).not.toHaveText(before);
  return (await shown.textContent())!.trim();
}

async function enrolPhone(page: Page, request: APIRequestContext): Promise<{ token: string; device_id: string }> {
  const code = await newCode(page);
  const res = await request.post(`${url()}/api/v1/enrol`, { data: { code } });
  expect(res.ok(), await res.text()).toBeTruthy();
  return res.json();
}

async function sync(request: APIRequestContext, token: string, buckets: object[]) {
  const res = await request.post(`${url()}/api/v1/sync`, {
    headers: { authorization: `Bearer ${token}` },
    data: { buckets, codebook_version: 1 },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
}

const encounters = (d: string, count: number, site = "van") => ({ day: d, site, dimension: "encounters", count, version: 1 });
const need = (d: string, value: string, count: number, site = "van") => ({ day: d, site, dimension: "need", value, count, version: 1 });

/** Nothing sticks out of the page sideways. A phone's browser widens its layout to what
 * overflows (and zooms out), so the width is compared with the viewport asked for. */
async function expectNoSidewaysScroll(page: Page) {
  const asked = page.viewportSize()!.width;
  expect(await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])).toEqual([asked, asked]);
}

async function expectAxeClean(page: Page) {
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

test("the organization page reads at a glance: a summary row, a sticky list of sections, a skip link and one filter bar, at 1280 and 320 px", async ({
  page,
  request,
}) => {
  await page.setViewportSize(laptop);
  await newOrgAdmin(page, "Glance Outreach", "gwen");
  const phone = await enrolPhone(page, request);
  // This week on the phone, and last week's Monday (never in this week).
  const lastMonday = new Date(`${monday()}T00:00:00Z`);
  lastMonday.setUTCDate(lastMonday.getUTCDate() - 7);
  await sync(request, phone.token, [encounters(day(0), 30), encounters(lastMonday.toISOString().slice(0, 10), 12)]);
  await page.reload();

  const glance = page.getByRole("region", { name: "At a glance" });
  const card = (term: string) => glance.locator(".glance-card", { has: page.getByText(term, { exact: true }) });
  await expect(card("Encounters this week").locator(".glance-figure")).toHaveText(/^\d+$/);
  expectPublished(firstNumber(await card("Encounters this week").locator(".glance-figure").textContent()), 30);
  await expect(card("Encounters this week")).toContainText(/Last week: \d+\./);
  expectPublished(firstNumber(/Last week: (\d+)/.exec((await card("Encounters this week").textContent())!)![1]), 12);
  await expect(card("Phones logging as usual").locator(".glance-figure")).toHaveText("1 of 1");
  await expect(card("Rising today").locator(".glance-figure")).toHaveText("Nothing");
  await expect(card("Notes waiting").locator(".glance-figure")).toHaveText("0");

  // The first Tab reaches the skip link; it leads past the menu into the page.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // The sections, reachable from a list that stays in view.
  const sections = page.getByRole("navigation", { name: "Sections of this page" });
  await expect(sections.getByRole("link")).toHaveText([
    "At a glance",
    "Trends",
    "Captured per phone",
    "Phones",
    "Notes to review",
    "Alerts to workers",
    "Codebook",
    "Indicators",
    "People",
    "Audit log",
    "Keeping data",
  ]);
  // Every one in view at 1280 px: none hidden behind a sideways scroll.
  for (const link of await sections.getByRole("link").all()) {
    await expect(link).toBeInViewport({ ratio: 1 });
  }
  await sections.getByRole("link", { name: "Phones" }).click();
  await expect(page).toHaveURL(/#phones$/);
  await expect(page.getByRole("heading", { name: "Phones", exact: true })).toBeInViewport();
  await expect(sections).toBeInViewport();
  await page.evaluate(() => window.scrollTo(0, 0));

  // One labelled filter bar: the period chips on one row, each select beside its label.
  const filters = page.getByRole("form", { name: "Trend filters" });
  await expect(filters).toBeVisible();
  const chipTops = await filters.locator(".chip").evaluateAll((chips) => chips.map((c) => Math.round(c.getBoundingClientRect().top)));
  expect(new Set(chipTops).size).toBe(1);
  for (const name of ["Site", "What to look at"]) {
    const select = filters.getByLabel(name);
    const label = filters.locator("label", { hasText: name });
    const [s, l] = [(await select.boundingBox())!, (await label.boundingBox())!];
    expect(s.height).toBeLessThanOrEqual(56);
    // Beside: the same line, the select just right of its label.
    expect(Math.abs(s.y + s.height / 2 - (l.y + l.height / 2))).toBeLessThan(8);
    expect(s.x - (l.x + l.width)).toBeGreaterThanOrEqual(0);
    expect(s.x - (l.x + l.width)).toBeLessThan(24);
  }
  // Dates read as people say them, never as RFC 3339.
  await expect(page.locator("main")).not.toContainText(/\d{4}-\d\d-\d\dT\d\d:/);
  await expect(page.getByRole("region", { name: "Phones" })).toContainText(/(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3}, \d\d:\d\d/);
  await page.screenshot({ path: `${shots}/org-1280.png` });
  await expectAxeClean(page);

  // 320 px: nothing overflows, no select is cut off.
  await page.setViewportSize(narrow);
  await expect(glance).toBeVisible();
  await expectNoSidewaysScroll(page);
  for (const select of await page.locator("main select").all()) {
    const box = (await select.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(narrow.width);
  }
  await page.screenshot({ path: `${shots}/org-320.png` });
  await page.screenshot({ path: `${shots}/org-320-full.png`, fullPage: true });
});

test("captured per phone, phones and notes to review update live when a phone syncs or offers a note", async ({ page, request }) => {
  await page.setViewportSize(laptop);
  await newOrgAdmin(page, "Live Sections Outreach", "liv");
  const phone = await enrolPhone(page, request);
  const phones = page.getByRole("region", { name: "Phones" });
  const capture = page.getByRole("region", { name: "Captured per phone" });
  const notes = page.getByRole("region", { name: "Notes to review" });
  await page.reload();
  await expect(phones.getByRole("row", { name: new RegExp(phone.device_id) })).toContainText("never");
  await expect(notes.getByText("No notes are waiting.")).toBeVisible();

  // The phone syncs while the page is open: no reload.
  await sync(request, phone.token, [encounters(day(0), 14)]);
  const row = capture.getByRole("row", { name: new RegExp(phone.device_id) });
  await expect(row.getByRole("cell").last()).toContainText(/\d+\s*1 day/, { timeout: 3_000 });
  await expect(phones.getByRole("row", { name: new RegExp(phone.device_id) })).not.toContainText("never", { timeout: 3_000 });

  // It offers a note: it is waiting for review at once.
  const offered = await request.post(`${url()}/api/v1/notes`, {
    headers: { authorization: `Bearer ${phone.token}` },
    data: { id: "01J0000000000000000000TEST", week: monday(), text: "Blue pills are stronger this week" },
  });
  expect(offered.ok(), await offered.text()).toBeTruthy();
  await expect(notes.getByRole("listitem")).toContainText("Blue pills are stronger this week", { timeout: 3_000 });
  await expect(page.getByRole("region", { name: "At a glance" }).locator(".glance-card", { hasText: "Notes waiting" })).toContainText("1");
});

test("oversight supports: named phones, quiet in plain words against their own rhythm, dates that never wrap, and the worker sees the same week", async ({
  page,
  request,
  browser,
}) => {
  await page.setViewportSize(laptop);
  await newOrgAdmin(page, "Support Outreach", "sam");
  const steady = await enrolPhone(page, request);
  // Logged every day from 20 to 10 days ago, then nothing.
  const days = [];
  for (let back = 20; back >= 10; back--) days.push(encounters(day(back), 6));
  await sync(request, steady.token, days);

  // The worker's phone: the same browser profile as a worker would use, its own context.
  const worker = await (await browser.newContext({ viewport: narrow })).newPage();
  await worker.goto(url());
  await worker.getByLabel("Enrolment code from your manager").fill(await newCode(page));
  await worker.getByRole("button", { name: "Connect" }).click();
  await expect(worker.getByTestId("waiting")).toContainText("Everything is synced");
  await page.reload();

  // Name the steady phone; its buttons carry the name.
  const phones = page.getByRole("region", { name: "Phones" });
  await phones.getByLabel(`Name for ${steady.device_id}`).fill("Van team");
  await phones.getByRole("button", { name: `Save the name of ${steady.device_id}` }).click();
  await expect(phones.getByRole("button", { name: "Save the name of Van team" })).toBeVisible();
  await expect(phones.getByRole("button", { name: "Revoke Van team" })).toBeVisible();

  const capture = page.getByRole("region", { name: "Captured per phone" });
  const row = capture.getByRole("row", { name: /^Van team/ });
  await expect(row.getByRole("rowheader")).toContainText(/Nothing logged for 1\d days \(it usually logs every day\)/);
  // Week headings stay on one line at 320 px too.
  for (const size of [laptop, narrow]) {
    await page.setViewportSize(size);
    const heights = await capture.locator("thead th").evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(48);
  }
  await page.setViewportSize(laptop);
  await capture.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/oversight-1280.png` });

  // The worker's Phone page: the same figures, told to the worker.
  await worker.getByRole("link", { name: "Phone" }).click();
  const own = worker.getByRole("region", { name: "Your phone's week" });
  await expect(own).toContainText("What your organization sees about this phone");
  await expect(own).toContainText(/Last sync (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3}, \d\d:\d\d\./);
  await expect(own.getByRole("columnheader")).toHaveCount(4);
  await expect(own.getByRole("cell").last()).toHaveText("none");
  await expectNoSidewaysScroll(worker);
  await own.scrollIntoViewIfNeeded();
  await worker.screenshot({ path: `${shots}/worker-week-320.png` });
  await expectAxeClean(worker);
  await worker.context().close();
});

test("figures a funder understands: the rise method in words, named buttons, and revoking asks in the page", async ({ page, request }) => {
  await page.setViewportSize(laptop);
  await newOrgAdmin(page, "Method Outreach", "meg");
  const first = await enrolPhone(page, request);
  const second = await enrolPhone(page, request);
  const history = [];
  for (let back = 1; back < 12; back++) history.push(need(day(back), "housing", 3));
  history.push(need(day(0), "housing", 20));
  await sync(request, first.token, history);
  await sync(request, second.token, [need(day(0), "housing", 20)]);
  await page.reload();

  const rising = page.locator(".rising");
  await expect(rising).toContainText("Housing");
  const how = rising.locator("details", { hasText: "How is this decided?" });
  await expect(how.getByText(/set against the week before it/)).toBeHidden();
  await how.getByText("How is this decided?").click();
  await expect(how.getByText(/set against the week before it/)).toBeVisible();
  await expect(how).toContainText("at least two phones");
  await expect(page.getByRole("region", { name: "At a glance" }).locator(".glance-card", { hasText: "Rising today" })).toContainText(
    "Housing",
  );

  // Revoke asks in the page, not in a browser dialog; "Keep it" changes nothing.
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  const phones = page.getByRole("region", { name: "Phones" });
  await phones.getByRole("button", { name: `Revoke ${first.device_id}` }).click();
  await expect(phones.getByText(`Revoke ${first.device_id}? It can no longer sync; its past counts stay.`)).toBeVisible();
  await phones.getByRole("button", { name: `Keep ${first.device_id}` }).click();
  await expect(phones.getByRole("button", { name: `Yes, revoke ${first.device_id}` })).toHaveCount(0);
  await phones.getByRole("button", { name: `Revoke ${first.device_id}` }).click();
  await phones.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/revoke-confirm-1280.png` });
  await phones.getByRole("button", { name: `Yes, revoke ${first.device_id}` }).click();
  await expect(phones.getByRole("row", { name: new RegExp(first.device_id) })).toContainText("Revoked");
  await expect(phones.getByRole("button", { name: `Revoke ${second.device_id}` })).toBeVisible();
  expect(dialogs).toBe(0);
  await expectAxeClean(page);
});

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). */

test("the trend brief is one A4 page that leads with the story, names period, site and organization, and follows the site filter", async ({
  page,
  request,
}) => {
  await page.setViewportSize(laptop);
  await newOrgAdmin(page, "Funder Brief Outreach", "fay");
  const first = await enrolPhone(page, request);
  const second = await enrolPhone(page, request);
  const history = [];
  for (let back = 1; back < 12; back++) history.push(need(day(back), "housing", 3));
  history.push(need(day(0), "housing", 20), need(day(0), "food", 9), need(day(0), "food", 8, "street"));
  history.push({ day: day(0), site: "van", dimension: "reach", value: "peer-referral", count: 12, version: 1 });
  history.push({ day: day(0), site: "van", dimension: "supply", value: "naloxone", count: 10, version: 1 });
  await sync(request, first.token, history);
  await sync(request, second.token, [need(day(0), "housing", 20)]);
  for (const phone of [first, second]) {
    await sync(request, phone.token, [{ day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 6, version: 2 }]);
  }
  const offered = await request.post(`${url()}/api/v1/notes`, {
    headers: { authorization: `Bearer ${first.token}` },
    data: { id: "01J0000000000000000000BRF1", week: monday(), text: "People ask for dental care every night now" },
  });
  expect(offered.ok()).toBeTruthy();
  await page.reload();
  await page.getByRole("region", { name: "Notes to review" }).getByRole("button", { name: /^Approve the note “People ask/ }).click();
  await expect(page.getByText("Approved: the note appears in the trend brief of its week.")).toBeVisible();

  // The site chosen on the dashboard goes to the brief.
  await page.getByRole("region", { name: "Trends, live" }).getByLabel("Site").selectOption({ label: "Outreach van" });
  await page.getByRole("link", { name: "Printable trend brief" }).click();
  await expect(page).toHaveURL(/\/brief\?period=\d{4}-\d\d&site=van$/);
  await expect(page.getByRole("heading", { name: "Funder Brief Outreach", level: 1 })).toBeVisible();
  const head = page.locator(".brief-head");
  await expect(head).toContainText("Trend brief");
  await expect(head).toContainText("Outreach van");
  await expect(head).toContainText(/This month|\w+ \d{4}/);
  await expect(page.getByLabel("Site")).toHaveValue("van");

  // The story first: what rose, what is new, workers' words; then the counts.
  const headings = await page.locator(".brief h2").allTextContents();
  expect(headings.slice(0, 4)).toEqual(["What rose", "What is new", "In workers' words", "Top needs"]);
  await expect(page.locator(".brief-words blockquote")).toHaveText(["People ask for dental care every night now"]);
  const footer = page.locator(".brief-method");
  await expect(footer).toContainText("How counts are protected.");
  await expect(footer).toContainText(/nudged up or down at random by up to \d+/);
  await expect(footer).toContainText("How a rise is decided.");

  // The site filter holds: street's food is not in the van's brief; all sites has it.
  const topNeeds = page.locator(".brief-part", { has: page.getByRole("heading", { name: "Top needs" }) });
  const food = topNeeds.locator(".bars li", { hasText: "Food" }).locator(".bar-value");
  expectPublished(firstNumber(await food.textContent()), 9);
  await page.getByLabel("Site").selectOption({ label: "All sites" });
  await expect(page).toHaveURL(/\/brief\?period=\d{4}-\d\d$/);
  await expect(head).toContainText("All sites");
  await expect.poll(async () => firstNumber(await food.textContent())).toBeGreaterThan(9);
  await page.getByLabel("Site").selectOption({ label: "Outreach van" });
  await expect(head).toContainText("Outreach van");
  await page.screenshot({ path: `${shots}/brief-1280.png`, fullPage: true });
  await expectAxeClean(page);

  // One A4 page when printed.
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  mkdirSync(shots, { recursive: true });
  writeFileSync(`${shots}/brief.pdf`, pdf);
  expect(pagesOf(pdf)).toBe(1);
  await page.emulateMedia({ media: "screen" });

  // At 320 px the brief's controls fit.
  await page.setViewportSize(narrow);
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: `${shots}/brief-320.png` });
});

