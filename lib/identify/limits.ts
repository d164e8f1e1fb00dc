import { settings } from "../settings";
import { createLimiter, type Limiter } from "../http/rate-limit";
import type { UploadLimits } from "./upload";

export const MAX_PHOTOS_PER_FIND = 5;
export const TOP_K = 5;

export function uploadLimits(): UploadLimits {
  const s = settings();
  return { maxBodyBytes: s.uploadMaxBytes, maxBytes: s.photoMaxBytes, maxPixels: s.photoMaxPixels, maxPhotos: MAX_PHOTOS_PER_FIND };
}

const g = globalThis as unknown as { uploadLimiter?: Limiter };
export function uploadLimiter(): Limiter {
  g.uploadLimiter ??= createLimiter(settings().uploadRatePerMinute, 60);
  return g.uploadLimiter;
}
