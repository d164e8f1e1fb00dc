// Fine-tunes the class-token path of the last block together with the species head: AdamW with a warm-up and
// cosine decay, class-balanced (square-root) weights, label smoothing, and set-valued labels for photos named only
// at a higher rank (a genus-labelled photo is supervised by the marginal likelihood of its genus's classes).
// The epoch with the lowest validation NLL is kept.
import { seededRandom, shuffleInPlace } from "../rng.ts";
import { backward, forward, PARAM_NAMES, Workspace, zerosLike, type BlockParams, type Dims, type ParamName } from "./cls-block.ts";
import { decodeHalf } from "../../../lib/vit/onnx/half.ts";
import type { TokenRecord } from "./token-cache.ts";

export type Sample = { rec: TokenRecord; /** Classes the label allows: one for a species, several for a genus label. */ allowed: readonly number[] };

export type FinetuneOptions = {
  epochs: number;
  batch: number;
  lrBlock: number;
  lrHead: number;
  weightDecay: number;
  labelSmoothing: number;
  warmupEpochs: number;
  seed: number;
};

export const DEFAULT_FINETUNE: FinetuneOptions = { epochs: 6, batch: 64, lrBlock: 3e-5, lrHead: 5e-4, weightDecay: 0.05, labelSmoothing: 0.1, warmupEpochs: 1, seed: 1 };

export type EpochLog = { epoch: number; trainLoss: number; valNll: number; valTop1: number; seconds: number };

const HEAD: ReadonlySet<ParamName> = new Set(["wh", "bh"]);
const DECAYED: ReadonlySet<ParamName> = new Set(["wq", "wk", "wv", "wo", "w1", "w2", "wh"]);

export function cloneParams(p: BlockParams): BlockParams {
  return Object.fromEntries(PARAM_NAMES.map((k) => [k, Float32Array.from(p[k])])) as unknown as BlockParams;
}

/** Square-root class balancing: a species with n views weighs 1/√n per view (normalised to mean 1). */
export function sampleWeights(samples: readonly { allowed: readonly number[] }[], C: number): Float64Array {
  const counts = new Float64Array(C);
  for (const s of samples) for (const c of s.allowed) counts[c]! += 1 / s.allowed.length;
  const w = Float64Array.from(samples, (s) => {
    let inv = 0;
    for (const c of s.allowed) inv += 1 / Math.sqrt(Math.max(counts[c]!, 1));
    return inv / s.allowed.length;
  });
  const mean = w.reduce((a, b) => a + b, 0) / Math.max(1, w.length);
  return w.map((x) => x / mean);
}

/** Softmax of z into p; returns log Σ exp. */
function softmax(z: Float32Array, p: Float32Array): number {
  let mx = -Infinity;
  for (let c = 0; c < z.length; c++) mx = Math.max(mx, z[c]!);
  let s = 0;
  for (let c = 0; c < z.length; c++) s += p[c] = Math.exp(z[c]! - mx);
  for (let c = 0; c < z.length; c++) p[c] = p[c]! / s;
  return mx + Math.log(s);
}

/** Loss of one sample and dL/dz into dz (weighted). */
export function sampleLoss(z: Float32Array, allowed: readonly number[], eps: number, weight: number, p: Float32Array, dz: Float32Array): number {
  const C = z.length;
  softmax(z, p);
  let pS = 0;
  for (const c of allowed) pS += p[c]!;
  pS = Math.max(pS, 1e-30);
  // Target: (1 - eps) · p restricted to the allowed set (one class: one-hot) + eps uniform.
  let loss = -(1 - eps) * Math.log(pS);
  for (let c = 0; c < C; c++) {
    loss -= (eps / C) * Math.log(Math.max(p[c]!, 1e-30));
    dz[c] = weight * (p[c]! - eps / C);
  }
  for (const c of allowed) dz[c] = dz[c]! - weight * (1 - eps) * (p[c]! / pS);
  return weight * loss;
}

export type Predicted = { logits: Float32Array; feats: Float32Array };

/** Logits [n, C] and features [n, D] for records, with the given parameters. */
export function predict(p: BlockParams, recs: readonly TokenRecord[], d: Dims): Predicted {
  const ws = new Workspace(d, (n) => new Float32Array(n));
  const h = new Float32Array(d.N * d.D);
  const logits = new Float32Array(recs.length * d.C);
  const feats = new Float32Array(recs.length * d.D);
  for (const [i, r] of recs.entries()) {
    decodeHalf(r.h, 0, d.N * d.D, h);
    forward(p, h, r.xcls, ws);
    logits.set(ws.logits, i * d.C);
    feats.set(ws.feat, i * d.D);
  }
  return { logits, feats };
}

