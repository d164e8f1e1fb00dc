// The species head: multinomial logistic regression on backbone features, trained in TypeScript with a
// class-balanced cross-entropy, L2 weight decay and Adam. Features are standardised for training and the
// standardisation is folded back into W and b, so the exported head reads raw backbone features.
import { gaussian, seededRandom, shuffleInPlace } from "./rng.ts";

/** W: [C, D] row-major, b: [C]; logits = W x + b. */
export type LinearHead = { C: number; D: number; weight: Float64Array; bias: Float64Array };

/** x: [N, D] -> logits [N, C]. */
export function headLogits(h: LinearHead, x: ArrayLike<number>): Float64Array {
  return logitsF64(h, x instanceof Float64Array ? x : Float64Array.from(x));
}

// Monomorphic Float64Array loops (V8 deoptimises mixed Float32/Float64 call sites), 4 accumulators per dot product.
function logitsF64(h: LinearHead, x: Float64Array): Float64Array {
  const { C, D, weight: W, bias: B } = h;
  const N = x.length / D;
  const out = new Float64Array(N * C);
  const D4 = D - (D % 4);
  for (let n = 0; n < N; n++) {
    const f = n * D;
    for (let c = 0; c < C; c++) {
      const w = c * D;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let d = 0;
      for (; d < D4; d += 4) {
        s0 += W[w + d]! * x[f + d]!;
        s1 += W[w + d + 1]! * x[f + d + 1]!;
        s2 += W[w + d + 2]! * x[f + d + 2]!;
        s3 += W[w + d + 3]! * x[f + d + 3]!;
      }
      for (; d < D; d++) s0 += W[w + d]! * x[f + d]!;
      out[n * C + c] = B[c]! + (s0 + s1) + (s2 + s3);
    }
  }
  return out;
}

/** Per-class weights N / (C * n_c): every species counts equally however many photos it has. */
export function classBalancedWeights(labels: ArrayLike<number>, C: number): Float64Array {
  const counts = new Float64Array(C);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return counts.map((n) => (n > 0 ? labels.length / (C * n) : 0));
}

export type LossGrad = { loss: number; gradW: Float64Array; gradB: Float64Array };

/**
 * Weighted mean cross-entropy + (weightDecay / 2) * ||W||^2 (bias not decayed), and its gradient.
 * Weights are normalised by their sum over the batch, so the loss is a weighted mean.
 */
export function lossAndGrad(
  h: LinearHead,
  xAny: ArrayLike<number>,
  labels: ArrayLike<number>,
  classWeight: ArrayLike<number>,
  weightDecay: number,
): LossGrad {
  const { C, D } = h;
  const N = labels.length;
  const x = xAny instanceof Float64Array ? xAny : Float64Array.from(xAny);
  const logits = logitsF64(h, x);
  const gradW = new Float64Array(C * D);
  const gradB = new Float64Array(C);
  let wsum = 0;
  for (let n = 0; n < N; n++) wsum += classWeight[labels[n]!]!;
  let loss = 0;
  const p = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[n * C + c]!);
    let z = 0;
    for (let c = 0; c < C; c++) z += p[c] = Math.exp(logits[n * C + c]! - m);
    const y = labels[n]!;
    const w = classWeight[y]! / wsum;
    loss += w * (Math.log(z) + m - logits[n * C + y]!);
    const f = n * D;
    for (let c = 0; c < C; c++) {
      const g = w * (p[c]! / z - (c === y ? 1 : 0));
      gradB[c]! += g;
      const r = c * D;
      for (let d = 0; d < D; d++) gradW[r + d]! += g * x[f + d]!;
    }
  }
  for (let i = 0; i < C * D; i++) {
    loss += 0.5 * weightDecay * h.weight[i]! ** 2;
    gradW[i]! += weightDecay * h.weight[i]!;
  }
  return { loss, gradW, gradB };
}

/** Computes the training loss and gradient of one batch; `referenceEngine` is the float64 TS version. */
export type GradientEngine = {
  name: string;
  lossAndGrad(h: LinearHead, x: Float32Array, labels: Int32Array, classWeight: Float64Array, weightDecay: number): LossGrad | Promise<LossGrad>;
};

export const referenceEngine: GradientEngine = { name: "typescript-float64", lossAndGrad };

export type TrainOptions = {
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
  classBalanced: boolean;
};

