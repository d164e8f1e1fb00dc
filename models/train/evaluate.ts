// Recomputes a model card's held-out numbers from the shipped ONNX file alone: the test photos named in the card are
// read from the catalog, preprocessed with the plain centre crop and run end to end through onnxruntime-node.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { Catalog } from "../../lib/catalog/client.ts";
import { parseModelMeta } from "../../lib/vit/model-meta.ts";
import { readOnnxModel } from "../../lib/vit/onnx/read.ts";
import { preprocessImageFile } from "../../lib/vit/preprocess-node.ts";
import type { ModelCard } from "../card/card.ts";
import { readSpeciesExtras } from "./export-species.ts";
import { evaluatePredictions, type Edibility, type Evaluation } from "./metrics.ts";

export type Reproduction = { evaluation: Evaluation; mismatches: string[]; rows: { metric: string; card: number; recomputed: number }[] };

/** Absolute tolerance for continuous metrics (ONNX end to end vs cached features + TS head: float32 noise). */
export const REPRODUCE_TOLERANCE = 1e-4;

export async function reproduceCard(card: ModelCard, cardDir: string, db: Catalog, photoStore: string, batchSize = 16): Promise<Reproduction> {
  const bytes = readFileSync(path.resolve(cardDir, card.model.file));
  const meta = parseModelMeta(readOnnxModel(bytes).metadata);
  const extras = readSpeciesExtras(bytes);
  const C = meta.labels.length;
  const rows = await db.photo.findMany({ where: { contentHash: { in: card.split.testPhotos.map((p) => p.contentHash) } } });
  const byHash = new Map(rows.map((r) => [r.contentHash, r]));
  const labels = card.split.testPhotos.map((p) => {
    const c = meta.labels.indexOf(p.label);
    if (c < 0) throw new Error(`test photo ${p.contentHash}: label "${p.label}" is not in the model`);
    if (!byHash.has(p.contentHash)) throw new Error(`test photo ${p.contentHash} is not in the catalog`);
    return c;
  });
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const S = meta.imageSize;
  const probs = new Float32Array(labels.length * C);
  for (let start = 0; start < labels.length; start += batchSize) {
    const chunk = card.split.testPhotos.slice(start, start + batchSize);
    const batch = new Float32Array(chunk.length * 3 * S * S);
    const tensors = await Promise.all(chunk.map((p) => { const r = byHash.get(p.contentHash)!; return preprocessImageFile(path.resolve(photoStore, r.trainPath ?? r.filePath), meta); }));
    tensors.forEach((t, k) => batch.set(t, k * 3 * S * S));
    const out = await session.run({ pixel_values: new ort.Tensor("float32", batch, [chunk.length, 3, S, S]) });
    probs.set(out.probs!.data as Float32Array, start * C);
  }
  await session.release();
  const evaluation = evaluatePredictions({ probs, labels, C }, meta.labels, extras.edibility as Edibility[], extras.abstainThreshold);
  return { evaluation, ...compare(card.results.trained, evaluation) };
}

function compare(card: Evaluation, now: Evaluation): { mismatches: string[]; rows: Reproduction["rows"] } {
  const pairs: [string, number, number, number][] = [
    ["n", card.n, now.n, 0],
    ["top1", card.top1, now.top1, 0],
    ["top5", card.top5, now.top5, 0],
    ["macroF1", card.macroF1, now.macroF1, 0],
    ["ece", card.ece, now.ece, REPRODUCE_TOLERANCE],
    ["nll", card.nll, now.nll, REPRODUCE_TOLERANCE],
    ["dangerousShownEdible", card.safety.dangerousShownEdible, now.safety.dangerousShownEdible, 0],
    ["edibleShownDangerous", card.safety.edibleShownDangerous, now.safety.edibleShownDangerous, 0],
    ["abstainCoverage", card.abstain.coverage, now.abstain.coverage, 0],
    ["abstainAccuracy", card.abstain.selectiveAccuracy, now.abstain.selectiveAccuracy, 0],
  ];
  // Discrete metrics are ratios of counts: equal up to float formatting.
  const mismatches = pairs.filter(([, a, b, tol]) => !(Math.abs(a - b) <= Math.max(tol, 1e-9))).map(([k, a, b]) => `${k}: card ${a}, recomputed ${b}`);
  return { mismatches, rows: pairs.map(([metric, c, r]) => ({ metric, card: c, recomputed: r })) };
}
