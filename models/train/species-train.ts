// Trains the species model from the catalog and measures its variants on one grouped split (no process.env or
// argv here: the CLI passes everything in). Returns what export and the card need.
import type { Catalog } from "../../lib/catalog/client.ts";
import { embedTokens, openTokenBackbone, tokenCacheFile, type TokenBackbone } from "./finetune/embed-tokens.ts";
import { TokenCache, type TokenRecord } from "./finetune/token-cache.ts";
import { DEFAULT_FINETUNE, finetuneClsBlock, predict, type EpochLog, type FinetuneOptions, type Sample } from "./finetune/train.ts";
import { paramsFromBackbone } from "./finetune/params.ts";
import type { BlockParams, Dims } from "./finetune/cls-block.ts";
import { headLogitsOf, trainHead } from "./finetune/head-only.ts";
import { loadSpeciesData, viewsOf, type SpeciesData } from "./species-data.ts";
import { softmaxRows } from "./softmax.ts";
import { fitTemperatureFor, mix, photoProbs, prototypeViewLogits, prototypesFrom, setNll, type ViewLogits } from "./species-variants.ts";
import type { PrototypeHead } from "./prototype-head.ts";
import type { SplitName, SplitOptions } from "./split.ts";
import { NotEnoughDataError } from "./pipeline.ts";

export type SpeciesTrainOptions = {
  db: Catalog;
  photoStore: string;
  backboneDir: string;
  cacheDir?: string;
  split?: Partial<SplitOptions>;
  augmentViews?: number;
  augmentSeed?: number;
  finetune?: Partial<FinetuneOptions>;
  probe?: Partial<FinetuneOptions>;
  /** Probe lengths tried; the lowest validation NLL wins. */
  probeEpochs?: number[];
  progress?: boolean;
  log?: (line: string) => void;
};

export type EvalSide = { photo: number[]; recs: { orig: TokenRecord[]; flip: TokenRecord[] }; allowed: number[][]; isClass: boolean[] };

export type VariantScore = {
  name: string;
  tta: boolean;
  temperature: number;
  valNll: number;
  valTop1: number;
  probs: { val: Float64Array; test: Float64Array };
  /** Test probabilities at temperature 1 (ECE before calibration). */
  probsUncalibrated: { test: Float64Array };
};

export type SpeciesTrainResult = {
  data: SpeciesData;
  dims: Dims;
  backbone: TokenBackbone;
  params: BlockParams;
  probeHead: { wh: Float32Array; bh: Float32Array };
  probeTrials: { epochs: number; valNll: number }[];
  /** The options of the probe kept (the trial with the lowest validation NLL). */
  probeOptions: FinetuneOptions;
  prototypes: PrototypeHead;
  protoTemperature: number;
  variants: VariantScore[];
  chosen: VariantScore;
  ensembleAlpha: number | null;
  curve: EpochLog[];
  bestEpoch: number;
  finetuneOptions: FinetuneOptions;
  /** Training views (records and their allowed classes): the shipped prototypes are built from them. */
  train: Sample[];
  sides: Record<"val" | "test", EvalSide>;
  timings: Record<string, number>;
  embedStats: Record<string, { requested: number; cached: number; computed: number }>;
};

function top1(probs: Float64Array, allowed: readonly (readonly number[])[], C: number): number {
  let hit = 0;
  allowed.forEach((al, n) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[n * C + c]! > probs[n * C + best]!) best = c;
    if (al.includes(best)) hit++;
  });
  return hit / Math.max(1, allowed.length);
}

