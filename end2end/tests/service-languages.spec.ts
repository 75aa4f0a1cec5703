// What the service writes comes in the phone's language: a phone whose worker chose Spanish
// (in a browser set to British English) enters a used enrolment code and reads the service's
// refusal in Spanish, because the app sends the language it shows as Accept-Language.
import { expect, test } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

test("a phone shown in Spanish is told in Spanish that its enrolment code is used up", async ({ page, browser }) => {
  await newOrgAdmin(page, "Servicio en Español", "sofia");
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  const first = await page.request.post(`${url()}/api/v1/enrol`, { data: { code } });
  expect(first.status()).toBe(201);

  const phone = await browser.newContext({ locale: "en-GB", viewport: { width: 360, height: 740 } });
  const worker = await phone.newPage();
  await worker.goto(url());
  await worker.getByRole("link", { name: "Phone" }).click();
  await worker.getByLabel("Language").selectOption("es");
  await worker.getByRole("link", { name: "Registrar", exact: true }).click();
  await worker.getByLabel("Código de conexión de tu responsable").fill(code);
  const sent = worker.waitForRequest("**/api/v1/enrol");
  await worker.getByRole("button", { name: "Conectar", exact: true }).click();
  expect((await sent).headers()["accept-language"]).toBe("es");
  const alert = worker.getByRole("alert");
  await expect(alert).toContainText("Este código de conexión no existe, ya se usó o caducó: pide uno nuevo a tu responsable.");
  await expect(alert).not.toContainText("enrolment code");
  await worker.screenshot({ path: "test-results/service-languages-es-360.png" });
  await phone.close();
});
