// Public API of the WebGPU attention kernels. Browser-safe (the Node device comes from lib/gpu/node.ts).
//
// Every kernel has two forms:
//   encodeX(ctx, encoder, shape, tensors, options)  records into the caller's command encoder (no submit), for the ViT
//                                                    engine's one-command-buffer-per-image;
//   X(ctx, shape, hostArrays, options)               uploads, runs, reads back (tests, tools; validate mode applies).
// Tensors are [B, H, N, d] views (see TensorView in layout.ts: any element offset and B/H/N strides, d contiguous).
import type { GpuContext } from "../gpu/device.ts";
import { encodeFlashBackward, type FlashBackwardOptions } from "./flash-backward.ts";
import { encodeFlashForward, type FlashForwardOptions } from "./flash-forward.ts";
import { assertClose, runOnHost, TOLERANCE, type HostOutput } from "./host.ts";
import { checkShape, elementCount, type AttentionShape } from "./layout.ts";
import { encodeNaiveAttention, naiveScoresBytes } from "./naive.ts";
import { attentionBackward, attentionForward, rowWeights } from "./reference.ts";
import { encodeRowWeights } from "./row-weights.ts";
import { encodeRolloutStep, type RolloutOptions } from "./rollout.ts";
import { rolloutStep } from "./rollout-reference.ts";

export type { AttentionShape, TensorView, ViewOrBuffer } from "./layout.ts";
export { contiguousStrides, SUPPORTED_HEAD_DIMS } from "./layout.ts";
export type { BlockMask } from "./reference.ts";
export { blockCount, defaultScale, relativeError } from "./reference.ts";
export type { Tiles } from "./tiles.ts";
export { encodeFlashForward, type FlashForwardOptions, type FlashForwardTensors } from "./flash-forward.ts";
export { encodeFlashBackward, type FlashBackwardOptions, type FlashBackwardTensors } from "./flash-backward.ts";
export { encodeNaiveAttention, naiveScoresBytes, checkNaiveFits, NaiveOutOfMemory, type NaiveTensors } from "./naive.ts";
export { encodeRowWeights, type RowWeightsTensors } from "./row-weights.ts";
export { encodeRolloutStep, type RolloutOptions, type RolloutStepTensors } from "./rollout.ts";
export { SINK_FACTOR, sinkThreshold } from "./rollout-reference.ts";

function checkHost(kernel: string, s: AttentionShape, arrays: Record<string, Float32Array>): void {
  checkShape(kernel, s);
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== elementCount(s)) {
      throw new Error(`${kernel}: ${name} has ${a.length} elements, expected [${s.batch}, ${s.heads}, ${s.n}, ${s.d}] = ${elementCount(s)}`);
    }
  }
}

export interface HostQKV {
  q: Float32Array; // q: [B, H, N, d]
  k: Float32Array; // k: [B, H, N, d]
  v: Float32Array; // v: [B, H, N, d]
}

/** FlashAttention forward from host arrays: o [B, H, N, d] and, with withLse, lse [B, H, N]. */
export async function flashAttention(
  ctx: GpuContext,
  s: AttentionShape,
  x: HostQKV,
  opts: FlashForwardOptions & { withLse?: boolean } = {},
): Promise<{ o: Float32Array; lse?: Float32Array }> {
  checkHost("flashAttention", s, { q: x.q, k: x.k, v: x.v });
  const rows = s.batch * s.heads * s.n;
  const outputs: Record<string, HostOutput> = { o: { count: elementCount(s) } };
  if (opts.withLse) outputs.lse = { count: rows };
  const r = await runOnHost(ctx, { q: x.q, k: x.k, v: x.v }, outputs, (enc, b) =>
    encodeFlashForward(ctx, enc, s, { q: b.q, k: b.k, v: b.v, o: b.o, lse: b.lse }, opts),
  );
  if (ctx.validate) {
    const ref = attentionForward(x.q, x.k, x.v, s, { scale: opts.scale, mask: opts.mask });
    assertClose("flashAttention", "o", r.o, ref.o, TOLERANCE);
  }
  return { o: r.o, lse: r.lse };
}

export interface HostBackwardInputs extends HostQKV {
  o: Float32Array; // o: [B, H, N, d], forward output
  dO: Float32Array; // dO: [B, H, N, d]
  lse: Float32Array; // lse: [B, H, N], from flashAttention(..., { withLse: true })
}