export const DEFAULT_TRAIN: TrainOptions = { epochs: 60, batchSize: 256, learningRate: 0.01, weightDecay: 1e-3, seed: 7, classBalanced: true };

export type Standardizer = { mean: Float64Array; std: Float64Array };

export function fitStandardizer(x: ArrayLike<number>, D: number): Standardizer {
  const N = x.length / D;
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) mean[d]! += x[n * D + d]! / N;
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) std[d]! += (x[n * D + d]! - mean[d]!) ** 2 / N;
  for (let d = 0; d < D; d++) std[d] = Math.sqrt(std[d]!) + 1e-6;
  return { mean, std };
}

export function standardize(x: ArrayLike<number>, s: Standardizer): Float64Array {
  const D = s.mean.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - s.mean[i % D]!) / s.std[i % D]!;
  return out;
}

/** W' = W / std, b' = b - W' mean: the same logits on raw features. */
export function foldStandardizer(h: LinearHead, s: Standardizer): LinearHead {
  const weight = new Float64Array(h.weight.length);
  const bias = Float64Array.from(h.bias);
  for (let c = 0; c < h.C; c++)
    for (let d = 0; d < h.D; d++) {
      weight[c * h.D + d] = h.weight[c * h.D + d]! / s.std[d]!;
      bias[c]! -= weight[c * h.D + d]! * s.mean[d]!;
    }
  return { ...h, weight, bias };
}

export type TrainResult = { head: LinearHead; lossCurve: number[] };

/** Adam on shuffled mini-batches; returns the head on raw features and the mean training loss per epoch. */
export async function trainLinearHead(
  xRaw: ArrayLike<number>,
  labels: ArrayLike<number>,
  C: number,
  D: number,
  o: TrainOptions = DEFAULT_TRAIN,
  engine: GradientEngine = referenceEngine,
): Promise<TrainResult> {
  const N = labels.length;
  if (N === 0 || xRaw.length !== N * D) throw new Error(`trainLinearHead: ${xRaw.length} feature values for ${N} labels x ${D} dims`);
  for (let i = 0; i < N; i++) if (!(labels[i]! >= 0 && labels[i]! < C)) throw new Error(`trainLinearHead: label ${labels[i]} at ${i} is outside 0..${C - 1}`);
  const stdz = fitStandardizer(xRaw, D);
  const x = Float32Array.from(standardize(xRaw, stdz));
  const rand = seededRandom(o.seed);
  const h: LinearHead = { C, D, weight: new Float64Array(C * D).map(() => 0.01 * gaussian(rand)), bias: new Float64Array(C) };
  const cw = o.classBalanced ? classBalancedWeights(labels, C) : new Float64Array(C).fill(1);
  const params = [h.weight, h.bias];
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const order = Array.from({ length: N }, (_, i) => i);
  const lossCurve: number[] = [];
  let step = 0;
  const bx = new Float32Array(Math.min(o.batchSize, N) * D);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    let epochLoss = 0;
    for (let start = 0; start < N; start += o.batchSize) {
      const idx = order.slice(start, start + o.batchSize);
      const xb = idx.length * D === bx.length ? bx : new Float32Array(idx.length * D);
      const yb = new Int32Array(idx.length);
      for (const [k, i] of idx.entries()) {
        xb.set(x.subarray(i * D, (i + 1) * D), k * D);
        yb[k] = labels[i]!;
      }
      const { loss, gradW, gradB } = await engine.lossAndGrad(h, xb, yb, cw, o.weightDecay);
      epochLoss += (loss * idx.length) / N;
      step++;
      // Cosine decay keeps the last epochs from bouncing around the optimum.
      const lr = o.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / o.epochs));
      for (const [k, g] of [gradW, gradB].entries()) {
        const p = params[k]!;
        for (let i = 0; i < p.length; i++) {
          m[k]![i] = 0.9 * m[k]![i]! + 0.1 * g[i]!;
          v[k]![i] = 0.999 * v[k]![i]! + 0.001 * g[i]! ** 2;
          const mh = m[k]![i]! / (1 - 0.9 ** step);
          const vh = v[k]![i]! / (1 - 0.999 ** step);
          p[i]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
        }
      }
    }
    lossCurve.push(epochLoss);
  }
  return { head: foldStandardizer(h, stdz), lossCurve };
}
