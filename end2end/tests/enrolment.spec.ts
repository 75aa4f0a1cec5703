import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

test("a lost answer to the first enrolment: the phone says Connecting…, tries again by itself with the same code, ends enrolled and syncs, and the organization has one phone", async ({
  page,
}) => {
  await newOrgAdmin(page, "Weak Signal Outreach", "wanda");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();

  // The first enrolment reaches the service, which uses up the code and makes a device; its
  // answer is then lost on the way back, as on a cut link. Later tries pass.
  let enrolments = 0;
  await page.route("**/api/v1/enrol", async (route) => {
    enrolments += 1;
    if (enrolments === 1) {
      const answered = await route.fetch();
      expect(answered.status()).toBe(201);
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });

  await page.goto(url());
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  // While it retries the worker sees that it is connecting, not an error.
  await expect(page.getByTestId("connecting")).toContainText("keeps trying by itself");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced", { timeout: 20_000 });
  expect(enrolments).toBe(2);
  await expect(page.getByTestId("confirmed")).toContainText("Weak Signal Outreach · counts confirmed just now");

  // The service made one device for this phone, not one per try, and it has synced.
  const devices = await (await page.request.get(`${url()}/api/v1/devices`)).json();
  expect(devices).toHaveLength(1);
  expect(devices[0].last_sync_at).not.toBeNull();

  // The used code stays useless to any other phone.
  const other = await page.request.post(`${url()}/api/v1/enrol`, {
    data: { code, installation_id: "another-phone-entirely-0001" },
  });
  expect(other.status()).toBe(403);
});
