// The worker's app in English, Spanish, French, Portuguese and Arabic: every page in every
// language with no raw message key, a language chosen offline that survives a reload with a
// half-filled entry intact, and Arabic laid out right to left without overflow (issue #18).
import { expect, test, type Page } from "@playwright/test";

const LANGUAGES = [
  { tag: "en", dir: "ltr", log: "Log", phone: "Phone", save: "Save encounter" },
  { tag: "es", dir: "ltr", log: "Registrar", phone: "Teléfono", save: "Guardar encuentro" },
  { tag: "fr", dir: "ltr", log: "Saisir", phone: "Téléphone", save: "Enregistrer la rencontre" },
  { tag: "pt", dir: "ltr", log: "Registrar", phone: "Telefone", save: "Salvar encontro" },
  { tag: "ar", dir: "rtl", log: "تسجيل", phone: "الهاتف", save: "احفظ اللقاء" },
] as const;

/** A message key shown as text ("form.save", "error.pin.too_short"): a text the app lacks. */
const RAW_KEY = /\b[a-z][a-z_]*(\.[a-z0-9_-]+)+\b/g;

async function rawKeys(page: Page): Promise<string[]> {
  const shown = await page.evaluate(() => {
    // Text, and the names a screen reader reads, of everything on the page.
    const names = [...document.querySelectorAll("[aria-label], [placeholder], [abbr]")].flatMap((e) =>
      ["aria-label", "placeholder", "abbr"].map((a) => e.getAttribute(a) ?? ""),
    );
    return [document.body.innerText, ...names].join("\n");
  });
  return shown.match(RAW_KEY) ?? [];
}

async function expectLanguage(page: Page, tag: string, dir: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await expect(page.locator("html")).toHaveAttribute("dir", dir);
}

/** Chooses the first choice of each required group and saves. */
async function logOne(page: Page, save: string) {
  for (const group of ["site", "kind", "reach"]) {
    await page.locator(`fieldset#${group} input`).first().check();
  }
  await page.getByRole("button", { name: save }).click();
  await expect(page.getByTestId("save-status")).toHaveClass(/saved/);
}

for (const language of LANGUAGES) {
  test.describe(`in ${language.tag}`, () => {
    test.use({ locale: language.tag });

    test(`every page of the worker's app shows ${language.tag} with no raw key`, async ({ page }) => {
      await page.goto(process.env.PEERPULSE_URL!);
      await expectLanguage(page, language.tag, language.dir);
      await expect(page.getByRole("link", { name: language.log, exact: true })).toBeVisible();

      // Save with nothing chosen: every problem is listed in the language.
      await page.getByRole("button", { name: language.save }).click();
      await expect(page.getByTestId("problems")).toBeVisible();
      expect(await rawKeys(page)).toEqual([]);

      await logOne(page, language.save);
      await expect(page.getByTestId("today-count")).toBeVisible();
      expect(await rawKeys(page)).toEqual([]);

      for (const path of ["/history", "/trends", "/phone"]) {
        await page.locator(`nav a[href="${path}"]`).click();
        await expect(page.locator("main h1")).toBeVisible();
        // Pages that read from the service settle on an answer (or a reason there is none).
        await expect(page.locator("main [role=status]").filter({ hasText: /…$/ })).toHaveCount(0);
        expect(await rawKeys(page), path).toEqual([]);
      }

      await page.locator('nav a[href="/history"]').click();
      await page.locator('a[href^="/edit/"]').first().click();
      await expect(page.locator("form.encounter-form h1")).toBeVisible();
      expect(await rawKeys(page)).toEqual([]);
    });
  });
}

test("a language chosen offline stays after a reload, and the half-filled entry with it", async ({
  page,
  context,
}) => {
  await page.goto(process.env.PEERPULSE_URL!);
  await expectLanguage(page, "en", "ltr");
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Half an entry: a site and a private note, not saved.
  await page.locator("fieldset#site input").first().check();
  await page.getByLabel("Private note (stays on this phone)").fill("half-typed, not saved yet");

  // A language never loaded cannot be shown offline: the app says so and stays readable.
  await page.getByRole("link", { name: "Phone" }).click();
  await context.setOffline(true);
  await page.getByLabel("Language").selectOption("fr");
  await expect(page.locator("#language-status")).toContainText("could not be loaded");
  await expectLanguage(page, "en", "ltr");

  // Loaded once online, a language is kept for offline use.
  await context.setOffline(false);
  await page.getByLabel("Language").selectOption("es");
  await expectLanguage(page, "es", "ltr");
  await page.getByLabel("Idioma").selectOption("en");
  await expectLanguage(page, "en", "ltr");

  await context.setOffline(true);
  await page.getByLabel("Language").selectOption("es");
  await expectLanguage(page, "es", "ltr");
  await expect(page.getByRole("heading", { name: "Este teléfono" })).toBeVisible();

  await page.reload();
  await expectLanguage(page, "es", "ltr");
  await expect(page.getByRole("heading", { name: "Este teléfono" })).toBeVisible();
  await expect(page.getByLabel("Idioma")).toHaveValue("es");

  await page.getByRole("link", { name: "Registrar", exact: true }).click();
  await expect(page.getByLabel("Nota privada (se queda en este teléfono)")).toHaveValue("half-typed, not saved yet");
  await expect(page.locator("fieldset#site input").first()).toBeChecked();
});

/** Elements that stick out of the page sideways, outside scrolling regions. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((e) => !e.closest(".scroll, .visually-hidden, [hidden], noscript, script, style"))
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1 || box.left < -1);
      })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent?.slice(0, 40)}`);
  });
}

for (const { tag, dir } of [
  { tag: "ar", dir: "rtl" },
  { tag: "es", dir: "ltr" },
]) {
  test.describe(`${tag} at phone widths`, () => {
    test.use({ locale: tag });

    test(`${tag} lays out ${dir} with nothing cut off at 360 and 320 px`, async ({ page }, info) => {
      await page.goto(process.env.PEERPULSE_URL!);
      await expectLanguage(page, tag, dir);
      const language = LANGUAGES.find((l) => l.tag === tag)!;
      await page.getByRole("button", { name: language.save }).click();
      await expect(page.getByTestId("problems")).toBeVisible();
      for (const width of [360, 320]) {
        await page.setViewportSize({ width, height: 740 });
        for (const path of ["/", "/history", "/trends", "/phone"]) {
          await page.locator(`nav a[href="${path}"]`).click();
          await expect(page.locator("main h1")).toBeAttached();
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0);
          expect(await clipped(page), `${path} at ${width} px`).toEqual([]);
          if (dir === "rtl") {
            // The tabs read from the right: Log is right of Phone.
            const log = await page.locator('nav a[href="/"]').boundingBox();
            const phone = await page.locator('nav a[href="/phone"]').boundingBox();
            expect(log!.x).toBeGreaterThan(phone!.x);
          }
          await page.screenshot({
            path: info.outputPath(`${tag}-${width}${path.replace(/\//g, "-") || "-log"}.png`),
            fullPage: true,
          });
        }
      }
    });
  });
}
