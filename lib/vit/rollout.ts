// The engine's attention-rollout map (lib/attention/rollout.ts): each block keeps its own qkv projection and the flash
// kernel's logsumexp, and after the forward pass the class token's row is pushed from the last block to the first,
// three dispatches per block. Costs depth x (qkv + lse) of GPU memory: 5.4 MB per image at 224 px.
import type { GpuContext } from "../gpu/device.ts";
import { encodeRolloutStep } from "../attention/index.ts";

export type RolloutBuffers = {
  /** Per block: qkv [B, N, 3, H, hd] and lse [B, H, N]. */
  qkv: GPUBuffer[];
  lse: GPUBuffer[];
  col: GPUBuffer;
  w: GPUBuffer;
  /** Ping-pong [B, N]; the map ends in out(). */
  r: [GPUBuffer, GPUBuffer];
};

export type RolloutShape = { batch: number; heads: number; n: number; hd: number; depth: number };

export function createRolloutBuffers(ctx: GpuContext, s: RolloutShape): RolloutBuffers {
  const st = (floats: number, label: string) => ctx.alloc.storage(floats * 4, label);
  const bn = s.batch * s.n;
  return {
    qkv: Array.from({ length: s.depth }, (_, i) => st(bn * 3 * s.heads * s.hd, `vit qkv block ${i}`)),
    lse: Array.from({ length: s.depth }, (_, i) => st(bn * s.heads, `vit lse block ${i}`)),
    col: st(bn, "vit rollout col"),
    w: st(bn, "vit rollout w"),
    r: [st(bn, "vit rollout r0"), st(bn, "vit rollout r1")],
  };
}

export function rolloutBuffersList(b: RolloutBuffers): GPUBuffer[] {
  return [...b.qkv, ...b.lse, b.col, b.w, ...b.r];
}

/** The buffer holding the (unnormalised) map [B, N] after encodeRollout. */
export const rolloutOut = (b: RolloutBuffers, depth: number): GPUBuffer => b.r[(depth - 1) % 2]!;

/** Records the rollout for batch B (<= the buffers' batch) into `encoder`; call after the forward pass. */
export async function encodeRollout(ctx: GpuContext, encoder: GPUCommandEncoder, b: RolloutBuffers, s: RolloutShape, batch: number): Promise<void> {
  const D = s.heads * s.hd;
  const strides: [number, number, number] = [s.n * 3 * D, s.hd, 3 * D];
  const shape = { batch, heads: s.heads, n: s.n, d: s.hd };
  for (let step = 0; step < s.depth; step++) {
    const l = s.depth - 1 - step;
    await encodeRolloutStep(ctx, encoder, shape, {
      q: { buffer: b.qkv[l]!, offset: 0, strides },
      k: { buffer: b.qkv[l]!, offset: D, strides },
      lse: b.lse[l]!,
      rIn: step === 0 ? null : b.r[(step - 1) % 2]!,
      col: b.col,
      w: b.w,
      rOut: b.r[step % 2]!,
    }, { scale: 1 / Math.sqrt(s.hd) });
  }
}

/** Each image's map divided by its sum (in place); [B, N]. */
export function normaliseRows(a: Float32Array, n: number): Float32Array {
  for (let off = 0; off < a.length; off += n) {
    let total = 0;
    for (let j = off; j < off + n; j++) total += a[j]!;
    for (let j = off; j < off + n; j++) a[j] = total > 0 ? a[j]! / total : 0;
  }
  return a;
}
