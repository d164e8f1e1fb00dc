import { z } from "zod";
import { readStream } from "../bytes";

const modelManifest = z.object({ url: z.string().regex(/^\/api\/model\/[0-9a-f]{64}$/), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

// Downloads the model once with progress and keeps it in Cache Storage, so later visits (and offline use) start
// without the network. The URL names the model's SHA-256 and the bytes are checked against it, so a cached copy
// is only ever the exact model the server named. Browser only.

export type DownloadProgress = { loaded: number; total: number | null; fromCache: boolean };
export type ModelRef = { url: string; sha256: string };

const CACHE = "mushroom-id-models-v2";

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function downloadModel(model: ModelRef, onProgress: (p: DownloadProgress) => void): Promise<Uint8Array> {
  const cache = typeof caches === "undefined" ? null : await caches.open(CACHE).catch(() => null);
  const cached = await cache?.match(model.url);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if ((await sha256Hex(bytes)) === model.sha256) {
      onProgress({ loaded: bytes.byteLength, total: bytes.byteLength, fromCache: true });
      return bytes;
    }
    await cache?.delete(model.url); // damaged copy: fetch again
  }
  const res = await fetch(model.url);
  if (!res.ok || !res.body) throw new Error(`Model download failed: HTTP ${res.status}`);
  const total = Number(res.headers.get("content-length")) || null;
  const bytes = await readStream(res.body, (loaded) => onProgress({ loaded, total, fromCache: false }));
  const got = await sha256Hex(bytes);
  if (got !== model.sha256) throw new Error(`Model download damaged: SHA-256 ${got.slice(0, 12)}…, expected ${model.sha256.slice(0, 12)}…`);
  // Drop every other model so the cache holds only what the site serves now (an old model is never used again).
  if (cache) {
    for (const req of await cache.keys()) if (req.url !== new URL(model.url, location.href).href) await cache.delete(req);
    await cache.put(model.url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } })).catch(() => {});
  }
  for (const name of (await caches?.keys().catch(() => [])) ?? []) if (name.startsWith("mushroom-id-models-") && name !== CACHE) await caches.delete(name);
  return bytes;
}

export type CurrentModel = { kind: "ok"; model: ModelRef } | { kind: "none"; message: string } | { kind: "offline" };

/** Ask the server which model it serves now (never cached). Offline, the caller may keep the page's model. */
export async function currentModel(): Promise<CurrentModel> {
  let res: Response;
  try {
    res = await fetch("/api/model", { cache: "no-store" });
  } catch {
    return { kind: "offline" };
  }
  if (res.status === 404) return { kind: "none", message: "No model is served now (it may have been withdrawn)." };
  if (!res.ok) return { kind: "offline" };
  const body = modelManifest.safeParse(await res.json().catch(() => null));
  return body.success ? { kind: "ok", model: body.data } : { kind: "offline" };
}
