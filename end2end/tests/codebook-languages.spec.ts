// Issue 18, point 3: a manager translates a code's label on the codebook page, and a phone in a
// Spanish browser shows it after its next sync, with untranslated codes in the codebook's own
// language. A bad language tag or a translation that names someone is refused beside its field.
import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const shots = `${__dirname}/../screenshots`;

async function newCode(page: Page): Promise<string> {
  const shown = page.locator(".issued-code");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  await expect(shown).toHaveText(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
  return (await shown.textContent())!.trim();
}

test("a translation added on the codebook page shows on a Spanish phone after sync", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await newOrgAdmin(page, "Lenguas Outreach", "lena");
  const codebook = page.getByRole("region", { name: "Codebook" });
  await codebook.getByRole("radio", { name: "Needs" }).check();

  // A language that is not one is refused beside its field, and nothing can be saved.
  await codebook.getByLabel("Translate the labels into").fill("spanish");
  await expect(codebook.locator("#translation-language-error")).toContainText("is not a language");
  await expect(codebook.getByRole("button", { name: "Save translation of Housing (spanish)" })).toBeDisabled();
  await codebook.getByLabel("Translate the labels into").fill("es");

  await codebook.getByLabel("Translation of Housing (es)", { exact: true }).fill("Vivienda");
  await codebook.getByRole("button", { name: "Save translation of Housing (es)" }).click();
  await expect(codebook.getByRole("status")).toHaveText(/^Saved as version 2: phones get it on their next sync\.$/);
  await expect(codebook.getByLabel("Translation of Housing (es)", { exact: true })).toHaveValue("Vivienda");

  // A translation that names someone is refused beside it, and the codebook stays at version 2.
  await codebook.getByLabel("Translation of Food (es)", { exact: true }).fill("se llama Lupita");
  await codebook.getByRole("button", { name: "Save translation of Food (es)" }).click();
  await expect(codebook.locator("#translation-food-error")).toContainText("looks like a name");
  await expect(codebook.getByText(/^Version 2\./)).toBeVisible();
  await codebook.getByLabel("Translation of Food (es)", { exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/codebook-translations-1280.png` });

  const code = await newCode(page);
  const context = await browser.newContext({ locale: "es-ES", viewport: { width: 360, height: 740 } });
  const phone = await context.newPage();
  await phone.goto(`${process.env.PEERPULSE_URL}/enrol#${code}`);
  // The interface speaks the browser's Spanish too (issue #18).
  await expect(phone.getByRole("status")).toContainText("Este teléfono está conectado a Lenguas Outreach");
  await phone.goto(process.env.PEERPULSE_URL!);
  await expect(phone.getByTestId("waiting")).toContainText("Todo está sincronizado");
  const needs = phone.getByRole("group", { name: "Necesidades" });
  await expect(needs.getByRole("checkbox", { name: "Vivienda" })).toBeVisible();
  await expect(needs.getByRole("checkbox", { name: "Housing" })).toHaveCount(0);
  // Not translated: the codebook's own label.
  await expect(needs.getByRole("checkbox", { name: "Food" })).toBeVisible();
  await needs.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: `${shots}/codebook-translations-phone-es-360.png` });
  await context.close();
});

test("codebook labels follow a language switch on the Phone page at once, with no sync or reload", async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await newOrgAdmin(page, "Cambio Outreach", "cato");
  const codebook = page.getByRole("region", { name: "Codebook" });
  await codebook.getByRole("radio", { name: "Needs" }).check();
  await codebook.getByLabel("Translate the labels into").fill("es");
  await codebook.getByLabel("Translation of Housing (es)", { exact: true }).fill("Vivienda");
  await codebook.getByRole("button", { name: "Save translation of Housing (es)" }).click();
  await expect(codebook.getByRole("status")).toHaveText(/^Saved as version 2/);
  const code = await newCode(page);

  // An English phone gets the codebook, Spanish labels included, and shows it in English.
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 360, height: 740 } });
  const phone = await context.newPage();
  await phone.goto(`${process.env.PEERPULSE_URL}/enrol#${code}`);
  await expect(phone.getByRole("status")).toContainText("This phone is connected to Cambio Outreach");
  await phone.goto(process.env.PEERPULSE_URL!);
  await expect(phone.getByTestId("waiting")).toContainText("Everything is synced");
  const needs = (name: string) => phone.getByRole("group", { name }).getByRole("checkbox", { name: "Housing" });
  await expect(needs("Needs")).toBeVisible();

  // From here no sync can bring anything: every one fails.
  await context.route("**/api/v1/sync", (route) => route.abort());
  await phone.getByRole("link", { name: "Phone" }).click();
  await phone.getByLabel("Language").selectOption("es");
  await expect(phone.locator("html")).toHaveAttribute("lang", "es");
  await phone.getByRole("link", { name: "Registrar" }).click();
  const spanish = phone.getByRole("group", { name: "Necesidades" });
  await expect(spanish.getByRole("checkbox", { name: "Vivienda" })).toBeVisible();
  await expect(spanish.getByRole("checkbox", { name: "Housing" })).toHaveCount(0);
  await spanish.scrollIntoViewIfNeeded();
  await phone.screenshot({ path: `${shots}/codebook-switch-es-360.png` });
  await context.close();
});
