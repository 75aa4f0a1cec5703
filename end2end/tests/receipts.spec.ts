import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

/** Logs one encounter at the van with `need`. */
async function log(page: Page, need: string) {
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: need }).check();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.locator(".save-bar [role=status]")).toContainText("Saved at");
}

test("each entry says whether its counts are on the phone, sent or counted, through save, a lost answer, offline, correction and sync; the sync line says when counts were last confirmed", async ({
  page,
  context,
}) => {
  await newOrgAdmin(page, "Receipts Outreach", "rhea");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  await page.goto(url());
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");

  const today = page.locator(".today .entry");
  const receipt = (need: string) => today.filter({ hasText: need }).locator(".receipt");

  // Saved and synced: counted.
  await log(page, "Housing");
  await expect(receipt("Housing")).toHaveText(/Counted by the service/);
  await expect(page.getByTestId("confirmed")).toContainText("counts confirmed just now");

  // The sync request reaches the service but its answer is lost: sent, not yet confirmed.
  await page.route("**/api/v1/sync", async (route) => {
    await route.fetch().catch(() => undefined);
    await route.abort("connectionreset").catch(() => undefined);
  });
  await log(page, "Food");
  await expect(receipt("Food")).toHaveText(/Sent: waiting for the service to confirm/);
  await expect(receipt("Housing")).toHaveText(/Counted by the service/);

  // Offline: a new entry stays on the phone.
  await context.setOffline(true);
  await log(page, "Detox / treatment");
  await expect(receipt("Detox")).toHaveText(/On this phone: not sent yet/);

  // Back online with a working link: everything is counted.
  await page.unroute("**/api/v1/sync");
  await context.setOffline(false);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced", { timeout: 20_000 });
  for (const need of ["Housing", "Food", "Detox"]) await expect(receipt(need)).toHaveText(/Counted by the service/);

  // A correction made offline says so, and is on the phone until the next sync, in History too.
  await context.setOffline(true);
  await page.getByRole("link", { name: "History" }).click();
  const history = page.locator(".history .entry");
  await history.filter({ hasText: "Housing" }).getByRole("link", { name: "Edit" }).click();
  await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: "Food" }).check();
  await page.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  const corrected = history.filter({ hasText: "Housing" }).locator(".receipt");
  await expect(corrected).toHaveText(/Correction on this phone: not sent yet/);
  await expect(corrected).toHaveAttribute("data-receipt", "on-phone");
  await expect(history.filter({ hasText: "Detox" }).locator(".receipt")).toHaveText(/^. Counted by the service$/);

  // Its sync's answer is lost: the correction is sent, not yet confirmed.
  await page.route("**/api/v1/sync", async (route) => {
    await route.fetch().catch(() => undefined);
    await route.abort("connectionreset").catch(() => undefined);
  });
  await context.setOffline(false);
  await expect(corrected).toHaveText(/Correction sent: waiting for the service to confirm/, { timeout: 20_000 });

  // A delete, offline: the removal is listed as on the phone, then sent, then it is gone once counted.
  await context.setOffline(true);
  const detox = history.filter({ hasText: "Detox" });
  await detox.getByRole("button", { name: "Delete" }).click();
  await detox.getByRole("button", { name: "Yes, delete" }).click();
  await expect(history.filter({ hasText: "Detox" })).toHaveCount(0);
  const removals = page.getByRole("region", { name: "Deleted, not yet counted" });
  const removal = removals.locator(".receipt");
  await expect(removal).toHaveText(/Deleted: the removal is on this phone, not sent yet/);
  await expect(removals.locator(".entry")).toContainText(new Date().toLocaleDateString("en-GB", { weekday: "long" }));
  // Only the day goes with it: nothing of what the entry said.
  await expect(removals).not.toContainText("Detox");
  await page.screenshot({ path: "test-results/history-removal-360.png" });
  await context.setOffline(false);
  await expect(removal).toHaveText(/Deleted: removal sent, waiting for the service to confirm/, { timeout: 20_000 });

  // The link works again: the correction and the removal are counted, and the removal leaves the list.
  await page.unroute("**/api/v1/sync");
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(removals).toHaveCount(0, { timeout: 20_000 });
  await expect(corrected).toHaveText(/Correction counted by the service/, { timeout: 20_000 });
  await page.reload();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(corrected).toHaveText(/Correction counted by the service/);
  await expect(removals).toHaveCount(0);
});
