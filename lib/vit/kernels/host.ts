// Runs a kernel from host arrays (tests, tools): upload inputs, poison outputs with NaN so a skipped element fails,
// record with the kernel's encode form, submit, read back, free.
import { poison, readFloats } from "../../gpu/buffers.ts";
import type { GpuContext } from "../../gpu/device.ts";

export async function runKernel<O extends string>(
  ctx: GpuContext,
  inputs: Record<string, Float32Array>,
  outputs: Record<O, number | Float32Array>,
  encode: (encoder: GPUCommandEncoder, buffers: Record<string, GPUBuffer>) => Promise<void>,
): Promise<Record<O, Float32Array>> {
  const buffers: Record<string, GPUBuffer> = {};
  try {
    for (const [name, data] of Object.entries(inputs)) buffers[name] = ctx.alloc.upload(data, name);
    for (const [name, out] of Object.entries(outputs) as [O, number | Float32Array][]) {
      // A Float32Array output starts with that content (read-modify-write epilogues such as the residual).
      buffers[name] = typeof out === "number" ? ctx.alloc.storage(out * 4, name) : ctx.alloc.upload(out, name);
      if (typeof out === "number") poison(ctx.device, buffers[name]);
    }
    const encoder = ctx.device.createCommandEncoder();
    await encode(encoder, buffers);
    await ctx.submit(encoder);
    const result = {} as Record<O, Float32Array>;
    for (const [name, out] of Object.entries(outputs) as [O, number | Float32Array][]) {
      result[name] = await readFloats(ctx.device, buffers[name], typeof out === "number" ? out : out.length);
    }
    return result;
  } finally {
    for (const b of Object.values(buffers)) ctx.alloc.release(b);
  }
}
