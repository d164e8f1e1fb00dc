// GET /api/model/<sha256> — the model bytes, immutable under their hash. Any other hash (an old or withdrawn
// model) is 404: nothing can fetch it again.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { shippedModel } from "@/lib/identify/shipped-model";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  const m = await shippedModel();
  if (!m || !/^[0-9a-f]{64}$/.test(hash) || hash !== m.sha256) {
    return Response.json({ error: "not-found", message: "No such model (it may have been replaced or withdrawn)." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  }
  const body = Readable.toWeb(createReadStream(m.file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(m.bytes),
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: `"${m.sha256}"`,
    },
  });
}
