// Small dense helpers for the fine-tuning code: row-major matrices, Float32Array or Float64Array (the float64 copies
// are the reference the tests compare against). Monomorphic loops with 4 accumulators, no allocation inside.
export type Vec = Float32Array | Float64Array;

/** out[r] = Σ_c W[r, c] x[c] + b[r]   (W: [R, Cn]). */
export function matVec(W: Vec, x: Vec, out: Vec, R: number, Cn: number, b?: Vec, xOff = 0): void {
  const C4 = Cn - (Cn % 4);
  for (let r = 0; r < R; r++) {
    const o = r * Cn;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let c = 0;
    for (; c < C4; c += 4) {
      s0 += W[o + c]! * x[xOff + c]!;
      s1 += W[o + c + 1]! * x[xOff + c + 1]!;
      s2 += W[o + c + 2]! * x[xOff + c + 2]!;
      s3 += W[o + c + 3]! * x[xOff + c + 3]!;
    }
    for (; c < Cn; c++) s0 += W[o + c]! * x[xOff + c]!;
    out[r] = (b ? b[r]! : 0) + (s0 + s1) + (s2 + s3);
  }
}

/** out[c] = Σ_r W[r, c] y[r]   (Wᵀ y; W: [R, Cn]). out is overwritten. */
export function matTVec(W: Vec, y: Vec, out: Vec, R: number, Cn: number): void {
  out.fill(0, 0, Cn);
  for (let r = 0; r < R; r++) {
    const v = y[r]!;
    if (v === 0) continue;
    const o = r * Cn;
    for (let c = 0; c < Cn; c++) out[c] = out[c]! + W[o + c]! * v;
  }
}

/** G[r, c] += a[r] b[c]. */
export function addOuter(G: Vec, a: Vec, b: Vec, R: number, Cn: number, bOff = 0): void {
  for (let r = 0; r < R; r++) {
    const v = a[r]!;
    if (v === 0) continue;
    const o = r * Cn;
    for (let c = 0; c < Cn; c++) G[o + c] = G[o + c]! + v * b[bOff + c]!;
  }
}

/** Abramowitz & Stegun 7.1.26 is too coarse for gradient checks: this is W. J. Cody's rational erf (|err| < 1e-14 in f64). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const num = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const den = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return (x * num) / den;
  }
  return x < 0 ? erfcPos(ax) - 1 : 1 - erfcPos(ax);
}

function erfcPos(x: number): number {
  if (x < 4) {
    const num =
      ((((((((2.15311535474403846e-8 * x + 0.564188496988670089) * x + 8.88314979438837594) * x + 66.1191906371416295) * x + 298.635138197400131) * x +
        881.952221241769090) * x + 1712.04761263407058) * x + 2051.07837782607147) * x + 1230.33935479799725);
    const den =
      ((((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x + 1621.38957456669019) * x + 3290.79923573345963) * x +
        4362.61909014324716) * x + 3439.36767414372164) * x + 1230.33935480374942);
    return Math.exp(-x * x) * (num / den);
  }
  const z = 1 / (x * x);
  const num = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
  const den = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z + 0.00233520497626869185;
  return (Math.exp(-x * x) / x) * (0.564189583547756287 - (z * num) / den);
}

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);
export const gelu = (x: number) => 0.5 * x * (1 + erf(x * INV_SQRT2));
export const geluGrad = (x: number) => 0.5 * (1 + erf(x * INV_SQRT2)) + x * INV_SQRT2PI * Math.exp(-0.5 * x * x);

/** LayerNorm over one vector: y = γ (x - μ) σ⁻¹ + β; returns σ⁻¹ and writes x̂ (for the backward). */
export function layerNorm(x: Vec, g: Vec, b: Vec, y: Vec, xhat: Vec, n: number, eps: number, off = 0): number {
  let mu = 0;
  for (let i = 0; i < n; i++) mu += x[off + i]!;
  mu /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = x[off + i]! - mu;
    v += d * d;
  }
  const rstd = 1 / Math.sqrt(v / n + eps);
  for (let i = 0; i < n; i++) {
    const h = (x[off + i]! - mu) * rstd;
    xhat[i] = h;
    y[i] = g[i]! * h + b[i]!;
  }
  return rstd;
}

/** LayerNorm backward: dx from dy, x̂ and σ⁻¹; accumulates dγ, dβ. */
export function layerNormBack(dy: Vec, xhat: Vec, rstd: number, g: Vec, dg: Vec, db: Vec, dx: Vec, n: number): void {
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const dh = dy[i]! * g[i]!;
    dg[i] = dg[i]! + dy[i]! * xhat[i]!;
    db[i] = db[i]! + dy[i]!;
    m1 += dh;
    m2 += dh * xhat[i]!;
  }
  m1 /= n;
  m2 /= n;
  for (let i = 0; i < n; i++) dx[i] = rstd * (dy[i]! * g[i]! - m1 - xhat[i]! * m2);
}
