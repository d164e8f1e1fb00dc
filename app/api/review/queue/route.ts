// GET /api/review/queue?page=N — photos waiting for review (reviewers only).
import { catalog } from "@/lib/catalog/client";
import { staffOrRefusal } from "@/lib/auth/guard";
import { pageParam, pendingPhotos } from "@/lib/moderation/queue";

export const runtime = "nodejs";

export async function GET(req: Request) {
  const staff = await staffOrRefusal(req);
  if (staff instanceof Response) return staff;
  const page = pageParam.parse(new URL(req.url).searchParams.get("page") ?? 1);
  return Response.json(await pendingPhotos(catalog(), page), { headers: { "Cache-Control": "private, no-store" } });
}
