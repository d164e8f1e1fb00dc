// The one module that writes species and sources into the catalog. Every write is an idempotent upsert,
// so a seed or a crawl can be re-run (or resumed after a kill) without duplicates.
import type { Catalog } from "./client";
import { normalizeCommonName, normalizeScientificName, searchTextFor, slugFor } from "./names";
import { speciesInput, type EdibilityValue, type SourceInput, type SpeciesInput, type TaxonRankValue } from "./types";
import { moreDangerous } from "../edibility/types.ts";
import { genusOf, resolveTaxon } from "../taxonomy/index.ts";

export async function upsertSource(db: Catalog, src: SourceInput): Promise<number> {
  const row = await db.dataSource.upsert({
    where: { key: src.key },
    create: src,
    update: { name: src.name, homepage: src.homepage, licence: src.licence },
  });
  return row.id;
}

const RANK: Record<string, TaxonRankValue> = { species: "SPECIES", group: "GROUP", section: "SECTION", genus: "GENUS" };

/** The accepted name and rank for any scientific name: the taxonomy's when it knows the name. */
export function canonicalTaxon(name: string): { scientificName: string; rank: TaxonRankValue; genus: string; family?: string } {
  const t = resolveTaxon(name);
  if (t && t.rank !== "family") return { scientificName: t.name, rank: RANK[t.rank]!, genus: t.genus!, family: t.family ?? undefined };
  const scientificName = normalizeScientificName(name);
  return { scientificName, rank: scientificName.includes(" ") ? "SPECIES" : "GENUS", genus: scientificName.split(" ")[0]! };
}

/**
 * Insert or merge a taxon. The name resolves through lib/taxonomy first (a synonym lands on its accepted taxon and
 * is kept as a Synonym row). Descriptive fields overwrite when present. Edibility is a claim of the origin's
 * source: it is recorded, and the taxon's class becomes the most dangerous of all claims: a source can raise it,
 * never lower it, and UNKNOWN never replaces a cited class.
 */
export async function upsertSpecies(
  db: Catalog,
  raw: SpeciesInput,
  origin?: { sourceId: number; sourceUrl?: string },
): Promise<{ id: number; slug: string; created: boolean; edibility: EdibilityValue }> {
  const input = speciesInput.parse(raw);
  const canon = canonicalTaxon(input.scientificName);
  const scientificName = canon.scientificName;
  const existing = await db.species.findUnique({
    where: { scientificName },
    include: { commonNames: true, synonyms: true },
  });
  const names = [...new Set([...(existing?.commonNames.map((c) => c.name) ?? []), ...input.commonNames.map(normalizeCommonName)])];
  const given = normalizeScientificName(input.scientificName);
  const synonyms = [...new Set([...(existing?.synonyms.map((s) => s.name) ?? []), ...input.synonyms.map(normalizeScientificName), given])].filter(
    (s) => s !== scientificName,
  );
  const rank = input.rank ?? canon.rank;
  const parentId = rank === "GENUS" ? null : await ensureGenus(db, canon.genus, input.family ?? canon.family);
  const facts = {
    family: input.family ?? canon.family ?? existing?.family ?? undefined,
    location: input.location,
    dimensions: input.dimensions,
    description: input.description,
    edibilityNote: input.edibilityNote,
    rank,
    parentId,
    searchText: searchTextFor(scientificName, [...synonyms, ...names]),
  };
  const row = existing
    ? await db.species.update({ where: { id: existing.id }, data: facts })
    : await db.species.create({ data: { scientificName, slug: slugFor(scientificName), genus: canon.genus, ...facts } });
  const have = new Set(existing?.commonNames.map((c) => c.name) ?? []);
  for (const name of names) if (!have.has(name)) await db.commonName.create({ data: { speciesId: row.id, name } });
  const haveSyn = new Set(existing?.synonyms.map((s) => s.name) ?? []);
  for (const name of synonyms) {
    if (haveSyn.has(name)) continue;
    // A name already held by another taxon stays with it (first writer wins; the taxonomy decides conflicts).
    const taken = await db.synonym.findUnique({ where: { name } });
    if (!taken) await db.synonym.create({ data: { speciesId: row.id, name } });
  }
  if (origin) {
    await db.speciesRecord.upsert({
      where: { speciesId_sourceId: { speciesId: row.id, sourceId: origin.sourceId } },
      create: { speciesId: row.id, sourceId: origin.sourceId, sourceUrl: origin.sourceUrl },
      update: { sourceUrl: origin.sourceUrl, fetchedAt: new Date() },
    });
  }
  let edibility = row.edibility as EdibilityValue;
  if (input.edibility && input.edibility !== "UNKNOWN") {
    const key = origin ? ((await db.dataSource.findUnique({ where: { id: origin.sourceId }, select: { key: true } }))?.key ?? "unknown") : "direct";
    edibility = await recordEdibilityClaim(db, row.id, {
      sourceKey: key,
      title: input.edibilitySource ?? key,
      url: input.edibilitySourceUrl,
      edibility: input.edibility,
    });
  }
  return { id: row.id, slug: row.slug, created: !existing, edibility };
}

