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

  // A correction made offline is on the phone again until the next sync, in History too.
  await context.setOffline(true);
  await page.getByRole("link", { name: "History" }).click();
  const history = page.locator(".history .entry");
  await history.filter({ hasText: "Housing" }).getByRole("link", { name: "Edit" }).click();
  await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: "Food" }).check();
  await page.getByRole("button", { name: "Save correction" }).click();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  const corrected = history.filter({ hasText: "Housing" }).locator(".receipt");
  await expect(corrected).toHaveText(/On this phone: not sent yet/);
  await expect(history.filter({ hasText: "Detox" }).locator(".receipt")).toHaveText(/Counted by the service/);
  await context.setOffline(false);
  await expect(corrected).toHaveText(/Counted by the service/, { timeout: 20_000 });
});
