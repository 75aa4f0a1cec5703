import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";

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
  await expect(page.getByTestId("waiting")).toContainText("1 waiting to sync");

  await page.reload();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");
  await expect(page.locator(".entry")).toContainText("Outreach van");

  // The service worker keeps the shell: with no network the app still opens and logs.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Log an encounter" })).toBeVisible();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");
  for (let n = 2; n <= 5; n++) await logEncounter(page, ["Housing"], n);
  await expect(page.getByTestId("waiting")).toContainText("5 waiting to sync");

  // Connecting while offline says why it failed and keeps everything.
  await page.getByLabel("Enrolment code from your manager").fill(process.env.PEERPULSE_ENROL_CODE!);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByRole("alert")).toContainText("No connection");

  // Back online, the code connects the phone and it syncs by itself, gzipped.
  const encodings: (string | undefined)[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/v1/sync")) encodings.push(r.headers()["content-encoding"]);
  });
  await context.setOffline(false);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  expect(encodings.length).toBeGreaterThan(0);
  expect(encodings.every((e) => e === "gzip")).toBeTruthy();
  await expect(page.getByRole("button", { name: "Sync now" })).toBeVisible();

  await page.getByRole("link", { name: "Trends" }).click();
  const needs = page.locator("table[data-dimension=need]");
  await expect(needs.getByRole("row", { name: /Housing/ })).toContainText("5");
  const total = page.locator("table[data-dimension=encounters]");
  await expect(total.getByRole("row", { name: /All encounters/ })).toContainText("5");
  await expect(page.getByRole("heading", { name: "Rising today" })).toBeVisible();
  // Five housing needs today against none before: an emerging need (CDC EARS).
  await expect(page.locator(".rising li")).toHaveText(/^Housing: 5 today against about 0 a day before \(EARS C1, C2, C3\)$/);
  const reach = page.locator("table[data-dimension=reach]");
  await expect(reach.getByRole("row", { name: /contact's network/ })).toContainText("5");

  // Logged offline, an entry waits; when the network returns it syncs with no tap.
  await page.getByRole("link", { name: "Log" }).click();
  await context.setOffline(true);
  await logEncounter(page, ["Food"], 6);
  await expect(page.getByTestId("waiting")).toContainText("1 waiting to sync");
  await expect(page.locator(".sync-result")).toContainText("No connection");
  await context.setOffline(false);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");

  // The rarer need is counted but hidden below the threshold of 5.
  await page.getByRole("link", { name: "Trends" }).click();
  await expect(total.getByRole("row", { name: /All encounters/ })).toContainText("6");
  await expect(needs.getByRole("row", { name: /Food/ })).toContainText("<5");
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
