// `model:train` for the species model, end to end: train and compare variants (species-train.ts), choose the abstain
// threshold on validation, ship the chosen model (committed artifacts + assembled ONNX), run the shipped ONNX on the
// test photos as the site does, and write the card. Pure of process.env and argv.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeSpeciesCard, type SpeciesCard, type VariantRow } from "../card/species-card.ts";
import { annotateLabel } from "../../lib/verdict/annotate.ts";
import { chooseAbstainThreshold, type Edibility } from "./metrics.ts";
import { overridesFromParams } from "./finetune/params.ts";
import { onnxPhotoProbs } from "./species-onnx-eval.ts";
import { evaluateSpecies, scoreSpecies, type EvalPhoto } from "./species-eval.ts";
import { readShippedPrototypes, shipSpeciesModel, SHIPPED_DIR } from "./species-export.ts";
import { fuseWithPrototypes, type PrototypeSet } from "../../lib/identify/prototypes.ts";
import { predict } from "./finetune/train.ts";
import type { TokenRecord } from "./finetune/token-cache.ts";
import { setNll, taxonPrototypes } from "./species-variants.ts";
import { trainSpeciesModel, type SpeciesTrainOptions } from "./species-train.ts";
import { evaluateUnseenSpecies, type UnseenPhoto } from "./species-unseen.ts";

export type SpeciesPipelineOptions = SpeciesTrainOptions & {
  modelId: string;
  outDir: string;
  cardDir: string;
  shippedDir?: string;
  abstainTargetAccuracy?: number;
  /** Folds of held-out species for "species the model lacks" (0 skips it). */
  unseenFolds?: number;
};

