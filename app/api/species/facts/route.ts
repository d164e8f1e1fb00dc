// POST /api/species/facts {labels: [...]} — catalog facts for a model's candidate classes (used by the in-browser
// classifier; only class labels are sent, never the photo). The body is capped and the endpoint rate-limited.
import { catalog } from "@/lib/catalog/client";
import { factsForLabels, lookupRequest } from "@/lib/identify/species-facts";
import { factsLimiter, FACTS_MAX_BYTES } from "@/lib/identify/limits";
import { BodyTooLarge, readLimitedBody } from "@/lib/http/limited-body";
import { clientKey } from "@/lib/http/rate-limit";

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

export async function POST(req: Request) {
  const rate = await factsLimiter().consume(clientKey(req));
  if (!rate.ok) return json({ error: "rate-limited", message: "Too many requests; try again shortly." }, 429, { "Retry-After": String(rate.retryAfterSeconds) });
  let text: string;
  try {
    text = new TextDecoder().decode(await readLimitedBody(req, FACTS_MAX_BYTES));
  } catch (e) {
    if (e instanceof BodyTooLarge) return json({ error: "body-too-large", message: `Send at most ${FACTS_MAX_BYTES} bytes.` }, 413);
    throw e;
  }
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // falls through to the 400 below
  }
  const parsed = lookupRequest.safeParse(body);
  if (!parsed.success) return json({ error: "bad-request", message: "Send {labels: string[1..64]}" }, 400);
  return json(await factsForLabels(catalog(), parsed.data.labels));
}
