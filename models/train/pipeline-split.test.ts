// The normal (non-mechanism) path end to end: photo-grouped split, validation, held-out test, safety counts and
// model:evaluate. Synthetic colour-field images stand in for photos here (a test fixture of three visually distinct
// classes with near-duplicate copies); they are never used to train anything shipped.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertSource, upsertSpecies } from "../../lib/catalog/ingest.ts";
import { recordPhoto } from "../../lib/catalog/photos.ts";
import { settings } from "../../lib/settings.ts";
import { tempSqliteCatalog, type TempCatalog } from "../../tests/support/temp-db.ts";
import { DEFAULT_MODEL_ID, runExport } from "../export-cli.ts";
import { readModelCard } from "../card/card.ts";
import { reproduceCard } from "./evaluate.ts";
import { runTrainingPipeline, type PipelineResult } from "./pipeline.ts";
import { seededRandom } from "./rng.ts";
import { scratchPaths } from "./cli-paths.ts";

const CLASSES = [
  { name: "Synthetica rubra", edibility: "EDIBLE", hue: [200, 40, 30] },
  { name: "Synthetica viridis", edibility: "DEADLY", hue: [30, 170, 40] },
  { name: "Synthetica caerulea", edibility: "UNKNOWN", hue: [30, 60, 200] },
] as const;

async function colourField(hue: readonly number[], seed: number): Promise<Buffer> {
  const r = seededRandom(seed);
  const grid = Buffer.from(Array.from({ length: 6 * 6 * 3 }, (_, i) => Math.max(0, Math.min(255, hue[i % 3]! + Math.floor((r() - 0.5) * 120)))));
  return sharp(grid, { raw: { width: 6, height: 6, channels: 3 } }).resize(256, 256, { kernel: "cubic" }).jpeg({ quality: 90 }).toBuffer();
}

describe("training pipeline on a photo-grouped split (synthetic fixture)", () => {
  let cat: TempCatalog;
  let dir: string;
  let result: PipelineResult;
  const copyOf = new Map<string, string>();

  beforeAll(async () => {
    cat = await tempSqliteCatalog();
    dir = mkdtempSync(path.join(os.tmpdir(), "train-split-"));
    const store = path.join(dir, "photos");
    const sourceId = await upsertSource(cat.db, { key: "synthetic", name: "synthetic test fixture", licence: "CC0 (generated)" });
    for (const [k, c] of CLASSES.entries()) {
      const sp = await upsertSpecies(cat.db, { scientificName: c.name, edibility: c.edibility });
      for (let i = 0; i < 7; i++) {
        const img = await colourField(c.hue, 1000 * k + i);
        // Photos 0 and 1 also appear mirrored and re-encoded: those copies must stay on their original's side.
        const copies = i < 2 ? [await sharp(img).flop().jpeg({ quality: 70 }).toBuffer()] : [];
        let original = "";
        for (const bytes of [img, ...copies]) {
          const hash = createHash("sha256").update(bytes).digest("hex");
          original ||= hash;
          if (hash !== original) copyOf.set(hash, original);
          const rel = `originals/${hash}.jpg`;
          mkdirSync(path.join(store, "originals"), { recursive: true });
          writeFileSync(path.join(store, rel), bytes);
          await recordPhoto(cat.db, { speciesId: sp.id, contentHash: hash, width: 256, height: 256, format: "jpeg", byteSize: bytes.length, filePath: rel, trainPath: rel, thumbPath: rel }, { sourceId, sourceUrl: `synthetic/${hash}`, licence: "CC0 (generated)", attribution: "test fixture" });
        }
      }
    }
    result = await runTrainingPipeline({
      db: cat.db,
      ...scratchPaths(dir, store),
      backboneDir: settings().backboneDir,
      backboneOnnx: runExport({ modelId: DEFAULT_MODEL_ID }).out,
      modelId: "split-test",
      split: { seed: 5, valFraction: 0.2, testFraction: 0.2 },
      augmentViews: 1,
      weightDecays: [1e-3],
    });
  });

  afterAll(async () => {
    await cat?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("splits by source photo: copies follow their original, every species on every side", () => {
    const c = result.card;
    expect(c.kind).toBe("species-model");
    expect(c.data).toMatchObject({ approvedPhotos: 27, speciesTrained: 3, photosUsed: 27 });
    expect(c.split.groups).toBe(21);
    expect(c.split.photos.train + c.split.photos.val + c.split.photos.test).toBe(27);
    const side = (h: string) => (c.split.testPhotos.some((p) => p.contentHash === h) ? "test" : c.split.valPhotos.includes(h) ? "val" : "train");
    for (const [copy, original] of copyOf) expect(side(copy)).toBe(side(original));
    const testLabels = new Set(c.split.testPhotos.map((p) => p.label));
    expect(testLabels.size).toBe(3);
    expect(c.split.views.train).toBe(2 * c.split.photos.train); // original + 1 augmented view, train side only
    expect(c.split.views.val).toBe(c.split.photos.val);
  });

  it("learns the three classes and counts the deadly-shown-as-edible cases from catalog edibility", () => {
    const t = result.card.results.trained;
    expect(t.top1).toBeGreaterThanOrEqual(0.8);
    expect(t.safety.dangerousTruth).toBe(result.card.split.testPhotos.filter((p) => p.label === "Synthetica viridis").length);
    expect(t.safety.edibleTruth).toBe(result.card.split.testPhotos.filter((p) => p.label === "Synthetica rubra").length);
    expect(result.card.calibration.valNllAfter).toBeLessThanOrEqual(result.card.calibration.valNllBefore + 1e-9);
  });

  it("model:evaluate reproduces the card from the exported model", async () => {
    const r = await reproduceCard(readModelCard(result.cardJson), path.dirname(result.cardJson), cat.db, path.join(dir, "photos"));
    expect(r.mismatches).toEqual([]);
  });
});
