import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("the log screen has no serious accessibility violations, also with errors shown", async ({ page }) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

for (const [path, heading] of [
  ["/trends", "Trends"],
  ["/history", "History"],
  ["/phone", "This phone"],
]) {
  test(`the "${heading}" screen has no serious accessibility violations`, async ({ page }) => {
    await page.goto(`${process.env.PEERPULSE_URL!}${path}`);
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("every control is at least 44 px tall and the page fits 320 px without sideways scrolling", async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(process.env.PEERPULSE_URL!);
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  const small = await page.evaluate(() =>
    [...document.querySelectorAll("button, a, .chip span, input:not([type=radio]):not([type=checkbox]), textarea")]
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height > 0 && box.height < 44)
      .map(({ el, box }) => `${el.tagName} "${el.textContent?.trim()}" ${box.height}px`),
  );
  expect(small).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