export async function runSpeciesPipeline(o: SpeciesPipelineOptions): Promise<{ card: SpeciesCard; onnxFile: string; cardJson: string }> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const r = await trainSpeciesModel(o);
  const { data, sides, chosen } = r;
  const C = r.dims.C;
  const evaluated = new Set(data.photos.filter((p) => p.side === "test" || p.side === "val").map((p) => p.speciesId));
  const labels = data.classes.map((c) => c.scientificName);
  const evalPhotos = (side: "val" | "test"): EvalPhoto[] =>
    sides[side].photo.map((i) => {
      const p = data.photos[i]!;
      return { taxon: p.taxon.scientificName, genus: p.taxon.genus, source: p.source, allowed: p.allowed, isClass: p.isClass };
    });
  const valPhotos = evalPhotos("val");
  const testPhotos = evalPhotos("test");

  // "Not sure" threshold on validation, from the site's own edibility (taxonomy + tables), clamped to the floor.
  const edibility = labels.map((l) => annotateLabel(l).edibility as Edibility);
  const valIdx = valPhotos.flatMap((p, n) => (p.isClass ? [n] : []));
  const valProbs = new Float64Array(valIdx.length * C);
  valIdx.forEach((n, k) => valProbs.set(chosen.probs.val.subarray(n * C, (n + 1) * C), k * C));
  const target = o.abstainTargetAccuracy ?? 0.9;
  const threshold = chooseAbstainThreshold({ probs: valProbs, labels: valIdx.map((n) => valPhotos[n]!.allowed[0]!), C }, edibility, target);
  const valCoverage = scoreSpecies(chosen.probs.val, valPhotos, C).conf.filter((x) => x >= threshold).length / Math.max(1, valIdx.length);

  // Ship the chosen model: committed artifacts, then the assembled ONNX.
  const fineTuned = chosen.name.startsWith("fine-tuned");
  const b = r.backbone;
  // The prototype head beside it: means of the served model's features over the training views of each class,
  // its temperature and the head's share chosen on validation with the very fusion the site runs. The share is
  // capped at 0.9 so that a taxon the head lacks, once a reviewer approves photos of it, can be recognised.
  const servedFeats = (recs: TokenRecord[]) => (fineTuned ? predict(r.params, recs, r.dims).feats : Float32Array.from(recs.flatMap((x) => Array.from(x.feat))));
  const trainFeats = servedFeats(r.train.map((x) => x.rec));
  const D = r.dims.D;
  const trainViews = r.train.map((x, i) => ({ feat: trainFeats.subarray(i * D, (i + 1) * D), allowed: x.allowed }));
  const protoTaxa = taxonPrototypes(labels, trainViews);
  const valFeats = servedFeats(sides.val.recs.orig);
  const fuseAll = (probs: Float64Array, feats: Float32Array, set: PrototypeSet) => {
    const out = new Float64Array(probs.length);
    for (let n = 0; n < probs.length / C; n++) out.set(fuseWithPrototypes(labels, probs.subarray(n * C, (n + 1) * C), feats.subarray(n * D, (n + 1) * D), set), n * C);
    return out;
  };
  let fusion = { temperature: 0.05, alpha: 0.9, valNll: Infinity };
  for (const temperature of [0.01, 0.015, 0.02, 0.03, 0.05, 0.08])
    for (const alpha of [0.5, 0.6, 0.7, 0.8, 0.9]) {
      const valNll = setNll(fuseAll(chosen.probs.val, valFeats, { dim: D, temperature, alpha, taxa: protoTaxa }), sides.val.allowed, C);
      if (valNll < fusion.valNll) fusion = { temperature, alpha, valNll };
    }
  const protoSet: PrototypeSet = { dim: D, temperature: fusion.temperature, alpha: fusion.alpha, taxa: protoTaxa };
  log(`prototype fusion: alpha ${fusion.alpha}, temperature ${fusion.temperature}: val NLL ${fusion.valNll.toFixed(3)} (head alone ${chosen.valNll.toFixed(3)})`);
  // Species the model lacks: the same recipe retrained without a fold of species, their photos through the verdict.
  const t1 = performance.now();
  const unseenPhotos: UnseenPhoto[] = (["val", "test"] as const).flatMap((side) => {
    const e = sides[side];
    const orig = side === "val" ? valFeats : servedFeats(e.recs.orig);
    const flip = servedFeats(e.recs.flip);
    return e.photo.flatMap((i, n) =>
      e.isClass[n] ? [{ classIndex: e.allowed[n]![0]!, side, source: data.photos[i]!.source, orig: orig.subarray(n * D, (n + 1) * D), flip: flip.subarray(n * D, (n + 1) * D) }] : [],
    );
  });
  const folds = o.unseenFolds ?? 5;
  const unseen =
    folds > 1
      ? evaluateUnseenSpecies({
          labels,
          eligible: data.classes.map((c) => c.rank === "SPECIES"),
          D,
          train: trainViews.map(({ feat, allowed }) => ({ rec: { feat }, allowed })),
          photos: unseenPhotos,
          probe: r.probeOptions,
          tta: chosen.tta,
          fusion: { alpha: fusion.alpha, temperature: fusion.temperature },
          abstainThreshold: threshold,
          folds,
          seed: data.splitOptions.seed,
        })
      : null;
  if (unseen) log(`species the model lacks (${folds} folds, ${unseen.photos} photos): ${JSON.stringify(unseen.outcomes)}`);
  const unseenSeconds = (performance.now() - t1) / 1000;
  const shipped = shipSpeciesModel(
    {
      modelId: o.modelId,
      variant: { name: chosen.name, tta: chosen.tta, fineTunedBlock: fineTuned ? b.block : null },
      labels,
      temperature: chosen.temperature,
      abstainThreshold: threshold,
      head: fineTuned ? { weight: r.params.wh, bias: r.params.bh } : { weight: r.probeHead.wh, bias: r.probeHead.bh },
      overrides: fineTuned ? overridesFromParams(r.params, b.weights.blocks[b.block]!, b.block, r.dims) : new Map(),
      card: path.relative(process.cwd(), path.join(o.cardDir, "card.json")),
      prototypes: {
        labels: protoTaxa.map((t) => t.name),
        counts: protoTaxa.map((t) => t.count),
        vectors: Float32Array.from(protoTaxa.flatMap((t) => Array.from(t.vector))),
        dim: D,
        temperature: fusion.temperature,
        alpha: fusion.alpha,
      },
    },
    o.backboneDir,
    o.shippedDir ?? SHIPPED_DIR,
  );
  mkdirSync(o.outDir, { recursive: true });
  const onnxFile = path.join(o.outDir, shipped.manifest.onnx.file);
  writeFileSync(`${onnxFile}.tmp-${process.pid}`, shipped.onnx);
  renameSync(`${onnxFile}.tmp-${process.pid}`, onnxFile);
  log(`shipped ${o.modelId}: ${path.join(o.shippedDir ?? SHIPPED_DIR, o.modelId)} -> ${onnxFile}`);

  // The served model's own numbers: the ONNX on the test photos, as the site runs it.
  const t0 = performance.now();
  const testFiles = sides.test.photo.map((i) => data.photos[i]!.imageFile);
  const served = await onnxPhotoProbs(shipped.onnx, testFiles);
  // What the site serves: the head fused with the shipped prototypes (read back from what was just written).
  const shippedProtos = readShippedPrototypes(path.join(o.shippedDir ?? SHIPPED_DIR, o.modelId)).set;
  const servedProbs = fuseAll(served.probs, served.features, shippedProtos);
  const servedEval = evaluateSpecies(servedProbs, testPhotos, labels, threshold);
  // The same model with float32 weights in the file: half precision must cost less than half a point.
  const f32Run = shipped.onnxFloat32 === shipped.onnx ? served : await onnxPhotoProbs(shipped.onnxFloat32, testFiles);
  const f32 = scoreSpecies(fuseAll(f32Run.probs, f32Run.features, shippedProtos), testPhotos, C);
  // ECE before calibration: the chosen variant at temperature 1.
  const before = r.variants.find((v) => v.name === chosen.name && v.tta === chosen.tta)!;
  servedEval.eceBeforeCalibration = scoreSpecies(before.probsUncalibrated.test, testPhotos, C).ece;
  const onnxEvalSeconds = (performance.now() - t0) / 1000;

  const variants: VariantRow[] = r.variants.map((v) => {
    const t = scoreSpecies(v.probs.test, testPhotos, C);
    return { name: v.name, tta: v.tta, served: v === chosen, temperature: v.temperature, valNll: v.valNll, valTop1: v.valTop1, test: { n: t.n, top1: t.top1, top5: t.top5, ece: t.ece, nll: t.nll } };
  });
  const count = (s: "train" | "val" | "test") => data.photos.filter((p) => p.side === s).length;
  const sourceCounts = new Map<string, number>();
  for (const p of data.photos) sourceCounts.set(p.source, (sourceCounts.get(p.source) ?? 0) + 1);
  const card: SpeciesCard = {
    kind: "species-model",
    modelId: o.modelId,
    createdAt: shipped.manifest.createdAt,
    model: {
      file: path.relative(o.cardDir, onnxFile),
      sha256: shipped.manifest.onnx.sha256,
      bytes: shipped.onnx.length,
      labels: C,
      temperature: chosen.temperature,
      abstainThreshold: threshold,
      tta: chosen.tta,
      variant: chosen.name,
      halfWeights: shipped.manifest.onnx.halfWeights,
      float32File: { bytes: shipped.onnxFloat32.length, top1: f32.top1, top5: f32.top5 },
    },
    data: {
      photos: data.photos.length,
      taxaWithPhotos: new Set(data.photos.map((p) => p.speciesId)).size,
      classes: C,
      genusLabels: data.genusLabels,
      split: {
        seed: data.splitOptions.seed,
        photos: { train: count("train"), val: count("val"), test: count("test") },
        groups: new Set(data.split.group).size,
        evaluatedSpecies: evaluated.size,
        trainOnlyTaxa: data.split.excludedSpecies.size,
        assignmentDigest: createHash("sha256")
          .update(data.photos.map((p) => `${p.contentHash} ${p.side ?? "none"}`).sort().join("\n"))
          .digest("hex"),
      },
      sources: [...sourceCounts].map(([key, photos]) => ({ key, photos })).sort((a, b2) => a.key.localeCompare(b2.key)),
      testPhotos: sides.test.photo.map((i) => ({ contentHash: data.photos[i]!.contentHash, taxon: data.photos[i]!.taxon.scientificName })),
    },
    training: {
      probeTrials: r.probeTrials,
      fineTune: { epochs: r.curve.length - 1, bestEpoch: r.bestEpoch, curve: r.curve, options: { ...r.finetuneOptions } },
      embed: r.embedStats,
    },
    variants,
    notMeasured: [
      { name: "448 px input (N=785)", reason: "embedding every view at 448 px costs ~4.5x the 224 px embedding on this 2-core CPU (~25 min), beyond the 10-minute training budget; it needs a GPU, and no device machine was lent this session" },
      { name: "fine-tuning with the WebGPU kernels", reason: "no GPU was available; the CPU path fine-tunes the last block on the class-token path" },
    ],
    served: servedEval,
    abstain: { threshold, targetAccuracy: target, valCoverage },
    ...(unseen ? { unseen: { ...unseen, probeEpochs: r.probeOptions.epochs, features: fineTuned ? "fine-tuned last block" : "frozen backbone" } } : {}),
    prototypes: { taxa: protoTaxa.length, temperature: fusion.temperature, alpha: fusion.alpha, valNll: fusion.valNll, headValNll: chosen.valNll },
    timings: { ...r.timings, "unseen-species": unseenSeconds, "ship+onnx-eval": onnxEvalSeconds, total: (performance.now() - started) / 1000 },
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
  delete card.timings.total;
  card.timings.total = (performance.now() - started) / 1000;
  const cardJson = writeSpeciesCard(card, o.cardDir);
  return { card, onnxFile, cardJson };
}