export async function trainSpeciesModel(o: SpeciesTrainOptions): Promise<SpeciesTrainResult> {
  const log = o.log ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (k: string) => {
    const now = performance.now();
    timings[k] = (now - t0) / 1000;
    t0 = now;
  };
  const data = await loadSpeciesData(o.db, o.photoStore, o.split);
  const C = data.classes.length;
  const evaluated = new Set(data.photos.filter((p) => p.side === "test" || p.side === "val").map((p) => p.speciesId));
  if (C < 2 || evaluated.size < 2) {
    throw new NotEnoughDataError(
      `not enough photos to train: the catalog has ${data.totalTaxa} species and ${data.photos.length} approved photos; ${evaluated.size} taxa have 3+ independent photos. ` +
        `Training needs at least 2 species with 3+ independent photos each (one for each of train, validation and test).`,
    );
  }
  lap("catalog+split");
  const count = (s: SplitName) => data.photos.filter((p) => p.side === s).length;
  log(`${data.photos.length} photos, ${C} classes (${data.genusLabels.length} genus labels supervised through their species); photos train ${count("train")}, val ${count("val")}, test ${count("test")}`);

  const backbone = await openTokenBackbone(o.backboneDir);
  const cache = new TokenCache(o.cacheDir ? tokenCacheFile(o.cacheDir, backbone) : undefined, backbone.N, backbone.D);
  const seed = o.augmentSeed ?? 1;
  const augmentViews = o.augmentViews ?? 2;
  const embedStats: SpeciesTrainResult["embedStats"] = {};
  const embed = async (side: SplitName) => {
    const { views, photo } = viewsOf(data.photos, side, augmentViews);
    const r = await embedTokens(backbone, cache, views, { seed, progress: o.progress, label: side });
    embedStats[side] = r.stats;
    return { views, photo, recs: r.records };
  };
  const tr = await embed("train");
  const evalSide = async (side: "val" | "test"): Promise<EvalSide> => {
    const e = await embed(side);
    const orig: TokenRecord[] = [];
    const flip: TokenRecord[] = [];
    const photo: number[] = [];
    e.views.forEach((v, i) => {
      if (v.view === "orig") {
        orig.push(e.recs[i]!);
        photo.push(e.photo[i]!);
      } else flip.push(e.recs[i]!);
    });
    return { photo, recs: { orig, flip }, allowed: photo.map((i) => data.photos[i]!.allowed), isClass: photo.map((i) => data.photos[i]!.isClass) };
  };
  const sides = { val: await evalSide("val"), test: await evalSide("test") };
  await backbone.session.release();
  lap("embed");

  const D = backbone.D;
  const dims: Dims = { N: backbone.N, D, H: backbone.meta.numHeads, M: backbone.meta.mlpDim, C, eps: backbone.meta.layerNormEps };
  const train: Sample[] = tr.recs.map((rec, i) => ({ rec, allowed: data.photos[tr.photo[i]!]!.allowed })).filter((s) => s.allowed.length > 0);
  const valLabels = sides.val.allowed;
  const classLabels = (s: EvalSide) => s.allowed.map((a, n) => (s.isClass[n] ? a[0]! : -1));

  // (A) linear probe on the frozen backbone features; its length is chosen on validation NLL (it overfits fast).
  const featsOf = (recs: TokenRecord[]) => {
    const f = new Float32Array(recs.length * D);
    recs.forEach((r, i) => f.set(r.feat, i * D));
    return f;
  };
  const valFeats = featsOf(sides.val.recs.orig);
  const probeTrials: { epochs: number; valNll: number; head: ReturnType<typeof trainHead>; options: FinetuneOptions }[] = [];
  for (const epochs of o.probeEpochs ?? [3, 5, 8]) {
    const options: FinetuneOptions = { ...DEFAULT_FINETUNE, lrHead: 3e-3, weightDecay: 1e-4, ...o.probe, epochs };
    const head = trainHead(train, C, D, options);
    const valNll = setNll(softmaxRows(headLogitsOf(head, valFeats, C, D), C, 1), valLabels, C);
    probeTrials.push({ epochs, valNll, head, options });
    log(`linear probe, ${epochs} epochs: val NLL ${valNll.toFixed(3)}`);
  }
  const bestProbe = [...probeTrials].sort((a, b2) => a.valNll - b2.valNll)[0]!;
  const probeHead = bestProbe.head;
  const probeLogits = (s: EvalSide): ViewLogits => ({ orig: headLogitsOf(probeHead, featsOf(s.recs.orig), C, D), flip: headLogitsOf(probeHead, featsOf(s.recs.flip), C, D) });
  lap("probe");

  // (B) last block fine-tuned on the class-token path, head warm-started from the probe (LP-FT).
  const b = backbone.weights;
  const init = paramsFromBackbone(b.blocks[backbone.block]!, b.norm, { weight: probeHead.wh, bias: probeHead.bh }, dims);
  const finetuneOptions: FinetuneOptions = { ...DEFAULT_FINETUNE, ...o.finetune };
  const ft = finetuneClsBlock(init, train, { recs: sides.val.recs.orig, allowed: valLabels }, dims, finetuneOptions, (e) =>
    log(`fine-tune epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(3)}, val NLL ${e.valNll.toFixed(3)}, val top-1 ${(100 * e.valTop1).toFixed(1)}% (${e.seconds.toFixed(0)} s)`),
  );
  const ftPred = (s: EvalSide) => ({ orig: predict(ft.params, s.recs.orig, dims), flip: predict(ft.params, s.recs.flip, dims) });
  const ftVal = ftPred(sides.val);
  const ftTest = ftPred(sides.test);
  lap("finetune");

  // (C) prototypes on the fine-tuned features of the training views.
  const trainFeats = predict(ft.params, train.map((s) => s.rec), dims).feats;
  const single = train.map((s) => (s.allowed.length === 1 ? s.allowed[0]! : -1));
  const keep = single.flatMap((y, i) => (y >= 0 ? [i] : []));
  const protoFeats = new Float32Array(keep.length * D);
  keep.forEach((i, k) => protoFeats.set(trainFeats.subarray(i * D, (i + 1) * D), k * D));
  const prototypes = prototypesFrom(protoFeats, keep.map((i) => single[i]!), C, D);
  const protoVal = prototypeViewLogits(prototypes, { orig: ftVal.orig.feats, flip: ftVal.flip.feats });
  const protoTest = prototypeViewLogits(prototypes, { orig: ftTest.orig.feats, flip: ftTest.flip.feats });

  const valY = classLabels(sides.val).filter((y) => y >= 0);
  const onlyClass = (v: ViewLogits, s: EvalSide): ViewLogits => {
    const idx = s.isClass.flatMap((b2, n) => (b2 ? [n] : []));
    const pick = (x: Float32Array | Float64Array) => {
      const out = new Float64Array(idx.length * C);
      idx.forEach((n, k) => out.set(x.subarray(n * C, (n + 1) * C), k * C));
      return out;
    };
    return { orig: pick(v.orig), flip: pick(v.flip) };
  };
  const variants: VariantScore[] = [];
  const score = (name: string, val: ViewLogits, test: ViewLogits, tta: boolean) => {
    const T = fitTemperatureFor(onlyClass(val, sides.val), valY, C, tta);
    const pv = photoProbs(val, C, T, tta);
    const v: VariantScore = {
      name,
      tta,
      temperature: T,
      valNll: setNll(pv, valLabels, C),
      valTop1: top1(pv, valLabels, C),
      probs: { val: pv, test: photoProbs(test, C, T, tta) },
      probsUncalibrated: { test: photoProbs(test, C, 1, tta) },
    };
    variants.push(v);
    log(`${name}${tta ? " + mirror TTA" : ""}: val NLL ${v.valNll.toFixed(3)}, val top-1 ${(100 * v.valTop1).toFixed(1)}% (T ${T.toFixed(2)})`);
    return v;
  };
  const ftLogits = (p: typeof ftVal): ViewLogits => ({ orig: p.orig.logits, flip: p.flip.logits });
  for (const tta of [false, true]) {
    score("linear probe (frozen backbone)", probeLogits(sides.val), probeLogits(sides.test), tta);
    score(ft.bestEpoch > 0 ? "fine-tuned last block + head" : "fine-tuned last block + head (no epoch beat the probe on validation: the probe)", ftLogits(ftVal), ftLogits(ftTest), tta);
    score("prototypes (fine-tuned features)", protoVal, protoTest, tta);
  }
  // (D) linear + prototype ensemble: mixing weight chosen on validation NLL.
  const lin = variants.filter((v) => v.name.startsWith("fine-tuned"));
  const pro = variants.filter((v) => v.name.startsWith("prototypes"));
  let ensembleAlpha: number | null = null;
  for (const tta of [false, true]) {
    const l = lin.find((v) => v.tta === tta)!;
    const p = pro.find((v) => v.tta === tta)!;
    let best = { alpha: 1, nll: Infinity };
    for (let a = 0; a <= 1.0001; a += 0.1) {
      const nll = setNll(mix(l.probs.val, p.probs.val, a), valLabels, C);
      if (nll < best.nll) best = { alpha: a, nll };
    }
    const pv = mix(l.probs.val, p.probs.val, best.alpha);
    const test = mix(l.probs.test, p.probs.test, best.alpha);
    variants.push({ name: `ensemble ${best.alpha.toFixed(1)} x fine-tuned + ${(1 - best.alpha).toFixed(1)} x prototypes`, tta, temperature: l.temperature, valNll: best.nll, valTop1: top1(pv, valLabels, C), probs: { val: pv, test }, probsUncalibrated: { test } });
    log(`${variants.at(-1)!.name}${tta ? " + TTA" : ""}: val NLL ${best.nll.toFixed(3)}, val top-1 ${(100 * variants.at(-1)!.valTop1).toFixed(1)}%`);
    if (tta) ensembleAlpha = best.alpha;
  }
  // Chosen among what every backend serves (a head on the class feature, with or without the mirrored view);
  // prototype and ensemble rows are measured for the card.
  // A fine-tuning whose best validation epoch is 0 is the probe itself: the simpler model is served then.
  const servable = variants.filter((v) => v.name.startsWith("linear probe") || (v.name.startsWith("fine-tuned") && ft.bestEpoch > 0));
  const chosen = [...servable].sort((a, b2) => a.valNll - b2.valNll)[0]!;
  log(`chosen on validation NLL: ${chosen.name}${chosen.tta ? " + TTA" : ""}`);
  lap("variants");
  return {
    data,
    dims,
    backbone,
    params: ft.params,
    probeHead,
    probeTrials: probeTrials.map(({ epochs, valNll }) => ({ epochs, valNll })),
    probeOptions: bestProbe.options,
    prototypes,
    protoTemperature: pro.find((v) => v.tta === chosen.tta)!.temperature,
    variants,
    chosen,
    ensembleAlpha,
    curve: ft.curve,
    finetuneOptions,
    train,
    bestEpoch: ft.bestEpoch,
    sides,
    timings,
    embedStats,
  };
}
