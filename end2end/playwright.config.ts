import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium, never a downloaded browser (see ../shared/TOOLCHAIN.md).
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./server.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    // A small phone held upright, driven by touch (issue #4 asks for 360 × 740).
    ...devices["Pixel 7"],
    viewport: { width: 360, height: 740 },
    // The app follows the browser's languages: the tests read British English unless a test
    // picks another language.
    locale: "en-GB",
    browserName: "chromium",
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
    trace: "off",
  },
});
