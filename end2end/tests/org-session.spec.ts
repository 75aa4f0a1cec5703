// The organization app asks the service who is signed in once per page opened: the bar (for
// the account's language) and the page (for who may do what) read the same answer.
import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 } });

test("opening /org, /brief or /reports asks who is signed in once", async ({ page }) => {
  await newOrgAdmin(page, "Once Outreach", "oona");
  let asked = 0;
  const counted: Record<string, number> = {};
  page.on("request", (r) => {
    if (r.method() === "GET" && new URL(r.url()).pathname === "/api/v1/session") asked += 1;
  });
  for (const [path, heading] of [
    ["/org", "Once Outreach"],
    ["/brief", "What rose"],
    ["/reports", /Once Outreach/],
  ] as const) {
    asked = 0;
    await page.goto(`${process.env.PEERPULSE_URL}${path}`);
    await expect(page.getByRole("heading", { name: heading }).first()).toBeVisible();
    // Anything still to ask has had time to.
    await page.waitForTimeout(1500);
    counted[path] = asked;
  }
  expect(counted).toEqual({ "/org": 1, "/brief": 1, "/reports": 1 });
});
