import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFloats } from "../gpu/buffers.ts";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { encodeFlashForward, flashAttention, type AttentionShape, type BlockMask } from "./index.ts";
import { attentionForward, blockCount, relativeError } from "./reference.ts";
import { packQKV, randomQKV } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

const label = (s: AttentionShape) => `B=${s.batch} H=${s.heads} N=${s.n} d=${s.d}`;

describe("flash attention forward (f32) vs float64 reference", () => {
  const cases: AttentionShape[] = [
    { batch: 2, heads: 2, n: 1, d: 64 },
    { batch: 2, heads: 2, n: 17, d: 64 },
    { batch: 1, heads: 3, n: 64, d: 64 },
    { batch: 1, heads: 2, n: 197, d: 64 },
    { batch: 1, heads: 1, n: 333, d: 64 },
    { batch: 1, heads: 1, n: 1024, d: 64 },
    { batch: 1, heads: 2, n: 77, d: 32 },
    { batch: 1, heads: 1, n: 150, d: 128 },
  ];
  for (const s of cases) {
    it(`${label(s)}: o and lse`, async () => {
      const x = randomQKV(s);
      const out = await flashAttention(ctx, s, x, { withLse: true });
      const ref = attentionForward(x.q, x.k, x.v, s);
      expect(relativeError(out.o, ref.o)).toBeLessThan(1e-5);
      expect(relativeError(out.lse!, ref.lse)).toBeLessThan(1e-5);
    });
  }

  for (const tiles of [{ br: 16, bc: 8, t: 1 }, { br: 8, bc: 16, t: 16 }, { br: 64, bc: 16, t: 2 }]) {
    it(`tiles br=${tiles.br} bc=${tiles.bc} t=${tiles.t}, N=100, custom scale`, async () => {
      const s = { batch: 1, heads: 2, n: 100, d: 64 };
      const x = randomQKV(s);
      const out = await flashAttention(ctx, s, x, { tiles, scale: 0.3 });
      expect(relativeError(out.o, attentionForward(x.q, x.k, x.v, s, { scale: 0.3 }).o)).toBeLessThan(1e-5);
    });
  }

  it("reads strided views of a fused [B, N, 3, H, d] qkv buffer and writes an offset output", async () => {
    const s = { batch: 2, heads: 3, n: 45, d: 64 };
    const x = randomQKV(s);
    const { n, heads: H, d } = s;
    const packed = ctx.alloc.upload(packQKV(s, x), "packed qkv");
    const outOffset = 7; // an output written at an element offset into a larger buffer, [B, N, H, d] order
    const o = ctx.alloc.storage((outOffset + s.batch * n * H * d) * 4, "o");
    const strides: [number, number, number] = [n * 3 * H * d, d, 3 * H * d];
    const enc = ctx.device.createCommandEncoder();
    await encodeFlashForward(ctx, enc, s, {
      q: { buffer: packed, offset: 0, strides },
      k: { buffer: packed, offset: H * d, strides },
      v: { buffer: packed, offset: 2 * H * d, strides },
      o: { buffer: o, offset: outOffset, strides: [n * H * d, d, H * d] },
    });
    await ctx.submit(enc);
    const got = (await readFloats(ctx.device, o, outOffset + s.batch * n * H * d)).subarray(outOffset);
    const ref = attentionForward(x.q, x.k, x.v, s).o;
    const refBNHd = new Float64Array(ref.length);
    for (let b = 0; b < s.batch; b++)
      for (let h = 0; h < H; h++)
        for (let i = 0; i < n; i++)
          for (let c = 0; c < d; c++) refBNHd[((b * n + i) * H + h) * d + c] = ref[((b * H + h) * n + i) * d + c];
    expect(relativeError(got, refBNHd)).toBeLessThan(1e-5);
    ctx.alloc.release(packed);
    ctx.alloc.release(o);
  });
});

