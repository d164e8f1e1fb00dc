// Several photos of one find (cap, gills, stem) become one prediction.

/**
 * Geometric mean of the per-photo distributions, renormalised. Averaging log-probabilities lets a photo
 * that clearly rules a species out count, without the overconfidence of multiplying them as if independent.
 */
export function combinePhotoProbs(perPhoto: readonly ArrayLike<number>[]): Float64Array {
  if (perPhoto.length === 0) throw new Error("combinePhotoProbs: no photos");
  const n = perPhoto[0].length;
  for (const [i, p] of perPhoto.entries()) {
    if (p.length !== n) throw new Error(`combinePhotoProbs: photo ${i} has ${p.length} classes, photo 0 has ${n}`);
  }
  const floor = 1e-12; // a zero would veto a class forever; clamp instead
  const logMean = new Float64Array(n);
  for (const p of perPhoto) for (let c = 0; c < n; c++) logMean[c] += Math.log(Math.max(p[c], floor)) / perPhoto.length;
  let max = -Infinity;
  for (let c = 0; c < n; c++) max = Math.max(max, logMean[c]);
  let sum = 0;
  const out = new Float64Array(n);
  for (let c = 0; c < n; c++) sum += out[c] = Math.exp(logMean[c] - max);
  for (let c = 0; c < n; c++) out[c] /= sum;
  return out;
}

/** Per class, the highest probability any single photo gave: danger warnings use it, so pooling never hides a
 * deadly candidate that one photo favours. */
export function peakPhotoProbs(perPhoto: readonly ArrayLike<number>[]): Float64Array {
  if (perPhoto.length === 0) throw new Error("peakPhotoProbs: no photos");
  const out = new Float64Array(perPhoto[0].length);
  for (const p of perPhoto) for (let c = 0; c < out.length; c++) out[c] = Math.max(out[c], p[c]);
  return out;
}

export type Ranked = { index: number; label: string; probability: number };

/** The k most probable classes, highest first (ties keep class order). */
export function topK(probs: ArrayLike<number>, labels: readonly string[], k: number): Ranked[] {
  if (labels.length !== probs.length) throw new Error(`topK: ${probs.length} probabilities but ${labels.length} labels`);
  return Array.from({ length: probs.length }, (_, i) => i)
    .sort((a, b) => probs[b] - probs[a] || a - b)
    .slice(0, Math.max(0, k))
    .map((i) => ({ index: i, label: labels[i], probability: probs[i] }));
}
