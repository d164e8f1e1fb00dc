// Forward FlashAttention (Dao et al. 2022, algorithm 1): each workgroup keeps br query rows on chip (q and the output
// accumulator in registers) while bc-row K/V tiles stream through workgroup memory; softmax is computed online (running
// max m and sum l, the accumulator rescaled by exp(m_old - m_new)), so the N x N score matrix never exists. Each row has
// t invocations, each taking every t-th key of a tile with its own (m, l, acc); they are merged at the end, so short
// sequences still spread over many invocations. Tail tiles are masked. Block-sparse: the same kernel walks only the
// kept key blocks of its query block.
import type { GpuContext } from "../gpu/device.ts";
import { Bindings, UniformWriter, encodeProgram, uniformBuffer, type Program } from "../gpu/program.ts";
import { VIEW_WGSL, checkShape, resolveView, viewWords, type AttentionShape, type ViewOrBuffer } from "./layout.ts";
import { blockCount, defaultScale, type BlockMask } from "./reference.ts";
import { checkForwardTiles, forwardSmemVec4, forwardTiles, type Tiles } from "./tiles.ts";
import { load4, store4 } from "./wgsl.ts";

export interface FlashForwardOptions {
  /** Multiplies q k^T; default 1 / sqrt(d). */
  scale?: number;
  /** Override the tile sizes chosen from the device limits (powers of two). */
  tiles?: Partial<Tiles>;
  /** Block-sparse attention: zero blocks are skipped entirely. */
  mask?: BlockMask;
}

export interface FlashForwardTensors {
  q: ViewOrBuffer; // q: [B, H, N, d]
  k: ViewOrBuffer; // k: [B, H, N, d]
  v: ViewOrBuffer; // v: [B, H, N, d]
  o: ViewOrBuffer; // o: [B, H, N, d]
  /** Optional per-row logsumexp of the scaled scores, f32 [B, H, N] contiguous (needed by the backward pass). */
  lse?: GPUBuffer;
}

interface ProgramParams {
  d: number;
  tiles: Tiles;
  /** Block-sparse variant (the mask's block size is a uniform, so one pipeline serves every block size). */
  sparse: boolean;
}

