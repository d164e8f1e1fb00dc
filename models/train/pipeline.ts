// The training run, end to end: catalog photos -> grouped split -> cached backbone features (augmented for train) ->
// linear species head (+ prototype head) -> temperature and abstain threshold on validation -> held-out evaluation ->
// ONNX export and model card. Pure of process.env and argv: the CLI and tests pass everything in.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Catalog } from "../../lib/catalog/client.ts";
import { fitTemperature } from "./calibration.ts";
import { readTrainingPhotos, type TrainPhoto, type TrainSpecies } from "./catalog-photos.ts";
import { photoDhash, type PhotoDhash } from "./dhash.ts";
import { cacheFileFor, embedViews, openBackbone, type EmbedStats, type ViewRequest } from "./embed.ts";
import { exportSpeciesModel } from "./export-species.ts";
import { FeatureCache } from "./feature-cache.ts";
import { headLogits, trainLinearHead, type LinearHead, type TrainOptions, DEFAULT_TRAIN } from "./linear-head.ts";
import { chooseAbstainThreshold, evaluatePredictions, type Edibility, type Evaluation } from "./metrics.ts";
import { onnxGradientEngine } from "./head-grad-onnx.ts";
import { fitPrototypes, prototypeScores } from "./prototype-head.ts";
import { meanNll, softmaxRows } from "./softmax.ts";
import { assertSplitIsGrouped, DEFAULT_SPLIT, splitPhotos, type SplitName, type SplitOptions } from "./split.ts";
import { writeModelCard, type ModelCard } from "../card/card.ts";

export const MIN_SPECIES = 2;

export class NotEnoughDataError extends Error {}

export type PipelineOptions = {
  db: Catalog;
  photoStore: string;
  backboneDir: string;
  /** The exported backbone ONNX (any head) whose "features" output is embedded. */
  backboneOnnx: string;
  cacheDir?: string;
  outDir: string;
  cardDir: string;
  modelId: string;
  split?: SplitOptions;
  train?: Partial<TrainOptions>;
  /** Weight decays tried; the one with the lowest calibrated validation NLL is kept. */
  weightDecays?: number[];
  augmentViews?: number;
  augmentSeed?: number;
  /** Target accuracy of answered validation photos when choosing the abstain threshold. */
  abstainTargetAccuracy?: number;
  /**
   * Mechanism test (one photo per class): train on augmented views, validate on other augmented views, test on the
   * original photos. Not a generalisation estimate: every test photo's own pixels were seen in training.
   */
  mechanismTest?: boolean;
  progress?: boolean;
  log?: (line: string) => void;
};

export type PipelineResult = { card: ModelCard; head: LinearHead; onnxFile: string; cardJson: string; timings: Record<string, number> };

type Views = { reqs: ViewRequest[]; labels: number[] };

