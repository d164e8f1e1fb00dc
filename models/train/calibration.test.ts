import { describe, expect, it } from "vitest";
import { expectedCalibrationError, fitTemperature, reliabilityBins } from "./calibration.ts";
import { chooseAbstainThreshold, evaluatePredictions, type Edibility } from "./metrics.ts";
import { gaussian, seededRandom } from "./rng.ts";
import { meanNll, softmaxRows } from "./softmax.ts";

/** Labels drawn from softmax(true logits); the model reports the true logits times `overconfidence`. */
function miscalibrated(N: number, C: number, overconfidence: number, seed: number) {
  const r = seededRandom(seed);
  const logits = new Float64Array(N * C);
  const labels = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) logits[n * C + c] = 1.5 * gaussian(r);
    const p = softmaxRows(logits.subarray(n * C, (n + 1) * C), C);
    let u = r();
    let y = 0;
    while (y < C - 1 && (u -= p[y]!) > 0) y++;
    labels[n] = y;
    for (let c = 0; c < C; c++) logits[n * C + c]! *= overconfidence;
  }
  return { logits, labels };
}

describe("temperature scaling", () => {
  it("recovers the temperature of an overconfident model and lowers NLL and ECE", () => {
    const C = 6;
    const { logits, labels } = miscalibrated(4000, C, 3, 1);
    const T = fitTemperature(logits, labels, C);
    expect(T).toBeGreaterThan(2.6);
    expect(T).toBeLessThan(3.4);
    expect(meanNll(logits, labels, C, T)).toBeLessThan(meanNll(logits, labels, C, 1) - 0.1);
    const ece = (t: number) => {
      const p = softmaxRows(logits, C, t);
      const conf: number[] = [];
      const ok: boolean[] = [];
      for (let n = 0; n < labels.length; n++) {
        const row = Array.from(p.subarray(n * C, (n + 1) * C));
        conf.push(Math.max(...row));
        ok.push(row.indexOf(Math.max(...row)) === labels[n]);
      }
      return expectedCalibrationError(conf, ok);
    };
    expect(ece(T)).toBeLessThan(0.03);
    expect(ece(1)).toBeGreaterThan(0.1);
  });

  it("leaves a calibrated model near T = 1", () => {
    const { logits, labels } = miscalibrated(4000, 5, 1, 2);
    expect(fitTemperature(logits, labels, 5)).toBeCloseTo(1, 0);
  });
});

describe("expected calibration error", () => {
  it("matches a hand computation", () => {
    // 15 bins. 0.9, 0.9 -> bin 13: accuracy 0.5, confidence 0.9 -> 2/4 * 0.4.
    // 0.6, 0.6 -> bin 9: accuracy 1, confidence 0.6 -> 2/4 * 0.4. ECE = 0.4.
    expect(expectedCalibrationError([0.9, 0.9, 0.6, 0.6], [true, false, true, true])).toBeCloseTo(0.4, 12);
    // One bin at 1.0 (the top edge belongs to the last bin), always right: ECE 0.
    expect(expectedCalibrationError([1, 1], [true, true])).toBe(0);
    const bins = reliabilityBins([0.95, 0.25], [true, false], 4);
    expect(bins.map((b) => b.count)).toEqual([0, 1, 0, 1]);
  });
});

describe("held-out metrics", () => {
  const probs = [
    [0.7, 0.2, 0.1], // truth 0, right
    [0.6, 0.3, 0.1], // truth 1 (deadly) shown as 0 (edible)
    [0.1, 0.2, 0.7], // truth 2, right
    [0.2, 0.45, 0.35], // truth 0 (edible) shown as 1 (deadly), low confidence
  ].flat();
  const labels = [0, 1, 2, 0];
  const edibility: Edibility[] = ["EDIBLE", "DEADLY", "UNKNOWN"];

  it("top-1, top-5, macro-F1 and the edible/poisonous confusions by hand", () => {
    const e = evaluatePredictions({ probs, labels, C: 3 }, ["a", "b", "c"], edibility, 0.65);
    expect(e.top1).toBe(0.5);
    expect(e.top5).toBe(1);
    // F1: class 0 tp1 fp1 fn1 -> 0.5; class 1 tp0 -> 0; class 2 tp1 -> 1. Mean 0.5.
    expect(e.macroF1).toBeCloseTo(0.5, 12);
    expect(e.safety).toEqual({ dangerousTruth: 1, dangerousShownEdible: 1, edibleTruth: 2, edibleShownDangerous: 1 });
    // Threshold 0.65 answers rows 0 and 2 only.
    expect(e.abstain.coverage).toBe(0.5);
    expect(e.abstain.selectiveAccuracy).toBe(1);
    expect(e.abstain.safety.dangerousShownEdible).toBe(0);
    expect(e.perSpecies.map((s) => [s.label, s.accuracy])).toEqual([["a", 0.5], ["b", 0], ["c", 1]]);
  });

  it("chooses the lowest abstain threshold that is accurate enough and never shows a deadly truth as edible", () => {
    expect(chooseAbstainThreshold({ probs, labels, C: 3 }, edibility, 0.9)).toBe(0.7);
    expect(chooseAbstainThreshold({ probs, labels, C: 3 }, edibility, 0.5)).toBe(0.7); // 0.6 would show the deadly one as edible
    expect(chooseAbstainThreshold({ probs: [0.5, 0.5], labels: [1], C: 2 }, ["EDIBLE", "EDIBLE"], 0.9)).toBe(1); // none qualifies: 1 = never answer, which export refuses
  });
});
