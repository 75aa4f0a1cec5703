// The audit log in the manager's language: each entry's particulars are typed on the
// service and said through the app's own sentences, in Spanish and Arabic as in English; an
// indicator name carrying markup or a `{{placeholder}}` is shown as typed, run as nothing, and
// changes no other entry.
import { expect, test, type Page } from "@playwright/test";
import { adminOf, newManager } from "../support/field-alerts";
import { newOrgAdmin } from "../support/org";

test.use({ viewport: { width: 1280, height: 800 } });

const url = () => process.env.PEERPULSE_URL!;

/** A name a manager might type that would run, or fill a sentence's placeholders, if shown as
 * anything but text. */
const HOSTILE = `<img src=x onerror="window.__pwned=1">{{done}} {{names}}`;

async function showIn(page: Page, tag: string) {
  const kept = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/language") && r.ok());
  await page.locator("#language").selectOption(tag);
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await kept;
}

test("the audit log says each entry in the language shown, and a typed name stays text", async ({ page }, info) => {
  await newOrgAdmin(page, "Audit Words", "aurora");
  const admin = await adminOf(page);
  await newManager(admin, "mila");
  const starter = (await (await admin.api.get(`${url()}/api/v1/indicators`)).json()).starter;
  const adopted = await admin.api.put(`${url()}/api/v1/indicators`, {
    headers: { "x-csrf-token": admin.csrf },
    data: { base_version: 0, indicators: [{ ...starter[0], name: HOSTILE }] },
  });
  expect(adopted.ok(), await adopted.text()).toBeTruthy();
  const kept = await admin.api.put(`${url()}/api/v1/settings`, {
    headers: { "x-csrf-token": admin.csrf },
    data: { keep_phone_rows_months: 6 },
  });
  expect(kept.ok(), await kept.text()).toBeTruthy();

  await page.goto(`${url()}/org`);
  await showIn(page, "es");
  const audit = page.getByRole("region", { name: "Registro de auditoría" });
  const rows = audit.getByRole("row");
  // Newest first, after the header: the retention, the indicators, the manager's sign-in,
  // the manager added, the admin's own sign-in.
  await expect(rows.nth(1)).toContainText("Los recuentos de cada teléfono se conservan ahora durante 6 meses");
  await expect(rows.nth(2)).toContainText(`Cambió los indicadores (versión 1): agregó ${HOSTILE}`);
  await expect(rows.nth(3)).toContainText("Inició sesión con su contraseña");
  await expect(rows.nth(4)).toContainText("Agregó a mila como Responsable");
  await expect(rows.nth(5)).toContainText("Inició sesión con un enlace de bienvenida");
  await expect(rows).toHaveCount(6);
  // The name ran as nothing and filled nothing: no element made of it, no script run.
  await expect(audit.locator("img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await audit.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("audit-es-1280.png") });

  await showIn(page, "ar");
  const arabic = page.getByRole("region", { name: "سجل التدقيق" });
  // Each value sits in an isolate (U+2068 … U+2069; U+2067 for a list of names, which has no
  // letter of its own), so a Latin name keeps its own order in the right-to-left sentence
  // (bidi-isolation.spec.ts checks how it is drawn).
  await expect(arabic.getByRole("row").nth(4)).toContainText("أضاف \u2068mila\u2069 بدور \u2068مسؤول\u2069");
  await expect(arabic.getByRole("row").nth(5)).toContainText("سجّل الدخول برابط ترحيب");
  await expect(arabic.getByRole("row").nth(2)).toContainText(`\u2067\u2068${HOSTILE}\u2069\u2069`);
  await expect(arabic.locator("img")).toHaveCount(0);
  await arabic.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath("audit-ar-1280.png") });
  await showIn(page, "en");
});
