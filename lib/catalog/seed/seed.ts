// Fills the catalog's taxa from the data directory and the bundled tables. Idempotent: running it twice changes
// nothing. Photos are imported separately (lib/catalog/import); scripts/seed.ts composes the two.
import type { Catalog } from "../client";
import { upsertSource, upsertSpecies } from "../ingest";
import { applyEdibilityKnowledge } from "./edibility-knowledge";
import { MUSHROOM_WORLD_SOURCE, mushroomWorldPageUrl, readMushroomWorld2023 } from "./mushroom-world-2023";
import { applyTaxonomy } from "./taxonomy";
import { normalizeScientificName } from "../names";

export type SeedReport = { species: number; created: number };

export async function seedCatalog(db: Catalog, dataDir: string, log: (line: string) => void = console.log): Promise<SeedReport> {
  const before = await db.species.count();
  const taxonomy = await applyTaxonomy(db);
  log(`taxonomy: ${taxonomy.taxa} taxa`);
  const sourceId = await upsertSource(db, MUSHROOM_WORLD_SOURCE);
  const records = await readMushroomWorld2023(dataDir);
  for (const r of records) await upsertSpecies(db, r, { sourceId, sourceUrl: mushroomWorldPageUrl(normalizeScientificName(r.scientificName)) });
  log(`mushroom-world-2023: ${records.length} species records`);
  const knowledge = await applyEdibilityKnowledge(db);
  log(`edibility knowledge: ${knowledge.species} taxa, ${knowledge.genera} genus facts, ${knowledge.lookalikes} lookalike links`);
  const after = await db.species.count();
  return { species: after, created: after - before };
}
