import { readStream } from "../bytes";

// Downloads the model once with progress and keeps it in Cache Storage, so later visits (and offline
// use) start without the network. Browser only.

export type DownloadProgress = { loaded: number; total: number | null; fromCache: boolean };

const CACHE = "mushroom-id-models-v1";

export async function downloadModel(url: string, onProgress: (p: DownloadProgress) => void): Promise<Uint8Array> {
  const cache = typeof caches === "undefined" ? null : await caches.open(CACHE).catch(() => null);
  const cached = await cache?.match(url);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    onProgress({ loaded: bytes.byteLength, total: bytes.byteLength, fromCache: true });
    return bytes;
  }
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`Model download failed: HTTP ${res.status}`);
  const total = Number(res.headers.get("content-length")) || null;
  const bytes = await readStream(res.body, (loaded) => onProgress({ loaded, total, fromCache: false }));
  // Drop older models so the cache holds one copy of what the site serves now.
  if (cache) {
    for (const req of await cache.keys()) if (req.url !== new URL(url, location.href).href) await cache.delete(req);
    await cache.put(url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } })).catch(() => {});
  }
  return bytes;
}
