import { expect, test, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";

const url = () => process.env.PEERPULSE_URL!;

/** Logs one encounter with an insight note, offered for the brief or not. */
async function logWithNote(page: Page, note: string, offer: boolean) {
  await page.getByRole("radio", { name: "Outreach van" }).check();
  await page.getByRole("radio", { name: "Outreach", exact: true }).check();
  await page.getByRole("radio", { name: "Through a contact's network" }).check();
  await page.getByLabel("Note on what they shared (optional)").fill(note);
  const offered = page.getByRole("button", { name: "Offer this note for the trend brief" });
  if (offer) await offered.click();
  await expect(offered).toHaveAttribute("aria-pressed", String(offer));
  await page.getByRole("button", { name: "Save encounter" }).click();
  await expect(page.locator(".save-bar [role=status]")).toContainText("Saved at");
}

test("a worker offers an insight note, a manager approves it, the brief quotes it and nothing else, and deleting the entry withdraws it", async ({
  page,
}) => {
  await newOrgAdmin(page, "Notes Outreach", "nadia");
  const review = page.getByRole("region", { name: "Notes to review" });
  await expect(review.getByText("No notes are waiting.")).toBeVisible();
  await page.getByRole("button", { name: "New enrolment code" }).click();
  const code = (await page.locator(".issued-code").textContent())!.trim();

  // The same browser is the worker's phone.
  await page.goto(url());
  await page.getByLabel("Enrolment code from your manager").fill(code);
  await page.getByRole("button", { name: "Connect" }).click();
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  await logWithNote(page, "Quiet night, the usual batch", false);
  await logWithNote(page, "New blue pills going round, much stronger than the last lot", true);
  await expect(page.getByTestId("waiting")).toContainText("Everything is synced");
  await expect(page.locator(".sync-result")).toContainText("1 note offered for the trend brief.");

  // The manager sees the offered note only, with its week and nothing of the entry.
  await page.goto(`${url()}/org`);
  const waiting = review.getByRole("listitem");
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText("New blue pills going round, much stronger than the last lot");
  await expect(waiting).toContainText(/Week of \d\d \w{3} \d{4}/);
  await expect(waiting).not.toContainText("van");
  await review.getByRole("button", { name: /^Approve the note “/ }).click();
  await expect(review.getByRole("status")).toHaveText("Approved: the note appears in the trend brief of its week.");
  await expect(review.getByText("No notes are waiting.")).toBeVisible();

  await page.goto(`${url()}/brief`);
  const words = page.locator(".brief-part", { has: page.getByRole("heading", { name: "In workers' words" }) });
  await expect(words.locator("blockquote")).toHaveText(["New blue pills going round, much stronger than the last lot"]);
  await expect(page.getByText("Quiet night, the usual batch")).toHaveCount(0);

  // A period that ended before the note's week quotes nothing.
  await page.getByRole("link", { name: "Last week" }).click();
  await expect(words.getByText("No note was approved for this period.")).toBeVisible();

  // The worker deletes the entry: the next sync withdraws its note, and the brief drops it.
  await page.goto(url());
  await page.getByRole("link", { name: "History" }).click();
  await page.getByRole("searchbox", { name: "Search" }).fill("blue pills");
  await expect(page.locator(".history .entry")).toHaveCount(1);
  await page.locator(".history .entry").getByRole("button", { name: "Delete" }).click();
  await page.locator(".history .entry").getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.locator(".history .entry")).toHaveCount(0);
  await page.getByRole("link", { name: "Log" }).click();
  await expect(page.locator(".sync-result")).toContainText("1 note withdrawn from the trend brief.");
  await page.goto(`${url()}/brief`);
  await expect(words.getByText("No note was approved for this period.")).toBeVisible();
});
