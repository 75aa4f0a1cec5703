import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { expectPublished, expectShownAbout, firstNumber } from "../support/published";

const url = () => process.env.PEERPULSE_URL!;

function day(back: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

/** A new organization, its admin (usernames are unique across organizations) signed in on
 * `page`, and one enrolled phone's token. */
async function orgWithPhone(page: Page, request: APIRequestContext, name: string, admin: string): Promise<string> {
  await newOrgAdmin(page, name, admin);
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  return (await (await request.post(`${url()}/api/v1/enrol`, { data: { code } })).json()).token;
}

async function sync(request: APIRequestContext, token: string, buckets: object[]) {
  const res = await request.post(`${url()}/api/v1/sync`, {
    headers: { authorization: `Bearer ${token}` },
    data: { buckets, codebook_version: 1 },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
}

const need = (d: string, site: string, value: string, count: number) => ({
  day: d,
  site,
  dimension: "need",
  value,
  count,
  version: 1,
});

/** The bar of `label` in `scope`'s bar chart. */
const bar = (scope: Locator, label: string) => scope.locator(".bars li", { hasText: label }).locator(".bar-value");

/** The days of `back` (days before today) that fall in today's calendar month (UTC). */
const inThisMonth = (back: number[]) => back.filter((b) => day(b).slice(0, 7) === day(0).slice(0, 7));

test("managers choose a calendar period, a site and a dimension, read charts and export only published counts", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Chart Outreach", "morgan");
  await sync(request, token, [
    need(day(0), "van", "housing", 10),
    need(day(0), "drop-in", "housing", 2),
    need(day(0), "street", "housing", 30),
    need(day(0), "van", "food", 12),
    need(day(0), "drop-in", "wound-care", 3),
    { day: day(0), site: "van", dimension: "reach", value: "walk-in", count: 30, version: 1 },
    { day: day(0), site: "van", dimension: "reach", value: "peer-referral", count: 15, version: 1 },
  ]);
  await page.reload();
  const trends = page.getByRole("region", { name: "Trends, live" });
  await expect(trends.getByRole("radio", { name: "This month" })).toBeChecked();
  await expect(trends.getByText(/Numbers are nudged up or down at random by up to 5, and numbers below 5 are left out/)).toBeVisible();

  // Needs this month: totals as bars, largest first; what is not listed, said in one line.
  await expectShownAbout(bar(trends, "Housing"), 42);
  await expectShownAbout(bar(trends, "Food"), 12);
  await expect(trends.locator(".bars li").first()).toContainText("Housing");
  await expect(trends.locator(".bars li", { hasText: "Wound care" })).toHaveCount(0);
  await expect(trends.locator(".not-listed")).toContainText(/Fewer than 5 each, or none: .*Wound care/);

  // The days as a line chart with a text alternative, and a heat map whose other days are
  // empty cells read as "fewer than 5", never 0.
  const chart = trends.getByRole("img", { name: /Needs per day/ });
  await expect(chart).toBeVisible();
  const described = (await chart.getAttribute("aria-labelledby"))!.split(" ")[1];
  const alternative = await page.locator(`#${described}`).textContent();
  expect(alternative).toMatch(/^Housing: \d+ on the last day, highest \d+ \(/);
  expectPublished(firstNumber(alternative), 42);
  const heat = trends.getByRole("region", { name: "Needs per day, most frequent first" });
  const housingRow = heat.getByRole("row", { name: /^Housing/ });
  await expectShownAbout(housingRow.getByRole("cell").last(), 42);
  if (day(0).slice(8) !== "01") {
    await expect(housingRow.getByRole("cell").first()).toHaveText("–fewer than 5, or none");
  }

  // One site: the drop-in's 2 is never shown, not even as a difference of the others.
  await trends.getByLabel("Site").selectOption({ label: "Drop-in centre" });
  await expect(trends.getByText(/, Drop-in centre\.$/)).toBeVisible();
  await expect(trends.getByText(/^No needs to show in .*: each fewer than 5, or none\.$/)).toBeVisible();
  await expect(trends.locator(".not-listed")).toContainText("Housing");
  await trends.getByLabel("Site").selectOption({ label: "Outreach van" });
  await expectShownAbout(bar(trends, "Housing"), 10);

  // Another dimension, all sites.
  await trends.getByLabel("Site").selectOption({ label: "All sites" });
  await trends.getByLabel("What to look at").selectOption({ label: "How contacts were reached" });
  await expect(trends.getByRole("img", { name: /How contacts were reached per day/ })).toBeVisible();
  await expect(trends.locator(".bars li").first()).toContainText("Walk-in");
  await expectShownAbout(bar(trends, "Walk-in"), 30);
  await expect(trends.locator(".not-listed")).toContainText(/Fewer than 5 each, or none: Returning and Through a contact's network\./);

  // Calendar periods only: today has no days to chart; last month holds none of today's counts.
  await expect(trends.getByRole("radio", { name: "Choose days" })).toHaveCount(0);
  await trends.getByLabel("What to look at").selectOption({ label: "Needs" });
  await trends.getByRole("radio", { name: "Today" }).check();
  await expectShownAbout(bar(trends, "Housing"), 42);
  await expect(trends.getByRole("img", { name: /Needs per day/ })).toHaveCount(0);
  await expect(trends.getByRole("button", { name: "Download counts per day (CSV)" })).toHaveCount(0);
  await trends.getByRole("radio", { name: "Last month" }).check();
  await expect(trends.getByText(/^No needs to show in .*: each fewer than 5, or none\.$/)).toBeVisible();

  // The CSVs hold published counts only, named by period and site.
  await trends.getByRole("radio", { name: "This month" }).check();
  await expectShownAbout(bar(trends, "Housing"), 42);
  const month = day(0).slice(0, 7);
  const [perDay] = await Promise.all([
    page.waitForEvent("download"),
    trends.getByRole("button", { name: "Download counts per day (CSV)" }).click(),
  ]);
  expect(perDay.suggestedFilename()).toBe(`peerpulse-trends-${month}-per-day.csv`);
  const days = readFileSync((await perDay.path())!, "utf8");
  expect(days.startsWith("period,site,dimension,value,label,count\r\n")).toBeTruthy();
  const housingToday = new RegExp(`^${day(0)},all,need,housing,Housing,(\\d+)\r$`, "m").exec(days);
  expect(housingToday, days).not.toBeNull();
  expectPublished(Number(housingToday![1]), 42);
  expect(days).not.toContain("wound-care");
  await trends.getByLabel("Site").selectOption({ label: "Drop-in centre" });
  await expect(trends.getByText(/^No needs to show/)).toBeVisible();
  const [totals] = await Promise.all([
    page.waitForEvent("download"),
    trends.getByRole("button", { name: "Download period totals (CSV)" }).click(),
  ]);
  expect(totals.suggestedFilename()).toBe(`peerpulse-trends-${month}-drop-in-totals.csv`);
  const csv = readFileSync((await totals.path())!, "utf8");
  expect(csv).not.toContain("housing");
  expect(csv).not.toContain("wound-care");

  // At 360 px nothing widens the page: the heat map scrolls inside its own region.
  await page.setViewportSize({ width: 360, height: 740 });
  await trends.getByLabel("Site").selectOption({ label: "All sites" });
  await expect(heat).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });

  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
});

test("the trend brief is one printable page for a calendar period, with what rose, what is new and the CSV of its tables", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Brief Outreach", "bea");
  const second = await orgWithPhoneToken(page, request);
  const history = [];
  for (let back = 1; back < 12; back++) history.push(need(day(back), "van", "housing", 3));
  // A rise today, counted on two phones (an alert never rests on one worker's entries).
  history.push(need(day(0), "van", "housing", 20));
  history.push({ day: day(0), site: "van", dimension: "reach", value: "peer-referral", count: 12, version: 1 });
  await sync(request, token, history);
  await sync(request, second, [need(day(0), "van", "housing", 20)]);
  for (const phone of [token, second]) {
    await sync(request, phone, [{ day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 6, version: 2 }]);
  }
  await page.reload();

  await page.getByRole("link", { name: "Printable trend brief" }).click();
  await expect(page).toHaveURL(new RegExp(`/brief\\?period=${day(0).slice(0, 7)}$`));
  await expect(page.getByRole("heading", { name: "Brief Outreach", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "This month" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByText(/small day/)).toHaveCount(0);
  const topNeeds = page.locator(".brief-part", { has: page.getByRole("heading", { name: "Top needs" }) });
  await expect(topNeeds.locator(".bars li").first()).toContainText("Housing");
  await expectShownAbout(bar(topNeeds, "Housing"), 40 + 3 * inThisMonth([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).length);
  const rose = page.locator(".brief-part", { has: page.getByRole("heading", { name: "What rose" }) });
  await expect(rose).toContainText(/Housing: \d+ today, usually about \d+ a day\./);
  const [, risen, usual] = /Housing: (\d+) today, usually about (\d+) a day/.exec((await rose.textContent())!)!;
  expectPublished(Number(risen), 40);
  expect(Math.abs(Number(usual) - 3)).toBeLessThanOrEqual(3);
  const fresh = page.locator(".brief-part", { has: page.getByRole("heading", { name: "What is new" }) });
  await expect(fresh).toContainText(/Dental care: \d+ in .*, first noted/);
  expectPublished(firstNumber(/Dental care: (\d+)/.exec((await fresh.textContent())!)![1]), 12);
  const reach = page.locator(".brief-part", { has: page.getByRole("heading", { name: "Reach through networks" }) });
  await expectShownAbout(bar(reach, "Referred by a peer"), 12);

  const [rises] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "What rose (CSV)" }).click(),
  ]);
  expect(rises.suggestedFilename()).toBe(`peerpulse-brief-${day(0).slice(0, 7)}-rose.csv`);
  const csv = readFileSync((await rises.path())!, "utf8");
  const row = new RegExp(`^day,dimension,value,label,count,usual_per_day,methods\\r\\n${day(0)},need,housing,Housing,(\\d+),(\\d+),`).exec(csv);
  expect(row, csv).not.toBeNull();
  expectPublished(Number(row![1]), 40);

  // Another calendar period: today alone.
  await page.getByRole("link", { name: "Today" }).click();
  await expect(page).toHaveURL(new RegExp(`/brief\\?period=${day(0)}$`));
  await expect(page.locator(".brief-scope")).toContainText(/^\w+day,? \d+ \w+ \d{4}All sites/);
  await expectShownAbout(bar(topNeeds, "Housing"), 40);

  // Printed, the brief has no navigation or controls.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Last month" })).toBeHidden();
  await expect(page.getByRole("heading", { name: "Brief Outreach", level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
});

/** Another phone of the organization signed in on `page`. */
async function orgWithPhoneToken(page: Page, request: APIRequestContext): Promise<string> {
  // The page shows no code while the new one is on its way, so the one read is the new one
  // (the code issued before has been used).
  const first = (await page.locator(".issued-code").textContent())!.trim();
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  expect(code).not.toBe(first);
  const enrolled = await request.post(`${url()}/api/v1/enrol`, { data: { code } });
  expect(enrolled.ok(), await enrolled.text()).toBeTruthy();
  return (await enrolled.json()).token;
}

test("managers merge two needs and add a free tag to needs; the trends count each as one, past counts included", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Merge Outreach", "mercy");
  const second = await orgWithPhoneToken(page, request);
  await sync(request, token, [
    need(day(0), "van", "housing", 20),
    need(day(0), "van", "food", 4),
    { day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 6, version: 1 },
  ]);
  await sync(request, second, [
    { day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 6, version: 1 },
  ]);
  await page.reload();
  const trends = page.getByRole("region", { name: "Trends, live" });
  // Food's 4 alone is never shown.
  await expect(trends.locator(".not-listed")).toContainText(/Fewer than 5 each, or none: Food/);
  const codebook = page.getByRole("region", { name: "Codebook" });
  await codebook.getByRole("radio", { name: "Needs" }).check();

  await codebook.getByLabel("Merge this entry").selectOption({ label: "Food" });
  await codebook.getByLabel("into this one").selectOption({ label: "Housing" });
  await codebook.getByRole("button", { name: "Merge", exact: true }).click();
  await expect(codebook.getByRole("status")).toHaveText("Saved as version 2: phones get it on their next sync.");
  await expect(codebook.getByText("food (merged into Housing)")).toBeVisible();
  await expect(codebook.getByRole("button", { name: "Restore Food" })).toBeVisible();

  // The tag two phones typed, as published this quarter; nothing from last quarter.
  const tags = codebook.getByRole("list", { name: "Free tags in use" });
  await expect(tags.getByRole("listitem")).toHaveText([/^Dental care: \d+ encounters this quarter, fewer than 5 last quarter/]);
  expectPublished(firstNumber(await tags.getByRole("listitem").textContent()), 12);
  await codebook.getByRole("button", { name: "Add Dental care to needs" }).click();
  await expect(codebook.getByRole("status")).toHaveText("Saved as version 3: phones get it on their next sync.");
  await expect(codebook.getByText(/^No free tag was used in 5 or more encounters/)).toBeVisible();
  await expect(codebook.getByLabel("Label of dental-care")).toHaveValue("Dental care");

  // Food now counts as housing, and is no longer a need of its own; the tag's counts are the
  // new need's.
  await page.reload();
  const bars = trends.locator(".bars li");
  await expect(bars).toHaveCount(2);
  await expect(bars.first()).toContainText("Housing");
  await expectShownAbout(bar(trends, "Housing"), 24);
  await expect(bars.nth(1)).toContainText("Dental care");
  await expectShownAbout(bar(trends, "Dental care"), 12);
  await expect(trends.locator(".not-listed")).not.toContainText("Food");
});
