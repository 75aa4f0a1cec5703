import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { seed } from "../support/seed";

async function log(page: Page, need: string, expectedToday: number) {
  await page.getByRole("radio", { name: "Street outreach" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: need }).check();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByTestId("today-count")).toHaveText(`${expectedToday} logged today`);
}

test("history summarizes the day, filters, exports, and lets the worker correct and delete recent entries", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await log(page, "Housing", 1);
  await log(page, "Food", 2);

  // Choices keep the codebook's order however often another is used (nothing moves).
  await page.reload();
  await expect(page.getByRole("group", { name: "Site or area" }).locator(".chip").first()).toHaveText("Drop-in centre");

  await page.getByRole("link", { name: "History" }).click();
  const day = page.getByTestId("history-day");
  await expect(day).toHaveCount(1);
  await expect(day.locator(".summary")).toHaveText("2 encounters, 2 needs noted");
  await expect(day.locator(".entry")).toHaveCount(2);

  await page.getByLabel("Need").selectOption({ label: "Food" });
  await expect(day.locator(".entry")).toHaveCount(1);
  await expect(day.locator(".summary")).toHaveText("1 encounter, 1 need noted");
  await page.getByLabel("Need").selectOption({ label: "Any" });
  await page.getByLabel("Search").fill("housing");
  await expect(day.locator(".entry")).toHaveCount(1);

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^peerpulse-entries-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await file.path(), "utf8").trim().split("\r\n");
  expect(csv[0]).toBe(
    "Entry,Date,Part of the day (code),Part of the day,Site or area (code),Site or area,How it happened (code),How it happened,How the contact was reached (code),How the contact was reached,You shared (code),You shared,They shared (code),They shared,Needs (code),Needs,Needs you added,Supplies given (code),Supplies given,Referred to (code),Referred to,Note on what they shared,Private note,Codebook version",
  );
  expect(csv).toHaveLength(3);
  const header = csv[0].split(",");
  const column = (name: string) => csv.slice(1).map((row) => row.split(",")[header.indexOf(name)]).sort();
  expect(column("Needs")).toEqual(["Food", "Housing"]);
  expect(column("Needs (code)")).toEqual(["food", "housing"]);
  expect(column("Date").every((day) => /^\d{4}-\d{2}-\d{2}$/.test(day))).toBe(true);
  await expect(page.getByText("Exported 2 entries.")).toBeVisible();

  // A past entry can be corrected: only what changed moves.
  await page.getByLabel("Search").fill("");
  const housing = day.locator(".entry", { hasText: "Housing" });
  await housing.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Correct an entry" })).toBeVisible();
  const needs = page.getByRole("group", { name: "Needs" });
  await expect(needs.getByRole("checkbox", { name: "Housing" })).toBeChecked();
  await needs.getByRole("checkbox", { name: "Housing" }).uncheck();
  await needs.getByRole("checkbox", { name: "Detox / treatment" }).check();
  await page.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(day.locator(".entry", { hasText: "Detox / treatment" })).toHaveCount(1);
  await expect(day.locator(".entry", { hasText: "Housing" })).toHaveCount(0);

  // And deleted, after a confirmation.
  await day.locator(".entry", { hasText: "Detox" }).getByRole("button", { name: "Delete" }).click();
  await day.locator(".entry", { hasText: "Detox" }).getByRole("button", { name: "Yes, delete" }).click();
  await expect(day.locator(".summary")).toHaveText("1 encounter, 1 need noted");
});

test("a long history lists whole days a page at a time, newest first, until none remain", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  // 450 entries, one a day back from 1 Dec 2025 and round again: the newest 85 days hold two.
  await seed(page, 450);
  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("radio", { name: "Everything" }).check();
  const entries = page.locator(".history .entry");
  const more = page.getByRole("button", { name: "Show earlier entries" });
  // 170 entries on the 85 newest days, then one a day until 200: back to 9 Aug 2025.
  await expect(entries).toHaveCount(200);
  await expect(page.getByTestId("history-day").first()).toContainText("Monday 1 December");
  await expect(page.getByText("Showing entries from 9 August 2025 on.")).toBeVisible();
  await more.click();
  await expect(entries).toHaveCount(400);
  await expect(page.getByText("Showing entries from 21 January 2025 on.")).toBeVisible();
  await more.click();
  await expect(entries).toHaveCount(450);
  await expect(more).toBeHidden();
  await expect(page.getByTestId("history-day").last()).toContainText("Monday 2 December");
  // Filters apply to what is listed.
  await page.getByLabel("Need").selectOption({ label: "Housing" });
  await expect(entries).toHaveCount(90);
});

