// Published counts are nudged at random by up to the threshold (see the README, "How counts
// are protected"), so a test never asserts an exact published value.
import { expect, type Locator } from "@playwright/test";

/** The organization's threshold in these tests: no count below it is shown, and no count is
 * nudged by more than it. */
export const THRESHOLD = 5;

/** The first whole number in `text`. */
export function firstNumber(text: string | null): number {
  const found = /\d+/.exec(text ?? "");
  expect(found, `no number in ${JSON.stringify(text)}`).not.toBeNull();
  return Number(found![0]);
}

/** Asserts that `shown` is `truth` as it may be published: at least the threshold and within
 * it of the truth. */
export function expectPublished(shown: number, truth: number) {
  expect(shown, `${shown} published for ${truth}`).toBeGreaterThanOrEqual(THRESHOLD);
  expect(Math.abs(shown - truth), `${shown} published for ${truth}`).toBeLessThanOrEqual(THRESHOLD);
}

/** Waits until `locator` shows a number, then asserts it is `truth` as it may be published. */
export async function expectShownAbout(locator: Locator, truth: number) {
  await expect(locator).toContainText(/\d/);
  expectPublished(firstNumber(await locator.textContent()), truth);
}
