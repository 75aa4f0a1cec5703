// Keeping data: an admin chooses how long each phone's own counts are kept; the choice is
// stored, survives a reload, is in the audit log, and only admins see it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

test("an admin keeps per-phone counts for six months, and the audit log says who chose it", async ({ page }) => {
  await newOrgAdmin(page, "Harbour keeping", "keeper");
  await page
    .getByRole("navigation", { name: "Sections of this page" })
    .getByRole("link", { name: "Keeping data" })
    .click();
  const section = page.getByRole("region", { name: "Keeping data" });
  const choice = section.getByLabel("Keep each phone's own counts for");
  await expect(choice).toHaveValue("always");
  await expect(section).toContainText("Counts smaller than");
  await choice.selectOption({ label: "6 months" });
  await section.getByRole("button", { name: "Save" }).click();
  await expect(section.getByRole("status")).toHaveText("Saved. The next fold, within the hour, applies it.");
  expect((await new AxeBuilder({ page }).include("#keeping").analyze()).violations).toEqual([]);

  await page.reload();
  await expect(page.getByRole("region", { name: "Keeping data" }).getByLabel("Keep each phone's own counts for")).toHaveValue("6");
  const audit = page.getByRole("region", { name: "Audit log" });
  await expect(audit.getByRole("row", { name: /Each phone's own counts now kept for 6 months/ })).toContainText(
    "keeper",
  );
});
