// `npm run bench:train`: times the training pipeline on the only real images available (the 17 ImageNet samples in a
// temporary catalog, mechanism-test mode), cold and warm feature cache, plus the head's training cost on synthetic
// features at catalog scale. Prints a table and writes bench/train/results/train-bench.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCatalog } from "../../lib/catalog/client.ts";
import { applyMigrations } from "../../lib/catalog/schema-engine.ts";
import { settings } from "../../lib/settings.ts";
import { DEFAULT_MODEL_ID, runExport } from "../../models/export-cli.ts";
import { onnxGradientEngine } from "../../models/train/head-grad-onnx.ts";
import { DEFAULT_TRAIN, trainLinearHead } from "../../models/train/linear-head.ts";
import { ingestImagenetSamples } from "../../models/train/mechanism-catalog.ts";
import { NotEnoughDataError, runTrainingPipeline } from "../../models/train/pipeline.ts";
import { gaussian, seededRandom } from "../../models/train/rng.ts";
import { scratchPaths } from "../../models/train/cli-paths.ts";

const GRID = [1e-4, 1e-3, 1e-2];
const VIEWS = 4;

async function pipelineRuns(dir: string) {
  const url = `file:${path.join(dir, "catalog.db")}`;
  await applyMigrations(url);
  const db = createCatalog(url);
  try {
    await ingestImagenetSamples(db, path.join(dir, "photos"), settings().backboneDir);
    const opts = {
      db,
      ...scratchPaths(dir),
      backboneDir: settings().backboneDir,
      backboneOnnx: runExport({ modelId: DEFAULT_MODEL_ID }).out,
      modelId: "bench",
      augmentViews: VIEWS,
      weightDecays: GRID,
      mechanismTest: true,
    };
    const runs = [];
    for (const cache of ["cold", "warm"] as const) {
      const t = performance.now();
      const r = await runTrainingPipeline(opts);
      const total = (performance.now() - t) / 1000;
      const computed = Object.values(r.card.features.embed).reduce((s, e) => s + e.computed, 0);
      runs.push({ cache, totalS: total, stagesS: r.timings, viewsComputed: computed, top1MechanismTest: r.card.results.trained.top1 });
    }
    return runs;
  } finally {
    await db.$disconnect();
  }
}

/** One epoch of the head on random features of the given size, times epochs x weight-decay grid. */
async function headCost(rows: number, classes: number) {
  const D = 192;
  const r = seededRandom(1);
  const x = Float64Array.from({ length: rows * D }, () => gaussian(r));
  const y = Int32Array.from({ length: rows }, (_, i) => i % classes);
  const engine = await onnxGradientEngine();
  const t = performance.now();
  await trainLinearHead(x, y, classes, D, { ...DEFAULT_TRAIN, epochs: 2 }, engine);
  const epochS = (performance.now() - t) / 2000;
  await engine.release();
  return { rows, classes, epochS, projectedTrainS: epochS * DEFAULT_TRAIN.epochs * GRID.length };
}

/** The configured catalog as it is: today that is a refusal (no photos), timed and quoted. */
async function realCatalog(dir: string) {
  const db = createCatalog(settings().databaseUrl);
  const t = performance.now();
  try {
    const r = await runTrainingPipeline({ db, photoStore: settings().photoStore, backboneDir: settings().backboneDir, backboneOnnx: runExport({ modelId: DEFAULT_MODEL_ID }).out, outDir: path.join(dir, "real-out"), cardDir: path.join(dir, "real-card"), modelId: "bench-real" });
    return { outcome: "trained", seconds: (performance.now() - t) / 1000, top1: r.card.results.trained.top1, photos: r.card.data.approvedPhotos };
  } catch (e) {
    if (!(e instanceof NotEnoughDataError)) throw e;
    return { outcome: "refused", seconds: (performance.now() - t) / 1000, message: e.message };
  } finally {
    await db.$disconnect();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-train-"));
  const loadBefore = os.loadavg()[0]!;
  try {
    const real = await realCatalog(dir);
    const runs = await pipelineRuns(dir);
    const cold = runs[0]!;
    const embedPerView = cold.stagesS.embed! / cold.viewsComputed;
    // A catalog like the issue imagines: the 203 seeded species x 30 photos, 70% train with 1 + VIEWS views each.
    const species = 203;
    const photos = species * 30;
    const trainRows = Math.round(photos * 0.7) * (1 + VIEWS);
    const head = await headCost(trainRows, species);
    const projectedCold = photos * 0.7 * (1 + VIEWS) * embedPerView + photos * 0.3 * embedPerView + head.projectedTrainS;
    const result = {
      date: new Date().toISOString(),
      host: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", loadAverage1mBefore: loadBefore, loadAverage1mAfter: os.loadavg()[0] },
      data: "17 ImageNet sample photos (backbone known-answer set) as 17 stand-in species in a temporary SQLite catalog, mechanism-test mode: 4 augmented training views + 2 validation views + the original per photo. No mushroom photos exist in the catalog.",
      configuredCatalog: real,
      runs,
      embedSecondsPerView: embedPerView,
      headOnSyntheticFeatures: { ...head, note: `random Gaussian features, ${DEFAULT_TRAIN.epochs} epochs x ${GRID.length} weight decays projected from the mean of 2 epochs (gradients by onnxruntime-node)` },
      projection: {
        catalog: `${species} species x 30 photos = ${photos} photos (hypothetical; the catalog has 0)`,
        coldCacheS: projectedCold,
        warmCacheS: head.projectedTrainS,
        note: "cold = embedding every view at the measured rate + head training; warm = features cached, head training only",
      },
    };
    mkdirSync(path.join(import.meta.dirname, "results"), { recursive: true });
    const out = path.join(import.meta.dirname, "results", "train-bench.json");
    writeFileSync(out, JSON.stringify(result, null, 1) + "\n");
    const rows = [
      { what: `model:train on the configured catalog: ${real.outcome}`, seconds: real.seconds.toFixed(1), detail: "message" in real ? real.message!.slice(0, 70) + "…" : `top-1 ${real.top1}` },
      ...runs.map((r) => ({ what: `pipeline, 17 photos, ${r.cache} cache`, seconds: r.totalS.toFixed(1), detail: Object.entries(r.stagesS).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ") })),
      { what: "backbone embedding per view", seconds: embedPerView.toFixed(3), detail: `${cold.viewsComputed} views computed cold` },
      { what: `head, 1 epoch, ${head.rows} rows x ${head.classes} classes (synthetic)`, seconds: head.epochS.toFixed(2), detail: `x ${DEFAULT_TRAIN.epochs} epochs x ${GRID.length} = ${head.projectedTrainS.toFixed(0)} s` },
      { what: `projection: ${photos} photos, cold cache`, seconds: projectedCold.toFixed(0), detail: "embedding dominates" },
      { what: `projection: ${photos} photos, warm cache`, seconds: head.projectedTrainS.toFixed(0), detail: "head training only" },
    ];
    console.table(rows);
    console.log(`load average (1 min) before ${loadBefore.toFixed(1)}, after ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores; wrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
