import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { attentionRowWeights, checkNaiveFits, naiveAttention, NaiveOutOfMemory, type AttentionShape } from "./index.ts";
import { attentionForward, relativeError, rowWeights } from "./reference.ts";
import { randomQKV } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

describe("naive three-kernel attention", () => {
  for (const s of [
    { batch: 2, heads: 2, n: 1, d: 64 },
    { batch: 1, heads: 2, n: 17, d: 64 },
    { batch: 1, heads: 3, n: 197, d: 64 },
    { batch: 1, heads: 1, n: 333, d: 64 },
  ] as AttentionShape[]) {
    it(`B=${s.batch} H=${s.heads} N=${s.n} d=${s.d} vs reference`, async () => {
      const x = randomQKV(s);
      const out = await naiveAttention(ctx, s, x);
      expect(relativeError(out.o, attentionForward(x.q, x.k, x.v, s).o)).toBeLessThan(1e-5);
    });
  }

  it("refuses a score matrix larger than the device can bind, with NaiveOutOfMemory", () => {
    const s = { batch: 1, heads: 3, n: 1 << 14, d: 64 };
    expect(() => checkNaiveFits(ctx.limits, s)).toThrow(NaiveOutOfMemory);
    expect(() => checkNaiveFits(ctx.limits, s)).toThrow(/score matrix \[1, 3, 16384, 16384\]/);
  });
});

describe("attention weights of one query row", () => {
  for (const [s, row] of [
    [{ batch: 2, heads: 3, n: 197, d: 64 }, 0],
    [{ batch: 1, heads: 2, n: 1000, d: 64 }, 999],
    [{ batch: 1, heads: 1, n: 5, d: 32 }, 2],
  ] as [AttentionShape, number][]) {
    it(`B=${s.batch} H=${s.heads} N=${s.n} row ${row}`, async () => {
      const x = randomQKV(s, 2);
      const w = await attentionRowWeights(ctx, s, x, { row });
      expect(relativeError(w, rowWeights(x.q, x.k, s, row))).toBeLessThan(1e-5);
      for (let bh = 0; bh < s.batch * s.heads; bh++) {
        expect(w.subarray(bh * s.n, (bh + 1) * s.n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    });
  }
});
