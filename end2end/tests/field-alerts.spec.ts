import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { pagesOf } from "../support/pdf";
import { adminOf, newManager, publish, withdraw } from "../support/field-alerts";

const url = () => process.env.PEERPULSE_URL!;

/** Enrols the page's browser as a phone of the admin's organization. */
/** The phone's words the tests look for, in the language its browser speaks. */
const ENGLISH = { code: "Enrolment code from your manager", connect: "Connect", synced: "Everything is synced", syncNow: "Sync now" };
const SPANISH = { code: "Código de conexión de tu responsable", connect: "Conectar", synced: "Todo está sincronizado", syncNow: "Sincronizar ahora" };
type Words = typeof ENGLISH;

async function enrolPhone(page: Page, words: Words = ENGLISH) {
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  await page.goto(url());
  await page.getByLabel(words.code).fill(code);
  await page.getByRole("button", { name: words.connect }).click();
  await expect(page.getByTestId("waiting")).toContainText(words.synced);
}

async function syncNow(page: Page, words: Words = ENGLISH) {
  await page.getByRole("button", { name: words.syncNow }).click();
  await expect(page.getByRole("button", { name: words.syncNow })).toBeEnabled();
  await expect(page.getByTestId("waiting")).toContainText(words.synced);
}

/** Opens a folded alert card by a tap on its one-line summary. */
async function unfold(card: Locator) {
  await card.locator("summary").click();
  await expect(card.locator(".alert-actions")).toBeVisible();
}

/** Whether `inner` lies inside the padding box of `outer`, and scrolls nothing sideways. */
async function fitsInside(inner: Locator, outer: Locator) {
  const [box, frame] = [(await inner.boundingBox())!, (await outer.boundingBox())!];
  const overflow = await inner.evaluate((e) => e.scrollWidth - e.clientWidth);
  return overflow <= 0 && box.x >= frame.x && box.x + box.width <= frame.x + frame.width + 0.5;
}

test.describe("a Spanish-speaking phone", () => {
  // The browser speaks Spanish: the app, and the alert, speak it too.
  test.use({ locale: "es-ES" });

  test("a manager drafts, another approves, the phone shows the alert after sync in its language, also offline after a reload; passed on is reported; a withdrawal removes it", async ({
    page,
    context,
  }) => {
    // The admin chose English for the organization's app on this browser; the phone follows
    // the browser's Spanish.
    await page.addInitScript(() => localStorage.setItem("peerpulse-org-language", JSON.stringify("en")));
    await newOrgAdmin(page, "Alerts Outreach", "alma");
    const admin = await adminOf(page);
    const mia = await newManager(admin, "mia-alerts");
    await enrolPhone(page, SPANISH);
    const alerts = page.getByRole("region", { name: "Alertas de tu organización" });
    await expect(alerts).toHaveCount(0);

    const id = await publish(mia, admin, {
      en: "Strong batch going round the station: test your supply, don't use alone.",
      es: "Lote fuerte en la estación: analiza lo que usas, no consumas solo.",
    }, { sites: ["van"] });
    await syncNow(page, SPANISH);
    const card = alerts.getByRole("listitem");
    await expect(card).toHaveCount(1);
    // The browser speaks Spanish: the Spanish message, marked as Spanish.
    await expect(card.locator(".alert-message")).toHaveText("Lote fuerte en la estación: analiza lo que usas, no consumas solo.");
    await expect(card.locator(".alert-message")).toHaveAttribute("lang", "es");
    await expect(card).toContainText("Sustancias · Avisado por compañeros");
    await expect(card).toContainText("Dónde: Outreach van");
    // Folded to one line (kind, message, expiry), so the Log form starts on the first screen.
    const summary = card.locator("summary");
    await expect(summary).toContainText("Sustancias");
    await expect(summary).toContainText(/hasta el \d+ \w+/);
    expect((await summary.boundingBox())!.height).toBeLessThan(80);
    await expect(card.getByRole("button", { name: "Compartir" })).toBeHidden();
    const form = page.getByRole("button", { name: "Guardar encuentro" }).locator("xpath=ancestor::form");
    expect((await form.boundingBox())!.y).toBeLessThan(740 - 200);
    await page.screenshot({ path: "test-results/log-with-alert-360.png" });
    await unfold(card);
    const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    // Printed, the alert is a poster: only the alert, in large type.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await card.getByRole("button", { name: "Imprimir cartel" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "Guardar encuentro" })).toBeHidden();
    // Hidden ancestors take the roles away in print: find the poster by its class.
    const poster = page.locator(".alert-card.printing .alert-message");
    await expect(poster).toBeVisible();
    // Printed from a 360 px phone, the large type stays inside the poster's border.
    expect(await fitsInside(poster, page.locator(".alert-card.printing"))).toBe(true);
    await page.screenshot({ path: "test-results/alert-poster-print-360.png" });
    // On A4 paper, the type is large: over 40 pt.
    // One sheet: the rest of the page takes no room on paper.
    expect(pagesOf(await page.pdf({ path: "test-results/alert-poster.pdf", format: "A4" }))).toBe(1);
    await page.setViewportSize({ width: 794, height: 1123 });
    const size = await poster.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(size).toBeGreaterThan(53);
    expect(await fitsInside(poster, page.locator(".alert-card.printing"))).toBe(true);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ media: "screen" });

    // Offline and reloaded, the alert is still there.
    await context.setOffline(true);
    await page.reload();
    await expect(card.locator(".alert-message")).toContainText("Lote fuerte");

    // Marked passed on while offline, it is reported on the next sync.
    await unfold(card);
    await card.getByRole("button", { name: "Marcar como pasada" }).click();
    await expect(card.getByRole("button", { name: "✓ Ya la pasé" })).toHaveAttribute("aria-pressed", "true");
    const reported = page.waitForRequest(
      (r) => r.url().endsWith("/api/v1/field-alerts/receipts") && r.postDataJSON().passed_on.includes(id),
      { timeout: 20_000 },
    );
    await context.setOffline(false);
    expect((await reported).postDataJSON().received).toEqual([[id, 1]]);
    await expect(page.getByTestId("waiting")).toContainText(SPANISH.synced);

    // Withdrawn, it leaves the phone on the next sync.
    await withdraw(admin, id);
    await syncNow(page, SPANISH);
    await expect(alerts).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("waiting")).toBeVisible();
    await expect(alerts).toHaveCount(0);
  });
});

