// Per-photo credit (iNaturalist-style attribution): who took it, under which licence, where it was published, and
// one short line for under the photo ("© Nathan Wilson · CC BY-SA 3.0 · Mushroom Observer").

export type PhotoCredit = {
  photographer?: string;
  /** Short licence code: "CC BY-SA 3.0", "All rights reserved", "PDDL-1.0 (unverified)". */
  licenceCode: string;
  licenceUrl?: string;
  /** The photo at its original publisher (http or https). */
  originalUrl?: string;
  nonCommercial: boolean;
};

/** "http://creativecommons.org/licenses/by-nc-sa/4.0/" -> {code: "CC BY-NC-SA 4.0", nonCommercial: true}. */
export function licenceFromUrl(url: string): { code: string; nonCommercial: boolean } | undefined {
  const m = /creativecommons\.org\/(licenses|publicdomain)\/([a-z-]+)\/(\d\.\d)/i.exec(url);
  if (!m) return undefined;
  if (m[1]!.toLowerCase() === "publicdomain") return { code: m[2]!.toLowerCase() === "zero" ? `CC0 ${m[3]}` : `Public domain`, nonCommercial: false };
  const parts = m[2]!.toLowerCase().split("-");
  return { code: `CC ${parts.map((p) => p.toUpperCase()).join("-")} ${m[3]}`, nonCommercial: parts.includes("nc") };
}

export type CreditPart = { text: string; href?: string };

/** The parts of the one-line credit: photographer, licence, publisher; each linked where a URL is known. */
export function creditParts(c: Partial<PhotoCredit> & { licence: string }, publisher: { name: string; homepage?: string | null }): CreditPart[] {
  const http = (u?: string | null) => (u && /^https?:\/\//.test(u) ? u : undefined);
  const parts: CreditPart[] = [];
  if (c.photographer) parts.push({ text: `© ${c.photographer}`, href: http(c.originalUrl) });
  parts.push({ text: c.licenceCode ?? c.licence, href: http(c.licenceUrl) });
  parts.push({ text: publisher.name, href: c.photographer ? http(publisher.homepage) : (http(c.originalUrl) ?? http(publisher.homepage)) });
  return parts;
}

export function creditLine(c: Partial<PhotoCredit> & { licence: string }, publisher: { name: string; homepage?: string | null }): string {
  return creditParts(c, publisher)
    .map((p) => p.text)
    .join(" · ");
}
