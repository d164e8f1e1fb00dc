// Temperature scaling (Guo et al. 2017) fitted on validation logits, and expected calibration error.
import { meanNll } from "./softmax.ts";

/** The T > 0 minimising validation NLL of softmax(logits / T): golden-section search on log T in [1/20, 20]. */
export function fitTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>, C: number): number {
  const f = (logT: number) => meanNll(logits, labels, C, Math.exp(logT));
  let a = Math.log(0.05);
  let b = Math.log(20);
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 80; i++) {
    if (f1 < f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    }
  }
  return Math.exp((a + b) / 2);
}

export type ReliabilityBin = { lo: number; hi: number; count: number; accuracy: number; confidence: number };

/** Equal-width bins over top-1 confidence; a confidence of exactly 1 falls in the last bin. */
export function reliabilityBins(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 15): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, count: 0, accuracy: 0, confidence: 0 }));
  for (let i = 0; i < confidence.length; i++) {
    const b = out[Math.min(bins - 1, Math.floor(confidence[i]! * bins))]!;
    b.count++;
    b.accuracy += correct[i] ? 1 : 0;
    b.confidence += confidence[i]!;
  }
  for (const b of out) if (b.count) {
    b.accuracy /= b.count;
    b.confidence /= b.count;
  }
  return out;
}

/** ECE = sum over bins of |bin| / N * |accuracy - mean confidence|. */
export function expectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 15): number {
  const n = confidence.length;
  return reliabilityBins(confidence, correct, bins).reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.confidence), 0);
}
