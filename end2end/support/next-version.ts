// A deploy of the next version of the worker's app, made from the built dist/ without
// recompiling, and a phone's view of it: the real service on a copy of the site, behind a proxy
// that counts every byte the browser downloads (the page's fetches, the service worker's and
// the browser's check of sw.js alike). Used by the update-cost bench (bench/update.bench.ts)
// and by the test that an update does not download unchanged files again (tests/update.spec.ts).
//
// The next version:
//   code  a code change: the wasm gets a custom section (id 0, size, name, payload: the module
//         stays valid, the same code), the JavaScript glue a comment; both get a new hashed
//         name, index.html their new names and Subresource Integrity hashes. So do the later
//         pages' chunks and their loader, when the build has them. CSS, icons, names.txt and
//         locales unchanged.
//   css   a CSS-only change: a comment appended to the stylesheet, new hashed name and SRI.
//   same-names  a rebuild that changes the wasm but not its name, as trunk does when only the
//         wasm-opt setting changes (its hash is taken before wasm-opt): new bytes and SRI,
//         the same hashed name.
//   same-names-chunk  the same for History's chunk (a later page, src/later_pages.rs).
import { expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

// ---- the next version, made from the build -------------------------------------------------

const sri = (bytes: Buffer) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const hash16 = (...parts: Buffer[]) => {
  const h = createHash("sha256");
  parts.forEach((p) => h.update(p));
  return h.digest("hex").slice(0, 16);
};

export function leb128(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

/** A wasm custom section (id 0, size, name, payload): appending one keeps a module valid. */
export function customSection(name: string, payload: string): Buffer {
  const body = Buffer.concat([leb128(Buffer.byteLength(name)), Buffer.from(name), Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0]), leb128(body.length), body]);
}

/** Writes `bytes` to `path` with the brotli 11 and gzip 9 copies scripts/build-pwa makes. */
export function writeBuilt(path: string, bytes: Buffer | string) {
  const data = Buffer.from(bytes);
  writeFileSync(path, data);
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
}

export function removeBuilt(path: string) {
  for (const p of [path, `${path}.br`, `${path}.gz`]) rmSync(p, { force: true });
}

export type Kind = "code" | "css" | "same-names" | "same-names-chunk";

/** Copies `from` to `to` as the next version of kind `kind`; answers the files that changed. */
export function nextVersion(from: string, to: string, kind: Kind): string[] {
  cpSync(from, to, { recursive: true });
  let html = readFileSync(join(to, "index.html"), "utf8");
  const changed: string[] = [];
  const files = readdirSync(to);
  if (kind === "code") {
    const js = files.find((f) => /^peerpulse-[0-9a-f]{1,16}\.js$/.test(f))!;
    const stem = js.slice(0, -".js".length);
    const wasm = `${stem}_bg.wasm`;
    const oldJs = readFileSync(join(to, js));
    const oldWasm = readFileSync(join(to, wasm));
    const newWasm = Buffer.concat([oldWasm, customSection("peerpulse-bench", `the next version, ${new Date().toISOString()}`)]);
    const newStem = `peerpulse-${hash16(oldJs, newWasm)}`;
    let jsText = oldJs.toString("utf8");
    // The pages cut off into chunks change with the code too (scripts/place-wasm-chunks.mjs):
    // each chunk gets new bytes and a new hashed name, so does their loader, which the glue imports.
    const loader = files.find((f) => /^wasm-split-[0-9a-f]{1,16}\.js$/.test(f));
    if (loader) {
      const oldLoader = readFileSync(join(to, loader));
      let loaderText = oldLoader.toString("utf8");
      for (const chunk of files.filter((f) => /^(split_\w+|chunk_\d+)-[0-9a-f]{1,16}\.wasm$/.test(f))) {
        const oldChunk = readFileSync(join(to, chunk));
        const newChunk = Buffer.concat([oldChunk, customSection("peerpulse-bench", `the next version, ${new Date().toISOString()}`)]);
        const newName = chunk.replace(/-[0-9a-f]{1,16}\.wasm$/, `-${hash16(newChunk)}.wasm`);
        removeBuilt(join(to, chunk));
        writeBuilt(join(to, newName), newChunk);
        loaderText = loaderText.split(chunk).join(newName);
        html = html.split(sri(oldChunk)).join(sri(newChunk)).split(chunk).join(newName);
        changed.push(newName);
      }
      const newLoader = Buffer.from(loaderText);
      const newLoaderName = `wasm-split-${hash16(newLoader)}.js`;
      removeBuilt(join(to, loader));
      writeBuilt(join(to, newLoaderName), newLoader);
      html = html.split(sri(oldLoader)).join(sri(newLoader)).split(loader).join(newLoaderName);
      jsText = jsText.split(loader).join(newLoaderName);
      changed.push(newLoaderName);
    }
    const newJs = Buffer.from(jsText.split(stem).join(newStem) + "\n// the next version (scripts/bench)\n");
    removeBuilt(join(to, js));
    removeBuilt(join(to, wasm));
    writeBuilt(join(to, `${newStem}.js`), newJs);
    writeBuilt(join(to, `${newStem}_bg.wasm`), newWasm);
    html = html.split(sri(oldJs)).join(sri(newJs)).split(sri(oldWasm)).join(sri(newWasm)).split(stem).join(newStem);
    changed.push(`${newStem}.js`, `${newStem}_bg.wasm`);
  } else if (kind === "same-names" || kind === "same-names-chunk") {
    const name = kind === "same-names" ? /^peerpulse-[0-9a-f]{1,16}_bg\.wasm$/ : /^split_later-[0-9a-f]{1,16}\.wasm$/;
    const wasm = files.find((f) => name.test(f));
    if (!wasm) throw new Error(`no file like ${name} in ${from}`);
    const oldWasm = readFileSync(join(to, wasm));
    const newWasm = Buffer.concat([oldWasm, customSection("peerpulse-bench", `rebuilt, ${new Date().toISOString()}`)]);
    removeBuilt(join(to, wasm));
    writeBuilt(join(to, wasm), newWasm);
    html = html.split(sri(oldWasm)).join(sri(newWasm));
    changed.push(wasm);
  } else {
    const css = files.find((f) => /^app-[0-9a-f]{1,16}\.css$/.test(f))!;
    const oldCss = readFileSync(join(to, css));
    const newCss = Buffer.concat([oldCss, Buffer.from("\n/* the next version (scripts/bench) */\n")]);
    const newName = `app-${hash16(newCss)}.css`;
    removeBuilt(join(to, css));
    writeBuilt(join(to, newName), newCss);
    html = html.split(sri(oldCss)).join(sri(newCss)).split(css).join(newName);
    changed.push(newName);
  }
  writeBuilt(join(to, "index.html"), html);
  return ["index.html", ...changed];
}

