// First load and offline reload of the built app on a phone profile: 4x CPU slowdown and a
// slow 4G link through the DevTools protocol, time to the form being usable.
import { expect, test, type Page } from "@playwright/test";
import { percentile, record } from "./figures";
import { onPhone } from "./phone";

const RUNS = 5;

/**
 * Records in the page, as `window.usableAt`, the moment the Save button is first there and
 * enabled. Observed from inside: timing it from the test would add the test's polling interval
 * (up to a second) to every figure.
 */
function watchForUsable(save: string) {
  const observer = new MutationObserver(() => {
    for (const button of document.querySelectorAll("button")) {
      if (button.textContent?.trim() === save && !button.disabled) {
        (window as unknown as { usableAt: number }).usableAt = performance.now();
        observer.disconnect();
        return;
      }
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** Milliseconds from navigation start until the Save button can be pressed. */
async function timeToUsable(page: Page, save: string): Promise<number> {
  await expect(page.getByRole("button", { name: save })).toBeEnabled({ timeout: 60_000 });
  return page.evaluate(() => (window as unknown as { usableAt: number }).usableAt);
}

// An English phone has its texts built in; a phone in another language fetches them on its
// first visit, one more request on the slow link before the first screen.
const PHONES = [
  { locale: "en-GB", save: "Save encounter", label: "" },
  { locale: "es-ES", save: "Guardar encuentro", label: ", Spanish phone" },
];

for (const { locale, save, label } of PHONES) {
  test(`first load and offline reload, phone profile${label}`, async ({ browser }) => {
    const first: number[] = [];
    const offline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.addInitScript(watchForUsable, save);
      const cdp = await context.newCDPSession(page);
      await onPhone(cdp);
      await page.goto(process.env.PEERPULSE_URL!);
      first.push(await timeToUsable(page, save));
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
      await context.setOffline(true);
      await page.reload();
      offline.push(await timeToUsable(page, save));
      await context.close();
    }
    const method = `${RUNS} fresh browser profiles (${locale}), Slow 4G (562 ms RTT, 1.4 Mbit/s) and 4x CPU slowdown via DevTools; navigation start to "${save}" enabled, seen by a MutationObserver in the page; offline = reload with the network off, from the service worker`;
    record({ name: `first load p50, slow 4G + 4x CPU${label}`, value: percentile(first, 50), unit: "ms", method });
    record({ name: `first load max, slow 4G + 4x CPU${label}`, value: Math.max(...first), unit: "ms", method });
    record({ name: `offline reload p50, 4x CPU${label}`, value: percentile(offline, 50), unit: "ms", method });
    record({ name: `offline reload max, 4x CPU${label}`, value: Math.max(...offline), unit: "ms", method });
  });
}
