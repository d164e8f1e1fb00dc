// The WebGPU engine in Node (Dawn; SwiftShader in CI) against onnxruntime-node on the same ONNX file, and against the
// CPU reference for the 448 px (interpolated position embedding) option. The known-answer check runs all 17 photos
// on every adapter (a few minutes on SwiftShader with 2 cores).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { nodeGpu } from "../gpu/node.ts";
import type { GpuContext } from "../gpu/device.ts";
import { VitEngine } from "./engine.ts";
import { vitModelFromOnnx } from "./model.ts";
import { vitForwardRef } from "./reference.ts";
import { exportVitOnnx } from "../../models/export-vit.ts";
import { settings } from "../settings.ts";
import { relativeError } from "../attention/reference.ts";
import { argmax, maxAbsDiff, modelBytes, randn, sampleBatch } from "../../tests/vit/fixtures.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu();
});
afterAll(() => ctx?.destroy());

describe("VitEngine (WebGPU) in Node", () => {
  it("matches onnxruntime-node within 1e-3 on the ImageNet samples and gets them right", async () => {
    const bytes = modelBytes();
    const model = vitModelFromOnnx(bytes);
    const all = await sampleBatch(model.meta);
    const plane = 3 * 224 * 224;
    const pick = all.items.map((it, i) => ({ it, i }));
    const B = pick.length;
    const batch = new Float32Array(B * plane);
    pick.forEach(({ i }, j) => batch.set(all.batch.subarray(i * plane, (i + 1) * plane), j * plane));

    const engine = await VitEngine.create(ctx, model, { maxBatch: B });
    expect(await engine.dispatches(B)).toBe(1 + 12 * 5 + 1 + 3);
    const out = await engine.run(batch, B);
    const session = await ort.InferenceSession.create(bytes);
    const want = await session.run({ pixel_values: new ort.Tensor("float32", batch, [B, 3, 224, 224]) });
    expect(maxAbsDiff(out.logits, want.logits!.data as Float32Array)).toBeLessThan(1e-3);
    expect(maxAbsDiff(out.probs, want.probs!.data as Float32Array)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.features, want.features!.data as Float32Array)).toBeLessThan(1e-3);
    expect(maxAbsDiff(out.clsAttention!, want.cls_attention!.data as Float32Array)).toBeLessThan(1e-4);
    const right = pick.filter(({ it }, j) => argmax(out.logits, j * 1000, 1000) === it.index).length;
    expect(B).toBe(17);
    expect(right).toBeGreaterThanOrEqual(16);
    engine.destroy();
  }, 600_000);

  it("runs 448 px inputs (N = 785) with the interpolated position embedding, as the CPU reference does", async () => {
    // One block and a small replaced head keep the float64 reference quick.
    const head = { weight: randn(5 * 192, 0.1), bias: randn(5), labels: ["a", "b", "c", "d", "e"] };
    const bytes = exportVitOnnx({ backboneDir: settings().backboneDir, modelId: "t448", head, temperature: 1.5, depth: 1 });
    const model = vitModelFromOnnx(bytes, { inputSize: 448 });
    expect(model.weights.posEmbed.length).toBe(785 * 192);
    const engine = await VitEngine.create(ctx, model, { attentionLayers: 1, rollout: true });
    const image = randn(3 * 448 * 448);
    const out = await engine.run(image);
    const ref = vitForwardRef(image, model.weights, model.meta);
    expect(maxAbsDiff(out.logits, ref.logits)).toBeLessThan(1e-3);
    expect(maxAbsDiff(out.probs, ref.probs)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.features, ref.features)).toBeLessThan(1e-3);
    expect(out.clsAttention!.length).toBe(3 * 785);
    expect(maxAbsDiff(out.clsAttention!, ref.clsAttention)).toBeLessThan(1e-4);
    expect(relativeError(out.rollout!, ref.rollout)).toBeLessThan(1e-4);
    await expect(engine.run(new Float32Array(3 * 224 * 224))).rejects.toThrow(/expected \[1, 3, 448, 448\]/);
    engine.destroy();
  }, 600_000);

  it("computes the attention-rollout map (36 more dispatches) equal to onnxruntime-node's cls_rollout on two photos", async () => {
    const bytes = modelBytes();
    const model = vitModelFromOnnx(bytes);
    const all = await sampleBatch(model.meta);
    const plane = 3 * 224 * 224;
    const batch = all.batch.subarray(0, 2 * plane);
    const engine = await VitEngine.create(ctx, model, { maxBatch: 2, rollout: true });
    expect(await engine.dispatches(2)).toBe(1 + 12 * 5 + 1 + 3 + 12 * 3);
    const out = await engine.run(batch, 2);
    const session = await ort.InferenceSession.create(bytes);
    const want = await session.run({ pixel_values: new ort.Tensor("float32", batch, [2, 3, 224, 224]) });
    const ref = want.cls_rollout!.data as Float32Array;
    expect(want.cls_rollout!.dims).toEqual([2, 197]);
    expect(relativeError(out.rollout!, ref)).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.logits, want.logits!.data as Float32Array)).toBeLessThan(1e-3);
    for (const b of [0, 1]) expect(out.rollout!.subarray(b * 197, (b + 1) * 197).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    engine.destroy();
  }, 600_000);

  it("reports the forward pass's GPU time from timestamp queries, and refuses gpuTiming without the feature", async () => {
    const head = { weight: randn(3 * 192, 0.1), bias: randn(3), labels: ["a", "b", "c"] };
    const model = vitModelFromOnnx(exportVitOnnx({ backboneDir: settings().backboneDir, modelId: "timed", head, depth: 1 }));
    await expect(VitEngine.create(ctx, model, { gpuTiming: true })).rejects.toThrow(/GPU timing needs timestamp-query/);
    const timed = await nodeGpu({ timestampQuery: true });
    try {
      if (!timed.hasTimestampQuery) return; // this adapter has no timestamp-query: nothing more to check
      const engine = await VitEngine.create(timed, model, { gpuTiming: true, rollout: true });
      const t0 = performance.now();
      const out = await engine.run(randn(3 * 224 * 224));
      const wallMs = performance.now() - t0;
      expect(out.gpuMs).toBeGreaterThan(0);
      expect(out.gpuMs!).toBeLessThanOrEqual(wallMs); // the GPU part of one call cannot outlast the call
      expect(out.logits).toHaveLength(3);
      engine.destroy();
    } finally {
      timed.destroy();
    }
  }, 600_000);
});
