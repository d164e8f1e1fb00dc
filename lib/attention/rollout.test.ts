// Attention rollout kernels vs the float64 reference: fresh random inputs at awkward sizes, planted attention sinks,
// outputs poisoned before each run (runOnHost), strided views of a fused qkv buffer, and a chain of blocks against the
// whole-rollout reference.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFloats } from "../gpu/buffers.ts";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { attentionRolloutStep, encodeFlashForward, encodeRolloutStep, flashAttention, type AttentionShape } from "./index.ts";
import { attentionForward, defaultScale, relativeError } from "./reference.ts";
import { attentionRollout, rolloutStep, sinkThreshold } from "./rollout-reference.ts";
import { packQKV, randomArray, randomQKV } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

/** Random q, k with `sinks` keys every query attends to strongly (scores raised by about 6 after scaling). */
function withSinks(s: AttentionShape, sinks: number[]) {
  const x = randomQKV(s);
  const a = Math.sqrt(6) / s.d ** 0.25;
  for (let bh = 0; bh < s.batch * s.heads; bh++) {
    for (let i = 0; i < s.n; i++) for (let c = 0; c < s.d; c++) x.q[(bh * s.n + i) * s.d + c] += a;
    for (const j of sinks) for (let c = 0; c < s.d; c++) x.k[(bh * s.n + j) * s.d + c] += a;
  }
  return x;
}

const lseOf = (x: { q: Float32Array; k: Float32Array; v: Float32Array }, s: AttentionShape) => Float32Array.from(attentionForward(x.q, x.k, x.v, s).lse);
const label = (s: AttentionShape) => `B=${s.batch} H=${s.heads} N=${s.n} d=${s.d}`;

describe("attention rollout step vs float64 reference", () => {
  const cases: [AttentionShape, number[], boolean][] = [
    [{ batch: 1, heads: 1, n: 1, d: 64 }, [], false],
    [{ batch: 1, heads: 3, n: 5, d: 64 }, [], true],
    [{ batch: 2, heads: 3, n: 17, d: 32 }, [3], true],
    [{ batch: 2, heads: 2, n: 77, d: 128 }, [1, 76], false],
    [{ batch: 1, heads: 3, n: 197, d: 64 }, [1, 14, 183, 196], true],
    [{ batch: 1, heads: 2, n: 333, d: 64 }, [0, 100, 101], false],
  ];
  for (const [s, sinks, hasInput] of cases) {
    it(`${label(s)}, planted sinks [${sinks}], ${hasInput ? "rIn given" : "last block (e_0)"}: col, w and r`, async () => {
      const x = withSinks(s, sinks);
      const rIn = hasInput ? randomArray(s.batch * s.n).map(Math.abs) : undefined;
      const out = await attentionRolloutStep(ctx, s, { q: x.q, k: x.k, lse: lseOf(x, s), rIn });
      const ref = rolloutStep(x.q, x.k, s, rIn ?? null);
      expect(relativeError(out.col, ref.col)).toBeLessThan(1e-5);
      expect(relativeError(out.w, ref.w)).toBeLessThan(1e-5);
      expect(relativeError(out.r, ref.r)).toBeLessThan(1e-5);
      // The planted sinks are found (the class token, j = 0, never is one) and get exactly 0.
      const found = [...ref.col.keys()].filter((i) => i % s.n >= 1 && ref.col[i]! > sinkThreshold(s.n)).map((i) => i % s.n);
      expect([...new Set(found)].sort((a, b) => a - b)).toEqual(sinks.filter((j) => j >= 1));
      for (let b = 0; b < s.batch; b++) for (const j of found) expect(out.r[b * s.n + j]).toBe(0);
    });
  }

  it("two tokens with equal scores, last block: r = [0.75, 0.25] (by hand: (e_0 + [1/2, 1/2]) / 2)", async () => {
    const s = { batch: 1, heads: 1, n: 2, d: 32 };
    const zeros = new Float32Array(2 * 32);
    const out = await attentionRolloutStep(ctx, s, { q: zeros, k: zeros, lse: new Float32Array([Math.log(2), Math.log(2)]) });
    expect(Array.from(rolloutStep(zeros, zeros, s, null).r)).toEqual([0.75, 0.25]);
    expect(relativeError(out.r, [0.75, 0.25])).toBeLessThan(1e-6);
    expect(relativeError(out.col, [0.5, 0.5])).toBeLessThan(1e-6);
  });
});

