import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 } });

test("an admin makes a one-time password link; the person chooses a new password with it and is signed in", async ({
  page,
  browser,
}) => {
  await newOrgAdmin(page, "Reset Outreach", "rhea");
  const people = page.locator("section", { has: page.getByRole("heading", { name: "People" }) });
  await people.getByLabel("Username").fill("rob");
  await people.getByLabel("First password (hand it over in person)").fill("first password here");
  await people.getByRole("button", { name: "Add person" }).click();
  const row = people.getByRole("row", { name: /rob/ });
  await expect(row).toBeVisible();

  // Rob is signed in elsewhere; the link signs him out there at once.
  const robsLaptop = await (await browser.newContext()).newPage();
  await robsLaptop.goto(`${process.env.PEERPULSE_URL}/org?org=reset-outreach`);
  await robsLaptop.getByLabel("Username").fill("rob");
  await robsLaptop.getByLabel("Password").fill("first password here");
  await robsLaptop.getByRole("button", { name: "Sign in" }).click();
  await expect(robsLaptop.getByText("Signed in as rob (Viewer)")).toBeVisible();

  await row.getByRole("button", { name: "New password link" }).click();
  const shown = people.locator(".reset-link");
  await expect(shown).toContainText("rob is signed out everywhere");
  const link = (await shown.locator(".issued-link").textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${process.env.PEERPULSE_URL}/password#[0-9a-f]{64}$`));
  await page.screenshot({ path: "test-results/password-link-1280.png", fullPage: true });

  const rob = await (await browser.newContext()).newPage();
  await rob.goto(link);
  await expect(rob.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await rob.getByLabel("New password (at least 10 characters)").fill("password12");
  await rob.getByLabel("New password again").fill("password12");
  await rob.getByRole("button", { name: "Save my new password" }).click();
  await expect(rob.getByRole("alert")).toContainText("one of the most common in leaked password lists");
  await rob.getByLabel("New password (at least 10 characters)").fill("lantern by the harbour");
  await rob.getByLabel("New password again").fill("lantern by the harbour");
  await rob.getByRole("button", { name: "Save my new password" }).click();
  await expect(rob.getByText("Signed in as rob (Viewer)")).toBeVisible();

  // The old session is over, and the old password no longer works.
  await robsLaptop.reload();
  await expect(robsLaptop.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await robsLaptop.getByLabel("Organization").fill("reset-outreach");
  await robsLaptop.getByLabel("Username").fill("rob");
  await robsLaptop.getByLabel("Password").fill("first password here");
  await robsLaptop.getByRole("button", { name: "Sign in" }).click();
  await expect(robsLaptop.getByRole("alert")).toContainText("do not match an account");

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.getByLabel("New password (at least 10 characters)").fill("another long secret");
  await again.getByLabel("New password again").fill("another long secret");
  await again.getByRole("button", { name: "Save my new password" }).click();
  await expect(again.getByRole("alert")).toContainText("unknown, already used or expired");
});
