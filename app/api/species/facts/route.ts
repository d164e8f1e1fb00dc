// POST /api/species/facts {labels: [...]} — catalog facts for a model's top candidates (used by the
// in-browser classifier; only class labels are sent, never the photo).
import { catalog } from "@/lib/catalog/client";
import { factsForLabels, lookupRequest } from "@/lib/identify/species-facts";

export async function POST(req: Request) {
  const body = await req.json().catch(() => null);
  const parsed = lookupRequest.safeParse(body);
  if (!parsed.success) return Response.json({ error: "bad-request", message: "Send {labels: string[1..20]}" }, { status: 400 });
  return Response.json(await factsForLabels(catalog(), parsed.data.labels), { headers: { "Cache-Control": "no-store" } });
}
