// GET /api/model — which model the site serves now: {url, sha256, bytes}. Never cached: the Identify page asks it
// on every start, so a model withdrawn or replaced on the server stops being used from the browser's cache.
import { shippedModel } from "@/lib/identify/shipped-model";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const m = await shippedModel();
  if (!m) return Response.json({ error: "no-model", message: "No model is installed on this server." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json({ name: m.name, url: m.url, sha256: m.sha256, bytes: m.bytes }, { headers: { "Cache-Control": "no-store" } });
}
