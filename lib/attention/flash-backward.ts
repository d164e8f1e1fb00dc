// FlashAttention backward by recomputation (Dao et al. 2022, algorithm 2 / appendix B): dQ, dK, dV from Q, K, V, O, dO
// and the forward pass's logsumexp, never storing the attention matrix. P_ij = exp(scale q_i.k_j - lse_i) is recomputed
// tile by tile. WGSL has no float atomics, so instead of the paper's atomic dQ update the work is split FlashAttention-2
// style into three dispatches:
//   1. delta_i = dO_i . O_i                                   (one invocation per row)
//   2. dK_j, dV_j: each invocation owns key row j, Q/dO tiles stream through workgroup memory:
//        dV_j += P_ij dO_i ;  dS_ij = P_ij (dO_i.v_j - delta_i) ;  dK_j += scale dS_ij q_i
//   3. dQ_i: each invocation owns query row i, K/V tiles stream:  dQ_i += scale dS_ij k_j
import type { GpuContext } from "../gpu/device.ts";
import { Bindings, UniformWriter, encodeProgram, uniformBuffer, type Program } from "../gpu/program.ts";
import { VIEW_WGSL, checkShape, resolveView, viewWords, type AttentionShape, type ViewOrBuffer } from "./layout.ts";
import { defaultScale } from "./reference.ts";
import { checkTiles, chooseBr, fitBc, type Tiles } from "./tiles.ts";
import { load4, store4, tileLoader } from "./wgsl.ts";

export interface FlashBackwardTensors {
  q: ViewOrBuffer; // q: [B, H, N, d]
  k: ViewOrBuffer; // k: [B, H, N, d]
  v: ViewOrBuffer; // v: [B, H, N, d]
  o: ViewOrBuffer; // o: [B, H, N, d], the forward output
  dO: ViewOrBuffer; // dO: [B, H, N, d], gradient of the loss with respect to o
  lse: GPUBuffer; // lse: [B, H, N] f32 contiguous, from the forward pass
  dq: ViewOrBuffer; // dq: [B, H, N, d]
  dk: ViewOrBuffer; // dk: [B, H, N, d]
  dv: ViewOrBuffer; // dv: [B, H, N, d]
  /** Scratch f32 [B, H, N] for delta; allocated (and kept for reuse) when omitted. */
  delta?: GPUBuffer;
}

export interface FlashBackwardOptions {
  scale?: number;
  tiles?: Partial<Tiles>;
}

const PARAMS = /* wgsl */ `
struct Params {
  n: u32, ntiles: u32, nheads: u32, pad0: u32,
  scale: f32, pad1: u32, pad2: u32, pad3: u32,
  q: vec4<u32>, k: vec4<u32>, v: vec4<u32>, o: vec4<u32>, dO: vec4<u32>, dq: vec4<u32>, dk: vec4<u32>, dv: vec4<u32>,
}`;

function header(d: number, t: Tiles, bindings: Bindings): string {
  return `const D4 = ${d / 4}u;\nconst BR = ${t.br}u;\nconst BC = ${t.bc}u;\n${PARAMS}\n${bindings.wgsl}\n${VIEW_WGSL}\nfn rowIndex(b: u32, h: u32, r: u32) -> u32 { return (b * p.nheads + h) * p.n + r; }`;
}

const loadRow = (arr: string, i: string, scale = "") => `${load4(arr, i)}${scale}`;
const storeRow = (arr: string, i: string, v: string) => store4(arr, i, v);

function deltaProgram(s: AttentionShape, br: number): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("O", "read-only-storage", "array<f32>")
    .add("dO", "read-only-storage", "array<f32>")
    .add("Dl", "storage", "array<f32>");
  const name = `flash_backward_delta_d${s.d}_br${br}`;
  const wgsl = /* wgsl */ `${header(s.d, { br, bc: 1 }, b)}
@compute @workgroup_size(${br})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x * BR + lid;
  if (row >= p.n) { return; }
  let oi = at(p.o, wid.z, wid.y, row);
  let gi = at(p.dO, wid.z, wid.y, row);
  var acc = 0.0;
  for (var c = 0u; c < D4; c++) { acc += dot(${loadRow("O", "oi + c * 4u")}, ${loadRow("dO", "gi + c * 4u")}); }
  Dl[rowIndex(wid.z, wid.y, row)] = acc;
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [br, 1, 1], dispatch: [Math.ceil(s.n / br), s.heads, s.batch] };
}

function dkdvProgram(s: AttentionShape, t: Tiles): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("V", "read-only-storage", "array<f32>")
    .add("dO", "read-only-storage", "array<f32>")
    .add("L", "read-only-storage", "array<f32>")
    .add("Dl", "read-only-storage", "array<f32>")
    .add("dK", "storage", "array<f32>")
    .add("dV", "storage", "array<f32>");
  const name = `flash_backward_dkdv_d${s.d}_br${t.br}_bc${t.bc}`;
  const wgsl = /* wgsl */ `${header(s.d, t, b)}
