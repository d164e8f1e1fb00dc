// Encode forms of the ViT kernels: validate shapes and buffer sizes (naming them), write the uniform block, record
// one dispatch through lib/gpu's program layer.
import type { GpuContext } from "../../gpu/device.ts";
import { UniformWriter, encodeProgram, uniformBuffer } from "../../gpu/program.ts";
import { matmulProgram, matmulUniforms, type MatmulEpilogue, type MatmulParams, type MatmulPrologue, type MatmulShape } from "./matmul.ts";
import { clsAttentionProgram, layerNormProgram, softmaxProgram } from "./rows.ts";

function need(kernel: string, name: string, buf: GPUBuffer | undefined, floats: number): GPUBuffer {
  if (!buf) throw new Error(`${kernel}: buffer ${name} is missing`);
  if (buf.size < floats * 4) throw new Error(`${kernel}: ${name} needs ${floats} f32 (${floats * 4} B), buffer "${buf.label}" has ${buf.size} B`);
  return buf;
}

export type MatmulBuffers = { A: GPUBuffer; W: GPUBuffer; Bias: GPUBuffer; Y: GPUBuffer; G?: GPUBuffer; Beta?: GPUBuffer; Cls?: GPUBuffer; Pos?: GPUBuffer };

// Y: [m, n] = prologue(A) [m, k] x W^T ([n, k]) -> epilogue
export async function encodeMatmul(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  pro: MatmulPrologue,
  epi: MatmulEpilogue,
  s: MatmulShape,
  prm: MatmulParams,
  buf: MatmulBuffers,
): Promise<void> {
  const kernel = `matmul(${pro}, ${epi}) [${s.m}x${s.k}]x[${s.n}x${s.k}]^T`;
  const program = matmulProgram(pro, epi, s);
  const u = matmulUniforms(s, prm);
  const aOffset = u.u32[3]!;
  const aStride = u.u32[4]!;
  if (pro === "patch") {
    const { tokens = 0, imageSize = 0, patchSize = 0 } = prm;
    const grid = imageSize / patchSize;
    if (!Number.isInteger(grid) || tokens !== grid * grid + 1 || s.k !== 3 * patchSize * patchSize || s.m % tokens !== 0) {
      throw new Error(`${kernel}: patch embedding needs k = 3 * patch^2, tokens = (image/patch)^2 + 1 and m a multiple of tokens; got tokens ${tokens}, image ${imageSize}, patch ${patchSize}`);
    }
    need(kernel, "A (image)", buf.A, (s.m / tokens) * 3 * imageSize * imageSize);
    need(kernel, "Cls", buf.Cls, s.n);
    need(kernel, "Pos", buf.Pos, tokens * s.n);
  } else {
    if (aStride < s.k) throw new Error(`${kernel}: aRowStride ${aStride} < k ${s.k}`);
    need(kernel, "A", buf.A, aOffset + (s.m - 1) * aStride + s.k);
  }
  if (pro === "layernorm") {
    need(kernel, "G", buf.G, s.k);
    need(kernel, "Beta", buf.Beta, s.k);
  }
  need(kernel, "W", buf.W, s.n * s.k);
  need(kernel, "Bias", buf.Bias, s.n);
  need(kernel, "Y", buf.Y, s.m * s.n);
  const uniforms = new UniformWriter().u32(...u.u32).f32(u.eps).bytes();
  const bindings: Record<string, GPUBuffer> = { p: uniformBuffer(ctx, uniforms, "vit matmul params"), A: buf.A, W: buf.W, Bias: buf.Bias, Y: buf.Y };
  if (buf.G) bindings.G = buf.G;
  if (buf.Beta) bindings.Beta = buf.Beta;
  if (buf.Cls) bindings.Cls = buf.Cls;
  if (buf.Pos) bindings.Pos = buf.Pos;
  await encodeProgram(ctx, encoder, program, bindings);
}

// Y: [rows, d] = LayerNorm(X rows at xOffset + r * xStride)
export async function encodeLayerNorm(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  rows: number,
  d: number,
  prm: { xOffset?: number; xStride?: number; eps: number },
  buf: { X: GPUBuffer; G: GPUBuffer; Beta: GPUBuffer; Y: GPUBuffer },
): Promise<void> {
  const kernel = `layerNorm [${rows}x${d}]`;
  const program = layerNormProgram(rows, d);
  const xOffset = prm.xOffset ?? 0;
  const xStride = prm.xStride ?? d;
  need(kernel, "X", buf.X, xOffset + (rows - 1) * xStride + d);
  need(kernel, "G", buf.G, d);
  need(kernel, "Beta", buf.Beta, d);
  need(kernel, "Y", buf.Y, rows * d);
  const u = new UniformWriter().u32(rows, d, xOffset, xStride).f32(prm.eps).bytes();
  await encodeProgram(ctx, encoder, program, { p: uniformBuffer(ctx, u, "vit layernorm params"), ...buf });
}

// Y: [rows, c] = softmax(X * scale) by row
export async function encodeSoftmax(ctx: GpuContext, encoder: GPUCommandEncoder, rows: number, c: number, scale: number, buf: { X: GPUBuffer; Y: GPUBuffer }): Promise<void> {
  const kernel = `softmax [${rows}x${c}]`;
  if (!(scale > 0)) throw new Error(`${kernel}: scale must be > 0, got ${scale}`);
  const program = softmaxProgram(rows, c);
  need(kernel, "X", buf.X, rows * c);
  need(kernel, "Y", buf.Y, rows * c);
  const u = new UniformWriter().u32(rows, c).f32(scale).u32(0).bytes();
  await encodeProgram(ctx, encoder, program, { p: uniformBuffer(ctx, u, "vit softmax params"), ...buf });
}

// qkv: [B, N, 3, H, hd] -> Y[yOffset + (b*H + h)*N + j]: class-token attention weights
export async function encodeClsAttention(
  ctx: GpuContext,
  encoder: GPUCommandEncoder,
  s: { batch: number; heads: number; n: number; hd: number; scale: number; yOffset?: number },
  buf: { QKV: GPUBuffer; Y: GPUBuffer },
): Promise<void> {
  const kernel = `clsAttention [B=${s.batch}, H=${s.heads}, N=${s.n}, hd=${s.hd}]`;
  const program = clsAttentionProgram(s.batch, s.heads, s.n, s.hd);
  const yOffset = s.yOffset ?? 0;
  need(kernel, "QKV", buf.QKV, s.batch * s.n * 3 * s.heads * s.hd);
  need(kernel, "Y", buf.Y, yOffset + s.batch * s.heads * s.n);
  const u = new UniformWriter().u32(s.n, s.heads, s.hd, yOffset).f32(s.scale).bytes();
  await encodeProgram(ctx, encoder, program, { p: uniformBuffer(ctx, u, "vit cls attention params"), ...buf });
}
