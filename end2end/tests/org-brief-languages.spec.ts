// The organization's trends, indicators, alerts to workers, trend brief and indicator report in
// English, Spanish, French, Portuguese and Arabic (issue #18): no raw message key, the page's
// language and direction, dates in the language, Arabic with no sideways scroll at 1280 × 800,
// the brief printed to PDF, and CSV headers in the person's language over machine values.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

const LANGUAGES = [
  { tag: "en", dir: "ltr", brief: "Trend brief", report: "Indicator report", trends: "Trends, live" },
  { tag: "es", dir: "ltr", brief: "Resumen de tendencias", report: "Informe de indicadores", trends: "Tendencias en directo" },
  { tag: "fr", dir: "ltr", brief: "Note de tendances", report: "Rapport d’indicateurs", trends: "Tendances en direct" },
  { tag: "pt", dir: "ltr", brief: "Resumo de tendências", report: "Relatório de indicadores", trends: "Tendências ao vivo" },
  { tag: "ar", dir: "rtl", brief: "موجز الاتجاهات", report: "تقرير المؤشرات", trends: "الاتجاهات مباشرةً" },
] as const;

/** A message key shown as text ("org.brief.title", "trends.what"): a text the app lacks. File
 * names ("peerpulse-report-2026-11.csv") and e-mail-like words are not keys. */
const RAW_KEY = /\b[a-z][a-z_]*(\.[a-z0-9_-]+)+\b/g;
const NOT_A_KEY = /\.(csv|json|xml|pdf)$/;

async function rawKeys(page: Page): Promise<string[]> {
  const shown = await page.evaluate(() => {
    const names = [...document.querySelectorAll("[aria-label], [placeholder], [abbr], [title], optgroup[label]")].flatMap(
      (e) => ["aria-label", "placeholder", "abbr", "title", "label"].map((a) => e.getAttribute(a) ?? ""),
    );
    const svg = [...document.querySelectorAll("svg title, svg desc, option")].map((e) => e.textContent ?? "");
    return [document.body.innerText, ...names, ...svg].join("\n");
  });
  return (shown.match(RAW_KEY) ?? []).filter((k) => !NOT_A_KEY.test(k));
}

async function expectLanguage(page: Page, tag: string, dir: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", tag);
  await expect(page.locator("html")).toHaveAttribute("dir", dir);
}

/** This month's name in `tag`, as the browser's Intl writes it ("noviembre", "نوفمبر"), in
 * any case (a sentence may start with it). */
async function monthName(page: Page, tag: string): Promise<RegExp> {
  const name = await page.evaluate((tag) => new Intl.DateTimeFormat(tag, { month: "long" }).format(new Date()), tag);
  return new RegExp(name, "i");
}

/** A screenshot to look at, when PEERPULSE_SHOTS names a directory. */
async function shot(page: Page, name: string) {
  const dir = process.env.PEERPULSE_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** No sideways scroll: the page is no wider than the window. */
async function expectNoOverflow(page: Page, where: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${where} overflows sideways`).toBeLessThanOrEqual(client);
}

function day(back: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

const need = (d: string, value: string, count: number, version = 1) => ({
  day: d,
  site: "van",
  dimension: "need",
  value,
  count,
  version,
});

async function enrolledPhone(page: Page, request: APIRequestContext): Promise<string> {
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();
  return (await (await request.post(`${url()}/api/v1/enrol`, { data: { code } })).json()).token;
}

async function sync(request: APIRequestContext, token: string, buckets: object[]) {
  const res = await request.post(`${url()}/api/v1/sync`, {
    headers: { authorization: `Bearer ${token}` },
    data: { buckets, codebook_version: 1 },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
}

/** A new organization with two phones' counts (a rise today, a new free tag), the starter
 * indicators adopted, its admin signed in on `page` and reading in `tag`. */
async function orgIn(page: Page, request: APIRequestContext, tag: string) {
  await newOrgAdmin(page, `Languages ${tag}`, `lingua-${tag}`);
  const [one, two] = [await enrolledPhone(page, request), await enrolledPhone(page, request)];
  const history = [];
  for (let back = 1; back < 12; back++) history.push(need(day(back), "housing", 3));
  history.push(need(day(0), "housing", 20), need(day(0), "food", 9));
  await sync(request, one, history);
  await sync(request, two, [need(day(0), "housing", 20)]);
  for (const phone of [one, two]) {
    await sync(request, phone, [{ day: day(0), site: "van", dimension: "free-tag", value: "dental-care", count: 6, version: 2 }]);
  }
  await page.reload();
  const indicators = page.locator("#indicators");
  await indicators.getByRole("button", { name: "Adopt the starter set" }).click();
  await expect(indicators.getByRole("status")).toContainText("Adopted");
  await page.evaluate((tag) => localStorage.setItem("peerpulse-org-language", JSON.stringify(tag)), tag);
  await page.reload();
}

test.use({ viewport: { width: 1280, height: 800 } });

for (const language of LANGUAGES) {
  test(`the organization's trends, indicators, alerts, brief and report read in ${language.tag}`, async ({
    page,
    request,
  }) => {
    await orgIn(page, request, language.tag);
    await expectLanguage(page, language.tag, language.dir);
    const month = await monthName(page, language.tag);

    const trends = page.locator("#trends");
    await expect(trends.getByRole("heading", { name: language.trends })).toBeVisible();
    await expect(trends.locator(".bars li").first()).toBeVisible();
    await expect(trends).toContainText(month);
    await expect(page.locator("#indicators table")).toBeVisible();
    await expect(page.locator("#field-alerts form")).toBeVisible();
    for (const section of ["#trends", "#indicators", "#field-alerts"]) {
      await expect(page.locator(section)).toBeVisible();
      const dir = process.env.PEERPULSE_SHOTS;
      if (dir) await page.locator(section).screenshot({ path: `${dir}/org-${language.tag}-${section.slice(1)}.png` });
    }
    expect(await rawKeys(page), "/org").toEqual([]);
    await shot(page, `org-${language.tag}`);
    if (language.dir === "rtl") await expectNoOverflow(page, "/org");

    await page.goto(`${url()}/brief`);
    await expectLanguage(page, language.tag, language.dir);
    await expect(page.locator(".brief-kicker")).toHaveText(language.brief);
    await expect(page.locator(".brief-scope")).toContainText(month);
    await expect(page.locator(".brief-method")).toContainText(month);
    await expect(page.locator(".brief-part").first().locator("li").first()).toBeVisible();
    expect(await rawKeys(page), "/brief").toEqual([]);
    await shot(page, `brief-${language.tag}`);
    if (language.dir === "rtl") await expectNoOverflow(page, "/brief");

    await page.goto(`${url()}/reports`);
    await expectLanguage(page, language.tag, language.dir);
    await expect(page.locator("#report-heading")).toContainText(language.report);
    await expect(page.locator(".report-table")).toBeVisible();
    await expect(page.locator(".report-period")).toContainText(month);
    expect(await rawKeys(page), "/reports").toEqual([]);
    await shot(page, `reports-${language.tag}`);
    if (language.dir === "rtl") await expectNoOverflow(page, "/reports");
  });
}

