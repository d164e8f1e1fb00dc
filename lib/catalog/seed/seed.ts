// Fills the catalog from the data directory. Idempotent: running it twice changes nothing.
import type { Catalog } from "../client";
import { normalizeScientificName } from "../names";
import { upsertSource, upsertSpecies } from "../ingest";
import { applyEdibilityKnowledge } from "./edibility-knowledge";
import { MUSHROOM_WORLD_SOURCE, mushroomWorldPageUrl, readMushroomWorld2023 } from "./mushroom-world-2023";
import { settings } from "../../settings";
import { importPhotoFolders } from "../../../scraper/sources/kaggle/folders";

export type SeedReport = { species: number; created: number };

export async function seedCatalog(
  db: Catalog,
  dataDir: string,
  log: (line: string) => void = console.log,
  photoStore: string = settings().photoStore,
): Promise<SeedReport> {
  const sourceId = await upsertSource(db, MUSHROOM_WORLD_SOURCE);
  const records = await readMushroomWorld2023(dataDir);
  let created = 0;
  for (const r of records) {
    const name = normalizeScientificName(r.scientificName);
    const res = await upsertSpecies(db, r, { sourceId, sourceUrl: mushroomWorldPageUrl(name) });
    if (res.created) created++;
  }
  log(`mushroom-world-2023: ${records.length} species (${created} new)`);
  const before = await db.species.count();
  const knowledge = await applyEdibilityKnowledge(db);
  created += (await db.species.count()) - before;
  log(`edibility knowledge: ${knowledge.species} species, ${knowledge.lookalikes} lookalike links`);
  // Photo folders in the Kaggle layout (species-named subfolders of images), via the scraper's importer.
  await importPhotoFolders(db, dataDir, photoStore, log);
  return { species: await db.species.count(), created };
}
