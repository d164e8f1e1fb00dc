// Attention rollout through one block without the N x N matrix (see rollout-reference.ts for the method and its float64
// reference). Attention weights are recomputed from q, k and the forward kernel's logsumexp, A^h_ij =
// exp(scale q_i . k_j - lse_i), in three dispatches per block:
//   1. column mean  col_j = sum_h sum_i A^h_ij / (H N)        one workgroup per (key j, image)
//   2. row scale    w_i = rIn_i / sum_h sum_{j not sink} A^h_ij   one workgroup per (query i, image)
//   3. step         r_j = 0 for sinks, else rIn_j / 2 + sum_i w_i sum_h A^h_ij / 2   one workgroup per (key j, image)
// Each costs N^2 H d multiply-adds, like one attention forward without v.
import type { GpuContext } from "../gpu/device.ts";
import { Bindings, UniformWriter, encodeProgram, uniformBuffer, type Program } from "../gpu/program.ts";
import { VIEW_WGSL, checkShape, resolveView, viewWords, type AttentionShape, type ViewOrBuffer } from "./layout.ts";
import { defaultScale } from "./reference.ts";
import { sinkThreshold } from "./rollout-reference.ts";
import { WORKGROUP_REDUCE, load4 } from "./wgsl.ts";

export interface RolloutStepTensors {
  q: ViewOrBuffer; // q: [B, H, N, d]
  k: ViewOrBuffer; // k: [B, H, N, d]
  /** lse: [B, H, N] f32, this block's logsumexp of the scaled scores (encodeFlashForward's `lse` output) */
  lse: GPUBuffer;
  /** rIn: [B, N] f32, the class token's weights from the block above; null for the last block (e_0). */
  rIn: GPUBuffer | null;
  /** col, w: [B, N] f32 scratch (col: attention each key receives; w: per-query weights) */
  col: GPUBuffer;
  w: GPUBuffer;
  /** rOut: [B, N] f32, not normalised (divide by its sum once after the first block) */
  rOut: GPUBuffer;
}

export interface RolloutOptions {
  /** Multiplies q k^T, as in the forward pass; default 1 / sqrt(d). */
  scale?: number;
  /** Keys receiving more than this mean attention are sinks; default SINK_FACTOR / N. */
  threshold?: number;
}

const WG = 64;

const PARAMS = /* wgsl */ `
struct Params { n: u32, nheads: u32, initial: u32, pad0: u32, scale: f32, threshold: f32, pad1: u32, pad2: u32, q: vec4<u32>, k: vec4<u32> }`;

/** Shared WGSL: the rollout weight entering at token t (e_0 for the last block) and the sink test. */
const HELPERS = /* wgsl */ `
fn rin(b: u32, t: u32) -> f32 { return select(R[b * p.n + t], select(0.0, 1.0, t == 0u), p.initial != 0u); }
fn isSink(b: u32, t: u32) -> bool { return t >= 1u && C[b * p.n + t] > p.threshold; }`;

function header(b: Bindings, d: number, helpers: boolean): string {
  return `${PARAMS}
${b.wgsl}
${VIEW_WGSL}
const WG = ${WG}u;
const D4 = ${d / 4}u;
${WORKGROUP_REDUCE}
${helpers ? HELPERS : ""}`;
}

