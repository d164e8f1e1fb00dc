// For server components: the staff member, or Next's 401 (unauthorized.tsx) / 403 (forbidden.tsx).
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, unauthorized } from "next/navigation";
import { access, type Need, type Staff } from "./guard";

/** One session lookup per request, shared by the layout and the page. */
const accessFor = cache(async (need: Need) => access(await headers(), need));

export async function requireStaffPage(need: Need = "review"): Promise<Staff> {
  const a = await accessFor(need);
  if (a.ok) return a.user;
  if (a.status === 401) unauthorized();
  forbidden();
}
