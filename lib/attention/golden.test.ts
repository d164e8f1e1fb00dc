// Golden cases small enough to check by hand (STYLE.md #5): each runs against the float64 reference, and through the
// GPU kernels with d zero-padded to 32 (zero columns change no score and produce zero output columns). The GPU bound
// is the f32 one (1e-5): the shifted case's inputs (1001.0986...) already lose ~6e-5 to f32 rounding.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GpuContext } from "../gpu/device.ts";
import { nodeGpu } from "../gpu/node.ts";
import { flashAttention, flashAttentionBackward, naiveAttention } from "./index.ts";
import { attentionBackward, attentionForward, relativeError } from "./reference.ts";

interface Golden {
  name: string;
  scale: number;
  n: number;
  d: number;
  q: number[][];
  k: number[][];
  v: number[][];
  dO?: number[][];
  expect: { o: number[][]; lse: number[]; dq?: number[][]; dk?: number[][]; dv?: number[][] };
}

const dir = path.join(import.meta.dirname, "golden");
const cases: Golden[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Golden);

const flat = (rows: number[][], width: number) => {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(r, i * width));
  return out;
};
const unpad = (a: ArrayLike<number>, n: number, from: number, to: number) =>
  Array.from({ length: n * to }, (_, i) => a[Math.floor(i / to) * from + (i % to)]);

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu({ validate: false });
});
afterAll(() => ctx?.destroy());

describe("golden attention cases", () => {
  it("found the case files", () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const g of cases) {
    const s = { batch: 1, heads: 1, n: g.n, d: g.d };
    it(`${g.name}: float64 reference`, () => {
      const ref = attentionForward(g.q.flat(), g.k.flat(), g.v.flat(), s, { scale: g.scale });
      expect(relativeError(ref.o, g.expect.o.flat())).toBeLessThan(1e-12);
      expect(relativeError(ref.lse, g.expect.lse)).toBeLessThan(1e-12);
      if (g.dO) {
        const grads = attentionBackward(g.q.flat(), g.k.flat(), g.v.flat(), g.dO.flat(), s, { scale: g.scale });
        for (const name of ["dq", "dk", "dv"] as const) expect(relativeError(grads[name], g.expect[name]!.flat())).toBeLessThan(1e-12);
      }
    });
    it(`${g.name}: GPU kernels (d padded to 32)`, async () => {
      const p = { ...s, d: 32 };
      const x = { q: flat(g.q, 32), k: flat(g.k, 32), v: flat(g.v, 32) };
      const flash = await flashAttention(ctx, p, x, { scale: g.scale, withLse: true });
      expect(relativeError(unpad(flash.o, g.n, 32, g.d), g.expect.o.flat())).toBeLessThan(1e-5);
      expect(relativeError(flash.lse!, g.expect.lse)).toBeLessThan(1e-5);
      const naive = await naiveAttention(ctx, p, x, { scale: g.scale });
      expect(relativeError(unpad(naive.o, g.n, 32, g.d), g.expect.o.flat())).toBeLessThan(1e-5);
      if (g.dO) {
        const grads = await flashAttentionBackward(ctx, p, { ...x, o: flash.o, lse: flash.lse!, dO: flat(g.dO, 32) }, { scale: g.scale });
        for (const name of ["dq", "dk", "dv"] as const) {
          expect(relativeError(unpad(grads[name], g.n, 32, g.d), g.expect[name]!.flat())).toBeLessThan(1e-5);
        }
      }
    });
  }
});
