// The organization's app in English, Spanish, French, Portuguese and Arabic (issue #18): the
// welcome page, the organization page with every section an admin sees, sign-in and the new
// password page, each with no raw message key, its own errors in the language, and
// `<html lang dir>` right; Arabic laid out right to left without overflow at 1280 and 360 px;
// and a language switch that keeps a half-typed form.
import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const LANGUAGES = [
  {
    tag: "en", dir: "ltr", welcome: "Welcome to PeerPulse", people: "People", signIn: "Sign in",
    mismatch: "The two passwords are not the same", password: "Choose a new password",
  },
  {
    tag: "es", dir: "ltr", welcome: "Te damos la bienvenida a PeerPulse", people: "Personas", signIn: "Iniciar sesión",
    mismatch: "Las dos contraseñas no coinciden", password: "Elige una contraseña nueva",
  },
  {
    tag: "fr", dir: "ltr", welcome: "Bienvenue sur PeerPulse", people: "Personnes", signIn: "Se connecter",
    mismatch: "Les deux mots de passe diffèrent", password: "Choisissez un nouveau mot de passe",
  },
  {
    tag: "pt", dir: "ltr", welcome: "Boas-vindas ao PeerPulse", people: "Pessoas", signIn: "Entrar",
    mismatch: "As duas senhas não são iguais", password: "Escolha uma nova senha",
  },
  {
    tag: "ar", dir: "rtl", welcome: "مرحبًا بك في PeerPulse", people: "الأشخاص", signIn: "تسجيل الدخول",
    mismatch: "كلمتا المرور غير متطابقتين", password: "اختر كلمة مرور جديدة",
  },
] as const;

/** A message key shown as text ("org.people.add", "error.pin.too_short"): a text the app lacks. */
const RAW_KEY = /\b[a-z][a-z_]*(\.[a-z0-9_-]+)+\b/g;

/** Everything a person reads or hears on the page that looks like a message key. */
async function rawKeys(page: Page): Promise<string[]> {
  const shown = await page.evaluate(() => {
    const names = [...document.querySelectorAll("[aria-label], [placeholder], [title], [abbr]")].flatMap((e) =>
      ["aria-label", "placeholder", "title", "abbr"].map((a) => e.getAttribute(a) ?? ""),
    );
    const options = [...document.querySelectorAll("option")].map((o) => o.textContent ?? "");
    return [document.body.innerText, ...names, ...options].join("\n");
  });
  return shown.match(RAW_KEY) ?? [];
}

async function expectLanguage(page: Page, tag: string, dir: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await expect(page.locator("html")).toHaveAttribute("dir", dir);
}

/** A one-time admin link for a new organization, from the service's CLI. */
function adminLink(name: string): string {
  const printed = execFileSync(process.env.PEERPULSE_SERVER_BIN!, [
    "org",
    "create",
    name,
    "--data-dir",
    process.env.PEERPULSE_DATA_DIR!,
    "--public-url",
    process.env.PEERPULSE_URL!,
  ]).toString();
  return /Admin sign-in link \(one-time, expires in [^)]*\): (\S+)/.exec(printed)![1];
}

/** Waits until no section of the organization page is still loading. */
async function settled(page: Page) {
  await expect(page.locator("#glance .glance-card").first()).toBeVisible();
  await expect(page.locator("main p, main [role=status]").filter({ hasText: /…$/ })).toHaveCount(0);
}

test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

for (const language of LANGUAGES) {
  test.describe(`in ${language.tag}`, () => {
    test.use({ locale: language.tag });

    test(`the organization's pages show ${language.tag} with no raw key, errors included`, async ({ page }) => {
      const org = `Lenguas org ${language.tag}`;
      const username = `admin-${language.tag}`;
      const secret = "an admin's long secret";

      // The welcome page, and its own refusal, in the language.
      await page.goto(adminLink(org));
      await expectLanguage(page, language.tag, language.dir);
      await expect(page.getByRole("heading", { name: language.welcome })).toBeVisible();
      await page.locator("#welcome-username").fill(username);
      await page.locator("#welcome-password").fill(secret);
      await page.locator("#welcome-again").fill("something else entirely");
      await page.locator("form button[type=submit]").click();
      await expect(page.getByRole("alert")).toContainText(language.mismatch);
      expect(await rawKeys(page)).toEqual([]);
      await page.locator("#welcome-again").fill(secret);
      await page.locator("form button[type=submit]").click();
      await expect(page.getByRole("heading", { name: org })).toBeVisible();
      await expectLanguage(page, language.tag, language.dir);

      // Every section an admin sees, with something in each that only shows after an action:
      // an enrolment code, a refused new person, a refused language tag.
      await settled(page);
      await page.locator("#phones button.primary").click();
      await expect(page.locator("#phones .issued-code")).toBeVisible();
      await page.locator("#new-username").fill("x");
      await page.locator("#people form button[type=submit]").click();
      await expect(page.locator("#people form [role=alert]")).toBeVisible();
      await page.locator("#translation-language").fill("e5");
      await expect(page.locator("#translation-language-error")).toBeVisible();
      await expect(page.getByRole("heading", { name: language.people, exact: true })).toBeVisible();
      await settled(page);
      expect(await rawKeys(page)).toEqual([]);

      // Signed out: the sign-in screen and its refusal.
      await page.locator(".org-head .actions button").first().click();
      await expect(page.getByRole("heading", { name: language.signIn })).toBeVisible();
      await page.locator("#sign-in-org").fill("-");
      await page.locator("form button[type=submit]").click();
      await expect(page.getByRole("alert")).toBeVisible();
      expect(await rawKeys(page)).toEqual([]);

      // The new-password page (a link that was never made), and its own refusal.
      await page.goto(`${process.env.PEERPULSE_URL}/password#not-a-real-token`);
      await expectLanguage(page, language.tag, language.dir);
      await expect(page.getByRole("heading", { name: language.password })).toBeVisible();
      await page.locator("#reset-password").fill(secret);
      await page.locator("#reset-again").fill("not the same one");
      await page.locator("form button[type=submit]").click();
      await expect(page.getByRole("alert")).toContainText(language.mismatch);
      expect(await rawKeys(page)).toEqual([]);
    });
  });
}

