// Who is asking: the session Better Auth finds for a request's cookie, and whether its role may do the thing.
// Route handlers get a Response to return when the answer is no; pages use lib/auth/page.ts.
import { auth } from "./auth";
import { checkSameOrigin } from "./csrf";
import { canManageUsers, canReview } from "./roles";

export type Staff = { id: string; email: string; name: string; role: string };
export type Need = "review" | "manage-users";

export type Access = { ok: true; user: Staff } | { ok: false; status: 401 | 403; code: string; message: string };

const ALLOWED: Record<Need, (role: string | null | undefined) => boolean> = { review: canReview, "manage-users": canManageUsers };

/** The signed-in user behind these headers, if their role allows `need`. Sessions are read from the database. */
export async function access(headers: Headers, need: Need = "review"): Promise<Access> {
  const found = await auth().api.getSession({ headers });
  if (!found) return { ok: false, status: 401, code: "not-signed-in", message: "Sign in as a reviewer first." };
  const u = found.user;
  if (u.banned || !ALLOWED[need](u.role)) return { ok: false, status: 403, code: "forbidden", message: need === "review" ? "This account may not review photos." : "This account may not manage accounts." };
  return { ok: true, user: { id: u.id, email: u.email, name: u.name, role: u.role ?? "user" } };
}

const refuse = (status: number, code: string, message: string) => Response.json({ error: code, message }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * For route handlers: the staff member, or the 401/403 to answer. A mutation must also come from the site's own
 * pages (checked before the session, so a cross-site request learns nothing and changes nothing).
 */
export async function staffOrRefusal(req: Request, opts: { need?: Need; mutation?: boolean } = {}): Promise<Staff | Response> {
  if (opts.mutation) {
    const origin = checkSameOrigin(req);
    if (!origin.ok) return refuse(403, "cross-site", `Refused: ${origin.reason}.`);
  }
  const a = await access(req.headers, opts.need);
  return a.ok ? a.user : refuse(a.status, a.code, a.message);
}
