// The catalog taxon a reviewer's name means: scientific name, synonym or common name, through lib/taxonomy first
// (so a synonym lands on its accepted taxon), then the catalog's own synonym and common-name rows.
import type { Catalog } from "../catalog/client";
import { normalizeScientificName } from "../catalog/names";
import { resolveAnyName } from "../taxonomy/index.ts";

export type CatalogTaxon = { id: number; scientificName: string; slug: string };

const SELECT = { id: true, scientificName: true, slug: true } as const;

export async function findCatalogTaxon(db: Catalog, name: string): Promise<CatalogTaxon | null> {
  const raw = name.trim();
  if (!raw) return null;
  const known = resolveAnyName(raw);
  const candidates = new Set<string>();
  if (known && known.rank !== "family") candidates.add(known.name);
  try {
    candidates.add(normalizeScientificName(raw));
  } catch {
    return null;
  }
  for (const scientificName of candidates) {
    const hit = await db.species.findUnique({ where: { scientificName }, select: SELECT });
    if (hit) return hit;
  }
  for (const n of candidates) {
    const syn = await db.synonym.findUnique({ where: { name: n }, select: { species: { select: SELECT } } });
    if (syn) return syn.species;
  }
  const common = await db.commonName.findFirst({ where: { name: raw }, select: { species: { select: SELECT } }, orderBy: { id: "asc" } });
  return common?.species ?? null;
}
