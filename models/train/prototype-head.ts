// The prototype head: one mean L2-normalised embedding per species, scored by cosine similarity. A species added to
// the catalog is recognised from its photos' embeddings alone, with no retraining of anything else.

export type PrototypeHead = { C: number; D: number; prototypes: Float64Array };

function normalizeRow(x: ArrayLike<number>, from: number, D: number, out: Float64Array, at: number): void {
  let s = 0;
  for (let d = 0; d < D; d++) s += x[from + d]! ** 2;
  const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
  for (let d = 0; d < D; d++) out[at + d] = x[from + d]! * inv;
}

/** Species with no training features get a zero prototype (cosine 0 with everything). */
export function fitPrototypes(x: ArrayLike<number>, labels: ArrayLike<number>, C: number, D: number): PrototypeHead {
  const sums = new Float64Array(C * D);
  const row = new Float64Array(D);
  for (let n = 0; n < labels.length; n++) {
    normalizeRow(x, n * D, D, row, 0);
    for (let d = 0; d < D; d++) sums[labels[n]! * D + d]! += row[d]!;
  }
  const prototypes = new Float64Array(C * D);
  for (let c = 0; c < C; c++) if (sums.subarray(c * D, (c + 1) * D).some((v) => v !== 0)) normalizeRow(sums, c * D, D, prototypes, c * D);
  return { C, D, prototypes };
}

/** x: [N, D] -> cosine similarities [N, C] (use as logits with a fitted temperature). */
export function prototypeScores(h: PrototypeHead, x: ArrayLike<number>): Float64Array {
  const N = x.length / h.D;
  const out = new Float64Array(N * h.C);
  const row = new Float64Array(h.D);
  for (let n = 0; n < N; n++) {
    normalizeRow(x, n * h.D, h.D, row, 0);
    for (let c = 0; c < h.C; c++) {
      let s = 0;
      for (let d = 0; d < h.D; d++) s += row[d]! * h.prototypes[c * h.D + d]!;
      out[n * h.C + c] = s;
    }
  }
  return out;
}

/** A new species from its photos' features alone: the existing prototypes are untouched (no retraining). */
export function addPrototype(h: PrototypeHead, x: ArrayLike<number>): PrototypeHead {
  const one = fitPrototypes(x, new Int32Array(x.length / h.D), 1, h.D);
  const prototypes = new Float64Array((h.C + 1) * h.D);
  prototypes.set(h.prototypes);
  prototypes.set(one.prototypes, h.C * h.D);
  return { C: h.C + 1, D: h.D, prototypes };
}
