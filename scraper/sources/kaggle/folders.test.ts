// The seed imports photo folders found in the data directory (Kaggle layout), idempotently, with licences.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../../lib/catalog/seed/seed";
import { settings } from "../../../lib/settings";
import { tempCatalog, type TempCatalog } from "../../testing/temp-catalog";
import { KAGGLE_215 } from "./source";

let c: TempCatalog | undefined;
afterAll(async () => c?.db.$disconnect());

const jpeg = (g: number) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 10, g, b: 40 } } }).jpeg().toBuffer();

describe("seedCatalog photo folders", () => {
  it("imports Kaggle-layout folders with their licence, skips folders without images, and is idempotent", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "seed-data-"));
    await symlink(path.join(settings().dataDir, "mushroom-world-2023"), path.join(dataDir, "mushroom-world-2023"));
    // A Kaggle-215-like folder (has mushrooms.txt; folder names are common names from the 2023 records).
    await mkdir(path.join(dataDir, "kaggle-215", "horse_mushroom"), { recursive: true });
    await writeFile(path.join(dataDir, "kaggle-215", "mushrooms.txt"), "horse_mushroom\n");
    await writeFile(path.join(dataDir, "kaggle-215", "horse_mushroom", "1.jpg"), await jpeg(100));
    await writeFile(path.join(dataDir, "kaggle-215", "horse_mushroom", "2.jpg"), await jpeg(150));
    // A folder with its own SOURCE.json licence, named by scientific names.
    await mkdir(path.join(dataDir, "field-photos", "Boletus_edulis"), { recursive: true });
    await writeFile(path.join(dataDir, "field-photos", "SOURCE.json"), JSON.stringify({ name: "Field photos", licence: "CC BY 4.0" }));
    await writeFile(path.join(dataDir, "field-photos", "Boletus_edulis", "a.jpg"), await jpeg(200));
    // No images at all: skipped silently.
    await mkdir(path.join(dataDir, "notes", "sub"), { recursive: true });
    await writeFile(path.join(dataDir, "notes", "sub", "readme.txt"), "nothing here");

    c = await tempCatalog("seed-");
    const lines: string[] = [];
    await seedCatalog(c.db, dataDir, (l) => lines.push(l), c.store);
    const origins = await c.db.photoOrigin.findMany({ include: { source: true, photo: { include: { species: true } } }, orderBy: { sourceUrl: "asc" } });
    expect(origins.map((o) => [o.source.key, o.licence, o.photo.species.scientificName])).toEqual([
      ["folder-field-photos", "CC BY 4.0", "Boletus edulis"],
      [KAGGLE_215.source.key, KAGGLE_215.source.licence, "Agaricus arvensis"],
      [KAGGLE_215.source.key, KAGGLE_215.source.licence, "Agaricus arvensis"],
    ]);
    expect(lines.some((l) => l.startsWith("notes"))).toBe(false);

    await seedCatalog(c.db, dataDir, () => {}, c.store);
    expect(await c.db.photo.count()).toBe(3);
    expect(await c.db.photoOrigin.count()).toBe(3);
  });
});
