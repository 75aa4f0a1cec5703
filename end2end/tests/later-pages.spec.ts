// The worker's pages other than Log, and the code that syncs and enrols, come after the first
// load (src/later_pages.rs, src/sync/mod.rs): their code is one wasm chunk, fetched once the
// form is usable and kept by the service worker, so after the first visit every page opens
// offline; a chunk that cannot be fetched leaves a message and a way to try again, and the
// rest of the app goes on working.
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;
// trunk's and the build's hashes are hex without leading zeros: 16 digits or fewer.
const laterChunk = /\/split_later-[0-9a-f]{1,16}\.wasm$/;

/** Refuses the later chunk on `page`, as a network that is down would; returns how many
 * fetches of it were refused so far. */
async function refuseChunk(page: Page): Promise<() => number> {
  let refused = 0;
  await page.route(laterChunk, (route) => {
    refused++;
    return route.abort("internetdisconnected");
  });
  return () => refused;
}

async function log(page: Page, expectedToday: number) {
  await page.getByRole("radio", { name: "Street outreach" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Walk-in" }).check();
  await page.getByRole("group", { name: "Needs" }).getByRole("checkbox", { name: "Housing" }).check();
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.getByTestId("today-count")).toHaveText(`${expectedToday} logged today`);
}

test("the other pages are fetched after the form, kept by the service worker, and open offline", async ({
  page,
  context,
}) => {
  // The first visit fetches the later pages' code once the form is usable, without a tap.
  const prefetched = page.waitForResponse((r) => laterChunk.test(r.url()) && r.ok());
  await page.goto(url());
  await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
  await prefetched;
  await log(page, 1);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  // Offline, in a fresh page: each page's code comes from the service worker's cache.
  const fromCache: string[] = [];
  page.on("response", (r) => {
    if (r.fromServiceWorker() && r.ok()) fromCache.push(new URL(r.url()).pathname);
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("today-count")).toHaveText("1 logged today");

  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { name: "History", level: 1 })).toBeVisible();
  await expect(page.getByTestId("history-day").locator(".entry")).toHaveCount(1);
  await page.getByTestId("history-day").locator(".entry").getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Correct an entry" })).toBeVisible();
  await page.getByRole("link", { name: "Trends" }).click();
  await expect(page.getByRole("heading", { name: "Trends", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "Phone" }).click();
  await expect(page.getByRole("heading", { name: "This phone", level: 1 })).toBeVisible();
  expect(fromCache.some((path) => laterChunk.test(path)), "the later pages' chunk from the cache").toBe(true);
  await context.setOffline(false);
});

test("a page whose code cannot be fetched says so, the app goes on, and trying again opens it", async ({ browser }) => {
  // No service worker: the network alone decides, and it refuses the later pages' code.
  const context = await browser.newContext({ locale: "en-GB", serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    const refused = await refuseChunk(page);
    await page.goto(url());
    await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();

    await page.getByRole("link", { name: "History" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "This page could not be opened: the first time, it needs a connection." }),
    ).toBeVisible();
    expect(refused()).toBeGreaterThan(0);
    await expect(page.getByRole("heading", { name: "History" })).toHaveCount(0);

    // The rest of the app works: the form logs.
    await page.getByRole("link", { name: "Log", exact: true }).click();
    await log(page, 1);

    // Once the network answers, trying again opens the page.
    await page.getByRole("link", { name: "History" }).click();
    await expect(page.getByRole("button", { name: "Try again" })).toBeEnabled();
    await page.unroute(laterChunk);
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { name: "History", level: 1 })).toBeVisible();
    await expect(page.getByTestId("history-day").locator(".entry")).toHaveCount(1);
    await expect(page.getByRole("alert")).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("syncing's code comes after the form: refused, the phone logs, keeps connecting, says why it cannot sync, and connects and syncs by itself once it arrives", async ({
  browser,
}) => {
  // No service worker: the network alone decides, and it refuses the chunk at first.
  const context = await browser.newContext({ locale: "en-GB", serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    await newOrgAdmin(page, "Late Code Outreach", "lena");
    await page.getByRole("button", { name: "New enrolment code" }).click();
    const code = (await page.locator(".issued-code").textContent())!.trim();

    const refused = await refuseChunk(page);
    await page.goto(url());
    await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
    await log(page, 1);

    // Enrolling needs the chunk: the phone says it is connecting and keeps trying by itself,
    // as it does when an enrolment goes unanswered; nothing is refused or lost.
    await page.getByLabel("Enrolment code from your manager").fill(code);
    await page.getByRole("button", { name: "Connect" }).click();
    await expect(page.getByTestId("connecting")).toContainText("keeps trying by itself");
    await expect(page.getByRole("alert")).toHaveCount(0);
    expect(refused()).toBeGreaterThan(0);
    const devices = async () => (await page.request.get(`${url()}/api/v1/devices`)).json();
    expect(await devices()).toHaveLength(0);

    // Once the network answers, the phone connects by itself and the entry is synced.
    await page.unroute(laterChunk);
    await expect(page.getByTestId("waiting")).toContainText("Everything is synced", { timeout: 30_000 });

    // A later start whose chunk is refused: the phone logs, the sync says why it waits, and
    // it syncs by itself (the retry with backoff) once the chunk comes.
    await refuseChunk(page);
    await page.reload();
    await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
    await log(page, 2);
    await expect(
      page.getByText("Syncing needs one more part of the app, which has not arrived yet"),
    ).toBeVisible();
    await expect(page.getByTestId("waiting")).not.toContainText("Everything is synced");
    await page.unroute(laterChunk);
    await expect(page.getByTestId("waiting")).toContainText("Everything is synced", { timeout: 45_000 });
    const [device] = await devices();
    expect(device.last_sync_at).not.toBeNull();
  } finally {
    await context.close();
  }
});
