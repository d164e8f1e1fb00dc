// Pure parsers for mushroom.world pages: HTML in, typed records out (no I/O). Raw page shapes become
// catalog shapes here and nowhere else.
import * as cheerio from "cheerio";
import type { EdibilityValue, SpeciesInput } from "../../../lib/catalog/types";

export type NameListPage = { speciesUrls: string[] };
export type SpeciesPhotoLink = { url: string; title: string };
export type SpeciesPage = { species: SpeciesInput; photos: SpeciesPhotoLink[] };

export class ParseError extends Error {}

/** `/mushrooms/namelist`: `div#name-list div.item a[href]`, resolved against the page URL. */
export function parseNameList(html: string, pageUrl: string): NameListPage {
  const $ = cheerio.load(html);
  const urls = $("div#name-list div.item a[href]")
    .map((_, a) => new URL($(a).attr("href") ?? "", pageUrl).toString())
    .get();
  return { speciesUrls: [...new Set(urls)] };
}

const LABELS: Record<string, "family" | "location" | "dimensions" | "edibility" | "description"> = {
  family: "family",
  location: "location",
  dimensions: "dimensions",
  edibility: "edibility",
  description: "description",
};

/** `/show?n=Genus-species`: caption "Scientific name (Common name)", label/text pairs, photo links. */
export function parseSpeciesPage(html: string, pageUrl: string): SpeciesPage {
  const $ = cheerio.load(html);
  const caption = clean($("div.caption").first().text());
  const m = /^([A-Z][a-z-]+(?:\s+[a-z.-]+){1,3})\s*(?:\((.*)\))?$/.exec(caption);
  if (!m) throw new ParseError(`no "Scientific name (Common name)" caption on ${pageUrl} (found ${JSON.stringify(caption.slice(0, 80))})`);
  const facts: Partial<Record<(typeof LABELS)[string], string>> = {};
  $("div.labelus").each((_, el) => {
    const key = LABELS[clean($(el).text()).replace(/:$/, "").toLowerCase()];
    const value = clean($(el).nextAll("div.textus, div.longtextus").first().text(), key === "description");
    if (key && value) facts[key] = value;
  });
  const edibility = mapEdibility(facts.edibility);
  const photos = $("div#mushroom-list div.image a[href][title]")
    .map((_, a) => ({ url: new URL($(a).attr("href") ?? "", pageUrl).toString(), title: clean($(a).attr("title") ?? "") }))
    .get();
  return {
    species: {
      scientificName: m[1],
      commonNames: m[2]?.trim() ? [m[2].trim()] : [],
      family: facts.family,
      location: facts.location,
      dimensions: facts.dimensions,
      description: facts.description,
      edibility,
      ...(edibility !== "UNKNOWN" ? { edibilitySource: "mushroom.world", edibilityNote: facts.edibility } : {}),
    },
    photos: dedupeBy(photos, (p) => p.url),
  };
}

/**
 * Older copies of the site had edibility values; the current site says it has none. Anything we do not
 * recognise is UNKNOWN (treated as not edible).
 */
export function mapEdibility(text: string | undefined): EdibilityValue {
  const t = (text ?? "").toLowerCase().trim();
  if (!t || t.includes("no information")) return "UNKNOWN";
  if (/deadly|lethal|fatal/.test(t)) return "DEADLY";
  if (/poison|toxic/.test(t)) return "POISONOUS";
  if (/inedible|not edible/.test(t)) return "INEDIBLE";
  if (/psychoactive|hallucinogen/.test(t)) return "PSYCHOACTIVE";
  if (/^edible and good|choice|excellent/.test(t)) return "CHOICE";
  if (/^edible/.test(t)) return "EDIBLE";
  return "UNKNOWN";
}

function clean(s: string, keepParagraphs = false): string {
  if (!keepParagraphs) return s.replace(/\s+/g, " ").trim();
  return s
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

function dedupeBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && seen.add(key(x)));
}
