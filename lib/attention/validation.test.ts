// Input checks, named GPU errors and validate mode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { Bindings, checkWorkgroupSize, encodeProgram } from "../gpu/program.ts";
import { settings } from "../settings.ts";
import { encodeFlashForward, flashAttention } from "./index.ts";
import { assertClose } from "./host.ts";
import { randomQKV } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: true });
});
afterAll(() => ctx?.destroy());

describe("input validation", () => {
  it("rejects an unsupported head dimension and bad shapes, naming them", async () => {
    const s = { batch: 1, heads: 1, n: 4, d: 48 };
    await expect(flashAttention(ctx, s, randomQKV(s))).rejects.toThrow(/head dimension d=48/);
    const t = { batch: 1, heads: 0, n: 4, d: 64 };
    await expect(flashAttention(ctx, t, randomQKV({ ...t, heads: 1 }))).rejects.toThrow(/heads=0/);
  });

  it("rejects host arrays of the wrong length, naming the tensor and shape", async () => {
    const s = { batch: 1, heads: 2, n: 8, d: 64 };
    const x = randomQKV(s);
    await expect(flashAttention(ctx, s, { ...x, k: x.k.subarray(1) })).rejects.toThrow(/k has 1023 elements, expected \[1, 2, 8, 64\]/);
  });

  it("rejects a view that reaches past its buffer, naming the tensor and buffer", async () => {
    const s = { batch: 1, heads: 1, n: 8, d: 64 };
    const small = ctx.alloc.storage(4 * 64 * 8, "small");
    const tooSmall = ctx.alloc.storage(4 * 64 * 7, "too small");
    const enc = ctx.device.createCommandEncoder();
    await expect(encodeFlashForward(ctx, enc, s, { q: small, k: small, v: tooSmall, o: small })).rejects.toThrow(/v \[B=1, H=1, N=8, 64\].*"too small" holds 448/);
    ctx.alloc.release(small);
    ctx.alloc.release(tooSmall);
  });
});

describe("GPU errors name the stage", () => {
  const program = (wgsl: string, workgroupSize: [number, number, number] = [1, 1, 1]) => {
    const b = new Bindings().add("out", "storage", "array<f32>");
    return { name: "broken_kernel", cacheKey: `broken:${wgsl}`, wgsl: `${b.wgsl}\n${wgsl}`, bindings: b.list, workgroupSize, dispatch: [1, 1, 1] as [number, number, number] };
  };

  it("a WGSL compile error throws with the stage, kernel name and compiler message", async () => {
    const p = program("@compute @workgroup_size(1) fn main() { out[0] = undefined_thing; }");
    await expect(ctx.programs.get(p)).rejects.toThrow(/broken_kernel: shader-module creation failed:\s*error at line 2:.*undefined_thing/s);
  });

  it("a pipeline error (missing entry point) throws naming pipeline creation", async () => {
    const p = program("@compute @workgroup_size(1) fn not_main() { out[0] = 1.0; }");
    await expect(ctx.programs.get(p)).rejects.toThrow(/broken_kernel: pipeline creation failed/);
  });

  it("a bind-group error surfaces at submit, naming the kernel", async () => {
    const p = program("@compute @workgroup_size(1) fn main() { out[0] = 1.0; }");
    const uniform = ctx.alloc.create(16, GPUBufferUsage.UNIFORM, "not a storage buffer");
    const enc = ctx.device.createCommandEncoder();
    await encodeProgram(ctx, enc, p, { out: uniform });
    await expect(ctx.submit(enc)).rejects.toThrow(/broken_kernel: bind-group creation failed/);
    await ctx.checkErrors().catch(() => undefined); // drain the failed submit's own error
    ctx.alloc.release(uniform);
  });

  it("a workgroup size beyond device.limits is refused before compiling", () => {
    expect(() => checkWorkgroupSize(ctx.limits, "big", [1024, 1, 1])).toThrow(/big: workgroup size 1024x1x1 not supported/);
  });
});

describe("validate mode", () => {
  it("GPU_VALIDATE=1 turns it on through lib/settings.ts", () => {
    expect(settings({ ...process.env, GPU_VALIDATE: "1" }).gpuValidate).toBe(true);
    expect(settings({ ...process.env, GPU_VALIDATE: "0" }).gpuValidate).toBe(false);
  });

  it("re-runs an op through the reference (passes when the kernel is right)", async () => {
    const s = { batch: 1, heads: 2, n: 33, d: 64 };
    await expect(flashAttention(ctx, s, randomQKV(s))).resolves.toBeDefined();
  });

  it("throws when a result strays from the reference", () => {
    expect(() => assertClose("op", "o", [1, 2, 3], [1, 2, 3.1], 1e-4)).toThrow(/GPU_VALIDATE: op output o differs/);
  });
});
