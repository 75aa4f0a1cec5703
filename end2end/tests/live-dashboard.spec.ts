import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test("an open dashboard shows a phone's sync within 2 seconds, without a reload", async ({ page, request }) => {
  const url = process.env.PEERPULSE_URL!;
  await newOrgAdmin(page, "Live Outreach", "lee");
  await expect(page.getByText(/^No needs to show in .*: each fewer than 5, or none\.$/)).toBeVisible();

  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  const enrolled = await (await request.post(`${url}/api/v1/enrol`, { data: { code } })).json();

  // A phone syncs while the dashboard is open.
  const today = new Date().toISOString().slice(0, 10);
  const synced = await request.post(`${url}/api/v1/sync`, {
    headers: { authorization: `Bearer ${enrolled.token}` },
    data: {
      buckets: [
        { day: today, site: "van", dimension: "encounters", count: 12, version: 1 },
        { day: today, site: "van", dimension: "need", value: "housing", count: 12, version: 1 },
      ],
      codebook_version: 1,
    },
  });
  expect(synced.ok()).toBeTruthy();
  // 12 is published nudged by up to 5, and never below 5.
  const needs = page.getByRole("region", { name: "Needs per day, most frequent first" });
  await expect(needs.getByRole("row", { name: /^Housing/ }).getByRole("cell").last()).toHaveText(/^([5-9]|1[0-7])$/, {
    timeout: 2_000,
  });
});
