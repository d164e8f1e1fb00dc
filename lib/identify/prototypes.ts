// The prototype head beside the served linear head: one mean L2-normalised feature per taxon, scored by cosine.
// Shipped prototypes come from the training photos; a reviewer's approval adds its photo's feature to its taxon's
// mean at once, so a taxon the head does not know gains a prototype, and with it a share of the probability,
// without retraining. Fusion: p = alpha · p_head + (1 - alpha) · softmax(cos / temperature) over the union of taxa.
// Pure: the browser, the server and the training evaluation run exactly this.

export type PrototypeSet = {
  dim: number;
  /** Cosine temperature and the head's share, both chosen on validation by model:train. */
  temperature: number;
  alpha: number;
  taxa: { name: string; vector: Float32Array }[];
};

function normalize(v: ArrayLike<number>, from = 0, n = v.length): Float32Array {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[from + i]! ** 2;
  const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
  return Float32Array.from({ length: n }, (_, i) => v[from + i]! * inv);
}

/** Mean of L2-normalised features, normalised again (an empty list gives null). */
export function meanPrototype(features: readonly ArrayLike<number>[]): Float32Array | null {
  if (features.length === 0) return null;
  const dim = features[0]!.length;
  const sum = new Float32Array(dim);
  for (const f of features) {
    const u = normalize(f);
    for (let d = 0; d < dim; d++) sum[d]! += u[d]!;
  }
  return normalize(sum);
}

/** The labels the fused distribution covers: the head's, then prototype taxa the head lacks (in set order). */
export function fusedLabels(headLabels: readonly string[], set: PrototypeSet | null): string[] {
  if (!set) return [...headLabels];
  const have = new Set(headLabels);
  return [...headLabels, ...set.taxa.map((t) => t.name).filter((n) => !have.has(n))];
}

/** One photo: head probabilities [C] and its feature [D] -> probabilities over fusedLabels(). */
export function fuseWithPrototypes(headLabels: readonly string[], probs: ArrayLike<number>, feature: ArrayLike<number> | null, set: PrototypeSet | null): Float32Array {
  const labels = fusedLabels(headLabels, set);
  const out = new Float32Array(labels.length);
  if (!set || set.taxa.length === 0 || !feature) {
    for (let c = 0; c < headLabels.length; c++) out[c] = probs[c]!;
    return out;
  }
  if (feature.length !== set.dim) throw new Error(`prototypes: feature has ${feature.length} values, prototypes ${set.dim}`);
  const f = normalize(feature);
  const scores = set.taxa.map((t) => {
    let s = 0;
    for (let d = 0; d < set.dim; d++) s += f[d]! * t.vector[d]!;
    return s / set.temperature;
  });
  const mx = Math.max(...scores);
  const ex = scores.map((s) => Math.exp(s - mx));
  const z = ex.reduce((a, b) => a + b, 0);
  const index = new Map(labels.map((l, i) => [l, i]));
  for (let c = 0; c < headLabels.length; c++) out[c] = set.alpha * probs[c]!;
  set.taxa.forEach((t, k) => {
    const i = index.get(t.name)!;
    out[i] = out[i]! + (1 - set.alpha) * (ex[k]! / z);
  });
  return out;
}
