import { expect, test, type Browser, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 } });

const ORG = "lengua-outreach";

/** Signs `username` in on a browser of its own, which has never seen PeerPulse. */
async function signInFresh(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${process.env.PEERPULSE_URL}/org?org=${ORG}`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("first password here");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Signed in, in whatever language the account holds: the organization's name heads the page.
  await expect(page.locator("#org-heading")).toHaveText("Lengua Outreach");
  return page;
}

test("a manager's language is kept on their account: it follows them to a fresh browser, and nobody else", async ({
  page,
  browser,
}) => {
  await newOrgAdmin(page, "Lengua Outreach", "lena");
  const people = page.locator("section", { has: page.getByRole("heading", { name: "People" }) });
  for (const [username, role] of [["mara", "Manager"], ["otto", "Manager"]]) {
    await people.getByLabel("Username").fill(username);
    await people.getByRole("radio", { name: role }).check();
    await people.getByLabel("First password (hand it over in person)").fill("first password here");
    await people.getByRole("button", { name: "Add person" }).click();
    await expect(people.getByRole("row", { name: new RegExp(`^${username}\\b`) })).toBeVisible();
  }

  const mara = await signInFresh(browser, "mara");
  await expect(mara.locator("html")).toHaveAttribute("lang", "en");
  // Something half typed stays as it is through the switch: the same field, the same words.
  const typed = await mara.locator("#new-code-label").elementHandle();
  await typed!.fill("mantas térmicas");
  await mara.getByLabel("Language", { exact: true }).selectOption("es");
  await expect(mara.locator("html")).toHaveAttribute("lang", "es");
  await expect(mara.getByRole("link", { name: "Organización" })).toBeVisible();
  expect(await typed!.inputValue()).toBe("mantas térmicas");
  expect(await typed!.evaluate((e) => e.isConnected)).toBe(true);
  await expect(mara.getByRole("alert").filter({ hasText: /\S/ })).toHaveCount(0);
  await mara.screenshot({ path: "test-results/org-language-es-1280.png" });

  await mara.reload();
  await expect(mara.locator("html")).toHaveAttribute("lang", "es");
  await expect(mara.getByLabel("Idioma", { exact: true })).toHaveValue("es");

  // A fresh browser in English: the account's language wins once she signs in.
  const maraElsewhere = await signInFresh(browser, "mara");
  await expect(maraElsewhere.locator("html")).toHaveAttribute("lang", "es");
  await expect(maraElsewhere.getByRole("link", { name: "Organización" })).toBeVisible();
  await expect(maraElsewhere.getByLabel("Idioma", { exact: true })).toHaveValue("es");

  // A colleague of the same organization keeps their own (their browser's).
  const otto = await signInFresh(browser, "otto");
  await expect(otto.getByRole("link", { name: "Organization" })).toBeVisible();
  await expect(otto.locator("html")).toHaveAttribute("lang", "en");
  await expect(otto.getByLabel("Language", { exact: true })).toHaveValue("");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  // Back to following the browser: kept on the account too.
  await maraElsewhere.getByLabel("Idioma", { exact: true }).selectOption("");
  await expect(maraElsewhere.locator("html")).toHaveAttribute("lang", "en");
  const maraThird = await signInFresh(browser, "mara");
  await expect(maraThird.locator("html")).toHaveAttribute("lang", "en");
});
