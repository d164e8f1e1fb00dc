// Tiled matmul Y = A W^T with W in PyTorch Linear layout [N, K] and fused prologues/epilogues, so the ViT runs one
// dispatch per linear layer: LayerNorm folded into the A loads (stats per row computed by the workgroup), patch
// gather (im2col of the image) for the patch embedding, and bias / bias+GELU / bias+residual / class token + position
// embedding in the store. 32x32 output tile per workgroup, 8x8 threads with 4x4 outputs each, K in steps of 32.
import { Bindings, type Program } from "../../gpu/program.ts";
import { GELU_WGSL } from "./erf.wgsl.ts";

export type MatmulPrologue = "plain" | "layernorm" | "patch";
export type MatmulEpilogue = "bias" | "bias_gelu" | "bias_residual" | "patch_embed";

export type MatmulShape = {
  /** Rows of A and Y. */
  m: number;
  /** Output features (rows of W). */
  n: number;
  /** Inner dimension. */
  k: number;
};

export type MatmulParams = {
  /** A row r starts at aOffset + r * aRowStride (elements); default 0 and k. Lets the head read class-token rows. */
  aOffset?: number;
  aRowStride?: number;
  eps?: number;
  /** patch prologue/epilogue: tokens per image (1 + grid^2), image side and patch side. */
  tokens?: number;
  imageSize?: number;
  patchSize?: number;
};

export const MATMUL_TILE = { tm: 32, tn: 32, tk: 32, threads: [8, 8] as const };

const { tm: TM, tn: TN, tk: TK } = MATMUL_TILE;
const THREADS = MATMUL_TILE.threads[0] * MATMUL_TILE.threads[1];

function loadA(pro: MatmulPrologue): string {
  const plain = `A[p.aOffset + row * p.aRowStride + k]`;
  if (pro === "plain") return `fn loadA(row: u32, k: u32, r: u32) -> f32 { return ${plain}; }`;
  if (pro === "layernorm") return `fn loadA(row: u32, k: u32, r: u32) -> f32 { return (${plain} - rowMean[r]) * rowRstd[r] * G[k] + Beta[k]; }`;
  // patch: row is a token of image b; token 0 (class token) has no pixels.
  return /* wgsl */ `fn loadA(row: u32, k: u32, r: u32) -> f32 {
  let b = row / p.tokens;
  let t = row % p.tokens;
  if (t == 0u) { return 0.0; }
  let grid = p.imageSize / p.patchSize;
  let pi = t - 1u;
  let pp = p.patchSize * p.patchSize;
  let c = k / pp;
  let py = (k / p.patchSize) % p.patchSize;
  let px = k % p.patchSize;
  let y = (pi / grid) * p.patchSize + py;
  let x = (pi % grid) * p.patchSize + px;
  return A[b * 3u * p.imageSize * p.imageSize + c * p.imageSize * p.imageSize + y * p.imageSize + x];
}`;
}

function store(epi: MatmulEpilogue): string {
  const at = `row * p.n + col`;
  switch (epi) {
    case "bias":
      return `Y[${at}] = val + Bias[col];`;
    case "bias_gelu":
      return `Y[${at}] = gelu(val + Bias[col]);`;
    case "bias_residual":
      return `Y[${at}] = Y[${at}] + val + Bias[col];`;
    case "patch_embed":
      return `{ let t = row % p.tokens; Y[${at}] = select(val + Bias[col], Cls[col], t == 0u) + Pos[t * p.n + col]; }`;
  }
}

// The inner product is written out (4 vec4 accumulators, no dynamic indexing of private arrays): software
// rasterisers such as SwiftShader spill indexed private arrays to memory, which made this kernel 10x slower.
function unrolledBody(epi: MatmulEpilogue): string {
  const rows = [0, 1, 2, 3];
  // Everything is unrolled at generation time: SwiftShader's Subzero JIT neither unrolls loops nor folds index math.
  const steps = Array.from({ length: (TM * TK) / THREADS }, (_, st) => st);
  const loadSteps = steps
    .map((st) => {
      const r = `(lid / TK + ${st * (THREADS / TK)}u)`;
      return `{ let r = ${r}; let row = row0 + r; As[r * TK + lk] = select(0.0, loadA(min(row, p.m - 1u), kc, r), row < p.m && kIn);
      let col = col0 + r; Bs[(lk * TN + r) / 4u][r % 4u] = select(0.0, W[min(col, p.n - 1u) * p.k + kc], col < p.n && kIn); }`;
    })
    .join("\n    ");
  const innerSteps = Array.from({ length: TK }, (_, kk) => {
    const w = `Bs[${(kk * TN) / 4}u + lid3.x]`;
    return `{ let w = ${w}; ${rows.map((i) => `acc${i} = fma(vec4<f32>(As[(lid3.y + ${i * 8}u) * TK + ${kk}u]), w, acc${i});`).join(" ")} }`;
  }).join("\n    ");
  return /* wgsl */ `
  ${rows.map((i) => `var acc${i} = vec4<f32>(0.0);`).join(" ")}
  for (var k0 = 0u; k0 < p.k; k0 += TK) {
    // THREADS = 64 threads load 32x32 tiles: thread lid covers k = lid % 32 of rows lid / 32 + 2 * step.
    let lk = lid % TK;
    let k = k0 + lk;
    let kIn = k < p.k;
    let kc = min(k, p.k - 1u);
    ${loadSteps}
    workgroupBarrier();
    ${innerSteps}
    workgroupBarrier();
  }
  ${storeAll(epi)}`;
}

