// Plain float64 attention, the reference every kernel is checked against (STYLE.md #1). Tensors are contiguous
// [B, H, N, d] arrays; softmax(scale * q k^T) v, with an optional block mask.
import type { AttentionShape } from "./layout.ts";

/** Block-sparse mask: blocks[(mh * nb + qb) * nb + kb] != 0 keeps the blockSize x blockSize block (qb, kb). */
export interface BlockMask {
  blockSize: number;
  /** 1 (shared by every head) or H. */
  heads: number;
  blocks: Uint8Array;
}

export const blockCount = (n: number, blockSize: number): number => Math.ceil(n / blockSize);

export const defaultScale = (d: number): number => 1 / Math.sqrt(d);

type Arr = ArrayLike<number>;

function keep(mask: BlockMask | undefined, h: number, n: number, i: number, j: number): boolean {
  if (!mask) return true;
  const nb = blockCount(n, mask.blockSize);
  const mh = mask.heads === 1 ? 0 : h;
  return mask.blocks[(mh * nb + Math.floor(i / mask.blockSize)) * nb + Math.floor(j / mask.blockSize)] !== 0;
}

/** Row i of softmax(scale * q k^T) for head (b, h), with masked keys at 0 (all-masked rows are all 0, lse -Infinity). */
function probabilities(q: Arr, k: Arr, s: AttentionShape, b: number, h: number, i: number, scale: number, mask?: BlockMask) {
  const { n, d } = s;
  const base = (b * s.heads + h) * n * d;
  const p = new Float64Array(n);
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    if (!keep(mask, h, n, i, j)) {
      p[j] = -Infinity;
      continue;
    }
    let dot = 0;
    for (let c = 0; c < d; c++) dot += q[base + i * d + c] * k[base + j * d + c];
    p[j] = dot * scale;
    max = Math.max(max, p[j]);
  }
  if (max === -Infinity) return { p: p.fill(0), lse: -Infinity };
  let sum = 0;
  for (let j = 0; j < n; j++) sum += p[j] = Math.exp(p[j] - max);
  for (let j = 0; j < n; j++) p[j] /= sum;
  return { p, lse: max + Math.log(sum) };
}

export interface ForwardResult {
  /** o: [B, H, N, d] */
  o: Float64Array;
  /** lse: [B, H, N], logsumexp of the scaled scores of each row */
  lse: Float64Array;
}

// q, k, v: [B, H, N, d]. With opts.rows only those query rows are computed (the others stay 0): a spot check of big N.
export function attentionForward(
  q: Arr,
  k: Arr,
  v: Arr,
  s: AttentionShape,
  opts: { scale?: number; mask?: BlockMask; rows?: number[] } = {},
): ForwardResult {
  const { batch, heads, n, d } = s;
  const scale = opts.scale ?? defaultScale(d);
  const o = new Float64Array(batch * heads * n * d);
  const lse = new Float64Array(batch * heads * n);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const base = (b * heads + h) * n * d;
      for (const i of opts.rows ?? Array.from({ length: n }, (_, r) => r)) {
        const row = probabilities(q, k, s, b, h, i, scale, opts.mask);
        lse[(b * heads + h) * n + i] = row.lse;
        for (let j = 0; j < n; j++) {
          const pj = row.p[j];
          if (pj === 0) continue;
          for (let c = 0; c < d; c++) o[base + i * d + c] += pj * v[base + j * d + c];
        }
      }
    }
  }
  return { o, lse };
}

export interface BackwardResult {
  dq: Float64Array;
  dk: Float64Array;
  dv: Float64Array;
}

// q, k, v, dO: [B, H, N, d] -> gradients of sum(O * dO) with respect to q, k, v
export function attentionBackward(q: Arr, k: Arr, v: Arr, dO: Arr, s: AttentionShape, opts: { scale?: number } = {}): BackwardResult {
  const { batch, heads, n, d } = s;
  const scale = opts.scale ?? defaultScale(d);
  const size = batch * heads * n * d;
  const dq = new Float64Array(size);
  const dk = new Float64Array(size);
  const dv = new Float64Array(size);
  const dp = new Float64Array(n);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const base = (b * heads + h) * n * d;
      for (let i = 0; i < n; i++) {
        const { p } = probabilities(q, k, s, b, h, i, scale);
        // dP_ij = dO_i . v_j ;  dS_ij = P_ij (dP_ij - sum_l P_il dP_il)
        let rowDot = 0;
        for (let j = 0; j < n; j++) {
          let x = 0;
          for (let c = 0; c < d; c++) x += dO[base + i * d + c] * v[base + j * d + c];
          dp[j] = x;
          rowDot += p[j] * x;
        }
        for (let j = 0; j < n; j++) {
          const ds = p[j] * (dp[j] - rowDot) * scale;
          for (let c = 0; c < d; c++) {
            dv[base + j * d + c] += p[j] * dO[base + i * d + c];
            dq[base + i * d + c] += ds * k[base + j * d + c];
            dk[base + j * d + c] += ds * q[base + i * d + c];
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}

// q, k: [B, H, N, d] -> [B, H, N]: the attention weights of query `row` over all keys
export function rowWeights(q: Arr, k: Arr, s: AttentionShape, row: number, opts: { scale?: number } = {}): Float64Array {
  const out = new Float64Array(s.batch * s.heads * s.n);
  const scale = opts.scale ?? defaultScale(s.d);
  for (let b = 0; b < s.batch; b++) {
    for (let h = 0; h < s.heads; h++) out.set(probabilities(q, k, s, b, h, row, scale).p, (b * s.heads + h) * s.n);
  }
  return out;
}

/** ||out - ref|| / ||ref|| (with ||ref|| = 0 the absolute norm of the difference). Non-finite values give Infinity. */
export function relativeError(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (out.length !== ref.length) throw new Error(`relativeError: lengths ${out.length} and ${ref.length} differ`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    const diff = out[i] - ref[i];
    if (!Number.isFinite(diff)) return Infinity;
    num += diff * diff;
    den += ref[i] * ref[i];
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
