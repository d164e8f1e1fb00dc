// The one module that writes species and sources into the catalog. Every write is an idempotent upsert,
// so a seed or a crawl can be re-run (or resumed after a kill) without duplicates.
import type { Catalog } from "./client";
import { normalizeCommonName, normalizeScientificName, searchTextFor, slugFor } from "./names";
import { speciesInput, type SourceInput, type SpeciesInput } from "./types";

export async function upsertSource(db: Catalog, src: SourceInput): Promise<number> {
  const row = await db.dataSource.upsert({
    where: { key: src.key },
    create: src,
    update: { name: src.name, homepage: src.homepage, licence: src.licence },
  });
  return row.id;
}

/**
 * Insert or merge a species. Present fields overwrite; absent ones keep what the catalog has, and a
 * known edibility is never replaced by UNKNOWN (a source without edibility data must not erase one).
 */
export async function upsertSpecies(
  db: Catalog,
  raw: SpeciesInput,
  origin?: { sourceId: number; sourceUrl?: string },
): Promise<{ id: number; slug: string; created: boolean }> {
  const input = speciesInput.parse(raw);
  const scientificName = normalizeScientificName(input.scientificName);
  const slug = slugFor(scientificName);
  const existing = await db.species.findUnique({
    where: { scientificName },
    include: { commonNames: true },
  });
  const names = [...new Set([...(existing?.commonNames.map((c) => c.name) ?? []), ...input.commonNames.map(normalizeCommonName)])];
  const knownEdibility = input.edibility && input.edibility !== "UNKNOWN" ? input.edibility : undefined;
  const facts = {
    family: input.family,
    location: input.location,
    dimensions: input.dimensions,
    description: input.description,
    ...(knownEdibility
      ? {
          edibility: knownEdibility,
          edibilitySource: input.edibilitySource ?? null,
          edibilitySourceUrl: input.edibilitySourceUrl ?? null,
          edibilityNote: input.edibilityNote ?? null,
        }
      : {}),
    searchText: searchTextFor(scientificName, names),
  };
  const row = existing
    ? await db.species.update({ where: { id: existing.id }, data: facts })
    : await db.species.create({
        data: { scientificName, slug, genus: scientificName.split(" ")[0], ...facts },
      });
  const have = new Set(existing?.commonNames.map((c) => c.name) ?? []);
  for (const name of names) if (!have.has(name)) await db.commonName.create({ data: { speciesId: row.id, name } });
  if (origin) {
    await db.speciesRecord.upsert({
      where: { speciesId_sourceId: { speciesId: row.id, sourceId: origin.sourceId } },
      create: { speciesId: row.id, sourceId: origin.sourceId, sourceUrl: origin.sourceUrl },
      update: { sourceUrl: origin.sourceUrl, fetchedAt: new Date() },
    });
  }
  return { id: row.id, slug: row.slug, created: !existing };
}

/** Record that `from` is mistaken for `to` (both must exist); idempotent. */
export async function linkLookalike(
  db: Catalog,
  fromScientific: string,
  toScientific: string,
  note?: string,
  source?: string,
): Promise<boolean> {
  const [from, to] = await Promise.all(
    [fromScientific, toScientific].map((n) => db.species.findUnique({ where: { scientificName: normalizeScientificName(n) } })),
  );
  if (!from || !to || from.id === to.id) return false;
  await db.lookalike.upsert({
    where: { fromId_toId: { fromId: from.id, toId: to.id } },
    create: { fromId: from.id, toId: to.id, note, source },
    update: { note, source },
  });
  return true;
}
