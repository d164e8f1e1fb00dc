import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalog } from "@/lib/catalog/client";
import { photoFile } from "@/lib/catalog/browse";
import { settings } from "@/lib/settings";

const TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp" };

export async function GET(_req: Request, ctx: { params: Promise<{ hash: string; variant: string }> }) {
  const { hash, variant } = await ctx.params;
  if (variant !== "thumb" && variant !== "full") return new Response("Unknown variant", { status: 404 });
  const rel = await photoFile(catalog(), hash, variant);
  if (!rel) return new Response("Photo not found", { status: 404 });
  const store = settings().photoStore;
  const file = path.resolve(store, rel);
  // Paths come from the catalog, but never serve anything outside the store.
  if (!file.startsWith(store + path.sep)) return new Response("Photo not found", { status: 404 });
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return new Response("Photo file missing", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "Cache-Control": "public, max-age=31536000, immutable",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
