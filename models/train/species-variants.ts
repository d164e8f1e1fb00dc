// The variants the card compares on one split, each scored on validation (for the choice) and test (reported):
// frozen features + head (linear probe), the last block fine-tuned on the class-token path (+ head), prototypes on
// the fine-tuned features, linear + prototype ensembles, each with and without test-time mirroring.
import { fitTemperature } from "./calibration.ts";
import { softmaxRows } from "./softmax.ts";
import { fitPrototypes, prototypeScores, type PrototypeHead } from "./prototype-head.ts";
import { meanPrototype } from "../../lib/identify/prototypes.ts";

/** Per-view logits for the orig and flip views of each evaluated photo. */
export type ViewLogits = { orig: Float32Array | Float64Array; flip: Float32Array | Float64Array };

/** Probabilities [n, C] of photos: softmax(logits / T), mirrored views averaged when `tta`. */
export function photoProbs(v: ViewLogits, C: number, T: number, tta: boolean): Float64Array {
  const a = softmaxRows(v.orig, C, T);
  if (!tta) return a;
  const b = softmaxRows(v.flip, C, T);
  for (let i = 0; i < a.length; i++) a[i] = 0.5 * (a[i]! + b[i]!);
  return a;
}

/** Mean NLL of set-valued labels. */
export function setNll(probs: Float64Array, allowed: readonly (readonly number[])[], C: number): number {
  let s = 0;
  allowed.forEach((al, n) => {
    let p = 0;
    for (const c of al) p += probs[n * C + c]!;
    s -= Math.log(Math.max(p, 1e-12));
  });
  return s / Math.max(1, allowed.length);
}

/** Temperature on single-class labels of the validation photos (TTA-aware: T fitted on the pooled probabilities). */
export function fitTemperatureFor(v: ViewLogits, labels: readonly number[], C: number, tta: boolean): number {
  if (!tta) return fitTemperature(v.orig, labels, C);
  let best = { T: 1, nll: Infinity };
  for (let T = 0.3; T <= 5; T *= 1.05) {
    const p = photoProbs(v, C, T, true);
    let nll = 0;
    labels.forEach((y, n) => (nll -= Math.log(Math.max(p[n * C + y]!, 1e-12))));
    if (nll < best.nll) best = { T, nll };
  }
  return best.T;
}

export type Ensemble = { alpha: number; protoTemperature: number };

/** Linear and prototype probabilities mixed: alpha · p_linear + (1 - alpha) · p_proto. */
export function mix(pLin: Float64Array, pProto: Float64Array, alpha: number): Float64Array {
  return Float64Array.from(pLin, (x, i) => alpha * x + (1 - alpha) * pProto[i]!);
}

export function prototypesFrom(feats: Float32Array, labels: readonly number[], C: number, D: number): PrototypeHead {
  return fitPrototypes(feats, labels, C, D);
}

export function prototypeViewLogits(proto: PrototypeHead, feats: { orig: Float32Array; flip: Float32Array }): ViewLogits {
  return { orig: prototypeScores(proto, feats.orig), flip: prototypeScores(proto, feats.flip) };
}

/** The served prototype head's taxa: the mean feature of each class over the training views labelled with it alone. */
export function taxonPrototypes(labels: readonly string[], views: readonly { feat: Float32Array; allowed: readonly number[] }[]): { name: string; vector: Float32Array; count: number }[] {
  const members = labels.map(() => [] as Float32Array[]);
  for (const v of views) if (v.allowed.length === 1) members[v.allowed[0]!]!.push(v.feat);
  return labels.flatMap((name, c) => {
    const vector = meanPrototype(members[c]!);
    return vector ? [{ name, vector, count: members[c]!.length }] : [];
  });
}
