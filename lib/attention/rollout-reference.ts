// Float64 reference of attention rollout (Abnar & Zuidema 2020) with attention sinks treated as registers, beside the
// WGSL kernels in rollout.ts (STYLE.md #1).
//
// Rollout asks how much of the class token's final state came from each input token. Per block, the head-averaged
// attention Abar [N, N] gets the residual path added, (Abar + I) / 2, and the class token's row is pushed through the
// blocks from the last to the first. Vision transformers use a few background tokens as scratch registers (Darcet et
// al. 2024, "Vision Transformers Need Registers"): in later blocks they receive a large share of every token's
// attention (here the four corner patches, 15-25 % each) although they hold global, not local, content. Rollout would
// paint them and their neighbourhoods. So in each block a token that receives more than SINK_FACTOR times its fair
// share of the attention (mean over heads and queries > SINK_FACTOR / N) is a sink: its column is dropped and each row
// renormalised over the remaining keys, and its rollout weight is set to 0, as if the model had separate registers.
//
// One step, for rIn (the class token's weights entering the block from above; e_0 for the last block):
//   col_j = (1/N) sum_i Abar_ij                      attention a key receives
//   S     = { j >= 1 : col_j > SINK_FACTOR / N }     sinks (the class token is never one)
//   w_i   = rIn_i / (H z_i),  H z_i = sum_h sum_{j not in S} A^h_ij
//   r_j   = 0 for j in S, else rIn_j / 2 + (1/2) sum_i w_i sum_h A^h_ij
// r is not renormalised per step (zeroing sinks only scales it); the result is normalised once at the end.
import type { AttentionShape } from "./layout.ts";
import { defaultScale } from "./reference.ts";

/** A key receiving more than SINK_FACTOR / N of a block's attention is a sink (impossible for N <= SINK_FACTOR). */
export const SINK_FACTOR = 10;
export const sinkThreshold = (n: number): number => SINK_FACTOR / n;

type Arr = ArrayLike<number>;

export interface RolloutStepResult {
  /** col: [B, N], attention each key receives (mean over heads and queries) */
  col: Float64Array;
  /** w: [B, N], rIn_i / (H z_i) */
  w: Float64Array;
  /** r: [B, N], the class token's weights leaving the block downwards (not normalised) */
  r: Float64Array;
}

/** One step from a head-summed attention matrix sumA [N, N] (sum over heads of softmax rows) for one image. */
function stepFromMatrix(sumA: Float64Array, n: number, heads: number, rIn: Arr | null, threshold: number) {
  const r0 = (i: number) => (rIn ? rIn[i] : i === 0 ? 1 : 0);
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) col[j] += sumA[i * n + j] / (heads * n);
  const sink = (j: number) => j >= 1 && col[j] > threshold;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let hz = 0;
    for (let j = 0; j < n; j++) if (!sink(j)) hz += sumA[i * n + j];
    w[i] = hz > 0 ? r0(i) / hz : 0;
  }
  const r = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (sink(j)) continue;
    let flow = 0;
    for (let i = 0; i < n; i++) flow += w[i] * sumA[i * n + j];
    r[j] = 0.5 * r0(j) + 0.5 * flow;
  }
  return { col, w, r };
}

/** Sum over heads of softmax(scale q k^T) for image b: [N, N]. */
function headSum(q: Arr, k: Arr, s: AttentionShape, b: number, scale: number): Float64Array {
  const { n, d } = s;
  const out = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let h = 0; h < s.heads; h++) {
    const base = (b * s.heads + h) * n * d;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += q[base + i * d + c] * k[base + j * d + c];
        row[j] = dot * scale;
        max = Math.max(max, row[j]);
      }
      let sum = 0;
      for (let j = 0; j < n; j++) sum += row[j] = Math.exp(row[j] - max);
      for (let j = 0; j < n; j++) out[i * n + j] += row[j] / sum;
    }
  }
  return out;
}

// q, k: [B, H, N, d] of one block; rIn: [B, N], or null for e_0 (the last block) -> col, w, r: [B, N]
export function rolloutStep(q: Arr, k: Arr, s: AttentionShape, rIn: Arr | null, opts: { scale?: number; threshold?: number } = {}): RolloutStepResult {
  const scale = opts.scale ?? defaultScale(s.d);
  const threshold = opts.threshold ?? sinkThreshold(s.n);
  const out = { col: new Float64Array(s.batch * s.n), w: new Float64Array(s.batch * s.n), r: new Float64Array(s.batch * s.n) };
  for (let b = 0; b < s.batch; b++) {
    const one = stepFromMatrix(headSum(q, k, s, b, scale), s.n, s.heads, rIn ? Array.from({ length: s.n }, (_, i) => rIn[b * s.n + i]) : null, threshold);
    out.col.set(one.col, b * s.n);
    out.w.set(one.w, b * s.n);
    out.r.set(one.r, b * s.n);
  }
  return out;
}

/**
 * The whole rollout for one image from each block's head-averaged attention [N, N] (first block first): the class
 * token's row, normalised to sum 1 ([N]; entry 0 is the class token itself, sinks are 0).
 */
export function attentionRollout(meanAttention: readonly Float64Array[], n: number): Float64Array {
  let r: Float64Array | null = null;
  for (let l = meanAttention.length - 1; l >= 0; l--) r = stepFromMatrix(meanAttention[l]!, n, 1, r, sinkThreshold(n)).r;
  if (!r) throw new Error("attentionRollout: no blocks");
  const total = r.reduce((a, b) => a + b, 0);
  return r.map((v) => v / total);
}
