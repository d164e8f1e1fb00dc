// Name conventions shared by the seed, the scraper and the site.

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

/** "agaricus_arvensis" or "AGARICUS  arvensis" -> "Agaricus arvensis"; "amanita sect. caesareae" -> "Amanita sect. Caesareae". */
export function normalizeScientificName(raw: string): string {
  const words = raw.replace(/[_\s]+/g, " ").trim().toLowerCase().split(" ").filter(Boolean);
  if (words.length === 0) throw new Error(`Empty scientific name: ${JSON.stringify(raw)}`);
  // A section (like a genus) is a capitalised name: "sect." is followed by one.
  return words.map((w, i) => (i === 0 || words[i - 1] === "sect." ? cap(w) : w)).join(" ");
}

/** "Agaricus arvensis" -> "agaricus-arvensis" (URL-safe, stable). */
export function slugFor(scientificName: string): string {
  return scientificName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** "horse_mushroom" -> "Horse mushroom"; keeps apostrophes ("jackson's slender amanita"). */
export function normalizeCommonName(raw: string): string {
  const s = raw.replace(/[_\s]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Text the search matches against: lower-case names, accents folded. */
export function searchTextFor(scientificName: string, commonNames: string[]): string {
  return [scientificName, ...commonNames]
    .join(" | ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}
