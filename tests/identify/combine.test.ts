import { describe, expect, it } from "vitest";
import { combinePhotoProbs, topK } from "../../lib/identify/combine";

function randomDist(n: number): number[] {
  const x = Array.from({ length: n }, () => Math.random() ** 3);
  const s = x.reduce((a, b) => a + b, 0);
  return x.map((v) => v / s);
}

describe("combining photos of one find", () => {
  it("is the identity for one photo", () => {
    const p = randomDist(17);
    const c = combinePhotoProbs([p]);
    c.forEach((v, i) => expect(v).toBeCloseTo(p[i], 12));
  });
  it("is the renormalised geometric mean for several, and sums to 1", () => {
    const ps = [randomDist(9), randomDist(9), randomDist(9)];
    const c = combinePhotoProbs(ps);
    const g = ps[0].map((_, i) => Math.cbrt(ps[0][i] * ps[1][i] * ps[2][i]));
    const s = g.reduce((a, b) => a + b, 0);
    c.forEach((v, i) => expect(v).toBeCloseTo(g[i] / s, 12));
    expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it("lets a photo that rules a class out pull it down without a hard veto on exact zeros", () => {
    const c = combinePhotoProbs([[0.5, 0.5, 0], [0.5, 0.0, 0.5]]);
    expect(c[0]).toBeGreaterThan(0.99);
    expect(Number.isFinite(c[1])).toBe(true);
  });
  it("rejects mismatched or missing inputs", () => {
    expect(() => combinePhotoProbs([])).toThrow(/no photos/);
    expect(() => combinePhotoProbs([[1], [0.5, 0.5]])).toThrow(/photo 1 has 2 classes/);
  });
  it("ranks the top k with labels", () => {
    const r = topK([0.1, 0.5, 0.2, 0.2], ["a", "b", "c", "d"], 3);
    expect(r.map((x) => x.label)).toEqual(["b", "c", "d"]);
    expect(() => topK([1], ["a", "b"], 1)).toThrow(/labels/);
  });
});
