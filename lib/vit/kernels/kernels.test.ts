// Each ViT kernel against the CPU reference at awkward sizes (tails in every tile dimension), fresh random inputs,
// NaN-poisoned outputs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeGpu } from "../../gpu/node.ts";
import type { GpuContext } from "../../gpu/device.ts";
import { encodeClsAttention, encodeLayerNorm, encodeMatmul, encodeSoftmax } from "./encode.ts";
import { runKernel } from "./host.ts";
import { geluRef, layerNormRef, linearRef, softmaxRef } from "../reference.ts";
import { randn } from "../../../tests/vit/fixtures.ts";

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await nodeGpu();
});
afterAll(() => ctx?.destroy());

/** max |a - b| relative to max |b| (so a NaN or a skipped element fails). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return Number.isNaN(d) ? Infinity : d / Math.max(s, 1e-30);
}

describe("ViT kernels", () => {
  it("matmul + bias, + GELU, + residual at m=37 n=45 k=70", async () => {
    const [m, n, k] = [37, 45, 70];
    const A = randn(m * k), W = randn(n * k, 0.3), Bias = randn(n), Y0 = randn(m * n);
    const lin = linearRef(A, m, k, W, Bias, n);
    for (const epi of ["bias", "bias_gelu", "bias_residual"] as const) {
      const r = await runKernel(ctx, { A, W, Bias }, { Y: epi === "bias_residual" ? Y0 : m * n }, (enc, b) =>
        encodeMatmul(ctx, enc, "plain", epi, { m, n, k }, {}, { A: b.A!, W: b.W!, Bias: b.Bias!, Y: b.Y! }),
      );
      const want = epi === "bias" ? lin : epi === "bias_gelu" ? lin.map(geluRef) : lin.map((v, i) => v + Y0[i]!);
      expect(relErr(r.Y, want), epi).toBeLessThan(1e-5);
    }
  });

  it("matmul with LayerNorm prologue reading strided rows (offset 5, stride 81)", async () => {
    const [m, n, k, off, stride] = [19, 33, 70, 5, 81];
    const X = randn(off + m * stride, 2), G = randn(k), Beta = randn(k), W = randn(n * k, 0.3), Bias = randn(n);
    const rows = new Float64Array(m * k);
    for (let r = 0; r < m; r++) for (let i = 0; i < k; i++) rows[r * k + i] = X[off + r * stride + i]!;
    const want = linearRef(layerNormRef(rows, m, k, G, Beta, 1e-6), m, k, W, Bias, n);
    const r = await runKernel(ctx, { X, G, Beta, W, Bias }, { Y: m * n }, (enc, b) =>
      encodeMatmul(ctx, enc, "layernorm", "bias", { m, n, k }, { aOffset: off, aRowStride: stride, eps: 1e-6 }, { A: b.X!, G: b.G!, Beta: b.Beta!, W: b.W!, Bias: b.Bias!, Y: b.Y! }),
    );
    expect(relErr(r.Y, want)).toBeLessThan(1e-5);
  });

  it("patch embedding with class token and position embedding (2 images of 40 px, patch 8, d 20)", async () => {
    const [B, S, P, D] = [2, 40, 8, 20];
    const grid = S / P, T = grid * grid + 1, K = 3 * P * P;
    const img = randn(B * 3 * S * S), W = randn(D * K, 0.1), Bias = randn(D), Cls = randn(D), Pos = randn(T * D);
    const want = new Float64Array(B * T * D);
    for (let b = 0; b < B; b++) {
      const patches = new Float64Array((T - 1) * K);
      for (let t = 0; t < T - 1; t++)
        for (let c = 0; c < 3; c++)
          for (let y = 0; y < P; y++)
            for (let x = 0; x < P; x++) {
              const gy = Math.floor(t / grid), gx = t % grid;
              patches[t * K + c * P * P + y * P + x] = img[b * 3 * S * S + c * S * S + (gy * P + y) * S + gx * P + x]!;
            }
      const emb = linearRef(patches, T - 1, K, W, Bias, D);
      for (let d = 0; d < D; d++) want[b * T * D + d] = Cls[d]! + Pos[d]!;
      for (let i = 0; i < (T - 1) * D; i++) want[b * T * D + D + i] = emb[i]! + Pos[D + i]!;
    }
    const r = await runKernel(ctx, { img, W, Bias, Cls, Pos }, { Y: B * T * D }, (enc, b) =>
      encodeMatmul(ctx, enc, "patch", "patch_embed", { m: B * T, n: D, k: K }, { tokens: T, imageSize: S, patchSize: P }, { A: b.img!, W: b.W!, Bias: b.Bias!, Cls: b.Cls!, Pos: b.Pos!, Y: b.Y! }),
    );
    expect(relErr(r.Y, want)).toBeLessThan(1e-5);
  });

  it("layerNorm of strided rows, softmax with temperature, class-token attention", async () => {
    const X = randn(3 + 4 * 250, 3), G = randn(197), Beta = randn(197);
    const rows = new Float64Array(4 * 197);
    for (let r = 0; r < 4; r++) for (let i = 0; i < 197; i++) rows[r * 197 + i] = X[3 + r * 250 + i]!;
    const ln = await runKernel(ctx, { X, G, Beta }, { Y: 4 * 197 }, (enc, b) =>
      encodeLayerNorm(ctx, enc, 4, 197, { xOffset: 3, xStride: 250, eps: 1e-6 }, { X: b.X!, G: b.G!, Beta: b.Beta!, Y: b.Y! }),
    );
    expect(relErr(ln.Y, layerNormRef(rows, 4, 197, G, Beta, 1e-6))).toBeLessThan(1e-5);

    const L = randn(3 * 1003, 4);
    const sm = await runKernel(ctx, { L }, { Y: 3 * 1003 }, (enc, b) => encodeSoftmax(ctx, enc, 3, 1003, 1 / 1.7, { X: b.L!, Y: b.Y! }));
    const want = new Float64Array(3 * 1003);
    for (let r = 0; r < 3; r++) want.set(softmaxRef(L.subarray(r * 1003, (r + 1) * 1003), 1 / 1.7), r * 1003);
    expect(relErr(sm.Y, want)).toBeLessThan(1e-5);

    const [B, H, N, hd] = [2, 3, 37, 64];
    const QKV = randn(B * N * 3 * H * hd);
    const at = await runKernel(ctx, { QKV }, { Y: 7 + B * H * N }, (enc, b) =>
      encodeClsAttention(ctx, enc, { batch: B, heads: H, n: N, hd, scale: 0.125, yOffset: 7 }, { QKV: b.QKV!, Y: b.Y! }),
    );
    const wantA = new Float64Array(B * H * N);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const s = new Float64Array(N);
        for (let j = 0; j < N; j++)
          for (let e = 0; e < hd; e++) s[j]! += QKV[b * N * 3 * H * hd + h * hd + e]! * QKV[(b * N + j) * 3 * H * hd + H * hd + h * hd + e]!;
        wantA.set(softmaxRef(s, 0.125), (b * H + h) * N);
      }
    expect(relErr(at.Y.subarray(7), wantA)).toBeLessThan(1e-5);
  });

  it("refuses buffers that are too small, naming them", async () => {
    const enc = ctx.device.createCommandEncoder();
    const small = ctx.alloc.storage(16, "tiny");
    await expect(encodeSoftmax(ctx, enc, 2, 10, 1, { X: small, Y: small })).rejects.toThrow(/X needs 20 f32/);
    ctx.alloc.release(small);
  });
});
