import { describe, expect, it } from "vitest";
import { addPrototype, fitPrototypes, prototypeScores } from "./prototype-head.ts";
import { gaussian, seededRandom } from "./rng.ts";

function sample(centre: Float64Array, n: number, r: () => number): Float64Array {
  const D = centre.length;
  return Float64Array.from({ length: n * D }, (_, i) => centre[i % D]! + 0.5 * gaussian(r));
}

describe("prototype head", () => {
  it("recognises a species added after fitting, without touching the others", () => {
    const D = 32;
    const r = seededRandom(4);
    const centres = Array.from({ length: 5 }, () => Float64Array.from({ length: D }, () => gaussian(r)));
    const train = centres.slice(0, 4).map((c) => sample(c, 10, r));
    const x = Float64Array.from(train.flatMap((t) => Array.from(t)));
    const y = Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 10));
    const four = fitPrototypes(x, y, 4, D);
    const five = addPrototype(four, sample(centres[4]!, 10, r));
    expect(five.prototypes.subarray(0, 4 * D)).toEqual(four.prototypes);
    for (let c = 0; c < 5; c++) {
      const s = prototypeScores(five, sample(centres[c]!, 5, r));
      for (let n = 0; n < 5; n++) {
        const row = Array.from(s.subarray(n * 5, (n + 1) * 5));
        expect(row.indexOf(Math.max(...row))).toBe(c);
      }
    }
    // Scores are cosines.
    const s = prototypeScores(five, centres[0]!);
    for (const v of s) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-12);
  });
});