function storeAll(epi: MatmulEpilogue): string {
  return [0, 1, 2, 3]
    .map(
      (i) => `{
    let row = row0 + lid3.y + ${i * 8}u;
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + lid3.x * 4u + j;
      if (row < p.m && col < p.n) {
        let val = acc${i}[j];
        ${store(epi)}
      }
    }
  }`,
    )
    .join("\n  ");
}

export function matmulProgram(pro: MatmulPrologue, epi: MatmulEpilogue, s: MatmulShape): Program {
  if ((pro === "patch") !== (epi === "patch_embed")) throw new Error(`matmul: prologue ${pro} and epilogue ${epi} do not go together`);
  for (const key of ["m", "n", "k"] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new Error(`matmul: ${key}=${s[key]} must be a positive integer`);
  }
  const b = new Bindings()
    .add("p", "uniform", "Params")
    .add("A", "read-only-storage", "array<f32>")
    .add("W", "read-only-storage", "array<f32>")
    .add("Bias", "read-only-storage", "array<f32>");
  if (pro === "layernorm") b.add("G", "read-only-storage", "array<f32>").add("Beta", "read-only-storage", "array<f32>");
  if (epi === "patch_embed") b.add("Cls", "read-only-storage", "array<f32>").add("Pos", "read-only-storage", "array<f32>");
  b.add("Y", "storage", "array<f32>");
  const lnStats =
    pro === "layernorm"
      ? /* wgsl */ `
  for (var r = lid; r < TM; r += THREADS) {
    let row = min(row0 + r, p.m - 1u);
    let base = p.aOffset + row * p.aRowStride;
    var s = 0.0;
    for (var k = 0u; k < p.k; k++) { s += A[base + k]; }
    let mean = s / f32(p.k);
    var v = 0.0;
    for (var k = 0u; k < p.k; k++) { let d = A[base + k] - mean; v += d * d; }
    rowMean[r] = mean;
    rowRstd[r] = inverseSqrt(v / f32(p.k) + p.eps);
  }
  workgroupBarrier();`
      : "";
  const wgsl = /* wgsl */ `
struct Params { m: u32, n: u32, k: u32, aOffset: u32, aRowStride: u32, tokens: u32, imageSize: u32, patchSize: u32, eps: f32 }
${b.wgsl}
const TM = ${TM}u;
const TN = ${TN}u;
const TK = ${TK}u;
const THREADS = ${THREADS}u;
var<workgroup> As: array<f32, ${TM * TK}>;
var<workgroup> Bs: array<vec4<f32>, ${(TK * TN) / 4}>;
var<workgroup> rowMean: array<f32, ${TM}>;
var<workgroup> rowRstd: array<f32, ${TM}>;
${epi === "bias_gelu" ? GELU_WGSL : ""}
${loadA(pro)}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let lid = lid3.y * 8u + lid3.x;
  let row0 = wid.y * TM;
  let col0 = wid.x * TN;
${lnStats}
${unrolledBody(epi)}
}`;
  const name = `vit_matmul_${pro}_${epi}`;
  return { name, cacheKey: name, wgsl, bindings: b.list, workgroupSize: [8, 8, 1], dispatch: [Math.ceil(s.n / TN), Math.ceil(s.m / TM), 1] };
}

/** The uniform block for matmulProgram (field order matches Params). */
export function matmulUniforms(s: MatmulShape, prm: MatmulParams = {}): { u32: number[]; eps: number } {
  return {
    u32: [s.m, s.n, s.k, prm.aOffset ?? 0, prm.aRowStride ?? s.k, prm.tokens ?? 1, prm.imageSize ?? 1, prm.patchSize ?? 1],
    eps: prm.eps ?? 1e-6,
  };
}
