// GET /api/review/photos/<id>/thumb|full — a photo waiting for review, for reviewers only (never cached; never
// a rejected photo). Approved photos are public at /api/photos/<hash>/...
import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalog } from "@/lib/catalog/client";
import { staffOrRefusal } from "@/lib/auth/guard";
import { pendingPhotoFile, photoIdParam } from "@/lib/moderation/queue";
import { settings } from "@/lib/settings";

export const runtime = "nodejs";

const TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp" };
const notFound = () => Response.json({ error: "not-found", message: "No photo waiting for review here." }, { status: 404 });

export async function GET(req: Request, ctx: { params: Promise<{ id: string; variant: string }> }) {
  const staff = await staffOrRefusal(req);
  if (staff instanceof Response) return staff;
  const { id, variant } = await ctx.params;
  const photoId = photoIdParam.safeParse(id);
  if (!photoId.success || (variant !== "thumb" && variant !== "full")) return notFound();
  const rel = await pendingPhotoFile(catalog(), photoId.data, variant);
  if (!rel) return notFound();
  const store = settings().photoStore;
  const file = path.resolve(store, rel);
  if (!file.startsWith(store + path.sep)) return notFound();
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return notFound();
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "Cache-Control": "private, no-store",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
