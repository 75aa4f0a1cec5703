import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

async function chooseBasics(page: Page) {
  await page.getByRole("radio", { name: "Drop-in centre" }).check();
  await page.getByRole("radio", { name: "Fixed site" }).check();
  await page.getByRole("radio", { name: "Returning" }).check();
}

test("an encounter from last night is logged with supplies, quantities and a referral, then corrected", async ({
  page,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  // When is folded into one line (today, now) until the worker changes it.
  await expect(page.getByTestId("when")).toContainText("Today");
  await page.getByText("When:").tap();
  const when = page.getByRole("group", { name: "When" });
  await when.getByRole("button", { name: "Yesterday" }).tap();
  await expect(when.getByRole("button", { name: "Yesterday" })).toHaveAttribute("aria-pressed", "true");
  await when.getByRole("radio", { name: "Evening" }).check();
  await chooseBasics(page);

  const supplies = page.getByRole("group", { name: "Supplies given" });
  for (let i = 0; i < 3; i++) {
    await supplies.getByRole("button", { name: "One more: Needles and syringes" }).tap();
  }
  await expect(supplies.getByRole("spinbutton", { name: "Needles and syringes" })).toHaveValue("3");
  // The less used supplies wait behind one tap.
  await expect(supplies.getByRole("spinbutton", { name: "Wound care kit" })).toBeHidden();
  await supplies.getByRole("button", { name: "All supplies (8)" }).tap();
  await expect(supplies.getByRole("spinbutton", { name: "Wound care kit" })).toBeVisible();
  await supplies.getByRole("button", { name: "Fewer supplies" }).tap();
  await supplies.getByRole("spinbutton", { name: "Naloxone kit" }).fill("2");
  await supplies.getByRole("spinbutton", { name: "Naloxone kit" }).blur();
  await page.getByRole("group", { name: "Referred to" }).getByRole("checkbox", { name: "Drug treatment" }).check();
  await page.getByRole("button", { name: "Save encounter" }).tap();
  await expect(page.getByRole("status").filter({ hasText: /^Saved at/ })).toBeVisible();
  // Logged for yesterday, so today's list stays empty; the form is ready for the next one.
  await expect(page.getByText("Nothing logged yet today.")).toBeVisible();
  await expect(supplies.getByRole("spinbutton", { name: "Needles and syringes" })).toHaveValue("0");

  await page.getByRole("link", { name: "History" }).click();
  const entry = page.locator(".entry", { hasText: "Drop-in centre" });
  await expect(entry).toHaveCount(1);
  await expect(entry.locator(".given")).toHaveText(
    "Naloxone kit ×2, Needles and syringes ×3, → Drug treatment",
  );

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const rows = readFileSync(await (await download).path(), "utf8").trim().split("\r\n");
  const header = rows[0].split(",");
  const row = rows.find((r) => r.includes("Drop-in centre"))!.split(",");
  // In the words the worker saw, not codes.
  expect(row[header.indexOf("Part of the day")]).toBe("Evening");
  expect(row[header.indexOf("Supplies given")]).toBe("Naloxone kit × 2; Needles and syringes × 3");
  expect(row[header.indexOf("Referred to")]).toBe("Drug treatment");
  const yesterday = new Date(Date.now() - 86_400_000);
  const local = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, "0")}-${String(yesterday.getDate()).padStart(2, "0")}`;
  expect(row[header.indexOf("Date")]).toBe(local);

  // Correcting a quantity keeps everything else.
  await entry.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Date")).toHaveValue(local);
  await expect(page.getByRole("radio", { name: "Evening" })).toBeChecked();
  await page.getByRole("button", { name: "One less: Naloxone kit" }).tap();
  await page.getByRole("button", { name: "Save correction" }).tap();
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await expect(entry.locator(".given")).toHaveText("Naloxone kit ×1, Needles and syringes ×3, → Drug treatment");
});

test("a quantity that is not a count, or a date in the future, is refused with a reason and nothing is saved", async ({
  page,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await chooseBasics(page);
  const syringes = page.getByRole("group", { name: "Supplies given" }).getByRole("spinbutton", { name: "Needles and syringes" });
  await syringes.fill("900");
  await syringes.blur();
  await expect(syringes).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Save encounter" }).tap();
  await expect(page.getByRole("alert")).toContainText("Supplies given, Needles and syringes: type a number from 0 to 500.");

  await syringes.fill("20");
  await syringes.blur();
  await expect(syringes).toHaveAttribute("aria-invalid", "false");
  const tomorrow = new Date(Date.now() + 86_400_000);
  await page.getByText("When:").tap();
  await page
    .getByLabel("Date")
    .fill(
      `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}`,
    );
  await page.getByRole("button", { name: "Save encounter" }).tap();
  await expect(page.getByRole("alert")).toContainText("is in the future: choose today or an earlier day.");
  await expect(page.getByText("Nothing logged yet today.")).toBeVisible();

  await page.getByRole("button", { name: "Today", exact: true }).tap();
  await page.getByRole("button", { name: "Save encounter" }).tap();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");
});

test("held sideways the form still fits, and Save stays reachable", async ({ page }) => {
  await page.setViewportSize({ width: 740, height: 360 });
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const save = page.getByRole("button", { name: "Save encounter" });
  await expect(save).toBeInViewport();
  const box = await save.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
});