test("with no Web Share, Share copies the alert as text to the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.addInitScript(() => {
    // @ts-expect-error: a phone browser without the Web Share API.
    delete Navigator.prototype.share;
  });
  await newOrgAdmin(page, "Share Outreach", "sasha");
  const admin = await adminOf(page);
  const ben = await newManager(admin, "ben-share");
  await enrolPhone(page);
  await publish(ben, admin, { en: "The van is closed tonight: naloxone at the drop-in until 22:00." });
  await syncNow(page);
  const card = page.getByRole("region", { name: "Alerts from your organization" }).getByRole("listitem");
  await unfold(card);
  await card.getByRole("button", { name: "Share" }).click();
  await expect(card.getByRole("status")).toHaveText("Copied: paste it into a message.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(
    /^ALERT \(Drug supply, reported by workers\): The van is closed tonight: naloxone at the drop-in until 22:00\. Until \w{3} \d+ \w{3}, \d\d:\d\d\.$/,
  );
});

test("the worker taps “Tell me when a new alert comes”, allows it, and the next new alert shows a system notification through the service worker", async ({
  page,
  context,
}) => {
  await newOrgAdmin(page, "Notify Outreach", "nina");
  const admin = await adminOf(page);
  const cleo = await newManager(admin, "cleo-notify");
  await enrolPhone(page);
  // Never asked at first start: there is nothing to ask from until an alert is shown.
  await expect(page.getByRole("button", { name: "Tell me when a new alert comes" })).toHaveCount(0);
  await publish(cleo, admin, { en: "Wound clinic moved to the church hall this week." }, { kind: "service-change" });
  await syncNow(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Asked from the alert in front of the worker; the browser's prompt answers "allow".
  const offer = page.getByRole("button", { name: "Tell me when a new alert comes" });
  await expect(offer).toBeVisible();
  await context.grantPermissions(["notifications"]);
  await offer.click();
  await expect(page.getByText("This phone will tell you when a new alert comes.")).toBeVisible();
  await expect(offer).toHaveCount(0);
  // The alert the worker already sees is not announced again.
  expect(
    await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length),
  ).toBe(0);

  await publish(cleo, admin, { en: "Strong batch near the market: test your supply." });
  await syncNow(page);
  await expect(page.getByRole("region", { name: "Alerts from your organization" }).getByRole("listitem")).toHaveCount(2);
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => n.body);
      }),
    )
    .toEqual(["Strong batch near the market: test your supply."]);

  // Two alerts stack folded, above the Log form, at 360 and 320 px: kind and date on one line,
  // the message's start on the next.
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 740 });
    const summaries = page.locator(".alert-card summary");
    await expect(summaries).toHaveCount(2);
    for (const summary of await summaries.all()) {
      expect((await summary.boundingBox())!.height).toBeLessThan(80);
      const headline = summary.locator(".alert-headline");
      expect((await headline.boundingBox())!.width).toBeGreaterThan(width / 2);
    }
    const form = page.getByRole("button", { name: "Save encounter" }).locator("xpath=ancestor::form");
    expect((await form.boundingBox())!.y).toBeLessThan(740 - 200);
    await page.screenshot({ path: `test-results/log-with-two-alerts-${width}.png` });
  }
});
