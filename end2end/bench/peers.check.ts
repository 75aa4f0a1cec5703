// The bench's own check, untimed (scripts/bench --check): each peer's page, as built, renders
// the bench's form and its note field takes a keystroke. Run before trusting a peers figure.
import { expect, test } from "@playwright/test";
import { join } from "node:path";
import { PEERS } from "./peers/contenders";
import { serve } from "./peers/static-server";

for (const peer of PEERS) {
  test(`${peer.label} renders the bench's form and its note takes a keystroke`, async ({ page }) => {
    const { urls, stop } = await serve({ peers: { files: join(__dirname, "peers/dist") } });
    try {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${urls.peers}${peer.path}`);
      // Every question of form.xml, by its label.
      for (const label of ["Site or area", "How it happened", "Needs", "Naloxone kit", "Note"]) {
        await expect(page.getByText(label, { exact: true }).first()).toBeVisible();
      }
      await expect(page.getByText("Drop-in centre", { exact: true }).first()).toBeVisible();
      const note = page.locator(peer.note);
      await expect(note).toHaveCount(1);
      await note.click();
      await page.keyboard.type("keys land");
      await expect(note).toHaveValue("keys land");
      expect(errors).toEqual([]);
    } finally {
      await stop();
    }
  });
}
