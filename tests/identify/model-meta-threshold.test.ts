import { describe, expect, it } from "vitest";
import { formatModelMeta, parseModelMeta } from "../../lib/vit/model-meta.ts";
import { chooseAbstainThreshold } from "../../models/train/metrics.ts";
import { exportSpeciesModel } from "../../models/train/export-species.ts";
import type { LinearHead } from "../../models/train/linear-head.ts";
import { ABSTAIN_FLOOR } from "../../lib/verdict/thresholds.ts";
import { settings } from "../../lib/settings";

const base = parseModelMeta({
  model_id: "m",
  labels: JSON.stringify(["Agaricus arvensis", "Amanita virosa"]),
  image_size: "224",
  resize_size: "248",
  interpolation: "bicubic",
  mean: "0.5,0.5,0.5",
  std: "0.5,0.5,0.5",
  temperature: "1.3",
  patch_size: "16",
  embed_dim: "192",
  depth: "12",
  num_heads: "3",
  mlp_dim: "768",
  layer_norm_eps: "0.000001",
});

describe("the abstain threshold travels in the model metadata", () => {
  it("is absent for a model without a validation run", () => {
    expect(base.abstainThreshold).toBeUndefined();
  });
  it("is read when the training run wrote it", () => {
    const m = parseModelMeta({ ...formatModelMeta(base), abstain_threshold: "0.72" });
    expect(m.abstainThreshold).toBe(0.72);
  });
  it("rejects a threshold that is not a number", () => {
    expect(() => parseModelMeta({ ...formatModelMeta(base), abstain_threshold: "high" })).toThrow(/abstain_threshold/);
  });
});

// Review finding 4: 1.0001 made every request fail with a RangeError (HTTP 500); 0 switched "not sure" off.
describe("an unusable abstain threshold never reaches the verdict", () => {
  it.each(["1.0001", "1", "0", "0.2", "NaN"])("rejects %s in the model metadata", (t) => {
    expect(() => parseModelMeta({ ...formatModelMeta(base), abstain_threshold: t })).toThrow(/abstain_threshold/);
  });
  it("training clamps to the floor, and answers 1 (unusable) when nothing qualifies", () => {
    // Three validation photos, all wrong: no threshold reaches 90% accuracy.
    const probs = Float64Array.from([0.9, 0.1, 0.8, 0.2, 0.7, 0.3]);
    expect(chooseAbstainThreshold({ probs, labels: [1, 1, 1], C: 2 }, ["EDIBLE", "EDIBLE"])).toBe(1);
    // All right at any confidence: the lowest threshold would be 0; it is raised to the floor.
    expect(chooseAbstainThreshold({ probs, labels: [0, 0, 0], C: 2 }, ["EDIBLE", "EDIBLE"])).toBe(ABSTAIN_FLOOR);
  });
  it("export refuses an unusable threshold", () => {
    const head: LinearHead = { C: 2, D: 192, weight: new Float64Array(2 * 192), bias: new Float64Array(2) };
    const extras = { speciesIds: [1, 2], slugs: ["a", "b"], edibility: ["EDIBLE", "EDIBLE"], trainingRun: "test" };
    for (const abstainThreshold of [1, 1.0001, 0]) {
      expect(() =>
        exportSpeciesModel({ backboneDir: settings().backboneDir, modelId: "m", head, labels: ["A a", "B b"], temperature: 1, extras: { ...extras, abstainThreshold } }),
      ).toThrow(/refusing to export m: abstain threshold/);
    }
  });
});
