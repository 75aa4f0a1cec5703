// A new organization for a browser test, made with the service's own CLI.
import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";

/** Creates organization `name` and signs its first admin `username` in on `page`, through the
 * one-time link the CLI prints. Usernames are unique across organizations. */
export async function newOrgAdmin(page: Page, name: string, username: string) {
  const printed = execFileSync(process.env.PEERPULSE_SERVER_BIN!, [
    "org",
    "create",
    name,
    "--data-dir",
    process.env.PEERPULSE_DATA_DIR!,
    "--public-url",
    process.env.PEERPULSE_URL!,
  ]).toString();
  const link = /Admin sign-in link \(one-time, expires in [^)]*\): (\S+)/.exec(printed)![1];
  await page.goto(link);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password (at least 10 characters)").fill("an admin's long secret");
  await page.getByLabel("Password again").fill("an admin's long secret");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}