/** Where printed briefs and their pictures go: PEERPULSE_SHOTS, else the test's output. */
function outDir(fallback: string): string {
  const dir = process.env.PEERPULSE_SHOTS ?? fallback;
  mkdirSync(dir, { recursive: true });
  return dir;
}

for (const tag of ["es", "ar"]) {
  test(`the brief prints to one PDF in ${tag}`, async ({ page, request }, info) => {
    await orgIn(page, request, tag);
    await page.goto(`${url()}/brief`);
    await expect(page.locator(".brief-part").first().locator("li").first()).toBeVisible();
    const dir = outDir(info.outputDir);
    const pdf = `${dir}/brief-${tag}.pdf`;
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    // A picture of the printed page, to look at (pdftoppm from poppler, when installed).
    try {
      execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "2", pdf, `${dir}/brief-${tag}-page`]);
    } catch {
      await page.emulateMedia({ media: "print" });
      await page.screenshot({ path: `${dir}/brief-${tag}-print.png`, fullPage: true });
    }
    await page.emulateMedia({ media: "screen" });
    await page.screenshot({ path: `${dir}/brief-${tag}-screen.png`, fullPage: true });
  });
}

test("CSV exports in Spanish head their columns in Spanish over ISO dates, period ids and codes", async ({
  page,
  request,
}) => {
  await orgIn(page, request, "es");
  const month = day(0).slice(0, 7);
  const trends = page.locator("#trends");
  const [totals] = await Promise.all([
    page.waitForEvent("download"),
    trends.getByRole("button", { name: "Descargar totales del periodo (CSV)" }).click(),
  ]);
  expect(totals.suggestedFilename()).toBe(`peerpulse-trends-${month}-totals.csv`);
  const csv = readFileSync((await totals.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("periodo,sitio,dimensión,código,etiqueta,cifra");
  expect(csv).toMatch(new RegExp(`^${month},all,need,housing,[^,]+,\\d+$`, "m"));

  await page.goto(`${url()}/brief`);
  const [rose] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Qué subió (CSV)" }).click(),
  ]);
  expect(rose.suggestedFilename()).toBe(`peerpulse-brief-${month}-rose.csv`);
  const rises = readFileSync((await rose.path())!, "utf8");
  expect(rises.split("\r\n")[0]).toBe("día,dimensión,código,etiqueta,cifra,habitual por día,métodos");
  expect(rises).toMatch(new RegExp(`^${day(0)},need,housing,[^,]+,\\d+,\\d+,`, "m"));

  await page.goto(`${url()}/reports`);
  const [report] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Descargar CSV" }).click(),
  ]);
  const rows = readFileSync((await report.path())!, "utf8");
  expect(rows.split("\r\n")[0]).toBe(
    "indicador,sitio,nombre del sitio,periodo,valor,periodo anterior,valor anterior,cambio",
  );
  // The place's code beside its name in Spanish; the periods as ids.
  expect(rows).toMatch(new RegExp(`,all,Todos los sitios,${month},`, "m"));
});