var<workgroup> qt: array<vec4<f32>, ${t.bc * (s.d / 4)}>;
var<workgroup> gt: array<vec4<f32>, ${t.bc * (s.d / 4)}>;
var<workgroup> lt: array<f32, ${t.bc}>;
var<workgroup> dt: array<f32, ${t.bc}>;
${tileLoader("loadQG", [{ src: "Q", view: "p.q", dst: "qt" }, { src: "dO", view: "p.dO", dst: "gt" }])}

@compute @workgroup_size(${t.br})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.z;
  let h = wid.y;
  let row = wid.x * BR + lid;
  let krow = min(row, p.n - 1u);
  let ki = at(p.k, b, h, krow);
  let vi = at(p.v, b, h, krow);
  var k: array<vec4<f32>, D4>;
  var v: array<vec4<f32>, D4>;
  var dk: array<vec4<f32>, D4>;
  var dv: array<vec4<f32>, D4>;
  for (var c = 0u; c < D4; c++) {
    k[c] = ${loadRow("K", "ki + c * 4u", " * p.scale")};
    v[c] = ${loadRow("V", "vi + c * 4u")};
    dk[c] = vec4<f32>(0.0);
    dv[c] = vec4<f32>(0.0);
  }
  for (var tile = 0u; tile < p.ntiles; tile++) {
    workgroupBarrier();
    loadQG(tile * BC, b, h, lid);
    for (var r = lid; r < BC; r += BR) {
      let qrow = tile * BC + r;
      if (qrow < p.n) {
        lt[r] = L[rowIndex(b, h, qrow)];
        dt[r] = Dl[rowIndex(b, h, qrow)];
      }
    }
    workgroupBarrier();
    let cnt = min(BC, p.n - tile * BC);
    for (var i = 0u; i < cnt; i++) {
      var sij = 0.0;
      var dpij = 0.0;
      for (var c = 0u; c < D4; c++) {
        sij += dot(qt[i * D4 + c], k[c]);
        dpij += dot(gt[i * D4 + c], v[c]);
      }
      let pij = exp(sij - lt[i]);
      let dsij = pij * (dpij - dt[i]);
      for (var c = 0u; c < D4; c++) {
        dv[c] += pij * gt[i * D4 + c];
        dk[c] += dsij * qt[i * D4 + c];
      }
    }
  }
  if (row < p.n) {
    let oki = at(p.dk, b, h, row);
    let ovi = at(p.dv, b, h, row);
    for (var c = 0u; c < D4; c++) {
      let a = dk[c] * p.scale;
      let e = dv[c];
      ${storeRow("dK", "oki + c * 4u", "a")}
      ${storeRow("dV", "ovi + c * 4u", "e")}
    }
  }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [t.br, 1, 1], dispatch: [Math.ceil(s.n / t.br), s.heads, s.batch] };
}