function forwardWgsl(pp: ProgramParams, bindings: Bindings): string {
  const { d, tiles, sparse } = pp;
  const parts = tiles.t ?? 1;
  const tileLoop = sparse
    ? /* wgsl */ `
  let qb = (wid.x * BR) / p.blockSize;
  let mrow = select(0u, h, p.maskHeads > 1u) * p.nqb + qb;
  let first = rowPtr[mrow];
  let last = rowPtr[mrow + 1u];
  for (var e = first; e < last; e++) {
    for (var sub = 0u; sub < p.blockSize / BC; sub++) {
      let tile = cols[e] * (p.blockSize / BC) + sub;
      if (tile >= p.ntiles) { break; }
      BODY
    }
  }`
    : /* wgsl */ `
  for (var tile = 0u; tile < p.ntiles; tile++) {
    BODY
  }`;
  // Invocation `part` of a row takes keys j = u * T + part of each tile.
  const body = /* wgsl */ `
      workgroupBarrier();
      loadKV(tile * BC, b, h, lid);
      workgroupBarrier();
      let cnt = min(BC, p.n - tile * BC);
      var mt = m;
      for (var u = 0u; u < BC / T; u++) {
        let j = u * T + part;
        if (j < cnt) {
          var sj = 0.0;
          for (var c = 0u; c < D4; c++) { sj += dot(q[c], smem[j * KS + c]); }
          s[u] = sj;
          mt = max(mt, sj);
        }
      }
      let alpha = exp(m - mt);
      l *= alpha;
      for (var c = 0u; c < D4; c++) { acc[c] *= alpha; }
      for (var u = 0u; u < BC / T; u++) {
        let j = u * T + part;
        if (j < cnt) {
          let pj = exp(s[u] - mt);
          l += pj;
          for (var c = 0u; c < D4; c++) { acc[c] += pj * smem[(BC + j) * KS + c]; }
        }
      }
      m = mt;`;
  return /* wgsl */ `
const D4 = ${d / 4}u;
const BR = ${tiles.br}u;
const BC = ${tiles.bc}u;
const T = ${parts}u;
const WG = ${tiles.br * parts}u;
const KS = ${d / 4 + 1}u; // padded tile row stride (vec4s): rows read at once by different parts hit different banks
struct Params {
  n: u32, ntiles: u32, maskHeads: u32, nqb: u32,
  scale: f32, negInf: f32, nheads: u32, blockSize: u32, withLse: u32, pad0: u32, pad1: u32, pad2: u32,
  q: vec4<u32>, k: vec4<u32>, v: vec4<u32>, o: vec4<u32>,
}
${bindings.wgsl}
${VIEW_WGSL}
// K tile rows [0, BC), V tile rows [BC, 2 BC); reused at the end to combine the T partial accumulators of each row.
var<workgroup> smem: array<vec4<f32>, ${forwardSmemVec4(d, tiles)}>;
var<workgroup> ml: array<vec2<f32>, WG>;

fn loadKV(base: u32, b: u32, h: u32, lid: u32) {
  for (var i = lid; i < BC * D4; i += WG) {
    let r = i / D4;
    let c = i % D4;
    let row = base + r;
    var kv = vec4<f32>(0.0);
    var vv = vec4<f32>(0.0);
    if (row < p.n) {
      let ki = at(p.k, b, h, row) + c * 4u;
      let vi = at(p.v, b, h, row) + c * 4u;
      kv = ${load4("K", "ki")};
      vv = ${load4("V", "vi")};
    }
    smem[r * KS + c] = kv;
    smem[(BC + r) * KS + c] = vv;
  }
}

@compute @workgroup_size(${tiles.br * parts})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.z;
  let h = wid.y;
  let rloc = lid % BR;
  let part = lid / BR;
  let row = wid.x * BR + rloc;
  let qi = at(p.q, b, h, min(row, p.n - 1u));
  var q: array<vec4<f32>, D4>;
  var acc: array<vec4<f32>, D4>;
  for (var c = 0u; c < D4; c++) {
    q[c] = ${load4("Q", "qi + c * 4u")} * p.scale;
    acc[c] = vec4<f32>(0.0);
  }
  var m = -3.0e38;
  var l = 0.0;
  var s: array<f32, BC / T>;
${tileLoop.replace("BODY", body)}
  // Combine the parts of each row: M = max m_t, L = sum l_t e^(m_t - M), o = sum acc_t e^(m_t - M) / L. The scaled
  // accumulators are summed by halving (parts [s, 2s) hand theirs to parts [0, s)), so the buffer holds T/2 of them.
  workgroupBarrier();
  ml[lid] = vec2<f32>(m, l);
  workgroupBarrier();
  var mAll = -3.0e38;
  for (var t = 0u; t < T; t++) { mAll = max(mAll, ml[t * BR + rloc].x); }
  var lAll = 0.0;
  for (var t = 0u; t < T; t++) { lAll += ml[t * BR + rloc].y * exp(ml[t * BR + rloc].x - mAll); }
  let f = exp(m - mAll);
  for (var c = 0u; c < D4; c++) { acc[c] *= f; }
  for (var step = T / 2u; step > 0u; step /= 2u) {
    if (part >= step && part < 2u * step) {
      for (var c = 0u; c < D4; c++) { smem[((part - step) * BR + rloc) * D4 + c] = acc[c]; }
    }
    workgroupBarrier();
    if (part < step) {
      for (var c = 0u; c < D4; c++) { acc[c] += smem[(part * BR + rloc) * D4 + c]; }
    }
    workgroupBarrier();
  }
  if (row < p.n && part == 0u) {
    let inv = select(0.0, 1.0 / lAll, lAll > 0.0);
    let oi = at(p.o, b, h, row);
    for (var c = 0u; c < D4; c++) {
      let val = acc[c] * inv;
      let i = oi + c * 4u;
      ${store4("O", "i", "val")}
    }
    if (p.withLse != 0u) {
      L[(b * p.nheads + h) * p.n + row] = select(p.negInf, mAll + log(lAll), lAll > 0.0);
    }
  }
}`;
}

export function flashForwardProgram(pp: ProgramParams, s: AttentionShape): Program {
  const bindings = new Bindings()
    .add("p", "uniform", "Params")
    .add("Q", "read-only-storage", "array<f32>")
    .add("K", "read-only-storage", "array<f32>")
    .add("V", "read-only-storage", "array<f32>")
    .add("O", "storage", "array<f32>")
    .add("L", "storage", "array<f32>");
  if (pp.sparse) bindings.add("rowPtr", "read-only-storage", "array<u32>").add("cols", "read-only-storage", "array<u32>");
  const name = `flash_forward_f32_d${pp.d}_br${pp.tiles.br}_bc${pp.tiles.bc}_t${pp.tiles.t ?? 1}${pp.sparse ? "_sparse" : ""}`;
  const wgsl = forwardWgsl(pp, bindings);
  return {
    name,
    cacheKey: name,
    wgsl,
    bindings: bindings.list,
    workgroupSize: [pp.tiles.br * (pp.tiles.t ?? 1), 1, 1],
    dispatch: [Math.ceil(s.n / pp.tiles.br), s.heads, s.batch],
  };
}

interface GpuMask {
  rowPtr: GPUBuffer;
  cols: GPUBuffer;
  nqb: number;
}

const dummies = new WeakMap<GpuContext, GPUBuffer>();

function dummyLse(ctx: GpuContext): GPUBuffer {
  let b = dummies.get(ctx);
  if (!b) dummies.set(ctx, (b = ctx.alloc.storage(4, "unused lse")));
  return b;
}

const maskCache = new WeakMap<GpuContext, WeakMap<BlockMask, Map<number, GpuMask>>>();

