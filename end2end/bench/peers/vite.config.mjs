// Builds each peer's page for scripts/bench with Vite's production defaults (minified, hashed
// assets); the bench serves dist/ through the same brotli server as PeerPulse.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig } from "vite";

const here = import.meta.dirname;
const enketo = (path) => resolve(here, "node_modules/enketo-core", path);

export default defineConfig({
  base: "./",
  resolve: {
    // enketo-core names its swappable parts in package.json "browser"; an app maps them.
    alias: {
      "enketo/config": enketo("config.js"),
      "enketo/widgets": enketo("src/js/widgets.js"),
      "enketo/translator": enketo("src/js/fake-translator.js"),
      "enketo/dialog": enketo("src/js/fake-dialog.js"),
      "enketo/file-manager": enketo("src/js/file-manager.js"),
      "enketo/xpath-evaluator-binding": enketo("src/js/xpath-evaluator-binding.js"),
    },
  },
  css: {
    preprocessorOptions: {
      scss: {
        quietDeps: true,
        silenceDeprecations: ["import", "global-builtin", "color-functions", "slash-div", "mixed-decls"],
        // enketo-core's styles import their dependencies' CSS by a path of its own monorepo.
        importers: [
          {
            findFileUrl(url) {
              const monorepo = "/packages/enketo-core/node_modules/";
              if (!url.startsWith(monorepo)) return null;
              return pathToFileURL(resolve(here, "node_modules", url.slice(monorepo.length)));
            },
          },
        ],
      },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: {
      input: {
        odk: resolve(here, "odk/index.html"),
        enketo: resolve(here, "enketo/index.html"),
      },
    },
  },
});
