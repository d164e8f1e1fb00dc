// POST /api/identify — the server path for clients without WebGPU or JavaScript. Photos are classified in
// memory and never stored. multipart/form-data with up to 5 "photo" fields, or a bare image body.
import { catalog } from "@/lib/catalog/client";
import { classifyOnServer, ServerBusy, withPrototypes, type ServerPrediction } from "@/lib/identify/server-classifier";
import { servedPrototypes } from "@/lib/identify/prototype-store";
import { shippedModelFile } from "@/lib/identify/shipped-model";
import { factsForLabels } from "@/lib/identify/species-facts";
import { buildResult, labelsNeedingFacts } from "@/lib/identify/result";
import { readUpload } from "@/lib/identify/upload";
import { uploadLimiter, uploadLimits } from "@/lib/identify/limits";
import { clientKey } from "@/lib/http/rate-limit";
import { resultHtml } from "@/lib/identify/html-result";

export const runtime = "nodejs";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

export async function POST(req: Request) {
  const rate = await uploadLimiter().consume(clientKey(req));
  if (!rate.ok) return json({ error: "rate-limited", message: "Too many requests; try again shortly." }, 429, { "Retry-After": String(rate.retryAfterSeconds) });
  const upload = await readUpload(req, uploadLimits());
  if (!upload.ok) return json({ error: upload.error.code, message: upload.error.message }, upload.error.status);

  let pred: ServerPrediction;
  try {
    const model = shippedModelFile();
    pred = withPrototypes(await classifyOnServer(upload.value.photos), model ? await servedPrototypes(catalog(), model) : null);
  } catch (e) {
    if (e instanceof ServerBusy) return json({ error: "busy", message: "The server is busy classifying other photos; try again in a few seconds." }, 503, { "Retry-After": "5" });
    throw e;
  }
  const facts = await factsForLabels(catalog(), labelsNeedingFacts(pred.labels, pred.perPhoto));
  const result = buildResult({ labels: pred.labels, perPhoto: pred.perPhoto, facts, abstainThreshold: pred.abstainThreshold });
  const wantsHtml = new URL(req.url).searchParams.get("format") === "html" || upload.value.fields.format === "html";
  if (wantsHtml) {
    return new Response(resultHtml(result, pred), { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return json({ modelId: pred.modelId, backend: "onnxruntime-node", ms: Math.round(pred.ms), ...result });
}
