import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The bench's own check (scripts/bench --check): untimed, no service needed.
export default defineConfig({
  ...base,
  globalSetup: undefined,
  testDir: "./bench",
  testMatch: /.*\.check\.ts/,
  timeout: 120_000,
});
