import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { newOrgAdmin } from "../support/org";
import { adminOf, newManager } from "../support/field-alerts";

const url = () => process.env.PEERPULSE_URL!;

test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

test("on the organization page a manager drafts an alert, another person approves, updates and withdraws it; reach shows only from the threshold and the history names who did what", async ({
  page,
  browser,
}) => {
  await newOrgAdmin(page, "Alert Desk", "ada-desk");
  const admin = await adminOf(page);
  await newManager(admin, "mo-desk");
  const section = page.getByRole("region", { name: "Alerts to workers" });
  await expect(section.getByText("No alerts yet.")).toBeVisible();

  // The manager, in a browser of their own, drafts the alert.
  const managerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const manager = await managerContext.newPage();
  await manager.goto(`${url()}/org?org=${admin.org}`);
  await manager.getByLabel("Username").fill("mo-desk");
  await manager.getByLabel("Password").fill("a manager's long secret");
  await manager.getByRole("button", { name: "Sign in" }).click();
  const desk = manager.getByRole("region", { name: "Alerts to workers" });
  await desk.getByLabel("Kind").selectOption({ label: "Drug supply" });
  await desk.getByRole("checkbox", { name: "Outreach van" }).check();
  await desk.getByLabel("Message in English, with what to do").fill("Strong batch near the station: test your supply, don't use alone.");
  await desk.getByLabel("Another language (optional), such as es").fill("es");
  await desk.getByLabel("Message in that language").fill("Lote fuerte cerca de la estación: analiza lo que usas.");
  await desk.getByLabel("How sure").selectOption({ label: "Reported by workers" });
  await desk.getByRole("button", { name: "Save as a draft" }).click();
  await expect(desk.getByRole("status")).toContainText("Saved as a draft (version 1)");
  const mine = desk.getByRole("listitem").filter({ hasText: "Strong batch near the station" });
  await expect(mine).toContainText("Draft: waiting for approval");
  // Its author cannot approve it.
  await mine.getByRole("button", { name: "Approve the alert: Strong batch near the station" }).click();
  await expect(desk.getByRole("alert")).toContainText("second person");
  await managerContext.close();

  // The admin approves it.
  await page.reload();
  const row = section.getByRole("listitem").filter({ hasText: "Strong batch near the station" });
  await expect(row).toContainText("Draft: waiting for approval");
  await row.getByRole("button", { name: "Approve the alert: Strong batch near the station" }).click();
  await expect(section.getByRole("status")).toHaveText("Approved: phones get it on their next sync.");
  await expect(row).toContainText("Published: on the phones");
  await expect(row.locator(".reach")).toHaveText("Received by fewer than 5 phones, passed on by fewer than 5");

  // An update (confirmed by drug checking) waits for approval while version 1 stays up.
  await row.getByRole("button", { name: "Update the alert: Strong batch near the station" }).click();
  await expect(section.getByRole("heading", { name: /Update alert \d+/ })).toBeVisible();
  await section.getByLabel("How sure").selectOption({ label: "Confirmed by drug checking" });
  await section.getByRole("button", { name: "Save the update as a draft" }).click();
  await expect(row).toContainText("Update waiting for approval (version 1 stays up)");
  await expect(row).toContainText("Confirmed by drug checking");

  // Withdrawn, it says so, and the history names each step and who took it.
  await row.getByRole("button", { name: "Withdraw the alert: Strong batch near the station" }).click();
  await expect(row).toContainText("Withdrawn");
  await expect(row.getByRole("button", { name: /Approve|Withdraw|Update/ })).toHaveCount(0);
  await row.getByText("History").click();
  const steps = row.locator(".alert-history li");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("Drafted (version 1) by mo-desk");
  await expect(steps.nth(1)).toContainText("Approved (version 1) by ada-desk");
  await expect(steps.nth(2)).toContainText("Updated (version 2) by ada-desk");
  await expect(steps.nth(3)).toContainText("Withdrawn (version 2) by ada-desk");
  await page.screenshot({ path: "test-results/org-alerts-1280.png", fullPage: false });
});

