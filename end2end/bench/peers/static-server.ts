// The one small static server every app in the peers bench is served through, so the bytes on
// the wire and the compression are the same for all: each text file is sent brotli-compressed at
// quality 11 (what scripts/build-pwa precompresses PeerPulse with), anything else as it is. Each
// app gets its own origin (port), so absolute paths such as PeerPulse's "/sw.js" resolve.
//
// The floor origin has no files: "/floor?kb=N" is an empty page whose one request fetches N KiB
// of random (incompressible) bytes, the least any app can do on the link.
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const TYPES: Record<string, { type: string; compress: boolean }> = {
  ".html": { type: "text/html; charset=utf-8", compress: true },
  ".js": { type: "text/javascript; charset=utf-8", compress: true },
  ".mjs": { type: "text/javascript; charset=utf-8", compress: true },
  ".css": { type: "text/css; charset=utf-8", compress: true },
  ".wasm": { type: "application/wasm", compress: true },
  ".json": { type: "application/json", compress: true },
  ".webmanifest": { type: "application/manifest+json", compress: true },
  ".txt": { type: "text/plain; charset=utf-8", compress: true },
  ".xml": { type: "application/xml", compress: true },
  ".svg": { type: "image/svg+xml", compress: true },
  ".png": { type: "image/png", compress: false },
  ".ico": { type: "image/x-icon", compress: false },
  ".woff2": { type: "font/woff2", compress: false },
};

interface Body {
  type: string;
  bytes: Buffer;
  brotli: boolean;
}

function brotli(bytes: Buffer): Buffer {
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
}

function send(req: IncomingMessage, res: ServerResponse, body: Body) {
  const accepts = /\bbr\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const headers: Record<string, string> = { "content-type": body.type, "cache-control": "no-cache" };
  if (body.brotli && !accepts) {
    res.writeHead(406, { "content-type": "text/plain" }).end("the bench serves brotli only");
    return;
  }
  if (body.brotli) headers["content-encoding"] = "br";
  res.writeHead(200, { ...headers, "content-length": String(body.bytes.length) });
  res.end(req.method === "HEAD" ? undefined : body.bytes);
}

/**
 * Serves the files under `root`, each compressed once before the first request so no request
 * waits for brotli; a path with no extension gets the root's index.html.
 */
function filesOf(root: string) {
  const bodies = new Map<string, Body>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const kind = TYPES[extname(file)] ?? { type: "application/octet-stream", compress: false };
    const raw = readFileSync(file);
    const path = "/" + relative(root, file).split(sep).join("/");
    bodies.set(path, { type: kind.type, bytes: kind.compress ? brotli(raw) : raw, brotli: kind.compress });
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    let path = new URL(req.url ?? "/", "http://bench").pathname;
    if (path.endsWith("/")) path += "index.html";
    else if (!extname(path)) path = "/index.html";
    const body = bodies.get(path);
    if (body) send(req, res, body);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
}

/** The floor: an empty page plus one request of N KiB. */
function floor() {
  const blobs = new Map<number, Buffer>();
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://bench");
    const kb = Number(url.searchParams.get("kb") ?? "0");
    if (!Number.isInteger(kb) || kb < 0 || kb > 4096) {
      res.writeHead(400, { "content-type": "text/plain" }).end("kb is a whole number of KiB up to 4096");
      return;
    }
    if (url.pathname === "/floor") {
      const html =
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body>` +
        `<script>fetch("/bytes?kb=${kb}").then((r) => r.arrayBuffer()).then(() => { window.floorDoneAt = performance.now(); });</script>` +
        `</body></html>`;
      send(req, res, { type: "text/html; charset=utf-8", bytes: brotli(Buffer.from(html)), brotli: true });
    } else if (url.pathname === "/bytes") {
      if (!blobs.has(kb)) blobs.set(kb, randomBytes(kb * 1024));
      send(req, res, { type: "application/octet-stream", bytes: blobs.get(kb)!, brotli: false });
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  };
}

/** What `serve` answers with on one origin. */
export type Site = { files: string } | { floor: true };

/** Starts one listener on 127.0.0.1 per site; resolves to each site's base URL and a stop. */
export async function serve<K extends string>(
  sites: Record<K, Site>,
): Promise<{ urls: Record<K, string>; stop: () => Promise<void> }> {
  const servers: Server[] = [];
  const urls = {} as Record<K, string>;
  for (const [name, site] of Object.entries(sites) as [K, Site][]) {
    const handler = "files" in site ? filesOf(resolve(site.files)) : floor();
    const server = createServer(handler);
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const stop = () =>
    Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok())))).then(() => undefined);
  return { urls, stop };
}
