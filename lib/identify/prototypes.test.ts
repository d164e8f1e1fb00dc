import { describe, expect, it } from "vitest";
import { fusedLabels, fuseWithPrototypes, meanPrototype, type PrototypeSet } from "./prototypes";

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};

describe("prototype head fusion", () => {
  const set: PrototypeSet = { dim: 3, temperature: 0.05, alpha: 0.8, taxa: [{ name: "A a", vector: unit(1, 0, 0) }, { name: "New taxon", vector: unit(0, 1, 0) }] };
  it("appends taxa only the prototypes know, and keeps a distribution", () => {
    expect(fusedLabels(["A a", "B b"], set)).toEqual(["A a", "B b", "New taxon"]);
    const p = fuseWithPrototypes(["A a", "B b"], [0.3, 0.7], [0, 2, 0.1], set);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p[1]).toBeCloseTo(0.8 * 0.7, 6);
    // The photo's feature points at the new taxon's prototype: it gets nearly all of the prototypes' share.
    expect(p[2]!).toBeGreaterThan(0.19);
    expect(p[2]!).toBeLessThanOrEqual(0.2 + 1e-6);
  });
  it("is the head alone without prototypes or a feature", () => {
    expect(Array.from(fuseWithPrototypes(["A a", "B b"], [0.3, 0.7], null, set)).slice(0, 2).map((x) => +x.toFixed(6))).toEqual([0.3, 0.7]);
    expect(Array.from(fuseWithPrototypes(["A a"], [1], [1, 0, 0], null))).toEqual([1]);
  });
  it("averages normalised features into a unit prototype", () => {
    const m = meanPrototype([[2, 0, 0], [0, 3, 0]])!;
    expect(Math.hypot(...m)).toBeCloseTo(1, 6);
    expect(m[0]).toBeCloseTo(m[1]!, 6);
    expect(meanPrototype([])).toBeNull();
  });
});
