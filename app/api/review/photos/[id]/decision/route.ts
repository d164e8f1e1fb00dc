// POST /api/review/photos/<id>/decision — approve, reject or relabel a photo waiting for review (reviewers only,
// from the site's own pages). Body: JSON or a form with action=approve|reject|relabel, taxon (relabel), note.
// A form post is answered with a redirect back to the queue; JSON with the outcome.
import { catalog } from "@/lib/catalog/client";
import { staffOrRefusal } from "@/lib/auth/guard";
import { decide, decisionInput } from "@/lib/moderation/decide";
import { photoIdParam } from "@/lib/moderation/queue";
import { BodyTooLarge, readLimitedBody } from "@/lib/http/limited-body";
import { settings } from "@/lib/settings";

export const runtime = "nodejs";

const MAX_BODY = 8 * 1024;
const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const staff = await staffOrRefusal(req, { mutation: true });
  if (staff instanceof Response) return staff;
  const photoId = photoIdParam.safeParse((await ctx.params).id);
  if (!photoId.success) return json({ error: "bad-id", message: "Photo ids are positive integers." }, 400);
  const type = req.headers.get("content-type") ?? "";
  const isForm = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
  let raw: unknown;
  try {
    const body = await readLimitedBody(req, MAX_BODY);
    raw = isForm
      ? Object.fromEntries([...(await new Response(body, { headers: { "content-type": type } }).formData()).entries()].filter(([, v]) => typeof v === "string"))
      : JSON.parse(new TextDecoder().decode(body));
  } catch (e) {
    if (e instanceof BodyTooLarge) return json({ error: "body-too-large", message: "The decision is too long." }, 413);
    return json({ error: "bad-body", message: "Send JSON or a form." }, 400);
  }
  const input = decisionInput.safeParse(raw);
  if (!input.success) return json({ error: "bad-decision", message: input.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") }, 400);
  const out = await decide(catalog(), settings().photoStore, staff, photoId.data, input.data);
  if (isForm) {
    const back = new URL(out.ok ? "/review" : `/review/${photoId.data}`, req.url);
    back.searchParams.set(out.ok ? "decided" : "error", out.ok ? `${out.photo.id}:${input.data.action}` : out.code);
    return new Response(null, { status: 303, headers: { Location: back.pathname + back.search, "Cache-Control": "no-store" } });
  }
  if (!out.ok) return json({ error: out.code, message: out.message }, out.status);
  return json(out);
}
