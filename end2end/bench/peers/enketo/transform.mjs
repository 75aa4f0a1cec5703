// Turns ../form.xml into the HTML form and XML model enketo-core renders, as Enketo Express does
// on its server before a phone asks for the form. It runs enketo-transformer's browser build once
// in headless Chromium, whose XSLTProcessor it needs: the Node build needs the native libxslt
// module instead, a node-gyp build. The page the bench measures gets the result inline, so Enketo
// is charged neither for the transform nor for a request to fetch its result.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";

const here = import.meta.dirname;
const webTransformer = join(here, "../node_modules/enketo-transformer/dist/enketo-transformer/web/transformer.js");
const source = readFileSync(webTransformer, "utf8").replace(/^export \{[\s\S]*?\};/m, "");
const xform = readFileSync(join(here, "../form.xml"), "utf8");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage();
  await page.addScriptTag({ type: "module", content: `${source}\nwindow.enketoTransform = transform;` });
  await page.waitForFunction(() => "enketoTransform" in window);
  const { form, model } = await page.evaluate(
    (xform) => window.enketoTransform({ xform }).then(({ form, model }) => ({ form, model })),
    xform,
  );
  writeFileSync(join(here, "form.generated.json"), JSON.stringify({ form, model }) + "\n");
  console.log(`enketo/form.generated.json: form ${form.length} chars, model ${model.length} chars`);
} finally {
  await browser.close();
}
