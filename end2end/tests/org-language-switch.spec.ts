// A language picked in the organization app's bar redraws the page in place: what the page
// says after the switch is what it says when opened in that language. A text computed once
// (a chip's label, a heading) would stay in the language before.
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 } });

/** The page's words, without the bar (whose picker says what was picked either way). */
const words = (page: Page) => page.locator("main").innerText();

/** The page's words once it has finished drawing: the same twice running, a second apart. */
async function settled(page: Page): Promise<string> {
  let last = "";
  await expect
    .poll(async () => {
      const now = await words(page);
      const same = now === last;
      last = now;
      return same;
    }, { intervals: [1000], timeout: 30_000 })
    .toBe(true);
  return last;
}

test("a switch in the bar shows each organization page as it reads when opened in that language", async ({ page }) => {
  await newOrgAdmin(page, "Switch Outreach", "sol");
  // The choice is kept on the account, so a reload opens the page in the language picked last.
  const picker = page.locator("#language");
  const pick = async (tag: string) => {
    const kept = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/language") && r.ok());
    await picker.selectOption(tag);
    await expect(page.locator("html")).toHaveAttribute("lang", tag);
    await kept;
  };
  for (const path of ["/org", "/brief", "/reports"]) {
    await page.goto(`${process.env.PEERPULSE_URL}${path}`);
    await pick("es");
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    const opened = await settled(page);

    await pick("en");
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await settled(page);
    await pick("es");
    await expect.poll(() => words(page), { message: path }).toBe(opened);
  }
});