function day(back: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

/** A new phone of the organization whose admin is on `page`, enrolled through the API. */
async function phoneToken(page: Page, request: APIRequestContext): Promise<string> {
  const shown = page.locator(".issued-code");
  const before = (await shown.count()) > 0 ? (await shown.textContent())!.trim() : null;
  await page.getByRole("button", { name: "New enrolment code" }).click();
  await expect(shown).toBeVisible();
  if (before) await expect(shown).not.toHaveText(before);
  const code = (await page.locator(".issued-code").textContent())!.trim();
  const enrolled = await request.post(`${url()}/api/v1/enrol`, { data: { code } });
  expect(enrolled.ok(), await enrolled.text()).toBeTruthy();
  return (await enrolled.json()).token;
}

async function sync(request: APIRequestContext, token: string, buckets: object[]) {
  const res = await request.post(`${url()}/api/v1/sync`, {
    headers: { authorization: `Bearer ${token}` },
    data: { buckets, codebook_version: 1 },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
}

const housing = (d: string, count: number) => ({ day: d, site: "van", dimension: "need", value: "housing", count, version: 1 });

test("a manager opens a draft alert from a rise in the trends and from an approved worker note, prefilled; the guard still checks the edited words; a viewer is offered neither", async ({
  page,
  request,
  browser,
}) => {
  await newOrgAdmin(page, "Draft Outreach", "dora-draft");
  const admin = await adminOf(page);
  // Housing rises today, counted on two phones.
  const [first, second] = [await phoneToken(page, request), await phoneToken(page, request)];
  const history = [];
  for (let back = 1; back < 12; back++) history.push(housing(day(back), 3));
  history.push(housing(day(0), 20));
  await sync(request, first, history);
  await sync(request, second, [housing(day(0), 20)]);
  // A worker offers a note, which the manager approves below.
  const monday = new Date();
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const offered = await request.post(`${url()}/api/v1/notes`, {
    headers: { authorization: `Bearer ${first}` },
    data: { id: "entry-with-note-1", week: monday.toISOString().slice(0, 10), text: "Pills sold as oxy are much stronger this week" },
  });
  expect(offered.ok(), await offered.text()).toBeTruthy();
  await page.reload();

  // From the rise: a drug-supply alert for the site the trends show, naming what rose and when.
  await page.locator("#trend-site").selectOption("van");
  const rising = page.getByRole("region", { name: /What rose/ });
  await rising.getByRole("button", { name: "Draft an alert about Housing" }).click();
  const desk = page.getByRole("region", { name: "Alerts to workers" });
  const message = desk.getByLabel("Message in English, with what to do");
  await expect(message).toBeFocused();
  await expect(message).toHaveValue("Housing: workers report more than usual today. What to do: ");
  await expect(desk.getByLabel("Kind")).toHaveValue("DrugSupply");
  await expect(desk.getByRole("checkbox", { name: "Outreach van" })).toBeChecked();
  await expect(desk.getByRole("checkbox", { name: "Drop-in centre" })).not.toBeChecked();
  await expect(desk.getByText("From the rise of Housing today.")).toBeVisible();
  await page.screenshot({ path: "test-results/org-alert-from-rise-1280.png" });
  await message.pressSequentially("ask at the van.");
  await desk.getByRole("button", { name: "Save as a draft" }).click();
  await expect(desk.getByRole("status")).toContainText("Saved as a draft");
  await expect(desk.getByRole("listitem").filter({ hasText: "Housing: workers report more than usual today. What to do: ask at the van." })).toContainText(
    "Draft: waiting for approval",
  );

  // From an approved note: its words start the message, for the manager to edit.
  const review = page.getByRole("region", { name: "Notes to review" });
  await review.getByRole("button", { name: "Approve the note “Pills sold as oxy are much…”" }).click();
  await review.getByRole("button", { name: "Draft an alert from the note “Pills sold as oxy are much…”" }).click();
  await expect(message).toBeFocused();
  await expect(message).toHaveValue("Pills sold as oxy are much stronger this week");
  await expect(desk.getByRole("checkbox", { name: "Outreach van" })).not.toBeChecked();
  // Words that name someone are refused as ever, next to the form, and nothing is lost.
  await message.fill("Pills sold as oxy are much stronger this week: call Dave on 0412 345 678.");
  await desk.getByRole("button", { name: "Save as a draft" }).click();
  await expect(desk.getByRole("alert")).toContainText("cannot go out");
  await expect(message).toHaveValue("Pills sold as oxy are much stronger this week: call Dave on 0412 345 678.");
  await message.fill("Pills sold as oxy are much stronger this week: test them, don't use alone.");
  await desk.getByRole("button", { name: "Save as a draft" }).click();
  await expect(desk.getByRole("status")).toContainText("Saved as a draft");
  await expect(desk.getByRole("listitem").filter({ hasText: "Pills sold as oxy are much stronger this week: test them" })).toHaveCount(1);

  // A viewer sees the rise, and no way to draft.
  const added = await admin.api.post(`${url()}/api/v1/users`, {
    headers: { "x-csrf-token": admin.csrf },
    data: { username: "vic-draft", role: "viewer", password: "a viewer's long secret" },
  });
  expect(added.ok(), await added.text()).toBeTruthy();
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const viewer = await viewerContext.newPage();
  await viewer.goto(`${url()}/org?org=${admin.org}`);
  await viewer.getByLabel("Username").fill("vic-draft");
  await viewer.getByLabel("Password").fill("a viewer's long secret");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer.getByRole("region", { name: /What rose/ })).toContainText("Housing");
  await expect(viewer.getByRole("button", { name: /Draft an alert/ })).toHaveCount(0);
  await viewerContext.close();
});
