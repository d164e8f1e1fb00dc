// POST /api/contributions — a person chooses to contribute a photo: multipart "photo", "species", "consent=yes".
import { catalog } from "@/lib/catalog/client";
import { contributePhoto } from "@/lib/identify/contribute";
import { readUpload } from "@/lib/identify/upload";
import { uploadLimiter, uploadLimits } from "@/lib/identify/limits";
import { clientKey } from "@/lib/http/rate-limit";
import { settings } from "@/lib/settings";

export const runtime = "nodejs";

export async function POST(req: Request) {
  const rate = await uploadLimiter().consume(clientKey(req));
  if (!rate.ok) return Response.json({ error: "rate-limited", message: "Too many requests." }, { status: 429, headers: { "Retry-After": String(rate.retryAfterSeconds) } });
  const limits = { ...uploadLimits(), maxPhotos: 1 };
  const upload = await readUpload(req, limits);
  if (!upload.ok) return Response.json({ error: upload.error.code, message: upload.error.message }, { status: upload.error.status });
  const out = await contributePhoto(catalog(), settings().photoStore, upload.value.photos[0], upload.value.fields, limits);
  if (!out.ok) return Response.json({ error: out.code, message: out.message }, { status: out.status });
  return Response.json({ photoHash: out.photoHash, status: "PENDING_REVIEW", queued: out.queued }, { status: out.queued ? 201 : 200 });
}