/** FlashAttention backward from host arrays: dq, dk, dv [B, H, N, d]. */
export async function flashAttentionBackward(
  ctx: GpuContext,
  s: AttentionShape,
  x: HostBackwardInputs,
  opts: FlashBackwardOptions = {},
): Promise<{ dq: Float32Array; dk: Float32Array; dv: Float32Array }> {
  checkHost("flashAttentionBackward", s, { q: x.q, k: x.k, v: x.v, o: x.o, dO: x.dO });
  if (x.lse.length !== s.batch * s.heads * s.n) throw new Error(`flashAttentionBackward: lse has ${x.lse.length} elements, expected [${s.batch}, ${s.heads}, ${s.n}]`);
  const out = { count: elementCount(s) };
  const r = await runOnHost(
    ctx,
    { q: x.q, k: x.k, v: x.v, o: x.o, dO: x.dO, lse: x.lse },
    { dq: out, dk: out, dv: out },
    (enc, b) => encodeFlashBackward(ctx, enc, s, { q: b.q, k: b.k, v: b.v, o: b.o, dO: b.dO, lse: b.lse, dq: b.dq, dk: b.dk, dv: b.dv }, opts),
  );
  if (ctx.validate) {
    const ref = attentionBackward(x.q, x.k, x.v, x.dO, s, { scale: opts.scale });
    for (const name of ["dq", "dk", "dv"] as const) assertClose("flashAttentionBackward", name, r[name], ref[name], TOLERANCE);
  }
  return r;
}

/** The naive three-kernel baseline from host arrays (materialises the [B, H, N, N] scores). */
export async function naiveAttention(ctx: GpuContext, s: AttentionShape, x: HostQKV, opts: { scale?: number } = {}): Promise<{ o: Float32Array }> {
  checkHost("naiveAttention", s, { q: x.q, k: x.k, v: x.v });
  const r = await runOnHost(ctx, { q: x.q, k: x.k, v: x.v }, { o: { count: elementCount(s) } }, async (enc, b) => {
    // Added to the run's buffers, so it is released with them after read-back.
    b.scores = ctx.alloc.storage(naiveScoresBytes(s), "naive scores");
    await encodeNaiveAttention(ctx, enc, s, { q: b.q, k: b.k, v: b.v, o: b.o, scores: b.scores }, opts);
  });
  if (ctx.validate) assertClose("naiveAttention", "o", r.o, attentionForward(x.q, x.k, x.v, s, opts).o, TOLERANCE);
  return r;
}

/** Attention weights of query `row` (e.g. 0, the class token) over all keys: [B, H, N]. */
export async function attentionRowWeights(
  ctx: GpuContext,
  s: AttentionShape,
  x: { q: Float32Array; k: Float32Array },
  opts: { row: number; scale?: number },
): Promise<Float32Array> {
  checkHost("attentionRowWeights", s, { q: x.q, k: x.k });
  const r = await runOnHost(ctx, { q: x.q, k: x.k }, { weights: { count: s.batch * s.heads * s.n } }, (enc, b) =>
    encodeRowWeights(ctx, enc, s, { q: b.q, k: b.k, weights: b.weights }, opts),
  );
  if (ctx.validate) assertClose("attentionRowWeights", "weights", r.weights, rowWeights(x.q, x.k, s, opts.row, opts), TOLERANCE);
  return r.weights;
}

/**
 * One block of attention rollout from host arrays (see rollout-reference.ts): col, w and r, each [B, N]. lse [B, H, N]
 * is the block's logsumexp (flashAttention(..., { withLse: true })); rIn [B, N] is omitted for the last block.
 */
export async function attentionRolloutStep(
  ctx: GpuContext,
  s: AttentionShape,
  x: { q: Float32Array; k: Float32Array; lse: Float32Array; rIn?: Float32Array },
  opts: RolloutOptions = {},
): Promise<{ col: Float32Array; w: Float32Array; r: Float32Array }> {
  checkHost("attentionRolloutStep", s, { q: x.q, k: x.k });
  const bn = s.batch * s.n;
  if (x.lse.length !== bn * s.heads) throw new Error(`attentionRolloutStep: lse has ${x.lse.length} elements, expected [${s.batch}, ${s.heads}, ${s.n}]`);
  if (x.rIn && x.rIn.length !== bn) throw new Error(`attentionRolloutStep: rIn has ${x.rIn.length} elements, expected [${s.batch}, ${s.n}]`);
  const inputs: Record<string, Float32Array> = { q: x.q, k: x.k, lse: x.lse };
  if (x.rIn) inputs.rIn = x.rIn;
  const r = await runOnHost(ctx, inputs, { col: { count: bn }, w: { count: bn }, r: { count: bn } }, (enc, b) =>
    encodeRolloutStep(ctx, enc, s, { q: b.q, k: b.k, lse: b.lse, rIn: b.rIn ?? null, col: b.col, w: b.w, rOut: b.r }, opts),
  );
  if (ctx.validate) {
    const ref = rolloutStep(x.q, x.k, s, x.rIn ?? null, opts);
    for (const name of ["col", "w", "r"] as const) assertClose("attentionRolloutStep", name, r[name], ref[name], TOLERANCE);
  }
  return r;
}
