import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

test("a worker chooses to delete counted entries after 30 days; unsent entries stay and the choice survives a reload", async ({
  page,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  // An entry of today, never sent (this phone is not connected).
  await page.getByRole("link", { name: "Log" }).click();
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Saved at/ })).toBeVisible();

  await page.getByRole("link", { name: "Phone" }).click();
  const group = page.getByRole("group", { name: "Delete entries from this phone after sending" });
  await expect(group.getByRole("radio", { name: "Keep every entry" })).toBeChecked();
  const month = group.getByRole("radio", { name: "After 30 days" });
  // The whole labelled row is the touch target.
  const row = await group.locator("label", { hasText: "After 30 days" }).boundingBox();
  expect(row!.height).toBeGreaterThanOrEqual(44);
  await month.check();
  await expect(page.getByTestId("keep-entries-status")).toHaveText("Saved.");
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/keep-entries-360.png" });
  const scan = await new AxeBuilder({ page })
    .include(".keep-entries")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(scan.violations).toEqual([]);

  await page.reload();
  await page.getByRole("link", { name: "Phone" }).click();
  await expect(
    page
      .getByRole("group", { name: "Delete entries from this phone after sending" })
      .getByRole("radio", { name: "After 30 days" }),
  ).toBeChecked();
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.locator(".entry", { hasText: "Outreach van" })).toHaveCount(1);
});
