import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { exportVitOnnx } from "./export-vit.ts";
import { settings } from "../lib/settings.ts";
import { readOnnxModel } from "../lib/vit/onnx/read.ts";
import { parseModelMeta } from "../lib/vit/model-meta.ts";
import { argmax, maxAbsDiff, modelBytes, randn, sampleBatch } from "../tests/vit/fixtures.ts";
import path from "node:path";
import { preprocessImageFile } from "../lib/vit/preprocess-node.ts";

describe("ViT ONNX export", () => {
  it("onnxruntime-node gets at least 16 of the 17 ImageNet samples right", async () => {
    const bytes = modelBytes();
    const meta = parseModelMeta(readOnnxModel(bytes).metadata);
    expect(meta).toMatchObject({ modelId: "vit-tiny-imagenet", imageSize: 224, resizeSize: 248, mean: [0.5, 0.5, 0.5], temperature: 1 });
    expect(meta.labels).toHaveLength(1000);
    const { batch, items } = await sampleBatch(meta);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ pixel_values: new ort.Tensor("float32", batch, [items.length, 3, 224, 224]) });
    const logits = out.logits!.data as Float32Array;
    const right = items.filter((it, i) => argmax(logits, i * 1000, 1000) === it.index).length;
    expect(right).toBeGreaterThanOrEqual(16);
    expect(out.features!.dims).toEqual([items.length, 192]);
    expect(out.cls_attention!.dims).toEqual([items.length, 3, 197]);
    expect(out.cls_rollout!.dims).toEqual([items.length, 197]);
    const rollout = out.cls_rollout!.data as Float32Array;
    for (let b = 0; b < items.length; b++) expect(rollout.subarray(b * 197, (b + 1) * 197).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
  });

  it("takes a replaced head with labels and temperature, and exposes the features it reads", async () => {
    const C = 7;
    const head = { weight: randn(C * 192, 0.1), bias: randn(C), labels: Array.from({ length: C }, (_, i) => `Species ${i}`) };
    const bytes = exportVitOnnx({ backboneDir: settings().backboneDir, modelId: "species-test", head, temperature: 2.5, depth: 2 });
    const file = readOnnxModel(bytes);
    const meta = parseModelMeta(file.metadata);
    expect(meta.labels).toEqual(head.labels);
    expect(meta.temperature).toBe(2.5);
    expect(meta.depth).toBe(2);
    expect(file.initializers.get("head.weight")!.shape).toEqual([C, 192]);

    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ pixel_values: new ort.Tensor("float32", randn(2 * 3 * 224 * 224), [2, 3, 224, 224]) });
    const f = out.features!.data as Float32Array;
    const logits = out.logits!.data as Float32Array;
    const probs = out.probs!.data as Float32Array;
    const want = new Float64Array(2 * C);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < C; c++) {
        let s = head.bias[c]!;
        for (let k = 0; k < 192; k++) s += f[b * 192 + k]! * head.weight[c * 192 + k]!;
        want[b * C + c] = s;
      }
    expect(maxAbsDiff(logits, want)).toBeLessThan(1e-4);
    const row = Array.from(logits.slice(0, C), (l) => Math.exp(l / 2.5));
    const z = row.reduce((a, b) => a + b);
    expect(maxAbsDiff(probs.slice(0, C), row.map((v) => v / z))).toBeLessThan(1e-5);
  });

  it("refuses a head whose shape does not match its labels", () => {
    const head = { weight: new Float32Array(3 * 191), bias: new Float32Array(3), labels: ["a", "b", "c"] };
    expect(() => exportVitOnnx({ backboneDir: settings().backboneDir, modelId: "bad", head })).toThrow(/weight \[3,192\]/);
  });
});

// Issue 13, smaller model: weights in half precision in the file, expanded to float32 at load by every runtime.
describe("half-precision weights", () => {
  it("halves the file, and onnxruntime and our engine's loader read the same expanded weights", async () => {
    const dir = settings().backboneDir;
    const f32 = exportVitOnnx({ backboneDir: dir, modelId: "f32" });
    const f16 = exportVitOnnx({ backboneDir: dir, modelId: "f16", halfWeights: true });
    expect(f16.length).toBeLessThan(0.55 * f32.length);
    // Our engine's loader: every weight is the float16 rounding of the float32 one.
    const a = readOnnxModel(f32).initializers;
    const b = readOnnxModel(f16).initializers;
    for (const [name, t] of a) {
      const h = b.get(name);
      expect(h?.shape, name).toEqual(t.shape);
      for (let i = 0; i < t.data.length; i += 97) expect(Math.abs(h!.data[i]! - t.data[i]!), name).toBeLessThanOrEqual(Math.abs(t.data[i]!) * 2 ** -11 + 2 ** -24);
    }
    // onnxruntime: the same top class on a real photo, probabilities within half-precision noise.
    const meta = parseModelMeta(readOnnxModel(f32).metadata);
    const x = await preprocessImageFile(path.join(dir, "imagenet-samples", "n03062245_1030.JPEG"), meta);
    const run = async (bytes: Uint8Array) => {
      const s = await ort.InferenceSession.create(bytes);
      const out = await s.run({ pixel_values: new ort.Tensor("float32", x, [1, 3, 224, 224]) });
      await s.release();
      return out.probs!.data as Float32Array;
    };
    const [p32, p16] = [await run(f32), await run(f16)];
    const top = (p: Float32Array) => p.indexOf(Math.max(...p));
    expect(top(p16)).toBe(top(p32));
    let maxDiff = 0;
    for (let i = 0; i < p32.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p32[i]! - p16[i]!));
    expect(maxDiff).toBeLessThan(0.01);
  });
});
