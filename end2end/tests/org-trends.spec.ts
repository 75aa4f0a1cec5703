import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

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

test("managers filter the trends by period, site and dimension, read charts and export only what may be shown", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Chart Outreach", "morgan");
  await sync(request, token, [
    need(day(0), "van", "housing", 10),
    need(day(0), "drop-in", "housing", 2),
    need(day(0), "street", "housing", 30),
    need(day(2), "van", "food", 6),
    { day: day(0), site: "van", dimension: "reach", value: "peer-referral", count: 9, version: 1 },
    { day: day(0), site: "van", dimension: "reach", value: "walk-in", count: 6, version: 1 },
  ]);
  await page.reload();
  const trends = page.getByRole("region", { name: "Trends, live" });

  // Needs by default: a line chart with a text alternative, bars and a heat map.
  const chart = trends.getByRole("img", { name: /Needs per day/ });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(/Housing: 42 on the last day, highest 42 on/);
  const bars = trends.locator(".bars li");
  await expect(bars.first()).toContainText("Housing");
  await expect(bars.first()).toContainText("42");
  await expect(bars.nth(1)).toContainText("Food");
  await expect(bars.nth(1)).toContainText("6");
  const heat = trends.getByRole("region", { name: "Needs per day, most frequent first" });
  await expect(heat.getByRole("row", { name: /^Housing/ })).toContainText("42");

  // One site: the drop-in's 2 is below 5, and the van's 10 is held back so 42 - 30 gives nothing away.
  await trends.getByLabel("Site").selectOption({ label: "Drop-in centre" });
  await expect(trends.getByText(/Drop-in centre\. Counts below 5/)).toBeVisible();
  await expect(heat.getByRole("row", { name: /^Housing/ })).toContainText("<5");
  await expect(trends.locator(".bars li").first()).toContainText("0 + 1 small day");
  await trends.getByLabel("Site").selectOption({ label: "Outreach van" });
  await expect(heat.getByRole("row", { name: /^Housing/ })).toContainText("hidden");
  await expect(heat.getByRole("row", { name: /^Housing/ })).not.toContainText("10");

  // Another dimension, all sites.
  await trends.getByLabel("Site").selectOption({ label: "All sites" });
  await trends.getByLabel("What to look at").selectOption({ label: "How contacts were reached" });
  await expect(trends.getByRole("img", { name: /How contacts were reached per day/ })).toBeVisible();
  await expect(trends.locator(".bars li").first()).toContainText("9");

  // A chosen period that ends before today's counts.
  await trends.getByLabel("What to look at").selectOption({ label: "Needs" });
  await trends.getByRole("radio", { name: "Choose days" }).check();
  await trends.getByLabel("First day").fill(day(5));
  await trends.getByLabel("Last day").fill(day(1));
  await expect(trends.locator(".bars li")).toHaveCount(1);
  await expect(trends.locator(".bars li").first()).toContainText("Food");

  // The CSV holds the suppressed counts only.
  await trends.getByRole("radio", { name: "30 days" }).check();
  await trends.getByLabel("Site").selectOption({ label: "Drop-in centre" });
  await expect(heat.getByRole("row", { name: /^Housing/ })).toContainText("<5");
  const [daily] = await Promise.all([
    page.waitForEvent("download"),
    trends.getByRole("button", { name: "Download daily counts (CSV)" }).click(),
  ]);
  expect(daily.suggestedFilename()).toMatch(/^peerpulse-trends-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d-drop-in-daily\.csv$/);
  const csv = readFileSync((await daily.path())!, "utf8");
  expect(csv).toContain(`${day(0)},need,housing,Housing,<5\r\n`);
  expect(csv).not.toMatch(/,2\r\n/);

  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
});

