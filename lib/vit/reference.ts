// Plain CPU forward of the ViT in TypeScript (float64 accumulation over float32 weights): the reference every GPU
// kernel and the whole engine are checked against, with a per-layer hook for locating a divergence.
import { attentionRollout } from "../attention/rollout-reference.ts";
import type { VitWeights } from "./weights.ts";
import type { ModelMeta } from "./model-meta.ts";

export type ReferenceOutput = {
  logits: Float64Array; // [C]
  probs: Float64Array; // [C], softmax(logits / temperature)
  features: Float64Array; // [D]
  clsAttention: Float64Array; // [H, N], last block
  rollout: Float64Array; // [N], attention rollout of the class token over all blocks (lib/attention/rollout-reference.ts)
};

export type LayerHook = (name: string, value: Float64Array) => void;

type Arch = Pick<ModelMeta, "patchSize" | "embedDim" | "numHeads" | "mlpDim" | "layerNormEps" | "temperature">;

/** x: [rows, k], w: [out, k] (PyTorch Linear), b: [out] -> [rows, out]. */
export function linearRef(x: ArrayLike<number>, rows: number, k: number, w: ArrayLike<number>, b: ArrayLike<number>, out: number): Float64Array {
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < out; o++) {
      let s = b[o]!;
      const xo = r * k;
      const wo = o * k;
      for (let i = 0; i < k; i++) s += x[xo + i]! * w[wo + i]!;
      y[r * out + o] = s;
    }
  }
  return y;
}

export function layerNormRef(x: ArrayLike<number>, rows: number, d: number, g: ArrayLike<number>, b: ArrayLike<number>, eps: number): Float64Array {
  const y = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[r * d + i]!;
    mean /= d;
    let v = 0;
    for (let i = 0; i < d; i++) v += (x[r * d + i]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = (x[r * d + i]! - mean) * inv * g[i]! + b[i]!;
  }
  return y;
}

/** erf with |error| < 1.2e-7 (Numerical Recipes erfc, Chebyshev): float64 GELU reference. */
export function erfRef(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

export const geluRef = (x: number) => 0.5 * x * (1 + erfRef(x * Math.SQRT1_2));

export function softmaxRef(x: ArrayLike<number>, scale = 1): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]! * scale);
  const y = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += y[i] = Math.exp(x[i]! * scale - m);
  for (let i = 0; i < x.length; i++) y[i]! /= s;
  return y;
}

/** image: [3, S, S] normalised pixels; posEmbed must match S (see interpolatePosEmbed). */
export function vitForwardRef(image: Float32Array, w: VitWeights, a: Arch, hook: LayerHook = () => {}): ReferenceOutput {
  const { patchSize: P, embedDim: D, numHeads: H, mlpDim: M, layerNormEps: eps } = a;
  const S = Math.round(Math.sqrt(image.length / 3));
  const G = S / P;
  const N = G * G + 1;
  if (w.posEmbed.length !== N * D) throw new Error(`pos_embed has ${w.posEmbed.length / D} tokens, image ${S}px needs ${N}`);
  const hd = D / H;
  // Patch embedding as a linear over flattened [3, P, P] patches (the conv weight's own layout).
  const K = 3 * P * P;
  const patches = new Float64Array((N - 1) * K);
  for (let gy = 0; gy < G; gy++)
    for (let gx = 0; gx < G; gx++)
      for (let c = 0; c < 3; c++)
        for (let py = 0; py < P; py++)
          for (let px = 0; px < P; px++)
            patches[(gy * G + gx) * K + c * P * P + py * P + px] = image[c * S * S + (gy * P + py) * S + gx * P + px]!;
  const emb = linearRef(patches, N - 1, K, w.patchWeight, w.patchBias, D);
  let x = new Float64Array(N * D);
  for (let i = 0; i < D; i++) x[i] = w.clsToken[i]! + w.posEmbed[i]!;
  for (let i = 0; i < (N - 1) * D; i++) x[D + i] = emb[i]! + w.posEmbed[D + i]!;
  hook("embed", x);
  let clsAttention = new Float64Array(H * N);
  const meanAttention: Float64Array[] = [];
  w.blocks.forEach((b, li) => {
    const mean = new Float64Array(N * N);
    meanAttention.push(mean);
    const h = layerNormRef(x, N, D, b.norm1.weight, b.norm1.bias, eps);
    const qkv = linearRef(h, N, D, b.qkv.weight, b.qkv.bias, 3 * D);
    const ctx = new Float64Array(N * D);
    const scores = new Float64Array(N);
    for (let hh = 0; hh < H; hh++) {
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let e = 0; e < hd; e++) s += qkv[i * 3 * D + hh * hd + e]! * qkv[j * 3 * D + D + hh * hd + e]!;
          scores[j] = s;
        }
        const p = softmaxRef(scores, 1 / Math.sqrt(hd));
        if (i === 0 && li === w.blocks.length - 1) clsAttention.set(p, hh * N);
        for (let j = 0; j < N; j++) mean[i * N + j] += p[j]! / H;
        for (let e = 0; e < hd; e++) {
          let s = 0;
          for (let j = 0; j < N; j++) s += p[j]! * qkv[j * 3 * D + 2 * D + hh * hd + e]!;
          ctx[i * D + hh * hd + e] = s;
        }
      }
    }
    const proj = linearRef(ctx, N, D, b.proj.weight, b.proj.bias, D);
    for (let i = 0; i < x.length; i++) x[i]! += proj[i]!;
    hook(`blocks.${li}.attn_residual`, x);
    const h2 = layerNormRef(x, N, D, b.norm2.weight, b.norm2.bias, eps);
    const f1 = linearRef(h2, N, D, b.fc1.weight, b.fc1.bias, M).map(geluRef);
    const f2 = linearRef(f1, N, M, b.fc2.weight, b.fc2.bias, D);
    x = x.map((v, i) => v + f2[i]!);
    hook(`blocks.${li}`, x);
  });
  const features = layerNormRef(x.subarray(0, D), 1, D, w.norm.weight, w.norm.bias, eps);
  hook("features", features);
  const C = w.head.bias.length;
  const logits = linearRef(features, 1, D, w.head.weight, w.head.bias, C);
  return { logits, probs: softmaxRef(logits, 1 / a.temperature), features, clsAttention, rollout: attentionRollout(meanAttention, N) };
}
