import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

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

  // The phone learned this worker's usual choices: they come first next time.
  await page.reload();
  await expect(page.getByRole("group", { name: "Site or area" }).locator(".chip").first()).toHaveText("Street outreach");

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
    "id,day,time_band,site,kind,reach,topics,insights,needs,free_tags,supplies,referrals,insight_note,private_note,codebook_version",
  );
  expect(csv).toHaveLength(3);
  expect(csv.slice(1).map((row) => row.split(",")[8]).sort()).toEqual(["food", "housing"]);
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
  page.once("dialog", (dialog) => dialog.accept());
  await day.locator(".entry", { hasText: "Detox" }).getByRole("button", { name: "Delete" }).click();
  await expect(day.locator(".summary")).toHaveText("1 encounter, 1 need noted");
});