test.describe("Arabic", () => {
  test.use({ locale: "ar", deviceScaleFactor: 1 });

  test("the organization page lays out right to left with nothing sticking out at 1280 and 360 px", async ({
    page,
  }, info) => {
    await page.goto(adminLink("Arabic layout"));
    await page.locator("#welcome-username").fill("admin-rtl");
    await page.locator("#welcome-password").fill("an admin's long secret");
    await page.locator("#welcome-again").fill("an admin's long secret");
    await page.locator("form button[type=submit]").click();
    await expect(page.getByRole("heading", { name: "Arabic layout" })).toBeVisible();
    await expectLanguage(page, "ar", "rtl");
    await settled(page);
    for (const { width, height } of [
      { width: 1280, height: 800 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `at ${width} px`).toBeLessThanOrEqual(0);
      if (width === 1280) {
        // Read from the right: the first section's link is right of the second's, and the
        // organization's name right of the sign-out buttons.
        const links = page.locator(".section-nav a");
        const first = await links.nth(0).boundingBox();
        const second = await links.nth(1).boundingBox();
        expect(first!.x).toBeGreaterThan(second!.x);
        const name = await page.locator(".org-head h1").boundingBox();
        const actions = await page.locator(".org-head .actions").boundingBox();
        expect(name!.x).toBeGreaterThan(actions!.x);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: info.outputPath(`org-ar-${width}-top.png`) });
      for (const section of ["glance", "capture", "phones", "notes", "codebook", "people", "audit", "keeping"]) {
        await page.locator(`#${section}`).screenshot({ path: info.outputPath(`org-ar-${width}-${section}.png`) });
      }
    }
  });
});

test("a language switch on the organization page keeps a half-typed new person", async ({ page }) => {
  await newOrgAdmin(page, "Switching languages", "switcher");
  await expectLanguage(page, "en", "ltr");
  const people = page.getByRole("region", { name: "People" });
  await people.getByLabel("Username").fill("half-typed");
  await people.getByRole("radio", { name: "Manager" }).check();
  await people.getByLabel("First password (hand it over in person)").fill("typed, not sent");

  await page.locator("#language").selectOption("es");
  await expectLanguage(page, "es", "ltr");
  const personas = page.getByRole("region", { name: "Personas" });
  await expect(personas.getByLabel("Nombre de usuario")).toHaveValue("half-typed");
  await expect(personas.getByRole("radio", { name: "Responsable" })).toBeChecked();
  await expect(personas.getByLabel("Primera contraseña (entrégala en persona)")).toHaveValue("typed, not sent");
  expect(await rawKeys(page)).toEqual([]);
});

test("what a manager types stays as typed inside translated sentences, placeholders and all", async ({ page }) => {
  await newOrgAdmin(page, "Typed braces", "braces");
  await page.locator("#language").selectOption("fr");
  await expectLanguage(page, "fr", "ltr");
  const codebook = page.getByRole("region", { name: "Liste de codes" });
  await codebook.getByLabel("Nouvelle entrée dans cette liste").fill("Repas {{language}} {{name}}");
  await codebook.getByRole("button", { name: "Ajouter", exact: true }).click();
  await expect(codebook.getByRole("status")).toContainText("Enregistré comme version");
  await codebook.getByLabel("Traduire les libellés en").fill("es");
  await expect(codebook.getByLabel("Traduction de Repas {{language}} {{name}} (es)", { exact: true })).toBeVisible();
  await expect(
    codebook.getByRole("button", { name: "Enregistrer la traduction de Repas {{language}} {{name}} (es)" }),
  ).toBeVisible();
});
