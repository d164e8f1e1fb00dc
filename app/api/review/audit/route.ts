// GET /api/review/audit?page=N — every review decision, newest first (reviewers only).
import { catalog } from "@/lib/catalog/client";
import { staffOrRefusal } from "@/lib/auth/guard";
import { auditLog, pageParam } from "@/lib/moderation/queue";

export const runtime = "nodejs";

export async function GET(req: Request) {
  const staff = await staffOrRefusal(req);
  if (staff instanceof Response) return staff;
  const page = pageParam.parse(new URL(req.url).searchParams.get("page") ?? 1);
  return Response.json(await auditLog(catalog(), page), { headers: { "Cache-Control": "private, no-store" } });
}
