// Indicators for funders (issue #20) and the audit log (issue #21), on a laptop screen: a
// manager adopts the starter set and adds an indicator of their own, reads this month's
// report, exports it as CSV and for DHIS2, and the admin's audit log lists the sign-in and
// the exports.
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync, readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { expectShownAbout, THRESHOLD } from "../support/published";

const url = () => process.env.PEERPULSE_URL!;

test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

/** Where screenshots go when PEERPULSE_SHOTS names a directory. */
async function shot(page: Page, name: string, fullPage = true) {
  const dir = process.env.PEERPULSE_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
}

const today = () => new Date().toISOString().slice(0, 10);

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

const bucket = (site: string, dimension: string, value: string | null, count: number) => ({
  day: today(),
  site,
  dimension,
  ...(value === null ? {} : { value }),
  count,
  version: 1,
});

test("a manager adopts the starter indicators, reads this month's report, exports it, and the audit log lists the sign-in and the exports", async ({
  page,
  request,
}) => {
  const token = await orgWithPhone(page, request, "Report Outreach", "riley");
  await sync(request, token, [
    bucket("van", "encounters", null, 30),
    bucket("street", "encounters", null, 20),
    bucket("drop-in", "encounters", null, 2),
    bucket("van", "supply", "needles-syringes", 25),
    bucket("van", "supply-units", "needles-syringes", 250),
    bucket("van", "referral", "drug-treatment", 8),
  ]);
  await page.reload();

  // The starter set, adopted in one click.
  const indicators = page.getByRole("region", { name: "Indicators for funders" });
  await expect(indicators.getByText("No indicator yet.")).toBeVisible();
  await indicators.getByRole("button", { name: "Adopt the starter set" }).click();
  await expect(indicators.getByRole("status")).toContainText("Adopted 6 indicators of the starter set");
  await expect(indicators.getByRole("rowheader", { name: "Contacts" })).toBeVisible();
  await expect(indicators.getByRole("rowheader", { name: "Naloxone kits distributed" })).toBeVisible();
  await expect(indicators.getByRole("button", { name: "Adopt the starter set" })).toHaveCount(0);

  // One of our own: what is wrong is said beside the field, and nothing is sent until it is right.
  await indicators.getByRole("button", { name: "Add an indicator" }).click();
  const form = indicators.getByRole("form", { name: "New indicator" });
  await form.getByRole("button", { name: "Add the indicator" }).click();
  await expect(form.locator("#indicator-name-error")).toHaveText("Give the indicator a name funders will read.");
  await expect(form.getByLabel("Name, as funders read it")).toBeFocused();
  await expect(page.getByText("It cannot be kept")).toHaveCount(0);
  await form.getByLabel("Name, as funders read it").fill("Syringes per person who injects");
  await form.getByLabel("Units of a supply handed out").check();
  await form.getByLabel("Supply", { exact: true }).selectOption({ label: "Needles and syringes" });
  await form.getByLabel("Also show it as a rate").check();
  await form.getByLabel("What the figure is").fill("people who inject in the area (2025 estimate)");
  await form.getByLabel("Value of the figure").fill("many");
  await form.getByLabel("Send it to DHIS2").check();
  await form.getByLabel("DHIS2 data element UID").fill("not a uid");
  await form.getByRole("button", { name: "Add the indicator" }).click();
  await expect(form.locator("#indicator-denominator-value-error")).toHaveText("A number above 0, such as 1200.");
  await expect(form.locator("#indicator-data-element-error")).toContainText("11 letters and digits");
  await expect(form.locator("#indicator-name-error")).toHaveCount(0);
  await expect(form.getByLabel("Value of the figure")).toBeFocused();
  await shot(page, "indicator-form-errors", false);
  await form.getByLabel("Value of the figure").fill("1,200");
  await form.getByLabel("DHIS2 data element UID").fill("fbfJHSPpUQD");
  await form.getByRole("button", { name: "Add the indicator" }).click();
  await expect(indicators.getByRole("status")).toContainText("Added \u201cSyringes per person who injects\u201d");
  const own = indicators.getByRole("row", { name: /Syringes per person who injects/ });
  await expect(own).toContainText("Units of Needles and syringes handed out");
  // The figure is written the language's way (en-GB here).
  await expect(own).toContainText("1,200 people who inject in the area (2025 estimate), per year");
  await expect(own).toContainText("fbfJHSPpUQD (monthly)");

  // Totals go to the organization's DHIS2 unit.
  await indicators.getByText("DHIS2 organisation units and data set").click();
  await indicators.getByLabel("Organisation unit for the totals").fill("ImspTQPwCqd");
  await indicators.getByRole("button", { name: "Save the DHIS2 settings" }).click();
  await expect(indicators.getByRole("status")).toHaveText("Saved the DHIS2 settings.");
  await shot(page, "indicators");

  // This month's report, from the menu.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByRole("heading", { name: "Indicator report: Report Outreach" })).toBeVisible();
  await expect(page.getByRole("link", { name: "This month" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(/Reports cover whole calendar weeks, months and quarters/)).toBeVisible();
  const contacts = page.locator(".report-table tbody").filter({ has: page.locator("tr.indicator th", { hasText: /^Contacts/ }) });
  await expectShownAbout(contacts.locator("tr.total td").first(), 52);
  await expectShownAbout(contacts.getByRole("row", { name: /^Outreach van/ }).getByRole("cell").first(), 30);
  await expect(contacts.getByRole("row", { name: /^Drop-in centre/ }).getByRole("cell").first()).toHaveText(`fewer than ${THRESHOLD}`);
  await expect(contacts.locator("tr.total td").nth(1)).toHaveText(`fewer than ${THRESHOLD}`);
  const syringes = page.locator(".report-table tbody").filter({ has: page.locator("tr.indicator th", { hasText: /^Syringes per person/ }) });
  await expect(syringes.locator("tr.rate")).toContainText(/Rate: [\d.,]+ per year for each of 1,200 people who inject in the area/);
  const protection = page.getByRole("region", { name: "How these values are protected" });
  await expect(protection).toContainText(`nudged up or down at random by up to ${THRESHOLD}`);
  await expect(protection).toContainText("need not equal the sum");
  await shot(page, "report");
  await page.emulateMedia({ media: "print" });
  await shot(page, "report-print");
  await page.emulateMedia({ media: "screen" });

  // The CSV holds the shown values only.
  const month = today().slice(0, 7);
  const [csvFile] = await Promise.all([
    page.waitForEvent("download"),
    page.waitForResponse((r) => r.url().endsWith("/api/v1/audit/export") && r.status() === 204),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(csvFile.suggestedFilename()).toBe(`peerpulse-report-${month}.csv`);
  const csv = readFileSync((await csvFile.path())!, "utf8");
  // Each place by its code, then its name.
  expect(csv.startsWith("indicator,site,site_label,period,value,previous_period,previous_value,change\r\n")).toBeTruthy();
  const total = new RegExp(`^Contacts,all,All sites,${month},(\\d+),`, "m").exec(csv);
  expect(total, csv).not.toBeNull();
  expect(csv).toMatch(new RegExp(`^Contacts,drop-in,Drop-in centre,${month},,`, "m"));

  // For DHIS2: the mapped indicator's total, as dataValueSets JSON.
  const [jsonFile] = await Promise.all([
    page.waitForEvent("download"),
    page.waitForResponse((r) => r.url().endsWith("/api/v1/audit/export") && r.status() === 204),
    page.getByRole("button", { name: "DHIS2 dataValueSets (JSON)" }).click(),
  ]);
  expect(jsonFile.suggestedFilename()).toBe(`peerpulse-dhis2-${month}.json`);
  const set = JSON.parse(readFileSync((await jsonFile.path())!, "utf8"));
  expect(set.dataValues).toHaveLength(1);
  expect(set.dataValues[0]).toMatchObject({ dataElement: "fbfJHSPpUQD", orgUnit: "ImspTQPwCqd", period: month.replace("-", "") });
  expect(typeof set.dataValues[0].value).toBe("string");

  // Calendar periods only: last quarter, from the list.
  await page.getByLabel("Quarter").selectOption({ index: 2 });
  await expect(page).toHaveURL(/\/reports\?period=\d{4}-Q[1-4]$/);
  await expect(page.locator(".report-period")).toContainText("compared with");

  // The admin's audit log: the sign-in and the exports, newest first.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).click();
  const audit = page.getByRole("region", { name: "Audit log" });
  const rows = audit.getByRole("row");
  await expect(rows.nth(1)).toContainText("Exported the indicator report for DHIS2 (JSON)");
  await expect(rows.nth(2)).toContainText("Exported the indicator report as CSV");
  await expect(rows.nth(1)).toContainText(/Today at \d\d:\d\d/);
  await expect(rows.nth(1)).toContainText("riley");
  await expect(audit.getByRole("row", { name: /Signed in/ })).toHaveCount(1);
  await audit.scrollIntoViewIfNeeded();
  await shot(page, "audit", false);

  // Sent to DHIS2 (a stand-in, see server.ts): a dry run first, its counts in words, then for real.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  const dhis2 = page.getByRole("group", { name: "Send to DHIS2" });
  await expect(dhis2.getByRole("button", { name: "Send to DHIS2" })).toBeDisabled();
  await dhis2.getByRole("button", { name: "Check with DHIS2 (dry run)" }).click();
  const code = month.replace("-", "");
  await expect(dhis2.getByRole("status")).toHaveText(
    `Dry run of 1 value for ${code}: DHIS2 would import 0 new values, update 0 and ignore 0; no conflicts. Nothing is stored in DHIS2 until you press \u201cSend to DHIS2\u201d.`,
  );
  await shot(page, "dhis2-dry-run", false);
  await dhis2.getByRole("button", { name: "Send to DHIS2" }).click();
  await expect(dhis2.getByRole("status")).toHaveText(
    `Sent 1 value for ${code}. DHIS2 imported 1 new value, updated 0 and ignored 0; no conflicts.`,
  );
  await shot(page, "dhis2-sent", false);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).click();
  await expect(audit.getByRole("row").nth(1)).toContainText(`Sent the report for ${code} to DHIS2 (values: 1): success; imported 1`);
});

test("the report page has no serious accessibility problem", async ({ page }) => {
  await newOrgAdmin(page, "Axe Reports", "avery");
  const indicators = page.getByRole("region", { name: "Indicators for funders" });
  await indicators.getByRole("button", { name: "Adopt the starter set" }).click();
  await expect(indicators.getByRole("status")).toContainText("Adopted");
  await page.goto(`${url()}/reports`);
  await expect(page.locator(".report-table")).toBeVisible();
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
});