export function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Replaces the served site by `version`, every file dated `at` (seconds) unless `keep` says a
 * file keeps the time it had in the site before.
 */
export function deploy(version: string, site: string, at: number, keep: (path: string) => boolean = () => false) {
  const before = new Map<string, number>();
  for (const f of walk(site)) before.set(relative(site, f), statSync(f).mtimeMs / 1000);
  for (const entry of readdirSync(site)) rmSync(join(site, entry), { recursive: true, force: true });
  cpSync(version, site, { recursive: true });
  for (const f of walk(site)) {
    const rel = relative(site, f);
    const t = keep(rel) && before.has(rel) ? before.get(rel)! : at;
    utimesSync(f, t, t);
  }
}

// ---- the wire: a proxy that counts what the phone downloads -------------------------------

export interface Fetched {
  path: string;
  status: number;
  bytes: number; // status line, headers and body as sent to the browser
  encoding: string;
  by: string; // sec-fetch-dest, "sw-script" for the browser's check of the worker script
}

export class CountingProxy {
  server: Server;
  fetched: Fetched[] = [];
  inFlight = 0;
  lastActivity = Date.now();

  constructor(private upstream: number) {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.lastActivity = Date.now();
      const up = httpRequest(
        { host: "127.0.0.1", port: this.upstream, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const head =
            `HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n`.length +
            answer.rawHeaders.reduce((n, h, i) => n + h.length + 2, 0) +
            2;
          let body = 0;
          answer.on("data", (chunk: Buffer) => (body += chunk.length));
          res.writeHead(answer.statusCode!, answer.statusMessage, answer.rawHeaders);
          answer.pipe(res);
          res.on("close", () => {
            this.fetched.push({
              path: req.url ?? "",
              status: answer.statusCode ?? 0,
              bytes: head + body,
              encoding: String(answer.headers["content-encoding"] ?? "identity"),
              by: req.headers["service-worker"] === "script" ? "sw-script" : String(req.headers["sec-fetch-dest"] ?? "?"),
            });
            this.inFlight--;
            this.lastActivity = Date.now();
          });
        },
      );
      up.on("error", () => {
        res.destroy();
      });
      req.pipe(up);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, "127.0.0.1", ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset() {
    this.fetched = [];
  }

  /** Resolves once nothing has been asked for `ms` milliseconds. */
  async quiet(ms = 3000) {
    while (this.inFlight > 0 || Date.now() - this.lastActivity < ms) await new Promise((r) => setTimeout(r, 200));
  }

  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

// ---- the service ----------------------------------------------------------------------------

export async function startService(site: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const binary = process.env.PEERPULSE_SERVER_BIN!;
  const child = spawn(binary, ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--static-dir", site], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`service did not start:\n${out}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const running = /PeerPulse is running at http:\/\/[^:]+:(\d+)/.exec(out);
      if (running) {
        clearTimeout(timer);
        ok(Number(running[1]));
      }
    });
  });
  return { child, port };
}

// ---- the phone ------------------------------------------------------------------------------

/** The paths the worker's service worker keeps for a shell (its `assetsOf` plus LATER). */
export function assetsOf(html: string): string[] {
  return [...new Set([...html.matchAll(/(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1]))];
}

/** Waits until the service worker's cache holds exactly the version whose shell is `html`. */
export async function cachedVersionIs(page: Page, html: string) {
  const want = ["/", ...assetsOf(html), "/names.txt"].sort();
  await expect
    .poll(
      () =>
        page.evaluate(async (html) => {
          const paths: string[] = [];
          let shell = "";
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const r of await cache.keys()) paths.push(new URL(r.url).pathname);
            const s = await cache.match("/");
            if (s) shell = await s.text();
          }
          return shell === html ? paths.sort() : ["(another shell)"];
        }, html),
      { timeout: 120_000, intervals: [500] },
    )
    .toEqual(want);
}

export async function openApp(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole("button", { name: "Save encounter" })).toBeEnabled({ timeout: 120_000 });
}

