// Public API of the WebGPU attention kernels. Browser-safe (the Node device comes from lib/gpu/node.ts).
//
// Every kernel has two forms:
//   encodeX(ctx, encoder, shape, tensors, options)  records into the caller's command encoder (no submit), for the ViT
//                                                    engine's one-command-buffer-per-image;
//   X(ctx, shape, hostArrays, options)               uploads, runs, reads back (tests, tools; validate mode applies).
// Tensors are [B, H, N, d] views (see TensorView in layout.ts: any element offset and B/H/N strides, d contiguous).
import type { DType } from "../gpu/buffers.ts";
import type { GpuContext } from "../gpu/device.ts";
import { encodeFlashForward, type FlashForwardOptions } from "./flash-forward.ts";
import { assertClose, runOnHost, tolerance, type HostOutput } from "./host.ts";
import { checkShape, elementCount, type AttentionShape } from "./layout.ts";
import { attentionForward } from "./reference.ts";

export type { AttentionShape, TensorView, ViewOrBuffer } from "./layout.ts";
export { contiguousStrides, SUPPORTED_HEAD_DIMS } from "./layout.ts";
export type { BlockMask } from "./reference.ts";
export { blockCount, defaultScale, relativeError } from "./reference.ts";
export type { Tiles } from "./tiles.ts";
export { encodeFlashForward, type FlashForwardOptions, type FlashForwardTensors } from "./flash-forward.ts";

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
  const dtype: DType = opts.dtype ?? "f32";
  const rows = s.batch * s.heads * s.n;
  const outputs: Record<string, HostOutput> = { o: { count: elementCount(s), dtype } };
  if (opts.withLse) outputs.lse = { count: rows, dtype: "f32" };
  const r = await runOnHost(ctx, { q: { data: x.q, dtype }, k: { data: x.k, dtype }, v: { data: x.v, dtype } }, outputs, (enc, b) =>
    encodeFlashForward(ctx, enc, s, { q: b.q, k: b.k, v: b.v, o: b.o, lse: b.lse }, opts),
  );
  if (ctx.validate) {
    const ref = attentionForward(x.q, x.k, x.v, s, { scale: opts.scale, mask: opts.mask });
    assertClose("flashAttention", "o", r.o, ref.o, tolerance(dtype));
  }
  return { o: r.o, lse: r.lse };
}
