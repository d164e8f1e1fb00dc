import { describe, expect, it } from "vitest";
import { DEFAULT_FINETUNE } from "./finetune/train.ts";
import { gaussian, seededRandom } from "./rng.ts";
import { evaluateUnseenSpecies, unseenFolds, type UnseenPhoto } from "./species-unseen.ts";

describe("unseenFolds", () => {
  it("holds out every eligible class in exactly one fold, balanced, and never an ineligible one", () => {
    const eligible = Array.from({ length: 333 }, (_, c) => c % 7 !== 3);
    const fold = unseenFolds(eligible, 5, 11);
    const sizes = [0, 0, 0, 0, 0];
    eligible.forEach((e, c) => {
      if (!e) expect(fold[c]).toBe(-1);
      else sizes[fold[c]!]!++;
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(eligible.filter(Boolean).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(unseenFolds(eligible, 5, 11)).toEqual(fold);
    expect(unseenFolds(eligible, 5, 12)).not.toEqual(fold);
  });
});

describe("evaluateUnseenSpecies", () => {
  // Each class has its own feature direction. When a class is held out, its photos either point at nothing the
  // model knows (-> not sure), halfway between two congeners (-> the genus), or exactly at another genus's species
  // (-> a confident wrong species), or at a section of its own genus: the outcomes the card counts, through the
  // site's own verdict.
  const labels = ["Amanita phalloides", "Amanita rubescens", "Amanita muscaria", "Amanita sect. Caesareae", "Boletus edulis", "Cantharellus cibarius", "Fistulina hepatica", "Morchella esculenta", "Laetiporus sulphureus", "Pleurotus ostreatus", "Craterellus cornucopioides"];
  const D = 16;
  const r = seededRandom(5);
  // Noise only on a shared coordinate: Adam walks the weights of coordinates that carry only noise, which would make
  // the held-out class's own direction score at random instead of alike for all known classes.
  const at = (...dirs: number[]) => {
    const v = new Float32Array(D);
    v[D - 1] = 4 + 0.2 * gaussian(r);
    for (const d of dirs) v[d]! += 4 / Math.sqrt(dirs.length);
    return v;
  };
  const train = labels.flatMap((_, c) => Array.from({ length: 20 }, () => ({ rec: { feat: at(c) }, allowed: [c] })));
  const photo = (classIndex: number, side: "val" | "test", dirs: number[]): UnseenPhoto => {
    const f = at(...dirs);
    return { classIndex, side, source: "synthetic", orig: f, flip: f };
  };
  const testDirs = (c: number) => (c === 0 ? [1, 2] : c === 2 ? [3] : c === 4 ? [5] : [c]);
  const photos = labels.flatMap((_, c) => [photo(c, "val", [c]), photo(c, "val", [c]), photo(c, "test", testDirs(c)), photo(c, "test", testDirs(c))]);

  for (const fusion of [null, { alpha: 0.9, temperature: 0.05 }]) {
    it(`counts not sure, genus and confident wrong answers for held-out species (prototype fusion ${fusion ? "on" : "off"})`, () => {
      const res = evaluateUnseenSpecies({
        labels,
        eligible: labels.map((l) => !l.includes("sect.")),
        D,
        train,
        photos,
        probe: { ...DEFAULT_FINETUNE, epochs: 40, batch: 16, lrHead: 0.05, weightDecay: 0 },
        tta: true,
        fusion,
        abstainThreshold: 0.75,
        folds: 10,
        seed: 3,
      });
      expect(res.heldOutTaxa).toBe(10);
      expect(res.photos).toBe(40);
      expect(res.outcomes).toEqual({ "named-wrong": 2, "named-section": 2, "genus-right": 2, "genus-wrong": 0, "not-sure": 34 });
      expect(res.genusInModel).toEqual({ photos: 12, genusRight: 2, namedWrong: 0 });
      expect(res.genusAbsent).toEqual({ photos: 28, notSure: 26, namedWrong: 2 });
      expect(res.named.filter((n) => n.outcome === "named-wrong").map((n) => [n.truth, n.named])).toEqual([
        ["Boletus edulis", "Cantharellus cibarius"],
        ["Boletus edulis", "Cantharellus cibarius"],
      ]);
      expect(res.named.filter((n) => n.outcome === "named-section").map((n) => [n.truth, n.named])).toEqual([
        ["Amanita muscaria", "Amanita sect. Caesareae"],
        ["Amanita muscaria", "Amanita sect. Caesareae"],
      ]);
      expect(res.named[0]!.probability).toBeGreaterThanOrEqual(0.75);
      expect(res.dangerous.photos).toBe(12);
      // A. muscaria (deadly) named as the edible sect. Caesareae is shown as edible, still with the Amanita warning.
      expect(res.dangerous.shownEdible).toBe(2);
      expect(res.dangerous.warned).toBe(12);
    });
  }
});
