// The naive baseline: three kernels that materialise the [B, H, N, N] score matrix in GPU memory.
//   1. scores  S = scale q k^T      (one invocation per score)
//   2. softmax over each row of S   (one workgroup per row, in place)
//   3. o = S v                      (one invocation per output element)
import type { GpuContext } from "../gpu/device.ts";
import { Bindings, UniformWriter, encodeProgram, uniformBuffer, type Program } from "../gpu/program.ts";
import { VIEW_WGSL, checkShape, resolveView, viewWords, type AttentionShape, type ViewOrBuffer } from "./layout.ts";
import { defaultScale } from "./reference.ts";
import { WORKGROUP_REDUCE } from "./wgsl.ts";

export interface NaiveTensors {
  q: ViewOrBuffer; // q: [B, H, N, d]
  k: ViewOrBuffer; // k: [B, H, N, d]
  v: ViewOrBuffer; // v: [B, H, N, d]
  o: ViewOrBuffer; // o: [B, H, N, d]
  /** scores: [B, H, N, N] f32 scratch, naiveScoresBytes(shape) bytes. */
  scores: GPUBuffer;
}

/** Bytes of the score matrix the naive path needs. */
export const naiveScoresBytes = (s: AttentionShape): number => s.batch * s.heads * s.n * s.n * 4;

/** Thrown when the score matrix cannot be allocated or bound on this device. */
export class NaiveOutOfMemory extends Error {}

export function checkNaiveFits(limits: GPUSupportedLimits, s: AttentionShape): void {
  const bytes = naiveScoresBytes(s);
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes / 4 > 2 ** 32 - 1) {
    throw new NaiveOutOfMemory(`naiveAttention: score matrix [${s.batch}, ${s.heads}, ${s.n}, ${s.n}] has more than 2^32 elements (u32 indexing)`);
  }
  if (bytes > cap) {
    throw new NaiveOutOfMemory(
      `naiveAttention: score matrix [${s.batch}, ${s.heads}, ${s.n}, ${s.n}] needs ${bytes} B > device limit ${cap} B ` +
        `(min of maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize}, maxBufferSize ${limits.maxBufferSize})`,
    );
  }
}

const PARAMS = /* wgsl */ `
struct Params {
  n: u32, nheads: u32, pad0: u32, pad1: u32,
  scale: f32, pad2: u32, pad3: u32, pad4: u32,
  q: vec4<u32>, k: vec4<u32>, v: vec4<u32>, o: vec4<u32>,
}`;

function scoresProgram(s: AttentionShape): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("S", "storage", "array<f32>");
  const name = `naive_scores_d${s.d}`;
  const wgsl = /* wgsl */ `${PARAMS}
${b.wgsl}
${VIEW_WGSL}
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let i = gid.y;
  if (i >= p.n || j >= p.n) { return; }
  let bh = gid.z;
  let b = bh / p.nheads;
  let h = bh % p.nheads;
  let qi = at(p.q, b, h, i);
  let kj = at(p.k, b, h, j);
  var acc = 0.0;
  for (var c = 0u; c < ${s.d}u; c++) { acc += Q[qi + c] * K[kj + c]; }
  S[(bh * p.n + i) * p.n + j] = acc * p.scale;
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [16, 16, 1], dispatch: [Math.ceil(s.n / 16), Math.ceil(s.n / 16), s.batch * s.heads] };
}

function softmaxProgram(s: AttentionShape): Program {
  const b = new Bindings().add("p", "uniform", "Params").add("S", "storage", "array<f32>");
  const name = "naive_softmax";
  const wgsl = /* wgsl */ `${PARAMS}
${b.wgsl}
const WG = 256u;
${WORKGROUP_REDUCE}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = (wid.y * p.n + wid.x) * p.n;
  var m = -3.0e38;
  for (var j = lid; j < p.n; j += WG) { m = max(m, S[base + j]); }
  red[lid] = m;
  m = reduce(lid, true);
  var sum = 0.0;
  for (var j = lid; j < p.n; j += WG) { sum += exp(S[base + j] - m); }
  red[lid] = sum;
  sum = reduce(lid, false);
  for (var j = lid; j < p.n; j += WG) { S[base + j] = exp(S[base + j] - m) / sum; }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [256, 1, 1], dispatch: [s.n, s.batch * s.heads, 1] };
}

function weightedSumProgram(s: AttentionShape): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("S", "read-only-storage", "array<f32>")
    .add("V", "read-only-storage", "array<f32>")
    .add("O", "storage", "array<f32>");
  const name = `naive_weighted_sum_d${s.d}`;
  const wgsl = /* wgsl */ `${PARAMS}
${b.wgsl}
${VIEW_WGSL}
@compute @workgroup_size(64, 4)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  let i = gid.y;
  if (i >= p.n || c >= ${s.d}u) { return; }
  let bh = gid.z;
  let b = bh / p.nheads;
  let h = bh % p.nheads;
  let base = (bh * p.n + i) * p.n;
  var acc = 0.0;
  for (var j = 0u; j < p.n; j++) { acc += S[base + j] * V[at(p.v, b, h, j) + c]; }
  O[at(p.o, b, h, i) + c] = acc;
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [64, 4, 1], dispatch: [Math.ceil(s.d / 64), Math.ceil(s.n / 4), s.batch * s.heads] };
}

/** Records the three naive dispatches into `encoder`. f32 only. */
export async function encodeNaiveAttention(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  s: AttentionShape,
  x: NaiveTensors,
  opts: { scale?: number } = {},
): Promise<void> {
  const kernel = "naiveAttention";
  checkShape(kernel, s);
  checkNaiveFits(ctx.limits, s);
  const views = (["q", "k", "v", "o"] as const).map((name) => resolveView(kernel, name, x[name], s, s.d));
  if (x.scores.size < naiveScoresBytes(s)) throw new Error(`${kernel}: scores buffer has ${x.scores.size} B, needs ${naiveScoresBytes(s)}`);
  const u = new UniformWriter().u32(s.n, s.heads, 0, 0).f32(opts.scale ?? defaultScale(s.d)).u32(0, 0, 0);
  for (const v of views) u.u32(...viewWords(v));
  const p = uniformBuffer(ctx, u.bytes(), "naive params");
  const [q, k, v, o] = views.map((w) => w.buffer);
  await encodeProgram(ctx, encoder, scoresProgram(s), { p, Q: q, K: k, S: x.scores });
  await encodeProgram(ctx, encoder, softmaxProgram(s), { p, S: x.scores });
  await encodeProgram(ctx, encoder, weightedSumProgram(s), { p, S: x.scores, V: v, O: o });
}
