// GET /api/review/photos/<id> — one photo for review: the claimed taxon, its reference photos, the model's top
// five for the photo (pending photos only) and the decisions so far (reviewers only).
import { catalog } from "@/lib/catalog/client";
import { staffOrRefusal } from "@/lib/auth/guard";
import { modelTopFive } from "@/lib/moderation/predict";
import { photoIdParam, reviewItem } from "@/lib/moderation/queue";
import { settings } from "@/lib/settings";

export const runtime = "nodejs";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const staff = await staffOrRefusal(req);
  if (staff instanceof Response) return staff;
  const photoId = photoIdParam.safeParse((await ctx.params).id);
  const item = photoId.success ? await reviewItem(catalog(), photoId.data) : null;
  if (!item) return Response.json({ error: "not-found", message: "No such photo." }, { status: 404 });
  const { filePath, ...photo } = item.photo;
  const model = photo.status === "PENDING_REVIEW" ? await modelTopFive(catalog(), settings().photoStore, filePath) : null;
  return Response.json({ ...item, photo, model }, { headers: { "Cache-Control": "private, no-store" } });
}
