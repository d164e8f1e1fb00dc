// End to end on a temp catalog holding the 17 ImageNet samples as 17 stand-in "species" (the mechanism test: no real
// mushroom photos exist yet). Also: refusal on too few photos, export parity, feature cache, model:evaluate.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settings } from "../../lib/settings.ts";
import { parseModelMeta } from "../../lib/vit/model-meta.ts";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { preprocessImageFile } from "../../lib/vit/preprocess-node.ts";
import { tempSqliteCatalog, type TempCatalog } from "../../tests/support/temp-db.ts";
import { DEFAULT_MODEL_ID, runExport } from "../export-cli.ts";
import { readModelCard } from "../card/card.ts";
import { reproduceCard } from "./evaluate.ts";
import { exportSpeciesModel, readSpeciesExtras } from "./export-species.ts";
import { headLogits } from "./linear-head.ts";
import { imagenetSamples, ingestImagenetSamples } from "./mechanism-catalog.ts";
import { NotEnoughDataError, runTrainingPipeline, type PipelineOptions, type PipelineResult } from "./pipeline.ts";
import { softmaxRows } from "./softmax.ts";
import { scratchPaths } from "./cli-paths.ts";

const exec = promisify(execFile);

describe("training pipeline (mechanism test on the 17 ImageNet samples)", () => {
  let cat: TempCatalog;
  let dir: string;
  let opts: PipelineOptions;
  let first: PipelineResult;

  beforeAll(async () => {
    cat = await tempSqliteCatalog();
    dir = mkdtempSync(path.join(os.tmpdir(), "train-"));
    expect(await ingestImagenetSamples(cat.db, path.join(dir, "photos"), settings().backboneDir)).toBe(17);
    opts = {
      db: cat.db,
      ...scratchPaths(dir),
      backboneDir: settings().backboneDir,
      backboneOnnx: runExport({ modelId: DEFAULT_MODEL_ID }).out,
      modelId: "mechanism-test",
      augmentViews: 2,
      weightDecays: [1e-3],
      mechanismTest: true,
    };
    first = await runTrainingPipeline(opts);
  });

  afterAll(async () => {
    await cat?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a catalog with one photo per species unless it is told this is the mechanism test", async () => {
    const err = await runTrainingPipeline({ ...opts, mechanismTest: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotEnoughDataError);
    expect((err as Error).message).toMatch(/17 species and 17 approved photos; 0 species have at least 3 independent photos/);
  });

  it("separates the 17 photos with a head trained on augmented views only", () => {
    const c = first.card;
    expect(c.kind).toBe("mechanism-test");
    expect(c.split.mechanismNote).toMatch(/MECHANISM TEST/);
    expect(c.data).toMatchObject({ approvedPhotos: 17, speciesTrained: 17 });
    expect(c.split.views).toEqual({ train: 34, val: 34, test: 17 });
    expect(c.results.trained.top1).toBeGreaterThanOrEqual(16 / 17);
    expect(c.results.prototype.top1).toBeGreaterThanOrEqual(16 / 17);
    expect(c.head.lossLast).toBeLessThan(c.head.lossFirst);
    for (const f of ["card.json", "card.md", "reliability.svg", "per-species.svg"]) expect(existsSync(path.join(opts.cardDir, f))).toBe(true);
    expect(readFileSync(path.join(opts.cardDir, "card.md"), "utf8")).toMatch(/Apache-2.0/);
    expect(readFileSync(path.join(opts.cardDir, "reliability.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it("exports labels linked to catalog species, temperature and abstain threshold in the ONNX metadata", async () => {
    const bytes = readFileSync(first.onnxFile);
    const meta = parseModelMeta(readOnnxModel(bytes).metadata);
    const extras = readSpeciesExtras(bytes);
    const species = await cat.db.species.findMany();
    const byName = new Map(species.map((s) => [s.scientificName, s]));
    expect(meta.labels).toHaveLength(17);
    expect(meta.labels.map((l) => byName.get(l)!.id)).toEqual(extras.speciesIds);
    expect(extras.slugs).toEqual(meta.labels.map((l) => byName.get(l)!.slug));
    expect(meta.temperature).toBeCloseTo(first.card.model.temperature, 6);
    expect(extras.abstainThreshold).toBe(first.card.model.abstainThreshold);
    expect(meta.mean).toEqual([0.5, 0.5, 0.5]);
  });

  it("the exported ONNX gives the TS head's probabilities on the same features (1e-4)", async () => {
    // The fitted temperature saturates these probabilities (separable classes), so also check a softer export.
    for (const temperature of [first.card.model.temperature, 8]) {
      const bytes =
        temperature === first.card.model.temperature
          ? readFileSync(first.onnxFile)
          : exportSpeciesModel({ backboneDir: settings().backboneDir, modelId: "parity", head: first.head, labels: first.card.model.labels, temperature, extras: readSpeciesExtras(readFileSync(first.onnxFile)) });
      const meta = parseModelMeta(readOnnxModel(bytes).metadata);
      const files = imagenetSamples(settings().backboneDir).slice(0, 6).map((s) => s.file);
      const S = meta.imageSize;
      const batch = new Float32Array(files.length * 3 * S * S);
      for (const [i, f] of files.entries()) batch.set(await preprocessImageFile(f, meta), i * 3 * S * S);
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ pixel_values: new ort.Tensor("float32", batch, [files.length, 3, S, S]) });
      const ts = softmaxRows(headLogits(first.head, out.features!.data as Float32Array), 17, temperature);
      const onnx = out.probs!.data as Float32Array;
      let maxDiff = 0;
      for (let i = 0; i < ts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ts[i]! - onnx[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
      if (temperature === 8) expect(Math.max(...onnx)).toBeLessThan(0.99); // not saturated: the comparison means something
      await session.release();
    }
  });

  it("model:evaluate reproduces the card's numbers from the shipped ONNX", async () => {
    const card = readModelCard(first.cardJson);
    const r = await reproduceCard(card, path.dirname(first.cardJson), cat.db, opts.photoStore);
    expect(r.mismatches).toEqual([]);
    expect(r.evaluation.n).toBe(17);
  });

  it("a rerun embeds nothing new (features cached by photo hash and view) and gives the same model", async () => {
    const again = await runTrainingPipeline(opts);
    for (const s of Object.values(again.card.features.embed)) expect(s.computed).toBe(0);
    expect(first.card.features.embed.train!.computed).toBe(34);
    expect(again.card.model.sha256).toBe(first.card.model.sha256);
  });

  it("the CLI exits 2 with the counts it found on a catalog without photos", async () => {
    const empty = await tempSqliteCatalog();
    try {
      const err = await exec("npx", ["tsx", "models/train/train-cli.ts", "--no-progress", "--cache", path.join(dir, "cli-cache")], {
        cwd: path.resolve(import.meta.dirname, "../.."),
        env: { ...process.env, DATABASE_URL: empty.url },
      }).catch((e: { code: number; stderr: string }) => e);
      expect("code" in err && err.code).toBe(2);
      expect("stderr" in err && err.stderr).toMatch(/0 species and 0 approved photos.*needs at least 2 species/s);
    } finally {
      await empty.cleanup();
    }
  });
});
