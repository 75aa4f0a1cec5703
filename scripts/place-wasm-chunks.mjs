// trunk's post_build hook (Trunk.toml): puts the worker's lazily loaded pages beside the app.
//
// With the cargo feature `split` (scripts/build-pwa), scripts/link-wasm cuts the linked wasm into
// the main module, which trunk has just run through wasm-bindgen and wasm-opt, and chunks (the
// pages other than Log, src/later_pages.rs) with their JavaScript loader, which it left in
// `<target>/wasm32-unknown-unknown/<profile>/wasm-split/<bin>/`. The main module's glue imports
// that loader as `./__wasm_split.js`. Here, in trunk's staging directory:
//   - each chunk is run through wasm-opt like the main module and named by its content's hash,
//     `split_later-<16 hex>.wasm`, so the service worker keeps it cache-first;
//   - the loader reaches the main module through trunk's `window.wasmBindings` (not by the
//     glue's hashed name, so a new glue name does not change the loader), fetches the chunks by
//     their hashed names and is itself named by its hash, `wasm-split-<16 hex>.js`;
//   - the glue imports that name, and index.html gets the glue's new integrity hash, a
//     modulepreload of the loader (the glue needs it to start), and, inert in a <template>,
//     a link to each chunk with its integrity hash: the service worker caches and verifies
//     them with the shell (public/sw.js reads every href and integrity in it), and the app
//     fetches them itself once the form is usable.
// A build without split points (the organization's app, `trunk serve`) is left as it is.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LOADER_IMPORT = "./__wasm_split.js";
// What rustc 1.95 emits for wasm32-unknown-unknown (its target_features section); the chunks
// carry no such section, so wasm-opt is told.
const FEATURES = [
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-multivalue",
  "--enable-reference-types",
  "--enable-mutable-globals",
];

const staging = process.env.TRUNK_STAGING_DIR;
const profile = process.env.TRUNK_PROFILE;
const base = process.env.TRUNK_PUBLIC_URL ?? "/";
if (!staging || !profile) throw new Error("run by trunk as a post_build hook: TRUNK_STAGING_DIR and TRUNK_PROFILE are unset");

const hash16 = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

/** `text` with `from` replaced by `to`, which must occur. */
function replaced(text, from, to, where) {
  if (!text.includes(from)) throw new Error(`${where}: expected ${JSON.stringify(from)}`);
  return text.split(from).join(to);
}

const glueName = readdirSync(staging).find(
  (f) => f.endsWith(".js") && readFileSync(join(staging, f), "utf8").includes(`from "${LOADER_IMPORT}"`),
);
if (!glueName) process.exit(0);
const bin = glueName.replace(/-[0-9a-f]{1,16}\.js$/, "");

const targetDir = JSON.parse(
  execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps", "--offline"], { encoding: "utf8" }),
).target_directory;
const splitDir = join(targetDir, "wasm32-unknown-unknown", profile, "wasm-split", bin);
if (!existsSync(join(splitDir, "__wasm_split.js"))) {
  throw new Error(`${glueName} imports ${LOADER_IMPORT}, but scripts/link-wasm left no chunks in ${splitDir}`);
}

let loader = readFileSync(join(splitDir, "__wasm_split.js"), "utf8");
loader = replaced(
  loader,
  `import { initSync } from "./${bin}.js";`,
  "// The main module's glue, which trunk's loader exposes once the app has started.\n" +
    "const initSync = (module) => window.wasmBindings.initSync(module);",
  "the chunk loader",
);
// scripts/link-wasm exported the function table as `__wasm_split_table` (wasm-bindgen drops an
// export named `__indirect_function_table`); the chunks still import it under its own name.
loader = replaced(
  loader,
  "const { __indirect_function_table, ",
  "const { __wasm_split_table: __indirect_function_table, ",
  "the chunk loader",
);
const chunkLinks = [];
for (const file of readdirSync(splitDir).filter((f) => f.endsWith(".wasm")).sort()) {
  const stem = file.slice(0, -".wasm".length);
  const optimized = join(staging, `${stem}.opt.wasm`);
  execFileSync("wasm-opt", ["-O2", ...FEATURES, join(splitDir, file), "-o", optimized], { stdio: "inherit" });
  const bytes = readFileSync(optimized);
  rmSync(optimized);
  const name = `${stem}-${hash16(bytes)}.wasm`;
  writeFileSync(join(staging, name), bytes);
  loader = replaced(loader, `"./${file}"`, `"./${name}"`, "the chunk loader");
  chunkLinks.push(`<link rel="prefetch" href="${base}${name}" integrity="${sri(bytes)}" crossorigin="anonymous">`);
}
const loaderName = `wasm-split-${hash16(Buffer.from(loader))}.js`;
writeFileSync(join(staging, loaderName), loader);

const oldGlue = readFileSync(join(staging, glueName));
// Only the import statements: the wasm module still names its import module `./__wasm_split.js`.
const glue = Buffer.from(
  replaced(oldGlue.toString("utf8"), `from "${LOADER_IMPORT}"`, `from "./${loaderName}"`, glueName),
);
writeFileSync(join(staging, glueName), glue);

const htmlPath = join(staging, "index.html");
let html = replaced(readFileSync(htmlPath, "utf8"), sri(oldGlue), sri(glue), "index.html");
html = replaced(
  html,
  "</head>",
  `<link rel="modulepreload" href="${base}${loaderName}" integrity="${sri(Buffer.from(loader))}" crossorigin="anonymous">\n` +
    `<template id="later-pages">${chunkLinks.join("")}</template>\n</head>`,
  "index.html",
);
writeFileSync(htmlPath, html);
