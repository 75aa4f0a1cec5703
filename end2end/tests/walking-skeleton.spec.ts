import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { expectShownAbout } from "../support/published";

const url = () => {
  const value = process.env.PEERPULSE_URL;
  if (!value) throw new Error("PEERPULSE_URL is not set: the global setup did not start the service");
  return value;
};

/** Logs one encounter and waits until today's list shows `expectedToday` entries. */
async function logEncounter(page: Page, needs: string[], expectedToday: number) {
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Through a contact's network" }).check();
  await page.getByRole("checkbox", { name: "Naloxone" }).check();
  for (const need of needs) {
    await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: need }).check();
  }
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.locator(".save-bar [role=status]")).toContainText("Saved at");
  await expect(page.getByTestId("today-count")).toHaveText(`${expectedToday} logged today`);
}

test("a worker logs offline, the entry survives reloads, and synced counts reach the dashboard", async ({
  page,
  context,
}) => {
  await page.goto(url());
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();

  // Saving without the required choices explains what is missing and saves nothing.
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByRole("alert")).toContainText("Choose the site or outreach area.");
  await expect(page.getByText("Nothing logged yet today.")).toBeVisible();

  await logEncounter(page, ["Housing"], 1);
  // Not connected yet: the line says the entry is kept here, never that it is synced.
  await expect(page.getByTestId("waiting")).toHaveText("Not connected: 1 entry kept on this phone");

  await page.reload();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");
  await expect(page.locator(".entry")).toContainText("Outreach van");

  // The service worker keeps the shell: with no network the app still opens and logs.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");
  // Ten, so the count is published whatever its random nudge (at most 5 either way).
  for (let n = 2; n <= 10; n++) await logEncounter(page, ["Housing"], n);
  await expect(page.getByTestId("waiting")).toHaveText("Not connected: 10 entries kept on this phone");

  // Connecting while offline is no error: the phone keeps trying by itself (issue #23).
  await page.getByLabel("Enrolment code from your manager").fill(process.env.PEERPULSE_ENROL_CODE!);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("connecting")).toContainText("keeps trying by itself");
  await expect(page.getByRole("alert")).toHaveCount(0);

  // Back online, the same try connects at once, without another tap, and syncs by itself, gzipped.
  const encodings: (string | undefined)[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/sync")) encodings.push(r.headers()["content-encoding"]);
  });
  await context.setOffline(false);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  expect(encodings.length).toBeGreaterThan(0);
  expect(encodings.every((e) => e === "gzip")).toBeTruthy();
  await expect(page.getByRole("button", { name: "Sync now" })).toBeVisible();

  await page.getByRole("link", { name: "Trends" }).click();
  await expect(page.getByRole("radio", { name: "This month" })).toBeChecked();
  await expect(page.getByText(/numbers below 5 are left out, so no one can be picked out/)).toBeVisible();
  const needs = page.locator("table[data-dimension=need]");
  await expectShownAbout(needs.getByRole("row", { name: /Housing/ }).getByRole("cell"), 10);
  const total = page.locator("table[data-dimension=encounters]");
  await expectShownAbout(total.getByRole("row", { name: /All encounters/ }).getByRole("cell"), 10);
  const reach = page.locator("table[data-dimension=reach]");
  await expectShownAbout(reach.getByRole("row", { name: /contact's network/ }).getByRole("cell"), 10);
  // One phone alone never raises an alert: a rise must be noted on two.
  await expect(page.getByRole("heading", { name: "What rose this month" })).toBeVisible();
  await expect(page.getByText("Nothing rose above its usual level this month.")).toBeVisible();
  // Weeks and months only: a phone is never given one day.
  await expect(page.getByRole("radio", { name: "Today" })).toHaveCount(0);
  await page.getByRole("radio", { name: "This week" }).check();
  await expect(page.getByText(/^.*, the week of .*, all sites\.$/)).toBeVisible();
  await expectShownAbout(needs.getByRole("row", { name: /Housing/ }).getByRole("cell"), 10);
  // It fits a 320 px phone.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 360, height: 740 });

  // Logged offline, an entry waits; when the network returns it syncs with no tap.
  await page.getByRole("link", { name: "Log" }).click();
  await context.setOffline(true);
  await logEncounter(page, ["Food"], 11);
  await expect(page.getByTestId("waiting")).toHaveText("Offline: 1 entry kept on this phone");
  await expect(page.locator(".sync-result")).toContainText("No connection");
  await context.setOffline(false);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");

  // The rarer need is counted, but below the threshold of 5 it is not listed: only named among
  // the codebook's needs with fewer than 5, or none.
  await page.getByRole("link", { name: "Trends" }).click();
  await expectShownAbout(total.getByRole("row", { name: /All encounters/ }).getByRole("cell"), 11);
  await expect(needs.getByRole("row", { name: /Food/ })).toHaveCount(0);
  await expect(needs.locator("xpath=following-sibling::p[1]")).toContainText(/Fewer than 5 each, or none: Food, /);
});

test("the app installs: the manifest names the app and its icons load", async ({ request }) => {
  const manifest = await request.get(`${url()}/manifest.webmanifest`);
  expect(manifest.ok()).toBeTruthy();
  const body = await manifest.json();
  expect(body.name).toBe("PeerPulse");
  expect(body.display).toBe("standalone");
  for (const icon of body.icons) {
    const res = await request.get(`${url()}${icon.src}`);
    expect(res.ok(), icon.src).toBeTruthy();
  }
  const sizes = body.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
});

test("Background Sync is registered, and its wake-up makes the page sync", async ({ page }) => {
  // Frozen timers: no retry or periodic sync can fire, only the wake-up.
  await page.clock.install();
  await page.goto(url());
  const tags = await page.evaluate(() =>
    navigator.serviceWorker.ready.then((r) =>
      (r as ServiceWorkerRegistration & { sync: { getTags(): Promise<string[]> } }).sync.getTags(),
    ),
  );
  expect(tags).toContain("peerpulse-sync");

  const printed = execFileSync(process.env.PEERPULSE_SERVER_BIN!, [
    "enrol-code",
    "--org",
    "peerpulse-demo",
    "--data-dir",
    process.env.PEERPULSE_DATA_DIR!,
  ]).toString();
  const code = /([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(printed)![1];
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");

  // The service cannot be reached while this entry is saved, so it waits.
  await page.route("**/api/v1/sync", (route) => route.abort());
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.locator(".sync-result")).toContainText("No connection");
  await expect(page.getByTestId("waiting")).toContainText("1 waiting to sync");

  // What the service worker posts on a Background Sync event, as the page receives it.
  await page.unroute("**/api/v1/sync");
  await page.evaluate(() => window.dispatchEvent(new Event("peerpulse-sync")));
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
});
