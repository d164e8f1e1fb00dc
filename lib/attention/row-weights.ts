// The attention weights of one query row (e.g. the class token) over every key, per head: softmax(scale q_row k^T).
// Used to explain a prediction. One workgroup per (batch, head): scores are written to the output, then max and sum
// are reduced in workgroup memory and the row normalised in place.
import type { GpuContext } from "../gpu/device.ts";
import { Bindings, UniformWriter, encodeProgram, uniformBuffer, type Program } from "../gpu/program.ts";
import { VIEW_WGSL, checkShape, resolveView, viewWords, type AttentionShape, type ViewOrBuffer } from "./layout.ts";
import { defaultScale } from "./reference.ts";
import { WORKGROUP_REDUCE, load4 } from "./wgsl.ts";

export interface RowWeightsTensors {
  q: ViewOrBuffer; // q: [B, H, N, d]
  k: ViewOrBuffer; // k: [B, H, N, d]
  /** weights: [B, H, N] f32 contiguous */
  weights: GPUBuffer;
}

function rowWeightsProgram(s: AttentionShape): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("W", "storage", "array<f32>");
  const name = `row_weights_d${s.d}`;
  const wgsl = /* wgsl */ `
struct Params { n: u32, row: u32, nheads: u32, pad0: u32, scale: f32, pad1: u32, pad2: u32, pad3: u32, q: vec4<u32>, k: vec4<u32> }
${b.wgsl}
${VIEW_WGSL}
const WG = 256u;
const D4 = ${s.d / 4}u;
${WORKGROUP_REDUCE}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.z;
  let h = wid.y;
  let base = (b * p.nheads + h) * p.n;
  let qi = at(p.q, b, h, p.row);
  var q: array<vec4<f32>, D4>;
  for (var c = 0u; c < D4; c++) {
    q[c] = ${load4("Q", "qi + c * 4u")} * p.scale;
  }
  var m = -3.0e38;
  for (var j = lid; j < p.n; j += WG) {
    let kj = at(p.k, b, h, j);
    var sj = 0.0;
    for (var c = 0u; c < D4; c++) {
      sj += dot(q[c], ${load4("K", "kj + c * 4u")});
    }
    W[base + j] = sj;
    m = max(m, sj);
  }
  red[lid] = m;
  m = reduce(lid, true);
  var sum = 0.0;
  for (var j = lid; j < p.n; j += WG) { sum += exp(W[base + j] - m); }
  red[lid] = sum;
  sum = reduce(lid, false);
  for (var j = lid; j < p.n; j += WG) { W[base + j] = exp(W[base + j] - m) / sum; }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [256, 1, 1], dispatch: [1, s.heads, s.batch] };
}

/** Records the row-weights dispatch into `encoder`. f32 only. */
export async function encodeRowWeights(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  s: AttentionShape,
  x: RowWeightsTensors,
  opts: { row: number; scale?: number },
): Promise<void> {
  const kernel = "attentionRowWeights";
  checkShape(kernel, s);
  if (!Number.isInteger(opts.row) || opts.row < 0 || opts.row >= s.n) throw new Error(`${kernel}: row ${opts.row} is outside 0..${s.n - 1}`);
  const q = resolveView(kernel, "q", x.q, s, s.d);
  const k = resolveView(kernel, "k", x.k, s, s.d);
  const bytes = s.batch * s.heads * s.n * 4;
  if (x.weights.size < bytes) throw new Error(`${kernel}: weights [B=${s.batch}, H=${s.heads}, N=${s.n}] f32 needs ${bytes} B, got ${x.weights.size}`);
  const u = new UniformWriter().u32(s.n, opts.row, s.heads, 0).f32(opts.scale ?? defaultScale(s.d)).u32(0, 0, 0).u32(...viewWords(q), ...viewWords(k));
  await encodeProgram(ctx, encoder, rowWeightsProgram(s), { p: uniformBuffer(ctx, u.bytes(), "row weights params"), Q: q.buffer, K: k.buffer, W: x.weights });
}