describe("degenerate inputs", () => {
  it("very large logits (exact integer scores far past exp overflow)", async () => {
    const s = { batch: 1, heads: 2, n: 70, d: 64 };
    const size = s.batch * s.heads * s.n * s.d;
    const int = () => Float32Array.from({ length: size }, () => 16 * (Math.floor(Math.random() * 7) - 3));
    const x = { q: int(), k: int(), v: randomQKV(s).v };
    const out = await flashAttention(ctx, s, x, { scale: 1, withLse: true });
    const ref = attentionForward(x.q, x.k, x.v, s, { scale: 1 });
    expect(Math.max(...ref.lse.map(Math.abs))).toBeGreaterThan(1000);
    expect(relativeError(out.o, ref.o)).toBeLessThan(1e-5);
    expect(relativeError(out.lse!, ref.lse)).toBeLessThan(1e-5);
  });

  it("all-equal rows give the mean of v", async () => {
    const s = { batch: 1, heads: 1, n: 97, d: 64 };
    const x = randomQKV(s, 5);
    const krow = x.k.slice(0, s.d);
    for (let i = 0; i < s.n; i++) x.k.set(krow, i * s.d);
    const out = await flashAttention(ctx, s, x);
    const mean = new Float64Array(s.d);
    for (let i = 0; i < s.n; i++) for (let c = 0; c < s.d; c++) mean[c] += x.v[i * s.d + c] / s.n;
    const expected = new Float64Array(s.n * s.d).map((_, i) => mean[i % s.d]);
    expect(relativeError(out.o, expected)).toBeLessThan(1e-5);
  });
});

describe("block-sparse flash attention", () => {
  function randomMask(s: AttentionShape, blockSize: number, heads: number): BlockMask {
    const nb = blockCount(s.n, blockSize);
    const blocks = Uint8Array.from({ length: heads * nb * nb }, () => (Math.random() < 0.5 ? 1 : 0));
    for (let h = 0; h < heads; h++) {
      blocks.fill(0, (h * nb + 1) * nb, (h * nb + 2) * nb); // query block 1: no keys at all
      blocks[h * nb * nb] = 1;
      for (let qb = 0; qb < nb; qb++) blocks[(h * nb + qb) * nb + nb - 1] = 0; // the last key block: never read
    }
    return { blockSize, heads, blocks };
  }

  for (const [n, blockSize, maskHeads] of [[197, 32, 2], [333, 64, 1], [64, 16, 2]] as const) {
    it(`N=${n} blockSize=${blockSize} mask heads=${maskHeads}: matches the masked reference, skips zero blocks`, async () => {
      const s = { batch: 2, heads: 2, n, d: 64 };
      const x = randomQKV(s);
      const mask = randomMask(s, blockSize, maskHeads);
      const ref = attentionForward(x.q, x.k, x.v, s, { mask });
      // Keys of the last block are masked everywhere: NaN there proves those blocks are never loaded.
      const nb = blockCount(n, blockSize);
      for (let bh = 0; bh < s.batch * s.heads; bh++) {
        for (let j = (nb - 1) * blockSize; j < n; j++) {
          x.k.fill(NaN, (bh * n + j) * s.d, (bh * n + j + 1) * s.d);
          x.v.fill(NaN, (bh * n + j) * s.d, (bh * n + j + 1) * s.d);
        }
      }
      const out = await flashAttention(ctx, s, x, { mask, withLse: true });
      expect(relativeError(out.o, ref.o)).toBeLessThan(1e-5);
      const finite = [...ref.lse.keys()].filter((i) => Number.isFinite(ref.lse[i]));
      expect(finite.length).toBeLessThan(ref.lse.length);
      expect(relativeError(finite.map((i) => out.lse![i]), finite.map((i) => ref.lse[i]))).toBeLessThan(1e-5);
      for (const [i, l] of ref.lse.entries()) if (!Number.isFinite(l)) expect(out.lse![i]).toBe(-Infinity);
    });
  }

  it("an all-ones mask equals dense attention", async () => {
    const s = { batch: 1, heads: 1, n: 90, d: 64 };
    const x = randomQKV(s);
    const nb = blockCount(s.n, 32);
    const out = await flashAttention(ctx, s, x, { mask: { blockSize: 32, heads: 1, blocks: new Uint8Array(nb * nb).fill(1) } });
    expect(relativeError(out.o, attentionForward(x.q, x.k, x.v, s).o)).toBeLessThan(1e-5);
  });
});
