// GET /api/model/prototypes — the prototype head for the model served now (shipped means + approved photos), for
// the browser to fuse with the head's probabilities exactly as the server does. Never cached: approvals change it.
import { catalog } from "@/lib/catalog/client";
import { servedPrototypes } from "@/lib/identify/prototype-store";
import { shippedModel } from "@/lib/identify/shipped-model";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const model = await shippedModel();
  const set = model ? await servedPrototypes(catalog(), model) : null;
  const body = set && model
    ? {
        modelSha256: model.sha256,
        dim: set.dim,
        temperature: set.temperature,
        alpha: set.alpha,
        taxa: set.taxa.map((t) => ({ name: t.name, vector: Buffer.from(t.vector.buffer, t.vector.byteOffset, t.vector.byteLength).toString("base64") })),
      }
    : { modelSha256: model?.sha256 ?? null, none: true };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
}