test("the trend brief is one printable page with what rose, what is new and the CSV of its tables", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Brief Outreach", "bea");
  const history = [];
  for (let back = 1; back < 12; back++) history.push(need(day(back), "van", "housing", 3));
  history.push(need(day(0), "van", "housing", 14));
  history.push({ day: day(0), site: "van", dimension: "reach", value: "peer-referral", count: 12, version: 1 });
  await sync(request, token, history);
  const second = await orgWithPhoneToken(page, request);
  for (const phone of [token, second]) {
    await sync(request, phone, [{ day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 3, version: 2 }]);
  }

  await page.getByRole("link", { name: "Printable trend brief" }).click();
  await expect(page.getByRole("heading", { name: "Trend brief: Brief Outreach" })).toBeVisible();
  const topNeeds = page.locator(".brief-part", { has: page.getByRole("heading", { name: "Top needs" }) });
  await expect(topNeeds.locator(".bars li").first()).toContainText("Housing");
  // 11 days of 3 are each below 5: left out of the total and counted apart.
  await expect(topNeeds.locator(".bars li").first()).toContainText("14 + 11 small days");
  const rose = page.locator(".brief-part", { has: page.getByRole("heading", { name: "What rose" }) });
  await expect(rose).toContainText(/Housing rose on .*: 14 against about 3 a day before/);
  const fresh = page.locator(".brief-part", { has: page.getByRole("heading", { name: "What is new" }) });
  await expect(fresh).toContainText("Dental care, noted on 2 phones since");
  const reach = page.locator(".brief-part", { has: page.getByRole("heading", { name: "Reach through networks" }) });
  await expect(reach.locator(".bars li").first()).toContainText("12");

  const [rises] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "What rose (CSV)" }).click(),
  ]);
  const csv = readFileSync((await rises.path())!, "utf8");
  expect(csv).toMatch(new RegExp(`^day,dimension,value,label,count,baseline_mean,methods\\r\\n${day(0)},need,housing,Housing,14,3,`));

  // Printed, the brief has no navigation or controls.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await expect(page.getByRole("heading", { name: "Trend brief: Brief Outreach" })).toBeVisible();
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
    need(day(0), "van", "housing", 6),
    need(day(0), "van", "food", 3),
    { day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 4, version: 1 },
  ]);
  await sync(request, second, [
    { day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 3, version: 1 },
  ]);
  await page.reload();
  const codebook = page.getByRole("region", { name: "Codebook" });
  await codebook.getByRole("radio", { name: "Needs" }).check();

  await codebook.getByLabel("Merge this entry").selectOption({ label: "Food" });
  await codebook.getByLabel("into this one").selectOption({ label: "Housing" });
  await codebook.getByRole("button", { name: "Merge", exact: true }).click();
  await expect(codebook.getByRole("status")).toHaveText("Saved as version 2: phones get it on their next sync.");
  await expect(codebook.getByText("food (merged into Housing)")).toBeVisible();
  await expect(codebook.getByRole("button", { name: "Restore Food" })).toBeVisible();

  const tags = codebook.getByRole("list", { name: "Free tags in use" });
  await expect(tags.getByRole("listitem")).toHaveText([/Dental care: 7 encounters counted/]);
  await codebook.getByRole("button", { name: "Add Dental care to needs" }).click();
  await expect(codebook.getByRole("status")).toHaveText("Saved as version 3: phones get it on their next sync.");
  await expect(codebook.getByText("No free tag was used in enough encounters")).toBeVisible();
  await expect(codebook.getByLabel("Label of dental-care")).toHaveValue("Dental care");

  // Food's 3 (below 5 alone) now count with housing; the tag's 7 are the new need's.
  await page.reload();
  const bars = page.getByRole("region", { name: "Trends, live" }).locator(".bars li");
  await expect(bars).toHaveCount(2);
  await expect(bars.first()).toContainText("Housing");
  await expect(bars.first()).toContainText("9");
  await expect(bars.nth(1)).toContainText("Dental care");
  await expect(bars.nth(1)).toContainText("7");
});
