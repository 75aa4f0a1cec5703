// The app starts opening the phone's storage before it draws anything (src/main.rs): opening
// IndexedDB takes a few hundred milliseconds on a phone, and it runs beside the language's
// load and the first mount instead of after them. Read from inside the page: the moment
// `indexedDB.open` is first called and the moment the app's first element enters the body.
import { expect, test } from "@playwright/test";

const url = () => process.env.PEERPULSE_URL!;

test("storage starts opening before the first screen is drawn", async ({ page }) => {
  await page.addInitScript(() => {
    const marks = { open: -1, drawn: -1 };
    (window as unknown as { marks: typeof marks }).marks = marks;
    const open = indexedDB.open.bind(indexedDB);
    indexedDB.open = (name: string, version?: number) => {
      if (marks.open < 0 && name === "peerpulse") marks.open = performance.now();
      return version === undefined ? open(name) : open(name, version);
    };
    new MutationObserver((_, observer) => {
      if (document.body?.querySelector("header.topbar")) {
        marks.drawn = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(url());
  await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled();
  const marks = await page.evaluate(() => (window as unknown as { marks: { open: number; drawn: number } }).marks);
  expect(marks.open, "indexedDB.open was called").toBeGreaterThan(0);
  expect(marks.drawn, "the app's bar was drawn").toBeGreaterThan(0);
  expect(marks.open).toBeLessThan(marks.drawn);
});