function evalNll(pred: Predicted, labels: readonly (readonly number[])[], C: number): { nll: number; top1: number } {
  let nll = 0;
  let hit = 0;
  const p = new Float32Array(C);
  for (const [i, allowed] of labels.entries()) {
    softmax(pred.logits.subarray(i * C, (i + 1) * C), p);
    let pS = 0;
    for (const c of allowed) pS += p[c]!;
    nll -= Math.log(Math.max(pS, 1e-30));
    let best = 0;
    for (let c = 1; c < C; c++) if (p[c]! > p[best]!) best = c;
    if (allowed.includes(best)) hit++;
  }
  return { nll: nll / Math.max(1, labels.length), top1: hit / Math.max(1, labels.length) };
}

export function finetuneClsBlock(
  init: BlockParams,
  train: readonly Sample[],
  val: { recs: readonly TokenRecord[]; allowed: readonly (readonly number[])[] },
  d: Dims,
  o: FinetuneOptions = DEFAULT_FINETUNE,
  log: (e: EpochLog) => void = () => {},
): { params: BlockParams; curve: EpochLog[]; bestEpoch: number } {
  const p = cloneParams(init);
  const m = zerosLike(p);
  const v = zerosLike(p);
  const grad = zerosLike(p);
  const ws = new Workspace(d, (n) => new Float32Array(n));
  const h = new Float32Array(d.N * d.D);
  const prob = new Float32Array(d.C);
  const dz = new Float32Array(d.C);
  const weights = sampleWeights(train, d.C);
  const order = Array.from({ length: train.length }, (_, i) => i);
  const rand = seededRandom(o.seed);
  const stepsPerEpoch = Math.ceil(train.length / o.batch);
  const total = stepsPerEpoch * o.epochs;
  const warm = Math.max(1, Math.round(stepsPerEpoch * o.warmupEpochs));
  const [b1, b2, adamEps] = [0.9, 0.999, 1e-8];
  let step = 0;
  const start = evalNll(predict(p, val.recs, d), val.allowed, d.C);
  let best = { nll: start.nll, params: cloneParams(p), epoch: 0 };
  const curve: EpochLog[] = [{ epoch: 0, trainLoss: NaN, valNll: start.nll, valTop1: start.top1, seconds: 0 }];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const t0 = performance.now();
    shuffleInPlace(order, rand);
    let lossSum = 0;
    for (let at = 0; at < order.length; at += o.batch) {
      for (const k of PARAM_NAMES) grad[k].fill(0);
      const batch = order.slice(at, at + o.batch);
      for (const i of batch) {
        const s = train[i]!;
        decodeHalf(s.rec.h, 0, d.N * d.D, h);
        forward(p, h, s.rec.xcls, ws);
        lossSum += sampleLoss(ws.logits, s.allowed, o.labelSmoothing, weights[i]!, prob, dz);
        backward(p, grad, h, dz, ws);
      }
      step++;
      const lrScale = step <= warm ? step / warm : 0.5 * (1 + Math.cos((Math.PI * (step - warm)) / Math.max(1, total - warm)));
      const bc1 = 1 - b1 ** step;
      const bc2 = 1 - b2 ** step;
      for (const k of PARAM_NAMES) {
        const lr = (HEAD.has(k) ? o.lrHead : o.lrBlock) * lrScale;
        const wd = DECAYED.has(k) ? o.weightDecay : 0;
        const [P, G, M, V] = [p[k], grad[k], m[k], v[k]];
        const inv = 1 / batch.length;
        for (let j = 0; j < P.length; j++) {
          const g = G[j]! * inv;
          M[j] = b1 * M[j]! + (1 - b1) * g;
          V[j] = b2 * V[j]! + (1 - b2) * g * g;
          P[j] = P[j]! - lr * ((M[j]! / bc1) / (Math.sqrt(V[j]! / bc2) + adamEps) + wd * P[j]!);
        }
      }
    }
    const ev = evalNll(predict(p, val.recs, d), val.allowed, d.C);
    const e: EpochLog = { epoch, trainLoss: lossSum / train.length, valNll: ev.nll, valTop1: ev.top1, seconds: (performance.now() - t0) / 1000 };
    curve.push(e);
    log(e);
    if (ev.nll < best.nll) best = { nll: ev.nll, params: cloneParams(p), epoch };
  }
  return { params: best.params, curve, bestEpoch: best.epoch };
}
