import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

test("the first admin signs in from the one-time link, enrols a phone by QR link, and adds a viewer who cannot", async ({
  page,
  browser,
}) => {
  await page.goto(process.env.PEERPULSE_ADMIN_LINK!);
  await expect(page.getByRole("heading", { name: "Welcome to PeerPulse" })).toBeVisible();
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password (at least 10 characters)").fill("short");
  await page.getByLabel("Password again").fill("short");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("alert")).toContainText("a password is 10 to 200 characters");
  await page.getByLabel("Password (at least 10 characters)").fill("password12");
  await page.getByLabel("Password again").fill("password12");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("alert")).toContainText("one of the most common in leaked password lists");
  await page.getByLabel("Password (at least 10 characters)").fill("harbour lights at night");
  await page.getByLabel("Password again").fill("harbour lights at night");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name: "PeerPulse demo" })).toBeVisible();
  await expect(page.getByText("Signed in as ana (Admin)")).toBeVisible();
  await expect(page.locator(".sign-in-address")).toHaveText(`${process.env.PEERPULSE_URL}/org?org=peerpulse-demo`);

  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.locator(".qr svg")).toBeVisible();
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  // The phone opens the QR code's link and enrols itself.
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(`${process.env.PEERPULSE_URL}/enrol#${code}`);
  await expect(phone.getByRole("status")).toHaveText(
    "This phone is connected to PeerPulse demo. It syncs by itself from now on.",
  );
  // A code works once.
  const second = await (await browser.newContext()).newPage();
  await second.goto(`${process.env.PEERPULSE_URL}/enrol#${code}`);
  await expect(second.getByRole("alert")).toContainText("unknown, already used or expired");

  await page.reload();
  await expect(page.getByRole("button", { name: /^Revoke dev-/ }).first()).toBeVisible();
  // Eight weeks per phone, each column headed by its Monday on one line.
  const captures = page.getByRole("region", { name: "Encounters per phone and week" });
  await expect(captures.getByRole("columnheader", { name: "Phone" })).toBeVisible();
  await expect(captures.getByRole("columnheader")).toHaveCount(9);
  await expect(captures.getByRole("columnheader").last()).toHaveText(/^\d{1,2} [A-Z][a-z]{2}$/);
  const header = await captures.getByRole("columnheader").last().boundingBox();
  expect(header!.height).toBeLessThan(40);
  expect(await captures.getByRole("row").count()).toBeGreaterThan(1);
  const again = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(again.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  await page.getByLabel("Username").fill("vic");
  await page.getByRole("radio", { name: "Viewer" }).check();
  await page.getByLabel("First password (hand it over in person)").fill("first password here");
  await page.getByRole("button", { name: "Add person" }).click();
  const vic = page.getByRole("row", { name: /^vic\b/ });
  await expect(vic.getByLabel("Role of vic")).toHaveValue("viewer");
  // Access can be taken away and given back; the last admin's cannot.
  await vic.getByRole("button", { name: "Take access away" }).click();
  await expect(vic).toContainText("Access taken away");
  await vic.getByRole("button", { name: "Give access back" }).click();
  await expect(vic).toContainText("Can sign in");
  const me = page.getByRole("row", { name: /^ana\b/ });
  await me.getByRole("button", { name: "Take access away" }).click();
  await expect(page.getByRole("region", { name: "People" }).getByRole("alert")).toContainText("without an admin");

  // The codebook grows with the team: a new need, renamed, retired; each a new version.
  const codebook = page.getByRole("region", { name: "Codebook" });
  await codebook.getByRole("radio", { name: "Needs" }).check();
  await codebook.getByLabel("New entry in this list").fill("sleeping bags and blankets");
  await codebook.getByRole("button", { name: "Add", exact: true }).click();
  await expect(codebook.getByRole("status")).toHaveText(/^Saved as version (\d+): phones get it on their next sync\.$/);
  const added = Number(/version (\d+)/.exec((await codebook.getByRole("status").textContent())!)![1]);
  await codebook.getByLabel("Label of sleeping-bags-and-blankets").fill("Sleeping bags");
  await codebook.getByRole("button", { name: "Rename Sleeping bags and blankets" }).click();
  await expect(codebook.getByRole("status")).toContainText(`version ${added + 1}:`);
  await codebook.getByRole("button", { name: "Retire Sleeping bags" }).click();
  await expect(codebook.getByRole("button", { name: "Restore Sleeping bags" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // Usernames are unique within an organization: signing in names it, and the page keeps
  // the one just signed out of.
  await expect(page.getByLabel("Organization")).toHaveValue("peerpulse-demo");
  await page.getByLabel("Username").fill("vic");
  await page.getByLabel("Password").fill("wrong password entirely");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("do not match an account");
  await page.getByLabel("Password").fill("first password here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Signed in as vic (Viewer)")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Phones" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "People" })).toHaveCount(0);

  // A colleague opens the sign-in address they were given: the organization is filled in.
  const colleague = await (await browser.newContext()).newPage();
  await colleague.goto(`${process.env.PEERPULSE_URL}/org?org=peerpulse-demo`);
  await expect(colleague.getByLabel("Organization")).toHaveValue("peerpulse-demo");
});
