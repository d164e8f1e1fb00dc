import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { vitModelFromOnnx } from "./model.ts";
import { vitForwardRef } from "./reference.ts";
import { interpolatePosEmbed } from "./pos-embed.ts";
import { maxAbsDiff, modelBytes, randn } from "../../tests/vit/fixtures.ts";

describe("CPU reference forward", () => {
  it("agrees with onnxruntime-node on a random image (logits, features, class-token attention)", async () => {
    const bytes = modelBytes();
    const model = vitModelFromOnnx(bytes);
    const image = randn(3 * 224 * 224);
    const layers: string[] = [];
    const ref = vitForwardRef(image, model.weights, model.meta, (name) => layers.push(name));
    expect(layers).toHaveLength(2 + 2 * 12);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ pixel_values: new ort.Tensor("float32", image, [1, 3, 224, 224]) });
    expect(maxAbsDiff(out.logits!.data as Float32Array, ref.logits)).toBeLessThan(1e-3);
    expect(maxAbsDiff(out.features!.data as Float32Array, ref.features)).toBeLessThan(1e-3);
    expect(maxAbsDiff(out.cls_attention!.data as Float32Array, ref.clsAttention)).toBeLessThan(1e-4);
  });

  it("interpolates the position embedding for 448 px (N = 785) and keeps it for 224", () => {
    const D = 5;
    const pos = randn(197 * D);
    expect(interpolatePosEmbed(pos, D, 14)).toBe(pos);
    const big = interpolatePosEmbed(pos, D, 28);
    expect(big.length).toBe(785 * D);
    expect(Array.from(big.subarray(0, D))).toEqual(Array.from(pos.subarray(0, D)));
    // Bicubic weights sum to one: a constant grid stays constant.
    const flat = new Float32Array(197 * D).fill(0.75);
    expect(maxAbsDiff(interpolatePosEmbed(flat, D, 28), new Float32Array(785 * D).fill(0.75))).toBeLessThan(1e-6);
  });
});
