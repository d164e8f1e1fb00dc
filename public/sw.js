// Offline support for the Identify page. Pages are fetched from the network first (so a new model URL or a
// withdrawn model is seen whenever the network answers) and fall back to the last copy; content-hashed assets
// (/_next/static/, /ort/<hash>/) are immutable and served from cache once seen. The model itself is cached by
// the page under its SHA-256 URL (lib/identify/model-download.ts). Bump SHELL when this file's rules change.
const SHELL = "mushroom-id-shell-v2";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) =>
  e.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith("mushroom-id-shell-") && name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  ),
);

const immutable = (p) => p.startsWith("/_next/static/") || /^\/ort\/[0-9a-f]{16}\//.test(p);

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (immutable(url.pathname)) {
    event.respondWith(
      caches.open(SHELL).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) c.put(req, res.clone());
        return res;
      }),
    );
  } else if (req.mode === "navigate" && url.pathname === "/identify") {
    // Network first, revalidating the stored copy on every successful load.
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          if (res.ok) caches.open(SHELL).then((c) => c.put(req, copy));
          return res;
        })
        .catch(() => caches.match(req).then((hit) => hit ?? Response.error())),
    );
  }
});
