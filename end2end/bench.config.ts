import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Benchmarks: the same service and browser as the tests, run by scripts/bench, never by the
// test command. Each file measures and writes its figures; nothing here asserts a speed.
export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: /.*\.bench\.ts/,
  timeout: 30 * 60_000,
  expect: { timeout: 60_000 },
});