describe("rollout inside a forward pass", () => {
  it("reads q, k from a fused [B, N, 3, H, d] buffer and lse from the flash kernel; three chained blocks equal the whole-rollout reference", async () => {
    const s = { batch: 2, heads: 3, n: 45, d: 64 };
    const blocks = [withSinks(s, [7]), withSinks(s, []), withSinks(s, [2, 30])];
    const bn = s.batch * s.n;
    const scratch = ["col", "w", "r0", "r1"].map((l) => ctx.alloc.storage(bn * 4, `rollout ${l}`));
    const [col, w, r0, r1] = scratch as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
    const held: GPUBuffer[] = [...scratch];
    const enc = ctx.device.createCommandEncoder();
    const strides: [number, number, number] = [s.n * 3 * s.heads * s.d, s.d, 3 * s.heads * s.d];
    const hd = s.heads * s.d;
    // Last block first: r0 <- block 2 (e_0), r1 <- block 1, r0 <- block 0.
    for (const [step, l] of [2, 1, 0].entries()) {
      const qkv = ctx.alloc.upload(packQKV(s, blocks[l]!), `qkv ${l}`);
      const lse = ctx.alloc.storage(bn * s.heads * 4, `lse ${l}`);
      const o = ctx.alloc.storage(bn * hd * 4, `o ${l}`);
      held.push(qkv, lse, o);
      const q = { buffer: qkv, offset: 0, strides };
      const k = { buffer: qkv, offset: hd, strides };
      await encodeFlashForward(ctx, enc, s, { q, k, v: { buffer: qkv, offset: 2 * hd, strides }, o, lse });
      const [rIn, rOut] = step === 0 ? [null, r0] : step === 1 ? [r0, r1] : [r1, r0];
      await encodeRolloutStep(ctx, enc, s, { q, k, lse, rIn, col, w, rOut });
    }
    await ctx.submit(enc);
    const got = await readFloats(ctx.device, r0, bn);
    for (const b of held) ctx.alloc.release(b);
    for (let b = 0; b < s.batch; b++) {
      const mean = blocks.map((x) => meanAttention(x, s, b));
      const ref = attentionRollout(mean, s.n);
      const mine = got.subarray(b * s.n, (b + 1) * s.n);
      const total = mine.reduce((a, v) => a + v, 0);
      expect(relativeError(mine.map((v) => v / total), ref)).toBeLessThan(1e-5);
    }
  });

  it("with the flash kernel's own lse, one block agrees with the reference", async () => {
    const s = { batch: 1, heads: 3, n: 197, d: 64 };
    const x = withSinks(s, [1, 14]);
    const { lse } = await flashAttention(ctx, s, x, { withLse: true });
    const out = await attentionRolloutStep(ctx, s, { q: x.q, k: x.k, lse: lse! });
    expect(relativeError(out.r, rolloutStep(x.q, x.k, s, null).r)).toBeLessThan(1e-5);
  });

  it("refuses aliased outputs and short buffers, naming them", async () => {
    const s = { batch: 1, heads: 1, n: 8, d: 32 };
    const b = ctx.alloc.storage(8 * 32 * 4, "qk");
    const small = ctx.alloc.storage(4 * 4, "small");
    const enc = ctx.device.createCommandEncoder();
    await expect(encodeRolloutStep(ctx, enc, s, { q: b, k: b, lse: small, rIn: null, col: small, w: small, rOut: small })).rejects.toThrow(/lse \[B=1, H=1, N=8\] f32 needs 32 B, buffer "small" has 16/);
    const n8 = ctx.alloc.storage(8 * 4, "n8");
    await expect(encodeRolloutStep(ctx, enc, s, { q: b, k: b, lse: n8, rIn: n8, col: n8, w: n8, rOut: n8 })).rejects.toThrow(/must be different buffers/);
    for (const x of [b, small, n8]) ctx.alloc.release(x);
  });
});

/** Head-averaged softmax(scale q k^T) of image b: [N, N] in float64. */
function meanAttention(x: { q: Float32Array; k: Float32Array }, s: AttentionShape, b: number): Float64Array {
  const out = new Float64Array(s.n * s.n);
  const scale = defaultScale(s.d);
  for (let h = 0; h < s.heads; h++) {
    const base = (b * s.heads + h) * s.n * s.d;
    for (let i = 0; i < s.n; i++) {
      const row = Array.from({ length: s.n }, (_, j) => {
        let dot = 0;
        for (let c = 0; c < s.d; c++) dot += x.q[base + i * s.d + c]! * x.k[base + j * s.d + c]!;
        return dot * scale;
      });
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const z = e.reduce((a, v) => a + v, 0);
      e.forEach((v, j) => (out[i * s.n + j] += v / z / s.heads));
    }
  }
  return out;
}
