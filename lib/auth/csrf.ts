// Cross-site request refusal for our own mutations (Better Auth checks its endpoints the same way, with the same
// list of origins): a state-changing request must say, in headers a browser sets and a page cannot forge, that it
// comes from this site. Session cookies are SameSite=Lax as well, but another port or subdomain is "same site",
// so the Origin check is what holds.
import { settings } from "../settings";

/**
 * The origins the site's own pages have: SITE_URL when set; else the host the browser asked for (its Host header,
 * which a cross-site page cannot change), over http or https. Without SITE_URL this is the same-origin check
 * Next.js applies to server actions.
 */
export function siteOrigins(req: Request, siteUrl = settings().siteUrl): string[] {
  if (siteUrl) return [siteUrl];
  const host = req.headers.get("host")?.trim().toLowerCase();
  if (!host) return [];
  try {
    if (new URL(`http://${host}`).host !== host) return [];
  } catch {
    return [];
  }
  return [`http://${host}`, `https://${host}`];
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export function checkSameOrigin(req: Request, siteUrl = settings().siteUrl): OriginVerdict {
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") return { ok: false, reason: `Sec-Fetch-Site is ${fetchSite}` };
  const origin = req.headers.get("origin");
  // Browsers send Origin on every POST; a Referer (same-origin policy here) stands in for old ones.
  const claimed = origin && origin !== "null" ? origin : refererOrigin(req.headers.get("referer"));
  if (!claimed) return { ok: false, reason: "no Origin header" };
  const allowed = siteOrigins(req, siteUrl);
  if (!allowed.includes(claimed)) return { ok: false, reason: `Origin ${claimed} is not this site (${allowed.join(" or ") || "no Host header"})` };
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
