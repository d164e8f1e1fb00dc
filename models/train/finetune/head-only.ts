// The frozen-backbone baseline (a linear probe): the species head alone on the backbone's class features, with the
// same loss, weights and optimiser as the fine-tuning, so the two differ only in what is trained.
import { seededRandom, shuffleInPlace } from "../rng.ts";
import { sampleLoss, sampleWeights, type FinetuneOptions } from "./train.ts";
import { matVec } from "./math.ts";

export type Head = { wh: Float32Array; bh: Float32Array };

/** What the head trains on: a view's class feature and the classes its label allows. */
export type HeadSample = { rec: { feat: Float32Array }; allowed: readonly number[] };

export function headLogitsOf(h: Head, feats: Float32Array, C: number, D: number): Float32Array {
  const n = feats.length / D;
  const out = new Float32Array(n * C);
  const z = new Float32Array(C);
  for (let i = 0; i < n; i++) {
    matVec(h.wh, feats, z, C, D, h.bh, i * D);
    out.set(z, i * C);
  }
  return out;
}

export function trainHead(train: readonly HeadSample[], C: number, D: number, o: FinetuneOptions): Head {
  const rand = seededRandom(o.seed);
  const wh = Float32Array.from({ length: C * D }, () => 0.01 * (rand() - 0.5));
  const bh = new Float32Array(C);
  const m = [new Float32Array(C * D), new Float32Array(C)];
  const v = [new Float32Array(C * D), new Float32Array(C)];
  const g = [new Float32Array(C * D), new Float32Array(C)];
  const weights = sampleWeights(train, C);
  const order = Array.from({ length: train.length }, (_, i) => i);
  const z = new Float32Array(C);
  const p = new Float32Array(C);
  const dz = new Float32Array(C);
  const steps = Math.ceil(train.length / o.batch) * o.epochs;
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (let at = 0; at < order.length; at += o.batch) {
      g[0]!.fill(0);
      g[1]!.fill(0);
      const batch = order.slice(at, at + o.batch);
      for (const i of batch) {
        const f = train[i]!.rec.feat;
        matVec(wh, f, z, C, D, bh);
        sampleLoss(z, train[i]!.allowed, o.labelSmoothing, weights[i]!, p, dz);
        for (let c = 0; c < C; c++) {
          const d = dz[c]!;
          if (d === 0) continue;
          g[1]![c]! += d;
          const row = c * D;
          for (let k = 0; k < D; k++) g[0]![row + k]! += d * f[k]!;
        }
      }
      step++;
      const lr = o.lrHead * 0.5 * (1 + Math.cos((Math.PI * step) / steps));
      const bc1 = 1 - 0.9 ** step;
      const bc2 = 1 - 0.999 ** step;
      for (const [j, P] of [wh, bh].entries()) {
        const [G, M, V] = [g[j]!, m[j]!, v[j]!];
        const wd = j === 0 ? o.weightDecay : 0;
        for (let k = 0; k < P.length; k++) {
          const gk = G[k]! / batch.length;
          M[k] = 0.9 * M[k]! + 0.1 * gk;
          V[k] = 0.999 * V[k]! + 0.001 * gk * gk;
          P[k] = P[k]! - lr * ((M[k]! / bc1) / (Math.sqrt(V[k]! / bc2) + 1e-8) + wd * P[k]!);
        }
      }
    }
  }
  return { wh, bh };
}
