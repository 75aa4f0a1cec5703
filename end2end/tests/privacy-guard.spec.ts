import { expect, test } from "@playwright/test";

test("free text that could identify someone is refused until rephrased, and free tags normalize", async ({
  page,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await page.getByRole("radio", { name: "Drop-in centre" }).check();
  await page.getByRole("radio", { name: "Fixed site" }).check();
  await page.getByRole("radio", { name: "Returning" }).check();

  await page.getByLabel("Note on what they shared (optional)").fill("got them off a guy named Tony");
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("alert")).toContainText('"Tony" looks like a name');
  await expect(page.getByText("Nothing logged yet today.")).toBeVisible();

  await page.getByLabel("Note on what they shared (optional)").fill("new pink pills, much stronger");
  await page.getByLabel("Another need (not in the list)").fill("  Dental   CARES ");
  await page.getByRole("button", { name: "Add need" }).click();
  await expect(page.getByRole("list", { name: "Needs you added" })).toHaveText(/Dental care/);

  // The private note may keep a flagged detail, but only when the worker insists.
  await page.getByLabel("Private note (stays on this phone)").fill("ring back on 0412 345 678");
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("alert")).toContainText('"0412 345 678" looks like a phone number');
  await page.getByRole("button", { name: "Keep this note anyway: it never leaves this phone" }).click();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.locator(".save-bar [role=status]")).toContainText("Saved at");
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");

  // Undo takes the entry back out.
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(".save-bar [role=status]")).toHaveText("Undone: the entry was removed.");
  await expect(page.getByText("Nothing logged yet today.")).toBeVisible();
});
