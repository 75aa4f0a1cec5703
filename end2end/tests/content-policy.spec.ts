// Both apps run under the Content-Security-Policy the service sends (see
// server/src/routes/content_policy.rs) without a single violation: trunk's inline loader and the
// service worker registration run by their hashes, the wasm compiles, the QR code and the bar
// chart show.
import { expect, test, type Page, type Response } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

/** Every violation `page` reports from now on, across navigations: the event each document
 * fires, and the error Chromium logs. */
async function watchPolicy(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportPolicyViolation", (violation: string) => violations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { reportPolicyViolation: (v: string) => void }).reportPolicyViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}: ${e.sample}`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content.Security.Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  return violations;
}

/** Asserts that the shell `response` was sent with a policy that allows inline scripts only by
 * hash and forbids framing, so a test passing here proves the policy is strict, not absent. */
function expectStrictPolicy(response: Response | null) {
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/]+=*')+(;|$)/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
}

test("the worker's app starts, saves an encounter and installs its service worker under the policy", async ({
  page,
}) => {
  const violations = await watchPolicy(page);
  expectStrictPolicy(await page.goto(url()));
  await page.getByRole("radio", { name: "Drop-in centre" }).check();
  await page.getByRole("radio", { name: "Fixed site" }).check();
  await page.getByRole("radio", { name: "Returning" }).check();
  await page.getByRole("button", { name: "Save encounter" }).tap();
  await expect(page.getByRole("status").filter({ hasText: /^Saved at/ })).toBeVisible();
  // The registration script ran (by its hash) and the worker's script loaded.
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active !== null)).toBe(true);
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.locator(".entry", { hasText: "Drop-in centre" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("the organization's app signs in, shows an enrolment QR code and draws bars under the policy", async ({
  page,
  request,
}) => {
  const violations = await watchPolicy(page);
  expectStrictPolicy(await page.goto(`${url()}/org`));
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await newOrgAdmin(page, "Policy Outreach", "paloma");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  // The QR code is an inline <svg> element, which the policy does not treat as an image.
  await expect(page.locator(".qr svg")).toBeVisible();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  const token = (await (await request.post(`${url()}/api/v1/enrol`, { data: { code } })).json()).token;
  const today = new Date().toISOString().slice(0, 10);
  const synced = await request.post(`${url()}/api/v1/sync`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      buckets: [{ day: today, site: "van", dimension: "need", value: "housing", count: 30, version: 1 }],
      codebook_version: 1,
    },
  });
  expect(synced.ok(), await synced.text()).toBeTruthy();

  // The bar chart sets each bar's width in a style attribute: a blocked one is a bar of no width.
  expectStrictPolicy(await page.reload());
  const bar = page.locator(".bars li", { hasText: "Housing" });
  await expect(bar).toBeVisible();
  const track = await bar.locator(".bar-track").boundingBox();
  const filled = await bar.locator(".bar").boundingBox();
  expect(filled!.width).toBeGreaterThan(track!.width / 2);
  expect(violations).toEqual([]);
});