export type ClaimInput = { sourceKey: string; title: string; url?: string; edibility: EdibilityValue };

/**
 * Record one source's class for a taxon and recompute the taxon's class: the most dangerous of its claims (on a
 * tie the earliest claim stays the one shown with its source).
 */
export async function recordEdibilityClaim(db: Catalog, speciesId: number, c: ClaimInput): Promise<EdibilityValue> {
  if (c.edibility === "UNKNOWN") throw new Error("recordEdibilityClaim: UNKNOWN is not a claim");
  const sourceRef = c.url ?? c.title;
  await db.edibilityClaim.upsert({
    where: { speciesId_sourceKey_sourceRef: { speciesId, sourceKey: c.sourceKey, sourceRef } },
    create: { speciesId, sourceKey: c.sourceKey, sourceRef, sourceTitle: c.title, sourceUrl: c.url, edibility: c.edibility },
    update: { sourceTitle: c.title, sourceUrl: c.url, edibility: c.edibility },
  });
  const claims = await db.edibilityClaim.findMany({ where: { speciesId }, orderBy: { id: "asc" } });
  let worst = claims[0]!;
  for (const k of claims) if (moreDangerous(worst.edibility, k.edibility) !== worst.edibility) worst = k;
  await db.species.update({
    where: { id: speciesId },
    data: { edibility: worst.edibility, edibilitySource: worst.sourceTitle, edibilitySourceUrl: worst.sourceUrl },
  });
  return worst.edibility as EdibilityValue;
}

/** The genus row a species hangs under (created on first use, family filled when known). */
export async function ensureGenus(db: Catalog, genus: string, family?: string): Promise<number> {
  const name = normalizeScientificName(genus);
  const fam = family ?? (resolveTaxon(name) ? (genusOf(resolveTaxon(name)!)?.family ?? undefined) : undefined);
  const row = await db.species.upsert({
    where: { scientificName: name },
    create: { scientificName: name, slug: slugFor(name), rank: "GENUS", genus: name, family: fam, searchText: searchTextFor(name, []) },
    update: fam ? { family: fam } : {},
    select: { id: true, family: true },
  });
  return row.id;
}

/** Record that `from` is mistaken for `to` (both must exist; names resolve through the taxonomy); idempotent. */
export async function linkLookalike(
  db: Catalog,
  fromScientific: string,
  toScientific: string,
  note?: string,
  source?: string,
): Promise<boolean> {
  const [from, to] = await Promise.all(
    [fromScientific, toScientific].map((n) => db.species.findUnique({ where: { scientificName: canonicalTaxon(n).scientificName } })),
  );
  if (!from || !to || from.id === to.id) return false;
  await db.lookalike.upsert({
    where: { fromId_toId: { fromId: from.id, toId: to.id } },
    create: { fromId: from.id, toId: to.id, note, source },
    update: { note, source },
  });
  return true;
}
