// Row-wise softmax helpers shared by the heads, calibration and metrics.

/** logits: [N, C] -> probabilities of softmax(logits / temperature), float64. */
export function softmaxRows(logits: ArrayLike<number>, C: number, temperature = 1): Float64Array {
  const N = logits.length / C;
  const out = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[n * C + c]! / temperature);
    let z = 0;
    for (let c = 0; c < C; c++) z += out[n * C + c] = Math.exp(logits[n * C + c]! / temperature - m);
    for (let c = 0; c < C; c++) out[n * C + c]! /= z;
  }
  return out;
}

/** Mean negative log-likelihood of the labels under softmax(logits / T). */
export function meanNll(logits: ArrayLike<number>, labels: ArrayLike<number>, C: number, temperature = 1): number {
  let s = 0;
  for (let n = 0; n < labels.length; n++) {
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[n * C + c]! / temperature);
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp(logits[n * C + c]! / temperature - m);
    s += Math.log(z) + m - logits[n * C + labels[n]!]! / temperature;
  }
  return s / labels.length;
}
