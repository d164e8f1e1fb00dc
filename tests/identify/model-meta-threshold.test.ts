import { describe, expect, it } from "vitest";
import { formatModelMeta, parseModelMeta } from "../../lib/vit/model-meta.ts";

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
    const m = parseModelMeta({ ...formatModelMeta(base), abstain_threshold: "0.42" });
    expect(m.abstainThreshold).toBe(0.42);
  });
  it("rejects a threshold that is not a number", () => {
    expect(() => parseModelMeta({ ...formatModelMeta(base), abstain_threshold: "high" })).toThrow(/abstain_threshold/);
  });
});
