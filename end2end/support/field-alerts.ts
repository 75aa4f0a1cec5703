// Managers of a test organization drafting, approving and withdrawing alerts through the API.
import { expect, request, type APIRequestContext, type Page } from "@playwright/test";

const url = () => process.env.PEERPULSE_URL!;

/** A signed-in person's API context and CSRF token. */
export type Signed = { api: APIRequestContext; csrf: string };

/** The admin signed in on `page` (after newOrgAdmin), as an API caller sharing its cookies. */
export async function adminOf(page: Page): Promise<Signed & { org: string }> {
  const session = await (await page.request.get(`${url()}/api/v1/session`)).json();
  return { api: page.request, csrf: session.csrf_token, org: session.org_handle };
}

/** Adds manager `username` as `admin` and signs them in on a context of their own. */
export async function newManager(admin: Signed & { org: string }, username: string): Promise<Signed> {
  const password = "a manager's long secret";
  const added = await admin.api.post(`${url()}/api/v1/users`, {
    headers: { "x-csrf-token": admin.csrf },
    data: { username, role: "manager", password },
  });
  expect(added.ok(), await added.text()).toBeTruthy();
  const api = await request.newContext({ baseURL: url() });
  const signedIn = await api.post("/api/v1/session", {
    data: { organization: admin.org, username, password },
  });
  expect(signedIn.ok(), await signedIn.text()).toBeTruthy();
  return { api, csrf: (await signedIn.json()).csrf_token };
}

/** `author` drafts an alert and `approver` publishes it; returns its id. */
export async function publish(author: Signed, approver: Signed, messages: Record<string, string>, extra = {}) {
  const drafted = await author.api.post(`${url()}/api/v1/field-alerts`, {
    headers: { "x-csrf-token": author.csrf },
    data: {
      kind: "drug-supply",
      messages,
      verification: "reported-by-workers",
      expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      ...extra,
    },
  });
  expect(drafted.status(), await drafted.text()).toBe(201);
  const id: number = (await drafted.json()).id;
  const approved = await approver.api.post(`${url()}/api/v1/field-alerts/${id}/approve`, {
    headers: { "x-csrf-token": approver.csrf },
  });
  expect(approved.ok(), await approved.text()).toBeTruthy();
  return id;
}

/** Withdraws alert `id`. */
export async function withdraw(by: Signed, id: number) {
  const done = await by.api.post(`${url()}/api/v1/field-alerts/${id}/withdraw`, {
    headers: { "x-csrf-token": by.csrf },
  });
  expect(done.ok(), await done.text()).toBeTruthy();
}
