import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { flashAttention, flashAttentionBackward, type AttentionShape } from "./index.ts";
import { attentionBackward, attentionForward, relativeError } from "./reference.ts";
import { randomArray, randomQKV } from "./test-utils.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

/** Forward on the GPU (o, lse), then backward on the GPU for the loss sum(o * dO). */
async function gpuGrads(s: AttentionShape, x: { q: Float32Array; k: Float32Array; v: Float32Array }, dO: Float32Array, scale?: number) {
  const fwd = await flashAttention(ctx, s, x, { withLse: true, scale });
  return flashAttentionBackward(ctx, s, { ...x, o: fwd.o, dO, lse: fwd.lse! }, { scale });
}

describe("flash attention backward vs float64 reference", () => {
  const cases: AttentionShape[] = [
    { batch: 1, heads: 2, n: 1, d: 64 },
    { batch: 2, heads: 1, n: 17, d: 64 },
    { batch: 1, heads: 2, n: 64, d: 64 },
    { batch: 1, heads: 1, n: 197, d: 64 },
    { batch: 1, heads: 1, n: 333, d: 64 },
    { batch: 1, heads: 1, n: 1024, d: 64 },
  ];
  for (const s of cases) {
    it(`B=${s.batch} H=${s.heads} N=${s.n} d=${s.d}: dq, dk, dv`, async () => {
      const x = randomQKV(s);
      const dO = randomArray(x.q.length);
      const got = await gpuGrads(s, x, dO);
      const ref = attentionBackward(x.q, x.k, x.v, dO, s);
      for (const name of ["dq", "dk", "dv"] as const) {
        // N=1: dq and dk are exactly zero (softmax of one score is constant); compare absolutely.
        const err = relativeError(got[name], ref[name]);
        expect(err, name).toBeLessThan(s.n === 1 ? 1e-6 : 1e-5);
      }
    });
  }
});

describe("gradients vs finite differences", () => {
  const s = { batch: 1, heads: 1, n: 19, d: 32 };
  const loss = (o: ArrayLike<number>, w: ArrayLike<number>) => {
    let l = 0;
    for (let i = 0; i < o.length; i++) l += o[i] * w[i];
    return l;
  };
  const picks = (len: number) => Array.from({ length: 6 }, () => Math.floor(Math.random() * len));

  it("the float64 reference backward matches central differences of the reference forward", () => {
    const x = randomQKV(s);
    const w = randomArray(x.q.length);
    const ref = attentionBackward(x.q, x.k, x.v, w, s);
    const eps = 1e-6;
    for (const [name, grad] of [["q", ref.dq], ["k", ref.dk], ["v", ref.dv]] as const) {
      const fd: number[] = [];
      const idx = picks(x[name].length);
      for (const i of idx) {
        const plus = Float64Array.from(x[name]);
        const minus = Float64Array.from(x[name]);
        plus[i] += eps;
        minus[i] -= eps;
        const run = (t: Float64Array) => attentionForward(name === "q" ? t : x.q, name === "k" ? t : x.k, name === "v" ? t : x.v, s).o;
        fd.push((loss(run(plus), w) - loss(run(minus), w)) / (2 * eps));
      }
      expect(relativeError(idx.map((i) => grad[i]), fd), name).toBeLessThan(1e-6);
    }
  });

  it("the GPU backward matches central differences of the GPU forward (f32)", async () => {
    const x = randomQKV(s);
    const w = randomArray(x.q.length);
    const got = await gpuGrads(s, x, w);
    const eps = 1e-2;
    for (const [name, grad] of [["q", got.dq], ["k", got.dk], ["v", got.dv]] as const) {
      const fd: number[] = [];
      const idx = picks(x[name].length);
      for (const i of idx) {
        const at = async (delta: number) => {
          const t = Float32Array.from(x[name]);
          t[i] += delta;
          return loss((await flashAttention(ctx, s, { ...x, [name]: t })).o, w);
        };
        fd.push(((await at(eps)) - (await at(-eps))) / (2 * eps));
      }
      expect(relativeError(idx.map((i) => grad[i]), fd), name).toBeLessThan(1e-2);
    }
  });
});
