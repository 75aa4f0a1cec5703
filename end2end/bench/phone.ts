// The phone the bench loads pages on: Chrome DevTools' "Slow 4G" link and a 4x CPU slowdown,
// with the HTTP cache off, set through the DevTools protocol on a fresh browser context.
import type { CDPSession } from "@playwright/test";

/** Chrome DevTools' "Slow 4G" preset. */
export const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.4 * 1024 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};

/** How many times slower than this machine the phone's CPU is taken to be. */
export const CPU_SLOWDOWN = 4;

/** Puts the page behind `cdp` on the phone profile: slow link, slow CPU, no HTTP cache. */
export async function onPhone(cdp: CDPSession) {
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
}
