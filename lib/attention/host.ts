// Convenience runs from host arrays: upload, record with a kernel's encode form, submit, read back, free.
import { poison, readFloats } from "../gpu/buffers.ts";
import type { GpuContext } from "../gpu/device.ts";
import { relativeError } from "./reference.ts";

/** An f32 output of `count` elements. */
export interface HostOutput {
  count: number;
}

export async function runOnHost<O extends string>(
  ctx: GpuContext,
  inputs: Record<string, Float32Array | Uint32Array>,
  outputs: Record<O, HostOutput>,
  encode: (encoder: GPUCommandEncoder, buffers: Record<string, GPUBuffer>) => Promise<void>,
): Promise<Record<O, Float32Array>> {
  const buffers: Record<string, GPUBuffer> = {};
  try {
    for (const [name, data] of Object.entries(inputs)) buffers[name] = ctx.alloc.upload(data, name);
    for (const [name, out] of Object.entries(outputs) as [O, HostOutput][]) {
      buffers[name] = ctx.alloc.storage(out.count * 4, name);
      poison(ctx.device, buffers[name]);
    }
    const encoder = ctx.device.createCommandEncoder();
    await encode(encoder, buffers);
    await ctx.submit(encoder);
    const result = {} as Record<O, Float32Array>;
    for (const [name, out] of Object.entries(outputs) as [O, HostOutput][]) {
      result[name] = await readFloats(ctx.device, buffers[name], out.count);
    }
    return result;
  } finally {
    for (const b of Object.values(buffers)) ctx.alloc.release(b);
  }
}

/** Validate mode: throws when a GPU result strays from the float64 reference. */
export function assertClose(op: string, name: string, out: ArrayLike<number>, ref: ArrayLike<number>, tol: number): void {
  const err = relativeError(out, ref);
  if (!(err <= tol)) throw new Error(`GPU_VALIDATE: ${op} output ${name} differs from the float64 reference: relative error ${err} > ${tol}`);
}

/** Validate mode's bound on the relative error of an f32 kernel against the float64 reference. */
export const TOLERANCE = 1e-4;
