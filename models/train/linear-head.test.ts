import { describe, expect, it } from "vitest";
import { onnxGradientEngine } from "./head-grad-onnx.ts";
import { classBalancedWeights, fitStandardizer, foldStandardizer, headLogits, lossAndGrad, standardize, trainLinearHead, type LinearHead } from "./linear-head.ts";
import { gaussian, seededRandom } from "./rng.ts";

/** C well-separated Gaussian clusters in D dims, unequal class sizes. */
function clusters(C: number, D: number, perClass: (c: number) => number, seed: number, spread = 0.6) {
  const r = seededRandom(seed);
  const centres = Array.from({ length: C * D }, () => gaussian(r));
  const x: number[] = [];
  const y: number[] = [];
  for (let c = 0; c < C; c++)
    for (let i = 0; i < perClass(c); i++) {
      for (let d = 0; d < D; d++) x.push(3 + centres[c * D + d]! + spread * gaussian(r));
      y.push(c);
    }
  return { x: Float64Array.from(x), y: Int32Array.from(y) };
}

describe("linear species head", () => {
  it("gradient matches central finite differences (weights, bias, class weights, weight decay)", () => {
    const C = 4;
    const D = 5;
    const { x, y } = clusters(C, D, (c) => 2 + c, 1);
    const r = seededRandom(2);
    const h: LinearHead = { C, D, weight: Float64Array.from({ length: C * D }, () => 0.3 * gaussian(r)), bias: Float64Array.from({ length: C }, () => 0.3 * gaussian(r)) };
    const cw = classBalancedWeights(y, C);
    const wd = 0.05;
    const { gradW, gradB } = lossAndGrad(h, x, y, cw, wd);
    const eps = 1e-6;
    const numeric = (p: Float64Array, i: number) => {
      const keep = p[i]!;
      p[i] = keep + eps;
      const up = lossAndGrad(h, x, y, cw, wd).loss;
      p[i] = keep - eps;
      const down = lossAndGrad(h, x, y, cw, wd).loss;
      p[i] = keep;
      return (up - down) / (2 * eps);
    };
    for (let i = 0; i < C * D; i++) expect(gradW[i]!).toBeCloseTo(numeric(h.weight, i), 7);
    for (let c = 0; c < C; c++) expect(gradB[c]!).toBeCloseTo(numeric(h.bias, c), 7);
  });

  it("class-balanced weights make every class count equally", () => {
    const w = classBalancedWeights([0, 0, 0, 1], 2);
    expect(w[0]! * 3).toBeCloseTo(w[1]! * 1, 12);
  });

  it("overfits a small batch: loss falls as recorded and every training point is classified", async () => {
    const C = 5;
    const D = 16;
    const { x, y } = clusters(C, D, (c) => 3 + 2 * c, 3);
    const { head, lossCurve } = await trainLinearHead(x, y, C, D, SMALL);
    for (const e of [10, 20]) expect(lossCurve[e]!).toBeLessThan(lossCurve[e - 10]!);
    expect(lossCurve.at(-1)!).toBeLessThan(0.05 * lossCurve[0]!);
    // Recorded on the reference run (llm.c-style parity): a changed optimiser or loss shows up here.
    expect(lossCurve[0]!).toBeCloseTo(RECORDED.first, 6);
    expect(lossCurve.at(-1)!).toBeCloseTo(RECORDED.last, 6);
    const logits = headLogits(head, x);
    for (let n = 0; n < y.length; n++) {
      const row = Array.from(logits.subarray(n * C, (n + 1) * C));
      expect(row.indexOf(Math.max(...row))).toBe(y[n]);
    }
  });

  it("folding the standardisation into W and b gives the same logits on raw features", () => {
    const { x } = clusters(3, 6, () => 4, 5);
    const r = seededRandom(6);
    const h: LinearHead = { C: 3, D: 6, weight: Float64Array.from({ length: 18 }, () => gaussian(r)), bias: Float64Array.from({ length: 3 }, () => gaussian(r)) };
    const s = fitStandardizer(x, 6);
    const a = headLogits(h, standardize(x, s));
    const b = headLogits(foldStandardizer(h, s), x);
    for (let i = 0; i < a.length; i++) expect(b[i]!).toBeCloseTo(a[i]!, 10);
  });

  it("the onnxruntime gradient engine matches the float64 reference", async () => {
    const C = 7;
    const D = 24;
    const { x, y } = clusters(C, D, (c) => 3 + c, 8);
    const r = seededRandom(9);
    const h: LinearHead = { C, D, weight: Float64Array.from({ length: C * D }, () => 0.2 * gaussian(r)), bias: Float64Array.from({ length: C }, () => 0.2 * gaussian(r)) };
    const cw = classBalancedWeights(y, C);
    const engine = await onnxGradientEngine(1);
    try {
      const ref = lossAndGrad(h, x, y, cw, 0.01);
      const got = await engine.lossAndGrad(h, Float32Array.from(x), y, cw, 0.01);
      expect(got.loss).toBeCloseTo(ref.loss, 4);
      const scale = Math.max(...ref.gradW.map(Math.abs));
      for (let i = 0; i < ref.gradW.length; i++) expect(Math.abs(got.gradW[i]! - ref.gradW[i]!)).toBeLessThan(1e-4 * scale);
      for (let c = 0; c < C; c++) expect(got.gradB[c]!).toBeCloseTo(ref.gradB[c]!, 5);
      // Training with it follows the reference's loss curve (float32 rounding aside).
      const { x: x5, y: y5 } = clusters(5, 16, (c) => 3 + 2 * c, 3);
      const ref5 = await trainLinearHead(x5, y5, 5, 16, SMALL);
      const ort5 = await trainLinearHead(x5, y5, 5, 16, SMALL, engine);
      expect(ort5.lossCurve.length).toBe(SMALL.epochs);
      for (let e = 0; e < SMALL.epochs; e++) expect(ort5.lossCurve[e]!).toBeCloseTo(ref5.lossCurve[e]!, 3);
    } finally {
      await engine.release();
    }
  });
});

const SMALL = { epochs: 40, batchSize: 8, learningRate: 0.05, weightDecay: 1e-4, seed: 11, classBalanced: true };
const RECORDED = { first: 1.0934225997579807, last: 0.003763257378508073 };
