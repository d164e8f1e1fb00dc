// The kernels on a device that keeps WebGPU's default limits (16 KiB of workgroup storage, 256 invocations per
// workgroup): the guarantee every adapter gives. d = 128 is the tightest case for the tiles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { flashAttention, flashAttentionBackward } from "./index.ts";
import { attentionBackward, attentionForward, relativeError } from "./reference.ts";
import { randomArray, randomQKV } from "./test-utils.ts";
import { forwardSmemBytes, forwardTiles } from "./tiles.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false, defaultLimits: true });
});
afterAll(() => ctx?.destroy());

describe("WebGPU default limits (16 KiB workgroup storage)", () => {
  it("the device really has the default limit", () => {
    expect(ctx.limits.maxComputeWorkgroupStorageSize).toBe(16384);
  });

  it("forward tiles fit for every head dimension and size", () => {
    for (const d of [32, 64, 128]) {
      for (const n of [1, 197, 3137]) {
        const t = forwardTiles(ctx.limits, { batch: 1, heads: 3, n, d });
        expect(forwardSmemBytes(d, t), `d=${d} n=${n}`).toBeLessThanOrEqual(16384);
        expect(t.br * (t.t ?? 1)).toBeLessThanOrEqual(256);
      }
    }
  });

  it("forward and backward with d=128, N=70", async () => {
    const s = { batch: 1, heads: 2, n: 70, d: 128 };
    const x = randomQKV(s);
    const fwd = await flashAttention(ctx, s, x, { withLse: true });
    const ref = attentionForward(x.q, x.k, x.v, s);
    expect(relativeError(fwd.o, ref.o)).toBeLessThan(1e-5);
    const dO = randomArray(x.q.length);
    const grads = await flashAttentionBackward(ctx, s, { ...x, o: fwd.o, dO, lse: fwd.lse! });
    const gref = attentionBackward(x.q, x.k, x.v, dO, s);
    for (const name of ["dq", "dk", "dv"] as const) expect(relativeError(grads[name], gref[name]), name).toBeLessThan(1e-5);
  });
});
