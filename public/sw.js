// PeerPulse service worker: keeps the app shell on the phone so it opens with no signal.
//
// Pages (navigations) are network-first with the cached shell as fallback, so a deploy shows up
// at once when online. Built assets carry a content hash in their name, so they are cache-first:
// a name never changes meaning. Each time the shell is fetched, the assets it references are
// cached and assets no longer referenced are dropped; a hashed asset already cached is kept as
// it is, not downloaded again (a deploy that changes only the CSS costs the CSS, not the wasm),
// while its bytes match the integrity hash the shell gives for it.
// API calls are never cached.
//
// Translations (/locales/<tag>.json) are fetched only when a worker's language needs one, so
// the English first load never carries them. Once fetched, one is kept like the shell: asked
// of the network first (a deploy's corrections arrive at once), from the cache when offline,
// and fetched again with each new shell.
const CACHE = "peerpulse-shell-v3";
const LOCALES = "/locales/";
const SHELL = "/";
// Fetched by the app after its first screen, not referenced by the shell: cached with it.
const LATER = ["/names.txt"];
// trunk's hashed names: `peerpulse-<hex>.js`, `…_bg.wasm`, `app-<hex>.css`, the hex a u64
// without leading zeros (16 digits or fewer).
const HASHED = /-[0-9a-f]{1,16}(?:_bg)?\.(?:js|wasm|css)$/;

function assetsOf(html) {
  const urls = new Set();
  for (const match of html.matchAll(/(?:href|src)="(\/[^"]*)"/g)) {
    urls.add(match[1]);
  }
  return [...urls];
}

// Each asset's Subresource Integrity hash as the shell gives it (trunk writes sha384).
function integritiesOf(html) {
  const found = new Map();
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const href = /\bhref="(\/[^"]*)"/.exec(tag);
    const sri = /\bintegrity="(sha384-[^"]+)"/.exec(tag);
    if (href && sri) found.set(href[1], sri[1]);
  }
  return found;
}

async function integrityOf(response) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", await response.arrayBuffer()));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return "sha384-" + btoa(binary);
}

async function refreshShell() {
  const response = await fetch(SHELL, { cache: "no-cache" });
  if (!response.ok) throw new Error("shell fetch failed: " + response.status);
  const html = await response.clone().text();
  const cache = await caches.open(CACHE);
  const cached = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  const kept = [...cached].filter((path) => path.startsWith(LOCALES));
  const assets = [...assetsOf(html), ...LATER, ...kept];
  // A hashed name is trusted to mean its bytes only while they match the shell's integrity:
  // trunk takes the hash before wasm-opt, so a rebuild with another wasm-opt setting keeps the
  // name and changes the bytes.
  const integrity = integritiesOf(html);
  const current = new Set();
  for (const path of assets) {
    if (!HASHED.test(path) || !cached.has(path)) continue;
    const copy = await cache.match(path);
    if (copy && (!integrity.has(path) || (await integrityOf(copy)) === integrity.get(path))) current.add(path);
  }
  await cache.addAll(assets.filter((path) => !current.has(path)));
  // The page fetches its language before this worker controls it, so the first time the
  // translations for the browser's languages are fetched here; a language PeerPulse lacks
  // answers with the shell, not JSON, and is left out.
  for (const tag of new Set(self.navigator.languages.map((t) => t.split("-")[0].toLowerCase()))) {
    const path = `${LOCALES}${tag}.json`;
    if (tag === "en" || assets.includes(path)) continue;
    const response = await fetch(path, { cache: "no-cache" }).catch(() => null);
    if (response && response.ok && (response.headers.get("content-type") || "").includes("json")) {
      await cache.put(path, response);
      assets.push(path);
    }
  }
  await cache.put(SHELL, response);
  const keep = new Set([SHELL, ...assets].map((u) => new URL(u, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(refreshShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// Background Sync: the sync logic lives in the page, so wake every open PeerPulse page.
self.addEventListener("sync", (event) => {
  if (event.tag !== "peerpulse-sync") return;
  event.waitUntil(
    self.clients
      .matchAll({ type: "window" })
      .then((clients) => clients.forEach((client) => client.postMessage({ type: "peerpulse-sync" }))),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith(LOCALES)) {
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
          }
          return response;
        })
        .catch(() => caches.match(event.request).then((cached) => cached || Response.error())),
    );
    return;
  }
  if (event.request.mode === "navigate") {
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok) event.waitUntil(refreshShell().catch(() => {}));
          return response;
        })
        .catch(() => caches.match(SHELL).then((cached) => cached || Response.error())),
    );
    return;
  }
  event.respondWith(
    caches.match(event.request).then(
      (cached) =>
        cached ||
        fetch(event.request).then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
          }
          return response;
        }),
    ),
  );
});
