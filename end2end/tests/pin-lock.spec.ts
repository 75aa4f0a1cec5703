import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

async function logOne(page: Page, privateNote: string) {
  await page.getByRole("link", { name: "Log" }).click();
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByLabel("Private note (stays on this phone)").fill(privateNote);
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Saved at/ })).toBeVisible();
}

async function rawEntries(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("peerpulse");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("entries").objectStore("entries").getAll();
          all.onsuccess = () => {
            resolve(JSON.stringify(all.result));
            open.result.close();
          };
        };
      }),
  );
}

test("a PIN encrypts entries, locks the app, refuses a wrong PIN without loss, and can be removed", async ({
  page,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await logOne(page, "saw the tall one by the river");

  await page.getByRole("link", { name: "Phone" }).click();
  await page.getByLabel("New PIN", { exact: true }).fill("123456");
  await page.getByLabel("New PIN again").fill("123456");
  await page.getByRole("button", { name: "Set PIN" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "That PIN is too easy to guess: avoid repeated digits and runs like 123456.",
  );
  await page.getByLabel("New PIN", { exact: true }).fill("409173");
  await page.getByLabel("New PIN again").fill("409173");
  await page.getByRole("button", { name: "Set PIN" }).click();
  await expect(page.getByRole("status").filter({ hasText: "PIN set" })).toBeVisible();
  expect(await rawEntries(page)).not.toContain("river");

  await page.getByRole("button", { name: "Lock now" }).click();
  await expect(page.getByRole("heading", { name: "PeerPulse is locked" })).toBeVisible();
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  await expect(page.getByRole("heading", { name: "This phone" })).toBeHidden();

  await page.getByLabel("PIN", { exact: true }).fill("409174");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("alert")).toHaveText("That PIN is not right. Nothing was changed: try again.");
  await page.getByLabel("PIN", { exact: true }).fill("409173");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("heading", { name: "This phone" })).toBeVisible();

  // After a reload the app opens locked; the entry is still there behind the PIN.
  await page.reload();
  await expect(page.getByRole("heading", { name: "PeerPulse is locked" })).toBeVisible();
  await page.getByLabel("PIN", { exact: true }).fill("409173");
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.locator(".entry", { hasText: "Outreach van" })).toHaveCount(1);

  // Removing the PIN needs it, and stores entries readable again.
  await page.getByRole("link", { name: "Phone" }).click();
  await page.getByLabel("Current PIN").fill("409173");
  await page.getByRole("button", { name: "Change or remove PIN" }).click();
  await expect(page.getByRole("status").filter({ hasText: "PIN removed" })).toBeVisible();
  expect(await rawEntries(page)).toContain("river");
});

test("an unlocked phone left alone for five minutes locks itself, and the half-typed entry waits behind the PIN", async ({
  page,
}) => {
  await page.clock.install();
  await page.goto(process.env.PEERPULSE_URL!);
  await page.getByRole("link", { name: "Phone" }).click();
  await page.getByLabel("New PIN", { exact: true }).fill("558031");
  await page.getByLabel("New PIN again").fill("558031");
  await page.getByRole("button", { name: "Set PIN" }).click();
  await expect(page.getByRole("status").filter({ hasText: "PIN set" })).toBeVisible();

  await page.getByRole("link", { name: "Log" }).click();
  await page.getByLabel("Private note (stays on this phone)").fill("half typed");

  await page.clock.runFor("04:00");
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  await page.clock.runFor("01:30");
  await expect(page.getByRole("heading", { name: "PeerPulse is locked" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeHidden();

  await page.getByLabel("PIN", { exact: true }).fill("558031");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByLabel("Private note (stays on this phone)")).toHaveValue("half typed");
});
