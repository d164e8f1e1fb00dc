// Test helpers: a migrated SQLite catalog in a temp folder, and a comparable snapshot of what a crawl wrote.
import { access, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createCatalog, type Catalog } from "../../lib/catalog/client";
import { applyMigrations } from "../../lib/catalog/schema-engine";

export type TempCatalog = { db: Catalog; url: string; dir: string; store: string };

export async function tempCatalog(prefix = "scrape-"): Promise<TempCatalog> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const url = `file:${path.join(dir, "catalog.db")}`;
  await applyMigrations(url);
  return { db: createCatalog(url), url, dir, store: path.join(dir, "photos") };
}

export type CatalogSnapshot = {
  species: { scientificName: string; family: string | null; description: string | null; edibility: string; commonNames: string[] }[];
  photos: { contentHash: string; species: string; filePath: string; trainPath: string | null; thumbPath: string | null }[];
  origins: { sourceUrl: string; contentHash: string; licence: string }[];
};

/** Everything a crawl writes, without ids or timestamps (which differ between equal runs). */
export async function snapshot(db: Catalog): Promise<CatalogSnapshot> {
  const species = await db.species.findMany({ include: { commonNames: true }, orderBy: { scientificName: "asc" } });
  const photos = await db.photo.findMany({ include: { species: true }, orderBy: { contentHash: "asc" } });
  const origins = await db.photoOrigin.findMany({ include: { photo: true }, orderBy: { sourceUrl: "asc" } });
  return {
    species: species.map((s) => ({
      scientificName: s.scientificName,
      family: s.family,
      description: s.description,
      edibility: s.edibility,
      commonNames: s.commonNames.map((c) => c.name).sort(),
    })),
    photos: photos.map((p) => ({ contentHash: p.contentHash, species: p.species.scientificName, filePath: p.filePath, trainPath: p.trainPath, thumbPath: p.thumbPath })),
    origins: origins.map((o) => ({ sourceUrl: o.sourceUrl, contentHash: o.photo.contentHash, licence: o.licence })),
  };
}

/** Paths of photo files the catalog names that are missing from the store. */
export async function missingFiles(db: Catalog, store: string): Promise<string[]> {
  const missing: string[] = [];
  for (const p of await db.photo.findMany()) {
    for (const rel of [p.filePath, p.trainPath, p.thumbPath]) {
      if (!rel) continue;
      await access(path.join(store, rel)).catch(() => missing.push(rel));
    }
  }
  return missing;
}
