// Offline support for the Identify page: pages are fetched from the network first and fall back to the
// last copy; hashed static assets and the onnxruntime runtime are served from cache once seen.
// (The model itself is cached by the page in "mushroom-id-models-v1".)
const CACHE = "mushroom-id-shell-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const immutable = url.pathname.startsWith("/_next/static/") || url.pathname.startsWith("/ort/");
  if (immutable) {
    event.respondWith(
      caches.open(CACHE).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) c.put(req, res.clone());
        return res;
      }),
    );
  } else if (req.mode === "navigate" && url.pathname === "/identify") {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          if (res.ok) caches.open(CACHE).then((c) => c.put(req, copy));
          return res;
        })
        .catch(() => caches.match(req).then((hit) => hit ?? Response.error())),
    );
  }
});
