// Training parity (STYLE #11): the loss gradient against central differences, and fine-tuning a tiny model on a
// small batch drives its training loss down as it should.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../rng.ts";
import { PARAM_NAMES, paramShapes, type BlockParams, type Dims } from "./cls-block.ts";
import { encodeHalf, decodeHalf, toHalf } from "../../../lib/vit/onnx/half.ts";
import { finetuneClsBlock, predict, sampleLoss, type Sample } from "./train.ts";

describe("fine-tuning loss and optimiser", () => {
  it("sampleLoss's gradient matches central differences, for one class and for a genus set", () => {
    const r = seededRandom(11);
    const C = 7;
    const z = Float32Array.from({ length: C }, () => 2 * (r() - 0.5));
    for (const allowed of [[3], [1, 4, 5]]) {
      const p = new Float32Array(C);
      const dz = new Float32Array(C);
      sampleLoss(z, allowed, 0.1, 1.3, p, dz);
      for (let c = 0; c < C; c++) {
        const up = Float32Array.from(z);
        const dn = Float32Array.from(z);
        up[c]! += 1e-3;
        dn[c]! -= 1e-3;
        const num = (sampleLoss(up, allowed, 0.1, 1.3, new Float32Array(C), new Float32Array(C)) - sampleLoss(dn, allowed, 0.1, 1.3, new Float32Array(C), new Float32Array(C))) / 2e-3;
        expect(Math.abs(num - dz[c]!)).toBeLessThan(2e-3);
      }
    }
  });

  it("overfits a small batch: training loss falls and the labels are learned", () => {
    const d: Dims = { N: 9, D: 16, H: 2, M: 32, C: 4, eps: 1e-6 };
    const r = seededRandom(5);
    const shapes = paramShapes(d);
    const init = Object.fromEntries(
      PARAM_NAMES.map((k) => [k, Float32Array.from({ length: shapes[k].reduce((a, b) => a * b, 1) }, () => (k === "g2" || k === "gf" ? 1 : 0.2 * (r() - 0.5)))]),
    ) as unknown as BlockParams;
    const samples: Sample[] = Array.from({ length: 12 }, (_, i) => {
      const h = new Uint16Array(d.N * d.D);
      encodeHalf(Float32Array.from({ length: d.N * d.D }, () => 2 * (r() - 0.5)), h);
      return { rec: { feat: new Float32Array(d.D), xcls: Float32Array.from({ length: d.D }, () => r() - 0.5), h }, allowed: [i % d.C] };
    });
    const { curve, params } = finetuneClsBlock(
      init,
      samples,
      { recs: samples.map((s) => s.rec), allowed: samples.map((s) => s.allowed) },
      d,
      { epochs: 60, batch: 4, lrBlock: 5e-3, lrHead: 2e-2, weightDecay: 0, labelSmoothing: 0, warmupEpochs: 1, seed: 2 },
    );
    expect(curve.at(-1)!.trainLoss).toBeLessThan(0.3 * curve[1]!.trainLoss);
    const { logits } = predict(params, samples.map((s) => s.rec), d);
    const right = samples.filter((s, i) => {
      const row = Array.from(logits.subarray(i * d.C, (i + 1) * d.C));
      return row.indexOf(Math.max(...row)) === s.allowed[0];
    }).length;
    expect(right).toBe(samples.length);
  });

  it("stores activations in half precision within half's rounding", () => {
    const r = seededRandom(3);
    const x = Float32Array.from({ length: 1000 }, () => 8 * (r() - 0.5));
    const h = new Uint16Array(x.length);
    encodeHalf(x, h);
    const back = new Float32Array(x.length);
    decodeHalf(h, 0, x.length, back);
    for (let i = 0; i < x.length; i++) expect(Math.abs(back[i]! - x[i]!)).toBeLessThanOrEqual(Math.abs(x[i]!) * 2 ** -11 + 2 ** -24);
    expect([toHalf(0), toHalf(1), toHalf(-2), toHalf(65504), toHalf(1e6)]).toEqual([0, 0x3c00, 0xc000, 0x7bff, 0x7c00]);
  });
});