function dqProgram(s: AttentionShape, t: Tiles): Program {
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("V", "read-only-storage", "array<f32>")
    .add("dO", "read-only-storage", "array<f32>")
    .add("L", "read-only-storage", "array<f32>")
    .add("Dl", "read-only-storage", "array<f32>")
    .add("dQ", "storage", "array<f32>");
  const name = `flash_backward_dq_d${s.d}_br${t.br}_bc${t.bc}`;
  const wgsl = /* wgsl */ `${header(s.d, t, b)}
var<workgroup> kt: array<vec4<f32>, ${t.bc * (s.d / 4)}>;
var<workgroup> vt: array<vec4<f32>, ${t.bc * (s.d / 4)}>;
${tileLoader("loadKV", [{ src: "K", view: "p.k", dst: "kt" }, { src: "V", view: "p.v", dst: "vt" }])}

@compute @workgroup_size(${t.br})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.z;
  let h = wid.y;
  let row = wid.x * BR + lid;
  let qrow = min(row, p.n - 1u);
  let qi = at(p.q, b, h, qrow);
  let gi = at(p.dO, b, h, qrow);
  let lse = L[rowIndex(b, h, qrow)];
  let delta = Dl[rowIndex(b, h, qrow)];
  var q: array<vec4<f32>, D4>;
  var g: array<vec4<f32>, D4>;
  var dq: array<vec4<f32>, D4>;
  for (var c = 0u; c < D4; c++) {
    q[c] = ${loadRow("Q", "qi + c * 4u", " * p.scale")};
    g[c] = ${loadRow("dO", "gi + c * 4u")};
    dq[c] = vec4<f32>(0.0);
  }
  for (var tile = 0u; tile < p.ntiles; tile++) {
    workgroupBarrier();
    loadKV(tile * BC, b, h, lid);
    workgroupBarrier();
    let cnt = min(BC, p.n - tile * BC);
    for (var j = 0u; j < cnt; j++) {
      var sij = 0.0;
      var dpij = 0.0;
      for (var c = 0u; c < D4; c++) {
        sij += dot(q[c], kt[j * D4 + c]);
        dpij += dot(g[c], vt[j * D4 + c]);
      }
      let dsij = exp(sij - lse) * (dpij - delta);
      for (var c = 0u; c < D4; c++) { dq[c] += dsij * kt[j * D4 + c]; }
    }
  }
  if (row < p.n) {
    let oi = at(p.dq, b, h, row);
    for (var c = 0u; c < D4; c++) {
      let a = dq[c] * p.scale;
      ${storeRow("dQ", "oi + c * 4u", "a")}
    }
  }
}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [t.br, 1, 1], dispatch: [Math.ceil(s.n / t.br), s.heads, s.batch] };
}

const scratch = new WeakMap<GpuContext, Map<number, GPUBuffer>>();

function deltaScratch(ctx: GpuContext, bytes: number): GPUBuffer {
  let m = scratch.get(ctx);
  if (!m) scratch.set(ctx, (m = new Map()));
  let buf = m.get(bytes);
  if (!buf) m.set(bytes, (buf = ctx.alloc.storage(bytes, "flash backward delta")));
  return buf;
}

/** Records the three backward dispatches into `encoder`. f32 tensors only. */
export async function encodeFlashBackward(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  s: AttentionShape,
  x: FlashBackwardTensors,
  opts: FlashBackwardOptions = {},
): Promise<void> {
  const kernel = "flashAttentionBackward";
  checkShape(kernel, s);
  const names = ["q", "k", "v", "o", "dO", "dq", "dk", "dv"] as const;
  const views = names.map((name) => resolveView(kernel, name, x[name], s, s.d));
  const rowBytes = s.batch * s.heads * s.n * 4;
  if (!x.lse || x.lse.size < rowBytes) throw new Error(`${kernel}: lse [B=${s.batch}, H=${s.heads}, N=${s.n}] f32 needs ${rowBytes} B, got ${x.lse?.size}`);
  if (x.delta && x.delta.size < rowBytes) throw new Error(`${kernel}: delta scratch needs ${rowBytes} B, got ${x.delta.size}`);
  const delta = x.delta ?? deltaScratch(ctx, rowBytes);
  const br = opts.tiles?.br ?? chooseBr(ctx.limits, s.batch * s.heads * s.n);
  // dK/dV tiles hold Q and dO rows plus lse and delta per row; dQ tiles hold K and V rows.
  const kvTiles = { br, bc: opts.tiles?.bc ?? fitBc(ctx.limits, s.d, 2, 2) };
  const qTiles = { br, bc: opts.tiles?.bc ?? fitBc(ctx.limits, s.d, 2) };
  checkTiles(kernel, ctx.limits, kvTiles, s.d, 2, 2);
  checkTiles(kernel, ctx.limits, qTiles, s.d, 2);
  const params = (bc: number) => {
    const u = new UniformWriter().u32(s.n, Math.ceil(s.n / bc), s.heads, 0).f32(opts.scale ?? defaultScale(s.d)).u32(0, 0, 0);
    for (const v of views) u.u32(...viewWords(v));
    return uniformBuffer(ctx, u.bytes(), "flash backward params");
  };
  const [q, k, v, o, dO, dq, dk, dv] = views.map((w) => w.buffer);
  await encodeProgram(ctx, encoder, deltaProgram(s, br), { p: params(1), O: o, dO, Dl: delta });
  await encodeProgram(ctx, encoder, dkdvProgram(s, kvTiles), { p: params(kvTiles.bc), Q: q, K: k, V: v, dO, L: x.lse, Dl: delta, dK: dk, dV: dv });
  await encodeProgram(ctx, encoder, dqProgram(s, qTiles), { p: params(qTiles.bc), Q: q, K: k, V: v, dO, L: x.lse, Dl: delta, dQ: dq });
}
