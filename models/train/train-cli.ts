// `npm run model:train`: trains the species model from the catalog's approved photos and writes the ONNX model and
// its card. Exits 2 with the counts it found when the catalog has too few photos.
// `npm run model:train -- --mechanism-test` runs the same pipeline on the 17 ImageNet samples in a separate catalog.
import path from "node:path";
import { Command } from "commander";
import { createCatalog } from "../../lib/catalog/client.ts";
import { applyMigrations } from "../../lib/catalog/schema-engine.ts";
import { settings } from "../../lib/settings.ts";
import { runExport, DEFAULT_MODEL_ID } from "../export-cli.ts";
import { DEFAULT_CACHE_DIR, DEFAULT_CARD_DIR, DEFAULT_OUT_DIR, MECHANISM, SPECIES_MODEL_ID } from "./cli-paths.ts";
import { ingestImagenetSamples } from "./mechanism-catalog.ts";
import { NotEnoughDataError, runTrainingPipeline } from "./pipeline.ts";
import { DEFAULT_SPLIT } from "./split.ts";
import { runSpeciesPipeline } from "./species-pipeline.ts";

type Opts = { mechanismTest?: boolean; seed: string; views?: string; epochs?: string; out?: string; card?: string; cache: string; progress: boolean };

async function main(): Promise<number> {
  const o = new Command()
    .name("model:train")
    .description("Train the species head on the catalog's photos; export ONNX + model card")
    .option("--mechanism-test", "train on the 17 ImageNet samples (separate catalog under var/train/mechanism)")
    .option("--seed <n>", "split seed", "20261125")
    .option("--views <n>", "augmented views per training photo (species model: 2; mechanism test: 4)")
    .option("--epochs <n>", "fine-tuning epochs (species model; mechanism test: head epochs, 60)")
    .option("--out <dir>", "ONNX output folder")
    .option("--card <dir>", "model card folder")
    .option("--cache <dir>", "feature cache folder", DEFAULT_CACHE_DIR)
    .option("--no-progress", "no progress bar")
    .parse()
    .opts<Opts>();
  const s = settings();
  const mech = Boolean(o.mechanismTest);
  const databaseUrl = mech ? MECHANISM.databaseUrl : s.databaseUrl;
  const photoStore = mech ? path.resolve(MECHANISM.photoStore) : s.photoStore;
  if (mech) await applyMigrations(databaseUrl);
  const db = createCatalog(databaseUrl);
  try {
    if (mech) await ingestImagenetSamples(db, photoStore, s.backboneDir);
    const started = performance.now();
    if (!mech) {
      const r = await runSpeciesPipeline({
        db,
        photoStore,
        backboneDir: s.backboneDir,
        cacheDir: path.resolve(o.cache),
        outDir: path.resolve(o.out ?? DEFAULT_OUT_DIR),
        cardDir: path.resolve(o.card ?? DEFAULT_CARD_DIR),
        modelId: SPECIES_MODEL_ID,
        split: { seed: Number(o.seed) },
        augmentViews: o.views === undefined ? undefined : Number(o.views),
        finetune: o.epochs === undefined ? undefined : { epochs: Number(o.epochs) },
        progress: o.progress && process.stderr.isTTY,
        log: (l) => console.log(l),
      });
      const t = r.card.served;
      console.log(`wrote ${r.onnxFile}\nwrote ${r.cardJson}`);
      console.log(`served model on held-out test: top-1 ${(100 * t.species.top1).toFixed(1)}%, top-5 ${(100 * t.species.top5).toFixed(1)}%, ECE ${t.species.ece.toFixed(3)}, poisonous/deadly shown edible ${t.verdict.shownEdibleDangerous}`);
      console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    const r = await runTrainingPipeline({
      db,
      photoStore,
      backboneDir: s.backboneDir,
      backboneOnnx: runExport({ modelId: DEFAULT_MODEL_ID }).out,
      cacheDir: path.resolve(o.cache),
      outDir: path.resolve(o.out ?? (mech ? MECHANISM.dir : DEFAULT_OUT_DIR)),
      cardDir: path.resolve(o.card ?? (mech ? MECHANISM.cardDir : DEFAULT_CARD_DIR)),
      modelId: mech ? MECHANISM.modelId : SPECIES_MODEL_ID,
      split: { ...DEFAULT_SPLIT, seed: Number(o.seed) },
      train: { epochs: Number(o.epochs ?? 60) },
      augmentViews: Number(o.views ?? 4),
      mechanismTest: mech,
      progress: o.progress && process.stderr.isTTY,
      log: (l) => console.log(l),
    });
    const t = r.card.results.trained;
    console.log(`wrote ${r.onnxFile}\nwrote ${r.cardJson}`);
    console.log(`held-out test${mech ? " (MECHANISM TEST: originals of the training photos)" : ""}: top-1 ${(100 * t.top1).toFixed(1)}%, top-5 ${(100 * t.top5).toFixed(1)}%, macro-F1 ${t.macroF1.toFixed(3)}, ECE ${t.ece.toFixed(4)}, poisonous/deadly shown edible ${t.safety.dangerousShownEdible}/${t.safety.dangerousTruth}`);
    console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (e instanceof NotEnoughDataError) {
      console.error(`model:train refused: ${e.message}`);
      console.error(`No species model written. Database: ${databaseUrl.startsWith("file:") ? databaseUrl : "(postgresql)"}; photo store: ${photoStore}.`);
      return 2;
    }
    throw e;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main();
