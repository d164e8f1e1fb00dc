import { settings } from "../settings";
import { catalog } from "../catalog/client";
import { createLimiter, type Limiter } from "../http/rate-limit";
import type { UploadLimits } from "./upload";

export const MAX_PHOTOS_PER_FIND = 5;
export const TOP_K = 5;

export function uploadLimits(): UploadLimits {
  const s = settings();
  return { maxBodyBytes: s.uploadMaxBytes, maxBytes: s.photoMaxBytes, maxPixels: s.photoMaxPixels, maxPhotos: MAX_PHOTOS_PER_FIND };
}

/** A facts request names at most 64 labels of at most 200 characters: 16 KB is ample. */
export const FACTS_MAX_BYTES = 16 * 1024;

// Budgets live in the catalog database, so several server processes on one database share them.
const g = globalThis as unknown as { uploadLimiter?: Limiter; factsLimiter?: Limiter };
export function uploadLimiter(): Limiter {
  g.uploadLimiter ??= createLimiter(settings().uploadRatePerMinute, 60, { db: catalog(), name: "upload" });
  return g.uploadLimiter;
}

/** Facts lookups: one per identification, so a generous multiple of the upload budget. */
export function factsLimiter(): Limiter {
  g.factsLimiter ??= createLimiter(settings().uploadRatePerMinute * 4, 60, { db: catalog(), name: "facts" });
  return g.factsLimiter;
}
