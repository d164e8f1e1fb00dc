import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { flashAttention, type AttentionShape } from "./index.ts";
import { attentionForward, relativeError } from "./reference.ts";
import { randomArray } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

function qkv(s: AttentionShape, amplitude = 1) {
  const size = s.batch * s.heads * s.n * s.d;
  return { q: randomArray(size, amplitude), k: randomArray(size, amplitude), v: randomArray(size) };
}

describe("flash attention forward (f32) vs float64 reference", () => {
  const cases: AttentionShape[] = [
    { batch: 2, heads: 2, n: 1, d: 64 },
    { batch: 2, heads: 2, n: 17, d: 64 },
    { batch: 1, heads: 3, n: 64, d: 64 },
    { batch: 1, heads: 2, n: 197, d: 64 },
    { batch: 1, heads: 1, n: 333, d: 64 },
    { batch: 1, heads: 1, n: 1024, d: 64 },
  ];
  for (const s of cases) {
    it(`B=${s.batch} H=${s.heads} N=${s.n} d=${s.d}: o and lse`, async () => {
      const x = qkv(s);
      const out = await flashAttention(ctx, s, x, { withLse: true });
      const ref = attentionForward(x.q, x.k, x.v, s);
      expect(relativeError(out.o, ref.o)).toBeLessThan(1e-5);
      expect(relativeError(out.lse!, ref.lse)).toBeLessThan(1e-5);
    });
  }
});
