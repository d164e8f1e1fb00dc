// Cross-site request refusal for our own mutations (Better Auth checks its endpoints itself, the same way): a
// state-changing request must say, in headers a browser sets and a page cannot forge, that it comes from this
// site. Session cookies are SameSite=Lax as well, but another port or subdomain is "same site", so the Origin
// check is what holds.
import { settings } from "../settings";

/** The origin mutations must come from: SITE_URL, else the request's own (its Host header). */
export function expectedOrigin(req: Request, siteUrl = settings().siteUrl): string {
  return siteUrl ?? new URL(req.url).origin;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export function checkSameOrigin(req: Request, siteUrl = settings().siteUrl): OriginVerdict {
  const want = expectedOrigin(req, siteUrl);
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") return { ok: false, reason: `Sec-Fetch-Site is ${fetchSite}` };
  const origin = req.headers.get("origin");
  // Browsers send Origin on every POST; a Referer (same-origin policy here) stands in for old ones.
  const claimed = origin && origin !== "null" ? origin : refererOrigin(req.headers.get("referer"));
  if (!claimed) return { ok: false, reason: "no Origin header" };
  if (claimed !== want) return { ok: false, reason: `Origin ${claimed} is not ${want}` };
  return { ok: true };
}

function refererOrigin(referer: string | null): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