function viewsFor(photos: TrainPhoto[], classOf: Map<number, number>, views: (ViewRequest["view"])[]): Views {
  const reqs: ViewRequest[] = [];
  const labels: number[] = [];
  for (const p of photos)
    for (const view of views) {
      reqs.push({ contentHash: p.contentHash, imageFile: p.imageFile, view });
      labels.push(classOf.get(p.speciesId)!);
    }
  return { reqs, labels };
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

export async function runTrainingPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const log = o.log ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - t0) / 1000;
    t0 = now;
  };
  const splitOpts = { ...DEFAULT_SPLIT, ...o.split };
  const augmentViews = o.augmentViews ?? 4;
  const augmentSeed = o.augmentSeed ?? 1;

  const snap = await readTrainingPhotos(o.db, o.photoStore);
  lap("catalog");
  const dh: PhotoDhash[] = [];
  // Bounded concurrency: thousands of simultaneous decodes would only queue in sharp's pool and hold memory.
  for (let i = 0; i < snap.photos.length; i += 32) dh.push(...(await Promise.all(snap.photos.slice(i, i + 32).map((p) => photoDhash(p.thumbFile)))));
  const items = snap.photos.map((p, i) => ({ contentHash: p.contentHash, speciesId: p.speciesId, dhash: dh[i]! }));
  const split = splitPhotos(items, o.mechanismTest ? { ...splitOpts, minGroupsPerSpecies: 1 } : splitOpts);
  assertSplitIsGrouped(items, split, splitOpts.nearDuplicateBits);
  lap("split");

  const trainedIds = [...new Set(snap.photos.filter((_, i) => split.side[i]).map((p) => p.speciesId))];
  const classes: TrainSpecies[] = trainedIds.map((id) => snap.species.get(id)!).sort((a, b) => a.scientificName.localeCompare(b.scientificName));
  const minGroups = splitOpts.minGroupsPerSpecies ?? 3;
  if (classes.length < MIN_SPECIES) {
    throw new NotEnoughDataError(
      `not enough photos to train: the catalog has ${snap.totalSpecies} species and ${snap.photos.length} approved photos; ` +
        `${classes.length} species have at least ${minGroups} independent photos (after grouping near-duplicates). ` +
        `Training needs at least ${MIN_SPECIES} species with ${minGroups}+ independent photos each (one for each of train, validation and test); ` +
        `the accuracy goals need far more (tens of photos per species).`,
    );
  }
  const classOf = new Map(classes.map((s, i) => [s.id, i]));
  const C = classes.length;
  const bySide = (s: SplitName) => snap.photos.filter((_, i) => split.side[i] === s);
  const sides = o.mechanismTest
    ? { train: viewsFor(bySide("train"), classOf, range(0, augmentViews)), val: viewsFor(bySide("train"), classOf, range(augmentViews, Math.max(2, augmentViews >> 1))), test: viewsFor(bySide("train"), classOf, ["orig"]) }
    : { train: viewsFor(bySide("train"), classOf, ["orig", ...range(0, augmentViews)]), val: viewsFor(bySide("val"), classOf, ["orig"]), test: viewsFor(bySide("test"), classOf, ["orig"]) };
  log(`${snap.photos.length} approved photos, ${C} species trained; views: train ${sides.train.reqs.length}, val ${sides.val.reqs.length}, test ${sides.test.reqs.length}`);

  const backbone = await openBackbone(o.backboneOnnx);
  const D = backbone.dim;
  const cache = new FeatureCache(o.cacheDir ? cacheFileFor(o.cacheDir, backbone) : undefined, D);
  const embedStats: Record<string, EmbedStats> = {};
  const feats: Record<SplitName, Float32Array> = { train: new Float32Array(), val: new Float32Array(), test: new Float32Array() };
  for (const s of ["train", "val", "test"] as const) {
    const r = await embedViews(backbone, cache, sides[s].reqs, { augmentSeed, progress: o.progress, label: s });
    feats[s] = r.features;
    embedStats[s] = r.stats;
  }
  await backbone.session.release();
  lap("embed");

  // Weight decay chosen on validation (calibrated NLL); the test split is not looked at until the end.
  const grid = o.weightDecays ?? [1e-4, 1e-3, 1e-2];
  const engine = await onnxGradientEngine();
  const trials: { weightDecay: number; valTop1: number; valNll: number; temperature: number; head: LinearHead; lossCurve: number[] }[] = [];
  for (const weightDecay of grid) {
    const { head, lossCurve } = await trainLinearHead(feats.train, sides.train.labels, C, D, { ...DEFAULT_TRAIN, ...o.train, weightDecay }, engine);
    const logits = headLogits(head, feats.val);
    const temperature = fitTemperature(logits, sides.val.labels, C);
    const probs = softmaxRows(logits, C, temperature);
    const valTop1 = sides.val.labels.filter((y, n) => probs.subarray(n * C, (n + 1) * C).indexOf(Math.max(...probs.subarray(n * C, (n + 1) * C))) === y).length / sides.val.labels.length;
    trials.push({ weightDecay, valTop1, valNll: meanNll(logits, sides.val.labels, C, temperature), temperature, head, lossCurve });
  }
  await engine.release();
  const best = [...trials].sort((a, b) => a.valNll - b.valNll)[0]!;
  lap("train");

  const edibility = classes.map((s) => s.edibility as Edibility);
  const labels = classes.map((s) => s.scientificName);
  const valLogits = headLogits(best.head, feats.val);
  const valProbs = softmaxRows(valLogits, C, best.temperature);
  const abstainTarget = o.abstainTargetAccuracy ?? 0.9;
  const threshold = chooseAbstainThreshold({ probs: valProbs, labels: sides.val.labels, C }, edibility, abstainTarget);
  const valEval = evaluatePredictions({ probs: valProbs, labels: sides.val.labels, C }, labels, edibility, threshold);

  const testProbs = softmaxRows(headLogits(best.head, feats.test), C, best.temperature);
  const trained = evaluatePredictions({ probs: testProbs, labels: sides.test.labels, C }, labels, edibility, threshold);

  const proto = fitPrototypes(feats.train, sides.train.labels, C, D);
  const protoT = fitTemperature(prototypeScores(proto, feats.val), sides.val.labels, C);
  const protoValProbs = softmaxRows(prototypeScores(proto, feats.val), C, protoT);
  const protoThreshold = chooseAbstainThreshold({ probs: protoValProbs, labels: sides.val.labels, C }, edibility, abstainTarget);
  const prototype = evaluatePredictions({ probs: softmaxRows(prototypeScores(proto, feats.test), C, protoT), labels: sides.test.labels, C }, labels, edibility, protoThreshold);
  lap("evaluate");

  mkdirSync(o.outDir, { recursive: true });
  const onnxFile = path.resolve(o.outDir, `${o.modelId}.onnx`);
  const bytes = exportSpeciesModel({
    backboneDir: o.backboneDir,
    modelId: o.modelId,
    head: best.head,
    labels,
    temperature: best.temperature,
    extras: {
      speciesIds: classes.map((s) => s.id),
      slugs: classes.map((s) => s.slug),
      edibility,
      abstainThreshold: threshold,
      trainingRun: `${o.mechanismTest ? "mechanism-test" : "species"} split seed ${splitOpts.seed}; card ${path.basename(o.cardDir)}/card.json`,
    },
  });
  const tmp = `${onnxFile}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, onnxFile);
  writeFileSync(path.join(o.outDir, `${o.modelId}.prototypes.json`), JSON.stringify({ labels, speciesIds: classes.map((s) => s.id), dim: D, temperature: protoT, prototypes: Array.from(proto.prototypes, (v) => Number(v.toFixed(7))) }));
  lap("export");

  const testPhotos = bySide(o.mechanismTest ? "train" : "test");
  // In the mechanism test every photo serves all three sides (as different views).
  const counts = (s: SplitName) => snap.photos.filter((_, i) => split.side[i] === (o.mechanismTest ? "train" : s)).length;
  const sourceStats = new Map<string, { key: string; name: string; licence: string; photos: number }>();
  for (const p of snap.photos.filter((_, i) => split.side[i]))
    for (const og of p.origins) {
      const k = `${og.sourceKey}\u0000${og.licence}`;
      const e = sourceStats.get(k) ?? { key: og.sourceKey, name: og.sourceName, licence: og.licence, photos: 0 };
      e.photos++;
      sourceStats.set(k, e);
    }
  const card: ModelCard = {
    kind: o.mechanismTest ? "mechanism-test" : "species-model",
    modelId: o.modelId,
    createdAt: new Date().toISOString(),
    model: { file: path.relative(o.cardDir, onnxFile), sha256: createHash("sha256").update(bytes).digest("hex"), labels, speciesIds: classes.map((s) => s.id), temperature: best.temperature, abstainThreshold: threshold },
    data: {
      speciesInCatalog: snap.totalSpecies,
      approvedPhotos: snap.photos.length,
      speciesTrained: C,
      photosUsed: snap.photos.filter((_, i) => split.side[i]).length,
      excludedSpecies: [...split.excludedSpecies].map(([id, groups]) => ({ scientificName: snap.species.get(id)!.scientificName, independentPhotos: groups })),
      sources: [...sourceStats.values()],
    },
    split: {
      seed: splitOpts.seed,
      valFraction: splitOpts.valFraction,
      testFraction: splitOpts.testFraction,
      nearDuplicateBits: splitOpts.nearDuplicateBits ?? 6,
      groups: new Set(split.group).size,
      photos: { train: counts("train"), val: counts("val"), test: counts("test") },
      views: { train: sides.train.reqs.length, val: sides.val.reqs.length, test: sides.test.reqs.length },
      mechanismNote: o.mechanismTest
        ? "MECHANISM TEST: one photo per class. Train = augmented views 0..k-1, validation = other augmented views, test = the original photos. Every test photo's pixels were seen (augmented) in training, so these numbers show the pipeline works, not how well it generalises."
        : undefined,
      // sha256 over "hash side" lines sorted by hash: two runs with equal digests split the catalog identically.
      assignmentDigest: createHash("sha256")
        .update(snap.photos.map((p, i) => `${p.contentHash} ${split.side[i] ?? "excluded"}`).sort().join("\n"))
        .digest("hex"),
      valPhotos: bySide("val").map((p) => p.contentHash),
      testPhotos: testPhotos.map((p) => ({ contentHash: p.contentHash, label: labels[classOf.get(p.speciesId)!]! })),
    },
    features: { backboneFingerprint: backbone.fingerprint, augmentViews, augmentSeed, embed: embedStats },
    head: { kind: `multinomial logistic regression (class-balanced CE, L2, Adam; gradients by ${engine.name})`, train: { ...DEFAULT_TRAIN, ...o.train, weightDecay: best.weightDecay }, trials: trials.map(({ weightDecay, valTop1, valNll, temperature }) => ({ weightDecay, valTop1, valNll, temperature })), lossFirst: best.lossCurve[0]!, lossLast: best.lossCurve.at(-1)! },
    calibration: { temperature: best.temperature, valNllBefore: meanNll(valLogits, sides.val.labels, C, 1), valNllAfter: best.valNll },
    abstain: { threshold, targetAccuracy: abstainTarget, valCoverage: valEval.abstain.coverage, valSelectiveAccuracy: valEval.abstain.selectiveAccuracy },
    results: { trained, prototype, prototypeTemperature: protoT, fineTuned: { status: "not done", reason: "Fine-tuning the last transformer blocks with the WebGPU kernels (lib/attention backward) is not implemented in this pipeline; only frozen-backbone heads are trained." } },
    timings,
  };
  const cardJson = writeModelCard(card, o.cardDir);
  return { card, head: best.head, onnxFile, cardJson, timings };
}

export type { Evaluation };
