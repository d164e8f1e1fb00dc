// Held-out metrics for the model card: top-1/top-5, macro-F1, ECE, NLL, per-species accuracy, the edible vs
// poisonous/deadly confusions that matter for safety, and abstention (threshold chosen on validation only).
import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from "./calibration.ts";
import { ABSTAIN_FLOOR } from "../../lib/verdict/thresholds.ts";

export type Edibility = "CHOICE" | "EDIBLE" | "INEDIBLE" | "POISONOUS" | "DEADLY" | "PSYCHOACTIVE" | "UNKNOWN";

/** UNKNOWN (and everything but CHOICE/EDIBLE) is not edible. */
export const isEdible = (e: Edibility) => e === "CHOICE" || e === "EDIBLE";
export const isDangerous = (e: Edibility) => e === "POISONOUS" || e === "DEADLY";

export type SpeciesScore = { label: string; support: number; correct: number; accuracy: number };

export type SafetyCounts = {
  /** Test photos whose true species is poisonous or deadly. */
  dangerousTruth: number;
  /** ... of which the top-1 shown is an edible species. */
  dangerousShownEdible: number;
  edibleTruth: number;
  edibleShownDangerous: number;
};

export type Evaluation = {
  n: number;
  top1: number;
  top5: number;
  macroF1: number;
  ece: number;
  nll: number;
  safety: SafetyCounts;
  /** With the abstain threshold applied: the share answered, their accuracy and safety counts. */
  abstain: { threshold: number; coverage: number; selectiveAccuracy: number; safety: SafetyCounts };
  perSpecies: SpeciesScore[];
  reliability: ReliabilityBin[];
};

export type Predictions = { probs: ArrayLike<number>; labels: ArrayLike<number>; C: number };

export function topK(probs: ArrayLike<number>, row: number, C: number, k: number): number[] {
  const idx = Array.from({ length: C }, (_, c) => c);
  return idx.sort((a, b) => probs[row * C + b]! - probs[row * C + a]! || a - b).slice(0, k);
}

function safetyCounts(p: Predictions, top1: number[], edibility: Edibility[], keep: (n: number) => boolean): SafetyCounts {
  const s: SafetyCounts = { dangerousTruth: 0, dangerousShownEdible: 0, edibleTruth: 0, edibleShownDangerous: 0 };
  for (let n = 0; n < p.labels.length; n++) {
    const truth = edibility[p.labels[n]!]!;
    const shown = edibility[top1[n]!]!;
    if (isDangerous(truth)) {
      s.dangerousTruth++;
      if (keep(n) && isEdible(shown)) s.dangerousShownEdible++;
    }
    if (isEdible(truth)) {
      s.edibleTruth++;
      if (keep(n) && isDangerous(shown)) s.edibleShownDangerous++;
    }
  }
  return s;
}

export function evaluatePredictions(p: Predictions, classLabels: string[], edibility: Edibility[], abstainThreshold: number): Evaluation {
  const { probs, labels, C } = p;
  const N = labels.length;
  const k = Math.min(5, C);
  const top1: number[] = [];
  const conf = new Float64Array(N);
  const correct: boolean[] = [];
  let hits5 = 0;
  let nll = 0;
  for (let n = 0; n < N; n++) {
    const top = topK(probs, n, C, k);
    top1.push(top[0]!);
    conf[n] = probs[n * C + top[0]!]!;
    correct.push(top[0] === labels[n]);
    if (top.includes(labels[n]!)) hits5++;
    nll -= Math.log(Math.max(probs[n * C + labels[n]!]!, 1e-12));
  }
  const tp = new Float64Array(C);
  const fp = new Float64Array(C);
  const fn = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    if (correct[n]) tp[labels[n]!]!++;
    else {
      fp[top1[n]!]!++;
      fn[labels[n]!]!++;
    }
  }
  // Macro-F1 over the species present in the test split (absent ones have no defined recall).
  const present = [...Array(C).keys()].filter((c) => tp[c]! + fn[c]! > 0);
  const f1 = present.map((c) => (2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!));
  const perSpecies = present.map((c) => ({ label: classLabels[c]!, support: tp[c]! + fn[c]!, correct: tp[c]!, accuracy: tp[c]! / (tp[c]! + fn[c]!) }));
  const kept = (n: number) => conf[n]! >= abstainThreshold;
  const keptIdx = [...Array(N).keys()].filter(kept);
  return {
    n: N,
    top1: correct.filter(Boolean).length / N,
    top5: hits5 / N,
    macroF1: f1.reduce((a, b) => a + b, 0) / Math.max(1, f1.length),
    ece: expectedCalibrationError(conf, correct),
    nll: nll / N,
    safety: safetyCounts(p, top1, edibility, () => true),
    abstain: {
      threshold: abstainThreshold,
      coverage: keptIdx.length / N,
      selectiveAccuracy: keptIdx.length ? keptIdx.filter((n) => correct[n]).length / keptIdx.length : 1,
      safety: safetyCounts(p, top1, edibility, kept),
    },
    perSpecies,
    reliability: reliabilityBins(conf, correct),
  };
}

/**
 * The lowest confidence threshold whose answered validation photos reach `targetAccuracy` with no poisonous or
 * deadly photo shown as edible, never below ABSTAIN_FLOOR; 1 (never answer: unusable, export refuses it) when no
 * threshold does.
 */
export function chooseAbstainThreshold(p: Predictions, edibility: Edibility[], targetAccuracy = 0.9): number {
  const { probs, labels, C } = p;
  const rows = Array.from({ length: labels.length }, (_, n) => {
    const t = topK(probs, n, C, 1)[0]!;
    return { conf: probs[n * C + t]!, correct: t === labels[n], unsafe: isDangerous(edibility[labels[n]!]!) && isEdible(edibility[t]!) };
  }).sort((a, b) => a.conf - b.conf);
  // Walk thresholds upward: answering rows[i..] for each candidate i.
  let right = rows.filter((r) => r.correct).length;
  let unsafe = rows.filter((r) => r.unsafe).length;
  for (let i = 0; i < rows.length; i++) {
    if (i === 0 || rows[i]!.conf !== rows[i - 1]!.conf) {
      const answered = rows.length - i;
      if (right / answered >= targetAccuracy && unsafe === 0) return Math.max(ABSTAIN_FLOOR, i === 0 ? 0 : rows[i]!.conf);
    }
    right -= rows[i]!.correct ? 1 : 0;
    unsafe -= rows[i]!.unsafe ? 1 : 0;
  }
  return 1;
}
