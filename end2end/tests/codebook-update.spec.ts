import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

/** Runs the service's command line against the running test service's database, on the
 * organization the service made at its first start (other tests add organizations). */
function cli(...args: string[]): string {
  const at = ["--data-dir", process.env.PEERPULSE_DATA_DIR!, "--org", "peerpulse-demo"];
  return execFileSync(process.env.PEERPULSE_SERVER_BIN!, [...args, ...at], {
    encoding: "utf8",
  });
}

test("a codebook the organization changes reaches the phone on its next sync", async ({ page }) => {
  const codebook = JSON.parse(cli("codebook", "export"));
  codebook.needs.push({ code: "dental-care", label: "Dental care" });
  for (const need of codebook.needs) if (need.code === "id-documents") need.retired = true;
  const file = join(mkdtempSync(join(tmpdir(), "peerpulse-codebook-")), "codebook.json");
  writeFileSync(file, JSON.stringify(codebook));
  expect(cli("codebook", "import", file)).toMatch(/^Codebook version 2 stored/);
  const code = /Enrolment code for a phone: (\S+)/.exec(cli("enrol-code"))![1];

  await page.goto(process.env.PEERPULSE_URL!);
  const needs = page.getByRole("group", { name: "Needs" });
  await expect(needs.getByRole("checkbox", { name: "ID documents" })).toBeVisible();
  await expect(needs.getByRole("checkbox", { name: "Dental care" })).toHaveCount(0);

  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  await expect(needs.getByRole("checkbox", { name: "Dental care" })).toBeVisible();
  await expect(needs.getByRole("checkbox", { name: "ID documents" })).toHaveCount(0);

  // The phone keeps the codebook: it is there after a reload with no network.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.context().setOffline(true);
  await page.reload();
  await expect(needs.getByRole("checkbox", { name: "Dental care" })).toBeVisible();
});