/** Kernels 1 and 3: for key j, sum over queries i of weight_i * A^h_ij (weight 1 for the column mean, w_i for the step). */
function columnProgram(s: AttentionShape, mode: "mean" | "step"): Program {
  const b = new Bindings().add("p", "uniform", "Params").add("Q", "read-only-storage", "array<f32>").add("K", "read-only-storage", "array<f32>").add("L", "read-only-storage", "array<f32>");
  if (mode === "step") b.add("W", "read-only-storage", "array<f32>").add("R", "read-only-storage", "array<f32>").add("C", "read-only-storage", "array<f32>");
  b.add("Out", "storage", "array<f32>");
  const weight = mode === "mean" ? "1.0" : "W[b * p.n + i]";
  const store =
    mode === "mean"
      ? "Out[b * p.n + j] = total / f32(p.nheads * p.n);"
      : "Out[b * p.n + j] = select(0.5 * rin(b, j) + 0.5 * total, 0.0, isSink(b, j));";
  const name = `rollout_${mode}_d${s.d}`;
  const wgsl = /* wgsl */ `${header(b, s.d, mode === "step")}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = wid.x;
  let b = wid.y;
  var acc = 0.0;
  for (var h = 0u; h < p.nheads; h++) {
    let kj = at(p.k, b, h, j);
    var kv: array<vec4<f32>, D4>;
    for (var c = 0u; c < D4; c++) { kv[c] = ${load4("K", "kj + c * 4u")} * p.scale; }
    let lrow = (b * p.nheads + h) * p.n;
    for (var i = lid; i < p.n; i += WG) {
      let wi = ${weight};
      if (wi != 0.0) {
        let qi = at(p.q, b, h, i);
        var sc = 0.0;
        for (var c = 0u; c < D4; c++) { sc += dot(${load4("Q", "qi + c * 4u")}, kv[c]); }
        acc += wi * exp(sc - L[lrow + i]);
      }
    }
  }
  red[lid] = acc;
  let total = reduce(lid, false);
  if (lid == 0u) { ${store} }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [WG, 1, 1], dispatch: [s.n, s.batch, 1] };
}

/** Kernel 2: for query i, w_i = rIn_i / sum_h sum over non-sink keys j of A^h_ij. */
function rowScaleProgram(s: AttentionShape): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("L", "read-only-storage", "array<f32>")
    .add("R", "read-only-storage", "array<f32>")
    .add("C", "read-only-storage", "array<f32>")
    .add("W", "storage", "array<f32>");
  const name = `rollout_row_scale_d${s.d}`;
  const wgsl = /* wgsl */ `${header(b, s.d, true)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x;
  let b = wid.y;
  let r = rin(b, i);
  var acc = 0.0;
  for (var h = 0u; h < p.nheads; h++) {
    let qi = at(p.q, b, h, i);
    var qv: array<vec4<f32>, D4>;
    for (var c = 0u; c < D4; c++) { qv[c] = ${load4("Q", "qi + c * 4u")} * p.scale; }
    let lse = L[(b * p.nheads + h) * p.n + i];
    for (var j = lid; j < p.n; j += WG) {
      if (r != 0.0 && !isSink(b, j)) {
        let kj = at(p.k, b, h, j);
        var sc = 0.0;
        for (var c = 0u; c < D4; c++) { sc += dot(qv[c], ${load4("K", "kj + c * 4u")}); }
        acc += exp(sc - lse);
      }
    }
  }
  red[lid] = acc;
  let total = reduce(lid, false);
  if (lid == 0u) { W[b * p.n + i] = select(0.0, r / total, total > 0.0); }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [WG, 1, 1], dispatch: [s.n, s.batch, 1] };
}

function needFloats(kernel: string, name: string, buf: GPUBuffer, floats: number, shape: string): void {
  if (buf.size < floats * 4) throw new Error(`${kernel}: ${name} ${shape} f32 needs ${floats * 4} B, buffer "${buf.label}" has ${buf.size}`);
}

/** Records one block's rollout step (three dispatches) into `encoder`. */
export async function encodeRolloutStep(ctx: GpuContext, encoder: GPUCommandEncoder, s: AttentionShape, x: RolloutStepTensors, opts: RolloutOptions = {}): Promise<void> {
  const kernel = "attentionRollout";
  checkShape(kernel, s);
  const q = resolveView(kernel, "q", x.q, s, s.d);
  const k = resolveView(kernel, "k", x.k, s, s.d);
  const bn = `[B=${s.batch}, N=${s.n}]`;
  needFloats(kernel, "lse", x.lse, s.batch * s.heads * s.n, `[B=${s.batch}, H=${s.heads}, N=${s.n}]`);
  for (const name of ["col", "w", "rOut"] as const) needFloats(kernel, name, x[name], s.batch * s.n, bn);
  if (x.rIn) needFloats(kernel, "rIn", x.rIn, s.batch * s.n, bn);
  const distinct = [x.col, x.w, x.rOut, ...(x.rIn ? [x.rIn] : [])];
  if (new Set(distinct).size !== distinct.length) throw new Error(`${kernel}: col, w, rIn and rOut must be different buffers`);
  const threshold = opts.threshold ?? sinkThreshold(s.n);
  const u = new UniformWriter()
    .u32(s.n, s.heads, x.rIn ? 0 : 1, 0)
    .f32(opts.scale ?? defaultScale(s.d), threshold)
    .u32(0, 0, ...viewWords(q), ...viewWords(k));
  const p = uniformBuffer(ctx, u.bytes(), "rollout params");
  const common = { p, Q: q.buffer, K: k.buffer, L: x.lse };
  // For the last block R is never read (e_0 is used); col stands in, bound read-only like C.
  const R = x.rIn ?? x.col;
  await encodeProgram(ctx, encoder, columnProgram(s, "mean"), { ...common, Out: x.col });
  await encodeProgram(ctx, encoder, rowScaleProgram(s), { ...common, R, C: x.col, W: x.w });
  await encodeProgram(ctx, encoder, columnProgram(s, "step"), { ...common, W: x.w, R, C: x.col, Out: x.rOut });
}