test("going far back holds three pages at a time, and newer ones come back", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  // 700 entries, one a day back from 1 Dec 2025 and round again: the newest 335 days hold
  // two, so pages of 200 end on 24 Aug 2025 and 5 Feb 2025, and the fourth holds the last 100.
  await seed(page, 700);
  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("radio", { name: "Everything" }).check();
  const entries = page.locator(".history .entry");
  const days = page.getByTestId("history-day");
  const earlier = page.getByRole("button", { name: "Show earlier entries" });
  const newer = page.getByRole("button", { name: "Show newer entries" });
  await expect(entries).toHaveCount(200);
  await earlier.click();
  await expect(entries).toHaveCount(400);
  await earlier.click();
  await expect(entries).toHaveCount(600);
  await expect(newer).toBeHidden();
  await expect(page.getByText("Showing entries from 5 February 2025 on.")).toBeVisible();

  // A fourth page lets go of the newest.
  await earlier.click();
  await expect(entries).toHaveCount(500);
  await expect(earlier).toBeHidden();
  await expect(days.first()).toContainText("Saturday 23 August");
  await expect(days.last()).toContainText("Monday 2 December");
  await expect(page.getByText("Showing entries up to 23 August 2025.")).toBeVisible();

  // Going forward reads it again and lets go of the oldest.
  await newer.click();
  await expect(entries).toHaveCount(600);
  await expect(newer).toBeHidden();
  await expect(days.first()).toContainText("Monday 1 December");
  await expect(days.last()).toContainText("Wednesday 5 February");
  await expect(page.getByText("Showing entries from 5 February 2025 on.")).toBeVisible();
  await expect(earlier).toBeVisible();
});

test("a sync landing resets neither the page of History being read nor a correction being typed", async ({ page }) => {
  // An organization of its own, so its counts reach no other test's dashboard.
  await newOrgAdmin(page, "History Sync Outreach", "hilda");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  await page.goto(process.env.PEERPULSE_URL!);
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  await log(page, "Housing", 1);
  await seed(page, 450);
  // What the service worker's wake-up does: the page syncs. A sync changes no entry, so what
  // the worker reads or types stays; the pause gives a wrong reset time to show.
  const syncLands = async () => {
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/sync")),
      page.evaluate(() => window.dispatchEvent(new Event("peerpulse-sync"))),
    ]);
    await page.waitForTimeout(500);
  };

  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("radio", { name: "Everything" }).check();
  const entries = page.locator(".history .entry");
  await page.getByRole("button", { name: "Show earlier entries" }).click();
  await expect(entries).toHaveCount(400);
  // Today's entry and the seed's: the second page ends on 22 January 2025.
  const position = page.getByText("Showing entries from 22 January 2025 on.");
  await expect(position).toBeVisible();
  await syncLands();
  await expect(entries).toHaveCount(400);
  await expect(position).toBeVisible();

  await page.getByRole("radio", { name: "Today" }).check();
  await page.locator(".history .entry").getByRole("link", { name: "Edit" }).click();
  const needs = page.getByRole("group", { name: "Needs" });
  await needs.getByRole("checkbox", { name: "Food" }).check();
  await syncLands();
  await expect(needs.getByRole("checkbox", { name: "Food" })).toBeChecked();
  await expect(needs.getByRole("checkbox", { name: "Housing" })).toBeChecked();
});

test("the CSV is headed and labelled in the worker's language, with the codes and dates as they are", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await log(page, "Housing", 1);
  await page.getByRole("link", { name: "Phone" }).click();
  await page.getByLabel("Language").selectOption("es");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByRole("link", { name: "Historial" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Exportar CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").trim().split("\r\n");
  expect(csv[0]).toMatch(/^Entrada,Fecha,Parte del día \(código\),Parte del día,Sitio o zona \(código\),Sitio o zona,/);
  const header = csv[0].split(",");
  const row = csv[1].split(",");
  const cell = (name: string) => row[header.indexOf(name)];
  expect(cell("Fecha")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(cell("Cómo fue (código)")).toBe("outreach");
  expect(cell("Cómo fue")).toBe("En la calle");
  expect(cell("Cómo llegó la persona (código)")).toBe("walk-in");
  expect(cell("Cómo llegó la persona")).toBe("Vino por su cuenta");
  expect(cell("Necesidades (código)")).toBe("housing");
});
