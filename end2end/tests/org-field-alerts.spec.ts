import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { adminOf, newManager } from "../support/field-alerts";

const url = () => process.env.PEERPULSE_URL!;

test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

test("on the organization page a manager drafts an alert, another person approves, updates and withdraws it; reach shows only from the threshold and the history names who did what", async ({
  page,
  browser,
}) => {
  await newOrgAdmin(page, "Alert Desk", "ada-desk");
  const admin = await adminOf(page);
  await newManager(admin, "mo-desk");
  const section = page.getByRole("region", { name: "Alerts to workers" });
  await expect(section.getByText("No alerts yet.")).toBeVisible();

  // The manager, in a browser of their own, drafts the alert.
  const managerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const manager = await managerContext.newPage();
  await manager.goto(`${url()}/org?org=${admin.org}`);
  await manager.getByLabel("Username").fill("mo-desk");
  await manager.getByLabel("Password").fill("a manager's long secret");
  await manager.getByRole("button", { name: "Sign in" }).click();
  const desk = manager.getByRole("region", { name: "Alerts to workers" });
  await desk.getByLabel("Kind").selectOption({ label: "Drug supply" });
  await desk.getByRole("checkbox", { name: "Outreach van" }).check();
  await desk.getByLabel("Message in English, with what to do").fill("Strong batch near the station: test your supply, don't use alone.");
  await desk.getByLabel("Another language (optional), such as es").fill("es");
  await desk.getByLabel("Message in that language").fill("Lote fuerte cerca de la estación: analiza lo que usas.");
  await desk.getByLabel("How sure").selectOption({ label: "Reported by workers" });
  await desk.getByRole("button", { name: "Save as a draft" }).click();
  await expect(desk.getByRole("status")).toContainText("Saved as a draft (version 1)");
  const mine = desk.getByRole("listitem").filter({ hasText: "Strong batch near the station" });
  await expect(mine).toContainText("Draft: waiting for approval");
  // Its author cannot approve it.
  await mine.getByRole("button", { name: "Approve the alert: Strong batch near the station" }).click();
  await expect(desk.getByRole("alert")).toContainText("second person");
  await managerContext.close();

  // The admin approves it.
  await page.reload();
  const row = section.getByRole("listitem").filter({ hasText: "Strong batch near the station" });
  await expect(row).toContainText("Draft: waiting for approval");
  await row.getByRole("button", { name: "Approve the alert: Strong batch near the station" }).click();
  await expect(section.getByRole("status")).toHaveText("Approved: phones get it on their next sync.");
  await expect(row).toContainText("Published: on the phones");
  await expect(row.locator(".reach")).toHaveText("Received by fewer than 5 phones, passed on by fewer than 5");

  // An update (confirmed by drug checking) waits for approval while version 1 stays up.
  await row.getByRole("button", { name: "Update the alert: Strong batch near the station" }).click();
  await expect(section.getByRole("heading", { name: /Update alert \d+/ })).toBeVisible();
  await section.getByLabel("How sure").selectOption({ label: "Confirmed by drug checking" });
  await section.getByRole("button", { name: "Save the update as a draft" }).click();
  await expect(row).toContainText("Update waiting for approval (version 1 stays up)");
  await expect(row).toContainText("Confirmed by drug checking");

  // Withdrawn, it says so, and the history names each step and who took it.
  await row.getByRole("button", { name: "Withdraw the alert: Strong batch near the station" }).click();
  await expect(row).toContainText("Withdrawn");
  await expect(row.getByRole("button", { name: /Approve|Withdraw|Update/ })).toHaveCount(0);
  await row.getByText("History").click();
  const steps = row.locator(".alert-history li");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("Drafted (version 1) by mo-desk");
  await expect(steps.nth(1)).toContainText("Approved (version 1) by ada-desk");
  await expect(steps.nth(2)).toContainText("Updated (version 2) by ada-desk");
  await expect(steps.nth(3)).toContainText("Withdrawn (version 2) by ada-desk");
  await page.screenshot({ path: "test-results/org-alerts-1280.png", fullPage: false });
});
