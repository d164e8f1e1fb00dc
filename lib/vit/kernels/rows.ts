// Row-wise kernels, one workgroup per row: LayerNorm (final norm, reading class-token rows by stride), softmax with
// temperature (probs), and the class-token attention row of a block (scores from the fused qkv buffer).
import { Bindings, type Program } from "../../gpu/program.ts";

const WG = 64;

const REDUCE_WGSL = /* wgsl */ `
var<workgroup> red: array<f32, ${WG}>;
fn reduceSum(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  return red[0];
}
fn reduceMax(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  return red[0];
}`;

function positive(kernel: string, vals: Record<string, number>): void {
  for (const [k, v] of Object.entries(vals)) if (!Number.isInteger(v) || v < 1) throw new Error(`${kernel}: ${k}=${v} must be a positive integer`);
}

/** Y[r, :] = LayerNorm(X[xOffset + r * xStride + :]) for r < rows, over d columns. */
export function layerNormProgram(rows: number, d: number): Program {
  positive("layerNorm", { rows, d });
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("X", "read-only-storage", "array<f32>")
    .add("G", "read-only-storage", "array<f32>")
    .add("Beta", "read-only-storage", "array<f32>")
    .add("Y", "storage", "array<f32>");
  const wgsl = /* wgsl */ `
struct Params { rows: u32, d: u32, xOffset: u32, xStride: u32, eps: f32 }
${b.wgsl}
${REDUCE_WGSL}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wid.x;
  let base = p.xOffset + r * p.xStride;
  var s = 0.0;
  for (var i = lid; i < p.d; i += ${WG}u) { s += X[base + i]; }
  let mean = reduceSum(s, lid) / f32(p.d);
  var v = 0.0;
  for (var i = lid; i < p.d; i += ${WG}u) { let t = X[base + i] - mean; v += t * t; }
  let rstd = inverseSqrt(reduceSum(v, lid) / f32(p.d) + p.eps);
  for (var i = lid; i < p.d; i += ${WG}u) { Y[r * p.d + i] = (X[base + i] - mean) * rstd * G[i] + Beta[i]; }
}`;
  return { name: "vit_layernorm", cacheKey: "vit_layernorm", wgsl, bindings: b.list, workgroupSize: [WG, 1, 1], dispatch: [rows, 1, 1] };
}

/** Y[r, :] = softmax(X[r, :] * scale) over c columns (scale = 1 / temperature). */
export function softmaxProgram(rows: number, c: number): Program {
  positive("softmax", { rows, c });
  const b = new Bindings().add("p", "uniform", "Params").add("X", "read-only-storage", "array<f32>").add("Y", "storage", "array<f32>");
  const wgsl = /* wgsl */ `
struct Params { rows: u32, c: u32, scale: f32, pad: u32 }
${b.wgsl}
${REDUCE_WGSL}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * p.c;
  var m = -3.0e38;
  for (var i = lid; i < p.c; i += ${WG}u) { m = max(m, X[base + i] * p.scale); }
  m = reduceMax(m, lid);
  var s = 0.0;
  for (var i = lid; i < p.c; i += ${WG}u) { s += exp(X[base + i] * p.scale - m); }
  let inv = 1.0 / reduceSum(s, lid);
  for (var i = lid; i < p.c; i += ${WG}u) { Y[base + i] = exp(X[base + i] * p.scale - m) * inv; }
}`;
  return { name: "vit_softmax", cacheKey: "vit_softmax", wgsl, bindings: b.list, workgroupSize: [WG, 1, 1], dispatch: [rows, 1, 1] };
}

/**
 * Attention weights of query row 0 (the class token) for every head: qkv is the fused projection [B, N, 3, H, hd];
 * Y[yOffset + (b * H + h) * N + j] = softmax_j(scale * q0 . k_j).
 */
export function clsAttentionProgram(batch: number, heads: number, n: number, hd: number): Program {
  positive("clsAttention", { batch, heads, n, hd });
  const b = new Bindings().add("p", "uniform", "Params").add("QKV", "read-only-storage", "array<f32>").add("Y", "storage", "array<f32>");
  const wgsl = /* wgsl */ `
struct Params { n: u32, heads: u32, hd: u32, yOffset: u32, scale: f32 }
${b.wgsl}
${REDUCE_WGSL}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let h = wid.x;
  let bb = wid.y;
  let rowLen = 3u * p.heads * p.hd;
  let q0 = bb * p.n * rowLen + h * p.hd;
  let out = p.yOffset + (bb * p.heads + h) * p.n;
  var m = -3.0e38;
  for (var j = lid; j < p.n; j += ${WG}u) {
    let kj = (bb * p.n + j) * rowLen + p.heads * p.hd + h * p.hd;
    var s = 0.0;
    for (var e = 0u; e < p.hd; e++) { s += QKV[q0 + e] * QKV[kj + e]; }
    s *= p.scale;
    Y[out + j] = s;
    m = max(m, s);
  }
  m = reduceMax(m, lid);
  var sum = 0.0;
  for (var j = lid; j < p.n; j += ${WG}u) { let e = exp(Y[out + j] - m); Y[out + j] = e; sum += e; }
  let inv = 1.0 / reduceSum(sum, lid);
  for (var j = lid; j < p.n; j += ${WG}u) { Y[out + j] *= inv; }
}`;
  return { name: "vit_cls_attention", cacheKey: "vit_cls_attention", wgsl, bindings: b.list, workgroupSize: [WG, 1, 1], dispatch: [heads, batch, 1] };
}