/** Checks a block mask and uploads it as, per (mask head, query block), the list of kept key blocks (CSR). */
export function uploadMask(ctx: GpuContext, mask: BlockMask, s: AttentionShape): GpuMask {
  const kernel = "flashAttention (block-sparse)";
  const { blockSize } = mask;
  if (!Number.isInteger(blockSize) || blockSize < 8 || (blockSize & (blockSize - 1)) !== 0) {
    throw new Error(`${kernel}: mask blockSize ${blockSize} must be a power of two >= 8`);
  }
  if (mask.heads !== 1 && mask.heads !== s.heads) throw new Error(`${kernel}: mask heads ${mask.heads} must be 1 or H=${s.heads}`);
  const nb = blockCount(s.n, blockSize);
  if (mask.blocks.length !== mask.heads * nb * nb) {
    throw new Error(`${kernel}: mask blocks has ${mask.blocks.length} entries, expected [${mask.heads}, ${nb}, ${nb}] = ${mask.heads * nb * nb} for N=${s.n}, blockSize=${blockSize}`);
  }
  let perCtx = maskCache.get(ctx);
  if (!perCtx) maskCache.set(ctx, (perCtx = new WeakMap()));
  let perMask = perCtx.get(mask);
  if (!perMask) perCtx.set(mask, (perMask = new Map()));
  const cached = perMask.get(s.n);
  if (cached) return cached;
  const rowPtr = new Uint32Array(mask.heads * nb + 1);
  const cols: number[] = [];
  for (let r = 0; r < mask.heads * nb; r++) {
    for (let kb = 0; kb < nb; kb++) if (mask.blocks[r * nb + kb] !== 0) cols.push(kb);
    rowPtr[r + 1] = cols.length;
  }
  const gpu = {
    rowPtr: ctx.alloc.upload(rowPtr, "mask rowPtr"),
    cols: ctx.alloc.upload(new Uint32Array(cols.length > 0 ? cols : [0]), "mask cols"),
    nqb: nb,
  };
  perMask.set(s.n, gpu);
  return gpu;
}

/** Resolves tiles for a forward call; with a mask, tiles never straddle a mask block. */
export function resolveForwardTiles(ctx: GpuContext, s: AttentionShape, opts: FlashForwardOptions): Tiles {
  const auto = forwardTiles(ctx.limits, s);
  const tiles = { br: opts.tiles?.br ?? auto.br, bc: opts.tiles?.bc ?? auto.bc, t: opts.tiles?.t ?? auto.t };
  if (opts.mask) {
    tiles.br = Math.min(tiles.br, opts.mask.blockSize);
    tiles.bc = Math.min(tiles.bc, opts.mask.blockSize);
    tiles.t = Math.min(tiles.t ?? 1, tiles.bc);
  }
  checkForwardTiles("flashAttention", ctx.limits, tiles, s.d);
  return tiles;
}

/** Records the forward pass into `encoder` (no submit). */
export async function encodeFlashForward(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  s: AttentionShape,
  x: FlashForwardTensors,
  opts: FlashForwardOptions = {},
): Promise<void> {
  const kernel = "flashAttention";
  checkShape(kernel, s);
  const views = (["q", "k", "v", "o"] as const).map((name) => resolveView(kernel, name, x[name], s, s.d));
  if (x.lse && x.lse.size < s.batch * s.heads * s.n * 4) {
    throw new Error(`${kernel}: lse [B=${s.batch}, H=${s.heads}, N=${s.n}] f32 needs ${s.batch * s.heads * s.n * 4} B, buffer has ${x.lse.size}`);
  }
  const tiles = resolveForwardTiles(ctx, s, opts);
  const gpuMask = opts.mask ? uploadMask(ctx, opts.mask, s) : undefined;
  const program = flashForwardProgram({ d: s.d, tiles, sparse: !!opts.mask }, s);
  const u = new UniformWriter()
    .u32(s.n, Math.ceil(s.n / tiles.bc), opts.mask?.heads ?? 1, gpuMask?.nqb ?? 0)
    .f32(opts.scale ?? defaultScale(s.d), -Infinity)
    .u32(s.heads, opts.mask?.blockSize ?? 0, x.lse ? 1 : 0, 0, 0, 0);
  for (const v of views) u.u32(...viewWords(v));
  const buffers: Record<string, GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number }> = {
    p: uniformBuffer(ctx, u.bytes(), "flash forward params"),
    Q: views[0].buffer,
    K: views[1].buffer,
    V: views[2].buffer,
    O: views[3].buffer,
  };
  // Without an lse output the kernel still binds one (a shared 4-byte dummy it never writes): one pipeline fewer.
  buffers.L = x.lse ?? dummyLse(ctx);
  if (gpuMask) Object.assign(buffers, { rowPtr: gpuMask.rowPtr, cols: gpuMask.cols });
  await encodeProgram(ctx, encoder, program, buffers);
}

